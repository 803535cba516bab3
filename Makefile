# policygen: `make build` builds the example policies, `make test` runs every check.
# Both set up .venv on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.DEFAULT_GOAL := help
.PHONY: help install build test pytest lint typecheck golden fuzz bench reference clean

help: ## Show this help
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP) ## Create .venv and install policygen with its development tools

build: $(STAMP) ## Build the example policies in policies/ into build/
	$(BIN)/policygen build policies/*.yaml --out build

test: lint typecheck pytest ## Run linters, type checks and the test suite

pytest: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP) ## ruff
	$(BIN)/ruff check policygen tests tools

typecheck: $(STAMP) ## mypy --strict
	$(BIN)/mypy

golden: $(STAMP) ## Regenerate the golden files in tests/golden after a deliberate change
	$(BIN)/python -m tests.golden_update

fuzz: $(STAMP) ## Long property-based test run
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest tests -k "property or killed" -s -p no:cacheprovider

bench: $(STAMP) ## Print performance figures (installs docxtpl, and pandoc where apt-get can)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	command -v pandoc >/dev/null || { command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] \
		&& apt-get install -y -qq pandoc >/dev/null; } || echo "pandoc not installed: skipped"
	$(BIN)/python tools/bench.py

reference: $(STAMP) ## Regenerate policygen/data/reference.docx
	$(BIN)/python tools/make_reference_docx.py

clean: ## Remove build output and caches
	rm -rf build .pytest_cache .mypy_cache .ruff_cache

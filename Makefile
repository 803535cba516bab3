# policygen: `make build` builds the example policies, `make test` runs every check.
# Both set up .venv on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)
# The versions the test suite last passed with; `make lock` refreshes them.
PIP_INSTALL := $(BIN)/python -m pip install --quiet --constraint constraints.txt
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

.DEFAULT_GOAL := help
.PHONY: help install build test test-fast pytest lint imports typecheck golden fuzz bench reference lock clean

help: ## Show this help
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) -e '.[dev]'
	$(BIN)/python -m compileall -q policygen
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP) ## Create .venv and install policygen with its development tools

build: $(STAMP) ## Build the example policies in policies/ into build/
	$(BIN)/policygen build policies/*.yaml --out build

test: lint imports typecheck pytest ## Run linters, import rules, type checks and the test suite

test-fast: $(STAMP) ## The everyday tier: everything but the slow tests (about a minute)
	$(BIN)/python -m pytest -n $(JOBS) --dist worksteal -m "not slow"

pytest: $(STAMP)
	$(BIN)/python -m pytest -n $(JOBS) --dist worksteal

imports: $(STAMP) ## The import rules of docs/architecture.md (import-linter)
	$(BIN)/lint-imports --no-cache

lint: $(STAMP) ## ruff
	$(BIN)/ruff check policygen tests tools

typecheck: $(STAMP) ## mypy --strict
	$(BIN)/mypy

golden: $(STAMP) ## Regenerate tests/golden after a deliberate change (DELETE=1: drop obsolete ones)
	$(BIN)/python -m tests.golden_update $(if $(DELETE),--delete)

fuzz: $(STAMP) ## Long property-based test run
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest tests -k "property or killed" -s -p no:cacheprovider

bench: $(STAMP) ## Print performance figures (installs docxtpl, and pandoc where apt-get can)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	command -v pandoc >/dev/null || { command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] \
		&& apt-get install -y -qq pandoc >/dev/null; } || echo "pandoc not installed: skipped"
	$(BIN)/python -m compileall -q policygen  # byte-code of what you edited since install
	$(BIN)/python tools/bench.py $(if $(ONLY),--only $(ONLY))  # e.g. make bench ONLY=build,corpus

reference: $(STAMP) ## Regenerate policygen/data/reference.docx
	$(BIN)/python tools/make_reference_docx.py

lock: ## Refresh constraints.txt: newest versions the ranges admit, then run `make test`
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet -e '.[dev,bench]'
	{ echo "# Tested versions; refresh with \`make lock\` (docs/install.md)."; \
	  .venv-lock/bin/python -m pip freeze --all --exclude-editable | grep -iv -E '^(policygen|pip)=='; } > constraints.txt
	rm -rf .venv-lock

clean: ## Remove build output and caches
	rm -rf build .pytest_cache .mypy_cache .ruff_cache

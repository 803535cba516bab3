"""Property tests: any profile the schema accepts builds; any damaged profile fails cleanly.

`make test` runs a fast profile (about two thousand examples, mostly against the small fixture
library); `make fuzz` (HYPOTHESIS_PROFILE=fuzz) runs ten times as many. The examples run are
counted by outcome and printed at the end of the module (visible with `pytest -s`).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings

from policygen.builds import render as rendering
from policygen.builds.render import Output
from policygen.core import clauses, profile, source
from policygen.core.clauses import ClauseLibrary
from policygen.errors import PolicygenError
from tests import strategies
from tests.conftest import EXAMPLES, FIXTURE_LIBRARY, FIXTURES
from tests.readback import docx_body, docx_sequence, markdown_body

FUZZ = os.environ.get("HYPOTHESIS_PROFILE") == "fuzz"
SCALE = 10 if FUZZ else 1
EVERYTHING = {"languages": ["de", "en"], "formats": ["md", "docx"],
              "audiences": ["employees", "account_managers", "legal"]}
COUNTS: Counter[str] = Counter()


@cache
def library(real: bool) -> ClauseLibrary:
    return clauses.load_library(None if real else FIXTURE_LIBRARY)


def render(text: str, lib: ClauseLibrary, name: str = "p.yaml") -> list[Output]:
    """The whole pipeline from YAML text to every output, in memory."""
    loaded = profile.from_source(source.parse(text, name))
    return rendering.render_all(lib, [loaded], rendering.Selection())


def _guidelines(outputs: Sequence[Output]) -> dict[tuple[str, str, str], bytes]:
    return {(o.audience, o.language, o.format): o.data for o in outputs
            if o.relpath.split("/")[1] == f"{o.audience}.{o.language}.{o.format}"}


def _headings(body: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Section and clause headings; whitespace at the edges is presentation, not content."""
    return [(kind, " ".join(text.split())) for kind, text in body if kind in ("h1", "h2")]


def headings_agree(outputs: Sequence[Output]) -> int:
    """Both formats of every guideline hold the same section and clause headings."""
    guidelines = _guidelines(outputs)
    compared = 0
    for (audience, lang, fmt), data in sorted(guidelines.items()):
        if fmt != "md":
            continue
        md = _headings(markdown_body(data.decode("utf-8")))
        docx = guidelines[(audience, lang, "docx")]
        # a profile may exclude every clause of an edition: then there is no first heading
        has_body = any(style == "Heading 1" for style, _ in docx_sequence(docx))
        word = _headings(docx_body(docx)) if has_body else []
        assert md == word, f"{audience}.{lang}: Markdown and Word disagree"
        compared += 1
    return compared


def _valid_profile_builds(data: strategies.Data, real: bool) -> None:
    data["document"].update(EVERYTHING)
    outputs = render(strategies.dump(data), library(real))
    assert headings_agree(outputs) == 6
    COUNTS["valid profiles built" + (" (real library)" if real else "")] += 1


@settings(max_examples=50 * SCALE)
@given(strategies.profiles(sorted(library(False).clauses)))
def test_property_schema_valid_profiles_build_everywhere(data: strategies.Data) -> None:
    """Every language and format, fixture library; Markdown and Word hold the same clauses."""
    _valid_profile_builds(data, real=False)


@settings(max_examples=3 * SCALE)
@given(strategies.profiles(sorted(library(True).clauses)))
def test_property_schema_valid_profiles_build_with_the_real_library(
        data: strategies.Data) -> None:
    """The same against the real clause library (slower: fewer examples)."""
    _valid_profile_builds(data, real=True)


# ----------------------------------------------------------------------------- mutations


def _seed(path: Path) -> strategies.Data:
    data: strategies.Data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.get("overrides", {}).pop("include", None)  # ids of the real library
    data.get("overrides", {}).pop("exclude", None)
    data.pop("branding", None)
    return data


SEEDS = [_seed(FIXTURES / "profiles" / "minimal.yaml"), *(_seed(p) for p in EXAMPLES)]


def fails_cleanly(text: str) -> None:
    """Either every output renders, or a PolicygenError whose every problem has a place."""
    try:
        render(text, library(False), "mutant.yaml")
    except PolicygenError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert problem.location.path.startswith("mutant.yaml") or \
                problem.location.path.startswith(library(False).root), problem.render()
            if problem.location.path == "mutant.yaml":
                assert problem.location.line > 0, problem.render()
            assert problem.message and "Traceback" not in problem.message
            problem.render()
        COUNTS["mutants refused with a located error"] += 1
        return
    COUNTS["mutants that still build"] += 1


# One test per seed profile, so that pytest-xdist spreads them over the workers; together they
# run at least as many examples as one test over all seeds did (300 and 2000).
SEED_IDS = ["minimal", *(p.stem for p in EXAMPLES)]


def _share(total: int) -> int:
    return -(-total * SCALE // len(SEEDS))


@pytest.mark.parametrize("seed", SEEDS, ids=SEED_IDS)
def test_property_mutated_profiles_build_or_fail_located(seed: strategies.Data) -> None:
    """Deleted keys, wrong types, junk, unknown keys, wrong enums."""

    @settings(max_examples=_share(300))
    @given(strategies.mutated([seed]))
    def check(data: strategies.Data) -> None:
        fails_cleanly(strategies.dump(data))

    check()


@pytest.mark.parametrize("seed", SEEDS, ids=SEED_IDS)
def test_property_edited_yaml_builds_or_fails_located(seed: strategies.Data) -> None:
    """Tabs, stray colons, quotes, brackets, tags, anchors, control characters in the text."""

    @settings(max_examples=_share(2000))
    @given(strategies.text_edits(strategies.dump(seed)))
    def check(text: str) -> None:
        fails_cleanly(text)

    check()


@pytest.fixture(scope="module", autouse=True)
def _report() -> object:
    yield
    if COUNTS:
        print("\nhypothesis examples: " + ", ".join(f"{k}: {v}" for k, v in sorted(
            COUNTS.items())) + f"; total {sum(COUNTS.values())}")

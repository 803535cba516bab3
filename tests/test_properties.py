"""Property tests: any profile the schema accepts builds; any damaged profile fails cleanly.

`make test` runs a fast profile (about two thousand examples, mostly against the small fixture
library); `make fuzz` (HYPOTHESIS_PROFILE=fuzz) runs ten times as many. The examples run are
counted by outcome and printed at the end of the module (visible with `pytest -s`).
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from collections import Counter
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from policygen.builds import render as rendering
from policygen.builds.render import Output
from policygen.core import clauses, profile, source
from policygen.core.clauses import ClauseLibrary
from policygen.errors import PolicygenError
from tests import strategies
from tests.conftest import EXAMPLES, FIXTURE_LIBRARY, FIXTURES
from tests.readback import docx_body, docx_sequence, markdown_body
from tests.time_limit import time_limit

FUZZ = os.environ.get("HYPOTHESIS_PROFILE") == "fuzz"
SCALE = 10 if FUZZ else 1
EVERYTHING = {"languages": ["de", "en"], "formats": ["md", "docx"],
              "audiences": ["employees", "account_managers", "legal"]}
COUNTS: Counter[str] = Counter()


@cache
def library(real: bool) -> ClauseLibrary:
    return clauses.load_library(None if real else FIXTURE_LIBRARY)


def render(text: str, lib: ClauseLibrary, name: str = "p.yaml") -> list[Output]:
    """The whole pipeline from YAML text to every output, in memory, within the time limit."""
    with time_limit():
        loaded = profile.from_source(source.parse(text, name))
        return rendering.render_all(lib, [loaded], rendering.Selection())


def run_cli(*args: str) -> tuple[int, str]:
    """policygen in-process: (exit code, stderr); exit 70 (an internal error) fails the test."""
    from policygen.cli import main

    err = io.StringIO()
    with time_limit(), contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code = main(list(args))
        except SystemExit as exc:
            code = int(exc.code or 0)
    assert code != 70, f"internal error: {err.getvalue()}"
    assert "Traceback" not in err.getvalue()
    return code, err.getvalue()


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


@settings(max_examples=40 * SCALE)
@given(st.sampled_from([strategies.dump(seed) for seed in SEEDS]).flatmap(strategies.text_edits))
def test_property_commands_never_end_in_an_internal_error(text: str) -> None:
    """validate and build through the command line: exit 0 or 1, never 70, no traceback."""
    with tempfile.TemporaryDirectory(prefix="policygen-property-") as tmp:
        path = Path(tmp) / "edited.yaml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        for args in (["validate", str(path), "--library", str(FIXTURE_LIBRARY)],
                     ["build", str(path), "--out", str(Path(tmp) / "out"), "--library",
                      str(FIXTURE_LIBRARY), "--quiet", "--jobs", "1"]):
            code, err = run_cli(*args)
            assert code in (0, 1), err
            COUNTS[f"{args[0]} exit {code}"] += 1


@pytest.fixture(scope="module", autouse=True)
def _report() -> object:
    yield
    if COUNTS:
        print("\nhypothesis examples: " + ", ".join(f"{k}: {v}" for k, v in sorted(
            COUNTS.items())) + f"; total {sum(COUNTS.values())}")

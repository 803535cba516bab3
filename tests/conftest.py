"""Shared fixtures: paths, a CLI runner, and hypothesis profiles."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
FIXTURE_LIBRARY = FIXTURES / "library"
# A complete library of its own instead of the bundled one: `cli("build", *LIB_ONLY, path)`.
LIB_ONLY = ("--no-bundled-library", "--library")
EXAMPLES = sorted((ROOT / "policies").glob("*.yaml"))

# Tests use a cache of their own, so they neither depend on nor disturb the user's.
os.environ.setdefault("POLICYGEN_CACHE_DIR",
                      str(Path(tempfile.gettempdir()) / f"policygen-test-cache-{os.getuid()}"))

settings.register_profile("default", max_examples=100, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
# CI: the same examples on every run, so that a red build is reproducible and never a roll of
# the dice; new examples are explored locally and, at length, by `make fuzz`.
settings.register_profile("ci", max_examples=100, deadline=None, derandomize=True,
                          database=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fuzz", max_examples=5000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Result]:
    """Run policygen in-process and capture its output."""
    from policygen.cli import main

    def run(*args: str) -> Result:
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse exits for usage errors and --help
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


def run_process(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> Result:
    """Run policygen in a fresh interpreter."""
    proc = subprocess.run([sys.executable, "-m", "policygen", *args], cwd=cwd,
                          capture_output=True, text=True, env=env, timeout=300)
    return Result(proc.returncode, proc.stdout, proc.stderr)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# Tests of these kinds run real programs (LibreOffice, a terminal, killed processes) or many
# generated examples; `make test-fast` leaves them out. New tests of such kinds may also carry
# an explicit @pytest.mark.slow.
_SLOW_WORDS = ("property", "libreoffice", "killed", "two_builds_at_once",
               "examples_agree_across_formats", "same_structure", "in_a_terminal",
               "across_processes", "git_revision")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the slow tests by their names (see _SLOW_WORDS)."""
    for item in items:
        if any(word in item.name for word in _SLOW_WORDS):
            item.add_marker(pytest.mark.slow)

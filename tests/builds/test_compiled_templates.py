"""The compiled code of clause templates, kept in the per-user cache between builds."""

from __future__ import annotations

import shutil
from pathlib import Path

import jinja2
import pytest

from policygen.core import compose, fragments, templating
from tests.builds.test_output_cache import build, contents, setup  # noqa: F401 - a fixture


def test_a_build_that_renders_in_its_own_process_keeps_what_it_compiled(
        cli, setup: dict[str, Path], tmp_path: Path,  # noqa: F811 - the fixture
        monkeypatch: pytest.MonkeyPatch) -> None:
    def new_process() -> None:
        monkeypatch.setattr(templating, "_CODE", {})
        monkeypatch.setattr(templating, "_NEW", {})
        monkeypatch.setattr(compose, "_TEMPLATES", {})
        fragments._MEMORY.clear()

    new_process()
    build(cli, setup, setup["out"])  # --jobs 1: no worker, the build itself renders
    # The next build starts as a new process would, with outputs and fragments gone: every
    # template it renders must come from the stored code.
    new_process()
    for kind in ("outputs", "fragments"):
        shutil.rmtree(setup["cache"] / kind)

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("a template was compiled again")

    monkeypatch.setattr(jinja2.Environment, "compile", refuse)
    build(cli, setup, tmp_path / "again")
    assert contents(tmp_path / "again") == contents(setup["out"])

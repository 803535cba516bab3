"""A build with nothing to do, decided from the stat of what the last such build read."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from policygen.builds import unchanged
from policygen.builds.selection import Selection
from policygen.core import cache, fragments
from tests.builds import two_companies
from tests.conftest import LIB_ONLY


@pytest.fixture
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    monkeypatch.setenv("POLICYGEN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(unchanged, "RACY_SECONDS", 0)  # test files are all just written
    cache.folder.cache_clear()
    fragments._MEMORY.clear()
    yield two_companies(tmp_path)
    cache.folder.cache_clear()
    fragments._MEMORY.clear()


def build(cli, s: dict[str, Path], *extra: str, profiles: tuple[str, ...] = ("first", "second")
          ) -> dict:
    result = cli("build", *(str(s[name]) for name in profiles), "--out", str(s["out"]),
                 *LIB_ONLY, str(s["lib"]), "--format", "json", "--jobs", "1", *extra)
    assert result.code == 0, result.err
    return json.loads(result.out)["results"]


def current(s: dict[str, Path], profiles: tuple[str, ...] = ("first", "second"),
            selection: Selection | None = None) -> bool:
    return unchanged.current([s[name] for name in profiles], s["out"], s["lib"],
                             selection or Selection()) is not None


def refuse_builds(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("the build planned")

    monkeypatch.setattr("policygen.builds.runner.run_build", refuse)


def test_a_build_after_a_build_with_nothing_to_do_plans_nothing(
        cli, setup, monkeypatch: pytest.MonkeyPatch) -> None:
    build(cli, setup)
    assert not current(setup)  # the build wrote: only a build that found nothing records
    planned = build(cli, setup)
    assert planned["built"] == {} and current(setup)
    refuse_builds(monkeypatch)
    assert build(cli, setup) == planned


def _edit_profile(s: dict[str, Path]) -> None:
    s["first"].write_text(s["first"].read_text(encoding="utf-8") + "\n", encoding="utf-8")


def _same_bytes_again(s: dict[str, Path]) -> None:
    """Rewritten with the same bytes and the old mtime: only ctime and the inode tell."""
    info = s["first"].stat()
    data = s["first"].read_bytes()
    s["first"].unlink()
    s["first"].write_bytes(data)
    os.utime(s["first"], ns=(info.st_atime_ns, info.st_mtime_ns))


def _new_clause(s: dict[str, Path]) -> None:
    (s["lib"] / "legal" / "legal.new_one.yaml").write_text("id: legal.new_one\n",
                                                            encoding="utf-8")


def _edit_clause(s: dict[str, Path]) -> None:
    clause = s["lib"] / "legal" / "legal.us_rights.yaml"
    clause.write_text(clause.read_text(encoding="utf-8") + "\n", encoding="utf-8")


def _edit_output(s: dict[str, Path]) -> None:
    output = next(s["out"].rglob("*.md"))
    output.write_text(output.read_text(encoding="utf-8") + "edited\n", encoding="utf-8")


def _delete_output(s: dict[str, Path]) -> None:
    next(s["out"].rglob("*.docx")).unlink()


def _leftover(s: dict[str, Path]) -> None:
    """What a killed build leaves in a company folder."""
    folder = next(p for p in s["out"].iterdir() if p.is_dir())
    (folder / ".employees.de.md.x1y2.tmp").write_text("half", encoding="utf-8")


def _edit_manifest(s: dict[str, Path]) -> None:
    manifest = s["out"] / "manifest.json"
    manifest.write_text(manifest.read_text(encoding="utf-8") + " ", encoding="utf-8")


@pytest.mark.parametrize("change", [
    _edit_profile, _same_bytes_again, _new_clause, _edit_clause, _edit_output,
    _delete_output, _leftover, _edit_manifest])
def test_any_change_to_what_the_build_read_is_seen(
        cli, setup, change: Callable[[dict[str, Path]], None]) -> None:
    build(cli, setup)
    build(cli, setup)
    assert current(setup)
    change(setup)
    assert not current(setup)


def test_another_request_is_another_record(cli, setup, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    build(cli, setup)
    build(cli, setup)
    assert current(setup)
    with monkeypatch.context() as patch:  # the same venv running another checkout
        patch.setattr(unchanged, "PACKAGE_DIR", tmp_path / "other-checkout" / "policygen")
        assert not current(setup)
    assert not current(setup, profiles=("first",))
    assert not current(setup, selection=Selection(languages=("en",)))
    assert unchanged.current([setup["first"], setup["second"]], setup["out"], setup["lib"],
                             Selection(), force=True) is None


def test_a_profile_left_out_whose_file_is_gone_is_seen(cli, setup) -> None:
    """Its outputs are removed by the next build that names only the others."""
    build(cli, setup)
    build(cli, setup, profiles=("first",))
    assert current(setup, profiles=("first",))
    setup["second"].unlink()
    assert not current(setup, profiles=("first",))
    assert build(cli, setup, profiles=("first",))["removed"]


def test_nothing_is_recorded_while_a_file_is_new(cli, setup,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(unchanged, "RACY_SECONDS", 3600)
    build(cli, setup)
    build(cli, setup)
    assert not current(setup)


def test_a_damaged_record_is_not_trusted(cli, setup, tmp_path: Path) -> None:
    build(cli, setup)
    build(cli, setup)
    records = list((tmp_path / "cache" / unchanged.KIND).glob("noop-*"))
    assert len(records) == 1
    for damage in (b"garbage", b"[]", b'[["/", 1, 2]]', json.dumps(
            [[str(setup["first"]), 0, 0, 0, 0]]).encode()):
        records[0].write_bytes(damage)
        assert not current(setup)

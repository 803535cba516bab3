"""Finished outputs kept between builds: copied when every input is the same, never trusted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policygen.builds import output_cache
from policygen.core import cache, fragments
from tests.builds import two_companies
from tests.conftest import LIB_ONLY
from tests.hr.test_branding import png


@pytest.fixture
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    folder = tmp_path / "cache"
    monkeypatch.setenv("POLICYGEN_CACHE_DIR", str(folder))
    cache.folder.cache_clear()
    fragments._MEMORY.clear()
    yield {**two_companies(tmp_path), "cache": folder}
    cache.folder.cache_clear()
    fragments._MEMORY.clear()


def build(cli, s: dict[str, Path], out: Path, *extra: str) -> dict:
    result = cli("build", str(s["first"]), str(s["second"]), "--out", str(out),
                 *LIB_ONLY, str(s["lib"]), "--format", "json", "--jobs", "1", *extra)
    assert result.code == 0, result.err
    return json.loads(result.out)


def contents(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and not p.name.startswith(".")}


def entries(s: dict[str, Path]) -> list[Path]:
    return sorted(p for p in (s["cache"] / output_cache.KIND).glob("*")
                  if not p.name.startswith("."))


def no_library(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if the build loads the clause library (or renders anything)."""
    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("the clause library was loaded")

    monkeypatch.setattr("policygen.core.clauses.load_library", refuse)


def test_a_fresh_folder_gets_the_same_files_copied_without_the_library(
        cli, setup, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rendered = build(cli, setup, setup["out"])
    # two profile entries and the library's selection keys
    assert len(entries(setup)) == 3
    no_library(monkeypatch)
    copied = build(cli, setup, tmp_path / "again")
    assert contents(tmp_path / "again") == contents(setup["out"])  # manifest.json included
    assert copied["results"]["written"] == rendered["results"]["written"]
    assert copied["results"]["warnings"] == rendered["results"]["warnings"]
    assert copied["results"]["readability"] == rendered["results"]["readability"]


def test_any_other_input_is_a_miss(cli, setup, tmp_path: Path) -> None:
    build(cli, setup, setup["out"])
    clause = setup["lib"] / "legal" / "legal.us_rights.yaml"
    clause.write_text(clause.read_text(encoding="utf-8").replace(
        "You may discuss pay", "You may always discuss pay"), encoding="utf-8")
    build(cli, setup, tmp_path / "edited")
    assert "You may always discuss pay" in (
        tmp_path / "edited" / "second-gmbh" / "legal.en.md").read_text(encoding="utf-8")
    # a narrower selection is its own entry, with only its files
    report = build(cli, setup, tmp_path / "markdown", "--format", "md,json")
    written = report["results"]["written"]
    assert written and [name for name in written if not name.endswith(".md")] == []


def test_a_changed_asset_is_a_miss(cli, setup, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    logo = tmp_path / "policies" / "logo.png"
    logo.write_bytes(png(30, 10))
    setup["first"].write_text(setup["first"].read_text(encoding="utf-8")
                              + "branding:\n  logo: logo.png\n", encoding="utf-8")
    build(cli, setup, setup["out"])
    logo.write_bytes(png(30, 10, colour=(200, 30, 30)))
    no_library(monkeypatch)  # the second profile is copied; the first must be rendered
    with pytest.raises(AssertionError, match="clause library was loaded"):
        build(cli, setup, tmp_path / "again")


@pytest.mark.parametrize("damage", ["byte", "cut", "header", "path"])
def test_a_damaged_or_forged_entry_is_a_miss(cli, setup, tmp_path: Path, damage: str) -> None:
    build(cli, setup, setup["out"])
    for entry in entries(setup):
        raw = bytearray(entry.read_bytes())
        if raw[:4] != output_cache.FORMAT:
            continue
        size = int.from_bytes(raw[4:8], "big")
        if damage == "byte":  # one byte of a file
            raw[-10] ^= 0xFF
        elif damage == "cut":
            raw = raw[:-100]
        else:  # a header that names a path outside the company folder, resealed
            header = json.loads(bytes(raw[28:8 + size]))
            if damage == "path":
                header["files"][0][0] = "../escaped.md"
            else:
                header["files"][0][4] += 1
            sealed = cache.seal(json.dumps(header).encode())
            raw = bytearray(raw[:4] + len(sealed).to_bytes(4, "big") + sealed + raw[8 + size:])
        entry.write_bytes(bytes(raw))
    build(cli, setup, tmp_path / "again")
    assert contents(tmp_path / "again") == contents(setup["out"])
    assert not (tmp_path / "escaped.md").exists()


def test_pdf_outputs_are_not_kept() -> None:
    assert output_cache.cacheable({"md", "docx", "html"})
    assert not output_cache.cacheable({"md", "pdf"})


def test_kept_text_round_trips_and_a_forged_size_or_stream_is_a_miss() -> None:
    text = "# Leitfaden\n\nÄußerungen in sozialen Medien.\n".encode() * 200
    packed = output_cache._deflated(text)
    assert len(packed) < len(text) and output_cache._inflated(packed) == text
    claims_too_much = (output_cache.MAX_ENTRY + 1).to_bytes(4, "little") + packed[4:]
    assert output_cache._inflated(claims_too_much) == b""  # refused before allocating
    assert output_cache._inflated(packed[:4] + b"\xff" * 40) == b""
    assert output_cache._inflated(packed[:3]) == b""

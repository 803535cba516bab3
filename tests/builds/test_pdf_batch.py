"""PDFs in a build: one LibreOffice run for the whole build, atomic, recorded, checked.

A stand-in `soffice` (tests/fake_soffice.py) stamps each PDF with the moment and a random id as
LibreOffice does, so these tests also show that builds normalise PDFs to identical bytes.
The real LibreOffice is in tests/writers/test_pdf.py.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from tests import fake_soffice
from tests.conftest import FIXTURE_LIBRARY, FIXTURES, LIB_ONLY, write

MINIMAL = FIXTURES / "profiles" / "minimal.yaml"


@pytest.fixture
def soffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The stand-in LibreOffice first on PATH; returns the log of its runs."""
    fake_soffice.install(tmp_path / "bin")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    log = tmp_path / "soffice.log"
    monkeypatch.setenv("FAKE_SOFFICE_LOG", str(log))
    monkeypatch.delenv("FAKE_SOFFICE_FAIL", raising=False)
    return log


@pytest.fixture
def setup(tmp_path: Path) -> dict[str, Path]:
    text = MINIMAL.read_text(encoding="utf-8").replace(
        "document:\n", "document:\n  formats: [md, pdf]\n", 1)
    first = write(tmp_path / "policies" / "first.yaml",
                  text.replace("name: Minimal GmbH", "name: First GmbH"))
    second = write(tmp_path / "policies" / "second.yaml",
                   text.replace("name: Minimal GmbH", "name: Second GmbH")
                   .replace("[DE]", "[DE, US]"))
    return {"first": first, "second": second, "out": tmp_path / "out"}


def build(cli, s: dict[str, Path], *extra: str, out: Path | None = None, code: int = 0):
    result = cli("build", str(s["first"]), str(s["second"]), "--out", str(out or s["out"]),
                 *LIB_ONLY, str(FIXTURE_LIBRARY), "--format", "json", *extra)
    assert result.code == code, result.err
    return json.loads(result.out)["results"] if code == 0 else result.err


def runs(log: Path) -> list[str]:
    lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    log.unlink(missing_ok=True)
    return lines


def files(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*.*"))
            if p.parent != out}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_build_converts_all_its_pdfs_in_one_run(cli, setup, soffice, jobs: str) -> None:
    report = build(cli, setup, "--jobs", jobs)
    assert runs(soffice) == ["16 pdf"]  # 2 profiles x 8 documents, one LibreOffice start
    written = report["written"]
    assert len(written) == 32 and written[:2] == ["first-gmbh/employees.en.md",
                                                  "first-gmbh/employees.en.pdf"]
    manifest = json.loads((setup["out"] / "manifest.json").read_text(encoding="utf-8"))
    for profile in manifest["profiles"].values():
        for relpath, record in profile["outputs"].items():
            data = (setup["out"] / relpath).read_bytes()
            assert record["size"] == len(data)
            if relpath.endswith(".pdf"):
                assert data.startswith(b"%PDF") and record["format"] == "pdf"
    assert not list(setup["out"].rglob("*.tmp"))


def test_two_builds_give_identical_pdf_bytes(cli, setup, soffice, tmp_path: Path) -> None:
    build(cli, setup, "--jobs", "1")
    build(cli, setup, "--jobs", "2", out=tmp_path / "again")
    first, again = files(setup["out"]), files(tmp_path / "again")
    assert first.keys() == again.keys()
    assert [name for name in first if first[name] != again[name]] == []
    pdf = first["first-gmbh/employees.en.pdf"]
    assert b"/CreationDate(D:20261201000000Z)" in pdf  # the profile's effective date


def test_check_compares_pdfs_by_their_bytes(cli, setup, soffice) -> None:
    build(cli, setup, "--jobs", "1")
    runs(soffice)
    # An edit of the profile's text that changes no output: check renders again, one run
    setup["first"].write_text(setup["first"].read_text(encoding="utf-8") + "# note\n",
                              encoding="utf-8")
    setup["second"].write_text(setup["second"].read_text(encoding="utf-8") + "# note\n",
                               encoding="utf-8")
    check = ("check", str(setup["first"]), str(setup["second"]), "--out", str(setup["out"]),
             *LIB_ONLY, str(FIXTURE_LIBRARY))
    result = cli(*check)
    assert result.code == 0, result.out + result.err
    assert runs(soffice) == ["16 pdf"]
    pdf = setup["out"] / "second-gmbh" / "legal.en.pdf"
    pdf.write_bytes(pdf.read_bytes().replace(b"/Lang(en-US)", b"/Lang(en-GB)"))
    result = cli(*check)
    assert result.code == 1
    assert "second-gmbh/legal.en.pdf" in result.out and "edited" in result.out, result.out


def test_a_failed_conversion_writes_nothing(cli, setup, soffice,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_SOFFICE_FAIL", "9")  # the second profile's second document
    error = build(cli, setup, "--jobs", "2", code=1)
    assert "second.yaml:" in error and "LibreOffice made no PDF of second-gmbh/" in error, error
    assert "source file could not be loaded" in error
    assert not setup["out"].exists() or files(setup["out"]) == {}
    monkeypatch.delenv("FAKE_SOFFICE_FAIL")
    build(cli, setup, "--jobs", "1")
    before = files(setup["out"])
    setup["first"].write_text(setup["first"].read_text(encoding="utf-8").replace(
        "name: First GmbH", "name: First Renamed GmbH"), encoding="utf-8")
    monkeypatch.setenv("FAKE_SOFFICE_FAIL", "0")
    build(cli, setup, "--jobs", "1", code=1)
    assert files(setup["out"]) == before  # the markdown of the edit was not written either
    assert not list(setup["out"].rglob("*.tmp"))


def test_pdf_a_and_plain_profiles_share_a_build(cli, setup, soffice) -> None:
    archive = setup["second"].read_text(encoding="utf-8").replace(
        "  formats: [md, pdf]\n", "  formats: [md, pdf]\n  pdf_archive: true\n")
    setup["second"].write_text(archive, encoding="utf-8")
    build(cli, setup, "--jobs", "1")
    assert sorted(runs(soffice)) == ["8 pdf", "8 pdf/a"]  # one run per set of export options
    pdf = (setup["out"] / "second-gmbh" / "legal.en.pdf").read_bytes()
    assert b"<xmp:CreateDate>2026-12-01T00:00:00Z</xmp:CreateDate>" in pdf
    assert b"/CreationDate(D:20261201000000Z)" in pdf


def test_no_libreoffice_is_located_before_anything_is_rendered(cli, setup, tmp_path: Path,
                                                               monkeypatch) -> None:
    python = tmp_path / "python-only"
    python.mkdir()
    monkeypatch.setenv("PATH", str(python))
    error = build(cli, setup, "--jobs", "1", code=1)
    assert "first.yaml:" in error and "format 'pdf' needs LibreOffice" in error
    assert "second.yaml:" in error
    assert shutil.which("soffice") is None


def _fc_match(folder: Path, family: str) -> None:
    """A stand-in fontconfig that sets Calibri in `family`."""
    program = folder / "fc-match"
    program.write_text(f"#!/bin/sh\nprintf '%s' '{family}'\n", encoding="utf-8")
    program.chmod(0o755)


@pytest.mark.parametrize(("family", "warned"), [("DejaVu Sans", True), ("Carlito", False)])
def test_pdfs_set_in_a_wider_font_than_calibri_are_warned_about(
        cli, soffice: Path, setup, tmp_path: Path, family: str, warned: bool) -> None:
    _fc_match(tmp_path / "bin", family)  # first on PATH, beside the stand-in soffice
    report = build(cli, setup)
    found = [w for w in report["warnings"] if "sets Calibri in" in w["message"]]
    if not warned:
        assert found == []
        return
    (warning,) = found
    assert warning["message"].startswith("LibreOffice sets Calibri in DejaVu Sans here, which "
                                         "is wider")
    assert "fonts-crosextra-carlito" in warning["hint"]
    # at the profile's document.formats, which asks for the PDFs
    assert warning["location"] == f"{setup['first']}:8:12"

"""PDF normalisation: what LibreOffice writes of the moment becomes a function of the input.

The unit tests use PDFs laid out as LibreOffice writes them (tests/fake_soffice.py); the slow
ones convert with the real LibreOffice, twice, and compare the bytes.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import zlib
from pathlib import Path

import pytest

from policygen.writers import pdf
from tests import fake_soffice
from tests.conftest import FIXTURE_LIBRARY, FIXTURES, LIB_ONLY, write

DAY = dt.date(2027, 1, 15)
ONE = dt.datetime(2026, 12, 1, 23, 38, 55, tzinfo=dt.UTC)
TWO = dt.datetime(2026, 12, 2, 8, 1, 7, tzinfo=dt.UTC)


def _objects_where_the_xref_says(data: bytes) -> None:
    """Every xref entry points at its object, startxref at the table."""
    start = int(re.search(rb"startxref\n(\d+)\n%%EOF\n$", data).group(1))  # type: ignore[union-attr]
    assert data[start:start + 5] == b"xref\n"
    count = int(re.match(rb"xref\n0 (\d+)\n", data[start:]).group(1))  # type: ignore[union-attr]
    table = data[start:].split(b"\n", 2)[2]
    for number in range(1, count):
        offset = int(table[number * 20:number * 20 + 10])
        assert data[offset:].startswith(b"%d 0 obj" % number), number


@pytest.mark.parametrize("pdf_a", [False, True])
def test_two_conversions_normalise_to_the_same_bytes(pdf_a: bool) -> None:
    one = fake_soffice.lo_pdf(b"text", when=ONE, pdf_a=pdf_a)
    two = fake_soffice.lo_pdf(b"text", when=TWO, pdf_a=pdf_a)
    assert one != two
    fixed = pdf.normalized(one, DAY)
    assert fixed == pdf.normalized(two, DAY)
    assert pdf.normalized(fixed, DAY) == fixed  # a normalised PDF is a fixed point
    _objects_where_the_xref_says(fixed)
    assert b"/CreationDate(D:20270115000000Z)" in fixed
    assert b"/M(D:20270115000000Z)" in fixed  # dates of annotations too
    assert b"2026" not in fixed
    ident = re.search(rb"/ID \[ <([0-9A-F]{32})>\n<\1> \]", fixed)
    checksum = re.search(rb"/DocChecksum /([0-9A-F]{32})", fixed)
    assert ident and checksum and ident.group(1) == checksum.group(1)
    import hashlib

    before_trailer = fixed[:fixed.rindex(b"trailer\n")]
    assert checksum.group(1).decode() == hashlib.md5(before_trailer).hexdigest().upper()
    # another document gets another id
    other = pdf.normalized(fake_soffice.lo_pdf(b"other", when=ONE, pdf_a=pdf_a), DAY)
    assert re.search(rb"/ID \[ <([0-9A-F]{32})>", other).group(1) != ident.group(1)  # type: ignore[union-attr]


def test_pdf_a_metadata_and_colour_profile_carry_the_effective_date() -> None:
    fixed = pdf.normalized(fake_soffice.lo_pdf(b"text", when=ONE, pdf_a=True), DAY)
    assert b"<xmp:CreateDate>2027-01-15T00:00:00Z</xmp:CreateDate>" in fixed
    uuid = re.search(rb"uuid:([0-9a-f-]{36})", fixed)
    assert uuid and uuid.group(1) != b"00000000-0000-0000-0000-000000000000"
    icc = re.search(rb"7 0 obj\n<</N 3/Length 9 0 R/Filter/FlateDecode>>\nstream\n", fixed)
    length = int(re.search(rb"9 0 obj\n(\d+)\nendobj", fixed).group(1))  # type: ignore[union-attr]
    assert icc
    profile = zlib.decompress(fixed[icc.end():icc.end() + length])
    assert profile[24:36] == bytes([0x07, 0xEB, 0, 1, 0, 15, 0, 0, 0, 0, 0, 0])
    assert fixed[icc.end() + length:].startswith(b"\nendstream")


def test_an_unknown_layout_is_left_as_it_is() -> None:
    original = fake_soffice.lo_pdf(b"text", when=ONE)
    updated = original + b"xref\n0 1\n0000000000 65535 f \ntrailer\n<</Size 6/Prev 9>>\n" \
        b"startxref\n%d\n%%%%EOF\n" % len(original)
    assert pdf.normalized(updated, DAY) == updated
    assert pdf.normalized(b"%PDF-1.7\nnot a pdf", DAY) == b"%PDF-1.7\nnot a pdf"


def test_unchanged_objects_keep_their_bytes() -> None:
    original = fake_soffice.lo_pdf(b"text", when=ONE)
    fixed = pdf.normalized(original, DAY)
    page = re.search(rb"4 0 obj\n.*?endobj\n", original, re.S)
    assert page and page.group(0) in fixed


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.slow
def test_libreoffice_builds_give_byte_identical_pdfs(tmp_path: Path, cli) -> None:
    """Two builds with the real LibreOffice, plain PDF and PDF/A in one build."""
    text = (FIXTURES / "profiles" / "minimal.yaml").read_text(encoding="utf-8").replace(
        "document:\n", "document:\n  formats: [pdf]\n  languages: [en]\n", 1)
    plain = write(tmp_path / "plain.yaml", text.replace("name: Minimal GmbH", "name: Plain"))
    archive = write(tmp_path / "archive.yaml", text.replace(
        "name: Minimal GmbH", "name: Archive").replace("  formats: [pdf]\n",
                                                        "  formats: [pdf]\n  pdf_archive: true\n"))
    outs = [tmp_path / "one", tmp_path / "two"]
    for out in outs:
        result = cli("build", str(plain), str(archive), "--out", str(out), *LIB_ONLY,
                     str(FIXTURE_LIBRARY), "--audience", "employees", "--jobs", "1", "--quiet")
        assert result.code == 0, result.err
    names = sorted(str(p.relative_to(outs[0])) for p in outs[0].rglob("*.pdf"))
    assert len(names) == 6, names
    for name in names:
        first, second = (out / name for out in outs)
        assert first.read_bytes() == second.read_bytes(), name
        info = subprocess.run(["pdfinfo", str(first)], capture_output=True, text=True,
                              check=True)
        assert "CreationDate:    Tue Dec  1 00:00:00 2026 UTC" in info.stdout, info.stdout
        assert info.stderr == "", info.stderr  # poppler reads the rebuilt xref without repair
    archived = (outs[0] / "archive" / "employees.en.pdf").read_bytes()
    assert b"<xmp:CreateDate>2026-12-01T00:00:00Z</xmp:CreateDate>" in archived
    assert b"/OutputIntents" in archived

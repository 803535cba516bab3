"""The deterministic zip writer: segmented parts, CRC-32 combination, reading its zips back."""

from __future__ import annotations

import io
import zipfile
import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policygen.writers.docx import package


@given(st.binary(max_size=2000), st.binary(max_size=70_000))
def test_property_combined_crc_is_the_crc_of_both(first: bytes, second: bytes) -> None:
    assert package.crc32_combine(zlib.crc32(first), zlib.crc32(second), len(second)) == \
        zlib.crc32(first + second)


@given(st.lists(st.binary(max_size=5000), min_size=1, max_size=6))
def test_property_a_segmented_part_is_its_segments_joined(pieces: list[bytes]) -> None:
    part = package.Segmented.of([package.deflate_segment(piece) for piece in pieces])
    whole = b"".join(pieces)
    assert zlib.decompress(part.packed, -15) == whole
    assert (part.crc, part.size) == (zlib.crc32(whole), len(whole))
    data = package.write_zip([("a.xml", b"<a/>"), ("word/document.xml", part)])
    with zipfile.ZipFile(io.BytesIO(data)) as read:
        assert read.testzip() is None and read.read("word/document.xml") == whole


def test_a_segment_replaced_gives_what_a_whole_write_gives() -> None:
    pieces = [b"<w:p>one</w:p>" * 50, b"<w:p>two</w:p>" * 80, b"<w:p>three</w:p>" * 30]
    before = [package.deflate_segment(piece) for piece in pieces]
    changed = [pieces[0], b"<w:p>TWO</w:p>" * 81, pieces[2]]
    spliced = package.Segmented.of([before[0], package.deflate_segment(changed[1]), before[2]])
    whole = package.Segmented.of([package.deflate_segment(piece) for piece in changed])
    assert package.write_zip([("x.xml", spliced)]) == package.write_zip([("x.xml", whole)])


def test_its_own_zips_are_read_back_and_others_are_refused() -> None:
    ours = package.write_zip([("a.xml", b"<a/>" * 100), ("b.xml", b"<b/>")])
    entries = package.read_entries(ours)
    assert [(name, size) for name, _, size, _ in entries] == [("a.xml", 400), ("b.xml", 4)]
    rewritten = package.write_zip([(name, package.Raw(crc, size, packed))
                                   for name, crc, size, packed in entries])
    assert rewritten == ours
    foreign = io.BytesIO()
    with zipfile.ZipFile(foreign, "w", zipfile.ZIP_DEFLATED) as other:
        other.writestr("a.xml", "<a/>")
    for data in (foreign.getvalue(), ours[:-30], ours[:-1] + b"x", b"", ours[10:]):
        with pytest.raises(ValueError):
            package.read_entries(data)


@given(st.integers(min_value=0, max_value=400), st.binary(min_size=1, max_size=4))
def test_property_damaged_zips_raise_only_value_errors(at: int, junk: bytes) -> None:
    ours = package.write_zip([("a.xml", b"<a/>" * 100), ("word/document.xml", b"<b/>" * 50)])
    damaged = ours[:at % len(ours)] + junk + ours[at % len(ours) + len(junk):]
    try:
        package.read_entries(damaged)
    except ValueError:
        pass

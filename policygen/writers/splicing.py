"""New clause bodies written into a file's bytes, at the places its regions say.

The file half of builds/splice.py: a guideline's Markdown, HTML or .docx as a build wrote it,
the regions kept for it (writers/regions.py, kept as plain data: six integers per clause
body in one array, the hyperlinks' targets and ids beside them, three integers per .docx
segment) and the clauses to replace, by their index in the document. The result is the file
a whole write gives, with the regions of the new file; `Refused` when the kept regions do
not fit the file or the new clause does not fit the place (the build then renders).
"""

from __future__ import annotations

import zlib
from array import array
from typing import Any, cast

from policygen.document import Clause
from policygen.writers.docx import package
from policygen.writers.regions import Placed, Regions


class Refused(Exception):
    """The file cannot be re-made this way."""


def check(condition: bool) -> None:
    """Refuse unless the condition holds."""
    if not condition:
        raise Refused


# A file's regions as kept: six integers per clause body in one array (clause, segment, start,
# end, lists, list base), its hyperlinks' targets and ids beside them, three per segment.
_FIELDS = 6


def regions_record(regions: Regions, data_digest: str, fmt: str) -> dict[str, Any]:
    """A writer's regions of a file (with the file's digest and format) as plain data."""
    placed = regions.placed
    return {"digest": data_digest, "format": fmt,
            "ints": array("q", [v for p in placed for v in (
                p.clause, p.segment, p.start, p.end, p.lists, p.list_base)]).tobytes(),
            "urls": tuple(p.urls for p in placed), "links": tuple(p.links for p in placed),
            "segments": array("q", [v for s in regions.segments for v in s]).tobytes(),
            "memo_key": regions.memo_key}


def _kept_record(ints: array[int], urls: tuple[Any, ...], links: tuple[Any, ...],
                 segments: array[int], data_digest: str, fmt: str,
                 memo_key: str) -> dict[str, Any]:
    return {"digest": data_digest, "format": fmt, "ints": ints.tobytes(), "urls": urls,
            "links": links, "segments": segments.tobytes(), "memo_key": memo_key}


def _strings(value: Any) -> tuple[str, ...]:
    check(isinstance(value, tuple) and all(type(v) is str for v in value))
    return cast(tuple[str, ...], value)


def _array(value: Any, width: int) -> array[int]:
    """A kept array of integers, `width` to an item."""
    check(type(value) is bytes and len(value) % (8 * width) == 0)
    out = array("q")
    out.frombytes(value)
    return out


def _columns(regions: dict[str, Any]) -> tuple[array[int], tuple[Any, ...], tuple[Any, ...]]:
    """A kept file's clause bodies: the integers, hyperlinks' targets and ids (checked later)."""
    ints = _array(regions.get("ints"), _FIELDS)
    urls, links = regions.get("urls"), regions.get("links")
    count = len(ints) // _FIELDS
    check(isinstance(urls, tuple) and isinstance(links, tuple) and len(urls) == count
           and len(links) == count)
    assert isinstance(urls, tuple) and isinstance(links, tuple)
    return ints, urls, links


def _text_body(fmt: str, clause: Clause) -> bytes:
    """A clause's blocks as a text format writes them, position-independent."""
    if fmt == "md":
        from policygen.writers import markdown

        return markdown.body(clause).encode("utf-8")
    from policygen.writers import html

    return html.clause_body(clause).encode("utf-8")


def spliced_text(fmt: str, old: bytes, regions: dict[str, Any], new: dict[int, Clause],
                 data_digest: Any) -> tuple[bytes, dict[str, Any]]:
    """A Markdown or HTML file with the new clauses' bodies where the old ones were."""
    ints, urls, links = _columns(regions)
    out, at, copied, shift = [], 0, 0, 0  # at: the end of the last body; copied: of old
    made = array("q", ints)
    seen = 0
    for row in range(0, len(ints), _FIELDS):
        start, end = ints[row + 2], ints[row + 3]
        check(at <= start <= end <= len(old))
        if ints[row] in new:
            text = _text_body(fmt, new[ints[row]])
            out += [old[copied:start], text]
            copied = end
            made[row + 2], made[row + 3] = start + shift, start + shift + len(text)
            shift += len(text) - (end - start)
            seen += 1
        elif shift:
            made[row + 2], made[row + 3] = start + shift, end + shift
        at = end
    check(seen == len(new))
    out.append(old[copied:])
    data = b"".join(out)
    return data, _kept_record(made, urls, links, array("q"), data_digest(data), fmt, "")


def spliced_docx(old: bytes, regions: dict[str, Any], new: dict[int, Clause],
                 reference: Any, locale: str, paper: str,
                 data_digest: Any) -> tuple[bytes, dict[str, Any]]:
    """A .docx with the new clauses' XML where the old ones were; one section deflated again.

    The package is read back (`package.read_entries`: only zips this writer made), its document
    part cut into the kept segments, each segment that holds a new clause inflated, changed
    and deflated again; the other parts and segments are copied as they are.
    """
    from policygen.writers.docx.body import placed_again

    memo_key = regions.get("memo_key")
    if not isinstance(memo_key, str):
        raise Refused
    segments = _array(regions.get("segments"), 3)
    ints, urls, links = _columns(regions)
    try:
        entries = package.read_entries(old)
    except ValueError:
        raise Refused from None
    names = [name for name, *_ in entries]
    check(names.count("word/document.xml") == 1)
    part = names.index("word/document.xml")
    _, crc, size, packed = entries[part]
    check(sum(segments[0::3]) + 2 == len(packed) and packed.endswith(b"\x03\x00")
           and sum(segments[1::3]) == size and min(segments, default=0) >= 0
           and max(segments[2::3], default=0) <= 0xFFFFFFFF)  # CRC-32s
    pieces, offset = [], 0
    for row in range(0, len(segments), 3):
        plen = segments[row]
        pieces.append(package.Deflated(packed[offset:offset + plen], segments[row + 1],
                                       segments[row + 2]))
        offset += plen
    check(package.Segmented.of(pieces).crc == crc)
    changes: dict[int, list[tuple[int, str]]] = {}  # segment -> (row, its new XML)
    for row in range(0, len(ints), _FIELDS):
        if ints[row] not in new:
            continue
        item = row // _FIELDS
        where = Placed(ints[row], ints[row + 1], ints[row + 2], ints[row + 3],
                       _strings(urls[item]), _strings(links[item]), ints[row + 4],
                       ints[row + 5])
        check(where.segment < len(pieces) and len(where.links) == len(where.urls))
        xml = placed_again(new[where.clause], reference, locale, paper, where, memo_key)
        if xml is None:
            raise Refused
        changes.setdefault(where.segment, []).append((row, xml))
    check(sum(len(rows) for rows in changes.values()) == len(new))
    made = array("q", ints)
    for number, replaced in changes.items():
        try:
            raw = zlib.decompressobj(-15).decompress(pieces[number].packed)
            check(len(raw) == pieces[number].size)
            data = raw.decode("utf-8")  # the regions count characters of the text
        except (zlib.error, UnicodeDecodeError):
            raise Refused from None
        xml_of = dict(replaced)
        out, at, copied, shift = [], 0, 0, 0
        for row in range(0, len(ints), _FIELDS):  # the clause bodies of this segment, in order
            if ints[row + 1] != number:
                continue
            start, end = ints[row + 2], ints[row + 3]
            check(at <= start <= end <= len(data))
            xml = xml_of.get(row)
            if xml is not None:
                out += [data[copied:start], xml]
                copied = end
                made[row + 2], made[row + 3] = start + shift, start + shift + len(xml)
                shift += len(xml) - (end - start)
            elif shift:
                made[row + 2], made[row + 3] = start + shift, end + shift
            at = end
        out.append(data[copied:])
        pieces[number] = package.deflate_segment("".join(out).encode("utf-8"))
    document = package.Segmented.of(pieces)
    rebuilt: list[tuple[str, package.Segmented | package.Raw]] = [
        (name, document if index == part else package.Raw(entry_crc, length, data))
        for index, (name, entry_crc, length, data) in enumerate(entries)]
    written = package.write_zip(rebuilt)
    kept = array("q", [v for s in pieces for v in (len(s.packed), s.size, s.crc)])
    return written, _kept_record(made, urls, links, kept, data_digest(written), "docx",
                                 memo_key)



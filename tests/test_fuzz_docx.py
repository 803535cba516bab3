"""Fuzz targets for the two untrusted .docx inputs: a company's template and a reviewed draft.

Hypothesis generates packages from the pieces an attacker or a broken tool would use: odd
entry names (`../`, absolute, backslashes), damaged CRCs, encrypted flags, truncation, XML
with other prefixes, foreign namespaces, DOCTYPEs and entities, ids with quotes, ampersands,
control and bidi characters, huge or missing values. Every template either is refused with
a BrandingError or yields documents that pass every check of tests/test_untrusted_docx.py;
every draft either lists its comments or is a SourceError; through the command line neither
ends in exit 70. Each example runs within tests/time_limit.py's limit (10 s in `make fuzz`).
"""

from __future__ import annotations

import contextlib
import io
import tempfile
import time
from collections import Counter
from pathlib import Path
from xml.sax.saxutils import quoteattr

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policygen.errors import BrandingError, PolicygenError
from policygen.legal.reviewer_comments import read_comments
from policygen.writers.docx.reference import parse_reference
from tests import docx_inputs as make
from tests.time_limit import FUZZ, time_limit
from tests.writers.test_untrusted_docx import check_output

SCALE = 25 if FUZZ else 1
COUNTS: Counter[str] = Counter()
SLOWEST = [0.0]  # seconds of the slowest example, reported at the end
FOREIGN = "urn:example:evil"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
LOCAL_NAMES = ["style", "name", "basedOn", "next", "link", "pPr", "rPr", "pStyle", "rStyle",
               "tblStyle", "numPr", "numId", "ilvl", "abstractNum", "abstractNumId", "num",
               "lvl", "lvlText", "body", "sectPr", "pgSz", "pgMar", "cols", "col", "docGrid",
               "p", "r", "t", "bookmarkStart", "commentRangeStart", "commentRangeEnd",
               "commentReference", "comment", "attachedTemplate", "fldSimple", "instrText",
               "docDefaults", "defaultTabStop", "compat", "font", "embedRegular"]
ATTRIBUTES = ["styleId", "val", "type", "name", "id", "numId", "abstractNumId", "w", "h",
              "top", "left", "right", "bottom", "orient", "instr", "author", "date", "default"]
NASTY = st.sampled_from([
    "Heading1", "heading 1", "Title", "Überschrift 1", "Standard", "Normal", "TableGrid",
    "table", "paragraph", "character", "0", "1", "9101", "-5", "1e9", "99999999999", "x" * 300,
    '"/><w:evil/>', "&", "<", "'", "\u202e", "\u061c", "\x85", "\u2028", "_pg_employees.basics",
    "http://evil.example/t.dotm", "", " ", "portrait", "landscape", "2026-11-30T10:00:00Z"])
VALUES = st.one_of(NASTY, st.text(max_size=40))


def _escape(value: str) -> str:
    """The value as an XML attribute (characters XML cannot hold become '?')."""
    clean = "".join(c if c in "\t\n\r" or (" " <= c <= "\ud7ff") or ("\ue000" <= c <= "\ufffd")
                    else "?" for c in value)
    return quoteattr(clean)


@st.composite
def elements(draw: st.DrawFn, depth: int = 0) -> str:
    """One element with attributes and children, in the w:, another or a foreign prefix."""
    prefix = draw(st.sampled_from(["w", "w", "w", "ns0", "x", "mc"]))
    local = draw(st.sampled_from(LOCAL_NAMES))
    attrs = []
    for _ in range(draw(st.integers(0, 4))):
        attr_prefix = draw(st.sampled_from(["w:", "w:", "", "x:", "r:", "xml:"]))
        attr = draw(st.sampled_from(ATTRIBUTES)) if attr_prefix != "xml:" else "space"
        attrs.append(f" {attr_prefix}{attr}={_escape(draw(VALUES))}")
    if len({a.split('=')[0] for a in attrs}) != len(attrs):
        attrs = attrs[:1]
    inner = ""
    if depth < 4:
        inner = "".join(draw(st.lists(elements(depth + 1), max_size=4)))
    if draw(st.booleans()):
        inner += draw(st.sampled_from(["&e;", "&amp;", "text", "&#27;", "&#x202e;", ""]))
    return f"<{prefix}:{local}{''.join(attrs)}>{inner}</{prefix}:{local}>"


@st.composite
def xml_parts(draw: st.DrawFn, root: str) -> bytes:
    """A part with a root element, maybe a DOCTYPE, other prefixes, foreign namespaces."""
    prefix = draw(st.sampled_from(["w", "w", "ns0"]))
    children = "".join(draw(st.lists(elements(), max_size=8)))
    if prefix != "w":
        children = children.replace("<w:", f"<{prefix}:").replace("</w:", f"</{prefix}:")
    doctype = draw(st.sampled_from(["", "", '<!DOCTYPE x [<!ENTITY e "evil">]>',
                                    '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/hostname">]>',
                                    '<!DOCTYPE x SYSTEM "http://evil.example/x.dtd">']))
    text = (f'{make.DECL}{doctype}<{prefix}:{root} xmlns:{prefix}="{make.W}" '
            f'xmlns:x="{FOREIGN}" xmlns:mc="{MC}" xmlns:r="{make.R}" mc:Ignorable="x">'
            f"{children}</{prefix}:{root}>")
    data = text.encode("utf-8")
    spoil = draw(st.sampled_from(["none"] * 6 + ["latin1", "truncate", "utf16", "garbage"]))
    if spoil == "latin1":
        data = text.encode("utf-8").replace(b"\xc3\x9c", b"\xdc")
    elif spoil == "truncate":
        data = data[:draw(st.integers(0, len(data)))]
    elif spoil == "utf16":
        data = text.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    elif spoil == "garbage":
        data = draw(st.binary(max_size=200))
    return data


PART_ROOTS = {"word/styles.xml": "styles", "word/document.xml": "document",
              "word/numbering.xml": "numbering", "word/settings.xml": "settings",
              "word/fontTable.xml": "fonts", "word/comments.xml": "comments",
              "word/theme/theme1.xml": "theme"}
ODD_NAMES = ["../../evil.txt", "/etc/evil", "word\\..\\evil", "word/vbaProject.bin",
             "word/_rels/settings.xml.rels", "customXml/item1.xml", "word/media/image1.png",
             "[Content_Types].xml", "word/_rels/document.xml.rels", "word/styles.xml"]


@st.composite
def packages(draw: st.DrawFn, base: dict[str, bytes]) -> bytes:
    """A .docx: base parts, some replaced by generated XML, odd entries, damaged headers."""
    parts: dict[str, bytes | str] = dict(base)
    for name in draw(st.lists(st.sampled_from(sorted(PART_ROOTS)), max_size=4, unique=True)):
        parts[name] = draw(xml_parts(PART_ROOTS[name]))
    for name in draw(st.lists(st.sampled_from(sorted(base)), max_size=2, unique=True)):
        if draw(st.booleans()):
            parts.pop(name, None)
    for name in draw(st.lists(st.sampled_from(ODD_NAMES), max_size=3)):
        parts[name] = draw(st.sampled_from([b"evil", '<Relationships xmlns="http://schemas.'
                                            'openxmlformats.org/package/2006/relationships">'
                                            '<Relationship Id="rId1" Type="x" Target="http://'
                                            'evil.example/" TargetMode="External"/>'
                                            "</Relationships>"]))
    data = make.package(parts)
    damage = draw(st.sampled_from(["none"] * 6 + ["crc", "encrypt", "cut", "flip"]))
    names = sorted(parts)  # any entry may be hit
    if damage == "crc" and names:
        data = make.damage_crc(data, draw(st.sampled_from(names)))
    elif damage == "encrypt" and names:
        data = make.encrypt_flag(data, draw(st.sampled_from(names)))
    elif damage == "cut":
        data = data[:draw(st.integers(0, len(data)))]
    elif damage == "flip" and data:
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1:]
    return data


TEMPLATE_BASE = make.bundled_parts()
DRAFT_BASE = {
    "[Content_Types].xml": make.bundled_parts()["[Content_Types].xml"],
    "word/document.xml": (f'{make.DECL}<w:document xmlns:w="{make.W}"><w:body><w:p>'
                          '<w:bookmarkStart w:id="1" w:name="_pg_employees.basics"/>'
                          '<w:commentRangeStart w:id="0"/><w:r><w:t>text</w:t></w:r>'
                          '<w:commentRangeEnd w:id="0"/></w:p></w:body></w:document>').encode(),
    "word/comments.xml": (f'{make.DECL}<w:comments xmlns:w="{make.W}"><w:comment w:id="0" '
                          'w:author="Rita"><w:p><w:r><w:t>ok</w:t></w:r></w:p></w:comment>'
                          "</w:comments>").encode(),
}


@settings(max_examples=60 * SCALE)
@given(packages(TEMPLATE_BASE))
def test_property_generated_templates_are_refused_or_safe(data: bytes) -> None:
    """A template is a located BrandingError, or every document made with it is clean."""
    started = time.monotonic()
    with time_limit():
        try:
            reference = parse_reference(data, "fuzzed.docx")
        except BrandingError as exc:
            assert exc.problems and exc.render().startswith("fuzzed.docx: ")
            COUNTS["templates refused"] += 1
            SLOWEST[0] = max(SLOWEST[0], time.monotonic() - started)
            return
        check_output(reference)
    COUNTS["templates used"] += 1
    SLOWEST[0] = max(SLOWEST[0], time.monotonic() - started)


@settings(max_examples=60 * SCALE)
@given(packages(DRAFT_BASE))
def test_property_generated_drafts_list_comments_or_fail_located(data: bytes) -> None:
    """`policygen comments` on a generated draft: its comments, or a located error; never 70."""
    from policygen.cli import main

    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="policygen-fuzz-") as tmp:
        path = Path(tmp) / "draft.docx"
        path.write_bytes(data)
        with time_limit():
            try:
                found = read_comments(path, "draft.docx", include_own=True)
            except PolicygenError as exc:
                assert exc.render().startswith("draft.docx: ")
                found = None
            err = io.StringIO()
            with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
                for fmt in ("text", "json"):
                    code = main(["comments", str(path), "--format", fmt])
                    assert code in (0, 1), err.getvalue()
        assert "internal error" not in err.getvalue() and "Traceback" not in err.getvalue()
        for comment in found or ():
            for text in (comment.author, comment.clause_id, comment.anchor):
                assert text.isprintable(), text
    COUNTS["drafts read" if found is not None else "drafts refused"] += 1
    SLOWEST[0] = max(SLOWEST[0], time.monotonic() - started)


@pytest.fixture(scope="module", autouse=True)
def _report() -> object:
    yield
    if COUNTS:
        print("\nfuzzed .docx examples: " + ", ".join(f"{k}: {v}" for k, v in sorted(
            COUNTS.items())) + f"; total {sum(COUNTS.values())}; slowest example "
              f"{SLOWEST[0]:.2f} s")

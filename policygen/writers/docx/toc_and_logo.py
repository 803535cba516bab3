"""WordprocessingML for the table of contents, the logo and the field-update setting.

Kept beside writers/docx.py so that the main writer stays a readable walk over the document.
Pure string building; no file I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from policygen.document import Document, Image
from policygen.writers.docx.xml_escape import escape

EMU_PER_CM = 360_000
# The boxes a logo is scaled into, keeping its aspect ratio: (width, height) in EMU.
HEADER_BOX = (4 * EMU_PER_CM, 1 * EMU_PER_CM)
TITLE_BOX = (7 * EMU_PER_CM, 3 * EMU_PER_CM)
LOGO_TARGETS = {"png": "media/logo.png", "jpeg": "media/logo.jpeg"}
CONTENT_TYPES = {"png": "image/png", "jpeg": "image/jpeg"}
LOGO_REL_ID = "rIdLogo"
_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
# Elements of w:settings that must follow w:updateFields (ECMA-376 CT_Settings order).
_AFTER_UPDATE_FIELDS = ("hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars",
                        "rsids", "mathPr", "attachedSchema", "themeFontLang", "clrSchemeMapping",
                        "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures",
                        "forceUpgrade", "captions", "readModeInkLockDown", "smartTagType",
                        "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags",
                        "decimalSymbol", "listSeparator")
_UPDATE_FIELDS = '<w:updateFields w:val="true"/>'


@dataclass(frozen=True)
class TocEntry:
    """One heading as the table of contents lists it."""

    level: int
    number: str
    title: str
    bookmark: str


def toc_entries(document: Document) -> list[TocEntry]:
    """The numbered headings of a guideline, with the bookmark each heading carries."""
    entries = []
    for i, section in enumerate(document.sections, start=1):
        entries.append(TocEntry(1, f"{i}", section.title, f"_Toc_{i}"))
        for j, clause in enumerate(section.clauses, start=1):
            entries.append(TocEntry(2, f"{i}.{j}", clause.title, f"_Toc_{i}_{j}"))
    return entries


def toc(entries: list[TocEntry], styles: dict[int, str]) -> list[str]:
    r"""The paragraphs of a TOC field, pre-filled with the entries.

    Each entry is the heading's number and text, linked to the heading's bookmark. Page numbers
    need a layout, so the pre-filled entries have none: Word rebuilds the whole field, with page
    numbers, on opening (w:updateFields, and the field is marked dirty); LibreOffice shows the
    entries as written. The field starts in the first entry's paragraph and ends in a paragraph
    of its own.
    """
    out = []
    for index, entry in enumerate(entries):
        style = styles.get(entry.level, "")
        ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
        start = ""
        if index == 0:
            start = ('<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
                     '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-2" \\h \\z \\u '
                     '</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>')
        out.append(
            f'<w:p>{ppr}{start}<w:hyperlink w:anchor="{entry.bookmark}" w:history="1">'
            f'<w:r><w:t xml:space="preserve">{escape(entry.number)}</w:t></w:r>'
            f'<w:r><w:tab/></w:r><w:r><w:t xml:space="preserve">{escape(entry.title)}</w:t></w:r>'
            "</w:hyperlink></w:p>")
    out.append('<w:p><w:pPr><w:spacing w:after="0"/></w:pPr>'
               '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')
    return out


def bookmarked(run_xml: str, bookmark: str, bookmark_id: int) -> str:
    """Runs wrapped in a bookmark (the target of a TOC entry)."""
    return (f'<w:bookmarkStart w:id="{bookmark_id}" w:name="{bookmark}"/>{run_xml}'
            f'<w:bookmarkEnd w:id="{bookmark_id}"/>')


def fit(image: Image, box: tuple[int, int]) -> tuple[int, int]:
    """The image's size in EMU: as large as fits the box, keeping the aspect ratio."""
    scale = min(box[0] / image.width, box[1] / image.height)
    return max(int(image.width * scale), 1), max(int(image.height * scale), 1)


def drawing(image: Image, box: tuple[int, int], drawing_id: int) -> str:
    """A run holding the logo as an inline picture that refers to the logo image part."""
    cx, cy = fit(image, box)
    name = escape(image.description or "Logo", {'"': "&quot;"})
    return (
        f'<w:r><w:drawing><wp:inline xmlns:wp="{_WP}" distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:docPr id="{drawing_id}" name="Logo {drawing_id}" descr="{name}"/>'
        f'<wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="{_A}" noChangeAspect="1"/>'
        f'</wp:cNvGraphicFramePr><a:graphic xmlns:a="{_A}">'
        f'<a:graphicData uri="{_PIC}"><pic:pic xmlns:pic="{_PIC}">'
        f'<pic:nvPicPr><pic:cNvPr id="{drawing_id}" name="{LOGO_TARGETS[image.format][6:]}"/>'
        '<pic:cNvPicPr><a:picLocks noChangeAspect="1" noChangeArrowheads="1"/></pic:cNvPicPr>'
        f'</pic:nvPicPr><pic:blipFill><a:blip r:embed="{LOGO_REL_ID}"/>'
        '<a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
        f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>'
        "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>")


def with_update_fields(settings: bytes) -> bytes:
    """The settings part with w:updateFields, so that Word refreshes the TOC on opening."""
    text = settings.decode("utf-8")
    if "<w:updateFields" in text or "<w:settings" not in text:
        return settings
    if re.search(r"<w:settings\b[^>]*/>", text):
        text = re.sub(r"<w:settings\b([^>]*)/>", r"<w:settings\1></w:settings>", text, count=1)
    positions = [m.start() for name in _AFTER_UPDATE_FIELDS
                 for m in [re.search(rf"<w:{name}\b", text)] if m]
    at = min(positions) if positions else text.rfind("</w:settings>")
    return (text[:at] + _UPDATE_FIELDS + text[at:]).encode("utf-8")


def settings_part(parts: tuple[tuple[str, bytes], ...]) -> tuple[tuple[str, bytes], ...]:
    """The reference parts with word/settings.xml carrying w:updateFields."""
    return tuple((name, with_update_fields(data) if name == "word/settings.xml" else data)
                 for name, data in parts)


def logo_parts(logo: Image | None) -> list[tuple[str, bytes]]:
    """The image part and the header's relationship to it (empty without a logo)."""
    if logo is None:
        return []
    target = LOGO_TARGETS[logo.format]
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="{LOGO_REL_ID}" Type="http://schemas.openxmlformats.org/'
            f'officeDocument/2006/relationships/image" Target="{target}"/></Relationships>')
    return [("word/_rels/header1.xml.rels", rels.encode()), (f"word/{target}", logo.data)]


def text_width(section: str) -> int:
    """The width between the margins, in twentieths of a point, from the section properties."""
    def attr(element: str, name: str, default: int) -> int:
        match = re.search(rf'<w:{element}\b[^>]*\bw:{name}="(\d+)"', section)
        return int(match.group(1)) if match else default

    return max(attr("pgSz", "w", 11906) - attr("pgMar", "left", 1247)
               - attr("pgMar", "right", 1247) - attr("pgMar", "gutter", 0), 1440)

"""WordprocessingML for the table of contents, the logo and the draft watermark.

Kept beside writers/docx.py so that the main writer stays a readable walk over the document.
Pure string building; no file I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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
_V = "urn:schemas-microsoft-com:vml"
_O = "urn:schemas-microsoft-com:office:office"
VML_NAMESPACES = f'xmlns:v="{_V}" xmlns:o="{_O}"'


@dataclass(frozen=True)
class TocEntry:
    """One heading as the table of contents lists it."""

    level: int
    number: str
    title: str
    bookmark: str


def toc_entries(document: Document) -> list[TocEntry]:
    """The numbered headings of a guideline, with the bookmark each heading carries."""
    if _LAST and _LAST[0] is document:  # the contents and the heading indents ask in turn
        return list(_LAST[1])
    entries = []
    for i, section in enumerate(document.sections, start=1):
        entries.append(TocEntry(1, f"{i}", section.title, f"_Toc_{i}"))
        for j, clause in enumerate(section.clauses, start=1):
            entries.append(TocEntry(2, f"{i}.{j}", clause.title, f"_Toc_{i}_{j}"))
    _LAST[:] = [document, tuple(entries)]
    return entries


_LAST: list[Any] = []  # the last document asked about and its entries


def toc(entries: list[TocEntry], styles: dict[int, str], run_lang: str = "") -> list[str]:
    r"""The contents: one paragraph per heading, its number, text and page number.

    Each entry links to the heading's bookmark; its page number is a PAGEREF field on that
    bookmark, which LibreOffice computes while laying out the pages (so a PDF made from the
    .docx has page numbers) and Word updates on opening (w:updateFields). The list is not a TOC
    field: LibreOffice would show a TOC field's stored text, which cannot know page numbers.
    """
    rpr = f"<w:rPr>{run_lang}</w:rPr>" if run_lang else ""
    out = []
    for entry in entries:
        style = styles.get(entry.level, "")
        ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
        page = (f'<w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r><w:r>{rpr}<w:instrText '
                f'xml:space="preserve"> PAGEREF {entry.bookmark} \\h </w:instrText></w:r>'
                f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r>'
                f'<w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r>')
        out.append(
            f'<w:p>{ppr}<w:hyperlink w:anchor="{entry.bookmark}" w:history="1">'
            f'<w:r>{rpr}<w:t xml:space="preserve">{escape(entry.number)}</w:t></w:r>'
            f'<w:r>{rpr}<w:tab/></w:r><w:r>{rpr}<w:t xml:space="preserve">{escape(entry.title)}'
            f"</w:t></w:r><w:r>{rpr}<w:tab/></w:r>{page}</w:hyperlink></w:p>")
    return out


def watermark(text: str) -> str:
    """A run with the diagonal, pale text across every page that Word calls a watermark."""
    return (
        '<w:r><w:pict><v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" '
        'adj="10800" path="m@7,l@8,m@5,21600l@6,21600e"><v:path textpathok="t" o:connecttype='
        '"custom"/><v:textpath on="t" fitshape="t"/></v:shapetype>'
        '<v:shape id="PowerPlusWaterMarkObject1" o:spid="_x0000_s1025" type="#_x0000_t136" '
        'style="position:absolute;margin-left:0;margin-top:0;width:430pt;height:110pt;'
        "rotation:315;z-index:-251654144;mso-position-horizontal:center;"
        "mso-position-horizontal-relative:margin;mso-position-vertical:center;"
        'mso-position-vertical-relative:margin" o:allowincell="f" fillcolor="#d9d9d9" '
        f'stroked="f"><v:fill opacity=".5"/><v:textpath style="font-family:&quot;Calibri&quot;;'
        f'font-size:1pt" string="{escape(text, {chr(34): "&quot;"})}"/></v:shape></w:pict></w:r>')


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


def logo_parts(logo: Image | None, headers: int = 1) -> list[tuple[str, bytes]]:
    """The image part and the headers' relationships to it (empty without a logo)."""
    if logo is None:
        return []
    target = LOGO_TARGETS[logo.format]
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="{LOGO_REL_ID}" Type="http://schemas.openxmlformats.org/'
            f'officeDocument/2006/relationships/image" Target="{target}"/></Relationships>')
    return [*((f"word/_rels/header{n}.xml.rels", rels.encode()) for n in range(1, headers + 1)),
            (f"word/{target}", logo.data)]

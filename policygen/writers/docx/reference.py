"""The reference .docx: its styles by name, page setup and the parts a document inherits.

Parsed once from bytes (no file I/O here); a company's own template replaces the bundled one
through `branding.reference_docx`. Style ids are resolved by name once, never per paragraph.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from policygen.errors import BrandingError, Location

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W_NS}}}"
MAX_TOTAL_BYTES = 64 * 1024 * 1024
MAX_RATIO = 200

REQUIRED_STYLES = {
    "title": "Title", "subtitle": "Subtitle", "heading 1": "Heading 1",
    "heading 2": "Heading 2", "list bullet": "List Bullet", "list number": "List Number",
    "header": "Header", "footer": "Footer", "table grid": "Table Grid",
}
OPTIONAL_STYLES = ("toc heading", "toc 1", "toc 2", "review note", "table text", "hyperlink",
                   "normal")
# Parts the writer generates itself; everything else of the reference is copied.
GENERATED = frozenset({
    "[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/_rels/document.xml.rels",
    "word/numbering.xml", "docProps/core.xml", "docProps/app.xml", "word/comments.xml",
})
_DROPPED = re.compile(r"^(word/(header|footer)\d*\.xml|docProps/thumbnail\.\w+|customXml/.*|"
                      r"word/_rels/(header|footer)\d*\.xml\.rels|word/commentsExtended\.xml|"
                      r"word/commentsIds\.xml|word/people\.xml)$")


@dataclass(frozen=True)
class Reference:
    """What a generated document takes from its reference .docx."""

    name: str
    styles: dict[str, str]
    parts: tuple[tuple[str, bytes], ...]
    numbering: bytes
    section: str
    content_types: tuple[tuple[str, str], ...]
    overrides: tuple[tuple[str, str], ...]
    relationships: tuple[tuple[str, str, str], ...]

    def style(self, name: str) -> str | None:
        """The style id of a style name (case-insensitive), or None."""
        return self.styles.get(name.lower())


def parse_reference(data: bytes, name: str) -> Reference:
    """Read a reference .docx from bytes; raise BrandingError if it is unusable."""
    from lxml import etree  # only here: a build with a cached reference does not need it

    where = Location(name)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise BrandingError.at(where, "not a Word document (.docx is a zip archive)",
                               "save the template in Word as 'Word Document (*.docx)'") from None
    total = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos) or 1
    if total > MAX_TOTAL_BYTES or total / packed > MAX_RATIO:
        raise BrandingError.at(where, f"archive expands to {total:,} bytes "
                               f"({total / packed:.0f}x its size); refusing to unpack it",
                               "use an ordinary Word template of a few hundred kilobytes")
    names = {info.filename for info in infos}
    for required in ("word/document.xml", "word/styles.xml", "[Content_Types].xml"):
        if required not in names:
            raise BrandingError.at(where, f"not a Word document: {required} is missing",
                                   "save the template in Word as 'Word Document (*.docx)'")
    try:
        contents = {info.filename: _read(archive, info) for info in infos if not info.is_dir()}
        styles_root = etree.fromstring(contents["word/styles.xml"])
        document_root = etree.fromstring(contents["word/document.xml"])
        types_root = etree.fromstring(contents["[Content_Types].xml"])
        rels_root = etree.fromstring(contents.get("word/_rels/document.xml.rels",
                                                  b"<Relationships xmlns='x'/>"))
    except (etree.XMLSyntaxError, zipfile.BadZipFile, OSError, ValueError) as exc:
        raise BrandingError.at(where, f"damaged Word document: {exc}",
                               "open and save it again in Word") from None
    styles = _style_ids(styles_root)
    missing = [label for key, label in REQUIRED_STYLES.items() if key not in styles]
    if missing:
        raise BrandingError.at(where, f"the template lacks the styles {', '.join(missing)}",
                               "add them in Word (Styles pane), or start from the bundled "
                               "policygen/data/reference.docx")
    kept = tuple(
        (part, content) for part, content in sorted(contents.items())
        if part not in GENERATED and not _DROPPED.match(part)
        and not part.endswith("/") and part != "word/stylesWithEffects.xml"
    )
    kept_names = {part for part, _ in kept}
    return Reference(
        name=name,
        styles=styles,
        parts=kept,
        numbering=contents.get("word/numbering.xml", b""),
        section=_section(document_root),
        content_types=tuple(
            (el.get("Extension", ""), el.get("ContentType", ""))
            for el in types_root if el.tag.endswith("Default")),
        overrides=tuple(
            (el.get("PartName", ""), el.get("ContentType", ""))
            for el in types_root if el.tag.endswith("Override")
            and el.get("PartName", "").lstrip("/") in kept_names),
        relationships=tuple(
            (el.get("Type", ""), el.get("Target", ""), el.get("TargetMode", ""))
            for el in rels_root
            if ("word/" + el.get("Target", "")) in kept_names),
    )


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    with archive.open(info) as handle:
        data = handle.read(info.file_size + 1)
    if len(data) > info.file_size:
        raise ValueError(f"{info.filename} is larger than declared")
    return data


def _style_ids(root: Any) -> dict[str, str]:
    styles: dict[str, str] = {}
    for style in root.iter(f"{_W}style"):
        name = style.find(f"{_W}name")
        style_id = style.get(f"{_W}styleId")
        if name is not None and style_id:
            styles.setdefault(str(name.get(f"{_W}val", "")).lower(), style_id)
    return styles


def _section(root: Any) -> str:
    body = root.find(f"{_W}body")
    sect = body.find(f"{_W}sectPr") if body is not None else None
    if sect is None:
        return ('<w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1417" w:right="1247" '
                'w:bottom="1134" w:left="1247" w:header="709" w:footer="567" w:gutter="0"/>')
    from lxml import etree

    keep = []
    for child in sect:
        local = etree.QName(child).localname
        if local in ("pgSz", "pgMar", "cols", "docGrid"):
            xml = etree.tostring(child, encoding="unicode")
            keep.append(re.sub(r'\sxmlns:\w+="[^"]*"', "", xml))
    return "".join(keep)


BUNDLED = "policygen/data/reference.docx"


def bundled_bytes() -> bytes:
    """The bytes of the reference document that ships with policygen."""
    return resources.files("policygen").joinpath("data/reference.docx").read_bytes()


@cache
def bundled() -> Reference:
    """The reference document that ships with policygen."""
    return parse_reference(bundled_bytes(), BUNDLED)

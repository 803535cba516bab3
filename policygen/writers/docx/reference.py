"""The reference .docx: its styles by name, page setup and the parts a document inherits.

Parsed once from bytes (no file I/O here); a company's own template replaces the bundled one
through `branding.reference_docx`. A template is untrusted: only what a template contributes
is taken from it (styles, numbering, theme, font table, a few settings, page setup, the text
of its header and footer), each
part parsed and re-emitted through a whitelist (untrusted.py) with validated style and
numbering ids. Nothing else of the template (macros, external relationships, custom XML,
other entries) reaches an output, and the relationships and content types of what is kept
are policygen's own. Styles are resolved by name, by their localized name or by Word's
built-in style id; a required style the template lacks gets the bundled definition and a
warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from policygen.errors import BrandingError, Location
from policygen.writers.docx.untrusted import (
    A_NS,
    R_NS,
    W_NS,
    DamagedPackage,
    Package,
    Whitelist,
    children,
    local_name,
    namespace,
    parse_xml,
    quote,
    rebuild,
    serialise,
)

if TYPE_CHECKING:  # lxml only where a .docx is parsed: a reference seen before is cached
    from lxml import etree

_W = f"{{{W_NS}}}"
MAX_TOTAL_BYTES = 64 * 1024 * 1024

REQUIRED_STYLES = {
    "title": "Title", "subtitle": "Subtitle", "heading 1": "Heading 1",
    "heading 2": "Heading 2", "list bullet": "List Bullet", "list number": "List Number",
    "header": "Header", "footer": "Footer", "table grid": "Table Grid",
}
OPTIONAL_STYLES = ("toc heading", "toc 1", "toc 2", "review note", "table text", "hyperlink",
                   "normal", "heading 3")
# Word's built-in style ids (the same in every language version of Word and in LibreOffice's
# export), then the names German Word and LibreOffice give the built-in styles.
BUILTIN_IDS = {
    "normal": ("Normal", "Standard"), "title": ("Title", "Titel"),
    "subtitle": ("Subtitle", "Untertitel"),
    "heading 1": ("Heading1", "berschrift1"), "heading 2": ("Heading2", "berschrift2"),
    "heading 3": ("Heading3", "berschrift3"),
    "list bullet": ("ListBullet", "Aufzhlungszeichen"),
    "list number": ("ListNumber", "Listennummer"),
    "header": ("Header", "Kopfzeile"), "footer": ("Footer", "Fuzeile"),
    "table grid": ("TableGrid", "Tabellenraster"),
    "toc heading": ("TOCHeading", "Inhaltsverzeichnisberschrift"),
    "toc 1": ("TOC1", "Verzeichnis1"), "toc 2": ("TOC2", "Verzeichnis2"),
    "hyperlink": ("Hyperlink", "Link"),
}
LOCALIZED_NAMES = {
    "standard": "normal", "default paragraph style": "normal", "default style": "normal",
    "titel": "title", "untertitel": "subtitle", "überschrift 1": "heading 1",
    "überschrift 2": "heading 2", "überschrift 3": "heading 3",
    "aufzählungszeichen": "list bullet", "listennummer": "list number",
    "kopfzeile": "header", "fußzeile": "footer", "tabellenraster": "table grid",
    "inhaltsverzeichnisüberschrift": "toc heading", "verzeichnis 1": "toc 1",
    "verzeichnis 2": "toc 2", "contents heading": "toc heading", "contents 1": "toc 1",
    "contents 2": "toc 2", "internet link": "hyperlink", "internetlink": "hyperlink",
    "link": "hyperlink", "list bullet 1": "list bullet", "list number 1": "list number",
}
_STYLE_TYPES = {"table grid": "table", "hyperlink": "character"}
# A style id as Word writes it: letters, digits and a few separators; never `"`, `&`, `<`.
STYLE_ID = re.compile(r"[^\W_][\w .\-]{0,99}")
_NUMBER_ID = re.compile(r"[0-9]{1,9}")
_POLICYGEN_NUMBERING = 9100  # body.py's own numbering ids start here
_SETTINGS = frozenset(f"{_W}{name}" for name in (
    "defaultTabStop", "autoHyphenation", "consecutiveHyphenLimit", "hyphenationZone",
    "doNotHyphenateCaps", "evenAndOddHeaders", "mirrorMargins", "characterSpacingControl",
    "compat", "themeFontLang", "clrSchemeMapping", "decimalSymbol", "listSeparator"))
_WORD_RULES = Whitelist({W_NS: "w"}, frozenset({W_NS}), frozenset({W_NS}),
                        drop=frozenset({f"{_W}numPicBullet", f"{_W}lvlPicBulletId",
                                        f"{_W}embedRegular", f"{_W}embedBold",
                                        f"{_W}embedItalic", f"{_W}embedBoldItalic"}))
# What a font table holds (ECMA-376 CT_Font); anything else in it (a stray w:pStyle, a
# paragraph) means nothing there and is dropped.
_FONT_CHILDREN = frozenset(f"{_W}{name}" for name in (
    "altName", "panose1", "charset", "family", "notTrueType", "pitch", "sig"))


def _clean_fonts(root: etree._Element) -> etree._Element:
    """Only w:font entries, each with only the children a font entry has."""
    for child in list(root):
        if child.tag != f"{_W}font":
            root.remove(child)
            continue
        for part in list(child):
            if part.tag not in _FONT_CHILDREN:
                child.remove(part)
    return root


_THEME_RULES = Whitelist({A_NS: "a"}, frozenset({A_NS}), frozenset({""}),
                         drop=frozenset({f"{{{A_NS}}}blip", f"{{{A_NS}}}hlinkClick"}))
_MAIN = "application/vnd.openxmlformats-officedocument"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_KEPT_PARTS = {  # part -> (content type, relationship type)
    "word/styles.xml": (f"{_MAIN}.wordprocessingml.styles+xml", f"{_REL}/styles"),
    "word/settings.xml": (f"{_MAIN}.wordprocessingml.settings+xml", f"{_REL}/settings"),
    "word/fontTable.xml": (f"{_MAIN}.wordprocessingml.fontTable+xml", f"{_REL}/fontTable"),
    "word/theme/theme1.xml": (f"{_MAIN}.theme+xml", f"{_REL}/theme"),
}
_DEFAULT_SECTION = ('<w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1417" w:right="1247" '
                    'w:bottom="1134" w:left="1247" w:header="709" w:footer="567" '
                    'w:gutter="0"/>')
# Page setup: element -> attribute -> what its value may be (schema order of CT_SectPr).
_TWIPS = (0, 31680)
_SIGNED = (-31680, 31680)
_SECTION_ATTRIBUTES: dict[str, dict[str, tuple[int, int] | frozenset[str]]] = {
    "pgSz": {"w": (1, 31680), "h": (1, 31680), "code": (0, 1000),
             "orient": frozenset({"portrait", "landscape"})},
    "pgMar": {"top": _SIGNED, "right": _TWIPS, "bottom": _SIGNED, "left": _TWIPS,
              "header": _TWIPS, "footer": _TWIPS, "gutter": _TWIPS},
    "cols": {"space": _TWIPS, "num": (1, 45),
             "equalWidth": frozenset({"0", "1", "true", "false", "on", "off"}),
             "sep": frozenset({"0", "1", "true", "false", "on", "off"})},
    "docGrid": {"type": frozenset({"default", "lines", "linesAndChars", "snapToChars"}),
                "linePitch": (0, 31680), "charSpace": (-4194304, 4194304)},
}
_COL_ATTRIBUTES: dict[str, tuple[int, int] | frozenset[str]] = {"w": _TWIPS, "space": _TWIPS}


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
    warnings: tuple[tuple[str, str], ...] = field(default=())  # (message, hint)
    header: str = ""  # the template's own header paragraphs, whitelisted (headers.py)
    footer: str = ""  # and its footer's

    def style(self, name: str) -> str | None:
        """The style id of a style name (case-insensitive), or None."""
        return self.styles.get(name.lower())


def parse_reference(data: bytes, name: str) -> Reference:
    """Read a reference .docx from bytes; raise BrandingError if it is unusable."""
    try:
        return _parse(data, name)
    except DamagedPackage as exc:
        message = exc.message
        if not message.startswith(("not a Word", "archive expands", "the archive")):
            message = f"damaged Word document: {message}"
        raise BrandingError.at(Location(name), message, exc.hint) from None


def _parse(data: bytes, name: str) -> Reference:
    package = Package(data)
    for required in ("word/document.xml", "word/styles.xml", "[Content_Types].xml"):
        if required not in package.names:
            raise DamagedPackage(f"not a Word document: {required} is missing",
                                 "save the template in Word as 'Word Document (*.docx)'")

    def xml(part: str) -> etree._Element | None:
        raw = package.read(part)
        return None if raw is None else parse_xml(raw, part)

    document_root = xml("word/document.xml")
    styles_root = xml("word/styles.xml")
    xml("[Content_Types].xml")  # a package whose index is damaged is damaged
    assert document_root is not None and styles_root is not None
    styles_clean = rebuild(styles_root, _WORD_RULES)
    numbering_root = xml("word/numbering.xml")
    numbering_clean = rebuild(numbering_root, _WORD_RULES) if numbering_root is not None \
        else None
    style_ids = _clean_styles(styles_clean)
    num_ids = _clean_numbering(numbering_clean, style_ids) if numbering_clean is not None \
        else set()
    _drop_dangling_numbering(styles_clean, num_ids)
    styles, added = _resolve(styles_clean, fill=name != _BUNDLED_NAME)
    warnings: tuple[tuple[str, str], ...] = ()
    if added:
        warnings = ((f"the template lacks the styles {', '.join(added)}; policygen's own "
                     "definitions are used", "add them in Word (Styles pane) to give them "
                     "the company's look"),)
    parts = {"word/styles.xml": serialise(styles_clean)}
    settings = xml("word/settings.xml")
    if settings is not None:
        parts["word/settings.xml"] = serialise(_clean_settings(settings))
    fonts = xml("word/fontTable.xml")
    if fonts is not None:
        parts["word/fontTable.xml"] = serialise(_clean_fonts(rebuild(fonts, _WORD_RULES)))
    theme_name = next((n for n in sorted(package.names)
                       if re.fullmatch(r"word/theme/theme\d{1,3}\.xml", n)), None)
    if theme_name is not None:
        theme = xml(theme_name)
        assert theme is not None
        parts["word/theme/theme1.xml"] = serialise(rebuild(theme, _THEME_RULES))
    kept = tuple(sorted(parts.items()))
    from policygen.writers.docx.headers import template_parts  # lxml: on a cache miss only

    header, footer = template_parts(package, document_root, style_ids)
    return Reference(
        name=name,
        styles=styles,
        parts=kept,
        numbering=serialise(numbering_clean) if numbering_clean is not None else b"",
        section=_section(document_root),
        content_types=(("xml", "application/xml"),),
        overrides=tuple((f"/{part}", _KEPT_PARTS[part][0]) for part, _ in kept),
        relationships=tuple((_KEPT_PARTS[part][1], part.removeprefix("word/"), "")
                            for part, _ in kept),
        warnings=warnings,
        header=header,
        footer=footer,
    )


def _clean_styles(root: etree._Element) -> set[str]:
    """Drop styles with an unusable or repeated id, and references to styles not kept."""
    ids: set[str] = set()
    for style in children(root, "style"):
        style_id = style.get(f"{_W}styleId", "")
        if not STYLE_ID.fullmatch(style_id) or style_id in ids:
            root.remove(style)
            continue
        ids.add(style_id)
    for style in children(root, "style"):
        for ref in ("basedOn", "next", "link"):
            for element in children(style, ref):
                if element.get(f"{_W}val") not in ids:
                    style.remove(element)
    _drop_unknown_style_references(root, ids)
    return ids


def _drop_unknown_style_references(root: etree._Element, ids: set[str]) -> None:
    for tag in ("pStyle", "rStyle", "tblStyle"):
        for element in list(root.iter(f"{_W}{tag}")):
            if element.get(f"{_W}val") not in ids:
                parent = element.getparent()
                if parent is not None:
                    parent.remove(element)


def _clean_numbering(root: etree._Element, style_ids: set[str]) -> set[str]:
    """Keep abstract and concrete numberings with valid ids below policygen's own range."""
    def valid(value: str | None) -> bool:
        return value is not None and _NUMBER_ID.fullmatch(value) is not None \
            and int(value) < _POLICYGEN_NUMBERING

    abstract: set[str] = set()
    for element in children(root, "abstractNum"):
        value = element.get(f"{_W}abstractNumId")
        if not valid(value) or value in abstract:
            root.remove(element)
        else:
            abstract.add(str(value))
    nums: set[str] = set()
    for element in children(root, "num"):
        value = element.get(f"{_W}numId")
        refs = [a.get(f"{_W}val") for a in children(element, "abstractNumId")]
        if not valid(value) or value in nums or len(refs) != 1 or refs[0] not in abstract:
            root.remove(element)
        else:
            nums.add(str(value))
    for element in list(root.iter(f"{_W}numStyleLink", f"{_W}styleLink")):
        if element.get(f"{_W}val") not in style_ids:
            parent = element.getparent()
            if parent is not None:
                parent.remove(element)
    _drop_unknown_style_references(root, style_ids)
    return nums


def _drop_dangling_numbering(styles: etree._Element, num_ids: set[str]) -> None:
    for num_pr in list(styles.iter(f"{_W}numPr")):
        num = num_pr.find(f"{_W}numId")
        if num is None or num.get(f"{_W}val") not in num_ids:
            parent = num_pr.getparent()
            if parent is not None:
                parent.remove(num_pr)


def _clean_settings(root: etree._Element) -> etree._Element:
    """The settings that shape a document's look; no template, mail merge or protection."""
    clean = rebuild(root, _WORD_RULES)
    for child in list(clean):
        if child.tag not in _SETTINGS:
            clean.remove(child)
    return clean


def _style_table(root: etree._Element) -> dict[str, tuple[str, str]]:
    """Lower-case style name -> (style id, type), first definition wins."""
    table: dict[str, tuple[str, str]] = {}
    for style in children(root, "style"):
        name = style.find(f"{_W}name")
        style_id = style.get(f"{_W}styleId", "")
        if name is not None:
            table.setdefault(str(name.get(f"{_W}val", "")).lower(),
                             (style_id, style.get(f"{_W}type", "paragraph")))
    return table


def _resolve(root: etree._Element, *, fill: bool) -> tuple[dict[str, str], list[str]]:
    """Style name -> id, through names, localized names and built-in ids; fill the gaps."""
    table = _style_table(root)
    by_id = {style_id: kind for style_id, kind in table.values()}
    styles = {name: style_id for name, (style_id, _) in table.items()}
    for name, (style_id, _) in table.items():
        canonical = LOCALIZED_NAMES.get(name)
        if canonical and canonical not in styles:
            styles[canonical] = style_id
    lower_ids = {style_id.lower(): style_id for style_id in by_id}
    for canonical, ids in BUILTIN_IDS.items():
        if canonical in styles:
            continue
        for candidate in ids:
            found = lower_ids.get(candidate.lower())
            if found is not None:
                styles[canonical] = found
                break
    for canonical, kind in _STYLE_TYPES.items():
        typed = styles.get(canonical)
        if typed is not None and by_id.get(typed, kind) != kind:
            del styles[canonical]
    added = []
    if fill:
        for key, label in REQUIRED_STYLES.items():
            if key not in styles:
                styles[key] = _add_bundled_style(root, key, styles, set(by_id))
                by_id[styles[key]] = _STYLE_TYPES.get(key, "paragraph")
                added.append(label)
    return styles, added


def _add_bundled_style(root: etree._Element, key: str, styles: dict[str, str],
                       taken: set[str]) -> str:
    """Copy the bundled definition of a style into the template's styles; its new id."""
    source = _bundled_styles()[key]
    from lxml import etree

    copy = etree.fromstring(etree.tostring(source))
    style_id = copy.get(f"{_W}styleId", "Style")
    while style_id in taken:
        style_id += "PG"
    copy.set(f"{_W}styleId", style_id)
    bundled_names = {sid: name for name, sid in bundled().styles.items()}
    for ref in ("basedOn", "next", "link"):
        for element in children(copy, ref):
            target = styles.get(bundled_names.get(element.get(f"{_W}val", ""), ""))
            if target is None:
                copy.remove(element)
            else:
                element.set(f"{_W}val", target)
    root.append(copy)
    return str(style_id)


def _number(value: str, allowed: tuple[int, int] | frozenset[str]) -> bool:
    if isinstance(allowed, frozenset):
        return value in allowed
    return re.fullmatch(r"-?[0-9]{1,8}", value) is not None \
        and allowed[0] <= int(value) <= allowed[1]


def _section_element(element: etree._Element, local: str,
                     attributes: dict[str, tuple[int, int] | frozenset[str]]) -> str:
    kept = [f'w:{attr}="{value}"' for key, value in element.attrib.items()
            for attr in [local_name(str(key))]
            if namespace(str(key)) == W_NS and attr in attributes
            and _number(str(value), attributes[attr])]
    inner = ""
    if local == "cols":
        inner = "".join(_section_element(col, "col", _COL_ATTRIBUTES)
                        for col in children(element, "col")[:45])
    attrs = (" " + " ".join(kept)) if kept else ""
    return f"<w:{local}{attrs}>{inner}</w:{local}>" if inner else f"<w:{local}{attrs}/>"


def _section(root: etree._Element) -> str:
    """Page size, margins, columns and grid of the template, each value checked."""
    body = root.find(f"{_W}body")
    sect = body.find(f"{_W}sectPr") if body is not None else None
    if sect is None:
        return _DEFAULT_SECTION
    out = []
    for local, attributes in _SECTION_ATTRIBUTES.items():
        element = sect.find(f"{_W}{local}")
        if element is None:
            continue
        xml = _section_element(element, local, attributes)
        if local == "pgSz" and not ('w:w="' in xml and 'w:h="' in xml):
            xml = _DEFAULT_SECTION.split("<w:pgMar")[0]
        out.append(xml)
    if not out or not out[0].startswith("<w:pgSz"):
        out.insert(0, _DEFAULT_SECTION.split("<w:pgMar")[0])
    return "".join(out)


BUNDLED = "policygen/data/reference.docx"
_BUNDLED_NAME = BUNDLED


@cache
def _bundled_data() -> bytes:
    return bundled_bytes()


@cache
def _bundled_styles() -> dict[str, etree._Element]:
    """The bundled template's style elements by lower-case name."""
    root = parse_xml(Package(_bundled_data()).read("word/styles.xml") or b"", "styles")
    out: dict[str, etree._Element] = {}
    for style in children(root, "style"):
        name = style.find(f"{_W}name")
        if name is not None:
            out.setdefault(str(name.get(f"{_W}val", "")).lower(), style)
    return out


def bundled_bytes() -> bytes:
    """The bytes of the reference document that ships with policygen."""
    from pathlib import Path

    return (Path(__file__).resolve().parents[2] / "data" / "reference.docx").read_bytes()


@cache
def bundled() -> Reference:
    """The reference document that ships with policygen."""
    return parse_reference(_bundled_data(), _BUNDLED_NAME)


__all__ = ["BUNDLED", "MAX_TOTAL_BYTES", "R_NS", "Reference", "bundled", "bundled_bytes",
           "parse_reference", "quote"]

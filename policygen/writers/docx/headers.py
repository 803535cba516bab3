"""The company template's own header and footer text, through a strict whitelist.

A template's default header and footer (of its last section) are carried into every document,
above policygen's header line and below its footer line. Only text survives: paragraphs with
their alignment, spacing, indents, tab stops and borders, runs with their fonts, size, colour
and emphasis, text, tabs and breaks. Fields (whose instructions can fetch files or run
macros), pictures, objects, links and everything needing a relationship are dropped, and so are
a field's results. At most MAX_PARAGRAPHS paragraphs and MAX_CHARACTERS characters are kept.
"""

from __future__ import annotations

import posixpath
import re

from lxml import etree

from policygen.writers.docx.untrusted import R_NS, W_NS, Package, is_part_name, parse_xml
from policygen.writers.docx.xml_escape import escape, quoteattr

MAX_PARAGRAPHS = 12
MAX_CHARACTERS = 2000
_W = f"{{{W_NS}}}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# Children kept, in schema order (CT_PPr, CT_RPr), and the attributes they may carry.
_PARAGRAPH = ("pBdr", "shd", "tabs", "spacing", "ind", "jc")
_RUN = ("rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "color", "sz", "szCs",
        "highlight", "u", "vertAlign")
# Runs inside these are not header text: field results, deletions, text boxes, pictures.
_SKIPPED = frozenset({"fldSimple", "del", "moveFrom", "drawing", "pict", "object",
                      "txbxContent", "AlternateContent"})
_BORDERS = ("top", "left", "bottom", "right", "between")
# Attributes kept, each with the form its value must have (what Word would refuse is dropped).
_NUMBER = re.compile(r"-?\d{1,6}")
_WORD = re.compile(r"[A-Za-z0-9]{1,40}")  # enumerations (center, single, true, minorHAnsi)
_COLOUR = re.compile(r"[0-9A-Fa-f]{6}|auto")
_FONT = re.compile(r"[^\x00-\x1f<>&\"]{1,31}")
_ATTRIBUTES = {
    **dict.fromkeys(("sz", "space", "pos", "before", "after", "line", "left", "right",
                     "start", "end", "hanging", "firstLine"), _NUMBER),
    **dict.fromkeys(("val", "leader", "lineRule", "type", "clear", "hint", "themeColor",
                     "beforeAutospacing", "afterAutospacing", "asciiTheme", "hAnsiTheme",
                     "cstheme", "eastAsiaTheme"), _WORD),
    **dict.fromkeys(("color", "fill"), _COLOUR),
    **dict.fromkeys(("ascii", "hAnsi", "cs", "eastAsia"), _FONT),
}
_VALUES = {"sz": _NUMBER, "szCs": _NUMBER, "color": _COLOUR}  # w:val of these elements


def template_parts(package: Package, document: etree._Element, style_ids: set[str]
                   ) -> tuple[str, str]:
    """The whitelisted paragraphs (XML) of the template's default header and footer."""
    rels = package.read("word/_rels/document.xml.rels")
    if rels is None:
        return "", ""
    targets = {}
    for rel in parse_xml(rels, "word/_rels/document.xml.rels"):
        if rel.get("TargetMode") == "External" or rel.tag != f"{_PKG_REL}Relationship":
            continue
        target = posixpath.normpath(posixpath.join("word", rel.get("Target") or ""))
        if is_part_name(target) and target.startswith("word/"):
            targets[rel.get("Id") or ""] = target
    body = document.find(f"{_W}body")
    section = body.find(f"{_W}sectPr") if body is not None else None
    out = []
    for kind in ("header", "footer"):
        reference = None if section is None else next(
            (r for r in section.iterfind(f"{_W}{kind}Reference")
             if r.get(f"{_W}type", "default") == "default"), None)
        part = targets.get(reference.get(f"{{{R_NS}}}id") or "") if reference is not None \
            else None
        raw = package.read(part) if part else None
        out.append("" if raw is None else paragraphs(parse_xml(raw, part or kind), style_ids))
    return out[0], out[1]


def paragraphs(root: etree._Element, style_ids: set[str]) -> str:
    """The kept paragraphs of a header or footer part, as WordprocessingML.

    Each run's properties end in `<w:lang/>`, for the writer to give the document's language.
    """
    kept: list[tuple[str, bool]] = []  # (paragraph, whether it has text)
    budget = MAX_CHARACTERS
    for paragraph in root.iterfind(f"{_W}p"):
        if len(kept) == MAX_PARAGRAPHS or budget <= 0:
            break
        runs, used = _runs(paragraph, budget)
        budget -= used
        kept.append((f"<w:p>{_paragraph_properties(paragraph, style_ids)}{runs}</w:p>",
                     bool(runs)))
    while kept and not kept[-1][1]:
        kept.pop()  # trailing empty paragraphs (Word leaves one) would push policygen's line
    return "".join(xml for xml, _ in kept)


def _attributes(element: etree._Element) -> str:
    out = []
    for key, value in sorted(element.attrib.items()):
        name = str(key).removeprefix(_W)
        form = _ATTRIBUTES.get(name) if str(key).startswith(_W) else None
        if name == "val":
            form = _VALUES.get(etree.QName(element).localname, form)
        if form is not None and form.fullmatch(value):
            out.append(f" w:{name}={quoteattr(value)}")
    return "".join(out)


def _valid(element: etree._Element, kept: str) -> bool:
    """Whether an element keeps the attributes it cannot do without (its val, a tab's pos)."""
    needed = ("val", "pos") if etree.QName(element).localname == "tab" else ("val",)
    return all(f" w:{name}=" in kept for name in needed if element.get(f"{_W}{name}") is not None
               or name == "pos")


def _simple(element: etree._Element) -> str:
    name = etree.QName(element).localname
    if name == "tabs":
        inner = "".join(f"<w:tab{kept}/>" for t in element.iterfind(f"{_W}tab")
                        if _valid(t, kept := _attributes(t)))
        return f"<w:tabs>{inner}</w:tabs>" if inner else ""
    if name == "pBdr":
        inner = "".join(f"<w:{side}{kept}/>" for side in _BORDERS
                        for b in element.iterfind(f"{_W}{side}")
                        if _valid(b, kept := _attributes(b)))
        return f"<w:pBdr>{inner}</w:pBdr>" if inner else ""
    kept = _attributes(element)
    return f"<w:{name}{kept}/>" if _valid(element, kept) else ""


def _paragraph_properties(paragraph: etree._Element, style_ids: set[str]) -> str:
    ppr = paragraph.find(f"{_W}pPr")
    if ppr is None:
        return ""
    out = []
    style = ppr.find(f"{_W}pStyle")
    if style is not None and style.get(f"{_W}val") in style_ids:
        out.append(f"<w:pStyle w:val={quoteattr(style.get(f'{_W}val') or '')}/>")
    for name in _PARAGRAPH:
        found = ppr.find(f"{_W}{name}")
        if found is not None:
            out.append(_simple(found))
    return f"<w:pPr>{''.join(out)}</w:pPr>" if out else ""


def _run_properties(run: etree._Element) -> str:
    rpr = run.find(f"{_W}rPr")
    inner = "" if rpr is None else "".join(
        _simple(found) for name in _RUN if (found := rpr.find(f"{_W}{name}")) is not None)
    return f"<w:rPr>{inner}<w:lang/></w:rPr>"


def _runs(paragraph: etree._Element, budget: int) -> tuple[str, int]:
    """The paragraph's runs (also those inside links and content controls), fields skipped."""
    out = []
    used = 0
    depth = 0  # inside a complex field: its instruction and its result are both dropped
    for run in paragraph.iter(f"{_W}r"):
        if any(etree.QName(a).localname in _SKIPPED for a in run.iterancestors()):
            continue
        pieces = []
        for child in run:
            name = etree.QName(child).localname if isinstance(child.tag, str) else ""
            if name == "fldChar":
                kind = child.get(f"{_W}fldCharType")
                depth += 1 if kind == "begin" else -1 if kind == "end" and depth else 0
            elif depth:
                continue
            elif name == "t" and child.text:
                text = child.text[:max(budget - used, 0)]
                used += len(text)
                pieces.append(f'<w:t xml:space="preserve">{escape(text)}</w:t>')
            elif name in ("tab", "noBreakHyphen", "softHyphen"):
                pieces.append(f"<w:{name}/>")
            elif name in ("br", "cr"):
                kind = child.get(f"{_W}type")
                pieces.append("<w:br/>" if kind not in ("page", "column") else "")
        if pieces:
            out.append(f"<w:r>{_run_properties(run)}{''.join(pieces)}</w:r>")
    return "".join(out), used

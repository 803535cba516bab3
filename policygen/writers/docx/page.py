"""Page setup: the paper of the document's locale, and section properties in schema order.

The reference .docx gives the page design (margins, columns, grid); the locale gives the paper
(`Meta.paper`: A4, or Letter for en-US). A template made for one paper is moved to the other
keeping its text width, so that the styles' tab stops (right-aligned page numbers, contents
leaders) still end at the right margin. Elements of `w:sectPr` are written in the order of
ECMA-376 Part 1, 17.6.17 (CT_SectPr), whatever order the template had them in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PAPERS = {"A4": (11906, 16838), "Letter": (12240, 15840)}  # portrait width, height in twips
# CT_SectPr's children, in schema order (header and footer references come first).
ORDER = ("headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz",
         "pgMar", "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols", "formProt",
         "vAlign", "noEndnote", "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid",
         "printerSettings", "sectPrChange")
_ELEMENT = re.compile(r"<w:(\w+)\b[^>]*?(?:/>|>.*?</w:\1>)", re.S)
_DEFAULT = ('<w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1417" w:right="1247" '
            'w:bottom="1134" w:left="1247" w:header="709" w:footer="567" w:gutter="0"/>')
# header1/footer1 for portrait sections, header2/footer2 (tab stops at the wider text) landscape
_REFERENCES = ('<w:headerReference w:type="default" r:id="rIdHeader{n}"/>'
               '<w:footerReference w:type="default" r:id="rIdFooter{n}"/>')


def _attr(xml: str, name: str, default: int) -> int:
    match = re.search(rf'\bw:{name}="(-?\d+)"', xml)
    return int(match.group(1)) if match else default


def _set(xml: str, name: str, value: int) -> str:
    if re.search(rf'\bw:{name}="', xml):
        return re.sub(rf'\bw:{name}="-?\d+"', f'w:{name}="{value}"', xml, count=1)
    return xml.replace("/>", f' w:{name}="{value}"/>', 1)


@dataclass(frozen=True)
class Page:
    """The page setup of a document: its section's elements by name, on the locale's paper."""

    elements: dict[str, str]

    @classmethod
    def from_reference(cls, section: str, paper: str) -> Page:
        """The template's page setup (its sectPr children) moved onto `paper`."""
        elements = {m.group(1): m.group(0) for m in _ELEMENT.finditer(section or _DEFAULT)}
        for name, default in (m.group(1, 0) for m in _ELEMENT.finditer(_DEFAULT)):
            elements.setdefault(name, default)
        for name in ("headerReference", "footerReference", "titlePg", "type", "sectPrChange"):
            elements.pop(name, None)
        page = cls(elements)
        return page.on_paper(paper) if paper in PAPERS else page

    def on_paper(self, paper: str) -> Page:
        """The same design on another paper size, keeping text width and margins' ratio."""
        size, margins = self.elements["pgSz"], self.elements["pgMar"]
        width, height = _attr(size, "w", 11906), _attr(size, "h", 16838)
        landscape = width > height
        new_w, new_h = PAPERS[paper]
        if landscape:
            new_w, new_h = new_h, new_w
        if (new_w, new_h) == (width, height):
            return self
        # keep the text width: the difference in paper width goes half to each side margin
        side = (new_w - width) // 2
        margins = _set(margins, "left", max(_attr(margins, "left", 1247) + side, 567))
        margins = _set(margins, "right", max(_attr(margins, "right", 1247) + new_w - width - side,
                                             567))
        size = _set(_set(size, "w", new_w), "h", new_h)
        return Page({**self.elements, "pgSz": size, "pgMar": margins})

    def landscape(self) -> Page:
        """The page turned to landscape, margins as they are."""
        size = self.elements["pgSz"]
        width, height = _attr(size, "w", 11906), _attr(size, "h", 16838)
        size = _set(_set(size, "w", max(width, height)), "h", min(width, height))
        size = re.sub(r'\s*w:orient="\w+"', "", size).replace("/>", ' w:orient="landscape"/>', 1)
        return Page({**self.elements, "pgSz": size})

    @property
    def is_landscape(self) -> bool:
        """Whether the page is wider than high."""
        size = self.elements["pgSz"]
        return _attr(size, "w", 11906) > _attr(size, "h", 16838)

    @property
    def text_width(self) -> int:
        """The width between the margins, in twips."""
        size, margins = self.elements["pgSz"], self.elements["pgMar"]
        return max(_attr(size, "w", 11906) - _attr(margins, "left", 1247)
                   - _attr(margins, "right", 1247) - _attr(margins, "gutter", 0), 1440)

    @property
    def text_height(self) -> int:
        """The height between the margins, in twips."""
        size, margins = self.elements["pgSz"], self.elements["pgMar"]
        return max(_attr(size, "h", 16838) - abs(_attr(margins, "top", 1417))
                   - abs(_attr(margins, "bottom", 1134)), 1440)

    def section(self, *, title_page: bool = False, references: bool = True,
                next_page: bool = False) -> str:
        """The `w:sectPr` element, children in schema order."""
        parts = dict(self.elements)
        if references:
            parts["headerReference"] = _REFERENCES.format(n=2 if self.is_landscape else 1)
        if title_page:
            parts["titlePg"] = "<w:titlePg/>"
        if next_page:
            parts["type"] = '<w:type w:val="nextPage"/>'
        return "<w:sectPr>" + "".join(parts[name] for name in ORDER if name in parts) + \
            "</w:sectPr>"

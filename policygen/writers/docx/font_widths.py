"""How wide text is set: the advance widths of the fonts policygen has metrics for.

The table, policygen/data/font_widths.json, is made by tools/make_font_widths.py from the font
files (Carlito, whose widths are Calibri's, so it serves the bundled reference document in Word
and in LibreOffice). It is read once per process. A character the table lacks counts one em;
a font it lacks is measured by `ESTIMATE`, a flat width per character on the wide side of
common text fonts. Measured widths get `MARGIN` on top (docs/layout.md says why).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import repeat
from typing import Any

# A share of the font size per character for a font without metrics: on the wide side for
# Calibri-like fonts (their average is nearer 0.5); bold text is wider.
CHAR_EM = 0.58
BOLD_EM = 0.63
MARGIN = 1.03  # measured widths times this: renderers' rounding, another version of the font
STYLES = ("regular", "bold", "italic", "bold italic")
MIXED = "mixed"  # text in more than one style: the widest glyph of the four, per character


@dataclass(frozen=True, eq=False)  # one per font: compared and hashed by identity
class FontWidths:
    """One font's advance widths per style and character, in font units."""

    name: str  # "" for the estimate
    units_per_em: int
    widths: dict[str, dict[str, int]]  # style (STYLES, MIXED) -> character -> advance width
    missing: dict[str, int]  # style -> the width of a character the table lacks
    margin: float = MARGIN

    def units(self, text: str, style: str = "regular") -> int:
        """The width of text in font units: the sum of its characters' advance widths."""
        return sum(map(self.widths[style].get, text, repeat(self.missing[style])))

    def twips(self, text: str, half_points: int, style: str = "regular") -> int:
        """The width of text set at a size, in twips (an em is half-points x 10), with margin."""
        return self.scaled(self.units(text, style), half_points)

    def scaled(self, units: int, half_points: int) -> int:
        """A width in font units as twips at a size, with the margin."""
        return int(units * half_points * 10 * self.margin / self.units_per_em)


def _estimate() -> FontWidths:
    regular, bold = round(CHAR_EM * 100), round(BOLD_EM * 100)
    missing = {"regular": regular, "italic": regular, "bold": bold, "bold italic": bold,
               MIXED: bold}
    return FontWidths("", 100, {style: {} for style in missing}, missing, margin=1.0)


ESTIMATE = _estimate()


def for_font(name: str | None) -> FontWidths:
    """The widths of a font by the name a document gives it (any case), else `ESTIMATE`."""
    if not name:
        return ESTIMATE
    return _known().get(name.casefold(), ESTIMATE)


@cache
def _known() -> dict[str, FontWidths]:
    """Every name of every font in the table, case-folded -> its widths."""
    data = resources.files("policygen").joinpath("data/font_widths.json").read_text("utf-8")
    fonts: dict[str, Any] = json.loads(data)["fonts"]
    out: dict[str, FontWidths] = {}
    for family, entry in fonts.items():
        per_em = int(entry["units_per_em"])
        widths = {style: _characters(entry["styles"][style]) for style in STYLES}
        mixed = dict(widths["regular"])
        for style in STYLES[1:]:
            for char, width in widths[style].items():
                mixed[char] = max(width, mixed.get(char, 0))
        widths[MIXED] = mixed
        font = FontWidths(family, per_em, widths, dict.fromkeys(widths, per_em))
        for name in entry["names"]:
            out[str(name).casefold()] = font
    return out


def _characters(rows: dict[str, list[int | None]]) -> dict[str, int]:
    """Rows of 16 code points keyed by the first one in hex -> character -> width."""
    out: dict[str, int] = {}
    for start, widths in rows.items():
        base = int(start, 16)
        out.update((chr(base + offset), width) for offset, width in enumerate(widths)
                   if width is not None)
    return out

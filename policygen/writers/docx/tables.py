"""Table column widths from the content, so that no word has to break inside a cell.

Every column is at least as wide as its widest word (measured in the table font's advance
widths, font_widths.py, at the table's font size, plus the cell margins) and shares the rest of
the width in proportion to the typical width of its cells. A matrix (short marks such as "R",
"A, C" under long role names) turns its header text upright, so the role names need no width.
A table whose widest words do not fit the text width is first set one point smaller
(`Layout.half_points`, not below 8 pt); only if it does not fit even so does it go into a
landscape section (`Layout.landscape`), which starts a page of its own and leaves the rest of
the page before it empty.
Pure arithmetic on the document model; the body writer turns the result into WordprocessingML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from policygen.document import Inline
from policygen.writers.docx.font_widths import CHAR_EM, ESTIMATE, MIXED, FontWidths

CELL_MARGINS = 2 * 100  # left + right cell margin of the bundled table style, in twips
_SLACK = 60  # twips, so that a word that exactly fits does not wrap through rounding
SMALLEST_HALF_POINTS = 16  # 8 pt: table text is not set smaller to avoid a landscape page
MATRIX_MARK = 6  # the longest text of a matrix body cell, in characters
# An e-mail or web address should not break at its hyphens: it is one piece (up to a slash).
_ADDRESS = re.compile(r"[^/]+/?")
_WORD = re.compile(r"[^/-]+[/-]?|[/-]")
_SPACE = re.compile(r"[ \t\n]+")
_STYLE = {(False, False): "regular", (True, False): "bold", (False, True): "italic",
          (True, True): "bold italic"}  # (bold, italic) -> font_widths style


@dataclass(frozen=True)
class Layout:
    """The widths of a table's columns, in twips, and how its header is set."""

    widths: tuple[int, ...]
    upright_header: tuple[bool, ...]  # header text turned to read bottom to top
    header_height: int = 0  # twips, the least height of a header with upright text
    landscape: bool = False
    half_points: int = 0  # the table's font size when it is set smaller than its style's


def text(cell: Inline) -> str:
    """The plain text of a cell."""
    return "".join(span.text for span in cell)


def pieces(cell: str) -> list[str]:
    """The pieces of a cell's text that a line cannot break inside.

    Lines break at spaces and after hyphens and slashes (e-mail addresses only at slashes),
    not at non-breaking spaces.
    """
    return [piece for token in _SPACE.split(cell)
            for piece in (_ADDRESS.findall(token) if "@" in token or "://" in token
                          else _WORD.findall(token)) if piece]


def widest_word(cell: str, font: FontWidths = ESTIMATE, style: str = "regular") -> str:
    """The widest piece of a cell's text that a line cannot break inside (see `pieces`)."""
    return max(pieces(cell), key=lambda piece: font.units(piece, style), default="")


def word_width(word: str, half_points: int, style: str = "regular",
               font: FontWidths = ESTIMATE) -> int:
    """The width a word needs in a cell, in twips: its glyphs, cell margins, a little slack."""
    return font.twips(word, half_points, style) + CELL_MARGINS + _SLACK


def cell_style(cell: Inline, column: int, is_header: bool, header_row: bool) -> str:
    """The font style a cell is measured in: font_widths.STYLES, or MIXED for several.

    As the body writer sets it: a header row is bold, and so is the first column of a table
    without one (a key/value table); strong and emphasised spans are bold and italic.
    """
    bold = is_header or (not header_row and column == 0)
    found = {_STYLE[bold or span.strong, span.emphasis] for span in cell} or {_STYLE[bold, False]}
    return found.pop() if len(found) == 1 else MIXED


@lru_cache(maxsize=2_000)
def layout(header: tuple[Inline, ...], rows: tuple[tuple[Inline, ...], ...], available: int,
           landscape_available: int, half_points: int, header_row: bool = True,
           font: FontWidths = ESTIMATE) -> Layout:
    """Column widths that fit the widest word of every cell into `available` twips.

    At the style's size, else one point smaller, else on a landscape page. A table laid out
    before (the same cells, page and font: most tables recur in every company's documents)
    is not measured again.
    """
    heads = tuple(_measure(cell, cell_style(cell, c, header_row, header_row), font)
                  for c, cell in enumerate(header))
    body = tuple(tuple(_measure(row[c], cell_style(row[c], c, False, header_row), font)
                       for row in rows) for c in range(len(header)))
    found = _layout(heads, body, available, landscape_available, half_points, header_row, font)
    smaller = half_points - 2
    if found.landscape and smaller >= SMALLEST_HALF_POINTS:
        small = _layout(heads, body, available, landscape_available, smaller, header_row, font)
        if not small.landscape:
            return replace(small, half_points=smaller)
    return found


@dataclass(frozen=True)
class _Cell:
    """A cell measured once, in font units: its widest unbreakable piece and its whole text."""

    widest: int
    whole: int
    length: int  # characters: a matrix's marks are short


def _measure(cell: Inline, style: str, font: FontWidths) -> _Cell:
    plain = text(cell)
    return _Cell(font.units(widest_word(plain, font, style), style), font.units(plain, style),
                 len(plain))


def _layout(heads: tuple[_Cell, ...], body: tuple[tuple[_Cell, ...], ...], available: int,
            landscape_available: int, half_points: int, header_row: bool,
            font: FontWidths) -> Layout:
    columns = len(heads)
    matrix = header_row and columns > 3 and bool(body and body[0]) and all(
        cell.length <= MATRIX_MARK for column in body[1:] for cell in column)
    upright = tuple(matrix and c > 0 for c in range(columns))
    line = half_points * 10 * 14 // 10  # one line of text, in twips

    def widest(cell: _Cell) -> int:  # as word_width
        return font.scaled(cell.widest, half_points) + CELL_MARGINS + _SLACK

    minimum = []
    typical = []
    longest = []
    for c in range(columns):
        shown = list(body[c]) if upright[c] else [heads[c], *body[c]]
        need = max([widest(cell) for cell in body[c]] or [0])
        need = max(need, 2 * line + CELL_MARGINS) if upright[c] else max(need, widest(heads[c]))
        minimum.append(need)
        lengths = [font.scaled(cell.whole, half_points) for cell in shown]
        typical.append(max(_mean(lengths) if lengths else 0, half_points * 10 * CHAR_EM))
        longest.append(max(lengths or [0]) + CELL_MARGINS)
    height = max((widest(heads[c]) for c in range(columns) if upright[c]), default=0)
    landscape = sum(minimum) > available
    width = landscape_available if landscape else available
    if sum(minimum) >= width:
        return Layout(_scaled(minimum, width), upright, height, landscape)
    if sum(longest) <= width:  # every cell fits on one line: widen in proportion
        return Layout(_scaled([max(a, b) for a, b in zip(longest, minimum, strict=True)],
                              width), upright, height, landscape)
    spare = width - sum(minimum)
    flexible = [0.0 if upright[c] else typical[c] for c in range(columns)]
    total = sum(flexible) or 1.0
    widths = [int(minimum[c] + spare * flexible[c] / total) for c in range(columns)]
    widths[-1] += width - sum(widths)
    return Layout(tuple(widths), upright, height, landscape)


def _mean(counts: list[int]) -> float:
    """statistics.mean of whole numbers, without importing statistics.

    An int quotient is correctly rounded, as the exact mean converted to float is.
    """
    return sum(counts) / len(counts)


def _scaled(widths: list[int] | list[float], total: int) -> tuple[int, ...]:
    factor = total / (sum(widths) or 1)
    out = [int(w * factor) for w in widths]
    out[-1] += total - sum(out)
    return tuple(out)

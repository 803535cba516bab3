"""Table column widths from the content, so that no word has to break inside a cell.

Every column is at least as wide as its longest word (at a conservative character width for the
table's font size, plus the cell margins) and shares the rest of the width in proportion to the
typical length of its cells. A matrix (short marks such as "R", "A, C" under long role names)
turns its header text upright, so the role names need no width. A table whose longest words
do not fit the text width is first set one point smaller (`Layout.half_points`, not below
8 pt); only if it does not fit even so does it go into a landscape section (`Layout.landscape`),
which starts a page of its own and leaves the rest of the page before it empty.
Pure arithmetic on the document model; the body writer turns the result into WordprocessingML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from policygen.document import Inline

# A character's width as a share of the font size, on the wide side for Calibri-like fonts
# (their average is nearer 0.5); bold text is wider.
CHAR_EM = 0.58
BOLD_EM = 0.63
CELL_MARGINS = 2 * 100  # left + right cell margin of the bundled table style, in twips
_SLACK = 60  # twips, so that a word that exactly fits does not wrap through rounding
SMALLEST_HALF_POINTS = 16  # 8 pt: table text is not set smaller to avoid a landscape page
MATRIX_MARK = 6
# An e-mail or web address should not break at its hyphens: it is one piece (up to a slash).
_ADDRESS = re.compile(r"[^/]+/?")  # the longest text of a matrix body cell, in characters


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


def longest_word(cell: str) -> str:
    """The longest piece of a cell's text that a line cannot break inside.

    Lines break at spaces and after hyphens and slashes (e-mail addresses only at slashes),
    not at non-breaking spaces.
    """
    pieces = [piece for token in re.split(r"[ \t\n]+", cell)
              for piece in (_ADDRESS.findall(token) if "@" in token or "://" in token
                            else re.findall(r"[^/-]+[/-]?|[/-]", token)) if piece]
    return max(pieces, key=len, default="")


def word_width(word: str, half_points: int, bold: bool = False) -> int:
    """The width a word needs in a cell, in twips: characters, cell margins, a little slack."""
    em = half_points * 10  # a font's em in twips: half-points x 10
    return int(len(word) * em * (BOLD_EM if bold else CHAR_EM)) + CELL_MARGINS + _SLACK


def layout(header: tuple[Inline, ...], rows: tuple[tuple[Inline, ...], ...], available: int,
           landscape_available: int, half_points: int, header_row: bool = True) -> Layout:
    """Column widths that fit the longest word of every cell into `available` twips.

    At the style's size, else one point smaller, else on a landscape page.
    """
    found = _layout(header, rows, available, landscape_available, half_points, header_row)
    smaller = half_points - 2
    if found.landscape and smaller >= SMALLEST_HALF_POINTS:
        small = _layout(header, rows, available, landscape_available, smaller, header_row)
        if not small.landscape:
            return replace(small, half_points=smaller)
    return found


def _layout(header: tuple[Inline, ...], rows: tuple[tuple[Inline, ...], ...], available: int,
            landscape_available: int, half_points: int, header_row: bool) -> Layout:
    columns = len(header)
    body = [[text(row[c]) for row in rows] for c in range(columns)]
    heads = [text(cell) for cell in header]
    matrix = header_row and columns > 3 and bool(rows) and all(
        len(cell) <= MATRIX_MARK for column in body[1:] for cell in column)
    upright = tuple(matrix and c > 0 for c in range(columns))
    line = half_points * 10 * 14 // 10  # one line of text, in twips
    minimum = []
    typical = []
    for c in range(columns):
        cells = body[c] if upright[c] else [heads[c], *body[c]]
        need = max([word_width(longest_word(cell), half_points) for cell in body[c]] or [0])
        if not upright[c]:
            need = max(need, word_width(longest_word(heads[c]), half_points, bold=header_row))
        else:
            need = max(need, 2 * line + CELL_MARGINS)
        minimum.append(need)
        typical.append(max(_mean([len(cell) for cell in cells]) if cells else 1, 1)
                       * half_points * 10 * CHAR_EM)
    height = max((word_width(longest_word(heads[c]), half_points, bold=True)
                  for c in range(columns) if upright[c]), default=0)
    landscape = sum(minimum) > available
    width = landscape_available if landscape else available
    if sum(minimum) >= width:
        return Layout(_scaled(minimum, width), upright, height, landscape)
    longest = [max([len(cell) for cell in ([] if upright[c] else [heads[c]]) + body[c]] or [1])
               * half_points * 10 * CHAR_EM + CELL_MARGINS for c in range(columns)]
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

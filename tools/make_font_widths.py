"""Write policygen/data/font_widths.json: the advance widths of Carlito, Calibri's metric twin.

The Word writer measures table text with this table (policygen/writers/docx/font_widths.py).
Carlito has the advance widths of Calibri, the bundled reference document's font, so one table
serves both names: Word sets the documents in Calibri, LibreOffice in Carlito.

How it was made (once; again only for a new font or font version):

    python3 -m venv .venv-fonts && .venv-fonts/bin/pip install fonttools
    .venv-fonts/bin/python tools/make_font_widths.py && rm -rf .venv-fonts

fontTools is needed by this script only, never by policygen. The font files are found with
`fc-match` (Debian: fonts-crosextra-carlito, which LibreOffice installs). The table holds the
advance width in font units of every printable character of each of the four styles. The
no-break space and the non-breaking hyphen, which Carlito lacks, get the widths of the glyphs
LibreOffice sets for them. A character outside the table is measured as one em by the writer.
"""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
from pathlib import Path

from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "policygen" / "data" / "font_widths.json"
FONTS = {"Carlito": ("Carlito", "Calibri")}  # family -> the names a document may give it
STYLES = ("Regular", "Bold", "Italic", "Bold Italic")  # as fontconfig names them
ROW = 16  # code points per row of the table
# Not set as a glyph of its own: controls, format characters, surrogates, private use,
# combining marks, line and paragraph separators.
_SKIPPED = frozenset({"Cc", "Cf", "Cs", "Co", "Mn", "Me", "Zl", "Zp"})
# Characters Carlito lacks that LibreOffice sets with another of its glyphs (measured in a PDF
# LibreOffice made): the no-break space as a space, the non-breaking hyphen as a hyphen.
# Calibri's own are as wide.
_SET_AS = {0x00A0: 0x0020, 0x2011: 0x002D}


def font_file(family: str, style: str) -> Path:
    """The file of one style of a family, as fontconfig finds it."""
    found = subprocess.run(["fc-match", "--format=%{file}", f"{family}:style={style}"],
                           capture_output=True, text=True, check=True).stdout.strip()
    named = subprocess.run(["fc-match", "--format=%{family}", f"{family}:style={style}"],
                           capture_output=True, text=True, check=True).stdout
    if family not in named.split(","):
        sys.exit(f"{family} {style} is not installed (fontconfig offers {named})")
    return Path(found)


def advances(path: Path) -> tuple[int, str, dict[int, int]]:
    """Units per em, version, and code point -> advance width of one font file."""
    font = TTFont(str(path), lazy=True)
    metrics = font["hmtx"].metrics
    widths = {code: int(metrics[glyph][0]) for code, glyph in font.getBestCmap().items()
              if code <= 0xFFFF and unicodedata.category(chr(code)) not in _SKIPPED}
    for code, glyph_of in _SET_AS.items():
        if code not in widths and glyph_of in widths:
            widths[code] = widths[glyph_of]
    return int(font["head"].unitsPerEm), str(font["name"].getDebugName(5)), widths


def rows(widths: dict[int, int]) -> dict[str, list[int | None]]:
    """Rows of ROW code points, keyed by the first one in hex; None where the font has none."""
    starts = sorted({code - code % ROW for code in widths})
    return {f"{start:04X}": [widths.get(code) for code in range(start, start + ROW)]
            for start in starts}


def family_table(family: str, names: tuple[str, ...]) -> dict[str, object]:
    """The table of one family: its names, version, units per em, rows per style."""
    read = {style: advances(font_file(family, style)) for style in STYLES}
    units = {per_em for per_em, _, _ in read.values()}
    if len(units) != 1:
        sys.exit(f"{family}: its styles differ in units per em: {sorted(units)}")
    return {"names": list(names), "version": read["Regular"][1].split(";")[0],
            "units_per_em": units.pop(),
            "styles": {style.lower(): rows(widths) for style, (_, _, widths) in read.items()}}


def render(table: dict[str, object]) -> str:
    """The JSON text: one line per row, so that a new font version gives a readable diff."""
    lines = ["{", '  "about": "Advance widths in font units, per style in rows of 16 code points '
             'from the key (hex); made by tools/make_font_widths.py.",', '  "fonts": {']
    for f, (family, entry) in enumerate(table.items()):
        assert isinstance(entry, dict)
        lines.append(f"    {json.dumps(family)}: {{")
        for key in ("names", "version", "units_per_em"):
            lines.append(f"      {json.dumps(key)}: {json.dumps(entry[key])},")
        lines.append('      "styles": {')
        for s, (style, style_rows) in enumerate(entry["styles"].items()):
            lines.append(f"        {json.dumps(style)}: {{")
            lines.append(",\n".join(f"          {json.dumps(start)}: {json.dumps(values)}"
                                    for start, values in style_rows.items()))
            lines.append("        }" + ("," if s < len(entry["styles"]) - 1 else ""))
        lines += ["      }", "    }" + ("," if f < len(table) - 1 else "")]
    lines += ["  }", "}", ""]
    return "\n".join(lines)


def main() -> None:
    """Read the fonts, write the table."""
    table = {family: family_table(family, names) for family, names in FONTS.items()}
    text = render(table)
    json.loads(text)  # well-formed
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)} ({len(text.encode()):,} bytes)")


if __name__ == "__main__":
    main()

"""Text widths from the font's advance widths: the shipped table, the lookup, the fallbacks."""

from __future__ import annotations

import json
import math

import pytest

from policygen.writers.docx import font_widths
from tests.conftest import ROOT

TABLE = json.loads((ROOT / "policygen" / "data" / "font_widths.json").read_text("utf-8"))
CARLITO = TABLE["fonts"]["Carlito"]


def _advance(char: str, style: str = "regular") -> int | None:
    """A character's advance width as the committed table holds it."""
    row = CARLITO["styles"][style].get(f"{ord(char) - ord(char) % 16:04X}")
    return None if row is None else row[ord(char) % 16]


@pytest.mark.parametrize(("char", "style", "units"), [
    # Calibri's advance widths (units per em 2048), as Carlito has them
    ("a", "regular", 981), ("i", "regular", 470), ("m", "regular", 1636), (" ", "regular", 463),
    ("@", "regular", 1831), ("W", "regular", 1822), ("a", "bold", 1011), ("/", "bold", 880),
    ("a", "italic", 1053), ("a", "bold italic", 1081),
])
def test_the_table_holds_the_fonts_advance_widths(char: str, style: str, units: int) -> None:
    calibri = font_widths.for_font("Calibri")
    assert calibri.units_per_em == 2048
    assert calibri.units(char, style) == units == _advance(char, style)


@pytest.mark.parametrize("text", ["data.protection.officer@example-company.example",
                                  "Unternehmenskommunikation", "Größe: 12,5 €", "§\xa087 BetrVG"])
@pytest.mark.parametrize("style", font_widths.STYLES)
def test_a_texts_width_is_the_sum_of_its_characters(text: str, style: str) -> None:
    expected = sum(_advance(char, style) or 0 for char in text)
    assert all(_advance(char, style) for char in text)
    carlito = font_widths.for_font("carlito")
    assert carlito.units(text, style) == expected
    # at 10 pt an em is 200 twips; the margin on top, rounded down
    assert carlito.twips(text, 20, style) == math.floor(expected * 200 * font_widths.MARGIN
                                                        / 2048)


def test_mmmm_at_ten_points() -> None:
    # 4 x 1636 units = 639.1 twips at 10 pt, 658.2 with the margin of 3 %
    assert font_widths.for_font("Calibri").twips("mmmm", 20) == 658


def test_narrow_and_wide_letters_differ_as_they_are_set() -> None:
    calibri = font_widths.for_font("Calibri")
    assert calibri.units("iiii") < calibri.units("mm") < calibri.units("WW")
    assert calibri.units("Wofür", "bold") > calibri.units("Wofür")


def test_a_character_the_font_lacks_counts_one_em() -> None:
    calibri = font_widths.for_font("Calibri")
    for char in ("漢", "\U0001f600", "\u00ad"):  # an ideograph, an emoji, a soft hyphen
        assert _advance(char) is None
        assert calibri.units(char) == 2048
        assert calibri.units(f"a{char}") == 981 + 2048


def test_no_break_space_and_hyphen_are_as_wide_as_space_and_hyphen() -> None:
    calibri = font_widths.for_font("Calibri")
    assert calibri.units("\u00a0") == calibri.units(" ") == 463
    assert calibri.units("\u2011") == calibri.units("-") == 627


def test_mixed_text_takes_the_widest_glyph_of_the_four_styles() -> None:
    calibri = font_widths.for_font("Calibri")
    for char in "aCcEW/ß@":  # some are narrower in bold than in regular
        widths = [calibri.units(char, style) for style in font_widths.STYLES]
        assert calibri.units(char, font_widths.MIXED) == max(widths)
    assert calibri.units("C", "bold") < calibri.units("C")


def test_one_table_serves_both_names_and_any_case() -> None:
    assert font_widths.for_font("Calibri") is font_widths.for_font("CARLITO")
    assert font_widths.for_font("Calibri").name == "Carlito"
    assert CARLITO["names"] == ["Carlito", "Calibri"]


@pytest.mark.parametrize("name", ["Georgia", "Calibri Light", "Aptos", "", None])
def test_a_font_without_metrics_is_estimated(name: str | None) -> None:
    estimate = font_widths.for_font(name)
    assert estimate is font_widths.ESTIMATE
    # 0.58 em per character, 0.63 bold: 10 characters at 10 pt are 1160 and 1260 twips
    assert estimate.twips("x" * 10, 20) == 1160
    assert estimate.twips("x" * 10, 20, "bold") == 1260
    assert estimate.twips("漢" * 10, 20) == 1160

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


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"


def _styles(defaults: str, *styles: str) -> bytes:
    return (f'<w:styles xmlns:w="{W}"><w:docDefaults><w:rPrDefault><w:rPr>{defaults}'
            f"</w:rPr></w:rPrDefault></w:docDefaults>{''.join(styles)}</w:styles>").encode()


def _style(style_id: str, fonts: str = "", based_on: str = "") -> str:
    base = f'<w:basedOn w:val="{based_on}"/>' if based_on else ""
    return f'<w:style w:styleId="{style_id}">{base}<w:rPr>{fonts}</w:rPr></w:style>'


def _theme(minor: str, major: str = "Calibri Light") -> bytes:
    return (f'<a:theme xmlns:a="{A}"><a:themeElements><a:fontScheme name="x">'
            f'<a:majorFont><a:latin typeface="{major}"/></a:majorFont>'
            f'<a:minorFont><a:latin typeface="{minor}"/></a:minorFont>'
            "</a:fontScheme></a:themeElements></a:theme>").encode()


CALIBRI = '<w:rFonts w:ascii="Calibri" w:hAnsi="Calibri"/>'
THEMED = '<w:rFonts w:asciiTheme="minorHAnsi" w:hAnsiTheme="minorHAnsi"/>'


@pytest.mark.parametrize(("styles", "theme", "expected"), [
    (_styles(CALIBRI, _style("TableText", based_on="Normal"), _style("Normal")), b"", "Calibri"),
    # a style's own font, also through basedOn
    (_styles(CALIBRI, _style("TableText", based_on="Base"),
             _style("Base", '<w:rFonts w:ascii="Georgia" w:hAnsi="Georgia"/>')), b"", "Georgia"),
    # theme fonts take precedence over named ones
    (_styles(THEMED), _theme("Calibri"), "Calibri"),
    (_styles(THEMED), _theme("Aptos"), "Aptos"),
    (_styles('<w:rFonts w:ascii="Calibri" w:hAnsi="Calibri" w:asciiTheme="majorHAnsi" '
             'w:hAnsiTheme="majorHAnsi"/>'), _theme("Calibri"), "Calibri Light"),
    (_styles(THEMED), b"", ""),  # a theme font the template has no theme for
    # ASCII and other Latin letters in different fonts: no one font
    (_styles('<w:rFonts w:ascii="Calibri" w:hAnsi="Cambria"/>'), b"", None),
    (_styles(""), b"", None),  # Word's own default, whatever it is
])
def test_the_font_of_table_text_is_read_from_the_styles(styles: bytes, theme: bytes,
                                                        expected: str | None) -> None:
    from policygen.writers.docx import styles as docx_styles

    assert docx_styles.latin_font(styles, theme, ("TableText", "TableGrid")) == expected


def _body_of(parts: dict[str, bytes | str]) -> font_widths.FontWidths:
    from policygen.writers.docx import body, reference
    from tests import docx_inputs

    ref = reference.parse_reference(docx_inputs.template(parts), "acme.docx")
    return body._Body(ref).table_font


def test_the_bundled_design_is_measured_with_calibris_widths() -> None:
    from policygen.writers.docx import body, reference

    assert body._Body(reference.bundled()).table_font is font_widths.for_font("Calibri")


def test_a_template_in_another_font_is_estimated() -> None:
    from tests import docx_inputs

    styles = docx_inputs.bundled_parts()["word/styles.xml"].decode()
    assert _body_of({"word/styles.xml": styles.replace("Calibri", "Georgia")}) \
        is font_widths.ESTIMATE
    # links in another font than the rest of the table text
    link = styles.replace('<w:rPr><w:color w:val="2E75B6"/>',
                          '<w:rPr><w:rFonts w:ascii="Consolas" w:hAnsi="Consolas"/>'
                          '<w:color w:val="2E75B6"/>')
    assert link != styles
    assert _body_of({"word/styles.xml": link}) is font_widths.ESTIMATE
    themed = styles.replace('w:ascii="Calibri" w:hAnsi="Calibri"',
                            'w:asciiTheme="minorHAnsi" w:hAnsiTheme="minorHAnsi"')
    assert themed != styles
    assert _body_of({"word/styles.xml": themed, "word/theme/theme1.xml": _theme("Calibri")}) \
        is font_widths.for_font("Calibri")
    assert _body_of({"word/styles.xml": themed, "word/theme/theme1.xml": _theme("Aptos")}) \
        is font_widths.ESTIMATE

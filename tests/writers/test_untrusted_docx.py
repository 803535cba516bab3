"""Class 1 of docs/security.md: a company's template and a reviewed draft are untrusted .docx.

Each test builds a hostile or damaged file with tests/docx_inputs.py, runs it through the real
parser (and, for templates, the real writer), and checks what reaches the output or the
message: only whitelisted WordprocessingML with policygen's prefixes and valid ids, nothing
external, no macros, no foreign entries; damaged files are located errors.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from policygen.builds import render
from policygen.core import clauses
from policygen.document import Document
from policygen.errors import BrandingError, PolicygenError
from policygen.legal.reviewer_comments import read_comments
from policygen.writers.docx import body
from policygen.writers.docx.reference import STYLE_ID, Reference, bundled, parse_reference
from tests import docx_inputs as make
from tests.conftest import FIXTURE_LIBRARY, FIXTURES

W = make.W
_W = f"{{{W}}}"
MINIMAL = FIXTURES / "profiles" / "minimal.yaml"
# The parts a generated .docx may hold, whatever the template carried.
ALLOWED_PARTS = {
    "[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "docProps/app.xml",
    "word/document.xml", "word/_rels/document.xml.rels", "word/numbering.xml",
    "word/header1.xml", "word/footer1.xml", "word/styles.xml", "word/settings.xml",
    "word/fontTable.xml", "word/theme/theme1.xml", "word/comments.xml",
    "word/_rels/header1.xml.rels", "word/media/logo.png", "word/media/logo.jpeg",
}
ALLOWED_NAMESPACES = {
    W, "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://schemas.openxmlformats.org/drawingml/2006/main",
    "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "http://schemas.openxmlformats.org/package/2006/relationships",
    "http://schemas.openxmlformats.org/package/2006/content-types",
    "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "http://purl.org/dc/elements/1.1/", "http://purl.org/dc/terms/",
    "http://purl.org/dc/dcmitype/", "http://www.w3.org/2001/XMLSchema-instance",
    "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
    "http://www.w3.org/XML/1998/namespace",
    # policygen's own draft watermark (VML text path in the header), never the template's
    "urn:schemas-microsoft-com:vml", "urn:schemas-microsoft-com:office:office",
}


def _document() -> Document:
    library = clauses.load_library(FIXTURE_LIBRARY)
    profile = render.load_profiles([MINIMAL])[0]
    from policygen.core import editions, select

    assembly = select.select(library, profile, "employees")
    return next(doc for name, doc in editions.documents(library, assembly, profile, "en")
                if name == "employees")


DOCUMENT = _document()


def check_output(reference: Reference) -> dict[str, bytes]:
    """Write a guideline with the reference and check every property of the package."""
    data = body.write(DOCUMENT, reference)
    archive = zipfile.ZipFile(io.BytesIO(data))
    parts = {name: archive.read(name) for name in archive.namelist()}
    assert set(parts) <= ALLOWED_PARTS, sorted(set(parts) - ALLOWED_PARTS)
    styles_root = etree.fromstring(parts["word/styles.xml"])
    ids = {s.get(f"{_W}styleId") for s in styles_root.iter(f"{_W}style")}
    for name, raw in parts.items():
        if not name.endswith((".xml", ".rels")):
            continue
        assert b"<!DOCTYPE" not in raw and b"<!ENTITY" not in raw, name
        root = etree.fromstring(raw)  # well-formed, or this raises
        for element in root.iter():
            if not isinstance(element.tag, str):
                continue
            assert etree.QName(element).namespace in ALLOWED_NAMESPACES, (name, element.tag)
            for key in element.attrib:
                assert (etree.QName(key).namespace or "") in ALLOWED_NAMESPACES | {""}, key
        for prefix, uri in root.nsmap.items():
            if uri == W:
                assert prefix == "w", (name, prefix)
        for tag in ("pStyle", "rStyle", "tblStyle"):
            for element in root.iter(f"{_W}{tag}"):
                value = element.get(f"{_W}val")
                assert value in ids and STYLE_ID.fullmatch(value), (name, value)
    rels = etree.fromstring(parts["word/_rels/document.xml.rels"])
    for rel in rels:
        if rel.get("TargetMode") == "External":
            assert rel.get("Type", "").endswith("/hyperlink"), etree.tostring(rel)
        else:
            assert "word/" + rel.get("Target", "") in parts, rel.get("Target")
    assert b"INCLUDEPICTURE" not in parts["word/document.xml"]
    assert b"evil" not in data
    return parts


def test_the_bundled_reference_passes_the_checks() -> None:
    check_output(bundled())


def test_a_style_id_cannot_inject_markup_into_every_document() -> None:
    injected = ('Heading1&quot;/&gt;&lt;/w:pPr&gt;&lt;w:fldSimple w:instr=&quot;INCLUDEPICTURE '
                'http://evil.example/x.png&quot;/&gt;&lt;w:pPr&gt;&lt;w:pStyle w:val=&quot;x')
    ref = parse_reference(make.template({"word/styles.xml": make.styles(
        *make.every_style(**{"heading 1": injected}))}), "corporate.docx")
    parts = check_output(ref)
    assert ref.style("heading 1") != injected and STYLE_ID.fullmatch(ref.style("heading 1") or "")
    assert ref.warnings and "Heading 1" in ref.warnings[0][0]
    assert b"fldSimple" not in parts["word/styles.xml"]


def test_an_ampersand_in_a_style_id_is_dropped_not_pasted() -> None:
    ref = parse_reference(make.template({"word/styles.xml": make.styles(
        *make.every_style(**{"Title": "Tit&amp;le"}))}), "corporate.docx")
    check_output(ref)
    assert ref.style("title") != "Tit&le"


def test_external_relationships_macros_and_foreign_entries_are_dropped() -> None:
    settings_rels = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                     'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats'
                     '.org/officeDocument/2006/relationships/attachedTemplate" '
                     'Target="http://evil.example/t.dotm" TargetMode="External"/></Relationships>')
    settings = (f'{make.DECL}<w:settings xmlns:w="{W}" xmlns:r="{make.R}">'
                '<w:attachedTemplate r:id="rId1"/><w:defaultTabStop w:val="720"/>'
                '<w:documentProtection w:edit="readOnly" w:enforcement="1"/></w:settings>')
    ref = parse_reference(make.template({
        "word/settings.xml": settings,
        "word/_rels/settings.xml.rels": settings_rels,
        "word/vbaProject.bin": b"evil macro",
        "word/_rels/vbaProject.bin.rels": "evil",
        "../../evil.txt": "evil",
        "/etc/evil": "evil",
        "customXml/item1.xml": "<evil/>",
        "word/media/evil.png": b"evil",
    }), "corporate.docx")
    parts = check_output(ref)
    assert b"attachedTemplate" not in parts["word/settings.xml"]
    assert b"documentProtection" not in parts["word/settings.xml"]
    assert b"defaultTabStop" in parts["word/settings.xml"]


def test_a_font_table_keeps_only_font_entries() -> None:
    """A style reference or a paragraph in the font table means nothing there (found by
    `make fuzz`: a w:pStyle without a value reached every output's font table)."""
    fonts = (f'{make.DECL}<w:fonts xmlns:w="{W}"><w:pStyle/><w:p><w:r><w:t>x</w:t></w:r></w:p>'
             '<w:font w:name="Georgia"><w:family w:val="roman"/><w:pStyle w:val="Title"/>'
             "</w:font></w:fonts>")
    ref = parse_reference(make.template({"word/fontTable.xml": fonts}), "corporate.docx")
    parts = check_output(ref)
    table = etree.fromstring(parts["word/fontTable.xml"])
    assert [etree.QName(child).localname for child in table] == ["font"]
    assert [etree.QName(child).localname for child in table[0]] == ["family"]


def test_a_doctype_and_entities_never_reach_an_output() -> None:
    styles = make.styles(*make.every_style()).replace(
        make.DECL, make.DECL + '<!DOCTYPE w:styles [<!ENTITY e "evil">]>\n')
    styles = styles.replace('<w:name w:val="Title"/>', '<w:name w:val="Title"/><w:aliases '
                            'w:val="&e;"/>')
    ref = parse_reference(make.template({"word/styles.xml": styles}), "corporate.docx")
    check_output(ref)


def test_external_entities_are_not_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("evil secret", encoding="utf-8")
    styles = make.styles(*make.every_style()).replace(
        make.DECL, make.DECL + f'<!DOCTYPE w:styles [<!ENTITY x SYSTEM "file://{secret}">]>\n')
    styles = styles.replace('<w:name w:val="Title"/>', '<w:name w:val="Title"/><w:aliases '
                            'w:val="&x;"/>')
    with pytest.raises(BrandingError) as info:  # refused where it stands, never read
        parse_reference(make.template({"word/styles.xml": styles}), "corporate.docx")
    assert "external entity 'x'" in info.value.render() and "evil" not in info.value.render()
    text = styles.replace('w:val="&x;"', 'w:val="x"').replace("</w:styles>",
                                                           "<w:style>&x;</w:style></w:styles>")
    ref = parse_reference(make.template({"word/styles.xml": text}), "corporate.docx")
    assert b"secret" not in b"".join(data for _, data in ref.parts)
    check_output(ref)


def test_another_prefix_and_foreign_attributes_give_well_formed_output() -> None:
    foreign = ' xmlns:x="urn:evil" xmlns:mc="http://schemas.openxmlformats.org/markup-' \
              'compatibility/2006" mc:Ignorable="x"'
    styles = make.styles(*make.every_style(), prefix="ns0", extra=foreign)
    styles = styles.replace('<ns0:style ', '<ns0:style x:evil="1" ', 1)
    styles = styles.replace("</ns0:styles>", "<x:evil><ns0:style/></x:evil></ns0:styles>")
    ref = parse_reference(make.template({"word/styles.xml": styles}), "corporate.docx")
    parts = check_output(ref)
    assert ref.style("heading 1") == "Heading1"
    assert b"urn:evil" not in parts["word/styles.xml"]
    assert b"Ignorable" not in parts["word/styles.xml"]


def test_numbering_ids_are_validated() -> None:
    numbering = (f'{make.DECL}<w:numbering xmlns:w="{W}">'
                 '<w:abstractNum w:abstractNumId="1&quot;/&gt;"><w:lvl w:ilvl="0"/></w:abstractNum>'
                 '<w:abstractNum w:abstractNumId="9101"><w:lvl w:ilvl="0"/></w:abstractNum>'
                 '<w:abstractNum w:abstractNumId="3"><w:lvl w:ilvl="0"><w:pStyle w:val="Nope"/>'
                 '</w:lvl></w:abstractNum>'
                 '<w:num w:numId="x"><w:abstractNumId w:val="3"/></w:num>'
                 '<w:num w:numId="4"><w:abstractNumId w:val="3"/></w:num>'
                 '<w:num w:numId="5"><w:abstractNumId w:val="77"/></w:num></w:numbering>')
    ref = parse_reference(make.template({"word/numbering.xml": numbering}), "corporate.docx")
    parts = check_output(ref)
    root = etree.fromstring(parts["word/numbering.xml"])
    abstract = [a.get(f"{_W}abstractNumId") for a in root.iter(f"{_W}abstractNum")]
    nums = [n.get(f"{_W}numId") for n in root.iter(f"{_W}num")]
    assert len(abstract) == len(set(abstract)) and len(nums) == len(set(nums))
    assert "3" in abstract and "4" in nums and "5" not in nums and "x" not in nums
    assert all(re.fullmatch(r"[0-9]+", value or "") for value in abstract + nums)


def test_page_setup_values_are_checked() -> None:
    document = (f'{make.DECL}<w:document xmlns:w="{W}"><w:body><w:sectPr>'
                '<w:docGrid w:linePitch="360"/><w:pgMar w:top="1440" w:left="1e9" '
                'w:right="&quot;/&gt;&lt;w:evil/&gt;" w:bottom="1440"/>'
                '<w:pgSz w:w="12240" w:h="15840" w:orient="evil"/></w:sectPr></w:body>'
                "</w:document>")
    ref = parse_reference(make.template({"word/document.xml": document}), "corporate.docx")
    assert ref.section == ('<w:pgSz w:w="12240" w:h="15840"/><w:pgMar w:top="1440" '
                           'w:bottom="1440"/><w:docGrid w:linePitch="360"/>')
    check_output(ref)


@pytest.mark.parametrize(("spoil", "message"), [
    (lambda d: make.damage_crc(d, "word/styles.xml"),
     "corporate.docx: damaged Word document: word/styles.xml is damaged (bad CRC)"),
    (lambda d: make.encrypt_flag(d, "word/styles.xml"),
     "corporate.docx: damaged Word document: word/styles.xml is encrypted"),
])
def test_damaged_entries_are_located_errors(spoil, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(BrandingError) as info:
        parse_reference(spoil(make.template()), "corporate.docx")
    assert info.value.render().split("\n")[0] == message


def test_non_utf8_parts_are_located_errors() -> None:
    settings = (f'<?xml version="1.0" encoding="UTF-8"?><w:settings xmlns:w="{W}">'
                '<w:decimalSymbol w:val="\xe4"/></w:settings>').encode("latin-1")
    with pytest.raises(BrandingError) as info:
        parse_reference(make.template({"word/settings.xml": settings}), "corporate.docx")
    assert info.value.render().split("\n")[0] == (
        "corporate.docx: damaged Word document: word/settings.xml is not UTF-8 text "
        "(byte 0xe4 at offset 145)")
    declared = (f'<?xml version="1.0" encoding="ISO-8859-1"?><w:settings xmlns:w="{W}"/>')
    with pytest.raises(BrandingError, match="word/settings.xml is encoded as ISO-8859-1"):
        parse_reference(make.template({"word/settings.xml": declared}), "corporate.docx")


def test_a_template_without_some_styles_gets_the_bundled_ones_with_a_warning() -> None:
    libreoffice = make.styles(  # as LibreOffice writes a template: no List Bullet, Table Grid
        make.style("Normal", "Normal"), make.style("Title", "Title"),
        make.style("Subtitle", "Subtitle"), make.style("Heading1", "Heading 1"),
        make.style("Heading2", "Heading 2"), make.style("Header", "Header"),
        make.style("Footer", "Footer"))
    ref = parse_reference(make.template({"word/styles.xml": libreoffice}), "lo.docx")
    assert ref.warnings == (("the template lacks the styles List Bullet, List Number, Table "
                             "Grid; policygen's own definitions are used",
                             "add them in Word (Styles pane) to give them the company's look"),)
    assert ref.style("table grid") == "TableGrid" and ref.style("list bullet") == "ListBullet"
    parts = check_output(ref)
    root = etree.fromstring(parts["word/styles.xml"])
    grid = next(s for s in root.iter(f"{_W}style") if s.get(f"{_W}styleId") == "TableGrid")
    assert grid.get(f"{_W}type") == "table"


def test_german_style_names_resolve_through_the_built_in_ids() -> None:
    german = make.styles(
        make.style("Standard", "Standard"), make.style("Titel", "Titel"),
        make.style("Untertitel", "Untertitel"), make.style("berschrift1", "Überschrift 1"),
        make.style("berschrift2", "Überschrift 2"),
        make.style("Aufzhlungszeichen", "Aufzählungszeichen"),
        make.style("Listennummer", "Listennummer"), make.style("Kopfzeile", "Kopfzeile"),
        make.style("Fuzeile", "Fußzeile"), make.style("Tabellenraster", "Tabellenraster",
                                                      "table"))
    ref = parse_reference(make.template({"word/styles.xml": german}), "vorlage.docx")
    assert ref.warnings == ()
    assert [ref.style(n) for n in ("normal", "heading 1", "footer", "table grid")] == [
        "Standard", "berschrift1", "Fuzeile", "Tabellenraster"]
    check_output(ref)


def test_localized_names_with_english_ids_resolve() -> None:
    renamed = make.styles(*(make.style(style_id, f"Eigener Name {i}") for i, (style_id, _)
                            in enumerate(make.REQUIRED)),
                          make.style("TableGrid", "Gitter", "table"))
    ref = parse_reference(make.template({"word/styles.xml": renamed}), "vorlage.docx")
    assert ref.warnings == ()
    assert ref.style("heading 2") == "Heading2" and ref.style("table grid") == "TableGrid"


def test_a_template_build_prints_the_warning_and_succeeds(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "lo.docx").write_bytes(make.template({"word/styles.xml": make.styles(
        *make.every_style()[:-1])}))
    profile = tmp_path / "p.yaml"
    profile.write_text(MINIMAL.read_text(encoding="utf-8")
                       + "branding:\n  reference_docx: lo.docx\n", encoding="utf-8")
    result = cli("build", str(profile), "--out", str(tmp_path / "out"), "--no-bundled-library",
                 "--library", str(FIXTURE_LIBRARY), "--quiet")
    assert result.code == 0, result.err
    assert result.err.startswith(
        f"{profile}:27:19: warning: lo.docx: the template lacks the styles Table Grid; "
        "policygen's own definitions are used\n"
        "    hint: add them in Word (Styles pane) to give them the company's look\n")


# ------------------------------------------------------------------ the reviewed draft


def _comments(tmp_path: Path, data: bytes) -> list[object]:
    path = tmp_path / "draft.docx"
    path.write_bytes(data)
    return list(read_comments(path, "draft.docx"))


COMMENT = ('<w:comment w:id="0" w:author="Eve\u009b2J\u202e" w:date="2026-11-30T10:00:00Z">'
           "<w:p><w:r><w:t>Too strict\u009d0;evil</w:t></w:r></w:p></w:comment>")
BODY = ('<w:p><w:bookmarkStart w:id="1" w:name="_pg_employees.basics\u2066"/>'
        '<w:commentRangeStart w:id="0"/><w:r><w:t>marked</w:t></w:r>'
        '<w:commentRangeEnd w:id="0"/></w:p>')


def test_comments_from_a_hostile_draft_cannot_control_the_terminal(tmp_path: Path) -> None:
    """C1 controls (CSI, OSC) and bidi controls are valid XML; they are shown as '?'."""
    with pytest.raises(PolicygenError):  # XML 1.0 forbids ESC and BEL, even as references
        _comments(tmp_path, make.draft(BODY, COMMENT.replace("Eve", "Eve&#27;")))
    found = _comments(tmp_path, make.draft(BODY, COMMENT))
    assert len(found) == 1
    shown = found[0]
    assert shown.author == "Eve?2J?"  # type: ignore[attr-defined]
    assert shown.text == "Too strict?0;evil"  # type: ignore[attr-defined]
    assert shown.clause_id == "employees.basics?"  # type: ignore[attr-defined]
    assert shown.anchor == "marked"  # type: ignore[attr-defined]


@pytest.mark.parametrize(("spoil", "message"), [
    (lambda d: make.damage_crc(d, "word/comments.xml"),
     "draft.docx: damaged Word document: word/comments.xml is damaged (bad CRC)"),
    (lambda d: make.encrypt_flag(d, "word/document.xml"),
     "draft.docx: damaged Word document: word/document.xml is encrypted"),
])
def test_a_damaged_draft_is_a_located_error(tmp_path: Path, spoil, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PolicygenError) as info:
        _comments(tmp_path, spoil(make.draft(BODY, "")))
    assert info.value.render().split("\n")[0] == message


def test_a_draft_with_a_doctype_expands_nothing(tmp_path: Path) -> None:
    bomb = ('<!DOCTYPE w:comments [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;'
            '&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>')
    data = make.package({
        "word/document.xml": f'{make.DECL}<w:document xmlns:w="{W}"><w:body>{BODY}</w:body>'
                             "</w:document>",
        "word/comments.xml": f'{make.DECL}{bomb}<w:comments xmlns:w="{W}"><w:comment w:id="0" '
                             'w:author="x"><w:p><w:r><w:t>&c;</w:t></w:r></w:p></w:comment>'
                             "</w:comments>"})
    found = _comments(tmp_path, data)
    assert all("aaaa" not in c.text for c in found)  # type: ignore[attr-defined]


def test_a_fifo_draft_is_refused_at_once(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    import os

    fifo = tmp_path / "draft.docx"
    os.mkfifo(fifo)
    result = cli("comments", str(fifo))
    assert result.code == 1
    assert result.err.startswith(f"{fifo}: cannot read the Word document: is a named pipe "
                                 "(FIFO), not an ordinary file\n")

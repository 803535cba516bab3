"""Documents fit to hand out: locale, table widths, page setup, bookmarks, structure, PDF."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
import subprocess
import zipfile
from functools import cache
from pathlib import Path

import pytest
from lxml import etree

from policygen.builds import render
from policygen.core import clauses, templating, typography
from policygen.document import Span
from policygen.errors import PolicygenError
from policygen.legal import reviewer_comments
from policygen.writers.docx import comments, page
from tests.conftest import EXAMPLES, ROOT

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# A character's width as a share of the font size, for a font without metrics: on the narrow
# side of the fonts a template might use, so that the test fails before a renderer would break
# a word.
CONSERVATIVE_EM = 0.55
CELL_MARGINS = 200  # twips, left and right cell margin of the bundled table style
# The bundled design's font, Calibri, measured by its advance widths as Carlito has them
_FONT = json.loads((ROOT / "policygen" / "data" / "font_widths.json").read_text("utf-8"))[
    "fonts"]["Carlito"]


@cache
def _library() -> clauses.ClauseLibrary:
    return clauses.load_library(ROOT / "clauses")


@cache
def _docx(profile: Path, draft: bool = False) -> tuple[render.Output, ...]:
    return tuple(render.render_all(_library(), render.load_profiles([profile]),
                                   render.Selection(formats=("docx",), draft=draft)))


def _part(data: bytes, name: str) -> etree._Element:
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read(name))


@pytest.mark.parametrize(("locale", "expected"), [
    ("en-US", "January 15, 2027"), ("en-GB", "15 January 2027"), ("de-DE", "15. Januar 2027"),
    ("de-AT", "15. Jänner 2027"), ("de-CH", "15. Januar 2027"),
])
def test_dates_are_written_as_the_locale_writes_them(locale: str, expected: str) -> None:
    assert templating.format_date(dt.date(2027, 1, 15), locale) == expected


@pytest.mark.parametrize(("locale", "expected"), [
    ("en-US", "12,500.5"), ("de-DE", "12.500,5"), ("de-CH", "12\u2019500.5"),
])
def test_numbers_are_grouped_as_the_locale_groups_them(locale: str, expected: str) -> None:
    assert templating.format_number(12500.5, locale) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("nach § 87 Abs. 1 Nr. 6 BetrVG", "nach §\xa087 Abs.\xa01 Nr.\xa06\xa0BetrVG"),
    ("Art. 5 DSGVO", "Art.\xa05\xa0DSGVO"),
    ("am 15. Januar 2027", "am 15.\xa0Januar\xa02027"),
    ("on January 15, 2027", "on January\xa015, 2027"),
    ("Tel. +49 211 5550 100", "Tel. +49\xa0211\xa05550\xa0100"),
    ("z. B. heute", "z.\xa0B. heute"),
    ("ein ganz normaler Satz", "ein ganz normaler Satz"),
])
def test_lines_do_not_break_inside_references_dates_and_numbers(text: str, expected: str) -> None:
    assert typography.tie(text) == expected
    assert typography.tie(expected) == expected


def test_addresses_become_links() -> None:
    from policygen.document import Span

    spans = typography.inline((Span("Fragen an team@example.com oder www.example.com/x."),))
    assert [(s.text, s.href) for s in spans] == [
        ("Fragen an ", None), ("team@example.com", "mailto:team@example.com"), (" oder ", None),
        ("www.example.com/x", "https://www.example.com/x"), (".", None)]


def _pieces(text: str) -> list[str]:
    """What a line cannot break inside: split at spaces, after hyphens and slashes, addresses
    only at slashes."""
    pieces = []
    for token in re.split(r"[ \t\n]+", text):  # not at U+00A0
        if "@" in token or "://" in token:
            pieces += re.findall(r"[^/]+/?", token)
        else:
            pieces += re.findall(r"[^/-]+[/-]?|[/-]", token)
    return pieces


def _em(word: str, bold: bool, calibri: bool) -> float:
    """A word's width in em: Calibri's advance widths (without the writer's margin; one em for
    a character the font lacks), or CONSERVATIVE_EM per character for another font."""
    if not calibri:
        return len(word) * CONSERVATIVE_EM
    rows, per_em = _FONT["styles"]["bold" if bold else "regular"], _FONT["units_per_em"]

    def advance(char: str) -> int:
        row = rows.get(f"{ord(char) & ~15:04X}")
        return per_em if row is None or row[ord(char) & 15] is None else row[ord(char) & 15]

    return sum(advance(char) for char in word) / per_em


def _table_problems(data: bytes) -> list[str]:
    root = _part(data, "word/document.xml")
    styles = _part(data, "word/styles.xml")
    sizes = {s.get(f"{W}styleId"): int(s.find(f"{W}rPr/{W}sz").get(f"{W}val"))
             for s in styles.iter(f"{W}style") if s.find(f"{W}rPr/{W}sz") is not None}
    fonts = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    calibri = fonts is not None and fonts.get(f"{W}ascii") == fonts.get(f"{W}hAnsi") == "Calibri"
    calibri = calibri and not any(s.find(f"{W}rPr/{W}rFonts") is not None
                                  for s in styles.iter(f"{W}style"))
    problems = []
    for table in root.iter(f"{W}tbl"):
        widths = [int(col.get(f"{W}w")) for col in table.iter(f"{W}gridCol")]
        for row in table.iter(f"{W}tr"):
            for column, cell in enumerate(row.iter(f"{W}tc")):
                upright = cell.find(f"{W}tcPr/{W}textDirection") is not None
                for paragraph in cell.iter(f"{W}p"):
                    style = paragraph.find(f"{W}pPr/{W}pStyle")
                    size = sizes.get(style.get(f"{W}val") if style is not None else "", 22)
                    run_size = paragraph.find(f".//{W}r/{W}rPr/{W}sz")  # a table set smaller
                    if run_size is not None:
                        size = int(run_size.get(f"{W}val"))
                    bold = paragraph.find(f".//{W}r/{W}rPr/{W}b") is not None
                    text = "".join(t.text or "" for t in paragraph.iter(f"{W}t"))
                    for word in _pieces(text):
                        need = _em(word, bold, calibri) * size * 10 + CELL_MARGINS
                        if not upright and need > widths[column]:
                            problems.append(f"{word!r} needs {need:.0f} twips, column "
                                            f"{column + 1} has {widths[column]}")
    return problems


@pytest.mark.slow
@pytest.mark.parametrize("profile", EXAMPLES, ids=lambda p: p.stem)
def test_no_word_is_wider_than_its_table_column(profile: Path) -> None:
    for output in _docx(profile):
        assert _table_problems(output.data) == [], output.relpath


def test_the_width_check_finds_a_word_that_does_not_fit() -> None:
    output = _docx(EXAMPLES[0])[0]
    with zipfile.ZipFile(io.BytesIO(output.data)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["word/document.xml"] = re.sub(rb'<w:gridCol w:w="\d+"/>', b'<w:gridCol w:w="600"/>',
                                        parts["word/document.xml"])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    assert _table_problems(buffer.getvalue())


def _section_orders(data: bytes) -> list[list[str]]:
    root = _part(data, "word/document.xml")
    return [[etree.QName(child).localname for child in sect] for sect in root.iter(f"{W}sectPr")]


def test_page_setup_elements_are_in_schema_order() -> None:
    # a Word template's section: docGrid last, as Word writes it
    section = ('<w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1417" w:right="1247" '
               'w:bottom="1134" w:left="1247" w:header="709" w:footer="567" w:gutter="0"/>'
               '<w:cols w:space="708"/><w:docGrid w:linePitch="360"/>')
    xml = page.Page.from_reference(section, "Letter").section(title_page=True)
    names = re.findall(r"<w:(\w+)", xml)[1:]
    assert names == ["headerReference", "footerReference", "pgSz", "pgMar", "cols", "titlePg",
                     "docGrid"]
    for output in _docx(EXAMPLES[0]):
        for order in _section_orders(output.data):
            assert order == sorted(order, key=page.ORDER.index), output.relpath


def test_letter_paper_keeps_the_text_width() -> None:
    a4 = page.Page.from_reference("", "A4")
    letter = a4.on_paper("Letter")
    assert 'w:w="12240" w:h="15840"' in letter.elements["pgSz"]
    assert letter.text_width == a4.text_width


def test_bookmark_names_are_within_words_limit() -> None:
    long_id = "criticism.visitor_posts_codetermination"
    name = comments.bookmark_name(long_id)
    assert len(name) <= comments.MAX_BOOKMARK
    assert comments.clause_of_bookmark(name, ["other", long_id]) == long_id
    assert comments.clause_of_bookmark("_pg_scope.application", []) == "scope.application"


@pytest.mark.parametrize("profile", EXAMPLES, ids=lambda p: p.stem)
def test_drafts_keep_bookmarks_within_40_characters(profile: Path) -> None:
    for output in _docx(profile, draft=True):
        root = _part(output.data, "word/document.xml")
        names = [b.get(f"{W}name") for b in root.iter(f"{W}bookmarkStart")]
        assert all(len(n) <= 40 for n in names), [n for n in names if len(n) > 40]


def test_review_comments_find_their_clause_through_a_shortened_bookmark(
        tmp_path: Path) -> None:
    draft = next(o for o in _docx(EXAMPLES[0], draft=True) if o.relpath.endswith("legal.de.docx")
                 or o.relpath.endswith("legal.en.docx"))
    path = tmp_path / "draft.docx"
    path.write_bytes(draft.data)
    found = reviewer_comments.read_comments(path, "draft.docx", include_own=True)
    assert found and all(c.clause_id for c in found)
    assert all(c.text.startswith(c.clause_id) for c in found)


@pytest.mark.parametrize("profile", EXAMPLES, ids=lambda p: p.stem)
def test_every_document_carries_its_locales_language_tag(profile: Path) -> None:
    loaded = render.load_profiles([profile])[0]
    for output in _docx(profile):
        tag = loaded.locale(output.language)
        styles = _part(output.data, "word/styles.xml")
        default = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
        assert default is not None and default.get(f"{W}val") == tag, output.relpath
        body = _part(output.data, "word/document.xml")
        runs = list(body.iter(f"{W}r"))
        untagged = [r for r in runs if r.find(f"{W}rPr/{W}lang") is None]
        assert not untagged, f"{output.relpath}: {len(untagged)} of {len(runs)} runs untagged"
        settings = _part(output.data, "word/settings.xml")
        assert settings.find(f"{W}autoHyphenation").get(f"{W}val") == "true"
        update = settings.find(f"{W}updateFields") is not None
        assert update == (body.find(f".//{W}instrText") is not None
                          and "PAGEREF" in etree.tostring(body).decode()), output.relpath


def test_the_language_check_finds_a_document_without_its_tag() -> None:
    output = _docx(EXAMPLES[0])[0]
    with zipfile.ZipFile(io.BytesIO(output.data)) as archive:
        styles = archive.read("word/styles.xml")
    assert b'w:lang w:val="' in styles
    stripped = etree.fromstring(re.sub(rb"<w:lang [^>]*/>", b"", styles))
    assert stripped.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang") is None


def test_us_documents_are_on_letter_paper() -> None:
    profile = next(p for p in EXAMPLES if p.stem == "granite-peak")
    for output in _docx(profile):
        sect = _part(output.data, "word/document.xml").find(f"{W}body/{W}sectPr")
        size = sect.find(f"{W}pgSz")
        assert (size.get(f"{W}w"), size.get(f"{W}h")) == ("12240", "15840"), output.relpath


def test_the_title_pages_facts_are_not_a_header_row() -> None:
    guideline = next(o for o in _docx(EXAMPLES[0]) if o.relpath.endswith("employees.de.docx")
                     or o.relpath.endswith("employees.en.docx"))
    first = next(_part(guideline.data, "word/document.xml").iter(f"{W}tbl"))
    assert first.find(f"{W}tr/{W}trPr/{W}tblHeader") is None


def test_headings_are_numbered_by_their_style_not_per_paragraph() -> None:
    guideline = next(o for o in _docx(EXAMPLES[0]) if "employees." in o.relpath)
    styles = _part(guideline.data, "word/styles.xml")
    heading = next(s for s in styles.iter(f"{W}style") if s.get(f"{W}styleId") == "Heading1")
    assert heading.find(f"{W}pPr/{W}numPr/{W}numId") is not None
    body = _part(guideline.data, "word/document.xml")
    for paragraph in body.iter(f"{W}p"):
        style = paragraph.find(f"{W}pPr/{W}pStyle")
        if style is not None and style.get(f"{W}val", "").startswith("Heading"):
            assert paragraph.find(f"{W}pPr/{W}numPr") is None


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
def test_pandoc_reads_every_heading_as_a_heading(tmp_path: Path) -> None:
    guideline = next(o for o in _docx(EXAMPLES[0]) if "legal." in o.relpath)
    path = tmp_path / "legal.docx"
    path.write_bytes(guideline.data)
    markdown = subprocess.run(["pandoc", str(path), "-t", "markdown"], capture_output=True,
                              text=True, check=True).stdout
    headings = [line for line in markdown.splitlines() if line.startswith("#")]
    assert len(headings) > 10
    listed = re.findall(r"^\s*(?:\d+\.|-)\s+(?:Zweck und Ziele|Purpose and goals)\b",
                        markdown, re.M)
    assert not listed, listed


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
@pytest.mark.parametrize("reader", ["markdown", "commonmark+yaml_metadata_block",
                                    "gfm+yaml_metadata_block"])
def test_pandoc_reads_the_language_of_every_markdown_file(reader: str, tmp_path: Path) -> None:
    import json

    profile = next(p for p in EXAMPLES if p.stem == "alpenlab")  # Swiss: de-CH, en-GB
    outputs = render.render_all(_library(), render.load_profiles([profile]),
                                render.Selection(formats=("md",), audiences=("employees",)))
    seen = set()
    for output in outputs:
        path = tmp_path / output.relpath.replace("/", "_")
        path.write_bytes(output.data)
        read = json.loads(subprocess.run(["pandoc", "-f", reader, "-t", "json", str(path)],
                                         capture_output=True, text=True, check=True).stdout)
        lang = "".join(part["c"] for part in read["meta"]["lang"]["c"] if part["t"] == "Str")
        assert lang == {"de": "de-CH", "en": "en-GB"}[output.language], output.relpath
        first = read["blocks"][0]
        assert first["t"] == "Header" and first["c"][0] == 1, output.relpath  # the title
        seen.add(lang)
    assert seen == {"de-CH", "en-GB"}


def test_draft_headers_carry_a_watermark() -> None:
    for output in _docx(EXAMPLES[0], draft=True):
        header = zipfile.ZipFile(io.BytesIO(output.data)).read("word/header1.xml").decode()
        assert "PowerPlusWaterMarkObject" in header
    released = next(p for p in EXAMPLES if p.stem == "rheinwerk")
    for output in _docx(released):
        header = zipfile.ZipFile(io.BytesIO(output.data)).read("word/header1.xml").decode()
        assert "PowerPlusWaterMarkObject" not in header


def _right_tab(part: etree._Element) -> int:
    stops = [int(tab.get(f"{W}pos")) for tab in part.iter(f"{W}tab")
             if tab.get(f"{W}val") == "right"]
    assert len(stops) == 1
    return stops[0]


def test_landscape_sections_have_header_and_footer_tabs_at_their_width() -> None:
    profile = next(p for p in EXAMPLES if p.stem == "rheinwerk")
    # the escalation matrix: German compounds in six columns, too wide even at 9 pt
    output = next(o for o in _docx(profile) if o.relpath.endswith("/account_managers.de.docx"))
    root = _part(output.data, "word/document.xml")
    portrait = page.Page.from_reference("", "A4")
    sections = list(root.iter(f"{W}sectPr"))
    wide = [s for s in sections if s.find(f"{W}pgSz").get(f"{W}orient") == "landscape"]
    assert wide and len(wide) < len(sections), "the example has a wide table"
    for section in sections:
        landscape = section in wide
        header = section.find(f"{W}headerReference").get(
            "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
        assert header == ("rIdHeader2" if landscape else "rIdHeader1")
    width = {1: portrait.text_width, 2: portrait.landscape().text_width}
    assert width[2] > width[1]
    for number in (1, 2):
        assert _right_tab(_part(output.data, f"word/header{number}.xml")) == width[number]
    assert _right_tab(_part(output.data, "word/footer2.xml")) == width[2]
    rels = zipfile.ZipFile(io.BytesIO(output.data)).read("word/_rels/document.xml.rels")
    assert b'Target="header2.xml"' in rels and b'Target="footer2.xml"' in rels
    # a document without wide tables has one header
    summary = next(o for o in _docx(profile) if o.relpath.endswith("/employees-summary.de.docx"))
    assert "word/header2.xml" not in zipfile.ZipFile(io.BytesIO(summary.data)).namelist()


def test_provenance_block_headings_stay_with_their_text() -> None:
    profile = next(p for p in EXAMPLES if p.stem == "rheinwerk")
    output = next(o for o in _docx(profile) if o.relpath.endswith("/legal.en.docx"))
    root = _part(output.data, "word/document.xml")
    heads = [p for p in root.iter(f"{W}p")
             if re.match(r"\d+\.\d+ .* \u00b7 ", "".join(p.itertext()))]
    assert len(heads) > 20
    for head in heads:
        assert head.find(f"{W}pPr/{W}keepNext") is not None, "".join(head.itertext())[:60]
        reason = head.getnext()
        assert reason.find(f"{W}pPr/{W}keepNext") is not None, "".join(reason.itertext())[:60]


def test_a_missing_libreoffice_is_a_located_error(monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    profile = tmp_path / "p.yaml"
    text = (ROOT / "tests" / "fixtures" / "profiles" / "minimal.yaml").read_text()
    profile.write_text(re.sub(r"(?m)^document:\n", "document:\n  formats: [pdf]\n", text, count=1))
    with pytest.raises(PolicygenError) as caught:
        render.render_all(clauses.load_library(ROOT / "tests" / "fixtures" / "library"),
                          render.load_profiles([profile]), render.Selection())
    message = caught.value.render()
    assert re.search(r"p\.yaml:\d+:\d+: format 'pdf' needs LibreOffice", message), message
    assert "hint: install LibreOffice" in message


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_pdfs_are_tagged_paged_and_reproducible(tmp_path: Path) -> None:
    from policygen.writers import registry

    profile = next(p for p in EXAMPLES if p.stem == "granite-peak")
    loaded = render.load_profiles([profile])[0]
    from policygen.core import editions, select

    assembly = select.select(_library(), loaded, "employees")
    documents = [d for _, d in editions.documents(_library(), assembly, loaded, "en")]
    assets = registry.Assets(render.load_reference(loaded))
    first = registry.writer("pdf").write_many([(d, assets) for d in documents])
    second = registry.writer("pdf").write_many([(documents[1], assets)])
    # the same bytes for identical input, whichever other documents shared the run
    assert first[1] == second[0]
    for name, data in zip(("guideline", "summary"), first[:2], strict=True):
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(data)
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                              check=True).stdout
        assert re.search(r"Tagged:\s+yes", info)
        assert "612 x 792 pts (letter)" in info
        if name == "summary":
            assert re.search(r"Pages:\s+1\n", info), "the summary must stay one page on Letter"
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "guideline.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    contents = text.split("\f")[1]
    assert re.search(r"Purpose and goals\s*\.{3,}\s*\d+", contents), contents[:800]


def test_a_table_a_little_too_wide_is_set_one_point_smaller_not_landscape() -> None:
    from policygen.document import Span
    from policygen.writers.docx import font_widths, tables

    header = ("Topic", "Contact", "E-mail")
    row = ("Data protection", "Data protection officer",
           "data.protection.officer@example-company.example")
    calibri = font_widths.for_font("Calibri")

    def need(half_points: int) -> int:  # the least width of the table at this size
        return sum(max(tables.word_width(tables.widest_word(cell, calibri), half_points,
                                         font=calibri),
                       tables.word_width(head, half_points, "bold", calibri))
                   for head, cell in zip(header, row, strict=True))

    cells = tuple((Span(text),) for text in header), (tuple((Span(text),) for text in row),)
    available = need(16) + 10
    assert available < need(18)
    layout = tables.layout(*cells, available, 14000, 18, font=calibri)
    assert (layout.landscape, layout.half_points, sum(layout.widths)) == (False, 16, available)
    wide = tables.layout(*cells, need(16) - 10, 14000, 18, font=calibri)  # not even at 8 pt
    assert (wide.landscape, wide.half_points) == (True, 0)


def test_the_writer_sets_a_smaller_table_on_its_runs_and_keeps_it_portrait() -> None:
    """Donauland's escalation matrix fits the portrait page one point smaller; Rheinwerk's
    contact table, with long e-mail addresses, fits at its style's size."""
    handbook = next(o for o in _docx(ROOT / "policies" / "donauland.yaml")
                    if o.relpath == "donauland/account_managers.de.docx")
    xml = _part(handbook.data, "word/document.xml")
    sized = {table.findtext(f".//{W}t"): {sz.get(f"{W}val") for sz in table.iter(f"{W}sz")}
             for table in xml.iter(f"{W}tbl")}
    assert sized["Stufe"] == {"18"}  # the table text style is 10 pt
    assert sized["Plattform"] == set()
    assert not [s for s in xml.iter(f"{W}pgSz") if s.get(f"{W}orient") == "landscape"]
    guideline = next(o for o in _docx(ROOT / "policies" / "rheinwerk.yaml")
                     if o.relpath == "rheinwerk/employees.de.docx")
    xml = _part(guideline.data, "word/document.xml")
    contacts = next(t for t in xml.iter(f"{W}tbl") if t.findtext(f".//{W}t") == "Wofür")
    assert "@rheinwerk-antriebe.example" in "".join(contacts.itertext())
    assert not list(contacts.iter(f"{W}sz"))
    assert not [s for s in xml.iter(f"{W}pgSz") if s.get(f"{W}orient") == "landscape"]


def test_the_widest_word_is_the_widest_as_set_not_the_longest() -> None:
    from policygen.writers.docx import font_widths, tables

    calibri = font_widths.for_font("Calibri")
    assert tables.widest_word("illimitability WWWWWWW", calibri) == "WWWWWWW"
    assert tables.widest_word("illimitability WWWWWWW") == "illimitability"  # estimated
    assert tables.widest_word("Social-Media-Team team@sehr-lange-adresse.example/x") == \
        "team@sehr-lange-adresse.example/"
    assert tables.widest_word("§\xa087\xa0BetrVG") == "§\xa087\xa0BetrVG"
    assert tables.widest_word("") == ""


def test_cells_are_measured_in_the_style_they_are_set_in() -> None:
    from policygen.document import Span
    from policygen.writers.docx import font_widths, tables

    plain, strong, emphasis = (Span("a"),), (Span("a", strong=True),), (Span("a", emphasis=True),)
    assert tables.cell_style(plain, 0, is_header=True, header_row=True) == "bold"
    assert tables.cell_style(plain, 1, is_header=False, header_row=True) == "regular"
    assert tables.cell_style(plain, 0, is_header=False, header_row=False) == "bold"  # key column
    assert tables.cell_style(strong, 1, is_header=False, header_row=True) == "bold"
    assert tables.cell_style(emphasis, 1, is_header=False, header_row=True) == "italic"
    assert tables.cell_style(emphasis, 1, is_header=True, header_row=True) == "bold italic"
    assert tables.cell_style((*plain, *strong), 1, False, True) == font_widths.MIXED
    assert tables.cell_style((), 2, is_header=True, header_row=True) == "bold"


CONTACTS = (("Wofür", "Kontakt", "E-Mail", "Telefon"), (
    ("Fragen zu dieser Leitlinie, offizielle Accounts", "Social-Media-Team",
     "datenschutzbeauftragte@rheinwerk-antriebe.example", "+49\xa0203\xa05550\xa0120"),
    ("Ihre Rechte als Beschäftigte", "Arbeitnehmervertretung",
     "betriebsrat@rheinwerk-antriebe.example", "–")))


def _cells(header: tuple[str, ...], rows: tuple[tuple[str, ...], ...]) -> tuple[
        tuple[tuple[Span, ...], ...], tuple[tuple[tuple[Span, ...], ...], ...]]:
    return (tuple((Span(text),) for text in header),
            tuple(tuple((Span(text),) for text in row) for row in rows))


def test_calibris_widths_keep_a_contact_table_portrait_the_estimate_does_not() -> None:
    from policygen.writers.docx import font_widths, tables

    portrait = page.Page.from_reference("", "A4")
    width, wide = portrait.text_width, portrait.landscape().text_width
    calibri = tables.layout(*_cells(*CONTACTS), width, wide, 20,
                            font=font_widths.for_font("Calibri"))
    assert (calibri.landscape, calibri.half_points, sum(calibri.widths)) == (False, 18, width)
    estimated = tables.layout(*_cells(*CONTACTS), width, wide, 20)
    assert (estimated.landscape, sum(estimated.widths)) == (True, wide)


ADDRESSES = ("datenschutz.beauftragte@rheinwerk-antriebstechnik.example",
             "unternehmenskommunikation.presse@rheinwerk-antriebstechnik.example",
             "WWWWWWWWWWWWWW@mmmmmmmmmmmmmmm.example", "Social-Media-Team")


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_sets_every_word_of_a_tight_table_on_one_line(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Columns exactly as wide as the writer's least widths keep every word whole; 5 % less
    breaks one, so the check can fail."""
    import dataclasses

    from policygen.core import editions, select
    from policygen.document import Clause, Section, Table
    from policygen.writers import registry
    from policygen.writers.docx import font_widths, tables

    profile = render.load_profiles([ROOT / "policies" / "rheinwerk.yaml"])[0]
    guideline = dict(editions.documents(_library(), select.select(_library(), profile,
                                                                  "employees"), profile, "de"))
    rows = tuple(((Span(f"Zeile {n}"),), (Span(text),)) for n, text in enumerate(ADDRESSES))
    table = Table(((Span("Thema"),), (Span("E-Mail"),)), rows)
    document = dataclasses.replace(guideline["employees"], layout="handout", sections=(
        Section("contacts", "Kontakte", (Clause("contacts.list", 1, "Kontakte", (table,)),)),))
    calibri = font_widths.for_font("Calibri")
    layout = tables.layout

    def tightest(scale: float) -> tables.Layout:  # every column at its least width, scaled
        least = [max(tables.word_width(tables.widest_word(tables.text(cell), calibri, style),
                                       20, style, calibri)
                     for cell, style in ((row[c], "bold" if row is table.header else "regular")
                                         for row in (table.header, *table.rows)))
                 for c in range(2)]
        found = layout(table.header, table.rows, sum(least), 20000, 20, font=calibri)
        assert (found.widths, found.landscape, found.half_points) == (tuple(least), False, 0)
        return dataclasses.replace(found, widths=tuple(int(w * scale) for w in least))

    texts = []
    for scale in (1.0, 0.95):
        monkeypatch.setattr(tables, "layout", lambda *_, scale=scale, **__: tightest(scale))
        assets = registry.Assets(render.load_reference(profile))
        pdf = registry.writer("pdf").write_many([(document, assets)])[0]
        monkeypatch.undo()
        texts.append(_pdf_text(pdf))
    assert sum(tightest(1.0).widths) < page.Page.from_reference("", "A4").text_width
    assert [a for a in ADDRESSES if a not in texts[0]] == []
    assert [a for a in ADDRESSES if a not in texts[1]] == [ADDRESSES[1]]  # the widest


def _pdf_text(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()

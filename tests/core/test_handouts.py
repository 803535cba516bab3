"""The one-page summary, the acknowledgement form, and languages with identical structure."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import docx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from policygen.builds import render
from policygen.core import editions, handouts, select
from policygen.core.clauses import load_library
from policygen.document import Block, Document, ListBlock, Paragraph, SignatureLine, Table
from policygen.writers import markdown as markdown_writer
from policygen.writers.docx import body as docx_writer
from tests.conftest import ROOT
from tests.readback import docx_sequence

EXAMPLES = [ROOT / "policies" / f"{name}.yaml" for name in ("rheinwerk", "northwind",
                                                            "albion-rhein")]


@pytest.fixture(scope="module")
def documents() -> dict[tuple[str, str, str], Document]:
    """Every edition of the example companies by (company, name, language)."""
    library = load_library()
    out = {}
    for profile in render.load_profiles(EXAMPLES):
        for audience in profile.audiences:
            assembly = select.select(library, profile, audience)
            for lang in profile.languages:
                for name, document in editions.documents(library, assembly, profile, lang):
                    out[(profile.slug, name, lang)] = document
    return out


def candidate(section: int, clause: int, rank: int, length: int = 10) -> handouts.Candidate:
    return handouts.Candidate(section, clause, rank, SimpleNamespace(), SimpleNamespace(), length)


def places(chosen: list[handouts.Candidate]) -> list[tuple[int, int, int]]:
    return [(c.section_index, c.clause_index, c.rank) for c in chosen]


def test_choose_apportions_seats_to_sections_by_their_number_of_items() -> None:
    # section 0: one clause with one item; section 1: four clauses, the first with two items
    items = [candidate(0, 0, 0), candidate(1, 1, 0), candidate(1, 1, 1), candidate(1, 2, 0),
             candidate(1, 3, 0), candidate(1, 4, 0)]
    # D'Hondt quotients: s1 5, 2.5, 1.67, 1.25, 1 (ties with s0's 1, which wins as earlier)
    assert places(handouts.choose(items, 3, 1000)) == [(1, 1, 0), (1, 2, 0), (1, 3, 0)]
    assert places(handouts.choose(items, 5, 1000)) == [(0, 0, 0), (1, 1, 0), (1, 2, 0),
                                                      (1, 3, 0), (1, 4, 0)]
    # first items of every clause come before a clause's second item
    assert (1, 1, 1) in places(handouts.choose(items, 6, 1000))


def test_choose_breaks_ties_towards_the_earlier_section_and_keeps_document_order() -> None:
    items = [candidate(0, 0, 0), candidate(1, 1, 0), candidate(2, 2, 0)]
    assert places(handouts.choose(items, 2, 1000)) == [(0, 0, 0), (1, 1, 0)]


def test_choose_drops_the_last_seats_awarded_until_the_budget_holds() -> None:
    items = [candidate(0, 0, 0, 100), candidate(1, 1, 0, 100), candidate(2, 2, 0, 100)]
    assert places(handouts.choose(items, 3, 250)) == [(0, 0, 0), (1, 1, 0)]
    assert handouts.choose(items, 3, 50) == []


@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 3), st.integers(1, 120)),
                max_size=40),
       st.integers(0, 12))
def test_property_choose_is_a_capped_subset_in_order_and_grows_with_the_cap(
        raw: list[tuple[int, int, int]], cap: int) -> None:
    items = []
    for clause, (section, extra, length) in enumerate(sorted(raw)):
        for rank in range(extra + 1):
            items.append(candidate(section, clause, rank, length))
    chosen = handouts.choose(items, cap, 10_000)
    assert len(chosen) == min(cap, len(items))
    assert places(chosen) == sorted(places(chosen))
    assert set(map(id, chosen)) <= set(map(id, items))
    assert set(map(id, chosen)) <= set(map(id, handouts.choose(items, cap + 1, 10_000)))
    budgeted = handouts.choose(items, cap, 300)
    assert sum(c.length for c in budgeted) <= 300


def test_summary_lists_capped_items_from_the_guideline_and_the_contacts(documents) -> None:
    summary = documents[("rheinwerk", "employees-summary", "en")]
    guideline = documents[("rheinwerk", "employees", "en")]
    assert summary.layout == "handout"
    assert summary.meta.title == "Social media: do's and don'ts"
    assert summary.meta.audience_label == "Summary \u00b7 Guideline for all employees"
    sections = {s.section_id: s for s in summary.sections}
    assert [s.section_id for s in summary.sections] == ["intro", "do", "dont", "contacts"]
    guideline_ids = {c.clause_id for c in guideline.clauses()}
    for kind in ("do", "dont"):
        clauses = sections[kind].clauses
        assert {c.clause_id for c in clauses} <= guideline_ids
        count = sum(len(b.items) for c in clauses for b in c.blocks if isinstance(b, ListBlock))
        assert 3 <= count <= handouts.CAPS[kind]
    table = sections["contacts"].clauses[0].blocks[0]
    assert isinstance(table, Table)
    rows = [[span.text for cell in row for span in cell] for row in table.rows]
    assert rows[0] == ["Posts, accounts, when in doubt",
                       "Social-Media-Team, +49\u00a0203\u00a05550\u00a0120",
                       "social@rheinwerk-antriebe.example"]
    assert ["Your rights as an employee", "Works council Duisburg",
            "betriebsrat@rheinwerk-antriebe.example"] in rows
    intro = sections["intro"].clauses[0].blocks[0]
    assert isinstance(intro, Paragraph)
    assert intro.spans[0].text == ("The main rules of the \u201cSocial Media Guideline of "
                                   "Rheinwerk Antriebstechnik GmbH\u201d, version 2.1. The full "
                                   "text is binding.")


@pytest.mark.parametrize(("lang", "statement", "labels"), [
    ("en", "I have received and read the \u201cSocial Media Guideline of Rheinwerk Antriebstechnik "
           "GmbH\u201d (Guideline for all employees), version 2.1, effective "
           "1\u00a0December\u00a02026. I will follow its rules.",
     ["Name", "Department", "Date", "Signature"]),
    ("de", "Ich habe die \u201eSocial-Media-Leitlinie der Rheinwerk Antriebstechnik GmbH\u201c "
           "(Leitlinie für alle Mitarbeitenden) in der Version 2.1, gültig ab "
           "1.\u00a0Dezember\u00a02026, erhalten und gelesen. Ich werde die Regeln beachten.",
     ["Name, Vorname", "Abteilung", "Datum", "Unterschrift"]),
])
def test_acknowledgement_names_policy_and_version_and_has_lines_to_sign(
        documents, lang: str, statement: str, labels: list[str]) -> None:
    form = documents[("rheinwerk", "employees-acknowledgement", lang)]
    blocks = form.sections[0].clauses[0].blocks
    assert isinstance(blocks[0], Paragraph) and blocks[0].spans[0].text == statement
    assert [b.label for b in blocks if isinstance(b, SignatureLine)] == labels
    paragraphs = docx.Document(io.BytesIO(docx_writer.write(form))).paragraphs
    lines = [p for p in paragraphs if p.text.endswith("\t")]
    assert [p.text.split(":")[0] for p in lines] == labels
    tab = lines[0]._p.pPr.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tabs")[0]
    assert tab.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}leader") == \
        "underscore"
    markdown = markdown_writer.write(form)
    assert f"{labels[-1]}: " + "\\_" * 40 in markdown


def test_every_audience_gets_a_summary_and_employees_a_form(documents) -> None:
    names = {(company, name) for company, name, _ in documents}
    for company in ("rheinwerk", "northwind", "albion-rhein"):
        for audience in ("employees", "account_managers", "legal"):
            assert (company, audience) in names
            assert (company, f"{audience}-summary") in names
        assert (company, "employees-acknowledgement") in names
        assert (company, "legal-acknowledgement") not in names


def _shape(block: Block) -> tuple[object, ...]:
    if isinstance(block, ListBlock):
        return ("list", block.ordered, len(block.items))
    if isinstance(block, Table):
        return ("table", len(block.header), len(block.rows))
    return (type(block).__name__,)


def structure(document: Document) -> list[object]:
    return [(s.section_id, [(c.clause_id, c.version, [_shape(b) for b in c.blocks])
                            for c in s.clauses]) for s in document.sections]


def test_german_and_english_documents_have_the_same_structure(documents) -> None:
    compared = 0
    for (company, name, lang), document in documents.items():
        if lang != "de" or (company, name, "en") not in documents:
            continue
        english = documents[(company, name, "en")]
        assert structure(document) == structure(english), (company, name)
        styles_de = [style for style, _ in docx_sequence(docx_writer.write(document))]
        styles_en = [style for style, _ in docx_sequence(docx_writer.write(english))]
        assert styles_de == styles_en, (company, name)
        compared += 1
    assert compared == 2 * 8  # rheinwerk and albion-rhein: 3 guidelines, 3 summaries, 2 forms


def _pdf_pages(pdf: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf.read_bytes()))


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice or poppler is not installed")
def test_libreoffice_page_counts_and_filled_contents(tmp_path: Path, documents) -> None:
    files = []
    for (company, name, lang), document in sorted(documents.items()):
        if name == "employees" or name.endswith(("-summary", "-acknowledgement")):
            target = tmp_path / f"{company}-{name}.{lang}.docx"
            target.write_bytes(docx_writer.write(document))
            files.append(target)
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir",
                    str(tmp_path / "pdf"), *map(str, files)], check=True, capture_output=True,
                   timeout=240, env={**os.environ, "HOME": str(tmp_path)})
    for file in files:
        pdf = tmp_path / "pdf" / f"{file.stem}.pdf"
        pages = _pdf_pages(pdf)
        if file.stem.endswith(("-summary.de", "-summary.en", "-acknowledgement.de",
                               "-acknowledgement.en")):
            assert pages == 1, file.name
            continue
        assert pages > 10, file.name
        company, rest = file.stem.split("-employees")
        document = documents[(company, "employees", rest[1:])]
        contents = subprocess.run(["pdftotext", "-f", "2", "-l", "3", "-layout", str(pdf), "-"],
                                  check=True, capture_output=True, text=True).stdout
        assert document.labels.contents in contents
        flat = " ".join(contents.split())
        positions = [flat.find(f"{i} {s.title}") for i, s in enumerate(document.sections, 1)]
        assert -1 not in positions, (file.name, positions)
        assert positions == sorted(positions)
        first_clause = document.sections[0].clauses[0].title
        assert f"1.1 {first_clause}" in flat

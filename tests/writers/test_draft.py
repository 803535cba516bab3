"""Drafts: Word comments per clause, Markdown notes, the DRAFT mark, provenance, review round."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest

from policygen.builds import render
from policygen.core import clauses, compose, editions, select
from policygen.core.select import Decision, Reason
from policygen.document import Document, ListBlock, Paragraph
from policygen.legal import reviewer_comments
from policygen.writers import markdown as markdown_writer
from policygen.writers.docx import body as docx_writer
from tests.conftest import ROOT

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def library() -> clauses.ClauseLibrary:
    return clauses.load_library()


def guideline(library: clauses.ClauseLibrary, name: str, audience: str, lang: str,
              draft: bool = False) -> Document:
    prof = render.load_profiles([ROOT / "policies" / f"{name}.yaml"])[0]
    if draft:
        prof = reviewer_comments.as_draft(prof)
    assembly = select.select(library, prof, audience)
    return dict(editions.documents(library, assembly, prof, lang))[audience]


def anchored_headings(data: bytes) -> dict[str, str]:
    """comment id -> text of the paragraph its range starts in."""
    document = docx.Document(io.BytesIO(data))
    out = {}
    for paragraph in document.paragraphs:
        for start in paragraph._p.iter(f"{W}commentRangeStart"):
            out[start.get(f"{W}id")] = (paragraph.style.name, paragraph.text)
    return out


def test_draft_comments_belong_to_their_clauses(library) -> None:
    document = guideline(library, "northwind", "legal", "en")
    assert document.meta.status == "draft"
    data = docx_writer.write(document)
    comments = list(docx.Document(io.BytesIO(data)).comments)
    library_clauses = [c for c in document.clauses() if c.clause_id]
    assert library_clauses and len(comments) == len(library_clauses)
    anchors = anchored_headings(data)
    for comment, clause in zip(comments, library_clauses, strict=True):
        assert comment.author == "policygen"
        assert comment.timestamp.date().isoformat() == "2027-01-15"
        lines = comment.text.split("\n")
        assert lines[0] == f"{clause.clause_id} \u00b7 Version {clause.version}"
        assert anchors[str(comment.comment_id)] == ("Heading 2", clause.title)
        if clause.review_note:
            assert lines[1] == f"Review note: {clause.review_note}"
        for source in clause.sources:
            assert f"{source.jurisdiction}: {source.citation} (checked " \
                   f"{source.checked.isoformat()})" in lines


def test_german_draft_comment_words(library) -> None:
    document = guideline(library, "rheinwerk", "legal", "de", draft=True)
    comment = next(iter(docx.Document(io.BytesIO(docx_writer.write(document))).comments))
    first = document.clauses()[0]
    assert comment.text.split("\n")[0] == f"{first.clause_id} \u00b7 Version {first.version}"
    assert "Rechtsquellen:" in comment.text.split("\n")
    assert "(geprüft am 2026-11-23)" in comment.text


def header_text(data: bytes) -> str:
    return docx.Document(io.BytesIO(data)).sections[0].header.paragraphs[0].text


def test_released_edition_has_no_comments_notes_or_mark(library) -> None:
    document = guideline(library, "rheinwerk", "employees", "en")
    assert document.meta.status == "released"
    data = docx_writer.write(document)
    assert list(docx.Document(io.BytesIO(data)).comments) == []
    assert b"word/comments.xml" not in data and b"_pg_" not in data
    assert "DRAFT" not in header_text(data)
    assert "> **DRAFT" not in markdown_writer.write(document)


def test_draft_mark_in_the_header(library) -> None:
    en = docx_writer.write(guideline(library, "rheinwerk", "employees", "en", draft=True))
    de = docx_writer.write(guideline(library, "rheinwerk", "employees", "de", draft=True))
    assert header_text(en).endswith("Guideline for all employees \u2013 DRAFT")
    assert header_text(de).endswith("Leitlinie für alle Mitarbeitenden \u2013 ENTWURF")


def test_markdown_notes_are_marked_block_quotes(library) -> None:
    document = guideline(library, "rheinwerk", "employees", "de", draft=True)
    text = markdown_writer.write(document)
    notes = re.findall(r"^> \*\*ENTWURF \u00b7 ([a-z0-9_.\\]+)\*\* \u00b7 Version (\d+)$", text,
                       re.MULTILINE)
    assert [(i.replace("\\", ""), int(v)) for i, v in notes] == \
        [(c.clause_id, c.version) for c in document.clauses()]
    note = re.search(r"^> \*\*ENTWURF \u00b7 employees\.disclosure\*\*.*?(?=\n\n)", text,
                     re.MULTILINE | re.DOTALL)
    assert note is not None
    lines = note.group(0).split("\n")
    assert lines[1] == ">" and lines[2].startswith("> **Hinweis für die Prüfung:** ")
    assert "> **Rechtsquellen:** " in text and "(geprüft am 2026-11-23)" in text


def test_history_renders_as_version_table(library) -> None:
    document = guideline(library, "northwind", "employees", "en")
    rows = [r for r in docx.Document(io.BytesIO(docx_writer.write(document))).tables[1].rows]
    assert [c.text for c in rows[0].cells] == ["Version", "Date", "Author", "Changes"]
    assert [c.text for c in rows[1].cells] == [
        # northwind is American: en-US
        "2.0", "February\u00a01, 2024", "Dana Whitfield",
        "Rewritten after Stericycle; advocacy programme added"]
    assert "| 3.0 | January\u00a015, 2027 | Dana Whitfield | AI disclosure and Reg FD channel " \
           "list updated |" in markdown_writer.write(document)


def test_legal_edition_ends_with_a_provenance_block_per_clause(library) -> None:
    document = guideline(library, "rheinwerk", "legal", "de")
    last = document.sections[-1]
    assert (last.section_id, last.title, last.clauses[0].title) == \
        ("appendix", "Anhang", "Herkunft der Klauseln")
    blocks = last.clauses[0].blocks
    heads = [b for b in blocks if isinstance(b, Paragraph) and b.spans[0].strong]
    body = [c for c in document.clauses() if c.clause_id]
    assert [re.findall(r"Klausel (\S+),", h.spans[1].text)[0] for h in heads] == \
        [c.clause_id for c in body]
    text = "\n".join("".join(s.text for s in b.spans) if isinstance(b, Paragraph)
                     else "\n".join("".join(s.text for s in i) for i in b.items)
                     for b in blocks if isinstance(b, Paragraph | ListBlock))
    assert "Grund der Aufnahme: Rechtsordnung DE; Bedingung erfüllt: company.works_council" \
        in text
    assert "geprüft am 23.\u00a0November\u00a02026" in text
    assert "§\u00a087 Abs.\u00a01 Nr.\u00a01" in text
    # a German company's appendix cites no law of the other jurisdictions
    assert not re.search(r"^(AT|CH|GB|US): ", text, re.MULTILINE)


def test_provenance_only_in_the_legal_edition(library) -> None:
    employees = guideline(library, "rheinwerk", "employees", "en")
    assert all(s.section_id != "appendix" for s in employees.sections)
    decision = Decision("a.c", True,
                        (Reason("required_by", "a.b"), Reason("industry", "healthcare")))
    assert decision.words("de") == "verlangt von a.b; Branche healthcare"
    assert decision.reason == "required by a.b; industry healthcare"


def test_comments_round_trip_to_clause_ids(library, tmp_path: Path, cli) -> None:
    document = guideline(library, "rheinwerk", "employees", "en", draft=True)
    draft = docx.Document(io.BytesIO(docx_writer.write(document)))
    disclosure = next(c for c in document.clauses() if c.clause_id == "employees.disclosure")
    first_text = "".join(s.text for s in disclosure.blocks[0].spans)
    target = next(p for p in draft.paragraphs if p.text == first_text)
    draft.add_comment(target.runs, text="Say 'in every post', not 'where possible'.",
                      author="Dr. Petra Lang", initials="PL")
    title = next(p for p in draft.paragraphs if p.text == document.meta.title)
    draft.add_comment(title.runs, text="Title approved.", author="Dr. Petra Lang")
    path = tmp_path / "reviewed.docx"
    draft.save(str(path))
    found = reviewer_comments.read_comments(path, "reviewed.docx")
    assert [(c.clause_id, c.author, c.text) for c in found] == [
        ("", "Dr. Petra Lang", "Title approved."),
        ("employees.disclosure", "Dr. Petra Lang", "Say 'in every post', not 'where possible'."),
    ]
    assert found[1].anchor == " ".join(first_text.split())
    everything = reviewer_comments.read_comments(path, "reviewed.docx", include_own=True)
    assert len(everything) == len(document.clauses()) + 2
    result = cli("comments", str(path))
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0] == f"{path}: 2 comments"
    assert re.fullmatch(r"  \(before the first clause\)  Dr\. Petra Lang \d{4}-\d\d-\d\d", lines[1])
    assert lines[2:4] == ["    on: \u201c" + document.meta.title + "\u201d", "    Title approved."]
    assert "  employees.disclosure  Dr. Petra Lang" in result.out


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_comments_survive_a_libreoffice_round_trip(library, tmp_path: Path) -> None:
    document = guideline(library, "rheinwerk", "employees", "en", draft=True)
    draft = docx.Document(io.BytesIO(docx_writer.write(document)))
    disclosure = next(c for c in document.clauses() if c.clause_id == "employees.disclosure")
    first_text = "".join(s.text for s in disclosure.blocks[0].spans)
    target = next(p for p in draft.paragraphs if p.text == first_text)
    draft.add_comment(target.runs, text="Check with the works council.", author="Reviewer")
    source = tmp_path / "in" / "draft.docx"
    source.parent.mkdir()
    draft.save(str(source))
    out = tmp_path / "out"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(source)],
                   check=True, capture_output=True, timeout=180)
    found = reviewer_comments.read_comments(out / "draft.docx", "draft.docx")
    assert [(c.clause_id, c.text) for c in found] == \
        [("employees.disclosure", "Check with the works council.")]


def test_comments_errors_are_located(tmp_path: Path, cli) -> None:
    missing = cli("comments", str(tmp_path / "nope.docx"))
    assert missing.code == 1
    assert missing.err == f"{tmp_path / 'nope.docx'}: file not found\n    hint: check the path\n"
    text = tmp_path / "notes.docx"
    text.write_text("not a zip", encoding="utf-8")
    bad = cli("comments", str(text))
    assert bad.code == 1
    assert bad.err.startswith(f"{text}: not a Word document (.docx is a zip archive)\n")


def test_as_draft_keeps_a_draft_and_changes_nothing_else(library) -> None:
    prof = render.load_profiles([ROOT / "policies" / "rheinwerk.yaml"])[0]
    drafted = reviewer_comments.as_draft(prof)
    assert drafted.document["status"] == "draft" and prof.document["status"] == "released"
    assert reviewer_comments.as_draft(drafted) is drafted
    assert {k: v for k, v in drafted.data.items() if k != "document"} == \
        {k: v for k, v in prof.data.items() if k != "document"}
    assert compose.compose(library, select.select(library, drafted, "legal"), drafted,
                           "en").meta.status_text == "Draft"

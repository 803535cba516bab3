"""Rendering and writers: values stay data, both formats agree, the Markdown is CommonMark."""

from __future__ import annotations

import io

import docx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from policygen.builds import render as rendering
from policygen.core import clauses, compose, profile, select, source
from policygen.document import Clause as DocClause
from policygen.document import Document, ListBlock, Meta, Paragraph, Section, Span, Table
from policygen.writers import markdown as markdown_writer
from policygen.writers.docx import body as docx_writer
from tests.conftest import EXAMPLES, FIXTURE_LIBRARY, FIXTURES
from tests.readback import docx_body, markdown_body

MINIMAL = (FIXTURES / "profiles" / "minimal.yaml").read_text(encoding="utf-8")
HOSTILE = "{{ 7*7 }} **bold** <b>x</b> &amp; | [a](javascript:alert(1)) {% raw %} \\ # 1."


def render(text: str, library_root=FIXTURE_LIBRARY, audience: str = "legal",
           lang: str = "en") -> Document:
    prof = profile.from_source(source.parse(text, "p.yaml"))
    library = clauses.load_library(library_root)
    return compose.compose(library, select.select(library, prof, audience), prof, lang)


def test_profile_values_appear_literally_in_both_formats() -> None:
    text = MINIMAL.replace("name: Minimal GmbH", f"name: '{HOSTILE}'\n  short_name: '{HOSTILE}'")
    text = text.replace("trigger: Alle Anfragen", f"trigger: '{HOSTILE}'")
    document = render(text)
    markdown = markdown_writer.write(document)
    md_texts = [t for _, t in markdown_body(markdown)]
    assert any(t.startswith(HOSTILE + " encourages you") for t in md_texts)
    assert any(HOSTILE in t for t in md_texts if " | " in t)  # the escalation table row
    assert "javascript" not in "".join(
        str(tok.attrs) for tok in __import__("markdown_it").MarkdownIt().enable("table")
        .parse(markdown) for tok in (tok.children or []))
    data = docx_writer.write(document)
    docx_texts = [t for _, t in docx_body(data)]
    assert any(t.startswith(HOSTILE + " encourages you") for t in docx_texts)
    assert docx.Document(io.BytesIO(data)).core_properties.title.startswith(
        "Social Media Guideline of {{ 7*7 }}")


def test_markdown_and_docx_have_the_same_body() -> None:
    document = render(MINIMAL)
    assert markdown_body(markdown_writer.write(document)) == \
        docx_body(docx_writer.write(document))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_examples_agree_across_formats(path) -> None:
    library = clauses.load_library()
    prof = rendering.load_profiles([path])[0]
    for audience in prof.audiences:
        assembly = select.select(library, prof, audience)
        for lang in prof.languages:
            document = compose.compose(library, assembly, prof, lang)
            md_body = markdown_body(markdown_writer.write(document))
            assert md_body == docx_body(docx_writer.write(document)), (audience, lang)
            assert [t for k, t in md_body if k == "h2"] == \
                [c.title for c in document.clauses()]


def _document(blocks: tuple) -> Document:
    import datetime as dt

    labels = compose.LABELS["en"]
    meta = Meta("T", "C", "C", "en", "employees", "Edition", "1.0", dt.date(2026, 1, 1),
                "1 January 2026", "released", "Released", "A", "O", "S")
    clause = DocClause("x.y", 1, "Clause", blocks)
    return Document(meta, labels, (Section("s", "Section", (clause,)),))


TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")),
               min_size=1, max_size=40).filter(lambda t: t.strip() == t and t)
WORD = st.text(alphabet="abcXYZ019äß", min_size=1, max_size=5)
# Emphasised runs start and end with a letter, as they do in clause text: CommonMark cannot
# express emphasis that begins right after a letter and right before punctuation.
FORMATTED = st.builds(lambda a, mid, b: a + mid + b, WORD, TEXT, WORD)
PLAIN = st.builds(Span, TEXT)
STYLED = st.builds(Span, FORMATTED, st.booleans(), st.booleans())
# Plain and formatted runs alternate, as in clause text; two formatted runs that touch have no
# unambiguous CommonMark form.
SPANS = st.lists(st.tuples(PLAIN, STYLED), min_size=1, max_size=3).map(
    lambda pairs: [span for pair in pairs for span in pair])


@given(st.lists(st.one_of(
    SPANS.map(lambda s: Paragraph(tuple(s))),
    st.builds(ListBlock, st.booleans(), st.lists(SPANS.map(tuple), min_size=1, max_size=3)
              .map(tuple)),
), min_size=1, max_size=4))
def test_property_markdown_round_trips_text(blocks: list) -> None:
    document = _document(tuple(blocks))
    parsed = markdown_body(markdown_writer.write(document))
    expected = [("h1", "Section"), ("h2", "Clause")]
    for block in blocks:
        if isinstance(block, Paragraph):
            expected.append(("p", "".join(s.text for s in block.spans)))
        else:
            kind = "ol" if block.ordered else "ul"
            expected += [(kind, "".join(s.text for s in item)) for item in block.items]
    assert parsed == expected


def test_table_cells_escape_pipes() -> None:
    table = Table(((Span("a|b"),), (Span("c"),)), (((Span("1|2"),), (Span("*3*"),)),))
    parsed = markdown_body(markdown_writer.write(_document((table,))))
    assert parsed[2:] == [("tr", "a|b | c"), ("tr", "1|2 | *3*")]

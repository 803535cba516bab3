"""Reading ease: formulas, sentence and syllable rules, and the bar for the employee guideline."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policygen.builds import render
from policygen.core import compose, select
from policygen.core.clauses import load_library
from policygen.core.compose import LABELS
from policygen.document import Clause, Document, ListBlock, Meta, Paragraph, Section, Span, Table
from policygen.hr import readability
from tests.conftest import ROOT

# The bar the employee guideline must clear; docs/readability.md gives the reasons.
THRESHOLDS = {"en": 50.0, "de": 40.0}
MAX_SENTENCE_WORDS = 70


def document(lang: str, *blocks: object, clause_id: str = "c.one") -> Document:
    meta = Meta(title="T", company="C", short_name="C", language=lang, audience="employees",
                audience_label="E", version="1", effective_date=dt.date(2026, 1, 1),
                effective_date_text="1 January 2026", status="released", status_text="R",
                author="A", owner="O", subject="S")
    clause = Clause(clause_id, 1, "A title that is not counted", tuple(blocks))  # type: ignore[arg-type]
    return Document(meta, LABELS[lang], (Section("s", "Section", (clause,)),))


@pytest.mark.parametrize(("lang", "sentences", "words", "syllables", "expected"), [
    ("en", 2, 20, 30, 69.8),   # 206.835 - 1.015 * 10 - 84.6 * 1.5 = 69.785
    ("en", 1, 4, 4, 118.2),    # 206.835 - 4.06 - 84.6 = 118.175
    ("de", 2, 20, 30, 82.2),   # 180 - 10 - 58.5 * 1.5 = 82.25 (binary: just below)
    ("de", 4, 60, 120, 48.0),  # 180 - 15 - 117 = 48
    ("en", 0, 0, 0, 0.0),
])
def test_formulas(lang: str, sentences: int, words: int, syllables: int,
                  expected: float) -> None:
    assert readability.score(lang, sentences, words, syllables) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("One. Two! Three? four.", ["One.", "Two!", "Three? four."]),
    ("Use e.g. a hashtag. Then post.", ["Use e.g. a hashtag.", "Then post."]),
    ("Siehe z. B. § 5 Abs. 4 UWG. Danach gilt es.", ["Siehe z. B. § 5 Abs. 4 UWG.",
                                                      "Danach gilt es."]),
    ("Vereinbart am 1. März 2024. Sie gilt.", ["Vereinbart am 1. März 2024.", "Sie gilt."]),
    ("(siehe Vereinbarung von 2024). Welche Daten?", ["(siehe Vereinbarung von 2024).",
                                                       "Welche Daten?"]),
    ('Write "I work here." Then share.', ['Write "I work here."', "Then share."]),
    ("Mail social@acme.example. Or call.", ["Mail social@acme.example.", "Or call."]),
])
def test_sentences(text: str, expected: list[str]) -> None:
    assert readability.split_sentences(text) == expected


@pytest.mark.parametrize(("lang", "word", "syllables"), [
    ("en", "the", 1), ("en", "make", 1), ("en", "walked", 1), ("en", "table", 2),
    ("en", "people", 2), ("en", "created", 2), ("en", "business", 3), ("en", "free", 1),
    ("en", "2026", 1), ("de", "Mitarbeitenden", 5), ("de", "Beiträge", 3), ("de", "über", 2),
    ("de", "Straße", 2), ("de", "Leitlinie", 3), ("de", "Betriebsrat", 3),
])
def test_syllables(lang: str, word: str, syllables: int) -> None:
    assert readability.count_syllables(word, lang) == syllables


def test_measure_counts_paragraphs_and_list_items_not_titles_or_tables() -> None:
    doc = document(
        "en",
        Paragraph((Span("We post. "), Span("You read the post at https://acme.example/x.",
                                           strong=True))),
        ListBlock(False, ((Span("ask first"),), (Span("be kind to people"),))),
        Table(((Span("Many many words in a table cell here"),),), ()),
    )
    result = readability.measure(doc)
    assert (result.sentences, result.words) == (4, 2 + 6 + 2 + 4)
    # we post | you read the post at link | ask first | be kind to people(2)
    assert result.syllables == 2 + 6 + 2 + 5
    assert result.longest[0] == readability.Sentence("You read the post at https://acme.example/x.",
                                                     6, "c.one")
    assert result.score == readability.score("en", 4, 14, 15)
    assert result.band == "very easy"


def test_summary_line() -> None:
    doc = document("de", Paragraph((Span("Wir posten gern. Sie lesen die Beiträge sorgfältig "
                                         "und teilen sie mit Kolleginnen und Kollegen."),)))
    result = readability.measure(doc)
    assert readability.summary_line("rheinwerk/employees.de", result) == (
        f"rheinwerk/employees.de: 22 words, Amstad reading ease {result.score:.1f} "
        f"({result.band}), "
        "7.5 words per sentence; longest: 12 words in c.one: \u201cSie lesen die Beiträge "
        "sorgfältig und teilen sie mit Kolleg\u2026\u201d")


@given(st.lists(st.sampled_from(["We post.", "You read every long article carefully.",
                                 "Ask the social media team before you answer."]),
                min_size=1, max_size=8), st.sampled_from(["en", "de"]))
def test_property_score_depends_on_proportions_not_length(sentences: list[str],
                                                         lang: str) -> None:
    once = readability.measure(document(lang, Paragraph((Span(" ".join(sentences)),))))
    twice = readability.measure(document(lang, Paragraph((Span(" ".join(sentences * 2)),))))
    assert twice.score == once.score
    assert (twice.sentences, twice.words) == (2 * once.sentences, 2 * once.words)


def test_employee_guidelines_stay_readable() -> None:
    library = load_library()
    profiles = render.load_profiles([ROOT / "policies" / f"{name}.yaml"
                                    for name in ("rheinwerk", "northwind", "albion-rhein")])
    measured = 0
    for profile in profiles:
        assembly = select.select(library, profile, "employees")
        for lang in profile.languages:
            result = readability.measure(compose.compose(library, assembly, profile, lang))
            line = readability.summary_line(f"{profile.slug}/employees.{lang}", result)
            assert result.score >= THRESHOLDS[lang], line
            assert result.longest[0].words <= MAX_SENTENCE_WORDS, line
            assert result.sentences > 200
            measured += 1
    assert measured == 5


# The length of every example's employee guideline, measured on 2026-12-01 (readability.length)
# plus 25 words, and never above 4,500 for a released profile. A released profile's guideline has
# 4,500 words at most (docs/readability.md); the ceilings keep every guideline from growing back.
MAX_RELEASED_WORDS = 4500
LENGTHS = {
    ("albion-rhein", "en"): 4588, ("albion-rhein", "de"): 4375, ("alpenlab", "de"): 4313,
    ("alpenlab", "en"): 4548, ("cascade-health", "en"): 4456, ("coastal-agency", "en"): 4305,
    ("donauland", "de"): 4194, ("granite-peak", "en"): 4500, ("northwind", "en"): 4522,
    ("rheinwerk", "de"): 4031, ("rheinwerk", "en"): 4246,
}


def test_length_counts_titles_text_and_tables() -> None:
    doc = document("en", Paragraph((Span("We post. You read."),)),
                   ListBlock(False, ((Span("ask first"),),)),
                   Table(((Span("Two words"),),), (((Span("three more words"),),),)))
    # "Section" + "A title that is not counted" + 4 + 2 + 2 + 3
    assert readability.length(doc) == 1 + 6 + 4 + 2 + 2 + 3


@pytest.mark.slow
def test_employee_guidelines_do_not_grow() -> None:
    library = load_library()
    paths = [ROOT / "policies" / f"{name}.yaml" for name in sorted({n for n, _ in LENGTHS})]
    for profile in render.load_profiles(paths):
        assembly = select.select(library, profile, "employees")
        for lang in profile.languages:
            name = Path(profile.path).stem
            length = readability.length(compose.compose(library, assembly, profile, lang))
            assert length <= LENGTHS[(name, lang)], (name, lang, length)


@pytest.mark.slow
def test_a_released_profiles_employee_guideline_has_at_most_4500_words() -> None:
    """Every released example profile's employee guideline stays within the limit."""
    library = load_library()
    paths = sorted((ROOT / "policies").glob("*.yaml"))
    released = 0
    for profile in render.load_profiles(paths):
        assembly = select.select(library, profile, "employees")
        for lang in profile.languages:
            length = readability.length(compose.compose(library, assembly, profile, lang))
            if profile.data["document"]["status"] == "released":
                assert length <= MAX_RELEASED_WORDS, (profile.slug, lang, length)
                released += 1
    assert released >= 5  # cascade-health, donauland, granite-peak, rheinwerk (de, en)



_SENTENCES = ["We post.", "You read every long article carefully.", "Ask first.",
              "Ask the social media team before you answer.", "Be kind to the people you meet."]


@given(st.lists(st.lists(st.sampled_from(_SENTENCES), max_size=5), min_size=1, max_size=6),
       st.sampled_from(["en", "de"]))
def test_property_a_document_figure_is_its_clauses_figures_combined(
        clauses: list[list[str]], lang: str) -> None:
    """What builds keep per clause (builds/splice.py) gives the figure of the whole text."""
    doc = document(lang)
    doc = Document(doc.meta, doc.labels, (Section("s", "Section", tuple(
        Clause(f"c.{i}", 1, f"Title {i}", (Paragraph((Span(" ".join(texts)),)),) if texts else ())
        for i, texts in enumerate(clauses))),))
    combined = readability.measure(doc, longest=3)
    # the figure as one pass over every sentence of the document gives it
    sentences = [readability.Sentence(text, len(readability.words_of(text)), c.clause_id)
                 for c in doc.clauses() for block in c.blocks
                 for text in readability.split_sentences(block.spans[0].text)]
    assert combined.sentences == len(sentences)
    assert combined.words == sum(s.words for s in sentences)
    assert combined.longest == tuple(sorted(sentences, key=lambda s: -s.words)[:3])
    assert combined.length == readability.length(doc)

"""The clause library against every example profile: renders, structure, reach, US wording."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

import pytest

from policygen.core import compose, select, templating
from policygen.core.clauses import ClauseLibrary, load_library
from policygen.core.profile import Profile, load_profile
from policygen.document import Block, ListBlock, Paragraph, Table
from tests import nlrb_phrasings
from tests.conftest import EXAMPLES

AUDIENCES = ("employees", "account_managers", "legal")
LANGUAGES = ("de", "en")


@cache
def library() -> ClauseLibrary:
    return load_library()


@cache
def example(name: str) -> Profile:
    return load_profile(next(p for p in EXAMPLES if p.stem == name))


def texts(blocks: tuple[Block, ...]) -> Iterator[str]:
    """The plain text of every paragraph, list item and table cell."""
    for block in blocks:
        if isinstance(block, Paragraph):
            yield "".join(span.text for span in block.spans)
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield "".join(span.text for span in item)
        elif isinstance(block, Table):
            for row in (block.header, *block.rows):
                for cell in row:
                    yield "".join(span.text for span in cell)


def shape(blocks: tuple[Block, ...]) -> list[tuple[str, ...]]:
    """The structure of rendered blocks: paragraphs, list items, table rows and columns."""
    result: list[tuple[str, ...]] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            result.append(("paragraph",))
        elif isinstance(block, ListBlock):
            result.append(("ol" if block.ordered else "ul", str(len(block.items))))
        else:
            result.append(("table", str(len(block.rows)), str(len(block.header))))
    return result


@cache
def rendered(name: str, audience: str, lang: str) -> dict[str, tuple[str, tuple[Block, ...],
                                                                     tuple[str, ...]]]:
    """Every selected clause of one example edition: title, blocks and summary lines."""
    profile = example(name)
    assembly = select.select(library(), profile, audience)
    context = templating.context(profile.localized(lang), profile.facts, lang, audience)
    result = {}
    for clause in assembly.clauses:
        doc_clause = compose.render_clause(clause, context, lang,
                                           assembly.decision(clause.id).words(lang),
                                           profile.path)
        summary = tuple(compose.render_template(clause, ("summary", i, lang), item.text[lang],
                                                context, lang, profile.path)
                        for i, item in enumerate(clause.summary))
        result[clause.id] = (doc_clause.title, doc_clause.blocks, summary)
    return result


NAMES = [p.stem for p in EXAMPLES]
EDITIONS = [(n, a, lang) for n in NAMES for a in AUDIENCES for lang in LANGUAGES]


def test_there_are_enough_varied_examples() -> None:
    assert len(NAMES) >= 8
    jurisdictions = {j for n in NAMES for j in example(n).company["jurisdictions"]}
    assert jurisdictions == {"DE", "AT", "CH", "GB", "US"}
    industries = {example(n).company["industry"] for n in NAMES}
    assert {"public_sector", "healthcare", "financial_services", "retail"} <= industries


@pytest.mark.parametrize(("name", "audience", "lang"), EDITIONS)
def test_every_clause_renders_for_every_example(name: str, audience: str, lang: str) -> None:
    clauses = rendered(name, audience, lang)
    assert clauses, f"{name} {audience} {lang}: nothing selected"
    for clause_id, (title, blocks, summary) in clauses.items():
        assert title.strip() and blocks, f"{clause_id} renders empty for {name} {lang}"
        for text in [title, *texts(blocks), *summary]:
            assert "{{" not in text and "{%" not in text, f"{clause_id}: template left: {text}"


@pytest.mark.parametrize(("name", "audience"), [(n, a) for n in NAMES for a in AUDIENCES])
def test_german_and_english_have_the_same_structure(name: str, audience: str) -> None:
    german, english = rendered(name, audience, "de"), rendered(name, audience, "en")
    assert list(german) == list(english)
    different = {clause_id: (shape(german[clause_id][1]), shape(english[clause_id][1]))
                 for clause_id in german
                 if shape(german[clause_id][1]) != shape(english[clause_id][1])
                 or len(german[clause_id][2]) != len(english[clause_id][2])}
    assert not different, f"{name} {audience}: de and en differ: {different}"


def test_every_clause_is_reachable_by_an_example_in_each_of_its_audiences() -> None:
    reached = {(clause.id, audience) for name in NAMES for audience in AUDIENCES
               for clause in select.select(library(), example(name), audience).clauses}
    wanted = {(clause.id, audience) for clause in library().clauses.values()
              for audience in clause.audiences}
    assert sorted(wanted - reached) == []


US_NAMES = [n for n in NAMES if "US" in example(n).company["jurisdictions"]]


@pytest.mark.parametrize("rule", nlrb_phrasings.RULES, ids=lambda r: r.id)
def test_overbroad_phrasing_rule_flags_its_examples(rule: nlrb_phrasings.Rule) -> None:
    assert rule.source
    for sentence in rule.flagged:
        assert rule.matches(sentence), sentence
    for sentence in rule.allowed:
        assert not rule.matches(sentence), sentence


@pytest.mark.parametrize("name", US_NAMES)
def test_no_overbroad_phrasing_in_us_output(name: str) -> None:
    found = []
    for audience in AUDIENCES:
        for clause_id, (title, blocks, summary) in rendered(name, audience, "en").items():
            found.extend((clause_id, rule, sentence) for rule, sentence in
                         nlrb_phrasings.findings([title, *texts(blocks), *summary]))
    assert sorted(set(found)) == []


@pytest.mark.parametrize("name", US_NAMES)
def test_us_employees_are_told_they_may_discuss_pay_and_conditions(name: str) -> None:
    body = " ".join(t for _, (_, blocks, _) in rendered(name, "employees", "en").items()
                    for t in texts(blocks))
    assert re.search(r"discuss[^.]{0,80}pay|pay[^.]{0,80}working conditions", body)
    assert "National Labor Relations Act" in body


def test_us_sentences_are_checked_and_flagging_works_on_real_output() -> None:
    # the check sees real text: a rule inserted into a US edition is caught
    name = US_NAMES[0]
    texts_of = [t for _, (_, blocks, _) in rendered(name, "employees", "en").items()
                for t in texts(blocks)]
    assert len(nlrb_phrasings.sentences(texts_of)) > 200
    polluted = [*texts_of, "Do not make disparaging comments about managers online."]
    assert [r for r, _ in nlrb_phrasings.findings(polluted)] == ["disparaging"]


def test_cross_references_name_existing_titles() -> None:
    titles = {lang: {s.title[lang] for s in library().sections.values()}
              | {c.title[lang] for c in library().clauses.values()} for lang in LANGUAGES}
    pattern = {"de": r"Abschnitt „([^“]+)“", "en": r"section \"([^\"]+)\""}
    broken = [(clause.id, lang, ref) for clause in library().clauses.values()
              for lang in LANGUAGES for ref in re.findall(pattern[lang], clause.text[lang])
              if ref not in titles[lang]]
    assert broken == []

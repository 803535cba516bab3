"""`policygen coverage`: the topic matrix of the library, and each profile's expected topics."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from policygen.cli.coverage import library_text, load_topics
from policygen.core import source
from policygen.core.clauses import load_library
from policygen.core.profile import load_profile
from policygen.errors import LibraryError
from policygen.legal import coverage
from tests.conftest import EXAMPLES, FIXTURE_LIBRARY, FIXTURES, LIB_ONLY, ROOT, write

MINIMAL = FIXTURES / "profiles" / "minimal.yaml"
TOPICS = ROOT / "schemas" / "topics.yaml"


def test_library_covers_every_topic_wherever_it_applies(cli) -> None:
    result = cli("coverage")
    assert result.code == 0, result.err
    assert result.err == ""
    lines = result.out.splitlines()
    assert re.fullmatch(r"Coverage of the clause library: \d+ clauses, 50 topics", lines[0])
    assert lines[3].split() == ["#", "topic", "DE", "AT", "CH", "GB", "US", "EU"]
    assert lines[4].split() == ["1", "purpose", "✓", "✓", "✓", "✓", "✓", "✓"]
    imprint = next(line for line in lines if " imprint " in line).split()
    assert imprint == ["32", "imprint", "✓", "✓", "✓", "–", "–", "✓"]
    codetermination = next(line for line in lines if " codetermination " in line).split()
    assert codetermination == ["5", "codetermination", "◐", "✓", "–", "✓", "–", "–"]
    assert lines[-1].endswith(" 0 missing")


def test_matrix_json_names_the_clauses_of_each_cell(cli) -> None:
    result = cli("coverage", "--format", "json")
    data = json.loads(result.out)["results"]
    assert data["jurisdictions"] == ["DE", "AT", "CH", "GB", "US", "EU"]
    assert len(data["topics"]) == 50 and data["gaps"] == []
    cells = {t["id"]: t["cells"] for t in data["topics"]}
    assert cells["imprint"]["AT"] == {"status": "covered",
                                      "clauses": ["legal.at_imprint", "official.imprint"]}
    assert cells["imprint"]["US"]["status"] == "n/a"
    assert "employees.inside_information" in cells["insider_information"]["CH"]["clauses"]
    assert data["clauses"] == len(load_library().clauses)


def test_docs_coverage_md_holds_the_current_matrix(cli) -> None:
    table = cli("coverage", "--format", "md").out.strip()
    assert table.startswith("| # | topic | DE | AT | CH | GB | US | EU |")
    docs = (ROOT / "docs" / "coverage.md").read_text(encoding="utf-8")
    assert table in docs, "paste `policygen coverage --format md` into docs/coverage.md"


@pytest.mark.parametrize(("jurisdictions", "target", "reaches"), [
    (None, "CH", True),
    (["DE"], "DE", True),
    (["DE"], "AT", False),
    (["EU"], "AT", True),
    (["EU"], "EU", True),
    (["DE"], "EU", False),
    (["AT", "DE"], "EU", True),
    (["EU"], "GB", False),
    (["CH", "EU", "GB"], "US", False),
])
def test_clause_reaches(jurisdictions: list[str] | None, target: str, reaches: bool) -> None:
    clause = next(iter(load_library().clauses.values()))
    probe = clause.__class__(**{**clause.__dict__, "jurisdictions":
                                frozenset(jurisdictions) if jurisdictions else None})
    assert coverage.clause_reaches(probe, target) is reaches


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_each_example_covers_every_expected_topic(cli, example: Path) -> None:
    library = load_library()
    profile = load_profile(example)
    result = coverage.profile_coverage(library, load_topics(), profile)
    assert result.gaps == ()
    assert "legal" in result.audiences
    for status in result.topics:
        if status.expected:
            assert status.editions["legal"].clauses, status.topic.id
    shown = cli("coverage", str(example))
    assert shown.code == 0, shown.err
    assert shown.out.rstrip().endswith(f"all {result.expected_count} expected topics covered")


def test_expected_topics_follow_the_profile() -> None:
    topics = {t.id: t for t in load_topics()}
    northwind = load_profile(ROOT / "policies" / "northwind.yaml")
    rheinwerk = load_profile(ROOT / "policies" / "rheinwerk.yaml")
    assert coverage.expectation(topics["insider_information"], northwind) == \
        (True, "expected: company.listed or facts.regulated_finance")
    assert coverage.expectation(topics["insider_information"], rheinwerk) == \
        (False, "not expected: company.listed or facts.regulated_finance is false")
    assert coverage.expectation(topics["imprint"], northwind) == \
        (False, "applies only in AT, CH, DE, EU; the company operates in US")
    assert coverage.expectation(topics["imprint"], rheinwerk)[0] is True


def test_a_profile_that_excludes_a_needed_clause_fails_at_the_exclusion(cli,
                                                                       tmp_path: Path) -> None:
    text = (ROOT / "policies" / "rheinwerk.yaml").read_text(encoding="utf-8")
    profile = write(tmp_path / "gap.yaml",
                    text + "\noverrides:\n  exclude: [official.imprint]\n")
    result = cli("coverage", str(profile))
    assert result.code == 1
    line = len(text.splitlines()) + 3
    assert f"gap.yaml:{line}:13: topic 32 'imprint' is expected but missing from the " \
           "account_managers edition\n    hint: remove official.imprint from overrides.exclude" \
           in result.err
    assert f"gap.yaml:{line}:13: topic 32 'imprint' is expected but missing from the legal " \
           "edition" in result.err
    assert "32  imprint                   –   ✗   ✗" in result.out
    data = json.loads(cli("coverage", str(profile), "--format", "json").out)["results"]
    assert {(m["topic"], m["edition"]) for m in data["missing"]} == {
        ("imprint", "account_managers"), ("imprint", "legal")}


def test_small_library_has_gaps_and_exits_1(cli) -> None:
    result = cli("coverage", *LIB_ONLY, str(FIXTURE_LIBRARY))
    assert result.code == 1
    assert "✗" in result.out
    assert result.err.startswith("schemas/topics.yaml:")
    assert "topic/jurisdiction gaps: purpose in DE, purpose in AT" in result.err
    profile = cli("coverage", str(MINIMAL), *LIB_ONLY, str(FIXTURE_LIBRARY))
    assert profile.code == 1
    assert "minimal.yaml:1:1: topic 1 'purpose' is expected but missing from the employees " \
           "edition\n    hint: the library has no clause on this topic; add one" in profile.err


def test_bad_profile_and_bad_usage(cli, tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.yaml",
                MINIMAL.read_text(encoding="utf-8").replace("retail", "retial"))
    result = cli("coverage", str(bad))
    assert result.code == 1 and result.out == ""
    assert "bad.yaml:4:13: company.industry: 'retial' is not an allowed value" in result.err
    assert cli("coverage", "--format", "xml").code == 2


TOPIC_CASES = [
    ("unknown group", "group: governance, title: \"Purpose and goals\"",
     "group: governence, title: \"Purpose and goals\"",
     "t.yaml:15:17: topic 'purpose': unknown group 'governence'\n"
     "    hint: groups: governance, employees, official, community"),
    ("bad expression", "expected_when: \"true\"}\nscope:", "expected_when: \"company.\"}\nscope:",
     "t.yaml:17:19: topic 'purpose': expected_when does not compile: expected name or number"),
    ("undeclared field", "expected_when: \"true\"}\nscope:",
     "expected_when: \"company.size > 10\"}\nscope:",
     "t.yaml:17:19: topic 'purpose': 'company.size' is not declared in schemas/profile.yaml"),
    ("unknown key", "{n: 1, group: governance,", "{n: 1, colour: red, group: governance,",
     "t.yaml:15:10: unknown key 'colour' in topic 'purpose'"),
    ("audiences without legal", "audiences: [employees, account_managers, legal],\n"
     "   expected_when: \"true\"}\nscope:",
     "audiences: [employees],\n   expected_when: \"true\"}\nscope:",
     "t.yaml:16:15: topic 'purpose': audiences must list editions and include legal"),
    ("duplicate number", "{n: 2, group: governance", "{n: 1, group: governance",
     "t.yaml:15:7: topic number 1 is used more than once"),
]


@pytest.mark.parametrize(("case", "old", "new", "message"), TOPIC_CASES,
                         ids=[c[0] for c in TOPIC_CASES])
def test_topic_catalogue_errors_are_located(case: str, old: str, new: str,
                                            message: str) -> None:
    text = TOPICS.read_text(encoding="utf-8")
    assert old in text, case
    doc = source.parse(text.replace(old, new, 1), "t.yaml")
    with pytest.raises(LibraryError) as info:
        coverage.parse_topics(doc)
    assert message in info.value.render()


def test_library_text_marks_conditional_and_missing() -> None:
    topics = load_topics()
    matrix = coverage.library_coverage(load_library(FIXTURE_LIBRARY), topics)
    text = library_text(matrix)
    assert "5  codetermination           ◐  ✗  –  ✗  –  –" in text
    assert len(matrix.gaps()) == sum(line.count("✗") for line in text.splitlines()[4:])

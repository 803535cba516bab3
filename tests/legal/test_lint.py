"""Legal lint: every rule has a failing and a passing example; locations and exit codes."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policygen.core import clauses, profile, source
from policygen.errors import Location
from policygen.legal import lint
from tests.conftest import ROOT, write

POLICIES = ROOT / "policies"


@pytest.fixture(scope="module")
def library() -> clauses.ClauseLibrary:
    return clauses.load_library()


def variant(name: str, *replacements: tuple[str, str], extra: str = "") -> profile.Profile:
    text = (POLICIES / f"{name}.yaml").read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    return profile.from_source(source.parse(text + extra, f"{name}.yaml"))


def codes(library: clauses.ClauseLibrary, prof: profile.Profile) -> list[str]:
    return [f.message.split(" ", 1)[0] for f in lint.lint(library, prof)]


def located(library: clauses.ClauseLibrary, prof: profile.Profile, code: str) -> list[str]:
    return [f.render() for f in lint.lint(library, prof) if f.message.startswith(code)]


def line_col(path: Path | str, needle: str, text: str | None = None) -> tuple[int, int]:
    content = text if text is not None else Path(path).read_text(encoding="utf-8")
    for number, line in enumerate(content.splitlines(), start=1):
        if needle in line:
            return number, line.index(needle) + 1
    raise AssertionError(needle)


@pytest.mark.parametrize("name", ["rheinwerk", "northwind", "albion-rhein"])
def test_the_examples_pass(library, name: str) -> None:
    assert lint.lint(library, variant(name)) == []


def test_every_rule_is_documented_with_its_legal_source() -> None:
    doc = (ROOT / "docs" / "lint.md").read_text(encoding="utf-8")
    for code, rule in lint.RULES.items():
        section = re.search(rf"^## {code} {rule.name}\n(.*?)(?=^## |\Z)", doc,
                            re.MULTILINE | re.DOTALL)
        assert section is not None, code
        assert "**Legal source:**" in section.group(1), code
        assert "**Fails:**" in section.group(1) and "**Passes:**" in section.group(1), code


# PL001: overbroad US rules, from a custom clause and from a profile value.
DISPARAGING = """id: employees.no_disparaging
version: 1
section: employees
order: 999
audiences: [employees, account_managers, legal]
requires: []
excludes: []
topics: [respect]
mandatory_in: []
legal: []
title:
  de: "Ruf des Unternehmens"
  en: "Our reputation"
text:
  de: |
    Äußern Sie sich nicht über {{ company.short_name }} in der Öffentlichkeit.
  en: |
    Employees must not post disparaging comments about {{ company.short_name }} online.
"""


def test_pl001_custom_clause_with_an_overbroad_ban(tmp_path: Path) -> None:
    root = tmp_path / "clauses"
    shutil.copytree(ROOT / "clauses", root)
    clause_file = write(root / "employees" / "employees.no_disparaging.yaml", DISPARAGING)
    library = clauses.load_library(root, "clauses")
    findings = located(library, variant("northwind"), "PL001")
    line, col = line_col(clause_file, "disparaging comments")
    assert findings == [
        f"clauses/employees/employees.no_disparaging.yaml:{line}:{col}: PL001 a ban on "
        "'disparaging' statements in clause employees.no_disparaging (en): \u201cdisparaging\u201d;"
        " the NLRB presumes such a rule unlawful for US employees (Stericycle)\n"
        "    hint: name the conduct narrowly, with examples, and leave discussing pay, working "
        "conditions and the employer's management free (docs/lint.md#pl001)"]
    # the same clause for a company without US employees passes
    assert codes(library, variant("rheinwerk")) == []


def test_pl001_profile_value_that_reaches_the_text(library) -> None:
    old = "purpose: Webinars and tutorials"
    new = "purpose: \"Webinars; never post inappropriate content\""
    prof = variant("northwind", (old, new))
    findings = located(library, prof, "PL001")
    text = (POLICIES / "northwind.yaml").read_text(encoding="utf-8").replace(old, new)
    line, col = line_col("", "\"Webinars", text)
    assert findings and all(f.startswith(f"northwind.yaml:{line}:{col}: PL001 ") for f in findings)
    assert findings[0].startswith(
        f"northwind.yaml:{line}:{col}: PL001 a rule against 'inappropriate' content that gives "
        "no examples in clause purpose.channels (en): \u201cinappropriate\u201d")


@pytest.mark.parametrize("phrase", [
    "Do not talk to the media about Acme.",
    "Never post photos of the workplace.",
    "Do not use the Acme logo without permission.",
    "Do not share confidential information.",
    "Always be respectful.",
])
def test_pl001_phrases(phrase: str) -> None:
    assert any(p.search(phrase) for _, p, _ in lint.OVERBROAD), phrase


@pytest.mark.parametrize("phrase", [
    "Do not share confidential information, for example unpublished figures.",
    "Do not use the logo to make a private account look official.",
    "You may talk to journalists about your working conditions.",
])
def test_pl001_narrow_rules_pass(phrase: str) -> None:
    hits = [what for what, p, _ in lint.OVERBROAD if p.search(phrase)
            and not (what.endswith("by examples") and lint._EXAMPLES.search(phrase))]
    assert hits == [], phrase


def test_pl002_works_council_without_codetermination(library) -> None:
    excluded = "\noverrides:\n  exclude: [governance.codetermination_de, " \
               "criticism.visitor_posts_codetermination]\n"
    agreement = "  works_agreement: {de: Betriebsvereinbarung Social Media vom 1. März 2024, " \
                "en: works agreement on social media of 1 March 2024}\n"
    failing = variant("rheinwerk", (agreement, ""), extra=excluded)
    line, col = line_col(POLICIES / "rheinwerk.yaml", "works_council: true")
    assert located(library, failing, "PL002") == [
        f"rheinwerk.yaml:{line}:{col + len('works_council: ')}: PL002 works "
        "council in DE, but no co-determination clause and no governance.works_agreement; "
        "conduct rules for employees are subject to co-determination (DE § 87 Abs. 1 Nr. 1 "
        "BetrVG)\n    hint: keep the co-determination clause, or name the works agreement in "
        "governance.works_agreement (docs/lint.md#pl002)"]
    passing = variant("rheinwerk", extra=excluded)  # the agreement is named
    assert "PL002" not in codes(library, passing)


def test_pl003_advocacy_without_per_post_disclosure(library) -> None:
    failing = variant("northwind", ("per_post: true", "per_post: false"))
    assert codes(library, failing) == ["PL003"]
    finding = lint.lint(library, failing)[0]
    text = (POLICIES / "northwind.yaml").read_text(encoding="utf-8")
    line, col = line_col("", "per_post: true", text)
    assert finding.location == Location("northwind.yaml", line, col + len("per_post: "))
    assert codes(library, variant("northwind")) == []


def test_pl004_listed_without_reg_fd_or_mar(library) -> None:
    failing = variant("northwind", extra="\noverrides:\n  exclude: "
                                         "[industry.us_listed_disclosure]\n")
    found = located(library, failing, "PL004")
    assert len(found) == 1 and "listed company in US without a rule on inside information " \
        "and selective disclosure (Reg FD)" in found[0]
    eu = variant("rheinwerk", ("listed: false", "listed: true"))
    assert "PL004" not in codes(library, eu)  # the MAR clauses apply
    eu_failing = variant("rheinwerk", ("listed: false", "listed: true"),
                         extra="\noverrides:\n  exclude: [legal.eu_market_abuse, "
                               "industry.eu_listed_disclosure, employees.inside_information]\n"
                         if "employees.inside_information" in library.clauses else
                         "\noverrides:\n  exclude: [legal.eu_market_abuse, "
                         "industry.eu_listed_disclosure]\n")
    assert "PL004" in codes(library, eu_failing)


def test_pl005_regulated_finance_without_supervision(library) -> None:
    failing = variant("northwind", ("industry: technology", "industry: financial_services"))
    assert "PL005" in codes(library, failing)
    assert "PL005" not in codes(library, variant("albion-rhein"))
    broker = variant("northwind", ("industry: technology", "industry: financial_services"),
                     ("regulators: [SEC]", "regulators: [SEC, FINRA]"))
    assert "PL005" not in codes(library, broker)


def test_pl006_healthcare_without_patient_data_rules(library) -> None:
    healthcare = variant("rheinwerk", ("industry: manufacturing", "industry: healthcare"))
    assert "PL006" not in codes(library, healthcare)
    failing = variant("rheinwerk", ("industry: manufacturing", "industry: healthcare"),
                      extra="\noverrides:\n  exclude: [industry.health_data]\n")
    assert codes(library, failing) == ["PL006", "PL008"]


def test_pl007_sources_older_than_the_review_cycle(library) -> None:
    failing = variant("northwind", ("effective_date: 2027-01-15", "effective_date: 2028-01-15"),
                      ("review_cycle_months: 12", "review_cycle_months: 6"))
    found = [f for f in lint.lint(library, failing) if f.message.startswith("PL007")]
    assert found
    first = found[0]
    clause_id = first.message.split(" ")[1].rstrip(":")
    clause = library.clauses[clause_id]
    assert first.location == clause.locate(("legal", 0, "checked"))
    assert first.message.endswith("was last checked on 2026-11-23, more than 6 months before "
                                  "the effective date 2028-01-15")
    within = variant("northwind", ("effective_date: 2027-01-15", "effective_date: 2027-05-23"),
                     ("review_cycle_months: 12", "review_cycle_months: 6"))
    assert "PL007" not in codes(library, within)


def test_pl008_mandatory_clause_excluded(library) -> None:
    failing = variant("rheinwerk", extra="\noverrides:\n  exclude: [legal.de_image_consent]\n")
    found = located(library, failing, "PL008")
    assert found == [
        "rheinwerk.yaml:{}:13: PL008 legal.de_image_consent is excluded, but the law of DE "
        "requires its rule (mandatory_in)\n    hint: remove it from overrides.exclude, or "
        "replace it with a clause of your own that covers the same duty "
        "(docs/lint.md#pl008)".format(
            (POLICIES / "rheinwerk.yaml").read_text(encoding="utf-8").count("\n") + 3)]
    # a clause mandatory elsewhere, that would not apply anyway, may be excluded
    passing = variant("rheinwerk", extra="\noverrides:\n  exclude: [legal.us_passwords]\n")
    assert codes(library, passing) == []


def test_lint_command_warns_and_strict_fails(cli, tmp_path: Path) -> None:
    text = (POLICIES / "northwind.yaml").read_text(encoding="utf-8")
    bad = write(tmp_path / "northwind.yaml", text.replace("per_post: true", "per_post: false"))
    result = cli("lint", str(bad))
    assert result.code == 0
    assert f"{bad}:" in result.out and ": warning: PL003 advocacy programme" in result.out
    assert result.out.endswith(f"{bad}: 1 legal lint finding\n")
    strict = cli("lint", str(bad), "--strict")
    assert strict.code == 1 and ": error: PL003" in strict.out
    assert strict.err == "1 legal lint finding (--strict)\n"
    ignored = cli("lint", str(bad), "--ignore", "PL003", "--strict")
    assert ignored.code == 0 and ignored.out == f"{bad}: no legal lint findings\n"
    unknown = cli("lint", str(bad), "--ignore", "PL999")
    assert unknown.code == 2 and "--ignore: unknown rule PL999" in unknown.err
    as_json = cli("lint", str(bad), "--format", "json")
    assert '"code": "PL003"' in as_json.out and '"rule": "advocacy-disclosure"' in as_json.out


def test_validate_and_build_show_lint(cli, tmp_path: Path) -> None:
    text = (POLICIES / "northwind.yaml").read_text(encoding="utf-8")
    bad = write(tmp_path / "northwind.yaml", text.replace("per_post: true", "per_post: false"))
    validate = cli("validate", str(bad))
    assert validate.code == 0 and "PL003 advocacy programme" in validate.err
    assert cli("validate", str(bad), "--strict").code == 1
    out = tmp_path / "out"
    strict = cli("build", str(bad), "--out", str(out), "--strict", "--format", "md")
    assert strict.code == 1 and "PL003" in strict.err and not out.exists()
    built = cli("build", str(bad), "--out", str(out), "--format", "md", "--jobs", "1")
    assert built.code == 0 and "warning: PL003" in built.err
    draft = cli("build", str(bad), "--out", str(out), "--format", "md", "--jobs", "1",
                "--draft", "--audience", "employees")
    assert draft.code == 0
    assert "> **DRAFT \u00b7 employees.disclosure**" in \
        (out / "northwind" / "employees.en.md").read_text(encoding="utf-8")


_PL001_WORDS = st.sampled_from([
    "disparaging", "Herabsetzung", "ABFÄLLIG", "inappropriate", "unangemessene", "be respectful",
    "Disrespectful", "respektlos", "seien Sie respektvoll", "do not", "don't", "must not",
    "may not", "never", "are not allowed to", "is not allowed to", "speak", "to the", "media",
    "press", "post", "photos", "of", "our", "offices", "use", "the", "logo", "without",
    "share", "any", "confidential", "DISPARAG", "ſuch", "K", " ", "\n", "e.g.", "x"])


@given(st.lists(_PL001_WORDS, max_size=12).map(" ".join))
def test_property_pl001_prefilter_never_hides_a_match(text: str) -> None:
    """A text the word prefilter skips matches none of the PL001 patterns."""
    if any(pattern.search(text) for _, pattern in lint.OVERBROAD):
        folded = text.casefold()
        assert any(word in folded for word in lint.OVERBROAD_WORDS), text

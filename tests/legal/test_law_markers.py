"""What a company's documents must and must not say, for profiles whose law differs.

Each test builds a variant of an example profile (a council instead of an executive agency, a
US manufacturer instead of a hospital, ...) and reads the composed documents of every edition
and language. The markers are phrases a lawyer of that country would look for.
"""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from policygen.core import clauses, compose, profile, select, source
from policygen.legal import coverage, lint
from tests.conftest import ROOT

POLICIES = ROOT / "policies"


@pytest.fixture(scope="module")
def library() -> clauses.ClauseLibrary:
    return clauses.load_library()


def variant(name: str, *replacements: tuple[str, str]) -> profile.Profile:
    text = (POLICIES / f"{name}.yaml").read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    return profile.from_source(source.parse(text, f"{name}.yaml"))


def texts(library: clauses.ClauseLibrary, prof: profile.Profile,
          audiences: tuple[str, ...] = ("employees", "account_managers", "legal")) -> str:
    """Every paragraph, list item and cell of the documents, all editions and languages."""
    out = []
    for audience in audiences:
        assembly = select.select(library, prof, audience)
        for lang in ("de", "en"):
            document = compose.compose(library, assembly, prof, lang)
            out.extend(text for _, text in lint._block_texts(document))
    return "\n".join(out)


def council() -> profile.Profile:
    return variant("coastal-agency",
                   ("name: Coastal Resilience Agency", "name: Harbourside Borough Council"),
                   ("short_name: Coastal Resilience Agency", "short_name: Harbourside Council"),
                   ("legal_form: executive agency", "legal_form: local authority"),
                   ("public_body: central_government", "public_body: local_authority"))


def test_a_council_gets_the_publicity_code_not_the_civil_service_code(library) -> None:
    text = texts(library, council())
    assert "Local Government Act 1986" in text
    assert "Code of Recommended Practice on Local Authority Publicity" in text
    assert "politically restricted post" in text
    assert "pre-election period" in text.lower() or "Zeit vor Wahlen" in text
    assert "Civil Service Code" not in text
    assert "Government Communication Service" not in text


def test_the_executive_agency_keeps_the_civil_service_code(library) -> None:
    text = texts(library, variant("coastal-agency"))
    assert "Civil Service Code" in text
    assert "Government Communication Service" in text
    assert "Local Authority Publicity" not in text


def test_a_public_body_of_unknown_kind_gets_neither_regime(library) -> None:
    prof = variant("coastal-agency", ("  public_body: central_government\n", ""))
    text = texts(library, prof)
    assert "Civil Service Code" not in text and "Local Authority Publicity" not in text
    assert "Freedom of Information Act 2000" in text


def test_a_us_manufacturer_is_not_told_hipaa_forbids_it_to_disclose(library) -> None:
    prof = variant("cascade-health", ("industry: healthcare", "industry: pharma"),
                   ("  hipaa_role: covered_entity\n", "  hipaa_role: not_covered\n"))
    text = texts(library, prof)
    assert "Whether HIPAA applies to" in text
    assert "HIPAA prohibits" not in text and "verbietet der HIPAA" not in text
    assert "is a HIPAA covered entity" not in text
    assert "Breach Notification Rule" not in text


def test_a_hospital_is_bound_by_hipaa_and_its_breach_rule(library) -> None:
    text = texts(library, variant("cascade-health"))
    assert "is a HIPAA covered entity" in text
    assert "Breach Notification Rule" in text and "60 days" in text
    assert "health department" in text  # whistleblowing channels beyond the SEC
    assert "Whether HIPAA applies to" not in text


def test_a_swiss_pharma_company_gets_the_medicines_advertising_clause(library) -> None:
    prof = variant("alpenlab")
    text = texts(library, prof, ("employees", "account_managers"))
    assert "Keine Publikumswerbung für verschreibungspflichtige Arzneimittel" in text
    assert "No advertising of prescription medicines to the public" in text
    assert "Swissmedic" in text


def test_coverage_does_not_count_the_health_data_clause_for_swiss_medicines_advertising(
        library) -> None:
    topics = coverage.parse_topics(source.parse(
        (ROOT / "schemas" / "topics.yaml").read_text(encoding="utf-8"), "schemas/topics.yaml"))
    health = library.clauses["industry.health_data"]
    assert coverage.clause_serves(health, "third_party_data", "CH")
    assert not coverage.clause_serves(health, "regulated_content", "CH")
    assert coverage.clause_serves(health, "regulated_content", "DE")  # EU law (DSA) counts
    cell = coverage.library_coverage(library, topics).cells[("regulated_content", "CH")]
    assert cell.clauses == ("legal.ch_medicines_advertising",)
    prof = profile.from_source(source.parse(
        (POLICIES / "alpenlab.yaml").read_text(encoding="utf-8")
        + "\noverrides:\n  exclude: [legal.ch_medicines_advertising]\n", "alpenlab.yaml"))
    result = coverage.profile_coverage(library, topics, prof)
    missing = {(gap.topic.id, gap.audience) for gap in result.gaps}
    assert ("regulated_content", "legal") in missing or \
        ("regulated_content", "account_managers") in missing


def test_a_general_clause_serves_everywhere_and_a_practice_rule_where_it_is_written(
        library) -> None:
    assert coverage.clause_serves(library.clauses["employees.posting_well"], "posting_well", "US")
    imprint = library.clauses["official.imprint"]
    assert coverage.clause_serves(imprint, "imprint", "EU")  # serves every member state
    assert not coverage.clause_serves(imprint, "imprint", "GB")  # does not reach GB


def test_a_payment_institution_gets_no_mifid_call_recording(library) -> None:
    prof = variant("albion-rhein", ("financial_activities: [investment_services, fund_management]",
                                    "financial_activities: [payment_services]"))
    text = texts(library, prof)
    assert "must in part be recorded" not in text
    assert "for investment services at least five years" not in text
    assert "accounts, payments or contracts only through the firm's approved channels" in text


def test_an_investment_firm_keeps_the_recording_rule(library) -> None:
    text = texts(library, variant("albion-rhein"))
    assert "must in part be recorded" in text
    assert "for investment services at least five years" in text


def test_austrian_texts_cite_the_ogh_for_what_it_held(library) -> None:
    clause = library.clauses["legal.at_private_use_controls"]
    cited = [s.source for s in clause.legal if "9 ObA 75/04a" in s.source]
    assert cited and "in der Regel keinen Entlassungsgrund" in cited[0]
    text = texts(library, variant("donauland"))
    assert "zunächst zu einem Gespräch oder einer Ermahnung, nicht zur Entlassung" in text
    assert "HinweisgeberInnenschutzgesetz" in text
    assert "Gewerbeordnung 1859" in text
    assert "nicht abschließend geklärt" in text  # the imprint under the Media Act


def test_german_mandatory_training_names_the_works_council(library) -> None:
    text = texts(library, variant("rheinwerk"))
    assert "Pflichtschulungen zu sozialen Medien" in text
    assert any("§ 98" in s.source
               for s in library.clauses["governance.codetermination_de"].legal)


def test_recognised_unions_are_named(library) -> None:
    prof = variant("coastal-agency", ("  public_body: central_government\n",
                                      "  public_body: central_government\n"
                                      "  recognised_unions: [PCS, Prospect]\n"))
    assert "We involve the trade unions we recognise expressly: PCS and Prospect." in \
        texts(library, prof)


def test_a_channel_on_another_platform_shows_its_name(library) -> None:
    text = (POLICIES / "coastal-agency.yaml").read_text(encoding="utf-8")
    channel = ("    - {platform: other, name: Nextdoor, handle: coastal-agency, "
               "purpose: Local flood updates, owner: Digital Communications}\n")
    marker = "  channels:\n"
    assert marker in text
    prof = profile.from_source(source.parse(text.replace(marker, marker + channel, 1),
                                            "coastal-agency.yaml"))
    assert "Nextdoor" in texts(library, prof, ("account_managers",))
    unnamed = text.replace(marker, marker + channel.replace("name: Nextdoor, ", ""), 1)
    with pytest.raises(profile.ProfileError) as caught:
        profile.from_source(source.parse(unnamed, "coastal-agency.yaml"))
    assert "a channel on platform 'other' needs its name" in str(caught.value.problems[0])


@pytest.mark.parametrize(("phrase", "past", "day"), [
    ("ab dem 2. August 2026", False, dt.date(2026, 8, 2)),
    ("from 2 August 2026", False, dt.date(2026, 8, 2)),
    ("starting on August 2, 2026", False, dt.date(2026, 8, 2)),
    ("seit dem 14. Mai 2024", True, dt.date(2024, 5, 14)),
    ("since 28 May 2022", True, dt.date(2022, 5, 28)),
])
def test_dated_phrases_are_recognised(phrase: str, past: bool, day: dt.date) -> None:
    assert list(lint.dated_phrases(f"Die Regel gilt {phrase} für alle.")) == [(phrase, past, day)]


def test_pl009_flags_a_future_date_that_is_past_on_the_effective_date(tmp_path) -> None:
    root = tmp_path / "clauses"
    shutil.copytree(ROOT / "clauses", root)
    clause_file = root / "legal" / "legal.eu_ai_disclosure.yaml"
    text = clause_file.read_text(encoding="utf-8")
    assert "The EU AI Act requires anyone" in text
    clause_file.write_text(text.replace("The EU AI Act requires anyone",
                                        "From 2 August 2026, the EU AI Act requires anyone"),
                           encoding="utf-8")
    stale = clauses.load_library(root, "clauses")
    found = [f for f in lint.lint(stale, variant("rheinwerk")) if f.message.startswith("PL009")]
    assert [f.message for f in found] == [
        "PL009 clause legal.eu_ai_disclosure (en) says \u201cFrom 2 August 2026\u201d, but the "
        "rule has applied since then: the documents take effect on 2026-12-01"]
    assert found[0].location.path == "clauses/legal/legal.eu_ai_disclosure.yaml"
    # a date still ahead of the effective date may be announced as future
    clause_file.write_text(text.replace("The EU AI Act requires anyone",
                                        "From 2 August 2027, the EU AI Act requires anyone"),
                           encoding="utf-8")
    ahead = clauses.load_library(root, "clauses")
    assert not [f for f in lint.lint(ahead, variant("rheinwerk"))
                if f.message.startswith("PL009")]

"""`policygen assess` and the readiness warnings of `policygen validate`."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from policygen.core.clauses import load_library
from policygen.core.profile import load_profile
from policygen.onboarding.readiness import Assessment, assess, covered_jurisdictions, warnings
from tests.conftest import EXAMPLES, FIXTURE_LIBRARY, FIXTURES, ROOT, write

WEAK = FIXTURES / "profiles" / "weak.yaml"
MINIMAL = FIXTURES / "profiles" / "minimal.yaml"
OBSTACLES = ["budget_resources", "roi", "not_it", "legal", "culture"]
POINTS = ["goals", "target_groups", "responsibility", "participation", "criticism"]


def run(path: Path, library: Path | None = None) -> Assessment:
    lib = load_library(library)
    return assess(load_profile(path), covered_jurisdictions(
        c.jurisdictions for c in lib.clauses.values()))


def gaps(result: Assessment) -> dict[str, list[str]]:
    return {d.id: [c.id for c in d.checks if not c.ok] for d in result.dimensions()}


NONE = {key: [] for key in [*OBSTACLES, *POINTS, "stage.personnel", "stage.structure",
                            "stage.culture"]}
EXPECTED = {
    # Rheinwerk: budget, 75 staffed hours for 45 service hours, seniors, KPIs for every goal,
    # DPO, works council contact and works agreement, training, four levels of criticism
    # handling: nothing missing; it states lower stages than its profile shows.
    "policies/rheinwerk.yaml": (NONE, [("partial", "integrated"), ("partial", "integrated"),
                                       ("pilot", "integrated")]),
    "policies/northwind.yaml": (NONE, [("integrated", "integrated"),
                                       ("integrated", "integrated"), ("partial", "integrated")]),
    # Albion Rhein: 38 hours cannot staff 50 service hours (Mon-Fri 08-18); no house rules.
    "policies/albion-rhein.yaml": ({**NONE, "budget_resources": ["coverage"],
                                    "criticism": ["criticism.house_rules"],
                                    "stage.personnel": ["coverage"],
                                    "stage.structure": ["criticism.house_rules"],
                                    "stage.culture": ["employees.advocacy"]},
                                   [("partial", "partial"), ("pilot", "partial"),
                                    ("pilot", "partial")]),
    "tests/fixtures/profiles/weak.yaml": ({
        "budget_resources": ["budget", "coverage"],
        "roi": ["kpis.awareness", "kpis.new_customers"],
        "not_it": ["owner.not_it", "team.experienced"],
        "legal": ["contacts.data_protection_officer", "contacts.works_council",
                  "works_agreement"],
        "culture": ["training.onboarding", "training.refresh"],
        "goals": ["kpis.awareness", "kpis.new_customers"],
        "target_groups": ["channel.0.audience"],
        "responsibility": ["owner.not_it", "approval"],
        "participation": ["training.onboarding", "employees.open_use"],
        "criticism": ["criticism.escalation", "criticism.response", "criticism.keep",
                      "criticism.house_rules"],
        "stage.personnel": ["budget", "coverage", "team.experienced", "training.onboarding",
                            "training.refresh", "stage.personnel"],
        "stage.structure": ["approval", "kpis.all", "criticism.escalation",
                            "criticism.house_rules", "stage.structure"],
        "stage.culture": ["employees.open_use", "employees.advocacy", "criticism.keep"],
    }, [("integrated", "pilot"), ("partial", "pilot"), ("pilot", "pilot")]),
    "tests/fixtures/profiles/minimal.yaml": ({
        **NONE, "budget_resources": ["budget", "hours", "coverage", "team.named"],
        "roi": ["kpis.awareness"], "not_it": ["team.experienced"],
        "legal": ["contacts.data_protection_officer"],
        "culture": ["training.onboarding", "training.refresh"], "goals": ["kpis.awareness"],
        "responsibility": ["team.named"],
        "participation": ["employees.decided", "training.onboarding"],
        "criticism": ["criticism.escalation", "criticism.house_rules"],
        "stage.personnel": ["budget", "hours", "coverage", "team.experienced",
                            "training.onboarding", "training.refresh"],
        "stage.structure": ["kpis.all", "criticism.escalation", "criticism.house_rules"],
        "stage.culture": ["employees.decided", "employees.advocacy"],
    }, [("pilot", "pilot"), ("pilot", "pilot"), ("pilot", "partial")]),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_findings_for_each_obstacle_point_and_stage(name: str) -> None:
    expected, stages = EXPECTED[name]
    result = run(ROOT / name)
    assert [d.id for d in result.obstacles] == OBSTACLES
    assert [d.id for d in result.points] == POINTS
    assert gaps(result) == expected
    assert [(s.declared, s.evidence) for s in result.stages] == stages
    for dimension in result.dimensions():
        assert dimension.score == round(100 * dimension.passed / len(dimension.checks))


def test_library_without_clauses_for_a_jurisdiction() -> None:
    result = run(WEAK, FIXTURE_LIBRARY)  # the fixture library has DE and US clauses only
    legal = {c.id: c for c in result.obstacles[3].checks}
    assert legal["library.DE"].ok
    assert not legal["library.CH"].ok
    assert legal["library.CH"].text.en == "no clauses for CH in the library"
    assert result.obstacles[3].score == 33


def test_weak_profile_reasons_in_both_languages() -> None:
    result = run(WEAK)
    budget, roi, not_it, legal, culture = result.obstacles
    assert budget.reason("en") == ("2 of 4 met; open: no budget for social media; 4 hours a "
                                   "week cannot cover 40 service hours")
    assert budget.reason("de") == ("2 von 4 erfüllt; offen: kein Budget für Social Media; 4 "
                                   "Stunden pro Woche decken die 40 Stunden Servicezeit nicht")
    assert roi.score == 0
    assert [c.text.en for c in not_it.checks] == [
        "social media is owned by IT", "nobody experienced in charge (only interns or juniors)"]
    assert not_it.checks[1].hint.de.startswith("mindestens eine Person mit seniority senior")
    assert [c.text.en for c in legal.checks if not c.ok] == [
        "no data protection officer contact (in the EU)",
        "no works council contact (with a works council)", "no works agreement named"]
    assert culture.checks[0].ok and culture.checks[0].text.de == (
        "Chefsache: Bernd Kessler (Geschäftsführer)")
    criticism = result.points[4]
    assert [c.text.en for c in criticism.checks] == [
        "a single escalation level", "response only after 72 hours", "criticism is deleted",
        "no published house rules"]
    personnel = result.stages[0]
    assert personnel.overstated
    assert personnel.dimension.checks[-1].text.en == (
        "stated as 'integrated', the profile supports 'pilot'")
    channel = result.channels[0]
    assert (channel.platform, channel.handle) == ("facebook", "kessler.metallbau")
    answers = dict(channel.answers)
    assert answers["present"] is not None and answers["present"].en.startswith("no")
    assert answers["customer_gain"] is None and answers["reached_by"] is None
    assert answers["company_gain"] is not None and answers["company_gain"].de == (
        "Neuigkeiten aus dem Betrieb")


def test_the_figures_cite_their_sources() -> None:
    figures = run(MINIMAL).figures
    assert "14%" in figures[0].text.en and "14 %" in figures[0].text.de
    assert "InSites Consulting" in figures[0].source.en
    assert "FUTUREBIZ" in figures[0].source.de
    assert "26%" in figures[1].text.en
    assert "BVDW" in figures[2].source.en


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_example_is_assessed_and_warned_consistently(path: Path) -> None:
    result = run(path)
    assert len(result.obstacles) == len(result.points) == 5
    assert [s.area for s in result.stages] == ["personnel", "structure", "culture"]
    for dimension in result.dimensions():
        for check in dimension.checks:
            assert check.text.de and check.text.en
            if not check.ok:
                assert check.text.en in dimension.reason("en")
                assert check.hint.en and check.hint.de
    profile = load_profile(path)
    found = warnings(profile, covered_jurisdictions(
        c.jurisdictions for c in load_library().clauses.values()))
    assert sorted(p.message for p in found) == sorted(f"warning: {g.text.en}"
                                                      for g in result.gaps())


def test_assess_prints_and_writes_markdown_and_word(cli, tmp_path: Path) -> None:
    result = cli("assess", str(WEAK), "--lang", "de", "--out", str(tmp_path))
    assert result.code == 0, result.err
    out = result.out
    assert out.startswith("Social-Media-Readiness der Kessler Metallbau GmbH (")
    for heading in ("Die fünf Stolpersteine", "Die fünf Punkte, die zuerst geklärt sein müssen",
                    "Integrationsstufen nach InSites: Personal, Struktur, Kultur",
                    "Fragen an die Kanäle",
                    "Bewertung je Dimension", "Zum Vergleich: Zahlen aus den Studien"):
        assert f"\n{heading}\n" in out
    assert "  1. Budget und Ressourcen  [50/100]\n" in out
    assert ("  Personal: angegeben integriert, laut Profil Pilot  [14/100]\n" in out)
    assert out.endswith(f"wrote {tmp_path}/kessler/readiness.de.docx\n")
    md = (tmp_path / "kessler" / "readiness.de.md").read_text(encoding="utf-8")
    assert md.startswith("---\nlang: de\n---\n\n"
                         "# Social-Media-Readiness der Kessler Metallbau GmbH\n")
    assert "## 1 Die fünf Stolpersteine\n" in md
    assert "**Bewertung:** 0/100 – 0 von 2 erfüllt" in md
    document = docx.Document(str(tmp_path / "kessler" / "readiness.de.docx"))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading 1")]
    assert headings[0] == "Die fünf Stolpersteine"
    assert len(headings) == 6
    scores = document.tables[-1]
    assert [c.text for c in scores.rows[0].cells] == ["Dimension", "Bewertung", "Begründung"]
    assert [c.text for c in scores.rows[1].cells][:2] == ["Budget und Ressourcen", "50"]
    first = {p.name: p.read_bytes() for p in (tmp_path / "kessler").iterdir()}
    assert cli("assess", str(WEAK), "--lang", "de", "--out", str(tmp_path)).code == 0
    assert {p.name: p.read_bytes() for p in (tmp_path / "kessler").iterdir()} == first


def test_a_channel_on_another_platform_is_named_by_its_own_name(cli, tmp_path: Path) -> None:
    """A channel on platform `other` has a name; the report uses it, not "Sonstige"/"other"."""
    nextdoor = write(tmp_path / "nextdoor.yaml", WEAK.read_text(encoding="utf-8").replace(
        "    - platform: facebook\n", "    - platform: other\n      name: Nextdoor\n", 1))
    result = run(nextdoor)
    assert result.channels[0].title("de") == "Nextdoor kessler.metallbau"
    assert [c.text.en for d in result.dimensions() for c in d.checks
            if c.id == "channel.0.audience"][0] == \
        "target groups are not on Nextdoor (kessler.metallbau)"
    for lang in ("de", "en"):
        printed = cli("assess", str(nextdoor), "--lang", lang, "--out", str(tmp_path / lang))
        assert printed.code == 0, printed.err
        assert "  Nextdoor kessler.metallbau\n" in printed.out
        assert "Sonstige" not in printed.out and " other kessler" not in printed.out
        md = (tmp_path / lang / "kessler" / f"readiness.{lang}.md").read_text(encoding="utf-8")
        assert "Nextdoor kessler.metallbau" in md and "Sonstige" not in md
    # a named channel on a listed platform keeps its name too, an unnamed one its platform
    assert run(WEAK).channels[0].title("de") == "Facebook kessler.metallbau"


def test_assess_of_a_bad_profile_writes_nothing(cli, tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.yaml", WEAK.read_text(encoding="utf-8").replace(
        "owner_department: it", "owner_department: itt"))
    result = cli("assess", str(bad), "--out", str(tmp_path / "out"))
    assert result.code == 1
    assert "bad.yaml:32:21: governance.owner_department: 'itt' is not an allowed value" \
        in result.err
    assert not (tmp_path / "out").exists()


def test_validate_prints_warnings_and_fails_only_when_strict(
        cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    weak = "tests/fixtures/profiles/weak.yaml"
    result = cli("validate", weak)
    assert result.code == 0
    assert result.out == f"{weak}: ok\n"
    warned = [line.removeprefix(f"{weak}:") for line in result.err.splitlines()
              if not line.startswith("    hint: ")]
    assert warned == [
        "21:3: warning: no KPI for the goal 'raise awareness'",
        "21:3: warning: no KPI for the goal 'win new customers'",
        "28:7: warning: target groups are not on Facebook (kessler.metallbau)",
        "30:1: warning: no budget for social media",
        "30:1: warning: no onboarding training",
        "30:1: warning: no regular refresher",
        "30:1: warning: no works agreement named",
        "32:3: warning: social media is owned by IT",
        "33:3: warning: nobody experienced in charge (only interns or juniors)",
        "35:3: warning: 4 hours a week cannot cover 40 service hours",
        "36:3: warning: official posts need no approval",
        "37:23: warning: stated as 'integrated', the profile supports 'pilot'",
        "37:46: warning: stated as 'partly integrated', the profile supports 'pilot'",
        "39:1: warning: employees can hardly take part online",
        "43:1: warning: no published house rules",
        "45:3: warning: response only after 72 hours",
        "46:3: warning: a single escalation level",
        "48:3: warning: criticism is deleted",
        "50:1: warning: no data protection officer contact (in the EU)",
        "50:1: warning: no works council contact (with a works council)",
    ]
    assert "    hint: lower criticism.response_time_hours to 24 or less" in result.err
    strict = cli("validate", "--strict", weak)
    assert strict.code == 1
    assert strict.out == ""
    assert strict.err.splitlines()[-1] == "20 problems found"
    clean = cli("validate", "--strict", "policies/rheinwerk.yaml")
    assert clean.code == 0 and clean.err == ""

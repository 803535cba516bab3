"""Social media readiness: the seeds' five obstacles and five points, checked against a profile.

Pure: a Profile (and the jurisdictions the clause library covers) in, an Assessment out. Every
check is a fact of the profile with a reason; a dimension's score is the share of its checks
that hold. The report (`assess_report`) and `policygen validate` (warnings) read the result.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from policygen.core.profile import Profile
from policygen.errors import Problem
from policygen.onboarding.readiness_checks import Check, Checks, Text, join, label, text_of

STAGES = ("pilot", "partial", "integrated")
AREAS = ("personnel", "structure", "culture")
CHANNEL_QUESTIONS = ("present", "company_gain", "customer_gain", "reach", "reached_by")


@dataclass(frozen=True)
class Dimension:
    """An obstacle, a point or an InSites area: its checks and the score they give."""

    id: str
    kind: str
    title: Text
    checks: tuple[Check, ...]

    @property
    def passed(self) -> int:
        """How many checks hold."""
        return sum(check.ok for check in self.checks)

    @property
    def score(self) -> int:
        """0 to 100: the share of checks that hold."""
        return round(100 * self.passed / len(self.checks)) if self.checks else 100

    def reason(self, lang: str) -> str:
        """Why the score is what it is, in one sentence."""
        total = len(self.checks)
        gaps = [check.text.get(lang) for check in self.checks if not check.ok]
        if not gaps:
            return (f"alle {total} Prüfpunkte erfüllt" if lang == "de"
                    else f"all {total} checks met")
        head = (f"{self.passed} von {total} erfüllt; offen: " if lang == "de"
                else f"{self.passed} of {total} met; open: ")
        return head + "; ".join(gaps)


@dataclass(frozen=True)
class Stage:
    """Where the company stands in one InSites area: as stated, as the profile shows."""

    area: str
    declared: str
    evidence: str
    dimension: Dimension

    @property
    def overstated(self) -> bool:
        """The profile claims a later stage than its facts support."""
        return STAGES.index(self.declared) > STAGES.index(self.evidence)


@dataclass(frozen=True)
class ChannelReview:
    """The seeds' questions asked of one channel; an answer of None is still open."""

    index: int
    platform: str
    handle: str
    answers: tuple[tuple[str, Text | None], ...]


@dataclass(frozen=True)
class Figure:
    """A figure from the seed articles, with where it comes from."""

    text: Text
    source: Text


@dataclass(frozen=True)
class Assessment:
    """The readiness of one company."""

    profile: str
    company: str
    obstacles: tuple[Dimension, ...]
    points: tuple[Dimension, ...]
    stages: tuple[Stage, ...]
    channels: tuple[ChannelReview, ...]
    figures: tuple[Figure, ...]

    def dimensions(self) -> tuple[Dimension, ...]:
        """Every scored dimension: obstacles, points, InSites areas."""
        return (*self.obstacles, *self.points, *(stage.dimension for stage in self.stages))

    def gaps(self) -> tuple[Check, ...]:
        """The findings: what the obstacles and points miss, and stages stated too high.

        Each once, in report order. The other unmet stage criteria are next steps, not gaps.
        """
        seen: dict[str, Check] = {}
        for dimension in self.dimensions():
            for check in dimension.checks:
                relevant = dimension.kind != "stage" or check.id == dimension.id
                if relevant and not check.ok and check.id not in seen:
                    seen[check.id] = check
        return tuple(seen.values())


FIGURES = (
    Figure(Text("Nur 14 % der befragten Unternehmen gaben an, Social Media sei vollständig in "
                "ihre Prozesse integriert (genug Personal, Strukturen und Prozesse angepasst, "
                "Unternehmenskultur verändert).",
                "Only 14% of the companies surveyed said social media was fully integrated into "
                "their business (enough staff, structures and processes adapted, culture "
                "changed)."),
           Text("InSites Consulting, Social Media Integration Survey (400 Marketingverantwortliche "
                "in den USA und Großbritannien, 2011), berichtet von FUTUREBIZ: „3 Stufen der "
                "Social Media Integration: Personal, Struktur & Unternehmenskultur“",
                "InSites Consulting, Social Media Integration Survey (400 senior marketing "
                "managers in the US and UK, 2011), as reported by FUTUREBIZ: \"3 Stufen der "
                "Social Media Integration: Personal, Struktur & Unternehmenskultur\"")),
    Figure(Text("26 % standen noch ganz am Anfang, in einer ersten Testphase.",
                "26% were still at the very beginning, taking their first steps."),
           Text("InSites Consulting, Social Media Integration Survey (2011), berichtet von "
                "FUTUREBIZ",
                "InSites Consulting, Social Media Integration Survey (2011), as reported by "
                "FUTUREBIZ")),
    Figure(Text("Rund 70 % der befragten Unternehmen befassen sich mit Social Media, haben aber "
                "laut Analyse kaum davon profitiert – oft fehlt eine Strategie mit messbaren "
                "Zielen.",
                "About 70% of the companies surveyed work with social media, yet by the "
                "analysis they have hardly profited from it – often for lack of a strategy "
                "with measurable goals."),
           Text("BVDW-Online-Befragung „Social Media in Unternehmen“, Analyse der Computerwoche, "
                "zusammengefasst im Blog von Twoonix",
                "BVDW online survey on social media in companies, analysis by Computerwoche, "
                "as summarised in the Twoonix blog")),
)

_OBSTACLES = (
    ("budget_resources", Text("Budget und Ressourcen", "Budget and resources")),
    ("roi", Text("Social-Media-ROI: messbare Ziele", "Social media ROI: measurable goals")),
    ("not_it", Text("„Die IT-Abteilung soll das machen“", "\"IT should do it\"")),
    ("legal", Text("Rechtliche Bedenken und Folgen", "Legal concerns and consequences")),
    ("culture", Text("Kultur und Veränderung", "Culture and change")),
)
_POINTS = (
    ("goals", Text("Ziele", "Goals")),
    ("target_groups", Text("Zielgruppen", "Target groups")),
    ("responsibility", Text("Verantwortung und Koordination (Chefsache)",
                            "Responsibility and coordination (a matter for the top)")),
    ("participation", Text("Mitarbeitende einbeziehen, Regeln",
                           "Employee participation and rules")),
    ("criticism", Text("Umgang mit Kritik", "Handling criticism")),
)
_AREAS = {
    "personnel": Text("Personal", "Personnel"),
    "structure": Text("Struktur", "Structure"),
    "culture": Text("Unternehmenskultur", "Culture"),
}
STAGE_NAMES = {
    "pilot": Text("Pilot", "pilot"),
    "partial": Text("teilweise integriert", "partly integrated"),
    "integrated": Text("integriert", "integrated"),
}
DIMENSION_TITLES: Mapping[str, Text] = {**dict(_OBSTACLES), **dict(_POINTS),
                                        **{f"stage.{k}": v for k, v in _AREAS.items()}}



def _stage_of(checks: tuple[Check, ...]) -> str:
    passed = sum(check.ok for check in checks)
    if passed == len(checks):
        return "integrated"
    return "partial" if 2 * passed >= len(checks) else "pilot"


def _channels(profile: Profile) -> tuple[ChannelReview, ...]:
    data = profile.data
    groups = join(text_of(g) for g in data["strategy"]["target_groups"])
    reviews = []
    for index, channel in enumerate(data["strategy"]["channels"]):
        present = channel["audience_present"]
        answers: dict[str, Text | None] = {
            "present": None if present is None else (
                Text("ja", "yes") if present else Text("nein – Kanal überdenken",
                                                       "no – reconsider this channel")),
            "company_gain": text_of(channel["purpose"]),
            "customer_gain": None if channel.get("customer_value") is None
            else text_of(channel["customer_value"]),
            "reach": groups,
            "reached_by": None if channel.get("inbound") is None else text_of(channel["inbound"]),
        }
        reviews.append(ChannelReview(index, channel["platform"], channel["handle"],
                                     tuple((q, answers[q]) for q in CHANNEL_QUESTIONS)))
    return tuple(reviews)


def assess(profile: Profile, covered: frozenset[str] | None = None) -> Assessment:
    """Assess a profile; `covered`: jurisdictions the clause library has clauses for."""
    c = Checks(profile, covered)
    data = profile.data
    channel_checks = [c._flag(
        f"channel.{i}.audience", False, Text("", ""),
        Text(f"Zielgruppen nicht auf {label(ch['platform']).de} ({ch['handle']})",
             f"target groups are not on {label(ch['platform']).en} ({ch['handle']})"),
        Text("den Kanal aufgeben oder begründen, wen er erreichen soll",
             "drop the channel or state whom it is meant to reach"),
        ("strategy", "channels", i, "audience_present"))
        for i, ch in enumerate(data["strategy"]["channels"]) if ch["audience_present"] is False]
    groups = join(text_of(g) for g in data["strategy"]["target_groups"])
    target = c.get("target_groups", lambda: Check(
        "target_groups", True, Text(f"Zielgruppen: {groups.de}", f"target groups: {groups.en}"),
        Text("", ""), ("strategy", "target_groups")))
    kpis = c.kpis()
    advocacy = [c.disclosure()] if data["employees"]["advocacy_program"] else []
    obstacles = {
        "budget_resources": [c.budget(), c.hours(), c.coverage(), c.team_named()],
        "roi": kpis,
        "not_it": [c.owner_not_it(), c.team_experienced()],
        "legal": c.legal(),
        "culture": [c.sponsor(), c.onboarding(), c.refresh()],
    }
    points = {
        "goals": [c.goals(), *kpis],
        "target_groups": [target, *channel_checks],
        "responsibility": [c.sponsor(), c.owner_not_it(), c.team_named(), c.approval()],
        "participation": [c.employees_decided(), c.onboarding(), c.open_use(), *advocacy],
        "criticism": c.criticism(),
    }
    kpi_all = c._flag("kpis.all", all(k.ok for k in kpis),
                      Text("jedes Ziel hat Kennzahlen", "every goal has KPIs"),
                      Text("nicht jedes Ziel hat Kennzahlen", "not every goal has KPIs"),
                      Text("für jedes Ziel unter strategy.kpis Kennzahlen nennen",
                           "name KPIs for every goal under strategy.kpis"), ("strategy", "kpis"))
    crit = c.criticism()
    areas = {
        "personnel": [c.budget(), c.hours(), c.coverage(), c.team_experienced(), c.onboarding(),
                      c.refresh()],
        "structure": [c.approval(), kpi_all, crit[0], crit[3]],
        "culture": [c.employees_decided(), c.open_use(), c.advocacy(), crit[2]],
    }
    declared = data["governance"]["integration_stage"]
    stages = []
    for area, checks in areas.items():
        dimension = Dimension(f"stage.{area}", "stage", _AREAS[area], tuple(checks))
        evidence = _stage_of(dimension.checks)
        stage = Stage(area, declared[area], evidence, dimension)
        if stage.overstated:
            said, shown = STAGE_NAMES[declared[area]], STAGE_NAMES[evidence]
            dimension = Dimension(dimension.id, "stage", dimension.title, (*dimension.checks, Check(
                f"stage.{area}", False,
                Text(f"als „{said.de}“ angegeben, das Profil belegt „{shown.de}“",
                     f"stated as '{said.en}', the profile supports '{shown.en}'"),
                Text(f"governance.integration_stage.{area} auf {evidence} setzen oder die "
                     "offenen Punkte erledigen",
                     f"set governance.integration_stage.{area} to {evidence} or close the "
                     "open points"), ("governance", "integration_stage", area))))
            stage = Stage(area, declared[area], evidence, dimension)
        stages.append(stage)
    return Assessment(
        profile=profile.path, company=str(data["company"]["name"]),
        obstacles=tuple(Dimension(k, "obstacle", t, tuple(obstacles[k])) for k, t in _OBSTACLES),
        points=tuple(Dimension(k, "point", t, tuple(points[k])) for k, t in _POINTS),
        stages=tuple(stages), channels=_channels(profile), figures=FIGURES)


def covered_jurisdictions(clause_jurisdictions: Iterable[frozenset[str] | None]) -> frozenset[str]:
    """The jurisdictions that at least one clause is specific to."""
    return frozenset(code for codes in clause_jurisdictions for code in (codes or ()))


def warnings(profile: Profile, covered: frozenset[str] | None = None) -> list[Problem]:
    """The gaps of the assessment as located warnings, for `policygen validate`."""
    found = [Problem(profile.source.locate(gap.path, key=True), f"warning: {gap.text.en}",
                     gap.hint.en) for gap in assess(profile, covered).gaps()]
    return sorted(found, key=lambda p: (p.location.line, p.location.col, p.message))

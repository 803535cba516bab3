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
from policygen.i18n import EMPTY, phrase, text
from policygen.onboarding.readiness_checks import (
    Check,
    Checks,
    Text,
    channel_label,
    join,
    text_of,
)

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
            return text(lang, "readiness.reason.all_met", total=total)
        return text(lang, "readiness.reason.open", passed=self.passed, total=total,
                    gaps="; ".join(gaps))


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
    name: Text | None = None  # the channel's own name (required for platform `other`)

    def title(self, lang: str) -> str:
        """The channel as the report names it: its name or its platform's label, and handle."""
        name = self.name or channel_label({"platform": self.platform})
        return f"{name.get(lang)} {self.handle}"


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
    Figure(phrase("readiness.figures.only_14_of"),
           phrase("readiness.figures.insites_integrated_source")),
    Figure(phrase("readiness.figures.26_were_still"),
           phrase("readiness.figures.insites_pilot_source")),
    Figure(phrase("readiness.figures.about_70_of"),
           phrase("readiness.figures.bvdw_online_survey")),
)

_OBSTACLES = (
    ("budget_resources", phrase("readiness.budget_resources.budget_and_resources")),
    ("roi", phrase("readiness.roi.social_media_roi")),
    ("not_it", phrase("readiness.not_it.it_should_do")),
    ("legal", phrase("readiness.legal.legal_concerns_and")),
    ("culture", phrase("readiness.culture.culture_and_change")),
)
_POINTS = (
    ("goals", phrase("readiness.goals.goals")),
    ("target_groups", phrase("readiness.target_groups.target_groups")),
    ("responsibility", phrase("readiness.responsibility.responsibility_and_coordination")),
    ("participation", phrase("readiness.participation.employee_participation_and")),
    ("criticism", phrase("readiness.criticism.handling_criticism")),
)
_AREAS = {
    "personnel": phrase("readiness.areas.personnel"),
    "structure": phrase("readiness.areas.structure"),
    "culture": phrase("readiness.areas.culture"),
}
STAGE_NAMES = {
    "pilot": phrase("readiness.stage_names.pilot"),
    "partial": phrase("readiness.stage_names.partial"),
    "integrated": phrase("readiness.stage_names.integrated"),
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
                phrase("readiness.answers.present") if present
                else phrase("readiness.answers.absent")),
            "company_gain": text_of(channel["purpose"]),
            "customer_gain": None if channel.get("customer_value") is None
            else text_of(channel["customer_value"]),
            "reach": groups,
            "reached_by": None if channel.get("inbound") is None else text_of(channel["inbound"]),
        }
        reviews.append(ChannelReview(index, channel["platform"], channel["handle"],
                                     tuple((q, answers[q]) for q in CHANNEL_QUESTIONS),
                                     channel_label(channel)))
    return tuple(reviews)


def assess(profile: Profile, covered: frozenset[str] | None = None) -> Assessment:
    """Assess a profile; `covered`: jurisdictions the clause library has clauses for."""
    c = Checks(profile, covered)
    data = profile.data
    channel_checks = [c._flag(
        f"channel.{i}.audience", False, EMPTY,
        phrase("readiness.assess.target_groups_are", platform=channel_label(ch),
               handle=ch['handle']),
        phrase("readiness.assess.drop_the_channel"),
        ("strategy", "channels", i, "audience_present"))
        for i, ch in enumerate(data["strategy"]["channels"]) if ch["audience_present"] is False]
    groups = join(text_of(g) for g in data["strategy"]["target_groups"])
    target = c.get("target_groups", lambda: Check(
        "target_groups", True, phrase("readiness.assess.target_groups", groups=groups),
        EMPTY, ("strategy", "target_groups")))
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
                      phrase("readiness.assess.every_goal_has"),
                      phrase("readiness.assess.not_every_goal"),
                      phrase("readiness.assess.name_kpis_for"), ("strategy", "kpis"))
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
                phrase("readiness.assess.stated_as_the", said=said, shown=shown),
                phrase("readiness.assess.set_governance_integration", area=area,
                       evidence=evidence), ("governance", "integration_stage", area))))
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

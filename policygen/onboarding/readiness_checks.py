"""The facts `policygen assess` checks in a profile, each computed once and shared.

A Check is one fact with a reason (German and English), a hint when it does not hold, and the
profile path it is about (for located warnings). Several dimensions share a check by id.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from policygen.core.profile import Profile
from policygen.core.source import DocPath
from policygen.core.templating import format_number, labels
from policygen.i18n import EMPTY, Text, phrase
from policygen.vocabulary import EU, EU_MEMBERS

__all__ = ["Check", "Checks", "Text", "channel_label", "join", "label", "number", "text_of"]


@dataclass(frozen=True)
class Check:
    """One fact of the profile: holds or not, why, what to do, and where in the profile."""

    id: str
    ok: bool
    text: Text
    hint: Text
    path: DocPath




_DAYS = {"mon_fri": 5, "mon_sat": 6, "daily": 7}


def label(value: str) -> Text:
    """The German and English label of an enum value."""
    entry = labels().get(value)
    return Text(entry["de"], entry["en"]) if entry else Text(value, value)


def channel_label(channel: Mapping[str, Any]) -> Text:
    """What a channel is called: its own name where the profile gives one, else its platform.

    A channel on platform `other` must have a name (Nextdoor, a forum), so it is never shown
    as "Sonstige"/"other"; the clause texts read `c.name or c.platform | label` the same way.
    """
    name = channel.get("name")
    return Text(str(name), str(name)) if name else label(channel["platform"])


def number(value: float) -> Text:
    """A number written as each language writes it."""
    return Text(format_number(value, "de"), format_number(value, "en"))


def join(values: Iterable[Text]) -> Text:
    """Texts joined with commas, per language."""
    items = list(values)
    return Text(", ".join(t.de for t in items), ", ".join(t.en for t in items))


def text_of(value: Any) -> Text:
    """A profile text (one string or {de, en}) as a Text."""
    if isinstance(value, Mapping):
        return Text(str(value["de"]), str(value["en"]))
    return Text(str(value), str(value))



class Checks:
    """The checks of one profile, each computed once and shared by several dimensions."""

    def __init__(self, profile: Profile, covered: frozenset[str] | None) -> None:
        self.data = profile.data
        self.profile = profile
        self.covered = covered
        self.written = profile.source.data if isinstance(profile.source.data, dict) else {}
        self.cache: dict[str, Check] = {}

    def get(self, check_id: str, make: Callable[[], Check]) -> Check:
        """The check with this id, made on first use."""
        if check_id not in self.cache:
            self.cache[check_id] = make()
        return self.cache[check_id]

    def share(self, check: Check) -> Check:
        """The first check made with this check's id."""
        return self.cache.setdefault(check.id, check)

    # Budget, hours, team -------------------------------------------------------------------

    def budget(self) -> Check:
        """A budget is set."""
        def make() -> Check:
            budget = self.data["governance"]["budget"]
            path = ("governance", "budget")
            if budget is None or budget["amount"] <= 0:
                return Check("budget", False, phrase("checks.budget.no_budget_for"),
                             phrase("checks.budget.set_governance_budget"), path)
            per = {"year": phrase("checks.per.year"),
                   "month": phrase("checks.per.month")}[budget["period"]]
            return Check("budget", True, phrase("checks.budget.budget_per",
                                                amount=number(budget['amount']),
                                                currency=budget['currency'], per=per), EMPTY, path)
        return self.get("budget", make)

    def hours(self) -> Check:
        """Working hours are set aside."""
        def make() -> Check:
            hours = self.data["governance"]["hours_per_week"]
            path = ("governance", "hours_per_week")
            channels = len(self.data["strategy"]["channels"])
            if hours <= 0:
                return Check("hours", False, phrase("checks.hours.no_working_hours"),
                             phrase("checks.hours.governance_hours_per"), path)
            key = "checks.hours.per_channel" if channels == 1 \
                else "checks.hours.per_channels"
            return Check("hours", True, phrase(key, hours=number(hours), channels=channels),
                         EMPTY, path)
        return self.get("hours", make)

    def coverage(self) -> Check:
        """The staffed hours cover the service hours."""
        def make() -> Check:
            hours = self.data["governance"]["hours_per_week"]
            service = self.data["criticism"]["service_hours"]
            start, end = (int(t[:2]) * 60 + int(t[3:]) for t in (service["start"], service["end"]))
            window = _DAYS[service["days"]] * (end - start) / 60
            path = ("governance", "hours_per_week")
            staffed = number(hours)
            needed = number(window)
            if hours >= window:
                return Check("coverage", True, phrase("checks.coverage.staffed_hours_cover",
                                                      staffed=staffed, needed=needed),
                    EMPTY, path)
            return Check("coverage", False, phrase("checks.coverage.hours_a_week",
                                                   staffed=staffed, needed=needed),
                phrase("checks.coverage.plan_more_hours"), path)
        return self.get("coverage", make)

    def team_named(self) -> Check:
        """A team is named."""
        def make() -> Check:
            team = self.data["governance"]["team"]
            path = ("governance", "team")
            if not team:
                return Check("team.named", False, phrase("checks.team_named.no_team_named"),
                             phrase("checks.team_named.governance_team_list"), path)
            return Check("team.named", True, phrase("checks.team_named.team_of",
                                                    team_count=len(team)), EMPTY, path)
        return self.get("team.named", make)

    def team_experienced(self) -> Check:
        """Someone senior is in charge, not only interns."""
        def make() -> Check:
            team = self.data["governance"]["team"]
            path = ("governance", "team")
            senior = [m for m in team if m["seniority"] in ("senior", "lead")]
            if senior:
                return Check("team.experienced", True,
                             phrase("checks.team_experienced.experienced_team_member",
                                    senior_count=len(senior)), EMPTY, path)
            what = phrase("checks.team_experienced.only_juniors") if team \
                else phrase("checks.team_experienced.nobody_senior")
            return Check("team.experienced", False, what,
                         phrase("checks.team_experienced.name_at_least"), path)
        return self.get("team.experienced", make)

    def owner_not_it(self) -> Check:
        """Social media is not owned by IT."""
        def make() -> Check:
            department = self.data["governance"]["owner_department"]
            path = ("governance", "owner_department")
            if department == "it":
                return Check("owner.not_it", False, phrase("checks.owner_not_it.social_media_is"),
                    phrase("checks.owner_not_it.give_ownership_to"), path)
            name = label(department)
            return Check("owner.not_it", True, phrase("checks.owner_not_it.owned_by",
                                                      name=name), EMPTY, path)
        return self.get("owner.not_it", make)

    # Goals and KPIs ------------------------------------------------------------------------

    def goals(self) -> Check:
        """The goals (always set; listed for the report)."""
        goals = self.data["strategy"]["goals"]
        names = join(label(g) for g in goals)
        return self.get("goals", lambda: Check(
            "goals", True, phrase("checks.goals.goals", names=names), EMPTY,
            ("strategy", "goals")))

    def kpis(self) -> list[Check]:
        """One check per goal: it has KPIs."""
        kpis = self.data["strategy"]["kpis"] or {}
        checks = []
        for goal in self.data["strategy"]["goals"]:
            name = label(goal)
            if goal in kpis:
                checks.append(self.share(Check(
                    f"kpis.{goal}", True, phrase("checks.kpis.kpi_s", name=name,
                                                 kpis_count=len(kpis[goal])),
                    EMPTY, ("strategy", "kpis", goal))))
            else:
                checks.append(self.share(Check(
                    f"kpis.{goal}", False, phrase("checks.kpis.no_kpi_for", name=name),
                    phrase("checks.kpis.add_strategy_kpis", goal=goal),
                    ("strategy", "kpis") if kpis else ("strategy", "goals"))))
        return checks

    # Legal ---------------------------------------------------------------------------------

    def legal(self) -> list[Check]:
        """Legal contacts, works agreement, and clauses for each jurisdiction."""
        contacts = self.data["contacts"]
        company = self.data["company"]
        facts = self.profile.facts
        legal_name = text_of(contacts["legal"]["name"])
        checks = [self.get("contacts.legal", lambda: Check(
            "contacts.legal", True, phrase("checks.legal.legal_contact",
                                           legal_name=legal_name), EMPTY,
            ("contacts", "legal")))]
        wanted = []
        if facts["eu"]:
            wanted.append(("data_protection_officer",
                           phrase("checks.data_protection_officer.data_protection_officer"),
                           phrase("checks.data_protection_officer.in_the_eu")))
        if company["works_council"]:
            wanted.append(("works_council", phrase("checks.works_council.works_council"),
                           phrase("checks.works_council.with_a_works")))
        if facts["regulated_finance"] or company["listed"]:
            wanted.append(("compliance", phrase("checks.compliance.compliance"),
                           phrase("checks.compliance.regulated_or_listed")))
        for key, who, why in wanted:
            ok = contacts[key] is not None
            checks.append(self.share(Check(
                f"contacts.{key}", ok,
                (phrase("checks.legal.contact_named", who=who) if ok
                 else phrase("checks.legal.no_contact", who=who, why=why)),
                EMPTY if ok else phrase("checks.legal.add_contacts_with",
                                               key=key),
                ("contacts", key) if ok else ("contacts",))))
        if company["works_council"] and facts["eu"]:
            ok = self.data["governance"]["works_agreement"] is not None
            checks.append(self.share(Check(
                "works_agreement", ok,
                (phrase("checks.legal.works_agreement_named") if ok
                 else phrase("checks.legal.no_works_agreement")),
                EMPTY if ok else phrase("checks.legal.agree_the_rules"),
                ("governance", "works_agreement") if ok else ("governance",))))
        if self.covered is not None:
            for code in company["jurisdictions"]:
                ok = code in self.covered or (code in EU_MEMBERS and EU in self.covered)
                where = ("company", "jurisdictions", company["jurisdictions"].index(code))
                checks.append(self.share(Check(
                    f"library.{code}", ok,
                    (phrase("checks.legal.clauses_for_in", code=code) if ok
                     else phrase("checks.legal.no_clauses_for", code=code)),
                    EMPTY if ok else phrase("checks.legal.have_the_law",
                                                   code=code), where)))
        return checks

    # Culture, training, employees ----------------------------------------------------------

    def sponsor(self) -> Check:
        """The executive sponsor (required by the schema; listed for the report)."""
        sponsor = self.data["governance"]["executive_sponsor"]
        role = text_of(sponsor["role"])
        return self.get("sponsor", lambda: Check(
            "sponsor", True, phrase("checks.sponsor.executive_sponsor",
                                    name=sponsor['name'], role=role),
            EMPTY, ("governance", "executive_sponsor")))

    def _flag(self, check_id: str, ok: bool, yes: Text, no: Text, hint: Text,
              path: DocPath) -> Check:
        return self.get(check_id, lambda: Check(check_id, ok, yes if ok else no,
                                                EMPTY if ok else hint, path))

    def onboarding(self) -> Check:
        """Onboarding training."""
        return self._flag("training.onboarding",
                          bool(self.data["governance"]["training"]["onboarding"]),
                          phrase("checks.onboarding.onboarding_training"),
                          phrase("checks.onboarding.no_onboarding_training"),
                          phrase("checks.onboarding.offer_training_and"),
                          ("governance", "training"))

    def refresh(self) -> Check:
        """A refresher cycle."""
        months = self.data["governance"]["training"]["refresh_months"]
        return self._flag("training.refresh", months is not None,
                          phrase("checks.refresh.refresher_every_months", months=months),
                          phrase("checks.refresh.no_regular_refresher"),
                          phrase("checks.refresh.set_governance_training"),
                          ("governance", "training"))

    def approval(self) -> Check:
        """Official posts are approved."""
        mode = self.data["governance"]["approval"]["official_posts"]
        name = label(mode)
        return self._flag("approval", mode != "none",
                          phrase("checks.approval.approval_of_official", name=name),
                          phrase("checks.approval.official_posts_need"),
                          phrase("checks.approval.set_governance_approval"),
                          ("governance", "approval"))

    def employees_decided(self) -> Check:
        """The employees section is written, not left to defaults."""
        return self._flag("employees.decided", "employees" in self.written,
                          phrase("checks.employees_decided.decided"),
                          phrase("checks.employees_decided.not_decided"),
                          phrase("checks.employees_decided.fill_in_the"), ())

    def advocacy(self) -> Check:
        """An advocacy programme."""
        return self._flag("employees.advocacy", bool(self.data["employees"]["advocacy_program"]),
                          phrase("checks.advocacy.employee_advocacy_programme"),
                          phrase("checks.advocacy.no_employee_advocacy"),
                          phrase("checks.advocacy.invite_employees_to"),
                          ("employees",))

    def disclosure(self) -> Check:
        """Advocacy posts carry a disclosure hashtag."""
        hashtag = self.data["employees"]["disclosure"]["hashtag"]
        return self._flag("employees.disclosure", hashtag is not None,
                          phrase("checks.disclosure.disclosure_with", hashtag=hashtag),
                          phrase("checks.disclosure.advocacy_without_a"),
                          phrase("checks.disclosure.set_employees_disclosure"),
                          ("employees",))

    def open_use(self) -> Check:
        """Employees may take part openly."""
        use = self.data["employees"]["private_use_at_work"]
        return self._flag("employees.open_use",
                          use != "prohibited" and bool(self.data["employees"]["may_name_employer"]),
                          phrase("checks.open_use.employees_may_show"),
                          phrase("checks.open_use.employees_can_hardly"),
                          phrase("checks.open_use.allow_private_use"), ("employees",))

    # Criticism -----------------------------------------------------------------------------

    def criticism(self) -> list[Check]:
        """Escalation levels, response time, keeping criticism, house rules."""
        crit = self.data["criticism"]
        levels = len(crit["escalation"])
        hours = crit["response_time_hours"]
        return [
            self._flag("criticism.escalation", levels >= 2,
                       phrase("checks.criticism.escalation_in_levels", levels=levels),
                       phrase("checks.criticism.a_single_escalation"),
                       phrase("checks.criticism.distinguish_at_least"),
                       ("criticism", "escalation")),
            self._flag("criticism.response", hours <= 24,
                       phrase("checks.criticism.response_within_hours",
                              hours=number(hours)),
                       phrase("checks.criticism.response_only_after",
                              hours=number(hours)),
                       phrase("checks.criticism.lower_criticism_response"),
                       ("criticism", "response_time_hours")),
            self._flag("criticism.keep", bool(crit["moderation"]["keep_criticism"]),
                       phrase("checks.criticism.fair_criticism_stays"),
                       phrase("checks.criticism.criticism_is_deleted"),
                       phrase("checks.criticism.criticism_moderation_keep"),
                       ("criticism", "moderation")),
            self._flag("criticism.house_rules", crit["moderation"]["house_rules_url"] is not None,
                       phrase("checks.criticism.house_rules_published"),
                       phrase("checks.criticism.no_published_house"),
                       phrase("checks.criticism.criticism_moderation_house"),
                       ("criticism",)),
        ]

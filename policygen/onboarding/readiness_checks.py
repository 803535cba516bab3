"""The facts `policygen assess` checks in a profile, each computed once and shared.

A Check is one fact with a reason (German and English), a hint when it does not hold, and the
profile path it is about (for located warnings). Several dimensions share a check by id.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from policygen.core.profile import Profile
from policygen.core.source import DocPath
from policygen.core.templating import format_number, labels
from policygen.vocabulary import EU, EU_MEMBERS


class Text(NamedTuple):
    """A sentence in German and English."""

    de: str
    en: str

    def get(self, lang: str) -> str:
        """The sentence in one language."""
        return self.de if lang == "de" else self.en


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
                return Check("budget", False, Text("kein Budget für Social Media",
                                                   "no budget for social media"),
                             Text("governance.budget mit Betrag, Währung und Zeitraum angeben",
                                  "set governance.budget with amount, currency and period"), path)
            per = {"year": Text("Jahr", "year"), "month": Text("Monat", "month")}[budget["period"]]
            return Check("budget", True, Text(
                f"Budget {format_number(budget['amount'], 'de')} {budget['currency']} pro {per.de}",
                f"budget {format_number(budget['amount'], 'en')} {budget['currency']} "
                f"per {per.en}"), Text("", ""), path)
        return self.get("budget", make)

    def hours(self) -> Check:
        """Working hours are set aside."""
        def make() -> Check:
            hours = self.data["governance"]["hours_per_week"]
            path = ("governance", "hours_per_week")
            channels = len(self.data["strategy"]["channels"])
            if hours <= 0:
                return Check("hours", False, Text("keine Arbeitszeit für Social Media vorgesehen",
                                                  "no working hours set aside for social media"),
                             Text("governance.hours_per_week: Stunden pro Woche für Redaktion "
                                  "und Community-Management",
                                  "governance.hours_per_week: hours a week for content and "
                                  "community management"), path)
            return Check("hours", True, Text(
                f"{format_number(hours, 'de')} Stunden pro Woche für {channels} "
                f"Kan{'al' if channels == 1 else 'äle'}",
                f"{format_number(hours, 'en')} hours a week for {channels} "
                f"channel{'' if channels == 1 else 's'}"),
                Text("", ""), path)
        return self.get("hours", make)

    def coverage(self) -> Check:
        """The staffed hours cover the service hours."""
        def make() -> Check:
            hours = self.data["governance"]["hours_per_week"]
            service = self.data["criticism"]["service_hours"]
            start, end = (int(t[:2]) * 60 + int(t[3:]) for t in (service["start"], service["end"]))
            window = _DAYS[service["days"]] * (end - start) / 60
            path = ("governance", "hours_per_week")
            staffed = Text(format_number(hours, "de"), format_number(hours, "en"))
            needed = Text(format_number(window, "de"), format_number(window, "en"))
            if hours >= window:
                return Check("coverage", True, Text(
                    f"{staffed.de} Stunden decken {needed.de} Stunden Servicezeit",
                    f"{staffed.en} staffed hours cover {needed.en} service hours"),
                    Text("", ""), path)
            return Check("coverage", False, Text(
                f"{staffed.de} Stunden pro Woche decken die {needed.de} Stunden Servicezeit "
                "nicht", f"{staffed.en} hours a week cannot cover {needed.en} service hours"),
                Text("mehr Stunden einplanen oder die Servicezeiten (criticism.service_hours) "
                     "kürzen", "plan more hours or shorten the service hours "
                     "(criticism.service_hours)"), path)
        return self.get("coverage", make)

    def team_named(self) -> Check:
        """A team is named."""
        def make() -> Check:
            team = self.data["governance"]["team"]
            path = ("governance", "team")
            if not team:
                return Check("team.named", False, Text("kein Team benannt",
                                                       "no team named"),
                             Text("governance.team: Rollen, Erfahrung und Stunden eintragen",
                                  "governance.team: list roles, seniority and hours"), path)
            return Check("team.named", True, Text(f"Team mit {len(team)} Personen",
                                                  f"team of {len(team)}"), Text("", ""), path)
        return self.get("team.named", make)

    def team_experienced(self) -> Check:
        """Someone senior is in charge, not only interns."""
        def make() -> Check:
            team = self.data["governance"]["team"]
            path = ("governance", "team")
            senior = [m for m in team if m["seniority"] in ("senior", "lead")]
            if senior:
                return Check("team.experienced", True, Text(
                    f"{len(senior)} erfahrene Person(en) im Team",
                    f"{len(senior)} experienced team member(s)"), Text("", ""), path)
            what = Text("niemand Erfahrenes verantwortlich (nur Praktikum oder Junior)",
                        "nobody experienced in charge (only interns or juniors)") if team \
                else Text("niemand Erfahrenes verantwortlich", "nobody experienced in charge")
            return Check("team.experienced", False, what, Text(
                "mindestens eine Person mit seniority senior oder lead benennen – "
                "„ein Praktikant könnte das übernehmen“ ist ein Stolperstein",
                "name at least one team member with seniority senior or lead – \"an intern "
                "could do it\" is one of the obstacles"), path)
        return self.get("team.experienced", make)

    def owner_not_it(self) -> Check:
        """Social media is not owned by IT."""
        def make() -> Check:
            department = self.data["governance"]["owner_department"]
            path = ("governance", "owner_department")
            if department == "it":
                return Check("owner.not_it", False, Text(
                    "Social Media liegt bei der IT-Abteilung", "social media is owned by IT"),
                    Text("die Verantwortung Kommunikation oder Marketing geben; die IT "
                         "unterstützt mit Werkzeugen und Sicherheit",
                         "give ownership to communications or marketing; IT supports with "
                         "tools and security"), path)
            name = label(department)
            return Check("owner.not_it", True, Text(f"verantwortlich: {name.de}",
                                                    f"owned by {name.en}"), Text("", ""), path)
        return self.get("owner.not_it", make)

    # Goals and KPIs ------------------------------------------------------------------------

    def goals(self) -> Check:
        """The goals (always set; listed for the report)."""
        goals = self.data["strategy"]["goals"]
        names = join(label(g) for g in goals)
        return self.get("goals", lambda: Check(
            "goals", True, Text(f"Ziele: {names.de}", f"goals: {names.en}"), Text("", ""),
            ("strategy", "goals")))

    def kpis(self) -> list[Check]:
        """One check per goal: it has KPIs."""
        kpis = self.data["strategy"]["kpis"] or {}
        checks = []
        for goal in self.data["strategy"]["goals"]:
            name = label(goal)
            if goal in kpis:
                checks.append(self.share(Check(
                    f"kpis.{goal}", True, Text(f"{name.de}: {len(kpis[goal])} Kennzahl(en)",
                                            f"{name.en}: {len(kpis[goal])} KPI(s)"),
                    Text("", ""), ("strategy", "kpis", goal))))
            else:
                checks.append(self.share(Check(
                    f"kpis.{goal}", False, Text(f"keine Kennzahl für das Ziel „{name.de}“",
                                             f"no KPI for the goal '{name.en}'"),
                    Text(f"unter strategy.kpis.{goal} messen, woran der Erfolg erkennbar ist",
                         f"add strategy.kpis.{goal}: how success is measured"),
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
            "contacts.legal", True, Text(f"Rechtskontakt: {legal_name.de}",
                                         f"legal contact: {legal_name.en}"), Text("", ""),
            ("contacts", "legal")))]
        wanted = []
        if facts["eu"]:
            wanted.append(("data_protection_officer", Text("Datenschutzbeauftragte(r)",
                                                           "data protection officer"),
                           Text("in der EU", "in the EU")))
        if company["works_council"]:
            wanted.append(("works_council", Text("Betriebsrat", "works council"),
                           Text("mit Betriebsrat", "with a works council")))
        if facts["regulated_finance"] or company["listed"]:
            wanted.append(("compliance", Text("Compliance", "compliance"),
                           Text("reguliert oder börsennotiert", "regulated or listed")))
        for key, who, why in wanted:
            ok = contacts[key] is not None
            checks.append(self.share(Check(
                f"contacts.{key}", ok,
                Text(f"Kontakt {who.de} benannt" if ok else f"kein Kontakt {who.de} ({why.de})",
                     f"{who.en} contact named" if ok else f"no {who.en} contact ({why.en})"),
                Text("", "") if ok else Text(f"contacts.{key} mit Name und E-Mail ergänzen",
                                            f"add contacts.{key} with name and email"),
                ("contacts", key) if ok else ("contacts",))))
        if company["works_council"] and facts["eu"]:
            ok = self.data["governance"]["works_agreement"] is not None
            checks.append(self.share(Check(
                "works_agreement", ok,
                Text("Betriebsvereinbarung genannt" if ok else "keine Betriebsvereinbarung genannt",
                     "works agreement named" if ok else "no works agreement named"),
                Text("", "") if ok else Text(
                    "Regeln mit dem Betriebsrat vereinbaren und governance.works_agreement "
                    "nennen", "agree the rules with the works council and name them in "
                    "governance.works_agreement"),
                ("governance", "works_agreement") if ok else ("governance",))))
        if self.covered is not None:
            for code in company["jurisdictions"]:
                ok = code in self.covered or (code in EU_MEMBERS and EU in self.covered)
                where = ("company", "jurisdictions", company["jurisdictions"].index(code))
                checks.append(self.share(Check(
                    f"library.{code}", ok,
                    Text(f"Klauseln für {code} in der Bibliothek" if ok
                         else f"keine Klauseln für {code} in der Bibliothek",
                         f"clauses for {code} in the library" if ok
                         else f"no clauses for {code} in the library"),
                    Text("", "") if ok else Text(
                        f"die Rechtslage in {code} prüfen lassen und Klauseln ergänzen",
                        f"have the law of {code} reviewed and add clauses for it"), where)))
        return checks

    # Culture, training, employees ----------------------------------------------------------

    def sponsor(self) -> Check:
        """The executive sponsor (required by the schema; listed for the report)."""
        sponsor = self.data["governance"]["executive_sponsor"]
        role = text_of(sponsor["role"])
        return self.get("sponsor", lambda: Check(
            "sponsor", True, Text(f"Chefsache: {sponsor['name']} ({role.de})",
                                  f"executive sponsor: {sponsor['name']} ({role.en})"),
            Text("", ""), ("governance", "executive_sponsor")))

    def _flag(self, check_id: str, ok: bool, yes: Text, no: Text, hint: Text,
              path: DocPath) -> Check:
        return self.get(check_id, lambda: Check(check_id, ok, yes if ok else no,
                                                Text("", "") if ok else hint, path))

    def onboarding(self) -> Check:
        """Onboarding training."""
        return self._flag("training.onboarding",
                          bool(self.data["governance"]["training"]["onboarding"]),
                          Text("Schulung beim Einstieg", "onboarding training"),
                          Text("keine Schulung beim Einstieg", "no onboarding training"),
                          Text("governance.training.onboarding: true und eine Schulung anbieten",
                               "offer training and set governance.training.onboarding: true"),
                          ("governance", "training"))

    def refresh(self) -> Check:
        """A refresher cycle."""
        months = self.data["governance"]["training"]["refresh_months"]
        return self._flag("training.refresh", months is not None,
                          Text(f"Auffrischung alle {months} Monate",
                               f"refresher every {months} months"),
                          Text("keine regelmäßige Auffrischung", "no regular refresher"),
                          Text("governance.training.refresh_months setzen, z. B. 12",
                               "set governance.training.refresh_months, e.g. 12"),
                          ("governance", "training"))

    def approval(self) -> Check:
        """Official posts are approved."""
        mode = self.data["governance"]["approval"]["official_posts"]
        name = label(mode)
        return self._flag("approval", mode != "none",
                          Text(f"Freigabe offizieller Beiträge: {name.de}",
                               f"approval of official posts: {name.en}"),
                          Text("offizielle Beiträge ohne Freigabe",
                               "official posts need no approval"),
                          Text("governance.approval.official_posts: four_eyes oder owner",
                               "set governance.approval.official_posts to four_eyes or owner"),
                          ("governance", "approval"))

    def employees_decided(self) -> Check:
        """The employees section is written, not left to defaults."""
        return self._flag("employees.decided", "employees" in self.written,
                          Text("Regeln für Mitarbeitende festgelegt",
                               "rules for employees decided"),
                          Text("Regeln für Mitarbeitende nicht festgelegt (nur Voreinstellungen)",
                               "rules for employees not decided (defaults only)"),
                          Text("den Abschnitt employees ausfüllen: private Nutzung, Nennung "
                               "des Arbeitgebers, Advocacy, KI-Inhalte",
                               "fill in the employees section: private use, naming the "
                               "employer, advocacy, AI content"), ())

    def advocacy(self) -> Check:
        """An advocacy programme."""
        return self._flag("employees.advocacy", bool(self.data["employees"]["advocacy_program"]),
                          Text("Mitarbeitende als Botschafter (Advocacy)",
                               "employee advocacy programme"),
                          Text("kein Advocacy-Programm", "no employee advocacy programme"),
                          Text("Mitarbeitende einladen, mitzuwirken (employees.advocacy_program)",
                               "invite employees to take part (employees.advocacy_program)"),
                          ("employees",))

    def disclosure(self) -> Check:
        """Advocacy posts carry a disclosure hashtag."""
        hashtag = self.data["employees"]["disclosure"]["hashtag"]
        return self._flag("employees.disclosure", hashtag is not None,
                          Text(f"Kennzeichnung mit {hashtag}", f"disclosure with {hashtag}"),
                          Text("Advocacy ohne Kennzeichnungs-Hashtag",
                               "advocacy without a disclosure hashtag"),
                          Text("employees.disclosure.hashtag setzen, z. B. \"#TeamAcme\"",
                               "set employees.disclosure.hashtag, e.g. \"#TeamAcme\""),
                          ("employees",))

    def open_use(self) -> Check:
        """Employees may take part openly."""
        use = self.data["employees"]["private_use_at_work"]
        return self._flag("employees.open_use",
                          use != "prohibited" and bool(self.data["employees"]["may_name_employer"]),
                          Text("Mitarbeitende dürfen sich als Teil des Unternehmens zeigen",
                               "employees may show they work here"),
                          Text("Mitarbeitende dürfen sich online kaum beteiligen",
                               "employees can hardly take part online"),
                          Text("private Nutzung in Pausen erlauben und die Nennung des "
                               "Arbeitgebers zulassen", "allow private use in breaks and let "
                               "employees name their employer"), ("employees",))

    # Criticism -----------------------------------------------------------------------------

    def criticism(self) -> list[Check]:
        """Escalation levels, response time, keeping criticism, house rules."""
        crit = self.data["criticism"]
        levels = len(crit["escalation"])
        hours = crit["response_time_hours"]
        return [
            self._flag("criticism.escalation", levels >= 2,
                       Text(f"Eskalation in {levels} Stufen", f"escalation in {levels} levels"),
                       Text("nur eine Eskalationsstufe", "a single escalation level"),
                       Text("mindestens Routine und Krise unterscheiden (criticism.escalation)",
                            "distinguish at least routine and crisis (criticism.escalation)"),
                       ("criticism", "escalation")),
            self._flag("criticism.response", hours <= 24,
                       Text(f"Antwort binnen {format_number(hours, 'de')} Stunden",
                            f"response within {format_number(hours, 'en')} hours"),
                       Text(f"Antwort erst nach {format_number(hours, 'de')} Stunden",
                            f"response only after {format_number(hours, 'en')} hours"),
                       Text("criticism.response_time_hours auf höchstens 24 senken",
                            "lower criticism.response_time_hours to 24 or less"),
                       ("criticism", "response_time_hours")),
            self._flag("criticism.keep", bool(crit["moderation"]["keep_criticism"]),
                       Text("sachliche Kritik bleibt stehen", "fair criticism stays visible"),
                       Text("Kritik wird gelöscht", "criticism is deleted"),
                       Text("criticism.moderation.keep_criticism: true – gelöschte Kritik "
                            "verstärkt Widerstand", "criticism.moderation.keep_criticism: true "
                            "– deleting criticism fuels resistance"), ("criticism", "moderation")),
            self._flag("criticism.house_rules", crit["moderation"]["house_rules_url"] is not None,
                       Text("Netiquette veröffentlicht", "house rules published"),
                       Text("keine veröffentlichte Netiquette", "no published house rules"),
                       Text("criticism.moderation.house_rules_url: Adresse der Netiquette",
                            "criticism.moderation.house_rules_url: where the house rules are"),
                       ("criticism",)),
        ]

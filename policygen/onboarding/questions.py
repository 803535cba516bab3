"""The questions `policygen init` asks, in German and English, with defaults and conditions.

Each question names the profile field it fills (`path`); its type, choices and limits come from
schemas/profile.yaml, so an answer that passes here passes validation. Defaults and
conditions are functions of the earlier answers (by question id) and the language.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from policygen.core.source import DocPath
from policygen.onboarding.readiness_checks import Text
from policygen.vocabulary import JURISDICTIONS

Answers = Mapping[str, Any]
Default = Callable[[Answers, str], Any]


@dataclass(frozen=True)
class Question:
    """One question: the answer's id (in answers.yaml), the profile field, the prompt."""

    id: str
    path: DocPath
    prompt: Text
    default: Default | None = None
    required: bool = True
    when: Callable[[Answers], bool] | None = None
    hint: Text | None = None


@dataclass(frozen=True)
class Group:
    """A repeated group (channels, team members): zero or more items of sub-questions."""

    id: str
    path: DocPath
    prompt: Text
    questions: tuple[Question, ...] = field(default_factory=tuple)


Item = Question | Group


def _fixed(value: Any) -> Default:
    return lambda _answers, _lang: value


def _by_lang(de: Any, en: Any) -> Default:
    return lambda _answers, lang: de if lang == "de" else en


def _has(key: str, *values: str) -> Callable[[Answers], bool]:
    return lambda a: bool(set(a.get(key) or ()) & set(values))


def _yes(key: str) -> Callable[[Answers], bool]:
    return lambda a: a.get(key) is True


def _given(key: str) -> Callable[[Answers], bool]:
    return lambda a: a.get(key) is not None


_FORMS = ("GmbH & Co. KG", "GmbH", "AG", "SE", "KG", "e.V.", "Ltd", "plc", "LLP", "Inc.", "LLC",
          "Corp.")
URL = Text("eine Webadresse, die mit https:// beginnt", "a web address starting with https://")
EMAIL = Text("eine E-Mail-Adresse wie social@example.com",
             "an email address like social@example.com")
GOALS = ("awareness", "new_customers", "customer_relations", "image", "multipliers",
         "market_research", "recruiting", "partner_collaboration")
LEVELS = (
    (Text("Routine", "Routine"), Text("Fragen, Lob und gewöhnliche Beschwerden",
                                      "Questions, praise and ordinary complaints")),
    (Text("Sensibel", "Sensitive"), Text("Berechtigte Kritik, Beschwerden über Sicherheit, "
                                         "Presseanfragen", "Justified criticism, safety "
                                         "complaints, press enquiries")),
    (Text("Krise", "Crisis"), Text("Vorwürfe rechtswidrigen Verhaltens, Unfälle, sich schnell "
                                   "verbreitende negative Beiträge", "Allegations of unlawful "
                                   "conduct, accidents, negative posts spreading fast")),
)


def _legal_form(a: Answers, _lang: str) -> str | None:
    name = str(a.get("company_name", ""))
    return next((form for form in _FORMS if name.endswith(" " + form)), None)


def _short_name(a: Answers, _lang: str) -> str:
    name = str(a.get("company_name", ""))
    form = _legal_form(a, _lang)
    return name[: -len(form)].strip() if form else name


def _zone(a: Answers, _lang: str) -> str:
    return JURISDICTIONS[_first_jurisdiction(a)].timezone


def _currency(a: Answers, _lang: str) -> str:
    return JURISDICTIONS[_first_jurisdiction(a)].currency


def _first_jurisdiction(a: Answers) -> str:
    return str((a.get("jurisdictions") or [next(iter(JURISDICTIONS))])[0])


def _team_hours(a: Answers, _lang: str) -> float:
    total = sum(m.get("hours_per_week") or 0 for m in a.get("team") or ())
    return int(total) if float(total).is_integer() else total


def _q(qid: str, path: DocPath, de: str, en: str, **options: Any) -> Question:
    return Question(qid, path, Text(de, en), **options)


def _kpi(goal: str) -> Question:
    return _q(f"kpis_{goal}", ("strategy", "kpis", goal),
              "Woran messen Sie das Ziel „{label}“? (Kennzahlen mit ; trennen, leer: keine)",
              "How do you measure the goal '{label}'? (KPIs separated by ;, empty: none)",
              required=False, when=_has("goals", goal))


def _level(index: int, key: str, notify: Default, approves: Default, hours: Default) -> list[Item]:
    name = LEVELS[index][0]
    base: DocPath = ("criticism", "escalation", index)
    return [
        _q(f"{key}_notify", (*base, "notify"),
           f"Stufe {index + 1} ({name.de}): wer wird informiert? (mit ; trennen)",
           f"Level {index + 1} ({name.en}): who is notified? (separated by ;)", default=notify),
        _q(f"{key}_approves", (*base, "approves_replies"),
           f"Stufe {index + 1} ({name.de}): wer gibt Antworten frei?",
           f"Level {index + 1} ({name.en}): who approves replies?", default=approves),
        _q(f"{key}_hours", (*base, "response_hours"),
           f"Stufe {index + 1} ({name.de}): Antwort binnen wie vielen Stunden?",
           f"Level {index + 1} ({name.en}): reply within how many hours?", default=hours),
    ]


def _contact(key: str, de: str, en: str, required: bool,
             when: Callable[[Answers], bool] | None = None) -> list[Item]:
    path: DocPath = ("contacts", key)
    email = f"{key}_email"
    return [
        _q(email, (*path, "email"),
           f"E-Mail-Adresse: {de}" + ("" if required else " (leer: keine)"),
           f"Email address: {en}" + ("" if required else " (empty: none)"), required=required,
           when=when, hint=EMAIL),
        _q(f"{key}_name", (*path, "name"), f"Name oder Funktion: {de}", f"Name or role: {en}",
           default=_by_lang(de, en), when=_given(email)),
    ]


ITEMS: tuple[Item, ...] = (
    _q("company_name", ("company", "name"), "Name des Unternehmens (mit Rechtsform)",
       "Company name (with legal form)"),
    _q("short_name", ("company", "short_name"), "Kurzname (für Texte und den Ordnernamen)",
       "Short name (for texts and the folder name)", default=_short_name),
    _q("legal_form", ("company", "legal_form"), "Rechtsform (leer: keine)",
       "Legal form (empty: none)", default=_legal_form, required=False),
    _q("jurisdictions", ("company", "jurisdictions"), "In welchen Ländern ist es tätig?",
       "In which countries does it operate?", default=_by_lang(["DE"], None)),
    _q("industry", ("company", "industry"), "Branche", "Industry"),
    _q("employees", ("company", "employees"), "Zahl der Beschäftigten", "Number of employees"),
    _q("works_council", ("company", "works_council"), "Gibt es einen Betriebsrat?",
       "Is there a works council?", default=_fixed(False)),
    _q("listed", ("company", "listed"), "Ist das Unternehmen börsennotiert?",
       "Is the company listed on a stock exchange?", default=_fixed(False)),
    _q("stock_exchange", ("company", "stock_exchange"), "An welcher Börse? (leer: offen lassen)",
       "On which exchange? (empty: leave open)", required=False, when=_yes("listed")),
    _q("b2b", ("company", "b2b"), "Verkauft es vor allem an Unternehmen (B2B)?",
       "Does it sell mainly to businesses (B2B)?", default=_fixed(False)),
    _q("website", ("company", "website"), "Website", "Website", hint=URL),
    _q("imprint_url", ("company", "imprint_url"), "Adresse des Impressums (leer: keine)",
       "Address of the imprint (empty: none)", required=False, when=_has("jurisdictions", "DE",
                                                                         "AT"), hint=URL),
    _q("privacy_url", ("company", "privacy_url"), "Adresse der Datenschutzerklärung (leer: keine)",
       "Address of the privacy notice (empty: none)", required=False, hint=URL),
    _q("languages", ("document", "languages"), "Sprachen der Leitlinie",
       "Languages of the guideline", default=lambda _a, lang: [lang]),
    _q("version", ("document", "version"), "Version der Leitlinie", "Version of the guideline",
       default=_fixed("1.0"), hint=Text("eine Version wie 1.0", "a version such as 1.0")),
    _q("effective_date", ("document", "effective_date"), "Gültig ab (JJJJ-MM-TT)",
       "Effective from (YYYY-MM-DD)"),
    _q("owner", ("document", "owner"), "Wer ist für die Leitlinie verantwortlich?",
       "Who owns the guideline?", default=_by_lang("Leitung Unternehmenskommunikation",
                                                   "Head of Communications")),
    _q("author", ("document", "author"), "Autorin oder Autor (leer: wie verantwortlich)",
       "Author (empty: same as owner)", required=False),
    _q("goals", ("strategy", "goals"),
       "Welche Ziele verfolgen Sie mit Social Media? (Bitkom-Liste)",
       "What are your social media goals? (the Bitkom list)"),
    *(_kpi(goal) for goal in GOALS),
    _q("target_groups", ("strategy", "target_groups"), "Zielgruppen (mit ; trennen)",
       "Target groups (separated by ;)"),
    Group("channels", ("strategy", "channels"),
          Text("Einen offiziellen Kanal hinzufügen?", "Add an official channel?"), (
        _q("platform", ("platform",), "Plattform", "Platform"),
        _q("handle", ("handle",), "Name des Kontos (z. B. @acme)", "Account name (e.g. @acme)",
           hint=Text("den Namen ohne Leerzeichen, z. B. @acme", "the name without spaces, "
                     "e.g. @acme")),
        _q("purpose", ("purpose",), "Wozu dient der Kanal? (was hat das Unternehmen davon?)",
           "What is the channel for? (what does the company gain?)"),
        _q("owner", ("owner",), "Wer betreut ihn?", "Who runs it?",
           default=_by_lang("Social-Media-Team", "Social media team")),
        _q("url", ("url",), "Adresse (leer: keine)", "Address (empty: none)", required=False,
           hint=URL),
        _q("audience_present", ("audience_present",),
           "Sind Ihre Zielgruppen dort anzutreffen? (leer: weiß nicht)",
           "Are your target groups there? (empty: don't know)", required=False),
        _q("customer_value", ("customer_value",), "Was haben Ihre Kunden davon? (leer: offen)",
           "What do your customers gain from it? (empty: open)", required=False),
        _q("inbound", ("inbound",), "Wer möchte Sie dort erreichen? (leer: offen)",
           "Who wants to reach you there? (empty: open)", required=False),
    )),
    _q("sponsor_name", ("governance", "executive_sponsor", "name"),
       "Wer in der Geschäftsleitung steht dafür ein? (Name)",
       "Who in top management sponsors social media? (name)"),
    _q("sponsor_role", ("governance", "executive_sponsor", "role"), "Funktion dieser Person",
       "This person's role", default=_by_lang("Geschäftsführung", "Managing Director")),
    _q("owner_department", ("governance", "owner_department"), "Welche Abteilung verantwortet es?",
       "Which department owns social media?", default=_fixed("communications")),
    Group("team", ("governance", "team"), Text("Eine Person im Social-Media-Team hinzufügen?",
                                               "Add a member of the social media team?"), (
        _q("role", ("role",), "Rolle", "Role"),
        _q("name", ("name",), "Name (leer: offen)", "Name (empty: open)", required=False),
        _q("seniority", ("seniority",), "Erfahrung", "Seniority", default=_fixed("senior")),
        _q("hours_per_week", ("hours_per_week",), "Stunden pro Woche für Social Media",
           "Hours a week for social media", required=False),
    )),
    _q("hours_per_week", ("governance", "hours_per_week"),
       "Stunden pro Woche für Social Media insgesamt", "Hours a week for social media in total",
       default=_team_hours),
    _q("budget_amount", ("governance", "budget", "amount"), "Budget (leer: keines)",
       "Budget (empty: none)", required=False),
    _q("budget_currency", ("governance", "budget", "currency"), "Währung", "Currency",
       default=_currency, when=_given("budget_amount")),
    _q("budget_period", ("governance", "budget", "period"), "pro", "per",
       default=_fixed("year"), when=_given("budget_amount")),
    _q("approval", ("governance", "approval", "official_posts"),
       "Wie werden offizielle Beiträge freigegeben?", "How are official posts approved?",
       default=_fixed("four_eyes")),
    _q("training_onboarding", ("governance", "training", "onboarding"),
       "Gibt es eine Schulung beim Einstieg?", "Is there onboarding training?",
       default=_fixed(True)),
    _q("training_refresh", ("governance", "training", "refresh_months"),
       "Auffrischung alle wie viele Monate? (leer: keine)",
       "Refresher every how many months? (empty: none)", default=_fixed(12), required=False),
    *(_q(f"stage_{area}", ("governance", "integration_stage", area),
         f"Integrationsstufe {de} (pilot, partial, integrated)",
         f"Integration stage of {en} (pilot, partial, integrated)", default=_fixed("pilot"))
      for area, de, en in (("personnel", "Personal", "personnel"),
                           ("structure", "Struktur", "structure"),
                           ("culture", "Unternehmenskultur", "culture"))),
    _q("works_agreement", ("governance", "works_agreement"),
       "Betriebsvereinbarung zu Social Media (leer: noch keine)",
       "Works agreement on social media (empty: none yet)", required=False,
       when=_yes("works_council")),
    _q("private_use", ("employees", "private_use_at_work"),
       "Private Nutzung während der Arbeitszeit", "Private use during working hours",
       default=_fixed("reasonable")),
    _q("may_name_employer", ("employees", "may_name_employer"),
       "Dürfen Mitarbeitende den Arbeitgeber nennen?", "May employees name their employer?",
       default=_fixed(True)),
    _q("advocacy_program", ("employees", "advocacy_program"),
       "Sollen Mitarbeitende als Botschafter mitwirken (Advocacy)?",
       "Should employees take part as advocates?", default=_fixed(False)),
    _q("hashtag", ("employees", "disclosure", "hashtag"),
       "Hashtag zur Kennzeichnung (z. B. #TeamAcme; leer: keiner)",
       "Disclosure hashtag (e.g. #TeamAcme; empty: none)", required=False,
       when=_yes("advocacy_program"),
       hint=Text("ein Hashtag wie #TeamAcme", "one hashtag such as #TeamAcme")),
    _q("ai_content", ("employees", "ai_content"), "KI-generierte Inhalte", "AI-generated content",
       default=_fixed("labelled")),
    _q("service_days", ("criticism", "service_hours", "days"), "Servicetage", "Service days",
       default=_fixed("mon_fri")),
    _q("service_start", ("criticism", "service_hours", "start"), "Servicezeit ab (HH:MM)",
       "Service hours from (HH:MM)", default=_fixed("09:00"),
       hint=Text("eine Uhrzeit wie 08:00", "a time such as 08:00")),
    _q("service_end", ("criticism", "service_hours", "end"), "Servicezeit bis (HH:MM)",
       "Service hours until (HH:MM)", default=_fixed("17:00"),
       hint=Text("eine Uhrzeit wie 17:00", "a time such as 17:00")),
    _q("timezone", ("criticism", "service_hours", "timezone"), "Zeitzone", "Time zone",
       default=_zone, hint=Text("eine Zeitzone wie Europe/Berlin",
                                "a time zone such as Europe/Berlin")),
    _q("response_time", ("criticism", "response_time_hours"),
       "Antwort auf Kommentare binnen wie vielen Stunden?",
       "Reply to comments within how many hours?", default=_fixed(8)),
    *_level(0, "routine", _by_lang(["Social-Media-Team"], ["Social media team"]),
            _by_lang("Social-Media-Team", "Social media team"),
            lambda a, _lang: a.get("response_time") or 8),
    *_level(1, "sensitive", lambda a, lang: [a.get("owner") or ""],
            lambda a, lang: a.get("owner") or "", _fixed(4)),
    *_level(2, "crisis", lambda a, lang: [a.get("sponsor_role") or "",
                                          Text("Rechtsabteilung", "Legal department").get(lang)],
            lambda a, lang: a.get("sponsor_role") or "", _fixed(2)),
    _q("keep_criticism", ("criticism", "moderation", "keep_criticism"),
       "Bleibt sachliche Kritik stehen (wird nicht gelöscht)?",
       "Does fair criticism stay visible (not deleted)?", default=_fixed(True)),
    _q("house_rules_url", ("criticism", "moderation", "house_rules_url"),
       "Adresse der Netiquette (leer: keine)", "Address of the house rules (empty: none)",
       required=False, hint=URL),
    *_contact("social_media_team", "Social-Media-Team", "Social media team", True),
    *_contact("legal", "Rechtsabteilung", "Legal department", True),
    *_contact("hr", "Personalabteilung", "Human Resources", True),
    *_contact("data_protection_officer", "Datenschutzbeauftragte", "Data protection officer",
              False),
    *_contact("works_council", "Betriebsrat", "Works council", False, when=_yes("works_council")),
    *_contact("press", "Pressestelle", "Press office", False),
)


def all_ids() -> list[str]:
    """Every answer id, groups included, in order."""
    return [item.id for item in ITEMS]

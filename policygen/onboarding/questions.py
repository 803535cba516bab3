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
from policygen.i18n import catalogue, phrase, raw, text
from policygen.onboarding.readiness_checks import Text
from policygen.vocabulary import JURISDICTIONS, OTHER_PLATFORM

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
URL = phrase("questions.url.a_web_address")
EMAIL = phrase("questions.email.an_email_address")
GOALS = ("awareness", "new_customers", "customer_relations", "image", "multipliers",
         "market_research", "recruiting", "partner_collaboration")
LEVELS = (
    (phrase("questions.levels.routine"), phrase("questions.levels.questions_praise_and")),
    (phrase("questions.levels.sensitive"), phrase("questions.levels.justified_criticism_safety")),
    (phrase("questions.levels.crisis"), phrase("questions.levels.allegations_of_unlawful")),
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


def _in_words(words: Text) -> Default:
    return _by_lang(words.de, words.en)


def _in_list(words: Text) -> Default:
    return _by_lang([words.de], [words.en])


def _q(qid: str, path: DocPath, prompt: Text, **options: Any) -> Question:
    return Question(qid, path, prompt, **options)


def _kpi(goal: str) -> Question:
    return _q(f"kpis_{goal}", ("strategy", "kpis", goal), raw("questions.prompt.kpis"),
              required=False, when=_has("goals", goal))


def _level(index: int, key: str, notify: Default, approves: Default, hours: Default) -> list[Item]:
    name = LEVELS[index][0]
    base: DocPath = ("criticism", "escalation", index)
    return [
        _q(f"{key}_notify", (*base, "notify"),
           phrase("questions.level.notify", number=index + 1, name=name), default=notify),
        _q(f"{key}_approves", (*base, "approves_replies"),
           phrase("questions.level.approves", number=index + 1, name=name), default=approves),
        _q(f"{key}_hours", (*base, "response_hours"),
           phrase("questions.level.hours", number=index + 1, name=name), default=hours),
    ]


def _contact(key: str, who: Text, required: bool,
             when: Callable[[Answers], bool] | None = None) -> list[Item]:
    path: DocPath = ("contacts", key)
    email = f"{key}_email"
    return [
        _q(email, (*path, "email"),
           phrase("questions.contact_email" if required else "questions.contact_email_optional",
                  who=who), required=required, when=when, hint=EMAIL),
        _q(f"{key}_name", (*path, "name"), phrase("questions.contact_name", who=who),
           default=_in_words(who), when=_given(email)),
    ]


ITEMS: tuple[Item, ...] = (
    _q("company_name", ("company", "name"), phrase("questions.prompt.company_name")),
    _q("short_name", ("company", "short_name"), phrase("questions.prompt.short_name"),
       default=_short_name),
    _q("legal_form", ("company", "legal_form"), phrase("questions.prompt.legal_form"),
       default=_legal_form, required=False),
    _q("jurisdictions", ("company", "jurisdictions"), phrase("questions.prompt.jurisdictions"),
       default=_by_lang(["DE"], None)),
    _q("industry", ("company", "industry"), phrase("questions.prompt.industry")),
    _q("employees", ("company", "employees"), phrase("questions.prompt.employees")),
    _q("works_council", ("company", "works_council"), phrase("questions.prompt.works_council"),
       default=_fixed(False)),
    _q("listed", ("company", "listed"), phrase("questions.prompt.listed"), default=_fixed(False)),
    _q("stock_exchange", ("company", "stock_exchange"), phrase("questions.prompt.stock_exchange"),
       required=False, when=_yes("listed")),
    _q("b2b", ("company", "b2b"), phrase("questions.prompt.b2b"), default=_fixed(False)),
    _q("website", ("company", "website"), phrase("questions.prompt.website"), hint=URL),
    _q("imprint_url", ("company", "imprint_url"), phrase("questions.prompt.imprint_url"),
       required=False, when=_has("jurisdictions", "DE", "AT"), hint=URL),
    _q("privacy_url", ("company", "privacy_url"), phrase("questions.prompt.privacy_url"),
       required=False, hint=URL),
    _q("languages", ("document", "languages"), phrase("questions.prompt.languages"),
       default=lambda _a, lang: [lang]),
    _q("version", ("document", "version"), phrase("questions.prompt.version"),
       default=_fixed("1.0"), hint=phrase("questions.hint.version")),
    _q("effective_date", ("document", "effective_date"), phrase("questions.prompt.effective_date")),
    _q("owner", ("document", "owner"), phrase("questions.prompt.owner"),
       default=_in_words(phrase("questions.default.owner"))),
    _q("author", ("document", "author"), phrase("questions.prompt.author"), required=False),
    _q("goals", ("strategy", "goals"),
       phrase("questions.prompt.goals")),
    *(_kpi(goal) for goal in GOALS),
    _q("target_groups", ("strategy", "target_groups"), phrase("questions.prompt.target_groups")),
    Group("channels", ("strategy", "channels"),
          phrase("questions.group.channels"), (
        _q("platform", ("platform",), phrase("questions.prompt.platform")),
        _q("name", ("name",), phrase("questions.prompt.platform_name"),
           when=lambda entry: entry.get("platform") == OTHER_PLATFORM),
        _q("handle", ("handle",), phrase("questions.prompt.handle"),
           hint=phrase("questions.hint.handle")),
        _q("purpose", ("purpose",), phrase("questions.prompt.purpose")),
        _q("owner", ("owner",), phrase("questions.prompt.channel_owner"),
           default=_in_words(phrase("questions.default.social_media_team"))),
        _q("url", ("url",), phrase("questions.prompt.url"), required=False,
           hint=URL),
        _q("audience_present", ("audience_present",),
           phrase("questions.prompt.audience_present"), required=False),
        _q("customer_value", ("customer_value",), phrase("questions.prompt.customer_value"),
           required=False),
        _q("inbound", ("inbound",), phrase("questions.prompt.inbound"), required=False),
    )),
    _q("sponsor_name", ("governance", "executive_sponsor", "name"),
       phrase("questions.prompt.sponsor_name")),
    _q("sponsor_role", ("governance", "executive_sponsor", "role"),
       phrase("questions.prompt.sponsor_role"),
       default=_in_words(phrase("questions.default.sponsor_role"))),
    _q("owner_department", ("governance", "owner_department"),
       phrase("questions.prompt.owner_department"), default=_fixed("communications")),
    Group("team", ("governance", "team"), phrase("questions.group.team"), (
        _q("role", ("role",), phrase("questions.prompt.role")),
        _q("name", ("name",), phrase("questions.prompt.name"), required=False),
        _q("seniority", ("seniority",), phrase("questions.prompt.seniority"),
           default=_fixed("senior")),
        _q("hours_per_week", ("hours_per_week",), phrase("questions.prompt.member_hours_per_week"),
           required=False),
    )),
    _q("hours_per_week", ("governance", "hours_per_week"),
       phrase("questions.prompt.hours_per_week"),
       default=_team_hours),
    _q("budget_amount", ("governance", "budget", "amount"),
       phrase("questions.prompt.budget_amount"), required=False),
    _q("budget_currency", ("governance", "budget", "currency"),
       phrase("questions.prompt.budget_currency"),
       default=_currency, when=_given("budget_amount")),
    _q("budget_period", ("governance", "budget", "period"),
       phrase("questions.prompt.budget_period"),
       default=_fixed("year"), when=_given("budget_amount")),
    _q("approval", ("governance", "approval", "official_posts"),
       phrase("questions.prompt.approval"),
       default=_fixed("four_eyes")),
    _q("training_onboarding", ("governance", "training", "onboarding"),
       phrase("questions.prompt.training_onboarding"),
       default=_fixed(True)),
    _q("training_refresh", ("governance", "training", "refresh_months"),
       phrase("questions.prompt.training_refresh"), default=_fixed(12), required=False),
    *(_q(f"stage_{area}", ("governance", "integration_stage", area),
         phrase("questions.prompt.stage", area=phrase(f"questions.area.{area}")),
         default=_fixed("pilot"))
      for area in ("personnel", "structure", "culture")),
    _q("works_agreement", ("governance", "works_agreement"),
       phrase("questions.prompt.works_agreement"), required=False,
       when=_yes("works_council")),
    _q("private_use", ("employees", "private_use_at_work"),
       phrase("questions.prompt.private_use"),
       default=_fixed("reasonable")),
    _q("may_name_employer", ("employees", "may_name_employer"),
       phrase("questions.prompt.may_name_employer"),
       default=_fixed(True)),
    _q("advocacy_program", ("employees", "advocacy_program"),
       phrase("questions.prompt.advocacy_program"), default=_fixed(False)),
    _q("hashtag", ("employees", "disclosure", "hashtag"),
       phrase("questions.prompt.hashtag"), required=False,
       when=_yes("advocacy_program"),
       hint=phrase("questions.hint.hashtag")),
    _q("ai_content", ("employees", "ai_content"), phrase("questions.prompt.ai_content"),
       default=_fixed("labelled")),
    _q("service_days", ("criticism", "service_hours", "days"),
       phrase("questions.prompt.service_days"),
       default=_fixed("mon_fri")),
    _q("service_start", ("criticism", "service_hours", "start"),
       phrase("questions.prompt.service_start"), default=_fixed("09:00"),
       hint=phrase("questions.hint.start_time")),
    _q("service_end", ("criticism", "service_hours", "end"),
       phrase("questions.prompt.service_end"), default=_fixed("17:00"),
       hint=phrase("questions.hint.end_time")),
    _q("timezone", ("criticism", "service_hours", "timezone"), phrase("questions.prompt.timezone"),
       default=_zone, hint=phrase("questions.hint.timezone")),
    _q("response_time", ("criticism", "response_time_hours"),
       phrase("questions.prompt.response_time"), default=_fixed(8)),
    *_level(0, "routine", _in_list(phrase("questions.default.social_media_team")),
            _in_words(phrase("questions.default.social_media_team")),
            lambda a, _lang: a.get("response_time") or 8),
    *_level(1, "sensitive", lambda a, lang: [a.get("owner") or ""],
            lambda a, lang: a.get("owner") or "", _fixed(4)),
    *_level(2, "crisis", lambda a, lang: [a.get("sponsor_role") or "",
                                          phrase("questions.default.legal_department").get(lang)],
            lambda a, lang: a.get("sponsor_role") or "", _fixed(2)),
    _q("keep_criticism", ("criticism", "moderation", "keep_criticism"),
       phrase("questions.prompt.keep_criticism"), default=_fixed(True)),
    _q("house_rules_url", ("criticism", "moderation", "house_rules_url"),
       phrase("questions.prompt.house_rules_url"),
       required=False, hint=URL),
    *_contact("social_media_team", phrase("questions.contact.social_media_team"), True),
    *_contact("legal", phrase("questions.contact.legal"), True),
    *_contact("hr", phrase("questions.contact.hr"), True),
    *_contact("data_protection_officer", phrase("questions.contact.data_protection_officer"),
              False),
    *_contact("works_council", phrase("questions.contact.works_council"), False,
              when=_yes("works_council")),
    *_contact("press", phrase("questions.contact.press"), False),
)


_SHARED_HELP = ("integration_stage", "contacts")  # one help for the questions of these fields


def help_of(question: Question | None, lang: str) -> list[str]:
    """What the studio and `init` both say about a question's field: its help and its hint.

    The help is the catalogue entry `questions.help.<id>` where there is one; the hint is the
    question's own (the form an answer takes). `init`'s `?` and the studio's help line show
    these words, each adding how its own input takes the answer.
    """
    if question is None:
        return []
    found = []
    shared = [part for part in question.path if part in _SHARED_HELP]
    for name in (question.id, *shared):
        key = f"questions.help.{name}"
        if key in catalogue(lang):
            found.append(text(lang, key))
            break
    if question.hint is not None:
        found.append(question.hint.get(lang))
    return found


def all_ids() -> list[str]:
    """Every answer id, groups included, in order."""
    return [item.id for item in ITEMS]

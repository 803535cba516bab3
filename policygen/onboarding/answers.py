"""One answer of `policygen init`: parsed from typed text or an answers file, then checked.

The type, choices and limits of an answer are those of its field in schemas/profile.yaml, so
an accepted answer also passes profile validation. Reasons and hints are in the language of
the questionnaire.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping
from typing import Any

from policygen import i18n
from policygen.core import schema
from policygen.core.source import DocPath
from policygen.core.templating import labels
from policygen.i18n import phrase, raw
from policygen.onboarding.readiness_checks import Text

_YES = {"y", "yes", "j", "ja", "true"}
_NO = {"n", "no", "nein", "false"}
_MSG = {
    "required": phrase("answers.msg.required"),
    "int": raw("answers.msg.int"),
    "number": raw("answers.msg.number"),
    "bool": phrase("answers.msg.bool"),
    "date": raw("answers.msg.date"),
    "choice": raw("answers.msg.choice"),
    "min": raw("answers.msg.min"),
    "max": raw("answers.msg.max"),
    "long": raw("answers.msg.long"),
    "few": raw("answers.msg.few"),
    "format": raw("answers.msg.format"),
    "text": phrase("answers.msg.text"),
    "list": phrase("answers.msg.list"),
}
_HINTS = {
    "int": phrase("answers.hints.int"),
    "number": phrase("answers.hints.number"),
    "bool": phrase("answers.hints.bool"),
    "date": phrase("answers.hints.date"),
}

_QUOTE_HINT = phrase("answers.hints.quote")


_DE_THOUSANDS = re.compile(r"[+-]?[0-9]{1,3}(\.[0-9]{3})+(,[0-9]+)?")
_DE_DECIMAL = re.compile(r"[+-]?[0-9]+,[0-9]+")
_DE_DATE = re.compile(r"([0-9]{1,2})\.\s?([0-9]{1,2})\.\s?([0-9]{4})")
_CURRENCY_MARKS = ("€", "EUR", "CHF", "GBP", "USD", "£", "$", "Fr.")


def number_text(text: str) -> str:
    """A typed number in the form Python reads: German forms too ("20.000 €", "7,5")."""
    cleaned = text.strip()
    for mark in _CURRENCY_MARKS:
        cleaned = cleaned.replace(mark, "")
    cleaned = cleaned.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("'", "")
    if _DE_THOUSANDS.fullmatch(cleaned):
        return cleaned.replace(".", "").replace(",", ".")
    if _DE_DECIMAL.fullmatch(cleaned):
        return cleaned.replace(",", ".")
    return cleaned


def date_of(text: str) -> dt.date:
    """A typed date: ISO (2027-03-01) or German (1.3.2027); ValueError if it is neither."""
    text = text.strip()
    match = _DE_DATE.fullmatch(text)
    if match:
        day, month, year = (int(part) for part in match.groups())
        return dt.date(year, month, day)
    return dt.date.fromisoformat(text)


class Refused(Exception):
    """An answer that does not fit: the reason and a hint, in the questionnaire's language."""

    def __init__(self, reason: str, hint: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.hint = hint


def rules(path: DocPath) -> dict[str, Any]:
    """The schema rules of a profile field."""
    found = schema.rules_at(schema.load_schema("profile"), path)
    if found is None:  # pragma: no cover - guarded by the tests of every question
        raise KeyError(path)
    return found


def kind(rule: Mapping[str, Any]) -> str:
    """What sort of answer a field takes: text, int, number, bool, date, choice, choices, texts."""
    if rule.get("type") == "list":
        return "choices" if "allowed" in rule.get("schema", {}) else "texts"
    if "allowed" in rule:
        return "choice"
    return {"integer": "int", "number": "number", "boolean": "bool",
            "date": "date"}.get(rule.get("type", ""), "text")


def choices(rule: Mapping[str, Any]) -> list[str]:
    """The allowed values of a choice field."""
    allowed = rule.get("schema", {}).get("allowed") if rule.get("type") == "list" else \
        rule.get("allowed")
    return [str(value) for value in allowed or ()]


def refuse(key: str, lang: str, hint: str = "", **values: Any) -> Refused:
    """A refusal with the message `key`, filled with values."""
    shown = {name: value if not isinstance(value, str) or len(value) <= 60
             else value[:57] + "..." for name, value in values.items()}
    return Refused(_MSG[key].get(lang).format(**shown), hint)


def choice_shown(value: str, lang: str) -> str:
    """A choice as a refusal's hint names it: its value, in German with its label beside it.

    The values are English words, so the English questionnaire names them alone, as it
    always has; the German one adds the label of schemas/labels.yaml.
    """
    label = labels().get(value, {}).get(lang)
    if lang == schema.ENGLISH.lang or not label or label == value:
        return value
    return i18n.text(lang, "answers.one_choice.labelled", value=value, label=label)


def _one_choice(typed: str, options: list[str], lang: str) -> str:
    if typed.isdigit() and 1 <= int(typed) <= len(options):
        return options[int(typed) - 1]
    for option in options:
        if typed.lower() == option.lower():
            return option
    named = {str(labels().get(o, {}).get(lang, o)).lower(): o for o in options}
    close = difflib.get_close_matches(typed, options, n=1) or [
        named[c] for c in difflib.get_close_matches(typed.lower(), list(named), n=1)]
    hint = (raw("answers.one_choice.did_you_mean").get(lang).format(c=close[0])
            if close else "") + \
        phrase("answers.one_choice.choices").get(lang) + \
        ", ".join(choice_shown(o, lang) for o in options)
    raise refuse("choice", lang, hint, v=typed)


def parse(text: str, rule: Mapping[str, Any], lang: str) -> Any:
    """A typed answer as a value of the field's type; raise Refused with the reason."""
    text = text.strip()
    what = kind(rule)
    if what == "int":
        digits = number_text(text)
        if not re.fullmatch(r"[+-]?[0-9]+", digits.replace("_", "")):
            raise refuse("int", lang, _HINTS["int"].get(lang), v=text)
        return int(digits)
    if what == "number":
        try:
            number = float(number_text(text))
        except ValueError:
            raise refuse("number", lang, _HINTS["number"].get(lang), v=text) from None
        if number != number or number in (float("inf"), float("-inf")):
            raise refuse("number", lang, _HINTS["number"].get(lang), v=text)
        return int(number) if number.is_integer() else number
    if what == "bool":
        if text.lower() in _YES | _NO:
            return text.lower() in _YES
        raise refuse("bool", lang, _HINTS["bool"].get(lang))
    if what == "date":
        try:
            return date_of(text)
        except ValueError:
            raise refuse("date", lang, _HINTS["date"].get(lang), v=text) from None
    if what == "choice":
        return _one_choice(text, choices(rule), lang)
    if what == "choices":
        return [_one_choice(part.strip(), choices(rule), lang)
                for part in text.split(",") if part.strip()]
    if what == "texts":
        return [part.strip() for part in text.split(";") if part.strip()]
    return text


def convert(value: Any, rule: Mapping[str, Any], lang: str) -> Any:
    """A value from an answers file as a value of the field's type."""
    what = kind(rule)
    if isinstance(value, str):
        return parse(value, rule, lang)
    if what in ("choices", "texts"):
        if not isinstance(value, list):
            raise refuse("list", lang)
        return [parse(str(v), {**rule["schema"]}, lang) if what == "choices" else
                _plain_text(v, lang) for v in value]
    if what == "bool" and isinstance(value, bool):
        return value
    if what in ("int", "number") and isinstance(value, int | float) and \
            not isinstance(value, bool):
        return parse(str(value), rule, lang)
    if what == "date" and isinstance(value, dt.date):
        return value
    if isinstance(value, bool):  # `name: yes` is YAML's true, not the word "yes"
        raise refuse("text" if what in ("text", "choice") else what, lang,
                     _QUOTE_HINT.get(lang), v=str(value).lower())
    if isinstance(value, dt.datetime | dt.date) and what != "text":
        raise refuse(what if what in _HINTS else "text", lang, _HINTS.get(what, _QUOTE_HINT)
                     .get(lang), v=str(value))
    return parse(str(value), rule, lang)


def _plain_text(value: Any, lang: str) -> str:
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise refuse("text", lang, _QUOTE_HINT.get(lang))
    return str(value).strip()


def check(value: Any, rule: Mapping[str, Any], lang: str, hint: Text | None = None) -> None:
    """Check a typed value against the field's limits; raise Refused with the reason."""
    if isinstance(value, list):
        if len(value) < rule.get("minlength", 0):
            raise refuse("few", lang, m=rule["minlength"])
        for item in value:
            check(item, rule.get("schema", {}), lang, hint)
        return
    if isinstance(value, int | float) and not isinstance(value, bool):
        if "min" in rule and value < rule["min"]:
            raise refuse("min", lang, v=value, m=rule["min"])
        if "max" in rule and value > rule["max"]:
            raise refuse("max", lang, v=value, m=rule["max"])
    if isinstance(value, str):
        if not value:
            raise refuse("required", lang)
        if "maxlength" in rule and len(value) > rule["maxlength"]:
            raise refuse("long", lang, n=len(value), m=rule["maxlength"])
        if "regex" in rule and not re.fullmatch(rule["regex"], value, flags=re.DOTALL):
            meta = rule.get("meta", {}).get("hint", "") if isinstance(rule.get("meta"), dict) \
                else ""
            shown = value if len(value) <= 40 else value[:37] + "..."
            raise refuse("format", lang, hint.get(lang) if hint else meta, v=shown)

"""The company profile: validation, normalisation, defaults and derived facts."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from policygen import i18n, vocabulary
from policygen.core import cache as file_cache
from policygen.core import source
from policygen.core.source import SourceDoc, StoredPositions
from policygen.errors import Problem, ProfileError
from policygen.vocabulary import EU, EU_MEMBERS

if TYPE_CHECKING:
    from policygen.core.schema import Wording

FINANCIAL_REGULATORS = frozenset({"FCA", "PRA", "FINRA", "FMA", "FINMA"})
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
             *(f"lpt{i}" for i in range(10))}
_DEFAULT_TITLES = {lang: i18n.template(lang, "profile.default_title")
                   for lang in vocabulary.LANGUAGES}
FACT_NAMES = ("eu", "regulated_finance", "broker_dealer", "healthcare", "us_listed", "eu_listed",
              "public_sector", "official_accounts")


@dataclass(frozen=True)
class Profile:
    """A validated, normalised company profile; `data` is deeply immutable."""

    path: str
    slug: str
    data: Mapping[str, Any]
    facts: Mapping[str, bool]
    source: SourceDoc

    @property
    def company(self) -> Mapping[str, Any]:
        """The `company` section."""
        return self.data["company"]  # type: ignore[no-any-return]

    @property
    def document(self) -> Mapping[str, Any]:
        """The `document` section."""
        return self.data["document"]  # type: ignore[no-any-return]

    @property
    def languages(self) -> tuple[str, ...]:
        """Languages to produce, in profile order."""
        return tuple(self.document["languages"])

    @property
    def audiences(self) -> tuple[str, ...]:
        """Audiences to produce, in profile order."""
        return tuple(self.document["audiences"])

    def locale(self, language: str) -> str:
        """The locale of this company's documents in a language.

        The profile's `document.locales`, else the default of its jurisdictions.
        """
        chosen = self.document.get("locales", {}).get(language)
        return chosen or vocabulary.default_locale(self.company["jurisdictions"], language)

    @property
    def formats(self) -> tuple[str, ...]:
        """Output formats to produce."""
        return tuple(self.document["formats"])

    @cached_property
    def jurisdictions(self) -> frozenset[str]:
        """The company's jurisdictions, plus EU when it operates in a member state."""
        own = frozenset(self.company["jurisdictions"])
        return own | {EU} if own & EU_MEMBERS else own

    def localized(self, lang: str) -> Mapping[str, Any]:
        """The profile with every per-language text resolved to one language (made once)."""
        made: dict[str, Mapping[str, Any]] = self.__dict__.setdefault("_localized", {})
        found = made.get(lang)
        if found is None:
            found = made[lang] = localize(self.data, lang)
        return found

    def title(self, lang: str) -> str:
        """The document title in a language."""
        return str(self.document["title"][lang])


def localize(value: Any, lang: str) -> Any:
    """Resolve `{de: ..., en: ...}` texts to the given language, everywhere in a value."""
    if isinstance(value, Mapping):
        if len(value) == 2 and "de" in value and "en" in value:
            return value[lang]
        return MappingProxyType({k: localize(v, lang) for k, v in value.items()})
    if isinstance(value, tuple):
        return tuple(localize(v, lang) for v in value)
    return value


def load_profile(path: Path, display: str | None = None) -> Profile:
    """Read, validate and normalise a profile file; raise ProfileError with every problem.

    A profile that validated before with the same bytes, name and program comes from the
    per-user cache (see policygen/cache.py) without running the schema validation again.
    """
    name = display or str(path)
    text = source.read_text(path, name)
    entry = file_cache.key("profile", name, text)
    cached = file_cache.read_json("profiles", entry)
    if isinstance(cached, dict):
        with contextlib.suppress(KeyError, TypeError, ValueError):
            doc = SourceDoc(name, cached["raw"], StoredPositions(cached["positions"]),
                            StoredPositions(cached["keys"]), text)
            data = cached["data"]
            return Profile(name, cached["slug"], _freeze(data),
                           MappingProxyType(derive_facts(data)), doc)
    profile = from_source(source.parse(text, name))
    doc = profile.source
    file_cache.write_json("profiles", entry, {
        "raw": doc.data, "data": _thaw(profile.data), "slug": profile.slug,
        "positions": json.dumps([[list(p), line, col] for p, (line, col) in doc.positions.items()],
                                separators=(",", ":")),
        "keys": json.dumps([[list(p), line, col] for p, (line, col) in doc.key_positions.items()],
                           separators=(",", ":")),
    })
    return profile


def _thaw(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _thaw(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [_thaw(v) for v in value]
    return value


def from_source(doc: SourceDoc, wording: Wording | None = None) -> Profile:
    """Validate and normalise a parsed profile; its problems in validate's English or `wording`."""
    from policygen.core import schema  # cerberus only when a profile is validated

    wording = wording or schema.ENGLISH
    data, problems = schema.validate(doc, "profile", wording)
    if problems:
        raise ProfileError(problems)
    rules = schema.load_schema("profile")
    data = _fill_optional(data, rules)
    problems = _check_consistency(doc, data, wording.lang)
    if problems:
        raise ProfileError(problems)
    _apply_defaults(data)
    slug = _slug(data["company"]["short_name"])
    facts = derive_facts(data)
    return Profile(doc.path, slug, _freeze(data), MappingProxyType(facts), doc)


def derive_facts(data: Mapping[str, Any]) -> dict[str, bool]:
    """Facts that clause conditions use, derived from the normalised profile."""
    company = data["company"]
    jurisdictions = set(company["jurisdictions"])
    regulators = set(company["regulators"])
    eu = bool(jurisdictions & EU_MEMBERS)
    return {
        "eu": eu,
        "regulated_finance": company["industry"] == "financial_services"
        or bool(regulators & FINANCIAL_REGULATORS),
        "broker_dealer": "FINRA" in regulators,
        "healthcare": company["industry"] in ("healthcare", "pharma"),
        "us_listed": bool(company["listed"]) and "US" in jurisdictions,
        "eu_listed": bool(company["listed"]) and eu,
        "public_sector": company["industry"] == "public_sector",
        "official_accounts": bool(data["strategy"]["channels"]),
    }


def _fill_optional(value: Any, rules: Mapping[str, Any]) -> Any:
    """Add every declared but unset key as None, so templates can test optional fields."""
    if isinstance(value, dict):
        result = {}
        for key, sub in rules.items():
            if key in value:
                result[key] = _fill_child(value[key], sub)
            else:
                result[key] = None
        return result
    return value


def _fill_child(value: Any, rules: Mapping[str, Any]) -> Any:
    if rules.get("type") == "dict" and isinstance(value, dict) and "schema" in rules:
        return _fill_optional(value, rules["schema"])
    if rules.get("type") == "list" and isinstance(value, list) and "schema" in rules:
        return [_fill_child(item, rules["schema"]) for item in value]
    return value


def _apply_defaults(data: dict[str, Any]) -> None:
    company = data["company"]
    if company["short_name"] is None:
        company["short_name"] = company["name"]
    document = data["document"]
    if document["author"] is None:
        document["author"] = document["owner"]
    titles = dict(document["title"] or {})
    for lang, pattern in _DEFAULT_TITLES.items():
        if not titles.get(lang):
            titles[lang] = pattern.format(name=company["name"])
    document["title"] = titles


def slug_of(name: str) -> str:
    """The folder and file name a company's short name gives ('' when it gives none)."""
    slug = _slug(name)
    return "" if slug in _RESERVED else slug


def _slug(name: str) -> str:
    ascii_name = name.replace("ß", "ss")
    for umlaut, repl in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"),
                         ("Ä", "Ae"), ("Ö", "Oe"), ("Ü", "Ue")):
        ascii_name = ascii_name.replace(umlaut, repl)
    ascii_name = unicodedata.normalize("NFKD", ascii_name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60].strip("-")


def _check_consistency(doc: SourceDoc, data: Mapping[str, Any], lang: str) -> list[Problem]:
    """The cross-field rules (RULES) over validated data, each finding at its place in doc."""
    return [finding.problem(doc, lang) for rule in RULES for finding in rule.check(data)]


# ---- cross-field rules ---------------------------------------------------------------------
# Each rule names the fields it needs (all must hold a value) and those it also reads (may be
# empty), as profile paths where "*" stands for any list index or mapping key. `validate` runs
# every rule on the whole profile; `init` and the studio run each one as soon as its fields are
# filled (`partial_findings`), so a person hears of a conflict while still at those fields.

Pattern = tuple[str | int, ...]


@dataclass(frozen=True)
class Finding:
    """A broken cross-field rule: where, and its words (catalogue `profile.rules.<name>`)."""

    path: source.DocPath
    name: str
    values: Mapping[str, str] = field(default_factory=dict)
    at_key: bool = False

    def message(self, lang: str = "en") -> str:
        """What is wrong, in one language (`validate` prints English)."""
        return i18n.text(lang, f"profile.rules.{self.name}.message", **self.values)

    def hint(self, lang: str = "en") -> str:
        """How to fix it."""
        return i18n.text(lang, f"profile.rules.{self.name}.hint", **self.values)

    def problem(self, doc: SourceDoc, lang: str = "en") -> Problem:
        """The finding located in a parsed profile."""
        return Problem(doc.locate(self.path, key=self.at_key), self.message(lang),
                       self.hint(lang), self.path)


@dataclass(frozen=True)
class Rule:
    """One cross-field rule of a profile."""

    name: str
    needs: tuple[Pattern, ...]
    check: Callable[[Mapping[str, Any]], list[Finding]]
    reads: tuple[Pattern, ...] = ()

    @property
    def fields(self) -> tuple[Pattern, ...]:
        """Every field the rule looks at."""
        return self.needs + self.reads


def _get(data: Any, *path: str | int) -> Any:
    """The value at a path of (possibly partial) data; None where any part is missing."""
    for part in path:
        if isinstance(part, int):
            if not isinstance(data, list | tuple) or part >= len(data):
                return None
            data = data[part]
        elif isinstance(data, Mapping):
            data = data.get(part)
        else:
            return None
    return data


def _items(data: Any, *path: str) -> list[tuple[int, Any]]:
    value = _get(data, *path)
    return list(enumerate(value)) if isinstance(value, list | tuple) else []


def _rule_folder_name(data: Mapping[str, Any]) -> list[Finding]:
    short = _get(data, "company", "short_name")
    name = short if short is not None else _get(data, "company", "name")
    if not isinstance(name, str):
        return []
    slug = _slug(name)
    if slug and slug not in _RESERVED:
        return []
    where = ("company", "short_name") if short is not None else ("company", "name")
    return [Finding(where, "folder_name", {"slug": repr(slug or "empty")})]


def _rule_escalation(data: Mapping[str, Any]) -> list[Finding]:
    levels = [level.get("level") for _, level in _items(data, "criticism", "escalation")
              if isinstance(level, Mapping)]
    numbers = [n for n in levels if isinstance(n, int)]
    if len(numbers) < len(levels) or numbers == sorted(set(numbers)):
        return []
    return [Finding(("criticism", "escalation"), "escalation_order", {"levels": str(levels)})]


def _rule_service_hours(data: Mapping[str, Any]) -> list[Finding]:
    start = _get(data, "criticism", "service_hours", "start")
    end = _get(data, "criticism", "service_hours", "end")
    if not isinstance(start, str) or not isinstance(end, str) or start < end:
        return []
    return [Finding(("criticism", "service_hours", "end"), "service_hours",
                    {"start": start, "end": end})]


def _rule_other_platform(data: Mapping[str, Any]) -> list[Finding]:
    return [Finding(("strategy", "channels", i, "platform"), "other_platform")
            for i, channel in _items(data, "strategy", "channels")
            if isinstance(channel, Mapping)
            and channel.get("platform") == vocabulary.OTHER_PLATFORM and not channel.get("name")]


def _rule_kpi_goals(data: Mapping[str, Any]) -> list[Finding]:
    goals = _get(data, "strategy", "goals") or ()
    kpis = _get(data, "strategy", "kpis") or {}
    return [Finding(("strategy", "kpis", goal), "kpi_goals", {"goal": str(goal)}, at_key=True)
            for goal in kpis if goal not in goals]


def _rule_branding(key: str) -> Callable[[Mapping[str, Any]], list[Finding]]:
    def check(data: Mapping[str, Any]) -> list[Finding]:
        name = _get(data, "branding", key)
        if not isinstance(name, str) or _inside_folder(name):
            return []
        return [Finding(("branding", key), "branding_path", {"key": key, "name": name})]

    return check


def _rule_locales(data: Mapping[str, Any]) -> list[Finding]:
    found = []
    for lang, tag in (_get(data, "document", "locales") or {}).items():
        locale = vocabulary.LOCALES.get(tag)
        if locale is not None and locale.language != lang:
            fitting = [t for t, loc in vocabulary.LOCALES.items() if loc.language == lang]
            found.append(Finding(("document", "locales", lang), "locale_language",
                                 {"tag": tag, "lang": lang, "fitting": ", ".join(fitting)}))
    return found


def _rule_history(data: Mapping[str, Any]) -> list[Finding]:
    effective = _get(data, "document", "effective_date")
    if not isinstance(effective, dt.date):
        return []
    return [Finding(("document", "history", i, "date"), "history_dates")
            for i, entry in _items(data, "document", "history")
            if isinstance(entry, Mapping) and isinstance(entry.get("date"), dt.date)
            and entry["date"] > effective]


RULES: tuple[Rule, ...] = (
    Rule("folder_name", (("company", "name"),), _rule_folder_name,
         reads=(("company", "short_name"),)),
    Rule("escalation_order", (("criticism", "escalation", "*", "level"),), _rule_escalation),
    Rule("service_hours", (("criticism", "service_hours", "start"),
                           ("criticism", "service_hours", "end")), _rule_service_hours),
    Rule("other_platform", (("strategy", "channels", "*", "platform"),), _rule_other_platform,
         reads=(("strategy", "channels", "*", "name"),)),
    Rule("kpi_goals", (("strategy", "kpis", "*"), ("strategy", "goals")), _rule_kpi_goals),
    *(Rule(f"branding_{key}", (("branding", key),), _rule_branding(key))
      for key in ("reference_docx", "logo")),
    Rule("locale_language", (("document", "locales", "*"),), _rule_locales),
    Rule("history_dates", (("document", "history", "*", "date"),
                           ("document", "effective_date")), _rule_history),
)


def values_at(data: Any, pattern: Pattern) -> list[tuple[source.DocPath, Any]]:
    """The values present at a pattern's places in (partial) data, with their paths."""
    found: list[tuple[source.DocPath, Any]] = [((), data)]
    for part in pattern:
        step: list[tuple[source.DocPath, Any]] = []
        for path, node in found:
            if part == "*" and isinstance(node, list | tuple):
                step += [((*path, i), v) for i, v in enumerate(node)]
            elif part == "*" and isinstance(node, Mapping):
                step += [((*path, k), v) for k, v in node.items()]
            elif isinstance(node, Mapping) and isinstance(part, str) and part in node:
                step.append(((*path, part), node[part]))
            elif isinstance(node, list | tuple) and isinstance(part, int) and part < len(node):
                step.append(((*path, part), node[part]))
        found = step
    return [(path, value) for path, value in found if value not in (None, "", [], {})]


def overlaps(pattern: Pattern, path: Pattern) -> bool:
    """Whether a field pattern and a path touch: one lies within the other ("*" fits all)."""
    return all(a == b or a == "*" or b == "*" for a, b in zip(pattern, path, strict=False))


def partial_findings(data: Mapping[str, Any], rules: tuple[Rule, ...] = RULES,
                     ) -> list[Finding]:
    """The findings of each rule whose needed fields are filled with values the schema takes.

    For a profile still being written (the studio's form, `init`'s answers so far): a rule
    whose fields are empty, or hold a value the schema refuses (reported at that field), waits.
    """
    from policygen.core import schema  # cerberus only when a profile is checked

    found: list[Finding] = []
    for rule in rules:
        if not all(values_at(data, pattern) for pattern in rule.needs):
            continue
        if all(schema.value_fits("profile", path, value)
               for pattern in rule.fields for path, value in values_at(data, pattern)):
            found += rule.check(data)
    return found


def _inside_folder(name: str) -> bool:
    """A relative path with forward slashes that cannot leave its base folder."""
    if "\\" in name or ":" in name or name.startswith("/") or "\0" in name:
        return False
    return all(part not in ("", "..") for part in name.split("/"))


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    if isinstance(value, dt.datetime):
        return value.date()
    return value

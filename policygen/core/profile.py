"""The company profile: validation, normalisation, defaults and derived facts."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any

from policygen import i18n, vocabulary
from policygen.core import cache as file_cache
from policygen.core import source
from policygen.core.source import SourceDoc
from policygen.errors import Problem, ProfileError
from policygen.vocabulary import EU, EU_MEMBERS

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
            doc = SourceDoc(name, cached["raw"],
                            {tuple(p): (line, col) for p, line, col in cached["positions"]},
                            {tuple(p): (line, col) for p, line, col in cached["keys"]}, text)
            data = cached["data"]
            return Profile(name, cached["slug"], _freeze(data),
                           MappingProxyType(derive_facts(data)), doc)
    profile = from_source(source.parse(text, name))
    doc = profile.source
    file_cache.write_json("profiles", entry, {
        "raw": doc.data, "data": _thaw(profile.data), "slug": profile.slug,
        "positions": [[list(p), line, col] for p, (line, col) in doc.positions.items()],
        "keys": [[list(p), line, col] for p, (line, col) in doc.key_positions.items()],
    })
    return profile


def _thaw(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _thaw(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [_thaw(v) for v in value]
    return value


def from_source(doc: SourceDoc) -> Profile:
    """Validate and normalise a parsed profile."""
    from policygen.core import schema  # cerberus only when a profile is validated

    data, problems = schema.validate(doc, "profile")
    if problems:
        raise ProfileError(problems)
    rules = schema.load_schema("profile")
    data = _fill_optional(data, rules)
    _apply_defaults(data)
    slug = _slug(data["company"]["short_name"])
    problems = _check_consistency(doc, data, slug)
    if problems:
        raise ProfileError(problems)
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


def _slug(name: str) -> str:
    ascii_name = name.replace("ß", "ss")
    for umlaut, repl in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"),
                         ("Ä", "Ae"), ("Ö", "Oe"), ("Ü", "Ue")):
        ascii_name = ascii_name.replace(umlaut, repl)
    ascii_name = unicodedata.normalize("NFKD", ascii_name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60].strip("-")


def _check_consistency(doc: SourceDoc, data: Mapping[str, Any], slug: str) -> list[Problem]:
    problems = []
    short_name_path = ("company", "short_name") if "short_name" in doc.data.get("company", {}) \
        else ("company", "name")
    if not slug or slug in _RESERVED:
        problems.append(Problem(
            doc.locate(short_name_path),
            f"the company name gives no usable folder name ({slug or 'empty'!r})",
            "set company.short_name to a name with letters or digits, e.g. `short_name: Acme`",
        ))
    criticism = data["criticism"]
    levels = [level["level"] for level in criticism["escalation"]]
    if levels != sorted(set(levels)):
        problems.append(Problem(
            doc.locate(("criticism", "escalation")),
            f"escalation levels must be unique and ascending, got {levels}",
            "number the levels 1, 2, 3 from routine to crisis",
        ))
    hours = criticism["service_hours"]
    if hours["start"] >= hours["end"]:
        problems.append(Problem(doc.locate(("criticism", "service_hours", "end")),
                                f"service hours end ({hours['end']}) before they start "
                                f"({hours['start']})", "service hours must lie within one day"))
    for i, channel in enumerate(data["strategy"]["channels"]):
        if channel["platform"] == vocabulary.OTHER_PLATFORM and not channel["name"]:
            problems.append(Problem(doc.locate(("strategy", "channels", i, "platform")),
                                    "a channel on platform 'other' needs its name",
                                    "add `name:` with the platform's name, e.g. "
                                    "`name: Nextdoor`"))
    for goal in data["strategy"]["kpis"] or {}:
        if goal not in data["strategy"]["goals"]:
            problems.append(Problem(doc.locate(("strategy", "kpis", goal), key=True),
                                    f"KPIs for '{goal}', which is not among strategy.goals",
                                    f"add {goal} to strategy.goals or remove these KPIs"))
    for key in ("reference_docx", "logo"):
        name = data["branding"][key]
        if name is not None and not _inside_folder(name):
            problems.append(Problem(
                doc.locate(("branding", key)),
                f"branding.{key} must be a path inside the profile's folder, not '{name}'",
                "put the file next to the profile or in a subfolder and write a relative path "
                "with /, e.g. `branding/acme.docx`"))
    for lang, tag in data["document"].get("locales", {}).items():
        if vocabulary.LOCALES[tag].language != lang:
            fitting = [t for t, loc in vocabulary.LOCALES.items() if loc.language == lang]
            problems.append(Problem(doc.locate(("document", "locales", lang)),
                                    f"locale {tag} is not a form of the language '{lang}'",
                                    f"choose one of {', '.join(fitting)}"))
    history = data["document"]["history"]
    for i, entry in enumerate(history):
        if entry["date"] > data["document"]["effective_date"]:
            problems.append(Problem(doc.locate(("document", "history", i, "date")),
                                    "history entry dated after the effective date",
                                    "history lists earlier versions and the current one"))
    return problems


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

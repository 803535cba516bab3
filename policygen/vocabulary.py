"""The fixed vocabularies: languages, locales, jurisdictions, audiences and platforms.

Everything else reads them from here: the profile schema (`allowed` lists), selection, lint,
coverage, the command line and the questionnaire. Adding a jurisdiction is one entry below plus
its clauses; adding a language is one entry below, a catalogue in `policygen/i18n/` and the
clause texts. Output formats live in `policygen/writers/registry.py`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Locale:
    """A language as written in one country: spelling, dates, numbers, paper, language tag."""

    tag: str  # BCP 47, as Word, HTML and PDF want it: "de-CH"
    language: str  # "de"
    paper: str  # "A4" or "Letter"
    date_format: str  # strftime-like with %-d for an unpadded day; month names from i18n
    decimal: str
    thousands: str


@dataclass(frozen=True)
class Jurisdiction:
    """A legal system a company can operate in."""

    code: str
    eu_member: bool
    locales: dict[str, str]  # language -> locale tag used there by default
    timezone: str
    currency: str


LANGUAGES: tuple[str, ...] = ("de", "en")

LOCALES: dict[str, Locale] = {
    locale.tag: locale for locale in (
        Locale("de-DE", "de", "A4", "%-d. %B %Y", ",", "."),
        Locale("de-AT", "de", "A4", "%-d. %B %Y", ",", "."),
        Locale("de-CH", "de", "A4", "%-d. %B %Y", ".", "’"),
        Locale("en-GB", "en", "A4", "%-d %B %Y", ".", ","),
        Locale("en-US", "en", "Letter", "%B %-d, %Y", ".", ","),
    )
}

JURISDICTIONS: dict[str, Jurisdiction] = {
    j.code: j for j in (
        Jurisdiction("DE", True, {"de": "de-DE", "en": "en-GB"}, "Europe/Berlin", "EUR"),
        Jurisdiction("AT", True, {"de": "de-AT", "en": "en-GB"}, "Europe/Vienna", "EUR"),
        Jurisdiction("CH", False, {"de": "de-CH", "en": "en-GB"}, "Europe/Zurich", "CHF"),
        Jurisdiction("GB", False, {"de": "de-DE", "en": "en-GB"}, "Europe/London", "GBP"),
        Jurisdiction("US", False, {"de": "de-DE", "en": "en-US"}, "America/New_York", "USD"),
    )
}

# The EU is not a jurisdiction a company names: it applies through its member states.
EU = "EU"
EU_MEMBERS: frozenset[str] = frozenset(code for code, j in JURISDICTIONS.items() if j.eu_member)
# Every legal system a clause may cite: the jurisdictions and the EU.
LEGAL_SYSTEMS: tuple[str, ...] = (*JURISDICTIONS, EU)
# A clause's legal source may also be international (a treaty, a platform's terms).
SOURCE_SYSTEMS: tuple[str, ...] = (*LEGAL_SYSTEMS, "INT")

INDUSTRIES: tuple[str, ...] = (
    "manufacturing", "technology", "retail", "financial_services", "healthcare", "public_sector",
    "pharma", "media", "professional_services", "energy", "logistics", "other",
)

AUDIENCES: tuple[str, ...] = ("employees", "account_managers", "legal")

PLATFORMS: tuple[str, ...] = (
    "linkedin", "xing", "instagram", "facebook", "x", "youtube", "tiktok", "mastodon", "bluesky",
    "threads", "kununu", "glassdoor", "whatsapp", "blog", "reddit", "pinterest", "snapchat",
    "nextdoor", "telegram", "other",
)
# A channel on `other` must carry its `name`; every other platform has a label.
OTHER_PLATFORM = "other"


def default_locale(jurisdictions: list[str] | tuple[str, ...], language: str) -> str:
    """The locale a company's documents in `language` use by default.

    The locale of the first jurisdiction where the language is spoken, else the locale that
    jurisdiction uses for that language, else the language's first locale.
    """
    for code in jurisdictions:
        tag = JURISDICTIONS[code].locales.get(language) if code in JURISDICTIONS else None
        if tag and tag.split("-")[1] == code:
            return tag
    for code in jurisdictions:
        if code in JURISDICTIONS and language in JURISDICTIONS[code].locales:
            return JURISDICTIONS[code].locales[language]
    return next(tag for tag, loc in LOCALES.items() if loc.language == language)


def named(name: str) -> tuple[str, ...]:
    """A vocabulary by the name the schemas use for it (`allowed: "@jurisdictions"`)."""
    from policygen.writers.registry import FORMATS

    table: dict[str, tuple[str, ...]] = {
        "languages": LANGUAGES, "locales": tuple(LOCALES), "jurisdictions": tuple(JURISDICTIONS),
        "legal_systems": LEGAL_SYSTEMS, "source_systems": SOURCE_SYSTEMS,
        "industries": INDUSTRIES, "audiences": AUDIENCES, "platforms": PLATFORMS,
        "formats": FORMATS, "text_keys": (*LANGUAGES, *LOCALES),
    }
    return table[name]

# Unicode's Bidi_Control property (PropList.txt): the characters that reorder text without
# being seen, so that a value can be shown differently from what it says.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                          "\u2066\u2067\u2068\u2069")

"""Does a document read as its country and industry write? Checks over a rendered Document.

Three findings, each a word or character that should not be there, with the clause it is in:

- `locale`: a base form the locale layer replaces (ß in de-CH, "organise" in en-US) that
  is still in the text;
- `foreign`: a term of another country (`foreign` in clauses/locales.yaml) in the documents of
  a company that operates only in the locale's country ("works council" for a US-only company);
- `industry`: a marker word of another industry (clauses/industries.yaml), such as a factory's
  prototype areas in a hospital's guideline.

Only the library's words are checked: the values the profile fills in (names, roles) are the
company's own and are removed before the check. Review notes and legal sources are left out:
they cite other countries' law in that country's words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from policygen.core import industry_examples, locale_layer, provenance
from policygen.core.clauses import ClauseLibrary
from policygen.core.profile import Profile
from policygen.document import Document, Inline, ListBlock, Paragraph, Table


@dataclass(frozen=True)
class Finding:
    """A word that does not fit the document's locale, country or industry."""

    kind: str  # locale | foreign | industry
    clause_id: str
    word: str

    def __str__(self) -> str:
        return f"{self.clause_id}: {self.kind} '{self.word}'"


def findings(document: Document, library: ClauseLibrary, profile: Profile) -> list[Finding]:
    """Every word of the document that does not fit its locale, country or industry."""
    locale = document.meta.locale or profile.locale(document.meta.language)
    layer = library.locales[locale]
    own = _profile_values(profile.localized(document.meta.language))
    country = locale.split("-")[1]
    # a company that declares a works council reads the word, wherever it operates
    declares_council = bool(profile.company["works_council"]
                            or profile.data["contacts"].get("works_council"))
    foreign = list(layer.foreign) if tuple(profile.company["jurisdictions"]) == (country,) \
        and not declares_council else []
    markers = industry_examples.foreign_markers(library.industries, profile.company["industry"])
    any_word = _any_of((*foreign, *markers))
    found: list[Finding] = []
    for clause_id, raw in _texts(document):
        text = " ".join(raw.split())  # as rendered: profile values on one line
        for value in own:
            text = text.replace(value, " ")
        found.extend(Finding("locale", clause_id, word)
                     for word in locale_layer.leftovers(text, layer))
        if any_word is None or not any_word.search(text):
            continue  # most texts hold none of the words: one search instead of one per word
        found.extend(Finding("foreign", clause_id, word) for word in foreign
                     if _contains(text, word))
        found.extend(Finding("industry", clause_id, word) for word in markers
                     if _contains(text, word))
    return found


def _bounded(word: str) -> str:
    return rf"(?<![\w-]){re.escape(word)}(?![\w])"


@lru_cache(maxsize=4096)
def _word(word: str) -> re.Pattern[str]:
    return re.compile(_bounded(word), re.IGNORECASE)


@lru_cache(maxsize=256)
def _any_of(words: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern that matches wherever any of the words stands as a whole word."""
    if not words:
        return None
    either = "|".join(re.escape(word) for word in words)
    return re.compile(rf"(?<![\w-])(?:{either})(?![\w])", re.IGNORECASE)


def _contains(text: str, word: str) -> bool:
    return _word(word).search(text) is not None


def _profile_values(value: Any) -> list[str]:
    """Every text of a profile, longest first (so that a longer value is removed whole)."""
    out: set[str] = set()

    def walk(item: Any) -> None:
        if isinstance(item, str) and item.strip():
            out.add(" ".join(item.split()))
        elif isinstance(item, Mapping):
            for sub in item.values():
                walk(sub)
        elif isinstance(item, tuple | list):
            for sub in item:
                walk(sub)

    walk(value)
    return sorted(out, key=lambda text: -len(text))


def _texts(document: Document) -> Iterator[tuple[str, str]]:
    for section in document.sections:
        if section.section_id == provenance.SECTION_ID:
            continue  # the legal edition's list of sources cites every country's law
        yield "section", section.title
        for clause in section.clauses:
            yield clause.clause_id, clause.title
            for block in clause.blocks:
                if isinstance(block, Paragraph):
                    yield clause.clause_id, _plain(block.spans)
                elif isinstance(block, ListBlock):
                    for item in block.items:
                        yield clause.clause_id, _plain(item)
                elif isinstance(block, Table):
                    for cell in (*block.header, *(c for row in block.rows for c in row)):
                        yield clause.clause_id, _plain(cell)


def _plain(spans: Inline) -> str:
    return "".join(span.text for span in spans)

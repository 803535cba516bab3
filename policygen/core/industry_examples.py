"""Examples that fit a company's industry, for the clause texts (`{{ examples.role }}`).

`clauses/industries.yaml` gives, per industry of the vocabulary, the same fields (schema:
`schemas/industries.yaml`): a job title, an event, places where photos are banned, what is
confidential there. Templates read them as `examples.<field>` in the document's language; the
template check knows the fields from the schema. `markers` are words that belong to one
industry only; `foreign_markers` lists those of the other industries, for the checks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeGuard

from policygen.core import cache, source, templating
from policygen.errors import LibraryError, Location, Problem, SourceError
from policygen.vocabulary import INDUSTRIES


@dataclass(frozen=True)
class IndustryExamples:
    """The examples of one industry: field -> language -> text, and its marker words."""

    industry: str
    texts: Mapping[str, Mapping[str, str]]
    markers: tuple[str, ...]

    def localized(self, lang: str) -> dict[str, str]:
        """The examples in one language, as the template variable `examples` holds them."""
        return {name: text[lang] for name, text in self.texts.items()}


def fields() -> tuple[str, ...]:
    """The example fields every industry gives (from schemas/industries.yaml)."""
    return templating.example_fields()


def empty() -> dict[str, IndustryExamples]:
    """Examples for a library without industries.yaml: every field empty."""
    blank = {name: {"de": "", "en": ""} for name in fields()}
    return {industry: IndustryExamples(industry, blank, ()) for industry in INDUSTRIES}


def load(path: Path, shown: str) -> dict[str, IndustryExamples]:
    """Read a library's industries.yaml; every industry of the vocabulary must be there.

    A file checked before (the same bytes and name) is read from the per-user cache.
    """
    if not path.is_file():
        return empty()

    def check() -> dict[str, dict[str, Any]]:
        return {name: {"texts": item.texts, "markers": list(item.markers)}
                for name, item in _checked(path, shown).items()}

    checked = cache.checked_file("industries", path, shown, check, _is_checked)
    return {name: IndustryExamples(name, item["texts"], tuple(item["markers"]))
            for name, item in checked.items()}


def _is_checked(known: object) -> TypeGuard[dict[str, dict[str, Any]]]:
    """Whether a cache entry has the shape `load` writes (anything else is checked again)."""
    return isinstance(known, dict) and set(known) == set(INDUSTRIES) and all(
        isinstance(item, dict) and set(item) == {"texts", "markers"}
        and isinstance(item["markers"], list)
        and all(isinstance(word, str) for word in item["markers"])
        and isinstance(item["texts"], dict) and set(item["texts"]) == set(fields())
        and all(isinstance(text, dict) and set(text) == {"de", "en"}
                and all(isinstance(v, str) for v in text.values())
                for text in item["texts"].values())
        for item in known.values())


def _checked(path: Path, shown: str) -> dict[str, IndustryExamples]:
    try:
        doc = source.load(path, shown)
    except SourceError as exc:
        raise LibraryError(exc.problems) from None
    from policygen.core import schema  # cerberus only when the library is checked

    data, problems = schema.validate(doc, "industries")
    if problems:
        raise LibraryError(problems)
    missing = [name for name in INDUSTRIES if name not in data["industries"]]
    if missing:
        raise LibraryError([Problem(doc.locate(("industries",)) if doc.positions else
                                    Location(shown),
                                    f"industries.yaml gives no examples for {', '.join(missing)}",
                                    "every industry of schemas/profile.yaml needs every field")])
    return {name: IndustryExamples(name, {f: entry[f] for f in fields()},
                                   tuple(entry["markers"]))
            for name, entry in data["industries"].items()}


def foreign_markers(examples: Mapping[str, IndustryExamples], industry: str) -> list[str]:
    """Marker words of the other industries that are not also markers of this one."""
    own = {word.lower() for word in examples[industry].markers}
    return sorted({word for name, entry in examples.items() if name != industry
                   for word in entry.markers if word.lower() not in own})

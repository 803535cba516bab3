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

from policygen.core import source, templating
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
    """Read a library's industries.yaml; every industry of the vocabulary must be there."""
    if not path.is_file():
        return empty()
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

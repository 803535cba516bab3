"""Spelling and terms per locale: one text of the library read as de-CH, de-AT or en-US.

The clause library is written once per language (de as in Germany, en as in Britain). A locale
layer (`clauses/locales.yaml`) lists what a country writes differently: characters (ß → ss in
Switzerland), spellings (organise → organize) and everyday terms (Auszubildende → Lehrlinge).
`apply(text, layer)` is a pure function of the text and the layer, so its results can be
cached; `localize_template` applies it to the literal parts of a clause template only, never
to `{{ ... }}` or `{% ... %}`, so that values from the profile keep the company's own spelling.
Sentences that differ in substance are per-clause variants (`text: {en: ..., en-US: ...}`),
not layer entries. See docs/locales.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, TypeGuard

from policygen import vocabulary
from policygen.core import source
from policygen.errors import LibraryError, Problem, SourceError

_ENDINGS = re.compile(r"^(?P<stem>[^()]+)\((?P<endings>[^()]*)\)$")
_TAGS = re.compile(r"(\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\})", re.DOTALL)


@dataclass(frozen=True)
class Rules:
    """Words and phrases to replace, as one pattern (longest first), compiled on first use.

    A library is read from the per-user cache on every build: compiling the patterns of
    every locale there would cost more than the documents of a locale that does not need them.
    """

    words: Mapping[str, str] = field(default_factory=dict)  # lower-case form -> replacement
    source: str | None = None  # the pattern (case-insensitive)

    @cached_property
    def pattern(self) -> re.Pattern[str] | None:
        """The compiled pattern, or None when there is nothing to replace."""
        return None if self.source is None else re.compile(self.source, re.IGNORECASE)

    def __getstate__(self) -> dict[str, object]:
        """Pickled without the compiled pattern (see the class docstring)."""
        state = dict(self.__dict__)
        state.pop("pattern", None)
        return state


@dataclass(frozen=True, eq=False)  # hashed by identity: one object per loaded library
class Layer:
    """What one locale writes differently from its language's base text."""

    tag: str
    characters: tuple[tuple[str, str], ...] = ()
    spelling: Rules = Rules()  # everywhere: clause texts, review notes, legal sources
    text: Rules = Rules()  # spelling and terms: clause texts, titles, summaries
    foreign: tuple[str, ...] = ()  # never read by a company only in this locale's country

    @property
    def empty(self) -> bool:
        """True when the layer changes nothing (en-GB, de-DE)."""
        return not self.characters and self.text.source is None


_FINGERPRINTS: dict[Layer, str] = {}


def fingerprint(layer: Layer | None) -> str:
    """A short digest of what the layer changes ("" for none): a cache key's part."""
    if layer is None:
        return ""
    known = _FINGERPRINTS.get(layer)
    if known is None:
        import hashlib

        text = repr((layer.tag, layer.characters, layer.spelling.words, layer.text.words,
                     layer.foreign))
        known = _FINGERPRINTS[layer] = hashlib.blake2b(text.encode(), digest_size=8).hexdigest()
    return known


def expand(key: str, value: str) -> dict[str, str]:
    """`organis(e|ed|ing)` → organiz gives organise → organize, organised → organized, ..."""
    match = _ENDINGS.match(key)
    if not match:
        return {key: value}
    return {match["stem"] + ending: value + ending for ending in match["endings"].split("|")}


def _rules(*tables: Mapping[str, str]) -> Rules:
    words: dict[str, str] = {}
    for table in tables:
        for key, value in table.items():
            for form, replacement in expand(key, value).items():
                words[form.lower()] = replacement
    if not words:
        return Rules()
    return Rules(words, rf"(?<![\w-])(?:{_prefix_tree(words)})(?![\w])")


def _prefix_tree(forms: Iterable[str]) -> str:
    """One alternation of the forms, factored by common prefixes, each path longest first.

    It matches what `a|b|...` with the forms sorted longest first matches (at a place only
    one path of the tree can match the text, and along it the longer forms are tried first),
    but Python's re tries a flat alternation form by form at every word start: with the 158
    forms of en-US, the tree is about three times faster.
    """
    tree: dict[str, Any] = {}
    for form in forms:
        node = tree
        for char in form:
            node = node.setdefault(char, {})
        node[""] = {}

    def alternation(node: dict[str, Any]) -> str:
        branches = [re.escape(char) + alternation(child)
                    for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        if "" in node:  # a form ends here: the longer ones first, then the end
            branches.append("")
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return alternation(tree)


def make_layer(tag: str, characters: Mapping[str, str], spelling: Mapping[str, str],
               terms: Mapping[str, str], foreign: tuple[str, ...] = ()) -> Layer:
    """A layer from its data: characters to swap, spellings and terms to replace."""
    return Layer(tag, tuple(characters.items()), _rules(spelling), _rules(spelling, terms),
                 foreign)


def _case_like(model: str, replacement: str) -> str:
    if len(model) > 1 and model.isupper():
        return replacement.upper()
    if model[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement[:1].lower() + replacement[1:]


def apply(text: str, layer: Layer, terms: bool = True) -> str:
    """The text as the layer's locale writes it: words and phrases, then characters.

    `terms=False` for review notes and legal sources: spelling and characters only.
    """
    rules = layer.text if terms else layer.spelling
    if rules.pattern is not None:
        words = rules.words
        text = rules.pattern.sub(lambda m: _case_like(m.group(), words[m.group().lower()]),
                                 text)
    for old, new in layer.characters:
        text = text.replace(old, new)
    return text


@lru_cache(maxsize=20_000)
def _localize_template(text: str, layer: Layer) -> str:
    parts = _TAGS.split(text)
    # even indexes are literal text, odd indexes are jinja tags, comments and expressions
    return "".join(apply(part, layer) if i % 2 == 0 else part for i, part in enumerate(parts))


def localize_template(text: str, layer: Layer) -> str:
    """A clause template with the layer applied to its literal text only."""
    return text if layer.empty else _localize_template(text, layer)


IDENTITY = {tag: Layer(tag) for tag in vocabulary.LOCALES}


def load_layers(path: Path, shown: str) -> dict[str, Layer]:
    """Read `locales.yaml` of a library; every locale without an entry changes nothing.

    A file checked before (the same bytes and name) is read from the per-user cache: a
    library edit elsewhere parses and validates it no more.
    """
    layers = dict(IDENTITY)
    if not path.is_file():
        return layers
    from policygen.core import cache

    checked = cache.checked_file("locales", path, shown, lambda: _checked(path, shown),
                                 _is_checked)
    layers.update((tag, make_layer(tag, item["characters"], item["spelling"], item["terms"],
                                   tuple(item["foreign"]))) for tag, item in checked.items())
    return layers


def _is_checked(known: object) -> TypeGuard[dict[str, dict[str, Any]]]:
    """Whether a cache entry has the shape `load_layers` writes (else it is checked again)."""
    def table(value: object) -> bool:
        return isinstance(value, dict) and all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items())

    return isinstance(known, dict) and all(
        tag in vocabulary.LOCALES and isinstance(item, dict)
        and item.keys() == {"characters", "spelling", "terms", "foreign"}
        and table(item["characters"]) and table(item["spelling"]) and table(item["terms"])
        and isinstance(item["foreign"], list)
        and all(isinstance(word, str) for word in item["foreign"])
        for tag, item in known.items())


def _checked(path: Path, shown: str) -> dict[str, dict[str, Any]]:
    """The entries of a locales.yaml, validated; LibraryError listing every problem."""
    try:
        doc = source.load(path, shown)
    except SourceError as exc:
        raise LibraryError(exc.problems) from None
    from policygen.core import schema  # cerberus only when the library is checked

    data, problems = schema.validate(doc, "locales")
    if problems:
        raise LibraryError(problems)
    found: list[Problem] = []
    for tag, entry in data["locales"].items():
        for kind in ("spelling", "terms"):
            for key in entry[kind]:
                if ("(" in key or ")" in key) and not _ENDINGS.match(key):
                    found.append(Problem(doc.locate(("locales", tag, kind, key), key=True),
                                         f"'{key}' is neither a word nor stem(ending|ending)",
                                         "write e.g. `organis(e|ed|ing): organiz`"))
    if found:
        raise LibraryError(found)
    return {tag: {"characters": dict(entry["characters"]), "spelling": dict(entry["spelling"]),
                  "terms": dict(entry["terms"]), "foreign": list(entry["foreign"])}
            for tag, entry in data["locales"].items()}


def leftovers(text: str, layer: Layer) -> list[str]:
    """The base forms of the layer that still occur in a text (for tests and checks)."""
    hits = [old for old, _ in layer.characters if old in text]
    if layer.text.pattern is not None:
        hits.extend(m.group() for m in layer.text.pattern.finditer(text))
    return hits

"""The fixed words of each language: one catalogue per language, `de.yaml` and `en.yaml`.

Every heading, label, message and question policygen writes itself (not the clause texts, which
live in the clause library) is an entry of a flat catalogue under a stable dotted key grouped by
module, for example `handouts.summary_title`. Entries are `str.format` templates: `{name}` is a
field the caller supplies, `{{` a literal brace. Both catalogues hold the same keys with the same
fields (tests/test_i18n.py checks it). A catalogue is read once per process, by `json` for the
usual one-line entries (see `read_fast`).
"""

from __future__ import annotations

import json
import string
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import NamedTuple

from policygen.vocabulary import LANGUAGES


class Text(NamedTuple):
    """A sentence in German and English."""

    de: str
    en: str

    def get(self, lang: str) -> str:
        """The sentence in one language."""
        return self.de if lang == "de" else self.en


Field = str | int | float | Text


@cache
def catalogue(lang: str) -> Mapping[str, str]:
    """The catalogue of one language: dotted key -> template (read once per process)."""
    text = (Path(__file__).parent / f"{lang}.yaml").read_text(encoding="utf-8")
    return read_fast(text) or read_yaml(text)


def read_fast(text: str) -> dict[str, str] | None:
    """A catalogue written as `key: "double-quoted"` lines (its usual form), or None.

    Such a line is YAML and its value a JSON string, so `json` reads it in a fraction of the
    time a YAML parser takes; any other line (a block scalar, a plain value) sends the whole
    catalogue to `read_yaml`.
    """
    entries = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition(": ")
        if not sep or not value.startswith('"') or not value.endswith('"') or " " in key:
            return None
        try:
            entries[key] = json.loads(value)
        except ValueError:
            return None
    return entries


def read_yaml(text: str) -> dict[str, str]:
    """A catalogue in any YAML form."""
    import yaml  # only for a catalogue that is not in the usual one-line form

    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
    if not isinstance(data, dict):
        raise ValueError("a catalogue is a mapping of keys to texts")
    return {str(k): str(v) for k, v in data.items()}


def template(lang: str, key: str) -> str:
    """The unfilled template of a key (its `{fields}` left for the caller)."""
    return catalogue(lang)[key]


def text(lang: str, key: str, /, **fields: Field) -> str:
    """The words of a key in one language, its fields filled in (a Text field per language)."""
    values = {name: value.get(lang) if isinstance(value, Text) else value
              for name, value in fields.items()}
    return catalogue(lang)[key].format_map(values)


def phrase(key: str, /, **fields: Field) -> Text:
    """The words of a key in both languages."""
    return Text(text("de", key, **fields), text("en", key, **fields))


def raw(key: str) -> Text:
    """The unfilled templates of a key in both languages."""
    return Text(template("de", key), template("en", key))


def by_lang(prefix: str) -> dict[str, dict[str, str]]:
    """Every entry under `prefix.` per language, keyed by the rest of the key."""
    start = prefix + "."
    return {lang: {k[len(start):]: v for k, v in catalogue(lang).items() if k.startswith(start)}
            for lang in LANGUAGES}


def fields_of(template_text: str) -> frozenset[str]:
    """The `{field}` names a template uses."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template_text)
                     if name is not None)


EMPTY = Text("", "")
"""No words in either language."""

"""Cerberus schemas written in YAML: loading, validating, and locating each problem."""

from __future__ import annotations

import difflib
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import cerberus
import cerberus.errors as cerr
import cerberus.schema

from policygen import i18n, vocabulary
from policygen.core import source
from policygen.core.source import DocPath, SourceDoc
from policygen.errors import Problem
from policygen.resources import SCHEMA_DIR as SCHEMA_DIR
from policygen.vocabulary import LANGUAGES

FieldNamer = Callable[[DocPath], str]
_HINT_LANGUAGE = "en"  # the language of the schemas' own `meta: hint` texts


@dataclass(frozen=True)
class Wording:
    """How schema messages are worded: their language and how they name fields and choices.

    The default is `policygen validate`'s English, naming a field by its dotted path, a
    missing one by its key (beside its parent's name), and a choice by its value. The studio
    names them by the labels its form shows; `hint` gives a field's own hint in the language,
    where the schema's (English) `meta: hint` would not do.
    """

    lang: str = "en"
    field: FieldNamer | None = None
    key_name: FieldNamer | None = None
    choice: Callable[[str], str] | None = None
    hint: Callable[[DocPath], str] | None = None

    def words(self, key: str, /, **fields: str | int | float) -> str:
        """The catalogue entry `schema.<key>` in this language."""
        return i18n.text(self.lang, f"schema.{key}", **fields)

    def name(self, path: DocPath) -> str:
        """A field as messages name it."""
        return self.field(path) if self.field else _field_name(path)

    def key(self, path: DocPath) -> str:
        """A missing field as messages name it beside the name of the field that holds it."""
        return self.key_name(path) if self.key_name else str(path[-1])

    def value(self, value: str) -> str:
        """An allowed value as messages name it."""
        return self.choice(value) if self.choice else value

    def number(self, number: int) -> str:
        """A count with the language's thousands separator."""
        return f"{number:,}".replace(",", self.words("thousands_separator"))

    def field_hint(self, path: DocPath, meta_hint: str) -> str:
        """The field's own hint: the wording's, else the schema's in English."""
        own = self.hint(path) if self.hint else ""
        return own or (meta_hint if self.lang == _HINT_LANGUAGE else "")


ENGLISH = Wording()
"""`policygen validate`'s words."""


class _Validator(cerberus.Validator):  # type: ignore[misc]
    """Cerberus with whole-string regular expressions and a `localized` text type."""

    types_mapping = {
        **cerberus.Validator.types_mapping,
        "integer": cerberus.TypeDefinition("integer", (int,), (bool,)),
        "localized": cerberus.TypeDefinition("localized", (str, dict), ()),
    }

    def _validate_regex(self, pattern: str, field: str, value: Any) -> None:
        """{'type': 'string'}"""  # noqa: D415, D403 - cerberus reads this as the rule's schema
        if not isinstance(value, str):
            return
        if not re.fullmatch(pattern, value, flags=re.DOTALL):
            self._error(field, cerr.REGEX_MISMATCH)


@cache
def load_schema(name: str) -> dict[str, Any]:
    """Load schemas/<name>.yaml; top-level keys starting with `_` only hold YAML anchors."""
    # the parsed file from the per-user cache while it is unchanged: no YAML parse
    data = source.load_data(SCHEMA_DIR / f"{name}.yaml", f"schemas/{name}.yaml")
    return {k: _vocabularies(v) for k, v in data.items() if not k.startswith("_")}


def _vocabularies(rules: Any) -> Any:
    """Replace `allowed: "@name"` by the vocabulary of that name (policygen/vocabulary.py)."""
    if isinstance(rules, dict):
        return {key: list(vocabulary.named(value[1:]))
                if key == "allowed" and isinstance(value, str) and value.startswith("@")
                else _vocabularies(value) for key, value in rules.items()}
    if isinstance(rules, list):
        return [_vocabularies(item) for item in rules]
    return rules


_LOCAL = threading.local()


def _validator(name: str) -> _Validator:
    """One validator per schema and thread: a cerberus Validator keeps state while it works."""
    validators: dict[str, _Validator] = _LOCAL.__dict__.setdefault("validators", {})
    if name not in validators:
        validators[name] = _plain_validator(load_schema(name))
    return validators[name]


def _plain_validator(schema: dict[str, Any]) -> _Validator:
    """A validator of a schema policygen ships, with its rules as one plain mapping.

    cerberus 1.3 wraps a root schema in a `DefinitionSchema`: it checks the schema when the
    validator is made, and checks a copy of it again each time it normalises a document
    (about 40 % of validating a profile). Child validators work on plain mappings; so does
    this one, with the shortcuts cerberus expands expanded as it would (in place, as it
    does). The schemas are package files: tests/core/test_schema_validator.py has cerberus
    check each of them and holds this validator to the documents and errors of cerberus' own.
    """
    validator = _Validator()
    validator._schema = cerberus.schema.DefinitionSchema.expand(schema)
    return validator


def value_fits(name: str, path: DocPath, value: Any) -> bool:
    """Whether one value is what the schema takes at a path (its own rules, not its parent's).

    For a profile still being written: a cross-field rule runs on its fields only once each of
    them holds a value this accepts (profile.partial_findings).
    """
    rules = rules_at(load_schema(name), path)
    if rules is None:
        return False
    key = (name, tuple("*" if isinstance(part, int) else part for part in path))
    validators: dict[Any, _Validator] = _LOCAL.__dict__.setdefault("fields", {})
    if key not in validators:
        validators[key] = _Validator({"v": {**rules, "required": False}})
    validator = validators[key]
    try:
        return bool(validator.validate({"v": value}))
    except BaseException:
        validators.pop(key, None)
        raise


def schema_path(name: str) -> Path:
    """Return the file of a schema, for hashing."""
    return SCHEMA_DIR / f"{name}.yaml"


def validate(doc: SourceDoc, name: str, wording: Wording = ENGLISH
             ) -> tuple[dict[str, Any], list[Problem]]:
    """Validate and normalise a parsed document; return the normalised data and all problems.

    The problems are worded by `wording` (validate's English unless told otherwise).
    """
    if not isinstance(doc.data, dict):
        return {}, [Problem(doc.locate(()), wording.words("top_level"),
                            wording.words("top_level_hint"), ())]
    validator = _validator(name)
    try:
        ok = validator.validate(doc.data)
    except BaseException:
        _LOCAL.__dict__.get("validators", {}).pop(name, None)  # never reuse a broken state
        raise
    schema = load_schema(name)
    top = {"type": "dict", "schema": schema}
    if ok:
        problems = _localized_problems(doc, doc.data, top, (), wording) + \
            _blank_problems(doc, doc.data, top, (), wording)
        return (validator.document, []) if not problems else ({}, problems)
    problems = [_problem(error, doc, schema, wording) for error in _leaves(validator._errors)]
    problems += _localized_problems(doc, doc.data, top, (), wording)
    problems += _blank_problems(doc, doc.data, top, (), wording)
    problems.sort(key=lambda p: (p.location.line, p.location.col, p.message))
    return {}, _dedupe(problems)


def _localized_problems(doc: SourceDoc, value: Any, rules: Any, path: DocPath,
                        wording: Wording) -> list[Problem]:
    """A `localized` text given as a mapping needs exactly de and en, each one line of text."""
    if not isinstance(rules, dict):
        return []
    if rules.get("type") == "localized" and isinstance(value, dict):
        good = set(value) == set(LANGUAGES) and all(
            isinstance(text, str) and text.strip() and "\n" not in text and "\r" not in text
            for text in value.values())
        if good:
            return []
        return [Problem(doc.locate(path), wording.words(
            "localized", field=wording.name(path), languages=", ".join(LANGUAGES)),
            wording.words("localized_hint"), path)]
    found: list[Problem] = []
    if isinstance(value, dict) and rules.get("type") == "dict":
        for key, sub in value.items():
            child = (rules.get("schema") or {}).get(key, rules.get("valuesrules"))
            found += _localized_problems(doc, sub, child, (*path, key), wording)
    elif isinstance(value, list) and rules.get("type") == "list":
        for index, item in enumerate(value):
            found += _localized_problems(doc, item, rules.get("schema"), (*path, index), wording)
    return found


def _blank_problems(doc: SourceDoc, value: Any, rules: Any, path: DocPath,
                    wording: Wording) -> list[Problem]:
    """Text of blanks only (`name: "   "`) says nothing; a person meant to leave it out."""
    if not isinstance(rules, dict):
        return []
    if rules.get("type") in ("string", "localized") and isinstance(value, str):
        if value and not value.strip():
            return [Problem(doc.locate(path), wording.words("blank", field=wording.name(path)),
                            wording.words("blank_hint"), path)]
        return []
    found: list[Problem] = []
    if isinstance(value, dict) and rules.get("type") in ("dict", "localized"):
        for key, sub in value.items():
            child = (rules.get("schema") or {}).get(key, rules.get("valuesrules"))
            if rules.get("type") == "localized":
                child = {"type": "string"}
            found += _blank_problems(doc, sub, child, (*path, key), wording)
    elif isinstance(value, list) and rules.get("type") == "list":
        for index, item in enumerate(value):
            found += _blank_problems(doc, item, rules.get("schema"), (*path, index), wording)
    return found


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: set[tuple[str, str]] = set()
    unique = []
    for problem in problems:
        key = (str(problem.location), problem.message)
        if key not in seen:
            seen.add(key)
            unique.append(problem)
    return unique


def _leaves(errors: Any) -> Iterator[Any]:
    for error in errors:
        if error.is_group_error and error.child_errors:
            yield from _leaves(error.child_errors)
        else:
            yield error


def rules_at(schema: dict[str, Any], doc_path: DocPath) -> dict[str, Any] | None:
    """Return the cerberus rules that govern the value at a document path, if declared."""
    rules: dict[str, Any] | None = {"type": "dict", "schema": schema}
    for part in doc_path:
        if rules is None:
            return None
        if isinstance(part, int):
            rules = rules.get("schema") if rules.get("type") == "list" else None
        elif "schema" in rules and rules.get("type") == "dict":
            rules = rules["schema"].get(part)
        elif "valuesrules" in rules:
            rules = rules["valuesrules"]
        else:
            return None
    return rules


def _field_name(doc_path: DocPath) -> str:
    text = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in doc_path)
    return text.lstrip(".") or "document"


def _problem(error: Any, doc: SourceDoc, schema: dict[str, Any], wording: Wording) -> Problem:
    path: DocPath = tuple(error.document_path)
    words = wording.words
    name = wording.name(path)
    code = error.code
    rules = rules_at(schema, path) or {}
    meta = rules.get("meta", {}).get("hint", "") if isinstance(rules.get("meta"), dict) else ""
    meta_hint = wording.field_hint(path, str(meta))
    if code == cerr.UNKNOWN_FIELD.code:
        parent = rules_at(schema, path[:-1]) or {}
        known = sorted((parent.get("schema") or {}).keys()) if parent.get("type") == "dict" else []
        close = difflib.get_close_matches(str(path[-1])[:100], known, n=1)
        hint = words("did_you_mean", close=close[0]) if close else (
            words("allowed_keys", keys=", ".join(known)) if known else words("remove_key"))
        return Problem(doc.locate(path, key=True), words("unknown_key", key=_shorten(path[-1])),
                       hint, path)
    if "keysrules" in error.schema_path:
        name = words("key_of", field=wording.name(path[:-1]))
    if code == cerr.REQUIRED_FIELD.code:
        key = wording.key(path)
        message = words("required_in", key=key, where=wording.name(path[:-1])) if path[:-1] \
            else words("required", key=key)
        return Problem(doc.locate(path[:-1], key=True), message, words("required_hint", key=key),
                       path)
    location = doc.locate(path, key="keysrules" in error.schema_path)
    value = error.value

    def problem(message: str, hint: str = "") -> Problem:
        return Problem(location, message, hint, path)

    if code == cerr.BAD_TYPE.code:
        wanted = error.constraint if isinstance(error.constraint, str) else error.constraint[0]
        known_type = f"schema.type.{wanted}" in i18n.catalogue(wording.lang)
        return problem(words("bad_type", field=name, value=_describe(value, wording),
                             wanted=words(f"type.{wanted}") if known_type else str(wanted)),
                       words(f"type_hint.{wanted}") if known_type else "")
    if code in (cerr.UNALLOWED_VALUE.code, cerr.UNALLOWED_VALUES.code):
        allowed = [str(a) for a in error.constraint]
        bad = value if code == cerr.UNALLOWED_VALUE.code else ", ".join(
            str(v) for v in value if v not in error.constraint)
        named = {wording.value(a): a for a in allowed}  # a value typed as its name, too
        close = difflib.get_close_matches(str(bad)[:100], allowed, n=1) or [
            named[c] for c in difflib.get_close_matches(str(bad)[:100], list(named), n=1)]
        hint = words("allowed", allowed=", ".join(named))
        if close:
            hint = words("did_you_mean", close=wording.value(close[0])) + " " + hint
        return problem(words("unallowed", field=name, value=_shorten(bad)), hint)
    if code == cerr.REGEX_MISMATCH.code:
        text = str(value)
        if "\n" in text or "\r" in text:
            return problem(words("single_line", field=name), words("single_line_hint"))
        return problem(words("format", field=name, value=_shorten(text, 60)),
                       meta_hint or words("format_hint", pattern=str(error.constraint)))
    if code == cerr.EMPTY_NOT_ALLOWED.code:
        return problem(words("empty", field=name), meta_hint or words("empty_hint"))
    if code == cerr.MIN_VALUE.code:
        return problem(words("min", field=name, value=str(value), limit=str(error.constraint)))
    if code == cerr.MAX_VALUE.code:
        return problem(words("max", field=name, value=str(value), limit=str(error.constraint)))
    if code == cerr.MIN_LENGTH.code:
        return problem(words("min_length_one" if error.constraint == 1 else "min_length",
                             field=name, limit=str(error.constraint)), meta_hint)
    if code == cerr.MAX_LENGTH.code:
        return problem(words("max_length", field=name, length=wording.number(len(value)),
                             limit=wording.number(error.constraint)), words("max_length_hint"))
    if code == cerr.NOT_NULLABLE.code:
        return problem(words("no_value", field=name), words("no_value_hint"))
    return problem(words("rule_failed", field=name, rule=str(error.rule),
                         constraint=repr(error.constraint)))


def _shorten(value: Any, limit: int = 40) -> str:
    """A value as text, cut to `limit` characters so that a huge value cannot flood the output."""
    text = str(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _describe(value: Any, wording: Wording) -> str:
    if value is None:
        return wording.words("value.empty")
    if isinstance(value, bool):
        return wording.words("value.bool", value=str(value).lower())
    if isinstance(value, str):
        return wording.words("value.text", text=_shorten(value))
    if isinstance(value, int | float):
        return wording.words("value.number", number=str(value))
    if isinstance(value, list):
        return wording.words("value.list")
    if isinstance(value, dict):
        return wording.words("value.mapping")
    return type(value).__name__

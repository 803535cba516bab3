"""Cerberus schemas written in YAML: loading, validating, and locating each problem."""

from __future__ import annotations

import difflib
import re
import threading
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import cerberus
import cerberus.errors as cerr

from policygen import vocabulary
from policygen.core import source
from policygen.core.source import DocPath, SourceDoc
from policygen.errors import Problem
from policygen.resources import SCHEMA_DIR as SCHEMA_DIR
from policygen.vocabulary import LANGUAGES

_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "date": "a date (YYYY-MM-DD)",
    "list": "a list",
    "dict": "a mapping of keys to values",
    "localized": "text, or one single-line text per language",
}
_TYPE_HINTS = {
    "date": "write the date as YYYY-MM-DD without quotes, e.g. 2026-12-01",
    "boolean": "write true or false without quotes",
    "integer": "write a whole number without quotes, e.g. 1450",
    "number": "write a number without quotes, e.g. 4 or 0.5",
    "list": "write a list, e.g. [DE, AT] or one `- item` per line",
    "dict": "indent the keys that belong under this one",
    "string": "put the value in quotes if YAML reads it as a number, date or true/false",
    "localized": "write one text, or `{de: ..., en: ...}` with both languages",
}


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
    doc = source.load(SCHEMA_DIR / f"{name}.yaml", f"schemas/{name}.yaml")
    return {k: _vocabularies(v) for k, v in doc.data.items() if not k.startswith("_")}


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
        validators[name] = _Validator(load_schema(name))
    return validators[name]


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


def validate(doc: SourceDoc, name: str) -> tuple[dict[str, Any], list[Problem]]:
    """Validate and normalise a parsed document; return the normalised data and all problems."""
    if not isinstance(doc.data, dict):
        return {}, [Problem(doc.locate(()), "expected a mapping of keys to values at the top level",
                            "the file should start with a key such as `company:`")]
    validator = _validator(name)
    try:
        ok = validator.validate(doc.data)
    except BaseException:
        _LOCAL.__dict__.get("validators", {}).pop(name, None)  # never reuse a broken state
        raise
    schema = load_schema(name)
    top = {"type": "dict", "schema": schema}
    if ok:
        problems = _localized_problems(doc, doc.data, top, ()) + _blank_problems(doc, doc.data,
                                                                                 top, ())
        return (validator.document, []) if not problems else ({}, problems)
    problems = [_problem(error, doc, schema) for error in _leaves(validator._errors)]
    problems += _localized_problems(doc, doc.data, top, ())
    problems += _blank_problems(doc, doc.data, top, ())
    problems.sort(key=lambda p: (p.location.line, p.location.col, p.message))
    return {}, _dedupe(problems)


def _localized_problems(doc: SourceDoc, value: Any, rules: Any, path: DocPath) -> list[Problem]:
    """A `localized` text given as a mapping needs exactly de and en, each one line of text."""
    if not isinstance(rules, dict):
        return []
    if rules.get("type") == "localized" and isinstance(value, dict):
        good = set(value) == set(LANGUAGES) and all(
            isinstance(text, str) and text.strip() and "\n" not in text and "\r" not in text
            for text in value.values())
        if good:
            return []
        return [Problem(doc.locate(path), f"{_field_name(path)} must be one text, or a mapping "
                        f"with a single-line text for each of {', '.join(LANGUAGES)}",
                        "write `{de: ..., en: ...}` with both languages")]
    found: list[Problem] = []
    if isinstance(value, dict) and rules.get("type") == "dict":
        for key, sub in value.items():
            child = (rules.get("schema") or {}).get(key, rules.get("valuesrules"))
            found += _localized_problems(doc, sub, child, (*path, key))
    elif isinstance(value, list) and rules.get("type") == "list":
        for index, item in enumerate(value):
            found += _localized_problems(doc, item, rules.get("schema"), (*path, index))
    return found


def _blank_problems(doc: SourceDoc, value: Any, rules: Any, path: DocPath) -> list[Problem]:
    """Text of blanks only (`name: "   "`) says nothing; a person meant to leave it out."""
    if not isinstance(rules, dict):
        return []
    if rules.get("type") in ("string", "localized") and isinstance(value, str):
        if value and not value.strip():
            return [Problem(doc.locate(path), f"{_field_name(path)} holds only blanks",
                            "write the text, or remove the key")]
        return []
    found: list[Problem] = []
    if isinstance(value, dict) and rules.get("type") in ("dict", "localized"):
        for key, sub in value.items():
            child = (rules.get("schema") or {}).get(key, rules.get("valuesrules"))
            if rules.get("type") == "localized":
                child = {"type": "string"}
            found += _blank_problems(doc, sub, child, (*path, key))
    elif isinstance(value, list) and rules.get("type") == "list":
        for index, item in enumerate(value):
            found += _blank_problems(doc, item, rules.get("schema"), (*path, index))
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


def _problem(error: Any, doc: SourceDoc, schema: dict[str, Any]) -> Problem:
    path: DocPath = tuple(error.document_path)
    name = _field_name(path)
    code = error.code
    rules = rules_at(schema, path) or {}
    meta_hint = rules.get("meta", {}).get("hint", "") if isinstance(rules.get("meta"), dict) else ""
    if code == cerr.UNKNOWN_FIELD.code:
        parent = rules_at(schema, path[:-1]) or {}
        known = sorted((parent.get("schema") or {}).keys()) if parent.get("type") == "dict" else []
        close = difflib.get_close_matches(str(path[-1])[:100], known, n=1)
        hint = f"did you mean '{close[0]}'?" if close else (
            f"allowed keys here: {', '.join(known)}" if known else "remove this key")
        return Problem(doc.locate(path, key=True), f"unknown key '{_shorten(path[-1])}'", hint)
    if "keysrules" in error.schema_path:
        name = f"a key of {_field_name(path[:-1])}"
    if code == cerr.REQUIRED_FIELD.code:
        where = _field_name(path[:-1])
        return Problem(doc.locate(path[:-1], key=True),
                       f"missing required key '{path[-1]}'" + (f" in {where}" if path[:-1] else ""),
                       f"add `{path[-1]}:` here; see schemas/ for what it holds")
    location = doc.locate(path, key="keysrules" in error.schema_path)
    value = error.value
    if code == cerr.BAD_TYPE.code:
        wanted = error.constraint if isinstance(error.constraint, str) else error.constraint[0]
        return Problem(location,
                       f"{name} must be {_TYPE_WORDS.get(wanted, wanted)}, not {_describe(value)}",
                       _TYPE_HINTS.get(wanted, ""))
    if code in (cerr.UNALLOWED_VALUE.code, cerr.UNALLOWED_VALUES.code):
        allowed = [str(a) for a in error.constraint]
        bad = value if code == cerr.UNALLOWED_VALUE.code else ", ".join(
            str(v) for v in value if v not in error.constraint)
        close = difflib.get_close_matches(str(bad)[:100], allowed, n=1)
        hint = (f"did you mean '{close[0]}'? " if close else "") + f"allowed: {', '.join(allowed)}"
        return Problem(location, f"{name}: '{_shorten(bad)}' is not an allowed value", hint)
    if code == cerr.REGEX_MISMATCH.code:
        text = str(value)
        if "\n" in text or "\r" in text:
            return Problem(location, f"{name} must be a single line",
                           "remove the line break; use `>-` folding only for long clause texts")
        return Problem(location,
                       f"{name}: '{_shorten(text, 60)}' does not have the expected format",
                       meta_hint or f"expected a value matching {error.constraint}")
    if code == cerr.EMPTY_NOT_ALLOWED.code:
        return Problem(location, f"{name} must not be empty", meta_hint or "fill in a value")
    if code == cerr.MIN_VALUE.code:
        return Problem(location, f"{name} is {value}, below the minimum of {error.constraint}")
    if code == cerr.MAX_VALUE.code:
        return Problem(location, f"{name} is {value}, above the maximum of {error.constraint}")
    if code == cerr.MIN_LENGTH.code:
        return Problem(location, f"{name} needs at least {error.constraint} entr"
                       f"{'y' if error.constraint == 1 else 'ies'}", meta_hint)
    if code == cerr.MAX_LENGTH.code:
        return Problem(location,
                       f"{name} is too long ({len(value):,}; at most {error.constraint:,})",
                       "shorten it")
    if code == cerr.NOT_NULLABLE.code:
        return Problem(location, f"{name} has no value",
                       "fill in a value after the colon, or remove the key")
    return Problem(location, f"{name}: {error.rule} rule failed ({error.constraint!r})")


def _shorten(value: Any, limit: int = 40) -> str:
    """A value as text, cut to `limit` characters so that a huge value cannot flood the output."""
    text = str(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _describe(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, str):
        return f"the text '{_shorten(value)}'"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__

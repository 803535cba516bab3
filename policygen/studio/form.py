"""The profile form: fields generated from schemas/profile.yaml, labelled by the `init` questions.

`fields()` walks the schema once: every field knows its kind (text, number, date, choice, a
repeated group, ...), its rules and its label and help, which come from the same question data
as `policygen init` (onboarding/questions.py) and from the schema's hints. `render` writes the
form as HTML with the current values; `parse` turns the submitted name/value pairs back into
profile data (German number and date forms accepted), leaving the checking to the profile's
real validation so that the page shows the messages `policygen validate` prints.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from html import escape
from typing import Any

from policygen import i18n
from policygen.core import schema
from policygen.core.templating import labels
from policygen.onboarding import answers
from policygen.onboarding.questions import ITEMS, Group, Question, help_of
from policygen.onboarding.readiness_checks import Text
from policygen.studio.words import FIELDS, SECTIONS, word

SchemaPath = tuple[str, ...]  # "*" stands for any index of a list
MAX_ITEMS = 50  # repeated items per group, as a bound on what a request may carry
_LEVEL_PREFIX = re.compile(r"^(Stufe|Level) [0-9]+ \([^)]*\): ")
_INDEX = "__i__"


@dataclass(frozen=True)
class Field:
    """One field of the form."""

    path: SchemaPath
    kind: str  # dict keyed group text localized int number bool date choice choices lines pairs
    rule: Mapping[str, Any]
    required: bool
    children: tuple[Field, ...] = ()
    options: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """The last part of the path."""
        return self.path[-1]


def _kind(rule: Mapping[str, Any]) -> str:
    kind = rule.get("type", "string")
    if kind == "dict":
        if "schema" in rule:
            return "dict"
        if "allowed" in rule.get("keysrules", {}):
            return "keyed"
        return "pairs"
    if kind == "list":
        item = rule.get("schema", {})
        if item.get("type") == "dict":
            return "group"
        return "choices" if "allowed" in item else "lines"
    if "allowed" in rule:
        return "choice"
    return {"integer": "int", "number": "number", "boolean": "bool", "date": "date",
            "localized": "localized"}.get(kind, "text")


def _field(path: SchemaPath, rule: Mapping[str, Any], within_required: bool = True) -> Field:
    """A field; `required` only where the whole chain above it is required too."""
    kind = _kind(rule)
    required = bool(rule.get("required")) and within_required
    if kind == "dict":
        children = tuple(_field((*path, key), sub, required)
                         for key, sub in rule["schema"].items())
        return Field(path, kind, rule, required, children)
    if kind == "keyed":
        children = tuple(_field((*path, str(key)), rule["valuesrules"], False)
                         for key in rule["keysrules"]["allowed"])
        return Field(path, kind, rule, required, children)
    if kind == "group":
        item = rule["schema"]["schema"]
        children = tuple(_field((*path, "*", key), sub, True) for key, sub in item.items())
        return Field(path, kind, rule, required, children)
    allowed = rule.get("schema", {}).get("allowed") if kind == "choices" else rule.get("allowed")
    return Field(path, kind, rule, required, options=tuple(str(a) for a in allowed or ()))


@cache
def fields() -> tuple[Field, ...]:
    """The top-level sections of the profile, each with its fields."""
    return tuple(_field((key,), rule) for key, rule in schema.load_schema("profile").items())


@cache
def by_path() -> dict[SchemaPath, Field]:
    """Every field by its schema path."""
    found: dict[SchemaPath, Field] = {}

    def walk(field: Field) -> None:
        found[field.path] = field
        for child in field.children:
            walk(child)

    for top in fields():
        walk(top)
    return found


def _question_paths() -> Iterator[tuple[SchemaPath, Question]]:
    for item in ITEMS:
        if isinstance(item, Group):
            for question in item.questions:
                yield _generic((*item.path, "*", *question.path)), question
        else:
            yield _generic(item.path), item


def _generic(path: tuple[str | int, ...]) -> SchemaPath:
    return tuple("*" if isinstance(part, int) else part for part in path)


@cache
def _questions() -> dict[SchemaPath, Question]:
    found: dict[SchemaPath, Question] = {}
    for path, question in _question_paths():
        found.setdefault(path, question)
    return found


def label(field: Field, lang: str) -> str:
    """The field's label: the `init` question, else its key in words."""
    question = _questions().get(field.path)
    if question is not None:
        text = _LEVEL_PREFIX.sub("", question.prompt.get(lang))
        text = re.sub(r"\s*\((leer|empty)[^)]*\)$", "", text)
        text = re.sub(r"\s*\([^)]*;[^)]*\)", "", text)  # "separated by ;": the form has lines
        return text.replace("{label}", choice_label(field.key, lang)).rstrip(" ?:") + \
            ("?" if text.rstrip().endswith("?") else "")
    if field.path[:-1] == ("strategy", "kpis"):
        return choice_label(field.key, lang)
    if field.path[:-1] == ("document", "locales"):
        return field.key
    known = FIELDS.get(field.key)
    return known.get(lang) if known else field.key.replace("_", " ").capitalize()


def help_text(field: Field, lang: str) -> str:
    """What the field takes: the question's help and hint, else the schema's; the input's form.

    The question's words are those `init`'s `?` shows (questions.help_of).
    """
    question = _questions().get(field.path)
    parts = help_of(question, lang)
    if question is None or question.hint is None:
        meta = field.rule.get("meta")
        if isinstance(meta, dict) and meta.get("hint") and lang == "en":
            parts.append(str(meta["hint"]))
        elif own_hint(field.path, lang):
            parts.append(own_hint(field.path, lang))
    extra = {"date": "date", "int": "number", "number": "number", "pairs": "pairs"}.get(field.kind)
    if field.kind == "lines":
        extra = "lines_localized" if field.rule.get("schema", {}).get("type") == "localized" \
            else "lines"
    if extra:
        parts.append(word(extra, lang))
    return "; ".join(parts)


def own_hint(path: SchemaPath, lang: str) -> str:
    """The form a field's value takes, in a language: its question's hint, else the studio's.

    The schema's `meta: hint` says it in English for a YAML file; the studio's own hints
    (`studio.hints.<key>`) say it for the fields no question asks.
    """
    question = _questions().get(path)
    if question is not None and question.hint is not None:
        return question.hint.get(lang)
    key = f"studio.hints.{path[-1]}"
    return i18n.text(lang, key) if key in i18n.catalogue(lang) else ""


def choice_label(value: str, lang: str) -> str:
    """A choice as the form shows it: its label (schemas/labels.yaml), else its value."""
    entry = labels().get(value)
    return str(entry[lang]) if entry else value.replace("_", " ")


# ---- rendering -------------------------------------------------------------------------------

def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _name(path: tuple[str | int, ...]) -> str:
    return ".".join(str(part) for part in path)


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def render(values: Mapping[str, Any], lang: str) -> str:
    """The form's HTML, filled with the values of a profile (raw data, as in its YAML)."""
    out = []
    for top in fields():
        title = SECTIONS.get(top.key, Text(top.key, top.key)).get(lang)
        inner = "".join(_render(child, (top.key, child.key), _get(values, (top.key, child.key)),
                                lang) for child in top.children)
        out.append(f'<fieldset class="section" data-path="{_e(top.key)}" id="section-{top.key}">'
                   f"<legend>{_e(title)}</legend>"
                   f'<p class="error" data-error-for="{_e(top.key)}" role="alert" hidden></p>'
                   f"{inner}</fieldset>")
    return "\n".join(out)


def _get(values: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        if isinstance(part, int):
            if not isinstance(values, list) or part >= len(values):
                return None
            values = values[part]
        else:
            if not isinstance(values, Mapping):
                return None
            values = values.get(part)
    return values


def _render(field: Field, path: tuple[str | int, ...], value: Any, lang: str) -> str:
    name = _name(path)
    if field.kind in ("dict", "keyed"):
        inner = "".join(_render(child, (*path, child.key), _get(value, (child.key,)), lang)
                        for child in field.children)
        return (f'<fieldset class="sub" data-path="{_e(name)}"><legend>{_e(label(field, lang))}'
                f"{_required(field, lang)}</legend>{_error(name)}{inner}</fieldset>")
    if field.kind == "group":
        return _group(field, path, value if isinstance(value, list) else [], lang)
    return _input(field, name, value, lang)


def _required(field: Field, lang: str) -> str:
    return f' <abbr class="req" title="{_e(word("required", lang))}">*</abbr>' \
        if field.required else ""


def _error(name: str) -> str:
    return f'<p class="error" data-error-for="{_e(name)}" role="alert" hidden></p>'


def _group(field: Field, path: tuple[str | int, ...], items: list[Any], lang: str) -> str:
    name = _name(path)
    rendered = "".join(_item(field, path, str(i), item, lang) for i, item in enumerate(items))
    template = _item(field, path, _INDEX, None, lang)
    return (f'<fieldset class="group" data-path="{_e(name)}" data-group="{_e(name)}">'
            f"<legend>{_e(label(field, lang))}{_required(field, lang)}</legend>{_error(name)}"
            f'<div class="items">{rendered}</div>'
            f"<template>{template}</template>"
            f'<button type="button" class="add">{_e(word("add", lang))}</button></fieldset>')


def _item(field: Field, path: tuple[str | int, ...], index: str, value: Any, lang: str) -> str:
    base = (*path, index)
    inner = "".join(_render(child, (*base, child.key), _get(value, (child.key,)), lang)
                    for child in field.children)
    return (f'<fieldset class="item" data-path="{_e(_name(base))}">'
            f'<legend>{_e(word("item", lang))}</legend>{_error(_name(base))}{inner}'
            f'<button type="button" class="remove">{_e(word("remove", lang))}</button>'
            f"</fieldset>")


def _input(field: Field, name: str, value: Any, lang: str) -> str:
    fid = "f-" + name
    help_id, error = "h-" + name, _error(name)
    helptext = help_text(field, lang)
    described = f'aria-describedby="{_e(help_id)}"' if helptext else ""
    control = ""
    if field.kind == "choice":
        options = [f'<option value="">{_e(word("unset", lang))}</option>'] + [
            f'<option value="{_e(o)}"{" selected" if _shown(value) == o else ""}>'
            f"{_e(choice_label(o, lang))}</option>" for o in field.options]
        control = (f'<select id="{_e(fid)}" name="{_e(name)}" {described}>'
                   f'{"".join(options)}</select>')
    elif field.kind == "bool":
        current = _shown(value)
        states = [("", word("unset", lang)), ("true", word("yes", lang)),
                  ("false", word("no", lang))]
        control = f'<select id="{_e(fid)}" name="{_e(name)}" {described}>' + "".join(
            f'<option value="{v}"{" selected" if current == v else ""}>{_e(t)}</option>'
            for v, t in states) + "</select>"
    elif field.kind == "choices":
        ticked = {str(v) for v in value} if isinstance(value, list) else set()
        boxes = "".join(
            f'<label class="check"><input type="checkbox" name="{_e(name)}" value="{_e(o)}"'
            f'{" checked" if o in ticked else ""}> {_e(choice_label(o, lang))}</label>'
            for o in field.options)
        return (f'<fieldset class="field choices" data-path="{_e(name)}" id="{_e(fid)}">'
                f"<legend>{_e(label(field, lang))}{_required(field, lang)}</legend>{boxes}"
                f'{_help(help_id, helptext)}{error}</fieldset>')
    elif field.kind in ("lines", "pairs"):
        control = (f'<textarea id="{_e(fid)}" name="{_e(name)}" rows="3" {described}>'
                   f"{_e(_lines(field, value))}</textarea>")
    elif field.kind == "localized" and isinstance(value, Mapping):
        pair = "".join(
            f'<label class="lang">{code.upper()} <input type="text" name="{_e(name)}@{code}" '
            f'value="{_e(_shown(value.get(code)))}"></label>' for code in ("de", "en"))
        control = f'<span class="pair" id="{_e(fid)}">{pair}</span>'
    else:
        mode = ' inputmode="decimal"' if field.kind in ("int", "number") else ""
        limit = field.rule.get("maxlength")
        size = f' maxlength="{int(limit) * 2}"' if limit else ""
        control = (f'<input type="text" id="{_e(fid)}" name="{_e(name)}" '
                   f'value="{_e(_shown(value))}"{mode}{size} {described}>')
    return (f'<div class="field" data-path="{_e(name)}"><label for="{_e(fid)}">'
            f"{_e(label(field, lang))}{_required(field, lang)}</label>{control}"
            f"{_help(help_id, helptext)}{error}</div>")


def _help(help_id: str, text: str) -> str:
    return f'<p class="help" id="{_e(help_id)}">{_e(text)}</p>' if text else ""


def _lines(field: Field, value: Any) -> str:
    if field.kind == "pairs":
        return "\n".join(f"{k} = {v}" for k, v in value.items()) \
            if isinstance(value, Mapping) else ""
    if not isinstance(value, list):
        return ""
    return "\n".join(f"{item.get('de', '')} | {item.get('en', '')}"
                     if isinstance(item, Mapping) else _shown(item) for item in value)


# ---- parsing ---------------------------------------------------------------------------------

def _parts(name: str) -> tuple[str | int, ...]:
    return tuple(int(part) if part.isdigit() else part for part in name.split("."))


def parse(submitted: Mapping[str, Any]) -> dict[str, Any]:
    """Profile data from the form's name/value pairs; empty fields are left out.

    Values keep the type the field wants where the text allows it (German forms of numbers
    and dates included) and stay text where it does not, so that validation reports them.
    """
    data: dict[str, Any] = {}
    for name, raw in submitted.items():
        if not isinstance(name, str) or len(name) > 200:
            continue
        base, _, lang = name.partition("@")
        path = _parts(base)
        field = by_path().get(_generic(path))
        if field is None or any(isinstance(p, int) and p >= MAX_ITEMS for p in path):
            continue
        value = _value(field, raw)
        if value is None:
            continue
        if lang in ("de", "en"):
            path = (*path, lang)
        _set(data, path, value)
    compacted: dict[str, Any] = _compact(data)
    return compacted


def _value(field: Field, raw: Any) -> Any:
    if field.kind == "choices":
        values = raw if isinstance(raw, list) else [raw]
        chosen = [str(v) for v in values if isinstance(v, str) and v]
        return [o for o in field.options if o in chosen] + \
            [v for v in chosen if v not in field.options] or None
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    if not text:
        return None
    if field.kind == "lines":
        localized = field.rule.get("schema", {}).get("type") == "localized"
        items: list[Any] = []
        for line in text.splitlines():
            line = line.strip()
            if not line:
                continue
            if localized and " | " in line:
                de, _, en = line.partition(" | ")
                items.append({"de": de.strip(), "en": en.strip()})
            else:
                items.append(line)
        return items or None
    if field.kind == "pairs":
        pairs = {}
        for line in text.splitlines():
            key, _, val = line.partition("=")
            if key.strip():
                pairs[key.strip()] = val.strip()
        return pairs or None
    if field.kind == "bool":
        return {"true": True, "false": False}.get(text, text)
    if field.kind in ("int", "number"):
        number = answers.number_text(text)
        try:
            value = float(number)
        except ValueError:
            return text
        if value != value or value in (float("inf"), float("-inf")):
            return text
        if value.is_integer() and (field.kind == "int" or re.fullmatch(r"[+-]?[0-9]+", number)):
            return int(value)
        return value
    if field.kind == "date":
        try:
            return answers.date_of(text)
        except ValueError:
            return text
    return text


def _set(data: dict[str, Any], path: tuple[str | int, ...], value: Any) -> None:
    node: Any = data
    for part, following in zip(path, path[1:], strict=False):
        node = node.setdefault(part, {})  # list indices become dict keys; _compact orders them
        del following
    node[path[-1]] = value


def _compact(value: Any) -> Any:
    """Index-keyed mappings become lists in index order; empty items and mappings disappear."""
    if isinstance(value, dict):
        if value and all(isinstance(k, int) for k in value):
            items = [_compact(value[k]) for k in sorted(value)]
            return [item for item in items if item not in ({}, None)]
        result = {}
        for key, sub in value.items():
            compacted = _compact(sub)
            if compacted not in ({}, None, []):
                result[key] = compacted
        return result
    return value


def field_name(path: tuple[str | int, ...]) -> str:
    """The form name of a profile path, as the page's data-path attributes carry it."""
    return _name(path)

"""`policygen init`'s engine: read and check each answer, then write a commented profile.

Answers come from a person (typed text, checked one at a time and asked again when refused) or
from an answers file (YAML values, every problem collected with its line and column). The
type, choices and limits of each answer are those of schemas/profile.yaml, so a profile
written from accepted answers validates; `write_profile` checks that again before returning.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from collections.abc import Callable, Mapping
from typing import Any

import yaml

from policygen.core import profile as profile_module
from policygen.core import source
from policygen.core.source import DocPath, SourceDoc
from policygen.core.templating import labels
from policygen.errors import Location, Problem, ProfileError, UsageError
from policygen.i18n import phrase
from policygen.i18n import text as i18n_text
from policygen.onboarding.answers import (
    Refused,
    check,
    choices,
    convert,
    kind,
    parse,
    refuse,
    rules,
)
from policygen.onboarding.questions import ITEMS, LEVELS, Group, Item, Question

_PLAIN = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ0-9][^:#\[\]{},\"'\n|>&*!%@`]*(?<! )")


def accept(question: Question, value: Any, lang: str) -> Any:
    """Check an answer already converted to its type; empty lists count as no answer."""
    if value in (None, []) or value == "":
        if question.required:
            raise refuse("required", lang)
        return None
    check(value, rules(question.path), lang, question.hint)
    return value


def prompt_text(question: Question, answers: Mapping[str, Any], lang: str,
                goal_label: str = "") -> str:
    """The question as shown, with its choices."""
    text = question.prompt.get(lang).replace("{label}", goal_label)
    rule = rules(question.path)
    what = kind(rule)
    if what in ("choice", "choices"):
        names = labels()
        options = "\n".join(
            f"    {n}) {value}" + (f" – {names[value][lang]}" if value in names and
                                   names[value][lang] != value else "")
            for n, value in enumerate(choices(rule), start=1))
        several = phrase("interview.prompt_text.separate_several_with").get(lang)
        text += f"{' (' + several + ')' if what == 'choices' else ''}\n{options}\n"
    elif what == "bool":
        text += " (" + i18n_text(lang, "interview.yes_no") + ")"
    return text


def shown(value: Any, what: str, lang: str) -> str:
    """A default as the person would type it."""
    if isinstance(value, bool):
        return i18n_text(lang, "interview.yes" if value else "interview.no")
    if isinstance(value, list):
        return ("; " if what == "texts" else ", ").join(str(v) for v in value)
    return str(value)


def default_of(question: Question, answers: Mapping[str, Any], lang: str) -> Any:
    """The question's default for these earlier answers, if any."""
    return question.default(answers, lang) if question.default else None


def asked(item: Item, answers: Mapping[str, Any]) -> bool:
    """Whether the question applies, given the earlier answers."""
    return isinstance(item, Group) or item.when is None or item.when(answers)


Reader = Callable[[str], str]
Writer = Callable[[str], None]


def interview(read: Reader, write: Writer, lang: str) -> dict[str, Any]:
    """Ask every question; refuse answers that do not fit and ask again, with the reason."""
    answers: dict[str, Any] = {}
    for item in ITEMS:
        if isinstance(item, Group):
            answers[item.id] = _interview_group(item, read, write, lang)
        elif asked(item, answers):
            answers[item.id] = _ask(item, answers, read, write, lang)
    return answers


def _interview_group(group: Group, read: Reader, write: Writer, lang: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    more = Question(group.id, ("company", "listed"), group.prompt, required=False)  # a yes/no
    while _ask(more, {}, read, write, lang, default=False):
        entry: dict[str, Any] = {}
        for question in group.questions:
            if not asked(question, entry):
                continue
            full = Question(question.id, (*group.path, 0, *question.path), question.prompt,
                            question.default, question.required, question.when, question.hint)
            entry[question.id] = _ask(full, entry, read, write, lang, indent="  ")
        items.append(entry)
    return items


def _ask(question: Question, answers: Mapping[str, Any], read: Reader, write: Writer,
         lang: str, default: Any = None, indent: str = "") -> Any:
    default = default if default is not None else default_of(question, answers, lang)
    label = question.id.removeprefix("kpis_")
    goal = labels().get(label, {}).get(lang, label)
    text = prompt_text(question, answers, lang, goal)
    what = kind(rules(question.path))
    suffix = f" [{shown(default, what, lang)}]" if default not in (None, []) else ""
    while True:
        line = read(f"{indent}{text}{suffix}: " if not text.endswith("\n")
                    else f"{indent}{text}{indent}>{suffix} ")
        try:
            if not line.strip():
                return accept(question, default, lang)
            return accept(question, parse(line, rules(question.path), lang), lang)
        except Refused as refused:
            write(f"{indent}  ✗ {refused.reason}\n")
            if refused.hint:
                write(f"{indent}    hint: {refused.hint}\n")


def from_answers(doc: SourceDoc, lang: str) -> dict[str, Any]:
    """Read an answers file: every answer checked as if typed; all problems at once."""
    if not isinstance(doc.data, dict):
        raise ProfileError.at(doc.locate(()), "an answers file is a mapping of question ids "
                              "to answers", "see docs/assess.md for an example")
    given: dict[str, Any] = dict(doc.data)
    given.pop("language", None)
    answers: dict[str, Any] = {}
    problems: list[Problem] = []
    ids = {item.id for item in ITEMS}
    for key in given:
        if key not in ids:
            close = difflib.get_close_matches(str(key), sorted(ids), n=1)
            problems.append(Problem(doc.locate((key,), key=True), f"unknown question '{key}'",
                                    f"did you mean '{close[0]}'?" if close else
                                    "see `policygen init --help` for the question ids"))
    for item in ITEMS:
        if isinstance(item, Group):
            answers[item.id] = _group_answers(item, doc, lang, problems)
        elif asked(item, answers):
            answers[item.id] = _file_answer(item, given.get(item.id), (item.id,), answers, doc,
                                            lang, problems)
        elif item.id in given:
            problems.append(Problem(doc.locate((item.id,), key=True),
                                    f"'{item.id}' is not asked with these answers",
                                    "remove it, or change the answer it depends on"))
    if problems:
        raise ProfileError(sorted(problems, key=lambda p: (p.location.line, p.location.col)))
    return answers


def _file_answer(question: Question, raw: Any, where: DocPath, answers: Mapping[str, Any],
                 doc: SourceDoc, lang: str, problems: list[Problem]) -> Any:
    try:
        value = default_of(question, answers, lang) if raw is None else \
            convert(raw, rules(question.path), lang)
        return accept(question, value, lang)
    except Refused as refused:
        location = doc.locate(where, key=raw is None)
        message = f"{question.id}: {refused.reason}"
        if raw is None:
            location = doc.locate(where[:-1]) if len(where) > 1 else Location(doc.path, 1, 1)
            message = f"no answer for '{question.id}' ({question.prompt.get(lang)})"
        problems.append(Problem(location, message, refused.hint or f"add `{question.id}: ...`"))
        return None


def _group_answers(group: Group, doc: SourceDoc, lang: str,
                   problems: list[Problem]) -> list[dict[str, Any]]:
    raw = doc.data.get(group.id) or []
    if not isinstance(raw, list) or not all(isinstance(entry, dict) for entry in raw):
        problems.append(Problem(doc.locate((group.id,)), f"{group.id}: a list of mappings is "
                                "expected", f"write `{group.id}:` and one `- key: value` "
                                "mapping per entry"))
        return []
    entries = []
    sub_ids = [q.id for q in group.questions]
    for index, entry in enumerate(raw):
        for key in entry:
            if key not in sub_ids:
                close = difflib.get_close_matches(str(key), sub_ids, n=1)
                problems.append(Problem(doc.locate((group.id, index, key), key=True),
                                        f"unknown key '{key}' in {group.id}",
                                        f"did you mean '{close[0]}'?" if close
                                        else f"allowed: {', '.join(sub_ids)}"))
        answers: dict[str, Any] = {}
        for question in group.questions:
            if not asked(question, answers):
                if question.id in entry:
                    problems.append(Problem(doc.locate((group.id, index, question.id), key=True),
                                            f"'{question.id}' is not asked with these answers",
                                            "remove it, or change the answer it depends on"))
                continue
            full = Question(question.id, (*group.path, 0, *question.path), question.prompt,
                            question.default, question.required, question.when, question.hint)
            answers[question.id] = _file_answer(full, entry.get(question.id),
                                                (group.id, index, question.id), answers, doc,
                                                lang, problems)
        entries.append(answers)
    return entries


def _set(data: dict[str, Any], path: DocPath, value: Any) -> None:
    node: Any = data
    for part, after in zip(path, path[1:], strict=False):
        if isinstance(part, int):
            while len(node) <= part:
                node.append({} if isinstance(after, str) else [])
            node = node[part]
        else:
            node = node.setdefault(part, [] if isinstance(after, int) else {})
    node[path[-1]] = value


def build(answers: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """The profile data the answers describe, in the schema's order."""
    data: dict[str, Any] = {}
    for item in ITEMS:
        value = answers.get(item.id)
        if isinstance(item, Group):
            if value:
                _set(data, item.path, [
                    {q.path[0]: entry[q.id] for q in item.questions if entry.get(q.id) is not None}
                    for entry in value])
        elif value is not None:
            _set(data, item.path, value)
    data["contacts"] = {key: {field: contact[field] for field in ("name", "email", "phone")
                              if field in contact} for key, contact in data["contacts"].items()}
    escalation = data["criticism"]["escalation"]
    data["criticism"]["escalation"] = [
        {"level": n + 1, "name": LEVELS[n][0].get(lang), "trigger": LEVELS[n][1].get(lang),
         **escalation[n]} for n in range(len(LEVELS))]
    return data


SECTIONS = {
    "company": phrase("interview.sections.company"),
    "document": phrase("interview.sections.document"),
    "strategy": phrase("interview.sections.strategy"),
    "governance": phrase("interview.sections.governance"),
    "employees": phrase("interview.sections.employees"),
    "criticism": phrase("interview.sections.criticism"),
    "contacts": phrase("interview.sections.contacts"),
}
GROUPS = {
    "channels": phrase("interview.groups.channels"),
    "team": phrase("interview.groups.team"),
}


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if _PLAIN.fullmatch(text) and yaml.safe_load(text) == text:
        return text
    return json.dumps(text, ensure_ascii=False)


def _emit(value: Any, path: DocPath, indent: int, comments: Mapping[DocPath, str],
          out: list[str]) -> None:
    pad = " " * indent
    for key, item in value.items():
        comment = comments.get((*path, key))
        if comment:
            out.append(f"{pad}# {comment}")
        if isinstance(item, dict):
            out.append(f"{pad}{key}:")
            _emit(item, (*path, key), indent + 2, comments, out)
        elif isinstance(item, list) and item and isinstance(item[0], dict):
            out.append(f"{pad}{key}:")
            for entry in item:
                lines: list[str] = []
                _emit(entry, (), indent + 4, {}, lines)
                out.append(f"{pad}  - {lines[0].lstrip()}")
                out.extend(lines[1:])
        elif isinstance(item, list):
            out.append(f"{pad}{key}: [{', '.join(_scalar(v) for v in item)}]")
        else:
            out.append(f"{pad}{key}: {_scalar(item)}")


def render(data: Mapping[str, Any], lang: str) -> str:
    """The profile as commented YAML: each answer under the question it answers."""
    comments: dict[DocPath, str] = {(key,): text.get(lang) for key, text in SECTIONS.items()}
    comments[("strategy", "kpis")] = phrase("interview.render.kpis_per_goal").get(lang)
    for item in ITEMS:
        if not item.id.startswith("kpis_") and not any(isinstance(p, int) for p in item.path):
            comments[item.path] = GROUPS[item.id].get(lang) if isinstance(item, Group) \
                else item.prompt.get(lang)
    comments[("criticism", "escalation")] = \
        phrase("interview.render.escalation_levels_who").get(lang)
    head = phrase("interview.render.social_media_profile").get(lang)
    out = [f"# {head}",
           "# schemas/profile.yaml: " + phrase("interview.render.every_field_allowed").get(lang)]
    for key in data:
        out.append("")
        _emit({key: data[key]}, (), 0, comments, out)
    return "\n".join(out) + "\n"


def write_profile(answers: Mapping[str, Any], lang: str, display: str) -> tuple[str, str]:
    """The profile text for the answers, validated as `policygen validate` would; its slug."""
    text = render(build(answers, lang), lang)
    return text, profile_module.from_source(source.parse(text, display)).slug


def check_target(exists: bool, is_dir: bool, force: bool, display: str) -> None:
    """Refuse to overwrite an existing file without --force."""
    where = Location(display)
    if is_dir:
        raise UsageError.at(where, "is a directory", "name the profile file to write, e.g. "
                            "policies/acme.yaml")
    if exists and not force:
        raise UsageError.at(where, "file exists; policygen init does not overwrite it",
                            "choose another file name, or pass --force to replace it")

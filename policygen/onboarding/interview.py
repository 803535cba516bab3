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
from dataclasses import replace
from typing import Any

import yaml

from policygen.core import profile as profile_module
from policygen.core import source
from policygen.core.profile import Pattern, overlaps
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
from policygen.onboarding.console import Command, Console, Prompt, bool_text
from policygen.onboarding.questions import ITEMS, LEVELS, Group, Item, Question, help_of

_PLAIN = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ0-9][^:#\[\]{},\"'\n|>&*!%@`]*(?<! )")


def accept(question: Question, value: Any, lang: str) -> Any:
    """Check an answer already converted to its type; empty lists count as no answer."""
    if value in (None, []) or value == "":
        if question.required:
            raise refuse("required", lang)
        return None
    check(value, rules(question.path), lang, question.hint)
    return value


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


# ---- the interview -----------------------------------------------------------------------------
# A slot is one place in the questionnaire: ("q", i) the question ITEMS[i]; ("more", i, e)
# "add an entry?" before entry e of the group ITEMS[i]; ("sub", i, e, k) the group's question k
# for entry e. The interview keeps the slots answered so far in order (`path`), so that `back`
# returns to the one before, and every answer given at a slot (`values`) as the suggestion for
# when the person comes that way again.

Slot = tuple[Any, ...]
AnswerCheck = Callable[[str, Mapping[str, Any]], None]
_NOTHING = object()
NONE = "-"  # the answer that leaves an optional question without one, whatever it suggests


class Stopped(Exception):
    """The person said `save`: stop here and keep the answers so far."""


def _generic(path: DocPath) -> Pattern:
    return tuple("*" if isinstance(part, int) else part for part in path)


def _more(group: Group) -> Question:
    """The yes/no question before each entry of a group."""
    return Question(group.id, ("company", "listed"), group.prompt, required=False)


def _dotted(path: DocPath) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


class Interview:
    """`policygen init`'s questions, asked through a console, until every one is answered.

    `saved` holds the answers of an earlier session (`init --resume`): the interview takes
    them without asking and goes on at the first question they do not answer. Each answer is
    checked as typed (its type, choices and limits), then by `check_answer` (the command's own
    check, e.g. whether the file the short name gives exists) and by every cross-field rule of
    core/profile.py whose fields are all answered with it; a refused answer is asked again.
    """

    def __init__(self, console: Console, lang: str, saved: Mapping[str, Any] | None = None,
                 check_answer: AnswerCheck | None = None) -> None:
        self.console = console
        self.lang = lang
        self.values: dict[Slot, Any] = {}
        self.explicit: set[Slot] = set()  # answers typed, not the suggestion taken
        self.path: list[Slot] = []
        self.saved = dict(saved or {})
        self.replaying = bool(saved)
        self.check_answer = check_answer

    # ---- the answers -------------------------------------------------------------------------

    def answers(self, extra: tuple[Slot, Any] | None = None) -> dict[str, Any]:
        """The answers along the path so far (and one more, to try it), by question id."""
        values, path = self.values, self.path
        if extra is not None:
            values, path = {**values, extra[0]: extra[1]}, [*path, extra[0]]
        result: dict[str, Any] = {}
        for slot in path:
            item = ITEMS[slot[1]]
            if isinstance(item, Group):
                entries = result.setdefault(item.id, [])
                if slot[0] == "more":
                    if values[slot]:
                        entries.append({})
                else:
                    entries[slot[2]][item.questions[slot[3]].id] = values[slot]
            else:
                result[item.id] = values[slot]
        return result

    # ---- where the questionnaire goes --------------------------------------------------------

    def _after(self, index: int, answers: Mapping[str, Any]) -> Slot | None:
        for j in range(index + 1, len(ITEMS)):
            item = ITEMS[j]
            if isinstance(item, Group):
                return ("more", j, 0)
            if asked(item, answers):
                return ("q", j)
        return None

    def _first_sub(self, index: int, entry: int, after: int,
                   answers: Mapping[str, Any]) -> int | None:
        group = ITEMS[index]
        assert isinstance(group, Group)
        given = answers[group.id][entry]
        for k in range(after + 1, len(group.questions)):
            sub = group.questions[k]
            if sub.when is None or sub.when(given):
                return k
        return None

    def _next(self, slot: Slot, answers: Mapping[str, Any]) -> Slot | None:
        if slot[0] == "q":
            return self._after(slot[1], answers)
        index, entry = slot[1], slot[2]
        if slot[0] == "more" and not self.values[slot]:
            return self._after(index, answers)
        k = self._first_sub(index, entry, slot[3] if slot[0] == "sub" else -1, answers)
        return ("sub", index, entry, k) if k is not None else ("more", index, entry + 1)

    def _question(self, slot: Slot) -> Question:
        item = ITEMS[slot[1]]
        if isinstance(item, Question):
            return item
        if slot[0] == "more":
            return _more(item)
        sub = item.questions[slot[3]]
        return Question(sub.id, (*item.path, slot[2], *sub.path), sub.prompt, sub.default,
                        sub.required, sub.when, sub.hint)

    def _context(self, slot: Slot, answers: Mapping[str, Any]) -> Mapping[str, Any]:
        """The answers a question's default and condition read: its entry's, or all."""
        if slot[0] == "sub":
            entry: Mapping[str, Any] = answers[ITEMS[slot[1]].id][slot[2]]
            return entry
        return answers

    def _upcoming(self, slot: Slot, answers: Mapping[str, Any]) -> list[Pattern]:
        """The fields of the questions still to come (of this entry, and after it)."""
        found: list[Pattern] = []
        if slot[0] == "sub":
            group = ITEMS[slot[1]]
            assert isinstance(group, Group)
            entry = answers[group.id][slot[2]]
            found += [_generic((*group.path, "*", *sub.path))
                      for sub in group.questions[slot[3] + 1:]
                      if sub.when is None or sub.when(entry)]
        for item in ITEMS[slot[1] + 1:]:
            if isinstance(item, Group):
                found += [_generic((*item.path, "*", *sub.path)) for sub in item.questions]
            elif asked(item, answers):
                found.append(_generic(item.path))
        return found

    # ---- asking ------------------------------------------------------------------------------

    def run(self) -> dict[str, Any]:
        """Ask until every question is answered; the answers by question id."""
        slot = self._after(-1, {})
        while slot is not None:
            slot = self._step(slot)
        return self.answers()

    def _default(self, slot: Slot, question: Question, answers: Mapping[str, Any]) -> Any:
        if slot in self.explicit:
            return self.values[slot]
        if slot[0] == "more":
            return False
        return default_of(question, self._context(slot, answers), self.lang)

    def prompt(self, slot: Slot, question: Question, default: Any) -> Prompt:
        """The question as the console shows it."""
        rule = rules(question.path)
        what = kind(rule)
        text = question.prompt.get(self.lang)
        if question.id.startswith("kpis_"):
            label = question.id.removeprefix("kpis_")
            text = text.replace("{label}", labels().get(label, {}).get(self.lang, label))
        if what == "date":  # the form a person types (answers.date_of takes both)
            text += " " + i18n_text(self.lang, "init.date_form")
        names = labels()
        options = tuple((value, str(names[value][self.lang]) if value in names else "")
                        for value in choices(rule)) if what in ("choice", "choices") else ()
        chosen: tuple[str, ...] = ()
        if isinstance(default, list):
            chosen = tuple(str(v) for v in default)
        elif isinstance(default, bool):
            chosen = (bool_text(default, self.lang),)
        elif default is not None:
            chosen = (str(default),)
        return Prompt(text, what, self.lang, options,
                      shown(default, what, self.lang) if default not in (None, []) else "",
                      chosen, question.required, "  " if slot[0] == "sub" else "")

    def _step(self, slot: Slot) -> Slot | None:
        """Ask at one slot until it is answered; the slot to go to next."""
        answers = self.answers()
        question = self._question(slot)
        default = self._default(slot, question, answers)
        given = self._replay(slot)
        typed = ""
        while True:
            if given is not _NOTHING:
                value, given = given, _NOTHING
            else:
                self.replaying = False
                prompt = replace(self.prompt(slot, question, default), typed=typed)
                reply = self.console.ask(prompt)
                typed = ""
                if reply is Command.HELP:
                    self.console.say(self.help(slot, question, prompt))
                    continue
                if reply is Command.BACK:
                    if not self.path:
                        self.console.say(i18n_text(self.lang, "init.first_question"))
                        continue
                    previous = self.path.pop()
                    self.console.say(i18n_text(self.lang, "init.back_to", question=self.prompt(
                        previous, self._question(previous), None).text))
                    return previous
                if reply is Command.SAVE:
                    raise Stopped
                assert isinstance(reply, str)
                typed = reply if prompt.kind not in ("bool", "choice", "choices") else ""
                try:
                    value = self._value(question, reply, default)
                except Refused as refused:
                    self._refused(prompt.indent, refused)
                    continue
            try:
                self._check(slot, question, value)
            except Refused as refused:
                self.replaying = False
                self._refused("  " if slot[0] == "sub" else "", refused)
                continue
            self.values[slot] = value
            if value != default_of(question, self._context(slot, answers), self.lang) \
                    or slot[0] == "more":
                self.explicit.add(slot)
            else:
                self.explicit.discard(slot)
            self.path.append(slot)
            return self._next(slot, self.answers())

    def _value(self, question: Question, reply: str, default: Any) -> Any:
        if not reply.strip():
            return accept(question, default, self.lang)
        if reply.strip() == NONE and not question.required:  # no answer despite a suggestion
            return None
        return accept(question, parse(reply, rules(question.path), self.lang), self.lang)

    def _refused(self, indent: str, refused: Refused) -> None:
        self.console.say(f"{indent}  ✗ {refused.reason}")
        if refused.hint:
            self.console.say(f"{indent}    " + i18n_text(self.lang, "init.refused_hint",
                                                          hint=refused.hint))

    def _check(self, slot: Slot, question: Question, value: Any) -> None:
        """The command's check and every cross-field rule this answer completes."""
        if slot[0] == "more":
            return
        answers = self.answers((slot, value))
        if self.check_answer is not None:
            self.check_answer(question.id if slot[0] == "q" else "", answers)
        here = _generic(question.path)
        upcoming = self._upcoming(slot, answers)
        due = tuple(rule for rule in profile_module.RULES
                    if any(overlaps(field, here) for field in rule.fields)
                    and not any(overlaps(field, later) for field in rule.fields
                                for later in upcoming))
        for finding in profile_module.partial_findings(partial_data(answers), due):
            raise Refused(finding.message(self.lang), finding.hint(self.lang))

    def _replay(self, slot: Slot) -> Any:
        """The saved answer for this slot while resuming, else _NOTHING (and resuming ends)."""
        if not self.replaying:
            return _NOTHING
        item = ITEMS[slot[1]]
        found: Any = _NOTHING
        if isinstance(item, Question):
            found = self.saved.get(item.id, _NOTHING)
        elif isinstance(self.saved.get(item.id), list):
            entries = self.saved[item.id]
            if slot[0] == "sub":
                found = entries[slot[2]].get(item.questions[slot[3]].id, _NOTHING)
            elif slot[2] < len(entries):
                found = True
            elif any(later.id in self.saved for later in ITEMS[slot[1] + 1:]):
                found = False
        if found is _NOTHING:
            self.replaying = False
        else:
            self.explicit.add(slot)
        return found

    # ---- help ----------------------------------------------------------------------------------

    def help(self, slot: Slot, question: Question, prompt: Prompt) -> str:
        """What `?` shows: the field's help (as the studio shows it), the form of an answer."""
        lang = self.lang
        rule = rules(question.path)
        lines = [i18n_text(lang, "init.help_title", question=prompt.text)]
        lines += help_of(question, lang)
        form = {"date": "date", "int": "int", "number": "number", "bool": "bool",
                "texts": "texts", "choices": "choices", "choice": "choice"}.get(prompt.kind)
        if form:
            lines.append(i18n_text(lang, f"init.form.{form}"))
        limits = rule.get("schema", {}) if prompt.kind == "texts" else rule
        if "maxlength" in limits:
            lines.append(i18n_text(lang, "init.help_max_length", n=limits["maxlength"]))
        if "min" in rule and "max" in rule:
            lines.append(i18n_text(lang, "init.help_range", min=rule["min"], max=rule["max"]))
        elif "min" in rule:
            lines.append(i18n_text(lang, "init.help_min", min=rule["min"]))
        if prompt.options:
            lines.append(i18n_text(lang, "init.help_choices"))
            lines += [f"  {value}" + (f" – {label}" if label and label != value else "")
                      for value, label in prompt.options]
        lines.append(i18n_text(lang, "init.help_required" if question.required
                               else "init.help_optional_default" if prompt.default
                               else "init.help_optional"))
        if prompt.default:
            lines.append(i18n_text(lang, "init.help_default", value=prompt.default))
        if slot[0] != "more":
            lines.append(i18n_text(lang, "init.help_field", path=_dotted(question.path)))
        lines.append(i18n_text(lang, "init.commands"))
        indent = prompt.indent + "  "
        return "\n".join(indent + line for line in lines)


def partial_data(answers: Mapping[str, Any]) -> dict[str, Any]:
    """The profile data the answers so far describe (no defaults added)."""
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
    return data


def saved_text(answers: Mapping[str, Any], lang: str, command: str,
               complete: bool = False) -> str:
    """The answers as an answers file (the form `--answers` and `--resume` read)."""
    head = (f"# policygen init: every answer ({lang}). The profile again: {command}\n"
            if complete else
            f"# policygen init: answers so far ({lang}). Continue with: {command}\n"
            "# Once complete, this is also an answers file for `policygen init --answers`.\n")
    body = yaml.safe_dump({"language": lang, **answers}, allow_unicode=True, sort_keys=False,
                          default_flow_style=False, width=4096)
    return head + body


def _given_answers(doc: SourceDoc) -> tuple[dict[str, Any], list[Problem]]:
    """The answers a file gives (its `language` aside), and a problem per unknown question."""
    if not isinstance(doc.data, dict):
        raise ProfileError.at(doc.locate(()), "an answers file is a mapping of question ids "
                              "to answers", "see docs/assess.md for an example")
    given: dict[str, Any] = dict(doc.data)
    given.pop("language", None)
    ids = sorted(item.id for item in ITEMS)
    problems: list[Problem] = []
    for key in given:
        if key not in ids:
            close = difflib.get_close_matches(str(key), ids, n=1)
            problems.append(Problem(doc.locate((key,), key=True), f"unknown question '{key}'",
                                    f"did you mean '{close[0]}'?" if close else
                                    "see `policygen init --help` for the question ids"))
    return given, problems


def from_saved(doc: SourceDoc, lang: str) -> dict[str, Any]:
    """The answers of an earlier session (`init --resume`); each checked as if typed."""
    given, problems = _given_answers(doc)
    answers: dict[str, Any] = {}
    for item in ITEMS:
        if item.id not in given:
            continue
        if isinstance(item, Question):
            answers[item.id] = _saved_answer(item, given[item.id], (item.id,), doc, lang,
                                             problems)
            continue
        raw = given[item.id] or []
        if not isinstance(raw, list) or not all(isinstance(entry, dict) for entry in raw):
            problems.append(Problem(doc.locate((item.id,)), f"{item.id}: a list of mappings is "
                                    "expected", f"write `{item.id}:` and one `- key: value` "
                                    "mapping per entry"))
            continue
        entries = []
        for index, entry in enumerate(raw):
            found: dict[str, Any] = {}
            for sub in item.questions:
                if sub.id in entry:
                    full = Question(sub.id, (*item.path, 0, *sub.path), sub.prompt,
                                    sub.default, sub.required, sub.when, sub.hint)
                    found[sub.id] = _saved_answer(full, entry[sub.id], (item.id, index, sub.id),
                                                  doc, lang, problems)
            entries.append(found)
        answers[item.id] = entries
    if problems:
        raise ProfileError(sorted(problems, key=lambda p: (p.location.line, p.location.col)))
    return answers


def _saved_answer(question: Question, raw: Any, where: DocPath, doc: SourceDoc, lang: str,
                  problems: list[Problem]) -> Any:
    try:
        return accept(question, None if raw is None else convert(raw, rules(question.path),
                                                                  lang), lang)
    except Refused as refused:
        problems.append(Problem(doc.locate(where), f"{question.id}: {refused.reason}",
                                refused.hint or f"answer `{question.id}` again"))
        return None

def from_answers(doc: SourceDoc, lang: str) -> dict[str, Any]:
    """Read an answers file: every answer checked as if typed; all problems at once."""
    given, problems = _given_answers(doc)
    answers: dict[str, Any] = {}
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
    data = partial_data(answers)
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
            if isinstance(item, Question) and kind(rules(item.path)) == "date":
                comments[item.path] += " " + i18n_text(lang, "interview.render.date_form")
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

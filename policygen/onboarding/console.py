"""How `policygen init` talks to a person: one question at a time, and the words it understands.

The interview (interview.py) hands a console a `Prompt` and gets back the typed text or a
command: `?` (help), `back` (the previous question) or `save` (save the answers and stop).
`LineConsole` reads plain lines (piped answers, tests, a terminal without line editing);
terminal.py has the line-editing console with choice lists for a real terminal.
"""

from __future__ import annotations

import enum
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from policygen.i18n import text as i18n_text


class Command(enum.Enum):
    """What a person can say besides an answer."""

    HELP = "help"
    BACK = "back"
    SAVE = "save"


# the words that are commands (case does not matter), in either language
WORDS = {"?": Command.HELP, "hilfe": Command.HELP, "help": Command.HELP,
         "back": Command.BACK, "zurück": Command.BACK, "zurueck": Command.BACK,
         "save": Command.SAVE, "speichern": Command.SAVE}


@dataclass(frozen=True)
class Prompt:
    """One question as a console shows it.

    kind: text, int, number, date, bool, choice, choices or texts (answers.kind). `options`
    are (value, label) pairs of a choice; `default` is the suggestion as typed text and
    `chosen` the values a choice list starts with ticked or highlighted; `typed` the answer
    just refused (a line editor fills it in to be corrected).
    """

    text: str
    kind: str
    lang: str
    options: tuple[tuple[str, str], ...] = ()
    default: str = ""
    chosen: tuple[str, ...] = ()
    required: bool = True
    indent: str = ""
    typed: str = ""  # a refused answer, for a console that lets the person edit it


Reply = str | Command


class Console(Protocol):
    """Asks and tells."""

    def ask(self, prompt: Prompt) -> Reply:
        """The typed answer or a command; KeyboardInterrupt when the person stops."""

    def say(self, text: str) -> None:
        """Show a line or more."""


def command_of(line: str) -> Command | None:
    """The command a typed line is, if it is one."""
    return WORDS.get(line.strip().lower())


def bool_text(value: bool, lang: str) -> str:
    """A yes or no as the person types it."""
    return i18n_text(lang, "interview.yes" if value else "interview.no")


class InputEnded(Exception):
    """The input ended (end of file) before the interview did."""


class LineConsole:
    """Plain lines: the prompt written, one line read; no terminal features needed."""

    def __init__(self, read: Callable[[], str] | None = None,
                 write: Callable[[str], None] | None = None) -> None:
        self._read = read or _read_line
        self._write = write or _write_out

    def say(self, text: str) -> None:
        """Write the text and a line break."""
        self._write(text + "\n")

    def ask(self, prompt: Prompt) -> Reply:
        """Write the question (choices numbered), read one line."""
        self._write(render(prompt))
        line = self._read()
        return command_of(line) or line


def render(prompt: Prompt) -> str:
    """The question as one plain prompt: choices numbered below it, the default in brackets."""
    lang, indent = prompt.lang, prompt.indent
    text = prompt.text
    suffix = f" [{prompt.default}]" if prompt.default else ""
    if prompt.kind in ("choice", "choices"):
        options = "\n".join(
            f"    {n}) {value}" + (f" – {label}" if label and label != value else "")
            for n, (value, label) in enumerate(prompt.options, start=1))
        several = i18n_text(lang, "interview.prompt_text.separate_several_with")
        text += f"{' (' + several + ')' if prompt.kind == 'choices' else ''}\n{options}\n"
        return f"{indent}{text}{indent}>{suffix} "
    if prompt.kind == "bool":
        text += " (" + i18n_text(lang, "interview.yes_no") + ")"
    return f"{indent}{text}{suffix}: "


def _read_line() -> str:
    line = sys.stdin.readline()
    if not line:
        raise InputEnded
    return line.rstrip("\r\n")


def _write_out(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()

"""`policygen init` in a real terminal: line editing, history and choice lists (prompt_toolkit).

Text answers are read with prompt_toolkit's line editor: arrow keys move the cursor and recall
earlier answers (they never end up in an answer as escape codes); the suggestion stands in
grey, taken with Enter as in the plain console, or filled in with → to be edited. Choices,
yes/no questions and multi-selects are lists chosen with the arrow keys (Space ticks in a
multi-select). In both: `?` shows the help, PgUp (← in a list) goes back, Ctrl-S saves and
stops, Ctrl-C and Ctrl-D do too. Nothing here is full-screen: each question is drawn in place
below the earlier ones, which stay on the screen.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

from prompt_toolkit import PromptSession
from prompt_toolkit.application import Application
from prompt_toolkit.auto_suggest import AutoSuggest, Suggestion
from prompt_toolkit.buffer import Buffer
from prompt_toolkit.document import Document
from prompt_toolkit.filters import Condition
from prompt_toolkit.formatted_text import StyleAndTextTuples
from prompt_toolkit.history import InMemoryHistory
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from prompt_toolkit.layout import HSplit, Layout, Window
from prompt_toolkit.layout.controls import FormattedTextControl
from prompt_toolkit.styles import Style

from policygen.i18n import text as i18n_text
from policygen.onboarding.console import Command, Prompt, Reply, bool_text, command_of

STYLE = Style.from_dict({
    "question": "bold",
    "pointer": "bold fg:ansicyan",
    "current": "bold",
    "ticked": "fg:ansigreen",
    "keys": "fg:ansibrightblack",
    "answer": "fg:ansicyan",
    "bottom-toolbar": "noreverse fg:ansibrightblack",
})
_HELP, _BACK, _SAVE = "\0help", "\0back", "\0save"
_COMMANDS = {_HELP: Command.HELP, _BACK: Command.BACK, _SAVE: Command.SAVE}


class _Suggestion(AutoSuggest):
    """The question's suggestion in grey behind what is typed; → fills it in to be edited."""

    def __init__(self, text: str) -> None:
        self.text = text

    def get_suggestion(self, buffer: Buffer, document: Document) -> Suggestion | None:
        typed = document.text
        if self.text and self.text.startswith(typed) and self.text != typed:
            return Suggestion(self.text[len(typed):])
        return None


class TerminalConsole:
    """Asks through prompt_toolkit."""

    def __init__(self) -> None:
        self.session: PromptSession[str] = PromptSession(history=InMemoryHistory(),
                                                         style=STYLE)

    def say(self, text: str) -> None:
        """Print below the questions asked so far."""
        sys.stdout.write(text + "\n")
        sys.stdout.flush()

    def ask(self, prompt: Prompt) -> Reply:
        """A list for choices and yes/no, the line editor for the rest."""
        try:
            if prompt.kind in ("choice", "choices", "bool"):
                reply = self._choose(prompt)
            else:
                reply = self._type(prompt)
        except EOFError:  # Ctrl-D: stop, as Ctrl-C does
            raise KeyboardInterrupt from None
        return _COMMANDS.get(reply) or command_of(reply) or reply

    def _type(self, prompt: Prompt) -> str:
        keys = KeyBindings()
        empty = Condition(lambda: not self.session.default_buffer.text)

        @keys.add("?", filter=empty)
        def _help(event: KeyPressEvent) -> None:
            event.app.exit(result=_HELP)

        @keys.add("pageup")
        def _back(event: KeyPressEvent) -> None:
            event.app.exit(result=_BACK)

        @keys.add("c-s")
        def _save(event: KeyPressEvent) -> None:
            event.app.exit(result=_SAVE)

        @keys.add("enter", filter=empty)
        def _take(event: KeyPressEvent) -> None:  # the suggestion stays on the screen
            buffer = event.current_buffer
            buffer.text = prompt.default
            buffer.validate_and_handle()

        message: StyleAndTextTuples = [("class:question", prompt.indent + prompt.text),
                                       ("", " " if prompt.text.endswith("?") else ": ")]
        toolbar = i18n_text(prompt.lang, "init.toolbar_text")
        suggest = _Suggestion(prompt.default)

        def show_suggestion() -> None:  # at the start too, not only once something is typed
            buffer = self.session.default_buffer
            buffer.suggestion = suggest.get_suggestion(buffer, buffer.document)

        return self.session.prompt(message, default=prompt.typed, key_bindings=keys,
                                   auto_suggest=suggest, pre_run=show_suggestion,
                                   bottom_toolbar=[("class:keys", toolbar)])

    def _choose(self, prompt: Prompt) -> str:
        lang = prompt.lang
        if prompt.kind == "bool":
            options = [(bool_text(True, lang), bool_text(True, lang)),
                       (bool_text(False, lang), bool_text(False, lang))]
        else:
            options = [(value, f"{label} ({value})" if label and label != value else value)
                       for value, label in prompt.options]
        chosen = set(prompt.chosen)
        if not prompt.required and not prompt.default and prompt.kind != "choices":
            options.append(("", i18n_text(lang, "init.none")))  # optional, no suggestion
            chosen = chosen or {""}
        choice = _Choice(options, prompt.kind == "choices", chosen)
        result = choice.run(prompt)
        shown = result
        if prompt.kind == "choices" and result not in _COMMANDS:
            shown = ", ".join(label for value, label in options if value in choice.ticked)
        elif result not in _COMMANDS:
            shown = next((label for value, label in options if value == result), result)
        if result not in _COMMANDS:
            gap = " " if prompt.text.endswith("?") else ": "
            self.say(f"{prompt.indent}\x1b[1m{prompt.text}\x1b[0m{gap}\x1b[36m{shown}\x1b[0m")
        return result


@dataclass
class _Choice:
    """One list: a pointer moved with the arrow keys, ticks for a multi-select."""

    options: list[tuple[str, str]]
    several: bool
    ticked: set[str] = field(default_factory=set)
    index: int = 0

    def __post_init__(self) -> None:
        values = [value for value, _ in self.options]
        self.ticked &= set(values)
        first = next((v for v in values if v in self.ticked), None)
        self.index = values.index(first) if first is not None else 0

    def lines(self) -> StyleAndTextTuples:
        """The options as the list shows them."""
        out: StyleAndTextTuples = []
        for n, (value, label) in enumerate(self.options):
            here = n == self.index
            out.append(("class:pointer", " ❯ " if here else "   "))
            if self.several:
                out.append(("class:ticked", "[x] " if value in self.ticked else "[ ] "))
            out.append(("class:current" if here else "", label))
            out.append(("", "\n"))
        return out[:-1]

    def run(self, prompt: Prompt) -> str:
        """Show the list until Enter or a command; the value(s) chosen, as typed text."""
        keys = KeyBindings()

        @keys.add("up", eager=True)
        def _up(event: KeyPressEvent) -> None:
            self.index = (self.index - 1) % len(self.options)

        @keys.add("down", eager=True)
        def _down(event: KeyPressEvent) -> None:
            self.index = (self.index + 1) % len(self.options)

        @keys.add("space", eager=True)
        def _tick(event: KeyPressEvent) -> None:
            value = self.options[self.index][0]
            if self.several:
                self.ticked ^= {value}

        @keys.add("enter", eager=True)
        def _enter(event: KeyPressEvent) -> None:
            if not self.several:
                event.app.exit(result=self.options[self.index][0])
                return
            if not self.ticked:  # Enter on an unticked list takes the one pointed at
                self.ticked.add(self.options[self.index][0])
            event.app.exit(result=", ".join(v for v, _ in self.options if v in self.ticked))

        @keys.add("?", eager=True)
        def _help(event: KeyPressEvent) -> None:
            event.app.exit(result=_HELP)

        @keys.add("left", eager=True)
        @keys.add("pageup", eager=True)
        def _back(event: KeyPressEvent) -> None:
            event.app.exit(result=_BACK)

        @keys.add("c-s", eager=True)
        def _save(event: KeyPressEvent) -> None:
            event.app.exit(result=_SAVE)

        @keys.add("c-c", eager=True)
        @keys.add("c-d", eager=True)
        def _stop(event: KeyPressEvent) -> None:
            event.app.exit(exception=KeyboardInterrupt())

        @keys.add("<any>")
        def _jump(event: KeyPressEvent) -> None:
            typed = event.data.lower()
            if typed.isdigit() and 1 <= int(typed) <= len(self.options):
                self.index = int(typed) - 1
                return
            order = [*range(self.index + 1, len(self.options)), *range(self.index + 1)]
            self.index = next((n for n in order if self.options[n][1].lower().startswith(typed)),
                              self.index)

        toolbar = i18n_text(prompt.lang, "init.toolbar_checks" if self.several
                            else "init.toolbar_list")
        layout = Layout(HSplit([
            Window(FormattedTextControl([("class:question", prompt.indent + prompt.text)]),
                   dont_extend_height=True),
            Window(FormattedTextControl(self.lines, focusable=True, show_cursor=False),
                   dont_extend_height=True),
            Window(FormattedTextControl([("class:keys", toolbar)]), height=1),
        ]))
        app: Application[str] = Application(layout=layout, key_bindings=keys, style=STYLE,
                                            full_screen=False, erase_when_done=True)
        return app.run()

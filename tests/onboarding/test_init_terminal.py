"""`policygen init` in a real terminal: tmux runs it, send-keys types, capture-pane reads.

The screen is what a person sees (prompt_toolkit redraws in place, so its raw output is no
text to match); each step waits until the words it expects are on the screen.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT

_NUMBERS = itertools.count()
pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


class Terminal:
    """One tmux server of its own with one 120x40 window."""

    def __init__(self, folder: Path, *args: str) -> None:
        self.socket = f"policygen-test-{os.getpid()}-{next(_NUMBERS)}"  # short: a socket name
        self.folder = folder
        command = " ".join(shlex.quote(part) for part in
                           [sys.executable, "-m", "policygen", "init", *args])
        env = f"PYTHONPATH={shlex.quote(str(ROOT))} TERM=xterm-256color"
        self.tmux("new-session", "-d", "-x", "120", "-y", "40", "-c", str(folder),
                  f"env {env} {command}; echo EXIT=$?; sleep 60")

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True,
                              text=True, check=True, timeout=20,
                              env={k: v for k, v in os.environ.items() if k != "TMUX"}).stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-J")

    def wait(self, words: str, timeout: float = 20) -> str:
        """The screen, once it shows the words."""
        end = time.monotonic() + timeout
        while True:
            shown = self.screen()
            if words in shown:
                return shown
            if time.monotonic() > end:
                raise AssertionError(f"{words!r} not on the screen:\n{shown}")
            time.sleep(0.1)

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.tmux("send-keys", key)
            time.sleep(0.15)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-l", text)
        time.sleep(0.15)

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True,
                       check=False, timeout=20)


@pytest.fixture
def terminal(tmp_path: Path):
    opened: list[Terminal] = []

    def start(*args: str) -> Terminal:
        term = Terminal(tmp_path, *args)
        opened.append(term)
        return term

    yield start
    for term in opened:
        term.close()


def test_a_session_in_a_terminal(tmp_path: Path, terminal) -> None:
    target = tmp_path / "acme.yaml"
    term = terminal(str(target))
    term.wait("Sprache / language")
    term.wait("❯ English (en)")
    term.keys("Up", "Enter")  # an arrow key in a list: Deutsch
    term.wait("Sprache / language: Deutsch (de)")
    term.wait("Name des Unternehmens (mit Rechtsform):")
    term.type("Acme Widgets GmH")
    term.keys("Left")  # the cursor moves; no escape code ends up in the answer
    term.type("b")
    term.keys("Enter")
    term.wait("Name des Unternehmens (mit Rechtsform): Acme Widgets GmbH")
    term.wait("Kurzname (für Texte und den Ordnernamen): Acme Widgets")  # the grey suggestion
    term.type("?")  # help at an empty line
    screen = term.wait("Feld im Profil: company.short_name")
    assert "Hilfe: Kurzname (für Texte und den Ordnernamen)" in screen
    assert "daraus entstehen Datei- und Ordnername des Profils" in screen  # as in the studio
    term.type("!!!")
    term.keys("Enter")  # a cross-field rule, checked at once (not after the last question)
    term.wait("✗ aus dem Namen des Unternehmens ergibt sich kein brauchbarer Ordnername")
    term.keys("C-u")
    term.type("Acme")
    term.keys("Enter")
    term.wait("Rechtsform (leer: keine): GmbH")
    term.keys("Enter")  # the suggestion GmbH
    term.wait("[x] Deutschland (DE)")
    term.keys("Down", "Space", "Enter")  # tick Austria too
    term.wait("In welchen Ländern ist es tätig? Deutschland (DE), Österreich (AT)")
    term.wait("❯ Industrie und Fertigung")
    term.keys("Left")  # back, from a list
    term.wait("Zurück zu: In welchen Ländern ist es tätig?")
    term.keys("Enter")  # the same ticks again
    term.wait("❯ Industrie und Fertigung")
    term.keys("Down", "Down", "Enter")
    term.wait("Branche: Handel (retail)")
    term.type("1.200")
    term.keys("Enter")
    term.wait("Zahl der Beschäftigten: 1.200")
    term.wait("Gibt es einen Betriebsrat?")
    term.keys("Enter", "Enter", "Enter")  # no, no, no
    term.wait("Website:")
    term.type("back")  # typed, as in the plain console
    term.keys("Enter")
    term.wait("Zurück zu: Verkauft es vor allem an Unternehmen (B2B)?")
    term.keys("Up", "Enter")  # yes
    term.wait("Website:")
    term.type("https://www.acme.example")
    term.keys("Enter")
    for question in ("Adresse des Impressums", "Adresse der Datenschutzerklärung"):
        term.wait(question)
        term.keys("Enter")
    term.wait("Sprachen der Leitlinie")
    term.keys("Enter")  # Deutsch, ticked
    term.wait("Version der Leitlinie")
    term.keys("Enter")
    term.wait("Gültig ab")
    term.type("1.3.2027")  # a German date
    term.keys("Enter")
    term.wait("Wer ist für die Leitlinie verantwortlich?")
    term.keys("C-c")  # stop: the answers are saved
    saved = tmp_path / "policygen-init-answers.yaml"
    screen = term.wait("EXIT=130")
    assert "Antworten gesichert in policygen-init-answers.yaml." in screen
    assert f"Weiter mit: policygen init {target} --resume policygen-init-answers.yaml" in screen
    data = yaml.safe_load(saved.read_text(encoding="utf-8"))
    assert data["language"] == "de"
    assert data["company_name"] == "Acme Widgets GmbH" and data["short_name"] == "Acme"
    assert data["jurisdictions"] == ["DE", "AT"] and data["industry"] == "retail"
    assert data["employees"] == 1200 and data["b2b"] is True
    assert data["effective_date"] == dt.date(2027, 3, 1)
    assert not target.exists()

    term.close()
    term = terminal(str(target), "--resume", "policygen-init-answers.yaml")
    screen = term.wait("Wer ist für die Leitlinie verantwortlich?")
    assert "15 Antworten aus policygen-init-answers.yaml gelesen; es geht weiter." in screen
    assert "Name des Unternehmens" not in screen
    term.keys("PPage")  # back into the answers read
    term.wait("Zurück zu: Gültig ab")
    term.keys("Enter")  # the saved date stays
    term.wait("Wer ist für die Leitlinie verantwortlich?")
    term.keys("Right")  # → fills in the suggestion, to be edited
    term.type(" (Kommunikation)")
    term.keys("Enter")
    term.wait("Autor")
    term.keys("C-s")  # save and stop
    screen = term.wait("EXIT=0")
    data = yaml.safe_load(saved.read_text(encoding="utf-8"))
    assert data["owner"] == "Leitung Unternehmenskommunikation (Kommunikation)", screen
    assert data["effective_date"] == dt.date(2027, 3, 1)
    assert "author" not in data


def test_an_existing_file_is_asked_about_before_the_first_question(tmp_path: Path,
                                                                   terminal) -> None:
    target = tmp_path / "acme.yaml"
    target.write_text("keep me\n", encoding="utf-8")
    term = terminal(str(target), "--lang", "en")
    term.wait(f"{target} exists. Replace it?")
    term.keys("Enter")  # no, the default
    screen = term.wait("EXIT=2")
    assert "file exists; policygen init does not overwrite it" in screen
    assert "Company name" not in screen
    assert target.read_text(encoding="utf-8") == "keep me\n"
    term.close()
    term = terminal(str(target), "--lang", "en")
    term.wait(f"{target} exists. Replace it?")
    term.keys("Up", "Enter")  # yes
    term.wait("Company name (with legal form):")
    term.keys("C-c")
    assert "interrupted; nothing was written" in term.wait("EXIT=130")
    assert target.read_text(encoding="utf-8") == "keep me\n"

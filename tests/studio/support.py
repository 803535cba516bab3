"""Helpers for the studio tests: a form's values as a browser submits them, a running server."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from policygen.core.clauses import load_library
from policygen.studio import server


class _Collector(HTMLParser):
    """What a browser's form.elements hold (outside <template>): name -> value, checkbox lists."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fields: dict[str, Any] = {}
        self._select: str | None = None
        self._textarea: str | None = None
        self._template = 0
        self._in_form = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._in_form = found.get("id") == "profile"
        if tag == "template":
            self._template += 1
        if self._template or not self._in_form:
            return
        name = found.get("name", "")
        if tag == "input" and name:
            if found.get("type") == "checkbox":
                self.fields.setdefault(name, [])
                if "checked" in found:
                    self.fields[name].append(found["value"])
            else:
                self.fields[name] = unescape(found.get("value", ""))
        elif tag == "select" and name:
            self._select = name
            self.fields[name] = None
        elif tag == "option" and self._select:
            if "selected" in found or self.fields[self._select] is None:
                self.fields[self._select] = found.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "template":
            self._template -= 1
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._in_form = False

    def handle_data(self, data: str) -> None:
        if self._textarea and not self._template:
            self.fields[self._textarea] += data.removeprefix("\n") \
                if not self.fields[self._textarea] else data


def form_fields(page: str) -> dict[str, Any]:
    """The values the page's profile form submits."""
    collector = _Collector()
    collector.feed(page)
    return collector.fields


@contextmanager
def running(target: Path, ui: str = "en") -> Iterator[server.Started]:
    """A real studio server on a free loopback port, in a thread; stopped afterwards."""
    started = server.start(load_library(), target, ui=ui)
    thread = threading.Thread(target=started.server.run, kwargs={"sockets": [started.socket]},
                              daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not started.server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield started
    finally:
        started.server.should_exit = True
        thread.join(timeout=10)
        started.socket.close()

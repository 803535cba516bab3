"""The configuration of a policy repository: `policygen.toml`, or `[tool.policygen]` in pyproject.

Found by walking up from the current folder; the first folder holding a `policygen.toml`, or a
`pyproject.toml` with a `[tool.policygen]` table, wins. Paths in it are relative to its folder.
Every command-line option overrides the file. See docs/config.md.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policygen.core.layers import Layer
from policygen.errors import ConfigError, Location, Problem, display
from policygen.vocabulary import AUDIENCES, LANGUAGES

FILE_NAME = "policygen.toml"
PYPROJECT = "pyproject.toml"
FORMATS = ("md", "docx", "html", "pdf")
_KEYS = ("profiles", "out", "library", "bundled-library", "strict", "defaults")
_DEFAULT_KEYS = ("lang", "audience", "format", "jobs")


@dataclass(frozen=True)
class Config:
    """The settings of one policy repository (all optional)."""

    path: Path | None = None  # the file they came from; None when there is none
    profiles: tuple[str, ...] = ()  # glob patterns, relative to the config's folder
    out: Path | None = None
    library: tuple[Layer, ...] = ()  # company layers over the bundled library, lowest first
    bundled_library: bool = True
    strict: bool = False
    defaults: dict[str, Any] = field(default_factory=dict)  # build options: lang, audience, ...

    @property
    def folder(self) -> Path:
        """The folder the config's paths are relative to."""
        return self.path.parent if self.path else Path()

    def profile_paths(self) -> list[Path]:
        """The profiles the patterns match, sorted, relative to the current folder if inside."""
        found: set[Path] = set()
        for pattern in self.profiles:
            found.update(self.folder.glob(pattern))
        return sorted((Path(display(p)) for p in found if p.is_file()), key=str)


def find(start: Path | None = None) -> Path | None:
    """The config file that governs a folder: walk up to the first one found."""
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        own = candidate / FILE_NAME
        if own.is_file():
            return own
        pyproject = candidate / PYPROJECT
        if pyproject.is_file() and _has_tool_table(pyproject):
            return pyproject
    return None


def _has_tool_table(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return re.search(r"^\s*\[tool\.policygen(\.[a-z-]+)?\]", text, re.MULTILINE) is not None


def load(path: Path | None) -> Config:
    """Read and check a config file (None: no config, every setting at its default).

    Raises:
        ConfigError: every problem of the file, located by line and column.
    """
    if path is None:
        return Config()
    shown = display(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError.at(Location(shown), "config file not found",
                            "--config names a policygen.toml or pyproject.toml") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError.at(Location(shown), f"cannot read the config file: {exc}",
                            "a config file is UTF-8 TOML") from None
    import tomllib  # only when there is a config file

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line, col = _decode_position(str(exc))
        raise ConfigError.at(Location(shown, line, col),
                            f"not valid TOML: {str(exc).split(' (at')[0]}",
                            "see https://toml.io for the syntax") from None
    prefix: tuple[str, ...] = ()
    if path.name == PYPROJECT:
        prefix = ("tool", "policygen")
        data = data.get("tool", {}).get("policygen", {})
    return _check(data, text, shown, path, prefix)


def _decode_position(message: str) -> tuple[int, int]:
    match = re.search(r"at line (\d+), column (\d+)", message)
    return (int(match[1]), int(match[2])) if match else (1, 1)


def _check(data: dict[str, Any], text: str, shown: str, path: Path,
           prefix: tuple[str, ...]) -> Config:
    problems: list[Problem] = []

    def problem(key: Sequence[str], message: str, hint: str) -> None:
        problems.append(Problem(_locate(text, shown, (*prefix, *key)), message, hint))

    for key in data:
        if key not in _KEYS:
            problem((key,), f"unknown setting '{key}'", _close(key, _KEYS))
    folder = path.parent

    def strings(key: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            problem((key,), f"{key} must be a list of paths", f'e.g. {key} = ["..."]')
            return ()
        return tuple(value)

    profiles = strings("profiles")
    layers = tuple(Layer(entry, folder / entry) for entry in strings("library"))
    for entry, layer in zip(data.get("library", []), layers, strict=False):
        if not layer.root.is_dir():
            problem(("library",), f"library folder '{entry}' not found",
                    "paths are relative to the folder of the config file")
    out = data.get("out")
    if out is not None and (not isinstance(out, str) or not out):
        problem(("out",), "out must be a folder path", 'e.g. out = "docs/policies"')
        out = None
    flags = {}
    for key in ("strict", "bundled-library"):
        value = data.get(key, key == "bundled-library")
        if not isinstance(value, bool):
            problem((key,), f"{key} must be true or false", f"e.g. {key} = true")
            value = key == "bundled-library"
        flags[key] = value
    defaults = _defaults(data.get("defaults", {}), problem)
    if problems:
        raise ConfigError(problems)
    return Config(path, profiles, Path(display(folder / out)) if out else None, layers,
                  flags["bundled-library"], flags["strict"], defaults)


def _defaults(raw: Any, problem: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        problem(("defaults",), "defaults must be a table", "[tool.policygen.defaults]")
        return {}
    allowed = {"lang": LANGUAGES, "audience": AUDIENCES, "format": (*FORMATS,)}
    found: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in _DEFAULT_KEYS:
            problem(("defaults", key), f"unknown default '{key}'", _close(key, _DEFAULT_KEYS))
        elif key == "jobs":
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                problem(("defaults", key), "jobs must be a whole number of at least 1",
                        "e.g. jobs = 2")
            else:
                found[key] = value
        elif not isinstance(value, list) or not value or \
                any(v not in allowed[key] for v in value):
            bad = [v for v in value if v not in allowed[key]] if isinstance(value, list) else []
            shown_bad = ", ".join(map(str, bad)) or repr(value)
            problem(("defaults", key), f"{key}: invalid value {shown_bad}",
                    f"a list out of {', '.join(allowed[key])}"
                    + _did_you_mean(str(bad[0]) if bad else "", allowed[key]))
        else:
            found[key] = tuple(value)
    return found


def _did_you_mean(word: str, choices: Sequence[str]) -> str:
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1)
    return f"; did you mean '{close[0]}'?" if close else ""


def _close(word: str, choices: Sequence[str]) -> str:
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1)
    return f"did you mean '{close[0]}'?" if close else f"settings: {', '.join(choices)}"


def _locate(text: str, shown: str, key: Sequence[str]) -> Location:
    """The line of a key in a TOML file: `table.key = ...` under its `[table]` header."""
    *tables, name = key
    wanted = ".".join(tables)
    table = ""
    fallback = Location(shown, 1, 1)
    for number, line in enumerate(text.splitlines(), start=1):
        header = re.match(r"\s*\[([^\[\]]+)\]\s*(#.*)?$", line)
        if header:
            table = header[1].strip()
            if table == ".".join(key):
                fallback = Location(shown, number, line.index("[") + 1)
            continue
        assignment = re.match(r"(\s*)([A-Za-z0-9_.\"-]+)\s*=", line)
        if assignment and table == wanted and assignment[2].strip('"') == name:
            return Location(shown, number, len(assignment[1]) + 1)
    return fallback

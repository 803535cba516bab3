"""Locations, the error hierarchy, and how an error prints."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Self


def display(path: Path) -> str:
    """A path as the user should see it: relative to the current folder where possible.

    As `path.resolve().relative_to(Path.cwd().resolve())` would give it, without pathlib's
    cost (every build names each profile this way).
    """
    real = os.path.realpath(path)
    base = os.path.realpath(os.curdir)
    if real == base:
        return "."
    prefix = base if base.endswith(os.sep) else base + os.sep
    return real[len(prefix):] if real.startswith(prefix) else str(path)


@dataclass(frozen=True, order=True)
class Location:
    """A place in a file: 1-based line and column; 0 means unknown."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.path
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Problem:
    """One finding: where, what, and how to fix it."""

    location: Location
    message: str
    hint: str = ""
    subject: tuple[str | int, ...] | None = None
    """The document path of the value it is about (a missing one too), where a check knows it."""

    def render(self) -> str:
        """Return `path:line:col: message` plus an indented hint line."""
        text = f"{self.location}: {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


def findings_text(findings: Iterable[Problem], level: str = "warning") -> str:
    """Findings as `path:line:col: warning: message` lines with their hints."""
    return "\n".join(Problem(f.location, f"{level}: {f.message}", f.hint).render()
                     for f in findings)


class PolicygenError(Exception):
    """Base of every error a user can cause; the CLI turns it into a message and exit code."""

    exit_code = 1

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__(self.render())

    @classmethod
    def at(cls, location: Location, message: str, hint: str = "") -> Self:
        """Build an error with a single problem."""
        return cls([Problem(location, message, hint)])

    def render(self) -> str:
        """Return every problem, one after the other."""
        return "\n".join(problem.render() for problem in self.problems)


class SourceError(PolicygenError):
    """A file could not be read or is not well-formed YAML."""


class ProfileError(PolicygenError):
    """A company profile does not match schemas/profile.yaml."""


class LibraryError(PolicygenError):
    """The clause library is inconsistent or a clause is malformed."""


class RenderError(PolicygenError):
    """A clause could not be rendered for a profile."""


class BrandingError(PolicygenError):
    """A reference .docx or logo is unusable."""


class OutputError(PolicygenError):
    """Outputs could not be written."""


class ConfigError(PolicygenError):
    """A problem in policygen.toml or the [tool.policygen] table of pyproject.toml."""


class UsageError(PolicygenError):
    """The command line was used wrongly."""

    exit_code = 2

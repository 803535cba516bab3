"""Options and helpers that several commands share."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policygen.vocabulary import AUDIENCES, LANGUAGES

if TYPE_CHECKING:
    from policygen.core.clauses import ClauseLibrary

__all__ = ["AUDIENCES", "LANGUAGES"]  # re-exported for the command modules


def add_library(parser: argparse.ArgumentParser) -> None:
    """--library DIR."""
    parser.add_argument("--library", type=Path, metavar="DIR",
                        help="clause library folder (default: the bundled clauses/)")


def library(args: argparse.Namespace) -> ClauseLibrary:
    """Load the library the arguments name."""
    from policygen.core.clauses import load_library

    return load_library(args.library)


def profile_paths(given: list[Path]) -> tuple[list[Path], bool]:
    """The profiles to work on, and whether they are the complete default set."""
    if given:
        return list(given), False
    found = sorted(Path("policies").glob("*.yaml"))
    if not found:
        from policygen.cli import usage_error

        raise usage_error("no profiles given and none found in policies/",
                          "pass profile files, e.g. policygen build policies/acme.yaml")
    return found, True


def add_format(parser: argparse.ArgumentParser) -> None:
    """--format text|json."""
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="output format (default: text)")


def csv_choice(choices: tuple[str, ...]) -> Any:
    """An argparse type for comma-separated values out of a fixed set."""
    def parse(text: str) -> tuple[str, ...]:
        values = tuple(v.strip() for v in text.split(",") if v.strip())
        bad = [v for v in values if v not in choices]
        if bad or not values:
            raise argparse.ArgumentTypeError(
                f"invalid value {', '.join(bad) or repr(text)}; choose from {', '.join(choices)}")
        return values
    return parse


def print_json(data: Any) -> None:
    """Print data as stable, readable JSON."""
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False, sort_keys=False, default=str)
    sys.stdout.write("\n")

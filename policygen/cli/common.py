"""Options and helpers that several commands share: library layers, config file, output."""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policygen.vocabulary import AUDIENCES, LANGUAGES

if TYPE_CHECKING:
    from policygen.core.clauses import ClauseLibrary
    from policygen.core.config import Config
    from policygen.core.layers import Layer
    from policygen.errors import Problem

__all__ = ["AUDIENCES", "LANGUAGES"]  # re-exported for the command modules

DEFAULT_OUT = Path("build")


def add_standard(parser: argparse.ArgumentParser) -> None:
    """--quiet, --verbose and --config: on every command."""
    group = parser.add_argument_group("common options")
    loudness = group.add_mutually_exclusive_group()
    loudness.add_argument("-q", "--quiet", action="store_true",
                          help="print only errors (and what --format json asks for)")
    loudness.add_argument("-v", "--verbose", action="store_true",
                          help="also say which config file and library layers are used")
    group.add_argument("--config", type=Path, metavar="FILE",
                       help="the policygen.toml or pyproject.toml to use (default: the first "
                            "found walking up from the current folder)")


def add_library(parser: argparse.ArgumentParser) -> None:
    """--library DIR (repeatable) and --no-bundled-library."""
    parser.add_argument("--library", type=Path, metavar="DIR", action="append",
                        help="a company clause folder over the bundled library; repeat for "
                             "more layers, lowest first (default: the config file's `library`)")
    parser.add_argument("--no-bundled-library", action="store_true",
                        help="leave the bundled library out: the first --library folder is "
                             "then a complete library with its own sections.yaml")


def config(args: argparse.Namespace) -> Config:
    """The config file's settings (loaded once per run)."""
    from policygen.core import config as config_file

    cached = getattr(args, "_config", None)
    if cached is None:
        given = getattr(args, "config", None)
        cached = config_file.load(given if given is not None else config_file.find())
        args._config = cached
        if getattr(args, "verbose", False):
            print(f"config: {cached.path or 'none found'}", file=sys.stderr)
    return cached


def layers(args: argparse.Namespace) -> tuple[Layer, ...]:
    """The library layers: the command line's --library folders, else the config file's."""
    from policygen.core.layers import stack

    settings = config(args)
    with_bundled = settings.bundled_library and not getattr(args, "no_bundled_library", False)
    if getattr(args, "library", None):
        found = stack(args.library, with_bundled=with_bundled)
    else:
        found = (*stack([], with_bundled=with_bundled), *settings.library)
    if not found:
        from policygen.cli import usage_error

        raise usage_error("--no-bundled-library leaves no library",
                          "name a complete library with --library DIR")
    if getattr(args, "verbose", False):
        print("library layers: " + ", ".join(f"{layer.name} ({layer.root})" for layer in found),
              file=sys.stderr)
    return found


def library(args: argparse.Namespace) -> ClauseLibrary:
    """Load the library layers the arguments and the config file name."""
    from policygen.core.clauses import load_library

    return load_library(layers(args))


def add_out(parser: argparse.ArgumentParser) -> None:
    """--out DIR."""
    parser.add_argument("--out", type=Path, metavar="DIR",
                        help="output folder (default: the config file's `out`, else build)")


def out_dir(args: argparse.Namespace) -> Path:
    """The output folder: --out, else the config file's, else build/."""
    if args.out is not None:
        return Path(args.out)
    return config(args).out or DEFAULT_OUT


def strict(args: argparse.Namespace) -> bool:
    """--strict, or `strict = true` in the config file."""
    return bool(getattr(args, "strict", False)) or config(args).strict


def profile_paths(given: list[Path], args: argparse.Namespace | None = None
                  ) -> tuple[list[Path], bool]:
    """The profiles to work on, and whether they are the complete default set.

    Given none: the config file's `profiles`, else every policies/*.yaml.
    """
    if given:
        return list(given), False
    settings = config(args) if args is not None else None
    if settings is not None and settings.profiles:
        found = settings.profile_paths()
        where = f"the profiles of {settings.path}"
    else:
        found = sorted(Path("policies").glob("*.yaml"))
        where = "policies/"
    if not found:
        from policygen.cli import usage_error

        raise usage_error(f"no profiles given and none found in {where}",
                          "pass profile files, e.g. policygen build policies/acme.yaml")
    return found, True


def add_format(parser: argparse.ArgumentParser, *extra: str) -> None:
    """--format text|json (and any extra formats the command has)."""
    parser.add_argument("--format", type=choice(("text", "json", *extra)), default="text",
                        metavar="|".join(("text", "json", *extra)),
                        help="output format (default: text; json: docs/json.md)")


def choice(choices: tuple[str, ...]) -> Any:
    """An argparse type for one value out of a fixed set, with a did-you-mean."""
    def parse(text: str) -> str:
        if text not in choices:
            raise argparse.ArgumentTypeError(f"invalid value '{text}'; {suggest(text, choices)}")
        return text
    return parse


def suggest(word: str, choices: tuple[str, ...] | list[str]) -> str:
    """'did you mean X?' when one choice is close, else the list of choices."""
    import difflib  # only for a word that is not known

    close = difflib.get_close_matches(word, list(choices), n=1)
    listing = f"choose from {', '.join(choices)}"
    return f"did you mean '{close[0]}'? ({listing})" if close else listing


def csv_choice(choices: tuple[str, ...]) -> Any:
    """An argparse type for comma-separated values out of a fixed set."""
    def parse(text: str) -> tuple[str, ...]:
        values = tuple(v.strip() for v in text.split(",") if v.strip())
        bad = [v for v in values if v not in choices]
        if bad or not values:
            raise argparse.ArgumentTypeError(
                f"invalid value {', '.join(bad) or repr(text)}; "
                + suggest(bad[0] if bad else text, choices))
        return values
    return parse


JSON_SCHEMA_VERSION = 1
_LINT_CODE = re.compile(r"^(PL\d{3}) ")


def wants_json(args: argparse.Namespace) -> bool:
    """Whether the command was asked for --format json."""
    return getattr(args, "format", None) == "json" or "json" in (getattr(args, "formats", None)
                                                                  or ())


def problem_json(problem: Problem, code: str, severity: str) -> dict[str, Any]:
    """One problem for the JSON envelope (docs/json.md)."""
    lint = _LINT_CODE.match(problem.message)
    where = problem.location
    return {"file": where.path, "line": where.line or None, "column": where.col or None,
            "code": lint[1] if lint else code, "severity": severity,
            "message": problem.message[len(lint[0]):] if lint else problem.message,
            "hint": problem.hint or None}


def envelope(command: str, results: Any, exit_code: int = 0,
             problems: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:
    """The one JSON shape of every command's output (docs/json.md, docs/json.schema.json)."""
    return {"schema_version": JSON_SCHEMA_VERSION, "command": command, "ok": exit_code == 0,
            "exit_code": exit_code, "results": results, "problems": list(problems)}


def emit(args: argparse.Namespace, results: Any, exit_code: int = 0,
         warnings: Sequence[Problem] = (), code: str = "warning") -> int:
    """Print a command's results in the JSON envelope; return the exit code."""
    severity = "error" if exit_code else "warning"
    print_json(envelope(args.command, results, exit_code,
                        [problem_json(w, code, severity) for w in warnings]))
    return exit_code


def print_json(data: Any) -> None:
    """Print data as stable, readable JSON."""
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False, sort_keys=False, default=str)
    sys.stdout.write("\n")

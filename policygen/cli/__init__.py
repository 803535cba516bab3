"""The command line: argument parsing, exit codes, and the one place that catches errors."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from policygen import __version__
from policygen.errors import PolicygenError, UsageError

# Each command lives in policygen/cli/<name>.py with `register(subparsers)`.
COMMANDS = ("validate", "build", "check", "impact", "explain", "clauses", "coverage", "lint",
            "comments", "init", "assess", "diff", "studio")


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors with exit code 2 and a hint to --help."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n    hint: run `{self.prog} --help`\n")


def parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The argument parser: with every command, or only the one `argv` runs."""
    main_parser = _Parser(
        prog="policygen",
        description="Social media guidelines from a company profile: Word and Markdown, "
                    "German and English.",
        epilog="Exit codes: 0 success, 1 bad input (profile, clause, template), 2 bad usage.",
    )
    main_parser.add_argument("--version", action="version", version=f"policygen {__version__}")
    main_parser.add_argument("--debug", action="store_true",
                             help="show a traceback for errors (for bug reports)")
    subparsers = main_parser.add_subparsers(dest="command", metavar="COMMAND",
                                            parser_class=_Parser)
    for name in _commands_needed(argv):
        importlib.import_module(f"policygen.cli.{name}").register(subparsers)
    return main_parser


def _commands_needed(argv: Sequence[str] | None) -> tuple[str, ...]:
    """Only the command being run is imported, so start-up stays fast; all for help and errors."""
    for arg in argv or ():
        if arg in COMMANDS:
            return (arg,)
        if not arg.startswith("-"):
            break
    return COMMANDS


def main(argv: Sequence[str] | None = None) -> int:
    """Run policygen; return the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parser(argv).parse_args(argv)
    if args.command is None:
        parser().print_help(sys.stderr)
        return 2
    try:
        return int(args.run(args))
    except PolicygenError as exc:
        if args.debug:
            traceback.print_exc()
        print(exc.render(), file=sys.stderr)
        count = len(exc.problems)
        if count > 1:
            print(f"{count} problems found", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stdout = Path(os.devnull).open("w")  # noqa: SIM115 - silence the flush at exit
        return 0
    except KeyboardInterrupt:
        print("interrupted; no output was changed", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback for users
        if args.debug:
            traceback.print_exc()
        print(f"internal error: {type(exc).__name__}: {exc}\n    hint: this is a bug in "
              "policygen; run again with --debug and report the traceback", file=sys.stderr)
        return 70


def usage_error(message: str, hint: str = "") -> UsageError:
    """A usage error with a hint, exit code 2."""
    from policygen.errors import Location

    return UsageError.at(Location("policygen"), message, hint)


if __name__ == "__main__":
    sys.exit(main())

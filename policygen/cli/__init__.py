"""The command line: argument parsing, exit codes, and the one place that catches errors."""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib
import io
import os
import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from policygen import __version__
from policygen.errors import PolicygenError, UsageError

# Each command lives in policygen/cli/<name>.py with `register(subparsers)`.
COMMANDS = ("validate", "build", "check", "impact", "explain", "clauses", "coverage", "lint",
            "comments", "init", "assess", "diff", "reference", "studio")

EXIT_CODES = ("exit codes: 0 success, 1 bad input (profile, clause, template, config) or a\n"
              "failed check, 2 bad usage, 70 internal error (a bug), 130 interrupted")

# One example per command, shown at the end of its --help.
EXAMPLES = {
    "validate": "policygen validate policies/acme.yaml --strict",
    "build": "policygen build policies/acme.yaml --out docs/policies --lang de,en",
    "check": "policygen check --out docs/policies --format json",
    "impact": "policygen impact --since origin/main",
    "explain": "policygen explain policies/acme.yaml --audience employees",
    "clauses": "policygen clauses --library company-clauses",
    "coverage": "policygen coverage policies/acme.yaml --format md",
    "lint": "policygen lint policies/*.yaml --format sarif > lint.sarif",
    "comments": "policygen comments review/legal.de.docx --format json",
    "init": "policygen init policies/acme.yaml --answers answers.yaml  |  policygen init --repo "
            "acme-policies",
    "assess": "policygen assess policies/acme.yaml --out build",
    "diff": "policygen diff policies/acme.yaml --rev v1.0 --out build/changes",
    "reference": "policygen reference company-styles.docx",
    "studio": "policygen studio policies/acme.yaml",
}


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors with exit code 2 and a hint to --help."""

    def error(self, message: str) -> None:  # type: ignore[override]
        hint = f"run `{self.prog} --help`"
        wrong = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
        if wrong:
            from policygen.cli.common import suggest

            choices = tuple(re.findall(r"'([^']*)'", wrong[2]))
            message = f"{message.split(':')[0]}: invalid choice '{wrong[1]}'"
            hint = f"{suggest(wrong[1], choices)}; {hint}"
        if _JSON_ARGV:
            from policygen.cli.common import envelope, print_json

            print_json(envelope(_JSON_ARGV[0], None, 2, [{
                "file": "policygen", "line": None, "column": None, "code": "usage",
                "severity": "error", "message": message, "hint": hint}]))
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n    hint: {hint}\n")


_JSON_ARGV: list[str] = []  # the command, when the command line asks for --format json


def parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The argument parser: with every command, or only the one `argv` runs."""
    main_parser = _Parser(
        prog="policygen",
        description="Social media guidelines from a company profile: Word and Markdown, "
                    "German and English.",
        epilog=f"example: policygen build policies/acme.yaml\n\n{EXIT_CODES}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    main_parser.add_argument("--version", action="version", version=f"policygen {__version__}")
    main_parser.add_argument("--debug", action="store_true",
                             help="show a traceback for errors (for bug reports)")
    subparsers = main_parser.add_subparsers(dest="command", metavar="COMMAND",
                                            parser_class=_Parser)
    from policygen.cli.common import add_standard

    for name in _commands_needed(argv):
        importlib.import_module(f"policygen.cli.{name}").register(subparsers)
        command = subparsers.choices[name]
        add_standard(command)
        command.epilog = f"example: {EXAMPLES[name]}\n\n{EXIT_CODES}"
        command.formatter_class = argparse.RawDescriptionHelpFormatter
    return main_parser


def _commands_needed(argv: Sequence[str] | None) -> tuple[str, ...]:
    """Only the command being run is imported, so start-up stays fast; all for help and errors."""
    for arg in argv or ():
        if arg in COMMANDS:
            return (arg,)
        if not arg.startswith("-"):
            break
    if argv and "--version" in argv and "--help" not in argv and "-h" not in argv:
        return ()  # the version alone needs no command
    return COMMANDS


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """Python's cycle collector run every 50,000 allocations instead of 700 (then restored).

    A command makes millions of short-lived objects that reference counting frees, beside a
    large heap of long-lived ones (the library, compiled templates, fragments, a manifest),
    and each collection goes through the young part of that heap. At the default (700, 10,
    10) a no-op build of the example policies spent 22 ms of about 90 collecting; each worker
    of a cold 100-profile build 1.1-1.5 s of 9 s (full collections of the whole heap). Now
    about 0.3 s, at the same peak memory. Worker processes inherit the setting.
    """
    before = gc.get_threshold()
    gc.set_threshold(50_000, 20, 20)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def main(argv: Sequence[str] | None = None) -> int:
    """Run policygen; return the exit code."""
    with _fewer_collections():
        return _main(argv)


def _main(argv: Sequence[str] | None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    _JSON_ARGV[:] = [next((a for a in argv if a in COMMANDS), "")] if _asks_for_json(argv) \
        else []
    args = parser(argv).parse_args(argv)
    if args.command is None:
        parser().print_help(sys.stderr)
        return 2
    try:
        if getattr(args, "quiet", False) and not _wants_json(args):
            with contextlib.redirect_stdout(io.StringIO()):  # --quiet: errors (stderr) only
                return int(args.run(args))
        return int(args.run(args))
    except PolicygenError as exc:
        if args.debug:
            import traceback

            traceback.print_exc()
        if _wants_json(args):
            _error_json(args, exc)
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
            import traceback

            traceback.print_exc()
        if _wants_json(args):
            from policygen.errors import Location, Problem

            _error_json(args, PolicygenError([Problem(Location("policygen"),
                                                      f"internal error: {exc}")]), 70)
        print(f"internal error: {type(exc).__name__}: {exc}\n    hint: this is a bug in "
              "policygen; run again with --debug and report the traceback", file=sys.stderr)
        return 70


def _asks_for_json(argv: Sequence[str]) -> bool:
    return any(arg == "--format=json" or (arg == "--format" and value == "json")
               for arg, value in zip(argv, [*argv[1:], ""], strict=False))


def _wants_json(args: argparse.Namespace) -> bool:
    from policygen.cli.common import wants_json

    return wants_json(args)


def _error_json(args: argparse.Namespace, exc: PolicygenError, exit_code: int = 0) -> None:
    """An error as the JSON envelope on stdout (docs/json.md); the exit code stays the same."""
    from policygen.cli.common import envelope, print_json, problem_json

    code = exit_code or exc.exit_code
    kind = "internal" if exit_code == 70 else \
        type(exc).__name__.removesuffix("Error").lower() or "policygen"
    print_json(envelope(args.command, None, code,
                        [problem_json(p, kind, "error") for p in exc.problems]))


def usage_error(message: str, hint: str = "") -> UsageError:
    """A usage error with a hint, exit code 2."""
    from policygen.errors import Location

    return UsageError.at(Location("policygen"), message, hint)


if __name__ == "__main__":
    sys.exit(main())

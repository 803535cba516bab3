"""`policygen lint PROFILE...`: legal lint; also the warnings hook of validate and build."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policygen.cli.common import (
    add_format,
    add_library,
    emit,
    layers,
    library,
    print_json,
    profile_paths,
    strict,
)

if TYPE_CHECKING:
    from policygen.errors import Problem


def register(subparsers: Any) -> None:
    """Add the command."""
    parser = subparsers.add_parser(
        "lint", help="warn about rules that are unlawful or missing for a company",
        description="Check the documents of each profile for rules that are unlawful, or "
                    "missing, in the company's jurisdictions. Each finding has a stable code "
                    "(PL001...) explained, with its legal source, in docs/lint.md. Exit 0 with "
                    "warnings; with --strict, exit 1 if there is any finding.")
    parser.add_argument("profiles", nargs="*", type=Path, metavar="PROFILE",
                        help="profiles to lint (default: the config file's, else policies/*.yaml)")
    add_strict(parser)
    parser.add_argument("--ignore", default="", metavar="PL001,...",
                        help="rule codes to leave out")
    add_format(parser, "sarif")
    add_library(parser)
    parser.set_defaults(run=run)


def add_strict(parser: argparse.ArgumentParser) -> None:
    """--strict: lint findings are errors."""
    parser.add_argument("--strict", action="store_true",
                        help="treat legal lint findings as errors (exit 1)")


def _ignored(text: str) -> set[str]:
    from policygen.cli import usage_error
    from policygen.legal.lint import RULES

    codes = {c.strip().upper() for c in text.split(",") if c.strip()}
    unknown = sorted(codes - set(RULES))
    if unknown:
        raise usage_error(f"--ignore: unknown rule {', '.join(unknown)}",
                          f"rules: {', '.join(RULES)}")
    return codes


def _lint_paths(paths: Sequence[Path], args: argparse.Namespace) -> list[Problem]:
    from policygen.builds.render import load_profiles
    from policygen.core.clauses import load_library
    from policygen.legal.lint import lint_all

    found: list[Problem] = []
    found.extend(lint_all(load_library(layers(args)), load_profiles(list(paths))))
    return found


def before_build(paths: Sequence[Path], args: argparse.Namespace) -> None:
    """With --strict: lint every profile first; any finding stops the build (nothing written)."""
    if strict(args):
        from policygen.legal.lint import LintError

        findings = _lint_paths(paths, args)
        if findings:
            raise LintError(findings)


def after_build(rebuilt: Sequence[str], args: argparse.Namespace) -> None:
    """Without --strict: the findings of the profiles just rebuilt, as warnings on stderr.

    Profiles that were up to date are not linted again, so a no-op build stays fast; `policygen
    lint` checks them all.
    """
    from policygen.legal.lint import render

    if strict(args) or not rebuilt:
        return
    findings = _lint_paths([Path(p) for p in rebuilt], args)
    if findings:
        print(render(findings), file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    """Lint; exit 1 only with --strict and findings (or on bad input)."""
    from policygen.builds.render import load_profiles
    from policygen.legal.lint import RULES, lint, render

    ignored = _ignored(args.ignore)
    profiles = load_profiles(profile_paths(args.profiles, args)[0])
    is_strict = strict(args)
    lib = library(args)
    report = []
    for profile in profiles:
        findings = [f for f in lint(lib, profile) if f.code not in ignored]
        report.append((profile, findings))
    everything = [f for _, findings in report for f in findings]
    if args.format == "json":
        exit_code = 1 if is_strict and everything else 0
        return emit(args, [{"profile": profile.path, "findings": [
            {"code": f.code, "rule": RULES[f.code].name,
             "location": {"path": f.location.path, "line": f.location.line,
                          "col": f.location.col},
             "message": f.detail, "hint": f.hint} for f in findings]}
            for profile, findings in report], exit_code, everything)
    if args.format == "sarif":
        from policygen.legal.sarif import sarif

        print_json(sarif(everything))
        return 1 if is_strict and everything else 0
    else:
        for profile, findings in report:
            if findings:
                print(render(findings, "error" if is_strict else "warning"))
            print(f"{profile.path}: {len(findings) or 'no'} legal lint "
                  f"{'finding' if len(findings) == 1 else 'findings'}")
    if is_strict and everything:
        count = len(everything)
        print(f"{count} legal lint {'finding' if count == 1 else 'findings'} (--strict)",
              file=sys.stderr)
        return 1
    return 0

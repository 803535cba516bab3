"""`policygen validate PROFILE...`: check profiles against the schema and the library."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from policygen.cli.common import add_format, add_library, emit, library, profile_paths, strict
from policygen.errors import ProfileError


def register(subparsers: Any) -> None:
    """Add the command."""
    parser = subparsers.add_parser(
        "validate", help="check profiles without writing anything",
        description="Check company profiles against schemas/profile.yaml and the clause "
                    "library. Reports every problem as file:line:col with a hint. Gaps in "
                    "social media readiness (see `policygen assess`) are printed as warnings "
                    "on stderr; they fail the run only with --strict.")
    parser.add_argument("profiles", nargs="*", type=Path, metavar="PROFILE",
                        help="profiles to check (default: the config file's, else "
                             "policies/*.yaml)")
    parser.add_argument("--strict", action="store_true",
                        help="exit 1 when a profile has readiness or legal lint warnings")
    add_format(parser)
    add_library(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Validate; exit 1 if any profile has a problem."""
    from policygen.builds.render import load_profiles
    from policygen.core import select
    from policygen.legal.lint import lint as legal_lint
    from policygen.onboarding.readiness import covered_jurisdictions
    from policygen.onboarding.readiness import warnings as readiness_warnings

    profiles = load_profiles(profile_paths(args.profiles, args)[0])
    lib = library(args)
    warnings = []
    for profile in profiles:
        select.check_overrides(lib, profile)
        warnings.extend(readiness_warnings(profile, covered_jurisdictions(
            c.jurisdictions for c in lib.clauses.values())))
        warnings.extend(legal_lint(lib, profile))
    if warnings and strict(args):
        raise ProfileError(warnings)
    if args.format == "json":
        return emit(args, [{"profile": p.path, "ok": True} for p in profiles],
                    warnings=warnings)
    for profile in profiles:
        print(f"{profile.path}: ok")
    for warning in warnings:
        print(warning.render(), file=sys.stderr)
    return 0

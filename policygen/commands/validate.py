"""`policygen validate PROFILE...`: check profiles against the schema and the library."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from policygen.commands.common import add_library, library


def register(subparsers: Any) -> None:
    """Add the command."""
    parser = subparsers.add_parser(
        "validate", help="check profiles without writing anything",
        description="Check company profiles against schemas/profile.yaml and the clause "
                    "library. Reports every problem as file:line:col with a hint.")
    parser.add_argument("profiles", nargs="+", type=Path, metavar="PROFILE")
    add_library(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Validate; exit 1 if any profile has a problem."""
    from policygen import select
    from policygen.build import load_profiles

    profiles = load_profiles(args.profiles)
    lib = library(args)
    for profile in profiles:
        select.check_overrides(lib, profile)
        print(f"{profile.path}: ok")
    return 0

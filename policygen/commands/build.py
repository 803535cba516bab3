"""`policygen build`: write the guidelines of one or more profiles."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from policygen import build
from policygen.commands.common import AUDIENCES, LANGUAGES, add_library, csv_choice, library


def register(subparsers: Any) -> None:
    """Add the command."""
    parser = subparsers.add_parser(
        "build", help="write Word and Markdown guidelines",
        description="Build the guidelines of the given profiles (default: every policies/*.yaml) "
                    "into OUT/<company>/<audience>.<lang>.<md|docx>. Everything is checked "
                    "before anything is written; a failed build leaves earlier files intact.")
    parser.add_argument("profiles", nargs="*", type=Path, metavar="PROFILE")
    parser.add_argument("--out", type=Path, default=Path("build"), metavar="DIR",
                        help="output folder (default: build)")
    parser.add_argument("--lang", type=csv_choice(LANGUAGES), metavar="de,en",
                        help="only these languages (default: the profile's)")
    parser.add_argument("--audience", type=csv_choice(AUDIENCES),
                        metavar="employees,account_managers,legal",
                        help="only these audiences (default: the profile's)")
    parser.add_argument("--format", dest="formats", type=csv_choice(build.FORMATS),
                        metavar="md,docx", help="only these formats (default: the profile's)")
    parser.add_argument("--quiet", action="store_true", help="print only errors")
    add_library(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Build; exit 1 on any bad input, writing nothing."""
    paths = args.profiles or sorted(Path("policies").glob("*.yaml"))
    if not paths:
        from policygen.cli import usage_error

        raise usage_error("no profiles given and none found in policies/",
                          "pass profile files: policygen build policies/acme.yaml")
    profiles = build.load_profiles(paths)
    lib = library(args)
    selection = build.Selection(args.lang, args.audience, args.formats)
    outputs = build.render_all(lib, profiles, selection)
    report = (lambda _line: None) if args.quiet else print
    build.write_outputs(args.out, outputs, report)
    if not args.quiet:
        print(f"{len(outputs)} files for {len(profiles)} "
              f"{'profile' if len(profiles) == 1 else 'profiles'} in {args.out}")
    return 0

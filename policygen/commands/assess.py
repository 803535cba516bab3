"""`policygen assess PROFILE`: the company's social media readiness, before any policy."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from policygen.commands.common import LANGUAGES, add_library, csv_choice, library


def register(subparsers: Any) -> None:
    """Add the command."""
    parser = subparsers.add_parser(
        "assess", help="assess a company's social media readiness",
        description="Check a profile against the five obstacles and the five points of the "
                    "seed articles, place the company in the InSites integration stages "
                    "(personnel, structure, culture), ask the channel questions, and score "
                    "each dimension with its reason. Prints the report; with --out also "
                    "writes it as Markdown and Word.")
    parser.add_argument("profile", type=Path, metavar="PROFILE")
    parser.add_argument("--lang", choices=LANGUAGES,
                        help="report language (default: the profile's first language)")
    parser.add_argument("--out", type=Path, metavar="DIR",
                        help="also write DIR/<company>/readiness.<lang>.<md|docx>")
    parser.add_argument("--format", dest="formats", type=csv_choice(("md", "docx")),
                        metavar="md,docx", help="formats written with --out (default: both)")
    add_library(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the assessment and, with --out, write it; the exit code is 0 for any readiness."""
    from policygen import assess_report, build, staging
    from policygen.assess import assess, covered_jurisdictions
    from policygen.writers import docx as docx_writer
    from policygen.writers import markdown as markdown_writer

    profile = build.load_profiles([args.profile])[0]
    lib = library(args)
    result = assess(profile, covered_jurisdictions(c.jurisdictions for c in lib.clauses.values()))
    lang = args.lang or profile.languages[0]
    print(assess_report.terminal(result, lang), end="")
    if args.out is None:
        return 0
    document = assess_report.document(result, profile, lang)
    outputs = {}
    for fmt in args.formats or build.FORMATS:
        outputs[f"{profile.slug}/{assess_report.NAME}.{lang}.{fmt}"] = \
            markdown_writer.write(document).encode("utf-8") if fmt == "md" \
            else docx_writer.write(document, build.load_reference(profile))
    with staging.locked(args.out):
        staged = [staging.stage(args.out, relpath, data) for relpath, data in outputs.items()]
        staging.commit(staged)
    for relpath in outputs:
        print(f"wrote {args.out / relpath}")
    return 0

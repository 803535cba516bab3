"""`policygen assess PROFILE`: the company's social media readiness, before any policy."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from policygen.cli.common import LANGUAGES, add_library, csv_choice, emit, library
from policygen.writers.registry import FORMATS


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
    parser.add_argument("--format", dest="formats", type=csv_choice((*FORMATS, "json")),
                        metavar=",".join((*FORMATS, "json")),
                        help="formats written with --out (default: md and docx); `json` "
                             "prints the assessment as JSON instead of the report "
                             "(docs/json.md)")
    add_library(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the assessment and, with --out, write it; the exit code is 0 for any readiness."""
    from policygen.builds import render, staging
    from policygen.builds.outputs import output_name
    from policygen.onboarding import readiness_json, readiness_report
    from policygen.onboarding.readiness import assess, covered_jurisdictions
    from policygen.writers.registry import Assets, writer

    profile = render.load_profiles([args.profile])[0]
    lib = library(args)
    result = assess(profile, covered_jurisdictions(c.jurisdictions for c in lib.clauses.values()))
    lang = args.lang or profile.languages[0]
    as_json = "json" in (args.formats or ())
    if not as_json:
        print(readiness_report.terminal(result, lang), end="")
    if args.out is None:
        return emit(args, readiness_json.results(result, lang, [])) if as_json else 0
    document = readiness_report.document(result, profile, lang)
    outputs = {}
    formats = tuple(f for f in args.formats or () if f != "json") or ("md", "docx")
    styled = any(writer(fmt).needs_reference for fmt in formats)
    assets = Assets(render.load_reference(profile) if styled else None)
    for fmt in formats:
        outputs[output_name(profile.slug, readiness_report.NAME, lang, fmt)] = \
            writer(fmt).write(document, assets)
    with staging.locked(args.out):
        staged = [staging.stage(args.out, relpath, data) for relpath, data in outputs.items()]
        staging.commit(staged)
    written = [(args.out / relpath).as_posix() for relpath in outputs]
    if as_json:
        return emit(args, readiness_json.results(result, lang, written))
    for path in written:
        print(f"wrote {path}")
    return 0

"""`policygen build`: bring the guidelines of one or more profiles up to date."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from policygen.cli import lint as lint_hook
from policygen.cli.common import (
    AUDIENCES,
    LANGUAGES,
    add_library,
    add_out,
    config,
    csv_choice,
    emit,
    layers,
    out_dir,
    profile_paths,
    strict,
)
from policygen.writers.registry import FORMATS


def register(subparsers: Any) -> None:
    """Add the command."""
    parser = subparsers.add_parser(
        "build", help="write Word and Markdown guidelines (only what is out of date)",
        description="Build the guidelines of the given profiles (default: every policies/*.yaml) "
                    "into OUT/<company>/<audience>.<lang>.<md|docx>. Only outputs whose inputs "
                    "changed are rebuilt (OUT/manifest.json records what each was made from); "
                    "outputs that no longer belong are removed. Everything is checked before "
                    "anything is written; a failed build leaves earlier files intact.")
    parser.add_argument("profiles", nargs="*", type=Path, metavar="PROFILE")
    add_out(parser)
    parser.add_argument("--lang", type=csv_choice(LANGUAGES), metavar="de,en",
                        help="only these languages (default: the profile's)")
    parser.add_argument("--audience", type=csv_choice(AUDIENCES),
                        metavar="employees,account_managers,legal",
                        help="only these audiences (default: the profile's)")
    parser.add_argument("--format", dest="formats", type=csv_choice((*FORMATS, "json")),
                        metavar="md,docx,json",
                        help="only these output formats (default: the profile's); `json` "
                             "prints the build summary as JSON")
    parser.add_argument("--force", action="store_true", help="rebuild everything")
    parser.add_argument("--jobs", type=int, metavar="N",
                        help="worker processes (default: the number of cores)")
    parser.add_argument("--draft", action="store_true",
                        help="build drafts: Word comments and Markdown notes per clause, "
                             "DRAFT mark (always rebuilds)")
    lint_hook.add_strict(parser)
    add_library(parser)
    parser.set_defaults(run=run)


def _progress_bar(done: int, total: int, name: str) -> None:
    width = 30
    filled = width * done // total
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {name[:40]:<40}")
    if done == total:
        sys.stderr.write("\r" + " " * (width + 50) + "\r")
    sys.stderr.flush()


def run(args: argparse.Namespace) -> int:
    """Build; exit 1 on any bad input, writing nothing."""
    from policygen.builds import unchanged
    from policygen.builds.selection import Selection

    paths, complete = profile_paths(args.profiles, args)
    defaults = config(args).defaults
    wanted = args.formats or defaults.get("format", ())
    as_json = "json" in wanted
    formats = tuple(f for f in wanted if f != "json") or None
    jobs = args.jobs if args.jobs is not None else defaults.get("jobs")
    if jobs is not None and jobs < 1:
        from policygen.cli import usage_error

        raise usage_error(f"--jobs must be at least 1, not {args.jobs}")
    interactive = sys.stderr.isatty() and not args.quiet and not as_json
    lint_hook.before_build(paths, args)  # --strict: every profile, before anything is written
    out = out_dir(args)
    library = layers(args)
    selection = Selection(args.lang or defaults.get("lang"),
                          args.audience or defaults.get("audience"), formats, args.draft)
    force = args.force or args.draft
    lint = "off" if strict(args) else "warn"
    report = unchanged.current(paths, out, library, selection, force=force, complete=complete,
                               lint=lint)
    if report is None:
        from policygen.builds.runner import default_jobs, run_build

        report = run_build(paths, out, library, selection, force=force,
                           jobs=jobs or default_jobs(), complete=complete,
                           progress=_progress_bar if interactive else None, lint=lint)
    if as_json:
        return emit(args, report.as_json(), warnings=report.warnings)
    if report.warnings:
        from policygen.errors import findings_text

        print(findings_text(report.warnings), file=sys.stderr)
    if args.quiet:
        return 0
    for profile, reason in report.built.items():
        print(f"built {profile}: {report.files[profile]} files ({reason})")
    for relpath in report.removed:
        print(f"removed {out / relpath}")
    for line in report.readability:
        print(f"readability {line}")
    total = len(report.built) + len(report.current)
    print(f"{len(report.built)} of {total} {'profile' if total == 1 else 'profiles'} rebuilt, "
          f"{len(report.written)} files written, {len(report.removed)} removed, "
          f"{len(report.current)} up to date, in {out}")
    return 0


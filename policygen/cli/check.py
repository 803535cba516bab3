"""`policygen check`: the drift gate for repositories that commit their documents."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from policygen.cli.common import (
    add_format,
    add_library,
    add_out,
    emit,
    layers,
    out_dir,
    profile_paths,
)


def register(subparsers: Any) -> None:
    """Add the command."""
    parser = subparsers.add_parser(
        "check", help="fail if generated documents are missing, stale or edited by hand",
        description="Compare the output folder with what a build would write now, without "
                    "writing anything. Lists every output that is missing, stale (its inputs "
                    "changed), edited by hand since it was generated, or obsolete. Exit 1 if "
                    "there is any, 0 if the folder is current.")
    parser.add_argument("profiles", nargs="*", type=Path, metavar="PROFILE")
    add_out(parser)
    add_format(parser)
    add_library(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Check; exit 1 when anything is out of date."""
    from policygen.builds.runner import run_check

    paths, complete = profile_paths(args.profiles, args)
    out = out_dir(args)
    findings = run_check(paths, out, layers(args), complete=complete)
    if args.format == "json":
        return emit(args, {"ok": not findings, "findings": [vars(f) for f in findings]},
                    1 if findings else 0)
    for finding in findings:
        print(f"{out / finding.output}: {finding.status} ({finding.reason}; "
              f"from {finding.profile})")
    if findings:
        print(f"{len(findings)} outputs out of date; run `policygen build` and commit the result")
        return 1
    print(f"{out}: all outputs are current")
    return 0

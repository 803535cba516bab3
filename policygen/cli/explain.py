"""`policygen explain PROFILE`: which clauses a company's documents contain, and why."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from policygen.cli.common import (
    AUDIENCES,
    add_format,
    add_library,
    csv_choice,
    emit,
    library,
)


def register(subparsers: Any) -> None:
    """Add the command."""
    parser = subparsers.add_parser(
        "explain", help="show which clauses apply to a profile, and why",
        description="For each audience of the profile: the clauses in document order with the "
                    "reason each is included, then every other clause of the library with the "
                    "reason it is left out.")
    parser.add_argument("profile", type=Path, metavar="PROFILE")
    parser.add_argument("--audience", type=csv_choice(AUDIENCES),
                        metavar="employees,account_managers,legal",
                        help="only these audiences (default: the profile's)")
    add_format(parser)
    add_library(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the selection with reasons."""
    from policygen.builds.render import load_profiles
    from policygen.core import select

    profile = load_profiles([args.profile])[0]
    lib = library(args)
    select.check_overrides(lib, profile)
    audiences = [a for a in profile.audiences if not args.audience or a in args.audience]
    report: list[dict[str, Any]] = []
    for audience in audiences:
        assembly = select.select(lib, profile, audience)
        report.append({
            "audience": audience,
            "included": [{"id": c.id, "version": c.version, "section": c.section,
                          "layer": c.layer, "path": c.path,
                          "reason": assembly.reason(c.id)} for c in assembly.clauses],
            "excluded": [{"id": d.clause_id, "reason": d.reason}
                         for d in assembly.decisions if not d.included],
        })
    if args.format == "json":
        emit(args, {"profile": profile.path, "audiences": report})
        return 0
    for entry in report:
        total = len(entry["included"]) + len(entry["excluded"])
        print(f"{profile.path}: {entry['audience']}: {len(entry['included'])} of {total} clauses")
        width = max((len(c["id"]) for c in entry["included"] + entry["excluded"]), default=10)
        for clause in entry["included"]:
            print(f"  + {clause['id']:<{width}}  {clause['reason']}")
        for clause in entry["excluded"]:
            print(f"  - {clause['id']:<{width}}  {clause['reason']}")
        print()
    return 0

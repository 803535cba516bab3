"""`policygen impact`: which documents a clause change affects."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from policygen.cli.common import add_format, add_library, emit, layers, profile_paths


def register(subparsers: Any) -> None:
    """Add the command."""
    parser = subparsers.add_parser(
        "impact", help="list the documents a change to clauses affects, and why",
        description="For the given clause ids, or for everything changed since a git "
                    "revision (--since), list each company, audience and language whose "
                    "documents change, with the reason each clause is (or was) included.")
    parser.add_argument("clause_ids", nargs="*", metavar="CLAUSE_ID")
    parser.add_argument("--since", metavar="GIT_REV",
                        help="take the changed clauses, profiles and schemas from git diff REV")
    parser.add_argument("--profile", dest="profiles", action="append", type=Path, default=[],
                        metavar="PROFILE", help="profiles to consider (default: policies/*.yaml)")
    add_format(parser)
    add_library(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the affected documents."""
    from policygen.builds.impact import Change, analyse, changes_since, library_at, temporary_dir
    from policygen.builds.render import load_profiles
    from policygen.cli import usage_error
    from policygen.core.clauses import load_library

    if not args.clause_ids and not args.since:
        raise usage_error("name clause ids or --since GIT_REV",
                          "e.g. policygen impact employees.disclosure")
    root = layers(args)
    paths, _ = profile_paths(args.profiles, args)
    change = changes_since(args.since, root, paths) if args.since else Change()
    change.clause_ids |= set(args.clause_ids)
    lib = load_library(root)
    unknown = sorted(cid for cid in args.clause_ids if cid not in lib.clauses)
    if unknown and not args.since:
        raise usage_error(f"unknown clause id {unknown[0]}", "`policygen clauses` lists them")
    profiles = load_profiles(paths)
    with temporary_dir() as scratch:
        old = library_at(args.since, root, Path(scratch)) if args.since else None
        affected = analyse(change, profiles, lib, old)
    if args.format == "json":
        emit(args, {"clauses": sorted(change.clause_ids), "affected": [vars(a) for a in affected],
                    "outputs": sorted(o for a in affected for o in a.outputs)})
        return 0
    for item in affected:
        print(f"{item.profile} ({item.company}): {item.audience}, {','.join(item.languages)}")
        for what, why in item.reasons.items():
            print(f"    {what}: {why}")
    outputs = sum(len(a.outputs) for a in affected)
    print(f"{len(affected)} document sets, {outputs} files affected")
    return 0

"""`policygen clauses`: list and check the clause library."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from policygen.cli.common import add_format, add_library, emit, library

if TYPE_CHECKING:
    from policygen.core.clauses import Clause


def register(subparsers: Any) -> None:
    """Add the command."""
    parser = subparsers.add_parser(
        "clauses", help="list the clause library (and check it)",
        description="Load and check the clause library, then list every clause with its "
                    "section, version, audiences and conditions. Exit 1 if the library has "
                    "problems, each reported as file:line:col.")
    add_format(parser)
    add_library(parser)
    parser.set_defaults(run=run)


def conditions(clause: Clause) -> str:
    """A short text of when a clause applies."""
    parts = []
    if clause.jurisdictions:
        parts.append("jurisdiction " + "/".join(sorted(clause.jurisdictions)))
    if clause.industries:
        parts.append("industry " + "/".join(sorted(clause.industries)))
    if clause.when:
        parts.append(f"when {clause.when}")
    return "; ".join(parts) or "always"


def run(args: argparse.Namespace) -> int:
    """Print the library."""
    lib = library(args)
    clauses = lib.ordered()
    if args.format == "json":
        emit(args, [{
            "id": c.id, "version": c.version, "section": c.section, "order": c.order,
            "audiences": sorted(c.audiences), "topics": list(c.topics),
            "jurisdictions": sorted(c.jurisdictions or []),
            "industries": sorted(c.industries or []),
            "when": c.when, "requires": list(c.requires), "excludes": list(c.excludes),
            "path": c.path, "layer": c.layer, "replaced": c.replaced,
        } for c in clauses])
        return 0
    width = max((len(c.id) for c in clauses), default=10)
    for clause in clauses:
        audiences = ",".join(a[:3] for a in sorted(clause.audiences))
        print(f"{clause.id:<{width}}  v{clause.version:<3} {audiences:<11}  {conditions(clause)}")
    print(f"{len(clauses)} clauses in {len(lib.sections)} sections")
    return 0

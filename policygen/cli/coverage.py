"""`policygen coverage [PROFILE...]`: the topic matrix of the library, or a profile's gaps."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from policygen.cli.common import add_format, add_library, emit, library
from policygen.core import schema, source
from policygen.core.clauses import ClauseLibrary
from policygen.errors import LibraryError, ProfileError
from policygen.legal import coverage
from policygen.legal.coverage import JURISDICTIONS, LibraryCoverage, ProfileCoverage, Topic

SYMBOLS = {coverage.COVERED: "✓", coverage.CONDITIONAL: "◐", coverage.MISSING: "✗",
           coverage.NOT_APPLICABLE: "–"}
LEGEND = ("✓ a clause serves the topic for every company there · ◐ only clauses with an "
          "industry or other condition · – the topic does not apply there · ✗ missing")
SHORT = {"employees": "emp", "account_managers": "acc", "legal": "leg"}


def register(subparsers: Any) -> None:
    """Add the command."""
    parser = subparsers.add_parser(
        "coverage", help="which topics the library and a profile's documents cover",
        description="Without PROFILE: the 50 topics x jurisdictions (DE, AT, CH, GB, US, EU) "
                    "matrix of the clause library. With PROFILE: the topics expected for that "
                    "company (schemas/topics.yaml), and for each edition the clauses that cover "
                    "them. Exit 1 when a topic that applies is not covered.",
        epilog="Exit codes: 0 everything expected is covered, 1 a gap (or bad input), "
               "2 bad usage.")
    parser.add_argument("profiles", type=Path, nargs="*", metavar="PROFILE")
    add_format(parser, "md")
    add_library(parser)
    parser.set_defaults(run=run)


def load_topics() -> tuple[Topic, ...]:
    """The topic catalogue, checked."""
    doc = source.load(schema.SCHEMA_DIR / "topics.yaml", "schemas/topics.yaml")
    return coverage.parse_topics(doc)


def run(args: argparse.Namespace) -> int:
    """Print the matrix or the profiles' coverage; exit 1 on a gap."""
    lib = library(args)
    topics = load_topics()
    coverage.check_topics(topics, lib)
    if not args.profiles:
        return _library(lib, topics, args)
    from policygen.builds.render import load_profiles

    profiles = load_profiles(args.profiles)
    results = [coverage.profile_coverage(lib, topics, p) for p in profiles]
    problems = [p for r in results for p in coverage.gap_problems(r)]
    if args.format == "json":
        data = [profile_json(r) for r in results]
        return emit(args, data[0] if len(data) == 1 else data, 1 if problems else 0, problems,
                    code="coverage")
    for result in results:
        print(profile_text(result, args.format == "md"))
    if problems:
        raise ProfileError(problems)
    return 0


def _library(lib: ClauseLibrary, topics: tuple[Topic, ...], args: argparse.Namespace) -> int:
    fmt = args.format
    matrix = coverage.library_coverage(lib, topics)
    gaps = matrix.gaps()
    error = LibraryError.at(gaps[0][0].location, f"{len(gaps)} topic/jurisdiction gaps: "
                            + ", ".join(f"{t.id} in {j}" for t, j in gaps),
                            "add a clause with the topic for that jurisdiction, or narrow "
                            "the topic's `jurisdictions` in schemas/topics.yaml") if gaps else None
    if fmt == "json":
        return emit(args, library_json(matrix, lib.root), 1 if error else 0,
                    error.problems if error else (), code="coverage")
    print(library_text(matrix, fmt == "md"))
    if error:
        raise error
    return 0


def library_text(matrix: LibraryCoverage, markdown: bool = False) -> str:
    """The matrix as a fixed-width table, or as a Markdown table."""
    lines = []
    if markdown:
        lines.append("| # | topic | " + " | ".join(JURISDICTIONS) + " |")
        lines.append("|---:|---|" + "|".join(":-:" for _ in JURISDICTIONS) + "|")
    else:
        lines.append(f"Coverage of the clause library: {matrix.clause_count} clauses, "
                     f"{len(matrix.topics)} topics")
        lines.append(LEGEND)
        lines.append("")
        lines.append(f"{'#':>2}  {'topic':<24}  " + " ".join(JURISDICTIONS))
    for topic in matrix.topics:
        marks = [SYMBOLS[matrix.cells[(topic.id, j)].status] for j in JURISDICTIONS]
        if markdown:
            lines.append(f"| {topic.n} | {topic.id} | " + " | ".join(marks) + " |")
        else:
            lines.append(f"{topic.n:>2}  {topic.id:<24}  " + "  ".join(marks))
    gaps = matrix.gaps()
    counts = {status: sum(1 for c in matrix.cells.values() if c.status == status)
              for status in SYMBOLS}
    summary = (f"{counts[coverage.COVERED]} covered, {counts[coverage.CONDITIONAL]} conditional, "
               f"{counts[coverage.NOT_APPLICABLE]} not applicable, {len(gaps)} missing")
    lines.append("")
    lines.append(summary if not markdown else f"{matrix.clause_count} clauses; {summary}.")
    return "\n".join(lines)


def library_json(matrix: LibraryCoverage, root: str) -> dict[str, Any]:
    """The matrix as JSON-ready data."""
    return {
        "library": root,
        "clauses": matrix.clause_count,
        "jurisdictions": list(JURISDICTIONS),
        "topics": [{
            "id": t.id, "n": t.n, "group": t.group, "title": t.title,
            "cells": {j: {"status": matrix.cells[(t.id, j)].status,
                          "clauses": list(matrix.cells[(t.id, j)].clauses)}
                      for j in JURISDICTIONS},
        } for t in matrix.topics],
        "gaps": [{"topic": t.id, "jurisdiction": j} for t, j in matrix.gaps()],
    }


def profile_text(result: ProfileCoverage, markdown: bool = False) -> str:
    """A profile's coverage: one row per topic, one column per edition."""
    heads = [SHORT[a] for a in result.audiences]
    lines = [f"{result.profile}: {result.expected_count} of {len(result.topics)} topics expected; "
             f"editions: {', '.join(result.audiences)}",
             "✓ covered · ✗ expected but missing · – not expected in this edition", ""]
    if markdown:
        lines.append("| # | topic | " + " | ".join(heads) + " | clauses (legal edition) |")
        lines.append("|---:|---|" + "|".join(":-:" for _ in heads) + "|---|")
    else:
        lines.append(f"{'#':>2}  {'topic':<24}  " + "  ".join(f"{h:<3}" for h in heads)
                     + "  clauses (legal edition)")
    for status in result.topics:
        marks = []
        for audience in result.audiences:
            edition = status.editions[audience]
            marks.append("✓" if edition.expected and edition.clauses
                         else "✗" if edition.expected else "–")
        legal = status.editions["legal"]
        detail = ", ".join(legal.clauses) if status.expected else status.reason
        if markdown:
            lines.append(f"| {status.topic.n} | {status.topic.id} | " + " | ".join(marks)
                         + f" | {detail} |")
        else:
            lines.append(f"{status.topic.n:>2}  {status.topic.id:<24}  "
                         + "   ".join(marks) + f"    {detail}")
    lines.append("")
    if result.gaps:
        lines.append(f"{len(result.gaps)} expected topic(s) missing: " + ", ".join(
            f"{g.topic.id} ({g.audience})" for g in result.gaps))
    else:
        lines.append(f"all {result.expected_count} expected topics covered")
    return "\n".join(lines) + "\n"


def profile_json(result: ProfileCoverage) -> dict[str, Any]:
    """A profile's coverage as JSON-ready data."""
    return {
        "profile": result.profile,
        "editions": list(result.audiences),
        "expected": result.expected_count,
        "topics": [{
            "id": s.topic.id, "n": s.topic.n, "expected": s.expected, "reason": s.reason,
            "editions": {a: {"expected": e.expected, "covered": bool(e.clauses),
                             "clauses": list(e.clauses)} for a, e in s.editions.items()},
        } for s in result.topics],
        "missing": [{"topic": g.topic.id, "edition": g.audience,
                     "candidates": [{"id": cid, "reason": why} for cid, why in g.candidates]}
                    for g in result.gaps],
    }

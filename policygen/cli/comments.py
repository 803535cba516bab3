"""`policygen comments FILE.docx`: the reviewers' comments in a draft, by clause."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from policygen.cli.common import add_format, emit


def register(subparsers: Any) -> None:
    """Add the command."""
    parser = subparsers.add_parser(
        "comments", help="list reviewers' comments in a Word draft, by clause",
        description="List the comments reviewers added to a draft .docx (built with "
                    "`document.status: draft` or `build --draft`), each with the id of the "
                    "clause it sits in, so that it can become a change to the clause library. "
                    "policygen's own provenance comments are left out unless --all is given.")
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE.docx")
    parser.add_argument("--all", action="store_true",
                        help="include policygen's own comments")
    add_format(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the comments; exit 1 if a file is not a readable .docx."""
    from policygen.errors import PolicygenError, Problem
    from policygen.legal.reviewer_comments import ReviewComment, read_comments

    found: list[tuple[str, list[ReviewComment]]] = []
    problems: list[Problem] = []
    for path in args.files:
        try:
            found.append((str(path), read_comments(path, str(path), include_own=args.all)))
        except PolicygenError as exc:
            problems.extend(exc.problems)
    if problems:
        raise PolicygenError(problems)
    if args.format == "json":
        emit(args, [{"file": name, "comments": [
            {"clause": c.clause_id or None, "author": c.author, "date": c.date or None,
             "anchor": c.anchor, "text": c.text} for c in comments]}
            for name, comments in found])
        return 0
    for name, comments in found:
        print(f"{name}: {len(comments)} {'comment' if len(comments) == 1 else 'comments'}")
        for comment in comments:
            where = comment.clause_id or "(before the first clause)"
            when = f" {comment.date}" if comment.date else ""
            print(f"  {where}  {comment.author}{when}")
            if comment.anchor:
                print(f"    on: \u201c{comment.anchor}\u201d")
            for line in comment.text.splitlines() or [""]:
                print(f"    {line}")
    return 0

"""`policygen reference OUT.docx`: the bundled Word styles, for a company to restyle."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from policygen.builds import staging
from policygen.cli.common import add_format, emit
from policygen.errors import Location, UsageError


def register(subparsers: Any) -> None:
    """Add the command."""
    parser = subparsers.add_parser(
        "reference", help="write the bundled reference .docx, to restyle for the company",
        description="Write the reference document policygen takes its Word styles from. Change "
                    "its styles (fonts, colours, headings, tables) in Word or LibreOffice, "
                    "keep the style names, and name the file in the profile as "
                    "`branding.reference_docx` (docs/branding.md).")
    parser.add_argument("file", type=Path, metavar="OUT.docx")
    parser.add_argument("--force", action="store_true", help="replace the file if it exists")
    add_format(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Copy the bundled reference .docx; never overwrite without --force."""
    from policygen.resources import REFERENCE_DOCX

    target: Path = args.file
    if target.suffix.lower() != ".docx":
        raise UsageError.at(Location(str(target)), "the reference document must end in .docx",
                            f"e.g. policygen reference {target.with_suffix('.docx')}")
    if target.is_dir() or (target.exists() and not args.force):
        raise UsageError.at(Location(str(target)), "already exists; nothing was written",
                            "choose another name, or pass --force to replace the file")
    staging.commit([staging.stage(target.parent, target.name, REFERENCE_DOCX.read_bytes())])
    if args.format == "json":
        return emit(args, {"written": [target.as_posix()]})
    if not args.quiet:
        print(f"wrote {target}")
        print(f"Next: restyle it, then set `branding.reference_docx: {target}` in the profile")
    return 0

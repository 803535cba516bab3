"""Regenerate tests/golden from the example profiles (`make golden`); review the diff after.

Text formats are stored as written; binary formats as their read-back text
(`tests.readback.READBACK`, one function per format of the writer registry). Golden files that
no output produces any more are listed, and deleted only with `--delete` (`make golden
DELETE=1`), so that a mistake in a profile cannot silently wipe the reference outputs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from policygen.builds import render
from policygen.core.clauses import load_library
from policygen.writers.registry import writer
from tests.readback import READBACK

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"


def golden_name(relpath: str, fmt: str) -> str:
    """The golden file of an output: its own name, or `<name>.txt` for a binary format."""
    return relpath if not writer(fmt).binary else relpath + ".txt"


def golden_files() -> dict[str, bytes]:
    """Every golden file, by path relative to tests/golden."""
    library = load_library()
    profiles = render.load_profiles(sorted((ROOT / "policies").glob("*.yaml")))
    files: dict[str, bytes] = {}
    for output in render.render_all(library, profiles, render.Selection()):
        if not writer(output.format).binary:
            files[golden_name(output.relpath, output.format)] = output.data
            continue
        if output.format not in READBACK:
            raise SystemExit(f"no read-back for the format {output.format!r}: add one to "
                             "tests/readback.py READBACK")
        text = READBACK[output.format](output.data)
        files[golden_name(output.relpath, output.format)] = text.encode("utf-8")
    return files


def main(argv: list[str] | None = None) -> int:
    """Rewrite changed golden files; delete obsolete ones only when asked."""
    parser = argparse.ArgumentParser(prog="make golden")
    parser.add_argument("--delete", action="store_true",
                        help="also delete golden files that no output produces any more")
    args = parser.parse_args(argv)
    files = golden_files()
    existing = {p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*") if p.is_file()}
    obsolete = sorted(existing - set(files))
    changed = 0
    for relpath, data in sorted(files.items()):
        target = GOLDEN / relpath
        if target.is_file() and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        changed += 1
    print(f"{changed} of {len(files)} golden files written to tests/golden")
    if obsolete and not args.delete:
        print(f"{len(obsolete)} golden files are no longer produced:", file=sys.stderr)
        for relpath in obsolete:
            print(f"  would delete tests/golden/{relpath}", file=sys.stderr)
        print("check that this is intended, then run `make golden DELETE=1`", file=sys.stderr)
        return 1
    for relpath in obsolete:
        (GOLDEN / relpath).unlink()
        print(f"deleted tests/golden/{relpath}")
    for folder in sorted({p for p in GOLDEN.rglob("*") if p.is_dir()}, reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Regenerate tests/golden from the example profiles (`make golden`); review the diff after."""

from __future__ import annotations

import shutil
from pathlib import Path

from policygen.builds import render
from policygen.core.clauses import load_library
from tests.readback import docx_sequence

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"


def golden_files() -> dict[str, bytes]:
    """Every golden file, by path relative to tests/golden."""
    library = load_library()
    profiles = render.load_profiles(sorted((ROOT / "policies").glob("*.yaml")))
    files: dict[str, bytes] = {}
    for output in render.render_all(library, profiles, render.Selection()):
        if output.format == "md":
            files[output.relpath] = output.data
        else:
            lines = [f"{style}\t{text}" for style, text in docx_sequence(output.data)]
            files[output.relpath + ".txt"] = ("\n".join(lines) + "\n").encode("utf-8")
    return files


def main() -> None:
    """Rewrite the golden folder."""
    shutil.rmtree(GOLDEN, ignore_errors=True)
    for relpath, data in golden_files().items():
        target = GOLDEN / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    print(f"wrote {len(list(GOLDEN.rglob('*.*')))} golden files to tests/golden")


if __name__ == "__main__":
    main()

"""Regenerate tests/golden from the example profiles (`make golden`); review the diff after.

Text formats of the writer registry are stored as written; a binary format is stored as the
text its reader in READBACK gives (a .docx as style and text per paragraph). A format with
neither (a PDF through LibreOffice, which is not byte-identical) has no golden file.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from policygen.builds import render
from policygen.core.clauses import load_library
from policygen.writers.registry import WRITERS
from tests.readback import docx_sequence

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
TEXT_FORMATS = frozenset({"md", "html"})


def _docx_text(data: bytes) -> bytes:
    lines = [f"{style}\t{text}" for style, text in docx_sequence(data)]
    return ("\n".join(lines) + "\n").encode("utf-8")


READBACK: dict[str, Callable[[bytes], bytes]] = {"docx": _docx_text}


def golden_files() -> dict[str, bytes]:
    """Every golden file, by path relative to tests/golden."""
    library = load_library()
    profiles = render.load_profiles(sorted((ROOT / "policies").glob("*.yaml")))
    files: dict[str, bytes] = {}
    for output in render.render_all(library, profiles, render.Selection()):
        assert output.format in WRITERS, output.format
        if output.format in TEXT_FORMATS:
            files[output.relpath] = output.data
        elif output.format in READBACK:
            files[output.relpath + ".txt"] = READBACK[output.format](output.data)
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

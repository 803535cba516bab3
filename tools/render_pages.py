"""Render the README pictures: first pages of the Rheinwerk example as small PNGs in docs/images/.

Needs LibreOffice (`soffice`) and poppler (`pdftoppm`). Run after a change to the bundled
design or to the handouts: `.venv/bin/python tools/render_pages.py`, then look at the pictures
and commit them.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policygen.builds import render  # noqa: E402
from policygen.builds.selection import Selection  # noqa: E402
from policygen.core import clauses  # noqa: E402

PAGES = (  # (document, first page, last page, picture name)
    ("employees.en", 1, 2, "guideline"),
    ("employees-summary.en", 1, 1, "summary"),
    ("employees-acknowledgement.en", 1, 1, "acknowledgement"),
)
DPI = "60"


def main() -> None:
    """Build the example in memory, convert to PDF, render the pages."""
    profiles = render.load_profiles([ROOT / "policies" / "rheinwerk.yaml"])
    outputs = render.render_all(clauses.load_library(), profiles,
                               Selection(languages=("en",), formats=("docx",)))
    target = ROOT / "docs" / "images"
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = []
        for output in outputs:
            name = Path(output.relpath).name.removesuffix(".docx")
            if name in {doc for doc, *_ in PAGES}:
                (folder / f"{name}.docx").write_bytes(output.data)
                files.append(str(folder / f"{name}.docx"))
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", tmp, *files],
                       check=True, capture_output=True, timeout=300,
                       env={**os.environ, "HOME": tmp})
        for doc, first, last, picture in PAGES:
            subprocess.run(["pdftoppm", "-png", "-r", DPI, "-f", str(first), "-l", str(last),
                            str(folder / f"{doc}.pdf"), str(target / picture)], check=True)
    for png in sorted(target.glob("*.png")):
        print(f"wrote {png.relative_to(ROOT)} ({png.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()

"""Where policygen's own files are: the bundled clause library, the schemas, the package data.

In an installed wheel the clause library and the schemas sit inside the package
(`policygen/library`, `policygen/schemas`; pip unpacks a wheel, so they are plain files). In a
source checkout, including an editable install, they are the repository's top-level `clauses/`
and `schemas/` folders, so that an edited clause takes effect without reinstalling.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def _bundled(packaged: str, checkout: str) -> Path:
    inside = PACKAGE_DIR / packaged
    return inside if inside.is_dir() else PACKAGE_DIR.parent / checkout


LIBRARY_DIR = _bundled("library", "clauses")
SCHEMA_DIR = _bundled("schemas", "schemas")
DATA_DIR = PACKAGE_DIR / "data"
REFERENCE_DOCX = DATA_DIR / "reference.docx"

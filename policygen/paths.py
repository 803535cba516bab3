"""Where policygen's own files are: the package, the schemas, the bundled clause library."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
SCHEMA_DIR = PROJECT_DIR / "schemas"
LIBRARY_DIR = PROJECT_DIR / "clauses"

"""Content digests of everything an output is made from; no heavy imports (fast no-op builds)."""

from __future__ import annotations

import hashlib
import os
from functools import cache
from pathlib import Path

from policygen.core import layers
from policygen.core.layers import LibrarySpec
from policygen.resources import PACKAGE_DIR, SCHEMA_DIR

# The files of the package that shape outputs: code, words, the reference .docx, font widths.
PROGRAM_SUFFIXES = (".py", ".yaml", ".docx", ".json")


def of_bytes(data: bytes) -> str:
    """A short, stable digest of some bytes."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def of_file(path: Path) -> str:
    """The digest of a file's content."""
    return of_bytes(path.read_bytes())


@cache
def tool() -> str:
    """The digest of policygen itself: its code, bundled data and schemas.

    Any change to the program or the schemas makes every output stale, whatever the version
    number says.
    """
    h = hashlib.blake2b(digest_size=16)
    code = sorted(path for path in _package_files()
                  if path.suffix in PROGRAM_SUFFIXES and "library" not in
                  path.relative_to(PACKAGE_DIR).parts[:1] and "schemas" not in
                  path.relative_to(PACKAGE_DIR).parts[:1])
    for path in code:
        h.update(path.relative_to(PACKAGE_DIR).as_posix().encode())
        h.update(path.read_bytes())
    for path in sorted(SCHEMA_DIR.glob("*.yaml")):
        h.update(f"schemas/{path.name}".encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def _package_files() -> list[Path]:
    """Every file under the package, as rglob("*") finds them.

    Without walking the byte-code folders: they hold only .pyc files, and many.
    """
    found: list[Path] = []
    for folder, dirs, names in os.walk(PACKAGE_DIR):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        base = Path(folder)
        found.extend(base / name for name in names)
    return found


def library_files(library: LibrarySpec) -> dict[str, str]:
    """Digest of every file of a clause library's layers, by manifest key (layers.file_key)."""
    return {name: of_file(path) for name, path in layers.library_files(layers.as_layers(library))}

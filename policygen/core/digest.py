"""Content digests of everything an output is made from; no heavy imports (fast no-op builds)."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from policygen.core import layers
from policygen.core.layers import LibrarySpec
from policygen.resources import PACKAGE_DIR, SCHEMA_DIR


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
    code = sorted(path for path in PACKAGE_DIR.rglob("*")
                  if path.suffix in (".py", ".yaml", ".docx") and "library" not in
                  path.relative_to(PACKAGE_DIR).parts[:1] and "schemas" not in
                  path.relative_to(PACKAGE_DIR).parts[:1])
    for path in code:
        h.update(path.relative_to(PACKAGE_DIR).as_posix().encode())
        h.update(path.read_bytes())
    for path in sorted(SCHEMA_DIR.glob("*.yaml")):
        h.update(f"schemas/{path.name}".encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def library_files(library: LibrarySpec) -> dict[str, str]:
    """Digest of every file of a clause library's layers, by manifest key (layers.file_key)."""
    return {name: of_file(path) for name, path in layers.library_files(layers.as_layers(library))}

"""Content digests of everything an output is made from; no heavy imports (fast no-op builds)."""

from __future__ import annotations

import hashlib
import json
import os
import time
from functools import cache
from pathlib import Path
from typing import Any

from policygen.core import layers
from policygen.core.layers import LibrarySpec
from policygen.resources import PACKAGE_DIR, SCHEMA_DIR

# The files of the package that shape outputs: code, words, the reference .docx, font widths.
PROGRAM_SUFFIXES = (".py", ".yaml", ".docx", ".json")


def of_bytes(data: bytes) -> str:
    """A short, stable digest of some bytes."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def of_file(path: Path | str) -> str:
    """The digest of a file's content."""
    with open(path, "rb") as handle:  # noqa: PTH123 - str paths: no pathlib on a no-op build
        return of_bytes(handle.read())


# Digests of files by their stat (size, mtime, ctime, inode), kept in the per-user cache: a
# file whose stat is as recorded is not read again. A file changed in the last RACY_SECONDS is
# not recorded, so that an edit within the clock's resolution of the recording is never
# missed; ctime cannot be set back by a program that restores mtimes (tar, rsync -a).
RACY_SECONDS = 2.0
MAX_KNOWN = 20_000
_KNOWN: dict[str, list[Any]] | None = None
_UNSAVED = [False]


def _known() -> dict[str, list[Any]]:
    global _KNOWN
    if _KNOWN is None:
        from policygen.core import cache  # cache keys use this module's digests

        found = cache.read_json("digests", "files.json")
        _KNOWN = {name: entry for name, entry in found.items()
                  if isinstance(entry, list) and len(entry) == 5
                  and all(type(n) is int for n in entry[:4]) and isinstance(entry[4], str)
                  } if isinstance(found, dict) else {}
    return _KNOWN


def of_file_known(path: Path | str) -> str:
    """The digest of a file's content, from the recorded digests where its stat is unchanged."""
    name = os.fspath(path)
    info = os.stat(name)  # noqa: PTH116 - str paths: pathlib costs more than the stat
    if not name.startswith("/"):
        name = os.path.join(os.getcwd(), name)  # noqa: PTH109, PTH118 - as Path.absolute()
    stat = [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]
    known = _known()
    entry = known.get(name)
    if entry is not None and entry[:4] == stat:
        return str(entry[4])
    found = of_file(name)
    if time.time_ns() - max(info.st_mtime_ns, info.st_ctime_ns) > RACY_SECONDS * 1e9:
        if len(known) >= MAX_KNOWN:
            known.clear()
        known[name] = [*stat, found]
        _UNSAVED[0] = True
    return found


def save_known() -> None:
    """Keep the recorded digests for the next run, if any were added."""
    if _UNSAVED[0] and _KNOWN is not None:
        from policygen.core import cache

        cache.write("digests", "files.json", json.dumps(_KNOWN, separators=(",", ":")).encode())
        _UNSAVED[0] = False


@cache
def tool() -> str:
    """The digest of policygen itself: its code, bundled data and schemas.

    Any change to the program or the schemas makes every output stale, whatever the version
    number says.
    """
    h = hashlib.blake2b(digest_size=16)
    for relpath, file in program_files():
        h.update(relpath.encode())
        h.update(of_file_known(file).encode())
    for path in sorted(SCHEMA_DIR.glob("*.yaml")):
        h.update(f"schemas/{path.name}".encode())
        h.update(of_file_known(path).encode())
    return h.hexdigest()


def program_files() -> list[tuple[str, str]]:
    """(name in the package, path) of its files that shape outputs, sorted by name.

    Not the bundled library or schemas of a wheel (digested on their own), nor the byte-code
    folders: they hold only .pyc files, and many.
    """
    base = os.fspath(PACKAGE_DIR)
    found: list[tuple[str, str]] = []
    for folder, dirs, names in os.walk(base):
        relative = folder[len(base) + 1:]
        if not relative:
            dirs[:] = [d for d in dirs if d not in ("library", "schemas", "__pycache__")]
        else:
            dirs[:] = [d for d in dirs if d != "__pycache__"]
        prefix = relative.replace(os.sep, "/") + "/" if relative else ""
        found.extend((prefix + name, os.path.join(folder, name))  # noqa: PTH118 - str paths
                     for name in names if name.endswith(PROGRAM_SUFFIXES))
    return sorted(found)


def library_files(library: LibrarySpec) -> dict[str, str]:
    """Digest of every file of a clause library's layers, by manifest key (layers.file_key)."""
    return {name: of_file_known(path)
            for name, path in layers.library_files(layers.as_layers(library))}

"""A build that found nothing to do, remembered by the stat of everything it read.

When a build decides from the digests that every output is current, it records the stat
(size, mtime, ctime, inode) of each file and folder that decision read: the manifest, the
profiles, their assets and outputs, the library and policygen's own files, with the folders
whose listing it used. The next build with the same inputs stats them again and stops when
every one is as recorded, without reading the manifest or hashing anything.

Nothing is recorded while any of them changed within the last RACY_SECONDS (an edit within
the clock's resolution would go unseen), and ctime cannot be set back by a program that
restores mtimes. The record lives in the per-user cache, under a key of the build's own
inputs (working folder, profiles, output folder, library, selection) and of the program
(Python, and the folder policygen runs from: another checkout is another program).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from policygen.builds.report import BuildReport
from policygen.core import cache, digest, layers
from policygen.core.layers import LibrarySpec
from policygen.errors import display
from policygen.resources import PACKAGE_DIR, SCHEMA_DIR

if TYPE_CHECKING:
    from policygen.builds.plan import Plan
    from policygen.builds.selection import Selection

KIND = "digests"
RACY_SECONDS = digest.RACY_SECONDS


def current(paths: list[Path], out_dir: Path, library: LibrarySpec, selection: Selection,
            *, force: bool = False, complete: bool = False, lint: str = "warn"
            ) -> BuildReport | None:
    """The report of a build with nothing to do; None when the build must decide.

    Nothing to do: a build with these inputs recorded that every file it read is as it is
    now. Read without the output folder's lock: it writes nothing, and a build that is writing
    changes what was recorded.
    """
    if force or selection.partial or not nothing_changed(key(paths, out_dir, library, selection,
                                                   complete=complete, lint=lint)):
        return None
    return BuildReport(current=[display(path) for path in paths])


def key(paths: list[Path], out_dir: Path, library: LibrarySpec, selection: Selection,
        *, complete: bool, lint: str) -> str:
    """The record's name: a digest of what the build was asked to do, and where."""
    stack = layers.as_layers(library)
    parts = [sys.version, sys.executable, os.fspath(PACKAGE_DIR),  # the program that records
             os.getcwd(), os.path.abspath(out_dir),  # noqa: PTH100, PTH109 - str paths
             repr(selection), repr((complete, lint)),
             *(f"{layer.name}\0{os.path.abspath(layer.root)}" for layer in stack),  # noqa: PTH100
             *(os.fspath(path) for path in paths)]
    return "noop-" + digest.of_bytes("\0\0".join(parts).encode("utf-8", "surrogateescape"))


def _stat(path: str) -> list[int] | None:
    try:
        info = os.stat(path)  # noqa: PTH116 - str paths: a few thousand stats, no pathlib
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]


def _read(plan: Plan, paths: list[Path], out_dir: Path, library: LibrarySpec) -> list[str]:
    """Every file and folder whose content or listing the plan's decision depended on."""
    found = [os.fspath(out_dir), os.fspath(out_dir / "manifest.json")]
    found += (os.fspath(path) for path in paths)
    for name, record in plan.manifest.profiles.items():
        found.append(name)  # a recorded profile whose file is gone has outputs to remove
        found += record.assets
        found += {os.fspath(out_dir / relpath.partition("/")[0]) for relpath in record.outputs}
        found += (os.fspath(out_dir / relpath) for relpath in record.outputs)
    stack = layers.as_layers(library)
    for layer in stack:
        root = os.fspath(layer.root)
        found.append(root)
        found += (entry.path for entry in os.scandir(root) if entry.is_dir())
    found += (os.fspath(path) for _, path in layers.library_files(stack))
    program = digest.program_files()
    found += sorted({os.path.dirname(path) for _, path in program})  # noqa: PTH120
    found += (path for _, path in program)
    found.append(os.fspath(SCHEMA_DIR))
    found += (os.fspath(path) for path in sorted(SCHEMA_DIR.glob("*.yaml")))
    return found


def remember(name: str, plan: Plan, paths: list[Path], out_dir: Path,
             library: LibrarySpec) -> None:
    """Record a build that found nothing to do (unless something changed just now)."""
    try:
        files = _read(plan, paths, out_dir, library)
    except OSError:
        return
    stats = [_stat(path) for path in files]
    recent = time.time_ns() - int(RACY_SECONDS * 1e9)
    if any(stat is None or max(stat[1], stat[2]) > recent for stat in stats):
        return  # something is missing or was changed just now: the next build decides again
    rows = [[path, *stat] for path, stat in zip(files, stats, strict=True) if stat is not None]
    cache.write(KIND, name, json.dumps(rows, separators=(",", ":")).encode("utf-8"))


def nothing_changed(name: str) -> bool:
    """Whether a build recorded under this name read exactly the files that are there now."""
    raw = cache.read(KIND, name)
    if raw is None:
        return False
    try:
        rows = json.loads(raw)
    except ValueError:
        return False
    if not isinstance(rows, list) or not rows:
        return False
    for row in rows:
        if not (isinstance(row, list) and len(row) == 5 and isinstance(row[0], str)):
            return False
        if _stat(row[0]) != row[1:]:
            return False
    return True

"""Writing outputs safely: a folder lock, staged temporary files, and atomic renames.

Outputs are first written to hidden temporary files beside their targets; only when every
output of a build is staged are they renamed into place. A build that fails or is killed
leaves each earlier output as it was: a file is either wholly old or wholly new.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from policygen.errors import Location, OutputError

LOCK_NAME = ".policygen.lock"


def _file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


FILE_MODE = _file_mode()  # what open() would give a new file under this process's umask
_TMP_SUFFIX = ".tmp"


@dataclass(frozen=True)
class Staged:
    """A file written to a temporary name, waiting to be renamed into place."""

    relpath: str
    temp: Path
    target: Path


def _fail(path: Path, exc: OSError) -> OutputError:
    return OutputError.at(Location(str(path)), f"cannot write output: {exc.strerror or exc}",
                          "check that the output folder is writable and the disk has space")


@contextlib.contextmanager
def locked(out_dir: Path) -> Iterator[None]:
    """Hold the output folder's lock; fail at once if another build holds it."""
    created = [p for p in (out_dir, *out_dir.parents) if not p.exists()]
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        handle = (out_dir / LOCK_NAME).open("a")
    except OSError as exc:
        raise _fail(out_dir, exc) from None
    with handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputError.at(Location(str(out_dir)),
                                 f"another policygen build is writing to {out_dir}",
                                 f"wait for it to finish; it holds {out_dir / LOCK_NAME}"
                                 ) from None
        try:
            yield
        finally:
            if created and [p.name for p in out_dir.iterdir()] == [LOCK_NAME]:
                # A first build that failed leaves no trace, not even the folders it made.
                (out_dir / LOCK_NAME).unlink()
                for folder in created:
                    folder.rmdir()
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def remove_leftovers(out_dir: Path) -> None:
    """Delete temporary files a killed build left behind (call while holding the lock)."""
    for leftover in out_dir.glob(f"*/.*{_TMP_SUFFIX}"):
        leftover.unlink(missing_ok=True)


def stage(out_dir: Path, relpath: str, data: bytes) -> Staged:
    """Write data to a temporary file beside its target."""
    target = out_dir / relpath
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                    suffix=_TMP_SUFFIX)
    except OSError as exc:
        raise _fail(target.parent, exc) from None
    temp = Path(name)
    try:
        os.fchmod(fd, FILE_MODE)  # mkstemp makes files private; outputs are ordinary files
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise _fail(target, exc) from None
    return Staged(relpath, temp, target)


def discard(staged: list[Staged]) -> None:
    """Remove staged files after a failure."""
    for item in staged:
        item.temp.unlink(missing_ok=True)


def commit(staged: list[Staged]) -> None:
    """Rename every staged file into place."""
    try:
        for item in staged:
            item.temp.replace(item.target)
    except OSError as exc:
        discard(staged)
        raise _fail(Path(exc.filename or "."), exc) from None


def remove(out_dir: Path, relpaths: list[str]) -> None:
    """Delete outputs that no longer belong, and folders they leave empty."""
    for relpath in relpaths:
        path = out_dir / relpath
        path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            path.parent.rmdir()

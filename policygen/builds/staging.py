"""Writing outputs safely: a folder lock, staged temporary files, and atomic renames.

Outputs are first written to hidden temporary files beside their targets; only when every
output of a build is staged are they renamed into place. A build that fails or is killed
leaves each earlier output as it was: a file is either wholly old or wholly new.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from policygen.builds.outputs import is_output_name
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
    created: tuple[Path, ...] = ()  # folders stage made for it, innermost first


def _fail(path: Path, exc: OSError) -> OutputError:
    return OutputError.at(Location(str(path)), f"cannot write output: {exc.strerror or exc}",
                          "check that the output folder is writable and the disk has space")


def _refuse(path: Path, what: str) -> OutputError:
    return OutputError.at(Location(str(path)), f"{what} is a symbolic link; policygen does not "
                          "write through links", "remove the link; policygen creates the "
                          "folders and files it needs inside the output folder")


def _open_lock(out_dir: Path) -> tuple[int, bool]:
    """Open (or create) the lock file without following a link; (fd, whether it was new)."""
    path = out_dir / LOCK_NAME
    flags = os.O_WRONLY | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        return os.open(path, flags | os.O_CREAT | os.O_EXCL, FILE_MODE), True
    except FileExistsError:
        pass
    try:
        fd = os.open(path, flags | os.O_NONBLOCK)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _refuse(path, "the lock file") from None
        raise
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise OutputError.at(Location(str(path)), "the lock file is not an ordinary file",
                             f"remove {path}")
    return fd, False


@contextlib.contextmanager
def locked(out_dir: Path) -> Iterator[None]:
    """Hold the output folder's lock; fail at once if another build holds it.

    A build that fails leaves no trace of itself in a folder it created or found empty:
    neither the lock file nor company folders (the staged files are discarded by then).
    """
    created = [p for p in (out_dir, *out_dir.parents) if not p.exists()]
    if out_dir.is_symlink() and not out_dir.exists():
        raise _refuse(out_dir, "the output folder")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        fd, new_lock = _open_lock(out_dir)
    except OSError as exc:
        raise _fail(out_dir, exc) from None
    with os.fdopen(fd, "a") as handle:
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
            if (created or new_lock) and _only_lock(out_dir):
                # A first build that failed leaves no trace, not even the folders it made.
                (out_dir / LOCK_NAME).unlink(missing_ok=True)
                for folder in created:
                    with contextlib.suppress(OSError):
                        folder.rmdir()
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _only_lock(out_dir: Path) -> bool:
    try:
        return [p.name for p in out_dir.iterdir()] == [LOCK_NAME]
    except OSError:
        return False


# The temporary names policygen gives: `.<output name>.<8 random characters>.tmp` beside an
# output, `<state file>.<8 random characters>.tmp` in the output folder (mkstemp's names).
_RANDOM = r"\.[a-z0-9_]{8}" + re.escape(_TMP_SUFFIX)
_STATE_TEMP = re.compile(r"(?:manifest\.json|\.gitignore|\.policygen-stat\.json)" + _RANDOM)
_OUTPUT_TEMP = re.compile(r"\.(?P<name>.+)" + _RANDOM)


def remove_leftovers(out_dir: Path) -> None:
    """Delete temporary files a killed build left behind (call while holding the lock).

    Only names policygen itself gives are touched, never a user's own `.notes.tmp`, and never
    inside a company folder that is a link.
    """
    try:
        entries = list(out_dir.iterdir())
    except OSError:
        return
    for entry in entries:
        if _STATE_TEMP.fullmatch(entry.name) and entry.is_file() and not entry.is_symlink():
            entry.unlink(missing_ok=True)
        elif entry.is_dir() and not entry.is_symlink():
            for leftover in entry.glob(f".*{_TMP_SUFFIX}"):
                match = _OUTPUT_TEMP.fullmatch(leftover.name)
                if match and is_output_name(f"{entry.name}/{match.group('name')}") \
                        and not leftover.is_symlink() and leftover.is_file():
                    leftover.unlink(missing_ok=True)


def confined(out_dir: Path, relpath: str) -> Path:
    """The path of relpath inside out_dir; OutputError if it would leave it or pass a link."""
    parts = relpath.split("/")
    if not relpath or relpath.startswith("/") or any(p in ("", ".", "..") for p in parts) \
            or "\\" in relpath or "\0" in relpath:
        raise OutputError.at(Location(str(out_dir)), f"refusing to write '{relpath[:60]}': "
                             "not a path inside the output folder",
                             "output paths are <company>/<file>; check manifest.json")
    path = out_dir
    for part in parts[:-1]:
        path = path / part
        if path.is_symlink():
            raise _refuse(path, "the company folder")
    path = path / parts[-1]
    if path.is_symlink():
        raise _refuse(path, "the output file")
    return path


def stage(out_dir: Path, relpath: str, data: bytes) -> Staged:
    """Write data to a temporary file beside its target."""
    target = confined(out_dir, relpath)
    created: list[Path] = []  # confined() joined the path onto out_dir: it ends there
    folder = target.parent
    while folder != out_dir and not folder.exists():
        created.append(folder)
        folder = folder.parent
    try:
        if created or folder == target.parent and not folder.exists():  # the folder itself
            target.parent.mkdir(parents=True, exist_ok=True)
        import tempfile  # only when something is written

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
        _remove_empty(tuple(created))
        raise _fail(target, exc) from None
    return Staged(relpath, temp, target, tuple(created))


def _remove_empty(folders: tuple[Path, ...]) -> None:
    for folder in folders:
        with contextlib.suppress(OSError):
            folder.rmdir()


def discard(staged: list[Staged]) -> None:
    """Remove staged files after a failure."""
    for item in staged:
        item.temp.unlink(missing_ok=True)
    for item in staged:
        _remove_empty(item.created)


def commit(staged: list[Staged]) -> None:
    """Rename every staged file into place."""
    try:
        for item in staged:
            item.temp.replace(item.target)
    except OSError as exc:
        discard(staged)
        raise _fail(Path(exc.filename or "."), exc) from None


def remove(out_dir: Path, relpaths: list[str]) -> None:
    """Delete outputs that no longer belong, and company folders they leave empty.

    Only names `outputs.output_name` gives are deleted, inside out_dir and never through a
    link; anything else in the list (a tampered manifest) is left alone.
    """
    for relpath in relpaths:
        if not is_output_name(relpath):
            continue
        try:
            path = confined(out_dir, relpath)
        except OutputError:
            continue
        if path.is_file():
            path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            if path.parent.parent == out_dir and not path.parent.is_symlink():
                path.parent.rmdir()

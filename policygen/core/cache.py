"""A per-user cache of work that depends only on file contents: checked clauses, compiled templates.

Keys are digests of everything the result depends on (the program and schemas, the file's
bytes, its display name), so a stale entry can never be used. The cache holds data (JSON,
and pickles that carry their digest and are read with an allow-list of plain classes) and
jinja2's own compiled template code (marshal, as jinja2's bytecode cache does), in a folder only
the current user can write. Set POLICYGEN_CACHE_DIR to move it, or to `off` to disable it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import pickle
import sys
from collections.abc import Callable, Collection
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, TypeGuard, TypeVar

from policygen.core import digest


@cache
def folder() -> Path | None:
    """The cache folder, created on first use; None when caching is off or unusable."""
    setting = os.environ.get("POLICYGEN_CACHE_DIR")
    if setting is not None and setting.strip().lower() in ("", "off", "0", "none"):
        return None
    if setting:
        base = Path(setting)
    else:
        xdg = os.environ.get("XDG_CACHE_HOME")
        base = (Path(xdg) if xdg else Path.home() / ".cache") / "policygen"
    try:
        base.mkdir(parents=True, exist_ok=True, mode=0o700)
        info = base.stat()
        if info.st_uid != os.getuid() or info.st_mode & 0o022:
            return None  # someone else could plant entries: do not trust it
    except OSError:
        return None
    return base


def key(*parts: str | bytes) -> str:
    """A cache key from the program's digest and the given parts."""
    data = b"\0".join(p if isinstance(p, bytes) else p.encode("utf-8") for p in parts)
    return digest.of_bytes(digest.tool().encode() + b"\0" + data)


def read(kind: str, name: str) -> bytes | None:
    """A cached entry, or None."""
    base = folder()
    if base is None:
        return None
    try:
        return (base / kind / name).read_bytes()
    except OSError:
        return None


def write(kind: str, name: str, data: bytes) -> None:
    """Store an entry atomically; a cache that cannot be written is simply not used."""
    base = folder()
    if base is None:
        return
    with contextlib.suppress(OSError):
        target = base / kind
        target.mkdir(exist_ok=True, mode=0o700)
        import tempfile  # only when something is written

        fd, tmp = tempfile.mkstemp(dir=target, prefix=".", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        Path(tmp).replace(target / name)


def touch(kind: str, name: str) -> bool:
    """Mark an entry as recently used, so that `prune` keeps it; whether there is one."""
    base = folder()
    if base is not None:
        try:
            os.utime(base / kind / name)
        except OSError:
            return False
        return True
    return False


_SEAL = b"PGC1"


def seal(payload: bytes) -> bytes:
    """An entry that carries the digest of its payload (a damaged or cut entry is never read)."""
    return _SEAL + hashlib.blake2b(payload, digest_size=16).digest() + payload


def unseal(raw: bytes | None) -> bytes | None:
    """The payload of a sealed entry whose digest matches, else None."""
    if raw is None or raw[:4] != _SEAL:
        return None
    payload = raw[20:]
    if hashlib.blake2b(payload, digest_size=16).digest() != raw[4:20]:
        return None
    return payload


class _Restricted(pickle.Unpickler):
    """Unpickling that can create only the listed classes.

    Nothing else a tampered entry names (os.system, builtins.eval, ...) can be reached, so
    loading it runs no code of its own.
    """

    def __init__(self, data: bytes, allowed: Collection[tuple[str, str]]) -> None:
        super().__init__(io.BytesIO(data))
        self.allowed = allowed

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in self.allowed:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a cache entry")
        found = _FOUND.get((module, name))
        if found is None:
            found = _FOUND[(module, name)] = super().find_class(module, name)
        return found


# Allowed classes found before: every record of a fragment entry names the same few.
_FOUND: dict[tuple[str, str], Any] = {}


def loads(payload: bytes, allowed: Collection[tuple[str, str]]) -> Any:
    """Unpickle an entry's payload with only the `allowed` (module, name) classes.

    None if it names anything else or is damaged.
    """
    try:
        return _Restricted(payload, allowed).load()
    except Exception:  # noqa: BLE001 - a damaged or foreign entry is simply not used
        return None


def _encode_date(value: Any) -> Any:
    """A date as JSON (`json.dumps` asks only for what it cannot encode itself)."""
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    raise TypeError(f"{type(value).__name__} is not kept in a JSON entry")


def _decode_date(value: dict[str, Any]) -> Any:
    if len(value) == 1 and "$date" in value:
        return dt.date.fromisoformat(value["$date"])
    return value


def read_json(kind: str, name: str) -> Any:
    """A cached JSON entry (dates restored), or None."""
    raw = read(kind, name)
    if raw is None:
        return None
    try:
        return json.loads(raw, object_hook=_decode_date)
    except ValueError:
        return None


def write_json(kind: str, name: str, value: Any) -> None:
    """Store a JSON entry (dates encoded)."""
    write(kind, name, json.dumps(value, ensure_ascii=False, default=_encode_date,
                                 separators=(",", ":")).encode("utf-8"))


Checked = TypeVar("Checked")


def checked_file(kind: str, path: Path, shown: str, check: Callable[[], Checked],
                 valid: Callable[[object], TypeGuard[Checked]]) -> Checked:
    """The plain data `check` makes of a library file, kept per file content and name.

    A file checked before is not parsed or validated again; `valid` tells whether a kept
    entry has the shape `check` gives (anything else is checked again).
    """
    try:
        entry = key(kind, shown, path.read_bytes())
    except OSError:
        entry = ""
    known = read_json(kind, entry) if entry else None
    if valid(known):
        return known
    data = check()
    if entry:
        write_json(kind, entry, data)
    return data


@lru_cache(maxsize=1)
def renderers() -> str:
    """What rendering depends on besides policygen: Python, jinja2 and markdown-it-py.

    The same whether or not they are imported yet: an entry is read before rendering and
    written after it, and both must name the same entry.
    """
    from importlib.util import find_spec

    found = []
    for module in ("jinja2", "markdown_it"):
        spec = find_spec(module)
        origin = spec.origin if spec is not None else None
        try:
            version = f"{origin}:{Path(origin).stat().st_mtime_ns}" if origin else "-"
        except OSError:
            version = "-"
        found.append(f"{module}={version}")
    return f"{sys.version};{';'.join(found)}"


def prune(kind: str, limit: int) -> None:
    """Remove a folder's least recently used entries while it holds more than `limit` bytes.

    Down to three quarters of the limit, so that the next builds do not prune again at once.
    """
    base = folder()
    if base is None:
        return
    with contextlib.suppress(OSError):
        entries = []
        total = 0
        with os.scandir(base / kind) as found:
            for entry in found:
                with contextlib.suppress(OSError):
                    info = entry.stat()
                    entries.append((info.st_mtime_ns, info.st_size, entry.path))
                    total += info.st_size
        if total <= limit:
            return
        for _, size, path in sorted(entries):
            with contextlib.suppress(OSError):
                Path(path).unlink()
                total -= size
            if total <= limit * 3 // 4:
                break

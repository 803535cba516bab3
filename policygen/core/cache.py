"""A per-user cache of work that depends only on file contents: checked clauses, compiled templates.

Keys are digests of everything the result depends on (the program and schemas, the file's
bytes, its display name), so a stale entry can never be used. The cache holds data (JSON) and
jinja2's own compiled template code (marshal, as jinja2's bytecode cache does), in a folder only
the current user can write. Set POLICYGEN_CACHE_DIR to move it, or to `off` to disable it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

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
        fd, tmp = tempfile.mkstemp(dir=target, prefix=".", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        Path(tmp).replace(target / name)


def _encode(value: Any) -> Any:
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    return value


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
    write(kind, name, json.dumps(_encode(value), ensure_ascii=False,
                                 separators=(",", ":")).encode("utf-8"))

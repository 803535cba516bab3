"""Reading a file a profile or a manifest names: a regular file of bounded size, or nothing.

A FIFO would block the build, a link to /dev/zero or /dev/urandom would never end, a socket
or a device is not a document. The file is opened without blocking and checked with fstat
on the open descriptor (so a swap of the file between the check and the read changes
nothing), then read up to its limit.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

MAX_ASSET_BYTES = 20 * 1024 * 1024  # the largest reference .docx or logo policygen reads


class NotRegularFile(OSError):
    """The path names a folder, a FIFO, a device or a socket, not an ordinary file."""

    def __init__(self, kind: str) -> None:
        super().__init__(f"is a {kind}, not an ordinary file")
        self.kind = kind


class TooLarge(OSError):
    """The file is larger than the caller's limit."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"has {size:,} bytes, more than the {limit:,} allowed")
        self.size = size
        self.limit = limit


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISFIFO(mode):
        return "named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "special file"


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of an ordinary file of at most `limit` bytes.

    Raises FileNotFoundError, PermissionError, NotRegularFile, TooLarge or another OSError.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(_kind(info.st_mode))
        if info.st_size > limit:
            raise TooLarge(info.st_size, limit)
        chunks = []
        remaining = limit + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        data = b"".join(chunks)
        if len(data) > limit:
            raise TooLarge(len(data), limit)
        return data
    finally:
        os.close(fd)


def describe(exc: OSError) -> str:
    """A short reason for a failed read, for a message."""
    if isinstance(exc, (NotRegularFile, TooLarge)):
        return str(exc)
    if isinstance(exc, FileNotFoundError):
        return "not found"
    if isinstance(exc, IsADirectoryError):
        return "is a folder, not an ordinary file"
    return str(exc.strerror or exc)

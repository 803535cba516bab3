"""A deterministic zip writer: fixed timestamps, given entry order, cached compression.

The standard library's zipfile stamps entries with the clock unless told otherwise and
recompresses unchanged parts on every save. Office packages repeat large unchanged parts
(styles, theme, fonts) in every document, so their compressed form is cached by content.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from collections.abc import Collection, Iterable

_DOS_TIME = 0
_DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01, the earliest date a zip can carry
_CACHE: dict[bytes, tuple[int, bytes]] = {}
_LEVEL = 3  # a third of level 6's time for files about 13% larger
_CACHE_MAX_ENTRIES = 256


def _compress(data: bytes, shared: bool) -> tuple[int, bytes]:
    key = b""
    if shared:
        key = hashlib.blake2b(data, digest_size=16).digest()
        hit = _CACHE.get(key)
        if hit is not None:
            return hit
    compressor = zlib.compressobj(_LEVEL, zlib.DEFLATED, -15)
    result = (zlib.crc32(data), compressor.compress(data) + compressor.flush())
    if key:
        if len(_CACHE) >= _CACHE_MAX_ENTRIES:
            _CACHE.clear()
        _CACHE[key] = result
    return result


def write_zip(entries: Iterable[tuple[str, bytes]], shared: Collection[str] = ()) -> bytes:
    """Return a zip archive of the entries, in the given order, deflated, with fixed dates.

    Entries named in `shared` recur unchanged in many archives (a template's styles, theme,
    fonts); their compressed form is computed once per process.
    """
    body = bytearray()
    central = bytearray()
    count = 0
    for name, data in entries:
        raw_name = name.encode("utf-8")
        crc, packed = _compress(data, name in shared)
        offset = len(body)
        body += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0x0800, 8, _DOS_TIME, _DOS_DATE,
                            crc, len(packed), len(data), len(raw_name), 0)
        body += raw_name
        body += packed
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0x0800, 8, _DOS_TIME,
                               _DOS_DATE, crc, len(packed), len(data), len(raw_name), 0, 0, 0,
                               0, 0, offset)
        central += raw_name
        count += 1
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(central), len(body), 0)
    return bytes(body + central + end)

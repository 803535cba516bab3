"""A deterministic zip writer: fixed timestamps, given entry order, cached compression.

The standard library's zipfile stamps entries with the clock unless told otherwise and
recompresses unchanged parts on every save. Office packages repeat large unchanged parts
(styles, theme, fonts) in every document, so their compressed form is cached by content.

A large part may be given as segments (`Segmented`): each is deflated on its own, ending at a
byte boundary, so the part's deflate stream is the segments' streams one after another. A
segment can then be replaced without deflating the others again (builds/splice.py), and the
result is the same bytes a whole write gives.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

_DOS_TIME = 0
_DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01, the earliest date a zip can carry
_CACHE: dict[bytes, tuple[int, bytes]] = {}
_LEVEL = 3  # a third of level 6's time for files about 13% larger
_CACHE_MAX_ENTRIES = 256
_END_OF_STREAM = b"\x03\x00"  # an empty final block: what a deflater flushes when finished


@dataclass(frozen=True)
class Deflated:
    """One segment of a part, deflated: its stream, length and CRC-32 before compression."""

    packed: bytes
    size: int
    crc: int


@dataclass(frozen=True)
class Segmented:
    """A part given as deflated segments, in order (see `deflate_segment`), with its CRC-32."""

    segments: tuple[Deflated, ...]
    crc: int

    @classmethod
    def of(cls, segments: Sequence[Deflated]) -> Segmented:
        """The part of these segments, its CRC-32 combined from theirs (see `crc32_combine`)."""
        crc = 0
        for segment in segments:
            crc = crc32_combine(crc, segment.crc, segment.size)
        return cls(tuple(segments), crc)

    @property
    def size(self) -> int:
        """The part's length before compression."""
        return sum(s.size for s in self.segments)

    @property
    def packed(self) -> bytes:
        """The part's deflate stream."""
        return b"".join(s.packed for s in self.segments) + _END_OF_STREAM


@dataclass(frozen=True)
class Raw:
    """An entry's deflated bytes as read back (`read_entries`), to be written unchanged."""

    crc: int
    size: int
    packed: bytes


def deflate_segment(data: bytes, crc: int | None = None) -> Deflated:
    """A segment deflated on its own, flushed to a byte boundary, not final.

    `crc`: its CRC-32 where the caller has it (or has no use for it: 0).
    """
    compressor = zlib.compressobj(_LEVEL, zlib.DEFLATED, -15)
    packed = compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)
    return Deflated(packed, len(data), zlib.crc32(data) if crc is None else crc)


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


def write_zip(entries: Iterable[tuple[str, bytes | Segmented | Raw]],
              shared: Collection[str] = ()) -> bytes:
    """Return a zip archive of the entries, in the given order, deflated, with fixed dates.

    Entries named in `shared` recur unchanged in many archives (a template's styles, theme,
    fonts); their compressed form is computed once per process.
    """
    body = bytearray()
    central = bytearray()
    count = 0
    for name, data in entries:
        raw_name = name.encode("utf-8")
        if isinstance(data, (Segmented, Raw)):
            crc, packed, size = data.crc, data.packed, data.size
        else:
            (crc, packed), size = _compress(data, name in shared), len(data)
        offset = len(body)
        body += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0x0800, 8, _DOS_TIME, _DOS_DATE,
                            crc, len(packed), size, len(raw_name), 0)
        body += raw_name
        body += packed
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0x0800, 8, _DOS_TIME,
                               _DOS_DATE, crc, len(packed), size, len(raw_name), 0, 0, 0,
                               0, 0, offset)
        central += raw_name
        count += 1
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(central), len(body), 0)
    return bytes(body + central + end)


def read_entries(data: bytes) -> list[tuple[str, int, int, bytes]]:
    """(name, CRC-32, length, deflated bytes) of every entry of a zip `write_zip` wrote.

    Raises ValueError for anything else (another writer's zip, cut or altered bytes).
    """
    try:
        return _entries(data)
    except (struct.error, UnicodeDecodeError) as exc:
        raise ValueError(str(exc)) from None


def _entries(data: bytes) -> list[tuple[str, int, int, bytes]]:
    if len(data) < 22:
        raise ValueError("too short")
    end = data[-22:]
    signature, _, _, count, total, size, start, comment = struct.unpack("<IHHHHIIH", end)
    if signature != 0x06054B50 or count != total or comment or start + size != len(data) - 22:
        raise ValueError("not a zip written here")
    entries = []
    at = start
    for _ in range(count):
        fields = struct.unpack_from("<IHHHHHHIIIHHHHHII", data, at)
        if fields[0] != 0x02014B50 or fields[4] != 8 or fields[11:16] != (0, 0, 0, 0, 0):
            raise ValueError("not a zip written here")
        crc, packed_len, length, name_len, offset = fields[7], fields[8], fields[9], \
            fields[10], fields[16]
        name = data[at + 46:at + 46 + name_len]
        at += 46 + name_len
        local = struct.unpack_from("<IHHHHHIIIHH", data, offset)
        if local != (0x04034B50, 20, 0x0800, 8, _DOS_TIME, _DOS_DATE, crc, packed_len, length,
                     name_len, 0) or data[offset + 30:offset + 30 + name_len] != name:
            raise ValueError("not a zip written here")
        begin = offset + 30 + name_len
        if begin + packed_len > start:
            raise ValueError("cut")
        entries.append((name.decode("utf-8"), crc, length, data[begin:begin + packed_len]))
    return entries


# CRC-32 is affine in its input: crc(B, start=s) ^ crc(B, start=0) does not depend on B, only
# on its length, so it is the same for as many zero bytes: crc32(A + B) = crc32(B) ^ S(crc32(A)),
# S shifting a CRC through len(B) zero bytes without the pre- and post-inversion zlib applies,
# which is zlib's own run over them from the inverted start, inverted. zlib runs over zeros fast.
_ZEROS = bytes(1 << 16)


def crc32_combine(crc1: int, crc2: int, len2: int) -> int:
    """The CRC-32 of A + B from the CRC-32 of A, that of B and the length of B."""
    global _ZEROS
    if len(_ZEROS) < len2:
        _ZEROS = bytes(max(len2, 2 * len(_ZEROS)))
    shifted = zlib.crc32(memoryview(_ZEROS)[:len2], crc1 ^ 0xFFFFFFFF) ^ 0xFFFFFFFF
    return crc2 ^ shifted

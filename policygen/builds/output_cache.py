"""A profile's finished outputs, kept between builds: what was built once is copied, not rendered.

An entry holds every file one profile produced for one selection (languages, audiences,
formats, draft), with what the build records of them: the clauses each audience used, the
documents' library inputs, the assets it read, its lint warnings and readability lines. Its key
is a digest of everything those are made from: policygen itself (code, data, schemas; in every
cache key), Python, jinja2 and markdown-it-py, every file of the clause library, the profile's
bytes and display name, the selection and the lint mode. The assets (reference .docx, logo) are
checked against the digests the entry records before it is used. So a build whose inputs were
built before, in any output folder, needs neither the clause library nor a template: a CI
machine that restores the cache folder copies the files of every unchanged profile.

PDFs are not kept: they depend on the LibreOffice installed, which no key can see.

An entry is untrusted input (docs/security.md): it must carry the digest of its payload, and
its header must have exactly the shape written here, every file name one a build gives
(`<slug>/<edition>.<lang>.<ext>`, inside the output folder), every size adding up, every file
(Markdown and HTML kept compressed, inflated with a size cap) with the digest the header
gives; anything else is a miss and the profile is rendered.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lz4.block

from policygen.builds.outputs import is_output_name
from policygen.builds.selection import Selection
from policygen.core import cache, digest, files
from policygen.errors import Location, Problem

KIND = "outputs"
FORMAT = b"PGO2"  # PGO1 kept text compressed with zlib
MAX_BYTES = 1024 * 1024 * 1024  # the folder; the least recently used entries go beyond it
MAX_ENTRY = 128 * 1024 * 1024  # one profile's files
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")
_FORMATS = frozenset({"md", "docx", "html"})  # what a build writes itself (not PDF)
_TEXT = frozenset({"md", "html"})


@dataclass(frozen=True)
class StoredFile:
    """One output as the build produced it."""

    relpath: str
    audience: str
    language: str
    format: str
    data: bytes
    digest: str  # digest.of_bytes(data), as the manifest records it


@dataclass(frozen=True)
class Stored:
    """Everything a build takes from one profile's rendering, besides the staged files."""

    slug: str
    assets: dict[str, str]
    selection: dict[str, list[list[Any]]]
    editions: dict[str, str]
    readability: list[str]
    warnings: list[Problem]
    files: list[StoredFile]


def key(path: str, profile_digest: str, library: Mapping[str, str], selection: Selection,
        lint: str) -> str:
    """The entry name for a profile built from these inputs."""
    chosen = (selection.languages, selection.audiences, selection.formats, selection.draft)
    return cache.key(KIND, cache.renderers(), path, profile_digest,
                     json.dumps(sorted(library.items())), repr(chosen), lint)


def cacheable(stored_formats: set[str]) -> bool:
    """Whether outputs of these formats may be kept (not when a PDF is among them)."""
    return stored_formats <= _FORMATS


def store(name: str, stored: Stored) -> None:
    """Keep a profile's outputs (a cache that cannot be written is simply not used)."""
    listed: list[list[Any]] = []
    header = {
        "slug": stored.slug, "assets": stored.assets, "selection": stored.selection,
        "editions": stored.editions, "readability": stored.readability,
        "warnings": [[w.location.path, w.location.line, w.location.col, w.message, w.hint,
                      None if w.subject is None else list(w.subject)]
                     for w in stored.warnings],
        "files": listed}
    blobs = []
    for item in stored.files:  # text is kept compressed; a .docx is compressed already
        packed = item.format in _TEXT
        blob = _deflated(item.data) if packed else item.data
        listed.append([item.relpath, item.audience, item.language, item.format,
                                len(blob), item.digest, packed])
        blobs.append(blob)
    sealed = cache.seal(json.dumps(header, ensure_ascii=False,
                                   separators=(",", ":")).encode("utf-8"))
    entry = b"".join([FORMAT, len(sealed).to_bytes(4, "big"), sealed, *blobs])
    if len(entry) <= MAX_ENTRY:
        cache.write(KIND, name, entry)


def load(name: str) -> Stored | None:
    """A profile's outputs built before from the same inputs, or None.

    None too when an asset the entry names is missing or has changed, or when the entry is
    damaged or of another shape than `store` writes.
    """
    entry = cache.read(KIND, name)
    if entry is None or entry[:4] != FORMAT or len(entry) > MAX_ENTRY:
        return None
    size = int.from_bytes(entry[4:8], "big")
    sealed = cache.unseal(entry[8:8 + size])  # the header; each file has its digest in it
    try:
        header = json.loads(sealed) if sealed is not None else None
    except ValueError:
        return None
    stored = _parsed(header, memoryview(entry)[8 + size:])
    if stored is None or not _assets_unchanged(stored.assets):
        return None
    cache.touch(KIND, name)
    return stored


def _parsed(header: Any, blob: memoryview) -> Stored | None:
    """The entry if its header has exactly the shape `store` writes and its sizes add up."""
    if not isinstance(header, dict) or header.keys() != {
            "slug", "assets", "selection", "editions", "readability", "warnings", "files"}:
        return None
    slug = header["slug"]
    if not (isinstance(slug, str) and _SLUG.fullmatch(slug)
            and _str_map(header["assets"]) and _str_map(header["editions"])
            and _selection(header["selection"]) and _strings(header["readability"])):
        return None
    warnings = []
    for item in _list(header["warnings"]):
        if not (isinstance(item, list) and len(item) == 6 and isinstance(item[0], str)
                and type(item[1]) is int and type(item[2]) is int
                and isinstance(item[3], str) and isinstance(item[4], str)
                and (item[5] is None or isinstance(item[5], list) and all(
                    type(part) in (str, int) for part in item[5]))):
            return None
        warnings.append(Problem(Location(item[0], item[1], item[2]), item[3], item[4],
                                None if item[5] is None else tuple(item[5])))
    found, offset = [], 0
    for item in _list(header["files"]):
        if not (isinstance(item, list) and len(item) == 7 and _strings(item[:4])
                and type(item[4]) is int and item[4] >= 0 and isinstance(item[5], str)
                and type(item[6]) is bool):
            return None
        relpath, audience, language, fmt, length, file_digest, packed = item
        data = bytes(blob[offset:offset + length])
        if packed:
            data = _inflated(data)
        if not (relpath.startswith(f"{slug}/") and is_output_name(relpath)
                and fmt in _FORMATS and offset + length <= len(blob)
                and digest.of_bytes(data) == file_digest):  # a damaged file is a miss
            return None
        found.append(StoredFile(relpath, audience, language, fmt, data, file_digest))
        offset += length
    if offset != len(blob) or not found or len({f.relpath for f in found}) != len(found):
        return None
    return Stored(slug, header["assets"], header["selection"], header["editions"],
                  header["readability"], warnings, found)


def _deflated(data: bytes) -> bytes:
    """A text file compressed with LZ4, its size in front.

    LZ4 rather than zlib: a cold build keeps every Markdown file it writes and a warm one
    copies every one it kept; LZ4 packs them four times and unpacks them six times faster
    than zlib at level 1, for entries about a third larger (the .docx parts, the bulk of an
    entry, are compressed already).
    """
    packed: bytes = lz4.block.compress(data, mode="fast", store_size=True)
    return packed


def _inflated(data: bytes) -> bytes:
    """A text file's bytes ("" when damaged or larger than an entry may be: then a miss)."""
    if len(data) < 4 or int.from_bytes(data[:4], "little") > MAX_ENTRY:
        return b""  # the size it claims, read before anything is allocated
    try:
        text: bytes = lz4.block.decompress(data)
    except lz4.block.LZ4BlockError:
        return b""
    return text


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [None]  # [None]: fails every item check


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _str_map(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(v, str) for v in value.values())


def _selection(value: Any) -> bool:
    """The clauses each audience used: [[clause id, version, digest], ...] (the manifest's)."""
    return isinstance(value, dict) and all(
        isinstance(entries, list) and all(
            isinstance(entry, list) and len(entry) == 3 and isinstance(entry[0], str)
            and type(entry[1]) is int and isinstance(entry[2], str)
            for entry in entries) for entries in value.values())


def _assets_unchanged(assets: Mapping[str, str]) -> bool:
    for asset, asset_digest in assets.items():
        try:
            data = files.read_regular(Path(asset), files.MAX_ASSET_BYTES)
        except OSError:  # also a file grown too large or turned into a folder
            return False
        if digest.of_bytes(data) != asset_digest:
            return False
    return True


def _keys_entry(library: Mapping[str, str]) -> str:
    return cache.key("selection-keys", json.dumps(sorted(library.items())))


def selection_keys(library: Mapping[str, str]) -> dict[str, str] | None:
    """The clauses' selection keys of this library (clauses.selection_key), if known."""
    found = cache.read_json(KIND, _keys_entry(library))
    if isinstance(found, dict) and all(isinstance(k, str) and isinstance(v, str)
                                       for k, v in found.items()):
        return found
    return None


def store_selection_keys(library: Mapping[str, str], keys: dict[str, str]) -> None:
    """Keep a library's selection keys, so that a build that loads no library can record them."""
    cache.write_json(KIND, _keys_entry(library), keys)


def prune() -> None:
    """Keep the folder bounded (least recently used entries go first)."""
    cache.prune(KIND, MAX_BYTES)

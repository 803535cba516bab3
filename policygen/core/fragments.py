"""Rendered clauses, kept in memory and between builds: each piece of work once.

A *fragment* is one library clause rendered for one language, locale and audience: its title
and blocks, typeset, with what the writers made of them (the Markdown, the WordprocessingML
with its place-dependent ids left open, the plain texts the linter reads; `Clause.memo`).
Rendering is a function of the clause file, the locale layer and the values of the context
paths its templates read (`Clause.reads`), so a fragment's key is a digest of exactly those:
profiles that differ only in values a clause does not read share its fragment, and a clause
edit misses only that clause's fragments. The same holds for summary items.

Between builds the fragments a profile used are kept in one entry per language of the
per-user cache (`fragments/`, named by the program's digest, the profile's name and the
language), read when the profile first uses a fragment of that language and rewritten only
when something new was made. An entry is untrusted input:
it must carry the digest of its payload, it is decompressed with a size cap, unpickled with
an allow-list of the document model's plain classes (nothing else can be named, so nothing
can run), and every value is checked for the expected shape before use; anything else is a
miss. A fragment's blocks stay pickled until something reads them (`PackedBlocks`): what the
writers made of them comes with the entry, so most never are; blocks found damaged then
raise `Damaged`, and the profile is rendered again without its entry. The folder is
bounded: past MAX_BYTES the least recently used entries are removed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import operator
import os
import pickle
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import lz4.block

from policygen.core import cache, locale_layer
from policygen.document import (
    Block,
    Inline,
    ListBlock,
    Paragraph,
    SignatureLine,
    Source,
    Span,
    Table,
)

if TYPE_CHECKING:
    from policygen.core.clauses import Clause
    from policygen.core.locale_layer import Layer

KIND = "fragments"
FORMAT = b"PGF3"
MAX_BYTES = 512 * 1024 * 1024  # the folder; the least recently used entries go beyond it
MAX_ENTRY = 64 * 1024 * 1024  # one entry (its records compressed)
MAX_RECORD = 16 * 1024 * 1024  # one record, uncompressed
MAX_MEMORY = 8_000  # fragments kept in memory across profiles (a few tens of MiB)


class Damaged(Exception):
    """A fragment's blocks, read from a cache entry when first used, were not as written."""


class PackedBlocks(tuple[Block, ...]):
    """A fragment's blocks as its cache entry holds them, unpickled and checked on first use.

    A clause assembled from fragments is written from what the writers made of its blocks
    before (`Clause.memo`, whose entries name this very object), so its blocks are rarely
    read: unpickling every span of a profile's clauses was a third of assembling it. It is
    an empty tuple underneath that hands every tuple operation to the blocks; C code that
    reads a tuple's items directly must not be given one (marshal refuses it, pickle writes
    the blocks).
    """

    _packed: bytes
    _length: int  # known without unpickling: writers ask whether a clause has a body
    _blocks: tuple[Block, ...] | None

    def __new__(cls, packed: bytes, length: int) -> PackedBlocks:  # noqa: D102 - lazily
        self = super().__new__(cls)
        self._packed = packed
        self._length = length
        self._blocks = None
        return self

    @property
    def packed(self) -> bytes:
        """The pickled blocks, as the cache entry holds them."""
        return self._packed

    @property
    def blocks(self) -> tuple[Block, ...]:
        """The blocks, unpickled with the allow-list and checked (raises `Damaged`)."""
        blocks = self._blocks
        if blocks is None:
            blocks = cache.loads(self._packed, _CLASSES)
            if type(blocks) is not tuple or len(blocks) != self._length \
                    or not all(_is_block(b) for b in blocks):
                raise Damaged("a cached fragment's blocks are damaged")
            self._blocks = blocks
        return blocks

    def __iter__(self) -> Iterator[Block]:
        return iter(self.blocks)

    def __reversed__(self) -> Iterator[Block]:
        return reversed(self.blocks)

    def __len__(self) -> int:
        return self._length

    def __bool__(self) -> bool:
        return self._length > 0

    def __contains__(self, item: object) -> bool:
        return item in self.blocks

    def __getitem__(self, index: Any) -> Any:
        return self.blocks[index]

    def __eq__(self, other: object) -> bool:
        return self.blocks == other

    def __ne__(self, other: object) -> bool:
        return self.blocks != other

    def __lt__(self, other: tuple[Any, ...]) -> bool:
        return self.blocks < other

    def __le__(self, other: tuple[Any, ...]) -> bool:
        return self.blocks <= other

    def __gt__(self, other: tuple[Any, ...]) -> bool:
        return self.blocks > other

    def __ge__(self, other: tuple[Any, ...]) -> bool:
        return self.blocks >= other

    def __hash__(self) -> int:
        return hash(self.blocks)

    def __add__(self, other: tuple[Any, ...]) -> tuple[Any, ...]:
        return self.blocks + other

    def __radd__(self, other: tuple[Any, ...]) -> tuple[Any, ...]:
        return other + self.blocks

    def __mul__(self, count: Any) -> tuple[Block, ...]:
        return self.blocks * operator.index(count)

    def __rmul__(self, count: Any) -> tuple[Block, ...]:
        return operator.index(count) * self.blocks

    def __repr__(self) -> str:
        return repr(self.blocks)

    def count(self, value: Any) -> int:  # noqa: D102 - as tuple's
        return self.blocks.count(value)

    def index(self, value: Any, start: Any = 0, stop: Any = None) -> int:  # noqa: D102
        return self.blocks.index(value, start, len(self) if stop is None else stop)

    def __reduce_ex__(self, protocol: Any) -> tuple[Any, ...]:
        return (tuple, (self.blocks,))

    def __copy__(self) -> tuple[Block, ...]:
        return self.blocks

    def __deepcopy__(self, memo: Any) -> tuple[Block, ...]:
        return self.blocks


def _packed_blocks(blocks: tuple[Block, ...]) -> tuple[bytes, int]:
    if type(blocks) is PackedBlocks:
        return blocks.packed, len(blocks)  # never read: written back as it came
    return pickle.dumps(blocks, protocol=pickle.HIGHEST_PROTOCOL), len(blocks)


@dataclass(eq=False)
class Fragment:
    """One clause rendered and typeset; `memo` holds what writers made of it."""

    title: str
    blocks: tuple[Block, ...]
    note: str
    sources: tuple[Source, ...]
    memo: dict[str, tuple[tuple[Block, ...], Any]] = field(default_factory=dict)
    kept: frozenset[str] | None = None  # the memo kinds its cache entry holds (None: not read)


_MEMORY: dict[str, Fragment | Inline] = {}


def _remember(key: str, value: Fragment | Inline) -> None:
    if len(_MEMORY) >= MAX_MEMORY:
        _MEMORY.clear()
    _MEMORY[key] = value


_MISSING = object()


_MAPPINGS = (dict, MappingProxyType)


def _value(context: Mapping[str, Any], path: tuple[str, ...]) -> bytes:
    """A digest of how much of a path resolves in the context, as jinja reads it, and its value.

    A step goes into a mapping's key only where jinja would (no attribute of that name): a
    path that stops early stands for the whole value it reached, which is cautious.
    """
    value = context.get(path[0], _MISSING)
    if value is _MISSING:
        return b"-" * 12  # as long as a digest: the parts of a key stay apart
    depth = 1
    for part in path[1:]:
        if type(value) not in _MAPPINGS or part not in value or hasattr(value, part):
            break
        value = value[part]
        depth += 1
    return hashlib.blake2b(f"{depth}:{value!r}".encode(), digest_size=12).digest()


# The values of the paths read in the last few contexts (a profile's clauses read many of the
# same ones), by the context's identity; each entry keeps its context alive.
_RESOLVED: dict[int, tuple[Mapping[str, Any], dict[tuple[str, ...], bytes]]] = {}


def _values(context: Mapping[str, Any]) -> dict[tuple[str, ...], bytes]:
    known = _RESOLVED.get(id(context))
    if known is not None and known[0] is context:
        return known[1]
    if len(_RESOLVED) >= 16:
        _RESOLVED.clear()
    values: dict[tuple[str, ...], bytes] = {}
    _RESOLVED[id(context)] = (context, values)
    return values


_STARTS: dict[tuple[Any, ...], Any] = {}  # a key's fixed part -> its digest so far


def key(clause: Clause, kind: str, context: Mapping[str, Any], lang: str,
        layer: Layer | None) -> str:
    """The key of a clause rendered as `kind` (`clause`, `item:<n>`) in this context."""
    fixed = (kind, clause.id, clause.digest, lang, context.get("locale"), context.get("audience"),
             locale_layer.fingerprint(layer))
    start = _STARTS.get(fixed)
    if start is None:  # what does not depend on the profile's values, digested once
        if len(_STARTS) >= MAX_MEMORY:
            _STARTS.clear()
        start = _STARTS[fixed] = hashlib.blake2b(repr(fixed).encode(), digest_size=16)
    h = start.copy()
    values = _values(context)
    for path in clause.reads or ():
        found = values.get(path)
        if found is None:
            found = values[path] = _value(context, path)
        h.update(found)
    return h.hexdigest()


class _Part:
    """The fragments of one language a profile used, and whether their entry must be rewritten."""

    def __init__(self, stored: dict[str, bytes], partial: bool) -> None:
        self.stored = stored  # key -> packed record as read from the cache entry
        self.partial = partial  # some documents left out: keep what they would have used
        self.used: dict[str, Fragment | Inline] = {}

    def _grown(self, key_: str, value: Fragment | Inline) -> bool:
        """Whether a fragment read from the entry gained writer output it lacked."""
        if not isinstance(value, Fragment):
            return False
        return value.kept is None or not _made_kinds(value) <= value.kept

    def repack(self) -> set[str]:
        """The keys whose records must be written anew (made here, or grown)."""
        return {key_ for key_, value in self.used.items()
                if key_ not in self.stored or self._grown(key_, value)}

    def changed(self, repack: set[str]) -> bool:
        """Whether the entry would now hold other fragments, or more writer output."""
        return bool(repack) or not self.partial and self.used.keys() != self.stored.keys()

    def records(self, repack: set[str]) -> dict[str, bytes]:
        """The entry's records: what was used (and, for a partial build, what was held)."""
        kept = dict(self.stored) if self.partial else {}
        for key_, value in self.used.items():
            kept[key_] = pack(_freeze(value)) if key_ in repack else self.stored[key_]
        return kept


class _Session:
    """The fragments one profile used, one cache entry per language, each read when first used.

    A build that re-assembles only a profile's German documents reads and writes only its
    German entry.
    """

    def __init__(self, name: str, partial: bool, fresh: bool) -> None:
        self.name = name
        self.partial = partial and not fresh
        self.fresh = fresh  # start from no entry (after `Damaged`)
        self.parts: dict[str, _Part] = {}

    def part(self, lang: str) -> _Part:
        found = self.parts.get(lang)
        if found is None:
            found = self.parts[lang] = _Part({} if self.fresh else _read(self.name, lang),
                                             self.partial)
        return found


_SESSION: _Session | None = None


def lookup(key_: str, lang: str = "") -> Fragment | Inline | None:
    """A fragment or summary item made before (this process, or the profile's cache entry).

    `lang`: the language it is in, which names the entry that keeps it.
    """
    found = _MEMORY.get(key_)
    part = _SESSION.part(lang) if _SESSION is not None else None
    if found is None and part is not None:
        packed = part.stored.get(key_)
        if packed is not None:
            found = _thaw(unpack(packed))
            if found is not None:
                _remember(key_, found)
    if found is not None and part is not None:
        part.used[key_] = found
    return found


def store(key_: str, value: Fragment | Inline, lang: str = "") -> None:
    """Keep a fragment or a summary item just made (in `lang`, see `lookup`)."""
    _remember(key_, value)
    if _SESSION is not None:
        _SESSION.part(lang).used[key_] = value


def recall(key_: str) -> Fragment | Inline | None:
    """A part made before in this process (`remember`), never from a cache entry."""
    return _MEMORY.get(key_)


def remember(key_: str, value: Fragment | Inline) -> None:
    """Keep a part of a fragment in this process only: the fragment it is part of is kept."""
    _remember(key_, value)


# ---- the cache entry of a profile: sealed (digest-checked), compressed, allow-listed pickle ----

# The classes an entry may hold: the document model's plain values, nothing else.
_CLASSES = frozenset({("policygen.document", name) for name in (
    "Span", "Paragraph", "ListBlock", "Table", "SignatureLine", "Source")} | {
    ("datetime", "date")})


def _entry_name(name: str, lang: str) -> str:
    return cache.key(KIND, cache.renderers(), name, lang)


def pack(record: Any) -> bytes:
    """One record of an entry, pickled and compressed on its own.

    A build then unpacks only the records it uses, and rewrites only those it made. LZ4: a
    cold build packs every fragment it makes, a warm one unpacks every fragment it uses.
    """
    packed: bytes = lz4.block.compress(pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL),
                                       mode="fast", store_size=True)
    return packed


def unpack(packed: bytes) -> Any:
    """A record (None if damaged, larger than MAX_RECORD, or naming a class not allowed)."""
    if len(packed) < 4 or int.from_bytes(packed[:4], "little") > MAX_RECORD:
        return None  # the size it claims, read before anything is allocated
    try:
        payload = lz4.block.decompress(packed)
    except lz4.block.LZ4BlockError:
        return None
    return cache.loads(payload, _CLASSES)


def entry_bytes(records: dict[str, bytes]) -> bytes:
    """A sealed entry of packed records."""
    return cache.seal(FORMAT + pickle.dumps(records, protocol=pickle.HIGHEST_PROTOCOL))


def entry_records(raw: bytes) -> dict[str, bytes]:
    """The packed records of a sealed entry (empty if it is damaged or of another shape)."""
    packed = cache.unseal(raw)
    if packed is None or packed[:4] != FORMAT:
        return {}
    records = cache.loads(packed[4:], ())  # a mapping of texts to bytes: no class at all
    if not isinstance(records, dict):
        return {}
    return {k: v for k, v in records.items()
            if type(k) is str and len(k) == 32 and type(v) is bytes}


def _read(name: str, lang: str) -> dict[str, bytes]:
    base = cache.folder()
    if base is None:
        return {}
    path = base / KIND / _entry_name(name, lang)
    try:
        if path.stat().st_size > MAX_ENTRY:
            return {}
        raw = path.read_bytes()
        os.utime(path)  # recently used: kept when the folder is pruned
    except OSError:
        return {}
    return entry_records(raw)


def _write(name: str, lang: str, records: dict[str, bytes]) -> None:
    data = entry_bytes(records)
    if len(data) <= MAX_ENTRY:
        cache.write(KIND, _entry_name(name, lang), data)


def _persisted(kind: str) -> bool:
    """Memo kinds kept between builds: writers' and the linter's findings, plain data."""
    return kind in ("md", "html", "texts") or kind.startswith(("docx:", "lint:", "readability:"))


def _freeze(value: Fragment | Inline) -> Any:
    if isinstance(value, Fragment):
        made = {kind: result for kind, (blocks, result) in value.memo.items()
                if blocks is value.blocks and _persisted(kind)}
        return ("c", value.title, *_packed_blocks(value.blocks), value.note, value.sources,
                made)
    return ("i", value)


def _made_kinds(value: Fragment) -> frozenset[str]:
    return frozenset(kind for kind, (blocks, _) in value.memo.items()
                     if blocks is value.blocks and _persisted(kind))


def _thaw(record: Any) -> Fragment | Inline | None:
    """A record from a cache entry, if it has exactly the shape policygen writes."""
    if not isinstance(record, tuple) or not record:
        return None
    if record[0] == "i" and len(record) == 2 and _is_inline(record[1]):
        return record[1]  # type: ignore[no-any-return]
    if record[0] != "c" or len(record) != 7:
        return None
    _, title, packed, length, note, sources, made = record
    if not (type(title) is str and type(note) is str and type(packed) is bytes
            and type(length) is int and length >= 0
            and type(sources) is tuple and all(_is_source(s) for s in sources)
            and type(made) is dict):
        return None
    blocks = PackedBlocks(packed, length)  # checked when first read
    memo: dict[str, tuple[tuple[Block, ...], Any]] = {"typeset": (blocks, title)}
    for kind, result in made.items():
        if _is_made(kind, result):
            memo[kind] = (blocks, result)
    fragment = Fragment(title, blocks, note, sources, memo)
    fragment.kept = _made_kinds(fragment)  # to tell later whether writers added to it
    return fragment


_SPAN_FIELDS = {"text": None, "strong": None, "emphasis": None, "href": None}.keys()


def _is_inline(obj: Any) -> bool:
    """A tuple of spans exactly as the document model makes them (the hot path: kept lean)."""
    if type(obj) is not tuple:
        return False
    for span in obj:
        if type(span) is not Span:
            return False
        state = span.__dict__
        if state.keys() != _SPAN_FIELDS or type(state["text"]) is not str \
                or type(state["strong"]) is not bool or type(state["emphasis"]) is not bool:
            return False
        href = state["href"]
        if href is not None and type(href) is not str:
            return False
    return True


def _is_row(obj: Any) -> bool:
    return type(obj) is tuple and all(_is_inline(cell) for cell in obj)


def _fields(obj: Any, names: frozenset[str]) -> dict[str, Any] | None:
    state: dict[str, Any] = obj.__dict__
    return state if state.keys() == names else None


_PARAGRAPH = frozenset(("spans", "keep_with_next"))
_LIST = frozenset(("ordered", "items"))
_TABLE = frozenset(("header", "rows", "widths"))
_SIGNATURE = frozenset(("label",))
_SOURCE = frozenset(("jurisdiction", "citation", "checked", "url", "unsettled"))


def _is_block(obj: Any) -> bool:
    kind = type(obj)
    if kind is Paragraph:
        state = _fields(obj, _PARAGRAPH)
        return state is not None and _is_inline(state["spans"]) \
            and type(state["keep_with_next"]) is bool
    if kind is ListBlock:
        state = _fields(obj, _LIST)
        return state is not None and type(state["ordered"]) is bool \
            and _is_row(state["items"])
    if kind is Table:
        state = _fields(obj, _TABLE)
        return state is not None and _is_row(state["header"]) \
            and type(state["rows"]) is tuple and all(_is_row(r) for r in state["rows"]) \
            and type(state["widths"]) is tuple \
            and all(type(n) is int for n in state["widths"])
    if kind is SignatureLine:
        state = _fields(obj, _SIGNATURE)
        return state is not None and type(state["label"]) is str
    return False


def _is_source(obj: Any) -> bool:
    if type(obj) is not Source:
        return False
    state = _fields(obj, _SOURCE)
    return state is not None and type(state["jurisdiction"]) is str \
        and type(state["citation"]) is str and type(state["checked"]) is dt.date \
        and (state["url"] is None or type(state["url"]) is str) \
        and type(state["unsettled"]) is bool


def _is_plain(value: Any) -> bool:
    """Text, numbers, truth values, dates and tuples of them.

    What writers and the linter keep of a clause (see `_persisted`).
    """
    kind = type(value)
    if kind is tuple:
        return all(_is_plain(item) for item in value)
    return kind in (str, int, bool, dt.date) or value is None


def _strings(value: Any) -> bool:
    return type(value) is tuple and all(type(item) is str for item in value)


def _is_hole(hole: str, urls: int, lists: int) -> bool:
    number = hole[1:]
    if not number.isdigit():
        return False
    return int(number) < urls if hole[:1] == "L" else hole[:1] == "N" and int(number) < lists


def _is_made(kind: Any, result: Any) -> bool:
    """Whether a memo entry has exactly the shape its maker gives it (and only plain data)."""
    if type(kind) is not str:
        return False
    if kind in ("md", "html"):
        return type(result) is str
    if kind == "texts":
        return _strings(result)
    if kind.startswith("readability:"):  # hr/readability.py: ((sentence, words), ...), counts
        return type(result) is tuple and len(result) == 3 and type(result[0]) is tuple \
            and all(type(s) is tuple and len(s) == 2 and type(s[0]) is str
                    and type(s[1]) is int for s in result[0]) \
            and type(result[1]) is int and type(result[2]) is int
    if kind.startswith("docx:"):  # writers/docx/body.py: (pieces, urls, numbered lists)
        if not (type(result) is tuple and len(result) == 3 and _strings(result[0])
                and len(result[0]) % 2 == 1 and _strings(result[1])
                and type(result[2]) is int):
            return False
        pieces, urls, lists = result
        return all(_is_hole(hole, len(urls), lists) for hole in pieces[1::2])
    # legal/lint.py: (the clause title, what was found in it and its texts)
    if not (kind.startswith("lint:") and type(result) is tuple and len(result) == 2
            and type(result[0]) is str and type(result[1]) is tuple
            and _is_plain(result[1])):
        return False
    if kind == "lint:dated":  # (phrase, announced as past, date)
        return all(type(item) is tuple and len(item) == 3 and type(item[0]) is str
                   and type(item[1]) is bool
                   and type(item[2]) is dt.date for item in result[1])
    if kind == "lint:overbroad":  # (number of the rule, phrase)
        return all(type(item) is tuple and len(item) == 2 and type(item[0]) is int
                   and item[0] >= 0
                   and type(item[1]) is str for item in result[1])
    return False


@contextmanager
def session(name: str, partial: bool = False, fresh: bool = False) -> Iterator[None]:
    """Render one profile with the fragments its cache entry holds; update the entry after.

    The entry is rewritten only when the profile used a fragment it did not hold, or one
    with writer output it lacked, or no longer uses some of those it held. `fresh`: start
    from no entry and none of the fragments in memory (after `Damaged`).
    """
    global _SESSION
    previous = _SESSION
    if fresh:
        _MEMORY.clear()
    _SESSION = _Session(name, partial, fresh)
    try:
        yield
        for lang, part in _SESSION.parts.items():
            repack = part.repack()
            if part.changed(repack):
                _write(name, lang, part.records(repack))
    except Damaged:
        _MEMORY.clear()  # the damaged blocks may be in memory too
        raise
    finally:
        _SESSION = previous


def prune(limit: int = MAX_BYTES) -> None:
    """Remove the least recently used entries while the folder holds more than `limit`."""
    cache.prune(KIND, limit)

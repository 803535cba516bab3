"""Rendered clauses kept between builds: reused where the values they read agree, never trusted."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import pickle
import shutil
import types
import typing
from pathlib import Path
from typing import Any

import lz4.block
import pytest

from policygen import document
from policygen.core import cache, compose, fragments, select, templating
from policygen.core.clauses import load_library
from policygen.core.profile import load_profile
from tests.conftest import FIXTURE_LIBRARY, FIXTURES, LIB_ONLY, write

MINIMAL = FIXTURES / "profiles" / "minimal.yaml"


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("POLICYGEN_CACHE_DIR", str(folder))
    # these builds are about fragments: none is copied whole from the output cache
    monkeypatch.setattr("policygen.builds.output_cache.load", lambda name: None)
    cache.folder.cache_clear()
    fragments._MEMORY.clear()
    yield folder
    cache.folder.cache_clear()
    fragments._MEMORY.clear()


def reads(text: str) -> list[tuple[str, ...]]:
    return sorted(templating.reads(templating.environment("en").parse(text)))


def test_a_template_reads_the_paths_it_names_and_stops_where_they_become_dynamic() -> None:
    assert reads("{{ company.name }} {{ company['short_name'] }}") == [
        ("company", "name"), ("company", "short_name")]
    # a loop reads the whole list; its variable is local
    assert reads("{% for c in strategy.channels %}{{ c.name }}{% endfor %}") == [
        ("strategy", "channels")]
    # a subscript by a variable reads the whole mapping, and the variable's own path
    assert reads("{{ vars[company.industry] }}") == [("company", "industry"), ("vars",)]
    # globals and locals are not context data; lang and facts are
    assert reads("{% set x = 3 %}{{ range(x) | list }}{{ lang }}{{ facts.listed }}") == [
        ("facts", "listed"), ("lang",)]
    # a method reads the value it is called on: the path stops there when the key is read
    assert ("company", "items") in reads("{% for k, v in company.items() %}{{ k }}{% endfor %}")


def test_clauses_share_fragments_exactly_where_the_values_they_read_agree(
        cache_dir: Path, tmp_path: Path) -> None:
    library = load_library(FIXTURE_LIBRARY, "lib")
    text = MINIMAL.read_text(encoding="utf-8")
    one = load_profile(write(tmp_path / "one.yaml", text))
    other = load_profile(write(tmp_path / "other.yaml", text.replace(
        "https://minimal.example", "https://other.example").replace("employees: 12",
                                                                    "employees: 500")))
    made, contexts = {}, {}
    for profile in (one, other):
        assembly = select.select(library, profile, "legal")
        document = compose.compose(library, assembly, profile, "en")
        made[profile.path] = {c.clause_id: c for c in document.clauses()}
        contexts[profile.path] = compose.template_context(library, profile, "en", "legal")
    shared = 0
    for clause_id, clause in made[one.path].items():
        reads_ = library.clauses[clause_id].reads
        assert reads_ is not None
        agree = all(fragments._value(contexts[one.path], path)
                    == fragments._value(contexts[other.path], path) for path in reads_)
        assert (made[other.path][clause_id].blocks is clause.blocks) == agree, clause_id
        shared += agree
    assert 0 < shared < len(made[one.path])  # the fixture has clauses of both kinds
    # and the documents are those of a cold render
    fragments._MEMORY.clear()
    for profile in (one, other):
        assembly = select.select(library, profile, "legal")
        cold = compose.compose(library, assembly, profile, "en")
        assert cold.clauses() == tuple(made[profile.path].values())


def _build(cli, profile: Path, out: Path, library: Path) -> dict[str, bytes]:
    result = cli("build", str(profile), "--out", str(out), *LIB_ONLY, str(library), "--quiet",
                 "--force")
    assert result.code == 0, result.err
    return {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*.*")
            if p.suffix in (".md", ".docx")}


@pytest.fixture
def built(cli, cache_dir: Path, tmp_path: Path) -> dict[str, object]:
    library = tmp_path / "lib"
    shutil.copytree(FIXTURE_LIBRARY, library)
    profile = write(tmp_path / "policies" / "p.yaml", MINIMAL.read_text(encoding="utf-8").replace(
        "  owner: Geschäftsführung", "  owner: Geschäftsführung\n  languages: [de, en]"))
    outputs = _build(cli, profile, tmp_path / "cold", library)
    entries = sorted((cache_dir / fragments.KIND).iterdir())
    assert len(entries) == 2  # one entry for each language of the profile
    return {"library": library, "profile": profile, "outputs": outputs, "entries": entries,
            "tmp": tmp_path}


def _contents(entries: list[Path]) -> dict[Path, bytes]:
    return {entry: entry.read_bytes() for entry in entries}


def test_a_warm_build_gives_the_bytes_of_a_cold_one(cli, built) -> None:
    fragments._MEMORY.clear()  # as a new process would start
    entries: list[Path] = built["entries"]  # type: ignore[assignment]
    before = _contents(entries)
    warm = _build(cli, built["profile"], built["tmp"] / "warm", built["library"])  # type: ignore[arg-type]
    assert warm == built["outputs"]
    assert _contents(entries) == before  # nothing new was made, so nothing was written


def test_a_partial_build_keeps_the_fragments_of_the_documents_it_leaves_out(cli, built) -> None:
    entries: list[Path] = built["entries"]  # type: ignore[assignment]
    held = {entry: fragments.entry_records(entry.read_bytes()).keys() for entry in entries}
    fragments._MEMORY.clear()
    result = cli("build", str(built["profile"]), "--out", str(built["tmp"] / "de"),  # type: ignore[operator]
                 *LIB_ONLY, str(built["library"]), "--quiet", "--lang", "de")
    assert result.code == 0, result.err
    assert {entry: fragments.entry_records(entry.read_bytes()).keys()
            for entry in entries} == held
    fragments._MEMORY.clear()
    before = _contents(entries)
    warm = _build(cli, built["profile"], built["tmp"] / "full", built["library"])  # type: ignore[arg-type,operator]
    assert warm == built["outputs"]
    assert _contents(entries) == before  # every fragment was still there


def test_an_edit_of_a_german_text_reads_and_writes_only_the_german_entry(cli, built,
                                                                         monkeypatch) -> None:
    entries: list[Path] = built["entries"]  # type: ignore[assignment]
    out = built["tmp"] / "edited"  # type: ignore[operator]
    result = cli("build", str(built["profile"]), "--out", str(out), *LIB_ONLY,  # type: ignore[operator]
                 str(built["library"]), "--quiet")
    assert result.code == 0, result.err
    clause = built["library"] / "employees" / "employees.basics.yaml"  # type: ignore[operator]
    clause.write_text(clause.read_text(encoding="utf-8").replace(
        "Das Netz vergisst nichts.", "Das Internet vergisst nichts."), encoding="utf-8")
    before = _contents(entries)
    # re-assembled from fragments, not spliced into the files (tests/builds/test_splice.py)
    monkeypatch.setattr("policygen.builds.splice.rebuild", lambda *_: None)
    read: list[str] = []
    original = fragments._read
    fragments._MEMORY.clear()
    try:
        fragments._read = lambda name, lang: read.append(lang) or original(name, lang)  # type: ignore[assignment]
        result = cli("build", str(built["profile"]), "--out", str(out), *LIB_ONLY,  # type: ignore[operator]
                     str(built["library"]), "--quiet")
    finally:
        fragments._read = original  # type: ignore[assignment]
    assert result.code == 0, result.err
    assert "Das Internet vergisst nichts." in (out / "minimal-gmbh" / "employees.de.md").read_text(
        encoding="utf-8")
    assert set(read) == {"de"}  # the English documents and the summaries were left as they were
    after = _contents(entries)
    assert sum(after[entry] != before[entry] for entry in entries) == 1  # the German one


class _Planted:
    """What a tampered entry would run if it were unpickled without an allow-list."""

    def __init__(self, mark: str) -> None:
        self.mark = mark

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (f"touch {self.mark}",))


def _entry(records: dict[str, object]) -> bytes:
    """An entry of these records, packed as policygen packs them (pickled as they are)."""
    return fragments.entry_bytes({k: lz4.block.compress(pickle.dumps(v))
                                  for k, v in records.items()})


@pytest.mark.parametrize("tamper", ["garbage", "digest", "code", "shape", "memo", "bomb",
                                    "blocks", "blocks-code"])
def test_a_tampered_entry_is_not_used_and_runs_nothing(cli, built, tamper: str) -> None:
    mark = built["tmp"] / "ran"  # type: ignore[operator]
    planted = {_tamper(entry, tamper, mark) for entry in built["entries"]}  # type: ignore[attr-defined]
    planted_blocks = {(blocks,) for blocks in planted if blocks}
    fragments._MEMORY.clear()
    again = _build(cli, built["profile"], built["tmp"] / tamper, built["library"])  # type: ignore[arg-type,operator]
    assert again == built["outputs"]
    assert not mark.exists()
    if tamper.startswith("blocks"):  # read, found damaged, and the profile rendered anew
        for entry in built["entries"]:  # type: ignore[attr-defined]
            assert not any(pickle.loads(lz4.block.decompress(v))[2:3] in planted_blocks
                           for v in fragments.entry_records(entry.read_bytes()).values())


def _tamper(entry: Path, tamper: str, mark: Path) -> bytes:
    """Damage an entry as `tamper` says; the blocks it planted, if any."""
    records = {k: pickle.loads(lz4.block.decompress(v))  # our own entry: fine to load here
               for k, v in fragments.entry_records(entry.read_bytes()).items()}
    assert records
    if tamper == "garbage":
        entry.write_bytes(b"not an entry")
    elif tamper == "digest":  # a payload changed without its digest
        raw = bytearray(entry.read_bytes())
        raw[-1] ^= 1
        entry.write_bytes(bytes(raw))
    elif tamper == "code":  # a well-formed entry naming a callable
        key = next(iter(records))
        records[key] = _Planted(str(mark))
        entry.write_bytes(_entry(records))
    elif tamper == "shape":  # allowed classes, wrong contents
        for key, record in records.items():
            if record[0] == "c":
                records[key] = ("c", 1, (None,), 1, "", (), {"md": 3})
            else:
                records[key] = ("i", ("not a span",))
        entry.write_bytes(_entry(records))
    elif tamper == "memo":  # right blocks, writer output of a shape no writer makes
        for key, record in records.items():
            if record[0] == "c":
                made = dict(record[6])
                for kind in made:
                    made[kind] = {"md": ["a list"], "html": None, "texts": "not a tuple"}.get(
                        kind, (("<w:p>", "L9", "</w:p>"), (), 0) if kind.startswith("docx:")
                        else ("title", ((True, 3),)))
                records[key] = (*record[:6], made)
        entry.write_bytes(_entry(records))
    elif tamper in ("blocks", "blocks-code"):  # blocks, read only when first used, damaged
        planted = pickle.dumps((None,) if tamper == "blocks" else (_Planted(str(mark)),))
        for key, record in records.items():
            if record[0] == "c":  # without writer output, so that the blocks are read
                records[key] = (*record[:2], planted, 1, *record[4:6], {})
        entry.write_bytes(_entry(records))
        return planted
    else:  # a record that expands to more than a record may
        key = next(iter(records))
        entry.write_bytes(fragments.entry_bytes({key: lz4.block.compress(
            b"\0" * (fragments.MAX_RECORD + 1))}))
    return b""


def test_the_folder_stays_bounded(cache_dir: Path) -> None:
    folder = cache_dir / fragments.KIND
    folder.mkdir(parents=True)
    for i in range(10):
        path = folder / f"{i:032x}"
        path.write_bytes(b"x" * 1000)
        os.utime(path, ns=(i * 10**9, i * 10**9))
    fragments.prune(limit=5000)
    left = sorted(p.name for p in folder.iterdir())
    assert sum((folder / name).stat().st_size for name in left) <= 5000 * 3 // 4
    assert left == [f"{i:032x}" for i in range(10 - len(left), 10)]  # the newest stay


def _sample(kind: Any) -> Any:
    """A value of a document-model type with every field set, none at its default."""
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if kind is str:
        return "text"
    if kind is bool:
        return True
    if kind is int:
        return 7
    if kind is dt.date:
        return dt.date(2026, 11, 30)
    if origin in (typing.Union, types.UnionType):
        return _sample(next(arg for arg in args if arg is not type(None)))
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return (_sample(args[0]), _sample(args[0]))
        return tuple(_sample(arg) for arg in args)
    if dataclasses.is_dataclass(kind):
        hints = typing.get_type_hints(kind)
        return kind(**{f.name: _sample(hints[f.name]) for f in dataclasses.fields(kind)})
    raise AssertionError(f"no sample for {kind!r}: teach _sample the new type")


def test_every_block_class_and_every_field_survives_the_cache(cache_dir: Path) -> None:
    """A field the shape check does not know would make every cached fragment a miss."""
    blocks = tuple(_sample(kind) for kind in typing.get_args(document.Block))
    sources = (_sample(document.Source),)
    inline = _sample(document.Inline)
    made = fragments.Fragment("title", blocks, "note", sources, {})
    with fragments.session("profile.yaml"):
        fragments.store("c" * 32, made)
        fragments.store("i" * 32, inline)
    fragments._MEMORY.clear()  # as a new process would start
    with fragments.session("profile.yaml"):
        clause = fragments.lookup("c" * 32)
        item = fragments.lookup("i" * 32)
    assert isinstance(clause, fragments.Fragment)
    assert (clause.title, clause.blocks, clause.note, clause.sources) == (
        "title", blocks, "note", sources)
    assert item == inline


def test_packed_blocks_are_read_only_when_used_and_behave_as_the_tuple_they_hold() -> None:
    blocks = tuple(_sample(kind) for kind in typing.get_args(document.Block))
    packed = fragments.PackedBlocks(pickle.dumps(blocks), len(blocks))
    assert packed._blocks is None  # nothing unpickled yet
    assert isinstance(packed, tuple) and packed.packed == pickle.dumps(blocks)
    assert list(packed) == list(blocks) and len(packed) == len(blocks) and bool(packed)
    assert packed == blocks and blocks == packed and not packed != blocks
    assert hash(packed) == hash(blocks) and repr(packed) == repr(blocks)
    assert packed[0] == blocks[0] and packed[1:] == blocks[1:] and packed[-1] is packed[-1]
    assert list(reversed(packed)) == list(reversed(blocks))
    assert blocks[2] in packed and packed.index(blocks[2]) == 2 and packed.count(blocks[0]) == 1
    assert packed + () == blocks and () + packed == blocks and packed * 2 == blocks * 2
    assert tuple(packed) == blocks and tuple(packed) is not packed
    assert (packed < blocks + (blocks[0],)) and packed <= blocks and packed >= blocks
    assert pickle.loads(pickle.dumps(packed)) == blocks
    assert type(pickle.loads(pickle.dumps(packed))) is tuple
    # a document holding them compares, hashes and copies as one holding the tuple
    clause = document.Clause("c", 1, "t", blocks)
    assert dataclasses.replace(clause, blocks=packed) == clause
    assert hash(dataclasses.replace(clause, blocks=packed)) == hash(clause)
    with pytest.raises(ValueError):
        import marshal

        marshal.dumps(packed)  # refused, not written as an empty tuple


def test_damaged_packed_blocks_raise_when_read() -> None:
    for payload in (pickle.dumps((None,)), pickle.dumps([blocks_of_one()]), b"garbage",
                    pickle.dumps((_Planted("never"),)), pickle.dumps((blocks_of_one(),) * 2)):
        packed = fragments.PackedBlocks(payload, 1)
        assert len(packed) == 1  # as recorded, without reading them
        with pytest.raises(fragments.Damaged):
            list(packed)


def blocks_of_one() -> document.Paragraph:
    return document.Paragraph((document.Span("x"),))


def test_a_record_is_unpacked_only_within_its_size_cap() -> None:
    large = b"\0" * (fragments.MAX_RECORD + 1)
    assert fragments.unpack(lz4.block.compress(large)) is None  # claims too much: not inflated
    lying = (100).to_bytes(4, "little") + lz4.block.compress(large, store_size=False)
    assert fragments.unpack(lying) is None  # claims little, holds more
    assert fragments.unpack(b"\x01") is None
    assert fragments.unpack(fragments.pack(("i", ()))) == ("i", ())


def test_an_entry_keeps_the_readability_figures_so_a_warm_build_reads_no_blocks(
        cli, built) -> None:
    kinds = set()
    for entry in built["entries"]:  # type: ignore[attr-defined]
        for packed in fragments.entry_records(entry.read_bytes()).values():
            record = fragments.unpack(packed)
            if record[0] == "c":
                kinds |= {kind for kind, made in record[6].items()
                          if kind.startswith("readability:") and fragments._is_made(kind, made)}
    assert kinds == {"readability:de", "readability:en"}
    fragments._MEMORY.clear()
    read = []
    original = fragments.PackedBlocks.blocks
    try:
        fragments.PackedBlocks.blocks = property(  # type: ignore[method-assign,assignment]
            lambda self: read.append(self) or original.fget(self))  # type: ignore[attr-defined]
        warm = _build(cli, built["profile"], built["tmp"] / "warm-read", built["library"])  # type: ignore[arg-type,operator]
    finally:
        fragments.PackedBlocks.blocks = original  # type: ignore[method-assign]
    assert warm == built["outputs"]
    assert not read  # every writer, the linter and the readability figures used what was kept

"""The clause library: loading every clause file and checking the library as a whole."""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
import pickle
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import jinja2

from policygen.core import cache, industry_examples, layers, locale_layer, source, templating
from policygen.core.layers import BUNDLED, LAYER_FILE, Layer, LibrarySpec
from policygen.core.profile import FACT_NAMES
from policygen.core.source import DocPath, SourceDoc, StoredPositions
from policygen.errors import LibraryError, Location, Problem, SourceError, display
from policygen.resources import LIBRARY_DIR
from policygen.vocabulary import LANGUAGES, LOCALES

# A text per language ("de", "en"), and per locale ("en-US") where a clause has a variant.
Text = Mapping[str, str]


def text_key(text: Text, locale: str) -> str:
    """The key of the text a locale reads: its own variant, else its language's text."""
    return locale if locale in text else LOCALES[locale].language


@dataclass(frozen=True)
class LegalSource:
    """A legal source a clause relies on."""

    jurisdiction: str
    source: str
    checked: dt.date
    url: str | None
    unsettled: bool
    topics: frozenset[str] | None = None  # the clause topics this source supports; None: all

    def supports(self, topic: str) -> bool:
        """Whether this source supports the clause's rule on `topic`."""
        return self.topics is None or topic in self.topics


@dataclass(frozen=True)
class Addendum:
    """Extra text for some audiences only."""

    audiences: frozenset[str]
    text: Text


@dataclass(frozen=True)
class SummaryItem:
    """One line for the do's and don'ts page."""

    kind: str
    text: Text


@dataclass(frozen=True)
class Clause:
    """A clause of the library as written, before rendering."""

    id: str
    version: int
    section: str
    order: int
    audiences: frozenset[str]
    jurisdictions: frozenset[str] | None
    industries: frozenset[str] | None
    when: str | None
    requires: tuple[str, ...]
    excludes: tuple[str, ...]
    topics: tuple[str, ...]
    mandatory_in: frozenset[str]
    legal: tuple[LegalSource, ...]
    title: Text
    text: Text
    addenda: tuple[Addendum, ...]
    brief: frozenset[str]  # audiences that get the summary items instead of the text
    summary: tuple[SummaryItem, ...]
    review_note: Text | None
    path: str
    digest: str
    doc: SourceDoc
    replaces: str | None = None  # the id of a lower layer's clause this one replaces
    layer: str = BUNDLED  # the library layer the clause comes from
    replaced: str | None = None  # the layer whose clause of this id it replaced
    # the context paths its templates read (templating.reads), sorted: the profile values
    # its rendered text depends on (core/fragments.py); None: not known, never reused
    reads: tuple[tuple[str, ...], ...] | None = None
    # digests of what a document shows of it (`shown`), made when the file is read
    views: Mapping[str, str] | None = None

    def locate(self, doc_path: DocPath) -> Location:
        """The location of one of this clause's fields."""
        return self.doc.locate(doc_path)


@dataclass(frozen=True)
class SectionDef:
    """A section of the guideline, from clauses/sections.yaml."""

    id: str
    position: int
    title: Text


@dataclass(frozen=True)
class ClauseLibrary:
    """Every clause by id, the sections in order, the topic catalogue."""

    root: str
    clauses: Mapping[str, Clause]
    sections: Mapping[str, SectionDef]
    topics: Mapping[str, Mapping[str, Any]]
    layers: tuple[Layer, ...] = ()
    disabled: Mapping[str, str] = field(default_factory=dict)  # clause id -> layer that did
    locales: Mapping[str, locale_layer.Layer] = field(
        default_factory=lambda: dict(locale_layer.IDENTITY))
    industries: Mapping[str, industry_examples.IndustryExamples] = field(
        default_factory=industry_examples.empty)

    def ordered(self) -> list[Clause]:
        """All clauses in document order."""
        return list(self._ordered)

    @cached_property
    def _ordered(self) -> tuple[Clause, ...]:
        return tuple(sorted(self.clauses.values(), key=self.sort_key))

    def sort_key(self, clause: Clause) -> tuple[int, int, str]:
        """Document order: section position, then order, then id."""
        return (self.sections[clause.section].position, clause.order, clause.id)


_NOT_SHOWN = frozenset({"path", "digest", "doc", "reads", "views", "layer", "replaced",
                        "replaces"})  # a reason names the layer; the rest is not printed
_LANGUAGE_TEXTS = frozenset({"title", "text", "review_note"})


def shown(clause: Clause) -> dict[str, str]:
    """Digests of what the documents show of a clause, by language; "" for the summary.

    A guideline in a language shows every field but the texts of the other language (and
    their locales); a summary shows the summary items in every language (an item's length is
    that of its longest language), the clause's order and section. A change the documents do
    not show (a comment in the file) changes none of them (editions.inputs).
    """
    views = {lang: _digest(_in_language(clause, lang)) for lang in LANGUAGES}
    views[""] = _digest((clause.id, clause.version, clause.section, clause.summary))
    return views


def _digest(view: object) -> str:
    return hashlib.blake2b(repr(_canonical(view)).encode(), digest_size=16).hexdigest()


def _in_language(clause: Clause, lang: str) -> tuple[object, ...]:
    """Every field of a clause a document shows, its texts only in `lang` (and its locales)."""
    def own(text: object) -> object:
        if not isinstance(text, Mapping):
            return text
        return {key: value for key, value in text.items()
                if key == lang or key.startswith(f"{lang}-")}

    out: list[object] = []
    for name in Clause.__dataclass_fields__:
        if name in _NOT_SHOWN:
            continue
        value = getattr(clause, name)
        if name in _LANGUAGE_TEXTS:
            value = own(value)
        elif name == "addenda":
            value = tuple((a.audiences, own(a.text)) for a in value)
        elif name == "summary":
            value = tuple((item.kind, own(item.text)) for item in value)
        out.append((name, value))
    return tuple(out)


_LEAVES = frozenset({str, int, float, bool, type(None), dt.date})


def _canonical(value: Any) -> Any:
    """A value whose repr is the same in every process (sets sorted, objects as their fields)."""
    kind = type(value)
    if kind in _LEAVES:
        return value
    if kind is tuple or kind is list:
        return tuple(_canonical(v) for v in value)
    if kind is frozenset or kind is set:
        return ("set", tuple(sorted(repr(_canonical(v)) for v in value)))
    if isinstance(value, Mapping):
        return ("map", tuple((k, _canonical(v)) for k, v in value.items()))
    fields = getattr(kind, "__dataclass_fields__", None)
    if fields is not None:
        return (kind.__name__, tuple((name, _canonical(getattr(value, name))) for name in fields))
    return value


def selection_key(clause: Clause) -> str:
    """A digest of the fields that decide where a clause applies (not its text)."""
    fields = (clause.id, clause.section, clause.order, sorted(clause.audiences),
              sorted(clause.jurisdictions or []), sorted(clause.industries or []), clause.when,
              list(clause.requires), list(clause.excludes))
    return hashlib.blake2b(repr(fields).encode(), digest_size=16).hexdigest()


def default_root() -> Path:
    """The library bundled with policygen: the project's own clauses/ folder."""
    return LIBRARY_DIR


def load_library(root: LibrarySpec | None = None, display_root: str | None = None,
                 workers: int = 1) -> ClauseLibrary:
    """Load and check a clause library (one folder, or a stack of layers).

    `workers`: processes that may check clause files at once (a build passes its --jobs).

    Raises:
        LibraryError: listing every problem of every layer.
    """
    stack = layers.as_layers(root or default_root())
    entry = _library_entry(stack, display_root)
    library = _cached_library(entry) if entry else None
    if library is None:
        library = _check_library(stack, display_root, workers)
        if entry:
            cache.write("library", entry,
                        cache.seal(pickle.dumps(library, pickle.HIGHEST_PROTOCOL)))
    templating.load_compiled(library.root, [
        *((str(path[-1]), text) for clause in library.clauses.values()
          for path, text in template_fields(clause)),
        *((templating.CONDITION, clause.when) for clause in library.clauses.values()
          if clause.when is not None)])
    return library


def _library_entry(stack: tuple[Layer, ...], display_root: str | None) -> str | None:
    """The cache key of a library: every layer's name and every file's name and bytes.

    None if a file cannot be read (the check then reports it).
    """
    parts: list[str | bytes] = ["library", display_root or ""]
    try:
        for layer in stack:
            parts += [layer.name, layer.shown or display(layer.root)]
            # sections, layer, locales, industries at the top; the clauses in section folders
            for path in [*sorted(layer.root.glob("*.yaml")), *sorted(layer.root.glob("*/*.yaml"))]:
                parts += [path.relative_to(layer.root).as_posix(), path.read_bytes()]
    except OSError:
        return None
    return cache.key(*parts)


# The classes a library entry holds; a cache entry that names any other is not read.
_LIBRARY_CLASSES = frozenset({
    ("policygen.core.clauses", "ClauseLibrary"), ("policygen.core.clauses", "Clause"),
    ("policygen.core.clauses", "Addendum"), ("policygen.core.clauses", "SummaryItem"),
    ("policygen.core.clauses", "LegalSource"), ("policygen.core.clauses", "SectionDef"),
    ("policygen.core.industry_examples", "IndustryExamples"),
    ("policygen.core.layers", "Layer"), ("policygen.core.locale_layer", "Layer"),
    ("policygen.core.locale_layer", "Rules"), ("policygen.core.source", "SourceDoc"),
    ("policygen.core.source", "StoredPositions"),
    ("datetime", "date"), ("pathlib", "PosixPath"), ("pathlib", "WindowsPath"),
})


def _cached_library(entry: str) -> ClauseLibrary | None:
    payload = cache.unseal(cache.read("library", entry))
    if payload is None:
        return None
    library = cache.loads(payload, _LIBRARY_CLASSES)
    return library if isinstance(library, ClauseLibrary) else None


def _check_library(stack: tuple[Layer, ...], display_root: str | None,
                   workers: int = 1) -> ClauseLibrary:
    """Load and check every layer's files; raise LibraryError listing every problem."""
    from policygen.core import schema  # cerberus only when the library is checked

    problems: list[Problem] = []
    sections: dict[str, SectionDef] = {}
    topics = schema.load_schema("topics")
    clauses: dict[str, Clause] = {}
    disabled: dict[str, str] = {}
    unreadable: set[str] = set()
    shown_roots = []
    for index, layer in enumerate(stack):
        shown = display_root if display_root is not None and len(stack) == 1 \
            else layer.shown or display(layer.root)
        shown_roots.append(shown)
        if not layer.root.is_dir():
            problems.append(Problem(Location(shown), f"library folder {shown} not found",
                                    "--library names a folder of <section>/<id>.yaml files"))
            continue
        _load_sections(layer.root, shown, problems, sections, required=index == 0)
        files = sorted(layer.root.glob("*/*.yaml"))
        if not files and index == 0 and not problems:
            problems.append(Problem(Location(shown), "the clause library holds no clauses",
                                    "clauses live in <library>/<section>/<id>.yaml"))
        own: dict[str, Clause] = {}
        named = [(path, f"{shown}/{path.parent.name}/{path.name}") for path in files]
        for path, (clause, found) in zip(files, _load_clauses(named, sections, topics, workers),
                                         strict=True):
            unreadable.add(path.stem)
            problems.extend(found)
            if clause is None:
                continue
            unreadable.discard(path.stem)
            clause = replace(clause, layer=layer.name)
            if clause.id in own:
                problems.append(Problem(clause.locate(("id",)),
                                        f"duplicate clause id '{clause.id}'",
                                        f"already used by {own[clause.id].path}"))
                continue
            own[clause.id] = clause
        for clause in own.values():
            _stack_clause(clause, clauses, problems)
        if index > 0:
            _disable(layer, shown, clauses, disabled, problems)
    _check_references(clauses, unreadable, problems, disabled)
    _check_cycles(clauses, problems)
    # the locale layer and the industry examples come from the lowest layer that has them
    locale_layers: dict[str, locale_layer.Layer] = dict(locale_layer.IDENTITY)
    examples = industry_examples.empty()
    for layer, shown in zip(stack, shown_roots, strict=False):
        if (layer.root / "locales.yaml").is_file():
            try:
                locale_layers = locale_layer.load_layers(layer.root / "locales.yaml",
                                                         f"{shown}/locales.yaml")
            except LibraryError as exc:
                problems.extend(exc.problems)
            break
    for layer, shown in zip(stack, shown_roots, strict=False):
        if (layer.root / "industries.yaml").is_file():
            try:
                examples = industry_examples.load(layer.root / "industries.yaml",
                                                  f"{shown}/industries.yaml")
            except LibraryError as exc:
                problems.extend(exc.problems)
            break
    if problems:
        raise LibraryError(sorted(problems, key=lambda p: (p.location, p.message)))
    root_shown = shown_roots[0] if len(shown_roots) == 1 else " + ".join(shown_roots)
    return ClauseLibrary(root_shown, clauses, sections, topics, stack, disabled, locale_layers,
                         examples)


def _stack_clause(clause: Clause, clauses: dict[str, Clause], problems: list[Problem]) -> None:
    """Put a clause over the layers below: new, an explicit replacement, or a conflict."""
    below = clauses.get(clause.id)
    if clause.replaces is not None:
        if clause.replaces != clause.id:
            problems.append(Problem(clause.locate(("replaces",)),
                                    f"replaces '{clause.replaces}', but the clause's id is "
                                    f"'{clause.id}'",
                                    f"a replacement keeps the id it replaces: `id: "
                                    f"{clause.replaces}` in {clause.replaces}.yaml"))
        elif below is None:
            problems.append(Problem(clause.locate(("replaces",)),
                                    f"replaces clause '{clause.id}', which no lower library "
                                    "layer has", "remove `replaces:` to add it as a new clause; "
                                    + _suggest(clause.id, clauses)))
        else:
            clauses[clause.id] = replace(clause, replaced=below.layer)
        return
    if below is not None:
        problems.append(Problem(clause.locate(("id",)),
                                f"clause '{clause.id}' is already in library layer "
                                f"'{below.layer}' ({below.path})",
                                f"add `replaces: {clause.id}` to replace it, or give this "
                                "clause an id of its own"))
        return
    clauses[clause.id] = clause


def _disable(layer: Layer, shown: str, clauses: dict[str, Clause], disabled: dict[str, str],
             problems: list[Problem]) -> None:
    """Switch off the clauses a layer's layer.yaml names under `disable:`."""
    path = layer.root / LAYER_FILE
    if not path.is_file():
        return
    try:
        doc = source.load(path, f"{shown}/{LAYER_FILE}")
    except SourceError as exc:
        problems.extend(exc.problems)
        return
    data = doc.data if isinstance(doc.data, dict) else None
    if data is None or set(data) - {"disable"} or not isinstance(data.get("disable", []), list):
        problems.append(Problem(doc.locate(()), f"{LAYER_FILE} holds only `disable:`, a list "
                                "of clause ids", "e.g. `disable: [employees.advocacy]`"))
        return
    for i, clause_id in enumerate(data.get("disable", [])):
        if not isinstance(clause_id, str) or clause_id not in clauses:
            problems.append(Problem(doc.locate(("disable", i)),
                                    f"disable names unknown clause '{clause_id}'",
                                    _suggest(str(clause_id), clauses)))
            continue
        del clauses[clause_id]
        disabled[clause_id] = layer.name


def _load_sections(root: Path, shown: str, problems: list[Problem],
                   sections: dict[str, SectionDef], *, required: bool) -> None:
    """Add a layer's sections.yaml to the sections (required in the lowest layer only)."""
    path = root / "sections.yaml"
    if not required and not path.exists():
        return
    try:
        doc = source.load(path, f"{shown}/sections.yaml")
    except SourceError as exc:
        problems.extend(exc.problems)
        return
    if not isinstance(doc.data, list):
        problems.append(Problem(doc.locate(()), "sections.yaml must be a list of sections",
                                "each entry: `- id: purpose` with `title: {de: ..., en: ...}`"))
        return
    for i, entry in enumerate(doc.data):
        ok = isinstance(entry, dict) and isinstance(entry.get("id"), str) and \
            isinstance(entry.get("title"), dict) and all(
                isinstance(entry["title"].get(lang), str) for lang in LANGUAGES)
        if not ok:
            problems.append(Problem(doc.locate((i,)), "a section needs an id and a title in de "
                                    "and en", "`- id: purpose` / `title: {de: ..., en: ...}`"))
            continue
        if entry["id"] in sections:
            problems.append(Problem(doc.locate((i, "id")),
                                    f"section '{entry['id']}' is defined by a lower layer",
                                    "a layer's sections.yaml only adds new sections"))
            continue
        sections[entry["id"]] = SectionDef(entry["id"], len(sections), entry["title"])


# Clause files to check before a second process helps: checking one takes about 8 ms
# (cerberus, the YAML positions, the templates); starting the processes and returning the
# clauses costs a few of those.
_PARALLEL_FROM = 16
# A clause file to check: its path, display name, bytes, cache entry, the sections and topics.
_Job = tuple[Path, str, bytes, str, Mapping[str, SectionDef], Mapping[str, Any]]


def _load_clauses(named: list[tuple[Path, str]], sections: Mapping[str, SectionDef],
                  topics: Mapping[str, Any], workers: int,
                  ) -> list[tuple[Clause | None, list[Problem]]]:
    """Each file's clause (None where it has problems) and problems, in the files' order.

    A file checked before comes from the per-user cache. On a cold machine with `workers`
    processes to spare, the files to check are shared among that many forked processes: the
    check is what a cold build does before its workers can start.
    """
    results: list[tuple[Clause | None, list[Problem]] | None] = []
    jobs: list[_Job] = []
    unchecked = []
    for index, (path, name) in enumerate(named):
        raw = path.read_bytes()
        entry_key = _clause_key(name, raw, sections)
        cached = _cached_clause(entry_key, name, raw)
        results.append((cached, []) if cached is not None else None)
        if cached is None:
            unchecked.append(index)
            jobs.append((path, name, raw, entry_key, sections, topics))
    checked = _checked_in_processes(jobs, workers) \
        if workers > 1 and len(jobs) >= _PARALLEL_FROM else None
    if checked is None:
        checked = [_checked_clause(*job) for job in jobs]
    for index, (clause, found, code) in zip(unchecked, checked, strict=True):
        results[index] = clause, found
        if code:
            templating.add_code(code)
    return [result for result in results if result is not None]


def _checked_in_processes(jobs: list[_Job], workers: int,
                          ) -> list[tuple[Clause | None, list[Problem], bytes]] | None:
    """`_checked_clause` of each job in up to `workers` forked processes (None: cannot fork)."""
    import multiprocessing  # only for a library checked in full

    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    templating.environment("en")  # made once, before the fork
    with multiprocessing.get_context("fork").Pool(
            min(workers, len(jobs) // (_PARALLEL_FROM // 2))) as pool:
        return pool.starmap(_checked_clause, [(*job, True) for job in jobs])


def _checked_clause(path: Path, name: str, raw: bytes, entry_key: str,
                    sections: Mapping[str, SectionDef], topics: Mapping[str, Any],
                    compiled: bool = False) -> tuple[Clause | None, list[Problem], bytes]:
    """A clause file checked; with `compiled`, the code of its templates in their language.

    The check parses every template anyway; a process that shares the check compiles each
    from that parse, so that the build's workers need not compile it each. That is the code
    of the text as the library writes it, which documents in de-DE and en-GB render as it
    is; a locale layer's spelling of it is compiled where it is first rendered.
    """
    problems: list[Problem] = []
    code: dict[tuple[str, str], Any] | None = {} if compiled else None
    try:
        clause = _load_clause(path, name, raw, entry_key, sections, topics, problems, code)
    except (LibraryError, SourceError) as exc:
        return None, [*problems, *exc.problems], b""
    return clause, problems, templating.code_bytes(code) if code else b""


def _clause_key(name: str, raw: bytes, sections: Mapping[str, SectionDef]) -> str:
    return cache.key(name, raw, repr(sorted((k, v.title) for k, v in sections.items())))


def _cached_clause(entry_key: str, name: str, raw: bytes) -> Clause | None:
    entry = cache.read_json("clauses", entry_key)
    if not isinstance(entry, dict):
        return None
    try:
        if not (isinstance(entry["positions"], str) and isinstance(entry["key_positions"], str)):
            return None
        doc = SourceDoc(name, entry["raw"], StoredPositions(entry["positions"]),
                        StoredPositions(entry["key_positions"]), raw.decode("utf-8-sig"))
        reads = tuple(tuple(str(part) for part in path) for path in entry["reads"])
        views = {str(lang): str(view) for lang, view in entry["views"].items()}
        return replace(_build(entry["data"], doc, name, hashlib.sha256(raw).hexdigest()),
                       reads=reads, views=views)
    except (KeyError, TypeError, ValueError):
        return None


def _store_clause(entry_key: str, clause: Clause, data: Mapping[str, Any]) -> None:
    doc = clause.doc
    cache.write_json("clauses", entry_key, {
        "raw": doc.data, "data": data, "reads": [list(path) for path in clause.reads or ()],
        "views": dict(clause.views or {}),
        # as JSON text: decoded only when something in the clause is located (source.py)
        "positions": _rows(doc.positions), "key_positions": _rows(doc.key_positions),
    })


def _rows(positions: Mapping[DocPath, tuple[int, int]]) -> str:
    return json.dumps([[list(p), line, col] for p, (line, col) in positions.items()],
                      separators=(",", ":"))


def _load_clause(path: Path, name: str, raw: bytes, entry_key: str,
                 sections: Mapping[str, SectionDef], topics: Mapping[str, Any],
                 problems: list[Problem], code: dict[tuple[str, str], Any] | None = None,
                 ) -> Clause | None:
    """A clause file not in the per-user cache, parsed, validated and checked."""
    from policygen.core import schema  # cerberus only on a cache miss

    doc = source.parse(source.decode(raw, name), name)
    data, found = schema.validate(doc, "clause")
    if found:
        problems.extend(found)
        return None
    clause = _build(data, doc, name, hashlib.sha256(raw).hexdigest())
    local: list[Problem] = []
    if path.stem != clause.id:
        local.append(Problem(doc.locate(("id",)),
                             f"clause id '{clause.id}' does not match the file name '{path.name}'",
                             f"rename the file to {clause.id}.yaml or fix the id"))
    if clause.section not in sections:
        local.append(Problem(doc.locate(("section",)), f"unknown section '{clause.section}'",
                             f"sections: {', '.join(sections)}"))
    elif clause.id.split(".")[0] != clause.section or path.parent.name != clause.section:
        local.append(Problem(doc.locate(("section",)),
                             f"clause '{clause.id}' must live in section and folder "
                             f"'{clause.id.split('.')[0]}'",
                             "the first part of the id names the section and the folder"))
    if clause.brief and not clause.summary:
        local.append(Problem(doc.locate(("brief",)),
                             "brief needs summary items: they are the clause's rules for "
                             f"{', '.join(sorted(clause.brief))}",
                             "add `summary:` items, or remove `brief`"))
    for i, topic in enumerate(clause.topics):
        if topic not in topics:
            local.append(Problem(doc.locate(("topics", i)), f"unknown topic '{topic}'",
                                 "topic ids are listed in schemas/topics.yaml"))
    for i, cited in enumerate(clause.legal):
        for topic in sorted(cited.topics or ()):
            if topic not in clause.topics:
                local.append(Problem(doc.locate(("legal", i, "topics")),
                                     f"legal source {i + 1} names topic '{topic}', which the "
                                     "clause does not list",
                                     "a source's topics must be among the clause's `topics`"))
    reads: set[tuple[str, ...]] = set()
    local.extend(_check_templates(clause, reads, code if not local else None))
    problems.extend(local)
    clause = replace(clause, reads=tuple(sorted(reads)))
    clause = replace(clause, views=shown(clause))
    if not local:
        _store_clause(entry_key, clause, data)
    return clause


def _text(value: Mapping[str, str]) -> Text:
    return {key: value[key] for key in (*LANGUAGES, *LOCALES) if key in value}


def _build(data: Mapping[str, Any], doc: SourceDoc, name: str, digest: str) -> Clause:
    def optional_set(key: str) -> frozenset[str] | None:
        return frozenset(data[key]) if data.get(key) else None

    return Clause(
        id=data["id"],
        version=data["version"],
        section=data["section"],
        order=data["order"],
        audiences=frozenset(data["audiences"]),
        jurisdictions=optional_set("jurisdictions"),
        industries=optional_set("industries"),
        when=data.get("when"),
        requires=tuple(data["requires"]),
        excludes=tuple(data["excludes"]),
        topics=tuple(data["topics"]),
        mandatory_in=frozenset(data["mandatory_in"]),
        legal=tuple(LegalSource(s["jurisdiction"], s["source"], s["checked"], s.get("url"),
                                s["unsettled"],
                                frozenset(s["topics"]) if s.get("topics") else None)
                    for s in data["legal"]),
        title=_text(data["title"]),
        text=_text(data["text"]),
        addenda=tuple(Addendum(frozenset(a["audiences"]), _text(a["text"]))
                      for a in data["addenda"]),
        brief=frozenset(data["brief"]),
        summary=tuple(SummaryItem(s["kind"], _text(s)) for s in data["summary"]),
        review_note=_text(data["review_note"]) if data.get("review_note") else None,
        path=name,
        digest=digest,
        doc=doc,
        replaces=data.get("replaces"),
    )


def template_fields(clause: Clause) -> list[tuple[DocPath, str]]:
    """Every template of a clause with the document path of its text."""
    fields: list[tuple[DocPath, str]] = []
    for key, text in clause.title.items():
        fields.append((("title", key), text))
    for key, text in clause.text.items():
        fields.append((("text", key), text))
    for i, addendum in enumerate(clause.addenda):
        for key, text in addendum.text.items():
            fields.append((("addenda", i, "text", key), text))
    for lang in LANGUAGES:
        for i, item in enumerate(clause.summary):
            fields.append((("summary", i, lang), item.text[lang]))
    return fields


def template_location(clause: Clause, doc_path: DocPath, lineno: int, needle: str = "") -> Location:
    """Map a line of a template to the file: block scalars start on the line after `|`."""
    base = clause.locate(doc_path)
    lines = clause.doc.text.splitlines()
    if base.line <= 0 or base.line > len(lines):
        return base
    marker = lines[base.line - 1][base.col - 1:base.col]
    if marker in ("|", ">"):
        line_no = base.line + max(lineno, 1)
        if line_no > len(lines):
            return base
        text = lines[line_no - 1]
        col = (text.find(needle) + 1) if needle and needle in text else \
            len(text) - len(text.lstrip()) + 1
        return Location(base.path, line_no, col)
    text = lines[base.line - 1]
    offset = text.find(needle, base.col - 1) if needle else -1
    return Location(base.path, base.line, offset + 1 if offset >= 0 else base.col)


_SWALLOWING_TAG = re.compile(r"\S.*\{%-?(?:(?!%\}).)*[^+]%\}[ \t]*$")


def _swallowed_breaks(clause: Clause, doc_path: DocPath, text: str) -> list[Problem]:
    """Text followed by a block tag at the end of a line loses its line break (trim_blocks)."""
    lines = text.rstrip("\n").split("\n")
    return [
        Problem(template_location(clause, doc_path, number, line[line.rfind("{%"):].rstrip()),
                "a {% tag %} at the end of a text line swallows the line break, which joins "
                "this line with the next",
                "put the tag on a line of its own, or end it with +%} to keep the break")
        for number, line in enumerate(lines[:-1], start=1)
        if "%}" in line and _SWALLOWING_TAG.search(line) and not line.lstrip().startswith("{%")
    ]


def _check_templates(clause: Clause, reads: set[tuple[str, ...]],
                     code: dict[tuple[str, str], Any] | None = None) -> list[Problem]:
    """The problems of a clause's templates; adds the paths they read to `reads`.

    With `code`, adds the compiled code of each text in a language (not a locale variant)
    when the clause has no problem.
    """
    problems: list[Problem] = []
    env = templating.environment("en")
    parsed = []
    for doc_path, text in template_fields(clause):
        problems.extend(_swallowed_breaks(clause, doc_path, text))
        if templating.is_literal(text):
            continue  # no tag: nothing to read, nothing to forbid
        try:
            ast = env.parse(text)
        except jinja2.TemplateSyntaxError as exc:
            problems.append(Problem(template_location(clause, doc_path, exc.lineno),
                                    f"template syntax error: {exc.message}",
                                    "check the {{ }} and {% %} tags on this line"))
            continue
        parsed.append((str(doc_path[-1]), text, ast))
        reads |= templating.reads(ast)
        for use in templating.forbidden(ast):
            problems.append(Problem(
                template_location(clause, doc_path, use.lineno, use.path[-1]), use.problem,
                "a clause text uses profile fields only; it cannot load files or reach Python "
                "internals"))
        for use in templating.unknown_paths(ast, FACT_NAMES):
            problems.append(Problem(
                template_location(clause, doc_path, use.lineno, use.path[-1]), use.problem,
                "template variables are the profile fields of schemas/profile.yaml, plus facts, "
                "vars, examples, lang, locale and audience (docs/clause-format.md)"))
    if clause.when is not None:
        try:
            ast = env.parse("{{ " + clause.when + " }}")
            env.compile_expression(clause.when)
        except jinja2.TemplateSyntaxError as exc:
            problems.append(Problem(clause.locate(("when",)),
                                    f"condition does not compile: {exc.message}",
                                    "write a jinja2 expression, "
                                    "e.g. \"'US' in company.jurisdictions\""))
        else:
            for use in [*templating.forbidden(ast), *templating.unknown_paths(ast, FACT_NAMES)]:
                problems.append(Problem(clause.locate(("when",)), use.problem,
                                        "conditions use the same variables as templates"))
    if code is not None and not problems:
        for lang, text, ast in parsed:
            if lang in LANGUAGES:
                code[(lang, text)] = templating.environment(lang).compile(ast)
    return problems


def _check_references(clauses: Mapping[str, Clause], unreadable: set[str],
                      problems: list[Problem], disabled: Mapping[str, str]) -> None:
    for clause in clauses.values():
        for key in ("requires", "excludes"):
            for i, target in enumerate(getattr(clause, key)):
                if target in unreadable:
                    continue  # its own file's problems are reported already
                if target in disabled:
                    if key == "requires":
                        problems.append(Problem(
                            clause.locate((key, i)),
                            f"requires clause '{target}', which library layer "
                            f"'{disabled[target]}' switches off",
                            f"switch off {clause.id} too, or keep {target}"))
                elif target not in clauses:
                    problems.append(Problem(clause.locate((key, i)),
                                            f"{key} names unknown clause '{target}'",
                                            _suggest(target, clauses)))
                elif target == clause.id:
                    problems.append(Problem(clause.locate((key, i)),
                                            f"clause {key} itself", "remove this entry"))


def _suggest(target: str, clauses: Mapping[str, Clause]) -> str:
    close = difflib.get_close_matches(target, list(clauses), n=1)
    return f"did you mean '{close[0]}'?" if close else "`policygen clauses` lists every id"


def _check_cycles(clauses: Mapping[str, Clause], problems: list[Problem]) -> None:
    state: dict[str, int] = {}

    def visit(cid: str, trail: list[str]) -> None:
        state[cid] = 1
        for target in clauses[cid].requires:
            if target not in clauses or target == cid:  # unknown or itself: reported already
                continue
            if state.get(target) == 1:
                cycle = trail[trail.index(target):] + [target] if target in trail else [cid, target]
                problems.append(Problem(clauses[cid].locate(("requires",)),
                                        f"requires forms a cycle: {' -> '.join(cycle)}",
                                        "a clause cannot (indirectly) require itself"))
            elif target not in state:
                visit(target, [*trail, target])
        state[cid] = 2

    for cid in sorted(clauses):
        if cid not in state:
            visit(cid, [cid])

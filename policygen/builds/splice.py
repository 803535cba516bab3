"""After a clause edit, a guideline's files made by writing the new clause into the old ones.

A build that renders a guideline (Markdown, HTML, .docx) keeps, for each file, where each
clause body lies in it (writers/regions.py) and what the document-wide figures take from each
clause: what the linter's PL001 and PL009 found in it, its readability figures, and a
*signature*: a digest of everything the document shows of it besides its blocks (id,
version, title, the reason it is in, review note, sources; they make its heading, the
contents, the provenance appendix, the draft notes and comments). When a later build finds a
profile stale only because clauses it uses changed, `rebuild` renders just those clauses and,
where every one of them keeps its signature and (in a .docx) its hyperlinks and numbered
lists, replaces their bodies in the previous files: Markdown and HTML by bytes, a .docx by
deflating again only the section of word/document.xml that holds them (writers/splicing.py
does the bytes). The result is the file a whole render gives (tests/builds/test_splice.py
compares them), without composing the document, unpacking the other clauses or deflating the
whole package.

Anything else is left to the ordinary render: no entry, a file that is not as recorded, a
selection that changed, a summary or a format without regions to re-make (PDF), a clause
whose heading, links or lists changed, a build restricted with --lang, --audience, --format
or --draft. An entry is a per-user cache entry like any other (docs/builds.md): sealed, read
only when its digest matches, every value checked for shape before use, and named by the
digest of the very file it describes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import marshal
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from policygen.builds.manifest import ProfileRecord
from policygen.builds.outputs import output_name
from policygen.builds.render import Output, load_reference, profile_assets, reference_warnings
from policygen.core import cache, compose, digest, editions, files, select, typography
from policygen.core.clauses import ClauseLibrary
from policygen.core.profile import Profile, load_profile
from policygen.document import Clause as DocClause
from policygen.document import Document
from policygen.errors import PolicygenError, Problem
from policygen.hr import readability
from policygen.vocabulary import LOCALES
from policygen.writers import splicing
from policygen.writers.regions import Regions
from policygen.writers.splicing import Refused, check

KIND = "splices"
FORMATS = ("md", "html", "docx")  # the formats whose files can be re-made this way
_EASE = "employees"  # the edition whose readability the build reports
_MAX_ENTRY = 8 << 20
MAX_BYTES = 128 << 20  # the folder's bound (about 17 KB an entry, one per document written)


def signature(clause: DocClause) -> bytes:
    """A digest of what a document shows of a clause besides its blocks.

    Of the repr of plain values, which is canonical (marshal's bytes are not: they depend on
    how often each string is referenced).
    """
    return hashlib.blake2b(repr((
        clause.clause_id, clause.version, clause.title, clause.reason, clause.review_note,
        tuple((s.jurisdiction, s.citation, s.checked.toordinal(), s.url, s.unsettled)
              for s in clause.sources))).encode(), digest_size=16).digest()


def _entry_name(path: str, files: dict[str, str], lint: bool) -> str:
    return cache.key(KIND, path, "lint" if lint else "", *(
        f"{relpath}\0{files[relpath]}" for relpath in sorted(files)))


def _load(path: str, files: dict[str, str], lint: bool) -> dict[str, Any] | None:
    """The entry of one document's files as they are (by their digests): its clauses and regions.

    Named by the files' digests, it is found whenever those very files are in an output
    folder, however they came there (rendered, spliced, copied from the output cache); and
    by whether it holds what the linter found (a build that lints needs that).
    """
    raw = cache.read(KIND, _entry_name(path, files, lint))
    payload = cache.unseal(raw) if raw is not None and len(raw) <= _MAX_ENTRY else None
    if payload is None:
        return None
    try:
        entry = marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return None
    ok = isinstance(entry, dict) and isinstance(entry.get("document"), dict) \
        and isinstance(entry.get("files"), dict) and set(entry["files"]) == set(files) \
        and all(isinstance(kept, dict) and kept.get("digest") == files[relpath]
                for relpath, kept in entry["files"].items())
    return entry if ok else None


def _save(path: str, entry: dict[str, Any], lint: bool) -> None:
    payload = marshal.dumps(entry)
    if len(payload) <= _MAX_ENTRY:
        files = {relpath: kept["digest"] for relpath, kept in entry["files"].items()}
        cache.write(KIND, _entry_name(path, files, lint), cache.seal(payload))


def prune() -> None:
    """Remove the least recently used entries while the folder holds more than MAX_BYTES."""
    cache.prune(KIND, MAX_BYTES)


# ---- what a render keeps ----

def _clause_record(clause: DocClause, lang: str, lint: bool, us: bool,
                   ease: bool) -> list[Any]:
    found = None
    if lint:
        from policygen.legal.lint import clause_findings

        kept = clause_findings(clause, us)
        found = [[list(hit) for hit in kept.overbroad],
                 [[phrase, past, when.isoformat()] for phrase, past, when in kept.dated]]
    figures: list[Any] | None = list(readability.clause_ease(clause, lang)) if ease else None
    if figures is not None:
        figures[4] = [list(top) for top in figures[4]]
    return [clause.clause_id, signature(clause), found, figures]


def document_record(document: Document, lint: bool, us: bool) -> dict[str, Any]:
    """What the document-wide figures of a guideline take from each of its clauses."""
    lang = document.meta.language
    ease = document.meta.audience == _EASE
    return {"clauses": [_clause_record(c, lang, lint, us, ease) for c in document.clauses()],
            "titles": readability.title_words(document) if ease else 0}


def keep(path: str, profile: Profile, guidelines: dict[tuple[str, str], Document],
         regions: dict[str, Regions], outputs: list[Output], digests: dict[str, str],
         lint: bool) -> None:
    """Keep where each clause is in a profile's guideline files, for the next clause edit.

    One entry per document, named by the digests of its files (`digests`, by output; see
    `_load`).
    """
    if not regions or cache.folder() is None:
        return
    us = "US" in profile.company["jurisdictions"]
    files: dict[tuple[str, str], dict[str, Any]] = {}
    for output in outputs:
        found = regions.get(output.relpath)
        if found is not None:
            files.setdefault((output.audience, output.language), {})[output.relpath] = \
                splicing.regions_record(found, digests[output.relpath], output.format)
    for key, document in guidelines.items():
        if key not in files:
            continue
        named = {relpath: kept["digest"] for relpath, kept in files[key].items()}
        if cache.touch(KIND, _entry_name(path, named, lint)):
            continue  # these very files were kept before (re-made from fragments, say)
        _save(path, {"document": document_record(document, lint, us), "files": files[key]},
              lint)


# ---- what a clause edit re-makes ----

@dataclass
class Spliced:
    """A profile's re-made files, with what the build records and reports of them."""

    slug: str
    selection: dict[str, list[list[Any]]]
    assets: dict[str, str]
    outputs: list[Output]
    digests: dict[str, str]  # by output
    editions: dict[str, str]
    skipped: frozenset[str]
    warnings: list[Problem] = field(default_factory=list)
    readability: list[str] = field(default_factory=list)


def _ints(value: Any, count: int) -> list[int]:
    check(isinstance(value, list) and len(value) == count
           and all(type(v) is int and v >= 0 for v in value))
    return cast(list[int], value)


def _clause_entries(document: Any) -> list[list[Any]]:
    check(isinstance(document, dict) and isinstance(document.get("clauses"), list)
           and type(document.get("titles")) is int)
    for item in document["clauses"]:
        check(isinstance(item, list) and len(item) == 4 and type(item[0]) is str
               and type(item[1]) is bytes)
    return cast(list[list[Any]], document["clauses"])


def rebuild(library: ClauseLibrary, file: Path, path: str, out_dir: Path,
            record: ProfileRecord, lint: bool) -> Spliced | None:
    """A stale profile's re-made guideline files, or None where the ordinary render must run.

    `record` is the profile's manifest record (ProfileRecord) from the build that made the
    files now in `out_dir`.
    """
    try:
        return _rebuild(library, file, path, out_dir, record, lint)
    except (Refused, PolicygenError):
        return None  # an error is the ordinary render's to report, with its location


def _rebuild(library: ClauseLibrary, file: Path, path: str, out_dir: Path,
             record: ProfileRecord, lint: bool) -> Spliced:
    profile = load_profile(file, path)
    check(profile.slug == record.slug and all(f in FORMATS for f in profile.formats))
    select.check_overrides(library, profile)
    known: dict[str, str] = {}
    chosen: dict[str, list[list[Any]]] = {}
    assemblies = {}
    for audience in profile.audiences:
        assembly = assemblies[audience] = select.select(library, profile, audience)
        chosen[audience] = [[c.id, c.version, c.digest] for c in assembly.clauses]
        for name in editions.edition_names(audience):
            for lang in profile.languages:
                known[f"{name}.{lang}"] = editions.inputs(assembly, name, lang)
    check(set(known) == set(record.editions) and set(chosen) == set(record.selection))
    redo = [name for name, inputs in known.items() if record.editions[name] != inputs]
    outputs: list[Output] = []
    found: dict[tuple[str, str], Any] = {}
    ease: list[str] = []
    reference = load_reference(profile) if "docx" in profile.formats else None
    entries: dict[str, dict[str, Any]] = {}
    for name in redo:
        audience, _, lang = name.rpartition(".")
        check(audience in assemblies)  # a guideline; a summary is the ordinary render's
        before = record.selection[audience]
        now = chosen[audience]
        check([e[:2] for e in before] == [e[:2] for e in now])  # the same clauses, in order
        changed = {e[0] for e, b in zip(now, before, strict=True) if e != b}
        relpaths = {fmt: output_name(profile.slug, audience, lang, fmt) for fmt in profile.formats}
        check(all(relpath in record.outputs for relpath in relpaths.values()))
        found_entry = _load(path, {relpath: record.outputs[relpath].digest
                                   for relpath in relpaths.values()}, lint)
        if found_entry is None:
            raise Refused
        document = found_entry["document"]
        clauses = _clause_entries(document)
        ids = [item[0] for item in clauses if item[0]]
        check(ids == [c.id for c in assemblies[audience].clauses])
        new = _rendered(library, profile, assemblies[audience], lang,
                        [(i, item) for i, item in enumerate(clauses) if item[0] in changed])
        kept = [list(item) for item in clauses]
        for index, clause in new.items():
            kept[index] = _clause_record(clause, lang, lint, "US" in profile.company[
                "jurisdictions"], audience == _EASE)
            check(kept[index][1] == clauses[index][1])  # the same heading, reason, sources
        check(not lint or all(item[2] is not None for item in kept))
        check(audience != _EASE or all(item[3] is not None for item in kept))
        made_files: dict[str, Any] = {}
        entries[name] = {"document": {"clauses": kept, "titles": document["titles"]},
                         "files": made_files}
        for fmt, relpath in relpaths.items():
            written = record.outputs[relpath]
            regions = found_entry["files"][relpath]
            check(regions.get("format") == fmt)
            old = _read_output(out_dir / relpath, written.digest)
            if fmt != "docx":
                data, made = splicing.spliced_text(fmt, old, regions, new, digest.of_bytes)
            else:
                locale = profile.locale(lang)
                data, made = splicing.spliced_docx(old, regions, new, reference, locale,
                                                   LOCALES[locale].paper, digest.of_bytes)
            outputs.append(Output(relpath, data, profile.path, lang, audience, fmt))
            made_files[relpath] = made
        if lint:
            found[(audience, lang)] = _findings(lang, kept)
        if audience == _EASE:
            ease.append(readability.summary_line(f"{profile.slug}/{name}",
                                                 _ease(lang, entries[name]["document"])))
    warnings: list[Problem] = list(reference_warnings(profile, reference))
    if lint:
        from policygen.legal.lint import lint as run_lint

        warnings.extend(run_lint(library, profile, found, only_given=True))
    for made_entry in entries.values():
        _save(path, made_entry, lint)
    digests = {relpath: made["digest"] for made_entry in entries.values()
               for relpath, made in made_entry["files"].items()}
    return Spliced(profile.slug, chosen, profile_assets(profile), outputs, digests, known,
                   frozenset(known) - set(redo), warnings, ease)


def _rendered(library: ClauseLibrary, profile: Profile, assembly: select.Assembly, lang: str,
              wanted: list[tuple[int, list[Any]]]) -> dict[int, DocClause]:
    """The changed clauses as the guideline would hold them, by their index in it."""
    check(bool(wanted))
    layer = library.locales[profile.locale(lang)]
    context = compose.template_context(library, profile, lang, assembly.audience)
    out = {}
    for index, item in wanted:
        clause = library.clauses[item[0]]
        made = compose.clause_fragment(clause, context, lang, profile.path, layer)
        out[index] = typography.clause(DocClause(
            clause.id, clause.version, made.title, made.blocks,
            assembly.decision(clause.id).words(lang), made.note,
            compose.applicable_sources(made.sources, profile), made.memo))
        check(bool(out[index].blocks))
    return out


def _read_output(target: Path, expected: str) -> bytes:
    try:
        data = files.read_regular(target, files.MAX_ASSET_BYTES)
    except OSError:
        raise Refused from None
    check(digest.of_bytes(data) == expected)
    return data


def _findings(lang: str, kept: list[list[Any]]) -> Any:
    from policygen.legal.lint import ClauseFindings, DocumentFindings

    clauses = []
    try:
        for clause_id, _, found, _ in kept:
            check(isinstance(found, list) and len(found) == 2)
            overbroad = tuple((int(i), str(p)) for i, p in found[0])
            dated = tuple((str(phrase), bool(past), dt.date.fromisoformat(when))
                          for phrase, past, when in found[1])
            clauses.append(ClauseFindings(clause_id, overbroad, dated))
    except (TypeError, ValueError):
        raise Refused from None
    return DocumentFindings(lang, tuple(clauses))


def _ease(lang: str, document: dict[str, Any]) -> readability.Readability:
    clauses: list[tuple[str, readability.ClauseEase]] = []
    try:
        for clause_id, _, _, figures in document["clauses"]:
            check(isinstance(figures, list) and len(figures) == 5)
            top = tuple((str(text), int(words)) for text, words in figures[4])
            sentences, words, syllables, every = _ints(list(figures[:4]), 4)
            clauses.append((clause_id, (sentences, words, syllables, every, top)))
    except (TypeError, ValueError):
        raise Refused from None
    return readability.combine(lang, clauses, document["titles"])

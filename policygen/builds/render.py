"""Rendering: profiles x audiences x languages x formats to outputs in memory.

Loading profiles (all problems of all profiles at once), the reference .docx, and turning one
profile into every file it should produce. Writing them is `incremental.run_build`'s job.
"""

from __future__ import annotations

import marshal
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from functools import cache
from pathlib import Path
from typing import Any

from policygen.builds.outputs import output_name
from policygen.builds.selection import Selection
from policygen.core import cache as file_cache
from policygen.core import digest, editions, files, select
from policygen.core.clauses import ClauseLibrary
from policygen.core.profile import Profile, load_profile
from policygen.document import Document
from policygen.errors import BrandingError, OutputError, PolicygenError, Problem, display
from policygen.hr import branding, readability
from policygen.writers.docx.reference import BUNDLED, Reference, bundled_bytes, parse_reference
from policygen.writers.regions import Regions
from policygen.writers.registry import FORMATS, Assets, writer

__all__ = ["FORMATS", "Output", "Rendered", "finish", "load_profiles", "load_reference",
           "render_all"]


@dataclass(frozen=True)
class Output:
    """One generated file, still in memory."""

    relpath: str
    data: bytes
    profile: str
    language: str
    audience: str
    format: str
    job: Any = None  # a batch writer's job (PDF) still to run by `finish`; data is empty till then


def load_profiles(paths: Sequence[Path]) -> list[Profile]:
    """Load every profile, collecting the problems of all of them before failing."""
    profiles: list[Profile] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            profiles.append(load_profile(path, display(path)))
        except PolicygenError as exc:
            problems.extend(exc.problems)
    if problems:
        raise PolicygenError(problems)
    slugs: dict[str, str] = {}
    for profile in profiles:
        if profile.slug in slugs:
            problems.append(Problem(profile.source.locate(("company", "short_name")),
                                    f"output folder '{profile.slug}' is also used by "
                                    f"{slugs[profile.slug]}",
                                    "give each company a distinct company.short_name"))
        slugs[profile.slug] = profile.path
    if problems:
        raise PolicygenError(problems)
    return profiles


def parsed_reference(data: bytes, name: str) -> Reference:
    """A reference .docx read once per user and file content (lxml only on a cache miss)."""
    entry = file_cache.key("reference", name, data)
    raw = file_cache.read("references", entry)
    if raw is not None:
        try:
            return Reference(*marshal.loads(raw))
        except (ValueError, EOFError, TypeError):
            pass
    reference = parse_reference(data, name)
    file_cache.write("references", entry, marshal.dumps(
        tuple(getattr(reference, f.name) for f in fields(reference))))
    return reference


@cache
def _bundled() -> Reference:
    return parsed_reference(bundled_bytes(), BUNDLED)


def warm_up(formats: Iterable[str], lint: bool) -> None:
    """Import what rendering needs and read the bundled reference, once, before workers fork."""
    import importlib

    from policygen.core import compose, handouts  # noqa: F401 - imported for the workers

    for fmt in formats:
        importlib.import_module(f"policygen.writers.{writer(fmt).module}")
        if writer(fmt).needs_reference:
            _bundled()
    if lint:
        importlib.import_module("policygen.legal.lint")


def load_reference(profile: Profile) -> Reference:
    """The profile's reference .docx, or the bundled one."""
    name = profile.data["branding"]["reference_docx"]
    if not name:
        return _bundled()
    base = Path(profile.path).parent
    path = base / name
    where = profile.source.locate(("branding", "reference_docx"))
    try:
        data = files.read_regular(path, files.MAX_ASSET_BYTES)
    except FileNotFoundError:
        raise BrandingError.at(where, f"reference .docx not found: {name}",
                               "the path is relative to the profile's folder") from None
    except files.TooLarge:
        raise BrandingError.at(where, f"reference .docx {name} is larger than 20 MB",
                               "use an ordinary Word template") from None
    except (IsADirectoryError, files.NotRegularFile) as exc:
        if isinstance(exc, IsADirectoryError) or getattr(exc, "kind", "") == "folder":
            raise BrandingError.at(where, f"reference .docx {name} is a folder, not a file",
                                   "name the .docx file itself, relative to the profile's "
                                   "folder") from None
        raise BrandingError.at(where, f"reference .docx {name} {exc}",
                               "name an ordinary .docx file saved by Word") from None
    except OSError as exc:
        raise BrandingError.at(where, f"cannot read reference .docx {name}: "
                               f"{files.describe(exc)}",
                               "check that the file exists and is readable") from None
    try:
        return parsed_reference(data, name)
    except BrandingError as exc:
        raise BrandingError(Problem(where, f"{name}: {p.message}", p.hint)
                            for p in exc.problems) from None


def reference_warnings(profile: Profile, reference: Reference | None) -> list[Problem]:
    """The warnings of a company's template (styles it lacks), at `branding.reference_docx`."""
    if reference is None or not reference.warnings:
        return []
    where = profile.source.locate(("branding", "reference_docx"))
    return [Problem(where, f"{reference.name}: {message}", hint)
            for message, hint in reference.warnings]


def _wanted(own: Iterable[str], restrict: tuple[str, ...] | None) -> list[str]:
    return [item for item in own if restrict is None or item in restrict]


@dataclass(frozen=True)
class Rendered:
    """Every output of one profile, with what the manifest records about them."""

    profile: Profile
    outputs: list[Output]
    selection: dict[str, list[list[Any]]]
    assets: dict[str, str]
    readability: list[str]  # one line per employee guideline (language)
    guidelines: dict[tuple[str, str], Document]  # (audience, language) -> guideline, for lint
    warnings: list[Problem] = field(default_factory=list)  # e.g. styles the template lacks
    # where each clause is in a guideline's files, by output (with `regions=True`)
    regions: dict[str, Regions] = field(default_factory=dict)


def profile_assets(profile: Profile) -> dict[str, str]:
    """Digests of the files a profile names (reference .docx, logo), by their display path."""
    assets = {}
    for key in ("reference_docx", "logo"):
        name = profile.data["branding"].get(key)
        if name:
            path = Path(profile.path).parent / name
            try:
                data = files.read_regular(path, files.MAX_ASSET_BYTES)
                assets[display(path)] = digest.of_bytes(data)
            except OSError:
                assets[display(path)] = ""
    return assets


def render_profile(library: ClauseLibrary, profile: Profile, selection: Selection) -> list[Output]:
    """Every output of one profile, in memory."""
    return render_profile_full(library, profile, selection).outputs


def render_profile_full(library: ClauseLibrary, profile: Profile, selection: Selection, *,
                        defer: bool = False, regions: bool = False) -> Rendered:
    """Every output of one profile, the clauses each audience uses, and the assets read.

    defer: a batch format's outputs (PDF) carry their job instead of their data, for `finish`
    to write the jobs of many profiles at once. regions: say where each clause is in the
    files of the guidelines (not drafts) that a format can say it for (builds/splice.py).
    """
    if selection.draft:
        from policygen.legal.reviewer_comments import as_draft

        profile = as_draft(profile)
    select.check_overrides(library, profile)
    wanted = [writer(fmt) for fmt in _wanted(profile.formats, selection.formats)]
    reference = load_reference(profile) if any(w.needs_reference for w in wanted) else None
    logo = branding.load_logo(profile) if any(w.uses_logo for w in wanted) else None
    assets = Assets(reference, logo, bool(profile.document.get("pdf_archive", False)))
    outputs: list[Output] = []
    # (document, name, lang, audience) per format: each format writes its files in one batch
    jobs: dict[str, list[tuple[Document, str, str, str]]] = {}
    order: list[tuple[str, int]] = []  # the outputs in document order: (format, job index)
    chosen: dict[str, list[list[Any]]] = {}
    ease: list[str] = []
    guidelines: dict[tuple[str, str], Document] = {}
    for audience in _wanted(profile.audiences, selection.audiences):
        assembly = select.select(library, profile, audience)
        chosen[audience] = [[c.id, c.version, c.digest] for c in assembly.clauses]
        for lang in _wanted(profile.languages, selection.languages):
            for name, document in editions.documents(library, assembly, profile, lang,
                                                     selection.skip):
                if name == audience and not selection.draft:
                    guidelines[(audience, lang)] = document
                if name == "employees":
                    ease.append(readability.summary_line(f"{profile.slug}/{name}.{lang}",
                                                         readability.measure(document)))
                for fmt in _wanted(profile.formats, selection.formats):
                    order.append((fmt, len(jobs.setdefault(fmt, []))))
                    jobs[fmt].append((document, name, lang, audience))
    written: dict[str, list[bytes]] = {}
    deferred: dict[str, list[Any]] = {}
    placed: dict[str, Regions] = {}
    where = profile.source.locate(("document", "formats"))
    for fmt, items in jobs.items():
        try:
            if defer and writer(fmt).batch:
                deferred[fmt] = [writer(fmt).prepare(document, assets, where, output_name(
                    profile.slug, name, lang, fmt)) for document, name, lang, _ in items]
            elif regions and writer(fmt).regions and not selection.draft:
                written[fmt] = []
                for document, name, lang, audience in items:
                    if name != audience:
                        written[fmt].append(writer(fmt).write(document, assets))
                        continue
                    data, found = writer(fmt).write_with_regions(document, assets)
                    written[fmt].append(data)
                    if found is not None:
                        placed[output_name(profile.slug, name, lang, fmt)] = found
            else:
                written[fmt] = writer(fmt).write_many([(document, assets)
                                                       for document, *_ in items])
        except OutputError as exc:
            raise OutputError(Problem(where, p.message, p.hint) for p in exc.problems) from None
    for fmt, index in order:
        _, name, lang, audience = jobs[fmt][index]
        relpath = output_name(profile.slug, name, lang, fmt)
        if fmt in deferred:
            outputs.append(Output(relpath, b"", profile.path, lang, audience, fmt,
                                  deferred[fmt][index]))
        else:
            outputs.append(Output(relpath, written[fmt][index], profile.path, lang, audience,
                                  fmt))
    return Rendered(profile, outputs, chosen, profile_assets(profile), ease, guidelines,
                    reference_warnings(profile, reference), placed)


def finish(outputs: Sequence[Output]) -> list[Output]:
    """The outputs with their deferred jobs written: one batch per format for all of them.

    A failure raises before anything is returned, so a caller writes all or nothing.
    """
    pending: dict[str, list[int]] = {}
    for index, output in enumerate(outputs):
        if output.job is not None:
            pending.setdefault(output.format, []).append(index)
    done = list(outputs)
    for fmt, indexes in pending.items():
        data = writer(fmt).write_jobs([outputs[index].job for index in indexes])
        for index, written in zip(indexes, data, strict=True):
            done[index] = replace(outputs[index], data=written, job=None)
    return done


def render_all(library: ClauseLibrary, profiles: Sequence[Profile],
               selection: Selection) -> list[Output]:
    """Render every profile (one PDF batch for all); collect the problems of all first."""
    outputs: list[Output] = []
    problems: list[Problem] = []
    for profile in profiles:
        try:
            outputs.extend(render_profile_full(library, profile, selection, defer=True).outputs)
        except PolicygenError as exc:
            problems.extend(exc.problems)
    if problems:
        raise PolicygenError(problems)
    return finish(outputs)

"""Rendering: profiles x audiences x languages x formats to outputs in memory.

Loading profiles (all problems of all profiles at once), the reference .docx, and turning one
profile into every file it should produce. Writing them is `incremental.run_build`'s job.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policygen.builds.outputs import output_name
from policygen.builds.plan import Selection
from policygen.core import digest, editions, files, select
from policygen.core.clauses import ClauseLibrary
from policygen.core.profile import Profile, load_profile
from policygen.errors import BrandingError, PolicygenError, Problem, display
from policygen.hr import branding, readability
from policygen.writers.docx.reference import Reference, bundled, parse_reference
from policygen.writers.registry import FORMATS, Assets, writer

__all__ = ["FORMATS", "Output", "Rendered", "load_profiles", "load_reference", "render_all"]


@dataclass(frozen=True)
class Output:
    """One generated file, still in memory."""

    relpath: str
    data: bytes
    profile: str
    language: str
    audience: str
    format: str


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


def load_reference(profile: Profile) -> Reference:
    """The profile's reference .docx, or the bundled one."""
    name = profile.data["branding"]["reference_docx"]
    if not name:
        return bundled()
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
        return parse_reference(data, name)
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
    warnings: list[Problem] = field(default_factory=list)  # e.g. styles the template lacks


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


def render_profile_full(library: ClauseLibrary, profile: Profile,
                        selection: Selection) -> Rendered:
    """Every output of one profile, the clauses each audience uses, and the assets read."""
    if selection.draft:
        from policygen.legal.reviewer_comments import as_draft

        profile = as_draft(profile)
    select.check_overrides(library, profile)
    styled = any(writer(fmt).needs_reference
                 for fmt in _wanted(profile.formats, selection.formats))
    reference = load_reference(profile) if styled else None
    assets = Assets(reference, branding.load_logo(profile) if styled else None)
    outputs = []
    chosen: dict[str, list[list[Any]]] = {}
    ease: list[str] = []
    for audience in _wanted(profile.audiences, selection.audiences):
        assembly = select.select(library, profile, audience)
        chosen[audience] = [[c.id, c.version, c.digest] for c in assembly.clauses]
        for lang in _wanted(profile.languages, selection.languages):
            for name, document in editions.documents(library, assembly, profile, lang):
                if name == "employees":
                    ease.append(readability.summary_line(f"{profile.slug}/{name}.{lang}",
                                                         readability.measure(document)))
                for fmt in _wanted(profile.formats, selection.formats):
                    data = writer(fmt).write(document, assets)
                    outputs.append(Output(output_name(profile.slug, name, lang, fmt), data,
                                          profile.path, lang, audience, fmt))
    return Rendered(profile, outputs, chosen, profile_assets(profile), ease,
                    reference_warnings(profile, reference))


def render_all(library: ClauseLibrary, profiles: Sequence[Profile],
               selection: Selection) -> list[Output]:
    """Render every profile; collect the problems of all before failing."""
    outputs: list[Output] = []
    problems: list[Problem] = []
    for profile in profiles:
        try:
            outputs.extend(render_profile(library, profile, selection))
        except PolicygenError as exc:
            problems.extend(exc.problems)
    if problems:
        raise PolicygenError(problems)
    return outputs

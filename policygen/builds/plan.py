"""Which profiles need rebuilding, decided from digests alone wherever possible.

Light on imports on purpose: when nothing changed, a build reads the manifest, hashes the
inputs and outputs, and stops, without loading jinja2, cerberus or the clause library.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policygen.builds import manifest
from policygen.builds.manifest import Manifest, ProfileRecord
from policygen.core import digest, files
from policygen.core.layers import LAYER_FILE, LibrarySpec
from policygen.errors import display

LAYER_WIDE = ("sections.yaml", LAYER_FILE)  # library files that affect every clause


@dataclass
class ProfilePlan:
    """The decision for one profile."""

    path: str
    file: Path
    digest: str
    stale: bool
    reasons: list[str] = field(default_factory=list)
    reselect: list[str] = field(default_factory=list)  # changed clauses that may now apply
    only_clauses: bool = False  # stale only because clauses it uses changed


@dataclass
class Plan:
    """The decisions for a build or a check."""

    manifest: Manifest
    stats: dict[str, list[Any]]
    tool: str
    library: dict[str, str]
    changed_clauses: set[str]
    profiles: list[ProfilePlan]
    removed_profiles: list[str]


def output_problems(out_dir: Path, record: ProfileRecord,
                    stats: dict[str, list[Any]] | None = None) -> list[tuple[str, str]]:
    """(output, 'missing' | 'edited') for every output that is not as it was written.

    `stats` caches (size, mtime_ns, digest) per output, so unchanged files are not re-read;
    entries are refreshed in place.
    """
    problems = []
    folder = os.fspath(out_dir) + "/"  # output names are checked: relative, no `..`
    for relpath, out in sorted(record.outputs.items()):
        path = folder + relpath
        try:
            info = os.stat(path)  # noqa: PTH116 - str paths: 8 stats a profile, no pathlib
        except OSError:
            problems.append((relpath, "missing"))
            continue
        cached = stats.get(relpath) if stats is not None else None
        if cached is not None and cached[:2] == [info.st_size, info.st_mtime_ns]:
            file_digest = cached[2]
        elif info.st_size != out.size:
            file_digest = ""
        else:
            file_digest = digest.of_file(path)
            if stats is not None:
                stats[relpath] = [info.st_size, info.st_mtime_ns, file_digest]
        if file_digest != out.digest:
            problems.append((relpath, "edited"))
    return problems


def make_plan(paths: list[Path], out_dir: Path, library_root: LibrarySpec, *, force: bool = False,
              complete: bool = False) -> Plan:
    """Decide, for each profile, whether its outputs are current.

    `complete` says the paths are the whole set of profiles (the default build), so profiles
    recorded in the manifest whose file is gone have outputs that no longer belong.
    """
    current = manifest.load(out_dir)
    stats = manifest.load_stats(out_dir)
    tool = digest.tool()
    library = digest.library_files(library_root)
    changed_files = {name for name in set(library) | set(current.library)
                     if library.get(name) != current.library.get(name)}
    changed_clauses = {Path(name).stem for name in changed_files if "/" in name}
    global_reason = ""
    if current.tool != tool:
        global_reason = "policygen or its schemas changed" if current.tool else "first build"
    elif any(name.rpartition(":")[2] in LAYER_WIDE or "/" not in name.rpartition(":")[2]
             for name in changed_files):
        # sections.yaml, layer.yaml, locales.yaml, industries.yaml: shared by every clause
        changed = sorted(n for n in changed_files if n.rpartition(":")[2] in LAYER_WIDE
                         or "/" not in n.rpartition(":")[2])[0]
        global_reason = "clauses/sections.yaml changed" if changed == "sections.yaml" else \
            f"library file {changed} changed"
    plans = []
    for path in paths:
        shown = display(path)
        try:
            file_digest = digest.of_file_known(path)
        except OSError:
            file_digest = ""  # reported with a location when the profile is loaded
        plans.append(_decide(shown, path, file_digest, current.profiles.get(shown), out_dir,
                             changed_clauses, stats, force, global_reason))
    digest.save_known()
    named = {plan.path for plan in plans}
    removed = sorted(name for name in current.profiles
                     if name not in named and (complete or not Path(name).exists()))
    return Plan(current, stats, tool, library, changed_clauses, plans, removed)


def _shown(name: str) -> str:
    """A name from the manifest as a message shows it: printable, at most 60 characters."""
    text = "".join(c if c.isprintable() else "?" for c in name[:60])
    return text + ("..." if len(name) > 60 else "")


def _decide(shown: str, path: Path, file_digest: str, record: ProfileRecord | None,
            out_dir: Path, changed_clauses: set[str], stats: dict[str, list[Any]], force: bool,
            global_reason: str) -> ProfilePlan:
    def stale(reason: str) -> ProfilePlan:
        return ProfilePlan(shown, path, file_digest, True, [reason])

    if force:
        return stale("--force")
    if record is None:
        return stale("not built before")
    if global_reason:
        return stale(global_reason)
    if not record.digest or record.digest != file_digest:
        return stale("profile changed" if record.digest else "last build was partial")
    for asset, asset_digest in record.assets.items():
        try:
            data = files.read_regular(Path(asset), files.MAX_ASSET_BYTES)
        except OSError:
            return stale(f"{_shown(asset)} is missing")
        if digest.of_bytes(data) != asset_digest:
            return stale(f"{_shown(asset)} changed")
    broken = output_problems(out_dir, record, stats)
    if broken:
        return stale(f"{broken[0][0]} is {broken[0][1]}")
    used = {entry[0] for entries in record.selection.values() for entry in entries}
    hit = sorted(changed_clauses & used)
    if hit:
        plan = stale(f"clause {hit[0]} changed" + (f" (+{len(hit) - 1} more)" if hit[1:] else ""))
        plan.only_clauses = True
        return plan
    plan = ProfilePlan(shown, path, file_digest, False)
    plan.reselect = sorted(changed_clauses)
    return plan

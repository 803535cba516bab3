"""Which companies, languages and audiences a change to clauses affects, and why."""

from __future__ import annotations

import subprocess
import tarfile
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from policygen.builds.outputs import audience_outputs
from policygen.core import editions, select
from policygen.core.clauses import Clause, ClauseLibrary, load_library
from policygen.core.layers import Layer, LibrarySpec, as_layers
from policygen.core.profile import Profile
from policygen.errors import Location, UsageError


@dataclass
class Affected:
    """One document set (a profile's audience in all its languages) touched by the change."""

    profile: str
    company: str
    audience: str
    languages: list[str]
    outputs: list[str]
    reasons: dict[str, str] = field(default_factory=dict)  # clause id or input -> why


@dataclass
class Change:
    """What changed: clause ids, and inputs that affect every output of some profiles."""

    clause_ids: set[str] = field(default_factory=set)
    profiles: set[str] = field(default_factory=set)  # changed profile files (display paths)
    everything: str = ""  # a reason every output is affected (schemas, program)


def analyse(change: Change, profiles: Sequence[Profile], library: ClauseLibrary,
            old_library: ClauseLibrary | None = None) -> list[Affected]:
    """Every audience of every profile whose documents the change touches."""
    found = []
    for profile in profiles:
        for audience in profile.audiences:
            reasons: dict[str, str] = {}
            whole = bool(change.everything) or profile.path in change.profiles
            if change.everything:
                reasons["*"] = change.everything
            if profile.path in change.profiles:
                reasons[profile.path] = "the profile changed"
            changed: list[tuple[Clause | None, Clause | None]] = []
            now = select.select(library, profile, audience)
            before = select.select(old_library, profile, audience) if old_library else None
            for clause in now.clauses:
                if clause.id in change.clause_ids:
                    reasons[clause.id] = now.reason(clause.id)
                    changed.append((clause if before is None else before.clause(clause.id),
                                    clause))
            if before is not None:
                for clause in before.clauses:
                    if clause.id in change.clause_ids and clause.id not in reasons:
                        reasons[clause.id] = ("was included before the change ("
                                              f"{before.reason(clause.id)}); "
                                              + ("now left out" if clause.id in library.clauses
                                                 else "the clause was removed"))
                        changed.append((clause, None))
            if reasons:
                touched = None if whole else editions.touched_by(audience, changed)
                found.append(Affected(profile.path, profile.company["name"], audience,
                                      list(profile.languages),
                                      audience_outputs(profile, audience, touched), reasons))
    return found


def _git(root: Path, *args: str) -> bytes:
    try:
        return subprocess.run(["git", "-C", str(root), *args], check=True,
                              capture_output=True, timeout=60).stdout
    except (OSError, subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        shown = " ".join(a for a in args if a != "--end-of-options")
        raise UsageError.at(Location("git"), f"git {shown} failed: "
                            f"{detail.decode(errors='replace').strip() or exc}",
                            "--since needs a git repository and a revision it knows, "
                            "e.g. HEAD~1 or origin/main") from None


def _revision(rev: str) -> str:
    """A revision as git may be given it: never mistaken for an option, one line of text."""
    if not rev or rev.startswith("-") or not rev.isprintable() or len(rev) > 200:
        shown = "".join(c if c.isprintable() else "?" for c in rev[:60])
        raise UsageError.at(Location("git"), f"'{shown}' is not a revision",
                            "give a revision such as HEAD~1, a tag or a commit id")
    return rev


def _top() -> Path:
    """The repository the command runs in."""
    return Path(_git(Path.cwd(), "rev-parse", "--show-toplevel").decode().strip())


def _versioned(library: LibrarySpec, top: Path) -> list[tuple[int, Layer, str]]:
    """(index, layer, path in the repository) of every layer that lives in the repository."""
    found = []
    for index, layer in enumerate(as_layers(library)):
        try:
            found.append((index, layer, layer.root.resolve().relative_to(top).as_posix()))
        except ValueError:
            continue  # e.g. the bundled library of an installed policygen: not versioned here
    return found


def changes_since(rev: str, library: LibrarySpec, profile_paths: Sequence[Path]) -> Change:
    """What `git diff REV` touches among the library layers, schemas, program and profiles."""
    top = _top()
    names = _git(top, "diff", "--name-only", "--end-of-options", _revision(rev), "--"
                 ).decode().splitlines()
    change = Change()
    versioned = _versioned(library, top)
    resolved = {p.resolve(): p for p in profile_paths}
    for name in names:
        path = top / name
        layer_file = next((name[len(rel) + 1:] for _, _, rel in versioned
                           if name.startswith(rel + "/")), None)
        if layer_file is not None and name.endswith(".yaml"):
            if "/" not in layer_file:  # sections, layer, locales, industries
                change.everything = f"{name} changed"
            elif "/" in layer_file:
                change.clause_ids.add(Path(name).stem)
        elif name.startswith(("schemas/", "policygen/")):
            change.everything = change.everything or f"{name} changed"
        elif path.resolve() in resolved:
            from policygen.errors import display

            change.profiles.add(display(resolved[path.resolve()]))
    return change


def library_at(rev: str, library: LibrarySpec, workdir: Path) -> ClauseLibrary | None:
    """The library as it was at a git revision: its versioned layers from git, the rest as now.

    None if the lowest layer did not exist then; a higher layer that did not exist is left out.
    """
    top = _top()
    stack: list[Layer | None] = list(as_layers(library))
    versioned = _versioned(library, top)
    for index, layer, rel in versioned:
        try:
            archive = subprocess.run(["git", "-C", str(top), "archive", "--format=tar",
                                      "--end-of-options", _revision(rev), rel], check=True,
                                     capture_output=True, timeout=60).stdout
        except subprocess.CalledProcessError:
            if index == 0:
                return None
            stack[index] = None
            continue
        target = workdir / str(index)
        with tarfile.open(fileobj=BytesIO(archive)) as tar:
            tar.extractall(target, filter="data")
        stack[index] = Layer(layer.name, target / rel, f"{rev}:{rel}")
    from policygen.errors import LibraryError

    try:
        return load_library(tuple(layer for layer in stack if layer is not None))
    except LibraryError:
        return None


def temporary_dir() -> tempfile.TemporaryDirectory[str]:
    """A scratch folder for an exported library."""
    return tempfile.TemporaryDirectory(prefix="policygen-impact-")

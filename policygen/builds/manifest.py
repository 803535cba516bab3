"""build/manifest.json: for every output, what it was made from and what was written.

The manifest lets a rebuild skip what is current, lets `check` tell a stale file from one edited
by hand, and lets `impact` answer without re-rendering.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policygen.builds.outputs import is_output_name
from policygen.builds.staging import FILE_MODE
from policygen.errors import Location, OutputError

NAME = "manifest.json"
STATS = ".policygen-stat.json"  # local cache of (size, mtime_ns, digest); not worth committing
GITIGNORE = "# written by policygen: local files that do not belong in version control\n" \
    ".policygen.lock\n.policygen-stat.json\n"
FORMAT = 1


@dataclass
class OutputRecord:
    """One written file."""

    audience: str
    language: str
    format: str
    digest: str
    size: int


@dataclass
class ProfileRecord:
    """One profile: its inputs and its outputs."""

    digest: str
    slug: str
    assets: dict[str, str]  # files the profile names (reference .docx, logo) -> digest
    selection: dict[str, list[list[Any]]]  # audience -> [[clause id, version, digest], ...]
    outputs: dict[str, OutputRecord] = field(default_factory=dict)
    # document (`legal-summary.de`) -> digest of what it reads from the library
    # (editions.inputs): after a clause edit, documents whose inputs are unchanged are not
    # assembled again
    editions: dict[str, str] = field(default_factory=dict)


@dataclass
class Manifest:
    """What the output folder holds and why."""

    tool: str = ""
    library: dict[str, str] = field(default_factory=dict)  # library file -> digest
    selection_keys: dict[str, str] = field(default_factory=dict)  # clause id -> selection digest
    profiles: dict[str, ProfileRecord] = field(default_factory=dict)

    def output_owner(self) -> dict[str, str]:
        """Output path -> profile path."""
        return {out: path for path, record in self.profiles.items() for out in record.outputs}


def load(out_dir: Path) -> Manifest:
    """Read the manifest of an output folder; a missing or foreign one counts as empty."""
    path = out_dir / NAME
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, NotADirectoryError):
        return Manifest()
    except (OSError, ValueError):
        return Manifest()
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        return Manifest()
    try:
        return _from_json(raw)
    except _Shape:
        return Manifest()  # a manifest of the wrong shape counts as none: everything rebuilds


class _Shape(Exception):
    """A part of the manifest is not what policygen writes."""


def _table(value: Any, values: type | tuple[type, ...] = str) -> dict[str, Any]:
    if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, values) for k, v in value.items()):
        raise _Shape
    return value


def _from_json(raw: dict[str, Any]) -> Manifest:
    """The manifest from its JSON; raise _Shape if any part has the wrong type.

    Output entries whose name is not one policygen gives (`../victim.txt`, an absolute path,
    another company's folder) are dropped: they are never checked, rewritten or deleted.
    """
    profiles: dict[str, ProfileRecord] = {}
    for name, rec in _table(raw.get("profiles"), dict).items():
        slug = rec.get("slug")
        if not isinstance(slug, str) or not isinstance(rec.get("digest"), str):
            raise _Shape
        selection = _table(rec.get("selection"), list)
        outputs = {}
        for out, entry in _table(rec.get("outputs"), dict).items():
            if not (is_output_name(out) and out.startswith(slug + "/")):
                continue
            fields = {key: entry.get(key) for key in ("audience", "language", "format",
                                                      "digest", "size")}
            if not all(isinstance(fields[key], str) for key in fields if key != "size") \
                    or not isinstance(fields["size"], int) or isinstance(fields["size"], bool):
                raise _Shape
            outputs[out] = OutputRecord(**fields)
        profiles[name] = ProfileRecord(rec["digest"], slug, _table(rec.get("assets")),
                                       selection, outputs, _table(rec.get("editions", {})))
    if not isinstance(raw.get("tool"), str):
        raise _Shape
    return Manifest(raw["tool"], _table(raw.get("library")), _table(raw.get("selection_keys")),
                    profiles)


def _as_json(manifest: Manifest) -> dict[str, Any]:
    return {
        "format": FORMAT, "tool": manifest.tool, "library": manifest.library,
        "selection_keys": manifest.selection_keys,
        "profiles": {
            name: {"digest": rec.digest, "slug": rec.slug, "assets": rec.assets,
                   "selection": rec.selection, "editions": rec.editions,
                   "outputs": {out: {"audience": o.audience, "language": o.language,
                                     "format": o.format, "digest": o.digest, "size": o.size}
                               for out, o in rec.outputs.items()}}
            for name, rec in manifest.profiles.items()},
    }


def _write(path: Path, text: str) -> None:
    try:
        import tempfile  # only when something is written

        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f"{path.name}.", suffix=".tmp")
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        Path(tmp).replace(path)
    except OSError as exc:
        raise OutputError.at(Location(str(path)), f"cannot write {path.name}: {exc.strerror}",
                             "check that the output folder is writable") from None


_LEVELS = 4  # root, its sections, a profile, its outputs: one line per output below that


def _render(value: Any, depth: int) -> str:
    """JSON with sorted keys, one line per entry down to _LEVELS, C-encoded below (fast)."""
    if isinstance(value, dict) and value and depth < _LEVELS:
        pad = " " * (depth + 1)
        items = [f"{pad}{json.dumps(key, ensure_ascii=False)}: {_render(item, depth + 1)}"
                 for key, item in sorted(value.items())]
        return "{\n" + ",\n".join(items) + "\n" + " " * depth + "}"
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(", ", ": "))


def save(out_dir: Path, manifest: Manifest) -> None:
    """Write the manifest atomically, with sorted keys (stable diffs when committed)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    _write(out_dir / NAME, _render(_as_json(manifest), 0) + "\n")
    if not (out_dir / ".gitignore").exists():
        _write(out_dir / ".gitignore", GITIGNORE)


def load_stats(out_dir: Path) -> dict[str, list[Any]]:
    """The local stat cache of an output folder (empty when missing or unreadable)."""
    try:
        raw = json.loads((out_dir / STATS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(raw, dict):
        return {}
    return {name: entry for name, entry in raw.items()  # entries of another shape: re-read
            if isinstance(entry, list) and len(entry) == 3
            and all(isinstance(n, int) and not isinstance(n, bool) for n in entry[:2])
            and isinstance(entry[2], str)}


def save_stats(out_dir: Path, stats: dict[str, list[Any]]) -> None:
    """Write the stat cache."""
    _write(out_dir / STATS, json.dumps(stats, sort_keys=True, separators=(",", ":")))

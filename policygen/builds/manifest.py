"""build/manifest.json: for every output, what it was made from and what was written.

The manifest lets a rebuild skip what is current, lets `check` tell a stale file from one edited
by hand, and lets `impact` answer without re-rendering.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
        profiles = {
            name: ProfileRecord(
                digest=rec["digest"], slug=rec["slug"], assets=rec["assets"],
                selection=rec["selection"],
                outputs={out: OutputRecord(**o) for out, o in rec["outputs"].items()})
            for name, rec in raw["profiles"].items()
        }
        return Manifest(raw["tool"], raw["library"], raw["selection_keys"], profiles)
    except (KeyError, TypeError):
        return Manifest()


def _as_json(manifest: Manifest) -> dict[str, Any]:
    return {
        "format": FORMAT, "tool": manifest.tool, "library": manifest.library,
        "selection_keys": manifest.selection_keys,
        "profiles": {
            name: {"digest": rec.digest, "slug": rec.slug, "assets": rec.assets,
                   "selection": rec.selection,
                   "outputs": {out: {"audience": o.audience, "language": o.language,
                                     "format": o.format, "digest": o.digest, "size": o.size}
                               for out, o in rec.outputs.items()}}
            for name, rec in manifest.profiles.items()},
    }


def _write(path: Path, text: str) -> None:
    try:
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
    return raw if isinstance(raw, dict) else {}


def save_stats(out_dir: Path, stats: dict[str, list[Any]]) -> None:
    """Write the stat cache."""
    _write(out_dir / STATS, json.dumps(stats, sort_keys=True, separators=(",", ":")))

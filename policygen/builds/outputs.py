"""The name of every file a build writes.

One function names outputs for build, check, impact and the manifest, so that what `impact`
predicts is exactly what `check` later finds stale, and so that a manifest entry can be checked
against the names policygen itself gives (an entry of any other shape is not ours to touch).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from policygen.writers.registry import WRITERS, writer

if TYPE_CHECKING:  # light on imports: the manifest and the staging check names on no-op builds
    from policygen.core.profile import Profile

_SLUG = r"[a-z0-9][a-z0-9-]{0,79}"


def output_name(slug: str, edition: str, language: str, fmt: str) -> str:
    """The path of one output relative to the output folder: `<slug>/<edition>.<lang>.<ext>`."""
    return f"{slug}/{edition}.{language}.{writer(fmt).extension}"


def audience_outputs(profile: Profile, audience: str,
                     editions: list[str] | None = None) -> list[str]:
    """The files one audience of a profile gets (or those of some of its editions)."""
    from policygen.core.editions import edition_names

    return [output_name(profile.slug, edition, lang, fmt)
            for lang in profile.languages
            for edition in edition_names(audience) if editions is None or edition in editions
            for fmt in profile.formats]


_EXTENSIONS = "|".join(sorted({re.escape(w.extension) for w in WRITERS.values()}))
_OUTPUT = re.compile(rf"{_SLUG}/[a-z_]+(?:-[a-z]+)?\.[a-z]{{2}}\.(?:{_EXTENSIONS})")


def is_output_name(relpath: str) -> bool:
    """Whether a path has the shape of a name `output_name` gives (no folders, no `..`)."""
    return _OUTPUT.fullmatch(relpath) is not None

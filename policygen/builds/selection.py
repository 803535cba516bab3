"""What a build is asked to make: languages, audiences, formats, drafts."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Selection:
    """Which languages, audiences and formats to build (None: what each profile asks for)."""

    languages: tuple[str, ...] | None = None
    audiences: tuple[str, ...] | None = None
    formats: tuple[str, ...] | None = None
    draft: bool = False  # build --draft: every document as a draft
    # documents (`legal-summary.de`: an edition in a language) whose outputs are current: a
    # profile rebuilt for a clause edit that leaves them as they are (runner.py decides it
    # from the manifest)
    skip: frozenset[str] = frozenset()

    @property
    def restricted(self) -> bool:
        """Whether only some languages, audiences or formats are asked for."""
        return any(v is not None for v in (self.languages, self.audiences, self.formats))

    @property
    def partial(self) -> bool:
        """Whether a build makes less, or other, than the profiles ask for (a draft)."""
        return self.restricted or self.draft

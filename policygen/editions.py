"""The documents one profile gets for one audience and language.

Today: the guideline itself. Further editions (one-page summary, acknowledgement form) are
added here, so that build, bench and tests pick them up without change.
"""

from __future__ import annotations

from policygen import compose, provenance
from policygen.clauses import ClauseLibrary
from policygen.document import Document
from policygen.profile import Profile
from policygen.select import Assembly


def documents(library: ClauseLibrary, assembly: Assembly, profile: Profile,
              lang: str) -> list[tuple[str, Document]]:
    """(name, document) pairs; the name becomes the file name before `.<lang>.<format>`."""
    document = compose.compose(library, assembly, profile, lang)
    return [(assembly.audience, provenance.appendix(document))]

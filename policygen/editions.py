"""The documents one profile gets for one audience and language.

The guideline itself, its one-page summary (`<audience>-summary`) and, for the audiences in
`handouts.ACKNOWLEDGED`, the acknowledgement form (`<audience>-acknowledgement`). Build, bench
and tests pick up every edition listed here without change.
"""

from __future__ import annotations

from policygen import compose, handouts, provenance
from policygen.clauses import ClauseLibrary
from policygen.document import Document
from policygen.profile import Profile
from policygen.select import Assembly


def documents(library: ClauseLibrary, assembly: Assembly, profile: Profile,
              lang: str) -> list[tuple[str, Document]]:
    """(name, document) pairs; the name becomes the file name before `.<lang>.<format>`."""
    audience = assembly.audience
    guideline = provenance.appendix(compose.compose(library, assembly, profile, lang))
    out = [(audience, guideline),
           (f"{audience}-summary", handouts.summary(guideline, assembly, profile, lang))]
    if audience in handouts.ACKNOWLEDGED:
        out.append((f"{audience}-acknowledgement",
                    handouts.acknowledgement(guideline, profile, lang)))
    return out

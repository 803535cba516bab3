"""The documents one profile gets for one audience and language.

The guideline itself, its one-page summary (`<audience>-summary`) and, for the audiences in
`handouts.ACKNOWLEDGED`, the acknowledgement form (`<audience>-acknowledgement`). Build, bench
and tests pick up every edition listed here without change.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from functools import lru_cache

from policygen.core import compose, handouts, provenance, typography
from policygen.core.clauses import Clause, ClauseLibrary, shown
from policygen.core.profile import Profile
from policygen.core.select import Assembly
from policygen.document import Document


def edition_names(audience: str) -> list[str]:
    """The names of the documents an audience gets, in the order they are built."""
    names = [audience, f"{audience}-summary"]
    if audience in handouts.ACKNOWLEDGED:
        names.append(f"{audience}-acknowledgement")
    return names


# The clause fields only the summary shows, and those that decide the order of its items.
_SUMMARY_ONLY = frozenset({"summary"})
_SUMMARY_READS = frozenset({"summary", "section", "order"})
_NOT_SHOWN = frozenset({"path", "digest", "doc", "reads", "views"})


def touched_by(audience: str, changes: list[tuple[Clause | None, Clause | None]]) -> list[str]:
    """The editions of an audience that these clause changes alter.

    Each change is (before, after); None on one side means the clause joined or left the
    selection, and `before is after` means the old text is not known. The guideline shows every
    field of its clauses but their summary items; the summary shows only the summary items (in
    clause order); the acknowledgement form is made from the profile alone.
    """
    guideline = summary = False
    for before, after in changes:
        if before is None or after is None:
            guideline = summary = True
        elif before is after:
            guideline, summary = True, summary or bool(after.summary)
        else:
            differ = {name for name in Clause.__dataclass_fields__
                      if getattr(before, name) != getattr(after, name)} - _NOT_SHOWN
            guideline = guideline or bool(differ - _SUMMARY_ONLY)
            summary = summary or bool(differ & _SUMMARY_READS)
    wanted = {audience: guideline, f"{audience}-summary": summary}
    return [name for name in edition_names(audience) if wanted.get(name, False)]


def documents(library: ClauseLibrary, assembly: Assembly, profile: Profile, lang: str,
              skip: Collection[str] = ()) -> list[tuple[str, Document]]:
    """(name, document) pairs; the name becomes the file name before `.<lang>.<format>`.

    Documents named in `skip` (`legal-summary.de`) are left out: a build whose outputs of them
    are current. The guideline is composed only when a document needs it.
    """
    audience = assembly.audience
    wanted = [name for name in edition_names(audience) if f"{name}.{lang}" not in skip]
    if not wanted:
        return []
    guideline = provenance.appendix(compose.compose(library, assembly, profile, lang))
    made = {audience: lambda: guideline,
            f"{audience}-summary": lambda: typography.typeset(
                handouts.summary(guideline, assembly, profile, lang, library)),
            f"{audience}-acknowledgement": lambda: typography.typeset(
                handouts.acknowledgement(guideline, profile, lang, library))}
    return [(name, made[name]()) for name in wanted]


def inputs(assembly: Assembly, name: str, lang: str) -> str:
    """A digest of what one document (an edition in a language) takes from the clause library.

    Beyond the profile, the program and the library-wide files (each of which rebuilds every
    document when it changes): the guideline reads its clauses, as far as they are not
    written in another language, with the reasons they are in; the summary reads the summary
    items of those clauses in every language (an item's length is that of its longest
    language), their order and sections; the acknowledgement form reads no clause. The
    manifest records these per document, so that a clause edit re-assembles only the
    documents it alters; like `touched_by`, a change the documents do not show (a comment in
    the file) alters none.
    """
    h = hashlib.blake2b(name.encode(), digest_size=16)
    if name == f"{assembly.audience}-acknowledgement":
        return h.hexdigest()
    summary = name == f"{assembly.audience}-summary"
    for clause in assembly.clauses:
        h.update(_view(clause, "" if summary else lang))
        if not summary:
            h.update(repr(assembly.decision(clause.id).reasons).encode())
    return h.hexdigest()


def _view(clause: Clause, lang: str) -> bytes:
    """A digest of what a document in `lang` ("": the summary, in every language) shows."""
    views = clause.views if clause.views is not None else shown(clause)
    return _digest(views[lang])


@lru_cache(maxsize=4_000)
def _digest(view: str) -> bytes:
    """A view's digest, made once per process.

    A profile's documents, and every profile of a build, read the same clauses.
    """
    return hashlib.blake2b(view.encode(), digest_size=16).digest()

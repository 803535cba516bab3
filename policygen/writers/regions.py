"""Where each clause's blocks lie in a written file, so that a build can replace them alone.

A writer that can say so (Markdown, HTML, .docx) returns, beside a guideline's bytes, the
place of every clause body it wrote as one piece: a byte range of the file (Markdown, HTML)
or of a segment of `word/document.xml` (.docx, whose document part is deflated segment by
segment, one per section; docx/package.py), with what the piece's XML took from its place
(hyperlink and list ids). builds/splice.py keeps these and, after a clause edit, writes the
new clause into the previous file.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Placed:
    """One clause body as written: which clause, where, and the ids its place gave it."""

    clause: int  # its index among the document's clauses (Document.clauses())
    segment: int  # .docx: the segment of word/document.xml; Markdown, HTML: 0
    start: int  # byte offsets in the file (Markdown, HTML); in characters of the segment's
    # text (.docx, whose parts are made as text: counting bytes would mean encoding each)
    end: int
    urls: tuple[str, ...] = ()  # .docx: its hyperlinks' targets, in order of first use,
    links: tuple[str, ...] = ()  # and the relationship ids they were given,
    lists: int = 0  # its numbered lists,
    list_base: int = 0  # and how many numbered lists the document had before it


@dataclass(frozen=True)
class Regions:
    """The clause bodies of one written file, in document order."""

    placed: tuple[Placed, ...]
    # .docx: (deflated length, length, CRC-32) of every segment of word/document.xml, and
    # what the clauses' XML depends on beside their blocks (reference, language, paper)
    segments: tuple[tuple[int, int, int], ...] = ()
    memo_key: str = ""


def joined(pieces: list[str], separator: str,
           bodies: dict[int, int]) -> tuple[bytes, Regions]:
    """A text file of pieces joined by `separator`, ending in a line break, as UTF-8 bytes.

    With where the pieces that are clause bodies lie (`bodies`: piece index -> clause index).
    """
    placed = []
    at, step = 0, len(separator.encode("utf-8"))
    for index, piece in enumerate(pieces):
        size = len(piece.encode("utf-8"))
        clause = bodies.get(index)
        if clause is not None:
            placed.append(Placed(clause, 0, at, at + size))
        at += size + step
    return (separator.join(pieces) + "\n").encode("utf-8"), Regions(tuple(placed))

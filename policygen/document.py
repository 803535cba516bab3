"""The format-neutral document model that every writer reads.

A Document holds sections; a section holds clauses; a clause holds blocks (paragraphs, lists,
tables, notes) made of inline spans. Every clause knows the library clause id and version it
came from, so writers can carry provenance (comments, anchors) without seeing the library.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

_T = TypeVar("_T")


@dataclass(frozen=True)
class Span:
    """A run of text with its emphasis and, for links, the target."""

    text: str
    strong: bool = False
    emphasis: bool = False
    href: str | None = None


Inline = tuple[Span, ...]


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of inline spans."""

    spans: Inline
    keep_with_next: bool = False  # a run-in heading: never the last line of a page


@dataclass(frozen=True)
class ListBlock:
    """A bullet or numbered list; each item is one line of inline spans."""

    ordered: bool
    items: tuple[Inline, ...]


@dataclass(frozen=True)
class Table:
    """A table with a header row; every row has as many cells as the header."""

    header: tuple[Inline, ...]
    rows: tuple[tuple[Inline, ...], ...]
    widths: tuple[int, ...] = ()  # column widths in percent; empty: equal columns


@dataclass(frozen=True)
class SignatureLine:
    """A labelled line to fill in by hand (name, date, signature) on a form."""

    label: str


Block = Paragraph | ListBlock | Table | SignatureLine


@dataclass(frozen=True)
class Image:
    """A raster image (the company logo): its bytes, format and size in pixels."""

    data: bytes
    format: str  # "png" or "jpeg"
    width: int
    height: int
    description: str = ""


@dataclass(frozen=True)
class Source:
    """A legal source of a clause, with the date it was last checked."""

    jurisdiction: str
    citation: str
    checked: dt.date
    url: str | None = None
    unsettled: bool = False


@dataclass(frozen=True)
class Clause:
    """One rendered clause: its heading, body blocks and provenance."""

    clause_id: str
    version: int
    title: str
    blocks: tuple[Block, ...]
    reason: str = ""  # why it is in the document, in the document's language
    review_note: str = ""
    sources: tuple[Source, ...] = ()
    # What was made of `blocks` (typeset, a writer's output), by kind: (blocks, result) pairs,
    # used only while `blocks` is that very tuple. A clause that comes from the build's
    # fragment cache (core/fragments.py) brings them along, so nothing is made twice.
    memo: dict[str, tuple[tuple[Block, ...], Any]] = field(
        default_factory=dict, compare=False, repr=False)

    def made(self, kind: str, make: Callable[[], _T]) -> _T:
        """What `make` gives for these blocks, made once for them (kept in `memo` as `kind`)."""
        known = self.memo.get(kind)
        if known is not None and known[0] is self.blocks:
            return known[1]  # type: ignore[no-any-return]
        value = make()
        self.memo[kind] = (self.blocks, value)
        return value


@dataclass(frozen=True)
class Section:
    """A numbered section of the document."""

    section_id: str
    title: str
    clauses: tuple[Clause, ...]


@dataclass(frozen=True)
class HistoryEntry:
    """One row of the version table."""

    version: str
    date: dt.date
    date_text: str
    author: str
    changes: str


@dataclass(frozen=True)
class Meta:
    """What the document is: for the title page, header, footer and file properties."""

    title: str
    company: str
    short_name: str
    language: str
    audience: str
    audience_label: str
    version: str
    effective_date: dt.date
    effective_date_text: str
    status: str
    status_text: str
    author: str
    owner: str
    subject: str
    keywords: tuple[str, ...] = ()
    history: tuple[HistoryEntry, ...] = ()
    # BCP 47 tag of the language as written in one country (de-CH, en-US): writers take the
    # language tag, paper size and date forms from it (policygen/vocabulary.py)
    locale: str = ""
    paper: str = "A4"


@dataclass(frozen=True)
class Labels:
    """Fixed words the writers print, already in the document's language."""

    company: str
    language: str
    language_name: str
    version: str
    effective_date: str
    audience: str
    owner: str
    status: str
    page: str
    of: str
    history: str
    history_header: tuple[str, str, str, str]
    draft_mark: str
    contents: str
    review_note: str
    sources: str
    checked: str


LAYOUTS = ("guideline", "handout")


@dataclass(frozen=True)
class Heading:
    """A heading in a handout's flow (`Document.handout_flow`)."""

    level: int
    text: str


@dataclass(frozen=True)
class Document:
    """A complete guideline, ready for any writer.

    `layout` "guideline": title page, table of contents, numbered headings. "handout" (the
    one-page summary, the acknowledgement form): title on the first page, no contents, no
    heading numbers, empty clause titles print no heading.
    """

    meta: Meta
    labels: Labels
    sections: tuple[Section, ...]
    layout: str = "guideline"

    def clauses(self) -> tuple[Clause, ...]:
        """All clauses in document order."""
        return tuple(clause for section in self.sections for clause in section.clauses)

    def handout_flow(self) -> tuple[Heading | Block, ...]:
        """A handout's reading order, as headings and blocks.

        Section titles are level 2, clause titles level 3; adjacent bullet lists under one
        heading, within one section, are joined into one list.
        """
        out: list[Heading | Block] = []
        for section in self.sections:
            start = len(out)
            if section.title:
                out.append(Heading(2, section.title))
            for clause in section.clauses:
                if clause.title:
                    out.append(Heading(3, clause.title))
                for block in clause.blocks:
                    last = out[-1] if len(out) > start else None
                    if isinstance(block, ListBlock) and isinstance(last, ListBlock) \
                            and not block.ordered and not last.ordered:
                        out[-1] = ListBlock(False, last.items + block.items)
                    else:
                        out.append(block)
        return tuple(out)

"""What changed between two versions of a document: clauses added, removed and changed.

Pure functions over two Documents. Clauses are matched by id (generated content such as the
provenance appendix has an empty id and is compared as part of no clause). Inside a changed
clause, blocks are aligned as units (paragraphs, list items, tables), and changed units are
compared word by word. The changelog writer and the redline writer both read this result.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from policygen.document import Block, Clause, Document, Inline, ListBlock, Paragraph, Span, Table

_TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)


@dataclass(frozen=True)
class Unit:
    """A paragraph, one list item, or a whole table: what a changed clause is aligned by."""

    kind: str  # "p", "ul", "ol", "table"
    spans: Inline = ()
    table: Table | None = None

    @property
    def text(self) -> str:
        """The unit's text (a table: its rows, one per line, cells separated by `|`)."""
        if self.table is not None:
            return "\n".join(" | ".join(_plain(cell) for cell in row)
                             for row in (self.table.header, *self.table.rows))
        return _plain(self.spans)


@dataclass(frozen=True)
class UnitChange:
    """One aligned unit: equal, inserted, deleted, or changed (old and new both set)."""

    op: str  # "equal", "insert", "delete", "change"
    old: Unit | None
    new: Unit | None


@dataclass(frozen=True)
class ClauseChange:
    """One clause of either version and how it changed."""

    clause_id: str
    status: str  # "added", "removed", "changed", "unchanged"
    old: Clause | None
    new: Clause | None
    section_id: str
    section_title: str
    units: tuple[UnitChange, ...]


@dataclass(frozen=True)
class DocumentDiff:
    """Two versions of one document, clause by clause, in the order of the new one."""

    old: Document
    new: Document
    clauses: tuple[ClauseChange, ...]

    def by_status(self, status: str) -> list[ClauseChange]:
        """The clause changes with the given status."""
        return [c for c in self.clauses if c.status == status]

    @property
    def changed(self) -> bool:
        """Whether any clause was added, removed or changed."""
        return any(c.status != "unchanged" for c in self.clauses)


def _plain(spans: Inline) -> str:
    return "".join(span.text for span in spans)


def units(blocks: tuple[Block, ...]) -> list[Unit]:
    """A clause's blocks as alignable units."""
    out = []
    for block in blocks:
        if isinstance(block, Paragraph):
            out.append(Unit("p", block.spans))
        elif isinstance(block, ListBlock):
            out += [Unit("ol" if block.ordered else "ul", item) for item in block.items]
        elif isinstance(block, Table):
            out.append(Unit("table", table=block))
    return out


def _key(unit: Unit) -> tuple[str, str]:
    return unit.kind, unit.text


def align(old: list[Unit], new: list[Unit]) -> list[UnitChange]:
    """Align two unit lists; replaced units of the same kind pair up as changes."""
    matcher = difflib.SequenceMatcher(None, [_key(u) for u in old], [_key(u) for u in new],
                                      autojunk=False)
    out: list[UnitChange] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out += [UnitChange("equal", old[i], new[j]) for i, j in zip(range(i1, i2),
                                                                        range(j1, j2),
                                                                        strict=True)]
            continue
        olds, news = old[i1:i2], new[j1:j2]
        while olds and news and olds[0].kind == news[0].kind:
            out.append(UnitChange("change", olds.pop(0), news.pop(0)))
        out += [UnitChange("delete", u, None) for u in olds]
        out += [UnitChange("insert", None, u) for u in news]
    return out


def tokens(spans: Inline) -> list[Span]:
    """Spans split into words, spaces and punctuation, each keeping its formatting."""
    return [Span(match.group(0), span.strong, span.emphasis, span.href)
            for span in spans for match in _TOKEN.finditer(span.text)]


def words(old: Inline, new: Inline) -> list[tuple[str, Span]]:
    """A word-level diff: ("equal" | "delete" | "insert", span) in reading order, merged."""
    a, b = tokens(old), tokens(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    out: list[tuple[str, Span]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out += [("equal", span) for span in b[j1:j2]]
        else:
            out += [("delete", span) for span in a[i1:i2]]
            out += [("insert", span) for span in b[j1:j2]]
    merged: list[tuple[str, Span]] = []
    for op, span in out:
        if merged and merged[-1][0] == op and (merged[-1][1].strong, merged[-1][1].emphasis,
                                               merged[-1][1].href) == \
                (span.strong, span.emphasis, span.href):
            last = merged.pop()[1]
            span = Span(last.text + span.text, span.strong, span.emphasis, span.href)
        merged.append((op, span))
    return merged


def compare(old: Document, new: Document) -> DocumentDiff:
    """Compare two versions of a document clause by clause."""
    old_sections = {c.clause_id: (s.section_id, s.title) for s in old.sections
                    for c in s.clauses}
    new_sections = {c.clause_id: (s.section_id, s.title) for s in new.sections
                    for c in s.clauses}
    old_clauses = {c.clause_id: c for c in old.clauses() if c.clause_id}
    new_clauses = {c.clause_id: c for c in new.clauses() if c.clause_id}
    merged: list[ClauseChange] = []
    for clause in new.clauses():
        if not clause.clause_id:
            continue
        section_id, title = new_sections[clause.clause_id]
        before = old_clauses.get(clause.clause_id)
        if before is None:
            merged.append(ClauseChange(clause.clause_id, "added", None, clause, section_id,
                                       title, tuple(UnitChange("insert", None, u)
                                                    for u in units(clause.blocks))))
            continue
        aligned = tuple(align(units(before.blocks), units(clause.blocks)))
        same = before.title == clause.title and before.version == clause.version and \
            all(u.op == "equal" for u in aligned)
        merged.append(ClauseChange(clause.clause_id, "unchanged" if same else "changed",
                                   before, clause, section_id, title, aligned))
    previous = ""
    for clause in old.clauses():
        if not clause.clause_id:
            continue
        if clause.clause_id in new_clauses:
            previous = clause.clause_id
            continue
        section_id, title = old_sections[clause.clause_id]
        at = 0
        if previous and old_sections[previous][0] == section_id:
            at = next(i for i, c in enumerate(merged) if c.clause_id == previous) + 1
            while at < len(merged) and merged[at].status == "removed":
                at += 1
        else:  # first of its section: before the section's first clause, if it still has one
            at = next((i for i, c in enumerate(merged) if c.section_id == section_id), -1)
            if at < 0 and previous:
                at = next(i for i, c in enumerate(merged) if c.clause_id == previous) + 1
            at = max(at, 0)
        merged.insert(at, ClauseChange(clause.clause_id, "removed", clause, None, section_id,
                                       title, tuple(UnitChange("delete", u, None)
                                                    for u in units(clause.blocks))))
        previous = clause.clause_id
    return DocumentDiff(old, new, tuple(merged))

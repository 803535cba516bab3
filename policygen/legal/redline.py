"""Two versions of a document to a redline .docx: the new version with real tracked changes.

Insertions are `w:ins`, deletions `w:del` (text in `w:delText`), each with the author and date
of the new version (`document.author`, `document.effective_date`), so Word and LibreOffice list
them as changes to accept or reject. Whole paragraphs, list items and table rows carry a
paragraph-mark or row change as well, so accepting everything leaves exactly the new text.
Within a changed paragraph the change is word by word. Styles, numbering, title page, header
and packaging are the Word writer's (writers/docx.py); no file I/O here.
"""

from __future__ import annotations

from dataclasses import dataclass

from policygen import i18n
from policygen.document import Document, Image, Inline, Span, Table
from policygen.legal.compare import ClauseChange, DocumentDiff, Unit, UnitChange, words
from policygen.writers.docx import body as docx_writer
from policygen.writers.docx import toc_and_logo
from policygen.writers.docx.reference import Reference, bundled
from policygen.writers.docx.xml_escape import quoteattr

Change = tuple[str, Span]  # ("equal" | "insert" | "delete", span)


@dataclass
class _Tracker:
    """Numbers the tracked changes and stamps them with author and date."""

    author: str
    date: str
    next_id: int = 1

    def mark(self, kind: str) -> str:
        """An empty `w:ins`/`w:del` element (for paragraph marks and table rows)."""
        return f"<w:{kind} {self._attrs()}/>"

    def wrap(self, kind: str, runs: str) -> str:
        """Runs wrapped in a `w:ins`/`w:del` element."""
        return f"<w:{kind} {self._attrs()}>{runs}</w:{kind}>"

    def _attrs(self) -> str:
        number = self.next_id
        self.next_id += 1
        return (f'w:id="{number}" w:author={quoteattr(self.author)} '
                f'w:date="{self.date}"')


class _Redline:
    """Writes the merged clause sequence into the Word writer's body."""

    def __init__(self, body: docx_writer._Body, tracker: _Tracker) -> None:
        self.body = body
        self.track = tracker
        self.previous_kind = ""

    def runs(self, changes: list[Change]) -> str:
        out = []
        for op, span in changes:
            props = ""
            if span.strong:
                props += "<w:b/>"
            if span.emphasis:
                props += "<w:i/>"
            if span.href:
                style = self.body.ref.style("hyperlink")
                props = (f'<w:rStyle w:val="{style}"/>' if style else "") + props
            tag = "w:delText" if op == "delete" else "w:t"
            props += self.body.run_size + self.body.run_lang
            run = (f"<w:r>{'<w:rPr>' + props + '</w:rPr>' if props else ''}"
                   f'<{tag} xml:space="preserve">{docx_writer._t(span.text)}</{tag}></w:r>')
            if op != "equal":
                run = self.track.wrap("del" if op == "delete" else "ins", run)
            if span.href:
                run = f'<w:hyperlink r:id="{self.body.link_id(span.href)}">{run}</w:hyperlink>'
            out.append(run)
        return "".join(out)

    def paragraph(self, changes: list[Change], ppr: str, whole: str = "") -> None:
        mark = f"<w:rPr>{self.track.mark(whole)}</w:rPr>" if whole else ""
        inner = ppr + mark
        self.body.parts.append(f"<w:p>{'<w:pPr>' + inner + '</w:pPr>' if inner else ''}"
                               f"{self.runs(changes)}</w:p>")

    def heading(self, level: int, changes: list[Change], whole: str = "",
                bookmark: str = "") -> None:
        style = self.body.style(f"heading {level}")  # numbered by the style
        self.paragraph(changes, f'<w:pStyle w:val="{style}"/>', whole)
        if bookmark:  # the target of the table of contents entry
            self.body.bookmarks += 1
            head, runs = self.body.parts[-1].split("</w:pPr>", 1)
            self.body.parts[-1] = (f"{head}</w:pPr>" + toc_and_logo.bookmarked(
                runs[: -len("</w:p>")], bookmark, self.body.bookmarks) + "</w:p>")

    def unit(self, change: UnitChange) -> None:
        unit = change.new or change.old
        assert unit is not None
        if unit.kind == "table":
            self.table(change)
            self.previous_kind = "table"
            return
        if change.op == "change":
            assert change.old is not None and change.new is not None
            changes = words(change.old.spans, change.new.spans)
        else:
            op = {"equal": "equal", "insert": "insert", "delete": "delete"}[change.op]
            changes = [(op, span) for span in unit.spans]
        whole = {"insert": "ins", "delete": "del"}.get(change.op, "")
        self.paragraph(changes, self._list_ppr(unit), whole)
        self.previous_kind = unit.kind

    def _list_ppr(self, unit: Unit) -> str:
        body = self.body
        if unit.kind == "ul":
            num_id, style = docx_writer._NUM_BULLET, body.style("list bullet")
        elif unit.kind == "ol":
            if self.previous_kind != "ol":
                body.ordered_lists += 1
            num_id = docx_writer._NUM_FIRST_ORDERED + body.ordered_lists - 1
            style = body.style("list number")
        else:
            return ""
        return (f'<w:pStyle w:val="{style}"/><w:numPr><w:ilvl w:val="0"/>'
                f'<w:numId w:val="{num_id}"/></w:numPr>')

    def table(self, change: UnitChange) -> None:
        old = change.old.table if change.old else None
        new = change.new.table if change.new else None
        if change.op == "change" and old and new and len(old.header) == len(new.header):
            rows = _table_rows(old, new)
            self._table(len(new.header), rows)
        else:
            if old is not None and change.op != "equal":
                self._table(len(old.header), [("delete", _same(r, "delete"))
                                              for r in (old.header, *old.rows)], "del")
            if new is not None:
                op = "equal" if change.op == "equal" else "insert"
                self._table(len(new.header), [(op, _same(r, op))
                                              for r in (new.header, *new.rows)],
                            "ins" if op == "insert" else "")

    def _table(self, columns: int, rows: list[tuple[str, list[list[Change]]]],
               whole: str = "") -> None:
        body = self.body
        cells = [tuple(tuple(span for _, span in cell) for cell in row) for _, row in rows]
        layout = body.table_layout(cells[0], tuple(cells[1:]))
        body.run_size = body.size_of(layout)
        out = [body.table_start(layout)]
        for index, (op, row) in enumerate(rows):
            is_header = index == 0
            whole = {"insert": "ins", "delete": "del"}.get(op, "")
            out.append(body.row_start(layout, is_header,
                                      self.track.mark(whole) if whole else ""))
            for column, cell in enumerate(row):
                mark = f"<w:rPr>{self.track.mark(whole)}</w:rPr>" if whole else ""
                bold = [(o, Span(s.text, True, s.emphasis, s.href)) for o, s in cell] \
                    if is_header else cell
                out.append(body.cell_start(layout, column, is_header, is_header)
                           + f"<w:p>{body.cell_ppr(mark)}{self.runs(bold)}</w:p></w:tc>")
            out.append("</w:tr>")
        out.append("</w:tbl>")
        body.run_size = ""
        body.landscaped("".join(out), layout.landscape)
        mark = f"<w:rPr>{self.track.mark(whole)}</w:rPr>" if whole else ""
        body.parts.append(f'<w:p><w:pPr><w:spacing w:after="0"/>{mark}</w:pPr></w:p>')


def _same(row: tuple[Inline, ...], op: str) -> list[list[Change]]:
    return [[(op, span) for span in cell] for cell in row]


def _table_rows(old: Table, new: Table) -> list[tuple[str, list[list[Change]]]]:
    """Rows of a changed table: equal, inserted, deleted, or changed cell by cell."""
    from policygen.legal.compare import align

    old_rows = [Unit("p", _joined(r)) for r in (old.header, *old.rows)]
    new_rows = [Unit("p", _joined(r)) for r in (new.header, *new.rows)]
    by_text_old = dict(zip([id(u) for u in old_rows], (old.header, *old.rows), strict=True))
    by_text_new = dict(zip([id(u) for u in new_rows], (new.header, *new.rows), strict=True))
    out: list[tuple[str, list[list[Change]]]] = []
    for change in align(old_rows, new_rows):
        old_row = by_text_old[id(change.old)] if change.old else None
        new_row = by_text_new[id(change.new)] if change.new else None
        if change.op == "equal" and new_row is not None:
            out.append(("equal", _same(new_row, "equal")))
        elif change.op == "change" and old_row is not None and new_row is not None:
            out.append(("equal", [words(a, b) for a, b in zip(old_row, new_row, strict=True)]))
        elif old_row is not None:
            out.append(("delete", _same(old_row, "delete")))
        elif new_row is not None:
            out.append(("insert", _same(new_row, "insert")))
    return out


def _joined(row: tuple[Inline, ...]) -> Inline:
    """A row as one line of spans (cells separated by a tab) for aligning rows."""
    out: list[Span] = []
    for i, cell in enumerate(row):
        if i:
            out.append(Span("\t"))
        out.extend(cell)
    return tuple(out)


def _title(change: ClauseChange) -> list[Change]:
    old = change.old.title if change.old else ""
    new = change.new.title if change.new else ""
    if change.status == "added":
        return [("insert", Span(new))]
    if change.status == "removed":
        return [("delete", Span(old))]
    return words((Span(old),), (Span(new),)) if old != new else [("equal", Span(new))]


def _bookmarks(document: Document, entries: list[toc_and_logo.TocEntry]) -> dict[str, str]:
    """The heading bookmark of every section ("s:<id>") and clause of the new version."""
    marks = iter(entries)
    out = {}
    for section in document.sections:
        out[f"s:{section.section_id}"] = next(marks).bookmark
        for clause in section.clauses:
            out[clause.clause_id or f"g:{section.section_id}"] = next(marks).bookmark
    return out


def write(diff: DocumentDiff, reference: Reference | None = None,
          logo: Image | None = None) -> bytes:
    """Return the redline .docx: the new version, with the changes from the old one tracked."""
    body = docx_writer.new_body(diff.new, reference or bundled(), with_comments=False)
    meta, old = diff.new.meta, diff.old.meta
    tracker = _Tracker(meta.author, f"{meta.effective_date.isoformat()}T00:00:00Z")
    redline = _Redline(body, tracker)
    compared = (i18n.text(meta.language, "redline.compared"),
                i18n.text(meta.language, "redline.versions", old=old.version,
                          old_date=old.effective_date_text, new=meta.version,
                          new_date=meta.effective_date_text))
    marks = _bookmarks(diff.new, docx_writer._front_matter(diff.new, body, logo, compared))
    new_sections = {s.section_id: s.title for s in diff.new.sections}
    old_sections = {s.section_id: s.title for s in diff.old.sections}
    current = None
    emitted: set[str] = set()
    for change in diff.clauses:
        if change.section_id != current and change.section_id not in emitted:
            emitted.add(change.section_id)
            redline.heading(1, *_section_heading(change.section_id, old_sections,
                                                 new_sections),
                            bookmark=marks.get(f"s:{change.section_id}", ""))
        current = change.section_id
        redline.heading(2, _title(change), {"added": "ins", "removed": "del"}.get(
            change.status, ""), bookmark=marks.get(change.clause_id, "") if change.new else "")
        redline.previous_kind = ""
        for unit in change.units:
            redline.unit(unit)
    for section in diff.new.sections:  # generated sections (the provenance appendix)
        if all(not c.clause_id for c in section.clauses):
            redline.heading(1, [("equal", Span(section.title))],
                            bookmark=marks[f"s:{section.section_id}"])
            for clause in section.clauses:
                redline.heading(2, [("equal", Span(clause.title))],
                                bookmark=marks[f"g:{section.section_id}"])
                for block in clause.blocks:
                    body.block(block)
    return docx_writer._package(diff.new, body, logo)[0]


def _section_heading(section_id: str, old: dict[str, str],
                     new: dict[str, str]) -> tuple[list[Change], str]:
    if section_id not in new:
        return [("delete", Span(old[section_id]))], "del"
    if section_id not in old:
        return [("insert", Span(new[section_id]))], "ins"
    if old[section_id] != new[section_id]:
        return words((Span(old[section_id]),), (Span(new[section_id]),)), ""
    return [("equal", Span(new[section_id]))], ""

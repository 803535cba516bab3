"""Word comments for drafts: each clause heading carries its provenance for the reviewers.

A draft (`meta.status == "draft"`) gets one comment per library clause, anchored on the clause
heading: the clause id and version, the review note, and every legal source with the date it
was checked. The heading also carries a hidden bookmark `_pg_<clause id>`, so that comments the
reviewers add later can be tied back to the clause they sit in (policygen.legal.reviewer_comments).
Pure string building; no file I/O.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from policygen.document import Clause, Document, Labels
from policygen.writers.docx.xml_escape import escape

AUTHOR = "policygen"
INITIALS = "PG"
BOOKMARK_PREFIX = "_pg_"
MAX_BOOKMARK = 40  # Word's limit on bookmark names
# Bookmark ids far above those of the table of contents.
_FIRST_BOOKMARK_ID = 100_000
_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
PART = "word/comments.xml"


def bookmark_name(clause_id: str) -> str:
    """The bookmark on a clause heading: `_pg_<clause id>`, within Word's 40 characters.

    A longer id is cut and ends in 8 hex digits of its hash; `clause_of_bookmark` reads both.
    """
    name = BOOKMARK_PREFIX + clause_id
    if len(name) <= MAX_BOOKMARK:
        return name
    digest = hashlib.blake2b(clause_id.encode(), digest_size=4).hexdigest()
    return name[: MAX_BOOKMARK - 9] + "~" + digest


def clause_of_bookmark(name: str, clause_ids: Iterable[str]) -> str:
    """The clause id a bookmark name stands for ('' if none of `clause_ids` matches)."""
    if not name.startswith(BOOKMARK_PREFIX):
        return ""
    if "~" not in name:
        return name[len(BOOKMARK_PREFIX):]
    return next((clause_id for clause_id in clause_ids if bookmark_name(clause_id) == name), "")


def _p(text: str) -> str:
    return f'<w:p><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def comment_lines(clause: Clause, labels: Labels) -> list[str]:
    """The paragraphs of the comment on one clause."""
    lines = [f"{clause.clause_id} \u00b7 {labels.version} {clause.version}"]
    if clause.review_note:
        lines.append(f"{labels.review_note}: {clause.review_note}")
    if clause.sources:
        lines.append(f"{labels.sources}:")
        lines += [f"{s.jurisdiction}: {s.citation} ({labels.checked} {s.checked.isoformat()})"
                  for s in clause.sources]  # the company's legal systems only (compose)
    return lines


@dataclass
class Comments:
    """The comments of one draft, collected while its body is written."""

    labels: Labels
    date: str
    items: list[str] = field(default_factory=list)

    def annotate(self, heading_xml: str, clause: Clause) -> str:
        """The heading paragraph with the clause's comment and bookmark around its text."""
        if not clause.clause_id or "</w:pPr>" not in heading_xml:
            return heading_xml
        number = len(self.items)
        mark = _FIRST_BOOKMARK_ID + number
        body = "".join(_p(line) for line in comment_lines(clause, self.labels))
        self.items.append(f'<w:comment w:id="{number}" w:author="{AUTHOR}" w:date="{self.date}" '
                          f'w:initials="{INITIALS}">{body}</w:comment>')
        head, rest = heading_xml.split("</w:pPr>", 1)
        runs = rest[: -len("</w:p>")]
        name = escape(bookmark_name(clause.clause_id), {'"': "&quot;"})
        return (f'{head}</w:pPr><w:bookmarkStart w:id="{mark}" w:name="{name}"/>'
                f'<w:commentRangeStart w:id="{number}"/>{runs}'
                f'<w:commentRangeEnd w:id="{number}"/>'
                f'<w:r><w:commentReference w:id="{number}"/></w:r>'
                f'<w:bookmarkEnd w:id="{mark}"/></w:p>')

    def add_to(self, entries: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
        """The package entries with the comments part, its relationship and content type."""
        if not self.items:
            return entries
        part = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<w:comments xmlns:w="{_W_NS}">{"".join(self.items)}</w:comments>').encode()
        out = []
        for name, data in entries:
            if name == "[Content_Types].xml":
                data = data.replace(b"</Types>", (
                    f'<Override PartName="/{PART}" ContentType="{_CONTENT_TYPE}"/>'
                    "</Types>").encode())
            elif name == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", (
                    f'<Relationship Id="rIdComments" Type="{_REL}/comments" '
                    'Target="comments.xml"/></Relationships>').encode())
            out.append((name, data))
        index = next(i for i, (name, _) in enumerate(out) if name == "word/document.xml")
        out.insert(index + 1, (PART, part))
        return out


def for_draft(document: Document) -> Comments | None:
    """A comment collector if the document is a draft, else None (released: no comments)."""
    if document.meta.status != "draft":
        return None
    return Comments(document.labels, f"{document.meta.effective_date.isoformat()}T00:00:00Z")

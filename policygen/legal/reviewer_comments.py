"""The review round: drafts go out, reviewers' Word comments come back tied to their clauses.

`as_draft` turns a profile into its draft (what `build --draft` writes). `read_comments` lists
the comments in a .docx draft and, for each, the clause it sits in: the nearest clause
bookmark (`_pg_<clause id>`, written on every clause heading of a draft) before the comment's
anchor. policygen's own comments (author `policygen`) are left out unless asked for.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType

from lxml import etree

from policygen.core.profile import Profile
from policygen.errors import Location, SourceError
from policygen.writers.docx.comments import AUTHOR, BOOKMARK_PREFIX, clause_of_bookmark

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MAX_PART_BYTES = 64 * 1024 * 1024
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def as_draft(profile: Profile) -> Profile:
    """The profile with `document.status: draft` (comments, notes and the DRAFT mark)."""
    if profile.document["status"] == "draft":
        return profile
    document = MappingProxyType({**profile.document, "status": "draft"})
    return replace(profile, data=MappingProxyType({**profile.data, "document": document}))


@dataclass(frozen=True)
class ReviewComment:
    """A comment in a Word document and the clause it sits in."""

    comment_id: str
    author: str
    date: str
    clause_id: str
    anchor: str
    text: str


def _part(archive: zipfile.ZipFile, name: str, where: Location) -> bytes | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > _MAX_PART_BYTES:
        raise SourceError.at(where, f"{name} is larger than 64 MB",
                             "open and save the document in Word, then try again")
    return archive.read(info)


def _xml(data: bytes, name: str, where: Location) -> etree._Element:
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise SourceError.at(where, f"{name} is not well-formed XML: {exc}",
                             "open and save the document in Word, then try again") from None


def _text(element: etree._Element) -> str:
    paragraphs = []
    for paragraph in element.iter(f"{_W}p"):
        paragraphs.append("".join(t.text or "" for t in paragraph.iter(f"{_W}t")))
    return "\n".join(paragraphs)


def read_comments(path: Path, display: str, *, include_own: bool = False) -> list[ReviewComment]:
    """Every comment of a .docx in document order, each tied to its clause id ('' before any)."""
    where = Location(display)
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise SourceError.at(where, "file not found", "check the path") from None
    except (zipfile.BadZipFile, IsADirectoryError, PermissionError, OSError) as exc:
        raise SourceError.at(where, f"not a Word document (.docx): {exc}",
                             "pass a .docx file that Word or LibreOffice saved") from None
    with archive:
        document = _part(archive, "word/document.xml", where)
        if document is None:
            raise SourceError.at(where, "not a Word document: word/document.xml is missing",
                                 "pass a .docx file that Word or LibreOffice saved")
        comments_xml = _part(archive, "word/comments.xml", where)
    if comments_xml is None:
        return []
    comments_root = _xml(comments_xml, "word/comments.xml", where)
    # policygen's own comments begin with the clause id: they resolve shortened bookmarks
    own_ids = [_text(c).split(" \u00b7 ", 1)[0] for c in comments_root.iter(f"{_W}comment")
               if c.get(f"{_W}author", "") == AUTHOR]
    anchors = _anchors(_xml(document, "word/document.xml", where), own_ids)
    out = []
    for comment in comments_root.iter(f"{_W}comment"):
        author = comment.get(f"{_W}author", "")
        if author == AUTHOR and not include_own:
            continue
        number = comment.get(f"{_W}id", "")
        clause_id, anchor = anchors.get(number, ("", ""))
        out.append(ReviewComment(number, author, _date(comment.get(f"{_W}date", "")),
                                 clause_id, anchor, _text(comment)))
    order = {number: i for i, number in enumerate(anchors)}
    return sorted(out, key=lambda c: order.get(c.comment_id, len(order)))


def _date(stamp: str) -> str:
    try:
        return dt.datetime.fromisoformat(stamp.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        return ""


def _anchors(root: etree._Element, clause_ids: list[str]) -> dict[str, tuple[str, str]]:
    """For each comment id: the clause it sits in and the text it marks, in document order."""
    clause = ""
    found: dict[str, tuple[str, list[str]]] = {}
    open_ids: list[str] = []
    for element in root.iter(f"{_W}bookmarkStart", f"{_W}commentRangeStart",
                             f"{_W}commentRangeEnd", f"{_W}commentReference", f"{_W}t"):
        tag = element.tag
        if tag == f"{_W}bookmarkStart":
            name = element.get(f"{_W}name", "")
            if name.startswith(BOOKMARK_PREFIX):
                clause = clause_of_bookmark(name, clause_ids)
        elif tag == f"{_W}t":
            for number in open_ids:
                found[number][1].append(element.text or "")
        else:
            number = element.get(f"{_W}id", "")
            if number not in found:
                found[number] = (clause, [])
            if tag == f"{_W}commentRangeStart":
                open_ids.append(number)
            elif number in open_ids:
                open_ids.remove(number)
    return {number: (where, " ".join("".join(parts).split()))
            for number, (where, parts) in found.items()}

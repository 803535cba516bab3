"""The review round: drafts go out, reviewers' Word comments come back tied to their clauses.

`as_draft` turns a profile into its draft (what `build --draft` writes). `read_comments` lists
the comments in a .docx draft and, for each, the clause it sits in: the nearest clause
bookmark (`_pg_<clause id>`, written on every clause heading of a draft) before the comment's
anchor. policygen's own comments (author `policygen`) are left out unless asked for.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from lxml import etree

from policygen.core import files
from policygen.core.profile import Profile
from policygen.errors import Location, SourceError
from policygen.vocabulary import BIDI_CONTROLS
from policygen.writers.docx.comments import (
    AUTHOR,
    BOOKMARK_PREFIX,
    bookmark_name,
    clause_of_bookmark,
)
from policygen.writers.docx.untrusted import DamagedPackage, Package, parse_xml

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MAX_FILE_BYTES = 64 * 1024 * 1024
_MAX_ID, _MAX_NAME, _MAX_ANCHOR, _MAX_TEXT = 100, 200, 2_000, 20_000


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


def _xml(package: Package, name: str, where: Location) -> etree._Element | None:
    """A part of the draft, checked and parsed (None when absent)."""
    try:
        data = package.read(name)
        return None if data is None else parse_xml(data, name)
    except DamagedPackage as exc:
        raise SourceError.at(where, f"damaged Word document: {exc.message}",
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
        data = files.read_regular(path, _MAX_FILE_BYTES)
    except FileNotFoundError:
        raise SourceError.at(where, "file not found", "check the path") from None
    except OSError as exc:
        raise SourceError.at(where, f"cannot read the Word document: {files.describe(exc)}",
                             "pass a .docx file that Word or LibreOffice saved") from None
    try:
        package = Package(data)
    except DamagedPackage as exc:
        raise SourceError.at(where, exc.message if exc.message.startswith("not a Word")
                             else f"damaged Word document: {exc.message}",
                             "pass a .docx file that Word or LibreOffice saved") from None
    document = _xml(package, "word/document.xml", where)
    if document is None:
        raise SourceError.at(where, "not a Word document: word/document.xml is missing",
                             "pass a .docx file that Word or LibreOffice saved")
    comments = _xml(package, "word/comments.xml", where)
    if comments is None:
        return []
    # policygen's own comments begin with the clause id: they resolve shortened bookmarks
    own_ids = [_text(c).split(" \u00b7 ", 1)[0] for c in comments.iter(f"{_W}comment")
               if c.get(f"{_W}author", "") == AUTHOR]
    anchors = _anchors(document, own_ids)
    out = []
    for comment in comments.iter(f"{_W}comment"):
        author = shown(comment.get(f"{_W}author", ""), _MAX_NAME)
        if author == AUTHOR and not include_own:
            continue
        number = shown(comment.get(f"{_W}id", ""), _MAX_ID)
        clause_id, anchor = anchors.get(number, ("", ""))
        out.append(ReviewComment(number, author, _date(comment.get(f"{_W}date", "")),
                                 clause_id, anchor, shown(_text(comment), _MAX_TEXT,
                                                          lines=True)))
    order = {number: i for i, number in enumerate(anchors)}
    return sorted(out, key=lambda c: order.get(c.comment_id, len(order)))


def _date(stamp: str) -> str:
    try:
        return dt.datetime.fromisoformat(stamp.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        return ""


def _anchors(root: etree._Element, clause_ids: list[str]) -> dict[str, tuple[str, str]]:
    """For each comment id: the clause it sits in and the text it marks, in document order.

    Linear in the size of the document: the texts are collected once, and each comment
    remembers where its range starts and ends in them. Shortened bookmark names are resolved
    through `clause_ids` (looked up by their bookmark name, not searched per bookmark).
    """
    by_bookmark = {bookmark_name(clause_id): clause_id for clause_id in dict.fromkeys(clause_ids)}
    clause = ""
    texts: list[str] = []
    found: dict[str, list[Any]] = {}  # id -> [clause, start, end]
    for element in root.iter(f"{_W}bookmarkStart", f"{_W}commentRangeStart",
                             f"{_W}commentRangeEnd", f"{_W}commentReference", f"{_W}t"):
        tag = element.tag
        if tag == f"{_W}bookmarkStart":
            name = element.get(f"{_W}name", "")
            if name.startswith(BOOKMARK_PREFIX):
                clause = shown(by_bookmark.get(name) or clause_of_bookmark(name, ()), _MAX_ID)
        elif tag == f"{_W}t":
            texts.append(element.text or "")
        else:
            number = shown(element.get(f"{_W}id", ""), _MAX_ID)
            entry = found.setdefault(number, [clause, None, None])
            if tag == f"{_W}commentRangeStart" and entry[1] is None:
                entry[1] = len(texts)
            elif tag != f"{_W}commentRangeStart" and entry[1] is not None and entry[2] is None:
                entry[2] = len(texts)
    out = {}
    for number, (where, start, end) in found.items():
        marked = ""
        if start is not None:
            marked = shown(" ".join(_joined(texts, start, len(texts) if end is None else end
                                            ).split()), _MAX_ANCHOR)
        out[number] = (where, marked)
    return out


def _joined(texts: list[str], start: int, end: int) -> str:
    """The texts from start to end, stopping once enough for an anchor is collected."""
    parts, length = [], 0
    for text in texts[start:end]:
        parts.append(text)
        length += len(text)
        if length > 4 * _MAX_ANCHOR:
            break
    return "".join(parts)


def shown(text: str, limit: int, *, lines: bool = False) -> str:
    """Text from a reviewer's document as a terminal may show it.

    Control characters (escape sequences) and bidirectional controls become `?`; at most
    `limit` characters are kept.
    """
    def ok(char: str) -> bool:
        return (char == "\n" and lines) or (char.isprintable() and char not in BIDI_CONTROLS)

    clean = "".join(c if ok(c) else "?" for c in text[:limit])
    return clean + ("…" if len(text) > limit else "")

"""Document to CommonMark (with GitHub-style tables); no file I/O.

Every file opens with a YAML metadata block that gives its language (`lang: de-AT`): pandoc
reads it as the document's `lang` (the language of a .docx, HTML or PDF it makes from the file),
GitHub, GitLab and static site generators read it as front matter (docs/layout.md).
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import groupby
from typing import TYPE_CHECKING

from policygen.document import (
    Block,
    Clause,
    Document,
    Heading,
    Inline,
    Labels,
    ListBlock,
    Paragraph,
    SignatureLine,
    Source,
    Span,
    Table,
)
from policygen.writers.block_memo import BlockMemo
from policygen.writers.regions import Regions, joined

if TYPE_CHECKING:
    from policygen.writers.registry import Assets

_ALWAYS = re.compile(r"([\\`*_\[\]<>|~])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_ANY_SPECIAL = re.compile(r"[\\`*_\[\]<>|~&]")
_PLAIN_URL = re.compile(r"[^\s()<>\\]+")
_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+[.)])")


def escape(text: str, *, line_start: bool = False) -> str:
    """Escape text so that a CommonMark parser reads it back literally."""
    if _ANY_SPECIAL.search(text):
        text = _ENTITY.sub("&amp;", _ALWAYS.sub(r"\\\1", text))
    if line_start:
        match = _LINE_START.match(text)
        if match:
            marker = match.group(2)
            escaped = marker[:-1] + "\\" + marker[-1] if marker[0].isdigit() else "\\" + marker
            text = match.group(1) + escaped + text[match.end():]
    return text


def _wrap(text: str, marker: str) -> str:
    """Put emphasis markers around text, keeping surrounding spaces outside them."""
    stripped = text.strip(" ")
    if not stripped:
        return text
    lead = text[: len(text) - len(text.lstrip(" "))]
    trail = text[len(text.rstrip(" ")):]
    return f"{lead}{marker}{stripped}{marker}{trail}"


def inline(spans: Inline, *, line_start: bool = True) -> str:
    """Render inline spans as Markdown, nesting emphasis inside strong runs."""
    if len(spans) == 1:  # the common case: one plain run
        span = spans[0]
        if not (span.strong or span.emphasis or span.href):
            return escape(span.text, line_start=line_start)
    out = []
    first = line_start
    for strong, strong_group in groupby(spans, key=lambda s: s.strong):
        strong_text = []
        for emphasis, group in groupby(strong_group, key=lambda s: s.emphasis):
            text = "".join(_link(span, first and index == 0) for index, span in enumerate(group))
            first = False
            strong_text.append(_wrap(text, "*") if emphasis else text)
        joined = "".join(strong_text)
        out.append(_wrap(joined, "**") if strong else joined)
    return "".join(out)


def _link(span: Span, line_start: bool) -> str:
    text = escape(span.text, line_start=line_start)
    if span.href:
        target = span.href
        if _PLAIN_URL.fullmatch(target) is None:
            target = "<" + target.replace(">", "%3E").replace("<", "%3C") + ">"
        text = f"[{text}]({target})"
    return text


def _cell(spans: Inline) -> str:
    return inline(spans, line_start=False).replace("\n", " ") or " "


def _block(block: Block) -> str:
    if isinstance(block, Paragraph):
        return inline(block.spans)
    if isinstance(block, ListBlock):
        return "\n".join(
            (f"{n}. " if block.ordered else "- ") + inline(item)
            for n, item in enumerate(block.items, start=1))
    if isinstance(block, SignatureLine):
        return f"{escape(block.label, line_start=True)}: " + "\\_" * 40
    header = "| " + " | ".join(_cell(c) for c in block.header) + " |"
    rule = "|" + "|".join("---" for _ in block.header) + "|"
    rows = ["| " + " | ".join(_cell(c) for c in row) + " |" for row in block.rows]
    return "\n".join([header, rule, *rows])


def front_matter(document: Document) -> str:
    """The YAML metadata block: the document's language as a BCP 47 tag (a plain scalar)."""
    tag = document.meta.locale or document.meta.language
    assert re.fullmatch(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*", tag), tag
    return f"---\nlang: {tag}\n---"


def write(document: Document) -> str:
    """Return the Markdown text of a document."""
    return "\n\n".join(_pieces(document)[0]) + "\n"


def write_with_regions(document: Document) -> tuple[bytes, Regions | None]:
    """The file's bytes, and where each clause's blocks are in them (writers/regions.py)."""
    pieces, bodies = _pieces(document)
    if document.layout == "handout":
        return ("\n\n".join(pieces) + "\n").encode("utf-8"), None
    return joined(pieces, "\n\n", bodies)


def _pieces(document: Document) -> tuple[list[str], dict[int, int]]:
    """The document's paragraphs, to be joined by blank lines; which are clause bodies.

    The second value maps a piece's index to the index of the clause whose blocks it is.
    """
    if document.layout == "handout":
        return _handout(document), {}
    meta, labels = document.meta, document.labels
    out = [front_matter(document), f"# {escape(meta.title)}",
           f"**{escape(meta.audience_label)}**"]
    facts = [
        (labels.company, meta.company),
        (labels.version, meta.version),
        (labels.effective_date, meta.effective_date_text),
        (labels.language, labels.language_name),
        (labels.audience, meta.audience_label),
        (labels.status, meta.status_text),
        (labels.owner, meta.owner),
    ]
    out.append("\n".join(f"- **{escape(key)}:** {escape(value)}" for key, value in facts))
    if meta.history:
        out.append(f"## {escape(labels.history)}")
        out.append(_block(Table(
            tuple((Span(h),) for h in labels.history_header),
            tuple(((Span(e.version),), (Span(e.date_text),), (Span(e.author),),
                   (Span(e.changes),)) for e in meta.history))))
    bodies: dict[int, int] = {}
    index = 0
    for number, section in enumerate(document.sections, start=1):
        out.append(f"## {number} {escape(section.title)}")
        for sub, clause in enumerate(section.clauses, start=1):
            out.append(f"### {number}.{sub} {escape(clause.title)}")
            if meta.status == "draft" and clause.clause_id:
                out.append(_draft_note(clause, labels))
            if clause.blocks:
                bodies[len(out)] = index
                out.append(body(clause))
            index += 1
    return out, bodies


def body(clause: Clause) -> str:
    """The Markdown of a clause's blocks, made once for those blocks (`Clause.memo`)."""
    return clause.made("md", lambda: "\n\n".join(_KNOWN(block) for block in clause.blocks))




def _handout(document: Document) -> list[str]:
    """A one-page handout: title, edition, unnumbered sections, adjacent lists joined."""
    meta = document.meta
    out = [front_matter(document), f"# {escape(meta.title)}",
           f"**{escape(meta.audience_label)}**"]
    for part in document.handout_flow():
        if isinstance(part, Heading):
            out.append(f"{'#' * part.level} {escape(part.text)}")
        else:
            out.append(_block(part))
    return out


def _draft_note(clause: Clause, labels: Labels) -> str:
    """A draft's note for reviewers under a clause heading: a block quote, clearly marked."""
    return _note(labels.draft_mark, labels.version, labels.review_note, labels.sources,
                 labels.checked, clause.clause_id, clause.version, clause.review_note,
                 clause.sources)


@lru_cache(maxsize=4096)  # every company's legal edition prints the same notes
def _note(draft_mark: str, version_label: str, review_label: str, sources_label: str,
          checked_label: str, clause_id: str, version: int, review_note: str,
          sources: tuple[Source, ...]) -> str:
    lines = [f"**{escape(draft_mark)} \u00b7 {escape(clause_id)}** \u00b7 "
             f"{escape(version_label)} {version}"]
    if review_note:
        note = " ".join(review_note.split())
        lines.append(f"**{escape(review_label)}:** {escape(note)}")
    if sources:
        lines.append(f"**{escape(sources_label)}:** " + "; ".join(
            f"{escape(s.jurisdiction)}: {escape(s.citation)} "
            f"({escape(checked_label)} {s.checked.isoformat()})" for s in sources))
    return "\n>\n".join(f"> {line}" for line in lines)


def write_file(document: Document, assets: Assets) -> bytes:
    """The registry's entry point: the Markdown as UTF-8 bytes."""
    return write(document).encode("utf-8")


def write_file_with_regions(document: Document, assets: Assets) -> tuple[bytes, Regions | None]:
    """The registry's entry point for a build that keeps where each clause is."""
    return write_with_regions(document)


_KNOWN = BlockMemo(_block)  # typeset blocks that recur are written once

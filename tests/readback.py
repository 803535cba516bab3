"""Read generated documents back into comparable sequences of (kind, text)."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import docx
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph
from markdown_it import MarkdownIt

_MD = MarkdownIt("commonmark", {"html": False}).enable("table")
_NUMBER = re.compile(r"^\d+(\.\d+)* ")
_STYLE_KINDS = {"Heading 1": "h1", "Heading 2": "h2", "List Bullet": "ul", "List Number": "ol"}


_W_PPR = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}pPr"
_W_SECT = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}sectPr"


def docx_sequence(data: bytes) -> list[tuple[str, str]]:
    """(style name, text) of every body paragraph and table row, in order."""
    document = docx.Document(io.BytesIO(data))
    out: list[tuple[str, str]] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            if child.find(f"{_W_PPR}/{_W_SECT}") is not None:
                continue  # a section break (a landscape table's): layout, not content
            paragraph = DocxParagraph(child, document)
            out.append((paragraph.style.name if paragraph.style else "", paragraph.text))
        elif tag == "tbl":
            table = DocxTable(child, document)
            for row in table.rows:
                out.append(("table row", " | ".join(cell.text for cell in row.cells)))
    return out


def docx_body(data: bytes) -> list[tuple[str, str]]:
    """The numbered part of a .docx as (kind, text), starting at the first section heading."""
    sequence = docx_sequence(data)
    start = next(i for i, (style, _) in enumerate(sequence) if style == "Heading 1")
    out = []
    for style, text in sequence[start:]:
        if style == "table row":
            out.append(("tr", text))
        elif text:
            out.append((_STYLE_KINDS.get(style, "p"), text))
    return out


def _inline_text(token: object) -> str:
    children = getattr(token, "children", None) or []
    return "".join(c.content if c.type in ("text", "code_inline") else
                   " " if c.type in ("softbreak", "hardbreak") else "" for c in children)


def markdown_body(text: str) -> list[tuple[str, str]]:
    """The numbered part of a Markdown document as (kind, text), parsed as CommonMark."""
    tokens = _MD.parse(text)
    out: list[tuple[str, str]] = []
    lists: list[str] = []
    row: list[str] = []
    started = False
    quoted = 0  # block quotes hold a draft's notes for reviewers, not body text
    for i, token in enumerate(tokens):
        if token.type in ("blockquote_open", "blockquote_close"):
            quoted += 1 if token.type == "blockquote_open" else -1
        elif quoted:
            continue
        elif token.type == "heading_open":
            title = _inline_text(tokens[i + 1])
            numbered = _NUMBER.match(title)
            if token.tag in ("h2", "h3") and numbered:
                started = True
                out.append(("h1" if token.tag == "h2" else "h2", title[numbered.end():]))
            elif started:
                out.append(("heading", title))
        elif not started:
            continue
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            lists.append("ul" if token.type == "bullet_list_open" else "ol")
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif token.type == "tr_open":
            row = []
        elif token.type == "tr_close":
            out.append(("tr", " | ".join(row)))
        elif token.type == "inline" and tokens[i - 1].type in ("th_open", "td_open"):
            row.append(_inline_text(token))
        elif token.type == "inline" and tokens[i - 1].type == "paragraph_open":
            out.append((lists[-1] if lists else "p", _inline_text(token)))
    return out


def docx_lines(data: bytes) -> str:
    """A .docx as one `style<TAB>text` line per paragraph: its golden-file form."""
    return "\n".join(f"{style}\t{text}" for style, text in docx_sequence(data)) + "\n"


# The golden-file form of each binary format of the writer registry.
READBACK: dict[str, Callable[[bytes], str]] = {"docx": docx_lines}

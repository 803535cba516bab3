"""Document to one self-contained, accessible HTML page (for an intranet); no file I/O.

The page needs nothing beside itself: the style sheet (screen and print) is inline and the logo
is a data URI. Its `lang` is the document's locale; every heading carries an id and a visible
anchor link, and a guideline starts with a contents list linking to them. Every text of the
document is escaped, so profile values appear literally and never as markup; links keep only
http(s), mailto and in-page targets.
"""

from __future__ import annotations

import base64
import re
from html import escape
from itertools import groupby
from typing import TYPE_CHECKING

from policygen.document import (
    Block,
    Clause,
    Document,
    Heading,
    Image,
    Inline,
    Labels,
    ListBlock,
    Paragraph,
    SignatureLine,
    Span,
    Table,
)
from policygen.writers.block_memo import BlockMemo
from policygen.writers.regions import Regions, joined

if TYPE_CHECKING:
    from policygen.writers.registry import Assets

_SAFE_HREF = re.compile(r"(https?://|mailto:|#)[^\s]*", re.IGNORECASE)
_ID_CHARS = re.compile(r"[^A-Za-z0-9_.-]+")
_PAPER = {"A4": "A4", "Letter": "letter"}
_MIME = {"png": "image/png", "jpeg": "image/jpeg"}

STYLE = """\
:root{--ink:#1d232b;--muted:#55606e;--rule:#d5dae0;--accent:#0b5cad;--note:#fff7e0}
*{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;\
line-height:1.5;color:var(--ink);background:#fff}
body{max-width:48rem;margin:0 auto;padding:2rem 1.25rem 4rem;hyphens:auto;\
overflow-wrap:break-word}
a{color:var(--accent)}
a:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
header.title{border-bottom:2px solid var(--ink);margin-bottom:2rem;padding-bottom:1rem}
header.title img{display:block;max-width:14rem;max-height:6rem;width:auto;height:auto;\
margin-bottom:1rem}
h1{font-size:2rem;line-height:1.2;margin:0 0 .5rem}
h2{font-size:1.4rem;margin:2.5rem 0 .75rem;border-bottom:1px solid var(--rule)}
h3{font-size:1.1rem;margin:1.75rem 0 .5rem}
.edition{font-size:1.15rem;font-weight:600;color:var(--muted);margin:0 0 1rem}
.draft{display:inline-block;border:2px solid #a40000;color:#a40000;font-weight:700;\
padding:0 .5rem;margin-left:.5rem;letter-spacing:.05em}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:0}
dl.facts dt{font-weight:600}dl.facts dd{margin:0}
.num{margin-right:.5rem;font-variant-numeric:tabular-nums}
.anchor{margin-left:.4rem;text-decoration:none;color:var(--rule);font-weight:400}
h2:hover .anchor,h3:hover .anchor,.anchor:focus{color:var(--accent)}
nav.contents ol{list-style:none;padding-left:0}nav.contents ol ol{padding-left:1.5rem}
nav.contents li{margin:.15rem 0}
table{border-collapse:collapse;width:100%;margin:1rem 0;font-size:.95rem}
th,td{border:1px solid var(--rule);padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f2f4f7}
aside.review{background:var(--note);border-left:4px solid #c99a00;padding:.5rem .75rem;\
margin:.5rem 0;font-size:.9rem}
aside.review p{margin:.2rem 0}
p.signature{display:flex;gap:.75rem;align-items:flex-end;margin:2rem 0}
p.signature .line{flex:1;border-bottom:1px solid var(--ink);min-height:1.5rem}
footer{margin-top:3rem;border-top:1px solid var(--rule);padding-top:.5rem;color:var(--muted);\
font-size:.85rem}
@media print{
@page{size:PAPER;margin:2cm 2cm 2.2cm}
html{font-size:11pt}body{max-width:none;padding:0}
.anchor{display:none}
a{color:inherit;text-decoration:none}
main a[href^="http"]::after{content:" (" attr(href) ")";font-size:.85em;color:var(--muted)}
h2,h3{break-after:avoid}table,aside,p.signature{break-inside:avoid}
nav.contents{break-after:page}header.title{break-after:avoid}
thead{display:table-header-group}
}
"""


class _Ids:
    """Unique, stable element ids made from clause and section ids."""

    def __init__(self) -> None:
        self._used: set[str] = {"main", "contents", "history"}

    def make(self, wanted: str, fallback: str) -> str:
        base = _ID_CHARS.sub("-", wanted).strip("-") or fallback
        candidate, n = base, 2
        while candidate in self._used:
            candidate, n = f"{base}-{n}", n + 1
        self._used.add(candidate)
        return candidate


def _e(text: str) -> str:
    return escape(text, quote=True)


def _href(target: str) -> str | None:
    """The link target if it is a web, mail or in-page address; None drops the link."""
    return target if _SAFE_HREF.fullmatch(target) else None


def inline(spans: Inline) -> str:
    """Inline spans as HTML, emphasis nested inside strong runs, line breaks kept."""
    out = []
    for strong, strong_group in groupby(spans, key=lambda s: s.strong):
        parts = []
        for emphasis, group in groupby(strong_group, key=lambda s: s.emphasis):
            text = "".join(_span(span) for span in group)
            parts.append(f"<em>{text}</em>" if emphasis else text)
        joined = "".join(parts)
        out.append(f"<strong>{joined}</strong>" if strong else joined)
    return "".join(out)


def _span(span: Span) -> str:
    text = _e(span.text).replace("\n", "<br>")
    target = _href(span.href) if span.href else None
    return f'<a href="{_e(target)}">{text}</a>' if target else text


def _block(block: Block) -> str:
    if isinstance(block, Paragraph):
        return f"<p>{inline(block.spans)}</p>"
    if isinstance(block, ListBlock):
        tag = "ol" if block.ordered else "ul"
        items = "".join(f"<li>{inline(item)}</li>" for item in block.items)
        return f"<{tag}>{items}</{tag}>"
    if isinstance(block, SignatureLine):
        return (f'<p class="signature"><span>{_e(block.label)}:</span>'
                f'<span class="line" aria-hidden="true"></span></p>')
    return _table(block)


def clause_body(clause: Clause) -> str:
    """The HTML of a clause's blocks, one per line, made once for them (`Clause.memo`)."""
    return clause.made("html", lambda: "\n".join(_KNOWN(block) for block in clause.blocks))




def _table(table: Table) -> str:
    cols = ""
    if table.widths and len(table.widths) == len(table.header):
        cols = "<colgroup>" + "".join(f'<col style="width:{int(w)}%">'
                                      for w in table.widths) + "</colgroup>"
    head = "".join(f'<th scope="col">{inline(cell)}</th>' for cell in table.header)
    rows = "".join("<tr>" + "".join(f"<td>{inline(cell)}</td>" for cell in row) + "</tr>"
                   for row in table.rows)
    return f"<table>{cols}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _logo(logo: Image | None, company: str) -> str:
    if logo is None or logo.format not in _MIME:
        return ""
    data = base64.b64encode(logo.data).decode("ascii")
    alt = company  # the logo stands for the company; its file name says nothing
    return (f'<img src="data:{_MIME[logo.format]};base64,{data}" alt="{_e(alt)}" '
            f'width="{logo.width}" height="{logo.height}">')


def _heading(level: int, element_id: str, number: str, title: str) -> str:
    num = f'<span class="num">{_e(number)}</span>' if number else ""
    anchor_label = f"{number} {title}".strip()
    return (f'<h{level} id="{_e(element_id)}">{num}{_e(title)}'
            f'<a class="anchor" href="#{_e(element_id)}" aria-label="{_e(anchor_label)}">#</a>'
            f"</h{level}>")


def _draft_note(clause: Clause, labels: Labels) -> str:
    lines = [f"<p><strong>{_e(labels.draft_mark)} \u00b7 {_e(clause.clause_id)}</strong> "
             f"\u00b7 {_e(labels.version)} {clause.version}</p>"]
    if clause.review_note:
        note = " ".join(clause.review_note.split())
        lines.append(f"<p><strong>{_e(labels.review_note)}:</strong> {_e(note)}</p>")
    if clause.sources:
        sources = "; ".join(f"{_e(s.jurisdiction)}: {_e(s.citation)} "
                            f"({_e(labels.checked)} {s.checked.isoformat()})"
                            for s in clause.sources)
        lines.append(f"<p><strong>{_e(labels.sources)}:</strong> {sources}</p>")
    return '<aside class="review">' + "".join(lines) + "</aside>"


def _title_block(document: Document, logo: Image | None) -> list[str]:
    meta, labels = document.meta, document.labels
    draft = f' <span class="draft">{_e(labels.draft_mark)}</span>' \
        if meta.status == "draft" else ""
    out = ['<header class="title">', _logo(logo, meta.company),
           f"<h1>{_e(meta.title)}</h1>",
           f'<p class="edition">{_e(meta.audience_label)}{draft}</p>']
    if document.layout == "guideline":
        facts = ((labels.company, meta.company), (labels.version, meta.version),
                 (labels.effective_date, meta.effective_date_text),
                 (labels.language, labels.language_name), (labels.audience, meta.audience_label),
                 (labels.status, meta.status_text), (labels.owner, meta.owner))
        out.append('<dl class="facts">' + "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>"
                                                  for k, v in facts) + "</dl>")
    out.append("</header>")
    return out


def _guideline_body(document: Document) -> tuple[list[str], dict[int, int]]:
    """The contents and the sections; which pieces are clause bodies (piece -> clause index)."""
    meta, labels = document.meta, document.labels
    ids = _Ids()
    toc: list[str] = []
    body: list[str] = []
    bodies: dict[int, int] = {}
    index = 0
    for number, section in enumerate(document.sections, start=1):
        sid = ids.make(f"section-{section.section_id}", f"section-{number}")
        body.append(f'<section aria-labelledby="{_e(sid)}">')
        body.append(_heading(2, sid, str(number), section.title))
        entries = []
        for sub, clause in enumerate(section.clauses, start=1):
            cid = ids.make(clause.clause_id, f"clause-{number}-{sub}")
            body.append(f'<section class="clause" aria-labelledby="{_e(cid)}">')
            body.append(_heading(3, cid, f"{number}.{sub}", clause.title))
            if meta.status == "draft" and clause.clause_id:
                body.append(_draft_note(clause, labels))
            if clause.blocks:
                bodies[len(body)] = index
                body.append(clause_body(clause))
            body.append("</section>")
            index += 1
            entries.append(f'<li><a href="#{_e(cid)}">{number}.{sub} {_e(clause.title)}</a></li>')
        body.append("</section>")
        inner = f"<ol>{''.join(entries)}</ol>" if entries else ""
        toc.append(f'<li><a href="#{_e(sid)}">{number} {_e(section.title)}</a>{inner}</li>')
    out = [f'<nav class="contents" aria-labelledby="contents"><h2 id="contents">'
           f"{_e(labels.contents)}</h2><ol>{''.join(toc)}</ol></nav>"]
    if meta.history:
        out.append('<section aria-labelledby="history">'
                   f'<h2 id="history">{_e(labels.history)}</h2>')
        out.append(_table(Table(
            tuple((Span(h),) for h in labels.history_header),
            tuple(((Span(e.version),), (Span(e.date_text),), (Span(e.author),),
                   (Span(e.changes),)) for e in meta.history))))
        out.append("</section>")
    before = len(out) + 1
    return [*out, '<main id="main">', *body, "</main>"], {
        before + piece: clause for piece, clause in bodies.items()}


def _handout_body(document: Document) -> list[str]:
    """Unnumbered sections; adjacent bullet lists of one heading joined into one."""
    out = ['<main id="main">']
    for part in document.handout_flow():
        if isinstance(part, Heading):
            out.append(f"<h{part.level}>{_e(part.text)}</h{part.level}>")
        else:
            out.append(_block(part))
    out.append("</main>")
    return out


def write(document: Document, logo: Image | None = None) -> str:
    """Return the HTML page of a document."""
    return "\n".join(_pieces(document, logo)[0]) + "\n"


def write_with_regions(document: Document,
                       logo: Image | None = None) -> tuple[bytes, Regions | None]:
    """The page's bytes, and where each clause's blocks are in them (writers/regions.py)."""
    pieces, bodies = _pieces(document, logo)
    if document.layout != "guideline":
        return ("\n".join(pieces) + "\n").encode("utf-8"), None
    return joined(pieces, "\n", bodies)


def _pieces(document: Document, logo: Image | None) -> tuple[list[str], dict[int, int]]:
    """The page's lines, to be joined by line breaks; which are clause bodies (see above)."""
    meta = document.meta
    lang = meta.locale or meta.language
    paper = _PAPER.get(meta.paper, "A4")
    body, bodies = _guideline_body(document) if document.layout == "guideline" \
        else (_handout_body(document), {})
    footer = f"{meta.company} \u00b7 {document.labels.version} {meta.version} \u00b7 " \
        f"{meta.effective_date_text}"
    head = [
        "<!DOCTYPE html>",
        f'<html lang="{_e(lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(meta.title)} \u2013 {_e(meta.audience_label)}</title>",
        f'<meta name="author" content="{_e(meta.author)}">',
        f'<meta name="description" content="{_e(meta.subject)}">',
        f'<meta name="keywords" content="{_e(", ".join(meta.keywords))}">',
        f"<style>\n{STYLE.replace('PAPER', paper)}</style>",
        "</head>",
        "<body>",
        *_title_block(document, logo),
    ]
    parts = [*head, *body, f"<footer>{_e(footer)}</footer>", "</body>", "</html>"]
    kept: list[str] = []
    placed: dict[int, int] = {}
    for index, part in enumerate(parts):
        if part:
            clause = bodies.get(index - len(head))
            if clause is not None:
                placed[len(kept)] = clause
            kept.append(part)
    return kept, placed


def write_file(document: Document, assets: Assets) -> bytes:
    """The registry's entry point: the page as UTF-8 bytes, the logo inlined."""
    return write(document, assets.logo).encode("utf-8")


def write_file_with_regions(document: Document, assets: Assets) -> tuple[bytes, Regions | None]:
    """The registry's entry point for a build that keeps where each clause is."""
    return write_with_regions(document, assets.logo)


_KNOWN = BlockMemo(_block)  # typeset blocks that recur are written once

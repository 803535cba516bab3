"""Typesetting a Document once for every writer: non-breaking spaces, and addresses as links.

A line must not break inside "§ 87", "Art. 5", "Abs. 2", "z. B.", a date ("15. Januar 2027",
"January 15"), an amount ("10 %") or a phone number ("+49 211 5550 100"): those spaces become
U+00A0. E-mail addresses and web addresses written as plain text become links (mailto: for
e-mail). Both passes are idempotent, so a document may go through `typeset` more than once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache

from policygen.document import (
    Block,
    Clause,
    Document,
    HistoryEntry,
    Inline,
    ListBlock,
    Paragraph,
    Section,
    Span,
    Table,
)

NBSP = "\u00a0"
_MONTH_NAMES = ("Januar", "Jänner", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
                "September", "Oktober", "November", "Dezember", "January", "February", "March",
                "May", "June", "July", "October", "December")
_MONTHS = "|".join(_MONTH_NAMES)
_ABBREVIATIONS = ("Art", "Abs", "Nr", "Ziff", "lit", "Rn", "Kap", "Bst", "No", "Sec", "Sect",
                  "Para", "Reg", "Cl", "Pt")
_NUMBERED = ("Satz", "Section", "Article", "Artikel", "Absatz", "Part", "Title", "Rule",
             "Schedule")
_CURRENCIES = ("EUR", "CHF", "USD", "GBP")
_AFTER_NUMBER = ("%", "€", *_CURRENCIES, "Prozent", "percent")
_INITIALS = re.compile(r"\. [a-zA-Z]\.")


def _any(needles: tuple[str, ...], after: str = "") -> Callable[[str], bool]:
    """A test of whether the text holds any of the needles followed by `after` (one C scan)."""
    pattern = re.compile("|".join(re.escape(needle + after) for needle in needles))
    return lambda text: pattern.search(text) is not None


# Each pattern: the text before the space (kept) and, as a lookahead, the text after it; with
# a test of what any match of it contains, much cheaper than the pattern (None: no such test).
_TIES: tuple[tuple[re.Pattern[str], Callable[[str], bool] | None], ...] = tuple(
    (re.compile(pattern), needs) for pattern, needs in (
        (r"(§)[ ](?=\d)", _any(("§",))),  # § 87, §§ 87
        (rf"(\b(?:{'|'.join(_ABBREVIATIONS)})\.)[ ](?=[\dIVX])", _any(_ABBREVIATIONS, ". ")),
        (rf"(\b(?:{'|'.join(_NUMBERED)}))[ ](?=\d)", _any(_NUMBERED, " ")),
        (r"(\d[a-z]?)[ ](?=(?:[A-Z][A-Za-z]*[A-Z]|[A-Z]{2,})\b)", None),  # 6 BetrVG, 16 CFR
        (rf"(\d)[ ](?=%|€|(?:{'|'.join(_AFTER_NUMBER[2:])})\b)", _any(_AFTER_NUMBER)),  # 10 %
        (rf"(\b(?:{'|'.join(_CURRENCIES)}))[ ](?=\d)", _any(_CURRENCIES, " ")),  # CHF 500
        (r"(\b[a-zA-Z]\.)[ ](?=[a-zA-Z]\.)", lambda text: bool(_INITIALS.search(text))),  # z. B.
        (rf"(\b\d{{1,2}}\.?)[ ](?=(?:{_MONTHS})\b)", _any(_MONTH_NAMES)),  # 15. Januar
        (rf"(\b(?:{_MONTHS}))[ ](?=\d)", _any(_MONTH_NAMES, " ")),  # Januar 2027, January 15
    ))
_WORTH_A_LOOK = re.compile(r"\d|\b[a-zA-Z]\. ")
_PHONE = re.compile(r"(?<![\w+])(?:\+\d{1,3}|\(0\d{1,5}\)|0\d{1,5})(?:[ \u00a0/-]\d{2,})+")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")
_URL = re.compile(r"(?<![\w@/])(?:https?://|www\.)[^\s<>()\"]+")
_TRAILING = ".,;:!?’”\u201c"


def tie(text: str) -> str:
    """The text with non-breaking spaces where a line must not break."""
    if " " not in text or not _WORTH_A_LOOK.search(text):
        return text
    known = _TIED.get(text)
    if known is not None:
        return known
    tied = text
    for pattern, needs in _TIES:
        if needs is None or needs(tied):
            tied = pattern.sub(r"\1" + NBSP, tied)
    tied = _PHONE.sub(lambda m: m.group(0).replace(" ", NBSP), tied)
    if len(_TIED) >= 20_000:
        _TIED.clear()
    _TIED[text] = tied
    return tied


# Texts tied before: the same citations, dates and reasons recur in every company's documents.
_TIED: dict[str, str] = {}


def _linked(span: Span) -> list[Span]:
    """A plain span split so that e-mail and web addresses in it become links."""
    if span.href or ("@" not in span.text and "www." not in span.text
                     and "://" not in span.text):
        return [span]
    text = span.text
    emails = [(m.start(), m.end(), "mailto:" + m.group(0)) for m in _EMAIL.finditer(text)]
    urls = [(m.start(), m.start() + len(m.group(0).rstrip(_TRAILING)), "")
            for m in _URL.finditer(text)]
    found = sorted(emails + urls)
    out: list[Span] = []
    at = 0
    for start, end, href in found:
        if start < at or end <= start:
            continue
        address = span.text[start:end]
        target = href or (address if "://" in address else "https://" + address)
        if start > at:
            out.append(replace(span, text=span.text[at:start]))
        out.append(replace(span, text=address, href=target))
        at = end
    if at < len(span.text):
        out.append(replace(span, text=span.text[at:]))
    return out


def inline(spans: Inline) -> Inline:
    """Spans with ties and links (the same tuple where nothing changes)."""
    out: list[Span] = []
    changed = False
    for span in spans:
        tied = tie(span.text)
        made = _linked(span if tied == span.text else replace(span, text=tied))
        changed = changed or len(made) != 1 or made[0] is not span
        out.extend(made)
    return spans if not changed and type(spans) is tuple else tuple(out)


def block(item: Block) -> Block:
    """One block typeset (the same block where nothing changes)."""
    made = _typeset_block(item)
    return item if made is None else made


@lru_cache(maxsize=20_000)
def _typeset_block(item: Block) -> Block | None:
    """A block typeset, or None where nothing changes.

    Remembered by content: most blocks recur in every company's documents (those that print
    no company value).
    """
    made = _typeset(item)
    return None if made is item else made


def _typeset(item: Block) -> Block:
    if isinstance(item, Paragraph):
        spans = inline(item.spans)
        return item if spans is item.spans else replace(item, spans=spans)
    if isinstance(item, ListBlock):
        items = tuple(inline(line) for line in item.items)
        same = all(new is old for new, old in zip(items, item.items, strict=True))
        return item if same else ListBlock(item.ordered, items)
    if isinstance(item, Table):
        header = tuple(inline(cell) for cell in item.header)
        rows = tuple(tuple(inline(cell) for cell in row) for row in item.rows)
        same = all(new is old for new, old in zip(header, item.header, strict=True)) and all(
            new is old for row, was in zip(rows, item.rows, strict=True)
            for new, old in zip(row, was, strict=True))
        return item if same else replace(item, header=header, rows=rows)
    return item


def clause(item: Clause) -> Clause:
    """A clause typeset: its title and blocks (once: the result is marked in `Clause.memo`)."""
    made = item.memo.get("typeset")
    if made is not None and made[0] is item.blocks and made[1] == item.title:
        return item
    done = replace(item, title=tie(item.title), blocks=tuple(block(b) for b in item.blocks))
    done.memo["typeset"] = (done.blocks, done.title)
    return done


def section(item: Section) -> Section:
    """A section typeset."""
    return replace(item, title=tie(item.title), clauses=tuple(clause(c) for c in item.clauses))


def typeset(document: Document) -> Document:
    """The document with ties and links in every text a writer prints."""
    meta = document.meta
    history = tuple(replace(entry, date_text=tie(entry.date_text), changes=tie(entry.changes))
                    for entry in meta.history)
    meta = replace(meta, effective_date_text=tie(meta.effective_date_text),
                   history=tuple[HistoryEntry, ...](history))
    return replace(document, meta=meta, sections=tuple(section(s) for s in document.sections))

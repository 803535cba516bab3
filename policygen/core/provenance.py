"""The provenance appendix of the legal edition: where every clause comes from, and why.

The appendix is one more section at the end of the document: for every clause a short block,
its number and title, its id and version, why it is in this company's policy, and a list of
its legal sources with the dates they were checked. Only the sources of the company's own
legal systems are there (compose filters them), and every word is in the document's language.
It is built from the Document alone (every rendered clause carries its provenance), so every
writer prints it without knowing about it. Its pseudo-clause has an empty clause id: it comes
from no library clause, so drafts give it no comment and `policygen diff` does not list it as
a clause.
"""

from __future__ import annotations

from dataclasses import replace

from policygen.core import templating, typography
from policygen.document import Block, Clause, Document, ListBlock, Paragraph, Section, Span

SECTION_ID = "appendix"
AUDIENCE = "legal"
_WORDS = {  # section title, clause title, "nothing"
    "de": ("Anhang", "Herkunft der Klauseln", "\u2013"),
    "en": ("Appendix", "Provenance of the clauses", "\u2013"),
}
_LINES = {  # the words of a clause's block
    "de": {"clause": "Klausel", "version": "Version", "why": "Grund der Aufnahme",
           "sources": "Rechtsquellen", "none": "keine; die Regel beruht auf guter Praxis",
           "checked": "geprüft am", "unsettled": "Rechtslage nicht abschließend geklärt"},
    "en": {"clause": "Clause", "version": "version", "why": "Why included",
           "sources": "Legal sources", "none": "none; the rule is good practice",
           "checked": "checked", "unsettled": "the law is not settled"},
}
_REASONS_EN: tuple[tuple[str, str], ...] = ()  # select.py words its reasons in English
# How select.py words its reasons, and the German wording (prefix match; the rest is kept).
_REASONS_DE = (
    ("applies to every company", "gilt für jedes Unternehmen"),
    ("included by overrides.include", "aufgenommen durch overrides.include"),
    ("required by ", "verlangt von "),
    ("jurisdiction ", "Rechtsordnung "),
    ("industry ", "Branche "),
    ("condition holds: ", "Bedingung erfüllt: "),
)


def reason_text(reason: str, lang: str) -> str:
    """A selection reason in the document's language (unknown wording stays as it is)."""
    table = _REASONS_DE if lang == "de" else _REASONS_EN
    parts = []
    for part in reason.split("; "):
        for english, translated in table:
            if part.startswith(english):
                part = translated + part[len(english):]
                break
        parts.append(part)
    return "; ".join(parts)


def _blocks(number: str, clause: Clause, lang: str, locale: str) -> tuple[Block, ...]:
    words = _LINES[lang]
    head = Paragraph((Span(f"{number} {clause.title}", strong=True),
                      Span(f" \u00b7 {words['clause']} {clause.clause_id}, "
                           f"{words['version']} {clause.version}")))
    why = Paragraph((Span(f"{words['why']}: ", emphasis=True),
                     Span(reason_text(clause.reason, lang) or _WORDS[lang][2])))
    if not clause.sources:
        return head, why, Paragraph((Span(f"{words['sources']}: ", emphasis=True),
                                     Span(words["none"])))
    sources = ListBlock(False, tuple(
        (Span(f"{s.jurisdiction}: ", strong=True),
         Span(f"{s.citation} ({words['checked']} {templating.format_date(s.checked, locale)}"
              + (f"; {words['unsettled']})" if s.unsettled else ")")))
        for s in clause.sources))
    return head, why, sources


def appendix(document: Document) -> Document:
    """The legal edition with its provenance appendix; other editions unchanged."""
    if document.meta.audience != AUDIENCE or not document.clauses():
        return document
    lang = document.meta.language
    locale = document.meta.locale or lang
    section_title, clause_title, _ = _WORDS[lang]
    blocks: list[Block] = []
    for i, section in enumerate(document.sections, start=1):
        for j, clause in enumerate(section.clauses, start=1):
            if clause.clause_id:
                blocks.extend(_blocks(f"{i}.{j}", clause, lang, locale))
    clause = Clause("", 0, clause_title, tuple(blocks))
    section = typography.section(Section(SECTION_ID, section_title, (clause,)))
    return replace(document, sections=(*document.sections, section))

"""The provenance appendix of the legal edition: where every clause comes from, and why.

The appendix is one more section at the end of the document, holding one table: clause id,
version, title, legal sources, the dates they were checked, and the condition that put the
clause into this company's policy. It is built from the Document alone (every rendered clause
carries its provenance), so both writers print it without knowing about it. Its pseudo-clause
has an empty clause id: it comes from no library clause, so drafts give it no comment and
`policygen diff` does not list it as a clause.
"""

from __future__ import annotations

from dataclasses import replace

from policygen import i18n
from policygen.core import templating
from policygen.document import Clause, Document, Section, Span, Table
from policygen.vocabulary import LANGUAGES

SECTION_ID = "appendix"
AUDIENCE = "legal"
_WORDS = {lang: tuple(i18n.text(lang, f"provenance.{key}")
                      for key in ("section_title", "clause_title", "nothing"))
          for lang in LANGUAGES}
_HEADERS = {lang: tuple(i18n.text(lang, f"provenance.header.{column}")
                        for column in ("clause", "version", "title", "sources", "checked",
                                       "reason"))
            for lang in LANGUAGES}
def _row(clause: Clause, lang: str) -> tuple[tuple[Span, ...], ...]:
    none = _WORDS[lang][2]
    sources = "; ".join(f"{s.jurisdiction}: {s.citation}" for s in clause.sources) or none
    dates = sorted({s.checked for s in clause.sources})
    checked = ", ".join(templating.format_date(d, lang) for d in dates) or none
    cells = (clause.clause_id, str(clause.version), clause.title, sources, checked,
             clause.reason or none)
    return tuple((Span(cell),) for cell in cells)


def appendix(document: Document) -> Document:
    """The legal edition with its provenance appendix; other editions unchanged."""
    if document.meta.audience != AUDIENCE or not document.clauses():
        return document
    lang = document.meta.language
    section_title, clause_title, _ = _WORDS[lang]
    table = Table(tuple((Span(h),) for h in _HEADERS[lang]),
                  tuple(_row(c, lang) for c in document.clauses() if c.clause_id))
    clause = Clause("", 0, clause_title, (table,))
    section = Section(SECTION_ID, section_title, (clause,))
    return replace(document, sections=(*document.sections, section))

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

import hashlib
from dataclasses import replace

from policygen import i18n
from policygen.core import fragments, templating, typography
from policygen.document import Block, Clause, Document, ListBlock, Paragraph, Section, Span
from policygen.vocabulary import LANGUAGES

SECTION_ID = "appendix"
AUDIENCE = "legal"
_WORDS = {lang: tuple(i18n.text(lang, f"provenance.{key}")
                      for key in ("section_title", "clause_title", "nothing"))
          for lang in LANGUAGES}


def _blocks(number: str, clause: Clause, lang: str, locale: str) -> tuple[Block, ...]:
    """A clause's block: number and title, id and version, why it is in, its sources."""
    # the block's heading line and its reason stay on the page of the first source
    head = Paragraph((Span(f"{number} {clause.title}", strong=True),
                      Span(" \u00b7 " + i18n.text(lang, "provenance.block.clause",
                                                  id=clause.clause_id, version=clause.version))),
                     keep_with_next=True)
    why = Paragraph((Span(i18n.text(lang, "provenance.header.reason") + ": ", emphasis=True),
                     Span(clause.reason or _WORDS[lang][2])), keep_with_next=True)
    sources_label = i18n.text(lang, "provenance.header.sources") + ": "
    if not clause.sources:
        return head, why, Paragraph((Span(sources_label, emphasis=True),
                                     Span(i18n.text(lang, "provenance.block.none"))))
    unsettled = i18n.text(lang, "provenance.block.unsettled")
    sources = ListBlock(False, tuple(
        (Span(f"{s.jurisdiction}: ", strong=True),
         Span(f"{s.citation} ("
              + i18n.text(lang, "provenance.block.checked",
                          date=templating.format_date(s.checked, locale))
              + (f"; {unsettled})" if s.unsettled else ")")))
        for s in clause.sources))
    return head, why, sources


def appendix(document: Document) -> Document:
    """The legal edition with its provenance appendix; other editions unchanged."""
    if document.meta.audience != AUDIENCE or not document.clauses():
        return document
    lang = document.meta.language
    locale = document.meta.locale or lang
    section_title, clause_title, _ = _WORDS[lang]
    numbered = [(f"{i}.{j}", clause) for i, section in enumerate(document.sections, start=1)
                for j, clause in enumerate(section.clauses, start=1) if clause.clause_id]
    keys = [_key(number, clause, lang, locale) for number, clause in numbered]
    # The whole appendix is kept too, with what the writers made of it: a clause edit that
    # leaves every block as it was (a changed text) then writes none of them again.
    whole = hashlib.blake2b(repr(("appendix", keys)).encode(), digest_size=16).hexdigest()
    made = fragments.lookup(whole, lang)
    if not isinstance(made, fragments.Fragment):
        blocks = tuple(block for key, (number, clause) in zip(keys, numbered, strict=True)
                       for block in _typeset(key, number, clause, lang, locale))
        made = fragments.Fragment("", blocks, "", ())
        fragments.store(whole, made, lang)
    clause = Clause("", 0, typography.tie(clause_title), made.blocks, memo=made.memo)
    clause.memo["typeset"] = (clause.blocks, clause.title)
    section = typography.section(Section(SECTION_ID, section_title, (clause,)))
    return replace(document, sections=(*document.sections, section))


def _key(number: str, clause: Clause, lang: str, locale: str) -> str:
    """What a clause's block is made of, as a fragment key."""
    return hashlib.blake2b(repr(("appendix", number, clause.title, clause.clause_id,
                                 clause.version, clause.reason, clause.sources, lang,
                                 locale)).encode(), digest_size=16).hexdigest()


def _typeset(key: str, number: str, clause: Clause, lang: str,
             locale: str) -> tuple[Block, ...]:
    """A clause's block, typeset, made once in a process for everything it is made of.

    The same clause at the same number for the same reason recurs across the documents a
    process makes; between builds the whole appendix is kept (`appendix`).
    """
    known = fragments.recall(key)
    if isinstance(known, fragments.Fragment):
        return known.blocks
    blocks = tuple(typography.block(b) for b in _blocks(number, clause, lang, locale))
    fragments.remember(key, fragments.Fragment("", blocks, "", ()))
    return blocks

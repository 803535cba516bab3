"""The one-page do's and don'ts and the acknowledgement form, as Documents.

Both derive from the guideline Document of the same audience and language (its title, version
and date) and from the same selected clauses, so they never contradict the guideline. The
summary keeps at most a fixed number of items; which ones is decided by `choose` (see
docs/handouts.md).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from policygen import i18n
from policygen.core import compose, fragments, locale_layer, templating
from policygen.core.clauses import Clause, ClauseLibrary, SummaryItem
from policygen.core.profile import Profile
from policygen.core.select import Assembly
from policygen.document import (
    Block,
    Document,
    Inline,
    ListBlock,
    Paragraph,
    Section,
    SignatureLine,
    Span,
    Table,
)
from policygen.document import (
    Clause as DocClause,
)
from policygen.vocabulary import LANGUAGES

# At most this many items of each kind, and at most this many characters of item text per kind.
CAPS = {"do": 7, "dont": 6}
CHAR_BUDGETS = {"do": 600, "dont": 450}
# Audiences whose guideline employees sign for.
ACKNOWLEDGED = ("employees", "account_managers")

_TEXT_KEYS = ("summary_title", "summary_label", "summary_intro", "do", "dont", "contacts",
              "form_title", "statement", "questions", "name", "department", "date",
              "signature", "return")
# Templates: `{edition}`, `{title}` and the like are filled in where they are used.
TEXTS: dict[str, dict[str, str]] = {
    lang: {key: i18n.template(lang, f"handouts.{key}") for key in _TEXT_KEYS}
    for lang in LANGUAGES}
CONTACT_HEADER = {lang: tuple(i18n.text(lang, f"handouts.contact_header.{column}")
                              for column in ("topic", "contact", "email"))
                  for lang in LANGUAGES}
CONTACT_WIDTHS = (34, 30, 36)
# The profile's contacts in the order the summary lists them, with the topic they answer.
CONTACT_TOPICS: dict[str, dict[str, str]] = {
    key: {lang: i18n.text(lang, f"handouts.contact_topic.{key}") for lang in LANGUAGES}
    for key in ("social_media_team", "press", "legal", "data_protection_officer",
                "it_security", "compliance", "hr", "works_council")}


@dataclasses.dataclass(frozen=True, eq=False)
class Candidate:
    """A summary item of a selected clause, with its place in the document."""

    section_index: int
    clause_index: int
    rank: int  # position among the clause's items of the same kind
    clause: Clause
    item: SummaryItem
    length: int = 0


def choose(candidates: Sequence[Candidate], cap: int, budget: int) -> list[Candidate]:
    """Pick at most `cap` items of one kind, in document order.

    Seats go to sections in proportion to their number of items (D'Hondt, ties to the earlier
    section); inside a section, first items of clauses come before second ones, then clause
    order. If the kept texts exceed `budget` characters, the last seats awarded are dropped.
    """
    by_section: dict[int, list[Candidate]] = {}
    for candidate in candidates:
        by_section.setdefault(candidate.section_index, []).append(candidate)
    for items in by_section.values():
        items.sort(key=lambda c: (c.rank, c.clause_index))
    seats = dict.fromkeys(by_section, 0)
    awarded: list[Candidate] = []
    while len(awarded) < min(cap, len(candidates)):
        section = max((s for s in by_section if seats[s] < len(by_section[s])),
                      key=lambda s: (len(by_section[s]) / (seats[s] + 1), -s))
        awarded.append(by_section[section][seats[section]])
        seats[section] += 1
    while awarded and sum(c.length for c in awarded) > budget:
        awarded.pop()
    return sorted(awarded, key=lambda c: (c.section_index, c.clause_index, c.rank))


def summary(guideline: Document, assembly: Assembly, profile: Profile, lang: str,
            library: ClauseLibrary | None = None) -> Document:
    """The one-page do's and don'ts of a guideline, with the profile's contacts.

    The `library` gives the locale layers and industry examples of the summary items.
    """
    layers = library.locales if library is not None else locale_layer.IDENTITY
    data = profile.localized(lang)
    texts = _spelt(TEXTS[lang], layers[profile.locale(lang)])
    meta = guideline.meta
    rendered = {candidate: spans[lang]
                for candidate, spans in _rendered_items(assembly, profile, library).items()}
    sections = []
    for kind in ("do", "dont"):
        chosen = choose([c for c in rendered if c.item.kind == kind], CAPS[kind],
                        CHAR_BUDGETS[kind])
        clauses: dict[tuple[str, int], list[Inline]] = {}
        for candidate in chosen:
            key = (candidate.clause.id, candidate.clause.version)
            clauses.setdefault(key, []).append(rendered[candidate])
        sections.append(Section(kind, texts[kind], tuple(
            DocClause(clause_id, version, "", (ListBlock(False, tuple(items)),))
            for (clause_id, version), items in clauses.items())))
    sections.append(Section("contacts", texts["contacts"], (
        DocClause("contacts", 0, "", (_contacts_table(data["contacts"], lang,
                                                       layers[profile.locale(lang)]),)),)))
    intro = Paragraph((Span(texts["summary_intro"].format(title=meta.title,
                                                          version=meta.version)),))
    sections.insert(0, Section("intro", "", (DocClause("intro", 0, "", (intro,)),)))
    return dataclasses.replace(
        guideline, layout="handout", sections=tuple(sections),
        meta=dataclasses.replace(
            meta, title=texts["summary_title"].format(short=meta.short_name),
            audience_label=texts["summary_label"].format(edition=meta.audience_label),
            subject=texts["summary_label"].format(edition=meta.audience_label), history=()))


def acknowledgement(guideline: Document, profile: Profile, lang: str,
                    library: ClauseLibrary | None = None) -> Document:
    """The form an employee signs: statement naming the policy and version, lines to fill in."""
    contacts = profile.localized(lang)["contacts"]
    layers = library.locales if library is not None else locale_layer.IDENTITY
    texts = _spelt(TEXTS[lang], layers[profile.locale(lang)])
    meta = guideline.meta
    team, hr = contacts["social_media_team"], contacts["hr"]
    blocks: tuple[Block, ...] = (
        Paragraph((Span(texts["statement"].format(
            title=meta.title, edition=meta.audience_label, version=meta.version,
            date=meta.effective_date_text)),)),
        Paragraph((Span(texts["questions"].format(team=team["name"], email=team["email"])),)),
        *(SignatureLine(texts[key]) for key in ("name", "department", "date", "signature")),
        Paragraph(()),
        Paragraph((Span(texts["return"].format(hr=hr["name"], email=hr["email"]),
                        emphasis=True),)),
    )
    return dataclasses.replace(
        guideline, layout="handout",
        sections=(Section("acknowledgement", "", (DocClause("acknowledgement", 0, "", blocks),)),),
        meta=dataclasses.replace(meta, title=texts["form_title"],
                                 subject=f"{texts['form_title']} \u00b7 {meta.audience_label}",
                                 history=()))


def _spelt(texts: Mapping[str, str], layer: locale_layer.Layer) -> Mapping[str, str]:
    return texts if layer.empty else {k: locale_layer.apply(v, layer) for k, v in texts.items()}


_ITEMS: list[tuple[Assembly, Profile, ClauseLibrary | None,
                   dict[Candidate, dict[str, Inline]]]] = []


def _rendered_items(assembly: Assembly, profile: Profile,
                    library: ClauseLibrary | None) -> dict[Candidate, dict[str, Inline]]:
    """Every summary item of the selected clauses, rendered in every language, in document order.

    An item's length is that of its longest language, so that the choice of items, and with it
    the structure of the summary, is the same in every language. Made once per profile and
    audience: the summaries of all its languages read the same items.
    """
    for known in _ITEMS:
        if known[0] is assembly and known[1] is profile and known[2] is library:
            return known[3]
    layers = library.locales if library is not None else locale_layer.IDENTITY
    if library is not None:
        contexts = {other: compose.template_context(library, profile, other, assembly.audience)
                    for other in LANGUAGES}
    else:
        contexts = {other: templating.context(profile.localized(other), profile.facts, other,
                                              assembly.audience, profile.locale(other),
                                              templating.context_examples())
                    for other in LANGUAGES}
    sections: dict[str, int] = {}
    out: dict[Candidate, dict[str, Inline]] = {}
    for clause_index, clause in enumerate(assembly.clauses):
        section_index = sections.setdefault(clause.section, len(sections))
        ranks = dict.fromkeys(("do", "dont"), 0)
        for item_index, item in enumerate(clause.summary):
            spans = {other: _item_spans(clause, item, item_index, contexts[other], other,
                                        profile.path, layers) for other in LANGUAGES}
            length = max(sum(len(span.text) for span in s) for s in spans.values())
            candidate = Candidate(section_index, clause_index, ranks[item.kind], clause, item,
                                  length)
            ranks[item.kind] += 1
            out[candidate] = spans
    _ITEMS[:] = [(assembly, profile, library, out)]
    return out


def _item_spans(clause: Clause, item: SummaryItem, index: int, context: Mapping[str, Any],
                lang: str, profile_path: str,
                layers: Mapping[str, locale_layer.Layer]) -> Inline:
    path = ("summary", index, lang)
    layer = layers[str(context["locale"])]
    key = fragments.key(clause, f"item:{index}", context, lang, layer) \
        if clause.reads is not None else None
    found = fragments.lookup(key, lang) if key is not None else None
    if isinstance(found, tuple):
        return found
    text = compose.render_template(clause, path, item.text[lang], context, lang, profile_path,
                                   layer)
    spans = next((block.spans for block in compose.parse_markdown(text, clause, path)
                  if isinstance(block, Paragraph)), ())
    if key is not None:
        fragments.store(key, spans, lang)
    return spans


def _contacts_table(contacts: Mapping[str, Any], lang: str,
                    layer: locale_layer.Layer = locale_layer.IDENTITY["en-GB"]) -> Table:
    rows = []
    for key, topics in CONTACT_TOPICS.items():
        contact = contacts.get(key)
        if not contact:
            continue
        phone = f", {contact['phone']}" if contact["phone"] else ""
        rows.append(((Span(locale_layer.apply(topics[lang], layer)),),
                     (Span(contact["name"] + phone),),
                     (Span(contact["email"], href=f"mailto:{contact['email']}"),)))
    return Table(tuple((Span(locale_layer.apply(h, layer)),) for h in CONTACT_HEADER[lang]),
                 tuple(rows), CONTACT_WIDTHS)

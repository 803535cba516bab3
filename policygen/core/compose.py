"""Assembly + Profile + language to Document: renders clause text and parses its Markdown."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import fields
from functools import cache
from typing import TYPE_CHECKING, Any

import jinja2

from policygen import i18n, vocabulary
from policygen.core import fragments, locale_layer, markdown_parser, templating, typography
from policygen.core.clauses import Clause, ClauseLibrary, template_location, text_key
from policygen.core.profile import Profile
from policygen.core.select import Assembly
from policygen.core.source import DocPath
from policygen.document import (
    Block,
    Document,
    HistoryEntry,
    Inline,
    Labels,
    ListBlock,
    Meta,
    Paragraph,
    Section,
    Source,
    Span,
    Table,
)
from policygen.document import Clause as DocClause
from policygen.errors import Problem, RenderError
from policygen.vocabulary import LANGUAGES


def _labels(lang: str) -> Labels:
    words = {f.name: i18n.text(lang, f"compose.labels.{f.name}")
             for f in fields(Labels) if f.name != "history_header"}
    version, date, author, changes = (i18n.text(lang, f"compose.labels.history_header.{i}")
                                      for i in range(1, 5))
    return Labels(**words, history_header=(version, date, author, changes))


LABELS = {lang: _labels(lang) for lang in LANGUAGES}
EDITIONS = {lang: {audience: i18n.text(lang, f"compose.edition.{audience}")
                   for audience in ("employees", "account_managers", "legal")}
            for lang in LANGUAGES}
STATUS = {lang: {status: i18n.text(lang, f"compose.status.{status}")
                 for status in ("draft", "released")} for lang in LANGUAGES}

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

_INLINE_MARKUP = re.compile(r"[\\*_\[\]`<&!]")
_DOUBLE_STOP = re.compile(r"\\\.\.(?!\.)")
_UNSUPPORTED = {
    "heading_open": "headings (the clause title is the heading)",
    "blockquote_open": "block quotes",
    "code_block": "code blocks",
    "fence": "code blocks",
    "hr": "horizontal rules",
    "html_block": "raw HTML",
    "image": "images",
    "html_inline": "raw HTML",
}


@cache
def _markdown() -> MarkdownIt:
    from markdown_it import MarkdownIt  # only for texts the fast parser declines

    return MarkdownIt("commonmark", {"html": False}).enable("table")


# Web and mail addresses that markdown-it's normalizeLink returns unchanged (tested against it),
# so that the common link needs no markdown-it.
_PLAIN_URL = re.compile(
    r"https?://[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*(?:[/?#][A-Za-z0-9\-._~/?#=&+,;!$*']*)?"
    r"|mailto:[A-Za-z0-9._+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*")
# markdown-it's validateLink, word for word.
_BAD_PROTO = re.compile(r"^(vbscript|javascript|file|data):")
_GOOD_DATA = re.compile(r"^data:image\/(gif|png|jpeg|webp);")


def _normalize_link(url: str) -> str:
    if _PLAIN_URL.fullmatch(url):
        return url
    return str(_markdown().normalizeLink(url))


def _validate_link(url: str) -> bool:
    url = url.strip().lower()
    return bool(_GOOD_DATA.search(url)) if _BAD_PROTO.search(url) else True


def compose(library: ClauseLibrary, assembly: Assembly, profile: Profile, lang: str) -> Document:
    """Render every selected clause and build the document for one language.

    The locale's layer (clauses/locales.yaml) applies to the library's own words: clause
    templates before rendering, section titles; never to the values the profile fills in.
    """
    locale = profile.locale(lang)
    layer = library.locales[locale]
    context = template_context(library, profile, lang, assembly.audience)
    by_section: dict[str, list[DocClause]] = {}
    for clause in assembly.clauses:
        made = clause_fragment(clause, context, lang, profile.path, layer)
        by_section.setdefault(clause.section, []).append(DocClause(
            clause.id, clause.version, made.title, made.blocks,
            assembly.decision(clause.id).words(lang), made.note,
            applicable_sources(made.sources, profile), made.memo))
    sections = tuple(
        Section(section_id, locale_layer.apply(library.sections[section_id].title[lang], layer),
                tuple(rendered))
        for section_id, rendered in by_section.items())
    return typography.typeset(Document(_meta(profile, lang, assembly.audience), LABELS[lang],
                                       sections))


_CONTEXTS: dict[tuple[int, int, str, str], tuple[Profile, ClauseLibrary, dict[str, Any]]] = {}


def template_context(library: ClauseLibrary, profile: Profile, lang: str,
                     audience: str) -> dict[str, Any]:
    """The variables a profile's clause templates see in a language, made once.

    Shared by its guideline, its summary and the keys of its fragments (a render never
    changes it).
    """
    key = (id(profile), id(library), lang, audience)
    known = _CONTEXTS.get(key)
    if known is not None and known[0] is profile and known[1] is library:
        return known[2]
    made = templating.context(profile.localized(lang), profile.facts, lang, audience,
                              profile.locale(lang), examples(library, profile, lang))
    if len(_CONTEXTS) >= 32:
        _CONTEXTS.clear()
    _CONTEXTS[key] = (profile, library, made)
    return made


def clause_fragment(clause: Clause, context: Mapping[str, Any], lang: str, profile_path: str,
                    layer: locale_layer.Layer | None = None) -> fragments.Fragment:
    """A clause rendered and typeset for this context.

    Made once for every profile whose values it reads are the same (core/fragments.py);
    without its reason and with all its sources (both depend on the profile beyond those
    values).
    """
    key = fragments.key(clause, "clause", context, lang, layer) \
        if clause.reads is not None else None
    found = fragments.lookup(key, lang) if key is not None else None
    if isinstance(found, fragments.Fragment):
        return found
    made = typography.clause(render_clause(clause, context, lang, "", profile_path, layer))
    fragment = fragments.Fragment(made.title, made.blocks, made.review_note, made.sources,
                                  made.memo)
    if key is not None:
        fragments.store(key, fragment, lang)
    return fragment


def applicable_sources(sources: tuple[Source, ...], profile: Profile) -> tuple[Source, ...]:
    """The sources of the company's legal systems (the EU through a member state) and INT.

    An Austrian company's documents cite no BetrVG, a British council's no NLRA: the provenance
    appendix, the draft comments and the draft notes all print only these.
    """
    systems = profile.jurisdictions | {"INT"}
    return tuple(source for source in sources if source.jurisdiction in systems)


def examples(library: ClauseLibrary, profile: Profile, lang: str) -> dict[str, str]:
    """The industry's examples in a language, spelt as the document's locale writes them."""
    layer = library.locales[profile.locale(lang)]
    texts = library.industries[profile.company["industry"]].localized(lang)
    return {name: locale_layer.apply(text, layer) for name, text in texts.items()}


def _meta(profile: Profile, lang: str, audience: str) -> Meta:
    data = profile.localized(lang)
    locale = profile.locale(lang)
    document = data["document"]
    company = data["company"]
    history = tuple(
        HistoryEntry(entry["version"], entry["date"], templating.format_date(entry["date"], locale),
                     entry["author"], entry["changes"])
        for entry in document["history"])
    return Meta(
        title=document["title"],
        company=company["name"],
        short_name=company["short_name"],
        language=lang,
        locale=locale,
        paper=vocabulary.LOCALES[locale].paper,
        audience=audience,
        audience_label=EDITIONS[lang][audience],
        version=document["version"],
        effective_date=document["effective_date"],
        effective_date_text=templating.format_date(document["effective_date"], locale),
        status=document["status"],
        status_text=STATUS[lang][document["status"]],
        author=document["author"],
        owner=document["owner"],
        subject=EDITIONS[lang][audience],
        keywords=("social media", "policy", company["short_name"]),
        history=history,
    )


def render_template(clause: Clause, doc_path: DocPath, text: str, context: Mapping[str, Any],
                    lang: str, profile_path: str,
                    layer: locale_layer.Layer | None = None) -> str:
    """Render one template field of a clause; errors point at the clause file.

    With a locale `layer`, the template's literal text is first spelt as that locale writes it.
    """
    try:
        template = _compiled(clause.id, clause.digest, doc_path, lang, text, layer)
        # A value ending in a full stop ("Acme Inc.") at the end of a sentence: one stop only.
        return _DOUBLE_STOP.sub(r"\\.", templating.render(template, context))
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError.at(template_location(clause, doc_path, exc.lineno),
                             f"template syntax error: {exc.message}") from None
    except (jinja2.TemplateError, TypeError, ValueError, AttributeError, KeyError,
            ArithmeticError, RecursionError) as exc:
        lineno = _template_lineno(exc)
        bounded = isinstance(exc, templating.TemplateLimit | ArithmeticError)
        raise RenderError.at(
            template_location(clause, doc_path, lineno),
            f"clause {clause.id} ({'.'.join(map(str, doc_path))}) failed for {profile_path}: {exc}",
            "keep arithmetic in clause texts to small numbers and short texts" if bounded
            else "guard optional profile fields with {% if ... %}",
        ) from None


def _template_lineno(exc: BaseException) -> int:
    """The template line of a runtime error (jinja rewrites tracebacks to template lines)."""
    tb = exc.__traceback__
    lineno = 1
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            lineno = tb.tb_lineno
        tb = tb.tb_next
    return lineno


_TEMPLATES: dict[tuple[str, str, DocPath, str, str], jinja2.Template | templating.Literal] = {}


def _compiled(clause_id: str, digest: str, doc_path: DocPath, lang: str, text: str,
              layer: locale_layer.Layer | None) -> jinja2.Template | templating.Literal:
    tag = layer.tag if layer is not None and not layer.empty else lang
    key = (clause_id, digest, doc_path, lang, tag)
    template = _TEMPLATES.get(key)
    if template is None:
        template = templating.compile_template(lang, text, layer)
        _TEMPLATES[key] = template
    return template


def render_clause(clause: Clause, context: Mapping[str, Any], lang: str, reason: str,
                  profile_path: str, layer: locale_layer.Layer | None = None) -> DocClause:
    """Render a clause's title, text and the addenda for the audience into document blocks.

    Each field is read in the context's locale: the clause's variant for that locale where it
    has one (`text: {en: ..., en-US: ...}`), else the language's text through the `layer`.
    """
    locale = str(context.get("locale", lang))
    key = text_key(clause.title, locale)
    title = render_template(clause, ("title", key), clause.title[key], context, lang,
                            profile_path, layer)
    sources = tuple(Source(s.jurisdiction, _spelt(s.source, layer), s.checked, s.url,
                           s.unsettled) for s in clause.legal)
    note = _spelt(clause.review_note[lang], layer) if clause.review_note else ""
    if context["audience"] in clause.brief:
        return DocClause(clause.id, clause.version, _plain(title),
                         (_rules(clause, context, lang, profile_path, layer),), reason, note,
                         sources)
    key = text_key(clause.text, locale)
    blocks = list(parse_markdown(
        render_template(clause, ("text", key), clause.text[key], context, lang, profile_path,
                        layer),
        clause, ("text", key)))
    for i, addendum in enumerate(clause.addenda):
        if context["audience"] in addendum.audiences:
            key = text_key(addendum.text, locale)
            path: DocPath = ("addenda", i, "text", key)
            blocks.extend(parse_markdown(
                render_template(clause, path, addendum.text[key], context, lang, profile_path,
                                layer),
                clause, path))
    return DocClause(clause.id, clause.version, _plain(title), tuple(blocks), reason, note, sources)


def _rules(clause: Clause, context: Mapping[str, Any], lang: str, profile_path: str,
           layer: locale_layer.Layer | None) -> ListBlock:
    """A brief clause: its summary items as a list (the full text is in the other editions)."""
    items: list[Inline] = []
    for i, item in enumerate(clause.summary):
        path: DocPath = ("summary", i, lang)
        text = render_template(clause, path, item.text[lang], context, lang, profile_path, layer)
        items.extend(block.spans for block in parse_markdown(text, clause, path)
                     if isinstance(block, Paragraph))
    return ListBlock(False, tuple(items))


def _spelt(text: str, layer: locale_layer.Layer | None) -> str:
    """Plain library text (review notes, sources) in the locale's spelling."""
    return text if layer is None or layer.empty else locale_layer.apply(text, layer, terms=False)


def _plain(markdown_line: str) -> str:
    if not _INLINE_MARKUP.search(markdown_line):
        return markdown_line.strip()
    spans = _inline(_markdown().parseInline(markdown_line)[0].children or [])
    return "".join(span.text for span in spans)


_PARSED: dict[str, tuple[Block, ...]] = {}
_PARSED_LIMIT = 4_000  # about 30 MiB; hits come mostly from one profile's audiences


def parse_markdown(text: str, clause: Clause, doc_path: DocPath) -> list[Block]:
    """Parse the clause Markdown subset into blocks; anything else is a located error.

    The fast parser reads the common shapes; markdown-it reads the rest and reports what the
    subset does not allow. Results are remembered per text: the audiences of one profile
    share most clause texts.
    """
    known = _PARSED.get(text)
    if known is not None:
        return list(known)
    fast = markdown_parser.parse(text, _normalize_link, _validate_link)
    blocks = fast if fast is not None else _parse_with_markdown_it(text, clause, doc_path)
    if len(_PARSED) >= _PARSED_LIMIT:
        _PARSED.clear()
    _PARSED[text] = tuple(blocks)
    return blocks


def _parse_with_markdown_it(text: str, clause: Clause, doc_path: DocPath) -> list[Block]:
    tokens = _markdown().parse(text)
    blocks: list[Block] = []
    i = 0
    problems: list[Problem] = []
    while i < len(tokens):
        token = tokens[i]
        if token.type in _UNSUPPORTED:
            line = (token.map[0] + 1) if token.map else 1
            problems.append(Problem(template_location(clause, doc_path, line),
                                    f"clause text uses unsupported Markdown: "
                                    f"{_UNSUPPORTED[token.type]}",
                                    "use paragraphs, lists, emphasis, links and tables"))
            i += 1
            continue
        if token.type == "paragraph_open":
            blocks.append(Paragraph(_inline(tokens[i + 1].children or [])))
            i += 3
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            i, block = _list(tokens, i, clause, doc_path, problems)
            blocks.append(block)
        elif token.type == "table_open":
            i, table = _table(tokens, i)
            blocks.append(table)
        else:
            i += 1
    for token in tokens:
        for child in token.children or []:
            if child.type in _UNSUPPORTED:
                problems.append(Problem(template_location(clause, doc_path,
                                                          (token.map[0] + 1) if token.map else 1),
                                        f"clause text uses unsupported Markdown: "
                                        f"{_UNSUPPORTED[child.type]}",
                                        "use paragraphs, lists, emphasis, links and tables"))
    if problems:
        raise RenderError(problems)
    return blocks


def _list(tokens: list[Token], i: int, clause: Clause, doc_path: DocPath,
          problems: list[Problem]) -> tuple[int, ListBlock]:
    ordered = tokens[i].type == "ordered_list_open"
    close = "ordered_list_close" if ordered else "bullet_list_close"
    level = tokens[i].level
    items: list[Inline] = []
    current: list[Span] = []
    i += 1
    while not (tokens[i].type == close and tokens[i].level == level):
        token = tokens[i]
        if token.type in ("bullet_list_open", "ordered_list_open"):
            problems.append(Problem(template_location(clause, doc_path,
                                                      (token.map[0] + 1) if token.map else 1),
                                    "clause text uses unsupported Markdown: nested lists",
                                    "flatten the list, or split it into two lists"))
        elif token.type == "list_item_open" and token.level == level + 1:
            current = []
        elif token.type == "list_item_close" and token.level == level + 1:
            items.append(markdown_parser.merge_spans(current))
        elif token.type == "inline":
            if current:
                current.append(Span(" "))
            current.extend(_inline(token.children or []))
        i += 1
    return i + 1, ListBlock(ordered, tuple(items))


def _table(tokens: list[Token], i: int) -> tuple[int, Table]:
    rows: list[tuple[Inline, ...]] = []
    row: list[Inline] = []
    i += 1
    while tokens[i].type != "table_close":
        token = tokens[i]
        if token.type == "tr_open":
            row = []
        elif token.type == "tr_close":
            rows.append(tuple(row))
        elif token.type == "inline":
            row.append(_inline(token.children or []))
        i += 1
    return i + 1, Table(rows[0], tuple(rows[1:]))


def _inline(children: list[Token]) -> Inline:
    spans: list[Span] = []
    strong = emphasis = 0
    href: str | None = None
    for child in children:
        kind = child.type
        if kind == "text" or kind == "code_inline":
            spans.append(Span(child.content, strong > 0, emphasis > 0, href))
        elif kind in ("softbreak", "hardbreak"):
            spans.append(Span(" ", strong > 0, emphasis > 0, href))
        elif kind == "strong_open":
            strong += 1
        elif kind == "strong_close":
            strong -= 1
        elif kind == "em_open":
            emphasis += 1
        elif kind == "em_close":
            emphasis -= 1
        elif kind == "link_open":
            href = str(child.attrs.get("href", ""))
        elif kind == "link_close":
            href = None
    return markdown_parser.merge_spans(spans)

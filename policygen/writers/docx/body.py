"""Document to .docx bytes, writing WordprocessingML directly.

Styles come by name from a reference .docx (resolved once); headings and lists use real Word
numbering; the package is zipped deterministically. No file I/O here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import zlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from policygen.document import (
    Block,
    Clause,
    Document,
    Image,
    Inline,
    ListBlock,
    Paragraph,
    SignatureLine,
    Span,
    Table,
)
from policygen.writers.docx import comments, font_widths, styles, tables, toc_and_logo
from policygen.writers.docx.package import Segmented, deflate_segment, write_zip
from policygen.writers.docx.page import Page
from policygen.writers.docx.reference import Reference, bundled
from policygen.writers.docx.xml_escape import escape, quoteattr
from policygen.writers.regions import Placed, Regions

if TYPE_CHECKING:
    from policygen.writers.registry import Assets

_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_ROOT = f'xmlns:w="{_W_NS}" xmlns:r="{_R_NS}"'
_XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_LANG_TAGS = {"de": "de-DE", "en": "en-GB"}  # for a document without a locale
_HEADER_FILL = "D9E2F3"
# A run without properties (tabs, breaks, fields, pictures): it gets the language tag too.
_UNTAGGED_RUN = re.compile(r"<w:r>(?!<w:rPr>)")

# Numbering: ids far above what a company template is likely to use.
_ABS_HEADINGS, _ABS_BULLET, _ABS_ORDERED = 9101, 9102, 9103
_NUM_HEADINGS, _NUM_BULLET, _NUM_FIRST_ORDERED = 9101, 9102, 9110


_AFTER_TABLE = '<w:p><w:pPr><w:spacing w:after="0"/></w:pPr></w:p>'
_HOLE = "\x00"  # marks a hole in a fragment's XML (see _Body.fragment)


# A clause's blocks as XML that fits any place: (pieces, urls, lists). The pieces alternate
# text and holes, a hole being L<number of a hyperlink in urls> or N<number of a numbered
# list among the clause's `lists`>. Plain data, so that it can be kept between builds.
_Fragment = tuple[tuple[str, ...], tuple[str, ...], int]


_FINGERPRINTS: dict[tuple[int, str, str], tuple[Reference, str]] = {}
# Blocks written before, by content and memo_key: a paragraph or table recurs in every
# company's documents whose values it does not show.
_BLOCK_XML: dict[tuple[Block, str], _Fragment | None] = {}
_UNMADE: _Fragment = ((), (), -1)  # not in _BLOCK_XML (None is a result: not self-contained)


def fingerprint(ref: Reference, lang: str, paper: str) -> str:
    """A digest of what a fragment's XML takes from the reference, language and paper."""
    key = (id(ref), lang, paper)
    known = _FINGERPRINTS.get(key)
    if known is not None and known[0] is ref:
        return known[1]
    h = hashlib.blake2b(digest_size=12)
    h.update(repr((sorted(ref.styles.items()), ref.section, lang, paper)).encode())
    for name, data in ref.parts:
        h.update(name.encode() + b"\0" + data)
    if len(_FINGERPRINTS) >= 64:
        _FINGERPRINTS.clear()
    _FINGERPRINTS[key] = (ref, h.hexdigest())
    return h.hexdigest()


def _t(text: str) -> str:
    return escape(text)


@dataclass
class _Body:
    """Accumulates the document body, hyperlinks and list numbering while writing."""

    ref: Reference
    lang: str = "en-GB"  # BCP 47 language tag of every run
    paper: str = "A4"
    parts: list[str] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)
    comments: comments.Comments | None = None
    ordered_lists: int = 0
    bookmarks: int = 0
    sections: int = 0  # section breaks written (landscape tables)
    title_page: bool = False  # the first page has its own (empty) header
    tagged: set[int] = field(default_factory=set)  # parts whose runs all carry the language
    holes: bool = False  # writing a fragment: ids that depend on the place are left open
    holes_left: int = 0  # how many
    run_size: str = ""  # <w:sz>/<w:szCs> of the runs of a table set smaller than its style
    section_starts: list[int] = field(default_factory=list)  # parts that open a section
    # parts that are a clause's placed fragment: (clause index, urls, their ids, lists, base)
    placed: dict[int, tuple[int, tuple[str, ...], tuple[str, ...], int, int]] = field(
        default_factory=dict)
    page: Page = field(init=False)
    sizes: dict[str, int] = field(init=False)
    table_font: font_widths.FontWidths = field(init=False)

    def __post_init__(self) -> None:
        self.page = Page.from_reference(self.ref.section, self.paper)
        parts = dict(self.ref.parts)
        styles_xml = parts.get("word/styles.xml", b"")
        self.sizes = styles.font_sizes(styles_xml) if styles_xml else {"": 22}
        self.table_font = self.font_of_tables(styles_xml, parts.get("word/theme/theme1.xml", b""))

    def font_of_tables(self, styles_xml: bytes, theme_xml: bytes) -> font_widths.FontWidths:
        """The widths of the table text's font, links included; the estimate if they differ."""
        if not styles_xml:
            return font_widths.ESTIMATE
        cell = (self.style("table text"), self.style("table grid", ""))
        names = {styles.latin_font(styles_xml, theme_xml, cell),
                 styles.latin_font(styles_xml, theme_xml, (self.style("hyperlink", ""), *cell))}
        return font_widths.for_font(names.pop()) if len(names) == 1 else font_widths.ESTIMATE

    @property
    def run_lang(self) -> str:
        """The language element every run carries."""
        return f'<w:lang w:val="{self.lang}"/>'

    def font_size(self, style_name: str) -> int:
        """A style's font size in half-points."""
        return self.sizes.get(self.style(style_name), self.sizes.get("", 22))

    def style(self, name: str, fallback: str = "normal") -> str:
        return self.ref.style(name) or self.ref.style(fallback) or ""

    def link_id(self, url: str) -> str:
        if url not in self.links:
            self.links[url] = f"rIdL{len(self.links) + 1}" if not self.holes else \
                f"{_HOLE}L{len(self.links)}{_HOLE}"
        self.holes_left += self.holes
        return self.links[url]

    def ordered_list_id(self) -> str:
        """The numbering id of the next numbered list (each one restarts at 1)."""
        number = self.ordered_lists
        self.ordered_lists += 1
        if not self.holes:
            return str(_NUM_FIRST_ORDERED + number)
        self.holes_left += 1
        return f"{_HOLE}N{number}{_HOLE}"

    def fragment(self, blocks: tuple[Block, ...]) -> _Fragment | None:
        """Blocks as WordprocessingML that fits anywhere in a document of this body.

        What depends on the place (hyperlink ids, numbered lists' ids) is left as holes that
        `place` fills; None for blocks whose XML depends on the place in other ways (a table
        set in a landscape section of its own). Made block by block: a block written before
        (an equal one, for the same reference) is not written again.
        """
        key = self.memo_key()
        pieces: list[str] = []  # text, hole, text, ...: the text being made is in `text`
        text: list[str] = []
        urls: dict[str, int] = {}
        lists = 0
        for block in blocks:
            made = _BLOCK_XML.get((block, key), _UNMADE)
            if made is _UNMADE:
                made = self._capture(block)
                if len(_BLOCK_XML) >= 20_000:
                    _BLOCK_XML.clear()
                _BLOCK_XML[(block, key)] = made
            if made is None:
                return None
            own, own_urls, own_lists = made
            text.append(own[0])
            for i in range(1, len(own), 2):
                pieces.append("".join(text))
                hole = own[i]
                if hole[0] == "L":
                    pieces.append(f"L{urls.setdefault(own_urls[int(hole[1:])], len(urls))}")
                else:
                    pieces.append(f"N{lists + int(hole[1:])}")
                text = [own[i + 1]]
            lists += own_lists
        pieces.append("".join(text))
        return tuple(pieces), tuple(urls), lists

    def _capture(self, block: Block) -> _Fragment | None:
        """One block as a fragment (see `fragment`)."""
        saved = self.parts, self.links, self.ordered_lists, self.sections
        self.parts, self.links, self.ordered_lists, self.sections = [], {}, 0, 0
        self.holes, self.holes_left = True, 0
        try:
            self.block(block)
            xml, urls, lists, landscape = "".join(self.parts), tuple(self.links), \
                self.ordered_lists, self.sections
            holes = self.holes_left
        finally:
            self.parts, self.links, self.ordered_lists, self.sections = saved
            self.holes, self.holes_left = False, 0
        if not _self_contained(xml):
            return None
        pieces = tuple(_UNTAGGED_RUN.sub(self.tagged_run, xml).split(_HOLE))
        if landscape or len(pieces) != 2 * holes + 1:
            return None  # a landscape table, or text that holds the hole mark itself
        return pieces, urls, lists

    @property
    def tagged_run(self) -> str:
        """The start of a run without properties once it carries the language tag."""
        return f"<w:r><w:rPr>{self.run_lang}</w:rPr>"

    def place(self, fragment: _Fragment, clause_index: int = -1) -> None:
        """Append a fragment's XML with its hyperlink and list ids for this place."""
        _, urls, lists = fragment
        links = tuple(self.link_id(url) for url in urls)
        if clause_index >= 0:
            self.placed[len(self.parts)] = (clause_index, urls, links, lists, self.ordered_lists)
        self.tagged.add(len(self.parts))  # tagged when the fragment was made
        self.parts.append(filled(fragment, links, self.ordered_lists))
        self.ordered_lists += lists

    def memo_key(self) -> str:
        """What a fragment's XML depends on besides its blocks: the reference, language, paper."""
        return f"docx:{fingerprint(self.ref, self.lang, self.paper)}"

    def runs(self, spans: Inline, bold: bool = False) -> str:
        out = []
        for span in spans:
            props = ""
            if span.strong or bold:
                props += "<w:b/>"
            if span.emphasis:
                props += "<w:i/>"
            if span.href:
                style = self.ref.style("hyperlink")
                props = (f'<w:rStyle w:val="{style}"/>' if style else "") + props
            run = (f"<w:r><w:rPr>{props}{self.run_size}{self.run_lang}</w:rPr>"
                   f'<w:t xml:space="preserve">{_t(span.text)}</w:t></w:r>')
            if span.href:
                run = f'<w:hyperlink r:id="{self.link_id(span.href)}">{run}</w:hyperlink>'
            out.append(run)
        return "".join(out)

    def paragraph(self, spans: Inline, style: str = "", numbering: str = "",
                  extra_ppr: str = "", bold: bool = False) -> None:
        ppr = (f'<w:pStyle w:val="{style}"/>' if style else "") + numbering + extra_ppr
        self.parts.append(f"<w:p>{'<w:pPr>' + ppr + '</w:pPr>' if ppr else ''}"
                          f"{self.runs(spans, bold)}</w:p>")

    def text(self, text: str, style: str = "", numbering: str = "") -> None:
        self.paragraph((Span(text),), style, numbering)

    def table_layout(self, header: tuple[Inline, ...], rows: tuple[tuple[Inline, ...], ...],
                     header_row: bool = True) -> tables.Layout:
        """Column widths from the content, at the table text's font size."""
        return tables.layout(header, rows, self.page.text_width,
                             self.page.landscape().text_width, self.font_size("table text"),
                             header_row, self.table_font)

    def table_start(self, layout: tables.Layout, header_row: bool = True) -> str:
        """The table's properties and grid: fixed layout, widths in twips."""
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in layout.widths)
        first = "1" if header_row else "0"
        return (f'<w:tbl><w:tblPr><w:tblStyle w:val="{self.style("table grid")}"/>'
                f'<w:tblW w:w="{sum(layout.widths)}" w:type="dxa"/>'
                '<w:tblLayout w:type="fixed"/>'
                f'<w:tblLook w:val="04A0" w:firstRow="{first}" w:lastRow="0" w:firstColumn="0" '
                'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>'
                f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>")

    def row_start(self, layout: tables.Layout, is_header: bool, extra: str = "") -> str:
        """A row's properties: a header row repeats on every page; rows do not split."""
        height = (f'<w:trHeight w:val="{layout.header_height}" w:hRule="atLeast"/>'
                  if is_header and layout.header_height else "")
        return f"<w:tr><w:trPr><w:cantSplit/>{height}{'<w:tblHeader/>' if is_header else ''}" \
            f"{extra}</w:trPr>"

    @staticmethod
    def cell_start(layout: tables.Layout, column: int, is_header: bool, shaded: bool) -> str:
        """A cell's properties: its width, header shading, upright header text."""
        shade = f'<w:shd w:val="clear" w:color="auto" w:fill="{_HEADER_FILL}"/>' if shaded \
            else ""
        upright = is_header and layout.upright_header[column]
        direction = '<w:textDirection w:val="btLr"/><w:vAlign w:val="bottom"/>' if upright \
            else ""
        return (f'<w:tc><w:tcPr><w:tcW w:w="{layout.widths[column]}" w:type="dxa"/>{shade}'
                f"{direction}</w:tcPr>")

    def cell_ppr(self, extra: str = "") -> str:
        """A cell paragraph's properties: the table text style, no hyphenation."""
        style = self.style("table text")
        pstyle = f'<w:pStyle w:val="{style}"/>' if style else ""
        return f"<w:pPr>{pstyle}<w:suppressAutoHyphens/>{extra}</w:pPr>"

    def table(self, header: tuple[Inline, ...], rows: tuple[tuple[Inline, ...], ...],
              widths: tuple[int, ...] = (), header_row: bool = True) -> None:
        """A table; `header_row` False: a key/value table whose first row is data."""
        layout = self.table_layout(header, rows, header_row)
        self.run_size = self.size_of(layout)
        out = [self.table_start(layout, header_row)]
        for index, row in enumerate((header, *rows)):
            is_header = header_row and index == 0
            out.append(self.row_start(layout, is_header))
            for column, cell in enumerate(row):
                out.append(self.cell_start(layout, column, is_header, is_header)
                           + f"<w:p>{self.cell_ppr()}"
                           f"{self.runs(cell, bold=is_header or (not header_row and column == 0))}"
                           "</w:p></w:tc>")
            out.append("</w:tr>")
        out.append("</w:tbl>")
        self.run_size = ""
        self.landscaped("".join(out), layout.landscape)
        self.parts.append(_AFTER_TABLE)

    @staticmethod
    def size_of(layout: tables.Layout) -> str:
        """Run properties for a table set smaller than its style (empty at the style's size)."""
        size = layout.half_points
        return f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>' if size else ""

    def landscaped(self, xml: str, landscape: bool) -> None:
        """Body XML, in a landscape section of its own if asked."""
        if not landscape:
            self.parts.append(xml)
            return
        portrait = self.page.section(title_page=self.title_page and self.sections == 0)
        self.parts.append(f"<w:p><w:pPr><w:spacing w:after=\"0\"/>{portrait}</w:pPr></w:p>")
        self.parts.append(xml)
        self.parts.append('<w:p><w:pPr><w:spacing w:after="0"/>'
                          f"{self.page.landscape().section(next_page=True)}</w:pPr></w:p>")
        self.sections += 1

    def block(self, block: Block) -> None:
        if isinstance(block, Paragraph):
            self.paragraph(block.spans, extra_ppr="<w:keepNext/>" if block.keep_with_next else "")
        elif isinstance(block, ListBlock):
            if block.ordered:
                num_id = self.ordered_list_id()
                if self.holes:  # the id stands in every item's paragraph
                    self.holes_left += len(block.items) - 1
                style = self.style("list number")
            else:
                num_id = str(_NUM_BULLET)
                style = self.style("list bullet")
            numbering = f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>'
            for item in block.items:
                self.paragraph(item, style, numbering)
        elif isinstance(block, Table):
            self.table(block.header, block.rows, block.widths)
        elif isinstance(block, SignatureLine):
            label = self.runs((Span(block.label + ":\u2002"),))
            width = self.page.text_width
            self.parts.append(
                '<w:p><w:pPr><w:keepNext/><w:tabs><w:tab w:val="right" w:leader="underscore" '
                f'w:pos="{width}"/></w:tabs><w:spacing w:before="480" w:after="0"/></w:pPr>'
                f"{label}<w:r><w:tab/></w:r></w:p>")

    def heading(self, level: int, text: str, bookmark: str = "") -> None:
        """A heading; its number (in a guideline) comes from the heading style."""
        if not bookmark:
            self.text(text, self.style(f"heading {level}"))
            return
        self.bookmarks += 1
        runs = toc_and_logo.bookmarked(self.runs((Span(text),)), bookmark, self.bookmarks)
        self.parts.append(f'<w:p><w:pPr><w:pStyle w:val="{self.style(f"heading {level}")}"/>'
                          f"</w:pPr>{runs}</w:p>")

    def page_break(self) -> None:
        self.parts.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')


def filled(fragment: _Fragment, links: tuple[str, ...], list_base: int) -> str:
    """A fragment's XML with its holes filled: its hyperlinks' ids, its lists' after `list_base`."""
    pieces = fragment[0]
    if len(pieces) == 1:
        return pieces[0]
    out = [pieces[0]]
    for i in range(1, len(pieces), 2):
        hole = pieces[i]
        out.append(links[int(hole[1:])] if hole[0] == "L"
                   else str(_NUM_FIRST_ORDERED + list_base + int(hole[1:])))
        out.append(pieces[i + 1])
    return "".join(out)


def write(document: Document, reference: Reference | None = None,
          logo: Image | None = None) -> bytes:
    """Return the .docx bytes of a document (with the company logo, if given)."""
    return write_with_regions(document, reference, logo, regions=False)[0]


def write_with_regions(document: Document, reference: Reference | None = None,
                       logo: Image | None = None,
                       regions: bool = True) -> tuple[bytes, Regions | None]:
    """The .docx bytes, and where each clause's blocks are in them (writers/regions.py).

    None instead of the regions for a document whose clause bodies cannot be replaced one by
    one (a handout, a part tagged only as a whole), or when they are not asked for (the bytes
    are the same either way).
    """
    body = new_body(document, reference)
    if document.layout == "handout":
        _handout(document, body)
        return _package(document, body, logo)
    if not regions:
        body.placed = _Unrecorded()
    marks = iter(_front_matter(document, body, logo))
    index = 0
    for section in document.sections:
        body.section_starts.append(len(body.parts))
        body.heading(1, section.title, next(marks).bookmark)
        for clause in section.clauses:
            _clause(clause, body, next(marks).bookmark, index)
            index += 1
    return _package(document, body, logo)


def new_body(document: Document, reference: Reference | None = None,
             with_comments: bool = True) -> _Body:
    """The body writer for a document: its reference, language tag and paper."""
    return _Body(reference or bundled(), lang=language_tag(document), paper=document.meta.paper,
                 comments=comments.for_draft(document) if with_comments else None,
                 title_page=document.layout == "guideline")


def language_tag(document: Document) -> str:
    """The BCP 47 tag of the document's language as its country writes it (de-AT)."""
    return document.meta.locale or _LANG_TAGS[document.meta.language]


def _front_matter(document: Document, body: _Body, logo: Image | None = None,
                  compared: tuple[str, str] | None = None) -> list[toc_and_logo.TocEntry]:
    """Title page and table of contents; the entries name the bookmarks of the headings."""
    _title_page(document, body, logo, compared)
    entries = toc_and_logo.toc_entries(document)
    body.text(document.labels.contents, body.style("toc heading", "heading 1"))
    body.parts.extend(toc_and_logo.toc(entries, {1: body.style("toc 1"), 2: body.style("toc 2")},
                                       body.run_lang))
    body.page_break()
    return entries


def _handout(document: Document, body: _Body) -> None:
    """One-page layout: title and edition at the top, unnumbered headings, no contents."""
    meta = document.meta
    body.paragraph((Span(meta.title),), body.style("title"),
                   extra_ppr='<w:spacing w:before="0" w:after="60"/>')
    body.paragraph((Span(meta.audience_label),), body.style("subtitle"),
                   extra_ppr='<w:spacing w:after="240"/>')
    for section in document.sections:
        if section.title:
            body.heading(2, section.title)
        for clause in section.clauses:
            if clause.title:
                body.heading(3, clause.title)
            for block in clause.blocks:
                body.block(block)
    if body.parts and body.parts[-1] == _AFTER_TABLE:
        # Word needs a paragraph after a final table; keep it from pushing onto a second page.
        body.parts[-1] = ('<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" '
                          'w:lineRule="exact"/><w:rPr><w:sz w:val="2"/></w:rPr></w:pPr></w:p>')


def _title_page(document: Document, body: _Body, logo: Image | None = None,
                compared: tuple[str, str] | None = None) -> None:
    meta, labels = document.meta, document.labels
    if logo is not None:
        body.parts.append('<w:p><w:pPr><w:spacing w:after="0"/></w:pPr>'
                          f"{toc_and_logo.drawing(logo, toc_and_logo.TITLE_BOX, 1)}</w:p>")
    body.text(meta.title, body.style("title"))
    body.text(meta.audience_label, body.style("subtitle"))
    rows = (
        ((Span(labels.company),), (Span(meta.company),)),
        ((Span(labels.version),), (Span(meta.version),)),
        ((Span(labels.effective_date),), (Span(meta.effective_date_text),)),
        ((Span(labels.owner),), (Span(meta.owner),)),
        ((Span(labels.status),), (Span(meta.status_text),)),
    ) + ((((Span(compared[0]),), (Span(compared[1]),)),) if compared else ())
    body.table(rows[0], rows[1:], header_row=False)
    if meta.history:
        body.text(labels.history, body.style("heading 3", "heading 2"))
        header = tuple((Span(h),) for h in labels.history_header)
        body.table(header, tuple(
            ((Span(e.version),), (Span(e.date_text),), (Span(e.author),), (Span(e.changes),))
            for e in meta.history))
    body.page_break()


def _clause(clause: Clause, body: _Body, bookmark: str = "", index: int = -1) -> None:
    body.heading(2, clause.title, bookmark)
    if body.comments is not None:
        body.parts[-1] = body.comments.annotate(body.parts[-1], clause)
    key = body.memo_key()
    made = clause.memo.get(key)
    fragment = made[1] if made is not None and made[0] is clause.blocks else None
    if fragment is None:
        fragment = body.fragment(clause.blocks)
        if fragment is None:
            for block in clause.blocks:
                body.block(block)
            return
        clause.memo[key] = (clause.blocks, fragment)
    body.place(fragment, index)


def heading_indents(document: Document, body: _Body) -> tuple[int, int]:
    """The hanging indents of heading levels 1 and 2: the widest number, a gap, at least 1 cm."""
    entries = toc_and_logo.toc_entries(document)
    out = []
    for level in (1, 2):
        widest = max((len(e.number) for e in entries if e.level == level), default=1)
        em = body.font_size(f"heading {level}") * 10
        out.append(max(567, int(widest * em * font_widths.BOLD_EM) + em // 2))
    return out[0], out[1]


def _numbering(ref: Reference, ordered_lists: int,
               indents: tuple[int, int] = (567, 567)) -> bytes:
    def level(ilvl: int, fmt: str, text: str, indent: int, hanging: int, style: str = "") -> str:
        pstyle = f'<w:pStyle w:val="{style}"/>' if style else ""
        return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>{pstyle}'
                f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/><w:pPr>'
                f'<w:ind w:left="{indent}" w:hanging="{hanging}"/></w:pPr></w:lvl>')

    heading = (f'<w:abstractNum w:abstractNumId="{_ABS_HEADINGS}">'
               '<w:multiLevelType w:val="multilevel"/>'
               + level(0, "decimal", "%1", indents[0], indents[0], ref.style("heading 1") or "")
               + level(1, "decimal", "%1.%2", indents[1], indents[1],
                       ref.style("heading 2") or "")
               + "</w:abstractNum>")
    bullet = (f'<w:abstractNum w:abstractNumId="{_ABS_BULLET}">'
              '<w:multiLevelType w:val="singleLevel"/>'
              '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/>'
              '<w:lvlText w:val="\u2022"/><w:lvlJc w:val="left"/>'
              '<w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:lvl></w:abstractNum>')
    ordered = (f'<w:abstractNum w:abstractNumId="{_ABS_ORDERED}">'
               '<w:multiLevelType w:val="singleLevel"/>'
               + level(0, "decimal", "%1.", 720, 360) + "</w:abstractNum>")
    nums = [f'<w:num w:numId="{_NUM_HEADINGS}"><w:abstractNumId w:val="{_ABS_HEADINGS}"/></w:num>',
            f'<w:num w:numId="{_NUM_BULLET}"><w:abstractNumId w:val="{_ABS_BULLET}"/></w:num>']
    for i in range(ordered_lists):
        nums.append(f'<w:num w:numId="{_NUM_FIRST_ORDERED + i}">'
                    f'<w:abstractNumId w:val="{_ABS_ORDERED}"/><w:lvlOverride w:ilvl="0">'
                    '<w:startOverride w:val="1"/></w:lvlOverride></w:num>')
    existing = ref.numbering.decode("utf-8") if ref.numbering else ""
    abstracts = heading + bullet + ordered
    if "<w:numbering" not in existing:
        return (f"{_XML_DECL}<w:numbering {_ROOT}>{abstracts}{''.join(nums)}"
                "</w:numbering>").encode()
    if existing.rstrip().endswith("/>"):
        existing = existing.rstrip()[:-2] + "></w:numbering>"
    first_num = existing.find("<w:num ")
    close = existing.rfind("</w:numbering>")
    if first_num == -1:
        first_num = close
    text = existing[:first_num] + abstracts + existing[first_num:close] + "".join(nums) + \
        existing[close:]
    return text.encode("utf-8")


def _header_footer(document: Document, body: _Body, logo: Image | None = None,
                   landscape: bool = False) -> tuple[bytes, bytes]:
    """The header and footer parts, their tab stops at the text width of the page.

    landscape: for the landscape sections of wide tables, whose text is wider.
    """
    meta, labels, ref = document.meta, document.labels, body.ref
    width = (body.page.landscape() if landscape else body.page).text_width
    header_style = ref.style("header") or ""
    footer_style = ref.style("footer") or ""
    draft = f" \u2013 {labels.draft_mark}" if meta.status == "draft" else ""
    lang = f"<w:rPr>{body.run_lang}</w:rPr>"
    drawing_id = 3 if landscape else 2  # unique in the package: 1 is the title page's logo
    left = (toc_and_logo.drawing(logo, toc_and_logo.HEADER_BOX, drawing_id) if logo is not None
            else f'<w:r>{lang}<w:t xml:space="preserve">{_t(meta.company)}</w:t></w:r>')
    # One right tab at the margin, the style's tabs cleared: the edition's name stays on the
    # logo's line instead of wrapping under it at the style's centre tab.
    styles_xml = dict(ref.parts).get("word/styles.xml", b"")

    def tabs(style: str, stops: str) -> str:
        own = re.findall(r'w:pos="(\d+)"', stops)
        cleared = "".join(f'<w:tab w:val="clear" w:pos="{pos}"/>'
                          for pos in styles.tab_stops(styles_xml, style)
                          if str(pos) not in own) if styles_xml else ""
        return f"<w:tabs>{cleared}{stops}</w:tabs>"

    header_tabs = tabs(header_style, f'<w:tab w:val="right" w:pos="{width}"/>')
    # portrait: the footer style's own centre and right tabs; landscape: the same at the width
    footer_tabs = (tabs(footer_style, f'<w:tab w:val="center" w:pos="{width // 2}"/>'
                                      f'<w:tab w:val="right" w:pos="{width}"/>')
                   if landscape else "")
    mark = toc_and_logo.watermark(labels.draft_mark) if meta.status == "draft" else ""
    # the company template's own header text above policygen's line, its footer text below
    own_header, own_footer = (part.replace("<w:lang/>", body.run_lang)
                              for part in (ref.header, ref.footer))
    header = (f"{_XML_DECL}<w:hdr {_ROOT} {toc_and_logo.VML_NAMESPACES}>{own_header}<w:p><w:pPr>"
              f'<w:pStyle w:val="{header_style}"/>{header_tabs}</w:pPr>{mark}{left}'
              "<w:r><w:tab/></w:r>"
              f'<w:r>{lang}<w:t xml:space="preserve">{_t(meta.audience_label)}{_t(draft)}</w:t>'
              "</w:r></w:p></w:hdr>")

    def field_run(instr: str) -> str:
        return (f'<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText '
                f'xml:space="preserve"> {instr} </w:instrText></w:r><w:r>'
                '<w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r>'
                '<w:r><w:fldChar w:fldCharType="end"/></w:r>')

    footer = (f"{_XML_DECL}<w:ftr {_ROOT}><w:p><w:pPr><w:pStyle w:val=\"{footer_style}\"/>"
              f"{footer_tabs}</w:pPr>"
              f'<w:r><w:t xml:space="preserve">{_t(labels.version)} {_t(meta.version)} \u00b7 '
              f"{_t(meta.effective_date_text)}</w:t></w:r><w:r><w:tab/></w:r><w:r><w:tab/></w:r>"
              f'<w:r><w:t xml:space="preserve">{_t(labels.page)} </w:t></w:r>{field_run("PAGE")}'
              f'<w:r><w:t xml:space="preserve"> {_t(labels.of)} </w:t></w:r>'
              f'{field_run("NUMPAGES")}</w:p>{own_footer}</w:ftr>')
    return header.encode(), footer.encode()


def _timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _core(document: Document) -> bytes:
    meta = document.meta
    stamp = _timestamp(meta.effective_date)
    return (
        f'{_XML_DECL}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{_t(meta.title)}</dc:title><dc:subject>{_t(meta.subject)}</dc:subject>"
        f"<dc:creator>{_t(meta.author)}</dc:creator>"
        f"<cp:keywords>{_t(', '.join(meta.keywords))}</cp:keywords>"
        f"<dc:description>{_t(meta.audience_label)}</dc:description>"
        f"<cp:lastModifiedBy>{_t(meta.author)}</cp:lastModifiedBy>"
        f"<cp:revision>{max(len(meta.history), 1)}</cp:revision>"
        f"<cp:version>{_t(meta.version)}</cp:version>"
        f"<dc:language>{language_tag(document)}</dc:language>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    ).encode()


_APP = (f'{_XML_DECL}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties"><Application>policygen</Application></Properties>').encode()


def _content_types(ref: Reference, logo: Image | None = None, landscape: bool = False) -> bytes:
    defaults = dict(ref.content_types)
    if logo is not None:
        defaults[logo.format] = toc_and_logo.CONTENT_TYPES[logo.format]
    defaults.setdefault("xml", "application/xml")
    defaults["rels"] = "application/vnd.openxmlformats-package.relationships+xml"
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml"
    overrides = dict(ref.overrides)
    overrides.update({
        "/word/document.xml": f"{main}.document.main+xml",
        "/word/numbering.xml": f"{main}.numbering+xml",
        "/word/header1.xml": f"{main}.header+xml",
        "/word/footer1.xml": f"{main}.footer+xml",
        **({"/word/header2.xml": f"{main}.header+xml", "/word/footer2.xml": f"{main}.footer+xml"}
           if landscape else {}),
        "/docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
        "/docProps/app.xml":
            "application/vnd.openxmlformats-officedocument.extended-properties+xml",
    })
    xml = ['<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">']
    xml += [f"<Default Extension={quoteattr(k)} ContentType={quoteattr(v)}/>"
            for k, v in sorted(defaults.items())]
    xml += [f"<Override PartName={quoteattr(k)} ContentType={quoteattr(v)}/>"
            for k, v in sorted(overrides.items())]
    xml.append("</Types>")
    return (_XML_DECL + "".join(xml)).encode()


def _document_rels(ref: Reference, links: dict[str, str], logo: Image | None = None,
                   landscape: bool = False) -> bytes:
    rels = [(f"rIdR{i + 1}", rel_type, target, mode)
            for i, (rel_type, target, mode) in enumerate(ref.relationships)]
    if logo is not None:
        rels.append((toc_and_logo.LOGO_REL_ID, f"{_REL}/image",
                     toc_and_logo.LOGO_TARGETS[logo.format], ""))
    rels += [("rIdNumbering", f"{_REL}/numbering", "numbering.xml", ""),
             ("rIdHeader1", f"{_REL}/header", "header1.xml", ""),
             ("rIdFooter1", f"{_REL}/footer", "footer1.xml", "")]
    if landscape:
        rels += [("rIdHeader2", f"{_REL}/header", "header2.xml", ""),
                 ("rIdFooter2", f"{_REL}/footer", "footer2.xml", "")]
    rels += [(rid, f"{_REL}/hyperlink", url, "External") for url, rid in links.items()]
    xml = [f'<Relationships xmlns="{_PKG_REL}">']
    for rid, rel_type, target, mode in rels:
        mode_attr = f" TargetMode={quoteattr(mode)}" if mode else ""
        xml.append(f"<Relationship Id={quoteattr(rid)} Type={quoteattr(rel_type)} "
                   f"Target={quoteattr(target)}{mode_attr}/>")
    xml.append("</Relationships>")
    return (_XML_DECL + "".join(xml)).encode()


_ROOT_RELS = (
    f'{_XML_DECL}<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
    'metadata/core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{_REL}/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
).encode()


def _package(document: Document, body: _Body,
             logo: Image | None = None) -> tuple[bytes, Regions | None]:
    ref = body.ref
    guideline = document.layout == "guideline"
    section = body.page.section(title_page=guideline and body.sections == 0)
    tagged = body.tagged_run
    # a draft's comments are made of what a clause's signature covers (builds/splice.py), and
    # their anchors are in the headings: its clause bodies can be replaced like any other
    main, regions = _main_part(body, f"{_XML_DECL}<w:document {_ROOT}><w:body>",
                               f"{section}</w:body></w:document>")
    landscape = body.sections > 0  # wide tables in landscape sections: header2, footer2
    headers = [("word/" + name, _UNTAGGED_RUN.sub(tagged, part.decode()).encode())
               for wide in ((False, True) if landscape else (False,))
               for name, part in zip((f"header{1 + wide}.xml", f"footer{1 + wide}.xml"),
                                     _header_footer(document, body, logo, wide), strict=True)]
    numbered = ((ref.style("heading 1") or "", 0, _NUM_HEADINGS),
                (ref.style("heading 2") or "", 1, _NUM_HEADINGS)) if guideline else ()
    indents = heading_indents(document, body) if guideline else (567, 567)
    fitted = []
    for name, data in ref.parts:
        if name == "word/styles.xml":
            data = styles.fitted_styles(data, body.lang, numbered)
        elif name == "word/settings.xml":
            # only the contents' page numbers need Word to update fields on opening
            data = styles.fitted_settings(data, body.lang, guideline)
        fitted.append((name, data))
    entries = [
        ("[Content_Types].xml", _content_types(ref, logo, landscape)),
        ("_rels/.rels", _ROOT_RELS),
        ("docProps/core.xml", _core(document)),
        ("docProps/app.xml", _APP),
        ("word/document.xml", main),
        ("word/_rels/document.xml.rels", _document_rels(ref, body.links, logo, landscape)),
        ("word/numbering.xml", _numbering(ref, body.ordered_lists, indents)),
        *headers,
        *toc_and_logo.logo_parts(logo, 2 if landscape else 1),
        *fitted,
    ]
    if body.comments is not None:
        entries = body.comments.add_to(entries)
    return write_zip(entries, shared={name for name, _ in ref.parts}), regions


class _Unrecorded(dict[int, tuple[int, tuple[str, ...], tuple[str, ...], int, int]]):
    """Where clause bodies are placed, when nobody asks: nothing is recorded."""

    def __setitem__(self, key: int, value: tuple[int, tuple[str, ...], tuple[str, ...], int,
                                                 int]) -> None:
        return


def _main_part(body: _Body, head: str, tail: str) -> tuple[bytes | Segmented, Regions | None]:
    """word/document.xml: deflated section by section, with where its clause bodies are.

    A document without sections (a handout), or whose parts can be tagged with the language
    only as a whole, is one plain part without regions.
    """
    parts = _tagged_parts(body)
    starts = [start for start in body.section_starts if start > 0]
    if parts is None or not body.section_starts:
        text = "".join(parts) if parts is not None else _UNTAGGED_RUN.sub(
            body.tagged_run, "".join(body.parts))
        return f"{head}{text}{tail}".encode(), None
    bounds = [0, *starts, len(parts)]
    crc = 0
    segments = []
    placed = []
    recorded = not isinstance(body.placed, _Unrecorded)
    for number, (begin, end) in enumerate(zip(bounds, bounds[1:], strict=False)):
        lead = head if number == 0 else ""
        if recorded:  # where each clause body is, in characters of the segment's text
            at = len(lead)
            for index in range(begin, end):
                where = body.placed.get(index)
                if where is not None:
                    clause_index, urls, links, lists, base = where
                    placed.append(Placed(clause_index, number, at, at + len(parts[index]),
                                         urls, links, lists, base))
                at += len(parts[index])
        data = f"{lead}{''.join(parts[begin:end])}{tail if end == len(parts) else ''}".encode()
        own = zlib.crc32(data) if recorded else 0  # a segment's own CRC-32: for splicing only
        crc = zlib.crc32(data, crc)
        segments.append(deflate_segment(data, own))
    packed = Segmented(tuple(segments), crc)
    if not recorded:
        return packed, None
    return packed, Regions(tuple(placed), tuple((len(s.packed), s.size, s.crc) for s in segments),
                           body.memo_key())


def _self_contained(xml: str) -> bool:
    """Whether the language tag can be added to a part's runs without looking beyond it.

    No run start can then span its edges, nor a run start at its end be followed by the
    properties of the next part: tagging it alone is tagging it in the document.
    """
    return xml.startswith("<") and xml.endswith(">") and not xml.endswith("<w:r>")


def _tagged_parts(body: _Body) -> list[str] | None:
    """The body's parts with every run tagged with the language; None if only as a whole.

    Fragments' parts were tagged when they were made; the others are tagged one by one when
    each is self-contained.
    """
    tag, parts = body.tagged_run, body.parts
    if not all(_self_contained(part) for part in parts):
        return None
    return [part if index in body.tagged else _UNTAGGED_RUN.sub(tag, part)
            for index, part in enumerate(parts)]


def write_file(document: Document, assets: Assets) -> bytes:
    """The registry's entry point: the .docx package."""
    return write(document, assets.reference, assets.logo)


def write_file_with_regions(document: Document, assets: Assets) -> tuple[bytes, Regions | None]:
    """The registry's entry point for a build that keeps where each clause is."""
    return write_with_regions(document, assets.reference, assets.logo)


_BODIES: dict[tuple[int, str, str], tuple[Reference, _Body]] = {}  # for placed_again


def placed_again(clause: Clause, reference: Reference, lang: str, paper: str,
                 where: Placed, memo_key: str) -> str | None:
    """A clause's blocks as XML for the place another version of it had (`where`).

    None unless they fit it exactly: the same reference, language and paper (`memo_key`), a
    fragment (no landscape table) with the same hyperlinks in the same order and as many
    numbered lists, so that every id around it, the relationships and the numbering stay.
    """
    known = _BODIES.get((id(reference), lang, paper))
    body = known[1] if known is not None and known[0] is reference else None
    if body is None:
        body = _Body(reference, lang=lang, paper=paper)
        if len(_BODIES) >= 16:
            _BODIES.clear()
        _BODIES[(id(reference), lang, paper)] = (reference, body)
    key = body.memo_key()
    if key != memo_key:
        return None
    made = clause.memo.get(key)
    fragment = made[1] if made is not None and made[0] is clause.blocks else None
    if fragment is None:
        fragment = body.fragment(clause.blocks)
        if fragment is None:
            return None
        clause.memo[key] = (clause.blocks, fragment)
    if fragment[1] != where.urls or fragment[2] != where.lists:
        return None
    return filled(fragment, where.links, where.list_base)

"""A fast parser for the common shape of clause Markdown, with markdown-it as the authority.

Clause texts are short paragraphs, flat lists and simple tables with `**strong**`, `*emphasis*`,
escapes and plain links. For exactly those, this parser builds the same blocks that
markdown-it-py would, about ten times faster. Whenever a text holds anything else, or anything
whose reading depends on CommonMark's finer rules, `parse` returns None and the caller uses
markdown-it. A differential test (tests/core/test_markdown_parser.py) holds the two to the
same result.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from policygen.document import Block, Inline, ListBlock, Paragraph, Span, Table

_PUNCT = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_SPECIAL = re.compile(r"[*_\[\]`\\<&!\n]")
_INLINE_SPECIAL = re.compile(r"\\[\s\S]?|\*+|[\[\]_`<&!\n]")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_ENTITY = re.compile(r"&(#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_BULLET = re.compile(r"- (?=\S)")
_ORDERED = re.compile(r"(\d{1,9})([.)]) (?=\S)")
_DELIMITER_ROW = re.compile(r"\|(?: *:?-+:? *\|)+ *")
# A line that could start (or interrupt a paragraph with) a block this parser does not read
# itself: indented code, headings, quotes, fences, HTML, thematic breaks and setext underlines,
# `*`/`+` bullets, lists, tables, reference definitions.
_UNSAFE_START = re.compile(
    r"(?: |#|>|```|~~~|<|=|_|-|\||\d{1,9}[.)](?:\s|$)|\+(?:\s|$)|\*(?:\s|$)|\*\*\*|"
    r"\[[^\]]*\]:)")

Normalizer = Callable[[str], str]


class _Decline(Exception):
    """The text needs the full parser."""


def parse(text: str, normalize_link: Normalizer,
          validate_link: Callable[[str], bool]) -> list[Block] | None:
    """Blocks for a text in the fast subset, or None when markdown-it must decide."""
    if "\t" in text or "\r" in text or "\0" in text or _OTHER_SPACES.search(text):
        return None
    try:
        return _Parser(text.split("\n"), normalize_link, validate_link).blocks()
    except _Decline:
        return None


def _interrupts(line: str) -> bool:
    """Whether a list item on this line ends the paragraph before it (CommonMark 5.2, 5.3).

    A bullet item with content does, and an ordered one only when it starts at 1.
    """
    if _BULLET.match(line):
        return True
    ordered = _ORDERED.match(line)
    return ordered is not None and int(ordered.group(1)) == 1


class _Parser:
    def __init__(self, lines: list[str], normalize_link: Normalizer,
                 validate_link: Callable[[str], bool]) -> None:
        self.lines = lines
        self.i = 0
        self.normalize_link = normalize_link
        self.validate_link = validate_link

    def blocks(self) -> list[Block]:
        out: list[Block] = []
        lines = self.lines
        while self.i < len(lines):
            line = lines[self.i]
            if not line.strip():
                self.i += 1
                continue
            if line.startswith("|") and self.i + 1 < len(lines) \
                    and _DELIMITER_ROW.fullmatch(lines[self.i + 1].rstrip()):
                out.append(self.table())
            elif _BULLET.match(line) or _ORDERED.match(line):
                out.append(self.list_block())
            elif _UNSAFE_START.match(line):
                raise _Decline
            else:
                out.append(Paragraph(self.inline(self.paragraph_lines())))
        return out

    def paragraph_lines(self) -> list[str]:
        lines = self.lines
        collected = [lines[self.i]]
        self.i += 1
        while self.i < len(lines) and lines[self.i].strip():
            line = lines[self.i]
            if _interrupts(line):
                break  # a list starts here: `blocks` reads it
            if _UNSAFE_START.match(line):
                raise _Decline
            collected.append(line)
            self.i += 1
        return collected

    def list_block(self) -> ListBlock:
        lines = self.lines
        first = _ORDERED.match(lines[self.i])
        ordered = first is not None
        delimiter = first.group(2) if first else "-"
        items: list[Inline] = []
        while self.i < len(lines):
            line = lines[self.i]
            match = _ORDERED.match(line) if ordered else _BULLET.match(line)
            if match is None or (ordered and match.group(2) != delimiter):
                break
            content = [line[match.end():]]
            width = match.end()
            if _UNSAFE_START.match(content[0]):
                raise _Decline
            self.i += 1
            while self.i < len(lines) and lines[self.i].strip():
                nxt = lines[self.i]
                if _BULLET.match(nxt) or _ORDERED.match(nxt):
                    break
                if nxt.startswith(" "):
                    if len(nxt) - len(nxt.lstrip(" ")) != width or \
                            _UNSAFE_START.match(nxt.lstrip(" ")):
                        raise _Decline
                    content.append(nxt.lstrip(" "))
                else:
                    raise _Decline  # lazy continuation lines: leave them to markdown-it
                self.i += 1
            items.append(self.inline(content))
            if self.i < len(lines) and not lines[self.i].strip():
                following = self._next_nonblank()
                if following is not None and lines[following].startswith(" "):
                    raise _Decline  # more content of the item after a blank line
                same = following is not None and (
                    (_ORDERED.match(lines[following]) is not None and ordered)
                    or (_BULLET.match(lines[following]) is not None and not ordered))
                if not same:
                    break
                raise _Decline  # a loose list: rare in clauses, let markdown-it judge
        return ListBlock(ordered, tuple(items))

    def _next_nonblank(self) -> int | None:
        j = self.i
        while j < len(self.lines) and not self.lines[j].strip():
            j += 1
        return j if j < len(self.lines) else None

    def table(self) -> Table:
        lines = self.lines
        header = self.cells(lines[self.i])
        self.i += 2
        rows: list[tuple[Inline, ...]] = []
        while self.i < len(lines) and lines[self.i].strip():
            line = lines[self.i]
            if _BULLET.match(line) or _ORDERED.match(line):
                break  # any list item ends a table (markdown-it's blockquote terminators)
            if not line.startswith("|"):
                raise _Decline
            cells = self.cells(line)
            if len(cells) != len(header):
                raise _Decline
            rows.append(cells)
            self.i += 1
        return Table(header, tuple(rows))

    def cells(self, line: str) -> tuple[Inline, ...]:
        stripped = line.strip()
        if not stripped.endswith("|") or stripped.endswith("\\|") or "`" in stripped \
                or "\\\\" in stripped:
            raise _Decline
        parts = _CELL_SPLIT.split(stripped[1:-1])
        return tuple(self.inline([part.strip().replace("\\|", "|")]) for part in parts)

    def inline(self, lines: list[str]) -> Inline:
        text = "\n".join(line.strip(" ") for line in lines)
        if not text:
            return ()
        if not _SPECIAL.search(text):
            return (Span(text.replace("\n", " ")),) if text else ()
        return _inline_spans(text, self.normalize_link, self.validate_link)


@lru_cache(maxsize=20_000)
def _inline_spans(text: str, normalize_link: Normalizer,
                  validate_link: Callable[[str], bool]) -> Inline:
    """A paragraph's, item's or cell's spans, remembered by text.

    Most recur in every company's clauses, in texts that differ elsewhere (a line that
    prints the company's name).
    """
    return _Inline(text, normalize_link, validate_link).spans()


class _Inline:
    """Escapes, `*`/`**` emphasis in matched pairs, and `[text](url)` links."""

    def __init__(self, text: str, normalize_link: Normalizer,
                 validate_link: Callable[[str], bool]) -> None:
        self.text = text
        self.normalize_link = normalize_link
        self.validate_link = validate_link

    def spans(self) -> Inline:
        tokens = self._tokens(self.text)
        return merge_spans(self._resolve(tokens))

    def _tokens(self, text: str) -> list[tuple[str, str]]:
        """('text', s) | ('delim', run + '<' (can open) + '>' (can close)) | link tokens."""
        out: list[tuple[str, str]] = []
        buf: list[str] = []
        pos = 0
        n = len(text)
        for match in _INLINE_SPECIAL.finditer(text):
            start = match.start()
            if start < pos:
                continue  # inside a link label handled below
            if start > pos:
                buf.append(text[pos:start])
            token = match.group()
            pos = match.end()
            first = token[0]
            if first == "\\":
                if len(token) == 2 and token[1] in _PUNCT:
                    buf.append(token[1])
                elif token[1:] == "\n":
                    raise _Decline  # hard line break
                else:
                    buf.append(token)
            elif first == "*":
                if len(token) > 2:
                    raise _Decline
                before = text[start - 1] if start else " "
                after = text[pos] if pos < n else " "
                left, right = _left_flanking(before, after), _right_flanking(before, after)
                if not left and not right:
                    buf.append(token)
                    continue
                if buf:
                    out.append(("text", "".join(buf)))
                    buf = []
                out.append(("delim", token + ("<" if left else "") + (">" if right else "")))
            elif first == "[":
                end, label, url = self._link(text, start)
                if buf:
                    out.append(("text", "".join(buf)))
                    buf = []
                out.append(("link", url))
                out.extend(self._tokens(label))
                out.append(("endlink", ""))
                pos = end
            elif first == "&":
                if _ENTITY.match(text, start):
                    raise _Decline
                buf.append(token)
            elif first == "!":
                if text.startswith("![", start):
                    raise _Decline
                buf.append(token)
            elif first == "\n":
                if buf:
                    buf[-1] = buf[-1].rstrip(" ")
                buf.append(" ")
            elif first == "_" and 0 < start and pos < n and _intraword(text[start - 1], text[pos]):
                buf.append(token)  # `snake_case`, `@anna_Example`: can neither open nor close
            else:  # _ ] ` <
                raise _Decline
        if pos < n:
            buf.append(text[pos:])
        if buf:
            out.append(("text", "".join(buf)))
        return [(kind, value) for kind, value in out if kind != "text" or value]

    def _link(self, text: str, start: int) -> tuple[int, str, str]:
        close = start + 1
        while close < len(text):
            if text[close] == "\\":
                close += 2
                continue
            if text[close] in "[]":
                break
            close += 1
        if close >= len(text) or text[close] != "]" or not text.startswith("](", close):
            raise _Decline
        end = text.find(")", close + 2)
        if end == -1:
            raise _Decline
        url = text[close + 2:end]
        if not url or any(c in url for c in " <>()\n\"'*"):
            raise _Decline
        url = _unescape_destination(url)
        label = text[start + 1:close]
        if not label or "\n" in label:
            raise _Decline
        normal = self.normalize_link(url)
        if not self.validate_link(normal):
            raise _Decline
        return end + 1, label, normal

    def _resolve(self, tokens: list[tuple[str, str]]) -> list[Span]:
        """Pair `*`/`**` runs like a stack, inside link boundaries; else decline."""
        openers: set[int] = set()
        stack: list[int] = []  # indices of open runs; -1 marks a link's start
        for index, (kind, value) in enumerate(tokens):
            if kind == "link":
                stack.append(-1)
            elif kind == "endlink":
                if not stack or stack[-1] != -1:
                    raise _Decline
                stack.pop()
            elif kind == "delim":
                run, can_open, can_close = value.rstrip("<>"), "<" in value, ">" in value
                if can_close and stack and stack[-1] >= 0:
                    if tokens[stack[-1]][1].rstrip("<>") != run:
                        raise _Decline
                    openers.add(stack.pop())
                elif can_open:
                    stack.append(index)
                else:
                    raise _Decline
        if stack:
            raise _Decline
        spans: list[Span] = []
        strong = emphasis = 0
        href: str | None = None
        for index, (kind, value) in enumerate(tokens):
            if kind == "text":
                spans.append(Span(value, strong > 0, emphasis > 0, href))
            elif kind == "link":
                href = value
            elif kind == "endlink":
                href = None
            else:
                step = 1 if index in openers else -1
                if value.rstrip("<>") == "**":
                    strong += step
                else:
                    emphasis += step
        return spans


# CommonMark's whitespace and punctuation as markdown-it-py defines them (a test compares every
# code point), kept here so that the common case never imports markdown-it.
_WHITESPACE = frozenset({0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0xA0, 0x1680, 0x202F, 0x205F,
                         0x3000, *range(0x2000, 0x200B)})
# Characters markdown-it trims from lines like spaces; texts holding them go to markdown-it.
# Every character Python's str.strip() and str.split() take for a blank, but " " and the tab,
# line feed and carriage return `parse` looks for itself: markdown-it reads them as text.
_OTHER_SPACES = re.compile(
    "[\x0b\x0c\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")


def _is_space(char: str) -> bool:
    return ord(char) in _WHITESPACE


def _is_punct(char: str) -> bool:
    return char in _PUNCT or unicodedata.category(char).startswith(("P", "S"))


def _intraword(before: str, after: str) -> bool:
    """Whether a `_` between these characters stands inside a word (neither space nor punct)."""
    return not (_is_space(before) or _is_punct(before) or _is_space(after) or _is_punct(after))


def _unescape_destination(url: str) -> str:
    """A link destination with its backslash escapes resolved, as CommonMark reads it.

    Entities (which CommonMark decodes in a destination) and backslashes that escape nothing
    are left to markdown-it.
    """
    if "\\" not in url:
        if "&" in url and _ENTITY.search(url):
            raise _Decline
        return url
    out: list[str] = []
    i = 0
    while i < len(url):
        char = url[i]
        if char == "\\":
            if i + 1 >= len(url) or url[i + 1] not in _PUNCT:
                raise _Decline  # a literal backslash: leave it to markdown-it
            out.append(url[i + 1])
            i += 2
            continue
        if char == "&" and _ENTITY.match(url, i):
            raise _Decline
        out.append(char)
        i += 1
    return "".join(out)


def _left_flanking(before: str, after: str) -> bool:
    if _is_space(after):
        return False
    return not _is_punct(after) or _is_space(before) or _is_punct(before)


def _right_flanking(before: str, after: str) -> bool:
    if _is_space(before):
        return False
    return not _is_punct(before) or _is_space(after) or _is_punct(after)


def merge_spans(spans: list[Span]) -> Inline:
    """Join neighbouring spans of the same formatting; drop empty ones."""
    merged: list[Span] = []
    for span in spans:
        if not span.text:
            continue
        if merged and (merged[-1].strong, merged[-1].emphasis, merged[-1].href) == \
                (span.strong, span.emphasis, span.href):
            last = merged.pop()
            span = Span(last.text + span.text, span.strong, span.emphasis, span.href)
        merged.append(span)
    return tuple(merged)

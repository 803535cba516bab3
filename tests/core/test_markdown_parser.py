"""The fast Markdown parser agrees with markdown-it wherever it does not decline."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from policygen.builds import render
from policygen.core import clauses, compose, markdown_parser, select, templating
from policygen.core.clauses import Clause
from tests.conftest import EXAMPLES

MD = compose._markdown()


def slow(text: str, clause: Clause) -> list:
    return compose._parse_with_markdown_it(text, clause, ("text", "en"))


def fast(text: str) -> list | None:
    return markdown_parser.parse(text, MD.normalizeLink, MD.validateLink)


def test_agrees_on_every_clause_text_of_the_examples() -> None:
    library = clauses.load_library()
    total = declined = 0
    for profile in render.load_profiles(EXAMPLES):
        for audience in profile.audiences:
            assembly = select.select(library, profile, audience)
            for lang in profile.languages:
                context = templating.context(profile.localized(lang), profile.facts, lang,
                                             audience)
                for clause in assembly.clauses:
                    text = compose.render_template(clause, ("text", lang), clause.text[lang],
                                                   context, lang, profile.path)
                    result = fast(text)
                    total += 1
                    if result is None:
                        declined += 1
                    else:
                        assert result == slow(text, clause), (clause.id, lang)
    assert declined / total < 0.05, f"the fast parser declined {declined} of {total} texts"


WORD = st.text(alphabet="abcXYZäß019 .,:;!?'\"()-/@#%+=~^$", min_size=1, max_size=12)
ESCAPED = st.text(min_size=1, max_size=12).map(templating.escape_markdown)
INLINE_PART = st.one_of(
    WORD, ESCAPED,
    st.builds(lambda w: f"**{w.strip() or 'x'}**", WORD),
    st.builds(lambda w: f"*{w.strip() or 'x'}*", WORD),
    st.builds(lambda w, u: f"[{w.strip() or 'x'}](https://example.com/{u})", WORD,
              st.sampled_from(["a", "b?c=1", "ä", "x_y", "a\\_b", "a&amp;b", "a\\&b", "\\x",
                               "a\\", "%41"])),
    # a profile's address as templates print it: every punctuation character escaped
    st.builds(lambda u: f"[{templating.escape_markdown(u)}]({templating.escape_markdown(u)})",
              st.from_regex(r"(https?://|mailto:a@)[a-zA-Z0-9.\-]{1,12}(/[a-zA-Z0-9_.&=?\-]{0,9})?",
                            fullmatch=True)),
    st.builds(lambda a, b: f"{a}_{b}", st.sampled_from(["a", "ä", "9", " ", "*", "@x"]),
              st.sampled_from(["b", "ß", "0", " ", "*", "."])),
    st.sampled_from(["*", "**", "_", "[", "]", "`", "<", "&amp;", "&", "\\", "!", "|"]),
)
LINE = st.lists(INLINE_PART, min_size=1, max_size=6).map("".join).map(
    lambda s: s.replace("\n", " "))
BLOCK = st.one_of(
    LINE,
    st.lists(LINE, min_size=2, max_size=3).map("\n".join),
    st.lists(LINE, min_size=1, max_size=4).map(lambda items: "\n".join(f"- {i}" for i in items)),
    st.lists(LINE, min_size=1, max_size=4).map(
        lambda items: "\n".join(f"{n}. {i}" for n, i in enumerate(items, 1))),
    st.lists(st.lists(LINE.map(lambda c: c.replace("|", "\\|")), min_size=2, max_size=2),
             min_size=1, max_size=3).map(
        lambda rows: "| A | B |\n|---|---|\n" + "\n".join(f"| {a} | {b} |" for a, b in rows)),
)


@given(st.lists(BLOCK, min_size=1, max_size=4).map("\n\n".join))
def test_property_fast_parser_agrees_with_markdown_it(text: str) -> None:
    library = clauses.load_library()
    clause = next(iter(library.clauses.values()))
    result = fast(text)
    if result is not None:
        try:
            expected = slow(text, clause)
        except Exception:  # markdown-it reading something outside the subset: must decline
            raise AssertionError(f"fast parser accepted {text!r}") from None
        assert result == expected


@given(st.lists(BLOCK, min_size=2, max_size=4).map("\n".join))
def test_property_blocks_without_blank_lines_between_them_are_read_as_markdown_it_reads_them(
        text: str) -> None:
    """A list straight after a paragraph or a table line: it interrupts one, ends the other."""
    test_property_fast_parser_agrees_with_markdown_it.hypothesis.inner_test(text)


def test_a_list_that_interrupts_a_paragraph_or_ends_a_table_needs_no_markdown_it() -> None:
    library = clauses.load_library()
    clause = next(iter(library.clauses.values()))
    for text in ("Three cases:\n1. **One.** A\n2. Two", "Do this:\n- a\n- b",
                 "| A | B |\n|---|---|\n| x | y |\n- after the table",
                 "| A |\n|---|\n| x |\n3. an ordered item ends it too"):
        result = fast(text)
        assert result is not None, text
        assert result == slow(text, clause)
    assert fast("A paragraph\n2. goes on: only a list from 1 interrupts it") is None


URL = st.one_of(
    st.from_regex(r"(https?|HTTPS|mailto|javascript|data|ftp):(//)?[a-zA-Z0-9.@:\-]{0,12}"
                  r"[/?#]?[a-zA-Z0-9_.&=?/#%;,'!$*+~\-]{0,12}", fullmatch=True),
    st.text(max_size=20),
)


@given(URL)
def test_property_links_are_normalised_and_validated_as_markdown_it_does(url: str) -> None:
    assert compose._normalize_link(url) == MD.normalizeLink(url)
    assert compose._validate_link(url) == MD.validateLink(url)


def test_escaped_addresses_and_intraword_underscores_need_no_markdown_it() -> None:
    text = ("See [https\\:\\/\\/www\\.example\\.com\\/a\\_b](https\\:\\/\\/www\\.example\\.com"
            "\\/a\\_b), or write to @anna_Example and snake_case.")
    result = markdown_parser.parse(text, compose._normalize_link, compose._validate_link)
    assert result is not None
    library = clauses.load_library()
    assert result == slow(text, next(iter(library.clauses.values())))


def test_character_classes_match_markdown_it() -> None:
    from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace

    for code in [*range(0xD800), *range(0xE000, 0x10000), 0x1F600, 0x10FFFD]:
        char = chr(code)
        assert markdown_parser._is_space(char) == isWhiteSpace(code), hex(code)
        expected = isMdAsciiPunct(code) or isPunctChar(char)
        assert markdown_parser._is_punct(char) == expected, hex(code)


def test_unusual_spaces_go_to_markdown_it() -> None:
    assert fast("Text\u00a0**bold**") is None
    assert fast("Text **bold**") is not None


def test_every_blank_python_strips_is_left_to_markdown_it() -> None:
    """str.strip() takes U+0085, U+001C and the like for blanks; markdown-it reads them as text
    (found by `make fuzz`: '0\\n\\n0\\n\\x85')."""
    from policygen.core.markdown_parser import _OTHER_SPACES

    blanks = [c for c in map(chr, range(0x110000)) if c.isspace() and c not in " \t\n\r"]
    assert [c for c in blanks if not _OTHER_SPACES.fullmatch(c)] == []
    assert fast("0\n\n0\n\x85") is None

"""Ties: each pattern runs only where a text holds what every match of it holds."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from policygen.core import typography
from policygen.core.typography import NBSP
from policygen.document import Block, ListBlock, Paragraph, Span

# Pieces that make or break a tie: every word a pattern names, digits, initials, spaces.
_PIECES = (*typography._ABBREVIATIONS, *typography._NUMBERED, *typography._CURRENCIES,
           *typography._MONTH_NAMES, "Prozent", "percent", "%", "€", "§", "§§", "z", "B",
           "d", "h", "IV", "X", "BetrVG", "GDPR", "CFR", "Ab", "a", "0", "5", "15", "87",
           "2027", "+49", "(0211)", "211", "5550", ".", ". ", " ", "  ", NBSP, "/", "-", "\n")


def _every_pattern(text: str) -> str:
    """What tie made of a text before its patterns were tested for what they need."""
    if " " not in text or not typography._WORTH_A_LOOK.search(text):
        return text
    for pattern, _ in typography._TIES:
        text = pattern.sub(r"\1" + NBSP, text)
    return typography._PHONE.sub(lambda m: m.group(0).replace(" ", NBSP), text)


@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_property_ties_are_those_of_every_pattern_run_on_every_text(text: str) -> None:
    typography._TIED.clear()
    assert typography.tie(text) == _every_pattern(text)


def test_each_test_is_met_by_the_examples_of_its_pattern() -> None:
    examples = ("§ 87", "Art. 5", "Satz 2", "6 BetrVG", "10 %", "CHF 500", "z. B.",
                "15. Januar", "Januar 2027")
    for (pattern, needs), example in zip(typography._TIES, examples, strict=True):
        assert pattern.search(example), example
        assert needs is None or needs(example), example
        typography._TIED.clear()
        assert typography.tie(f"x {example} y") == _every_pattern(f"x {example} y") != \
            f"x {example} y"


_SPANS = st.builds(Span, st.lists(st.sampled_from(_PIECES), max_size=12).map("".join),
                   st.booleans(), st.booleans(),
                   st.sampled_from([None, "https://example.com"]))
_BLOCKS = st.one_of(
    st.builds(Paragraph, st.lists(_SPANS, max_size=4).map(tuple)),
    st.builds(ListBlock, st.booleans(),
              st.lists(st.lists(_SPANS, max_size=3).map(tuple), max_size=3).map(tuple)))


@given(_BLOCKS)
def test_property_a_block_typeset_again_is_typeset_as_the_first_time(item: Block) -> None:
    typography._typeset_block.cache_clear()
    fresh = typography._typeset(item)
    first = typography.block(item)
    equal = type(item)(**{name: getattr(item, name) for name in item.__dataclass_fields__})
    again = typography.block(equal)  # an equal block from another company's clause
    assert first == again == fresh
    # an unchanged block comes back as itself, not as the equal block remembered first
    assert (first is item) == (fresh is item) and (again is equal) == (fresh is item)

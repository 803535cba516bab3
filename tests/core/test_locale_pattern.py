"""A locale layer's words are matched by one prefix tree, exactly as a flat alternation would."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from policygen.core import clauses, locale_layer


def flat(words: list[str]) -> re.Pattern[str]:
    """The plain form of the pattern: every word, longest first."""
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=lambda w: -len(w)))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w])", re.IGNORECASE)


def matches(pattern: re.Pattern[str], text: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group()) for m in pattern.finditer(text)]


letters = st.sampled_from("aeiorsßäü- ")
words = st.lists(st.text(letters, min_size=1, max_size=6).map(str.lower), min_size=1,
                 max_size=12, unique=True)


@given(words, st.text(st.sampled_from("aeiorsßäüAEÄ- .\n"), max_size=60))
def test_the_tree_property_matches_what_the_flat_alternation_matches(
        forms: list[str], text: str) -> None:
    rules = locale_layer.make_layer("en-US", {}, dict.fromkeys(forms, "x"), {}).text
    assert rules.pattern is not None
    assert matches(rules.pattern, text) == matches(flat(forms), text)


def test_every_layer_of_the_library_replaces_as_the_flat_alternation_did() -> None:
    library = clauses.load_library()
    texts = [text for clause in library.clauses.values()
             for _, text in clauses.template_fields(clause)]
    compared = 0
    for layer in library.locales.values():
        for rules in (layer.text, layer.spelling):
            if rules.pattern is None:
                continue
            reference = flat(list(rules.words))
            for text in texts:
                assert matches(rules.pattern, text) == matches(reference, text)
            compared += 1
    assert compared >= 4  # de-AT, de-CH and en-US (spelling and terms)


def test_a_longer_form_wins_and_a_shorter_one_is_taken_where_the_longer_does_not_end_a_word(
        ) -> None:
    rules = locale_layer.make_layer("en-US", {}, {"organis(e|ed|ation)": "organiz"}, {}).text
    assert rules.pattern is not None
    found = matches(rules.pattern, "Organisation, organised, organise, organiseX")
    assert found == [(0, "Organisation"), (14, "organised"), (25, "organise")]

"""Clause texts without jinja tags are rendered without compiling them, exactly as jinja2 would."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from policygen.core import clauses, locale_layer, templating

CONTEXT = {"lang": "en"}


def jinja_renders(lang: str, text: str) -> str:
    return templating.environment(lang).from_string(text).render(CONTEXT)


def test_every_literal_text_of_the_library_in_every_locale_renders_as_jinja2_renders_it() -> None:
    library = clauses.load_library()
    checked = 0
    for clause in library.clauses.values():
        for _, text in clauses.template_fields(clause):
            for layer in library.locales.values():
                lang = layer.tag[:2]
                spelt = locale_layer.localize_template(text, layer)
                template = templating.compile_template(lang, text, layer)
                if not templating.is_literal(spelt):
                    assert not isinstance(template, templating.Literal)
                    continue
                assert isinstance(template, templating.Literal)
                assert templating.render(template, CONTEXT) == jinja_renders(lang, spelt)
                checked += 1
    assert checked > 1000  # most of the library's texts, in five locales


# Text made of the characters jinja2's lexer looks at: braces, %, #, -, +, newlines, blanks.
texts = st.text(alphabet=st.sampled_from("{}%#-+ \n\tab.ä"), max_size=40)


@given(texts)
def test_a_text_is_literal_only_when_jinja2_outputs_it_as_it_stands(text: str) -> None:
    if not templating.is_literal(text):
        return
    template = templating.compile_template("de", text)
    assert isinstance(template, templating.Literal)
    assert templating.render(template, CONTEXT) == jinja_renders("de", text)


def test_a_text_with_a_tag_or_a_carriage_return_is_compiled() -> None:
    for text in ("a {{ lang }}", "{% if true %}x{% endif %}", "a {# note #} b", "a\r\nb"):
        assert not templating.is_literal(text)
        assert not isinstance(templating.compile_template("en", text), templating.Literal)
    assert templating.render(templating.compile_template("en", "a\r\nb"), CONTEXT) == "a\nb"

"""Locale layers, industry examples and the checks that documents fit their country and industry.

The checks (policygen/core/fit.py) run over every document of every example profile, over the
rheinwerk profile moved into every industry and locale, and over schema-valid generated
profiles with the real library.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings

from policygen import vocabulary
from policygen.core import clauses, compose, editions, fit, locale_layer, profile, select, source
from policygen.core.clauses import ClauseLibrary
from policygen.errors import LibraryError
from tests import strategies
from tests.conftest import EXAMPLES, ROOT


@cache
def library() -> ClauseLibrary:
    return clauses.load_library()


def layer(tag: str) -> locale_layer.Layer:
    return library().locales[tag]


@pytest.mark.parametrize(("tag", "text", "expected"), [
    ("en-US", "Organise the programme.", "Organize the program."),
    ("en-US", "ORGANISATION and organisations", "ORGANIZATION and organizations"),
    ("en-US", "We criticise; criticism stays.", "We criticize; criticism stays."),
    ("en-US", "a trade union, works council or other employee representation",
     "a union or another employee organization"),
    ("en-US", "reorganised, co-organiser", "reorganised, co-organiser"),  # whole words only
    ("de-CH", "Die Straße, das Maß", "Die Strasse, das Mass"),
    ("de-CH", "Auszubildende und Praktikanten", "Lernende und Praktikanten"),
    ("de-AT", "Auszubildende ab Januar", "Lehrlinge ab Jänner"),
    ("de-DE", "Auszubildende ab Januar, Straße", "Auszubildende ab Januar, Straße"),
    ("en-GB", "Organise the programme.", "Organise the programme."),
])
def test_layer_words_case_and_boundaries(tag: str, text: str, expected: str) -> None:
    assert locale_layer.apply(text, layer(tag)) == expected


def test_terms_stay_out_of_review_notes_and_sources() -> None:
    text = "§ 626 BGB (summary dismissal for good cause); the works council is heard"
    assert locale_layer.apply(text, layer("en-US"), terms=False) == text
    assert locale_layer.apply("criticised", layer("en-US"), terms=False) == "criticized"


def test_template_tags_and_profile_values_are_left_alone() -> None:
    template = "Die Straße {{ company.name }} {% if x == 'Maß' %}Maße{% endif %}"
    assert locale_layer.localize_template(template, layer("de-CH")) == \
        "Die Strasse {{ company.name }} {% if x == 'Maß' %}Masse{% endif %}"


def test_a_bad_stem_is_a_located_library_error(tmp_path: Path) -> None:
    path = tmp_path / "locales.yaml"
    path.write_text("locales:\n  en-US:\n    spelling:\n      organis(e: organiz\n",
                    encoding="utf-8")
    with pytest.raises(LibraryError) as caught:
        locale_layer.load_layers(path, "lib/locales.yaml")
    assert caught.value.problems[0].render().startswith(
        "lib/locales.yaml:4:7: 'organis(e' is neither a word nor stem(ending|ending)")


def test_an_unknown_locale_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "locales.yaml"
    path.write_text("locales:\n  fr-CH:\n    characters: {x: y}\n", encoding="utf-8")
    with pytest.raises(LibraryError) as caught:
        locale_layer.load_layers(path, "lib/locales.yaml")
    assert "fr-CH" in caught.value.problems[0].render()


def test_every_industry_gives_every_example() -> None:
    for name in vocabulary.INDUSTRIES:
        examples = library().industries[name]
        for lang in vocabulary.LANGUAGES:
            texts = examples.localized(lang)
            assert set(texts) == set(compose.templating.example_fields())
            assert all(texts[field] for field in texts if field != "hazard"), (name, lang)


def _profile(data: dict[str, Any], name: str = "p.yaml") -> profile.Profile:
    return profile.from_source(source.parse(strategies.dump(data), name))


def _documents(prof: profile.Profile, audiences: tuple[str, ...] | None = None) -> list[Any]:
    out = []
    for audience in audiences or prof.audiences:
        assembly = select.select(library(), prof, audience)
        for lang in prof.languages:
            out.extend(editions.documents(library(), assembly, prof, lang))
    return out


def _findings(prof: profile.Profile, audiences: tuple[str, ...] | None = None) -> list[str]:
    return [f"{name}.{document.meta.locale}: {finding}"
            for name, document in _documents(prof, audiences)
            for finding in fit.findings(document, library(), prof)]


@pytest.mark.slow
@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_example_document_fits_its_locale_country_and_industry(path: Path) -> None:
    assert _findings(profile.load_profile(path)) == []


@cache
def _rheinwerk_text() -> str:
    return (ROOT / "policies" / "rheinwerk.yaml").read_text(encoding="utf-8")


def _rheinwerk() -> dict[str, Any]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data: dict[str, Any] = yaml.load(_rheinwerk_text(), Loader=loader)
    return data


@pytest.mark.slow
@pytest.mark.parametrize("industry", vocabulary.INDUSTRIES)
def test_every_industry_in_every_locale_fits(industry: str) -> None:
    """Rheinwerk moved into each industry, once for each country alone."""
    for country in ("DE", "AT", "CH", "GB", "US"):
        data = _rheinwerk()
        data["company"]["industry"] = industry
        data["company"]["jurisdictions"] = [country]
        data["company"]["works_council"] = country in ("DE", "AT")
        if country not in ("DE", "AT"):
            data["contacts"].pop("works_council", None)
        data["company"]["regulators"] = []
        data["document"]["languages"] = ["de", "en"]
        prof = _profile(data)
        assert _findings(prof, ("employees",)) == [], (industry, country)


def test_a_manufacturing_example_in_a_hospital_is_found() -> None:
    data = _rheinwerk()
    data["company"]["industry"] = "healthcare"
    prof = _profile(data)
    assembly = select.select(library(), prof, "employees")
    document = compose.compose(library(), assembly, prof, "en")
    assert fit.findings(document, library(), prof) == []
    hospital = library().industries["healthcare"]
    assert "a nurse" in markdown_text(document)
    # the check itself: a factory word planted in the hospital's text is reported
    planted = compose.compose(library(), assembly, _profile(_rheinwerk()), "en")
    found = fit.findings(planted, library(), prof)
    assert {f.word for f in found if f.kind == "industry"} >= {"running machinery"}
    assert hospital.markers


def test_british_spelling_and_german_terms_are_found_in_a_us_document() -> None:
    data = _rheinwerk()
    data["company"]["jurisdictions"] = ["US"]
    data["company"]["works_council"] = False
    data["contacts"].pop("works_council", None)
    us = _profile(data)
    data["document"]["locales"] = {"en": "en-GB", "de": "de-DE"}
    british = _profile(data)
    assembly = select.select(library(), british, "employees")
    document = compose.compose(library(), assembly, british, "en")
    # rendered as en-GB but read as a US-only company's en-US document
    retagged = type(document)(type(document.meta)(**{**document.meta.__dict__,
                                                    "locale": "en-US"}),
                              document.labels, document.sections)
    words = {f.word.lower() for f in fit.findings(retagged, library(), us)}
    assert {"criticise", "programme", "summary dismissal", "works council"} <= words


def markdown_text(document: Any) -> str:
    from policygen.writers import markdown

    return str(markdown.write(document))


@pytest.mark.slow
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(strategies.profiles(sorted(library().clauses)))
def test_property_generated_profiles_fit_their_locale_and_industry(
        data: strategies.Data) -> None:
    prof = _profile(data)
    assert _findings(prof, ("employees",)) == []

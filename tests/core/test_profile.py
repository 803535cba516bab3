"""Profile validation: every problem at once, each located, with a hint."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from policygen.core import profile, source
from policygen.core.profile import from_source
from policygen.core.source import parse
from policygen.errors import ProfileError
from tests.conftest import EXAMPLES, FIXTURES, ROOT

MINIMAL = (FIXTURES / "profiles" / "minimal.yaml").read_text(encoding="utf-8")


def problems(text: str) -> str:
    with pytest.raises(ProfileError) as info:
        profile.from_source(source.parse(text, "p.yaml"))
    return info.value.render()


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_examples_validate(path: Path) -> None:
    loaded = profile.load_profile(path)
    assert loaded.slug
    assert loaded.languages


def test_defaults_and_normalisation() -> None:
    loaded = profile.from_source(source.parse(MINIMAL, "p.yaml"))
    assert loaded.company["short_name"] == "Minimal GmbH"
    assert loaded.slug == "minimal-gmbh"
    assert loaded.document["status"] == "draft"
    assert loaded.languages == ("en",)
    assert loaded.audiences == ("employees", "account_managers", "legal")
    assert loaded.data["employees"]["private_use_at_work"] == "reasonable"
    assert loaded.data["contacts"]["works_council"] is None
    assert loaded.title("de") == "Social-Media-Leitlinie der Minimal GmbH"
    assert loaded.jurisdictions == {"DE", "EU"}
    assert loaded.facts["eu"] and not loaded.facts["us_listed"]


CASES = [
    ("unknown key", ("  industry: retail\n", "  industry: retail\n  indstry: retail\n"),
     "p.yaml:5:3: unknown key 'indstry'\n    hint: did you mean 'industry'?"),
    ("missing key", ("  employees: 12\n", ""),
     "p.yaml:1:1: missing required key 'employees' in company\n"
     "    hint: add `employees:` here; see schemas/ for what it holds"),
    ("bad enum", ("industry: retail", "industry: retial"),
     "p.yaml:4:13: company.industry: 'retial' is not an allowed value\n"
     "    hint: did you mean 'retail'? allowed: manufacturing, technology, retail, "
     "financial_services, healthcare, public_sector, pharma, media, professional_services, "
     "energy, logistics, other"),
    ("unknown jurisdiction", ("[DE]", "[DE, FR]"),
     "p.yaml:3:23: company.jurisdictions[1]: 'FR' is not an allowed value\n"
     "    hint: allowed: DE, AT, CH, GB, US"),
    ("wrong type", ("employees: 12", "employees: twelve"),
     "p.yaml:5:14: company.employees must be a whole number, not the text 'twelve'\n"
     "    hint: write a whole number without quotes, e.g. 1450"),
    ("quoted date", ("effective_date: 2026-12-01", "effective_date: '1.12.2026'"),
     "p.yaml:9:19: document.effective_date must be a date (YYYY-MM-DD), not the text "
     "'1.12.2026'\n    hint: write the date as YYYY-MM-DD without quotes, e.g. 2026-12-01"),
    ("bad email", ("recht@minimal.example", "recht at minimal"),
     "p.yaml:24:33: contacts.legal.email: 'recht at minimal' does not have the expected "
     "format\n    hint: an e-mail address such as social@example.com"),
    ("bad url", ("https://minimal.example", "minimal.example"),
     "p.yaml:6:12: company.website: 'minimal.example' does not have the expected format\n"
     "    hint: a web address starting with https://"),
    ("bad time", ('start: "09:00"', 'start: "9 Uhr"'),
     "p.yaml:18:26: criticism.service_hours.start: '9 Uhr' does not have the expected "
     "format\n    hint: a time as HH:MM in quotes, e.g. \"08:00\""),
    ("below minimum", ("response_time_hours: 24", "response_time_hours: 0"),
     "p.yaml:19:24: criticism.response_time_hours is 0, below the minimum of 0.25"),
    ("empty list", ("goals: [awareness]", "goals: []"),
     "p.yaml:12:10: strategy.goals needs at least 1 entry"),
    ("boolean as text", ("  employees: 12\n", "  employees: 12\n  works_council: 'yes'\n"),
     "p.yaml:6:18: company.works_council must be true or false, not the text 'yes'\n"
     "    hint: write true or false without quotes"),
    ("multi-line value", ("name: Minimal GmbH", 'name: "Minimal\\nGmbH"'),
     "p.yaml:2:9: company.name must be a single line\n"
     "    hint: remove the line break; use `>-` folding only for long clause texts"),
    ("end before start", ('end: "17:00"', 'end: "08:00"'),
     "p.yaml:18:40: service hours end (08:00) before they start (09:00)\n"
     "    hint: service hours must lie within one day"),
    ("unusable slug", ("name: Minimal GmbH", "name: '../..'"),
     "p.yaml:2:9: the company name gives no usable folder name ('empty')\n"
     "    hint: set company.short_name to a name with letters or digits, "
     "e.g. `short_name: Acme`"),
    ("reserved slug", ("name: Minimal GmbH", "name: 'CON'"),
     "p.yaml:2:9: the company name gives no usable folder name ('con')\n"
     "    hint: set company.short_name to a name with letters or digits, "
     "e.g. `short_name: Acme`"),
]


@pytest.mark.parametrize(("change", "expected"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_bad_profile_messages(change: tuple[str, str], expected: str) -> None:
    old, new = change
    assert old in MINIMAL
    assert problems(MINIMAL.replace(old, new, 1)) == expected


def test_all_problems_are_reported_at_once() -> None:
    text = MINIMAL.replace("retail", "retial").replace("employees: 12", "employees: -1")
    text = text.replace("recht@minimal.example", "recht")
    rendered = problems(text)
    assert rendered.count("\n    hint:") == 2
    assert [line.split(": ")[0] for line in rendered.splitlines() if line.startswith("p.yaml")] \
        == ["p.yaml:4:13", "p.yaml:5:14", "p.yaml:24:33"]


def test_non_mapping_document() -> None:
    assert problems("- a\n- b\n") == (
        "p.yaml:1:1: expected a mapping of keys to values at the top level\n"
        "    hint: the file should start with a key such as `company:`")


def test_every_text_field_of_the_profile_schema_has_a_maximum_length() -> None:
    """Class 3 of docs/security.md: no text field is unbounded (or an enumeration)."""
    from policygen.core.schema import load_schema

    unbounded = []

    def walk(rules: object, where: str) -> None:
        if not isinstance(rules, dict):
            return
        kind = rules.get("type")
        kinds = kind if isinstance(kind, list) else [kind]
        if {"string", "localized"} & set(kinds) and "maxlength" not in rules \
                and "allowed" not in rules:
            unbounded.append(where)
        sub = rules.get("schema")
        if isinstance(sub, dict) and kind == "dict":
            for key, child in sub.items():
                walk(child, f"{where}.{key}")
        elif sub is not None:
            walk(sub, f"{where}[]")
        for key in ("valuesrules", "keysrules"):
            walk(rules.get(key), f"{where}.{key}")

    for key, rules in load_schema("profile").items():
        walk(rules, key)
    assert unbounded == []


# ---- cross-field rules on a profile still being written ----------------------------------------

def _example_path(pattern: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """A concrete path for a rule's pattern: index 0 of a list, a key allowed in a mapping."""
    from policygen.core import schema

    rules = schema.load_schema("profile")
    path: tuple[str | int, ...] = ()
    for part in pattern:
        parent = schema.rules_at(rules, path) or {}
        if part == "*":
            keys = (parent.get("keysrules") or {}).get("allowed") or ["de"]
            part = 0 if parent.get("type") == "list" else keys[0]
        path = (*path, part)
    return path


def test_every_rule_names_fields_of_the_schema() -> None:
    from policygen.core import schema

    for rule in profile.RULES:
        for pattern in rule.fields:
            path = _example_path(pattern)
            assert schema.rules_at(schema.load_schema("profile"), path) is not None, rule.name


def test_a_rule_waits_for_its_fields_and_for_values_the_schema_takes() -> None:
    from policygen.core.profile import partial_findings

    assert partial_findings({"criticism": {"service_hours": {"start": "18:00"}}}) == []
    found = partial_findings({"criticism": {"service_hours": {"start": "18:00", "end": "09:00"}}})
    assert [(f.path, f.message(), f.message("de")) for f in found] == [
        (("criticism", "service_hours", "end"),
         "service hours end (09:00) before they start (18:00)",
         "die Servicezeit endet (09:00) bevor sie beginnt (18:00)")]
    # "9" is no time the schema takes: the schema's message is shown, the rule waits
    assert partial_findings({"criticism": {"service_hours": {"start": "18:00", "end": "9"}}}) == []
    assert [f.name for f in partial_findings({"company": {"name": "!!!"}})] == ["folder_name"]
    assert partial_findings({"company": {"name": "!!!", "short_name": "Acme"}}) == []
    channels = {"strategy": {"channels": [{"platform": "x"}, {"platform": "other"}]}}
    assert [f.path for f in partial_findings(channels)] == [
        ("strategy", "channels", 1, "platform")]


def test_rules_give_validates_messages_on_a_whole_profile() -> None:
    from policygen.core.profile import RULES, partial_findings

    data = yaml.safe_load((ROOT / "policies" / "rheinwerk.yaml").read_text(encoding="utf-8"))
    data["criticism"]["service_hours"]["end"] = "07:00"
    data["strategy"]["kpis"] = {"market_research": ["Umfragen"]}
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    with pytest.raises(ProfileError) as caught:
        from_source(parse(text, "p.yaml"))
    messages = [p.message for p in caught.value.problems]
    assert messages == [f.message() for f in partial_findings(data)]
    assert len(messages) == 2 and {r.name for r in RULES} >= {"service_hours", "kpi_goals"}


def test_a_cached_profile_locates_every_value_as_the_parsed_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from policygen.core import cache

    monkeypatch.setenv("POLICYGEN_CACHE_DIR", str(tmp_path / "cache"))
    cache.folder.cache_clear()
    try:
        parsed = profile.load_profile(EXAMPLES[0], "p.yaml")  # validated, then stored
        cached = profile.load_profile(EXAMPLES[0], "p.yaml")  # from the cache
    finally:
        cache.folder.cache_clear()
    assert isinstance(cached.source.positions, source.StoredPositions)
    assert dict(cached.source.positions) == dict(parsed.source.positions)
    assert dict(cached.source.key_positions) == dict(parsed.source.key_positions)
    for path in parsed.source.positions:
        for key in (False, True):
            assert cached.source.locate(path, key=key) == parsed.source.locate(path, key=key)


def test_stored_positions_of_another_shape_are_left_out() -> None:
    rows = [[["company", "name"], 3, 9], "junk", [[1.5], 1, 1], [["a"], "1", 2], [["b", 0], 4, 5]]
    assert dict(source.StoredPositions(rows)) == {("company", "name"): (3, 9), ("b", 0): (4, 5)}
    assert dict(source.StoredPositions({"not": "rows"})) == {}

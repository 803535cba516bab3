"""Selection: which clauses apply, in which order, and the reason for each decision."""

from __future__ import annotations

import pytest

from policygen.core import clauses, profile, select, source
from policygen.errors import ProfileError
from tests.conftest import FIXTURE_LIBRARY, FIXTURES

MINIMAL = (FIXTURES / "profiles" / "minimal.yaml").read_text(encoding="utf-8")


def load(text: str = MINIMAL) -> profile.Profile:
    return profile.from_source(source.parse(text, "p.yaml"))


@pytest.fixture(scope="module")
def library() -> clauses.ClauseLibrary:
    return clauses.load_library(FIXTURE_LIBRARY)


def decisions(library: clauses.ClauseLibrary, prof: profile.Profile,
              audience: str) -> dict[str, tuple[bool, str]]:
    assembly = select.select(library, prof, audience)
    return {d.clause_id: (d.included, d.reason) for d in assembly.decisions}


def test_reasons_for_every_clause(library: clauses.ClauseLibrary) -> None:
    assert decisions(library, load(), "legal") == {
        "employees.basics": (True, "applies to every company"),
        "employees.disclosure": (True, "applies to every company"),
        "legal.us_rights": (False, "only for US; the company operates in DE"),
        "legal.de_works_council": (False, "condition is false: company.works_council"),
        "criticism.escalation": (True, "applies to every company"),
    }


def test_requires_pulls_in_and_audience_filters(library: clauses.ClauseLibrary) -> None:
    employees = select.select(library, load(), "employees")
    assert [c.id for c in employees.clauses] == ["employees.basics", "employees.disclosure"]
    assert employees.reason("criticism.escalation") == \
        "not for the employees edition (only account_managers, legal)"


def test_condition_and_excludes(library: clauses.ClauseLibrary) -> None:
    text = MINIMAL.replace("[DE]", "[DE, US]").replace("  employees: 12\n",
                                                       "  employees: 12\n  works_council: true\n")
    result = decisions(library, load(text), "legal")
    assert result["legal.de_works_council"] == (
        True, "jurisdiction DE; condition holds: company.works_council")
    assert result["legal.us_rights"] == (False, "excluded by legal.de_works_council")


def test_overrides(library: clauses.ClauseLibrary) -> None:
    text = MINIMAL + "overrides:\n  include: [legal.us_rights]\n  exclude: [employees.disclosure]\n"
    result = decisions(library, load(text), "employees")
    assert result["legal.us_rights"] == (True, "included by overrides.include")
    assert result["employees.disclosure"] == (False, "excluded by overrides.exclude")


def test_unknown_override_is_located(library: clauses.ClauseLibrary) -> None:
    text = MINIMAL + "overrides:\n  exclude: [employees.disclsure]\n"
    with pytest.raises(ProfileError) as info:
        select.check_overrides(library, load(text))
    assert info.value.render() == (
        "p.yaml:27:13: overrides.exclude names unknown clause 'employees.disclsure'\n"
        "    hint: did you mean 'employees.disclosure'?")


def test_order_follows_sections_then_order(library: clauses.ClauseLibrary) -> None:
    ids = [c.id for c in library.ordered()]
    assert ids.index("employees.basics") < ids.index("legal.us_rights") < \
        ids.index("criticism.escalation")


def test_required_clause_is_pulled_in(tmp_path: object) -> None:
    import shutil
    from pathlib import Path

    root = Path(str(tmp_path)) / "lib"
    shutil.copytree(FIXTURE_LIBRARY, root)
    basics = root / "employees" / "employees.basics.yaml"
    basics.write_text(basics.read_text(encoding="utf-8").replace(
        "topics: [personal_responsibility]",
        "topics: [personal_responsibility]\nwhen: company.b2b"),
        encoding="utf-8")
    library = clauses.load_library(root)
    assert decisions(library, load(), "legal")["employees.basics"] == \
        (True, "required by criticism.escalation")
    assert decisions(library, load(), "employees")["employees.basics"] == \
        (False, "condition is false: company.b2b")

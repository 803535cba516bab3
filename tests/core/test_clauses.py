"""The clause library: loading, and every check it makes, with located messages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from policygen.builds import render
from policygen.core import clauses, source
from policygen.errors import LibraryError, PolicygenError
from tests.conftest import FIXTURE_LIBRARY, FIXTURES, write


@pytest.fixture
def library_dir(tmp_path: Path) -> Path:
    target = tmp_path / "lib"
    shutil.copytree(FIXTURE_LIBRARY, target)
    return target


def load_errors(root: Path) -> str:
    with pytest.raises(LibraryError) as info:
        clauses.load_library(root, "lib")
    return info.value.render()


def edit(root: Path, relpath: str, old: str, new: str) -> None:
    path = root / relpath
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


BASICS = "employees/employees.basics.yaml"
DISCLOSURE = "employees/employees.disclosure.yaml"
ESCALATION = "criticism/criticism.escalation.yaml"


def test_fixture_library_loads() -> None:
    library = clauses.load_library(FIXTURE_LIBRARY)
    assert [c.id for c in library.ordered()] == [
        "employees.basics", "employees.disclosure", "legal.us_rights", "legal.de_works_council",
        "criticism.escalation"]


CASES = [
    ("id does not match file", DISCLOSURE, "id: employees.disclosure", "id: employees.disclose",
     "lib/employees/employees.disclosure.yaml:1:5: clause id 'employees.disclose' does not match "
     "the file name 'employees.disclosure.yaml'\n    hint: rename the file to "
     "employees.disclose.yaml or fix the id"),
    ("unknown requires", ESCALATION, "requires: [employees.basics]",
     "requires: [employees.basic]",
     "lib/criticism/criticism.escalation.yaml:7:12: requires names unknown clause "
     "'employees.basic'\n    hint: did you mean 'employees.basics'?"),
    ("missing translation", BASICS, "  en: |\n    {{ company.short_name }} encourages",
     "  fr: |\n    {{ company.short_name }} encourages",
     "lib/employees/employees.basics.yaml:8:1: missing required key 'en' in text\n"
     "    hint: add `en:` here; see schemas/ for what it holds\n"
     "lib/employees/employees.basics.yaml:14:3: a key of text: 'fr' is not an allowed value\n"
     "    hint: allowed: de, en, de-DE, de-AT, de-CH, en-GB, en-US"),
    ("undeclared variable", BASICS, "{{ company.short_name }} ermutigt",
     "{{ company.nmae }} ermutigt",
     "lib/employees/employees.basics.yaml:10:16: 'company.nmae' is not declared in "
     "schemas/profile.yaml\n    hint: template variables are the profile fields of "
     "schemas/profile.yaml, plus facts, vars, examples, lang, locale and audience "
     "(docs/clause-format.md)"),
    ("unknown variable", BASICS, "2. The internet forgets nothing.",
     "2. The internet forgets {{ secrets.key }}.",
     "lib/employees/employees.basics.yaml:18:32: unknown variable 'secrets'\n"
     "    hint: template variables are the profile fields of schemas/profile.yaml, plus facts, "
     "vars, examples, lang, locale and audience (docs/clause-format.md)"),
    ("template syntax", BASICS, "2. Das Netz vergisst nichts.",
     "2. Das Netz vergisst {% if %}nichts.",
     "lib/employees/employees.basics.yaml:13:5: template syntax error: Expected an expression, "
     "got 'end of statement block'\n    hint: check the {{ }} and {% %} tags on this line"),
    ("condition syntax", "legal/legal.de_works_council.yaml", "when: company.works_council",
     "when: company.works_council and",
     "lib/legal/legal.de_works_council.yaml:7:7: condition does not compile: unexpected "
     "'end of print statement'\n    hint: write a jinja2 expression, e.g. "
     "\"'US' in company.jurisdictions\""),
    ("unknown topic", BASICS, "topics: [personal_responsibility]", "topics: [selfies]",
     "lib/employees/employees.basics.yaml:6:10: unknown topic 'selfies'\n"
     "    hint: topic ids are listed in schemas/topics.yaml"),
    ("wrong section", BASICS, "section: employees", "section: legal",
     "lib/employees/employees.basics.yaml:3:10: clause 'employees.basics' must live in section "
     "and folder 'employees'\n    hint: the first part of the id names the section and the "
     "folder"),
    ("bad audience", BASICS, "audiences: [employees, account_managers, legal]",
     "audiences: [employees, managers]",
     "lib/employees/employees.basics.yaml:5:24: audiences[1]: 'managers' is not an allowed "
     "value\n    hint: did you mean 'account_managers'? allowed: employees, account_managers, "
     "legal"),
]


@pytest.mark.parametrize(("relpath", "old", "new", "expected"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_library_errors(library_dir: Path, relpath: str, old: str, new: str,
                        expected: str) -> None:
    edit(library_dir, relpath, old, new)
    assert load_errors(library_dir) == expected


def test_requires_cycle(library_dir: Path) -> None:
    edit(library_dir, BASICS, "topics: [personal_responsibility]",
         "topics: [personal_responsibility]\nrequires: [criticism.escalation]")
    assert load_errors(library_dir) == (
        "lib/employees/employees.basics.yaml:7:11: requires forms a cycle: "
        "criticism.escalation -> employees.basics -> criticism.escalation\n"
        "    hint: a clause cannot (indirectly) require itself")


def test_several_files_report_together(library_dir: Path) -> None:
    edit(library_dir, BASICS, "version: 2", "version: zwei")
    edit(library_dir, ESCALATION, "order: 50", "order: -5")
    text = load_errors(library_dir)
    assert "lib/criticism/criticism.escalation.yaml:4:8: order is -5, below the minimum of 0" \
        in text
    assert "lib/employees/employees.basics.yaml:2:10: version must be a whole number" in text


def test_unsupported_markdown_is_located_at_render(library_dir: Path) -> None:
    edit(library_dir, BASICS, "    2. The internet forgets nothing.",
         "    2. The internet forgets nothing.\n\n    # Heading")
    library = clauses.load_library(library_dir, "lib")
    profiles = render.load_profiles([FIXTURES / "profiles" / "minimal.yaml"])
    with pytest.raises(PolicygenError) as info:
        render.render_all(library, profiles, render.Selection())
    assert info.value.render() == (
        "lib/employees/employees.basics.yaml:20:5: clause text uses unsupported Markdown: "
        "headings (the clause title is the heading)\n"
        "    hint: use paragraphs, lists, emphasis, links and tables")


def test_render_failure_names_clause_and_profile(library_dir: Path) -> None:
    edit(library_dir, BASICS, "2. The internet forgets nothing.",
         "2. The internet forgets nothing: {{ contacts.works_council.email }}.")
    library = clauses.load_library(library_dir, "lib")
    minimal = FIXTURES / "profiles" / "minimal.yaml"
    profiles = render.load_profiles([minimal])
    with pytest.raises(PolicygenError) as info:
        render.render_all(library, profiles, render.Selection())
    text = info.value.render()
    assert text.startswith("lib/employees/employees.basics.yaml:18:5: clause employees.basics "
                           "(text.en) failed for ")
    assert "'None' has no attribute 'email'" in text
    assert text.endswith("hint: guard optional profile fields with {% if ... %}")


def test_empty_library(tmp_path: Path) -> None:
    write(tmp_path / "sections.yaml", "- id: a\n  title: {de: A, en: A}\n")
    assert load_errors(tmp_path) == (
        "lib: the clause library holds no clauses\n"
        "    hint: clauses live in <library>/<section>/<id>.yaml")


def test_tag_at_end_of_text_line_is_refused(library_dir: Path) -> None:
    edit(library_dir, BASICS, "    1. You are responsible for what you post.",
         "    1. You are responsible{% if company.b2b %} as a B2B employee{% endif %}\n"
         "    1b. placeholder")
    assert load_errors(library_dir) == (
        "lib/employees/employees.basics.yaml:17:65: a {% tag %} at the end of a text line "
        "swallows the line break, which joins this line with the next\n"
        "    hint: put the tag on a line of its own, or end it with +%} to keep the break")


def _fresh_cache(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    from policygen.core import cache

    monkeypatch.setenv("POLICYGEN_CACHE_DIR", str(folder))
    cache.folder.cache_clear()


def test_a_library_checked_by_two_processes_is_the_library_checked_by_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a cold machine a build shares the clause files among its workers: same result."""
    import multiprocessing

    from policygen.resources import LIBRARY_DIR

    root = tmp_path / "lib"
    shutil.copytree(LIBRARY_DIR, root)
    forked: list[str] = []
    real = multiprocessing.get_context
    monkeypatch.setattr(multiprocessing, "get_context",
                        lambda method=None: forked.append(str(method)) or real(method))
    from policygen.core import templating

    monkeypatch.setattr(templating, "_CODE", {})  # as a new process starts
    monkeypatch.setattr(templating, "_NEW", {})
    try:
        made = {}
        for workers in (1, 2):
            _fresh_cache(monkeypatch, tmp_path / f"cache-{workers}")
            made[workers] = clauses.load_library(root, "lib", workers=workers)
        assert forked == ["fork"]  # the second load, and only it, shared the files
        # ... and brought back the code of every template in its language, as compiled here
        import marshal

        compiled = 0
        for clause in made[2].clauses.values():
            for doc_path, text in clauses.template_fields(clause):
                lang = str(doc_path[-1])
                if lang in ("de", "en") and not templating.is_literal(text):
                    assert marshal.dumps(templating._CODE[(lang, text)]) == marshal.dumps(
                        templating.environment(lang).compile(text))
                    compiled += 1
        assert compiled > 300
        one, two = made[1], made[2]
        assert list(one.clauses) == list(two.clauses)
        for clause_id, clause in one.clauses.items():
            other = two.clauses[clause_id]
            assert (clause, clause.reads, clause.views, clause.doc.positions) == (
                other, other.reads, other.views, other.doc.positions)
        # problems: the same, in the same order, from files spread over both processes
        edit(root, "employees/employees.accuracy.yaml", "version: ", "version: x")
        edit(root, "legal/legal.de_image_consent.yaml", "{{ company.short_name or company.name }}",
             "{{ company.short_name or")
        errors = {}
        for workers in (1, 2):
            _fresh_cache(monkeypatch, tmp_path / f"broken-{workers}")
            with pytest.raises(LibraryError) as info:
                clauses.load_library(root, "lib", workers=workers)
            errors[workers] = info.value.render()
        assert errors[1] == errors[2] and forked == ["fork", "fork"]
        assert "employees.accuracy.yaml" in errors[1] and "legal.de_image_consent" in errors[1]
    finally:
        from policygen.core import cache

        cache.folder.cache_clear()


def test_a_clause_from_its_cache_entry_locates_as_the_checked_one(
        library_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Positions come back from the per-clause entry as JSON text, decoded when first used."""
    _fresh_cache(monkeypatch, tmp_path / "cache")
    try:
        checked = clauses.load_library(library_dir, "lib")
        other = sorted(library_dir.glob("*/*.yaml"))[-1]
        other.write_text(other.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        again = clauses.load_library(library_dir, "lib")  # a new library: clauses from entries
        for clause_id, clause in checked.clauses.items():
            cached = again.clauses[clause_id]
            if clause.path == f"lib/{other.parent.name}/{other.name}":
                continue
            assert isinstance(cached.doc.positions, source.StoredPositions)
            assert dict(cached.doc.positions) == dict(clause.doc.positions)
            assert dict(cached.doc.key_positions) == dict(clause.doc.key_positions)
            assert cached.locate(("text", "de")) == clause.locate(("text", "de"))
    finally:
        from policygen.core import cache

        cache.folder.cache_clear()

"""A clause edit written into the previous files (builds/splice.py), exactly as a render would."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policygen.builds import splice
from policygen.core import cache, fragments
from tests.builds import two_companies
from tests.conftest import LIB_ONLY

BASICS = Path("employees") / "employees.basics.yaml"


@pytest.fixture
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Path]]:
    folder = tmp_path / "cache"
    monkeypatch.setenv("POLICYGEN_CACHE_DIR", str(folder))
    cache.folder.cache_clear()
    fragments._MEMORY.clear()
    s = two_companies(tmp_path)
    for profile, formats in ((s["first"], ""), (s["second"], "\n  formats: [md, docx, html]")):
        # both languages; the second company is in the US too (PL001) and gets HTML as well
        profile.write_text(profile.read_text(encoding="utf-8").replace(
            "  owner: Geschäftsführung",
            f"  owner: Geschäftsführung\n  languages: [de, en]{formats}"), encoding="utf-8")
    yield {**s, "cache": folder, "tmp": tmp_path}
    cache.folder.cache_clear()
    fragments._MEMORY.clear()


def build(cli, s: dict[str, Path], out: Path | None = None) -> dict:
    result = cli("build", str(s["first"]), str(s["second"]), "--out", str(out or s["out"]),
                 *LIB_ONLY, str(s["lib"]), "--format", "json", "--jobs", "1")
    assert result.code == 0, result.err
    return json.loads(result.out)


def contents(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*.*"))
            if p.suffix in (".md", ".docx", ".html")}


@contextmanager
def uncached(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No per-user cache at all: everything rendered from the library."""
    with monkeypatch.context() as patch:
        patch.setenv("POLICYGEN_CACHE_DIR", "off")
        cache.folder.cache_clear()
        fragments._MEMORY.clear()
        try:
            yield
        finally:
            cache.folder.cache_clear()
            fragments._MEMORY.clear()


def rendered_from_scratch(cli, s: dict[str, Path], monkeypatch: pytest.MonkeyPatch,
                          name: str) -> tuple[dict[str, bytes], dict]:
    shutil.rmtree(s["tmp"] / name, ignore_errors=True)  # a build of every file
    with uncached(monkeypatch):
        report = build(cli, s, s["tmp"] / name)
    return contents(s["tmp"] / name), report


@contextmanager
def counting_renders(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The profiles the build renders the ordinary way (not spliced)."""
    from policygen.builds import render

    calls: list[str] = []
    original = render.render_profile_full

    def counted(library, profile, *args, **kwargs):  # noqa: ANN001, ANN202 - a spy
        calls.append(profile.path)
        return original(library, profile, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(render, "render_profile_full", counted)
        yield calls


def edit(s: dict[str, Path], old: str, new: str, lang: str = "de") -> None:
    clause = s["lib"] / BASICS
    text = clause.read_text(encoding="utf-8")
    marker = f"  {lang}: |\n"
    head, _, rest = text.partition(marker)
    assert old in rest, old
    clause.write_text(head + marker + rest.replace(old, new, 1), encoding="utf-8")


def told(report: dict) -> dict:
    """What a build tells besides its files: warnings and readability."""
    return {key: report["results"][key] for key in ("warnings", "readability")}


def test_a_text_edit_is_spliced_into_the_files_a_render_gives(
        cli, setup, monkeypatch: pytest.MonkeyPatch) -> None:
    build(cli, setup)
    edit(setup, "Das Netz vergisst nichts.", "Das Netz vergisst nichts, auch nicht nach Jahren.")
    with counting_renders(monkeypatch) as renders:
        report = build(cli, setup)
    assert renders == []  # both companies spliced
    assert sorted(report["results"]["written"]) == sorted(
        f"{slug}/{audience}.de.{fmt}" for slug, formats in (("first-gmbh", ("docx", "md")),
                                                           ("second-gmbh", ("docx", "md", "html")))
        for audience in ("employees", "account_managers", "legal") for fmt in formats)
    files, fresh = rendered_from_scratch(cli, setup, monkeypatch, "fresh")
    assert contents(setup["out"]) == files
    # the warnings of the documents it made, the readability of the German employee guidelines
    assert told(report)["readability"] == [line for line in told(fresh)["readability"]
                                           if "employees.de:" in line]
    assert told(report)["warnings"] == told(fresh)["warnings"]
    # the spliced files are spliced again
    edit(setup, "auch nicht nach Jahren", "auch nicht nach vielen Jahren")
    with counting_renders(monkeypatch) as renders:
        build(cli, setup)
    assert renders == []
    assert contents(setup["out"]) == rendered_from_scratch(cli, setup, monkeypatch, "again")[0]


def test_the_spliced_docx_is_a_valid_package(cli, setup) -> None:
    build(cli, setup)
    edit(setup, "Sie sind für Ihre Beiträge verantwortlich.",
         "Sie sind für Ihre Beiträge & Kommentare verantwortlich.")
    build(cli, setup)
    data = (setup["out"] / "second-gmbh" / "legal.de.docx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert package.testzip() is None  # every CRC-32 as recorded
        xml = package.read("word/document.xml").decode()
    assert "Beiträge &amp; Kommentare verantwortlich" in xml


EDITS = {
    # (old, new, whether the files can take it by splicing); each at a place of its own
    "sentence": ("ermutigt Sie,", "ermutigt Sie ausdrücklich,", True),
    "item": ("verantwortlich.\n", "verantwortlich.\n    1. Fragen Sie im Zweifel nach.\n", True),
    "table": ("sprechen.\n", "sprechen.\n\n    | Kanal | Wer |\n    |---|---|\n"
              "    | Blog | {{ company.name }} |\n", True),
    "dated": ("Ihre Arbeit", "Ihre Arbeit seit dem 1. Januar 2030", True),
    "link": ("online", "online ([Leitfaden](https://leitfaden.example))", False),
    "second list": ("vergisst nichts.\n", "vergisst nichts.\n\n    Außerdem:\n\n"
                    "    1. Bleiben Sie freundlich.\n", False),
}


# The fixtures are shared by the examples on purpose: each starts from the clause as it was,
# from whatever the files were after the last (the first build splices back).
@settings(max_examples=8, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(sorted(EDITS)), min_size=1, max_size=3, unique=True))
def test_property_any_edit_gives_the_files_a_render_gives(cli, setup, monkeypatch, kinds) -> None:
    from policygen.builds import render

    clause = setup["lib"] / BASICS
    original = clause.read_text(encoding="utf-8")
    try:
        build(cli, setup)
        for kind in kinds:
            old, new, spliced = EDITS[kind]
            edit(setup, old, new)
            with counting_renders(monkeypatch) as renders:
                report = build(cli, setup)
            assert render.render_profile_full is not None
            if spliced:
                assert renders == [], kind
            files, fresh = rendered_from_scratch(cli, setup, monkeypatch, "fresh")
            assert contents(setup["out"]) == files, kinds
            assert told(report)["warnings"] == told(fresh)["warnings"], kinds
    finally:
        clause.write_text(original, encoding="utf-8")


def test_a_title_edit_is_rendered_the_ordinary_way(cli, setup, monkeypatch) -> None:
    build(cli, setup)
    clause = setup["lib"] / BASICS
    clause.write_text(clause.read_text(encoding="utf-8").replace(
        'de: "Grundregeln"', 'de: "Die Grundregeln"'), encoding="utf-8")
    with counting_renders(monkeypatch) as renders:
        build(cli, setup)
    assert sorted(renders) == sorted([str(setup["first"]), str(setup["second"])])
    assert contents(setup["out"]) == rendered_from_scratch(cli, setup, monkeypatch, "fresh")[0]


def rewrite_entries(s: dict[str, Path], change) -> None:  # noqa: ANN001
    """Change every splice entry's value in place and seal it again (`change(value)`)."""
    import marshal

    for entry in (s["cache"] / splice.KIND).iterdir():
        payload = cache.unseal(entry.read_bytes())
        assert payload is not None
        value = marshal.loads(payload)
        change(value)
        entry.write_bytes(cache.seal(marshal.dumps(value)))


def assert_rendered_the_ordinary_way_after_an_edit(cli, s, monkeypatch) -> None:  # noqa: ANN001
    edit(s, "Das Netz vergisst nichts.", "Das Netz vergisst wenig.")
    with counting_renders(monkeypatch) as renders:
        build(cli, s)
    assert len(renders) == 2
    assert contents(s["out"]) == rendered_from_scratch(cli, s, monkeypatch, "fresh")[0]


@pytest.mark.parametrize("damage", ["cut", "flipped", "foreign"])
def test_a_damaged_entry_is_not_used(cli, setup, monkeypatch, damage: str) -> None:
    build(cli, setup)
    folder = setup["cache"] / splice.KIND
    for entry in folder.iterdir():
        data = entry.read_bytes()
        if damage == "cut":
            entry.write_bytes(data[: len(data) // 2])
        elif damage == "flipped":
            entry.write_bytes(data[:-10] + bytes([data[-10] ^ 1]) + data[-9:])
        else:  # sealed, but not what a build writes
            entry.write_bytes(cache.seal(b"\xe9" + data[21:]))
    assert_rendered_the_ordinary_way_after_an_edit(cli, setup, monkeypatch)


def test_an_entry_that_lies_about_a_clause_is_not_used(cli, setup, monkeypatch) -> None:
    """Sealed and well formed, but what it says of the clauses' headings is not so."""
    build(cli, setup)

    def unknown_signatures(value: dict) -> None:
        for clause in value["document"]["clauses"]:
            clause[1] = bytes(16)  # a signature no clause has

    rewrite_entries(setup, unknown_signatures)
    assert_rendered_the_ordinary_way_after_an_edit(cli, setup, monkeypatch)


def test_a_file_edited_by_hand_is_rendered_again(cli, setup, monkeypatch) -> None:
    build(cli, setup)
    target = setup["out"] / "first-gmbh" / "legal.de.md"
    target.write_text(target.read_text(encoding="utf-8") + "\nNachtrag\n", encoding="utf-8")
    edit(setup, "Das Netz vergisst nichts.", "Das Netz vergisst wenig.")
    with counting_renders(monkeypatch) as renders:
        build(cli, setup)
    assert str(setup["first"]) in renders and str(setup["second"]) not in renders
    assert contents(setup["out"]) == rendered_from_scratch(cli, setup, monkeypatch, "fresh")[0]


def test_edits_of_two_clauses_in_both_languages_are_spliced_together(
        cli, setup, monkeypatch) -> None:
    build(cli, setup)
    edit(setup, "Das Netz vergisst nichts.", "Das Netz vergisst selten etwas.")
    edit(setup, "The internet forgets nothing.", "The internet rarely forgets.", lang="en")
    clause = setup["lib"] / "employees" / "employees.disclosure.yaml"
    clause.write_text(clause.read_text(encoding="utf-8").replace(
        "Ein Hinweis nur im Profil genügt nicht", "Ein Hinweis im Profil allein genügt nicht"),
        encoding="utf-8")
    with counting_renders(monkeypatch) as renders:
        report = build(cli, setup)
    assert renders == []
    assert {name.rpartition("/")[2].split(".")[1] for name in report["results"]["written"]} \
        == {"de", "en"}
    assert contents(setup["out"]) == rendered_from_scratch(cli, setup, monkeypatch, "fresh")[0]


def test_a_signature_depends_on_the_values_alone() -> None:
    """Not on which strings are the same object (marshal's bytes would)."""
    from policygen.document import Clause as DocClause

    same = "Grundregeln"
    built = "".join(["Grund", "regeln"])
    one = DocClause("x.y", 1, same, (), same, "", ())
    two = DocClause("x.y", 1, built, (), "".join(["Grund", "regeln"]), "", ())
    assert splice.signature(one) == splice.signature(two)
    assert splice.signature(one) != splice.signature(DocClause("x.y", 2, same, (), same, "", ()))


def _shifted(ints: bytes) -> bytes:
    from array import array

    values = array("q")
    values.frombytes(ints)
    return array("q", [v + 7 for v in values]).tobytes()


@pytest.mark.parametrize("lie", ["rows", "links", "crc", "segments"])
def test_an_entry_whose_regions_lie_is_not_used(cli, setup, monkeypatch, lie: str) -> None:
    """Sealed, of the right shape, but not of these files: refused, nothing breaks.

    (An entry that is consistent in every way but points at other bytes of the same file is
    what no check can tell: the cache is as trustworthy as whoever can write it.)
    """
    build(cli, setup)

    def lying(value: dict) -> None:
        for record in value["files"].values():
            if lie == "rows":  # other clause numbers, offsets, lists
                record["ints"] = _shifted(record["ints"])
            elif lie == "links":
                record["links"] = tuple(() for _ in record["links"])
                record["urls"] = tuple(("https://x.example",) for _ in record["urls"])
            elif lie == "crc" and record["format"] == "docx":
                record["segments"] = record["segments"][:-8] + b"\xff" * 7 + b"\x7f"
            elif lie == "segments" and record["format"] == "docx":
                record["segments"] = record["segments"][24:]

    rewrite_entries(setup, lying)
    assert_rendered_the_ordinary_way_after_an_edit(cli, setup, monkeypatch)


def test_few_profiles_are_spliced_without_starting_workers(cli, setup, monkeypatch) -> None:
    import multiprocessing

    def build2() -> None:
        result = cli("build", str(setup["first"]), str(setup["second"]), "--out",
                     str(setup["out"]), *LIB_ONLY, str(setup["lib"]), "--quiet", "--jobs", "2")
        assert result.code == 0, result.err

    build(cli, setup)
    edit(setup, "Das Netz vergisst nichts.", "Das Netz vergisst wenig.")
    with monkeypatch.context() as patch:
        def refuse(*_: object) -> None:
            raise AssertionError("workers were started")

        patch.setattr(multiprocessing, "get_context", refuse)
        build2()
    assert contents(setup["out"]) == rendered_from_scratch(cli, setup, monkeypatch, "fresh")[0]
    # what cannot be spliced (a changed heading) is rendered by the workers, once
    clause = setup["lib"] / BASICS
    clause.write_text(clause.read_text(encoding="utf-8").replace(
        'de: "Grundregeln"', 'de: "Die Grundregeln"'), encoding="utf-8")
    build2()
    assert contents(setup["out"]) == rendered_from_scratch(cli, setup, monkeypatch, "again")[0]

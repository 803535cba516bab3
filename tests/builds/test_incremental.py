"""Incremental builds, the manifest, the drift gate and the folder lock."""

from __future__ import annotations

import fcntl
import json
from pathlib import Path

import pytest

from tests.builds import two_companies
from tests.conftest import FIXTURES, LIB_ONLY, write

MINIMAL = FIXTURES / "profiles" / "minimal.yaml"


@pytest.fixture
def setup(tmp_path: Path) -> dict[str, Path]:
    return two_companies(tmp_path)


def build(cli, s: dict[str, Path], *extra: str):
    result = cli("build", str(s["first"]), str(s["second"]), "--out", str(s["out"]),
                 *LIB_ONLY, str(s["lib"]), "--format", "json", "--jobs", "1", *extra)
    assert result.code == 0, result.err
    return json.loads(result.out)["results"]


def mtimes(out: Path) -> dict[str, int]:
    return {str(p.relative_to(out)): p.stat().st_mtime_ns for p in out.rglob("*.*")
            if p.name != "manifest.json" and not p.name.startswith(".")}


def test_second_build_rewrites_nothing(cli, setup) -> None:
    first = build(cli, setup)
    assert len(first["written"]) == 32  # 2 profiles x 8 documents x 2 formats
    before = mtimes(setup["out"])
    again = build(cli, setup)
    assert again["written"] == [] and again["built"] == {}
    assert mtimes(setup["out"]) == before


def test_editing_a_clause_rebuilds_only_its_users(cli, setup) -> None:
    build(cli, setup)
    before = mtimes(setup["out"])
    clause = setup["lib"] / "legal" / "legal.us_rights.yaml"
    clause.write_text(clause.read_text(encoding="utf-8").replace(
        "You may discuss pay", "You may always discuss pay"), encoding="utf-8")
    report = build(cli, setup)
    assert report["built"] == {str(setup["second"]): "clause legal.us_rights changed"}
    after = mtimes(setup["out"])
    changed = sorted(name for name in after if after[name] != before[name])
    assert changed == sorted(report["written"])
    assert all(name.startswith("second-gmbh/") for name in changed)
    assert "You may always discuss pay" in (
        setup["out"] / "second-gmbh" / "legal.en.md").read_text(encoding="utf-8")


def test_a_changed_condition_is_rechecked(cli, setup) -> None:
    build(cli, setup)
    clause = setup["lib"] / "legal" / "legal.us_rights.yaml"
    clause.write_text(clause.read_text(encoding="utf-8").replace("jurisdictions: [US]",
                                                                 "jurisdictions: [DE]"),
                      encoding="utf-8")
    report = build(cli, setup)
    assert report["built"] == {str(setup["first"]): "clause legal.us_rights now applies",
                               str(setup["second"]): "clause legal.us_rights changed"}


def test_profile_edit_and_removed_outputs(cli, setup) -> None:
    build(cli, setup)
    text = setup["first"].read_text(encoding="utf-8")
    write(setup["first"], text + "document_extra: 1\n".replace("document_extra: 1\n", ""))
    setup["first"].write_text(text.replace("employees: 12", "employees: 13")
                              .replace("  owner: Geschäftsführung",
                                       "  owner: Geschäftsführung\n  audiences: [employees]"),
                              encoding="utf-8")
    report = build(cli, setup)
    assert report["built"] == {str(setup["first"]): "profile changed"}
    assert sorted(report["removed"]) == sorted(
        f"first-gmbh/{a}{e}.en.{f}" for a in ("account_managers", "legal")
        for e in ("", "-summary", "-acknowledgement") if (a, e) != ("legal", "-acknowledgement")
        for f in ("docx", "md"))
    assert sorted(p.name for p in (setup["out"] / "first-gmbh").iterdir()) == sorted(
        f"employees{e}.en.{f}" for e in ("", "-summary", "-acknowledgement")
        for f in ("docx", "md"))


def test_force_rebuilds_everything(cli, setup) -> None:
    build(cli, setup)
    assert len(build(cli, setup, "--force")["written"]) == 32


def test_parallel_build_gives_the_same_bytes(cli, setup, tmp_path: Path) -> None:
    build(cli, setup)
    serial = {p.name: p.read_bytes() for p in setup["out"].rglob("*.*") if p.name[0] != "."}
    setup["out"] = tmp_path / "parallel"
    result = cli("build", str(setup["first"]), str(setup["second"]), "--out",
                 str(setup["out"]), *LIB_ONLY, str(setup["lib"]), "--jobs", "2")
    assert result.code == 0, result.err
    assert {p.name: p.read_bytes() for p in setup["out"].rglob("*.*") if p.name[0] != "."} \
        == serial


def test_check_catches_edited_stale_and_missing(cli, setup) -> None:
    build(cli, setup)
    args = ("check", str(setup["first"]), str(setup["second"]), "--out", str(setup["out"]),
            *LIB_ONLY, str(setup["lib"]))
    ok = cli(*args)
    assert ok.code == 0 and ok.out.endswith("all outputs are current\n")
    edited = setup["out"] / "first-gmbh" / "employees.en.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nadded by hand\n", encoding="utf-8")
    (setup["out"] / "first-gmbh" / "legal.en.docx").unlink()
    clause = setup["lib"] / "legal" / "legal.us_rights.yaml"
    clause.write_text(clause.read_text(encoding="utf-8").replace(
        "You may discuss pay", "You may always discuss pay"), encoding="utf-8")
    result = cli(*args, "--format", "json")
    assert result.code == 1
    findings = json.loads(result.out)["results"]["findings"]
    found = {(f["output"], f["status"]) for f in findings}
    assert found == {
        ("first-gmbh/employees.en.md", "edited"),
        ("first-gmbh/legal.en.docx", "missing"),
        ("second-gmbh/employees.en.md", "stale"),
        ("second-gmbh/employees.en.docx", "stale"),
        ("second-gmbh/account_managers.en.md", "stale"),
        ("second-gmbh/account_managers.en.docx", "stale"),
        ("second-gmbh/legal.en.md", "stale"),
        ("second-gmbh/legal.en.docx", "stale"),
    }
    text = cli(*args)
    assert text.code == 1
    assert f"{setup['out']}/first-gmbh/employees.en.md: edited (differs from what policygen " \
        "wrote; from " in text.out


def test_failed_build_keeps_earlier_outputs(cli, setup) -> None:
    build(cli, setup)
    before = {p: p.read_bytes() for p in setup["out"].rglob("*.*")}
    setup["second"].write_text(setup["second"].read_text(encoding="utf-8")
                               .replace("retail", "retial"), encoding="utf-8")
    clause = setup["lib"] / "employees" / "employees.basics.yaml"
    clause.write_text(clause.read_text(encoding="utf-8").replace("nothing.", "nothing!"),
                      encoding="utf-8")
    result = cli("build", str(setup["first"]), str(setup["second"]), "--out", str(setup["out"]),
                 *LIB_ONLY, str(setup["lib"]), "--jobs", "2")
    assert result.code == 1
    assert "company.industry: 'retial' is not an allowed value" in result.err
    assert {p: p.read_bytes() for p in setup["out"].rglob("*.*")} == before
    assert not list(setup["out"].rglob(".*.tmp"))


def test_a_second_build_waits_for_the_lock(cli, setup) -> None:
    setup["out"].mkdir()
    with (setup["out"] / ".policygen.lock").open("a") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        result = cli("build", str(setup["first"]), "--out", str(setup["out"]), *LIB_ONLY,
                     str(setup["lib"]))
    assert result.code == 1
    assert result.err == (
        f"{setup['out']}: another policygen build is writing to {setup['out']}\n"
        f"    hint: wait for it to finish; it holds {setup['out']}/.policygen.lock\n")
    assert not (setup["out"] / "first-gmbh").exists()


def test_outputs_of_a_deleted_profile_are_removed(cli, setup, monkeypatch) -> None:
    monkeypatch.chdir(setup["first"].parent.parent)
    assert cli("build", "--out", "out", *LIB_ONLY, str(setup["lib"])).code == 0
    setup["second"].unlink()
    result = cli("build", "--out", "out", *LIB_ONLY, str(setup["lib"]))
    assert result.code == 0
    assert "removed out/second-gmbh/legal.en.md" in result.out
    assert not (setup["out"] / "second-gmbh").exists()


def test_a_build_with_nothing_to_do_loads_no_heavy_modules(cli, setup) -> None:
    import subprocess
    import sys

    build(cli, setup)
    script = (
        "import sys\nfrom policygen.cli import main\n"
        f"code = main(['build', {str(setup['first'])!r}, {str(setup['second'])!r}, '--out', "
        f"{str(setup['out'])!r}, '--no-bundled-library', '--library', {str(setup['lib'])!r}, "
        "'--quiet'])\n"
        "heavy = sorted(m for m in ('jinja2', 'cerberus', 'markdown_it', 'lxml', 'docx') "
        "if m in sys.modules)\n"
        "print(code, heavy)\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "0 []"


def test_outputs_are_ordinary_files(cli, setup) -> None:
    import os
    import stat

    build(cli, setup)
    mask = os.umask(0)
    os.umask(mask)
    for path in [setup["out"] / "manifest.json", *setup["out"].rglob("*.md")]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~mask, path


def test_a_failed_first_build_leaves_no_folders(cli, setup, tmp_path: Path) -> None:
    setup["first"].write_text(setup["first"].read_text(encoding="utf-8")
                              .replace("retail", "retial"), encoding="utf-8")
    deep = tmp_path / "new" / "nested" / "out"
    result = cli("build", str(setup["first"]), "--out", str(deep), *LIB_ONLY,
                 str(setup["lib"]))
    assert result.code == 1
    assert not (tmp_path / "new").exists()


def both_languages(setup: dict[str, Path]) -> None:
    for profile in (setup["first"], setup["second"]):
        profile.write_text(profile.read_text(encoding="utf-8").replace(
            "  owner: Geschäftsführung", "  owner: Geschäftsführung\n  languages: [de, en]"),
            encoding="utf-8")


def contents(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*.*")
            if p.suffix in (".md", ".docx")}


def test_a_clause_edit_assembles_only_the_documents_that_show_it(cli, setup, tmp_path) -> None:
    both_languages(setup)
    build(cli, setup)
    clause = setup["lib"] / "employees" / "employees.basics.yaml"
    original = clause.read_text(encoding="utf-8")
    # a comment changes the file, not what any document shows: nothing is assembled
    clause.write_text("# reviewed\n" + original, encoding="utf-8")
    before = mtimes(setup["out"])
    report = build(cli, setup)
    assert set(report["built"]) == {str(setup["first"]), str(setup["second"])}
    assert report["written"] == [] and mtimes(setup["out"]) == before
    # the German text: only the German guidelines of every audience
    clause.write_text(original.replace("Das Netz vergisst nichts.",
                                       "Das Internet vergisst nichts."), encoding="utf-8")
    report = build(cli, setup)
    assert sorted(report["written"]) == sorted(
        f"{slug}/{audience}.de.{fmt}" for slug in ("first-gmbh", "second-gmbh")
        for audience in ("employees", "account_managers", "legal") for fmt in ("docx", "md"))
    # a summary item in English: the summaries in both languages (an item's length is that of
    # its longest language, so the choice of items may change in every language), and the
    # English guidelines (an audience that gets a clause `brief` reads its summary items)
    clause.write_text(clause.read_text(encoding="utf-8").replace(
        'en: "Speak for yourself."', 'en: "Always speak for yourself."'), encoding="utf-8")
    report = build(cli, setup)
    assert sorted(report["written"]) == sorted(
        f"{slug}/{audience}{edition}.{lang}.{fmt}" for slug in ("first-gmbh", "second-gmbh")
        for audience in ("employees", "account_managers", "legal")
        for edition, langs in (("-summary", ("de", "en")), ("", ("en",))) for lang in langs
        for fmt in ("docx", "md"))
    # whatever was skipped is what a full build makes
    assert cli("check", str(setup["first"]), str(setup["second"]), "--out", str(setup["out"]),
               *LIB_ONLY, str(setup["lib"])).code == 0
    fresh = dict(setup, out=tmp_path / "fresh")
    build(cli, fresh)
    assert contents(fresh["out"]) == contents(setup["out"])

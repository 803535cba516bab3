"""The command line: exit codes, messages, and that a failed run writes nothing."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from tests.conftest import FIXTURE_LIBRARY, FIXTURES, LIB_ONLY, run_process, write

MINIMAL = FIXTURES / "profiles" / "minimal.yaml"
LIB = str(FIXTURE_LIBRARY)


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != "manifest.json" and not p.name.startswith(".")}


def test_build_writes_every_output(cli, tmp_path: Path) -> None:
    result = cli("build", str(MINIMAL), "--out", str(tmp_path), *LIB_ONLY, LIB)
    assert result.code == 0, result.err
    assert sorted(snapshot(tmp_path)) == sorted(
        f"minimal-gmbh/{a}{e}.en.{f}" for a in ("account_managers", "employees", "legal")
        for e in ("", "-summary", "-acknowledgement") if (a, e) != ("legal", "-acknowledgement")
        for f in ("docx", "md"))
    assert result.out.endswith("1 of 1 profile rebuilt, 16 files written, 0 removed, "
                               f"0 up to date, in {tmp_path}\n")


def test_build_filters(cli, tmp_path: Path) -> None:
    result = cli("build", str(MINIMAL), "--out", str(tmp_path), *LIB_ONLY, LIB,
                 "--audience", "employees", "--format", "md")
    assert result.code == 0
    assert sorted(snapshot(tmp_path)) == ["minimal-gmbh/employees-acknowledgement.en.md",
                                          "minimal-gmbh/employees-summary.en.md",
                                          "minimal-gmbh/employees.en.md"]


def test_bad_profile_exits_1_and_writes_nothing(cli, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert cli("build", str(MINIMAL), "--out", str(out), *LIB_ONLY, LIB).code == 0
    before = snapshot(out)
    bad = write(tmp_path / "bad.yaml",
                MINIMAL.read_text(encoding="utf-8").replace("retail", "retial"))
    result = cli("build", str(MINIMAL), str(bad), "--out", str(out), *LIB_ONLY, LIB)
    assert result.code == 1
    assert result.out == ""
    assert "bad.yaml:4:13: company.industry: 'retial' is not an allowed value" in result.err
    assert snapshot(out) == before


def test_usage_errors_exit_2(cli) -> None:
    result = cli("build", "--lang", "fr")
    assert result.code == 2
    assert "invalid value fr; choose from de, en" in result.err
    assert "hint: run `policygen build --help`" in result.err
    assert cli().code == 2
    assert cli("frobnicate").code == 2


def test_validate_and_explain(cli) -> None:
    result = cli("validate", str(MINIMAL), *LIB_ONLY, LIB)
    assert result.code == 0 and result.out.endswith(": ok\n")
    result = cli("explain", str(MINIMAL), *LIB_ONLY, LIB, "--audience", "employees")
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0].endswith("employees: 2 of 5 clauses")
    assert lines[1].split() == ["+", "employees.basics", "applies", "to", "every", "company"]
    assert "- legal.us_rights" in result.out and "only for US" in result.out


def test_clauses_lists_library(cli) -> None:
    result = cli("clauses", *LIB_ONLY, LIB)
    assert result.code == 0
    assert result.out.splitlines()[-1] == "5 clauses in 9 sections"


def test_no_traceback_without_debug(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.yaml", "company: [unclosed\n")
    result = run_process("validate", str(bad))
    assert result.code == 1
    assert "Traceback" not in result.err
    assert "invalid YAML" in result.err
    debug = run_process("--debug", "validate", str(bad))
    assert "Traceback" in debug.err


def test_help_for_every_command(cli) -> None:
    for command in ("validate", "build", "explain", "clauses"):
        result = cli(command, "--help")
        assert result.code == 0 and "usage: policygen " + command in result.out


def test_build_summary_reports_readability(cli, tmp_path: Path) -> None:
    result = cli("build", str(MINIMAL), "--out", str(tmp_path), *LIB_ONLY, LIB)
    assert result.code == 0, result.err
    lines = [line for line in result.out.splitlines() if line.startswith("readability ")]
    assert len(lines) == 1
    assert re.match(r"readability minimal-gmbh/employees\.en: [\d,]+ words, Flesch reading ease ",
                    lines[0]), lines[0]
    assert "words per sentence; longest: " in lines[0]

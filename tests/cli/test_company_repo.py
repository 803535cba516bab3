"""A company's policy repository: `init --repo`, policygen.toml, and clause layers over the bundled
library (an added clause, a replaced one, one switched off), through the config file alone."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT, write
from tests.onboarding.test_init import answers_file

ADDED = """\
id: employees.company_devices
version: 1
section: employees
order: 265
audiences: [employees, account_managers, legal]
topics: [account_security]
title:
  de: "Dienstgeräte der Mühlenbach-Backstuben"
  en: "Company devices in the Mühlenbach bakeries"
text:
  de: |
    Offizielle Accounts von {{ company.short_name }} bedienen Sie nur auf Dienstgeräten.
  en: |
    Operate the official accounts of {{ company.short_name }} on company devices only.
"""


def replacement(text: str = "Bitte schützen Sie jeden Zugang mit zwei Faktoren.") -> str:
    return f"""\
id: employees.account_security
replaces: employees.account_security
version: 1
section: employees
order: 260
audiences: [employees, account_managers, legal]
topics: [account_security]
title:
  de: "Zugänge sichern"
  en: "Secure your logins"
text:
  de: |
    {text}
  en: |
    Please protect every login with two factors.
"""


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", *args],
                   cwd=repo, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository made by `init --repo`, with one added and one replaced clause, committed."""
    folder = tmp_path / "acme-policies"
    answers = answers_file(tmp_path)
    result = cli("init", "--repo", str(folder), "--answers", str(answers))
    assert result.code == 0, result.err
    assert (folder / "policygen.toml").is_file()
    assert (folder / "policies" / "muehlenbach-backwaren.yaml").is_file()
    write(folder / "clauses" / "employees" / "employees.company_devices.yaml", ADDED)
    write(folder / "clauses" / "employees" / "employees.account_security.yaml", replacement())
    monkeypatch.chdir(folder)
    git(folder, "init", "-q")
    git(folder, "add", "-A")
    git(folder, "commit", "-qm", "start")
    return folder


def test_a_company_repository_builds_checks_and_reports_impact_from_its_config(repo: Path,
                                                                              cli) -> None:
    built = cli("build", "--quiet")
    assert built.code == 0, built.err
    documents = repo / "docs" / "policies" / "muehlenbach-backwaren"
    employees = (documents / "employees.de.md").read_text()
    assert "Dienstgeräte der Mühlenbach-Backstuben" in employees
    assert "Bitte schützen Sie jeden Zugang mit zwei Faktoren." in employees
    assert "Zwei-Faktor-Authentifizierung ein, am besten" not in employees  # the bundled text
    legal = (documents / "legal.de.md").read_text()
    assert "aus der Bibliotheksebene clauses, ersetzt die Klausel der Ebene bundled" in legal
    manifest = json.loads((repo / "docs" / "policies" / "manifest.json").read_text())
    assert "clauses:employees/employees.company_devices.yaml" in manifest["library"]
    assert "employees/employees.account_security.yaml" in manifest["library"]  # the bundled one

    assert cli("check").code == 0
    write(repo / "clauses" / "employees" / "employees.account_security.yaml",
          replacement("Zwei Faktoren für jeden Zugang, ohne Ausnahme."))
    impact = cli("impact", "--since", "HEAD", "--format", "json")
    assert impact.code == 0, impact.err
    check = cli("check", "--format", "json")
    assert check.code == 1
    predicted = set(json.loads(impact.out)["results"]["outputs"])
    stale = {f["output"] for f in json.loads(check.out)["results"]["findings"]}
    assert stale and stale <= predicted
    assert json.loads(impact.out)["results"]["clauses"] == ["employees.account_security"]


def test_explain_and_clauses_name_the_layer_of_each_clause(repo: Path, cli) -> None:
    explained = json.loads(cli("explain", "policies/muehlenbach-backwaren.yaml", "--audience",
                               "employees", "--format", "json").out)["results"]
    layers = {c["id"]: c["layer"] for c in explained["audiences"][0]["included"]}
    assert layers["employees.company_devices"] == "clauses"
    assert layers["employees.account_security"] == "clauses"
    assert layers["employees.accuracy"] == "bundled"
    listed = {c["id"]: c for c in json.loads(cli("clauses", "--format", "json").out)["results"]}
    assert listed["employees.account_security"]["replaced"] == "bundled"
    assert listed["employees.account_security"]["path"] == \
        "clauses/employees/employees.account_security.yaml"


def test_the_same_id_without_replaces_is_a_located_conflict(repo: Path, cli) -> None:
    path = repo / "clauses" / "employees" / "employees.account_security.yaml"
    path.write_text(replacement().replace("replaces: employees.account_security\n", ""))
    result = cli("clauses")
    assert result.code == 1
    bundled = ROOT / "clauses" / "employees" / "employees.account_security.yaml"
    assert result.err == (
        "clauses/employees/employees.account_security.yaml:1:5: clause "
        f"'employees.account_security' is already in library layer 'bundled' ({bundled})\n"
        "    hint: add `replaces: employees.account_security` to replace it, or give this clause "
        "an id of its own\n")


def test_replacing_a_clause_no_layer_has_is_located(repo: Path, cli) -> None:
    write(repo / "clauses" / "employees" / "employees.company_devices.yaml",
          ADDED.replace("version: 1\n", "version: 1\nreplaces: employees.company_devices\n"))
    result = cli("clauses")
    assert result.code == 1
    assert result.err.startswith(
        "clauses/employees/employees.company_devices.yaml:3:11: replaces clause "
        "'employees.company_devices', which no lower library layer has\n")


def test_a_layer_switches_bundled_clauses_off(repo: Path, cli) -> None:
    write(repo / "clauses" / "layer.yaml", "disable: [employees.ai_content]\n")
    listed = {c["id"] for c in json.loads(cli("clauses", "--format", "json").out)["results"]}
    assert "employees.ai_content" not in listed and "employees.accuracy" in listed
    write(repo / "clauses" / "layer.yaml", "disable: [employees.ai_contnet]\n")
    result = cli("clauses")
    assert result.code == 1
    assert result.err == ("clauses/layer.yaml:1:11: disable names unknown clause "
                          "'employees.ai_contnet'\n"
                          "    hint: did you mean 'employees.ai_content'?\n")


def test_the_command_line_overrides_the_config(repo: Path, cli) -> None:
    # --no-bundled-library with the company folder alone: it has no sections.yaml
    result = cli("clauses", "--no-bundled-library")
    assert result.code == 1
    assert "clauses/sections.yaml: file not found\n" in result.err
    verbose = cli("clauses", "--verbose", "--library", str(repo / "clauses"))
    assert verbose.code == 0
    assert "config: " in verbose.err and "policygen.toml" in verbose.err


@pytest.mark.parametrize(("config", "expected"), [
    ('ot = "build"\n', "policygen.toml:1:1: unknown setting 'ot'\n"
                       "    hint: did you mean 'out'?\n"),
    ('library = ["company"]\n', "policygen.toml:1:1: library folder 'company' not found\n"
                                "    hint: paths are relative to the folder of the config file\n"),
    ("strict = 1\n", "policygen.toml:1:1: strict must be true or false\n"
                     "    hint: e.g. strict = true\n"),
    ('out = "x"\n[defaults]\nlang = ["fr"]\n',
     "policygen.toml:3:1: lang: invalid value fr\n    hint: a list out of de, en\n"),
    ("out = \n", "policygen.toml:1:7: not valid TOML: Invalid value\n"
                 "    hint: see https://toml.io for the syntax\n"),
])
def test_config_problems_are_located(tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch,
                                     config: str, expected: str) -> None:
    write(tmp_path / "policygen.toml", config)
    monkeypatch.chdir(tmp_path)
    result = cli("clauses")
    assert result.code == 1
    assert result.err == expected


def test_pyproject_tool_table_is_found_walking_up(tmp_path: Path, cli,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n\n[tool.policygen]\nstrict = 3\n')
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "sub" / "deeper")
    result = cli("clauses")
    assert result.code == 1
    assert "pyproject.toml:5:1: strict must be true or false" in result.err

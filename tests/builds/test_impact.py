"""Impact report: which documents a clause change affects, and why."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from tests.conftest import FIXTURE_LIBRARY, FIXTURES, LIB_ONLY, write

MINIMAL = (FIXTURES / "profiles" / "minimal.yaml").read_text(encoding="utf-8")


def make_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURE_LIBRARY, repo / "clauses")
    write(repo / "policies" / "de.yaml", MINIMAL.replace("name: Minimal GmbH", "name: DE GmbH"))
    write(repo / "policies" / "us.yaml", MINIMAL.replace("name: Minimal GmbH", "name: US Inc")
          .replace("[DE]", "[US]"))
    for args in (["init", "-q"], ["add", "."],
                 ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "start"]):
        subprocess.run(["git", *args], cwd=repo, check=True)
    return repo


def test_impact_of_named_clauses(cli, tmp_path: Path, monkeypatch) -> None:
    repo = make_repo(tmp_path)
    monkeypatch.chdir(repo)
    result = cli("impact", "legal.us_rights", *LIB_ONLY, "clauses", "--format", "json")
    assert result.code == 0, result.err
    report = json.loads(result.out)["results"]
    assert [(a["profile"], a["audience"]) for a in report["affected"]] == [
        ("policies/us.yaml", "employees"), ("policies/us.yaml", "account_managers"),
        ("policies/us.yaml", "legal")]
    assert report["affected"][0]["reasons"] == {"legal.us_rights": "jurisdiction US"}
    # the clause has no summary items: only the guidelines change, never the forms
    assert report["outputs"] == [f"us-inc/{audience}.en.{fmt}"
                                 for audience in ("account_managers", "employees", "legal")
                                 for fmt in ("docx", "md")]


def test_impact_lists_exactly_what_check_then_finds_stale(cli, tmp_path: Path,
                                                           monkeypatch) -> None:
    repo = make_repo(tmp_path)
    monkeypatch.chdir(repo)
    assert cli("build", *LIB_ONLY, "clauses", "--out", "build").code == 0
    clause = repo / "clauses" / "legal" / "legal.us_rights.yaml"
    clause.write_text(clause.read_text(encoding="utf-8").replace("version: 1", "version: 2", 1),
                      encoding="utf-8")
    impact = cli("impact", "legal.us_rights", *LIB_ONLY, "clauses", "--format", "json")
    check = cli("check", *LIB_ONLY, "clauses", "--out", "build", "--format", "json")
    assert impact.code == 0, impact.err
    assert check.code == 1, check.err
    predicted = set(json.loads(impact.out)["results"]["outputs"])
    stale = {finding["output"] for finding in json.loads(check.out)["results"]["findings"]}
    assert predicted == stale
    assert len(predicted) == 3 * 2


def test_impact_of_a_summary_item_reaches_the_summaries(cli, tmp_path: Path,
                                                        monkeypatch) -> None:
    repo = make_repo(tmp_path)
    monkeypatch.chdir(repo)
    assert cli("build", *LIB_ONLY, "clauses", "--out", "build").code == 0
    clause = repo / "clauses" / "employees" / "employees.basics.yaml"
    text = clause.read_text(encoding="utf-8")
    assert '"Speak for yourself."' in text
    clause.write_text(text.replace('"Speak for yourself."', '"Speak only for yourself."'),
                      encoding="utf-8")
    impact = cli("impact", "--since", "HEAD", *LIB_ONLY, "clauses", "--format", "json")
    check = cli("check", *LIB_ONLY, "clauses", "--out", "build", "--format", "json")
    assert impact.code == 0, impact.err
    predicted = set(json.loads(impact.out)["results"]["outputs"])
    stale = {finding["output"] for finding in json.loads(check.out)["results"]["findings"]}
    assert predicted == stale
    assert predicted and all("-summary." in name for name in predicted)
    # without the old text, impact cannot tell which fields changed: it names the guidelines
    # too (a superset), never fewer files than check finds
    named = cli("impact", "employees.basics", *LIB_ONLY, "clauses", "--format", "json")
    assert set(json.loads(named.out)["results"]["outputs"]) >= stale


def test_impact_since_a_revision(cli, tmp_path: Path, monkeypatch) -> None:
    repo = make_repo(tmp_path)
    monkeypatch.chdir(repo)
    clause = repo / "clauses" / "legal" / "legal.us_rights.yaml"
    clause.write_text(clause.read_text(encoding="utf-8").replace("jurisdictions: [US]",
                                                                 "jurisdictions: [DE]"),
                      encoding="utf-8")
    (repo / "clauses" / "criticism" / "criticism.escalation.yaml").unlink()
    result = cli("impact", "--since", "HEAD", *LIB_ONLY, "clauses")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert "policies/de.yaml (DE GmbH): employees, en" in lines
    assert "    legal.us_rights: jurisdiction DE" in lines
    assert "    criticism.escalation: was included before the change (applies to every " \
        "company); the clause was removed" in lines
    assert "    legal.us_rights: was included before the change (jurisdiction US); now left " \
        "out" in lines


def test_impact_usage_errors(cli, tmp_path: Path, monkeypatch) -> None:
    repo = make_repo(tmp_path)
    monkeypatch.chdir(repo)
    assert cli("impact", *LIB_ONLY, "clauses").code == 2
    unknown = cli("impact", "legal.nope", *LIB_ONLY, "clauses")
    assert unknown.code == 2 and "unknown clause id legal.nope" in unknown.err
    bad_rev = cli("impact", "--since", "no-such-rev", *LIB_ONLY, "clauses")
    assert bad_rev.code == 2 and "git diff --name-only no-such-rev" in bad_rev.err

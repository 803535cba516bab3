"""One JSON envelope for every command (docs/json.md), validated against docs/json.schema.json;
errors as JSON with the exit code kept; SARIF for lint."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import FIXTURE_LIBRARY, FIXTURES, LIB_ONLY, ROOT, write

SCHEMA = json.loads((ROOT / "docs" / "json.schema.json").read_text(encoding="utf-8"))
MINIMAL = str((FIXTURES / "profiles" / "minimal.yaml").relative_to(ROOT))
LIB = (*LIB_ONLY, str(FIXTURE_LIBRARY.relative_to(ROOT)))


@pytest.fixture(autouse=True)
def _in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def envelope(text: str, command: str, exit_code: int) -> dict:
    data = json.loads(text)
    jsonschema.validate(data, SCHEMA)
    assert (data["command"], data["exit_code"], data["ok"]) == (command, exit_code,
                                                                exit_code == 0)
    return data


def test_the_schema_is_a_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_every_command_with_json_output_prints_the_envelope(cli, tmp_path: Path) -> None:
    out = str(tmp_path / "out")
    runs = [
        (("validate", MINIMAL, *LIB), 0),
        (("build", MINIMAL, "--out", out, *LIB, "--format", "json"), 0),
        (("check", MINIMAL, "--out", out, *LIB), 0),
        (("impact", "employees.basics", "--profile", MINIMAL, *LIB), 0),
        (("explain", MINIMAL, *LIB), 0),
        (("clauses", *LIB), 0),
        (("coverage", *LIB), None),
        (("lint", MINIMAL, *LIB), 0),
    ]
    for args, expected in runs:
        result = cli(*args, "--format", "json") if args[0] != "build" else cli(*args)
        assert result.code == expected or expected is None, (args, result.err)
        envelope(result.out, args[0], result.code)
    drafts = tmp_path / "drafts"
    assert cli("build", MINIMAL, "--out", str(drafts), *LIB, "--draft", "--quiet").code == 0
    draft = next(drafts.rglob("legal.*.docx"))
    comments = envelope(cli("comments", str(draft), "--all", "--format", "json").out,
                        "comments", 0)
    assert comments["results"][0]["comments"]


def test_an_error_is_the_envelope_on_stdout_with_the_exit_code_kept(cli, tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.yaml", "company: [unclosed\n")
    result = cli("validate", str(bad), *LIB, "--format", "json")
    assert result.code == 1
    data = envelope(result.out, "validate", 1)
    assert data["results"] is None
    problem = data["problems"][0]
    assert (problem["file"], problem["line"], problem["column"], problem["severity"]) == \
        (str(bad), 2, 1, "error")
    assert problem["hint"]
    assert result.err.startswith(f"{bad}:2:1: invalid YAML")  # the text stays on stderr


def test_a_usage_error_is_the_envelope_too(cli) -> None:
    result = cli("check", "--format", "json", "--jbos", "2")
    assert result.code == 2
    data = envelope(result.out, "check", 2)
    assert data["problems"][0]["code"] == "usage"
    assert "--jbos" in data["problems"][0]["message"]


def without_codetermination(tmp_path: Path) -> Path:
    """A works council in DE and the co-determination clauses excluded: PL002."""
    text = (ROOT / "policies" / "rheinwerk.yaml").read_text(encoding="utf-8")
    text = "\n".join(line for line in text.splitlines() if "works_agreement" not in line)
    return write(tmp_path / "rheinwerk.yaml", text + "\noverrides:\n  exclude: "
                 "[governance.codetermination_de, criticism.visitor_posts_codetermination]\n")


def test_lint_findings_appear_as_problems_with_their_rule(cli, tmp_path: Path) -> None:
    result = cli("lint", str(without_codetermination(tmp_path)), "--format", "json", "--strict")
    data = envelope(result.out, "lint", 1)
    codes = [p["code"] for p in data["problems"]]
    assert "PL002" in codes
    assert codes == [f["code"] for entry in data["results"] for f in entry["findings"]]
    assert {p["severity"] for p in data["problems"]} == {"error"}


def test_lint_writes_sarif_2_1_0(cli, tmp_path: Path) -> None:
    result = cli("lint", str(without_codetermination(tmp_path)), "--format", "sarif")
    assert result.code == 0
    log = json.loads(result.out)
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    run = log["runs"][0]
    assert run["tool"]["driver"]["name"] == "policygen"
    rule_ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert rule_ids[:2] == ["PL001", "PL002"]
    assert "PL002" in {finding["ruleId"] for finding in run["results"]}
    for finding in run["results"]:
        assert finding["ruleId"] == rule_ids[finding["ruleIndex"]]
        region = finding["locations"][0]["physicalLocation"].get("region", {"startLine": 1})
        assert region["startLine"] >= 1


def test_assess_diff_and_reference_print_the_envelope(cli, tmp_path: Path) -> None:
    weak = str((FIXTURES / "profiles" / "weak.yaml").relative_to(ROOT))
    assessed = envelope(cli("assess", weak, "--lang", "en", "--format", "json").out, "assess", 0)
    results = assessed["results"]
    assert results["language"] == "en" and results["written"] == []
    assert [d["id"] for d in results["obstacles"]] == ["budget_resources", "roi", "not_it",
                                                       "legal", "culture"]
    scores = {d["id"]: d["score"] for d in (*results["obstacles"], *results["points"])}
    assert all(0 <= score <= 100 for score in scores.values()) and min(scores.values()) < 100
    gap = results["gaps"][0]
    assert gap["ok"] is False and gap["hint"] and gap["text"]

    written = envelope(cli("assess", weak, "--out", str(tmp_path / "r"), "--format",
                           "md,json").out, "assess", 0)["results"]["written"]
    assert [Path(p).name for p in written] == ["readiness.de.md"]
    assert Path(written[0]).is_file()

    newer = write(tmp_path / "new.yaml", (ROOT / MINIMAL).read_text(encoding="utf-8")
                  .replace("version: \"1.0\"", "version: \"1.1\"")
                  + "overrides:\n  exclude: [employees.basics]\n")
    diffed = envelope(cli("diff", MINIMAL, str(newer), *LIB, "--format", "json").out, "diff", 0)
    document = diffed["results"]["documents"][0]
    statuses = {c["id"]: c["status"] for c in document["clauses"]}
    assert statuses["employees.basics"] == "removed" and document["changed"] >= 1
    assert diffed["results"]["changelog"].startswith("#")

    target = tmp_path / "styles.docx"
    made = envelope(cli("reference", str(target), "--format", "json").out, "reference", 0)
    assert made["results"] == {"written": [target.as_posix()]} and target.is_file()
    refused = cli("reference", str(target), "--format", "json")
    assert refused.code == 2
    assert "already exists" in envelope(refused.out, "reference", 2)["problems"][0]["message"]

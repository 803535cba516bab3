"""Legal lint findings as SARIF 2.1.0, the format code-hosting platforms show on pull requests."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from policygen import __version__
from policygen.errors import Problem
from policygen.legal.lint import RULES

VERSION = "2.1.0"
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _result(problem: Problem, level: str) -> dict[str, Any]:
    code = problem.message[:5]
    text = problem.message[6:] if code in RULES else problem.message
    if problem.hint:
        text += f" (hint: {problem.hint})"
    where = problem.location
    physical: dict[str, Any] = {"artifactLocation": {"uri": where.path}}
    if where.line > 0:
        physical["region"] = {"startLine": where.line, "startColumn": max(where.col, 1)}
    result: dict[str, Any] = {"ruleId": code if code in RULES else "policygen", "level": level,
                              "message": {"text": text}, "locations": [
                                  {"physicalLocation": physical}]}
    if code in RULES:
        result["ruleIndex"] = list(RULES).index(code)
    return result


def sarif(findings: Sequence[Problem], level: str = "warning") -> dict[str, Any]:
    """One SARIF log with one run of policygen's legal lint."""
    rules = [{"id": rule.code, "name": rule.name, "shortDescription": {"text": rule.summary},
              "help": {"text": f"docs/lint.md, section {rule.code} {rule.name}"}}
             for rule in RULES.values()]
    return {
        "$schema": SCHEMA, "version": VERSION,
        "runs": [{
            "tool": {"driver": {"name": "policygen", "version": __version__, "rules": rules}},
            "results": [_result(problem, level) for problem in findings],
        }],
    }

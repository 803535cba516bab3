"""The readiness assessment as `results` of `assess --format json` (docs/json.md)."""

from __future__ import annotations

from typing import Any

from policygen.onboarding.readiness import Assessment, Dimension
from policygen.onboarding.readiness_checks import Check


def _check(check: Check, lang: str) -> dict[str, Any]:
    return {"id": check.id, "ok": check.ok, "text": check.text.get(lang),
            "hint": None if check.ok else check.hint.get(lang),
            "path": ".".join(str(part) for part in check.path) or None}


def _dimension(dimension: Dimension, lang: str) -> dict[str, Any]:
    return {"id": dimension.id, "kind": dimension.kind, "title": dimension.title.get(lang),
            "score": dimension.score, "reason": dimension.reason(lang),
            "checks": [_check(check, lang) for check in dimension.checks]}


def results(assessment: Assessment, lang: str, written: list[str]) -> dict[str, Any]:
    """Scores, checks, stages, open channel questions and gaps, texts in `lang`."""
    return {
        "profile": assessment.profile,
        "company": assessment.company,
        "language": lang,
        "obstacles": [_dimension(d, lang) for d in assessment.obstacles],
        "points": [_dimension(d, lang) for d in assessment.points],
        "stages": [{"area": stage.area, "declared": stage.declared, "evidence": stage.evidence,
                    "overstated": stage.overstated, **_dimension(stage.dimension, lang)}
                   for stage in assessment.stages],
        "channels": [{"index": review.index, "platform": review.platform,
                      "handle": review.handle,
                      "answers": {question: answer.get(lang) if answer is not None else None
                                  for question, answer in review.answers}}
                     for review in assessment.channels],
        "gaps": [_check(check, lang) for check in assessment.gaps()],
        "written": written,
    }

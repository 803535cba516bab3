"""The readiness assessment as text for the terminal and as a Document for the writers."""

from __future__ import annotations

from policygen.core import templating
from policygen.core.compose import LABELS
from policygen.core.profile import Profile
from policygen.document import Clause, Document, ListBlock, Meta, Paragraph, Section, Span, Table
from policygen.i18n import phrase, raw
from policygen.onboarding.readiness import STAGE_NAMES, Assessment, Dimension
from policygen.onboarding.readiness_checks import Check, Text

NAME = "readiness"
QUESTIONS = {
    "present": phrase("report.questions.present"),
    "company_gain": phrase("report.questions.company_gain"),
    "customer_gain": phrase("report.questions.customer_gain"),
    "reach": phrase("report.questions.reach"),
    "reached_by": phrase("report.questions.reached_by"),
}
OPEN_FIELDS = {"present": "audience_present", "customer_gain": "customer_value",
               "reached_by": "inbound"}
_W = {
    "title": raw("report.w.title"),
    "edition": phrase("report.w.edition"),
    "obstacles": phrase("report.w.obstacles"),
    "points": phrase("report.w.points"),
    "stages": phrase("report.w.stages"),
    "channels": phrase("report.w.channels"),
    "scores": phrase("report.w.scores"),
    "figures": phrase("report.w.figures"),
    "score": phrase("report.w.score"),
    "stated": phrase("report.w.stated"),
    "shown": phrase("report.w.shown"),
    "next": phrase("report.w.next"),
    "none_next": phrase("report.w.none_next"),
    "later": phrase("report.w.later"),
    "open": raw("report.w.open"),
    "question": phrase("report.w.question"),
    "answer": phrase("report.w.answer"),
    "dimension": phrase("report.w.dimension"),
    "reason": phrase("report.w.reason"),
    "area": phrase("report.w.area"),
    "source": phrase("report.w.source"),
    "no_channels": phrase("report.w.no_channels"),
    "status": phrase("report.w.status"),
}


def _w(key: str, lang: str, **values: object) -> str:
    return _W[key].get(lang).format(**values)


def _mark(check: Check, lang: str) -> str:
    if check.ok:
        return f"+ {check.text.get(lang)}"
    return f"- {check.text.get(lang)} → {check.hint.get(lang)}"


def _next_steps(dimension: Dimension, lang: str) -> list[str]:
    return [check.hint.get(lang) for check in dimension.checks if not check.ok]


def _answer(index: int, question: str, answer: Text | None, lang: str) -> str:
    if answer is not None:
        return answer.get(lang)
    return _w("open", lang, i=index, field=OPEN_FIELDS[question])


def terminal(assessment: Assessment, lang: str) -> str:
    """The report as plain text for the terminal."""
    out = [_w("title", lang, name=assessment.company) + f" ({assessment.profile})", ""]
    for key, dimensions in (("obstacles", assessment.obstacles), ("points", assessment.points)):
        out.append(_w(key, lang))
        for number, dimension in enumerate(dimensions, start=1):
            out.append(f"  {number}. {dimension.title.get(lang)}  [{dimension.score}/100]")
            out.extend(f"       {_mark(check, lang)}" for check in dimension.checks)
        out.append("")
    out.append(_w("stages", lang))
    for stage in assessment.stages:
        out.append(f"  {stage.dimension.title.get(lang)}: {_w('stated', lang)} "
                   f"{STAGE_NAMES[stage.declared].get(lang)}, {_w('shown', lang)} "
                   f"{STAGE_NAMES[stage.evidence].get(lang)}  [{stage.dimension.score}/100]")
        steps = _next_steps(stage.dimension, lang)
        if not steps and stage.declared != stage.evidence:
            steps = [_w("later", lang)]
        for step in steps or [_w("none_next", lang)]:
            out.append(f"       {_w('next', lang)}: {step}")
    out.append("")
    out.append(_w("channels", lang))
    if not assessment.channels:
        out.append(f"  {_w('no_channels', lang)}")
    for review in assessment.channels:
        out.append(f"  {review.title(lang)}")
        for question, answer in review.answers:
            out.append(f"       {QUESTIONS[question].get(lang)} "
                       f"{_answer(review.index, question, answer, lang)}")
    out.append("")
    out.append(_w("scores", lang))
    width = max(len(d.title.get(lang)) for d in assessment.dimensions())
    for dimension in assessment.dimensions():
        out.append(f"  {dimension.title.get(lang):<{width}}  {dimension.score:>3}  "
                   f"{dimension.reason(lang)}")
    out.append("")
    out.append(_w("figures", lang))
    for figure in assessment.figures:
        out.append(f"  - {figure.text.get(lang)}")
        out.append(f"    {_w('source', lang)}: {figure.source.get(lang)}")
    return "\n".join(out) + "\n"


def _items(lines: list[str]) -> ListBlock:
    return ListBlock(False, tuple((Span(line),) for line in lines))


def _row(*cells: str) -> tuple[tuple[Span, ...], ...]:
    return tuple((Span(cell),) for cell in cells)


def _dimension_clause(dimension: Dimension, lang: str) -> Clause:
    score = Paragraph((Span(f"{_w('score', lang)}: ", strong=True),
                       Span(f"{dimension.score}/100 – {dimension.reason(lang)}")))
    return Clause(f"assess.{dimension.id}", 1, dimension.title.get(lang),
                  (score, _items([_mark(check, lang) for check in dimension.checks])))


def document(assessment: Assessment, profile: Profile, lang: str) -> Document:
    """The report as a Document, for the Markdown and Word writers."""
    stage_rows = []
    for stage in assessment.stages:
        steps = _next_steps(stage.dimension, lang) or (
            [_w("later", lang)] if stage.declared != stage.evidence else [_w("none_next", lang)])
        stage_rows.append(_row(stage.dimension.title.get(lang),
                               STAGE_NAMES[stage.declared].get(lang),
                               STAGE_NAMES[stage.evidence].get(lang), "; ".join(steps)))
    channel_clauses = []
    for review in assessment.channels:
        channel_clauses.append(Clause(
            f"assess.channel.{review.index}", 1, review.title(lang),
            (Table(_row(_w("question", lang), _w("answer", lang)),
                   tuple(_row(QUESTIONS[q].get(lang),
                              _answer(review.index, q, a, lang))
                         for q, a in review.answers)),)))
    if not channel_clauses:
        channel_clauses.append(Clause("assess.channels", 1, _w("channels", lang),
                                      (Paragraph((Span(_w("no_channels", lang)),)),)))
    sections = (
        Section("obstacles", _w("obstacles", lang),
                tuple(_dimension_clause(d, lang) for d in assessment.obstacles)),
        Section("points", _w("points", lang),
                tuple(_dimension_clause(d, lang) for d in assessment.points)),
        Section("stages", _w("stages", lang), (
            Clause("assess.stages", 1, _w("stages", lang), (Table(
                _row(_w("area", lang), _w("stated", lang), _w("shown", lang),
                     _w("next", lang)), tuple(stage_rows)),)),
            *(_dimension_clause(stage.dimension, lang) for stage in assessment.stages))),
        Section("channels", _w("channels", lang), tuple(channel_clauses)),
        Section("scores", _w("scores", lang), (Clause("assess.scores", 1, _w("scores", lang), (
            Table(_row(_w("dimension", lang), _w("score", lang), _w("reason", lang)),
                  tuple(_row(d.title.get(lang), str(d.score), d.reason(lang))
                        for d in assessment.dimensions())),)),)),
        Section("figures", _w("figures", lang), (Clause("assess.figures", 1, _w("figures", lang), (
            _items([f"{f.text.get(lang)} ({_w('source', lang)}: {f.source.get(lang)})"
                    for f in assessment.figures]),)),)),
    )
    return Document(_meta(profile, lang), LABELS[lang], sections)


def _meta(profile: Profile, lang: str) -> Meta:
    data = profile.localized(lang)
    document, company = data["document"], data["company"]
    title = _w("title", lang, name=company["name"])
    return Meta(
        title=title, company=company["name"], short_name=company["short_name"], language=lang,
        audience=NAME, audience_label=_w("edition", lang), version=document["version"],
        effective_date=document["effective_date"],
        effective_date_text=templating.format_date(document["effective_date"], lang),
        status="assessment", status_text=_w("status", lang), author=document["author"],
        owner=document["owner"], subject=_w("edition", lang),
        keywords=("social media", "readiness", company["short_name"]))

"""Legal lint: rules that are unlawful, or missing, for a company's jurisdictions.

Each rule has a stable code (`PL001`...) documented with its legal source in docs/lint.md. A
finding is a located Problem whose message starts with the code. `policygen lint` prints them;
validate and build print them as warnings, and `--strict` turns them into errors (LintError).
Lint reads only the profile, the library and the rendered documents; it never writes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from types import MappingProxyType
from typing import Any, NamedTuple, TypeVar, cast

from policygen.core import compose, select
from policygen.core.clauses import Clause, ClauseLibrary, template_location
from policygen.core.profile import Profile
from policygen.core.source import DocPath
from policygen.document import Block, Document, ListBlock, Paragraph, Table
from policygen.document import Clause as DocClause
from policygen.errors import Location, PolicygenError, Problem, findings_text
from policygen.vocabulary import EU_MEMBERS


class LintError(PolicygenError):
    """Legal lint findings, treated as errors because of --strict."""


@dataclass(frozen=True)
class Rule:
    """A lint rule: its stable code, a short name and what it checks."""

    code: str
    name: str
    summary: str


RULES = {rule.code: rule for rule in (
    Rule("PL001", "us-overbroad-rule",
         "US company whose documents contain a rule the NLRB has found overbroad"),
    Rule("PL002", "works-council-codetermination",
         "DE/AT company with a works council but no co-determination clause or agreement"),
    Rule("PL003", "advocacy-disclosure",
         "employee advocacy programme without a per-post disclosure rule"),
    Rule("PL004", "listed-disclosure",
         "listed company without Reg FD (US) or MAR (EU) rules"),
    Rule("PL005", "regulated-finance-supervision",
         "regulated financial firm without pre-approval and archiving rules"),
    Rule("PL006", "healthcare-patient-data",
         "healthcare company without patient-data rules"),
    Rule("PL007", "stale-legal-source",
         "legal source checked longer ago than the profile's review cycle"),
    Rule("PL008", "mandatory-clause-excluded",
         "clause excluded by overrides although the law of a jurisdiction requires it"),
    Rule("PL009", "stale-date-in-text",
         "text announces as future a date before the effective date, or as past one after it"),
)}

_BAN = r"(?:do not|don't|must not|may not|never|are not allowed to|is not allowed to)"
# PL001: phrases the NLRB found overbroad (docs/lint.md lists the sources per phrase).
class Overbroad(NamedTuple):
    """A PL001 phrase: what it is, how to find it, and whether examples beside it excuse it."""

    what: str
    pattern: re.Pattern[str]
    excused_by_examples: bool = False


OVERBROAD: tuple[Overbroad, ...] = tuple(
    Overbroad(what, re.compile(pattern, re.IGNORECASE), excused)
    for what, pattern, excused in (
        ("a ban on 'disparaging' statements",
         r"\bdisparag\w*|\bherabsetz\w*|\babfällig\w*", False),
        ("a rule against 'inappropriate' content that gives no examples",
         r"\binappropriate\b|\bunangemessen\w*", False),
        ("a duty to 'be respectful'",
         r"\bbe respectful\b|\bdisrespectful\b|\brespektlos\w*|\bseien Sie respektvoll\b",
         False),
        ("a blanket ban on talking to the media",
         rf"\b{_BAN}\s+(?:speak|talk|respond|comment)\s+(?:\w+\s+){{0,2}}?to\s+(?:the\s+|any\s+)?"
         r"(?:media|press|journalists?|reporters?)\b", False),
        ("a blanket ban on photos or videos of the workplace",
         rf"\b{_BAN}\s+(?:post|share|publish|upload|take)\s+(?:any\s+)?(?:photos?|pictures?|"
         r"images?|videos?|recordings?)\s+(?:of|at|from|in|inside)\s+(?:the\s+|our\s+|any\s+)?"
         r"(?:company|workplace|premises|offices?|plants?|sites?|facility|facilities)\b", False),
        ("a blanket ban on using the company logo",
         rf"\b{_BAN}\s+use\s+(?:the\s+|our\s+)?(?:[\w&.-]+(?:'s)?\s+)?(?:logos?|trademarks?)"
         r"\s+(?:without|at all|in any|for any)\b", False),
        ("a ban on sharing 'confidential' information that does not define it by examples",
         rf"\b{_BAN}\s+(?:\w+\s+){{0,3}}?(?:any(?:thing)?\s+)?confidential\b", True),
    ))
_MONTHS = {name: number for number, names in enumerate((
    ("januar", "jänner", "january"), ("februar", "feber", "february"), ("märz", "march"),
    ("april",), ("mai", "may"), ("juni", "june"), ("juli", "july"), ("august",),
    ("september",), ("oktober", "october"), ("november",), ("dezember", "december")),
    start=1) for name in names}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
# PL009: a date announced as future ("ab dem 2. August 2026", "from 2 August 2026") or as past
# ("seit dem ...", "since ..."), written "2. August 2026", "2 August 2026" or "August 2, 2026"
_DATED = re.compile(
    r"\b(?P<cue>ab(?:\s+dem)?|from|starting(?:\s+on)?|beginning(?:\s+on)?|as\s+of|"
    r"seit(?:\s+dem)?|since)\s+"
    rf"(?:(?P<d1>\d{{1,2}})\.?\s+(?P<m1>{_MONTH})|(?P<m2>{_MONTH})\s+(?P<d2>\d{{1,2}}),?)"
    r"\s+(?P<y>\d{4})\b", re.IGNORECASE)
_PAST_CUES = ("seit", "since")
# A word every one of those patterns needs (case-folded): most texts contain none of them, and
# those need no pattern at all. tests/test_lint.py holds the list to the patterns.
OVERBROAD_WORDS = ("disparag", "herabsetz", "abfällig", "inappropriate", "unangemessen",
                   "respectful", "respektlos", "respektvoll", "not", "n't", "never")
_OVERBROAD_WORD = re.compile("|".join(map(re.escape, OVERBROAD_WORDS)))  # any of them
_EXAMPLES = re.compile(r"\bfor example\b|\bsuch as\b|\be\.g\.|\bincluding\b|\bzum Beispiel\b|"
                       r"\bz\. ?B\.|\bbeispielsweise\b|\betwa\b", re.IGNORECASE)


@dataclass(frozen=True)
class Finding(Problem):
    """A lint finding: a located Problem with the code of its rule (the message starts with it)."""

    code: str = ""
    detail: str = ""  # the message without the code


def _finding(code: str, location: Location, message: str, hint: str) -> Finding:
    return Finding(location, f"{code} {message}", f"{hint} (docs/lint.md#{code.lower()})",
                   code=code, detail=message)


class ClauseFindings(NamedTuple):
    """What PL001 and PL009 find in one clause of a document (`clause_findings`)."""

    clause_id: str
    overbroad: tuple[tuple[int, str], ...]  # (index in OVERBROAD, phrase)
    dated: tuple[tuple[str, bool, dt.date], ...]  # (phrase, past, date)


class DocumentFindings(NamedTuple):
    """A guideline as PL001 and PL009 read it: its language and its clauses' findings."""

    language: str
    clauses: tuple[ClauseFindings, ...]


def findings_of(document: Document, overbroad: bool = True) -> DocumentFindings:
    """What PL001 (only if `overbroad`: it reads US companies alone) and PL009 find."""
    return DocumentFindings(document.meta.language, tuple(
        ClauseFindings(c.clause_id, _overbroad_hits(c) if overbroad else (), _dated(c))
        for c in document.clauses()))


def clause_findings(clause: DocClause, overbroad: bool = True) -> ClauseFindings:
    """What PL001 (if `overbroad`) and PL009 find in one clause."""
    return ClauseFindings(clause.clause_id, _overbroad_hits(clause) if overbroad else (),
                          _dated(clause))


# (audience, language) -> the guideline, or what the rules found in it before
Guidelines = Mapping[tuple[str, str], Document | DocumentFindings]


def lint(library: ClauseLibrary, profile: Profile,
         guidelines: Guidelines | None = None, *, only_given: bool = False) -> list[Finding]:
    """Every finding for one profile, in rule order.

    `guidelines` are documents a build has already rendered for this profile (or what the
    rules found in them, kept by builds/splice.py); the others are composed here, unless
    `only_given` (a build after a clause edit that re-assembled only some documents: the
    others' texts are as the build that made them found them).
    """
    select.check_overrides(library, profile)
    assemblies = [select.select(library, profile, a) for a in profile.audiences]
    chosen = {c.id: c for assembly in assemblies for c in assembly.clauses}
    findings: list[Finding] = []
    findings += _overbroad(library, profile, assemblies, guidelines or {}, only_given)
    findings += _works_council(profile, chosen)
    findings += _advocacy(profile, chosen)
    findings += _listed(profile, chosen)
    findings += _regulated_finance(profile, chosen)
    findings += _healthcare(profile, chosen)
    findings += _stale_sources(profile, chosen)
    findings += _mandatory_excluded(library, profile)
    findings += _stale_dates(library, profile, assemblies, guidelines or {}, only_given)
    return findings


def lint_all(library: ClauseLibrary, profiles: Iterable[Profile]) -> list[Finding]:
    """The findings of every profile."""
    return [finding for profile in profiles for finding in lint(library, profile)]


def _covers(chosen: Mapping[str, Clause], topic: str, jurisdiction: str | None = None) -> bool:
    """Whether a chosen clause covers the topic (with a legal source of that jurisdiction)."""
    return any(topic in c.topics and (jurisdiction is None or any(
        s.jurisdiction == jurisdiction for s in c.legal)) for c in chosen.values())


def _block_texts(document: Document) -> Iterator[tuple[str, str]]:
    """(clause id, text) of the title and every paragraph, list item and table cell."""
    for clause in document.clauses():
        yield clause.clause_id, clause.title
        for text in clause_texts(clause):
            yield clause.clause_id, text


def _dated(clause: DocClause) -> tuple[tuple[str, bool, dt.date], ...]:
    """The dated phrases of a clause's title and texts, in order (made once for its blocks).

    Text by text, each text's phrases remembered: most texts recur in every company's
    documents.
    """
    made = clause.memo.get("lint:dated")
    if made is not None and made[0] is clause.blocks and made[1][0] == clause.title:
        return made[1][1]  # type: ignore[no-any-return]
    found = tuple(phrase for text in (clause.title, *clause_texts(clause))
                  for phrase in _text_dated(text))
    clause.memo["lint:dated"] = (clause.blocks, (clause.title, found))
    return found


@lru_cache(maxsize=20_000)
def _text_dated(text: str) -> tuple[tuple[str, bool, dt.date], ...]:
    """The dated phrases of one text (remembered, as `_text_hits`)."""
    return tuple(dated_phrases(text)) if _YEAR.search(text) else ()


_YEAR = re.compile(r"\d{4}")  # every PL009 phrase ends in a year


def _overbroad_hits(clause: DocClause) -> tuple[tuple[int, str], ...]:
    """(index in OVERBROAD, phrase) for every rule that matches a text of the clause.

    Text by text, leaving out matches that examples beside them excuse; made once for its
    blocks.
    """
    made = clause.memo.get("lint:overbroad")
    if made is not None and made[0] is clause.blocks and made[1][0] == clause.title:
        return made[1][1]  # type: ignore[no-any-return]
    found = tuple(hit for text in (clause.title, *clause_texts(clause))
                  for hit in _text_hits(text))
    clause.memo["lint:overbroad"] = (clause.blocks, (clause.title, found))
    return found


@lru_cache(maxsize=20_000)
def _text_hits(text: str) -> tuple[tuple[int, str], ...]:
    """The overbroad rules one text matches.

    Remembered: most texts recur in every company's documents, beside the few that show its
    name.
    """
    if not _OVERBROAD_WORD.search(text.casefold()):
        return ()
    hits = []
    for index, (_, pattern, excused_by_examples) in enumerate(OVERBROAD):
        match = pattern.search(text)
        if match is None or (excused_by_examples and _EXAMPLES.search(text)):
            continue
        hits.append((index, match.group(0)))
    return tuple(hits)


def clause_texts(clause: DocClause) -> tuple[str, ...]:
    """The plain text of every paragraph, list item and table cell of a clause.

    Made once for its blocks (`Clause.memo`, kept with the build's fragments).
    """
    return clause.made("texts", lambda: _texts(clause.blocks))


def _texts(blocks: tuple[Block, ...]) -> tuple[str, ...]:
    texts: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            texts.append("".join(s.text for s in block.spans))
        elif isinstance(block, ListBlock):
            texts.extend("".join(s.text for s in item) for item in block.items)
        elif isinstance(block, Table):
            texts.extend("".join(s.text for s in cell) for row in (block.header, *block.rows)
                         for cell in row)
    return tuple(texts)


def _overbroad(library: ClauseLibrary, profile: Profile, assemblies: list[select.Assembly],
               guidelines: Guidelines, only_given: bool) -> list[Finding]:
    if "US" not in profile.company["jurisdictions"]:
        return []
    seen: set[tuple[str, str, str]] = set()
    out = []
    for document in _documents(library, profile, assemblies, guidelines, only_given):
        lang = _language(document)
        for clause_id, hits in _found(document, _overbroad_hits, 1):
            clause = library.clauses.get(clause_id)
            if clause is None or (clause.jurisdictions is not None
                                  and "US" not in clause.jurisdictions):
                continue
            for index, phrase in hits:
                if index >= len(OVERBROAD):
                    continue  # not one of these rules (an entry of another program)
                what = OVERBROAD[index].what
                if (clause_id, what, lang) in seen:
                    continue
                seen.add((clause_id, what, lang))
                out.append(_finding(
                    "PL001", _phrase_location(profile, clause, lang, phrase),
                    f"{what} in clause {clause_id} ({lang}): \u201c{phrase}\u201d; "
                    "the NLRB presumes such a rule unlawful for US employees (Stericycle)",
                    "name the conduct narrowly, with examples, and leave discussing pay, "
                    "working conditions and the employer's management free"))
    return out


def _phrase_location(profile: Profile, clause: Clause, lang: str, phrase: str) -> Location:
    """Where a phrase of the output was written: a profile value, else the clause template."""
    path = _find_value(profile.data, (), phrase.lower())
    if path is not None:
        return profile.source.locate(path)
    fields: list[DocPath] = [("text", lang), ("title", lang)]
    fields += [("addenda", i, "text", lang) for i in range(len(clause.addenda))]
    for doc_path in fields:
        template = _field(clause, doc_path)
        for lineno, line in enumerate(template.splitlines(), start=1):
            at = line.lower().find(phrase.lower())
            if at >= 0:
                return template_location(clause, doc_path, lineno, line[at:at + len(phrase)])
    return clause.locate(("text", lang))


def _field(clause: Clause, doc_path: DocPath) -> str:
    if doc_path[0] == "addenda":
        return clause.addenda[int(doc_path[1])].text[str(doc_path[3])]
    texts = clause.text if doc_path[0] == "text" else clause.title
    return texts[str(doc_path[1])]


def _find_value(value: Any, path: DocPath, needle: str) -> DocPath | None:
    if isinstance(value, str):
        return path if needle in value.lower() else None
    if isinstance(value, Mapping):
        items: Iterable[tuple[str | int, Any]] = value.items()
    elif isinstance(value, tuple):
        items = enumerate(value)
    else:
        return None
    for key, child in items:
        found = _find_value(child, (*path, key), needle)
        if found is not None:
            return found
    return None


def _works_council(profile: Profile, chosen: Mapping[str, Clause]) -> list[Finding]:
    company = profile.company
    places = sorted(set(company["jurisdictions"]) & {"DE", "AT"})
    if not places or not company["works_council"]:
        return []
    if profile.data["governance"]["works_agreement"] or any(
            _covers(chosen, "codetermination", place) for place in places):
        return []
    return [_finding("PL002", profile.source.locate(("company", "works_council")),
                     f"works council in {', '.join(places)}, but no co-determination clause "
                     "and no governance.works_agreement; conduct rules for employees are "
                     "subject to co-determination (DE § 87 Abs. 1 Nr. 1 BetrVG)",
                     "keep the co-determination clause, or name the works agreement in "
                     "governance.works_agreement")]


def _advocacy(profile: Profile, chosen: Mapping[str, Clause]) -> list[Finding]:
    employees = profile.data["employees"]
    if not employees["advocacy_program"]:
        return []
    if not employees["disclosure"]["per_post"]:
        return [_finding("PL003", profile.source.locate(("employees", "disclosure", "per_post")),
                         "advocacy programme, but employees.disclosure.per_post is false; a "
                         "profile disclaimer does not replace disclosure in each post "
                         "(16 CFR Part 255; DE § 5a Abs. 4 UWG)",
                         "set employees.disclosure.per_post: true")]
    if _covers(chosen, "endorsement_disclosure"):
        return []
    return [_finding("PL003", profile.source.locate(("employees", "advocacy_program")),
                     "advocacy programme, but no clause requires disclosure in each post",
                     "keep employees.disclosure in the documents")]


def _listed(profile: Profile, chosen: Mapping[str, Clause]) -> list[Finding]:
    company = profile.company
    if not company["listed"]:
        return []
    out = []
    jurisdictions = set(company["jurisdictions"])
    wanted = [("US", "US", "Reg FD")] if "US" in jurisdictions else []
    if jurisdictions & EU_MEMBERS:
        wanted.append(("EU", "EU", "MAR Art. 17"))
    for place, source_jurisdiction, law in wanted:
        if not _covers(chosen, "insider_information", source_jurisdiction):
            out.append(_finding("PL004", profile.source.locate(("company", "listed")),
                                f"listed company in {place} without a rule on inside "
                                f"information and selective disclosure ({law})",
                                "keep the disclosure clause of that jurisdiction"))
    return out


def _regulated_finance(profile: Profile, chosen: Mapping[str, Clause]) -> list[Finding]:
    if not profile.facts["regulated_finance"]:
        return []
    if any({"regulated_content", "documentation"} <= set(c.topics) for c in chosen.values()):
        return []
    return [_finding("PL005", profile.source.locate(("company", "industry")),
                     "regulated financial firm without a clause on pre-approval, supervision "
                     "and archiving of social media communications (US: FINRA Rule 2210, "
                     "SEA Rule 17a-4; elsewhere the rules of the firm's supervisor)",
                     "add a clause for the firm's regulator, or include the matching "
                     "industry clause through overrides.include")]


def _healthcare(profile: Profile, chosen: Mapping[str, Clause]) -> list[Finding]:
    if not profile.facts["healthcare"]:
        return []
    industry = profile.company["industry"]
    if any("third_party_data" in c.topics and c.industries and industry in c.industries
           for c in chosen.values()):
        return []
    return [_finding("PL006", profile.source.locate(("company", "industry")),
                     f"{industry} company without a clause on patient data in social media "
                     "(US: HIPAA, 45 CFR 164.502; EU: GDPR)",
                     "keep the patient-data clause of the company's jurisdictions")]


def _months_before(day: dt.date, months: int) -> dt.date:
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _stale_sources(profile: Profile, chosen: Mapping[str, Clause]) -> list[Finding]:
    document = profile.document
    cycle = int(document["review_cycle_months"])
    cutoff = _months_before(document["effective_date"], cycle)
    out = []
    for clause in sorted(chosen.values(), key=lambda c: c.id):
        for i, source in enumerate(clause.legal):
            if source.checked < cutoff:
                out.append(_finding(
                    "PL007", clause.locate(("legal", i, "checked")),
                    f"{clause.id}: source \u201c{source.source}\u201d was last checked on "
                    f"{source.checked.isoformat()}, more than {cycle} months before the "
                    f"effective date {document['effective_date'].isoformat()}",
                    "check the source again and update `checked`, or shorten the gap"))
    return out


def _mandatory_excluded(library: ClauseLibrary, profile: Profile) -> list[Finding]:
    excluded = list(profile.data["overrides"]["exclude"])
    if not excluded:
        return []
    out = []
    for index, clause_id in enumerate(excluded):
        clause = library.clauses[clause_id]
        required = sorted(clause.mandatory_in & profile.jurisdictions)
        if not required:
            continue
        without = _without_exclude(profile, clause_id)
        if not any(clause_id in {c.id for c in select.select(library, without, a).clauses}
                   for a in profile.audiences if a in clause.audiences):
            continue
        out.append(_finding(
            "PL008", profile.source.locate(("overrides", "exclude", index)),
            f"{clause_id} is excluded, but the law of {', '.join(required)} requires its rule "
            "(mandatory_in)",
            "remove it from overrides.exclude, or replace it with a clause of your own that "
            "covers the same duty"))
    return out


def dated_phrases(text: str) -> Iterator[tuple[str, bool, dt.date]]:
    """(phrase, announced as past, date) for every cue-and-date phrase of a text."""
    for match in _DATED.finditer(text):
        day = match.group("d1") or match.group("d2")
        month = _MONTHS[(match.group("m1") or match.group("m2")).lower()]
        try:
            when = dt.date(int(match.group("y")), month, int(day))
        except ValueError:
            continue
        past = match.group("cue").split()[0].lower() in _PAST_CUES
        yield " ".join(match.group(0).split()), past, when  # as written: no non-breaking spaces


_T = TypeVar("_T")


def _language(document: Document | DocumentFindings) -> str:
    return document.language if isinstance(document, DocumentFindings) \
        else document.meta.language


def _found(document: Document | DocumentFindings, find: Callable[[DocClause], _T],
           field: int) -> Iterator[tuple[str, _T]]:
    """(clause id, what `find` finds) per clause, or the `field` of the kept findings."""
    if isinstance(document, DocumentFindings):
        for kept in document.clauses:
            yield kept.clause_id, cast(_T, kept[field])
    else:
        for clause in document.clauses():
            yield clause.clause_id, find(clause)


def _documents(library: ClauseLibrary, profile: Profile, assemblies: list[select.Assembly],
               guidelines: Guidelines,
               only_given: bool) -> Iterator[Document | DocumentFindings]:
    """Every guideline of the profile: the build's where it has them, else composed here."""
    for assembly in assemblies:
        for lang in profile.languages:
            given = guidelines.get((assembly.audience, lang))
            if given is not None:
                yield given
            elif not only_given:
                yield compose.compose(library, assembly, profile, lang)


def _stale_dates(library: ClauseLibrary, profile: Profile, assemblies: list[select.Assembly],
                 guidelines: Guidelines, only_given: bool) -> list[Finding]:
    effective = profile.document["effective_date"]
    seen: set[tuple[str, str]] = set()
    out = []
    for document in _documents(library, profile, assemblies, guidelines, only_given):
        lang = _language(document)
        for clause_id, dated in _found(document, _dated, 2):
            clause = library.clauses.get(clause_id)
            if clause is None:
                continue
            for phrase, past, when in dated:
                if (past and when <= effective) or (not past and when >= effective):
                    continue
                if (clause_id, phrase) in seen:
                    continue
                seen.add((clause_id, phrase))
                tense = "has applied since" if not past else "will apply only from"
                out.append(_finding(
                    "PL009", _phrase_location(profile, clause, lang, phrase),
                    f"clause {clause_id} ({lang}) says \u201c{phrase}\u201d, but the rule "
                    f"{tense} then: the documents take effect on {effective.isoformat()}",
                    "state the rule without the date, or relative to the effective date; "
                    "keep the date in the clause's legal source"))
    return out


def _without_exclude(profile: Profile, clause_id: str) -> Profile:
    overrides = profile.data["overrides"]
    kept = tuple(c for c in overrides["exclude"] if c != clause_id)
    data = MappingProxyType({**profile.data, "overrides": MappingProxyType(
        {**overrides, "exclude": kept})})
    return replace(profile, data=data)


def render(findings: Iterable[Problem], level: str = "warning") -> str:
    """Findings as `path:line:col: warning: PL00n message` lines with their hints."""
    return findings_text(findings, level)

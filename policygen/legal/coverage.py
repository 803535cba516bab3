"""Topic coverage: which topic the library covers in which jurisdiction, and what a profile misses.

Pure functions over a loaded library, the parsed topic catalogue (schemas/topics.yaml) and a
profile; the command `policygen coverage` prints their results. The rules are described in
docs/coverage.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jinja2

from policygen.core import select, templating
from policygen.core.clauses import Clause, ClauseLibrary
from policygen.core.profile import FACT_NAMES, Profile
from policygen.core.source import SourceDoc
from policygen.errors import LibraryError, Location, Problem
from policygen.vocabulary import AUDIENCES, EU, EU_MEMBERS, LEGAL_SYSTEMS

JURISDICTIONS = LEGAL_SYSTEMS
GROUPS = ("governance", "employees", "official", "community")

COVERED = "covered"          # a clause without further conditions serves the topic there
CONDITIONAL = "conditional"  # only clauses with an industry or `when` condition serve it
MISSING = "missing"          # the topic applies there, but no clause serves it
NOT_APPLICABLE = "n/a"       # the topic does not apply in that jurisdiction


@dataclass(frozen=True)
class Topic:
    """One topic of the catalogue."""

    id: str
    n: int
    group: str
    title: str
    audiences: frozenset[str]
    expected_when: str
    jurisdictions: frozenset[str] | None
    location: Location


@dataclass(frozen=True)
class Cell:
    """One topic in one jurisdiction: its status and the clauses that serve it there."""

    status: str
    clauses: tuple[str, ...]


@dataclass(frozen=True)
class LibraryCoverage:
    """The topics x jurisdictions matrix of a library."""

    clause_count: int
    topics: tuple[Topic, ...]
    cells: Mapping[tuple[str, str], Cell]

    def gaps(self) -> list[tuple[Topic, str]]:
        """(topic, jurisdiction) pairs where the topic applies but no clause serves it."""
        return [(t, j) for t in self.topics for j in JURISDICTIONS
                if self.cells[(t.id, j)].status == MISSING]


@dataclass(frozen=True)
class Edition:
    """One topic in one edition (audience) of a profile's documents."""

    expected: bool
    clauses: tuple[str, ...]


@dataclass(frozen=True)
class TopicStatus:
    """One topic for one profile: expected or not (and why), and the clauses per edition."""

    topic: Topic
    expected: bool
    reason: str
    editions: Mapping[str, Edition]


@dataclass(frozen=True)
class Gap:
    """An expected topic that an edition does not cover, with the clauses that could have."""

    topic: Topic
    audience: str
    candidates: tuple[tuple[str, str], ...]  # (clause id, why it is left out)
    location: Location


@dataclass(frozen=True)
class ProfileCoverage:
    """Which expected topics a profile's documents cover, per edition, and which are missing."""

    profile: str
    audiences: tuple[str, ...]
    topics: tuple[TopicStatus, ...]
    gaps: tuple[Gap, ...]

    @property
    def expected_count(self) -> int:
        """How many topics the company's documents must cover."""
        return sum(1 for status in self.topics if status.expected)


def parse_topics(doc: SourceDoc) -> tuple[Topic, ...]:
    """The topic catalogue from parsed schemas/topics.yaml; raise LibraryError on any problem."""
    problems: list[Problem] = []
    topics: list[Topic] = []
    if not isinstance(doc.data, dict):
        raise LibraryError.at(doc.locate(()), "the topic catalogue must map topic ids to topics",
                              "each entry: `purpose: {n: 1, group: governance, ...}`")
    for topic_id, entry in doc.data.items():
        if str(topic_id).startswith("_"):
            continue
        topic = _topic(doc, str(topic_id), entry, problems)
        if topic is not None:
            topics.append(topic)
    numbers = [t.n for t in topics]
    for topic in topics:
        if numbers.count(topic.n) > 1:
            problems.append(Problem(doc.locate((topic.id, "n")),
                                    f"topic number {topic.n} is used more than once",
                                    "number the topics 1, 2, 3, ... without repeats"))
    if problems:
        raise LibraryError(sorted(problems, key=lambda p: (p.location, p.message)))
    return tuple(sorted(topics, key=lambda t: t.n))


def _topic(doc: SourceDoc, topic_id: str, entry: Any, problems: list[Problem]) -> Topic | None:
    where = doc.locate((topic_id,))
    expected_keys = {"n", "group", "title", "audiences", "expected_when", "jurisdictions"}
    if not isinstance(entry, dict):
        problems.append(Problem(where, f"topic '{topic_id}' must be a mapping",
                                "`{n: 1, group: governance, title: ..., audiences: [...], "
                                "expected_when: \"true\"}`"))
        return None
    found: list[Problem] = []
    for key in sorted(set(entry) - expected_keys):
        found.append(Problem(doc.locate((topic_id, key), key=True),
                             f"unknown key '{key}' in topic '{topic_id}'",
                             f"allowed keys: {', '.join(sorted(expected_keys))}"))
    for key in sorted(expected_keys - set(entry) - {"jurisdictions"}):
        found.append(Problem(where, f"topic '{topic_id}' lacks '{key}'",
                             f"add `{key}:` to the topic"))
    if found:
        problems.extend(found)
        return None
    checks = [
        (isinstance(entry["n"], int) and not isinstance(entry["n"], bool), "n",
         "n must be a whole number", "the topic's number in the catalogue"),
        (entry["group"] in GROUPS, "group", f"unknown group '{entry['group']}'",
         f"groups: {', '.join(GROUPS)}"),
        (isinstance(entry["title"], str) and bool(entry["title"]), "title",
         "title must be a text", "a short English name"),
        (isinstance(entry["audiences"], list) and bool(entry["audiences"])
         and set(entry["audiences"]) <= set(AUDIENCES) and "legal" in entry["audiences"],
         "audiences", "audiences must list editions and include legal",
         f"choose from {', '.join(AUDIENCES)}; the legal edition carries every topic"),
        (entry.get("jurisdictions") is None or (isinstance(entry["jurisdictions"], list)
         and set(entry["jurisdictions"]) <= set(JURISDICTIONS)), "jurisdictions",
         "jurisdictions must list known jurisdictions", f"choose from {', '.join(JURISDICTIONS)}"),
    ]
    for ok, key, message, hint in checks:
        if not ok:
            found.append(Problem(doc.locate((topic_id, key)), f"topic '{topic_id}': {message}",
                                 hint))
    found.extend(_check_expression(doc, topic_id, entry["expected_when"]))
    if found:
        problems.extend(found)
        return None
    jurisdictions = entry.get("jurisdictions")
    return Topic(topic_id, entry["n"], entry["group"], entry["title"],
                 frozenset(entry["audiences"]), entry["expected_when"],
                 frozenset(jurisdictions) if jurisdictions is not None else None, where)


def _check_expression(doc: SourceDoc, topic_id: str, expression: Any) -> list[Problem]:
    where = doc.locate((topic_id, "expected_when"))
    if not isinstance(expression, str):
        return [Problem(where, f"topic '{topic_id}': expected_when must be a text",
                        "a jinja2 expression in quotes, e.g. \"true\" or \"company.listed\"")]
    env = templating.environment("en")
    try:
        ast = env.parse("{{ " + expression + " }}")
        env.compile_expression(expression)
    except jinja2.TemplateSyntaxError as exc:
        return [Problem(where, f"topic '{topic_id}': expected_when does not compile: "
                               f"{exc.message}",
                        "write a jinja2 expression, e.g. \"'US' in company.jurisdictions\"")]
    return [Problem(where, f"topic '{topic_id}': {use.problem}",
                    "expected_when uses the same variables as clause conditions")
            for use in templating.unknown_paths(ast, FACT_NAMES)]


def check_topics(topics: tuple[Topic, ...], library: ClauseLibrary) -> None:
    """The catalogue and the library must name the same topics."""
    ours = {t.id for t in topics}
    problems = [Problem(Location("schemas/topics.yaml"),
                        f"topic '{topic_id}' is known to the library but not to the catalogue",
                        "load both from the same schemas/topics.yaml")
                for topic_id in sorted(set(library.topics) - ours)]
    if problems:
        raise LibraryError(problems)


def clause_reaches(clause: Clause, jurisdiction: str) -> bool:
    """Whether a clause can apply to a company operating in `jurisdiction`.

    `EU` stands for every company in an EU member state: a clause reaches it when it applies
    everywhere, names EU, or names every member state.
    """
    if clause.jurisdictions is None:
        return True
    if jurisdiction in clause.jurisdictions:
        return True
    if jurisdiction in EU_MEMBERS:
        return "EU" in clause.jurisdictions
    if jurisdiction == "EU":
        return EU_MEMBERS <= clause.jurisdictions
    return False


def source_addresses(system: str, jurisdiction: str) -> bool:
    """Whether a legal source of `system` states the law of `jurisdiction`.

    EU law is the law of every member state; international sources (treaties, platform
    terms) apply everywhere.
    """
    if system in (jurisdiction, "INT"):
        return True
    return system == "EU" and jurisdiction in EU_MEMBERS


def clause_serves(clause: Clause, topic: str, jurisdiction: str) -> bool:
    """Whether a clause covers `topic` for a company operating in `jurisdiction`.

    The clause must list the topic and reach the jurisdiction. A clause for every
    jurisdiction (no `jurisdictions` list) is the library's general rule and serves the topic
    wherever it reaches. A clause written for particular jurisdictions serves the topic only
    where it addresses that jurisdiction's rule: one of its legal sources of that
    jurisdiction (or EU law, for a member state) supports the topic, or none of its sources
    supports the topic at all (a practice rule, not a legal one). It serves the EU column when
    it cites EU law for the topic or serves every member state. So a health-data clause
    that names Switzerland for data protection does not cover Swiss medicines advertising.
    """
    if topic not in clause.topics or not clause_reaches(clause, jurisdiction):
        return False
    if clause.jurisdictions is None:
        return True
    supporting = [s for s in clause.legal if s.supports(topic)]
    if not supporting or any(source_addresses(s.jurisdiction, jurisdiction) for s in supporting):
        return True
    return jurisdiction == EU and all(clause_serves(clause, topic, member)
                                      for member in EU_MEMBERS)


def topic_applies(topic: Topic, jurisdiction: str) -> bool:
    """Whether a topic applies in a jurisdiction (topics without a list apply everywhere)."""
    if topic.jurisdictions is None or jurisdiction in topic.jurisdictions:
        return True
    return jurisdiction in EU_MEMBERS and "EU" in topic.jurisdictions


def _conditional(clause: Clause) -> bool:
    return clause.industries is not None or clause.when is not None


def library_coverage(library: ClauseLibrary, topics: tuple[Topic, ...]) -> LibraryCoverage:
    """The topics x jurisdictions matrix of a library."""
    ordered = library.ordered()
    cells: dict[tuple[str, str], Cell] = {}
    for topic in topics:
        serving = [c for c in ordered if topic.id in c.topics]
        for jurisdiction in JURISDICTIONS:
            here = [c for c in serving if clause_serves(c, topic.id, jurisdiction)]
            ids = tuple(c.id for c in here)
            if not topic_applies(topic, jurisdiction):
                status = NOT_APPLICABLE
            elif not here:
                status = MISSING
            elif all(_conditional(c) for c in here):
                status = CONDITIONAL
            else:
                status = COVERED
            cells[(topic.id, jurisdiction)] = Cell(status, ids)
    return LibraryCoverage(len(library.clauses), topics, cells)


def expectation(topic: Topic, profile: Profile) -> tuple[bool, str]:
    """Whether a profile's documents must cover a topic, and why (or why not)."""
    if topic.jurisdictions is not None and not any(
            topic_applies(topic, j) for j in profile.company["jurisdictions"]):
        return False, (f"applies only in {', '.join(sorted(topic.jurisdictions))}; the company "
                       f"operates in {', '.join(profile.company['jurisdictions'])}")
    if topic.expected_when.strip() == "true":
        return True, "expected of every company"
    context = templating.context(profile.data, profile.facts, "en", "legal")
    try:
        holds = bool(templating.environment("en").compile_expression(topic.expected_when)(
            **context))
    except (jinja2.TemplateError, TypeError, ValueError, AttributeError) as exc:
        raise LibraryError.at(topic.location, f"expected_when of topic '{topic.id}' failed for "
                              f"{profile.path}: {exc}",
                              "expected_when may only use declared profile fields") from None
    if holds:
        return True, f"expected: {topic.expected_when}"
    return False, f"not expected: {topic.expected_when} is false"


def profile_audiences(profile: Profile) -> tuple[str, ...]:
    """The editions checked: the profile's own, and always the complete (legal) edition."""
    return tuple(a for a in AUDIENCES if a in profile.audiences or a == "legal")


def profile_coverage(library: ClauseLibrary, topics: tuple[Topic, ...],
                     profile: Profile) -> ProfileCoverage:
    """Which expected topics each edition of a profile's documents covers, and which it misses."""
    audiences = profile_audiences(profile)
    assemblies = {a: select.select(library, profile, a) for a in audiences}
    statuses: list[TopicStatus] = []
    gaps: list[Gap] = []
    for topic in topics:
        expected, reason = expectation(topic, profile)
        where = [j for j in profile.company["jurisdictions"] if topic_applies(topic, j)] or \
            list(profile.company["jurisdictions"])
        editions: dict[str, Edition] = {}
        for audience in audiences:
            assembly = assemblies[audience]
            ids = tuple(c.id for c in assembly.clauses if any(
                clause_serves(c, topic.id, j) for j in where))
            wanted = expected and audience in topic.audiences
            editions[audience] = Edition(wanted, ids)
            if wanted and not ids:
                gaps.append(_gap(library, profile, topic, assembly))
        statuses.append(TopicStatus(topic, expected, reason, editions))
    return ProfileCoverage(profile.path, audiences, tuple(statuses), tuple(gaps))


def _gap(library: ClauseLibrary, profile: Profile, topic: Topic,
         assembly: select.Assembly) -> Gap:
    candidates = tuple((c.id, assembly.reason(c.id)) for c in library.ordered()
                       if topic.id in c.topics)
    excluded = list(profile.data["overrides"]["exclude"])
    where = profile.source.locate(())
    for clause_id, _ in candidates:
        if clause_id in excluded:
            where = profile.source.locate(("overrides", "exclude", excluded.index(clause_id)))
            break
    return Gap(topic, assembly.audience, candidates, where)


def gap_problems(coverage: ProfileCoverage) -> list[Problem]:
    """One located problem per missing topic and edition."""
    problems = []
    for gap in coverage.gaps:
        excluded = [cid for cid, why in gap.candidates if why == "excluded by overrides.exclude"]
        if excluded:
            hint = f"remove {', '.join(excluded)} from overrides.exclude"
        elif gap.candidates:
            hint = "no clause on this topic applies to the company: " + "; ".join(
                f"{cid}: {why}" for cid, why in gap.candidates)
        else:
            hint = "the library has no clause on this topic; add one"
        problems.append(Problem(gap.location, f"topic {gap.topic.n} '{gap.topic.id}' is "
                                f"expected but missing from the {gap.audience} edition", hint))
    return problems

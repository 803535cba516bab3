"""Which clauses of the library apply to a profile and audience, in which order, and why."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jinja2

from policygen.core import templating
from policygen.core.clauses import Clause, ClauseLibrary
from policygen.core.profile import Profile
from policygen.errors import Problem, ProfileError, RenderError


@dataclass(frozen=True)
class Decision:
    """Whether one library clause is in the document, and why."""

    clause_id: str
    included: bool
    reason: str


@dataclass(frozen=True)
class Assembly:
    """The ordered clauses of one document, and a decision for every clause of the library."""

    audience: str
    clauses: tuple[Clause, ...]
    decisions: tuple[Decision, ...]

    def reason(self, clause_id: str) -> str:
        """Why a clause is in or out."""
        for decision in self.decisions:
            if decision.clause_id == clause_id:
                return decision.reason
        raise KeyError(clause_id)

    def clause(self, clause_id: str) -> Clause | None:
        """The selected clause of that id, or None when it is not in this document."""
        return next((c for c in self.clauses if c.id == clause_id), None)


_CONDITIONS: dict[tuple[str, str], Callable[..., Any]] = {}


def check_overrides(library: ClauseLibrary, profile: Profile) -> None:
    """Every clause id named in the profile's overrides must exist in the library."""
    problems = []
    overrides = profile.data["overrides"]
    for key in ("include", "exclude"):
        for i, clause_id in enumerate(overrides[key]):
            if clause_id not in library.clauses:
                close = difflib.get_close_matches(clause_id, list(library.clauses), n=1)
                problems.append(Problem(
                    profile.source.locate(("overrides", key, i)),
                    f"overrides.{key} names unknown clause '{clause_id}'",
                    f"did you mean '{close[0]}'?" if close
                    else "`policygen clauses` lists every id",
                ))
    both = set(overrides["include"]) & set(overrides["exclude"])
    for clause_id in sorted(both):
        index = list(overrides["exclude"]).index(clause_id)
        problems.append(Problem(profile.source.locate(("overrides", "exclude", index)),
                                f"clause '{clause_id}' is both included and excluded",
                                "keep it in one of the two lists"))
    if problems:
        raise ProfileError(problems)


def condition(clause: Clause) -> Callable[..., Any]:
    """The compiled `when` expression of a clause (cached per clause version)."""
    key = (clause.id, clause.digest)
    compiled = _CONDITIONS.get(key)
    if compiled is None:
        assert clause.when is not None
        compiled = templating.environment("en").compile_expression(clause.when)
        _CONDITIONS[key] = compiled
    return compiled


def _own_decision(clause: Clause, profile: Profile, audience: str,
                  context: dict[str, Any]) -> Decision:
    overrides = profile.data["overrides"]
    if clause.id in overrides["exclude"]:
        return Decision(clause.id, False, "excluded by overrides.exclude")
    if audience not in clause.audiences:
        only = ", ".join(sorted(clause.audiences))
        return Decision(clause.id, False, f"not for the {audience} edition (only {only})")
    if clause.id in overrides["include"]:
        return Decision(clause.id, True, "included by overrides.include")
    reasons = []
    if clause.jurisdictions is not None:
        hit = sorted(clause.jurisdictions & profile.jurisdictions)
        if not hit:
            return Decision(clause.id, False,
                            f"only for {', '.join(sorted(clause.jurisdictions))}; the company "
                            f"operates in {', '.join(sorted(profile.company['jurisdictions']))}")
        reasons.append(f"jurisdiction {', '.join(hit)}")
    if clause.industries is not None:
        industry = profile.company["industry"]
        if industry not in clause.industries:
            return Decision(clause.id, False,
                            f"only for industry {', '.join(sorted(clause.industries))}; "
                            f"the company is {industry}")
        reasons.append(f"industry {industry}")
    if clause.when is not None:
        try:
            holds = bool(condition(clause)(**context))
        except (jinja2.TemplateError, TypeError, ValueError, AttributeError,
                ArithmeticError) as exc:
            raise RenderError.at(clause.locate(("when",)),
                                 f"condition of {clause.id} failed for {profile.path}: {exc}",
                                 "conditions may only use declared profile fields") from None
        if not holds:
            return Decision(clause.id, False, f"condition is false: {clause.when}")
        reasons.append(f"condition holds: {clause.when}")
    return Decision(clause.id, True, "; ".join(reasons) or "applies to every company")


def select(library: ClauseLibrary, profile: Profile, audience: str) -> Assembly:
    """Decide every clause of the library for one profile and audience."""
    context = templating.context(profile.data, profile.facts, "en", audience)
    ordered = library.ordered()
    decisions = {c.id: _own_decision(c, profile, audience, context) for c in ordered}
    excluded_by_override = set(profile.data["overrides"]["exclude"])
    changed = True
    while changed:
        changed = False
        for clause in ordered:
            if not decisions[clause.id].included:
                continue
            for target in clause.requires:
                current = decisions[target]
                if current.included or target in excluded_by_override:
                    continue
                if audience not in library.clauses[target].audiences:
                    continue
                decisions[target] = Decision(target, True, f"required by {clause.id}")
                changed = True
    for clause in ordered:
        if not decisions[clause.id].included:
            continue
        for target in clause.excludes:
            if decisions[target].included and decisions[target].reason != \
                    "included by overrides.include":
                decisions[target] = Decision(target, False, f"excluded by {clause.id}")
    chosen = tuple(c for c in ordered if decisions[c.id].included)
    return Assembly(audience, chosen, tuple(decisions[c.id] for c in ordered))

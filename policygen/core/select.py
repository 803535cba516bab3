"""Which clauses of the library apply to a profile and audience, in which order, and why."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from typing import Any

import jinja2

from policygen import i18n
from policygen.core import templating
from policygen.core.clauses import Clause, ClauseLibrary
from policygen.core.layers import BUNDLED
from policygen.core.profile import Profile
from policygen.errors import Problem, ProfileError, RenderError


@dataclass(frozen=True)
class Reason:
    """One ground of a decision: its kind and the facts it rests on.

    Kinds (each a catalogue entry `select.reason.<kind>`): every_company, included,
    excluded, required_by, excluded_by (fact: the clause id), not_for_edition (fact: the
    audience, other: the clause's audiences), jurisdiction (fact: the matching ones),
    not_jurisdiction (fact: the clause's, other: the company's), industry (fact: the company's),
    not_industry (fact: the clause's, other: the company's), condition_holds and
    condition_false (fact: the condition), layer (fact: the library layer a company's clause
    comes from) and layer_replacing (fact: that layer, other: the layer whose clause it replaces).
    """

    kind: str
    fact: str = ""
    other: str = ""

    def words(self, lang: str) -> str:
        """The reason in words of one language."""
        return _reason_words(lang, self.kind, self.fact, self.other)


@lru_cache(maxsize=4096)  # the same few reasons recur in every company's documents
def _reason_words(lang: str, kind: str, fact: str, other: str) -> str:
    return i18n.text(lang, f"select.reason.{kind}", fact=fact, other=other)


@dataclass(frozen=True)
class Decision:
    """Whether one library clause is in the document, and why."""

    clause_id: str
    included: bool
    reasons: tuple[Reason, ...]

    @property
    def reason(self) -> str:
        """Why, in English (for the command line and reports)."""
        return self.words("en")

    def words(self, lang: str) -> str:
        """Why, in words of one language."""
        return "; ".join(r.words(lang) for r in self.reasons)


@dataclass(frozen=True)
class Assembly:
    """The ordered clauses of one document, and a decision for every clause of the library."""

    audience: str
    clauses: tuple[Clause, ...]
    decisions: tuple[Decision, ...]

    def decision(self, clause_id: str) -> Decision:
        """The decision on a clause."""
        return self._by_id[clause_id]

    @cached_property
    def _by_id(self) -> dict[str, Decision]:
        by_id: dict[str, Decision] = {}
        for decision in self.decisions:
            by_id.setdefault(decision.clause_id, decision)
        return by_id

    def reason(self, clause_id: str) -> str:
        """Why a clause is in or out, in English."""
        return self.decision(clause_id).reason

    def clause(self, clause_id: str) -> Clause | None:
        """The selected clause of that id, or None when it is not in this document."""
        return next((c for c in self.clauses if c.id == clause_id), None)


def layer_reason(layer: str, replaced: str | None) -> Reason:
    """Where a clause from a layer over the lowest one (a company's folder) comes from."""
    return Reason("layer_replacing", layer, replaced) if replaced else Reason("layer", layer)


_CONDITIONS: dict[tuple[str, str], Callable[..., Any]] = {}


def check_overrides(library: ClauseLibrary, profile: Profile) -> None:
    """Every clause id named in the profile's overrides must exist in the library."""
    problems = []
    overrides = profile.data["overrides"]
    for key in ("include", "exclude"):
        for i, clause_id in enumerate(overrides[key]):
            if clause_id not in library.clauses:
                import difflib  # only to suggest a name

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
        compiled = templating.compile_condition(clause.when)
        _CONDITIONS[key] = compiled
    return compiled


def _own_decision(clause: Clause, profile: Profile, audience: str,
                  context: dict[str, Any]) -> Decision:
    overrides = profile.data["overrides"]
    if clause.id in overrides["exclude"]:
        return Decision(clause.id, False, (Reason("excluded"),))
    if audience not in clause.audiences:
        only = ", ".join(sorted(clause.audiences))
        return Decision(clause.id, False, (Reason("not_for_edition", audience, only),))
    if clause.id in overrides["include"]:
        return Decision(clause.id, True, (Reason("included"),))
    reasons: list[Reason] = []
    if clause.jurisdictions is not None:
        hit = sorted(clause.jurisdictions & profile.jurisdictions)
        if not hit:
            return Decision(clause.id, False, (Reason(
                "not_jurisdiction", ", ".join(sorted(clause.jurisdictions)),
                ", ".join(sorted(profile.company["jurisdictions"]))),))
        reasons.append(Reason("jurisdiction", ", ".join(hit)))
    if clause.industries is not None:
        industry = profile.company["industry"]
        if industry not in clause.industries:
            return Decision(clause.id, False, (Reason(
                "not_industry", ", ".join(sorted(clause.industries)), industry),))
        reasons.append(Reason("industry", industry))
    if clause.when is not None:
        try:
            holds = bool(condition(clause)(**context))
        except (jinja2.TemplateError, TypeError, ValueError, AttributeError,
                ArithmeticError) as exc:
            raise RenderError.at(clause.locate(("when",)),
                                 f"condition of {clause.id} failed for {profile.path}: {exc}",
                                 "conditions may only use declared profile fields") from None
        if not holds:
            return Decision(clause.id, False, (Reason("condition_false", clause.when),))
        reasons.append(Reason("condition_holds", clause.when))
    return Decision(clause.id, True, tuple(reasons) or (Reason("every_company"),))


_SELECTED: list[tuple[ClauseLibrary, Profile, str, Assembly]] = []


def select(library: ClauseLibrary, profile: Profile, audience: str) -> Assembly:
    """Decide every clause of the library for one profile and audience.

    The last few decisions are remembered (by the identity of the library and the profile,
    both immutable): the build, its lint and its summaries ask for the same ones.
    """
    for known in _SELECTED:
        if known[0] is library and known[1] is profile and known[2] == audience:
            return known[3]
    assembly = _select(library, profile, audience)
    _SELECTED[:] = [*_SELECTED[-7:], (library, profile, audience, assembly)]
    return assembly


def _select(library: ClauseLibrary, profile: Profile, audience: str) -> Assembly:
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
                decisions[target] = Decision(target, True, (Reason("required_by", clause.id),))
                changed = True
    for clause in ordered:
        if not decisions[clause.id].included:
            continue
        for target in clause.excludes:
            if decisions[target].included and decisions[target].reasons != (Reason("included"),):
                decisions[target] = Decision(target, False, (Reason("excluded_by", clause.id),))
    chosen = tuple(c for c in ordered if decisions[c.id].included)
    base = library.layers[0].name if library.layers else BUNDLED
    for clause in chosen:
        if clause.layer != base:
            decisions[clause.id] = replace(decisions[clause.id], reasons=(
                *decisions[clause.id].reasons, layer_reason(clause.layer, clause.replaced)))
    return Assembly(audience, chosen, tuple(decisions[c.id] for c in ordered))

"""Hypothesis strategies derived from schemas/profile.yaml: valid profiles and their mutations.

`profiles()` reads the cerberus schema and draws a value for every field it declares (enums,
lists, optional fields, localized texts), using odd but valid texts: Markdown, HTML and
template syntax, XML specials and non-ASCII letters. It then applies the consistency rules that
profile.py checks beyond the schema (a usable folder name, service hours in order, ascending
escalation levels, KPIs only for chosen goals, history before the effective date, existing
clause ids), so that every drawn profile is one policygen must accept.

`mutations()` damages a valid profile the way people do when they copy and edit: delete a key,
change a type, insert junk or an unknown key, use a wrong enum value, or edit the YAML text.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import yaml
from hypothesis import strategies as st

from policygen.core import profile as profile_module
from policygen.core import schema
from policygen.vocabulary import LOCALES

Data = dict[str, Any]
Path_ = tuple[str | int, ...]

_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"
# Letters, digits, punctuation, symbols and spaces of every script; no control, surrogate,
# private-use or unassigned characters, no bidi controls: what a profile may hold.
CHARACTERS = st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Co", "Cn"),
                           exclude_characters=_BIDI + "\ufffe\uffff")
PRINTABLE = st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Co", "Cn", "Z"),
                          exclude_characters=_BIDI + "\ufffe\uffff")
ODD = (
    "{{ company.name }}", "{{ ''.__class__.__mro__ }}", "{% include '/etc/passwd' %}",
    "{% raw %}", "{#", "#}", "**bold**", "_em_", "`code`", "[link](javascript:alert(1))",
    "<script>alert(1)</script>", "<b>", "&amp;", "&", "<", ">", "]]>", '"', "'", "\\",
    "# heading", "1. item", "- item", "> quote", "| a | b |", "---", "***", "\t", "  ",
    "Müller & Söhne", "Gesellschaft für Ökologie", "株式会社", "شركة", "🚀", "e\u0301",
    "Acme Inc.", "...", "%s", "{0}", "$HOME", "${x}", "\u00a0", "\u2028",
)


def free_text(max_size: int) -> st.SearchStrategy[str]:
    """Single-line text from odd snippets and arbitrary characters, never blanks only (the
    schema rejects those: a person meant to leave the key out)."""
    pieces = st.one_of(st.sampled_from(ODD), st.text(CHARACTERS, min_size=1, max_size=12))
    text = st.lists(pieces, min_size=1, max_size=4).map(" ".join)
    text = text.map(lambda s: s.replace("\n", " ").replace("\r", " ")[:max_size])
    return text.filter(lambda s: bool(s.strip()))


def url() -> st.SearchStrategy[str]:
    """A web address with odd but legal characters in its path."""
    path = st.text(PRINTABLE.filter(lambda c: c not in '<>"'), max_size=30)
    return st.builds(lambda scheme, host, rest: f"{scheme}://{host}.example/{rest}"[:300],
                     st.sampled_from(["http", "https"]),
                     st.from_regex(r"[a-z0-9-]{1,20}", fullmatch=True), path)


_REGEX_STRATEGIES: dict[str, Callable[[], st.SearchStrategy[str]]] = {
    r'https?://[^\s<>"]+': url,
    r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}": lambda: st.from_regex(
        r"[A-Za-z0-9._%+-]{1,20}@[A-Za-z0-9-]{1,15}(\.[A-Za-z0-9-]{1,10}){0,2}\.[A-Za-z]{2,6}",
        fullmatch=True),
    r"\+?[0-9 ()/-]{5,25}": lambda: st.from_regex(r"\+?[0-9 ()/-]{5,25}", fullmatch=True),
    r"([01][0-9]|2[0-3]):[0-5][0-9]": lambda: st.from_regex(r"([01][0-9]|2[0-3]):[0-5][0-9]",
                                                             fullmatch=True),
    r"[A-Za-z_]+(/[A-Za-z_+-]+)*": lambda: st.from_regex(
        r"[A-Za-z_]{1,15}(/[A-Za-z_+-]{1,15}){0,2}", fullmatch=True),
    r"#[^\s#]+": lambda: st.text(PRINTABLE.filter(lambda c: c != "#"), min_size=1,
                                 max_size=30).map(lambda s: "#" + s),
    r"[^\s]+": lambda: st.text(PRINTABLE, min_size=1, max_size=40),
    r"[0-9]+(\.[0-9]+){0,2}": lambda: st.from_regex(r"[0-9]{1,3}(\.[0-9]{1,3}){0,2}",
                                                    fullmatch=True),
    r"[a-z][a-z0-9_]*": lambda: st.from_regex(r"[a-z][a-z0-9_]{0,15}", fullmatch=True),
}


def _string(rules: Data) -> st.SearchStrategy[Any]:
    if "allowed" in rules:
        return st.sampled_from(list(rules["allowed"]))
    limit = int(rules.get("maxlength", 200))
    pattern = rules.get("regex")
    if pattern is None or pattern == r"[^\n\r]*":
        return free_text(limit)
    if pattern not in _REGEX_STRATEGIES:
        raise KeyError(f"no strategy for regex {pattern!r}: add one to tests/strategies.py")
    return _REGEX_STRATEGIES[pattern]().filter(lambda s: 0 < len(s) <= limit)


def _number(rules: Data, integer: bool) -> st.SearchStrategy[Any]:
    low, high = rules.get("min", 0), rules.get("max", 10_000_000)
    ints = st.integers(int(-(-low // 1)), int(high))
    if integer:
        return ints
    return st.one_of(ints, st.floats(low, high, allow_nan=False, allow_infinity=False))


def from_rules(rules: Data) -> st.SearchStrategy[Any]:
    """A strategy for any value the cerberus rules accept (before profile.py's checks)."""
    kind = rules.get("type")
    if kind == "string":
        return _string(rules)
    if kind == "localized":
        line = free_text(int(rules.get("maxlength", 120)))
        return st.one_of(line, st.fixed_dictionaries({"de": line, "en": line}))
    if kind in ("integer", "number"):
        return _number(rules, kind == "integer")
    if kind == "boolean":
        return st.booleans()
    if kind == "date":
        return st.dates(dt.date(1900, 1, 1), dt.date(2999, 12, 31))
    if kind == "list":
        return st.lists(from_rules(rules["schema"]), min_size=int(rules.get("minlength", 0)),
                        max_size=max(3, int(rules.get("minlength", 0))))
    if kind == "dict" and "schema" in rules:
        required = {k: from_rules(v) for k, v in rules["schema"].items() if v.get("required")}
        optional = {k: from_rules(v) for k, v in rules["schema"].items()
                    if not v.get("required")}
        return st.fixed_dictionaries(required, optional=optional)
    if kind == "dict":
        keys = from_rules(rules.get("keysrules", {"type": "string"}))
        return st.dictionaries(keys, from_rules(rules["valuesrules"]), max_size=3)
    raise KeyError(f"no strategy for rules {rules!r}")


def _usable_name(name: str) -> str:
    slug = profile_module._slug(name)
    return name if slug and slug not in profile_module._RESERVED else f"Acme {name}"


def _consistent(data: Data, clause_ids: Sequence[str]) -> Data:
    """Apply the rules profile.py and select.py check beyond the schema."""
    company = data["company"]
    key = "short_name" if "short_name" in company else "name"
    company[key] = _usable_name(company[key])[:80 if key == "short_name" else 200]
    hours = data["criticism"]["service_hours"]
    start, end = sorted((hours["start"], hours["end"]))
    if start == end:
        start, end = "00:00", "23:59"
    hours["start"], hours["end"] = start, end
    for level, entry in enumerate(data["criticism"]["escalation"], start=1):
        entry["level"] = level
    strategy = data["strategy"]
    for channel in strategy.get("channels", []):  # a channel on "other" needs its name
        if channel["platform"] == "other" and not channel.get("name"):
            channel["name"] = "Nextdoor"
    for goal in strategy.get("kpis", {}):
        if goal not in strategy["goals"]:
            strategy["goals"].append(goal)
    document = data["document"]
    for entry in document.get("history", []):
        entry["date"] = min(entry["date"], document["effective_date"])
    if "locales" in document:  # a locale must be a form of the language it is given for
        document["locales"] = {lang: tag for lang, tag in document["locales"].items()
                               if LOCALES[tag].language == lang}
    data.pop("branding", None)  # a reference .docx must exist; tested in tests/writers/test_docx.py
    overrides = data.get("overrides", {})
    for name in ("include", "exclude"):
        if name in overrides:
            overrides[name] = [clause_ids[hash(i) % len(clause_ids)] for i in overrides[name]]
    if "include" in overrides and "exclude" in overrides:
        overrides["exclude"] = [c for c in overrides["exclude"] if c not in overrides["include"]]
    return data


def profiles(clause_ids: Sequence[str]) -> st.SearchStrategy[Data]:
    """Profiles the schema accepts and profile.py finds consistent."""
    rules: Data = {"type": "dict", "schema": dict(schema.load_schema("profile"))}
    rules["schema"]["overrides"] = {
        **rules["schema"]["overrides"],
        "schema": {**rules["schema"]["overrides"]["schema"],
                   "include": {"type": "list", "schema": {"type": "integer"}},
                   "exclude": {"type": "list", "schema": {"type": "integer"}}},
    }
    return from_rules(rules).map(lambda data: _consistent(data, sorted(clause_ids)))


def dump(data: Data) -> str:
    """A profile as YAML text, the way a person would write it."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


# ------------------------------------------------------------------------------- mutations

# Drawn values are deep-copied before use: a later edit of the same example must never change
# this list, or the next example would draw something else (hypothesis: a flaky strategy).
JUNK: list[Any] = [
    None, True, False, 0, -1, 1.5, 10**30, "", " ", "x", "retial", "2026-13-45", "1.12.2026",
    [], [None], ["x", 1], {}, {"x": 1}, {"de": "nur deutsch"}, dt.date(2026, 2, 28), "\t",
    "a" * 3000, "{{ 7*7 }}", "de", "EN", "employees", "yes", "@", "https://", "00:00",
]


def _paths(value: Any, path: Path_ = ()) -> list[Path_]:
    found = [path]
    if isinstance(value, dict):
        for key, sub in value.items():
            found += _paths(sub, (*path, key))
    elif isinstance(value, list):
        for index, sub in enumerate(value):
            found += _paths(sub, (*path, index))
    return found


def _parent(data: Any, path: Path_) -> Any:
    for part in path[:-1]:
        data = data[part]
    return data


@st.composite
def mutated(draw: st.DrawFn, seeds: Sequence[Data]) -> Data:
    """A valid profile with one to three structural changes."""
    data: Data = yaml.safe_load(dump(draw(st.sampled_from(list(seeds)))))
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(data)[1:]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = _parent(data, path)
        action = draw(st.sampled_from(["delete", "junk", "junk", "unknown key", "enum",
                                       "wrap in list", "duplicate"]))
        if action == "delete":
            del parent[path[-1]]
        elif action == "junk":
            parent[path[-1]] = copy.deepcopy(draw(st.sampled_from(JUNK)))
        elif action == "unknown key" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["indstry", "x", "Company", "1", "de"]))] = \
                copy.deepcopy(draw(st.sampled_from(JUNK)))
        elif action == "enum":
            parent[path[-1]] = draw(st.sampled_from(["retial", "DE ", "fr", "FR", "draft2",
                                                     "linkedin.com", "released!", "employee"]))
        elif action == "wrap in list":
            parent[path[-1]] = [parent[path[-1]]]
        elif action == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[path[-1]]))
    return data


@st.composite
def text_edits(draw: st.DrawFn, text: str) -> str:
    """YAML text with one to three character-level edits: what a careless editor does."""
    pieces = ["\t", ":", ": ", "- ", "  ", "\n", "'", '"', "[", "]", "{", "}", "&a ", "*a",
              "!!python/object:os.system ", "---\n", "#", "\x00", "\u202e", "\ufeff", "ä",
              "\\", "%", "|", ">", "?", "<<: ", "!x "]
    for _ in range(draw(st.integers(1, 3))):
        where = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "delete", "replace", "duplicate line"]))
        if action == "insert":
            text = text[:where] + draw(st.sampled_from(pieces)) + text[where:]
        elif action == "delete":
            text = text[:where] + text[where + draw(st.integers(1, 20)):]
        elif action == "replace":
            text = text[:where] + draw(st.sampled_from(pieces)) + text[where + 1:]
        else:
            start = text.rfind("\n", 0, where) + 1
            end = text.find("\n", where)
            line = text[start:end if end >= 0 else len(text)]
            text = text[:start] + line + "\n" + text[start:]
    return text

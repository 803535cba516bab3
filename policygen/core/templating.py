"""The sandboxed jinja2 environment: rendering clause text, conditions, and listing variables."""

from __future__ import annotations

import datetime as dt
import marshal
import re
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import jinja2
from jinja2 import StrictUndefined, Template, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from policygen import i18n
from policygen.core import cache as file_cache
from policygen.core import schema, source
from policygen.vocabulary import LANGUAGES

_BLANKS = re.compile(r"[ \t]{2,}|\t")
_MD_SPECIAL = re.compile(r"([!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])")
_MONTHS = {lang: [i18n.text(lang, f"templating.month.{n}") for n in range(1, 13)]
           for lang in LANGUAGES}
CONTEXT_ROOTS = ("company", "document", "strategy", "governance", "employees", "criticism",
                 "contacts", "branding", "overrides")
_MAPPING_METHODS = frozenset({"items", "keys", "values"})


def escape_markdown(value: Any) -> str:
    """Render a value so that Markdown shows it literally, on one line."""
    if value is None:
        raise ValueError("a template printed a value that is not set")
    if isinstance(value, Markup):
        return str(value)
    if isinstance(value, bool):
        value = str(value).lower()
    text = str(value).replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    # a tab or four spaces at the start of a line would make the line a code block
    text = _BLANKS.sub(" ", text)
    return _MD_SPECIAL.sub(r"\\\1", text)


@cache
def labels() -> Mapping[str, Mapping[str, str]]:
    """The labels of enum values (schemas/labels.yaml)."""
    doc = source.load(schema.SCHEMA_DIR / "labels.yaml", "schemas/labels.yaml")
    return doc.data  # type: ignore[no-any-return]


def _label(lang: str) -> Callable[[Any], str]:
    def label(value: Any) -> str:
        entry = labels().get(str(value))
        return entry[lang] if entry else str(value)
    return label


def _join_and(lang: str) -> Callable[[Any], str]:
    word = i18n.text(lang, "templating.and")

    def join_and(values: Any) -> str:
        items = [str(v) for v in values]
        if len(items) <= 1:
            return "".join(items)
        comma = "," if lang == "en" and len(items) > 2 else ""
        return f"{', '.join(items[:-1])}{comma} {word} {items[-1]}"
    return join_and


def format_date(value: dt.date, lang: str) -> str:
    """A date written out: `1 December 2026` or `1. Dezember 2026`."""
    month = _MONTHS[lang][value.month - 1]
    return i18n.text(lang, "templating.date", day=value.day, month=month, year=value.year)


def format_number(value: float, lang: str) -> str:
    """Thousands separators per language; integral values without decimals."""
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0")
    if lang == "de":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


MAX_TEXT = 1_000_000  # characters (or items) an operator may produce in a template
MAX_INT_BITS = 4096  # about 1,200 digits
_SANDBOX_VERSION = "binops-1"  # part of the compiled-code cache key
_SIZED = (str, list, tuple)


class TemplateLimit(jinja2.TemplateRuntimeError):
    """A template operation that would divide by zero or grow without bound."""


def _size(value: Any) -> int:
    return len(value) if isinstance(value, _SIZED) else 0


def _bits(value: Any) -> int:
    return abs(value).bit_length() if isinstance(value, int) else 0


class _Sandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, with every arithmetic operator bounded.

    Clause templates are trusted but written by people: `'x' * 10**10`, `9 ** 9 ** 9` or a
    division by zero stops with an error at the clause's file and line, not a machine out of
    memory or an internal error.
    """

    intercepted_binops = frozenset({"+", "-", "*", "/", "//", "%", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        """Refuse what would be too large or undefined, then compute as jinja2 would."""
        if operator in ("/", "//", "%") and isinstance(right, int | float) and right == 0:
            raise TemplateLimit(f"division by zero ({left!r:.40} {operator} 0)")
        if operator == "%" and isinstance(left, str):
            raise TemplateLimit("string formatting with % is not allowed in clause templates")
        if operator == "*":
            count = right if isinstance(left, _SIZED) else left
            sized = left if isinstance(left, _SIZED) else right
            if isinstance(sized, _SIZED) and isinstance(count, int) \
                    and _size(sized) * max(count, 0) > MAX_TEXT:
                raise TemplateLimit(f"repeating a value {count:,} times makes more than "
                                    f"{MAX_TEXT:,} characters")
            if _bits(left) + _bits(right) > MAX_INT_BITS:
                raise TemplateLimit("the product has more than 1,200 digits")
        if operator == "+" and _size(left) + _size(right) > MAX_TEXT:
            raise TemplateLimit(f"the result is longer than {MAX_TEXT:,} characters")
        if operator == "**" and isinstance(left, int | float) and isinstance(right, int | float):
            magnitude = max(_bits(left), 2 if isinstance(left, float) else 1)
            if abs(right) > 1 and magnitude * abs(right) > MAX_INT_BITS:
                raise TemplateLimit(f"{left!r:.20} ** {right!r:.20} has more than 1,200 digits")
        try:
            return super().call_binop(context, operator, left, right)
        except (ArithmeticError, MemoryError) as exc:
            raise TemplateLimit(f"arithmetic failed: {exc}") from None


_UNBOUNDED_FILTERS = ("center", "format", "indent", "wordwrap")  # width from the template


@cache
def environment(lang: str) -> ImmutableSandboxedEnvironment:
    """One sandboxed environment per language, with the project's filters."""
    env = _Sandbox(
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        autoescape=False,
        finalize=escape_markdown,
    )
    label = _label(lang)
    env.filters["label"] = label
    env.filters["labels"] = lambda values: [label(v) for v in values]
    env.filters["join_and"] = _join_and(lang)
    env.filters["date"] = lambda value: format_date(value, lang)
    env.filters["number"] = lambda value: format_number(value, lang)
    for name in _UNBOUNDED_FILTERS:
        env.filters.pop(name, None)
    return env


def compile_template(lang: str, text: str) -> Template:
    """A template for a clause text, from the per-user cache of compiled code where possible."""
    env = environment(lang)
    entry = file_cache.key("template", jinja2.__version__, sys.version, _SANDBOX_VERSION, lang,
                           text)
    code_bytes = file_cache.read("templates", entry)
    if code_bytes is not None:
        try:
            code = marshal.loads(code_bytes)
            return env.template_class.from_code(env, code, env.make_globals(None))
        except (ValueError, EOFError, TypeError):
            pass
    code = env.compile(text)
    file_cache.write("templates", entry, marshal.dumps(code))
    return env.template_class.from_code(env, code, env.make_globals(None))


def context(data: Mapping[str, Any], facts: Mapping[str, bool], lang: str,
            audience: str) -> dict[str, Any]:
    """The variables a clause template sees."""
    ctx: dict[str, Any] = {root: data[root] for root in CONTEXT_ROOTS}
    ctx["vars"] = data["overrides"]["variables"]
    ctx["facts"] = facts
    ctx["lang"] = lang
    ctx["audience"] = audience
    return ctx


@dataclass(frozen=True)
class PathUse:
    """A variable path a template reads, with the template line it stands on."""

    path: tuple[str, ...]
    lineno: int
    problem: str


def unknown_paths(ast: nodes.Template, fact_names: tuple[str, ...]) -> Iterator[PathUse]:
    """Yield every variable path in a template that the profile schema does not declare."""
    rules = schema.load_schema("profile")
    roots: dict[str, Any] = {root: rules[root] for root in CONTEXT_ROOTS}
    roots["vars"] = {"type": "dict", "valuesrules": {"type": "string"}}
    roots["facts"] = {"type": "dict", "schema": {name: {"type": "boolean"} for name in fact_names}}
    roots["lang"] = {"type": "string"}
    roots["audience"] = {"type": "string"}
    yield from _walk(ast, {**roots}, set())


_LOADING_TAGS = {nodes.Include: "include", nodes.Import: "import", nodes.FromImport: "from",
                 nodes.Extends: "extends"}


def forbidden(ast: nodes.Template) -> Iterator[PathUse]:
    """Yield every tag that loads another template and every `_private` attribute a template uses.

    The sandbox refuses both at render time; finding them in the AST reports them when the
    library is loaded, with their line, before any profile is rendered.
    """
    for node in ast.find_all(tuple(_LOADING_TAGS)):
        word = _LOADING_TAGS[type(node)]
        yield PathUse((word,), node.lineno, f"{{% {word} %}} is not allowed in clause texts")
    for access in ast.find_all((nodes.Getattr, nodes.Getitem)):
        name: Any = None
        if isinstance(access, nodes.Getattr):
            name = access.attr
        elif isinstance(access, nodes.Getitem) and isinstance(access.arg, nodes.Const):
            name = access.arg.value
        if isinstance(name, str) and name.startswith("_"):
            yield PathUse((name,), access.lineno, f"attribute '{name}' is not allowed in clause "
                          "texts")


def _walk(node: nodes.Node, scope: dict[str, Any], locals_: set[str]) -> Iterator[PathUse]:
    if isinstance(node, nodes.For):
        yield from _walk(node.iter, scope, locals_)
        item_rules = _resolve(node.iter, scope)
        inner = dict(scope)
        inner_locals = set(locals_)
        targets = node.target.items if isinstance(node.target, nodes.Tuple) else [node.target]
        for target in targets:
            if isinstance(target, nodes.Name):
                inner.pop(target.name, None)
                inner_locals.add(target.name)
        if isinstance(node.target, nodes.Name) and isinstance(item_rules, dict) \
                and item_rules.get("type") == "list" and "schema" in item_rules:
            inner[node.target.name] = item_rules["schema"]
            inner_locals.discard(node.target.name)
        for child in [*node.body, *node.else_]:
            yield from _walk(child, inner, inner_locals | {"loop"})
        if node.test is not None:
            yield from _walk(node.test, inner, inner_locals)
        return
    if isinstance(node, nodes.Assign):
        yield from _walk(node.node, scope, locals_)
        for target in node.target.find_all(nodes.Name):
            locals_.add(target.name)
            scope.pop(target.name, None)
        return
    if isinstance(node, nodes.Getattr | nodes.Getitem | nodes.Name) and _is_chain(node):
        yield from _check_chain(node, scope, locals_)
        return
    for child in node.iter_child_nodes():
        yield from _walk(child, scope, locals_)


def _is_chain(node: nodes.Node) -> bool:
    while isinstance(node, nodes.Getattr | nodes.Getitem):
        node = node.node
    return isinstance(node, nodes.Name)


def _chain(node: nodes.Node) -> tuple[str, list[str | None]]:
    parts: list[str | None] = []
    while isinstance(node, nodes.Getattr | nodes.Getitem):
        if isinstance(node, nodes.Getattr):
            parts.append(node.attr)
        elif isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
            parts.append(node.arg.value)
        else:
            parts.append(None)
        node = node.node
    assert isinstance(node, nodes.Name)
    return node.name, parts[::-1]


def _check_chain(node: nodes.Node, scope: dict[str, Any],
                 locals_: set[str]) -> Iterator[PathUse]:
    root, parts = _chain(node)
    for sub in node.find_all(nodes.Getitem):
        if not isinstance(sub.arg, nodes.Const):
            yield from _walk(sub.arg, scope, locals_)
    if root in locals_ or root in ("loop", "true", "false", "none", "True", "False", "None"):
        return
    if root not in scope:
        yield PathUse((root,), node.lineno, f"unknown variable '{root}'")
        return
    rules: Any = scope[root]
    walked = [root]
    for part in parts:
        if part is None or part in _MAPPING_METHODS:
            return
        walked.append(part)
        if not isinstance(rules, dict):
            return
        if rules.get("type") == "dict" and "schema" in rules:
            if part not in rules["schema"]:
                yield PathUse(tuple(walked), node.lineno,
                              f"'{'.'.join(walked)}' is not declared in schemas/profile.yaml")
                return
            rules = rules["schema"][part]
        elif "valuesrules" in rules:
            rules = rules["valuesrules"]
        else:
            return


def _resolve(node: nodes.Node, scope: dict[str, Any]) -> Any:
    if not isinstance(node, nodes.Getattr | nodes.Name) or not _is_chain(node):
        return None
    root, parts = _chain(node)
    rules = scope.get(root)
    for part in parts:
        if not isinstance(rules, dict) or part is None:
            return None
        if "schema" in rules and rules.get("type") == "dict":
            rules = rules["schema"].get(part)
        elif "valuesrules" in rules:
            rules = rules["valuesrules"]
        else:
            return None
    return rules

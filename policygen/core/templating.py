"""The sandboxed jinja2 environment: rendering clause text, conditions, and listing variables."""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import marshal
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from types import CodeType
from typing import TYPE_CHECKING, Any

import jinja2
from jinja2 import StrictUndefined, Template, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from policygen import i18n, vocabulary
from policygen.core import cache as file_cache
from policygen.core import source
from policygen.resources import SCHEMA_DIR
from policygen.vocabulary import LANGUAGES

if TYPE_CHECKING:
    from policygen.core.locale_layer import Layer

_BLANKS = re.compile(r"[ \t]{2,}|\t")
_MD_SPECIAL = re.compile(r"([!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])")
_MONTHS = {lang: [i18n.text(lang, f"templating.month.{n}") for n in range(1, 13)]
           for lang in LANGUAGES}
# Austrian German names the first month "Jänner" (the form of Austrian laws and authorities).
_MONTHS["de-AT"] = ["Jänner", *_MONTHS["de"][1:]]
CONTEXT_ROOTS = ("company", "document", "strategy", "governance", "employees", "criticism",
                 "contacts", "branding", "overrides")
_MAPPING_METHODS = frozenset({"items", "keys", "values"})


def escape_markdown(value: Any) -> str:
    """Render a value so that Markdown shows it literally, on one line."""
    if type(value) is str:  # noqa: E721 - exactly str: Markup (a subclass) is kept as it is
        known = _ESCAPED.get(value)
        if known is None:
            if len(_ESCAPED) >= 10_000:
                _ESCAPED.clear()
            known = _ESCAPED[value] = _escape_text(value)
        return known
    if value is None:
        raise ValueError("a template printed a value that is not set")
    if isinstance(value, Markup):
        return str(value)
    if isinstance(value, bool):
        value = str(value).lower()
    return _escape_text(str(value))


_ESCAPED: dict[str, str] = {}  # profile values repeat in every clause that prints them


def _escape_text(text: str) -> str:
    text = text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    # a tab or four spaces at the start of a line would make the line a code block
    text = _BLANKS.sub(" ", text)
    return _MD_SPECIAL.sub(r"\\\1", text)


@cache
def labels() -> Mapping[str, Mapping[str, str]]:
    """The labels of enum values (schemas/labels.yaml)."""
    return source.load_data(SCHEMA_DIR / "labels.yaml", "schemas/labels.yaml")  # type: ignore[no-any-return]


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


def _locale(locale: str) -> vocabulary.Locale:
    """A locale by its tag; a bare language ("de") means that language's first locale."""
    if locale in vocabulary.LOCALES:
        return vocabulary.LOCALES[locale]
    language = locale.split("-")[0]
    return next(loc for loc in vocabulary.LOCALES.values() if loc.language == language)


def format_date(value: dt.date, locale: str) -> str:
    """A date written out as the locale writes it.

    `January 15, 2027` (en-US), `15 January 2027` (en-GB), `15. Januar 2027` (de-DE, de-CH),
    `15. Jänner 2027` (de-AT). `locale` is a tag of vocabulary.LOCALES or a bare language.
    """
    loc = _locale(locale)
    months = _MONTHS.get(loc.tag, _MONTHS[loc.language])
    return (loc.date_format.replace("%-d", str(value.day)).replace("%B", months[value.month - 1])
            .replace("%Y", str(value.year)))


def format_number(value: float, locale: str) -> str:
    """Digits grouped and the decimal sign as the locale writes them; integers without decimals.

    `12,500.5` (en), `12.500,5` (de-DE, de-AT), `12’500.5` (de-CH).
    """
    loc = _locale(locale)
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0")
    return text.replace(",", "\0").replace(".", loc.decimal).replace("\0", loc.thousands)


MAX_TEXT = 1_000_000  # characters (or items) an operator may produce in a template
MAX_INT_BITS = 4096  # about 1,200 digits
_SANDBOX_VERSION = "binops-3"  # part of the compiled-code cache key
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
    env.filters["date"] = jinja2.pass_context(
        lambda ctx, value: format_date(value, ctx.get("locale") or lang))
    env.filters["number"] = jinja2.pass_context(
        lambda ctx, value: format_number(value, ctx.get("locale") or lang))
    for name in _UNBOUNDED_FILTERS:
        env.filters.pop(name, None)
    return env


# Compiled template code by (language, text), the text as it is compiled: identical texts (a
# locale layer leaves most of them as they are) share their code. Filled from one per-user
# cache entry before the workers fork (see `load_compiled`), so every process starts with the
# library's templates.
_CODE: dict[tuple[str, str], CodeType] = {}
# What a locale layer makes of a library text: (language, layer fingerprint, text) -> text.
_SPELT: dict[tuple[str, str, str], str] = {}
# Code and spellings made by this process and not yet stored (a worker hands them to the
# build, which stores them: `made_code`, `add_code`, `store_compiled`).
_NEW: dict[tuple[str, str], CodeType] = {}
_NEW_SPELT: dict[tuple[str, str, str], str] = {}
_ENTRY: dict[str, Any] = {}  # the entry of the library loaded last: name, wanted


def _code_entry(name: str) -> str:
    return file_cache.key("templates", jinja2.__version__, sys.version, _SANDBOX_VERSION, name)


def _take(stored: Any) -> bool:
    """Add an entry's (or a worker's) code and spellings to this process; False if malformed."""
    if not (isinstance(stored, dict) and isinstance(stored.get("code"), dict)
            and isinstance(stored.get("spelt"), dict)):
        return False
    for item, code in stored["code"].items():
        if isinstance(item, tuple) and len(item) == 2 and isinstance(code, CodeType):
            _CODE.setdefault(item, code)
    for item, text in stored["spelt"].items():
        if isinstance(item, tuple) and len(item) == 3 and isinstance(text, str):
            _SPELT.setdefault(item, text)
    return True


def load_compiled(name: str, texts: Iterable[tuple[str, str]]) -> None:
    """Load the code of the (language, text) templates of a library from its one entry.

    `name` identifies the library (its root); the entry holds jinja2's compiled code,
    marshalled as jinja2's own bytecode cache does, and what each locale layer makes of each
    text. Conditions missing from it are compiled now (every profile's selection needs
    them); templates when they are first rendered, in the process that renders them: a
    build's workers compile in parallel, and only what their profiles use. The build stores
    what was made (`store_compiled`), without the texts that are gone; a process that is not
    a build worker stores it when it exits.
    """
    entry = _code_entry(name)
    raw = file_cache.read("templates", entry)
    stored: Any = None
    if raw is not None:
        try:
            stored = marshal.loads(raw)
        except (ValueError, EOFError, TypeError):
            stored = None
    found = _take(stored)
    wanted = dict.fromkeys(texts)
    for item in wanted:
        if item[0] == CONDITION and item not in _CODE:
            with contextlib.suppress(jinja2.TemplateSyntaxError):  # reported when selected
                _CODE[item] = _NEW[item] = _condition_code(item[1])
    if not _ENTRY:
        atexit.register(store_compiled)
    _ENTRY.update(name=entry, wanted=wanted)
    if not found:  # none yet (or damaged): one with what there is
        store_compiled(always=True)


def made_code() -> bytes:
    """What this process made since it last said so (a worker's, for the build)."""
    made = marshal.dumps({"code": dict(_NEW), "spelt": dict(_NEW_SPELT)})
    _NEW.clear()
    _NEW_SPELT.clear()
    return made


def code_bytes(code: Mapping[tuple[str, str], CodeType]) -> bytes:
    """Compiled code made elsewhere, as `add_code` takes it (a library check's, see there)."""
    return marshal.dumps({"code": dict(code), "spelt": {}})


def add_code(made: bytes) -> None:
    """Take what a worker made (see `made_code`) into this process, to be stored."""
    try:
        stored = marshal.loads(made)
    except (ValueError, EOFError, TypeError):
        return
    if _take(stored):
        _NEW.update(stored["code"])  # (a build that rendered in this process made it too)
        _NEW_SPELT.update(stored["spelt"])


def store_compiled(always: bool = False) -> None:
    """Rewrite the library's entry when something was made since it was read (or `always`).

    It then holds all this process has of the library's texts: the code of each text as the
    library writes it and as each locale layer spells it, read from the entry or made since.
    What belongs to texts that are gone is left out.
    """
    if not _ENTRY or not (_NEW or _NEW_SPELT or always):
        return
    wanted = _ENTRY["wanted"]
    spelt = {item: text for item, text in _SPELT.items() if (item[0], item[2]) in wanted}
    sources = set(wanted) | {(item[0], text) for item, text in spelt.items()}
    code = {item: _CODE[item] for item in sorted(_CODE) if item in sources}
    file_cache.write("templates", _ENTRY["name"],
                     marshal.dumps({"code": code, "spelt": dict(sorted(spelt.items()))}))
    _NEW.clear()
    _NEW_SPELT.clear()


CONDITION = "when"  # the "language" of a clause's `when` condition among the compiled code


def _condition_code(source: str) -> CodeType:
    """The code `compile_expression` would compile for a condition (it is evaluated in en)."""
    from jinja2.parser import Parser

    env = environment("en")
    parser = Parser(env, source, state="variable")
    expr = parser.parse_expression()
    if not parser.stream.eos:
        raise jinja2.TemplateSyntaxError("chunk after expression", parser.stream.current.lineno,
                                         None, None)
    expr.set_environment(env)
    code: CodeType = env.compile(nodes.Template(
        [nodes.Assign(nodes.Name("result", "store"), expr, lineno=1)], lineno=1))
    return code


def compile_condition(source: str) -> Callable[..., Any]:
    """A clause's `when` condition as `compile_expression` makes it.

    From the code `load_compiled` loaded where possible: a build then parses no condition.
    """
    code = _CODE.get((CONDITION, source))
    if code is None:
        return environment("en").compile_expression(source)
    env = environment("en")
    from jinja2.environment import TemplateExpression

    return TemplateExpression(env.template_class.from_code(env, code, _globals(env)),
                              True)


_GLOBALS: dict[int, tuple[ImmutableSandboxedEnvironment, dict[str, Any]]] = {}


def _globals(env: ImmutableSandboxedEnvironment) -> dict[str, Any]:
    """The environment's globals as one plain mapping that all its templates share.

    jinja2's own (`make_globals`) is a ChainMap per template, which every render copies
    into a set of its keys; the globals never change once the environment is made.
    """
    known = _GLOBALS.get(id(env))
    if known is None or known[0] is not env:
        known = _GLOBALS[id(env)] = (env, dict(env.globals))
    return known[1]


@dataclass(frozen=True)
class Literal:
    """A clause text without any jinja tag: rendered as jinja2 would, without compiling it.

    Most of the library's texts hold no `{{`, `{%` or `{#` (425 of 764); jinja2 outputs such
    a text unchanged but for one trailing newline (`keep_trailing_newline=False`). Neither
    compiling it nor setting up a jinja2 context to render it is then needed.
    """

    text: str

    @property
    def rendered(self) -> str:
        """What jinja2 renders of the text."""
        return self.text[:-1] if self.text.endswith("\n") else self.text


def is_literal(text: str) -> bool:
    """True when jinja2 reads `text` as template data only (no tags, newlines as they are)."""
    return "{{" not in text and "{%" not in text and "{#" not in text and "\r" not in text


def compile_template(lang: str, text: str, layer: Layer | None = None) -> Template | Literal:
    """A template for a clause text, spelt by a locale `layer`.

    From what `load_compiled` loaded where possible: the layer is then not applied again.
    A text without tags is a `Literal`.
    """
    env = environment(lang)
    if layer is not None and not layer.empty:
        from policygen.core import locale_layer

        spelling = (lang, locale_layer.fingerprint(layer), text)
        known = _SPELT.get(spelling)
        if known is None:
            known = _SPELT[spelling] = _NEW_SPELT[spelling] = \
                locale_layer.localize_template(text, layer)
        text = known
    if is_literal(text):
        return Literal(text)
    code = _CODE.get((lang, text))
    if code is None:
        code = env.compile(text)
        _CODE[(lang, text)] = _NEW[(lang, text)] = code
    return env.template_class.from_code(env, code, _globals(env))


def render(template: Template | Literal, context: Mapping[str, Any]) -> str:
    """Render with a context from `context`, shared by every template of a document, not copied.

    What `Template.render` does, less copying the variables and globals for each template.
    """
    if isinstance(template, Literal):
        return template.rendered
    env = template.environment
    try:
        return env.concat(template.root_render_func(
            template.new_context(context if isinstance(context, dict) else dict(context),
                                 shared=True)))
    except Exception:  # noqa: BLE001 - jinja2 turns it into an error with template lines
        env.handle_exception()


def context(data: Mapping[str, Any], facts: Mapping[str, bool], lang: str,
            audience: str, locale: str | None = None,
            examples: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The variables a clause template sees, with the environment's globals (see `render`).

    `locale` (de-AT) sets the form of dates and numbers and defaults to the language's first;
    `examples` are the industry's examples in this language (clauses/industries.yaml), empty
    texts where none are given.
    """
    ctx: dict[str, Any] = dict(environment(lang).globals)
    ctx.update((root, data[root]) for root in CONTEXT_ROOTS)
    ctx["examples"] = examples if examples is not None else context_examples()
    ctx["vars"] = data["overrides"]["variables"]
    ctx["facts"] = facts
    ctx["lang"] = lang
    ctx["locale"] = locale or next(tag for tag, loc in vocabulary.LOCALES.items()
                                   if loc.language == lang)
    ctx["audience"] = audience
    return ctx


def context_examples() -> dict[str, str]:
    """`examples` without an industry: every field empty."""
    return dict.fromkeys(example_fields(), "")


@cache
def example_fields() -> tuple[str, ...]:
    """The fields of `examples` (schemas/industries.yaml, without the markers)."""
    # the schema's data from the per-user cache: no YAML parser, no cerberus on a build
    data = source.load_data(SCHEMA_DIR / "industries.yaml", "schemas/industries.yaml")
    rules = data["industries"]["valuesrules"]["schema"]
    return tuple(name for name in rules if name != "markers")


# The context variables that hold data (the rest are the environment's constant globals).
DATA_NAMES = frozenset((*CONTEXT_ROOTS, "examples", "vars", "facts", "lang", "locale",
                        "audience"))


def reads(ast: nodes.Template) -> set[tuple[str, ...]]:
    """Every path of context data a template can read: `company.name` as ("company", "name").

    A path stops where the template goes on in a way known only when it runs (a subscript by
    a variable or a number, a method such as `.items()`): the value up to there is what it
    reads. A local variable named like a context root counts as a read of that root: cautious,
    never wrong. The rendered text is a function of the template and the values of these
    paths (core/fragments.py keys rendered clauses by them).
    """
    found: set[tuple[str, ...]] = set()

    def walk(node: nodes.Node) -> None:
        if isinstance(node, nodes.Getattr | nodes.Getitem) and _is_chain(node):
            root, parts = _chain(node)
            if root in DATA_NAMES:
                path = [root]
                for part in parts:
                    if part is None:
                        break
                    path.append(part)
                found.add(tuple(path))
            link: nodes.Node = node
            while isinstance(link, nodes.Getattr | nodes.Getitem):
                if isinstance(link, nodes.Getitem) and not (
                        isinstance(link.arg, nodes.Const) and isinstance(link.arg.value, str)):
                    walk(link.arg)
                link = link.node
            return
        if isinstance(node, nodes.Name):
            if node.name in DATA_NAMES:
                found.add((node.name,))
            return
        for child in node.iter_child_nodes():
            walk(child)

    walk(ast)
    return found


@dataclass(frozen=True)
class PathUse:
    """A variable path a template reads, with the template line it stands on."""

    path: tuple[str, ...]
    lineno: int
    problem: str


def unknown_paths(ast: nodes.Template, fact_names: tuple[str, ...]) -> Iterator[PathUse]:
    """Yield every variable path in a template that the profile schema does not declare."""
    from policygen.core import schema  # cerberus only when a library is checked

    rules = schema.load_schema("profile")
    roots: dict[str, Any] = {root: rules[root] for root in CONTEXT_ROOTS}
    roots["vars"] = {"type": "dict", "valuesrules": {"type": "string"}}
    roots["facts"] = {"type": "dict", "schema": {name: {"type": "boolean"} for name in fact_names}}
    roots["lang"] = {"type": "string"}
    roots["locale"] = {"type": "string"}
    roots["examples"] = {"type": "dict",
                         "schema": {name: {"type": "string"} for name in example_fields()}}
    roots["audience"] = {"type": "string"}
    roots["locale"] = {"type": "string"}
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

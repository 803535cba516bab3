"""YAML text to plain data plus the position of every node; the project's only YAML parser.

Profiles may come from outside the company, so loading is strict: only the YAML core types,
no language-specific tags, no duplicate keys, no merge keys, and a cap on the number of nodes
so that alias expansion ("billion laughs") cannot exhaust memory.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import math
import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from policygen.errors import Location, Problem, SourceError
from policygen.vocabulary import BIDI_CONTROLS


def lazy_module(name: str) -> ModuleType:
    """A module that is imported on first use (a cache hit never parses YAML)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.loader is not None, name
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


if TYPE_CHECKING:
    import yaml
else:
    yaml = lazy_module("yaml")

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_NODES = 200_000
MAX_DEPTH = 64
MAX_CHARS = 10_000_000  # characters of all scalars after alias expansion

_T = "tag:yaml.org,2002:"

DocPath = tuple[str | int, ...]


class StoredPositions(Mapping[DocPath, tuple[int, int]]):
    """Positions as a cache entry holds them, `[path, line, col]` rows, made a table on first use.

    The rows may be given as their JSON text, decoded on first use too.

    Most builds of a cached profile never locate anything in it. Rows of another shape (a
    damaged entry) are left out: a location then falls back to the nearest known one.
    """

    def __init__(self, rows: Any) -> None:
        self._rows = rows
        self._table: dict[DocPath, tuple[int, int]] | None = None

    def _made(self) -> dict[DocPath, tuple[int, int]]:
        if self._table is None:
            table: dict[DocPath, tuple[int, int]] = {}
            rows = self._rows
            if isinstance(rows, str):  # kept as JSON text: decoded only when something is located
                import json

                try:
                    rows = json.loads(rows)
                except ValueError:
                    rows = []
            for row in rows if isinstance(rows, list) else ():
                if isinstance(row, list) and len(row) == 3 and isinstance(row[0], list) \
                        and type(row[1]) is int and type(row[2]) is int \
                        and all(type(step) in (str, int) for step in row[0]):
                    table[tuple(row[0])] = (row[1], row[2])
            self._table = table
        return self._table

    def __getitem__(self, path: DocPath) -> tuple[int, int]:
        return self._made()[path]

    def __iter__(self) -> Iterator[DocPath]:
        return iter(self._made())

    def __len__(self) -> int:
        return len(self._made())

    def __contains__(self, path: object) -> bool:
        return path in self._made()


@dataclass(frozen=True)
class SourceDoc:
    """Parsed YAML: the data and where each value and key stands in the file."""

    path: str
    data: Any
    positions: Mapping[DocPath, tuple[int, int]] = field(default_factory=dict)
    key_positions: Mapping[DocPath, tuple[int, int]] = field(default_factory=dict)
    text: str = field(default="", repr=False)

    def locate(self, doc_path: DocPath, *, key: bool = False) -> Location:
        """Return the location of a value (or its key), or of its nearest existing parent."""
        table = self.key_positions if key else self.positions
        if doc_path in table:
            line, col = table[doc_path]
            return Location(self.path, line, col)
        for end in range(len(doc_path) - 1, -1, -1):
            prefix = doc_path[:end]
            if prefix in self.key_positions and prefix:
                line, col = self.key_positions[prefix]
                return Location(self.path, line, col)
            if prefix in self.positions:
                line, col = self.positions[prefix]
                return Location(self.path, line, col)
        return Location(self.path, 1, 1)


def read_text(path: Path, display: str | None = None) -> str:
    """Read a UTF-8 text file (a leading BOM is dropped) with located, friendly errors."""
    name = display or str(path)
    try:
        if path.is_dir():
            raise SourceError.at(Location(name), "is a directory, not a file",
                                 "pass the path of a .yaml file")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise SourceError.at(
                Location(name),
                f"file is too large ({size / 1_048_576:.1f} MB; the limit is "
                f"{MAX_FILE_BYTES // 1_048_576} MB)",
                "a profile or clause is a few kilobytes; check that this is the right file",
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SourceError.at(Location(name), "file not found",
                             "check the path; it is relative to the current folder") from None
    except PermissionError:
        raise SourceError.at(Location(name), "permission denied",
                             "make the file readable for the current user") from None
    except OSError as exc:
        raise SourceError.at(Location(name), f"cannot read file: {exc.strerror}") from None
    return decode(raw, name)


def decode(raw: bytes, name: str) -> str:
    """Decode UTF-8 bytes, reporting the line and column of the first invalid byte."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    encoding = _wide_encoding(raw)
    if encoding:
        raise SourceError.at(Location(name, 1, 1), f"the file is {encoding}, not UTF-8",
                             "save the file as UTF-8 (in Notepad: Save as, Encoding UTF-8)")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise SourceError.at(
            Location(name, line, col),
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
            "save the file as UTF-8; Latin-1 or Windows-1252 umlauts cause this",
        ) from None


_WIDE_BOMS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
              (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"))


def _wide_encoding(raw: bytes) -> str:
    """'UTF-32' or 'UTF-16' when the bytes are one of them (with or without a BOM), else ''."""
    for bom, encoding in _WIDE_BOMS:  # UTF-32's little-endian BOM starts like UTF-16's
        if raw.startswith(bom):
            return encoding
    head = raw[:8]
    if len(head) == 8 and head[0] and not head[1] and not head[2] and not head[3]:
        return "UTF-32"
    if len(head) == 8 and not head[0] and not head[1] and not head[2] and head[3]:
        return "UTF-32"
    if len(head) == 8 and all(head[i] and not head[i + 1] for i in (0, 2, 4)):
        return "UTF-16"
    if len(head) == 8 and all(not head[i] and head[i + 1] for i in (0, 2, 4)):
        return "UTF-16"
    return ""


def parse(text: str, name: str) -> SourceDoc:
    """Parse one YAML document into data and positions; raise SourceError with all problems."""
    if not text.strip():
        raise SourceError.at(Location(name, 1, 1), "file is empty",
                             "a profile starts with `company:`; see policies/ for examples")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        if "nesting depth" in str(exc.problem or ""):
            raise SourceError([_too_deep(text, name, exc)]) from None
        raise SourceError([_yaml_problem(exc, name, text)]) from None
    except yaml.reader.ReaderError as exc:
        raise SourceError([_reader_problem(exc, name, text)]) from None
    except RecursionError:
        raise SourceError.at(Location(name), f"values are nested more than {MAX_DEPTH} levels "
                             "deep", "a profile is at most a few levels deep") from None
    except yaml.YAMLError as exc:
        raise SourceError.at(Location(name), f"not valid YAML: {exc}") from None
    finally:
        loader.dispose()
    if node is None:
        raise SourceError.at(Location(name, 1, 1), "file holds no YAML document",
                             "a profile starts with `company:`; see policies/ for examples")
    builder = _Builder(name)
    data = builder.build(node, ())
    if builder.problems:
        raise SourceError(builder.problems)
    return SourceDoc(name, data, builder.positions, builder.key_positions, text)


def load(path: Path, display: str | None = None) -> SourceDoc:
    """Read and parse a YAML file."""
    name = display or str(path)
    return parse(read_text(path, name), name)


def load_data(path: Path, display: str) -> Any:
    """The data of a YAML file the program ships, from the per-user cache while it is unchanged."""
    from policygen.core import cache

    text = read_text(path, display)
    entry = cache.key("data", display, text)
    cached = cache.read_json("data", entry)
    if cached is not None:
        return cached
    data = parse(text, display).data
    cache.write_json("data", entry, data)
    return data


_TOO_DEEP_HINT = "a profile is at most a few levels deep; check the brackets and indentation"


def _too_deep(text: str, name: str, exc: yaml.MarkedYAMLError) -> Problem:
    """LibYAML's own nesting limit (PyYAML 6.0.4+), reported where policygen's limit is crossed.

    The pure-Python scanner has no nesting limit, so its tokens find the first value that is
    more than MAX_DEPTH collections deep: the same place the builder reports for shallower
    limits, whatever PyYAML version is installed.
    """
    opening = (yaml.BlockMappingStartToken, yaml.BlockSequenceStartToken,
               yaml.FlowMappingStartToken, yaml.FlowSequenceStartToken)
    closing = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)
    starts = (*opening, yaml.ScalarToken, yaml.AliasToken)
    depth = 0
    mark = exc.problem_mark
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, starts) and depth > MAX_DEPTH:
                mark = token.start_mark
                break
            if isinstance(token, opening):
                depth += 1
            elif isinstance(token, closing):
                depth -= 1
    except yaml.YAMLError:
        pass
    line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    return Problem(Location(name, line, col),
                   f"values are nested more than {MAX_DEPTH} levels deep", _TOO_DEEP_HINT)


def _reader_problem(exc: yaml.reader.ReaderError, name: str, text: str) -> Problem:
    """A character YAML refuses to read at all (NUL, most C0 controls), located."""
    before = text[: exc.position]
    line = before.count("\n") + 1
    col = exc.position - (before.rfind("\n") + 1) + 1
    code = exc.character if isinstance(exc.character, int) else ord(exc.character)
    return Problem(Location(name, line, col), f"text contains a control character (U+{code:04X})",
                   _CHARACTER_HINT)


def _yaml_problem(exc: yaml.MarkedYAMLError, name: str, text: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    message = " ".join(part for part in (exc.context, exc.problem) if part)
    hint = "check indentation, colons and quotes around this place"
    at = text.splitlines()[line - 1][col - 1:col] if 0 < line <= len(text.splitlines()) else ""
    if at == "\t" or "tab" in (exc.problem or ""):
        hint = "YAML does not allow tabs for indentation; indent with spaces"
    elif "mapping values are not allowed" in (exc.problem or "") and _deeper(text, line):
        hint = "this line is indented deeper than the line above; align it with its siblings"
    elif "mapping values are not allowed" in (exc.problem or ""):
        hint = "a value that contains ': ' must be put in quotes"
    elif "found duplicate anchor" in message or "undefined alias" in message:
        hint = "every *alias needs an &anchor defined earlier in the file"
    return Problem(Location(name, line, col), f"invalid YAML: {message}", hint)


def _deeper(text: str, line: int) -> bool:
    """Whether a line is indented deeper than the `key: value` line above it (not its parent)."""
    lines = text.splitlines()
    if not 1 < line <= len(lines):
        return False
    above = next((s for s in reversed(lines[:line - 1]) if s.strip()), "")
    indent = len(lines[line - 1]) - len(lines[line - 1].lstrip(" "))
    return indent > len(above) - len(above.lstrip(" ")) and not above.rstrip().endswith(":")


class _Builder:
    """Turns a composed node graph into plain data, recording positions and problems."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.positions: dict[DocPath, tuple[int, int]] = {}
        self.key_positions: dict[DocPath, tuple[int, int]] = {}
        self.problems: list[Problem] = []
        self.count = 0
        self.deep = False
        self.chars = 0
        self.too_long = False
        self.scalars: dict[int, tuple[yaml.Node, Any]] = {}

    def _where(self, node: yaml.Node) -> Location:
        return Location(self.name, node.start_mark.line + 1, node.start_mark.column + 1)

    def build(self, node: yaml.Node, path: DocPath) -> Any:
        self.count += 1
        if len(path) > MAX_DEPTH:
            if not self.deep:
                self.deep = True
                self.problems.append(Problem(
                    self._where(node), f"values are nested more than {MAX_DEPTH} levels deep",
                    _TOO_DEEP_HINT))
            return None
        if self.count > MAX_NODES:
            if self.count == MAX_NODES + 1:
                self.problems.append(Problem(
                    self._where(node),
                    f"document expands to more than {MAX_NODES:,} values",
                    "aliases (*name) that repeat large anchors multiply the document; "
                    "write the values out",
                ))
            return None
        self.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _T + "seq":
                self._bad_tag(node)
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, path: DocPath) -> dict[str, Any]:
        if node.tag != _T + "map":
            self._bad_tag(node)
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _T + "merge":
                self.problems.append(Problem(self._where(key_node),
                                             "merge keys (<<) are not supported",
                                             "write the keys out in full"))
                continue
            key = self._scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if isinstance(key, bool | int | float) and not isinstance(key, bool):
                key = str(key)
            if not isinstance(key, str):
                self.problems.append(Problem(self._where(key_node), "keys must be plain text",
                                             "write the key as a simple word, e.g. `name:`"))
                continue
            if key in result:
                first = self.key_positions[(*path, key)]
                self.problems.append(Problem(
                    self._where(key_node), f"duplicate key '{_shown(key)}'",
                    f"the key already appears at line {first[0]}, column {first[1]}; keep one",
                ))
                continue
            self.key_positions[(*path, key)] = (key_node.start_mark.line + 1,
                                                key_node.start_mark.column + 1)
            result[key] = self.build(value_node, (*path, key))
        return result

    def _scalar(self, node: yaml.Node) -> Any:
        self.chars += len(node.value)
        if self.chars > MAX_CHARS:
            if not self.too_long:
                self.too_long = True
                self.problems.append(Problem(
                    self._where(node), f"document expands to more than {MAX_CHARS:,} "
                    "characters", "aliases (*name) that repeat long texts multiply the "
                    "document; write the values out"))
            return None
        known = self.scalars.get(id(node))  # an alias of a scalar already read
        if known is not None and known[0] is node:
            return known[1]
        value = self._read_scalar(node)
        self.scalars[id(node)] = (node, value)
        return value

    def _read_scalar(self, node: yaml.Node) -> Any:
        tag = node.tag
        if tag == _T + "str":
            self._check_characters(node)
            return node.value
        constructor = _scalar_tags().get(tag)
        if constructor is None:
            self._bad_tag(node)
            return None
        if tag in (_T + "int", _T + "float"):
            surprise = _number_surprise(node.value, tag)
            if surprise is not None:
                if isinstance(surprise, int):
                    return surprise
                self.problems.append(Problem(self._where(node), surprise[0], surprise[1]))
                return None
        try:
            value = constructor(node)
        except (ValueError, yaml.YAMLError):
            self.problems.append(Problem(
                self._where(node), f"invalid value '{_shown(node.value)}'",
                "dates are written YYYY-MM-DD" if tag == _T + "timestamp"
                else "write a number of at most a few digits, or put text in quotes"))
            return None
        if isinstance(value, dt.datetime):
            self.problems.append(Problem(
                self._where(node), f"'{_shown(node.value)}' is a date with a time of day",
                "write the date alone as YYYY-MM-DD, e.g. 2026-12-01"))
            return None
        if isinstance(value, float) and not math.isfinite(value):
            self.problems.append(Problem(self._where(node),
                                         f"'{_shown(node.value)}' is not a usable number",
                                         "write a finite number such as 4 or 0.5"))
            return None
        return value

    def _check_characters(self, node: yaml.Node) -> None:
        match = _FORBIDDEN_CHARS.search(node.value)
        if match is None:
            return
        char = match.group()
        what = "a bidirectional control character" if char in _BIDI else "a control character"
        self.problems.append(Problem(
            self._where(node), f"text contains {what} (U+{ord(char):04X})", _CHARACTER_HINT))

    def _bad_tag(self, node: yaml.Node) -> None:
        self.problems.append(Problem(
            self._where(node), f"tag '{node.tag}' is not allowed",
            "profiles hold plain data only: text, numbers, true/false, dates, lists and mappings",
        ))


_DECIMAL = re.compile(r"[-+]?(0|[1-9][0-9_]*)")
_LEADING_ZEROS = re.compile(r"[-+]?0[0-9]+")
_DECIMAL_FLOAT = re.compile(r"[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+]?[0-9]+)?"
                            r"|[-+]?\.(inf|Inf|INF|nan|NaN|NAN)")
MAX_DIGITS = 15


def _number_surprise(text: str, tag: str) -> int | tuple[str, str] | None:
    """What YAML 1.1 would make of a number a person did not mean that way.

    `012` is twelve (not octal ten); `0b1100`, `0x1f`, `0o17` and base-60 `1:30` are refused,
    as are numbers of more than MAX_DIGITS digits. None: an ordinary number.
    """
    whole = re.split(r"[.eE]", text, maxsplit=1)[0]  # the integer part; decimals are fine
    digits = sum(c.isdigit() for c in whole)
    if tag == _T + "int":
        if _LEADING_ZEROS.fullmatch(text):
            return int(text.replace("_", ""), 10) if digits <= MAX_DIGITS else (
                f"'{_shown(text)}' has {digits:,} digits", _DIGITS_HINT)
        if not _DECIMAL.fullmatch(text):
            kind = ("a number in base 60" if ":" in text else "a binary number"
                    if "b" in text.lower() else "a hexadecimal number" if "x" in text.lower()
                    else "an octal number")
            return (f"'{_shown(text)}' would be read as {kind}",
                    "write the number in decimal digits (e.g. 1.5 for an hour and a half), "
                    "or put text in quotes")
    elif ":" in text or not _DECIMAL_FLOAT.fullmatch(text):
        return (f"'{_shown(text)}' would be read as a number in base 60",
                "write the number in decimal digits, or put text in quotes")
    if digits > MAX_DIGITS and "e" not in text.lower():
        return f"'{_shown(text)}' has {digits:,} digits", _DIGITS_HINT
    return None


_DIGITS_HINT = f"write a number of at most {MAX_DIGITS} digits, or put text in quotes"


def _shown(text: str, limit: int = 40) -> str:
    """A value or key as a message quotes it: at most `limit` characters."""
    return text if len(text) <= limit else text[:limit - 3] + "..."


_CHARACTER_HINT = "remove it; it cannot be shown in Word and may disguise what the text says"
_BIDI = "".join(sorted(BIDI_CONTROLS))
_FORBIDDEN_CHARS = re.compile(
    f"[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f\\ufffe\\uffff\\ud800-\\udfff{_BIDI}]")



@cache
def _scalar_tags() -> dict[str, Any]:
    scalars = yaml.constructor.SafeConstructor()
    return {
        _T + "null": scalars.construct_yaml_null,
        _T + "bool": scalars.construct_yaml_bool,
        _T + "int": scalars.construct_yaml_int,
        _T + "float": scalars.construct_yaml_float,
        _T + "timestamp": scalars.construct_yaml_timestamp,
    }

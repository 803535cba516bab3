"""The catalogues of fixed words: the same keys and fields in every language, no words in code."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from policygen import i18n
from policygen.vocabulary import LANGUAGES
from tests.conftest import ROOT

PACKAGE = ROOT / "policygen"


def test_every_language_has_the_same_keys() -> None:
    keys = {lang: set(i18n.catalogue(lang)) for lang in LANGUAGES}
    first = keys[LANGUAGES[0]]
    for lang in LANGUAGES[1:]:
        assert keys[lang] == first, (lang, sorted(keys[lang] ^ first))


def test_every_key_has_the_same_fields_in_every_language() -> None:
    first = i18n.catalogue(LANGUAGES[0])
    for lang in LANGUAGES[1:]:
        other = i18n.catalogue(lang)
        wrong = [key for key in first if i18n.fields_of(first[key]) != i18n.fields_of(other[key])]
        assert not wrong, (lang, wrong)


def test_keys_are_dotted_and_grouped_by_module() -> None:
    for key in i18n.catalogue("en"):
        assert re.fullmatch(r"[a-z_]+(\.[a-z0-9_]+)+", key), key


def test_fields_are_filled_per_language() -> None:
    words = i18n.phrase("questions.contact_name", who=i18n.Text("Presse", "Press"))
    assert words == i18n.Text("Name oder Funktion: Presse", "Name or role: Press")
    assert i18n.text("en", "templating.date", day=1, month="December", year=2026) == \
        "1 December 2026"
    with pytest.raises(KeyError):
        i18n.text("en", "questions.contact_name")


def _pairs(path: Path) -> list[str]:
    """German/English literals in one module: {"de": "...", "en": "..."} and Text("...", "...")."""
    name = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            keyed = {k.value: v for k, v in zip(node.keys, node.values, strict=True)
                     if isinstance(k, ast.Constant)}
            if all(isinstance(keyed.get(lang), ast.Constant | ast.JoinedStr | ast.Tuple | ast.List)
                   for lang in LANGUAGES) and any(_has_words(keyed[lang]) for lang in LANGUAGES):
                found.append(f"{name}:{node.lineno}: a dict of words per language")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id == "Text" and any(_has_words(a) for a in node.args):
            found.append(f"{name}:{node.lineno}: Text() with literal words")
    return found


def _has_words(node: ast.expr) -> bool:
    """Whether a literal holds letters (a word, not a tag like de-DE or a formula)."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Constant) and isinstance(sub.value, str) \
                and any(c.isalpha() for c in sub.value) and " " in sub.value.strip():
            return True
        if isinstance(sub, ast.Constant) and isinstance(sub.value, str) \
                and sub.value.istitle() and len(sub.value) > 2:
            return True
    return False


def test_no_module_outside_the_catalogue_holds_words_per_language() -> None:
    modules = [p for p in PACKAGE.rglob("*.py") if "i18n" not in p.parts]
    found = [hit for path in sorted(modules) for hit in _pairs(path)]
    assert not found, "\n".join(found)


def test_the_scan_finds_words_per_language(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text('A = {"de": "Guten Tag", "en": "Good day"}\nB = Text("Ja", "Yes")\n'
                      'C = {"de": "de-DE", "en": "en-GB"}\n', encoding="utf-8")
    hits = _pairs(sample)
    assert sorted(h.split(": ", 1)[1] for h in hits) == ["Text() with literal words",
                                                         "a dict of words per language"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_fast_reader_reads_what_yaml_reads(lang: str) -> None:
    text = (PACKAGE / "i18n" / f"{lang}.yaml").read_text(encoding="utf-8")
    fast = i18n.read_fast(text)
    assert fast is not None and fast == i18n.read_yaml(text)


def test_other_yaml_goes_to_the_yaml_reader() -> None:
    text = 'a.b: "one"\na.c: |\n  two\n'
    assert i18n.read_fast(text) is None
    assert i18n.read_yaml(text) == {"a.b": "one", "a.c": "two\n"}
    assert i18n.read_fast('a.b: "x \\u201c\\"y\\" \\\\"\n') == {"a.b": 'x \u201c"y" \\'}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_key_is_written_twice(lang: str) -> None:
    """YAML keeps the last of two equal keys without a word; a merge can leave both."""
    lines = (PACKAGE / "i18n" / f"{lang}.yaml").read_text(encoding="utf-8").splitlines()
    keys = [line.split(":", 1)[0] for line in lines if line and line[0] not in " #"]
    twice = sorted({key for key in keys if keys.count(key) > 1})
    assert twice == []


_LOOKUPS = {"text": "", "i18n_text": "", "phrase": "", "raw": "", "template": "",
            "words": "schema."}  # function -> the prefix it puts before its key
_OWN_MODULE = {"words": "schema.py"}  # a function of that name only there reads a catalogue
_KEY = re.compile(r"[a-z_]+(\.[a-z0-9_]+)+")


def _keys_named(path: Path) -> list[tuple[int, str]]:
    """The catalogue keys a module names as literals in calls of the catalogue's readers."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else \
            func.attr if isinstance(func, ast.Attribute) else ""
        if name not in _LOOKUPS or _OWN_MODULE.get(name, path.name) != path.name:
            continue
        for arg in node.args[:2]:
            choices = [arg.body, arg.orelse] if isinstance(arg, ast.IfExp) else [arg]
            keys = [c.value for c in choices
                    if isinstance(c, ast.Constant) and isinstance(c.value, str)
                    and (_KEY.fullmatch(c.value) or _LOOKUPS[name])]
            found += [(node.lineno, _LOOKUPS[name] + key) for key in keys]
            if keys:
                break
    return found


def test_every_key_the_code_names_is_in_every_catalogue() -> None:
    """A message named in code but missing from a catalogue fails only when it is shown."""
    named = {(path.relative_to(ROOT), line, key) for path in sorted(PACKAGE.rglob("*.py"))
             if "i18n" not in path.parts for line, key in _keys_named(path)}
    assert len({key for _, _, key in named if key.startswith("schema.")}) > 30
    assert any(key.startswith("answers.") for _, _, key in named)
    for lang in LANGUAGES:
        missing = sorted(f"{path}:{line}: {key}" for path, line, key in named
                         if key not in i18n.catalogue(lang))
        assert not missing, (lang, missing)


def test_the_key_scan_finds_a_missing_key(tmp_path: Path) -> None:
    sample = tmp_path / "schema.py"
    sample.write_text('A = text("de", "no.such_key")\nB = wording.words("bad_type")\n'
                      'C = phrase(f"questions.help.{name}")\n'
                      'D = words("min" if low else "max")\n', encoding="utf-8")
    assert _keys_named(sample) == [(1, "no.such_key"), (2, "schema.bad_type"), (4, "schema.min"),
                                   (4, "schema.max")]


def test_every_type_of_the_schemas_has_its_words() -> None:
    """A schema message names the type a value must have, and hints how to write it."""
    from policygen.core.schema import load_schema

    def types(rules: object) -> set[str]:
        if isinstance(rules, dict):
            found = {rules["type"]} if isinstance(rules.get("type"), str) else set()
            return found.union(*(types(v) for v in rules.values()))
        if isinstance(rules, list):
            return set().union(*(types(v) for v in rules))
        return set()

    used = set().union(*(types(load_schema(path.stem))
                         for path in (ROOT / "schemas").glob("*.yaml") if path.stem != "labels"))
    assert {"string", "date", "localized"} <= used
    for lang in LANGUAGES:
        missing = sorted(f"{kind}.{t}" for t in used for kind in ("type", "type_hint")
                         if f"schema.{kind}.{t}" not in i18n.catalogue(lang))
        assert not missing, (lang, missing)

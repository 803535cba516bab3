"""YAML loading: positions, strictness, and located errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from policygen.core import source
from policygen.errors import SourceError


def message(text: str) -> str:
    with pytest.raises(SourceError) as info:
        source.parse(text, "p.yaml")
    return info.value.render()


def test_positions_of_values_and_keys() -> None:
    doc = source.parse("a:\n  b: [1, 2]\n  c: x\n", "p.yaml")
    assert str(doc.locate(("a", "b", 1))) == "p.yaml:2:10"
    assert str(doc.locate(("a", "c"), key=True)) == "p.yaml:3:3"
    assert str(doc.locate(("a", "missing"))) == "p.yaml:1:1"


@pytest.mark.parametrize(("text", "expected"), [
    ("a: 1\na: 2\n", "p.yaml:2:1: duplicate key 'a'\n"
                     "    hint: the key already appears at line 1, column 1; keep one"),
    ("a:\n\t- 1\n", "p.yaml:2:1: invalid YAML: while scanning for the next token found character "
                    "that cannot start any token\n"
                    "    hint: YAML does not allow tabs for indentation; indent with spaces"),
    ("a: !!python/object/apply:os.system [ls]\n",
     "p.yaml:1:4: tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed\n"
     "    hint: profiles hold plain data only: text, numbers, true/false, dates, lists and "
     "mappings"),
    ("a: b: c\n", "p.yaml:1:5: invalid YAML: mapping values are not allowed in this context\n"
                  "    hint: a value that contains ': ' must be put in quotes"),
    ("", "p.yaml:1:1: file is empty\n"
         "    hint: a profile starts with `company:`; see policies/ for examples"),
    ("a: 2026-13-45\n", "p.yaml:1:4: invalid value '2026-13-45'\n"
                        "    hint: dates are written YYYY-MM-DD"),
    ("base: &b {x: 1}\nother:\n  <<: *b\n", "p.yaml:3:3: merge keys (<<) are not supported\n"
                                            "    hint: write the keys out in full"),
    ('a: "x\\u202Ey"\n', "p.yaml:1:4: text contains a bidirectional control character (U+202E)\n"
                         "    hint: remove it; it cannot be shown in Word and may disguise what "
                         "the text says"),
    ('a: "x\\x07"\n', "p.yaml:1:4: text contains a control character (U+0007)\n"
                      "    hint: remove it; it cannot be shown in Word and may disguise what the "
                      "text says"),
])
def test_bad_yaml_is_located(text: str, expected: str) -> None:
    assert message(text) == expected


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        refs = ", ".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    text = message("\n".join(lines) + "\n")
    assert "document expands to more than 200,000 values" in text


def test_bom_is_accepted_and_latin1_is_located(tmp_path: Path) -> None:
    good = tmp_path / "bom.yaml"
    good.write_bytes(b"\xef\xbb\xbfa: 1\n")
    assert source.load(good).data == {"a": 1}
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes("a: x\nb: M\xfcller\n".encode("latin-1"))
    with pytest.raises(SourceError) as info:
        source.load(bad, "latin1.yaml")
    assert info.value.render() == (
        "latin1.yaml:2:5: not valid UTF-8 (byte 0xfc)\n"
        "    hint: save the file as UTF-8; Latin-1 or Windows-1252 umlauts cause this")


def test_directory_missing_and_huge_files(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="is a directory, not a file"):
        source.load(tmp_path, "dir")
    with pytest.raises(SourceError, match="file not found"):
        source.load(tmp_path / "nope.yaml", "nope.yaml")
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    with pytest.raises(SourceError, match=r"file is too large \(50.0 MB; the limit is 5 MB\)"):
        source.load(huge, "huge.yaml")

"""The per-user cache: same results warm and cold, and never trusted blindly."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from policygen.core import cache, clauses, templating
from tests.conftest import FIXTURE_LIBRARY


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("POLICYGEN_CACHE_DIR", str(folder))
    cache.folder.cache_clear()
    yield folder
    cache.folder.cache_clear()


def same_library(one: clauses.ClauseLibrary, other: clauses.ClauseLibrary) -> bool:
    """Equal libraries; locale layers compare by identity (they key caches), so by contents."""
    return {tag: vars(layer) for tag, layer in one.locales.items()} == \
        {tag: vars(layer) for tag, layer in other.locales.items()} and \
        dataclasses.replace(one, locales={}) == dataclasses.replace(other, locales={})


def test_library_is_the_same_cold_and_warm(cache_dir: Path) -> None:
    cold = clauses.load_library(FIXTURE_LIBRARY, "lib")
    assert len(list((cache_dir / "clauses").iterdir())) == len(cold.clauses)
    warm = clauses.load_library(FIXTURE_LIBRARY, "lib")
    assert same_library(warm, cold)
    assert warm.clauses["employees.basics"].locate(("text", "en")) == \
        cold.clauses["employees.basics"].locate(("text", "en"))


def test_damaged_entries_are_ignored(cache_dir: Path) -> None:
    cold = clauses.load_library(FIXTURE_LIBRARY, "lib")
    for entry in (cache_dir / "clauses").iterdir():
        entry.write_bytes(b"{not json")
    for entry in (cache_dir / "templates").iterdir() if (cache_dir / "templates").exists() \
            else []:
        entry.write_bytes(b"garbage")
    assert same_library(clauses.load_library(FIXTURE_LIBRARY, "lib"), cold)
    template = templating.compile_template("en", "Hello {{ 'x' }}")
    for entry in (cache_dir / "templates").iterdir():
        entry.write_bytes(b"garbage")
    assert templating.compile_template("en", "Hello {{ 'x' }}").render() == \
        template.render() == "Hello x"


def test_cache_can_be_switched_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICYGEN_CACHE_DIR", "off")
    cache.folder.cache_clear()
    try:
        assert cache.folder() is None
        assert clauses.load_library(FIXTURE_LIBRARY, "lib").clauses
    finally:
        cache.folder.cache_clear()


def test_a_folder_others_can_write_is_not_trusted(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o777)  # noqa: PTH101 - the point of the test
    monkeypatch.setenv("POLICYGEN_CACHE_DIR", str(shared))
    cache.folder.cache_clear()
    try:
        assert cache.folder() is None
    finally:
        cache.folder.cache_clear()


def test_profile_is_the_same_cold_and_warm(cache_dir: Path) -> None:
    from policygen.core import profile
    from tests.conftest import FIXTURES

    path = FIXTURES / "profiles" / "minimal.yaml"
    cold = profile.load_profile(path, "minimal.yaml")
    assert len(list((cache_dir / "profiles").iterdir())) == 1
    warm = profile.load_profile(path, "minimal.yaml")
    assert warm == cold
    assert warm.source.locate(("company", "industry")) == cold.source.locate(
        ("company", "industry"))


def test_invalid_profiles_are_not_cached(cache_dir: Path, tmp_path: Path) -> None:
    from policygen.core import profile
    from policygen.errors import ProfileError
    from tests.conftest import FIXTURES

    bad = tmp_path / "bad.yaml"
    bad.write_text((FIXTURES / "profiles" / "minimal.yaml").read_text(encoding="utf-8")
                   .replace("retail", "retial"), encoding="utf-8")
    for _ in range(2):
        with pytest.raises(ProfileError, match="'retial' is not an allowed value"):
            profile.load_profile(bad, "bad.yaml")
    assert not (cache_dir / "profiles").exists()


@pytest.fixture
def known(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh table of recorded file digests in the test's cache folder."""
    from policygen.core import digest

    monkeypatch.setattr(digest, "_KNOWN", None)
    return cache_dir


def test_a_file_changed_just_now_is_read_again_even_with_its_size_and_mtime(
        known: Path, tmp_path: Path) -> None:
    from policygen.core import digest

    path = tmp_path / "clause.yaml"
    path.write_text("text: one", encoding="utf-8")
    first = digest.of_file_known(path)
    stat = path.stat()
    path.write_text("text: two", encoding="utf-8")  # same size
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # and the old mtime
    assert digest.of_file_known(path) == digest.of_bytes(b"text: two") != first


def test_a_recorded_file_is_not_read_until_its_stat_changes(
        known: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from policygen.core import digest

    monkeypatch.setattr(digest, "RACY_SECONDS", -1e9)  # record even what was just written
    path = tmp_path / "clause.yaml"
    path.write_text("text: one", encoding="utf-8")
    recorded = digest.of_file_known(path)
    digest.save_known()
    monkeypatch.setattr(digest, "_KNOWN", None)  # the next run reads the saved table

    def unread(_: Path) -> str:
        raise AssertionError("read again")

    with monkeypatch.context() as patch:
        patch.setattr(digest, "of_file", unread)
        assert digest.of_file_known(path) == recorded
    stat = path.stat()
    path.write_text("text: two", encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # ctime still moves
    assert digest.of_file_known(path) == digest.of_bytes(b"text: two")


@pytest.mark.parametrize("table", [b"[1, 2]", b"{\"x\": 3}", b"{\"x\": [1, 2, 3, 4, 5]}", b"\xff"])
def test_a_table_of_the_wrong_shape_is_not_used(known: Path, tmp_path: Path,
                                                table: bytes) -> None:
    from policygen.core import digest

    path = tmp_path / "clause.yaml"
    path.write_text("text: one", encoding="utf-8")
    (known / "digests").mkdir(parents=True)
    (known / "digests" / "files.json").write_bytes(table.replace(b"x", str(path).encode()))
    assert digest.of_file_known(path) == digest.of_bytes(b"text: one")


def test_every_bundled_data_file_counts_in_the_programs_digest() -> None:
    from policygen.core import digest
    from policygen.resources import PACKAGE_DIR

    data = sorted(p.name for p in (PACKAGE_DIR / "data").iterdir() if p.is_file())
    assert "font_widths.json" in data and "reference.docx" in data
    assert [name for name in data if Path(name).suffix not in digest.PROGRAM_SUFFIXES] == []


def test_industry_examples_are_checked_once_per_file_content(
        cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from policygen.core import industry_examples, schema
    from policygen.resources import LIBRARY_DIR

    path = LIBRARY_DIR / "industries.yaml"
    checked = industry_examples.load(path, "clauses/industries.yaml")
    (entry,) = (cache_dir / "industries").iterdir()

    def unchecked(*_: object) -> None:
        raise AssertionError("validated again")

    with monkeypatch.context() as patch:
        patch.setattr(schema, "validate", unchecked)
        assert industry_examples.load(path, "clauses/industries.yaml") == checked
    entry.write_text('{"retail": {"texts": {}, "markers": [3]}}', encoding="utf-8")
    assert industry_examples.load(path, "clauses/industries.yaml") == checked  # checked again


def test_locale_layers_are_checked_once_per_file_content(
        cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from policygen.core import locale_layer, schema
    from policygen.resources import LIBRARY_DIR

    def contents(layers: dict[str, locale_layer.Layer]) -> dict[str, dict[str, object]]:
        return {tag: vars(layer) for tag, layer in layers.items()}

    path = LIBRARY_DIR / "locales.yaml"
    checked = contents(locale_layer.load_layers(path, "clauses/locales.yaml"))
    assert checked["de-CH"]["characters"] == (("ß", "ss"),)
    (entry,) = (cache_dir / "locales").iterdir()

    def unchecked(*_: object) -> None:
        raise AssertionError("validated again")

    with monkeypatch.context() as patch:
        patch.setattr(schema, "validate", unchecked)
        assert contents(locale_layer.load_layers(path, "clauses/locales.yaml")) == checked
    for damaged in ('{"de-CH": {"characters": {"ß": 1}}}', '{"xx-XX": {}}', "[]"):
        entry.write_text(damaged, encoding="utf-8")
        assert contents(locale_layer.load_layers(path, "clauses/locales.yaml")) == checked


def test_json_entries_keep_dates_wherever_they_are(cache_dir: Path) -> None:
    import datetime as dt

    value = {"a": dt.date(2026, 12, 2), "b": [1, (dt.date(2027, 1, 15), "x")],
             "c": {"d": [{"e": dt.date(2025, 2, 28)}]}, "f": None}
    cache.write_json("data", "dates", value)
    assert cache.read_json("data", "dates") == {
        "a": dt.date(2026, 12, 2), "b": [1, [dt.date(2027, 1, 15), "x"]],
        "c": {"d": [{"e": dt.date(2025, 2, 28)}]}, "f": None}
    with pytest.raises(TypeError):
        cache.write_json("data", "other", {"a": {1, 2}})

"""Golden files: the example policies' Markdown exactly, their .docx as read back."""

from __future__ import annotations

import pytest

from tests.golden_update import GOLDEN, golden_files


@pytest.fixture(scope="module")
def current() -> dict[str, bytes]:
    return golden_files()


def test_no_golden_file_is_missing_or_extra(current: dict[str, bytes]) -> None:
    stored = {str(p.relative_to(GOLDEN)) for p in GOLDEN.rglob("*") if p.is_file()}
    assert stored == set(current), "run `make golden` and review the diff"


def test_golden_contents(current: dict[str, bytes]) -> None:
    changed = [name for name, data in sorted(current.items())
               if (GOLDEN / name).is_file() and (GOLDEN / name).read_bytes() != data]
    assert not changed, f"outputs differ from tests/golden: {changed}; run `make golden` " \
                        "if the change is intended, and review the diff"


def test_golden_update_refuses_to_delete_without_the_flag(tmp_path, monkeypatch, capsys,
                                                          current: dict[str, bytes]) -> None:
    from tests import golden_update

    monkeypatch.setattr(golden_update, "golden_files", lambda: current)  # rendered once
    folder = tmp_path / "golden"
    for name, data in current.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    stray = folder / "gone-company" / "employees.de.md"
    stray.parent.mkdir()
    stray.write_text("old\n", encoding="utf-8")
    monkeypatch.setattr(golden_update, "GOLDEN", folder)
    assert golden_update.main([]) == 1
    assert stray.is_file()
    assert "would delete tests/golden/gone-company/employees.de.md" in capsys.readouterr().err
    assert golden_update.main(["--delete"]) == 0
    assert not stray.exists() and not stray.parent.exists()

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

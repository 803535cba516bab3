"""How a path is shown: relative to the current folder where it lies inside it, as pathlib says."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policygen.errors import display


def by_pathlib(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with a subfolder, a file and a link that leaves the folder."""
    base = tmp_path_factory.mktemp("display")
    (base / "inside" / "deeper").mkdir(parents=True)
    (base / "inside" / "p.yaml").write_text("x", encoding="utf-8")
    (base / "inside" / "out").symlink_to(base)
    return base


@given(st.lists(st.sampled_from(["inside", "deeper", "out", "..", ".", "p.yaml", "missing"]),
                max_size=6), st.booleans())
def test_property_display_agrees_with_pathlib(tree: Path, parts: list[str],
                                              absolute: bool) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tree / "inside")
        path = Path(*parts) if parts else Path()
        if absolute:
            path = tree / "inside" / path
        assert display(path) == by_pathlib(path)

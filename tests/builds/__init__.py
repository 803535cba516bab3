"""Tests of builds; `two_companies` is the setting most of them share."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import FIXTURE_LIBRARY, FIXTURES, write


def two_companies(tmp_path: Path) -> dict[str, Path]:
    """A copy of the fixture library and two profiles: one German company, one also in the US."""
    library = tmp_path / "lib"
    shutil.copytree(FIXTURE_LIBRARY, library)
    text = (FIXTURES / "profiles" / "minimal.yaml").read_text(encoding="utf-8")
    first = write(tmp_path / "policies" / "first.yaml",
                  text.replace("name: Minimal GmbH", "name: First GmbH"))
    second = write(tmp_path / "policies" / "second.yaml",
                   text.replace("name: Minimal GmbH", "name: Second GmbH")
                   .replace("[DE]", "[DE, US]"))
    return {"lib": library, "first": first, "second": second, "out": tmp_path / "out"}

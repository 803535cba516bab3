"""What a build did, as the command prints it (light: a build with nothing to do makes one)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from policygen.errors import Problem


@dataclass
class BuildReport:
    """What a build did."""

    built: dict[str, str] = field(default_factory=dict)  # profile -> why it was rebuilt
    files: dict[str, int] = field(default_factory=dict)  # profile -> files it wrote
    current: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # legal lint of rebuilt profiles
    readability: list[str] = field(default_factory=list)  # employee guidelines rebuilt

    def as_json(self) -> dict[str, Any]:
        """The report as plain data for --format json."""
        return {"built": self.built, "current": self.current, "written": self.written,
                "removed": self.removed, "readability": self.readability,
                "warnings": [{"location": str(w.location), "message": w.message,
                              "hint": w.hint} for w in self.warnings]}

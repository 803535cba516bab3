"""The schema validator policygen builds once per schema judges as cerberus' own does.

`schema._checked_once` hands cerberus its root schema as the plain mapping it checked, so that
normalising a document no longer checks a copy of the schema again. These tests hold it to
the same normalised documents and the same errors as a validator cerberus made itself.
"""

from __future__ import annotations

import copy
import os
from functools import cache
from pathlib import Path
from typing import Any

import cerberus.schema
from hypothesis import given, settings

from policygen.core import schema, source
from policygen.errors import SourceError
from policygen.resources import LIBRARY_DIR
from tests import strategies
from tests.conftest import ROOT

PROFILES = sorted((ROOT / "policies").glob("*.yaml")) + sorted(
    (ROOT / "tests" / "bad_inputs").glob("*/*.yaml"))
CLAUSES = sorted(LIBRARY_DIR.glob("*/*.yaml"))


def judged(validator: Any, data: Any) -> tuple[bool, Any, Any]:
    ok = validator.validate(copy.deepcopy(data))
    return ok, validator.document, validator.errors


@cache
def cerberus_own(name: str) -> Any:
    """A validator with cerberus' own root schema (a `DefinitionSchema`)."""
    validator = schema._Validator(schema.load_schema(name))
    assert isinstance(validator.schema, cerberus.schema.DefinitionSchema)
    return validator


def same_judgement(name: str, data: Any) -> None:
    assert judged(schema._validator(name), data) == judged(cerberus_own(name), data)


def load(path: Path) -> Any:
    try:
        return source.load(path, path.name).data
    except SourceError:  # the bad inputs of the YAML kind
        return None


def test_profiles_are_judged_as_cerberus_judges_them() -> None:
    judged_profiles = 0
    for path in PROFILES:
        data = load(path)
        if isinstance(data, dict):
            same_judgement("profile", data)
            judged_profiles += 1
    assert judged_profiles > 20  # the examples and the bad inputs of the schema


def test_clauses_and_library_files_are_judged_as_cerberus_judges_them() -> None:
    for path in CLAUSES:
        same_judgement("clause", load(path))
    same_judgement("locales", load(LIBRARY_DIR / "locales.yaml"))
    same_judgement("industries", load(LIBRARY_DIR / "industries.yaml"))


SEEDS = [load(path) for path in sorted((ROOT / "policies").glob("*.yaml"))]


@settings(max_examples=500 if os.environ.get("HYPOTHESIS_PROFILE") == "fuzz" else 40)
@given(strategies.mutated(SEEDS))
def test_property_mutated_profiles_are_judged_as_cerberus_judges_them(data: Any) -> None:
    same_judgement("profile", data)

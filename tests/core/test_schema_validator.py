"""The schema validators policygen makes judge as cerberus' own do.

`schema._plain_validator` gives cerberus a schema's rules as one plain mapping, so that
making a validator and normalising a document no longer check the schema again. These tests
have cerberus check every schema, and hold policygen's validators to the same normalised
documents and the same errors as a validator cerberus made itself.
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


def test_cerberus_accepts_every_schema_policygen_validates_with() -> None:
    for name in ("profile", "clause", "locales", "industries"):
        cerberus_own(name)  # raises SchemaError for a schema cerberus does not accept


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

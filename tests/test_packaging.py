"""A real install: the wheel and sdist built from the checkout, installed in a fresh virtual
environment outside it, used from an empty folder; PyYAML's limits at the lowest supported version.

The dependencies come from a wheelhouse kept in the user's cache folder, filled from the package
index (with the versions of constraints.txt) on the first run only, so later runs work offline.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest

from tests.cli.test_bad_inputs import CATALOGUE, parse_case
from tests.conftest import ROOT
from tests.onboarding.test_init import answers_file

CONSTRAINTS = ROOT / "constraints.txt"
LOWEST_PYYAML = "6.0.1"  # the lower bound in pyproject.toml


def wheelhouse() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    folder = base / "policygen-tests" / "wheels"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def run(*args: str | Path, cwd: Path = ROOT, env: dict[str, str] | None = None,
        check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True,
                          env=env, timeout=900)
    if check:
        assert proc.returncode == 0, f"{args}: {proc.stdout}\n{proc.stderr}"
    return proc


def pip_install(python: Path, *requirements: str | Path, constraints: Path = CONSTRAINTS) -> None:
    """Install into the environment of `python`: offline from the wheelhouse, else fetch once."""
    pip = [sys.executable, "-m", "pip", "--python", python, "install", "--quiet",
           "--constraint", constraints]
    offline = run(*pip, "--no-index", "--find-links", wheelhouse(), *requirements, check=False)
    if offline.returncode != 0:
        for stale in wheelhouse().glob("policygen-*"):  # never resolve from an old build of ours
            stale.unlink()
        run(sys.executable, "-m", "pip", "download", "--quiet", "--constraint", constraints,
            "--dest", wheelhouse(), *requirements)
        run(*pip, "--no-index", "--find-links", wheelhouse(), *requirements)


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sdist, and the wheel built from it (as a package index would build it)."""
    out = tmp_path_factory.mktemp("dist")
    run(sys.executable, "-m", "build", "--no-isolation", "--outdir", out, ROOT)
    return {"sdist": next(out.glob("*.tar.gz")), "wheel": next(out.glob("*.whl"))}


def fresh_venv(folder: Path, *requirements: str | Path, constraints: Path = CONSTRAINTS) -> Path:
    venv.EnvBuilder(with_pip=False, clear=True).create(folder)
    python = folder / "bin" / "python"
    pip_install(python, *requirements, constraints=constraints)
    return python


def clean_env(home: Path) -> dict[str, str]:
    """No PYTHONPATH into the checkout, a cache of its own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update(POLICYGEN_CACHE_DIR=str(home / "cache"), HOME=str(home))
    return env


def test_pyproject_packages_name_every_clause_folder() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    packages = set(config["tool"]["setuptools"]["packages"])
    folders = {f"policygen.library.{p.name}" for p in (ROOT / "clauses").iterdir() if p.is_dir()}
    assert folders, "clauses/ has section folders"
    missing = sorted(folders - packages)
    assert not missing, f"add to [tool.setuptools] packages in pyproject.toml: {missing}"
    code = {".".join(p.relative_to(ROOT).parts[:-1]) for p in (ROOT / "policygen").rglob(
        "__init__.py")}
    assert code <= packages, f"packages missing from pyproject.toml: {sorted(code - packages)}"


@pytest.mark.slow
def test_sdist_and_wheel_hold_the_library_and_the_schemas(dist: dict[str, Path]) -> None:
    with tarfile.open(dist["sdist"]) as sdist:
        names = {"/".join(n.split("/")[1:]) for n in sdist.getnames()}
    clauses = {p.relative_to(ROOT).as_posix() for p in (ROOT / "clauses").rglob("*.yaml")}
    schemas = {p.relative_to(ROOT).as_posix() for p in (ROOT / "schemas").glob("*.yaml")}
    assert clauses | schemas <= names
    assert {"LICENSE", "constraints.txt", "pyproject.toml"} <= names
    with zipfile.ZipFile(dist["wheel"]) as wheel:
        inside = set(wheel.namelist())
    assert {f"policygen/library/{c.removeprefix('clauses/')}" for c in clauses} <= inside
    assert {f"policygen/schemas/{s.removeprefix('schemas/')}" for s in schemas} <= inside
    assert {"policygen/data/reference.docx", "policygen/data/font_widths.json"} <= inside


@pytest.mark.slow
def test_the_wheel_works_outside_the_checkout(dist: dict[str, Path], tmp_path: Path) -> None:
    python = fresh_venv(tmp_path / "venv", dist["wheel"])
    env = clean_env(tmp_path)
    where = run(python, "-c", "import policygen, sys; print(policygen.__file__)",
                cwd=tmp_path, env=env).stdout
    assert Path(where.strip()).is_relative_to(tmp_path / "venv")
    policygen = tmp_path / "venv" / "bin" / "policygen"
    work = tmp_path / "empty"
    work.mkdir()
    answers = answers_file(tmp_path / "answers")
    run(policygen, "init", "--answers", answers, cwd=work, env=env)
    profile = next((work / "policies").glob("*.yaml")).relative_to(work)
    run(policygen, "validate", profile, cwd=work, env=env)
    built = run(policygen, "build", profile, "--out", "out", cwd=work, env=env)
    assert "16 files written" in built.stdout
    assert run(policygen, "check", profile, "--out", "out", cwd=work, env=env).stdout == \
        "out: all outputs are current\n"
    impact = run(policygen, "impact", "employees.accuracy", "--profile", profile, cwd=work,
                 env=env)
    assert "document sets" in impact.stdout
    run(policygen, "reference", "styles.docx", cwd=work, env=env)
    assert zipfile.is_zipfile(work / "styles.docx")


@pytest.mark.slow
def test_yaml_limits_with_the_lowest_supported_pyyaml(dist: dict[str, Path],
                                                       tmp_path: Path) -> None:
    """Every YAML case of tests/bad_inputs gives the same located message with PyYAML 6.0.1."""
    others = [line for line in CONSTRAINTS.read_text(encoding="utf-8").splitlines()
              if not line.lower().startswith("pyyaml==")]
    constraints = tmp_path / "constraints.txt"
    constraints.write_text("\n".join(others) + "\n", encoding="utf-8")
    python = fresh_venv(tmp_path / "venv", dist["wheel"], f"pyyaml=={LOWEST_PYYAML}",
                        constraints=constraints)
    env = clean_env(tmp_path)
    version = run(python, "-c", "import yaml; print(yaml.__version__)", env=env).stdout
    assert version.strip() == LOWEST_PYYAML
    policygen = tmp_path / "venv" / "bin" / "policygen"
    cases = [parse_case(p) for p in sorted((CATALOGUE / "yaml").glob("*.expected"))]
    cases = [c for c in cases if c.input.is_file() and not c.header("scenario")
             and c.exit == 1]
    assert len(cases) > 10
    work = tmp_path / "work"
    for case in cases:
        target = work / case.input.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(case.input, target)
    for case in cases:
        result = run(policygen, "validate", case.input.relative_to(ROOT), cwd=work, env=env,
                     check=False)
        assert (result.returncode, result.stderr) == (1, case.stderr), case.id


def test_license_matches_pyproject() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert config["project"]["license"] == "MIT"
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n")

"""The CI recipes of docs/ci.md, run for real: pre-commit on a sample company repository, the
hooks of .pre-commit-hooks.yaml as docs/ci.md's recipe installs them, and the composite action's
commands."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from tests.cli.test_company_repo import git
from tests.conftest import ROOT, write
from tests.onboarding.test_init import answers_file
from tests.test_packaging import CONSTRAINTS, run, wheelhouse

CI_DOC = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
BIN = Path(sys.executable).parent
# What pip needs to build and install policygen: the build backend and the runtime dependencies
RUNTIME = ("setuptools", *(re.split(r"[<>=!~ ;\[]", dep, maxsplit=1)[0] for dep in
                           tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
                           ["project"]["dependencies"]))


def yaml_blocks(text: str) -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", text, re.DOTALL)


def recipe(marker: str) -> str:
    found = [block for block in yaml_blocks(CI_DOC) if marker in block]
    assert len(found) == 1, marker
    return found[0]


def sample_repo(tmp_path: Path) -> Path:
    folder = tmp_path / "acme-policies"
    subprocess.run([sys.executable, "-m", "policygen", "init", "--repo", str(folder), "--answers",
                    str(answers_file(tmp_path))], check=True, capture_output=True)
    git(folder, "init", "-q")
    return folder


def pre_commit_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"),
               PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}", **extra)
    return env


def test_every_yaml_recipe_of_docs_ci_is_valid_yaml() -> None:
    blocks = yaml_blocks(CI_DOC)
    assert len(blocks) >= 4
    for block in blocks:
        assert isinstance(yaml.safe_load(block), dict)


def test_the_commands_of_the_recipes_and_the_action_parse() -> None:
    """Every `policygen ...` line of docs/ci.md and action.yml is a valid command line."""
    from policygen.cli import parser

    action = (ROOT / "action.yml").read_text(encoding="utf-8")
    lines = re.findall(r"(?:run|entry): (policygen [^\n>]*)", CI_DOC + action)
    lines += re.findall(r"^\s+(policygen [^\n]*)$", action, re.MULTILINE)
    assert len(lines) >= 8
    for line in lines:
        if line.strip() == "policygen --version":
            continue
        words = shlex.split(line.replace("$CHECK_ARGS", "").split(" #")[0])[1:]
        words = [w.replace("${{ github.base_ref }}", "main") for w in words]
        parser(words).parse_args(words)


def test_the_action_is_a_composite_that_checks_and_can_upload() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    runs = "\n".join(step.get("run", "") for step in steps)
    assert "pip install" in runs and "policygen check" in runs
    assert any(step.get("uses", "").startswith("actions/upload-artifact@") for step in steps)
    assert "${{" not in runs, "inputs reach the scripts through env, never spliced into them"
    # the per-user cache is kept between runs where it is asked for, in the folder policygen uses
    cached = [step for step in steps if step.get("uses", "").startswith("actions/cache@")]
    assert len(cached) == 1 and cached[0]["if"] == "${{ inputs.cache == 'true' }}"
    assert "POLICYGEN_CACHE_DIR=$RUNNER_TEMP/policygen-cache" in runs
    assert cached[0]["with"]["path"] == "${{ runner.temp }}/policygen-cache"


def test_the_hooks_manifest_has_check_build_and_lint() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert {hook["id"] for hook in hooks} == {"policygen-build", "policygen-check",
                                              "policygen-lint"}
    assert all(hook["language"] == "python" and hook["pass_filenames"] is False
               for hook in hooks)


@pytest.mark.slow
def test_the_local_pre_commit_recipe_keeps_a_company_repository_current(tmp_path: Path) -> None:
    repo = sample_repo(tmp_path)
    write(repo / ".pre-commit-config.yaml", recipe("repo: local"))
    git(repo, "add", "-A")
    env = pre_commit_env(tmp_path)
    first = run(BIN / "pre-commit", "run", "--all-files", cwd=repo, env=env, check=False)
    assert (repo / "docs" / "policies" / "manifest.json").is_file(), first.stdout
    git(repo, "add", "-A")
    again = run(BIN / "pre-commit", "run", "--all-files", cwd=repo, env=env, check=False)
    assert again.returncode == 0, again.stdout
    assert re.search(r"policies are current\.+Passed", again.stdout)
    # a changed company clause layer is picked up through policygen.toml
    write(repo / "clauses" / "layer.yaml", "disable: [employees.ai_content]\n")
    git(repo, "add", "-A")
    changed = run(BIN / "pre-commit", "run", "--all-files", cwd=repo, env=env, check=False)
    assert "policies are current" in changed.stdout
    listed = run(sys.executable, "-m", "policygen", "explain", "policies/"
                 "muehlenbach-backwaren.yaml", cwd=repo, env=env).stdout
    assert "employees.ai_content" not in listed
    git(repo, "add", "-A")
    assert run(BIN / "pre-commit", "run", "--all-files", cwd=repo, env=env,
               check=False).returncode == 0


def fill_wheelhouse() -> None:
    """Everything pre-commit's pip needs to install policygen, offline after the first run."""
    house = wheelhouse()
    offline = run(sys.executable, "-m", "pip", "download", "--quiet", "--no-index",
                  "--find-links", house, "--constraint", CONSTRAINTS, "--dest", house, *RUNTIME,
                  check=False)
    if offline.returncode != 0:
        run(sys.executable, "-m", "pip", "download", "--quiet", "--constraint", CONSTRAINTS,
            "--dest", house, *RUNTIME)


def snapshot_of_this_checkout(tmp_path: Path) -> tuple[Path, str]:
    """A git repository holding this working tree as one commit (edits not yet committed
    included), as pre-commit would fetch a tagged release of policygen."""
    snapshot = tmp_path / "policygen-release"
    git(tmp_path, "clone", "-q", "--no-checkout", str(ROOT), str(snapshot))
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, check=True, capture_output=True).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (snapshot / name).parent.mkdir(parents=True, exist_ok=True)
            (snapshot / name).write_bytes(source.read_bytes())
    git(snapshot, "add", "-A")
    git(snapshot, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q",
        "--allow-empty", "-m", "release")
    rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=snapshot, check=True,
                         capture_output=True, text=True).stdout.strip()
    return snapshot, rev


@pytest.mark.slow
def test_the_documented_hooks_of_this_repository_keep_a_company_repository_current(
        tmp_path: Path) -> None:
    """docs/ci.md's first recipe, pointed at this checkout: pre-commit installs policygen from
    it (offline, from the wheelhouse) once and runs the three hooks."""
    fill_wheelhouse()
    snapshot, rev = snapshot_of_this_checkout(tmp_path)
    repo = sample_repo(tmp_path)
    config = recipe("POLICYGEN_REPOSITORY").replace("POLICYGEN_REPOSITORY", str(snapshot))
    config = config.replace("rev: v0.1.0", f"rev: {rev}").replace(
        "      - id: policygen-check", "      - id: policygen-check\n      - id: policygen-lint")
    write(repo / ".pre-commit-config.yaml", config)
    git(repo, "add", "-A")
    env = pre_commit_env(tmp_path, PIP_NO_INDEX="1", PIP_FIND_LINKS=str(wheelhouse()),
                         PIP_CONSTRAINT=str(CONSTRAINTS))

    def hook(name: str) -> subprocess.CompletedProcess[str]:
        return run(BIN / "pre-commit", "run", name, "--all-files", cwd=repo, env=env, check=False)

    stale = hook("policygen-check")
    assert stale.returncode == 1, stale.stdout + stale.stderr
    assert "missing (not built before" in stale.stdout
    built = hook("policygen-build")
    assert (repo / "docs" / "policies" / "manifest.json").is_file(), built.stdout
    git(repo, "add", "-A")
    current = hook("policygen-check")
    assert current.returncode == 0, current.stdout
    lint = hook("policygen-lint")
    assert lint.returncode == 0, lint.stdout
    environments = list((tmp_path / "pre-commit-home").glob("repo*/py_env-*"))
    assert len(environments) == 1, "the hooks share one environment, installed once"

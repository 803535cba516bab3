"""Classes 2 and 5 of docs/security.md: every path written or deleted stays inside --out,
and state files of the wrong shape are rebuilt, never an internal error.

The manifest is committed to the company's repository, so a pull request can change it; the
output folder may hold links and files of the user's own. Each test builds into a temporary
folder through the real CLI and checks what changed on disk, inside and outside it.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from policygen.builds.outputs import is_output_name, output_name
from tests.conftest import FIXTURE_LIBRARY, FIXTURES, Result, write

MINIMAL = FIXTURES / "profiles" / "minimal.yaml"
LOCK = ".policygen.lock"
Cli = Callable[..., Result]


def _build(cli: Cli, out: Path, *profiles: Path) -> Result:
    return cli("build", *map(str, profiles or (MINIMAL,)), "--out", str(out),
               "--no-bundled-library", "--library", str(FIXTURE_LIBRARY), "--quiet")


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.is_symlink()}


@pytest.fixture
def built(tmp_path: Path, cli: Cli) -> Path:
    """tmp/out holding a build of the minimal profile; tmp/victim.txt beside it."""
    (tmp_path / "victim.txt").write_text("keep me", encoding="utf-8")
    (tmp_path / "victim").mkdir()
    (tmp_path / "victim" / "file.txt").write_text("keep me", encoding="utf-8")
    out = tmp_path / "out"
    assert _build(cli, out).code == 0
    return out


def _manifest(out: Path) -> dict:  # type: ignore[type-arg]
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def _save(out: Path, data: object) -> None:
    (out / "manifest.json").write_text(json.dumps(data), encoding="utf-8")


def _entry(out: Path) -> dict:  # type: ignore[type-arg]
    return next(iter(next(iter(_manifest(out)["profiles"].values()))["outputs"].values()))


@pytest.mark.parametrize("name", [
    "../victim.txt", "../victim/file.txt", "minimal-gmbh/../../victim.txt",
    "/etc/hostname", "minimal-gmbh/../../victim", "other-company/employees.de.md",
    "minimal-gmbh/notes.txt", "minimal-gmbh\\..\\..\\victim.txt", "",
])
def test_a_tampered_manifest_never_deletes_outside_its_outputs(
        built: Path, cli: Cli, name: str) -> None:
    data = _manifest(built)
    (record,) = data["profiles"].values()
    record["outputs"][name] = _entry(built)
    record["digest"] = "changed"  # the next build rebuilds, and removes what is gone
    _save(built, data)
    before = _tree(built.parent)
    assert _build(cli, built).code == 0
    after = _tree(built.parent)
    assert (built.parent / "victim.txt").read_text(encoding="utf-8") == "keep me"
    assert (built.parent / "victim" / "file.txt").exists()
    lost = sorted(set(before) - set(after) - {"out/manifest.json"})
    assert lost == [], lost
    assert name not in json.dumps(_manifest(built)["profiles"]) or name == ""


def test_only_names_policygen_gives_are_output_names() -> None:
    assert is_output_name(output_name("acme", "employees", "de", "docx"))
    assert is_output_name(output_name("acme", "employees-summary", "en", "md"))
    for bad in ("../x.md", "acme/../x.de.md", "/acme/employees.de.md", "acme/employees.de.exe",
                "acme/sub/employees.de.md", "ACME/employees.de.md", "acme/employees.de.md\n"):
        assert not is_output_name(bad), bad


def test_a_symlinked_company_folder_is_refused(tmp_path: Path, cli: Cli) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "minimal-gmbh").symlink_to(elsewhere)
    result = _build(cli, out)
    assert result.code == 1
    assert result.err == (
        f"{out / 'minimal-gmbh'}: the company folder is a symbolic link; policygen does not "
        "write through links\n    hint: remove the link; policygen creates the folders and "
        "files it needs inside the output folder\n")
    assert list(elsewhere.iterdir()) == []


def test_a_symlinked_lock_file_is_refused(tmp_path: Path, cli: Cli) -> None:
    target = tmp_path / "target.txt"
    out = tmp_path / "out"
    out.mkdir()
    (out / LOCK).symlink_to(target)
    result = _build(cli, out)
    assert result.code == 1
    assert result.err.startswith(f"{out}: cannot write output") or result.err.startswith(
        f"{out / LOCK}: the lock file is a symbolic link")
    assert not target.exists()


def test_an_output_file_that_is_a_link_is_not_written_through(built: Path, cli: Cli) -> None:
    target = built.parent / "victim.txt"
    output = sorted((built / "minimal-gmbh").glob("employees.*.md"))[0]
    output.unlink()
    output.symlink_to(target)
    result = _build(cli, built)
    assert result.code == 1
    assert "the output file is a symbolic link" in result.err
    assert target.read_text(encoding="utf-8") == "keep me"


def test_the_sweep_removes_only_policygen_temporary_files(built: Path, cli: Cli) -> None:
    company = built / "minimal-gmbh"
    own = [company / ".notes.tmp", company / ".employees.en.md.tmp", built / ".draft.tmp",
           company / ".x.abcdefgh.tmp", built / "manifest.json.tmp"]
    for path in own:
        path.write_text("mine", encoding="utf-8")
    ours = [company / ".employees.en.md.k2j4_x9a.tmp", built / "manifest.json.ab12cd34.tmp"]
    for path in ours:
        path.write_text("left by a killed build", encoding="utf-8")
    assert _build(cli, built).code == 0
    assert all(path.exists() for path in own)
    assert not any(path.exists() for path in ours)


def test_the_sweep_does_not_follow_a_linked_folder(built: Path, cli: Cli, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    leftover = elsewhere / ".employees.de.md.k2j4_x9a.tmp"
    leftover.write_text("not policygen's", encoding="utf-8")
    (built / "linked").symlink_to(elsewhere)
    assert _build(cli, built).code == 0
    assert leftover.exists()


def test_a_failed_first_build_leaves_no_folder_and_no_lock(tmp_path: Path, cli: Cli) -> None:
    """One profile renders and is staged, the other fails: nothing of either stays."""
    good = write(tmp_path / "good.yaml", MINIMAL.read_text(encoding="utf-8"))
    bad = write(tmp_path / "bad.yaml", MINIMAL.read_text(encoding="utf-8").replace(
        "name: Minimal GmbH", "name: Bad GmbH") + "overrides:\n  include: [no.such_clause]\n")
    for out in (tmp_path / "new", tmp_path / "empty"):
        if out.name == "empty":
            out.mkdir()
        result = cli("build", str(good), str(bad), "--out", str(out), "--no-bundled-library",
                     "--library", str(FIXTURE_LIBRARY), "--jobs", "1")
        assert result.code == 1, result.err
        assert not out.exists() or list(out.iterdir()) == [], list(out.iterdir())


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(cwd), "-c", "user.name=t", "-c", "user.email=t@t",
                    *args], check=True, capture_output=True)


@pytest.mark.parametrize("rev", ["--output=pwned.txt", "-p", "HEAD\nx", "-"])
def test_impact_since_never_passes_an_option_to_git(tmp_path: Path, cli: Cli, rev: str,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    import shutil

    shutil.copytree(FIXTURE_LIBRARY, repo / "clauses")
    write(repo / "p.yaml", MINIMAL.read_text(encoding="utf-8"))
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "x")
    monkeypatch.chdir(repo)
    result = cli("impact", f"--since={rev}", "--profile", "p.yaml", "--no-bundled-library",
                 "--library", "clauses")
    assert result.code == 2, result.err
    shown = "".join(c if c.isprintable() else "?" for c in rev)
    assert result.err.startswith(f"git: '{shown}' is not a revision\n"), result.err
    assert not (repo / "pwned.txt").exists()


# --------------------------------------------------------------- state files of the wrong shape


@pytest.mark.parametrize("spoil", [
    lambda m: {**m, "profiles": list(m["profiles"])},
    lambda m: {**m, "profiles": {k: [] for k in m["profiles"]}},
    lambda m: {**m, "profiles": {k: {**v, "outputs": list(v["outputs"])}
                                 for k, v in m["profiles"].items()}},
    lambda m: {**m, "profiles": {k: {**v, "outputs": {o: 7 for o in v["outputs"]}}
                                 for k, v in m["profiles"].items()}},
    lambda m: {**m, "profiles": {k: {**v, "outputs": {o: {**e, "size": "12"} for o, e in
                                                      v["outputs"].items()}}
                                 for k, v in m["profiles"].items()}},
    lambda m: {**m, "profiles": {k: {**v, "assets": {"/dev/zero": "x"}}
                                 for k, v in m["profiles"].items()}},
    lambda m: {**m, "profiles": {k: {**v, "slug": None} for k, v in m["profiles"].items()}},
    lambda m: {**m, "library": [], "selection_keys": 3, "tool": {}},
    lambda m: [m],
    lambda m: "manifest",
])
def test_a_manifest_of_the_wrong_shape_is_rebuilt(built: Path, cli: Cli, spoil) -> None:  # type: ignore[no-untyped-def]
    _save(built, spoil(_manifest(built)))
    result = _build(cli, built)
    assert result.code == 0, result.err
    assert isinstance(_manifest(built)["profiles"], dict)
    check = cli("build", str(MINIMAL), "--out", str(built), "--no-bundled-library", "--library",
                str(FIXTURE_LIBRARY))
    assert check.code == 0 and "0 of 1 profile rebuilt" in check.out, check.out


def test_a_manifest_asset_that_is_a_fifo_does_not_block(built: Path, cli: Cli) -> None:
    fifo = built.parent / "asset.fifo"
    os.mkfifo(fifo)
    data = _manifest(built)
    for record in data["profiles"].values():
        record["assets"] = {str(fifo): "x"}
    _save(built, data)
    result = _build(cli, built)
    assert result.code == 0, result.err


@pytest.mark.parametrize("stats", ['{"minimal-gmbh/employees.de.md": 7}', "[1, 2]",
                                   '{"minimal-gmbh/employees.de.md": [1, "x", 3]}', "{{"])
def test_a_stat_cache_of_the_wrong_shape_is_rebuilt(built: Path, cli: Cli, stats: str) -> None:
    (built / ".policygen-stat.json").write_text(stats, encoding="utf-8")
    for _ in range(2):
        result = _build(cli, built)
        assert result.code == 0, result.err

"""The catalogue of bad inputs (tests/bad_inputs/): each case through the real CLI, in-process.

Every case is one input file `<category>/<case>.yaml` (some cases have no input file: they are
made by the test, see SCENARIOS) and `<case>.expected`: a `# description` line, `key: value`
headers, then `stderr:` and the exact standard error. Headers:

- `exit`: the expected exit code (default 1)
- `library`: the input is a clause file, placed at this path in a copy of the fixture library
- `folder`: for cases that must succeed, the one output folder the build may create
- `literal`: for cases that must succeed, text that both formats must show literally
- `location: none`: the message names a file or folder but no line (nothing to point at)
- `scenario`: the input is made by the test (a 50 MB file, a read-only folder, ...)

In stderr, `{tmp}` stands for the test's temporary folder. Every case also checks: no
traceback, nothing on stdout for a failure, the earlier outputs in the output folder intact.
Set POLICYGEN_UPDATE_BAD_INPUTS=1 to rewrite the stderr sections after a deliberate change
(then review `git diff tests/bad_inputs`).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import io
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import docx
import pytest
from markdown_it import MarkdownIt

from tests.conftest import FIXTURE_LIBRARY, FIXTURES, LIB_ONLY, ROOT, Result, write
from tests.readback import docx_sequence

CATALOGUE = ROOT / "tests" / "bad_inputs"
MINIMAL = FIXTURES / "profiles" / "minimal.yaml"
LOCK_NAME = ".policygen.lock"
AUDIENCES = ("employees.", "account_managers.", "legal.")
_PROBLEM_LINE = re.compile(r"^(?P<where>.+?):(?P<line>\d+):(?P<col>\d+): ")
_UPDATE = os.environ.get("POLICYGEN_UPDATE_BAD_INPUTS") == "1"


@dataclass
class Case:
    """One catalogue entry."""

    expected_file: Path
    description: str
    headers: dict[str, list[str]] = field(default_factory=dict)
    stderr: str = ""

    @property
    def id(self) -> str:
        return f"{self.expected_file.parent.name}/{self.expected_file.stem}"

    @property
    def category(self) -> str:
        return self.expected_file.parent.name

    @property
    def input(self) -> Path:
        return self.expected_file.with_suffix(".yaml")

    def header(self, key: str, default: str = "") -> str:
        return self.headers.get(key, [default])[0]

    @property
    def exit(self) -> int:
        return int(self.header("exit", "1"))


def parse_case(path: Path) -> Case:
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[0].startswith("# "), f"{path}: the first line is `# description`"
    case = Case(path, lines[0][2:])
    for index, line in enumerate(lines[1:], start=1):
        if line == "stderr:":
            case.stderr = "\n".join(lines[index + 1:])
            break
        if not line:
            continue
        key, _, value = line.partition(": ")
        case.headers.setdefault(key, []).append(value)
    return case


def all_cases() -> list[Case]:
    return [parse_case(p) for p in sorted(CATALOGUE.glob("*/*.expected"))]


CASES = all_cases()


def snapshot(folder: Path) -> dict[str, str]:
    """Digest of every file below a folder, except the (empty) lock file."""
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != LOCK_NAME}


@pytest.fixture(scope="module")
def earlier(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An output folder holding a good earlier build of the minimal profile."""
    from policygen.cli import main

    out = tmp_path_factory.mktemp("earlier") / "out"
    assert main(["build", str(MINIMAL), "--out", str(out), *LIB_ONLY, str(FIXTURE_LIBRARY),
                 "--quiet"]) == 0
    return out


@pytest.fixture(autouse=True)
def _in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # messages name files relative to the current folder


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def check_stderr(case: Case, err: str, tmp: Path) -> None:
    shown = err.replace(str(tmp), "{tmp}")
    if _UPDATE and shown != case.stderr:
        text = case.expected_file.read_text(encoding="utf-8")
        head = text.split("\nstderr:\n")[0].rstrip("\n")
        case.expected_file.write_text(f"{head}\nstderr:\n{shown}", encoding="utf-8")
        return
    assert shown == case.stderr


def check_located(case: Case, err: str) -> None:
    """Every problem names file:line:col with line > 0, unless the case says there is none."""
    problems = [line for line in err.splitlines()
                if line and not line.startswith(" ") and not line.endswith("problems found")]
    assert problems, "a failure prints at least one problem"
    for line in problems:
        match = _PROBLEM_LINE.match(line)
        if case.header("location") == "none":
            continue
        assert match and int(match["line"]) > 0, f"not located: {line}"
    for index, line in enumerate(err.splitlines()):
        if line.startswith(" "):
            assert line.startswith("    hint: ") and index > 0


def check_failure(case: Case, result: Result, out: Path, before: dict[str, str],
                  tmp: Path) -> None:
    assert "Traceback" not in result.err
    assert result.code == case.exit, result.err
    assert result.out == ""
    check_stderr(case, result.err, tmp)
    check_located(case, result.err)
    assert snapshot(out) == before, "a failed build changed the output folder"
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")], "temporary files left"


def markdown_text(text: str) -> tuple[str, list[str]]:
    """All text a CommonMark renderer (raw HTML allowed) shows, and the kinds it found."""
    tokens = MarkdownIt("commonmark").parse(text)
    words: list[str] = []
    kinds: list[str] = []
    for token in tokens:
        kinds.append(token.type)
        for child in token.children or []:
            kinds.append(child.type)
            if child.type in ("text", "code_inline"):
                words.append(child.content)
            elif child.type == "link_open":
                kinds.append(f"href:{child.attrs.get('href')}")
        words.append("\n")
    return "".join(words), kinds


def check_success(case: Case, result: Result, out: Path, before: dict[str, str],
                  tmp: Path) -> None:
    assert "Traceback" not in result.err
    assert result.code == 0, result.err
    check_stderr(case, result.err, tmp)  # empty, or the warnings the case expects
    if result.err:
        check_located(case, result.err)
    folder = case.header("folder")
    after = snapshot(out)
    earlier_files = {k: v for k, v in after.items() if k in before and "/" in k}
    assert earlier_files == {k: v for k, v in before.items() if "/" in k}
    new = sorted(k for k in after if k not in before)
    written = [k for k in new if "/" in k]
    assert written and all(k.startswith(folder + "/") for k in written), new
    guidelines = [k for k in written if k.split("/")[1].startswith(AUDIENCES)]
    assert len(guidelines) == 6
    for relpath in written:
        data = (out / relpath).read_bytes()
        if relpath.endswith(".md"):
            text, kinds = markdown_text(data.decode("utf-8"))
            assert not {"html_inline", "html_block", "image"} & set(kinds), relpath
            assert not [k for k in kinds if k.startswith("href:")
                        and not k.startswith(("href:http", "href:mailto"))], relpath
        else:
            text = "\n".join(text for _, text in docx_sequence(data))
            props = docx.Document(io.BytesIO(data)).core_properties
            text += "\n" + props.title
        for literal in case.headers.get("literal", []):
            if relpath in guidelines:
                assert literal in text, f"{relpath} does not show {literal!r} literally"


# ---------------------------------------------------------------------------------- scenarios


def _make_huge(tmp: Path) -> Path:
    huge = tmp / "huge.yaml"
    with huge.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    return huge


def _branded(tmp: Path, key: str, make: Callable[[Path], None]) -> Path:
    """The minimal profile naming `asset` as branding.<key>, the asset made by `make`."""
    make(tmp / "asset")
    return write(tmp / "branded.yaml", MINIMAL.read_text(encoding="utf-8")
                 + f"branding:\n  {key}: asset\n")


SCENARIO_INPUTS: dict[str, Callable[[Path], Path]] = {
    "huge": _make_huge,
    "missing": lambda tmp: tmp / "missing.yaml",
    "reference_fifo": lambda tmp: _branded(tmp, "reference_docx", os.mkfifo),
    "reference_dev_zero": lambda tmp: _branded(tmp, "reference_docx",
                                               lambda p: p.symlink_to("/dev/zero")),
    "logo_fifo": lambda tmp: _branded(tmp, "logo", os.mkfifo),
    "logo_dev_urandom": lambda tmp: _branded(tmp, "logo", lambda p: p.symlink_to("/dev/urandom")),
}


def _library_with(case: Case, tmp: Path) -> Path:
    library = tmp / "lib"
    shutil.copytree(FIXTURE_LIBRARY, library)
    shutil.copyfile(case.input, library / case.header("library"))
    return library


PROFILE_CASES = [c for c in CASES if c.header("scenario") in ("", *SCENARIO_INPUTS)]
ENVIRONMENT_CASES = [c for c in CASES if c not in PROFILE_CASES]


@pytest.mark.parametrize("case", PROFILE_CASES, ids=lambda c: c.id)
def test_bad_input(case: Case, cli: Callable[..., Result], earlier: Path,
                   tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(earlier, out)
    before = snapshot(out)
    library = FIXTURE_LIBRARY
    profile = case.input
    if case.header("library"):
        library, profile = _library_with(case, tmp_path), MINIMAL
    elif case.header("scenario"):
        profile = SCENARIO_INPUTS[case.header("scenario")](tmp_path)
    result = cli("build", rel(profile), "--out", str(out), *LIB_ONLY, rel(library))
    if case.exit == 0:
        check_success(case, result, out, before, tmp_path)
    else:
        check_failure(case, result, out, before, tmp_path)


FIRST_FAILURES = [next(c for c in PROFILE_CASES if c.category == category and c.exit == 1
                      and not c.header("scenario"))
                  for category in ("yaml", "schema", "overrides", "library", "injection",
                                   "paths", "branding")]


@pytest.mark.parametrize("case", FIRST_FAILURES, ids=lambda c: c.id)
def test_failed_build_creates_no_folder(case: Case, cli: Callable[..., Result],
                                        tmp_path: Path) -> None:
    out = tmp_path / "out"
    library, profile = (_library_with(case, tmp_path), MINIMAL) if case.header("library") \
        else (FIXTURE_LIBRARY, case.input)
    result = cli("build", rel(profile), "--out", str(out), *LIB_ONLY, rel(library))
    assert result.code == 1
    assert not out.exists()


# ------------------------------------------------------------------------- the environment


def _version(profile: Path, version: str) -> Path:
    text = MINIMAL.read_text(encoding="utf-8").replace('version: "1.0"', f'version: "{version}"')
    return write(profile, text)


@pytest.fixture
def two_versions(tmp_path: Path, cli: Callable[..., Result]) -> Iterator[tuple[Path, Path]]:
    """A profile built once as version 1.0 into out, then edited to 2.0 (not built)."""
    profile = _version(tmp_path / "src" / "acme.yaml", "1.0")
    out = tmp_path / "out"
    assert cli("build", str(profile), "--out", str(out), *LIB_ONLY, str(FIXTURE_LIBRARY),
               "--quiet").code == 0
    _version(profile, "2.0")
    yield profile, out


def _subprocess(args: list[str], **kwargs: object) -> Result:
    proc = subprocess.run([sys.executable, "-m", "policygen", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False,
                          **kwargs)  # type: ignore[call-overload]
    return Result(proc.returncode, proc.stdout, proc.stderr)


def _run_unwritable(profile: Path, out: Path, cli: Callable[..., Result]) -> Result:
    modes = {p: p.stat().st_mode for p in [out, *out.rglob("*")] if p.is_dir()}
    for folder in modes:
        folder.chmod(0o555)
    try:
        args = ["build", str(profile), "--out", str(out), *LIB_ONLY, str(FIXTURE_LIBRARY)]
        if os.geteuid() != 0:
            return cli(*args)
        if shutil.which("setpriv") is None:
            pytest.skip("running as root and setpriv is not installed")
        drop = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner",
                "--inh-caps=-all", "--"]
        proc = subprocess.run([*drop, sys.executable, "-m", "policygen", *args], cwd=ROOT,
                              capture_output=True, text=True, timeout=120, check=False)
        return Result(proc.returncode, proc.stdout, proc.stderr)
    finally:
        for folder, mode in modes.items():
            folder.chmod(mode)


def _limit_file_size() -> None:  # runs in the child before exec
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))


def _run_disk_full(profile: Path, out: Path, cli: Callable[..., Result]) -> Result:
    return _subprocess(["build", str(profile), "--out", str(out), *LIB_ONLY,
                        str(FIXTURE_LIBRARY)], preexec_fn=_limit_file_size)


def _run_out_is_file(profile: Path, out: Path, cli: Callable[..., Result]) -> Result:
    blocker = out / "minimal-gmbh" / "employees.en.md"
    return cli("build", str(profile), "--out", str(blocker), *LIB_ONLY, str(FIXTURE_LIBRARY))


def _run_locked(profile: Path, out: Path, cli: Callable[..., Result]) -> Result:
    with (out / LOCK_NAME).open("a") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        return cli("build", str(profile), "--out", str(out), *LIB_ONLY, str(FIXTURE_LIBRARY))


ENVIRONMENT: dict[str, Callable[[Path, Path, Callable[..., Result]], Result]] = {
    "unwritable": _run_unwritable,
    "disk_full": _run_disk_full,
    "out_is_file": _run_out_is_file,
    "locked": _run_locked,
}


@pytest.mark.parametrize("case", ENVIRONMENT_CASES, ids=lambda c: c.id)
def test_environment(case: Case, cli: Callable[..., Result], two_versions: tuple[Path, Path],
                     tmp_path: Path) -> None:
    profile, out = two_versions
    before = snapshot(out)
    result = ENVIRONMENT[case.header("scenario")](profile, out, cli)
    check_failure(case, result, out, before, tmp_path)
    retry = cli("build", str(profile), "--out", str(out), *LIB_ONLY, str(FIXTURE_LIBRARY))
    assert retry.code == 0, retry.err
    assert "Version:** 2.0" in (out / "minimal-gmbh" / "employees.en.md").read_text("utf-8")
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]


# ------------------------------------------------------------------------ the catalogue itself


def test_catalogue_covers_every_category() -> None:
    counts: dict[str, int] = {}
    for case in CASES:
        counts[case.category] = counts.get(case.category, 0) + 1
    assert sum(counts.values()) >= 40
    assert set(counts) == {"yaml", "schema", "overrides", "library", "injection", "paths",
                           "branding", "output"}
    for case in CASES:
        assert case.header("scenario") or case.input.exists(), case.id
        assert set(case.headers) <= {"exit", "library", "folder", "literal", "location",
                                     "scenario"}, case.id
        assert case.exit == 0 or case.stderr, f"{case.id}: a failure names its message"


def test_materials_are_what_they_claim() -> None:
    bomb = zipfile.ZipFile(CATALOGUE / "branding" / "zip_bomb.docx")
    assert sum(i.file_size for i in bomb.infolist()) > 500 * (CATALOGUE / "branding" /
                                                                "zip_bomb.docx").stat().st_size
    assert (CATALOGUE / "yaml" / "is_a_directory.yaml").is_dir()
    assert (CATALOGUE / "yaml" / "latin1.yaml").read_bytes().count(b"\xe4") >= 1
    assert (CATALOGUE / "yaml" / "utf16.yaml").read_bytes()[:2] == b"\xff\xfe"


# ------------------------------------------------------------- killed and concurrent builds

KILLS = 60 if os.environ.get("HYPOTHESIS_PROFILE") == "fuzz" else 8


def _rheinwerk(profile: Path, version: str) -> Path:
    text = (ROOT / "policies" / "rheinwerk.yaml").read_text(encoding="utf-8")
    assert '  version: "2.1"\n' in text
    return write(profile, text.replace('  version: "2.1"\n', f'  version: "{version}"\n', 1))


def _visible(folder: Path) -> dict[str, bytes]:
    """The outputs a reader sees: every file except hidden ones (lock, temporary files)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.name.startswith(".")}


def _build_process(profile: Path, out: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "policygen", "build", str(profile), "--out",
                             str(out), "--quiet"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path, float]:
    """rheinwerk built as version 3.0 (old) and 3.1 (new): the profile, both outputs, seconds."""
    import time

    tmp = tmp_path_factory.mktemp("versions")
    profile = tmp / "src" / "rheinwerk.yaml"
    outputs = []
    seconds = 0.0
    for version in ("3.0", "3.1"):
        _rheinwerk(profile, version)
        out = tmp / version
        if outputs:
            shutil.copytree(outputs[0], out)
        start = time.monotonic()
        proc = _build_process(profile, out)
        _, err = proc.communicate(timeout=300)
        seconds = time.monotonic() - start
        assert proc.returncode == 0, err
        outputs.append(out)
    old, new = _visible(outputs[0]), _visible(outputs[1])
    assert old.keys() == new.keys() and all(old[k] != new[k] for k in old if k != "manifest.json")
    return profile, outputs[0], outputs[1], seconds


def test_killed_build_never_leaves_a_truncated_or_mixed_file(
        versions: tuple[Path, Path, Path, float], tmp_path: Path) -> None:
    """SIGKILL at random moments: every output is wholly old or wholly new, never cut short.

    Half the kills fall anywhere in the run, half while outputs are being staged and renamed
    (a few milliseconds after the first temporary file appears).
    """
    import random
    import time

    profile, old_dir, new_dir, seconds = versions
    old, new = _visible(old_dir), _visible(new_dir)
    rng = random.Random(8)
    outcomes = {"old": 0, "new": 0, "some of each": 0}
    for attempt in range(KILLS):
        out = tmp_path / str(attempt)
        shutil.copytree(old_dir, out)
        proc = _build_process(profile, out)
        if attempt % 2:  # anywhere in the run
            time.sleep(rng.uniform(0.1, 1.05) * seconds)
        else:  # while files are staged and renamed: shortly after the first temporary file
            deadline = time.monotonic() + 3 * seconds
            while proc.poll() is None and time.monotonic() < deadline \
                    and not any(out.glob("*/.*.tmp")):
                time.sleep(0.001)
            time.sleep(rng.uniform(0, 0.01))
        with contextlib.suppress(ProcessLookupError):  # it may have finished already
            os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=60)
        seen = _visible(out)
        assert seen.keys() == old.keys(), f"attempt {attempt}: files appeared or vanished"
        for relpath, data in seen.items():
            if relpath != "manifest.json":
                assert data in (old[relpath], new[relpath]), \
                    f"attempt {attempt}: {relpath} is neither the old nor the new file"
        fresh = [k for k in seen if k != "manifest.json" and seen[k] == new[k]]
        outcomes["new" if len(fresh) == len(seen) - 1 else "some of each" if fresh else "old"] += 1
        shutil.rmtree(out) if attempt else None
    final = _build_process(profile, tmp_path / "0")
    _, err = final.communicate(timeout=300)
    assert final.returncode == 0, err
    assert _visible(tmp_path / "0") == new, "the build after a kill did not repair the folder"
    assert not [p for p in (tmp_path / "0").rglob("*.tmp")]
    print(f"{KILLS} kills: {outcomes}")


def test_two_builds_at_once(versions: tuple[Path, Path, Path, float], tmp_path: Path) -> None:
    """Two builds into one folder: one may be turned away by the lock; the result is whole."""
    profile, old_dir, new_dir, _ = versions
    for attempt in range(3):
        out = tmp_path / str(attempt)
        shutil.copytree(old_dir, out)
        first, second = _build_process(profile, out), _build_process(profile, out)
        results = [proc.communicate(timeout=300) + (proc.returncode,) for proc in (first, second)]
        for _, err, code in results:
            assert "Traceback" not in err
            assert code == 0 or (code == 1 and err == (
                f"{out}: another policygen build is writing to {out}\n"
                f"    hint: wait for it to finish; it holds {out / LOCK_NAME}\n")), err
        assert 0 in [code for _, _, code in results]
        assert _visible(out) == _visible(new_dir)

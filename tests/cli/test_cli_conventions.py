"""Conventions every command keeps: an example and the exit codes in --help, --quiet, --verbose,
did-you-mean for commands and values; `policygen reference`."""

from __future__ import annotations

from pathlib import Path

import pytest

from policygen.cli import COMMANDS
from policygen.resources import REFERENCE_DOCX
from tests.conftest import FIXTURE_LIBRARY, FIXTURES, LIB_ONLY, ROOT

MINIMAL = str(FIXTURES / "profiles" / "minimal.yaml")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_help_has_an_example_the_common_options_and_the_exit_codes(cli,
                                                                         command: str) -> None:
    result = cli(command, "--help")
    assert result.code == 0
    assert f"example: policygen {command} " in result.out
    for option in ("--quiet", "--verbose", "--config FILE"):
        assert option in result.out
    assert "exit codes: 0 success, 1 bad input" in result.out
    assert "70 internal error (a bug), 130 interrupted" in result.out


def test_the_main_help_documents_the_exit_codes(cli) -> None:
    result = cli("--help")
    assert "exit codes: 0 success" in result.out and "130 interrupted" in result.out


@pytest.mark.parametrize(("args", "expected"), [
    (("buidl",), "hint: did you mean 'build'?"),
    (("chekc",), "hint: did you mean 'check'?"),
    (("build", "--lang", "dee"), "invalid value dee; did you mean 'de'?"),
    (("build", "--audience", "employes"), "did you mean 'employees'?"),
    (("check", "--format", "jsno"), "invalid value 'jsno'; did you mean 'json'?"),
    (("init", "--lang", "en_"), "hint: did you mean 'en'?"),
])
def test_did_you_mean(cli, args: tuple[str, ...], expected: str) -> None:
    result = cli(*args)
    assert result.code == 2
    assert expected in result.err


def test_quiet_prints_only_errors_and_verbose_names_config_and_layers(cli, tmp_path: Path,
                                                                     monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    lib = (*LIB_ONLY, str(FIXTURE_LIBRARY))
    quiet = cli("validate", MINIMAL, *lib, "--quiet")
    assert (quiet.code, quiet.out) == (0, "")
    loud = cli("validate", MINIMAL, *lib, "--verbose")
    assert loud.code == 0 and loud.out.endswith(": ok\n")
    assert "config: none found\n" in loud.err
    assert f"library layers: tests/fixtures/library ({FIXTURE_LIBRARY})\n" in loud.err
    both = cli("validate", MINIMAL, "--quiet", "--verbose")
    assert both.code == 2 and "not allowed with argument" in both.err


def test_reference_writes_the_bundled_docx_and_never_overwrites(cli, tmp_path: Path) -> None:
    target = tmp_path / "styles.docx"
    result = cli("reference", str(target))
    assert result.code == 0
    assert target.read_bytes() == REFERENCE_DOCX.read_bytes()
    assert result.out.startswith(f"wrote {target}\n")
    target.write_bytes(b"company styles")
    again = cli("reference", str(target))
    assert again.code == 2
    assert again.err == (f"{target}: already exists; nothing was written\n"
                         "    hint: choose another name, or pass --force to replace the file\n")
    assert target.read_bytes() == b"company styles"
    assert cli("reference", str(target), "--force", "--quiet").code == 0
    assert target.read_bytes() == REFERENCE_DOCX.read_bytes()
    wrong = cli("reference", str(tmp_path / "styles.dotx"))
    assert wrong.code == 2 and "must end in .docx" in wrong.err

"""`policygen init [FILE]`: ask the questions of a policy generator and write the profile."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NoReturn

from policygen import i18n
from policygen.builds import staging
from policygen.cli.common import LANGUAGES
from policygen.core import profile as profile_module
from policygen.core import source
from policygen.errors import Location, OutputError, UsageError
from policygen.onboarding import interview, repository
from policygen.onboarding.answers import Refused
from policygen.onboarding.console import Command, Console, InputEnded, LineConsole, Prompt

SAVE_NAME = "policygen-init-answers.yaml"


def register(subparsers: Any) -> None:
    """Add the command."""
    parser = subparsers.add_parser(
        "init", help="write a new profile from a questionnaire",
        description="Ask, in German or English, what a social media guideline needs to know: "
                    "the company, its goals and target groups, channels, who is responsible, "
                    "how employees take part, how criticism is answered, contacts. Each answer "
                    "is checked as it is typed, and each rule across answers as soon as its "
                    "answers are given. Type ? for help, back for the previous question, save "
                    "to save the answers and stop (Ctrl-C saves too); --resume goes on. "
                    "Writes a commented profile that validates. With --answers, the answers "
                    "come from a YAML file (question id: answer).")
    parser.add_argument("file", type=Path, nargs="?", metavar="FILE",
                        help="profile to write (default: policies/<short name>.yaml)")
    parser.add_argument("--lang", choices=LANGUAGES,
                        help="language of the questions and the profile's texts (default: en, "
                             "or the answers file's `language`)")
    parser.add_argument("--answers", type=Path, metavar="ANSWERS.yaml",
                        help="take the answers from this file instead of asking")
    parser.add_argument("--resume", type=Path, metavar="SAVED.yaml",
                        help="go on from the answers saved by `save` or Ctrl-C, and save to "
                             "the same file again")
    parser.add_argument("--plain", action="store_true",
                        help="ask line by line, without line editing and choice lists (as "
                             "when the input is not a terminal)")
    parser.add_argument("--repo", type=Path, metavar="DIR",
                        help="start a company policy repository in DIR (policygen.toml, "
                             "clauses/, pre-commit and CI files); the profile goes to "
                             "DIR/policies/")
    parser.add_argument("--force", action="store_true", help="replace FILE if it exists")
    parser.set_defaults(run=run)


def _check_repo(folder: Path, force: bool) -> None:
    taken = sorted(relpath for relpath in repository.files() if (folder / relpath).exists())
    if taken and not force:
        raise UsageError.at(Location(str(folder / taken[0])), "already exists; nothing was "
                            "written", "start the repository in a new folder, or pass --force")


def _check(path: Path, force: bool) -> None:
    interview.check_target(path.exists(), path.is_dir(), force, str(path))


def check_writable(folder: Path) -> None:
    """Refuse, before anything is asked, a folder where the file could not be written."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise OutputError.at(Location(str(existing)), "is not a folder; nothing can be written "
                             "under it", "choose a file in a folder")
    try:
        handle, name = tempfile.mkstemp(prefix=".policygen-init-", dir=existing)
    except OSError as exc:
        raise OutputError.at(Location(str(folder)), "cannot write here: "
                             f"{exc.strerror or exc}; nothing was asked yet",
                             "choose a folder you may write to") from None
    os.close(handle)
    Path(name).unlink()


def _write(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def _console(args: argparse.Namespace) -> Console:
    if not args.plain and sys.stdin.isatty() and sys.stdout.isatty() and \
            os.environ.get("TERM", "") not in ("", "dumb"):
        from policygen.onboarding.terminal import TerminalConsole

        return TerminalConsole()
    return LineConsole()


def _confirm(console: Console, text: str, lang: str) -> bool:
    """A yes/no question outside the interview (no is the default)."""
    while True:
        reply = console.ask(Prompt(text, "bool", lang, default=i18n.text(lang, "interview.no"),
                                   chosen=(i18n.text(lang, "interview.no"),)))
        if isinstance(reply, Command):
            continue
        answer = reply.strip().lower() or i18n.text(lang, "interview.no")
        if answer in ("y", "yes", "j", "ja"):
            return True
        if answer in ("n", "no", "nein"):
            return False


def _both(key: str, **fields: str) -> str:
    """Words before the language is chosen: German / English."""
    return " / ".join(dict.fromkeys(i18n.text(lang, key, **fields) for lang in LANGUAGES))


def _target_free(path: Path, args: argparse.Namespace, console: Console, lang: str | None,
                 interactive: bool) -> bool:
    """Whether the profile may be written to path: free, --force, or confirmed in a terminal."""
    if path.is_dir() or not path.exists() or args.force:
        _check(path, args.force)
        return False
    if not interactive:
        _check(path, False)  # refused: exit 2
    text = i18n.text(lang, "init.target_exists", path=str(path)) if lang else \
        _both("init.target_exists", path=str(path))
    if _confirm(console, text, lang or "en"):
        return True
    _check(path, False)
    return False  # pragma: no cover - _check refused


def _free_name(folder: Path) -> Path:
    """Where new answers are saved: SAVE_NAME, numbered when an earlier session left one."""
    path = folder / SAVE_NAME
    number = 2
    while path.exists():
        path = folder / f"{Path(SAVE_NAME).stem}-{number}.yaml"
        number += 1
    return path


def _save(answers: Mapping[str, Any], lang: str, path: Path, command: str,
          complete: bool = False) -> None:
    text = interview.saved_text(answers, lang, command, complete)
    folder = path.parent if str(path.parent) else Path()
    try:
        handle, temporary = tempfile.mkstemp(prefix=".policygen-init-", suffix=".yaml",
                                             dir=folder)
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        Path(temporary).chmod(staging.FILE_MODE)
        Path(temporary).replace(path)
    except OSError as exc:
        raise OutputError.at(Location(str(path)), f"cannot save the answers: "
                             f"{exc.strerror or exc}", "check that the folder is writable"
                             ) from None


def _resume_command(args: argparse.Namespace, saved: Path) -> str:
    parts = ["policygen", "init"]
    if args.file is not None:
        parts.append(str(args.file))
    if args.repo is not None:
        parts += ["--repo", str(args.repo)]
    if args.force:
        parts.append("--force")
    parts += ["--resume", str(saved)]
    return " ".join(parts)


def run(args: argparse.Namespace) -> int:
    """Ask (or read the answers), check, and write the profile; never overwrite silently."""
    if args.answers is not None and args.resume is not None:
        raise UsageError.at(Location("policygen"), "--answers and --resume exclude each other",
                            "use --answers for a complete answers file, --resume to go on "
                            "asking after a saved one")
    default_folder = (args.repo or Path()) / "policies"
    check_writable(args.file.parent if args.file is not None else default_folder)
    if args.repo is not None:
        _check_repo(args.repo, args.force)
    confirmed: set[Path] = set()
    if args.answers is not None:
        if args.file is not None:
            _check(args.file, args.force)
        doc = source.load(args.answers)
        lang = args.lang or _language(doc)
        answers = interview.from_answers(doc, lang)
    else:
        asked, lang, code = _ask(args, default_folder, confirmed)
        if asked is None:
            return code
        answers = asked
    text, slug = interview.write_profile(answers, lang, str(args.file or "<new profile>"))
    target = args.file or default_folder / f"{slug}.yaml"
    _check(target, args.force or target in confirmed)
    staged = [staging.stage(target.parent, target.name, text.encode("utf-8"))]
    if args.repo is not None:
        staged += [staging.stage(args.repo, relpath, content.encode("utf-8"))
                   for relpath, content in repository.files().items()]
    staging.commit(staged)
    for item in staged:
        print(f"wrote {item.target}")
    print(i18n.text(lang, "init.next", target=str(target)))
    return 0


def _ask(args: argparse.Namespace, default_folder: Path,
         confirmed: set[Path]) -> tuple[dict[str, Any] | None, str, int]:
    """The interview in a terminal or line by line: answers, language, exit code.

    The answers are None when the interview stopped early (code 0 after `save`, 130 after
    Ctrl-C), the answers so far saved.
    """
    console = _console(args)
    interactive = not isinstance(console, LineConsole)
    saved: dict[str, Any] | None = None
    lang: str | None = args.lang
    if args.resume is not None:
        doc = source.load(args.resume)
        lang = args.lang or _language(doc)
        saved = interview.from_saved(doc, lang)
    save_to = args.resume or _free_name(Path())
    check_writable(save_to.parent if str(save_to.parent) else Path())
    if args.file is not None and _target_free(args.file, args, console, lang, interactive):
        confirmed.add(args.file)
    try:
        lang = lang or _ask_language(console)
    except InputEnded:
        _ended(console, "en")
    except KeyboardInterrupt:
        console.say("\ninterrupted; nothing was written")
        return None, "en", 130
    if interactive:
        console.say(i18n.text(lang, "init.terminal_keys"))
    else:
        console.say(i18n.text(lang, "init.empty_answer"))
    console.say(i18n.text(lang, "init.commands") + "\n")
    if saved:
        console.say(i18n.text(lang, "init.resumed", count=len(saved), path=str(args.resume)))

    def check_answer(question_id: str, answers: Mapping[str, Any]) -> None:
        if args.file is not None or question_id != "short_name":
            return
        slug = profile_module.slug_of(str(answers.get("short_name") or ""))
        target = default_folder / f"{slug}.yaml"
        if not slug or target in confirmed:
            return
        try:
            if _target_free(target, args, console, lang, interactive):
                confirmed.add(target)
        except UsageError as exc:
            if not interactive:
                raise
            raise Refused(i18n.text(lang or "en", "init.target_kept", path=str(target)),
                          i18n.text(lang or "en", "init.target_kept_hint")) from exc

    session = interview.Interview(console, lang, saved, check_answer)
    command = _resume_command(args, save_to)
    try:
        answers = session.run()
    except InputEnded:
        _ended(console, lang)
    except (KeyboardInterrupt, interview.Stopped) as stop:
        console.say("")
        given = session.answers()
        code = 130 if isinstance(stop, KeyboardInterrupt) else 0
        if not given:
            console.say("interrupted; nothing was written")
            return None, lang, code
        _save(given, lang, save_to, command)
        console.say(i18n.text(lang, "init.saved", path=str(save_to)))
        console.say(i18n.text(lang, "init.continue", command=command))
        return None, lang, code
    if args.resume is not None:  # the saved file becomes a complete answers file
        with contextlib.suppress(OutputError):
            _save(answers, lang, save_to, command.replace("--resume", "--answers"), True)
    return answers, lang, 0


def _ended(console: Console, lang: str) -> NoReturn:
    del lang
    console.say("")
    raise UsageError.at(Location("<stdin>"), "input ended before every question was "
                        "answered; nothing was written",
                        "answer every question, or use --answers FILE")


def _language(doc: source.SourceDoc) -> str:
    value = doc.data.get("language", "en") if isinstance(doc.data, dict) else "en"
    if value not in LANGUAGES:
        raise UsageError.at(doc.locate(("language",)), f"language '{value}' is not supported",
                            "write `language: de` or `language: en`")
    return str(value)


def _ask_language(console: Console) -> str:
    options = (("de", "Deutsch"), ("en", "English"))
    while True:
        reply = console.ask(Prompt("Sprache / language", "choice", "en", options, "en", ("en",)))
        if isinstance(reply, Command):
            if reply is Command.HELP:
                console.say(_both("init.commands"))
            continue
        answer = reply.strip().lower() or "en"
        answer = {"1": "de", "2": "en", "deutsch": "de", "english": "en"}.get(answer, answer)
        if answer in LANGUAGES:
            return answer
        console.say(f"  ✗ '{answer}': de oder/or en")

"""`policygen init [FILE]`: ask the questions of a policy generator and write the profile."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from policygen import i18n
from policygen.builds import staging
from policygen.cli.common import LANGUAGES
from policygen.core import source
from policygen.errors import Location, UsageError
from policygen.onboarding import interview, repository


def register(subparsers: Any) -> None:
    """Add the command."""
    parser = subparsers.add_parser(
        "init", help="write a new profile from a questionnaire",
        description="Ask, in German or English, what a social media guideline needs to know: "
                    "the company, its goals and target groups, channels, who is responsible, "
                    "how employees take part, how criticism is answered, contacts. Each answer "
                    "is checked as it is typed. Writes a commented profile that validates. "
                    "With --answers, the answers come from a YAML file (question id: answer).")
    parser.add_argument("file", type=Path, nargs="?", metavar="FILE",
                        help="profile to write (default: policies/<short name>.yaml)")
    parser.add_argument("--lang", choices=LANGUAGES,
                        help="language of the questions and the profile's texts (default: en, "
                             "or the answers file's `language`)")
    parser.add_argument("--answers", type=Path, metavar="ANSWERS.yaml",
                        help="take the answers from this file instead of asking")
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


def _read(prompt: str) -> str:
    try:
        return input(prompt)
    except EOFError:
        print(file=sys.stderr)
        raise UsageError.at(Location("<stdin>"), "input ended before every question was "
                            "answered; nothing was written",
                            "answer every question, or use --answers FILE") from None


def _write(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def run(args: argparse.Namespace) -> int:
    """Ask (or read the answers), check, and write the profile; never overwrite silently."""
    if args.file is not None:
        _check(args.file, args.force)
    if args.repo is not None:
        _check_repo(args.repo, args.force)
    if args.answers is not None:
        doc = source.load(args.answers)
        lang = args.lang or _language(doc)
        answers = interview.from_answers(doc, lang)
    else:
        lang = args.lang or _ask_language()
        _write(i18n.text(lang, "init.empty_answer") + "\n\n")
        answers = interview.interview(_read, _write, lang)
    text, slug = interview.write_profile(answers, lang, str(args.file or "<new profile>"))
    target = args.file or (args.repo or Path()) / "policies" / f"{slug}.yaml"
    _check(target, args.force)
    staged = [staging.stage(target.parent, target.name, text.encode("utf-8"))]
    if args.repo is not None:
        staged += [staging.stage(args.repo, relpath, content.encode("utf-8"))
                   for relpath, content in repository.files().items()]
    staging.commit(staged)
    for item in staged:
        print(f"wrote {item.target}")
    print(i18n.text(lang, "init.next", target=str(target)))
    return 0


def _language(doc: source.SourceDoc) -> str:
    value = doc.data.get("language", "en") if isinstance(doc.data, dict) else "en"
    if value not in LANGUAGES:
        raise UsageError.at(doc.locate(("language",)), f"language '{value}' is not supported",
                            "write `language: de` or `language: en`")
    return str(value)


def _ask_language() -> str:
    while True:
        answer = _read("Sprache / language (de, en) [en]: ").strip().lower() or "en"
        if answer in LANGUAGES:
            return answer
        _write(f"  ✗ '{answer}': de oder/or en\n")

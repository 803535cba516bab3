"""`policygen diff OLD NEW` / `--rev REV PROFILE`: changelog and Word redline between versions."""

from __future__ import annotations

import argparse
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policygen.cli.common import (
    AUDIENCES,
    LANGUAGES,
    add_format,
    add_library,
    csv_choice,
    emit,
    layers,
    library,
)

if TYPE_CHECKING:
    from policygen.core.clauses import ClauseLibrary
    from policygen.core.profile import Profile
    from policygen.legal.compare import DocumentDiff


def register(subparsers: Any) -> None:
    """Add the command."""
    parser = subparsers.add_parser(
        "diff", help="changelog and Word redline between two versions of a policy",
        description="Compare two versions of a company's documents: two profile files (old, "
                    "new), or with --rev the profile and clause library at a git revision "
                    "against the working tree. Prints a Markdown changelog (clauses added, "
                    "removed and changed, with the changed text); with --out, writes it to "
                    "OUT/<company>/changes.md together with one redline .docx per audience and "
                    "language (OUT/<company>/<audience>.<lang>.redline.docx) whose tracked "
                    "changes Word and LibreOffice can accept or reject.")
    parser.add_argument("profiles", nargs="+", type=Path, metavar="PROFILE",
                        help="OLD NEW, or one PROFILE with --rev")
    parser.add_argument("--rev", metavar="GIT_REV",
                        help="compare PROFILE (and the library) at this git revision with the "
                             "working tree")
    parser.add_argument("--out", type=Path, metavar="DIR",
                        help="write changes.md and the redlines here instead of printing")
    parser.add_argument("--lang", type=csv_choice(LANGUAGES), metavar="de,en",
                        help="only these languages (default: those both versions have)")
    parser.add_argument("--audience", type=csv_choice(AUDIENCES),
                        metavar="employees,account_managers,legal",
                        help="only these audiences (default: those both versions have)")
    add_library(parser)
    add_format(parser)
    parser.set_defaults(run=run)


def _git(cwd: Path, *args: str) -> bytes:
    from policygen.cli import usage_error

    try:
        return subprocess.run(["git", "-C", str(cwd), *args], check=True, capture_output=True,
                              timeout=60).stdout
    except (OSError, subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        detail = (getattr(exc, "stderr", b"") or b"").decode(errors="replace").strip()
        shown = " ".join(a for a in args if a != "--end-of-options")
        raise usage_error(f"git {shown} failed: {detail or exc}",
                          "--rev needs the profile in a git repository and a revision it "
                          "knows, e.g. HEAD~1 or v2.0") from None


def _revision(rev: str) -> str:
    """A revision as git may be given it: never mistaken for an option, one line of text."""
    from policygen.cli import usage_error

    if not rev or rev.startswith("-") or not rev.isprintable() or len(rev) > 200:
        shown = "".join(c if c.isprintable() else "?" for c in rev[:60])
        raise usage_error(f"'{shown}' is not a revision",
                          "give a revision such as HEAD~1, a tag or a commit id")
    return rev


def _profile_at(rev: str, path: Path) -> Profile:
    from policygen.core import profile, source

    folder = path.resolve().parent
    top = Path(_git(folder, "rev-parse", "--show-toplevel").decode().strip())
    relpath = path.resolve().relative_to(top).as_posix()
    text = _git(top, "show", "--end-of-options", f"{_revision(rev)}:{relpath}"
                ).decode("utf-8", errors="replace")
    return profile.from_source(source.parse(text, f"{rev}:{relpath}"))


def _library_at(rev: str, profile_path: Path, args: argparse.Namespace,
                current: ClauseLibrary, workdir: Path) -> ClauseLibrary:
    """The library layers at the revision where they live in the repository, else as now."""
    from policygen.builds.impact import library_at

    _git(profile_path.resolve().parent, "rev-parse", "--show-toplevel")
    return library_at(rev, layers(args), workdir) or current


def diffs(old_lib: ClauseLibrary, old: Profile, new_lib: ClauseLibrary, new: Profile,
          audiences: tuple[str, ...] | None = None,
          languages: tuple[str, ...] | None = None) -> list[DocumentDiff]:
    """The diff of every audience and language both versions produce."""
    from policygen.core import compose, provenance, select
    from policygen.legal import compare

    select.check_overrides(old_lib, old)
    select.check_overrides(new_lib, new)
    out = []
    for audience in new.audiences:
        if audience not in old.audiences or (audiences and audience not in audiences):
            continue
        old_assembly = select.select(old_lib, old, audience)
        new_assembly = select.select(new_lib, new, audience)
        for lang in new.languages:
            if lang not in old.languages or (languages and lang not in languages):
                continue
            out.append(compare.compare(
                provenance.appendix(compose.compose(old_lib, old_assembly, old, lang)),
                provenance.appendix(compose.compose(new_lib, new_assembly, new, lang))))
    return out


def _load_pair(paths: list[Path]) -> tuple[Profile, Profile]:
    """Both profiles (they may share a company, so not through one load_profiles call)."""
    from policygen.builds import render
    from policygen.errors import PolicygenError, Problem

    loaded: list[Profile] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            loaded.append(render.load_profiles([path])[0])
        except PolicygenError as exc:
            problems.extend(exc.problems)
    if problems:
        raise PolicygenError(problems)
    return loaded[0], loaded[1]


def run(args: argparse.Namespace) -> int:
    """Print or write the changelog and redlines."""
    import tempfile

    from policygen.builds import render, staging
    from policygen.cli import usage_error
    from policygen.hr import branding
    from policygen.legal import changelog, redline

    if args.rev is not None and len(args.profiles) != 1:
        raise usage_error("with --rev, give exactly one PROFILE",
                          "policygen diff --rev HEAD~1 policies/acme.yaml")
    if args.rev is None and len(args.profiles) != 2:
        raise usage_error("give two profiles, OLD and NEW, or one PROFILE with --rev",
                          "policygen diff old/acme.yaml policies/acme.yaml")
    new_lib = library(args)
    with tempfile.TemporaryDirectory(prefix="policygen-diff-") as scratch:
        if args.rev is not None:
            new = render.load_profiles(args.profiles)[0]
            old = _profile_at(args.rev, args.profiles[0])
            old_lib = _library_at(args.rev, args.profiles[0], args, new_lib, Path(scratch))
        else:
            old, new = _load_pair(args.profiles)
            old_lib = new_lib
        found = diffs(old_lib, old, new_lib, new, args.audience, args.lang)
    if not found:
        raise usage_error("the two versions have no audience and language in common",
                          "compare versions that share document.audiences and languages")
    text = changelog.write(new.title(found[0].new.meta.language), found)
    as_json = args.format == "json"
    if args.out is None:
        if as_json:
            return emit(args, as_results(found, text, []))
        print(text, end="")
        return 0
    reference = render.load_reference(new)
    logo = branding.load_logo(new)
    files = [(f"{new.slug}/changes.md", text.encode("utf-8"))]
    files += [(f"{new.slug}/{d.new.meta.audience}.{d.new.meta.language}.redline.docx",
               redline.write(d, reference, logo)) for d in found]
    staged: list[staging.Staged] = []
    try:
        for relpath, data in files:
            staged.append(staging.stage(args.out, relpath, data))
        staging.commit(staged)
    except BaseException:
        staging.discard(staged)
        raise
    written = [(args.out / relpath).as_posix() for relpath, _ in files]
    if as_json:
        return emit(args, as_results(found, text, written))
    for path in written:
        print(f"wrote {path}")
    changed = sum(1 for d in found for c in d.clauses if c.status != "unchanged")
    print(f"{changed} clause changes in {len(found)} "
          f"{'document' if len(found) == 1 else 'documents'}")
    return 0


def as_results(found: list[DocumentDiff], changelog_text: str,
               written: list[str]) -> dict[str, Any]:
    """`results` of `diff --format json` (docs/json.md): every clause's status per document."""
    return {
        "documents": [{
            "audience": d.new.meta.audience, "language": d.new.meta.language,
            "old_version": d.old.meta.version, "new_version": d.new.meta.version,
            "changed": sum(1 for c in d.clauses if c.status != "unchanged"),
            "clauses": [{"id": c.clause_id, "status": c.status, "section": c.section_id,
                         "old_version": c.old.version if c.old else None,
                         "new_version": c.new.version if c.new else None}
                        for c in d.clauses],
        } for d in found],
        "changelog": changelog_text,
        "written": written,
    }

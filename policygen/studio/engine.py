"""What the studio does with a form: the profile's YAML, its validation, preview and documents.

One `Studio` per start: the clause library loaded once, the profile file it edits (inside its
folder), and the text of that file as it was, so that saving keeps the user's comments and key
order (ruamel.yaml round-trip). Every check is the real one: the YAML the form makes is parsed
and validated exactly as `policygen validate` does, and each problem is tied back to the form
field at its position.
"""

from __future__ import annotations

import io
import os
import tempfile
import time
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from policygen.builds import render
from policygen.builds.outputs import output_name
from policygen.builds.selection import Selection
from policygen.core import compose, handouts, provenance, select, source
from policygen.core import profile as profile_module
from policygen.core.clauses import ClauseLibrary
from policygen.core.profile import Profile, from_source
from policygen.core.source import DocPath, SourceDoc
from policygen.document import Document
from policygen.errors import PolicygenError, Problem, display
from policygen.hr import branding
from policygen.legal.lint import lint as legal_lint
from policygen.onboarding import readiness
from policygen.studio import form, messages
from policygen.writers.registry import WRITERS, Assets, writer

_Dumper: type[Any] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
EDITIONS = ("employees", "account_managers", "legal", "employees-summary")


@dataclass(frozen=True)
class FieldProblem:
    """A problem as the page shows it: at a form field, with the text `validate` prints."""

    field: str
    message: str
    hint: str
    where: str  # file:line:col as on the command line


@dataclass
class Evaluation:
    """The result of checking the form once."""

    data: dict[str, Any]
    problems: list[FieldProblem]
    profile: Profile | None
    seconds: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)


def _yaml() -> YAML:
    rt = YAML(typ="rt")
    rt.indent(mapping=2, sequence=4, offset=2)
    rt.width = 4096
    rt.preserve_quotes = True
    return rt


def _deepest(doc: SourceDoc, line: int, col: int) -> DocPath | None:
    best: DocPath | None = None
    for table in (doc.positions, doc.key_positions):
        for path, where in table.items():
            if where == (line, col) and (best is None or len(path) > len(best)):
                best = path
        if best is not None:
            return best
    return best


def field_of(problem: Problem, doc: SourceDoc | None) -> str:
    """The form field a problem belongs to ('' for the profile as a whole).

    A problem that names the value it is about (a missing field too) belongs to that field,
    any other to the deepest field at its position.
    """
    if problem.subject is not None:
        return form.field_name(problem.subject)
    if doc is None or problem.location.line <= 0:
        return ""
    path = _deepest(doc, problem.location.line, problem.location.col)
    return form.field_name(path) if path else ""


class Studio:
    """The state of one studio start."""

    def __init__(self, library: ClauseLibrary, target: Path) -> None:
        self.library = library
        self.target = target.resolve()
        self.folder = self.target.parent
        self.original: str | None = None
        if self.target.is_file():
            self.original = source.read_text(self.target, display(self.target))
        self.covered = readiness.covered_jurisdictions(
            c.jurisdictions for c in library.clauses.values())
        self.replace_confirmed = False  # asked once before replacing the file, then not again

    @property
    def shown_name(self) -> str:
        """The profile's name as messages show it."""
        return display(self.target)

    def initial_values(self) -> Any:
        """The raw data of the profile being edited (empty for a new one)."""
        if self.original is None:
            return {}
        try:
            return source.parse(self.original, self.shown_name).data
        except PolicygenError:
            return {}

    # ---- YAML --------------------------------------------------------------------------------

    def yaml_text(self, data: Mapping[str, Any]) -> str:
        """The profile file for this data: the original file edited in place, or a new one."""
        rt = _yaml()
        base: Any = None
        if self.original is not None:
            try:
                base = rt.load(self.original)
            except Exception:  # noqa: BLE001 - an unreadable original is replaced as a whole
                base = None
        if not isinstance(base, CommentedMap):
            base = CommentedMap()
        _merge_map(base, data)
        out = io.StringIO()
        rt.dump(base, out)
        return out.getvalue()

    # ---- checking ----------------------------------------------------------------------------

    def evaluate(self, submitted: Mapping[str, Any], lang: str = "en") -> Evaluation:
        """Validate the form's profile as `policygen validate` would; problems at their fields.

        The problems are in `lang`: validate's words in English, the form's names of fields
        and choices in German (studio/messages.py). The cross-field rules of core/profile.py
        are not left until the schema passes: each one whose fields are filled is checked now
        (as `init` does).
        """
        started = time.perf_counter()
        data = form.parse(submitted)
        # a plain dump to check (fast); the round-trip edit of the file only when saving
        text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                         default_flow_style=False, width=4096)
        doc: SourceDoc | None = None
        profile: Profile | None = None
        problems: list[Problem] = []
        try:
            doc = source.parse(text, self.shown_name)
            profile = from_source(doc, messages.wording(lang))
            select.check_overrides(self.library, profile)
        except PolicygenError as exc:
            problems = list(exc.problems)
            profile = None
        findings = profile_module.partial_findings(data) if problems and doc is not None else []
        early = {finding.message(lang) for finding in findings}
        shown = [FieldProblem(field_of(p, doc), p.message, p.hint, str(p.location))
                 for p in problems if p.message not in early]
        if doc is not None:
            shown += [FieldProblem(form.field_name(f.path), f.message(lang), f.hint(lang),
                                   str(doc.locate(f.path, key=f.at_key))) for f in findings]
        return Evaluation(data, shown, profile, time.perf_counter() - started)

    def findings(self, profile: Profile, lang: str) -> dict[str, Any]:
        """Lint findings and readiness gaps, in the interface language."""
        doc = profile.source
        lint = [{"field": field_of(p, doc), "message": p.message, "hint": p.hint}
                for p in legal_lint(self.library, profile)]
        gaps = [{"field": form.field_name(check.path), "message": check.text.get(lang),
                 "hint": check.hint.get(lang)}
                for check in readiness.assess(profile, self.covered).gaps()]
        return {"lint": lint, "readiness": gaps}

    # ---- documents ---------------------------------------------------------------------------

    def document(self, profile: Profile, edition: str, lang: str) -> tuple[Document, Any]:
        """One edition in one language, and the selection (with its reasons) behind it."""
        audience = edition.removesuffix("-summary")
        assembly = select.select(self.library, profile, audience)
        guideline = provenance.appendix(compose.compose(self.library, assembly, profile, lang))
        if edition.endswith("-summary"):
            return handouts.summary(guideline, assembly, profile, lang), assembly
        return guideline, assembly

    def preview(self, profile: Profile, edition: str, lang: str,
                ui: str = "en") -> dict[str, Any]:
        """The edition as an HTML page, and why each clause is in or out (in words of `ui`)."""
        document, assembly = self.document(profile, edition, lang)
        logo = None
        try:
            logo = branding.load_logo(profile)
        except PolicygenError:
            logo = None
        page = writer("html").write(document, Assets(logo=logo)).decode("utf-8")
        titles = {c.clause_id: c.title for c in document.clauses()}
        decisions = [{"id": d.clause_id, "included": d.included, "reason": d.words(ui),
                      "title": titles.get(d.clause_id, "")} for d in assembly.decisions]
        return {"html": page, "decisions": decisions}

    def file(self, profile: Profile, edition: str, lang: str, fmt: str) -> tuple[str, bytes]:
        """One document as a file: its name and bytes."""
        document, _ = self.document(profile, edition, lang)
        chosen = writer(fmt)
        reference = render.load_reference(profile) if chosen.needs_reference else None
        logo = branding.load_logo(profile) if chosen.uses_logo else None
        data = chosen.write(document, Assets(reference, logo))
        return output_name(profile.slug, edition, lang, fmt).rsplit("/", 1)[-1], data

    def archive(self, profile: Profile) -> tuple[str, bytes]:
        """Every document of the profile (its audiences, languages and formats) as a zip."""
        outputs = render.render_profile(self.library, profile, Selection())
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for output in sorted(outputs, key=lambda o: o.relpath):
                info = zipfile.ZipInfo(output.relpath, date_time=(2000, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, output.data)
        return f"{profile.slug}.zip", buffer.getvalue()

    # ---- saving ------------------------------------------------------------------------------

    def save(self, text: str) -> None:
        """Write the profile file atomically (a temporary file beside it, then a rename)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".studio-", suffix=".yaml", dir=self.folder)
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
                out.write(text)
            mode = self.target.stat().st_mode & 0o777 if self.target.exists() else 0o644
            Path(temporary).chmod(mode)
            Path(temporary).replace(self.target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self.original = text
        self.replace_confirmed = True


FORMATS = tuple(name for name in WRITERS if name in ("docx", "md", "html", "pdf"))


def _merge_map(target: CommentedMap, new: Mapping[str, Any]) -> None:
    """Change target to equal new, keeping the comments, order and quoting of what stays."""
    for key in [k for k in target if k not in new]:
        del target[key]
    for key, value in new.items():
        if key in target:
            target[key] = _merged(target[key], value)
        else:
            target[key] = _fresh(value)


def _merged(old: Any, new: Any) -> Any:
    if isinstance(old, CommentedMap) and isinstance(new, Mapping):
        _merge_map(old, new)
        return old
    if isinstance(old, CommentedSeq) and isinstance(new, list):
        if sorted(map(repr, old)) == sorted(map(repr, new)) and \
                all(not isinstance(v, Mapping | list) for v in new):
            return old  # the same choices: keep the user's order
        for index, value in enumerate(new):
            if index < len(old):
                old[index] = _merged(old[index], value)
            else:
                old.append(_fresh(value))
        del old[len(new):]
        return old
    if type(old) is not bool and type(new) is not bool and old == new and \
            type(old).__name__ != "ScalarFloat":
        return old
    if isinstance(old, bool) and isinstance(new, bool) and old == new:
        return old
    return _fresh(new)


def _fresh(value: Any) -> Any:
    if isinstance(value, Mapping):
        result = CommentedMap()
        for key, sub in value.items():
            result[key] = _fresh(sub)
        if set(value) == {"de", "en"}:
            result.fa.set_flow_style()
        return result
    if isinstance(value, list):
        seq = CommentedSeq(_fresh(v) for v in value)
        if all(isinstance(v, str) for v in value) and sum(len(v) for v in value) < 80:
            seq.fa.set_flow_style()
        return seq
    if isinstance(value, str) and not _reads_as_text(value):
        return DoubleQuotedScalarString(value)
    return value


def _reads_as_text(value: str) -> bool:
    """Whether policygen's YAML 1.1 reader reads the plain scalar back as this same text."""
    try:
        return yaml.safe_load(value) == value and "\n" not in value and value.strip() == value
    except yaml.YAMLError:
        return False

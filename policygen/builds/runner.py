"""The build and check pipelines: plan, render what is stale (in parallel), write, record.

Read top to bottom, `run_build` is the whole build: lock the folder, decide what is stale
from digests, load the library and the stale profiles, render them (in worker processes),
stage every file, rename them all into place, remove what no longer belongs, save the
manifest. Heavy modules are imported only when something has to be rendered.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policygen.builds import manifest, staging, unchanged
from policygen.builds.manifest import OutputRecord, ProfileRecord
from policygen.builds.plan import Plan, ProfilePlan, make_plan
from policygen.builds.report import BuildReport
from policygen.builds.selection import Selection
from policygen.core import digest
from policygen.core.layers import LibrarySpec
from policygen.errors import PolicygenError, Problem

if TYPE_CHECKING:
    from policygen.builds.render import Output, Rendered
    from policygen.core.clauses import ClauseLibrary
    from policygen.core.profile import Profile

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class _Task:
    """One profile for a worker: where it is, where outputs go, what to build, how to lint."""

    file: Path
    path: str
    out_dir: Path
    selection: Selection
    lint: str  # off | warn
    recorded: dict[str, str] | None = None  # editions.inputs as last built: skip the current
    cache_key: str = ""  # output_cache entry to keep the outputs in ("": not kept)
    previous: ProfileRecord | None = None  # a clause edit: the record of the files it alters


@dataclass
class _Result:
    """What a worker sends back for one profile: staged files or problems."""

    path: str
    slug: str = ""
    selection: dict[str, list[list[Any]]] = field(default_factory=dict)
    assets: dict[str, str] = field(default_factory=dict)
    files: list[tuple[staging.Staged, OutputRecord]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    readability: list[str] = field(default_factory=list)
    editions: dict[str, str] = field(default_factory=dict)  # document -> editions.inputs
    skipped: frozenset[str] = frozenset()  # documents whose outputs were current
    compiled: bytes = b""  # template code the worker compiled (templating.made_code)
    pending: list[tuple[int, Output]] = field(default_factory=list)  # (place in files, PDF job)


_LIBRARY: ClauseLibrary | None = None  # set before workers fork, so they share it


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def _render_and_stage(task: _Task) -> _Result:
    from policygen.core import fragments, select, templating
    from policygen.core.profile import load_profile

    assert _LIBRARY is not None
    if task.previous is not None:
        done = _spliced(task)
        if done is not None:
            return done
    staged: list[staging.Staged] = []
    try:
        profile = load_profile(task.file, task.path)
        selection = task.selection
        known: dict[str, str] = {}  # what each document reads from the library (once)
        if task.recorded is not None:  # a clause edit: only the documents it alters
            select.check_overrides(_LIBRARY, profile)
            known = _edition_inputs(profile)
            selection = replace(selection, skip=frozenset(
                name for name, digest in known.items() if task.recorded.get(name) == digest))
        # the clauses it rendered before, from the cache (a partial build keeps the others)
        partial = bool(selection.skip) or selection.restricted
        try:
            rendered, warnings = _rendered(profile, selection, task, partial, fresh=False)
        except fragments.Damaged:  # a damaged cache entry: render without it
            rendered, warnings = _rendered(profile, selection, task, partial, fresh=True)
        files = []
        pending = []  # PDFs: converted for the whole build at once, by _finish_pending
        for index, output in enumerate(rendered.outputs):
            if output.job is not None:
                pending.append((index, output))
                continue
            item = staging.stage(task.out_dir, output.relpath, output.data)
            staged.append(item)
            files.append(_staged_record(item, output))
        built = known if known and rendered.selection.keys() == set(profile.audiences) \
            else _edition_inputs(profile, rendered.selection)
        result = _Result(task.path, rendered.profile.slug, rendered.selection, rendered.assets,
                         files, warnings=warnings, readability=rendered.readability,
                         editions=built, skipped=selection.skip & built.keys(),
                         compiled=templating.made_code(), pending=pending)
        if task.cache_key and not pending and not result.skipped:
            _keep(task.cache_key, result, rendered.outputs)
        if rendered.regions:
            from policygen.builds import splice

            splice.keep(task.path, rendered.profile, rendered.guidelines, rendered.regions,
                        rendered.outputs, {s.relpath: rec.digest for s, rec in files},
                        task.lint == "warn")
        return result
    except PolicygenError as exc:
        staging.discard(staged)
        return _Result(task.path, problems=list(exc.problems), compiled=templating.made_code())


def _rendered(profile: Profile, selection: Selection, task: _Task, partial: bool,
              fresh: bool) -> tuple[Rendered, list[Problem]]:
    """A profile rendered with the fragments of its cache entry, and its warnings."""
    from policygen.builds.render import render_profile_full
    from policygen.core import cache, fragments

    assert _LIBRARY is not None
    with fragments.session(task.path, partial, fresh):
        rendered = render_profile_full(_LIBRARY, profile, selection, defer=True,
                                       regions=cache.folder() is not None)
        warnings: list[Problem] = list(rendered.warnings)  # e.g. styles the template lacks
        if task.lint == "warn":
            from policygen.legal.lint import lint  # on the documents rendered above

            warnings.extend(lint(_LIBRARY, profile, rendered.guidelines,
                                 only_given=bool(selection.skip)))
    return rendered, warnings


def _keep(name: str, result: _Result, outputs: list[Output]) -> None:
    """Keep a profile's outputs for builds with the same inputs (output_cache)."""
    from policygen.builds import output_cache

    output_cache.store(name, output_cache.Stored(
        result.slug, result.assets, result.selection, result.editions, result.readability,
        result.warnings, [output_cache.StoredFile(o.relpath, o.audience, o.language, o.format,
                                                  o.data, record.digest)
                          for o, (_, record) in zip(outputs, result.files, strict=True)]))


def _copied(task: _Task) -> _Result | None:
    """A profile's outputs from the output cache, staged; None when they are not there."""
    from policygen.builds import output_cache

    stored = output_cache.load(task.cache_key) if task.cache_key else None
    if stored is None:
        return None
    staged = _stage_all(task, ((item.relpath, item.data, OutputRecord(
        item.audience, item.language, item.format, item.digest, len(item.data)))
        for item in stored.files))
    if isinstance(staged, _Result):
        return staged
    return _Result(task.path, stored.slug, stored.selection, stored.assets, staged,
                   warnings=stored.warnings, readability=stored.readability,
                   editions=stored.editions)


def _stage_all(task: _Task, files: Iterable[tuple[str, bytes, OutputRecord]],
               ) -> list[tuple[staging.Staged, OutputRecord]] | _Result:
    """Every file staged for the task's profile; or none, and a result with the problems."""
    staged: list[tuple[staging.Staged, OutputRecord]] = []
    try:
        for relpath, data, record in files:
            staged.append((staging.stage(task.out_dir, relpath, data), record))
    except PolicygenError as exc:
        staging.discard([item for item, _ in staged])
        return _Result(task.path, problems=list(exc.problems))
    return staged


def _spliced(task: _Task) -> _Result | None:
    """A profile a clause edit made stale, its files re-made by splicing (builds/splice.py).

    None when they cannot be: the ordinary render makes them.
    """
    from policygen.builds import splice
    from policygen.core import templating

    assert _LIBRARY is not None and task.previous is not None
    made = splice.rebuild(_LIBRARY, task.file, task.path, task.out_dir, task.previous,
                          task.lint == "warn")
    if made is None:
        return None
    staged = _stage_all(task, ((output.relpath, output.data, OutputRecord(
        output.audience, output.language, output.format, made.digests[output.relpath],
        len(output.data))) for output in made.outputs))
    if isinstance(staged, _Result):
        return staged
    return _Result(task.path, made.slug, made.selection, made.assets, staged,
                   warnings=made.warnings, readability=made.readability,
                   editions=made.editions, skipped=made.skipped,
                   compiled=templating.made_code())


def _copy_all(tasks: list[_Task], jobs: int) -> dict[str, _Result]:
    """The outputs of every task the output cache holds, staged (in `jobs` threads).

    Reading, checking and writing the files mostly waits for the disk or runs in zlib and
    hashlib, which let other threads run.
    """
    if jobs <= 1 or len(tasks) <= 1:
        found = [_copied(task) for task in tasks]
    else:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(min(jobs, len(tasks))) as pool:
            found = list(pool.map(_copied, tasks))
    return {task.path: result for task, result in zip(tasks, found, strict=True)
            if result is not None}


def _edition_inputs(profile: Profile, audiences: Iterable[str] | None = None) -> dict[str, str]:
    """What each document (`legal-summary.de`) of these audiences reads from the library.

    The audiences are the profile's unless given.
    """
    from policygen.core import editions, select

    assert _LIBRARY is not None
    found = {}
    for audience in profile.audiences if audiences is None else audiences:
        assembly = select.select(_LIBRARY, profile, audience)  # remembered: built just now
        for name in editions.edition_names(audience):
            for lang in profile.languages:
                found[f"{name}.{lang}"] = editions.inputs(assembly, name, lang)
    return found


def _staged_record(item: staging.Staged, output: Output) -> tuple[staging.Staged, OutputRecord]:
    return item, OutputRecord(output.audience, output.language, output.format,
                              digest.of_bytes(output.data), len(output.data))


def _finish_pending(results: list[_Result], out_dir: Path, progress: Progress | None) -> None:
    """Write the deferred outputs (PDFs) of every profile in one batch, and stage them.

    One LibreOffice run for the whole build; each file takes its place among its profile's.
    """
    pending = [(result, index, output) for result in results for index, output in result.pending]
    if not pending:
        return
    from policygen.builds.render import finish

    if progress:
        progress(0, len(pending), f"{len(pending)} PDFs in one LibreOffice run")
    done = finish([output for _, _, output in pending])
    if progress:
        progress(len(pending), len(pending), "")
    for (result, index, _), output in zip(pending, done, strict=True):
        result.files.insert(index, _staged_record(
            staging.stage(out_dir, output.relpath, output.data), output))
        result.pending = []


_SPLICE_HERE = 16  # up to this many profiles, a clause edit splices here before any fork


def _render_all(tasks: list[_Task], jobs: int,
                progress: Progress | None) -> list[_Result]:
    results: list[_Result] = []
    if not tasks:
        return results
    if jobs > 1 and 1 < len(tasks) <= _SPLICE_HERE and \
            all(task.previous is not None for task in tasks):
        # a clause edit that touches few profiles: each splices in milliseconds, and starting
        # workers would cost more (about 0.1 s); what cannot be spliced is rendered below
        rest = []
        for task in tasks:
            done = _spliced(task)
            if done is None:
                rest.append(replace(task, previous=None))
                continue
            results.append(done)
            if progress:
                progress(len(results), len(tasks), task.path)
        spliced = len(results)

        def counted(done: int, _: int, path: str) -> None:
            if progress:
                progress(spliced + done, len(tasks), path)

        return results + _render_all(rest, jobs, counted)
    if jobs <= 1 or len(tasks) <= 1:
        for task in tasks:
            results.append(_render_and_stage(task))
            if progress:
                progress(len(results), len(tasks), task.path)
        return results
    import multiprocessing  # only when the work is split

    from policygen.builds.render import FORMATS, warm_up

    warm_up(tasks[0].selection.formats or FORMATS, any(t.lint == "warn" for t in tasks))
    context = multiprocessing.get_context("fork")
    with context.Pool(min(jobs, len(tasks))) as pool:
        for result in pool.imap(_render_and_stage, tasks, chunksize=1):
            results.append(result)
            if progress:
                progress(len(results), len(tasks), result.path)
    return results


def _selection_keys(library: ClauseLibrary) -> dict[str, str]:
    from policygen.core.clauses import selection_key

    return {cid: selection_key(clause) for cid, clause in sorted(library.clauses.items())}


def _recheck(plan: Plan, library: ClauseLibrary, keys: dict[str, str]) -> None:
    """Profiles that use no changed clause are stale only if a changed clause now applies."""
    from policygen.core import select
    from policygen.core.profile import load_profile

    old_keys = plan.manifest.selection_keys
    for item in plan.profiles:
        if item.stale or not any(keys.get(cid) != old_keys.get(cid) for cid in item.reselect):
            continue
        record = plan.manifest.profiles[item.path]
        try:
            profile = load_profile(item.file, item.path)
        except PolicygenError:
            item.stale, item.reasons = True, ["profile no longer valid"]
            continue
        for audience, recorded in record.selection.items():
            now = [[c.id, c.version, c.digest]
                   for c in select.select(library, profile, audience).clauses]
            if now != recorded:
                now_ids = {str(entry[0]) for entry in now}
                was_ids = {str(entry[0]) for entry in recorded}
                added, dropped = sorted(now_ids - was_ids), sorted(was_ids - now_ids)
                item.stale = True
                item.reasons = [f"clause {added[0]} now applies" if added else
                                f"clause {dropped[0]} no longer applies" if dropped else
                                "clause order changed"]
                break


def _check_slugs(results: list[_Result], plan: Plan) -> list[Problem]:
    from policygen.errors import Location

    owners = {rec.slug: name for name, rec in plan.manifest.profiles.items()
              if name not in plan.removed_profiles}
    problems = []
    for result in results:
        owner = owners.get(result.slug)
        if owner is not None and owner != result.path:
            problems.append(Problem(Location(result.path), f"output folder '{result.slug}' is "
                                    f"also used by {owner}",
                                    "give each company a distinct company.short_name"))
        owners[result.slug] = result.path
    return problems


def run_build(paths: list[Path], out_dir: Path, library_root: LibrarySpec, selection: Selection,
              *, force: bool = False, jobs: int = 1, complete: bool = False,
              progress: Progress | None = None, lint: str = "warn") -> BuildReport:
    """Bring the output folder up to date; write nothing unless every output renders."""
    global _LIBRARY
    report = BuildReport()
    partial = selection.partial
    with staging.locked(out_dir):
        staging.remove_leftovers(out_dir)
        plan = make_plan(paths, out_dir, library_root, force=force or partial,
                         complete=complete)
        keys = plan.manifest.selection_keys if plan.manifest.library == plan.library \
            else _kept_selection_keys(plan.library)  # None: the library must say
        loaded = False
        if any(p.reselect for p in plan.profiles if not p.stale):
            keys, loaded = _load_library(library_root, plan.library, jobs), True
            assert _LIBRARY is not None
            _recheck(plan, _LIBRARY, keys)
        stale = [p for p in plan.profiles if p.stale]
        tasks = [_Task(p.file, p.path, out_dir, selection, lint,
                       plan.manifest.profiles[p.path].editions or None
                       if p.only_clauses and not partial else None,
                       _output_key(p, plan.library, selection, lint),
                       plan.manifest.profiles[p.path] if p.only_clauses and not partial
                       else None) for p in stale]
        copied = _copy_all(tasks, jobs)
        rest = [task for task in tasks if task.path not in copied]
        if (rest or keys is None and stale) and not loaded:
            keys = _load_library(library_root, plan.library, jobs)
        rendered = {r.path: r for r in _render_all(rest, jobs, progress)}
        results = [copied.get(task.path) or rendered[task.path] for task in tasks]
        keys = keys if keys is not None else plan.manifest.selection_keys  # nothing stale
        if rendered:
            from policygen.core import templating

            for result in rendered.values():  # what the workers compiled, for the next build
                templating.add_code(result.compiled)
            templating.store_compiled()
        problems = [problem for r in results for problem in r.problems]
        report.warnings = [warning for r in results for warning in r.warnings]
        report.readability = [line for r in results for line in r.readability]
        problems += _check_slugs([r for r in results if not r.problems], plan)
        if not problems:
            pdf_at = next((output.job.where for r in results for _, output in r.pending), None)
            try:
                _finish_pending(results, out_dir, progress)
            except PolicygenError as exc:
                problems = list(exc.problems)
            if pdf_at is not None and not problems:
                from policygen.writers import pdf

                report.warnings.extend(filter(None, [pdf.font_warning(pdf_at)]))
        staged = [item for r in results for item, _ in r.files]
        if problems:
            staging.discard(staged)
            raise PolicygenError(problems)
        staging.commit(staged)
        if not _record(plan, results, stale, keys, out_dir, partial, report) \
                and not (force or partial):  # the next build may then stop at `unchanged`
            unchanged.remember(unchanged.key(paths, out_dir, library_root, selection,
                                             complete=complete, lint=lint),
                               plan, paths, out_dir, library_root)
    if rendered:  # the per-user caches of rendered clauses and outputs stay bounded
        from policygen.builds import splice
        from policygen.core import fragments

        fragments.prune()
        splice.prune()
    if results:
        from policygen.builds import output_cache

        output_cache.prune()
    return report


def _load_library(library_root: LibrarySpec, files: dict[str, str], jobs: int) -> dict[str, str]:
    """Load the clause library for the workers; its selection keys (also kept for later)."""
    global _LIBRARY
    from policygen.builds import output_cache
    from policygen.core.clauses import load_library

    _LIBRARY = load_library(library_root, workers=jobs)
    keys = _selection_keys(_LIBRARY)
    output_cache.store_selection_keys(files, keys)
    return keys


def _kept_selection_keys(library: dict[str, str]) -> dict[str, str] | None:
    """The library's selection keys, as the output cache kept them (or None)."""
    from policygen.builds import output_cache  # a build with nothing stale needs none of it

    return output_cache.selection_keys(library)


def _output_key(item: ProfilePlan, library: dict[str, str], selection: Selection,
                lint: str) -> str:
    """The output cache entry of a stale profile ("" when its file could not be read)."""
    from policygen.builds import output_cache

    return output_cache.key(item.path, item.digest, library, selection, lint) \
        if item.digest else ""


def _record(plan: Plan, results: list[_Result], stale: list[ProfilePlan], keys: dict[str, str],
            out_dir: Path, partial: bool, report: BuildReport) -> bool:
    """Write the manifest of what was built; False when the build changed nothing."""
    current = plan.manifest
    report.current = [p.path for p in plan.profiles if not p.stale]
    nothing = not results and not plan.removed_profiles and current.tool == plan.tool \
        and current.library == plan.library and current.selection_keys == keys
    stats_before = dict(plan.stats)
    for result in results:
        for staged, written in result.files:
            info = staged.target.stat()
            plan.stats[staged.relpath] = [info.st_size, info.st_mtime_ns, written.digest]
    if plan.stats != stats_before:
        manifest.save_stats(out_dir, plan.stats)
    if nothing:
        return False
    by_path = {p.path: p for p in stale}
    for result in results:
        item = by_path[result.path]
        old = current.profiles.get(result.path)
        outputs = {s.relpath: rec for s, rec in result.files}
        editions_map = result.editions
        if result.skipped and old is not None:  # current outputs of documents not assembled
            outputs = {**{name: rec for name, rec in old.outputs.items()
                          if name.partition("/")[2].rpartition(".")[0] in result.skipped},
                       **outputs}
        if partial and old is not None:
            outputs = {**old.outputs, **outputs}
            selection_map = {**old.selection, **result.selection}
            editions_map = {**old.editions, **editions_map}
        else:
            selection_map = result.selection
            if old is not None:
                gone = sorted(set(old.outputs) - set(outputs))
                staging.remove(out_dir, gone)
                report.removed.extend(gone)
        current.profiles[result.path] = ProfileRecord(
            "" if partial else item.digest, result.slug, result.assets, selection_map,
            dict(sorted(outputs.items())), dict(sorted(editions_map.items())))
        report.built[result.path] = ", ".join(item.reasons)
        report.written.extend(s.relpath for s, _ in result.files)
        report.files[result.path] = len(result.files)
    for name in plan.removed_profiles:
        gone = sorted(current.profiles.pop(name).outputs)
        staging.remove(out_dir, gone)
        report.removed.extend(gone)
    current.tool = plan.tool
    current.library = plan.library
    current.selection_keys = keys
    current.profiles = dict(sorted(current.profiles.items()))
    manifest.save(out_dir, current)
    return True


@dataclass
class Finding:
    """One output that `check` finds out of date."""

    output: str
    status: str  # missing | stale | edited | obsolete
    profile: str
    reason: str


def run_check(paths: list[Path], out_dir: Path, library_root: LibrarySpec, *,
              complete: bool = False, jobs: int = 1) -> list[Finding]:
    """Compare the output folder with a fresh build, without writing anything."""
    from policygen.builds.render import finish, render_profile_full
    from policygen.core.clauses import load_library
    from policygen.core.profile import load_profile

    plan = make_plan(paths, out_dir, library_root, complete=complete)
    findings: list[Finding] = []
    stale = [p for p in plan.profiles if p.stale or p.reselect]
    library = load_library(library_root) if stale else None
    problems: list[Problem] = []
    renderings: list[tuple[ProfilePlan, Rendered]] = []
    for item in stale:
        assert library is not None
        try:
            renderings.append((item, render_profile_full(
                library, load_profile(item.file, item.path), Selection(), defer=True)))
        except PolicygenError as exc:
            problems.extend(exc.problems)
    if problems:
        raise PolicygenError(problems)
    # the PDFs of every profile in one LibreOffice run
    done = iter(finish([output for _, rendered in renderings for output in rendered.outputs]))
    for item, rendered in renderings:
        rendered = replace(rendered, outputs=[next(done) for _ in rendered.outputs])
        record = plan.manifest.profiles.get(item.path)
        recorded = record.outputs if record else {}
        reason = ", ".join(item.reasons) or "inputs changed"
        for output in rendered.outputs:
            path = out_dir / output.relpath
            try:
                on_disk = path.read_bytes()
            except OSError:
                findings.append(Finding(output.relpath, "missing", item.path, reason))
                continue
            if on_disk == output.data:
                continue
            written = recorded.get(output.relpath)
            hand_edit = written is None or digest.of_bytes(on_disk) != written.digest
            findings.append(Finding(output.relpath, "edited" if hand_edit else "stale",
                                    item.path, "differs from what policygen wrote" if hand_edit
                                    else reason))
        produced = {o.relpath for o in rendered.outputs}
        for relpath in sorted(set(recorded) - produced):
            findings.append(Finding(relpath, "obsolete", item.path, "no longer generated"))
    for name in plan.removed_profiles:
        for relpath in sorted(plan.manifest.profiles[name].outputs):
            findings.append(Finding(relpath, "obsolete", name, "its profile is gone"))
    return sorted(findings, key=lambda f: f.output)

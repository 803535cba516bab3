"""`make bench`: performance figures, as medians with min-max over several runs.

Generates a synthetic corpus of varied profiles, then times: one complete policy as .docx
in-process, a whole `policygen build` of one policy, 100 profiles with --jobs 2 with a warm
and with an empty per-user cache, a rebuild with nothing changed, a rebuild after one clause
edit, the corpus at 10, 100 and 1,000 profiles, and the same document made by pandoc (Markdown
to .docx) and by docxtpl. Every figure stands beside its target; the commands' peak memory
(largest process) and the ratio to pandoc doing the same documents are printed with them; the
PDF path (one document, and a `policygen build` of about 100 PDFs, one LibreOffice run) too.
"""

from __future__ import annotations

import copy
import io
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policygen.builds import render  # noqa: E402
from policygen.core import clauses, compose, select  # noqa: E402
from policygen.writers import markdown as markdown_writer  # noqa: E402
from policygen.writers.docx import body as docx_writer  # noqa: E402

RUNS = 7
CORPUS = 100
PARTS = ("docx", "build", "corpus", "clause", "scaling", "pdf", "peers", "studio")
SCALING = (10, 100, 1000)  # corpus sizes timed to show how time grows


CACHE = [Path()]  # the per-user cache of every command timed: a folder of the bench's own
PEAK_KIB = [0]  # the largest resident set of a command run since the last figure
CPU: list[float] = []  # CPU seconds of each run timed since the last figure


def _cpu() -> float:
    """CPU seconds of this process and of every child it has waited for.

    A build waits for its workers, so their time is counted too.
    """
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def timed(action: Callable[[], Any], runs: int = RUNS, setup: Callable[[], Any] | None = None
          ) -> list[float]:
    """Seconds per run (wall); the CPU seconds of each run go to CPU for `figure`."""
    PEAK_KIB[0] = 0  # only the runs timed here: not a build that filled the cache before
    times = []
    for _ in range(runs):
        if setup:
            setup()
        cpu = _cpu()
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
        CPU.append(_cpu() - cpu)
    return times


def figure(name: str, times: list[float], target: float | None = None, unit: str = "ms",
           pandoc: float | None = None) -> float:
    """Print median, min-max, target, peak memory and the ratio to pandoc; return the median.

    `pandoc` is pandoc's time for the same documents (seconds), where it can make them.
    """
    scale = 1000 if unit == "ms" else 1
    median = statistics.median(times)
    verdict = ""
    if target is not None:
        verdict = f"  target {target * scale:g} {unit}: {'met' if median <= target else 'MISSED'}"
    extra = ""
    if CPU:  # on a shared machine wall time is noisy; CPU time much less so
        extra += f"  cpu {statistics.median(CPU) * scale:.1f} {unit}"
        CPU.clear()
    if PEAK_KIB[0]:
        extra += f"  peak {PEAK_KIB[0] / 1024:.0f} MiB"
        PEAK_KIB[0] = 0
    if pandoc:
        extra += f"  pandoc {pandoc * scale:.0f} {unit} ({pandoc / median:.0f}x)"
    print(f"{name:<58} median {median * scale:8.1f} {unit}  (min {min(times) * scale:.1f}, "
          f"max {max(times) * scale:.1f}, n={len(times)}){verdict}{extra}")
    return median


def corpus(folder: Path, size: int | None = None) -> list[Path]:
    """Varied profiles (CORPUS unless given): countries, industries, channels, goals."""
    size = CORPUS if size is None else size
    rng = random.Random(20261123)
    bases = [yaml.safe_load((ROOT / "policies" / name).read_text(encoding="utf-8"))
             for name in ("rheinwerk.yaml", "northwind.yaml", "albion-rhein.yaml")]
    # Half the companies operate in Germany (DE, DE+AT, DE+GB+US, ...), half do not, so that
    # editing a German clause affects half the corpus.
    german = [["DE"], ["DE", "AT"], ["DE", "GB", "US"], ["DE", "CH"]]
    other = [["US"], ["GB"], ["CH"], ["AT"], ["GB", "US"], ["AT", "CH"]]
    industries = ["manufacturing", "technology", "retail", "financial_services", "healthcare",
                  "public_sector", "media", "logistics"]
    goals = ["awareness", "new_customers", "customer_relations", "image", "multipliers",
             "market_research", "recruiting", "partner_collaboration"]
    paths = []
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(size):
        data = copy.deepcopy(bases[i % 3])
        company = data["company"]
        company["name"] = f"Corpus Company {i:03d} GmbH"
        company["short_name"] = f"Corpus {i:03d}"
        company["jurisdictions"] = (german[i // 2 % len(german)] if i % 2 == 0
                                    else other[i // 2 % len(other)])
        company["industry"] = industries[rng.randrange(len(industries))]
        company["works_council"] = rng.random() < 0.5
        company["listed"] = rng.random() < 0.3
        company["employees"] = rng.randrange(20, 50000)
        data["strategy"]["goals"] = rng.sample(goals, rng.randrange(1, 5))
        data["strategy"]["kpis"] = {}
        data["strategy"]["channels"] = data["strategy"]["channels"][: rng.randrange(0, 4)]
        data["document"]["languages"] = ["de", "en"]
        data["document"]["audiences"] = ["legal"]
        data["document"]["formats"] = ["md", "docx"]
        data["employees"]["advocacy_program"] = rng.random() < 0.5
        path = folder / f"corpus-{i:03d}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                        encoding="utf-8")
        paths.append(path)
    return paths


def policygen(*args: str, env: dict[str, str] | None = None) -> None:
    """Run the CLI in a fresh process, as a user would (lint warnings are not shown)."""
    child = subprocess.Popen([sys.executable, "-m", "policygen", *args], cwd=ROOT,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             env={**os.environ, **(env or {})})
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise subprocess.CalledProcessError(child.returncode, child.args)
    PEAK_KIB[0] = max(PEAK_KIB[0], usage.ru_maxrss)


def pandoc_seconds(markdown_files: list[Path], scratch: Path) -> float | None:
    """Time pandoc takes to turn these Markdown files into .docx (one process each, as a build)."""
    if not shutil.which("pandoc"):
        return None
    start = time.perf_counter()
    for path in markdown_files:
        subprocess.run(["pandoc", str(path), "-o", str(scratch / "pandoc-out.docx")], check=True)
    return time.perf_counter() - start


def _digests(folder: Path) -> dict[str, str]:
    """The digest of every document in an output folder, by its path."""
    import hashlib

    return {str(p.relative_to(folder)): hashlib.blake2b(p.read_bytes()).hexdigest()
            for p in folder.rglob("*.*") if p.suffix in (".md", ".docx")}


def count_files(folder: Path) -> int:
    """Documents in an output folder."""
    return sum(1 for p in folder.rglob("*.*") if p.suffix in (".md", ".docx"))


def main(parts: frozenset[str] = frozenset(PARTS)) -> None:
    """Print every figure (or those of the parts named)."""
    CACHE[0] = Path(tempfile.mkdtemp(prefix="policygen-bench-cache-"))
    os.environ["POLICYGEN_CACHE_DIR"] = str(CACHE[0])  # the commands run, and this process
    try:
        _figures(parts)
    finally:
        shutil.rmtree(CACHE[0], ignore_errors=True)


def _figures(parts: frozenset[str]) -> None:
    print(f"policygen benchmarks ({CORPUS}-profile corpus, {RUNS} runs each unless noted; "
          "peak = largest process; pandoc = pandoc making the same .docx files, and x = how "
          "many times longer it takes)\n")
    library = clauses.load_library()
    profile = render.load_profiles([ROOT / "policies" / "rheinwerk.yaml"])[0]
    assembly = select.select(library, profile, "legal")
    document = compose.compose(library, assembly, profile, "en")
    sections, kept = [], 0
    for section in document.sections:  # the first 44 clauses: the reference policy
        take = section.clauses[: max(0, 44 - kept)]
        kept += len(take)
        if take:
            sections.append(type(section)(section.section_id, section.title, take))
    doc44 = type(document)(document.meta, document.labels, tuple(sections))

    with tempfile.TemporaryDirectory(prefix="policygen-bench-") as tmp:
        scratch = Path(tmp)
        md44 = scratch / "policy.md"
        md44.write_text(markdown_writer.write(doc44), encoding="utf-8")
        pandoc_one = pandoc_seconds([md44], scratch)
        docx_writer.write(doc44)
        docx_ms = figure("one 44-clause policy as .docx, in-process",
                         timed(lambda: docx_writer.write(doc44), runs=50), 0.008,
                         pandoc=pandoc_one)
        figure(f"the full legal edition ({len(document.clauses())} clauses) as .docx, in-process",
               timed(lambda: docx_writer.write(document), runs=50))
        figure("one 44-clause policy composed (templates + Markdown), in-process",
               timed(lambda: compose.compose(library, assembly, profile, "en"), runs=20))

        single = scratch / "single"
        one = ROOT / "policies" / "rheinwerk.yaml"
        # both formats (the profile also asks for html, which the figure does not count)
        one_policy = ("build", str(one), "--out", str(single), "--audience", "legal",
                      "--format", "md,docx", "--force", "--quiet")
        policygen(*one_policy)
        single_docx = sorted(single.rglob("*.docx"))
        kept_outputs = CACHE[0] / "outputs"
        if "build" in parts:
            figure(f"one policy: `policygen build` (md+docx, de+en, 1 audience, "
                   f"{count_files(single)} files)",
                   timed(lambda: policygen(*one_policy)), 0.200,
                   pandoc=_pandoc_for(single_docx, scratch))
            figure("  the same assembled from fragments (outputs/ of the cache emptied)",
                   timed(lambda: policygen(*one_policy),
                         setup=lambda: shutil.rmtree(kept_outputs, ignore_errors=True)))
        profiles_dir = scratch / "policies"
        paths = corpus(profiles_dir)
        out = scratch / "out"
        cold_cache = scratch / "cold-cache"

        def fresh() -> None:
            shutil.rmtree(out, ignore_errors=True)
            shutil.rmtree(cold_cache, ignore_errors=True)

        def corpus_build(env: dict[str, str] | None = None, chosen: list[Path] = paths) -> None:
            policygen("build", *map(str, chosen), "--out", str(out), "--jobs", "2", "--quiet",
                      env=env)

        fresh()
        corpus_build()
        files = count_files(out)
        if "corpus" in parts:
            corpus_pandoc = _pandoc_for(sorted(out.rglob("*.docx")), scratch)
            figure(f"{CORPUS} profiles x 2 languages x 2 formats ({files} files), --jobs 2",
                   timed(corpus_build, runs=min(5, RUNS), setup=fresh), 1.5, unit="s",
                   pandoc=corpus_pandoc)

            def fragments_only() -> None:
                fresh()
                shutil.rmtree(kept_outputs, ignore_errors=True)

            figure("  the same assembled from fragments (outputs/ of the cache emptied)",
                   timed(corpus_build, runs=min(3, RUNS), setup=fragments_only), unit="s")
            figure("  the same with an empty per-user cache (a fresh CI machine)",
                   timed(lambda: corpus_build({"POLICYGEN_CACHE_DIR": str(cold_cache)}),
                         runs=min(3, RUNS), setup=fresh), 2.5, unit="s", pandoc=corpus_pandoc)
            corpus_build()
            # A build with nothing to do records what it read once its files are older than
            # the racy window (policygen/builds/unchanged.py); the next ones stop at that record.
            time.sleep(2.1)
            corpus_build()
            figure("nothing changed: `policygen build` of the corpus",
                   timed(corpus_build), 0.150)

            def forget() -> None:
                for record in (CACHE[0] / "digests").glob("noop-*"):
                    record.unlink()

            figure("  the same, planned from the manifest (the first build after a change)",
                   timed(corpus_build, setup=forget))
        corpus_build()
        # A German clause's German text changes, as an editor would change it: the files it
        # touches are those whose bytes change (the German guidelines of the companies in
        # Germany), and the target is 0.8 s per 200 of them. (A comment in the file touches
        # no document: the build then assembles none.)
        if "clause" in parts:
            one_clause(out, corpus_build)
        print()
        if "scaling" in parts:
            scaling(scratch, per_profile=files // CORPUS, fresh=fresh, build=corpus_build)
        if "pdf" in parts:
            pdf_figures(paths, doc44, scratch)
        if "peers" in parts:
            peers(scratch, doc44, docx_ms)
        if "studio" in parts:
            studio(scratch)


def one_clause(out: Path, corpus_build: Callable[[], None]) -> None:
    """A German clause's German text edited, as an editor would; what the rebuild touches."""
    clause = ROOT / "clauses" / "legal" / "legal.de_image_consent.yaml"
    original = clause.read_text(encoding="utf-8")
    marker = "die Website und gedruckte Materialien."
    assert marker in original, f"{clause.name} no longer says {marker!r}: edit bench.py"
    times: list[float] = []
    touched: list[int] = []
    try:
        for n in range(min(5, RUNS)):
            before = _digests(out)
            clause.write_text(original.replace(
                marker, f"die Website und gedruckte Materialien (Fassung {n}).", 1),
                encoding="utf-8")
            times += timed(corpus_build, runs=1)
            after = _digests(out)
            touched.append(sum(1 for name, digest in after.items()
                               if before.get(name) != digest))
    finally:
        clause.write_text(original, encoding="utf-8")
    affected = int(statistics.median(touched))
    figure(f"one clause changed ({affected} files touched), --jobs 2", times,
           0.8 * affected / 200, unit="s")


def scaling(scratch: Path, per_profile: int, fresh: Callable[[], None],
            build: Callable[..., None]) -> None:
    """The corpus at 10, 100 and 1,000 profiles, each after a build that filled the cache."""
    for size in SCALING:
        chosen = corpus(scratch / f"corpus-{size}", size)
        runs = 1 if size >= 1000 else min(3, RUNS)
        fresh()
        build(chosen=chosen)  # the per-user cache learns these profiles
        figure(f"scaling: {size} profiles ({size * per_profile} files), warm cache, --jobs 2",
               timed(lambda chosen=chosen: build(chosen=chosen), runs=runs, setup=fresh),
               unit="s")


def studio(scratch: Path) -> None:
    """`policygen studio`: start until the page answers, and one preview update over HTTP."""
    import json
    import urllib.request

    print()
    target = scratch / "studio" / "rheinwerk.yaml"
    target.parent.mkdir()
    shutil.copy(ROOT / "policies" / "rheinwerk.yaml", target)

    def launch() -> tuple[subprocess.Popen[str], str]:
        proc = subprocess.Popen([sys.executable, "-m", "policygen", "studio", str(target),
                                 "--no-browser"], stdout=subprocess.PIPE, text=True, cwd=ROOT)
        assert proc.stdout is not None
        address = proc.stdout.readline().split(": ", 1)[1].strip()
        with urllib.request.urlopen(address, timeout=30) as response:
            response.read()
        return proc, address

    started: list[float] = []
    for _ in range(5):
        begin = time.perf_counter()
        proc, address = launch()
        started.append(time.perf_counter() - begin)
        proc.terminate()
        proc.wait(timeout=30)
    figure("studio start: command to the page served", started, 2.0)

    proc, address = launch()
    try:
        base, token = address.split("/?token=")
        from tests.studio.support import form_fields

        request = urllib.request.Request(address)
        with urllib.request.urlopen(request, timeout=30) as response:
            fields = form_fields(response.read().decode("utf-8"))
        names = iter(range(1000))

        def update(edition: str) -> None:
            fields["company.name"] = f"Rheinwerk Antriebstechnik {next(names)} GmbH"
            body = json.dumps({"fields": fields, "edition": edition, "lang": "de"}).encode()
            call = urllib.request.Request(base + "/api/check", data=body, headers={
                "X-Studio-Token": token, "Content-Type": "application/json"})
            with urllib.request.urlopen(call, timeout=30) as response:
                result = json.loads(response.read())
            assert result["valid"] and result["html"], result["problems"]

        update("employees")  # the first one compiles what the warm-up has not
        times = timed(lambda: update("employees"), runs=15)
        CPU.clear()  # this process only waits for the server: its CPU time says nothing
        figure("studio preview update: employee guideline (check + page + panels)", times, 0.300)
        times = timed(lambda: update("legal"), runs=7)
        CPU.clear()
        figure("studio preview update: legal edition", times, 0.300)
        print(f"{'':<58} the page adds its {120} ms debounce after the last keystroke")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _pandoc_for(docx_files: list[Path], scratch: Path) -> float | None:
    """Time pandoc takes for the Markdown twins of these .docx files (at most 40, scaled up)."""
    twins = [p.with_suffix(".md") for p in docx_files if p.with_suffix(".md").exists()]
    if not twins:
        return None
    sample = twins[:: max(1, len(twins) // 40)][:40]
    seconds = pandoc_seconds(sample, scratch)
    return None if seconds is None else seconds * len(twins) / len(sample)


def pdf_figures(paths: list[Path], doc44: Any, scratch: Path) -> None:
    """The PDF path: one document, and a ~100-document `policygen build` (one LibreOffice run)."""
    from policygen.writers import pdf, registry

    if pdf.soffice() is None:
        print("pdf: LibreOffice not installed (apt-get install libreoffice-writer); skipped")
        return
    writer = registry.writer("pdf")
    assets = registry.Assets()
    figure("one 44-clause policy as PDF (LibreOffice start included)",
           timed(lambda: writer.write_many([(doc44, assets)]), runs=3), unit="s")
    # The employee guideline, its summary and its acknowledgement form of 34 profiles in one
    # language: 102 documents, rendered and converted by one `policygen build`.
    chosen = []
    folder = scratch / "pdf-corpus"
    folder.mkdir(parents=True, exist_ok=True)
    for path in paths[:34]:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["document"].update(formats=["pdf"], audiences=["employees"],
                                languages=data["document"]["languages"][:1])
        target = folder / path.name
        target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                          encoding="utf-8")
        chosen.append(target)
    out = scratch / "pdf-out"

    def build() -> None:
        policygen("build", *map(str, chosen), "--out", str(out), "--jobs", "2", "--quiet")

    build()
    documents = sum(1 for _ in out.rglob("*.pdf"))
    times = timed(build, runs=3, setup=lambda: shutil.rmtree(out, ignore_errors=True))
    median = figure(f"{documents} documents as PDF: `policygen build`, one LibreOffice run",
                    times, unit="s")
    print(f"{'':<58} per document: median {median / documents * 1000:.0f} ms")


def peers(scratch: Path, document: Any, docx_ms: float) -> None:
    """The same document through pandoc and docxtpl."""
    markdown = markdown_writer.write(document)
    md_path = scratch / "policy.md"
    md_path.write_text(markdown, encoding="utf-8")
    print()
    if shutil.which("pandoc"):
        pandoc = figure("pandoc: the same policy, Markdown to .docx",
                        timed(lambda: subprocess.run(["pandoc", str(md_path), "-o",
                                                      str(scratch / "pandoc.docx")],
                                                     check=True)))
        print(f"{'':<58} ratio pandoc / policygen: {pandoc / docx_ms:.0f}x")
    else:
        print("pandoc: not installed (apt-get install pandoc); skipped")
    try:
        from docxtpl import DocxTemplate
    except ImportError:
        print("docxtpl: not installed (pip install docxtpl); skipped")
        return
    template = _docxtpl_template(scratch)
    context = {"title": document.meta.title, "sections": [
        {"title": s.title, "clauses": [
            {"title": c.title, "paragraphs": [
                "".join(span.text for span in getattr(b, "spans", ()))
                for b in c.blocks]} for c in s.clauses]} for s in document.sections]}

    def render() -> None:
        tpl = DocxTemplate(str(template))
        tpl.render(context)
        tpl.save(io.BytesIO())

    docxtpl = figure("docxtpl: the same policy (load + render + save)", timed(render))
    print(f"{'':<58} ratio docxtpl / policygen: {docxtpl / docx_ms:.0f}x")


def _docxtpl_template(scratch: Path) -> Path:
    import docx

    doc = docx.Document()
    doc.add_paragraph("{{ title }}", style="Title")
    doc.add_paragraph("{%p for s in sections %}")
    doc.add_paragraph("{{ s.title }}", style="Heading 1")
    doc.add_paragraph("{%p for c in s.clauses %}")
    doc.add_paragraph("{{ c.title }}", style="Heading 2")
    doc.add_paragraph("{%p for p in c.paragraphs %}")
    doc.add_paragraph("{{ p }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endfor %}")
    path = scratch / "template.docx"
    doc.save(str(path))
    return path


if __name__ == "__main__":
    import argparse

    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--only", default=",".join(PARTS),
                         help=f"comma-separated parts to time: {', '.join(PARTS)} (default: all)")
    chosen_parts = frozenset(options.parse_args().only.split(","))
    unknown = chosen_parts - set(PARTS)
    if unknown:
        options.error(f"unknown part {sorted(unknown)[0]!r}; choose from {', '.join(PARTS)}")
    main(chosen_parts)

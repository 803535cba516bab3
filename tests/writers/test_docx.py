"""The Word output: read back with python-docx, opened by LibreOffice, deterministic."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest

from policygen.builds import render
from policygen.core import clauses
from policygen.errors import BrandingError
from policygen.writers.docx import reference as docx_reference
from tests.conftest import FIXTURE_LIBRARY, FIXTURES, LIB_ONLY, ROOT, run_process, write

MINIMAL = FIXTURES / "profiles" / "minimal.yaml"


def outputs(profile: Path = MINIMAL, library: Path = FIXTURE_LIBRARY) -> list[render.Output]:
    return render.render_all(clauses.load_library(library), render.load_profiles([profile]),
                            render.Selection(formats=("docx",)))


def test_core_properties_come_from_the_profile() -> None:
    data = outputs()[0].data
    props = docx.Document(io.BytesIO(data)).core_properties
    assert props.title == "Social Media Guideline of Minimal GmbH"
    assert props.author == "Geschäftsführung"
    assert props.revision == 1
    assert props.created.isoformat() == "2026-12-01T00:00:00+00:00"
    assert props.modified == props.created
    assert props.subject == "Guideline for all employees"


def test_package_is_deterministic_and_ordered() -> None:
    first, second = outputs()[0].data, outputs()[0].data
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        names = archive.namelist()
        assert names[0] == "[Content_Types].xml"
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert archive.testzip() is None


def test_identical_bytes_across_processes(tmp_path: Path) -> None:
    results = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = run_process("build", str(MINIMAL), "--out", str(out), *LIB_ONLY,
                             str(FIXTURE_LIBRARY), env=env)
        assert result.code == 0, result.err
        results.append({p.relative_to(out): p.read_bytes() for p in out.rglob("*.*")
                        if p.name != ".policygen-stat.json"})
    assert results[0] == results[1]


def test_headings_use_numbering_and_header_footer_exist() -> None:
    data = outputs()[0].data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        body = archive.read("word/document.xml").decode()
        footer = archive.read("word/footer1.xml").decode()
        styles = archive.read("word/styles.xml").decode()
    assert '<w:numId w:val="9101"/>' not in body  # numbered by the heading styles
    assert styles.count('<w:numId w:val="9101"/>') == 2
    assert "NUMPAGES" in footer and "PAGE" in footer


def test_reference_without_required_styles_gets_the_bundled_ones(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types xmlns='x'/>")
        archive.writestr("word/document.xml", "<w:document xmlns:w='x'><w:body/></w:document>")
        archive.writestr("word/styles.xml",
                         "<w:styles xmlns:w='http://schemas.openxmlformats.org/"
                         "wordprocessingml/2006/main'/>")
    reference = docx_reference.parse_reference(buffer.getvalue(), "corporate.docx")
    assert reference.warnings == ((
        "the template lacks the styles Title, Subtitle, Heading 1, Heading 2, List Bullet, "
        "List Number, Header, Footer, Table Grid; policygen's own definitions are used",
        "add them in Word (Styles pane) to give them the company's look"),)
    assert reference.style("heading 1") == "Heading1"
    assert reference.style("table grid") == "TableGrid"


def test_reference_that_is_not_a_docx_is_located(tmp_path: Path, cli) -> None:
    write(tmp_path / "template.docx", "not a zip")
    profile = write(tmp_path / "p.yaml", MINIMAL.read_text(encoding="utf-8")
                    + "branding:\n  reference_docx: template.docx\n")
    result = cli("build", str(profile), "--out", str(tmp_path / "out"), *LIB_ONLY,
                 str(FIXTURE_LIBRARY))
    assert result.code == 1
    assert result.err.endswith(
        "p.yaml:27:19: template.docx: not a Word document (.docx is a zip archive)\n"
        "    hint: save the template in Word as 'Word Document (*.docx)'\n")
    assert not (tmp_path / "out").exists()


def test_zip_bomb_reference_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/styles.xml", b"\0" * (80 * 1024 * 1024))
    with pytest.raises(BrandingError, match="refusing to unpack it"):
        docx_reference.parse_reference(buffer.getvalue(), "bomb.docx")


def test_company_reference_styles_are_used() -> None:
    template = Path(docx.__file__).parent / "templates" / "default.docx"
    reference = docx_reference.parse_reference(template.read_bytes(), "default.docx")
    document = render.render_all(clauses.load_library(FIXTURE_LIBRARY),
                                render.load_profiles([MINIMAL]),
                                render.Selection(formats=("docx",)))
    assert reference.style("heading 1") == "Heading1"
    assert document


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_converts_every_example(tmp_path: Path) -> None:
    result = run_process("build", *map(str, sorted((ROOT / "policies").glob("*.yaml"))),
                         "--out", str(tmp_path), "--format", "docx", "--audience", "employees")
    assert result.code == 0, result.err
    files = []
    for docx_file in sorted(tmp_path.rglob("employees.*.docx")):  # the guidelines
        flat = tmp_path / "flat" / f"{docx_file.parent.name}-{docx_file.name}"
        flat.parent.mkdir(exist_ok=True)
        docx_file.replace(flat)
        files.append(flat)
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir",
                    str(tmp_path / "pdf"), *map(str, files)], check=True, capture_output=True,
                   timeout=240, env={**os.environ, "HOME": str(tmp_path)})
    pdfs = sorted((tmp_path / "pdf").glob("*.pdf"))
    assert [p.stem for p in pdfs] == [f.stem for f in files]
    for pdf in pdfs:
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF")
        assert len(re.findall(rb"/Type\s*/Page\b(?!s)", data)) > 5


@pytest.mark.parametrize("parts", [
    ["<w:p><w:r><w:tab/></w:r></w:p>", "<w:p><w:r><w:rPr><w:b/></w:rPr></w:r></w:p>"],
    ["<w:p><w:r>", "<w:rPr><w:b/></w:rPr><w:t>a</w:t></w:r></w:p>"],  # a run split by parts
    ["<w:p><w", ":r><w:t>a</w:t></w:r></w:p>"],
])
def test_runs_are_tagged_part_by_part_exactly_as_in_the_whole_body(parts: list[str]) -> None:
    from policygen.writers.docx import body as docx_body

    made = docx_body._Body(docx_reference.bundled(), lang="de-CH", parts=list(parts))
    whole = docx_body._UNTAGGED_RUN.sub(made.tagged_run, "".join(parts))
    # one part: joined; and in sections (as a guideline's are), each deflated on its own
    assert docx_body._main_part(made, "", "")[0] == whole.encode()
    made.section_starts = [0, 1]
    part, _ = docx_body._main_part(made, "", "")
    packed = part.packed if isinstance(part, docx_body.Segmented) else part
    import zlib

    assert (zlib.decompress(packed, -15) if isinstance(part, docx_body.Segmented) else packed) \
        == whole.encode()
    assert '<w:r><w:rPr><w:lang w:val="de-CH"/></w:rPr><w:t' in whole or \
        '<w:rPr><w:b/></w:rPr><w:t>a' in whole  # tagged, unless the run had properties

"""Document to PDF: the .docx writer's package, converted by LibreOffice headless.

A batch of documents is converted by one LibreOffice process (`soffice --headless --convert-to
pdf` with every file), with a profile of its own in a temporary folder, so that it neither
touches nor waits for the user's LibreOffice. The PDF is tagged (accessible structure, the
document's language); `document.pdf_archive: true` in a profile gives PDF/A-2b for archiving.
The contents' page numbers are PAGEREF fields that LibreOffice computes while laying out pages.

LibreOffice stamps every PDF with the time of conversion and a random file identifier; both are
replaced by values derived from the .docx (same length, so the cross-reference table stays
valid), which makes the PDF byte-identical for identical inputs with the same LibreOffice
version (docs/pdf.md).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from policygen.document import Document
from policygen.errors import Location, OutputError
from policygen.writers.docx import body as docx

if TYPE_CHECKING:
    from policygen.writers.registry import Assets

TIMEOUT_SECONDS = 600
_DATE = re.compile(rb"D:\d{14}(?:[+-]\d\d'\d\d'?|Z)?")
_XMP_DATE = re.compile(rb"(<xmp:(?:CreateDate|ModifyDate|MetadataDate)>)[^<]*(</xmp:\w+>)")
_ID = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*\]")
_UUID = re.compile(rb"uuid:[0-9a-fA-F-]{36}")


def soffice() -> str | None:
    """The LibreOffice program, or None if it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def filter_options(pdf_a: bool) -> str:
    """LibreOffice's PDF export options: tagged PDF, bookmarks from headings, PDF/A-2b if asked."""
    options: dict[str, dict[str, str]] = {
        "UseTaggedPDF": {"type": "boolean", "value": "true"},
        "ExportBookmarks": {"type": "boolean", "value": "true"},
        "ExportNotes": {"type": "boolean", "value": "false"},
        "SelectPdfVersion": {"type": "long", "value": "2" if pdf_a else "0"},
    }
    return "pdf:writer_pdf_Export:" + json.dumps(options, separators=(",", ":"))


def normalized(pdf: bytes, source: bytes, document: Document) -> bytes:
    """The PDF with conversion time and file id replaced by values derived from the input."""
    day = document.meta.effective_date.strftime("%Y%m%d").encode()

    def date(match: re.Match[bytes]) -> bytes:
        text = match.group(0)
        stamp = b"D:" + day + b"000000"
        return (stamp + text[len(stamp):].translate(bytes.maketrans(b"0123456789", b"0" * 10))
                if len(text) > len(stamp) else stamp[: len(text)])

    digest = hashlib.blake2b(source, digest_size=16).hexdigest().upper().encode()

    def file_id(match: re.Match[bytes]) -> bytes:
        first = (digest * 4)[: len(match.group(1))]
        second = (digest * 4)[: len(match.group(2))]
        return match.group(0).replace(match.group(1), first).replace(match.group(2), second)

    def xmp_date(match: re.Match[bytes]) -> bytes:
        inner = match.group(0)[len(match.group(1)):-len(match.group(2))]
        fixed = (document.meta.effective_date.isoformat().encode() + b"T00:00:00"
                 + b"+00:00")[: len(inner)].ljust(len(inner), b"0")
        return match.group(1) + fixed + match.group(2)

    uuid = hashlib.blake2b(source, digest_size=16).hexdigest()
    uuid_text = f"uuid:{uuid[:8]}-{uuid[8:12]}-{uuid[12:16]}-{uuid[16:20]}-{uuid[20:32]}".encode()
    pdf = _DATE.sub(date, pdf)
    pdf = _XMP_DATE.sub(xmp_date, pdf)
    pdf = _UUID.sub(uuid_text, pdf)
    return _ID.sub(file_id, pdf)


def convert(packages: Sequence[bytes], *, pdf_a: bool = False) -> list[bytes]:
    """PDF bytes of .docx packages, all converted by one LibreOffice process."""
    program = soffice()
    if program is None:
        raise OutputError.at(Location("document.formats"),
                             "format 'pdf' needs LibreOffice, and soffice is not on PATH",
                             "install LibreOffice Writer (Debian: apt-get install "
                             "libreoffice-writer), or remove pdf from document.formats")
    if not packages:
        return []
    with tempfile.TemporaryDirectory(prefix="policygen-pdf-") as tmp:
        folder = Path(tmp)
        names = [folder / f"d{index:05d}.docx" for index in range(len(packages))]
        for name, data in zip(names, packages, strict=True):
            name.write_bytes(data)
        profile = (folder / "profile").as_uri()
        command = [program, "--headless", "--norestore", "--nolockcheck",
                   f"-env:UserInstallation={profile}", "--convert-to", filter_options(pdf_a),
                   "--outdir", str(folder / "out"), *map(str, names)]
        env = {**os.environ, "HOME": tmp}
        try:
            result = subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS,
                                    check=False, env=env, cwd=tmp)
        except subprocess.TimeoutExpired:
            raise OutputError.at(Location("document.formats"),
                                 f"LibreOffice did not finish converting {len(packages)} "
                                 f"documents to PDF within {TIMEOUT_SECONDS} s",
                                 "close other LibreOffice windows and build again") from None
        out = []
        for name in names:
            pdf = folder / "out" / (name.stem + ".pdf")
            if not pdf.is_file():
                detail = (result.stderr or result.stdout).decode("utf-8", "replace").strip()
                raise OutputError.at(Location("document.formats"),
                                     "LibreOffice made no PDF"
                                     + (f": {detail.splitlines()[-1]}" if detail else ""),
                                     "run `soffice --headless --convert-to pdf` on the .docx "
                                     "to see LibreOffice's own message")
            out.append(pdf.read_bytes())
        return out


def write_files(items: Sequence[tuple[Document, Assets]]) -> list[bytes]:
    """The registry's batch entry point: one LibreOffice run for every document."""
    packages = [docx.write_file(document, assets) for document, assets in items]
    pdfs = convert(packages, pdf_a=any(assets.pdf_archive for _, assets in items))
    return [normalized(pdf, package, document)
            for pdf, package, (document, _) in zip(pdfs, packages, items, strict=True)]


def write_file(document: Document, assets: Assets) -> bytes:
    """The registry's entry point for one document."""
    return write_files([(document, assets)])[0]

"""Document to PDF: the .docx writer's package, converted by LibreOffice headless.

The documents of a whole build are converted by one LibreOffice process (`soffice --headless
--convert-to pdf` with every file; one process per set of export options, so a build that
mixes PDF/A and plain PDF starts two), with a profile of its own in a temporary folder, so that
it neither touches nor waits for the user's LibreOffice. A build first `prepare`s a job per
document (the .docx, in its worker), then converts all jobs at once (`write_jobs`). The PDF is
tagged (accessible structure, the document's language); `document.pdf_archive: true` in a
profile gives PDF/A-2b for archiving. The contents' page numbers are PAGEREF fields that
LibreOffice computes while laying out pages.

LibreOffice stamps every PDF with the time of conversion and a random file identifier (and,
in PDF/A, the colour profile with the time it was made). `normalized` rewrites those from the
document's effective date and a digest of the content, and rebuilds the cross-reference table,
so that identical inputs give byte-identical PDFs with the same LibreOffice (docs/pdf.md).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import re
import shutil
import struct
import subprocess
import tempfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from policygen.document import Document
from policygen.errors import Location, OutputError, Problem
from policygen.writers.docx import body as docx

if TYPE_CHECKING:
    from policygen.writers.registry import Assets

TIMEOUT_SECONDS = 600  # for one LibreOffice run, plus PER_DOCUMENT_SECONDS for each file
PER_DOCUMENT_SECONDS = 10
FORMATS = Location("document.formats")


@dataclass(frozen=True)
class Job:
    """One document waiting for the batch conversion: what converting and normalising need."""

    package: bytes  # the .docx
    effective_date: datetime.date  # the PDF's dates
    pdf_a: bool = False
    where: Location = FORMATS  # where a failure is reported: the profile's document.formats
    label: str = ""  # the output's name, for messages


def soffice() -> str | None:
    """The LibreOffice program, or None if it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


# Fonts that set text as Calibri does: the Word writer fits table columns to Calibri's widths.
CALIBRI_WIDTHS = ("Calibri", "Carlito")


def calibri_substitute() -> str | None:
    """The family LibreOffice would set Calibri in, where it is a wider one; else None.

    Asks fontconfig (`fc-match`), as LibreOffice on Linux does; None also when that is not
    installed, as nothing can then be told.
    """
    program = shutil.which("fc-match")
    if program is None:
        return None
    try:
        found = subprocess.run([program, "--format=%{family}", "Calibri"], capture_output=True,
                               text=True, timeout=30, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    family = found.split(",")[0].strip()
    return family if family and family not in CALIBRI_WIDTHS else None


def font_warning(where: Location) -> Problem | None:
    """A warning for the PDFs of a build when Calibri would be set in a wider font."""
    family = calibri_substitute()
    if family is None:
        return None
    return Problem(where, f"LibreOffice sets Calibri in {family} here, which is wider: in the "
                   "PDFs, table columns fitted to Calibri can break long words and e-mail "
                   "addresses", "install Carlito, which has Calibri's widths (Debian: apt-get "
                   "install fonts-crosextra-carlito), then build again")


def _missing(where: Location) -> OutputError:
    return OutputError.at(where, "format 'pdf' needs LibreOffice, and soffice is not on PATH",
                          "install LibreOffice Writer (Debian: apt-get install "
                          "libreoffice-writer), or remove pdf from document.formats")


def filter_options(pdf_a: bool) -> str:
    """LibreOffice's PDF export options: tagged PDF, bookmarks from headings, PDF/A-2b if asked."""
    options: dict[str, dict[str, str]] = {
        "UseTaggedPDF": {"type": "boolean", "value": "true"},
        "ExportBookmarks": {"type": "boolean", "value": "true"},
        "ExportNotes": {"type": "boolean", "value": "false"},
        "SelectPdfVersion": {"type": "long", "value": "2" if pdf_a else "0"},
    }
    return "pdf:writer_pdf_Export:" + json.dumps(options, separators=(",", ":"))


# --- Normalising: what LibreOffice writes that is not a function of the input ----------------

_STARTXREF = re.compile(rb"startxref\r?\n(\d+)\r?\n%%EOF\r?\n?\Z")
_XREF_HEAD = re.compile(rb"xref\r?\n0 (\d+)\r?\n")
_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])(?: \r?\n| ?\r\n)")
_OBJ_HEAD = re.compile(rb"(\d+) 0 obj\b")
_STREAM = re.compile(rb">>\s*stream\r?\n")
_LENGTH = re.compile(rb"/Length\s+(\d+)(\s+0\s+R)?")
_PDF_DATE = re.compile(rb"\(D:\d{4}[0-9Z+\-']*\)")
_XMP_DATE = re.compile(rb"(<xmp:(CreateDate|ModifyDate|MetadataDate)>)[^<]*(</xmp:\2>)"
                       rb"|(xmp:(?:CreateDate|ModifyDate|MetadataDate)=\")[^\"]*(\")")
_UUID = re.compile(rb"uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                   rb"[0-9a-fA-F]{12}")
_UUID_PLACEHOLDER = b"uuid:" + b"0" * 8 + b"-0000-0000-0000-" + b"0" * 12
_ID = re.compile(rb"/ID\s*\[\s*<[0-9A-Fa-f]*>\s*<[0-9A-Fa-f]*>\s*\]")
_CHECKSUM = re.compile(rb"/DocChecksum\s*/[0-9A-Fa-f]+")


@dataclass
class _Layout:
    """A PDF as LibreOffice writes it: a header, numbered objects, one cross-reference table."""

    head: bytes  # %PDF-1.x and the binary comment, before the first object
    objects: dict[int, bytes]  # number -> "N 0 obj ... endobj" with the blank line after it
    order: list[int]  # the objects in the order of the file
    entries: list[tuple[int, int, bytes]]  # the xref entries: (offset, generation, n|f)
    trailer: bytes  # "<<...>>" of the trailer


def _layout(pdf: bytes) -> _Layout | None:
    """The parts of a single-revision PDF with a classic xref table; None for anything else."""
    end = _STARTXREF.search(pdf, max(0, len(pdf) - 64))
    if end is None:
        return None
    start = int(end.group(1))
    head = _XREF_HEAD.match(pdf, start)
    if head is None:
        return None
    entries, at = [], head.end()
    for _ in range(int(head.group(1))):
        entry = _ENTRY.match(pdf, at)
        if entry is None:
            return None
        entries.append((int(entry.group(1)), int(entry.group(2)), entry.group(3)))
        at = entry.end()
    tail = pdf[at:end.start()]
    if not tail.startswith(b"trailer") or re.search(rb"/(?:Prev|XRefStm|Encrypt)\b", tail):
        return None
    trailer = tail[len(b"trailer"):].strip()
    used = sorted((offset, number) for number, (offset, generation, kind) in enumerate(entries)
                  if kind == b"n" and generation == 0)
    if len(used) != sum(1 for _, _, kind in entries if kind == b"n") or not used:
        return None
    objects, order = {}, []
    for (offset, number), (following, _) in zip(used, [*used[1:], (start, -1)], strict=True):
        data = pdf[offset:following]
        head_match = _OBJ_HEAD.match(data)
        if head_match is None or int(head_match.group(1)) != number:
            return None
        objects[number] = data
        order.append(number)
    return _Layout(pdf[:used[0][0]], objects, order, entries, trailer)


def _stream(layout: _Layout, number: int) -> tuple[bytes, bytes, bytes] | None:
    """An object split into (dictionary up to `stream`, data, the rest), or None."""
    data = layout.objects[number]
    opening = _STREAM.search(data)
    if opening is None:
        return None
    header = data[:opening.end()]
    length = _stream_length(layout, header)
    if length is None or opening.end() + length > len(data):
        return None
    return header, data[opening.end():opening.end() + length], data[opening.end() + length:]


def _stream_length(layout: _Layout, header: bytes) -> int | None:
    match = _LENGTH.search(header)
    if match is None:
        return None
    if not match.group(2):
        return int(match.group(1))
    target = layout.objects.get(int(match.group(1)))
    value = re.match(rb"\d+ 0 obj\s+(\d+)\s+endobj", target or b"")
    return int(value.group(1)) if value else None


def _set_stream(layout: _Layout, number: int, data: bytes) -> None:
    """Replace a stream's data and its /Length (in its dictionary or in the object it names)."""
    parts = _stream(layout, number)
    assert parts is not None
    header, _, rest = parts
    match = _LENGTH.search(header)
    assert match is not None
    if match.group(2):
        target = int(match.group(1))
        layout.objects[target] = re.sub(rb"(\d+ 0 obj\s+)\d+", lambda m: m.group(1)
                                        + str(len(data)).encode(), layout.objects[target],
                                        count=1)
    else:
        header = (header[:match.start(1)] + str(len(data)).encode() + header[match.end(1):])
    layout.objects[number] = header + data + rest


def _dictionary(layout: _Layout, number: int) -> bytes:
    """The object before its stream data (all of it for an object without a stream)."""
    data = layout.objects[number]
    opening = _STREAM.search(data)
    return data if opening is None else data[:opening.end()]


def _icc_dated(profile: bytes, day: datetime.date) -> bytes:
    """An ICC profile with its creation time set to the day, and its profile id recomputed."""
    if len(profile) < 128 or profile[36:40] != b"acsp":
        return profile
    patched = bytearray(profile)
    patched[24:36] = struct.pack(">6H", day.year, day.month, day.day, 0, 0, 0)
    if any(patched[84:100]):  # an MD5 over the profile with flags, intent and id zeroed
        blank = bytearray(patched)
        blank[44:48] = blank[64:68] = b"\0" * 4
        blank[84:100] = b"\0" * 16
        patched[84:100] = hashlib.md5(bytes(blank), usedforsecurity=False).digest()
    return bytes(patched)


def normalized(pdf: bytes, effective_date: datetime.date) -> bytes:
    """The PDF with what LibreOffice writes of the moment replaced by values from the input.

    Dates (the information dictionary, annotations, XMP) become the effective date at
    midnight UTC, the colour profile of a PDF/A its creation time likewise, XMP uuids and the
    trailer's /ID and /DocChecksum digests of the content; the cross-reference table is
    rebuilt for the new offsets. A PDF of another layout (cross-reference streams, incremental
    updates) is returned as it is.
    """
    layout = _layout(pdf)
    if layout is None:
        return pdf
    stamp = b"(D:" + effective_date.strftime("%Y%m%d").encode() + b"000000Z)"
    xmp_stamp = effective_date.isoformat().encode() + b"T00:00:00Z"

    def xmp_date(match: re.Match[bytes]) -> bytes:
        if match.group(1):
            return match.group(1) + xmp_stamp + match.group(3)
        return match.group(4) + xmp_stamp + match.group(5)

    uuids: list[int] = []
    for number in layout.order:
        dictionary = _dictionary(layout, number)
        if _PDF_DATE.search(dictionary):
            layout.objects[number] = (_PDF_DATE.sub(stamp, dictionary)
                                      + layout.objects[number][len(dictionary):])
        if re.search(rb"/Type\s*/Metadata\b", dictionary) and b"/Filter" not in dictionary:
            parts = _stream(layout, number)
            if parts is not None:
                xmp = _UUID.sub(_UUID_PLACEHOLDER, _XMP_DATE.sub(xmp_date, parts[1]))
                if _UUID_PLACEHOLDER in xmp:
                    uuids.append(number)
                if xmp != parts[1]:
                    _set_stream(layout, number, xmp)
        for reference in re.findall(rb"/DestOutputProfile\s+(\d+)\s+0\s+R", dictionary):
            _redate_profile(layout, int(reference), effective_date)
    if uuids:  # uuids from the content, once everything else is fixed
        seed = hashlib.blake2b(b"".join(layout.objects[n] for n in layout.order), digest_size=16)
        for number in uuids:
            parts = _stream(layout, number)
            assert parts is not None
            pieces = parts[1].split(_UUID_PLACEHOLDER)
            xmp = pieces[0]
            for index, piece in enumerate(pieces[1:]):
                value = seed.copy()
                value.update(f"{number}.{index}".encode())
                hexed = value.hexdigest()
                xmp += (f"uuid:{hexed[:8]}-{hexed[8:12]}-{hexed[12:16]}-{hexed[16:20]}-"
                        f"{hexed[20:32]}").encode() + piece
            layout.objects[number] = parts[0] + xmp + parts[2]  # same length
    return _assembled(layout)


def _redate_profile(layout: _Layout, number: int, day: datetime.date) -> None:
    if number not in layout.objects:
        return
    parts = _stream(layout, number)
    if parts is None or not re.search(rb"/Filter\s*/FlateDecode\s*[/>]", parts[0]) \
            or b"/DecodeParms" in parts[0]:
        return
    try:
        profile = zlib.decompress(parts[1])
    except zlib.error:
        return
    dated = _icc_dated(profile, day)
    if dated != profile:
        _set_stream(layout, number, zlib.compress(dated, 9))


def _assembled(layout: _Layout) -> bytes:
    """The file again: objects at their new offsets, a new xref table, /ID and checksum."""
    out = bytearray(layout.head)
    offsets = {}
    for number in layout.order:
        offsets[number] = len(out)
        out += layout.objects[number]
    xref_at = len(out)
    out += b"xref\n0 %d\n" % len(layout.entries)
    for number, (offset, generation, kind) in enumerate(layout.entries):
        out += b"%010d %05d %s \n" % (offsets.get(number, offset) if kind == b"n" else offset,
                                      generation, kind)
    # LibreOffice's /DocChecksum is the MD5 of everything before the trailer; /ID is that too.
    checksum = hashlib.md5(bytes(out), usedforsecurity=False).hexdigest().upper().encode()
    trailer = _ID.sub(b"/ID [ <" + checksum + b">\n<" + checksum + b"> ]", layout.trailer)
    trailer = _CHECKSUM.sub(b"/DocChecksum /" + checksum, trailer)
    out += b"trailer\n" + trailer + b"\nstartxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


# --- Converting ------------------------------------------------------------------------------

def prepare(document: Document, assets: Assets, *, where: Location = FORMATS,
            label: str = "") -> Job:
    """A document's job for the batch: its .docx (LibreOffice must be there to convert it)."""
    if soffice() is None:
        raise _missing(where)
    return Job(docx.write_file(document, assets), document.meta.effective_date,
               assets.pdf_archive, where, label)


def convert(packages: Sequence[bytes], *, pdf_a: bool = False,
            failed: Callable[[int, str], Problem] | None = None,
            where: Location = FORMATS) -> list[bytes]:
    """PDF bytes of .docx packages, all converted by one LibreOffice process.

    Nothing is returned unless every package converted; `failed(index, detail)` gives the
    problem for a package that made no PDF.
    """
    program = soffice()
    if program is None:
        raise _missing(where)
    if not packages:
        return []
    timeout = TIMEOUT_SECONDS + PER_DOCUMENT_SECONDS * len(packages)
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
            result = subprocess.run(command, capture_output=True, timeout=timeout,
                                    check=False, env=env, cwd=tmp)
        except subprocess.TimeoutExpired:
            raise OutputError.at(where, f"LibreOffice did not finish converting "
                                 f"{len(packages)} documents to PDF within {timeout} s",
                                 "close other LibreOffice windows and build again") from None
        outputs = [folder / "out" / (name.stem + ".pdf") for name in names]
        missing = [index for index, pdf in enumerate(outputs) if not pdf.is_file()]
        if missing:
            detail = (result.stderr or result.stdout).decode("utf-8", "replace").strip()
            detail = detail.splitlines()[-1] if detail else ""
            others = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
            problem = (failed(missing[0], detail) if failed else
                       Problem(where, "LibreOffice made no PDF"
                               + (f": {detail}" if detail else ""), ""))
            raise OutputError([Problem(problem.location, problem.message + others,
                                       "run `soffice --headless --convert-to pdf` on the "
                                       ".docx to see LibreOffice's own message")])
        return [pdf.read_bytes() for pdf in outputs]


def write_jobs(jobs: Sequence[Job]) -> list[bytes]:
    """The PDFs of prepared jobs: one LibreOffice run per set of export options, normalised."""
    out: list[bytes] = [b""] * len(jobs)
    for pdf_a in sorted({job.pdf_a for job in jobs}):
        chosen = [index for index, job in enumerate(jobs) if job.pdf_a == pdf_a]

        def failed(index: int, detail: str, chosen: list[int] = chosen) -> Problem:
            job = jobs[chosen[index]]
            return Problem(job.where, "LibreOffice made no PDF"
                           + (f" of {job.label}" if job.label else "")
                           + (f": {detail}" if detail else ""))

        pdfs = convert([jobs[index].package for index in chosen], pdf_a=pdf_a, failed=failed,
                       where=jobs[chosen[0]].where)
        for index, pdf in zip(chosen, pdfs, strict=True):
            out[index] = normalized(pdf, jobs[index].effective_date)
    return out


def write_files(items: Sequence[tuple[Document, Assets]]) -> list[bytes]:
    """The registry's batch entry point: one LibreOffice run for every document."""
    return write_jobs([prepare(document, assets) for document, assets in items])


def write_file(document: Document, assets: Assets) -> bytes:
    """The registry's entry point for one document."""
    return write_files([(document, assets)])[0]

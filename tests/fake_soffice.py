"""A stand-in for LibreOffice's `soffice --convert-to pdf`, and PDFs laid out as it writes them.

`install(folder)` puts an executable `soffice` into folder that writes, for every .docx on its
command line, a small PDF the way LibreOffice 7 lays one out (objects, one classic xref table,
a trailer with /ID and /DocChecksum), stamped like LibreOffice with the time of conversion and
a random file id, and in PDF/A mode with an XMP packet and a colour profile made "now". Each
run appends one line to $FAKE_SOFFICE_LOG: the number of files and whether PDF/A was asked.
$FAKE_SOFFICE_FAIL=<n> makes it write no PDF for its n-th file (0-based) and complain.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import stat
import struct
import sys
import uuid
import zlib
from pathlib import Path


def icc_profile(when: datetime.datetime) -> bytes:
    """An ICC header (128 bytes) and a little body, made at `when` like lcms makes sRGB."""
    header = bytearray(128)
    struct.pack_into(">I", header, 0, 200)
    header[4:8] = b"lcms"
    header[12:16] = b"mntr"
    header[16:20] = b"RGB "
    header[20:24] = b"XYZ "
    struct.pack_into(">6H", header, 24, when.year, when.month, when.day, when.hour,
                     when.minute, when.second)
    header[36:40] = b"acsp"
    return bytes(header) + b"\0\0\0\0" + b"sRGB body" * 8


def lo_pdf(content: bytes, *, when: datetime.datetime | None = None, ident: bytes | None = None,
           pdf_a: bool = False) -> bytes:
    """A one-page PDF with LibreOffice's layout; `content` goes into the page's stream."""
    when = when or datetime.datetime.now(datetime.UTC)
    ident = ident or os.urandom(16)
    stream = zlib.compress(b"BT /F1 12 Tf 72 700 Td (" + content + b") Tj ET")
    objects: list[bytes] = [
        b"<</Type/Catalog/Pages 2 0 R/Lang(en-US)"
        + (b"/Metadata 6 0 R/OutputIntents[8 0 R]" if pdf_a else b"") + b">>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R"
        b"/Annots[<</Type/Annot/Subtype/Link/M(D:" + when.strftime("%Y%m%d%H%M%S").encode()
        + b"Z')/Rect[0 0 1 1]>>]>>",
        b"<</Length " + str(len(stream)).encode() + b"/Filter/FlateDecode>>\nstream\n" + stream
        + b"\nendstream",
        b"<</Producer<FEFF004C>/CreationDate(D:" + when.strftime("%Y%m%d%H%M%S").encode()
        + b"+01'00')>>",
    ]
    if pdf_a:
        xmp = (b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
               b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description '
               b'xmlns:xmp="http://ns.adobe.com/xap/1.0/"><xmp:CreateDate>'
               + when.strftime("%Y-%m-%dT%H:%M:%SZ").encode() + b"</xmp:CreateDate>"
               b"<xmpMM:DocumentID>uuid:" + str(uuid.uuid4()).encode()
               + b"</xmpMM:DocumentID></rdf:Description></rdf:RDF></x:xmpmeta>\n"
               + b" " * 100 + b'\n<?xpacket end="w"?>')
        icc = zlib.compress(icc_profile(when))
        objects += [
            b"<</Type/Metadata/Subtype/XML/Length " + str(len(xmp)).encode()
            + b">>\nstream\n" + xmp + b"\nendstream",
            b"<</N 3/Length 9 0 R/Filter/FlateDecode>>\nstream\n" + icc + b"\nendstream",
            b"<</Type/OutputIntent/S/GTS_PDFA1/DestOutputProfile 7 0 R>>",
            str(len(icc)).encode(),
        ]
    out = bytearray(b"%PDF-1.6\n%\xc3\xa4\xc3\xbc\xc3\xb6\xc3\x9f\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    checksum = hashlib.md5(bytes(out) + when.isoformat().encode()).hexdigest().upper().encode()
    out += (b"trailer\n<</Size %d/Root 1 0 R\n/Info 5 0 R\n/ID [ <%s>\n<%s> ]\n"
            b"/DocChecksum /%s\n>>\nstartxref\n%d\n%%%%EOF\n"
            % (len(objects) + 1, ident.hex().upper().encode(), ident.hex().upper().encode(),
               checksum, xref))
    return bytes(out)


def main(argv: list[str]) -> int:
    """soffice --headless ... --convert-to <filter> --outdir <folder> a.docx b.docx ..."""
    outdir = Path(argv[argv.index("--outdir") + 1])
    conversion = argv[argv.index("--convert-to") + 1]
    files = [Path(a) for a in argv if a.endswith(".docx")]
    pdf_a = '"SelectPdfVersion":{"type":"long","value":"2"}' in conversion
    log = os.environ.get("FAKE_SOFFICE_LOG")
    if log:
        with Path(log).open("a", encoding="utf-8") as handle:
            handle.write(f"{len(files)} {'pdf/a' if pdf_a else 'pdf'}\n")
    fail = int(os.environ.get("FAKE_SOFFICE_FAIL", "-1"))
    outdir.mkdir(parents=True, exist_ok=True)
    for index, docx in enumerate(files):
        if index == fail:
            print(f"Error: source file could not be loaded: {docx}", file=sys.stderr)
            continue
        content = hashlib.sha256(docx.read_bytes()).hexdigest().encode()
        (outdir / (docx.stem + ".pdf")).write_bytes(lo_pdf(content, pdf_a=pdf_a))
    return 1 if fail >= 0 else 0


def install(folder: Path) -> Path:
    """An executable `soffice` in folder that runs main() with this interpreter."""
    folder.mkdir(parents=True, exist_ok=True)
    program = folder / "soffice"
    root = Path(__file__).resolve().parent.parent
    program.write_text(f"#!{sys.executable}\nimport sys\nsys.path.insert(0, {str(root)!r})\n"
                       "from tests.fake_soffice import main\nsys.exit(main(sys.argv[1:]))\n",
                       encoding="utf-8")
    program.chmod(program.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return program


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

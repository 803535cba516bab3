"""Hostile and damaged .docx files, made with zipfile: templates and reviewed drafts.

`package` writes any entries (names, bytes, flags) into a zip; `template` starts from the
bundled reference and replaces or adds parts; `damage_crc` and `encrypt_flag` spoil an entry
after the fact. The catalogue's .docx materials and the fuzz targets are made from these.
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Mapping

from policygen.resources import REFERENCE_DOCX

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def package(entries: Mapping[str, bytes | str]) -> bytes:
    """A zip of the entries in the given order (str entries are UTF-8 encoded)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)),
                             data.encode("utf-8") if isinstance(data, str) else data,
                             compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def bundled_parts() -> dict[str, bytes]:
    """The parts of the bundled reference .docx."""
    with zipfile.ZipFile(REFERENCE_DOCX) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def template(replace: Mapping[str, bytes | str] | None = None,
             drop: tuple[str, ...] = ()) -> bytes:
    """The bundled reference with parts replaced, added or dropped."""
    parts: dict[str, bytes | str] = {k: v for k, v in bundled_parts().items() if k not in drop}
    parts.update(replace or {})
    return package(parts)


def styles(*style_xml: str, prefix: str = "w", extra: str = "") -> str:
    """A styles part holding the given <w:style> elements (written with `prefix`)."""
    body = "".join(style_xml)
    if prefix != "w":
        body = body.replace("<w:", f"<{prefix}:").replace("</w:", f"</{prefix}:") \
            .replace(" w:", f" {prefix}:")
    return (f'{DECL}<{prefix}:styles xmlns:{prefix}="{W}"{extra}>{body}</{prefix}:styles>')


def style(style_id: str, name: str, kind: str = "paragraph", inner: str = "") -> str:
    """One <w:style> element (style_id and name are inserted as given: escape them yourself)."""
    return (f'<w:style w:type="{kind}" w:styleId="{style_id}"><w:name w:val="{name}"/>'
            f"{inner}</w:style>")


REQUIRED = [("Title", "Title"), ("Subtitle", "Subtitle"), ("Heading1", "heading 1"),
            ("Heading2", "heading 2"), ("ListBullet", "List Bullet"),
            ("ListNumber", "List Number"), ("Header", "header"), ("Footer", "footer")]


def every_style(**renamed: str) -> list[str]:
    """The styles policygen needs, with some ids replaced (keyword: name -> new id)."""
    out = [style(renamed.get(name, style_id), name) for style_id, name in REQUIRED]
    out.append(style(renamed.get("Table Grid", "TableGrid"), "Table Grid", "table"))
    return out


def _entry_offsets(data: bytes, name: str) -> tuple[int, int]:
    """The offsets of an entry's local header and of its central directory record."""
    raw = name.encode()
    local = data.index(b"PK\x03\x04")
    while data[local + 30:local + 30 + len(raw)] != raw:
        local = data.index(b"PK\x03\x04", local + 4)
    central = data.index(b"PK\x01\x02")
    while data[central + 46:central + 46 + len(raw)] != raw:
        central = data.index(b"PK\x01\x02", central + 4)
    return local, central


def damage_crc(data: bytes, name: str) -> bytes:
    """The archive with the CRC-32 of one entry wrong (in both headers)."""
    local, central = _entry_offsets(data, name)
    out = bytearray(data)
    (crc,) = struct.unpack_from("<I", out, local + 14)
    struct.pack_into("<I", out, local + 14, crc ^ 0xFFFF)
    struct.pack_into("<I", out, central + 16, crc ^ 0xFFFF)
    return bytes(out)


def encrypt_flag(data: bytes, name: str) -> bytes:
    """The archive with one entry flagged as encrypted (general purpose bit 0)."""
    local, central = _entry_offsets(data, name)
    out = bytearray(data)
    for offset in (local + 6, central + 8):
        (flags,) = struct.unpack_from("<H", out, offset)
        struct.pack_into("<H", out, offset, flags | 0x1)
    return bytes(out)


def draft(document_body: str, comments: str) -> bytes:
    """A minimal reviewed draft: a document body and a comments part."""
    return package({
        "[Content_Types].xml": f'{DECL}<Types xmlns="http://schemas.openxmlformats.org/'
                               'package/2006/content-types"/>',
        "word/document.xml": f'{DECL}<w:document xmlns:w="{W}"><w:body>{document_body}'
                             "</w:body></w:document>",
        "word/comments.xml": f'{DECL}<w:comments xmlns:w="{W}">{comments}</w:comments>',
    })


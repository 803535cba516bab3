"""Reading a .docx nobody vouches for: a company's template, a draft back from reviewers.

The archive is checked before anything is read (entry names, encryption, compression
method, sizes), each part is read with its CRC checked, decoded as UTF-8 and parsed without
DTDs, entities or network access. `rebuild` then re-emits an element tree through a whitelist
of namespaces, with policygen's own prefixes, so that nothing the whitelist does not name
(foreign namespaces, markup-compatibility tricks, processing instructions, comments,
a DOCTYPE) survives. Every failure is a `DamagedPackage` with a message and a hint.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # lxml is imported only when a .docx is read (a cache miss)
    from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
XML_DECL = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
MAX_TOTAL_BYTES = 64 * 1024 * 1024
MAX_RATIO = 200
MAX_ENTRIES = 2000
# Part names an Office package uses: no `..`, no absolute path, no backslash, no control chars.
_PART_NAME = re.compile(r"(?:\[Content_Types\]\.xml|[A-Za-z0-9_\-][A-Za-z0-9_.\-]{0,99}"
                        r"(?:/[A-Za-z0-9_\-][A-Za-z0-9_.\-]{0,99}){0,7})")
_DECLARATION = re.compile(rb"\A<\?xml\b[^>]{0,200}\?>")
_ENCODING = re.compile(rb"""encoding\s*=\s*["']([A-Za-z0-9._\-]{1,40})["']""")
_HINT = "open the file in Word and save it again as 'Word Document (*.docx)'"


class DamagedPackage(Exception):
    """A .docx that cannot be read safely; the caller adds the location."""

    def __init__(self, message: str, hint: str = _HINT) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def quote(text: str, limit: int = 60) -> str:
    """A name from the package as a message may show it: printable, at most `limit` chars."""
    shown = "".join(c if c.isprintable() else "?" for c in text[:limit])
    return shown + ("…" if len(text) > limit else "")


def is_part_name(name: str) -> bool:
    """Whether a zip entry name is an ordinary part name inside the package."""
    return _PART_NAME.fullmatch(name) is not None


class Package:
    """The entries of a checked archive; parts are read (and CRC-checked) on demand."""

    def __init__(self, data: bytes) -> None:
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
            raise DamagedPackage("not a Word document (.docx is a zip archive)",
                                 "save the template in Word as 'Word Document (*.docx)'"
                                 ) from None
        if len(infos) > MAX_ENTRIES:
            raise DamagedPackage(f"the archive has {len(infos):,} entries; a Word document "
                                 f"has a few dozen", "use an ordinary Word document")
        total = sum(info.file_size for info in infos)
        packed = sum(info.compress_size for info in infos) or 1
        if total > MAX_TOTAL_BYTES or total / packed > MAX_RATIO:
            raise DamagedPackage(f"archive expands to {total:,} bytes "
                                 f"({total / packed:.0f}x its size); refusing to unpack it",
                                 "use an ordinary Word template of a few hundred kilobytes")
        self._infos: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            if info.is_dir() or not is_part_name(info.filename):
                continue  # `../evil.txt`, absolute names, folders: never read, never copied
            if info.filename in self._infos:
                raise DamagedPackage(f"the archive holds {quote(info.filename)} twice")
            self._infos[info.filename] = info

    @property
    def names(self) -> frozenset[str]:
        """The part names that passed the checks."""
        return frozenset(self._infos)

    def read(self, name: str) -> bytes | None:
        """The bytes of a part (None when absent); raise DamagedPackage when damaged."""
        info = self._infos.get(name)
        if info is None:
            return None
        if info.flag_bits & 0x1:
            raise DamagedPackage(f"{quote(name)} is encrypted",
                                 "remove the password protection in Word and save it again")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise DamagedPackage(f"{quote(name)} uses compression method "
                                 f"{info.compress_type}, which Word does not write")
        try:
            with self._zip.open(info) as handle:
                data = handle.read(info.file_size + 1)
        except zipfile.BadZipFile as exc:
            reason = "bad CRC" if "CRC" in str(exc) else "damaged entry"
            raise DamagedPackage(f"{quote(name)} is damaged ({reason})") from None
        except (zlib.error, EOFError, OSError, ValueError, RuntimeError,
                NotImplementedError):
            raise DamagedPackage(f"{quote(name)} is damaged (cannot be decompressed)") from None
        if len(data) != info.file_size:
            raise DamagedPackage(f"{quote(name)} is damaged (its size is not the declared one)")
        return data


def parse_xml(data: bytes, name: str) -> etree._Element:
    """Parse a part as UTF-8 XML without DTDs, entities or network access."""
    skipped = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    data = data[skipped:]
    declaration = _DECLARATION.match(data)
    if declaration:
        encoding = _ENCODING.search(declaration.group())
        if encoding and encoding.group(1).decode().lower().replace("_", "-") not in (
                "utf-8", "utf8"):
            raise DamagedPackage(f"{quote(name)} is encoded as "
                                 f"{quote(encoding.group(1).decode(), 20)}, not UTF-8")
        skipped += declaration.end()
        data = data[declaration.end():]
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DamagedPackage(f"{quote(name)} is not UTF-8 text (byte 0x{data[exc.start]:02x} "
                             f"at offset {skipped + exc.start})") from None
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             dtd_validation=False, huge_tree=False, remove_comments=True,
                             remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise DamagedPackage(f"{quote(name)} is not well-formed XML: "
                             f"{quote(str(exc), 100)}") from None
    if root is None:
        raise DamagedPackage(f"{quote(name)} is empty")
    return root


def namespace(name: str) -> str | None:
    """The namespace of a Clark name (`{uri}local`); None for a plain or unbound name."""
    return name[1:].partition("}")[0] if name.startswith("{") else None


def local_name(name: str) -> str:
    """The local part of a Clark name (an unbound `x:name` stays as it is)."""
    return name.rpartition("}")[2]


@dataclass(frozen=True)
class Whitelist:
    """What `rebuild` keeps: namespaces (with the prefixes emitted) and what to drop."""

    prefixes: Mapping[str, str]  # namespace URI -> prefix policygen writes
    element_namespaces: frozenset[str]
    attribute_namespaces: frozenset[str]  # "" admits unqualified attributes
    drop: frozenset[str] = frozenset()  # Clark names dropped with everything inside
    keep_attribute: Callable[[str, str, str], bool] | None = None  # (element, attr, value)


def rebuild(root: etree._Element, rules: Whitelist) -> etree._Element:
    """A fresh tree holding only what the whitelist admits, with policygen's prefixes."""
    from lxml import etree

    nsmap = {prefix: uri for uri, prefix in rules.prefixes.items()}

    def admitted(element: etree._Element) -> bool:
        return (isinstance(element.tag, str) and element.tag not in rules.drop
                and namespace(element.tag) in rules.element_namespaces)

    def copy_into(source: etree._Element, target: etree._Element) -> None:
        for key, value in source.attrib.items():
            if ":" in key and not key.startswith("{"):
                continue  # a prefix nobody declared
            if (namespace(str(key)) or "") not in rules.attribute_namespaces:
                continue
            if rules.keep_attribute is not None and not rules.keep_attribute(
                    str(source.tag), str(key), str(value)):
                continue
            target.set(key, value)
        if source.text and source.text.strip() and len(source) == 0:
            target.text = source.text
        for child in source:
            if admitted(child):
                copy_into(child, etree.SubElement(target, child.tag))

    if not admitted(root):
        raise DamagedPackage(f"unexpected root element {quote(local_name(str(root.tag)))}")
    fresh = etree.Element(root.tag, nsmap=nsmap)
    copy_into(root, fresh)
    return fresh


def serialise(root: etree._Element) -> bytes:
    """The tree as a standalone UTF-8 part."""
    from lxml import etree

    text: bytes = etree.tostring(root, encoding="UTF-8")
    return XML_DECL + text


def children(root: etree._Element, local: str, namespace: str = W_NS) -> list[etree._Element]:
    """The direct children of root with a local name."""
    return list(root.findall(f"{{{namespace}}}{local}"))

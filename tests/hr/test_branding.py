"""The logo (validated, placed as a real image part), the TOC field, updateFields, numbering."""

from __future__ import annotations

import io
import re
import shutil
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path

import docx
import pytest

from policygen.builds import render as rendering
from policygen.core import clauses
from policygen.errors import BrandingError, Location
from policygen.hr import branding
from policygen.writers.docx import toc_and_logo
from tests.conftest import FIXTURE_LIBRARY, FIXTURES, LIB_ONLY, write

MINIMAL = FIXTURES / "profiles" / "minimal.yaml"


def png(width: int, height: int, colour: tuple[int, int, int] = (31, 56, 100)) -> bytes:
    """A real, solid-colour RGB PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + \
            struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + bytes(colour) * width
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(row * height)) + chunk(b"IEND", b""))


def jpeg_header(width: int, height: int) -> bytes:
    """The start of a baseline JPEG: SOI, an APP0 segment, and the SOF0 frame header."""
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof0 = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof0 + b"\xff\xd9"


def profile_with_logo(tmp_path: Path, name: str = "logo.png") -> Path:
    return write(tmp_path / "p.yaml", MINIMAL.read_text(encoding="utf-8")
                 + f"branding:\n  logo: {name}\n")


def render(profile: Path, names: tuple[str, ...] = ("employees",)) -> dict[str, bytes]:
    outputs = rendering.render_all(clauses.load_library(FIXTURE_LIBRARY),
                               rendering.load_profiles([profile]),
                               rendering.Selection(formats=("docx",)))
    return {Path(o.relpath).name.split(".")[0]: o.data for o in outputs
            if Path(o.relpath).name.split(".")[0] in names}


def test_logo_is_a_real_image_part_on_the_title_page_and_in_the_header(tmp_path: Path) -> None:
    image = png(300, 100)
    (tmp_path / "logo.png").write_bytes(image)
    data = render(profile_with_logo(tmp_path))["employees"]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.read("word/media/logo.png") == image
        types = archive.read("[Content_Types].xml").decode()
        header_rels = archive.read("word/_rels/header1.xml.rels").decode()
        header = archive.read("word/header1.xml").decode()
    assert '<Default Extension="png" ContentType="image/png"/>' in types
    assert 'Id="rIdLogo"' in header_rels and 'Target="media/logo.png"' in header_rels
    assert 'r:embed="rIdLogo"' in header
    document = docx.Document(io.BytesIO(data))
    shapes = document.inline_shapes
    assert len(shapes) == 1  # the title page; the header's picture is in the header part
    assert shapes[0].width == 7 * toc_and_logo.EMU_PER_CM  # 3:1 fits the 7 x 3 cm box by width
    assert shapes[0].height == shapes[0].width // 3
    header_image = document.sections[0].header.part.related_parts["rIdLogo"]
    assert header_image.blob == image


def test_handouts_carry_the_logo_in_the_header(tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(png(100, 100))
    data = render(profile_with_logo(tmp_path), ("employees-summary",))["employees-summary"]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "w:drawing" in archive.read("word/header1.xml").decode()
        assert "<w:titlePg/>" not in archive.read("word/document.xml").decode()


@pytest.mark.parametrize(("content", "message"), [
    (b"GIF89a\x01\x00\x01\x00", "logo logo.png is not a PNG or JPEG image"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dXXXX", "logo logo.png is a damaged PNG file"),
    (png(1, 1)[:16] + struct.pack(">II", 20000, 10), "logo logo.png is 20000x10 pixels; "
     "each side must be between 1 and 10,000"),
    (b"\xff\xd8\xff\xe0\x00\x02\xff\xd9", "logo logo.png is a damaged JPEG file"),
])
def test_unusable_logo_is_located(tmp_path: Path, cli, content: bytes, message: str) -> None:
    (tmp_path / "logo.png").write_bytes(content)
    result = cli("build", str(profile_with_logo(tmp_path)), "--out", str(tmp_path / "out"),
                 *LIB_ONLY, str(FIXTURE_LIBRARY))
    assert result.code == 1
    assert f"p.yaml:27:9: {message}\n" in result.err
    assert not (tmp_path / "out").exists()


def test_missing_and_oversized_logo(tmp_path: Path, cli) -> None:
    profile = profile_with_logo(tmp_path, "brand/logo.png")
    result = cli("build", str(profile), "--out", str(tmp_path / "out"), *LIB_ONLY,
                 str(FIXTURE_LIBRARY))
    assert result.code == 1
    assert result.err.endswith("p.yaml:27:9: logo not found: brand/logo.png\n"
                               "    hint: the path is relative to the profile's folder\n")
    (tmp_path / "brand").mkdir()
    (tmp_path / "brand" / "logo.png").write_bytes(png(10, 10) + b"\0" * (2 * 1024 * 1024))
    result = cli("build", str(profile), "--out", str(tmp_path / "out"), *LIB_ONLY,
                 str(FIXTURE_LIBRARY))
    assert result.code == 1
    assert "p.yaml:27:9: logo brand/logo.png has 2,097," in result.err
    assert "bytes, more than the 2,097,152 allowed\n    hint: use a PNG or JPEG file" in result.err
    assert not (tmp_path / "out").exists()


def test_jpeg_size_is_read_from_its_frame_header() -> None:
    image = branding.parse_image(jpeg_header(640, 200), "logo.jpg", Location("p.yaml", 1, 1))
    assert (image.format, image.width, image.height) == ("jpeg", 640, 200)
    with pytest.raises(BrandingError, match="logo.jpg is a damaged JPEG file"):
        branding.parse_image(jpeg_header(640, 200)[:20], "logo.jpg", Location("p.yaml", 1, 1))


def test_contents_link_bookmarked_headings_and_carry_page_fields() -> None:
    data = render(MINIMAL)["employees"]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        body = archive.read("word/document.xml").decode()
        settings = archive.read("word/settings.xml").decode()
    anchors = re.findall(r'<w:hyperlink w:anchor="(_Toc[\d_]+)"', body)
    bookmarks = re.findall(r'<w:bookmarkStart w:id="\d+" w:name="(_Toc[\d_]+)"/>', body)
    assert anchors == bookmarks and len(anchors) >= 3
    assert re.findall(r" PAGEREF (_Toc[\d_]+) \\h ", body) == anchors
    document = docx.Document(io.BytesIO(data))
    toc = [p.text for p in document.paragraphs if p.style.name in ("toc 1", "toc 2")]
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")
                and p.style.name != "Heading 3"]
    assert [entry.split("\t")[1] for entry in toc] == headings
    assert toc[0].startswith("1\t") and toc[1].startswith("1.1\t")
    assert re.search(r'<w:updateFields w:val="true"/><w:compat>', settings)


@pytest.mark.parametrize(("settings", "expected"), [
    ('<w:settings xmlns:w="x"/>', '<w:autoHyphenation w:val="true"/><w:updateFields '
                                  'w:val="true"/>'),
    ('<w:settings xmlns:w="x"><w:zoom/><w:rsids/><w:compat/></w:settings>',
     '<w:zoom/><w:autoHyphenation w:val="true"/><w:updateFields w:val="true"/><w:rsids/>'
     '<w:compat/>'),
    ('<w:settings xmlns:w="x"><w:defaultTabStop/><w:updateFields w:val="false"/>'
     '<w:themeFontLang w:val="en-US"/></w:settings>',
     '<w:defaultTabStop/><w:autoHyphenation w:val="true"/><w:updateFields w:val="true"/>'
     '<w:themeFontLang w:val="de-AT"/>'),
])
def test_settings_go_where_the_schema_wants_them(settings: str, expected: str) -> None:
    from policygen.writers.docx import styles

    xml = settings.replace('xmlns:w="x"', f'xmlns:w="{styles.W_NS}"').encode()
    fitted = styles.fitted_settings(xml, "de-AT", True).decode()
    inner = re.sub(r"^.*?<w:settings[^>]*>|</w:settings>$", "", fitted, flags=re.S)
    assert inner == expected


def test_headings_are_numbered_by_word_and_footer_counts_pages() -> None:
    data = render(MINIMAL)["employees"]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        body = archive.read("word/document.xml").decode()
        numbering = archive.read("word/numbering.xml").decode()
        footer = archive.read("word/footer1.xml").decode()
        styles = archive.read("word/styles.xml").decode()
    headings = re.findall(r'w:styleId="Heading([12])">.*?<w:numPr><w:ilvl w:val="(\d)"/>'
                          r'<w:numId w:val="9101"/>', styles)
    assert sorted(headings) == [("1", "0"), ("2", "1")]
    assert 'w:val="Heading1"/></w:pPr>' in body
    assert '<w:lvlText w:val="%1.%2"/>' in numbering
    assert re.search(r"Page </w:t></w:r>.*PAGE .* of </w:t></w:r>.*NUMPAGES", footer)


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdfimages") is None,
                    reason="LibreOffice or poppler is not installed")
def test_libreoffice_shows_the_logo(tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(png(240, 80, (200, 30, 30)))
    target = tmp_path / "guideline.docx"
    target.write_bytes(render(profile_with_logo(tmp_path))["employees"])
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(target)], check=True, capture_output=True, timeout=120,
                   env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin:/usr/local/bin"})
    listing = subprocess.run(["pdfimages", "-list", str(tmp_path / "guideline.pdf")],
                             check=True, capture_output=True, text=True).stdout
    pages = [int(line.split()[0]) for line in listing.splitlines()[2:]]
    assert 1 in pages and 2 in pages  # title page, and the header of the next page

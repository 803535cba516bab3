"""A company template's header, footer and fonts reach the documents; nothing unsafe does."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from policygen.builds import render
from policygen.core import clauses
from policygen.writers.docx import reference as docx_reference
from tests import docx_inputs
from tests.conftest import FIXTURE_LIBRARY, FIXTURES, write

W, R = docx_inputs.W, docx_inputs.R
DECL = docx_inputs.DECL
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MINIMAL = FIXTURES / "profiles" / "minimal.yaml"


def _field(instruction: str, result: str) -> str:
    return (f'<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>{instruction}'
            '</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            f'<w:r><w:t>{result}</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>')


HEADER = (
    f'{DECL}<w:hdr xmlns:w="{W}" xmlns:r="{R}"><w:p><w:pPr><w:pStyle w:val="Header"/>'
    '<w:jc w:val="center"/><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr>'
    '<w:r><w:rPr><w:rFonts w:ascii="Courier New" w:hAnsi="Courier New"/><w:b/>'
    '<w:sz w:val="16"/><w:rStyle w:val="Missing"/></w:rPr><w:t>ACME Konzern</w:t></w:r>'
    '<w:r><w:rPr><w:color w:val="red;x"/><w:i/><w:sz w:val="huge"/><w:u w:val="single"/>'
    '</w:rPr><w:t xml:space="preserve"> · Vertraulich </w:t></w:r>'
    + _field(' INCLUDEPICTURE "http://tracker.example/pixel.png" ', "PIXEL")
    + _field(" PAGE ", "77")
    + '<w:fldSimple w:instr=" AUTHOR "><w:r><w:t>SIMPLE</w:t></w:r></w:fldSimple>'
    '<w:hyperlink r:id="rIdLink"><w:r><w:t>Intranet</w:t></w:r></w:hyperlink>'
    '<w:r><w:drawing><w:t>IN A PICTURE</w:t></w:drawing></w:r>'
    '</w:p><w:p/></w:hdr>')
FOOTER = (f'{DECL}<w:ftr xmlns:w="{W}"><w:p><w:r><w:rPr><w:color w:val="808080"/></w:rPr>'
          '<w:t>ACME GmbH · Sitz Köln · HRB 4711</w:t></w:r></w:p></w:ftr>')
DOCUMENT = (f'{DECL}<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body><w:p/><w:sectPr>'
            '<w:headerReference w:type="first" r:id="rIdExternal"/>'
            '<w:headerReference w:type="default" r:id="rIdHeader"/>'
            '<w:footerReference w:type="default" r:id="rIdFooter"/>'
            '<w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>')


def _template(header: str = HEADER, target: str = "header1.xml") -> bytes:
    parts = docx_inputs.bundled_parts()
    rels = parts["word/_rels/document.xml.rels"].decode().replace(
        "</Relationships>",
        f'<Relationship Id="rIdHeader" Type="{REL}/header" Target="{target}"/>'
        f'<Relationship Id="rIdFooter" Type="{REL}/footer" Target="footer1.xml"/>'
        f'<Relationship Id="rIdExternal" Type="{REL}/header" '
        'Target="http://tracker.example/header.xml" TargetMode="External"/>'
        f'<Relationship Id="rIdLink" Type="{REL}/hyperlink" Target="http://intranet.example/" '
        'TargetMode="External"/></Relationships>')
    styles = parts["word/styles.xml"].decode().replace("Calibri", "Georgia")
    return docx_inputs.template({"word/document.xml": DOCUMENT, "word/header1.xml": header,
                                 "word/footer1.xml": FOOTER,
                                 "word/_rels/document.xml.rels": rels,
                                 "word/styles.xml": styles})


def test_the_templates_header_footer_and_fonts_reach_every_document(tmp_path: Path) -> None:
    (tmp_path / "acme.docx").write_bytes(_template())
    profile = write(tmp_path / "p.yaml", MINIMAL.read_text(encoding="utf-8")
                    + "branding:\n  reference_docx: acme.docx\n")
    outputs = render.render_all(clauses.load_library(FIXTURE_LIBRARY),
                                render.load_profiles([profile]),
                                render.Selection(formats=("docx",)))
    assert outputs
    for output in outputs:
        package = zipfile.ZipFile(io.BytesIO(output.data))
        header = package.read("word/header1.xml").decode()
        footer = package.read("word/footer1.xml").decode()
        # the template's line first, with its font, size and alignment, in the document's language
        own = header.index("ACME Konzern")
        assert own < header.index("Minimal GmbH"), output.relpath
        assert ('<w:p><w:pPr><w:pStyle w:val="Header"/><w:jc w:val="center"/></w:pPr><w:r><w:rPr>'
                '<w:rFonts w:ascii="Courier New" w:hAnsi="Courier New"/><w:b/><w:sz w:val="16"/>'
                f'<w:lang w:val="{"de-DE" if output.language == "de" else "en-GB"}"/></w:rPr>'
                '<w:t xml:space="preserve">ACME Konzern</w:t></w:r>') in header
        assert "Vertraulich" in header and "Intranet" in header
        # values Word would refuse go with their element; valid ones stay
        assert ('<w:rPr><w:i/><w:u w:val="single"/><w:lang w:val=') in header
        assert "red;x" not in header and "huge" not in header
        for unsafe in ("tracker.example", "INCLUDEPICTURE", "PIXEL", "77", "SIMPLE",
                       "IN A PICTURE", "numPr", "Missing", "r:id=\"rIdLink\"", "intranet.example"):
            assert unsafe not in header, (unsafe, output.relpath)
        # the footer's company line under policygen's version and page line
        assert footer.index("NUMPAGES") < footer.index("Sitz Köln · HRB 4711")
        assert '<w:color w:val="808080"/>' in footer
        assert "Georgia" in package.read("word/styles.xml").decode()
        rels = package.read("word/_rels/document.xml.rels").decode()
        assert "tracker.example" not in rels and "intranet.example" not in rels


def test_a_template_without_header_keeps_policygens_alone() -> None:
    reference = docx_reference.parse_reference(docx_inputs.template(), "plain.docx")
    assert reference.header == "" and reference.footer == ""


def test_header_text_is_bounded() -> None:
    long_header = (f'{DECL}<w:hdr xmlns:w="{W}">'
                   + "".join(f"<w:p><w:r><w:t>{'x' * 300}</w:t></w:r></w:p>" for _ in range(40))
                   + "</w:hdr>")
    parsed = docx_reference.parse_reference(_template(long_header), "long.docx")
    assert parsed.header.count("<w:p>") <= 12
    text = "".join(re.findall(r"<w:t [^>]*>([^<]*)</w:t>", parsed.header))
    assert 1900 <= len(text) <= 2000


def test_a_header_part_outside_the_package_is_not_followed() -> None:
    parsed = docx_reference.parse_reference(_template(target="../../header1.xml"),
                                            "outside.docx")
    assert parsed.header == ""
    assert "Sitz Köln" in parsed.footer

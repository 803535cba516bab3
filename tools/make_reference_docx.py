"""Write policygen/data/reference.docx, the bundled Word design (styles, numbering, page setup).

Run `make reference` after changing this file; the result is committed so that builds do not
depend on this script. Companies replace the design with `branding.reference_docx`.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from policygen.writers.docx.package import write_zip  # noqa: E402

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
HEADING_COLOUR = "1F3864"
ACCENT = "2E75B6"
FONT = "Calibri"
TEXT_WIDTH = 9412  # A4 (11906) minus left and right margins (1247 each), in twips
RULE = "BFBFBF"


def _style(kind: str, style_id: str, name: str, body: str, based: str = "",
           default: bool = False, extra: str = "") -> str:
    based_xml = f'<w:basedOn w:val="{based}"/>' if based else ""
    default_xml = ' w:default="1"' if default else ""
    return (f'<w:style w:type="{kind}"{default_xml} w:styleId="{style_id}">'
            f'<w:name w:val="{name}"/>{based_xml}{extra}<w:qFormat/>{body}</w:style>')


def _heading(level: int, size: int, before: int, after: int, colour: str) -> str:
    rule = (f'<w:pBdr><w:bottom w:val="single" w:sz="4" w:space="4" w:color="{RULE}"/></w:pBdr>'
            if level == 1 else "")
    return _style(
        "paragraph", f"Heading{level}", f"heading {level}",
        f'<w:pPr><w:keepNext/><w:keepLines/>{rule}'
        f'<w:spacing w:before="{before}" w:after="{after}"/>'
        f'<w:outlineLvl w:val="{level - 1}"/></w:pPr>'
        f'<w:rPr><w:b/><w:color w:val="{colour}"/><w:sz w:val="{size}"/>'
        f'<w:szCs w:val="{size}"/></w:rPr>',
        based="Normal", extra='<w:next w:val="Normal"/>')


STYLES = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles {W}>'
    f'<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" '
    f'w:eastAsia="{FONT}" w:cs="{FONT}"/><w:sz w:val="22"/><w:szCs w:val="22"/>'
    '<w:lang w:val="en-GB" w:eastAsia="en-US" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
    '<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="276" w:lineRule="auto"/></w:pPr>'
    '</w:pPrDefault></w:docDefaults>'
    + _style("paragraph", "Normal", "Normal", "", default=True)
    + _style("paragraph", "Title", "Title",
             '<w:pPr><w:pBdr><w:bottom w:val="single" w:sz="18" w:space="6" '
             f'w:color="{ACCENT}"/></w:pBdr><w:spacing w:before="2400" w:after="240"/></w:pPr>'
             f'<w:rPr><w:b/><w:color w:val="{HEADING_COLOUR}"/><w:sz w:val="52"/>'
             '<w:szCs w:val="52"/></w:rPr>', based="Normal")
    + _style("paragraph", "Subtitle", "Subtitle",
             '<w:pPr><w:spacing w:after="480"/></w:pPr>'
             f'<w:rPr><w:color w:val="{ACCENT}"/><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr>',
             based="Normal")
    + _heading(1, 32, 360, 120, HEADING_COLOUR)
    + _heading(2, 26, 240, 80, ACCENT)
    + _heading(3, 22, 200, 60, HEADING_COLOUR)
    + _style("paragraph", "ListBullet", "List Bullet",
             '<w:pPr><w:spacing w:after="60"/><w:ind w:left="720" w:hanging="360"/></w:pPr>',
             based="Normal")
    + _style("paragraph", "ListNumber", "List Number",
             '<w:pPr><w:spacing w:after="60"/><w:ind w:left="720" w:hanging="360"/></w:pPr>',
             based="Normal")
    + _style("paragraph", "Header", "header",
             f'<w:pPr><w:pBdr><w:bottom w:val="single" w:sz="4" w:space="4" w:color="{RULE}"/>'
             f'</w:pBdr><w:tabs><w:tab w:val="center" w:pos="{TEXT_WIDTH // 2}"/>'
             f'<w:tab w:val="right" w:pos="{TEXT_WIDTH}"/></w:tabs><w:spacing w:after="0"/></w:pPr>'
             '<w:rPr><w:color w:val="595959"/><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr>',
             based="Normal")
    + _style("paragraph", "Footer", "footer",
             f'<w:pPr><w:pBdr><w:top w:val="single" w:sz="4" w:space="4" w:color="{RULE}"/>'
             f'</w:pBdr><w:tabs><w:tab w:val="center" w:pos="{TEXT_WIDTH // 2}"/>'
             f'<w:tab w:val="right" w:pos="{TEXT_WIDTH}"/></w:tabs><w:spacing w:after="0"/></w:pPr>'
             '<w:rPr><w:color w:val="595959"/><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr>',
             based="Normal")
    + _style("paragraph", "TOCHeading", "TOC Heading",
             f'<w:pPr><w:spacing w:before="240" w:after="120"/></w:pPr><w:rPr><w:b/>'
             f'<w:color w:val="{HEADING_COLOUR}"/><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr>',
             based="Normal")
    # Entries: number, tab, title, tab, page. The left tab and hanging indent align the titles.
    + _style("paragraph", "TOC1", "toc 1",
             '<w:pPr><w:keepNext/><w:tabs><w:tab w:val="left" w:pos="567"/>'
             f'<w:tab w:val="right" w:leader="dot" w:pos="{TEXT_WIDTH}"/></w:tabs>'
             '<w:spacing w:before="120" w:after="20"/><w:ind w:left="567" w:hanging="567"/>'
             f'</w:pPr><w:rPr><w:b/><w:color w:val="{HEADING_COLOUR}"/></w:rPr>',
             based="Normal", extra='<w:next w:val="Normal"/>')
    + _style("paragraph", "TOC2", "toc 2",
             '<w:pPr><w:tabs><w:tab w:val="left" w:pos="1247"/>'
             f'<w:tab w:val="right" w:leader="dot" w:pos="{TEXT_WIDTH}"/></w:tabs>'
             '<w:spacing w:after="0"/><w:ind w:left="1247" w:hanging="680"/></w:pPr>'
             '<w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr>',
             based="Normal", extra='<w:next w:val="Normal"/>')
    + _style("paragraph", "Note", "Review Note",
             '<w:pPr><w:pBdr><w:left w:val="single" w:sz="18" w:space="8" w:color="C00000"/>'
             '</w:pBdr><w:shd w:val="clear" w:color="auto" w:fill="FFF2CC"/>'
             '<w:ind w:left="240"/></w:pPr><w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr>',
             based="Normal")
    + _style("paragraph", "TableText", "Table Text",
             '<w:pPr><w:spacing w:before="40" w:after="40" w:line="240" w:lineRule="auto"/>'
             '</w:pPr><w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr>', based="Normal")
    + _style("character", "Hyperlink", "Hyperlink",
             f'<w:rPr><w:color w:val="{ACCENT}"/><w:u w:val="single"/></w:rPr>')
    + _style("table", "TableGrid", "Table Grid",
             '<w:tblPr><w:tblBorders>'
             + "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"/>'
                       for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
             + '</w:tblBorders><w:tblCellMar><w:left w:w="100" w:type="dxa"/>'
             '<w:right w:w="100" w:type="dxa"/></w:tblCellMar></w:tblPr>')
    + "</w:styles>"
)

SETTINGS = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:settings {W}>'
    '<w:defaultTabStop w:val="720"/><w:characterSpacingControl w:val="doNotCompress"/>'
    '<w:compat><w:compatSetting w:name="compatibilityMode" '
    'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
    '</w:settings>'
)

FONT_TABLE = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:fonts {W}>'
    f'<w:font w:name="{FONT}"><w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font>'
    '</w:fonts>'
)

NUMBERING = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:numbering {W}></w:numbering>'
)

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.settings+xml"/>'
    '<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.fontTable+xml"/>'
    '<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.numbering+xml"/>'
    '</Types>'
)

ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)

DOCUMENT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/styles" Target="styles.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/settings" Target="settings.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/fontTable" Target="fontTable.xml"/>'
    '<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/numbering" Target="numbering.xml"/>'
    '</Relationships>'
)

DOCUMENT = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {W}><w:body>'
    '<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r><w:t>policygen reference</w:t></w:r></w:p>'
    '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1417" w:right="1247" '
    'w:bottom="1134" w:left="1247" w:header="709" w:footer="567" w:gutter="0"/></w:sectPr>'
    '</w:body></w:document>'
)


def main() -> None:
    """Write the reference document."""
    parts = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": ROOT_RELS,
        "word/document.xml": DOCUMENT,
        "word/_rels/document.xml.rels": DOCUMENT_RELS,
        "word/styles.xml": STYLES,
        "word/settings.xml": SETTINGS,
        "word/fontTable.xml": FONT_TABLE,
        "word/numbering.xml": NUMBERING,
    }
    target = Path(__file__).resolve().parent.parent / "policygen" / "data" / "reference.docx"
    target.write_bytes(write_zip([(name, text.encode()) for name, text in parts.items()]))
    print(f"wrote {target.name} ({target.stat().st_size} bytes)")


if __name__ == "__main__":
    main()

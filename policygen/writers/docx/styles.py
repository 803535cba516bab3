"""The reference's styles and settings, fitted to one document.

styles.xml gets the document's language tag in its defaults (Word's spelling and hyphenation
language, a screen reader's voice, the language a PDF declares) and, in a guideline, the heading
numbering in the heading styles themselves (`w:numPr` in the style, not on each paragraph, so
that converters read a numbered heading as a heading). settings.xml gets automatic hyphenation,
the theme language, and `w:updateFields` only where a field needs Word's layout (the table of
contents). Children are inserted in ECMA-376 schema order. Results are cached per input.
"""

from __future__ import annotations

from functools import lru_cache

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W_NS}}}"
# CT_PPrBase children in schema order (those a style may carry).
_PPR_ORDER = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl",
              "numPr", "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens",
              "kinsoku", "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE",
              "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind",
              "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
              "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
              "sectPr", "pPrChange")
# CT_RPr children in schema order.
_RPR_ORDER = ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike",
              "dstrike", "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid",
              "vanish", "webHidden", "color", "spacing", "w", "kern", "position", "sz", "szCs",
              "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em",
              "lang", "eastAsianLayout", "specVanish", "oMath")
# CT_Style children in schema order.
_STYLE_ORDER = ("name", "aliases", "basedOn", "next", "link", "autoRedefine", "hidden",
                "uiPriority", "semiHidden", "unhideWhenUsed", "qFormat", "locked", "personal",
                "personalCompose", "personalReply", "rsid", "pPr", "rPr", "tblPr", "trPr",
                "tcPr", "tblStylePr")
# CT_Settings children in schema order.
_SETTINGS_ORDER = (
    "writeProtection", "view", "zoom", "removePersonalInformation", "removeDateAndTime",
    "doNotDisplayPageBoundaries", "displayBackgroundShape", "printPostScriptOverText",
    "printFractionalCharacterWidth", "printFormsData", "embedTrueTypeFonts", "embedSystemFonts",
    "saveSubsetFonts", "saveFormsData", "mirrorMargins", "alignBordersAndEdges",
    "bordersDoNotSurroundHeader", "bordersDoNotSurroundFooter", "gutterAtTop",
    "hideSpellingErrors", "hideGrammaticalErrors", "activeWritingStyle", "proofState",
    "formsDesign", "attachedTemplate", "linkStyles", "stylePaneFormatFilter",
    "stylePaneSortMethod", "documentType", "mailMerge", "revisionView", "trackRevisions",
    "doNotTrackMoves", "doNotTrackFormatting", "documentProtection", "autoFormatOverride",
    "styleLockTheme", "styleLockQFSet", "defaultTabStop", "autoHyphenation",
    "consecutiveHyphenLimit", "hyphenationZone", "doNotHyphenateCaps", "showEnvelope",
    "summaryLength", "clickAndTypeStyle", "defaultTableStyle", "evenAndOddHeaders",
    "bookFoldRevPrinting", "bookFoldPrinting", "bookFoldPrintingSheets",
    "drawingGridHorizontalSpacing", "drawingGridVerticalSpacing",
    "displayHorizontalDrawingGridEvery", "displayVerticalDrawingGridEvery",
    "doNotUseMarginsForDrawingGridOrigin", "drawingGridHorizontalOrigin",
    "drawingGridVerticalOrigin", "doNotShadeFormData", "noPunctuationKerning",
    "characterSpacingControl", "printTwoOnOne", "strictFirstAndLastChars", "noLineBreaksAfter",
    "noLineBreaksBefore", "savePreviewPicture", "doNotValidateAgainstSchema", "saveInvalidXml",
    "ignoreMixedContent", "alwaysShowPlaceholderText", "doNotDemarcateInvalidXml",
    "saveXmlDataOnly", "useXSLTWhenSaving", "saveThroughXslt", "showXMLTags",
    "alwaysMergeEmptyNamespace", "updateFields", "hdrShapeDefaults", "footnotePr", "endnotePr",
    "compat", "docVars", "rsids", "mathPr", "attachedSchema", "themeFontLang",
    "clrSchemeMapping", "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures",
    "forceUpgrade", "captions", "readModeInkLockDown", "smartTagType", "schemaLibrary",
    "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol", "listSeparator")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


def _local(element: etree._Element) -> str:
    return str(etree.QName(element).localname)


def _child(parent: etree._Element, name: str, order: tuple[str, ...]) -> etree._Element:
    """The child `w:name` of parent, created at its schema place if missing."""
    found = parent.find(f"{_W}{name}")
    if found is not None:
        return found
    element = etree.Element(f"{_W}{name}")
    rank = order.index(name) if name in order else len(order)
    for index, sibling in enumerate(parent):
        local = _local(sibling)
        if local in order and order.index(local) > rank:
            parent.insert(index, element)
            return element
    parent.append(element)
    return element


def _set_lang(rpr: etree._Element, tag: str) -> None:
    lang = _child(rpr, "lang", _RPR_ORDER)
    lang.set(f"{_W}val", tag)


@lru_cache(maxsize=64)
def fitted_styles(styles_xml: bytes, lang_tag: str,
                  heading_numbering: tuple[tuple[str, int, int], ...]) -> bytes:
    """styles.xml with the language tag and, per (style id, level, numId), heading numbering."""
    root = etree.fromstring(styles_xml, _PARSER)
    defaults = root.find(f"{_W}docDefaults")
    if defaults is None:
        defaults = etree.Element(f"{_W}docDefaults")
        root.insert(0, defaults)
    rpr_default = defaults.find(f"{_W}rPrDefault")
    if rpr_default is None:
        rpr_default = etree.Element(f"{_W}rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(f"{_W}rPr")
    if rpr is None:
        rpr = etree.SubElement(rpr_default, f"{_W}rPr")
    _set_lang(rpr, lang_tag)
    # a style that names another language (a template made in one country) would override it
    for style_lang in root.iter(f"{_W}lang"):
        if style_lang.getparent() is not rpr and style_lang.get(f"{_W}val"):
            style_lang.set(f"{_W}val", lang_tag)
    by_id = {style.get(f"{_W}styleId"): style for style in root.iter(f"{_W}style")}
    for style_id, level, num_id in heading_numbering:
        style = by_id.get(style_id)
        if style is None:
            continue
        ppr = _child(style, "pPr", _STYLE_ORDER)
        numpr = ppr.find(f"{_W}numPr")
        if numpr is not None:
            ppr.remove(numpr)
        numpr = _child(ppr, "numPr", _PPR_ORDER)
        etree.SubElement(numpr, f"{_W}ilvl").set(f"{_W}val", str(level))
        etree.SubElement(numpr, f"{_W}numId").set(f"{_W}val", str(num_id))
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


@lru_cache(maxsize=64)
def fitted_settings(settings_xml: bytes, lang_tag: str, update_fields: bool) -> bytes:
    """settings.xml with hyphenation on, the theme language, and updateFields if asked."""
    root = etree.fromstring(settings_xml, _PARSER)
    _child(root, "autoHyphenation", _SETTINGS_ORDER).set(f"{_W}val", "true")
    old = root.find(f"{_W}updateFields")
    if old is not None:
        root.remove(old)
    if update_fields:
        _child(root, "updateFields", _SETTINGS_ORDER).set(f"{_W}val", "true")
    theme = root.find(f"{_W}themeFontLang")
    if theme is not None:
        theme.set(f"{_W}val", lang_tag)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


@lru_cache(maxsize=64)
def font_sizes(styles_xml: bytes) -> dict[str, int]:
    """Each paragraph style's font size in half-points (through basedOn and the defaults)."""
    root = etree.fromstring(styles_xml, _PARSER)
    default = 22
    found = root.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr/{_W}sz")
    if found is not None and (found.get(f"{_W}val") or "").isdigit():
        default = int(found.get(f"{_W}val") or 22)
    own: dict[str, int] = {}
    based: dict[str, str] = {}
    for style in root.iter(f"{_W}style"):
        style_id = style.get(f"{_W}styleId") or ""
        size = style.find(f"{_W}rPr/{_W}sz")
        if size is not None and (size.get(f"{_W}val") or "").isdigit():
            own[style_id] = int(size.get(f"{_W}val") or default)
        parent = style.find(f"{_W}basedOn")
        if parent is not None:
            based[style_id] = parent.get(f"{_W}val") or ""

    def size_of(style_id: str, depth: int = 0) -> int:
        if style_id in own:
            return own[style_id]
        if style_id in based and depth < 20:
            return size_of(based[style_id], depth + 1)
        return default

    return {style_id: size_of(style_id) for style_id in {*own, *based}} | {"": default}


@lru_cache(maxsize=64)
def tab_stops(styles_xml: bytes, style_id: str) -> tuple[int, ...]:
    """The tab stop positions a paragraph style sets (in twips)."""
    root = etree.fromstring(styles_xml, _PARSER)
    for style in root.iter(f"{_W}style"):
        if style.get(f"{_W}styleId") == style_id:
            return tuple(int(tab.get(f"{_W}pos") or 0)
                         for tab in style.iterfind(f"{_W}pPr/{_W}tabs/{_W}tab")
                         if (tab.get(f"{_W}pos") or "").lstrip("-").isdigit())
    return ()


_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


@lru_cache(maxsize=64)
def latin_font(styles_xml: bytes, theme_xml: bytes, style_ids: tuple[str, ...]) -> str | None:
    """The one font of Latin text set in the styles named, or None.

    The styles' run properties apply innermost first (a character style, then the paragraph
    style, then the table style), each followed through basedOn, then the document defaults.
    Word sets ASCII characters in rFonts' `ascii` font and other Latin ones in its `hAnsi` font,
    a theme font (`asciiTheme`, `hAnsiTheme`) taking precedence; None unless both are the same
    font ("" if that is a theme font the theme does not name).
    """
    root = etree.fromstring(styles_xml, _PARSER)
    by_id = {style.get(f"{_W}styleId"): style for style in root.iter(f"{_W}style")}
    theme = _theme_fonts(theme_xml)
    chain = [fonts for style_id in style_ids for style in _based_on(by_id, style_id)
             if (fonts := style.find(f"{_W}rPr/{_W}rFonts")) is not None]
    defaults = root.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr/{_W}rFonts")
    if defaults is not None:
        chain.append(defaults)
    found = {next((font for fonts in chain
                   if (font := _font_of(fonts, attribute, theme)) is not None), None)
             for attribute in ("ascii", "hAnsi")}
    return found.pop() if len(found) == 1 else None


def _based_on(by_id: dict[str | None, etree._Element], style_id: str) -> list[etree._Element]:
    """A style and the styles it is based on, in that order (a cycle ends the chain)."""
    chain: list[etree._Element] = []
    style = by_id.get(style_id)
    while style is not None and style not in chain and len(chain) < 20:
        chain.append(style)
        parent = style.find(f"{_W}basedOn")
        style = by_id.get(parent.get(f"{_W}val")) if parent is not None else None
    return chain


def _font_of(fonts: etree._Element, attribute: str, theme: dict[str, str]) -> str | None:
    """The font an rFonts element gives one attribute, its theme font first; None if none."""
    themed = fonts.get(f"{_W}{attribute}Theme")
    if themed:
        return theme.get("major" if themed.startswith("major") else "minor", "")
    return fonts.get(f"{_W}{attribute}") or None


def _theme_fonts(theme_xml: bytes) -> dict[str, str]:
    """The theme's major and minor Latin typefaces."""
    if not theme_xml:
        return {}
    root = etree.fromstring(theme_xml, _PARSER)
    out = {}
    for kind in ("major", "minor"):
        latin = root.find(f".//{_A}fontScheme/{_A}{kind}Font/{_A}latin")
        if latin is not None and latin.get("typeface"):
            out[kind] = str(latin.get("typeface"))
    return out

"""The look of a DOCX summary: an official document after GB/T 9704-2012.

:func:`official_document` gives a python-docx Document whose styles, page and footer
follow the conventions of Chinese official documents (党政机关公文格式):

- A4, margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (a text area of
  156 × 225 mm);
- the title (style ``Title``) in 方正小标宋简体 二号 (22 pt), centred;
- the body (``Normal``) in 仿宋_GB2312 三号 (16 pt), justified, first line indented by two
  characters, fixed line spacing of :data:`LINE_PT` (22 lines a page);
- 一、 headings (``Heading 1``) in 黑体 三号, （一） headings (``Heading 2``) in 楷体_GB2312
  三号, 1． headings (``Heading 3``) in 仿宋_GB2312 bold; all text black (no theme colours);
- page numbers 「— 1 —」 in 宋体 四号 (14 pt) in the footer, odd pages on the right and
  even pages on the left, one character in from the edge of the text;
- an attachment (``附件``, style ``Attachment``) starting on a page of its own;
- tables in ``Table Text`` (仿宋_GB2312 五号, single spacing), header row in 黑体.

East-Asian font names are set on every style and run (``w:rFonts w:eastAsia``), Latin
text and digits in Times New Roman, and the font table names, for each Chinese font, the
font Word takes when it is missing (``w:altName``: 仿宋_GB2312 → 仿宋, 楷体_GB2312 → 楷体,
方正小标宋简体 → 宋体) with the GB2312 character set, so that an office PC uses its own
fonts and any other machine a Chinese one. An English document keeps the page and the
footer, with Times New Roman at English sizes and spacing.

Examples
--------
>>> doc = official_document("zh")
>>> doc.styles["Normal"].font.size.pt, doc.styles["Title"].font.size.pt
(16.0, 22.0)
>>> round(doc.sections[0].top_margin.mm), round(doc.sections[0].left_margin.mm)
(37, 28)
>>> east_asia_font(doc.styles["Heading 1"])
'黑体'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

__all__ = ["official_document", "OfficialStyle", "OFFICIAL", "TEXT_WIDTH_CM", "LINE_PT", "MARGINS_MM",
           "east_asia_font", "set_run_fonts", "page_number_field", "ALT_NAMES"]

#: A4 margins of GB/T 9704-2012, in millimetres
MARGINS_MM = {"top": 37.0, "bottom": 35.0, "left": 28.0, "right": 26.0}
#: the width of the text area (210 − 28 − 26 mm)
TEXT_WIDTH_CM = 15.6
#: fixed line spacing of the body: 22 lines on the 225 mm text height
LINE_PT = 28.95
#: the font Word substitutes for a Chinese font that is missing (font table ``w:altName``)
ALT_NAMES = {"方正小标宋简体": "宋体", "仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体", "黑体": "SimHei", "宋体": "SimSun"}
_LATIN = "Times New Roman"


@dataclass(frozen=True)
class OfficialStyle:
    """Fonts (East-Asian name), sizes (pt) and spacing of one language's document."""

    title_font: str
    body_font: str
    heading1_font: str
    heading2_font: str
    number_font: str
    title_pt: float
    body_pt: float
    table_pt: float
    number_pt: float
    line_pt: float
    title_line_pt: float
    after_pt: float
    indent_chars: int
    bold_headings: bool
    heading_pt: tuple[float, float, float]
    attachment: str
    number_latin: str = _LATIN


#: the house style per language (English: the same page and fonts for Chinese text,
#: English sizes, no first-line indent, space after each paragraph, bold headings)
OFFICIAL = {
    "zh": OfficialStyle("方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体", 22.0, 16.0, 10.5, 14.0,
                        LINE_PT, 36.0, 0.0, 2, False, (16.0, 16.0, 16.0), "附件", "宋体"),
    "en": OfficialStyle("宋体", "宋体", "黑体", "宋体", "宋体", 18.0, 12.0, 10.0, 12.0,
                        18.0, 24.0, 6.0, 0, True, (14.0, 12.0, 12.0), "Appendix"),
}


def _w(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)


def set_run_fonts(rpr: Any, east_asia: str, latin: str = _LATIN) -> None:
    """Set ``w:rFonts`` of a run's or a style's ``w:rPr``: Latin fonts and the East-Asian
    one, theme fonts removed (they would win over the names)."""
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(_w(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(_w(attr), latin)
    fonts.set(_w("w:eastAsia"), east_asia)


def east_asia_font(style_or_run: Any) -> str | None:
    """The ``w:eastAsia`` font name set on a style or a run (None when unset)."""
    rpr = style_or_run.element.rPr if hasattr(style_or_run.element, "rPr") else None
    fonts = rpr.rFonts if rpr is not None else None
    return fonts.get(_w("w:eastAsia")) if fonts is not None else None


def _black(font: Any) -> None:
    """Black text: an explicit colour with no theme colour (Word's headings are blue)."""
    from docx.shared import RGBColor

    font.color.rgb = RGBColor(0, 0, 0)
    color = font.element.rPr.find(_w("w:color")) if font.element.rPr is not None else None
    if color is not None:
        for attr in ("w:themeColor", "w:themeShade", "w:themeTint"):
            color.attrib.pop(_w(attr), None)


def _indent(pf: Any, chars: int, size_pt: float) -> None:
    """First-line indent of ``chars`` characters (``w:firstLineChars``, with the length in
    points for readers that ignore character units)."""
    from docx.shared import Pt

    pf.first_line_indent = Pt(chars * size_pt)
    ind = pf._element.get_or_add_pPr().get_or_add_ind()
    ind.set(_w("w:firstLineChars"), str(chars * 100))


def _line(pf: Any, line_pt: float | None, before: float = 0.0, after: float = 0.0) -> None:
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Pt

    if line_pt is None:
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(line_pt)
    pf.space_before, pf.space_after = Pt(before), Pt(after)


def _style(style: Any, east_asia: str, size: float, *, bold: bool = False) -> None:
    from docx.shared import Pt

    rpr = style.element.get_or_add_rPr()
    set_run_fonts(rpr, east_asia)
    for tag in ("w:spacing", "w:kern"):  # the Title's letter spacing and kerning
        el = rpr.find(_w(tag))
        if el is not None:
            rpr.remove(el)
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = False
    _black(style.font)


def _remove(ppr: Any, *tags: str) -> None:
    for tag in tags:
        for el in ppr.findall(_w(tag)):
            ppr.remove(el)


def _defaults(doc: Any, s: OfficialStyle) -> None:
    """Document defaults: the body font instead of the theme's (a Japanese font for
    East-Asian text in python-docx's template), Chinese as the East-Asian language."""
    from lxml import etree

    defaults = doc.styles.element.find(_w("w:docDefaults"))
    rpr = defaults.find(f"{_w('w:rPrDefault')}/{_w('w:rPr')}")
    fonts = rpr.find(_w("w:rFonts"))
    if fonts is None:
        fonts = etree.SubElement(rpr, _w("w:rFonts"))
    fonts.attrib.clear()
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(_w(attr), _LATIN)
    fonts.set(_w("w:eastAsia"), s.body_font)
    lang = rpr.find(_w("w:lang"))
    if lang is not None:
        lang.set(_w("w:eastAsia"), "zh-CN")
    ppr = defaults.find(f"{_w('w:pPrDefault')}/{_w('w:pPr')}")
    spacing = ppr.find(_w("w:spacing")) if ppr is not None else None
    if spacing is not None:
        spacing.set(_w("w:after"), "0")


def _styles(doc: Any, s: OfficialStyle) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    styles = doc.styles
    normal = styles["Normal"]
    _style(normal, s.body_font, s.body_pt)
    _line(normal.paragraph_format, s.line_pt, after=s.after_pt)
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    normal.paragraph_format.widow_control = True
    if s.indent_chars:
        _indent(normal.paragraph_format, s.indent_chars, s.body_pt)

    title = styles["Title"]
    _style(title, s.title_font, s.title_pt, bold=s.bold_headings)
    _remove(title.element.get_or_add_pPr(), "w:pBdr", "w:contextualSpacing")
    _line(title.paragraph_format, s.title_line_pt, after=s.line_pt)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _indent(title.paragraph_format, 0, s.title_pt)

    fonts = (s.heading1_font, s.heading2_font, s.body_font)
    for level, (font, size) in enumerate(zip(fonts, s.heading_pt), start=1):
        h = styles[f"Heading {level}"]
        _style(h, font, size, bold=s.bold_headings or level == 3)
        _line(h.paragraph_format, s.line_pt, before=s.after_pt * 2, after=s.after_pt)
        h.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
        h.paragraph_format.keep_with_next = True
        if s.indent_chars:
            _indent(h.paragraph_format, s.indent_chars, size)

    bullet = styles["List Bullet"]
    _style(bullet, s.body_font, s.body_pt)
    _remove(bullet.element.get_or_add_pPr(), "w:contextualSpacing")
    _line(bullet.paragraph_format, s.line_pt, after=s.after_pt)
    if s.indent_chars:  # Chinese: numbered 1． 2． paragraphs, no bullet sign
        _remove(bullet.element.get_or_add_pPr(), "w:numPr")
        _indent(bullet.paragraph_format, s.indent_chars, s.body_pt)

    table = styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)
    table.base_style = normal
    _style(table, s.body_font, s.table_pt)
    _line(table.paragraph_format, None)
    table.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    _indent(table.paragraph_format, 0, s.table_pt)

    picture = styles.add_style("Figure", WD_STYLE_TYPE.PARAGRAPH)
    picture.base_style = normal
    _line(picture.paragraph_format, None, before=s.after_pt, after=s.after_pt)
    picture.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _indent(picture.paragraph_format, 0, s.body_pt)

    attachment = styles.add_style("Attachment", WD_STYLE_TYPE.PARAGRAPH)
    attachment.base_style = normal
    _style(attachment, s.heading1_font, s.body_pt, bold=s.bold_headings)
    _line(attachment.paragraph_format, s.line_pt, after=s.line_pt)
    attachment.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    attachment.paragraph_format.page_break_before = True
    attachment.paragraph_format.keep_with_next = True
    _indent(attachment.paragraph_format, 0, s.body_pt)

    names = {st.name for st in styles}
    footer = styles["Footer"] if "Footer" in names else styles.add_style("Footer", WD_STYLE_TYPE.PARAGRAPH)
    footer.base_style = normal
    _style(footer, s.number_font, s.number_pt)
    set_run_fonts(footer.element.get_or_add_rPr(), s.number_font, s.number_latin)  # 半角宋体 digits and dashes
    _line(footer.paragraph_format, None)
    _indent(footer.paragraph_format, 0, s.number_pt)


def page_number_field(paragraph: Any) -> None:
    """Append 「— PAGE —」 to a paragraph: the dashes and a ``PAGE`` field (shown as 1
    until a reader updates it, as Word and LibreOffice do on opening)."""
    from lxml import etree

    def run(text: str | None = None, field: str | None = None, instr: str | None = None) -> None:
        r = paragraph.add_run(text or "")
        if field:
            etree.SubElement(r._r, _w("w:fldChar")).set(_w("w:fldCharType"), field)
        if instr:
            t = etree.SubElement(r._r, _w("w:instrText"))
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            t.text = instr

    run("— ")
    run(field="begin")
    run(instr=" PAGE ")
    run(field="separate")
    run("1")
    run(field="end")
    run(" —")


def _footers(doc: Any, s: OfficialStyle) -> None:
    """Page numbers: odd pages right, even pages left, one character in from the edge."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    section.footer_distance = Mm(24)  # the number about 7 mm below the text area
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer,
                                                                       WD_ALIGN_PARAGRAPH.LEFT)):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        p.style = doc.styles["Footer"]
        p.alignment = align
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            p.paragraph_format.right_indent = Pt(s.number_pt)
        else:
            p.paragraph_format.left_indent = Pt(s.number_pt)
        page_number_field(p)
        for r in p.runs:
            set_run_fonts(r._r.get_or_add_rPr(), s.number_font, s.number_latin)


_FONT_ENTRY = re.compile(r"<w:font w:name=\"([^\"]+)\">")


def _font_table(doc: Any, s: OfficialStyle) -> None:
    """Declare the Chinese fonts in ``word/fontTable.xml`` with the font to substitute
    (``w:altName``), the GB2312 character set and a family, so that Word picks a Chinese
    font of the machine when the named one is missing."""
    part = next((p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml"), None)
    if part is None:  # pragma: no cover - python-docx's template has one
        return
    xml = part.blob.decode("utf-8")
    present = set(_FONT_ENTRY.findall(xml))
    entries = []
    for name in dict.fromkeys((s.title_font, s.body_font, s.heading1_font, s.heading2_font, s.number_font)):
        if name in present:
            continue
        family = "modern" if name == "黑体" else "roman"
        alt = f'<w:altName w:val="{ALT_NAMES[name]}"/>' if name in ALT_NAMES else ""
        entries.append(f'<w:font w:name="{name}">{alt}<w:charset w:val="86"/><w:family w:val="{family}"/>'
                       f'<w:pitch w:val="variable"/></w:font>')
    part._blob = xml.replace("</w:fonts>", "".join(entries) + "</w:fonts>").encode("utf-8")


def official_document(lang: str = "zh") -> Any:
    """A python-docx Document with the page, styles, footer and font table of an official
    document (see the module's notes) and nothing in its body.

    Parameters
    ----------
    lang : {"zh", "en"}

    Returns
    -------
    docx.document.Document
    """
    from docx import Document
    from docx.shared import Mm

    s = OFFICIAL.get(lang, OFFICIAL["en"])
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance = Mm(15)
    _defaults(doc, s)
    _styles(doc, s)
    _footers(doc, s)
    _font_table(doc, s)
    return doc

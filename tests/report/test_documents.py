"""The DOCX summary is an official document (GB/T 9704-2012): its styles, page, footer and
attachment are read back from the file written, not from the code that wrote them."""

from __future__ import annotations

import re
import zipfile

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn

from reliefkit.report.descriptions import describe
from reliefkit.report.documents import AppendixMark, blocks, docx_document
from reliefkit.report.summary import write_summary
from reliefkit.report.summary_figures import summary_figures
from tests.summary_helpers import sample_region

YEAR = 2026

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def zh(tmp_path_factory):
    out = tmp_path_factory.mktemp("docx")
    return write_summary(sample_region(), YEAR, None, "zh", out)


@pytest.fixture(scope="module")
def doc(zh):
    return Document(str(zh["docx"]))


def _east_asia(rpr) -> str | None:
    fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


def test_page_is_a4_with_the_standard_margins(doc):
    s = doc.sections[0]
    assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)] == [37, 35, 28, 26]


@pytest.mark.parametrize("style, font, size, bold", [
    ("Title", "方正小标宋简体", 22, False),
    ("Normal", "仿宋_GB2312", 16, False),
    ("Heading 1", "黑体", 16, False),
    ("Heading 2", "楷体_GB2312", 16, False),
])
def test_style_fonts_and_sizes(doc, style, font, size, bold):
    st = doc.styles[style]
    assert _east_asia(st.element.rPr) == font
    assert st.font.size.pt == size
    assert st.font.bold is bold
    fonts = st.element.rPr.find(qn("w:rFonts"))
    assert not any(k.endswith(("Theme", "theme")) for k in fonts.attrib), "a theme font wins over names"


def test_body_indent_two_characters_and_fixed_line_spacing(doc):
    pf = doc.styles["Normal"].paragraph_format
    assert pf.first_line_indent.pt == 32  # two characters of 16 pt
    assert doc.styles["Normal"].element.pPr.find(qn("w:ind")).get(qn("w:firstLineChars")) == "200"
    assert pf.line_spacing_rule == WD_LINE_SPACING.EXACTLY and 28 <= pf.line_spacing.pt <= 29
    assert doc.styles["Title"].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_text_is_black_without_theme_colours(zh):
    styles = zipfile.ZipFile(zh["docx"]).read("word/styles.xml").decode("utf-8")
    used = ("Title", "Heading1", "Heading2", "Heading3", "Normal", "ListBullet")
    for sid in used:
        block = re.search(rf'<w:style [^>]*w:styleId="{sid}".*?</w:style>', styles, re.DOTALL).group(0)
        colours = re.findall(r"<w:color [^>]*/>", block)
        assert all('w:val="000000"' in c and "themeColor" not in c for c in colours), (sid, colours)
        assert "<w:pBdr>" not in block, sid


def test_every_run_names_its_east_asian_font(doc):
    runs = [r for p in doc.paragraphs for r in p.runs if r.text.strip()]
    runs += [r for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs
             if r.text.strip()]
    assert runs and all(_east_asia(r._r.rPr) for r in runs)
    headings = [p for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings and all(_east_asia(r._r.rPr) == "黑体" for p in headings for r in p.runs)
    assert re.match("^[一二三四五六七八九十]+、", headings[0].text)


def test_font_table_names_substitutes(zh):
    table = zipfile.ZipFile(zh["docx"]).read("word/fontTable.xml").decode("utf-8")
    for name, alt in (("仿宋_GB2312", "仿宋"), ("楷体_GB2312", "楷体"), ("方正小标宋简体", "宋体")):
        entry = re.search(rf'<w:font w:name="{name}">(.*?)</w:font>', table).group(1)
        assert f'<w:altName w:val="{alt}"/>' in entry and '<w:charset w:val="86"/>' in entry


def test_page_numbers_in_the_footer(doc, zh):
    section = doc.sections[0]
    assert doc.settings.odd_and_even_pages_header_footer
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer,
                                                                       WD_ALIGN_PARAGRAPH.LEFT)):
        p = footer.paragraphs[0]
        xml = p._p.xml
        assert "PAGE" in "".join(t.text for t in p._p.iter(qn("w:instrText")))
        assert xml.count('w:fldCharType="begin"') == 1 and xml.count('w:fldCharType="end"') == 1
        assert p.text == "— 1 —"  # the field's shown value between the dashes
        assert p.alignment == align
        assert p.style.font.size.pt == 14 and _east_asia(p.style.element.rPr) == "宋体"


def test_appendix_is_an_attachment_on_its_own_page_with_meanings(doc):
    paragraphs = doc.paragraphs
    i = next(k for k, p in enumerate(paragraphs) if p.text == "附件")
    label = paragraphs[i]
    assert label.style.name == "Attachment" and label.style.paragraph_format.page_break_before
    assert paragraphs[i + 1].style.name == "Title" and paragraphs[i + 1].text == "数字来源"
    table = doc.tables[-1]
    header = [c.text for c in table.rows[0].cells]
    assert header[0] == "键" and "含义" in header[1]
    rows = {r.cells[0].text: r.cells[1].text for r in table.rows[1:]}
    assert rows["rural_dibao.persons"].endswith(describe("rural_dibao.persons", "zh"))
    assert "农村低保" in rows["rural_dibao.persons"]
    assert all(v for v in rows.values()), [k for k, v in rows.items() if not v]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on every page
    assert round(sum(c.width.cm for c in table.rows[0].cells), 1) == 15.6


def test_charts_as_wide_as_the_text(doc):
    assert len(doc.inline_shapes) == 3
    assert all(round(s.width.cm, 1) == 15.6 for s in doc.inline_shapes)
    pictures = [p for p in doc.paragraphs if p._p.xpath(".//pic:pic")]
    # a fixed line spacing would clip the picture to one line
    assert all(p.style.name == "Figure" and p.style.paragraph_format.line_spacing_rule == WD_LINE_SPACING.SINGLE
               for p in pictures)
    captions = {p.text for p in doc.paragraphs}
    assert "各乡镇（街道）保障人数" not in captions  # the chart carries its title; no caption repeats it


def test_list_items_are_numbered_paragraphs(doc):
    items = [p for p in doc.paragraphs if p.style.name == "List Bullet"]
    assert items and items[0].text.startswith("1．")
    assert doc.styles["List Bullet"].element.pPr.find(qn("w:numPr")) is None  # no bullet sign


def test_no_appendix_leaves_it_out_of_the_docx_only(tmp_path):
    paths = write_summary(sample_region(), YEAR, sample_region().districts[0], "zh", tmp_path, charts=False,
                          appendix=False)
    doc = Document(str(paths["docx"]))
    assert "附件" not in [p.text for p in doc.paragraphs] and not doc.tables
    assert "<!-- appendix -->" in paths["md"].read_text(encoding="utf-8")
    assert "数字来源" in paths["html"].read_text(encoding="utf-8")


def test_english_document_keeps_the_page_with_english_type(tmp_path):
    md = "# Title\n\nText.\n\n- one\n- two\n\n<!-- appendix -->\n## Appendix: figures\n\n| key | value |\n| --- | --- |\n| `year` | 2026 |\n"
    doc = docx_document(md, lang="en")
    assert round(doc.sections[0].top_margin.mm) == 37
    assert doc.styles["Normal"].font.size.pt == 12 and not doc.styles["Normal"].paragraph_format.first_line_indent
    texts = [(p.style.name, p.text) for p in doc.paragraphs]
    assert ("List Bullet", "one") in texts and ("Attachment", "Appendix") in texts and ("Title", "Figures") in texts
    assert [c.text for c in doc.tables[0].rows[1].cells] == ["year", "the year summarised", "2026"]


def test_blocks_mark_the_appendix():
    b = blocks("# T\n\nx\n\n<!-- appendix -->\n## A\n\n<!-- other -->\n")
    assert [type(x).__name__ for x in b] == ["Heading", "Paragraph", "AppendixMark", "Heading"]
    assert isinstance(b[2], AppendixMark)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_summary_figure_is_described(lang):
    region = sample_region()
    keys = set(summary_figures(region, YEAR)) | set(summary_figures(region, YEAR, region.districts[0]))
    missing = sorted(k for k in keys if not describe(k, lang))
    assert not missing, f"add these keys to reliefkit/report/templates/figures.yaml ({lang}): {missing}"
    assert describe("previous.rural_dibao.paid", lang) != describe("rural_dibao.paid", lang)
    assert describe("no.such.key", lang) == ""

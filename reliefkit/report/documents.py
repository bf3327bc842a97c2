"""Write a rendered summary as Markdown, self-contained HTML or DOCX.

The narrative is Markdown of a small, fixed subset — what the templates write:
``#`` headings, paragraphs, ``- `` list items, pipe tables, images ``![alt](path)``,
inline ``code``, and HTML comments (skipped; ``<!-- appendix -->`` marks where the
appendix of figures starts). :func:`blocks` parses it once; HTML and DOCX are built from
those blocks, so the three outputs say the same thing.

- HTML is one file: styles inline, charts embedded as base64 PNG (each chart carries its
  own title; no caption repeats it).
- DOCX (python-docx) is laid out as an official document (:mod:`reliefkit.report.official`,
  GB/T 9704-2012: 小标宋 title, 仿宋_GB2312 body, 黑体 and 楷体 headings, A4 with the standard
  margins, 「— 1 —」 page numbers), charts as wide as the text, and the appendix as an
  attachment (附件) on pages of its own whose table says what each key means
  (:mod:`reliefkit.report.descriptions`), or left out (``appendix=False``).
- Output is byte-deterministic: Office files get fixed document dates (``SOURCE_DATE_EPOCH``
  or a fixed default) and a normalized zip (:func:`reliefkit.safety.determinism.write_office`).
- Every file is written atomically (:mod:`reliefkit.safety.atomic`): an interrupted run leaves
  no half-written file; a read-only or full output folder is a clear error.

Examples
--------
>>> [type(b).__name__ for b in blocks("# T\\n\\nA paragraph.\\n\\n- one\\n- two\\n")]
['Heading', 'Paragraph', 'BulletList']
>>> html = to_html("# T\\n\\n| a | b |\\n| --- | --- |\\n| 1 | 2 |\\n", lang="en")
>>> "<td>1</td>" in html
True
"""

from __future__ import annotations

import base64
import datetime as dt
import html as _html
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from reliefkit.errors import ReliefkitError
from reliefkit.safety.atomic import atomic_write_bytes
from reliefkit.safety.determinism import (
    FIXED_TIME,
    build_time,
    normalize_zip,
    write_office,
)

__all__ = ["Heading", "Paragraph", "BulletList", "Table", "Image", "AppendixMark", "APPENDIX_MARK", "blocks",
           "to_html", "write_html", "write_markdown", "write_docx", "docx_document", "normalize_office_zip",
           "set_column_widths", "table_cells", "CHART_WIDTH_CM", "FIXED_TIME"]



# --------------------------------------------------------------------------- blocks
@dataclass(frozen=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class BulletList:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Image:
    alt: str
    src: str


@dataclass(frozen=True)
class AppendixMark:
    """Where the appendix starts (``<!-- appendix -->``): the DOCX starts an attachment."""


Block = Heading | Paragraph | BulletList | Table | Image | AppendixMark
APPENDIX_MARK = "<!-- appendix -->"
_IMAGE = re.compile(r"^!\[([^\]]*)\]\(([^)]+)\)$")
_SEPARATOR = re.compile(r"^\|(\s*:?-+:?\s*\|)+$")
_CODE = re.compile(r"`([^`]*)`")


def _cells(line: str) -> tuple[str, ...]:
    return tuple(c.strip() for c in line.strip().strip("|").split("|"))


def blocks(markdown: str) -> list[Block]:
    """Parse the Markdown subset of the narrative into blocks."""
    out: list[Block] = []
    items: list[str] = []
    rows: list[tuple[str, ...]] = []

    def flush() -> None:
        if items:
            out.append(BulletList(tuple(items)))
            items.clear()
        if rows:
            out.append(Table(rows[0], tuple(rows[1:])))
            rows.clear()

    for raw in markdown.splitlines():
        line = raw.strip()
        if line.startswith("- "):
            if rows:
                flush()
            items.append(line[2:].strip())
            continue
        if line.startswith("|"):
            if items:
                flush()
            if not _SEPARATOR.match(line):
                rows.append(_cells(line))
            continue
        flush()
        if line == APPENDIX_MARK:
            out.append(AppendixMark())
            continue
        if not line or (line.startswith("<!--") and line.endswith("-->")):
            continue
        if line.startswith("#"):
            level = len(line) - len(line.lstrip("#"))
            out.append(Heading(level, line[level:].strip()))
        elif m := _IMAGE.match(line):
            out.append(Image(m.group(1), m.group(2)))
        else:
            out.append(Paragraph(line))
    flush()
    return out


# --------------------------------------------------------------------------- Markdown
def write_markdown(markdown: str, path: str | Path) -> Path:
    """Write the Markdown text (UTF-8, ``\\n`` line ends)."""
    return atomic_write_bytes(path, markdown.encode("utf-8"))


# --------------------------------------------------------------------------- HTML
_CSS = """
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "SimHei",
       "Helvetica Neue", Arial, sans-serif; line-height: 1.7; color: #222; margin: 0; }
main { max-width: 48rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; text-align: center; }
h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; font-size: 0.85rem; }
th, td { border: 1px solid #bbb; padding: 0.2rem 0.5rem; text-align: left; }
td:last-child { text-align: right; }
code { font-size: 0.85em; }
figure { margin: 1.5rem 0; text-align: center; }
figure img { max-width: 100%; }
""".strip()


def _inline_html(text: str) -> str:
    parts = _CODE.split(text)
    return "".join(f"<code>{_html.escape(p)}</code>" if i % 2 else _html.escape(p) for i, p in enumerate(parts))


def to_html(markdown: str, images: Mapping[str, bytes] | None = None, lang: str = "zh") -> str:
    """A self-contained HTML page of the Markdown: inline styles, images embedded.

    Parameters
    ----------
    markdown : str
    images : mapping, optional
        Image path as written in the Markdown → PNG bytes. An image without bytes is an
        error (the page must not depend on files beside it).
    lang : str
    """
    images = images or {}
    title = next((b.text for b in blocks(markdown) if isinstance(b, Heading)), "")
    body: list[str] = []
    for b in blocks(markdown):
        if isinstance(b, Heading):
            level = min(b.level, 6)
            body.append(f"<h{level}>{_inline_html(b.text)}</h{level}>")
        elif isinstance(b, Paragraph):
            body.append(f"<p>{_inline_html(b.text)}</p>")
        elif isinstance(b, BulletList):
            body.append("<ul>\n" + "\n".join(f"<li>{_inline_html(i)}</li>" for i in b.items) + "\n</ul>")
        elif isinstance(b, Table):
            head = "".join(f"<th>{_inline_html(c)}</th>" for c in b.header)
            rows = "\n".join("<tr>" + "".join(f"<td>{_inline_html(c)}</td>" for c in r) + "</tr>" for r in b.rows)
            body.append(f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}\n</tbody>\n</table>")
        elif isinstance(b, Image):
            data = _image_bytes(images, b.src)
            src = "data:image/png;base64," + base64.b64encode(data).decode("ascii")
            # the chart draws its own title: the alt text is not repeated as a caption
            body.append(f'<figure><img src="{src}" alt="{_html.escape(b.alt)}"></figure>')
    html_lang = "zh-CN" if lang == "zh" else lang
    return (f'<!DOCTYPE html>\n<html lang="{html_lang}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{_html.escape(title)}</title>\n<style>\n{_CSS}\n</style>\n</head>\n<body>\n<main>\n"
            + "\n".join(body) + "\n</main>\n</body>\n</html>\n")


def _image_bytes(images: Mapping[str, bytes], src: str) -> bytes:
    if src not in images:
        raise ReliefkitError("is an image of the text without its PNG bytes",
                             "pass the chart images to the exporter", image=src)
    return images[src]


def write_html(markdown: str, path: str | Path, images: Mapping[str, bytes] | None = None,
               lang: str = "zh") -> Path:
    """Write :func:`to_html` to ``path``."""
    return atomic_write_bytes(path, to_html(markdown, images, lang).encode("utf-8"))


# --------------------------------------------------------------------------- DOCX
#: (body font, heading font) for East Asian text, and the Latin font — of the publicity
#: lists (:mod:`reliefkit.report.publicity`); the summary follows
#: :mod:`reliefkit.report.official`
DOCX_FONTS = {"zh": ("SimSun", "SimHei", "Times New Roman"), "en": ("SimSun", "SimHei", "Calibri")}
#: the width of a chart in the DOCX: the text area's (GB/T 9704: 156 mm)
CHART_WIDTH_CM = 15.6
_NUMBER = re.compile(r"^[-+−]?[\d,]+(\.\d+)?\s?(%|元|万元|亿元|人|户|yuan|persons?|households?)?$")
#: the appendix's columns: key, label and meaning, as printed, value (cm; the text area's width)
_APPENDIX_WIDTHS_CM = (4.6, 7.2, 2.0, 1.8)
#: the appendix table's type size (小五): its many rows on few pages
_APPENDIX_PT = 9.0


def _set_fonts(style, latin: str, east_asia: str) -> None:  # noqa: ANN001 - a python-docx style
    from reliefkit.report.official import set_run_fonts

    style.font.name = latin
    set_run_fonts(style.element.get_or_add_rPr(), east_asia, latin)


def _add_inline(paragraph, text: str, east_asia: str | None = None) -> None:  # noqa: ANN001 - a paragraph
    """Add the text's runs (``code`` in Consolas), each with its East-Asian font named."""
    from reliefkit.report.official import set_run_fonts

    for i, part in enumerate(_CODE.split(text)):
        if not part:
            continue
        run = paragraph.add_run(part)
        if i % 2:
            set_run_fonts(run._r.get_or_add_rPr(), east_asia or "宋体", "Consolas")
        elif east_asia:
            set_run_fonts(run._r.get_or_add_rPr(), east_asia)


def _meaning(row: list[str], lang: str) -> str:
    """The label of a key (the appendix's second column, when it has one) and what the
    key means (:func:`reliefkit.report.descriptions.describe`), in one cell."""
    from reliefkit.report.descriptions import describe

    text = describe(row[0].strip("`"), lang)
    if len(row) < 4:
        return text
    sep = "：" if lang == "zh" else ": "
    return f"{row[1]}{sep}{text}" if text and row[1] else row[1] or text


def _split_attachment_title(text: str, lang: str) -> str:
    """The attachment's own title: ``附：数字来源`` → ``数字来源``, ``Appendix: figures`` → ``Figures``."""
    for sep in ("：", ": ", ":"):
        head, found, rest = text.partition(sep)
        if found and rest.strip() and len(head) <= 12:
            rest = rest.strip()
            return rest[:1].upper() + rest[1:] if lang == "en" else rest
    return text


def _docx_table(doc, b: Table, style, lang: str, describe_keys: bool) -> None:  # noqa: ANN001 - python-docx
    """A table in ``Table Text``, header row in the heading font and repeated on each page;
    with ``describe_keys`` (the appendix) a column saying what each key means."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    header, rows = list(b.header), [list(r) for r in b.rows]
    if describe_keys:
        rows = [[r[0], _meaning(r, lang), *r[2:]] if len(header) >= 4 else [r[0], _meaning(r, lang), *r[1:]]
                for r in rows]
        words = {"zh": ("含义", "{}及含义"), "en": ("Meaning", "{} and meaning")}.get(lang, ("Meaning", "{} and meaning"))
        header = ([header[0], words[1].format(header[1]), *header[2:]] if len(header) >= 4
                  else [header[0], words[0], *header[1:]])
    table = doc.add_table(rows=1 + len(rows), cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    margins = OxmlElement("w:tblCellMar")  # narrow cell margins: 0.1 cm each side
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), "57")
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    look = table._tbl.tblPr.find(qn("w:tblLook"))  # the schema's order: tblCellMar before tblLook
    if look is not None:
        look.addprevious(margins)
    else:
        table._tbl.tblPr.append(margins)
    widths = _widths(Table(tuple(header), tuple(tuple(r) for r in rows)), CHART_WIDTH_CM)
    if describe_keys and len(header) == 4:
        widths = list(_APPENDIX_WIDTHS_CM)
    set_column_widths(table, widths)
    cells = table_cells(table)
    for i, (row_cells, row) in enumerate(zip(cells, [header, *rows])):
        tr = table._tbl.tr_lst[i]
        trpr = tr.get_or_add_trPr()
        trpr.append(OxmlElement("w:cantSplit"))
        if i == 0:
            trpr.append(OxmlElement("w:tblHeader"))
        for cell, text in zip(row_cells, row):
            p = cell.paragraphs[0]
            p.style = doc.styles["Table Text"]
            if i == 0:
                _add_inline(p, text.replace("`", ""), style.heading1_font)
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                for run in p.runs:
                    run.bold = style.bold_headings
            else:
                _add_inline(p, text, style.body_font)
                if _NUMBER.match(text.strip()):
                    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            size = _APPENDIX_PT if describe_keys else style.table_pt  # the long appendix: 小五
            for run in p.runs:
                code = run._r.rPr is not None and run._r.rPr.rFonts is not None \
                    and run._r.rPr.rFonts.get(qn("w:ascii")) == "Consolas"
                run.font.size = Pt(size - 1.5 if code else size)  # keys in a smaller monospace


def docx_document(markdown: str, images: Mapping[str, bytes] | None = None, lang: str = "zh",
                  when: dt.datetime | None = None, *, appendix: bool = True):  # noqa: ANN201 - docx.Document
    """A python-docx Document of the Markdown, laid out as an official document
    (:mod:`reliefkit.report.official`: GB/T 9704-2012 fonts, sizes, margins and page numbers).

    The first ``#`` heading is the title; ``##`` headings are the 一、 level, ``###`` the
    （一） level; list items become numbered paragraphs ``1．`` (Chinese) or bullets; charts
    are as wide as the text. What follows ``<!-- appendix -->`` (the figures and their keys)
    is an attachment (附件) starting on a page of its own, its table with a column saying what
    each key means (:func:`reliefkit.report.descriptions.describe`); ``appendix=False``
    leaves it out. ``when`` (default :func:`reliefkit.safety.determinism.build_time`) is its
    created/modified date.

    Examples
    --------
    >>> doc = docx_document("# T\\n\\nText.\\n\\n<!-- appendix -->\\n## 附：数字来源\\n\\n| 键 | 值 |\\n| --- | --- |\\n| `year` | 2026 |\\n")
    >>> [(p.style.name, p.text) for p in doc.paragraphs]
    [('Title', 'T'), ('Normal', 'Text.'), ('Attachment', '附件'), ('Title', '数字来源')]
    >>> [c.text for c in doc.tables[0].rows[1].cells]
    ['year', '统计年度', '2026']
    """
    from docx.shared import Cm

    from reliefkit.report.official import OFFICIAL, official_document

    images = images or {}
    style = OFFICIAL.get(lang, OFFICIAL["en"])
    doc = official_document(lang)
    titled = in_appendix = False
    for b in blocks(markdown):
        if isinstance(b, AppendixMark):
            if not appendix:
                break
            in_appendix = True
            p = doc.add_paragraph(style="Attachment")
            _add_inline(p, style.attachment, style.heading1_font)
            continue
        if isinstance(b, Heading):
            if b.level == 1 and not titled:
                p = doc.add_paragraph(style="Title")
                _add_inline(p, b.text, style.title_font)
                titled = True
                doc.core_properties.title = b.text
            elif in_appendix and doc.paragraphs[-1].style.name == "Attachment":
                p = doc.add_paragraph(style="Title")
                _add_inline(p, _split_attachment_title(b.text, lang), style.title_font)
            else:
                level = min(max(b.level - 1, 1), 3)
                font = (style.heading1_font, style.heading2_font, style.body_font)[level - 1]
                _add_inline(doc.add_paragraph(style=f"Heading {level}"), b.text, font)
        elif isinstance(b, Paragraph):
            _add_inline(doc.add_paragraph(style="Normal"), b.text, style.body_font)
        elif isinstance(b, BulletList):
            numbered = 0
            for item in b.items:
                p = doc.add_paragraph(style="List Bullet")
                if style.indent_chars:  # 1． 2． … as in an official document
                    numbered += 1
                    item = f"{numbered}．{item}"
                _add_inline(p, item, style.body_font)
        elif isinstance(b, Table):
            _docx_table(doc, b, style, lang, describe_keys=in_appendix and _keyed(b))
        elif isinstance(b, Image):
            p = doc.add_paragraph(style="Figure")
            p.add_run().add_picture(io.BytesIO(_image_bytes(images, b.src)), width=Cm(CHART_WIDTH_CM))
    props = doc.core_properties
    props.author = props.last_modified_by = "reliefkit"
    props.created = props.modified = when or build_time()
    props.revision = 1
    props.language = "zh-CN" if lang == "zh" else lang
    return doc


def _keyed(table: Table) -> bool:
    """Whether the table's first column holds figure keys (``code``): the appendix's."""
    return bool(table.rows) and all(r and r[0].startswith("`") and r[0].endswith("`") for r in table.rows)


def _text_width(text: str) -> int:
    return sum(1 if ord(ch) < 0x2E80 else 2 for ch in text.replace("`", ""))


def _widths(table: Table, total_cm: float) -> list[float]:
    """Column widths (cm) proportional to the longest text of each column (with a minimum)."""
    n = len(table.header)
    longest = [max([_text_width(table.header[j])] + [_text_width(r[j]) for r in table.rows if j < len(r)])
               for j in range(n)]
    raw = [max(w, 12) for w in longest]
    widths = [total_cm * w / sum(raw) for w in raw]
    return [round(w, 2) for w in widths]


def table_cells(table) -> list[list]:  # noqa: ANN001 - a python-docx table
    """The cells of a table without merged cells, row by row, in linear time
    (``table.cell(i, j)`` rescans the whole table on every call)."""
    from docx.table import _Cell

    return [[_Cell(tc, table) for tc in tr.tc_lst] for tr in table._tbl.tr_lst]


def set_column_widths(table, widths_cm: list[float]) -> None:  # noqa: ANN001 - a python-docx table
    """Fix the widths of a python-docx table's columns (Word and LibreOffice honour cell widths)."""
    from docx.shared import Cm

    table.autofit = False
    for j, width in enumerate(widths_cm):
        table.columns[j].width = Cm(width)
    for row in table_cells(table):
        for cell, width in zip(row, widths_cm):
            cell.width = Cm(width)


def write_docx(markdown: str, path: str | Path, images: Mapping[str, bytes] | None = None, lang: str = "zh",
               when: dt.datetime | None = None, *, appendix: bool = True) -> Path:
    """Write the Markdown as a DOCX file (:func:`docx_document`; deterministic bytes,
    written atomically); ``appendix=False`` leaves the attachment of figures out."""
    return write_office(docx_document(markdown, images, lang, when, appendix=appendix), path, when)


# --------------------------------------------------------------------------- determinism
def normalize_office_zip(path: str | Path, when: dt.datetime | None = None) -> Path:
    """Rewrite an Office file (DOCX, XLSX) so that equal content gives equal bytes
    (:func:`reliefkit.safety.determinism.normalize_zip`: fixed entry order and times, fixed
    created/modified dates in ``docProps/core.xml``)."""
    return normalize_zip(path, when)

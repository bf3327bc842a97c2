"""Write a rendered summary as Markdown, self-contained HTML or DOCX.

The narrative is Markdown of a small, fixed subset — what the templates write:
``#`` headings, paragraphs, ``- `` list items, pipe tables, images ``![alt](path)``,
inline ``code``, and HTML comments (skipped). :func:`blocks` parses it once; HTML and
DOCX are built from those blocks, so the three outputs say the same thing.

- HTML is one file: styles inline, charts embedded as base64 PNG.
- DOCX (python-docx) has the title, headings, paragraphs, bullet lists, tables and
  charts an office submits; Chinese text uses SimSun/SimHei (present on every Chinese
  Windows; LibreOffice substitutes a CJK font such as Noto CJK).
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

__all__ = ["Heading", "Paragraph", "BulletList", "Table", "Image", "blocks", "to_html", "write_html",
           "write_markdown", "write_docx", "docx_document", "normalize_office_zip", "set_column_widths",
           "table_cells",
           "FIXED_TIME"]



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


Block = Heading | Paragraph | BulletList | Table | Image
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
figcaption { font-size: 0.9rem; color: #555; }
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
            body.append(f'<figure><img src="{src}" alt="{_html.escape(b.alt)}">'
                        f"<figcaption>{_html.escape(b.alt)}</figcaption></figure>")
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
#: (body font, heading font) for East Asian text, and the Latin font
DOCX_FONTS = {"zh": ("SimSun", "SimHei", "Times New Roman"), "en": ("SimSun", "SimHei", "Calibri")}


def _set_fonts(style, latin: str, east_asia: str) -> None:  # noqa: ANN001 - a python-docx style
    from docx.oxml.ns import qn

    style.font.name = latin
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)


def _add_inline(paragraph, text: str) -> None:  # noqa: ANN001 - a python-docx paragraph
    for i, part in enumerate(_CODE.split(text)):
        if not part:
            continue
        run = paragraph.add_run(part)
        if i % 2:
            run.font.name = "Consolas"


def docx_document(markdown: str, images: Mapping[str, bytes] | None = None, lang: str = "zh",
                  when: dt.datetime | None = None):  # noqa: ANN201 - docx.Document
    """A python-docx Document of the Markdown: the first ``#`` heading is the title.
    ``when`` (default :func:`reliefkit.safety.determinism.build_time`) is its created/modified date."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    images = images or {}
    body_font, heading_font, latin = DOCX_FONTS.get(lang, DOCX_FONTS["en"])
    doc = Document()
    styles = doc.styles
    _set_fonts(styles["Normal"], latin, body_font)
    styles["Normal"].font.size = Pt(12 if lang == "zh" else 11)
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        _set_fonts(styles[name], latin, heading_font)
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    titled = False
    for b in blocks(markdown):
        if isinstance(b, Heading):
            if b.level == 1 and not titled:
                p = doc.add_heading(level=0)
                _add_inline(p, b.text)
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                titled = True
                doc.core_properties.title = b.text
            else:
                _add_inline(doc.add_heading(level=min(max(b.level - 1, 1), 3)), b.text)
        elif isinstance(b, Paragraph):
            p = doc.add_paragraph()
            _add_inline(p, b.text)
            if lang == "zh":
                p.paragraph_format.first_line_indent = Pt(24)
        elif isinstance(b, BulletList):
            for item in b.items:
                _add_inline(doc.add_paragraph(style="List Bullet"), item)
        elif isinstance(b, Table):
            table = doc.add_table(rows=1 + len(b.rows), cols=len(b.header))
            table.style = "Table Grid"
            set_column_widths(table, _widths(b, 16.0))
            cells = table_cells(table)
            for cell, text in zip(cells[0], b.header):
                _add_inline(cell.paragraphs[0], text.replace("`", ""))
                for run in cell.paragraphs[0].runs:
                    run.bold = True
            for row_cells, row in zip(cells[1:], b.rows):
                for cell, text in zip(row_cells, row):
                    _add_inline(cell.paragraphs[0], text)
        elif isinstance(b, Image):
            doc.add_picture(io.BytesIO(_image_bytes(images, b.src)), width=Cm(15.5))
            doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
            doc.paragraphs[-1].paragraph_format.keep_with_next = True
            caption = doc.add_paragraph(b.alt)
            caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    props = doc.core_properties
    props.author = props.last_modified_by = "reliefkit"
    props.created = props.modified = when or build_time()
    props.revision = 1
    props.language = "zh-CN" if lang == "zh" else lang
    return doc


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
               when: dt.datetime | None = None) -> Path:
    """Write the Markdown as a DOCX file (deterministic bytes, written atomically)."""
    return write_office(docx_document(markdown, images, lang, when), path, when)


# --------------------------------------------------------------------------- determinism
def normalize_office_zip(path: str | Path, when: dt.datetime | None = None) -> Path:
    """Rewrite an Office file (DOCX, XLSX) so that equal content gives equal bytes
    (:func:`reliefkit.safety.determinism.normalize_zip`: fixed entry order and times, fixed
    created/modified dates in ``docProps/core.xml``)."""
    return normalize_zip(path, when)

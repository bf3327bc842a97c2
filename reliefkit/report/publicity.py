"""The publicity list: households newly enrolled in a programme, per village, as XLSX
and DOCX — reviewed by the villagers' congress and posted in the village.

Which households: those counted in the facts' ``P.new_households`` — a household with a
person alive on D and active in programme P on D, and no person active in P on D0 —
so the list's length is the figure the summary states.

What is printed — a fixed whitelist, nothing else (:data:`PUBLICITY_FIELDS`):

- ``village``; ``name``: the head of household's name, in full (a publicity list is
  the one document published with names); ``id_masked``: the head's ID number masked
  with :func:`reliefkit.text.idnumbers.mask_id`, the kit's one pattern (first 6 and last 4
  characters kept); ``household_size``: members alive on D; ``program``; ``start_date``:
  the earliest start of the household's enrolments in P active on D;
  ``monthly_amount``: what P paid the household's members in the last month of the
  year with a payment, empty when nothing was paid.
- The head is the member alive on D whose relation is ``head``; without one, the
  first enrolled member (by ID). No health or disability detail, no bank account, no
  address beyond the village.
- Spreadsheet cells whose text begins with ``=``, ``+``, ``-``, ``@`` (or a tab or a
  carriage return) get a leading apostrophe, so no cell is read as a formula
  (:func:`reliefkit.safety.escaping.escape_formula`); files are written atomically with fixed
  dates (:func:`reliefkit.safety.determinism.write_office`).

Examples
--------
>>> from reliefkit.region.region import load_region
>>> t = publicity_table(load_region("data/sample"), 2026, "rural_dibao")
>>> list(t.columns) == ["district", *PUBLICITY_FIELDS]
True
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from reliefkit.errors import ReliefkitError
from reliefkit.io.aliases import CODE_ALIASES, fold
from reliefkit.io.schema import STANDING_PROGRAMS
from reliefkit.region.days import active_on, alive_on, paid_in, year_end
from reliefkit.region.region import Region
from reliefkit.safety.determinism import write_office
from reliefkit.safety.escaping import escape_formula
from reliefkit.text.idnumbers import mask_id
from reliefkit.text.slugs import file_slug
from reliefkit.text.words import label, labels

__all__ = ["PUBLICITY_FIELDS", "publicity_table", "write_publicity", "spreadsheet_safe", "program_code"]

#: the only fields a publicity list prints, in order
PUBLICITY_FIELDS = ("village", "name", "id_masked", "household_size", "program", "start_date", "monthly_amount")
_DOCX_WIDTHS = (3.6, 3.0, 5.2, 2.6, 4.4, 3.2, 3.7)  # cm, landscape A4 less margins


def spreadsheet_safe(value: object) -> object:
    """Text that a spreadsheet would read as a formula gets a leading apostrophe;
    anything else is returned as it is (:func:`reliefkit.safety.escaping.escape_formula`).

    Examples
    --------
    >>> spreadsheet_safe("=SUM(A1)"), spreadsheet_safe("@cmd"), spreadsheet_safe("张三"), spreadsheet_safe(3)
    ("'=SUM(A1)", "'@cmd", '张三', 3)
    """
    return escape_formula(value)


def program_code(program: str) -> str:
    """The code of a standing programme, from its code or a Chinese name (``农村低保``).

    Raises
    ------
    ReliefkitError
        When ``program`` is not a standing programme.

    Examples
    --------
    >>> program_code("农村低保"), program_code("tekun")
    ('rural_dibao', 'tekun')
    """
    code = CODE_ALIASES["program"].get(fold(program), program)
    if code not in STANDING_PROGRAMS:
        raise ReliefkitError("is not a programme with enrolments, so it has no publicity list",
                             f"use one of: {', '.join(STANDING_PROGRAMS)}", program=repr(program))
    return code


def publicity_table(region: Region, year: int, program: str, lang: str = "zh") -> pd.DataFrame:
    """The households newly enrolled in ``program`` in ``year``: ``district`` (to group
    the files by) and the :data:`PUBLICITY_FIELDS`, sorted by district, village and
    start date. ``program`` holds the programme's label in ``lang``."""
    code = program_code(program)
    D, D0 = year_end(year), year_end(year - 1)
    persons, hh = region.persons, region.households
    alive = persons[alive_on(persons, D)]
    e = region.enrolments[region.enrolments["program"] == code]
    now = e[active_on(e, D) & e["person_id"].isin(alive["person_id"])]
    now = now.merge(persons[["person_id", "household_id"]], on="person_id")
    before = e[active_on(e, D0)].merge(persons[["person_id", "household_id"]], on="person_id")
    new = now[~now["household_id"].isin(before["household_id"])]
    columns = ["district", *PUBLICITY_FIELDS]
    if new.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})

    members = alive[alive["household_id"].isin(new["household_id"])]
    size = members.groupby("household_id").size().rename("household_size")
    heads = members[members["relation"] == "head"].sort_values("person_id").drop_duplicates("household_id")
    enrolled_first = new.sort_values("person_id").drop_duplicates("household_id")
    head = pd.concat([heads[["household_id", "person_id"]],
                      enrolled_first.loc[~enrolled_first["household_id"].isin(heads["household_id"]),
                                         ["household_id", "person_id"]]])
    head = head.merge(persons[["person_id", "name"]], on="person_id", how="left")
    start = new.groupby("household_id")["start_date"].min().rename("start_date")

    pay = region.payments
    pay = pay[paid_in(pay, year) & (pay["program"] == code)].merge(persons[["person_id", "household_id"]],
                                                                   on="person_id")
    pay = pay[pay["household_id"].isin(new["household_id"])]
    month = pay["paid_on"].dt.month
    last = month.groupby(pay["household_id"]).transform("max")
    monthly = pay[month == last].groupby("household_id")["amount"].sum().round(2).rename("monthly_amount")

    out = (head.set_index("household_id")
           .join(size).join(start).join(monthly)
           .join(hh.set_index("household_id")[["district", "village"]]))
    out = out.reset_index().sort_values(["district", "village", "start_date", "household_id"], na_position="last")
    out["id_masked"] = out["person_id"].map(mask_id)
    out["program"] = label("program", code, lang)
    out["name"] = out["name"].astype("object").where(out["name"].notna(), "")
    out["village"] = out["village"].astype("object").where(out["village"].notna(), "")
    out["start_date"] = out["start_date"].dt.date
    out["monthly_amount"] = out["monthly_amount"].astype("object").where(out["monthly_amount"].notna(), None)
    out["household_size"] = out["household_size"].astype("int64")
    return out[columns].reset_index(drop=True)


def _file_stem(district: str, village: str) -> str:
    return file_slug(f"{district}-{village}" if village else str(district), "list")


def _write_xlsx(rows: pd.DataFrame, path: Path, title: str, lang: str) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    words = labels(lang)["publicity"]
    wb = Workbook()
    ws = wb.active
    ws.title = words["sheet"]
    ws.cell(row=1, column=1, value=spreadsheet_safe(title)).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(PUBLICITY_FIELDS))
    for j, field in enumerate(PUBLICITY_FIELDS, start=1):
        cell = ws.cell(row=2, column=j, value=spreadsheet_safe(words[field]))
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    for i, row in enumerate(rows.itertuples(index=False), start=3):
        for j, field in enumerate(PUBLICITY_FIELDS, start=1):
            value = getattr(row, field)
            cell = ws.cell(row=i, column=j, value=spreadsheet_safe(value) if value is not None else None)
            if field == "start_date":
                cell.number_format = "yyyy-mm-dd"
            elif field == "monthly_amount":
                cell.number_format = "0.00"
    for j, width in enumerate((14, 10, 22, 10, 18, 12, 16), start=1):
        ws.column_dimensions[chr(64 + j)].width = width
    wb.properties.creator = wb.properties.lastModifiedBy = "reliefkit"
    return write_office(wb, path)


def _write_docx(rows: pd.DataFrame, path: Path, title: str, intro: str, lang: str) -> Path:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    from reliefkit.report.documents import (
        DOCX_FONTS,
        _set_fonts,
        set_column_widths,
        table_cells,
    )

    words = labels(lang)["publicity"]
    body_font, heading_font, latin = DOCX_FONTS.get(lang, DOCX_FONTS["en"])
    doc = Document()
    _set_fonts(doc.styles["Normal"], latin, body_font)
    doc.styles["Normal"].font.size = Pt(11)
    _set_fonts(doc.styles["Title"], latin, heading_font)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.0)
    heading = doc.add_heading(title, level=0)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(intro)
    table = doc.add_table(rows=1 + len(rows), cols=len(PUBLICITY_FIELDS))
    table.style = "Table Grid"
    set_column_widths(table, list(_DOCX_WIDTHS))
    cells = table_cells(table)
    for cell, field in zip(cells[0], PUBLICITY_FIELDS):
        cell.text = words[field]
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row_cells, row in zip(cells[1:], rows.itertuples(index=False)):
        for cell, field in zip(row_cells, PUBLICITY_FIELDS):
            value = getattr(row, field)
            if value is None:
                text = ""
            elif field == "monthly_amount":
                text = f"{float(value):.2f}"
            elif isinstance(value, dt.date):
                text = value.isoformat()
            else:
                text = str(value)
            cell.text = text
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = title, "reliefkit", "reliefkit"
    props.revision = 1
    return write_office(doc, path)


def write_publicity(region: Region, year: int, program: str, out_dir: str | Path = "reports",
                    lang: str = "zh", formats: tuple[str, ...] = ("xlsx", "docx")) -> list[Path]:
    """Write one publicity list per village (XLSX and DOCX) into
    ``<out_dir>/publicity-<year>-<program>/<district>-<village>.<ext>``.

    Parameters
    ----------
    region : Region
    year : int
    program : str
        A standing programme code (or its Chinese name): the households new in it in ``year``.
    out_dir : path, default "reports"
    lang : {"zh", "en"}
    formats : tuple of {"xlsx", "docx"}

    Returns
    -------
    list of Path
        The files written, in order (none when no household is new in the year).

    Examples
    --------
    >>> from reliefkit.region.region import load_region
    >>> paths = write_publicity(load_region("data/sample"), 2026, "rural_dibao", "reports")  # doctest: +SKIP
    """
    code = program_code(program)
    table = publicity_table(region, year, code, lang)
    folder = Path(out_dir) / f"publicity-{year}-{code}"
    words = labels(lang)["publicity"]
    written: list[Path] = []
    for (district, village), rows in table.groupby(["district", "village"], sort=True, dropna=False):
        folder.mkdir(parents=True, exist_ok=True)
        fill = {"district": district, "village": village, "year": year, "program": label("program", code, lang)}
        title, intro = words["title"].format(**fill), words["intro"].format(**fill)
        stem = _file_stem(str(district), str(village))
        if "xlsx" in formats:
            written.append(_write_xlsx(rows, folder / f"{stem}.xlsx", title, lang))
        if "docx" in formats:
            written.append(_write_docx(rows, folder / f"{stem}.docx", title, intro, lang))
    return written

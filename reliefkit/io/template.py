"""Write the blank registry workbook a clerk fills in (``reliefkit template``).

One sheet per table (:mod:`reliefkit.io.schema`), the header in Chinese or English,
a drop-down list on every coded and yes/no column, identifier columns formatted as text
(so Excel cannot turn an ID number into ``1.10105E+17``), date columns with a date
format, one example row per sheet whose IDs start with the example marker (the reader
skips such rows, with an ``example_row`` warning), and an instructions sheet that
explains every column. The words live in ``reliefkit/text/words/template.yaml``. The
workbook filled in is read as a region by :func:`reliefkit.load_region` (one workbook,
one region: :func:`reliefkit.io.reading.find_table_sources`).
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any

from reliefkit.io.aliases import ZH_CODES, ZH_HEADER
from reliefkit.io.schema import TABLES, Column, Table
from reliefkit.safety.determinism import write_office
from reliefkit.text.formatting import LANGS
from reliefkit.text.words import template_words

__all__ = ["LAST_ROW", "example_markers", "sheet_name", "header",
           "code_choices", "write_template"]

LAST_ROW = 20000  # drop-downs and formats reach this row
_TEXT, _DATE = "@", "yyyy-mm-dd"
_EXAMPLE_DATE = dt.datetime(2026, 1, 1)


@cache
def example_markers() -> tuple[str, ...]:
    """How the IDs of example rows start, in every language (compared ignoring case).

    Examples
    --------
    >>> example_markers()
    ('示例', 'EXAMPLE')
    """
    return tuple(str(template_words(lang)["example"]["marker"]) for lang in LANGS)


def sheet_name(table: Table, lang: str = "zh") -> str:
    """The sheet of ``table`` in the template (a name :data:`~reliefkit.io.aliases.TABLE_FILE_ALIASES` knows).

    Examples
    --------
    >>> from reliefkit.io.schema import PAYMENTS
    >>> sheet_name(PAYMENTS), sheet_name(PAYMENTS, "en")
    ('发放记录', 'payments')
    """
    return str(template_words(lang)["sheets"][table.name])


def header(column: Column, lang: str = "zh") -> str:
    """The header of ``column``: its Chinese header, or its canonical name.

    Examples
    --------
    >>> from reliefkit.io.schema import HOUSEHOLDS
    >>> header(HOUSEHOLDS.column("area")), header(HOUSEHOLDS.column("area"), "en")
    ('城乡类别', 'area')
    """
    return (column.zh or ZH_HEADER.get(column.name, column.name)) if lang == "zh" else column.name


def code_choices(column: Column, lang: str = "zh") -> list[str]:
    """The values of a coded or yes/no column's drop-down list (empty for other columns).

    Examples
    --------
    >>> from reliefkit.io.schema import PERSONS
    >>> code_choices(PERSONS.column("sex")), code_choices(PERSONS.column("sex"), "en")
    (['男', '女'], ['M', 'F'])
    >>> code_choices(PERSONS.column("chronic_illness"))
    ['是', '否']
    """
    if column.kind == "bool":
        return [str(w) for w in template_words(lang)["bool"]]
    if column.kind not in ("code", "codes"):
        return []
    names = ZH_CODES.get(column.name, {}) if lang == "zh" else {}
    return [names.get(c, c) for c in column.codes]


def _example_value(table: Table, column: Column, lang: str) -> object:
    """The example row's cell: IDs start with the marker; codes, numbers and dates are valid."""
    words = template_words(lang)["example"]
    if column.kind == "id":
        return f"{words['marker']}-{column.name.split('_')[0]}-1"
    if column.kind in ("code", "codes", "bool"):
        return code_choices(column, lang)[0]
    if column.kind == "date":
        return _EXAMPLE_DATE
    if column.kind in ("number", "int"):
        low = column.min if column.min is not None else 0
        return int(low) + (1 if column.min_exclusive or column.kind == "number" else 0)
    return str(words["text"])


def _add_table_sheet(wb: Any, table: Table, lang: str) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    ws = wb.create_sheet(sheet_name(table, lang))
    ws.append([header(c, lang) for c in table.columns])
    ws.append([_example_value(table, c, lang) for c in table.columns])
    ws.freeze_panes = "A2"
    for j, col in enumerate(table.columns, start=1):
        letter = get_column_letter(j)
        ws.cell(1, j).font = Font(bold=True)
        ws.column_dimensions[letter].width = max(12, 2 * len(header(col, lang)) + 4)
        fmt = _TEXT if col.kind in ("id", "text", "codes") else _DATE if col.kind == "date" else None
        if fmt:
            ws.column_dimensions[letter].number_format = fmt
            ws.cell(2, j).number_format = fmt
        choices = code_choices(col, lang)
        if choices:
            # several causes go in one cell: the list helps, but does not refuse what is not on it
            dv = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True,
                                showErrorMessage=col.kind != "codes")
            dv.add(f"{letter}2:{letter}{LAST_ROW}")
            ws.add_data_validation(dv)


def _add_instructions(wb: Any, lang: str) -> None:
    from openpyxl.styles import Alignment, Font

    w = template_words(lang)
    say = w["instructions"]
    ws = wb.create_sheet(say["sheet"], 0)
    ws.append([say["title"]])
    ws.append([say[k] for k in ("table", "column", "name", "type", "required", "meaning")])
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for table in TABLES:
        for col in table.columns:
            doc = w["columns"][table.name][col.name]
            ws.append([sheet_name(table, lang), header(col, lang), col.name, doc["type"],
                       w["required"]["yes" if col.required else "no"], doc["meaning"]])
    for letter, width in zip("ABCDEF", (12, 16, 18, 36, 8, 80)):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=3, min_col=6, max_col=6):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")


def write_template(path: str | Path, lang: str = "zh") -> Path:
    """Write the blank registry workbook.

    Parameters
    ----------
    path : str or pathlib.Path
        The ``.xlsx`` to write (written atomically, the same bytes every time).
    lang : {"zh", "en"}
        Chinese headers, sheet names and code names, or English ones.

    Returns
    -------
    pathlib.Path
        The workbook written.

    Raises
    ------
    ReliefkitError
        For an unknown language.
    OutputError
        When the file cannot be written.

    Examples
    --------
    >>> import tempfile, openpyxl
    >>> out = write_template(Path(tempfile.mkdtemp()) / "台账.xlsx")
    >>> openpyxl.load_workbook(out).sheetnames
    ['填表说明', '家庭', '家庭成员', '救助对象', '发放记录', '帮扶人', '结对帮扶']
    """
    import openpyxl

    template_words(lang)  # an unknown language fails before anything is built
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for table in TABLES:
        _add_table_sheet(wb, table, lang)
    _add_instructions(wb, lang)
    wb.active = 0
    return write_office(wb, Path(path))

"""The problems workbook a clerk fixes the ledger from (``reliefkit validate --problems FILE.xlsx``).

One workbook, in Chinese or English (the words are in ``reliefkit/text/words/problems.yaml``):

- a summary sheet (``汇总``): per table, its file, status, rows read, accepted and
  quarantined, errors and warnings;
- a problems sheet (``问题清单``): every problem — file, sheet, row, column, masked value,
  reason, what to do — the integrity flags included;
- per table with rows not accepted, a sheet (named as in the fill-in template: ``家庭成员``
  …) holding those rows as they were read: the file's own headers and values, the row in
  the file first, the wrong cells filled yellow (red-orange for a cell only warned about),
  and a ``问题说明`` column saying what is wrong and what to do. Personal columns (ID
  numbers, names) are masked, as everywhere; the note on the sheet's first line says so:
  the clerk corrects the file itself, at the row the sheet names, and validates again.

Cells are formula-escaped and the file is written atomically with fixed dates
(:mod:`reliefkit.safety`), so the same problems give the same bytes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from reliefkit.io import problems as P
from reliefkit.io.schema import TABLES_BY_NAME
from reliefkit.io.sheets import cell_text
from reliefkit.safety.determinism import write_office
from reliefkit.safety.escaping import escape_formula
from reliefkit.text.idnumbers import mask_value
from reliefkit.text.words import problem_words, template_words

__all__ = ["ERROR_FILL", "WARNING_FILL", "write_problem_book"]

#: the fill of a cell with an error (its row was not accepted), and of one only warned about
ERROR_FILL, WARNING_FILL = "FFFF00", "F8CBAD"


def _cell(value: object) -> object:
    """A raw value as the workbook shows it: text (escaped), or empty."""
    if value is None or (not isinstance(value, str) and pd.api.types.is_scalar(value) and pd.isna(value)):
        return None
    return escape_formula(value if isinstance(value, str) else cell_text(value))


def _widths(ws: Any, widths: list[int]) -> None:
    from openpyxl.utils import get_column_letter

    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w


def _table_label(table: str, lang: str) -> str:
    w = problem_words(lang)["words"]
    return w["table"].format(name=table, label=template_words(lang)["sheets"].get(table, table)) if table else ""


def _summary_sheet(wb: Any, result: Any, problems: pd.DataFrame, region: str, lang: str) -> None:
    from openpyxl.styles import Font

    w = problem_words(lang)["words"]
    ws = wb.active
    ws.title = w["summary_sheet"]
    ws.append([w["summary_title"].format(region=region)])
    ws["A1"].font = Font(bold=True)
    head = w["head"]
    ws.append([head[k] for k in ("table", "file", "sheet", "status", "rows_in", "accepted", "quarantined",
                                 "errors", "warnings")])
    for c in ws[2]:
        c.font = Font(bold=True)
    for t in result.tables.itertuples(index=False):
        mine = problems[problems["table"] == t.table]
        ws.append([_table_label(t.table, lang), _cell(t.file), _cell(t.sheet), w["status"].get(t.status, t.status),
                   int(t.rows_in), int(t.accepted), int(t.quarantined),
                   int((mine["severity"] == "error").sum()), int((mine["severity"] == "warning").sum())])
    _widths(ws, [22, 22, 14, 14, 10, 10, 10, 8, 8])
    ws.freeze_panes = "A3"


def _problems_sheet(wb: Any, problems: pd.DataFrame, lang: str) -> None:
    from openpyxl.styles import Alignment, Font

    w = problem_words(lang)["words"]
    ws = wb.create_sheet(w["problems_sheet"])
    ws.append([w["problems_title"]])
    ws["A1"].font = Font(bold=True)
    head = w["head"]
    ws.append([head["table"], head["file"], head["sheet"], w["file_row"], head["column"], w["value"],
               w["severity"], w["reason"], w["what"]])
    for c in ws[2]:
        c.font = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    columns = ("table", "file", "sheet", "row", "column", "value", "severity", "reason")
    # rows counted here: openpyxl's ws.max_row looks at every cell, each time
    for at, (table, file, sheet, row, column, value, severity, reason, message) in enumerate(
            zip(*P.column_lists(problems, *columns), P.render(problems, lang).tolist()), start=3):
        ws.append([_table_label(table, lang), _cell(file), _cell(sheet), None if row is None else int(row),
                   P.column_name(column, lang) if column else None, _cell(value),
                   w["severities"].get(severity, severity), P.reason_name(reason, lang), _cell(message)])
        ws.cell(at, 9).alignment = wrap
    _widths(ws, [22, 20, 12, 8, 14, 22, 8, 20, 80])
    ws.freeze_panes = "A3"


def _rows_sheet(wb: Any, result: Any, table: str, problems: pd.DataFrame, lang: str) -> None:
    """The rows of ``table`` that were not accepted, as they were, wrong cells filled."""
    from openpyxl.styles import Alignment, Font, PatternFill

    w = problem_words(lang)["words"]
    rows = result.quarantine[table]
    info = result.tables.set_index("table").loc[table]
    columns = [c for c in rows.columns if c != "row"]
    written = (result.headers or {}).get(table, {})
    personal = [c.name for c in TABLES_BY_NAME[table].columns if c.personal and c.name in columns]
    ws = wb.create_sheet(str(template_words(lang)["sheets"].get(table, table)))
    where = info["file"] + (w["sheet"].format(sheet=info["sheet"]) if info["sheet"] else "")
    ws.append([w["note" if personal else "note_plain"].format(
        file=where, columns=w["list_sep"].join(written.get(c, P.column_name(c, lang)) for c in personal))])
    ws["A1"].font = Font(italic=True)
    mine = problems[problems["table"] == table]
    whole = mine[mine["row"].isna() & (mine["severity"] == "error")]
    whole_text = w["list_sep"].join(P.render(whole, lang)) if len(whole) else ""
    if whole_text:
        ws.append([w["note_whole"].format(why=whole_text)])
    ws.append([w["file_row"], *(written.get(c, P.column_name(c, lang)) for c in columns), w["explain"]])
    header_row = 3 if whole_text else 2
    for c in ws[header_row]:
        c.font = Font(bold=True)
    on_rows = mine[mine["row"].notna()]
    by_row: dict[int, list[tuple[str, str, str]]] = {}
    for row, column, severity, message in zip(*P.column_lists(on_rows, "row", "column", "severity"),
                                              P.render(on_rows, lang).tolist()):
        by_row.setdefault(int(row), []).append((column, severity, message))
    fills = {"error": PatternFill("solid", fgColor=ERROR_FILL), "warning": PatternFill("solid", fgColor=WARNING_FILL)}
    position = {c: i + 2 for i, c in enumerate(columns)}  # column A holds the file row
    explain_at = len(columns) + 2
    wrap = Alignment(wrap_text=True, vertical="top")
    for at, values in enumerate(zip(*P.column_lists(rows, *rows.columns)), start=header_row + 1):
        record = dict(zip(rows.columns, values))
        file_row = int(record["row"])
        found = by_row.get(file_row, [])
        said = [(f"{P.column_name(c, lang)}{w['colon']}" if c else "") + m for c, _, m in found]
        if whole_text and not found:
            said = [whole_text]
        ws.append([file_row, *(_cell(mask_value(c, record[c]) if c in personal else record[c]) for c in columns),
                   _cell("\n".join(said)) if said else None])
        for column, severity, _ in sorted(found, key=lambda f: f[1] != "warning"):  # errors fill last, on top
            ws.cell(at, position.get(column, 1)).fill = fills[severity]
        ws.cell(at, explain_at).alignment = wrap
    _widths(ws, [8, *([14] * len(columns)), 70])
    ws.freeze_panes = ws.cell(header_row + 1, 2).coordinate


def write_problem_book(result: Any, path: str | Path, *, lang: str = "zh", region: str = "",
                       flags: pd.DataFrame | None = None) -> Path:
    """Write the problems workbook of a validation (see the module docstring).

    Parameters
    ----------
    result : ValidationResult
        What :func:`reliefkit.io.validation.validate_folder` gave.
    path : str or pathlib.Path
        The ``.xlsx`` to write (written atomically; the same problems give the same bytes).
    lang : {"zh", "en"}
        The language of the sheets' names, headers and messages.
    region : str
        What the summary's title calls the region.
    flags : pandas.DataFrame, optional
        Integrity flags (:func:`reliefkit.figures.audit.audit`), listed with the problems.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    OutputError
        When the folder is read-only or the disk is full.

    Examples
    --------
    >>> import tempfile
    >>> from reliefkit.io.validation import validate_folder
    >>> out = write_problem_book(validate_folder("data/sample"), Path(tempfile.mkdtemp()) / "问题.xlsx",
    ...                          region="sample")
    >>> import openpyxl
    >>> openpyxl.load_workbook(out).sheetnames
    ['汇总', '问题清单']
    """
    import openpyxl

    problem_words(lang)  # an unknown language is an error before anything is written
    problems = result.problems if flags is None or flags.empty else pd.concat(
        [result.problems, flags[[c for c in result.problems.columns if c in flags.columns]]], ignore_index=True)
    wb = openpyxl.Workbook()
    _summary_sheet(wb, result, problems, region, lang)
    _problems_sheet(wb, problems, lang)
    for table, rows in result.quarantine.items():
        if len(rows):
            _rows_sheet(wb, result, table, result.problems, lang)
    return write_office(wb, Path(path))

"""Read one sheet of an ``.xlsx`` workbook fast: cell values from calamine, the rest from the XML.

:func:`reliefkit.io.sheets.read_xlsx_sheet` calls :func:`read_fast`, which reads the
values with `python-calamine <https://pypi.org/project/python-calamine/>`_ (the Rust
calamine reader, about ten times faster than openpyxl) and reads what calamine does not
tell straight from the workbook's XML with :mod:`zipfile`:

- the date system: ``date1904`` in ``xl/workbook.xml``;
- formulas without a saved value: ``<c>`` cells of the sheet holding an ``<f>`` and no
  (or an empty) ``<v>``, read as bad cells;
- error cells (``#DIV/0!``, ``#N/A`` …): calamine hands them back empty, the XML has
  their text.

Merged ranges come from calamine. The result is the :class:`~reliefkit.io.sheets.Sheet`
the openpyxl reader gave, cell for cell: the same text (dates as ``YYYY-MM-DD``, numbers
through :func:`~reliefkit.io.coerce.number_to_text`, a time of day as ``1900-01-01``,
a duration as ``str(timedelta)``), the same notes and bad cells.

openpyxl is still used, as a fallback only, where calamine and openpyxl would disagree or
calamine cannot read the file (so a damaged workbook gets the very problem it got before):

- calamine (or the XML) fails on the file: openpyxl reads it, or reports why it cannot;
- the strings hold ``_xHHHH_`` escapes, which openpyxl keeps as written and calamine decodes;
- a 1904 workbook holds a time of day: calamine turns dates before 1904 into times;
- a formula cell has no ``r`` address.

Set the environment variable ``RELIEFKIT_XLSX_READER=openpyxl`` to read every workbook
with the old openpyxl reader (the benchmark ``benchmarks/bench_excel.py`` compares both).
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

from reliefkit.io.sheets import Sheet, UnreadableFile, cell_text

__all__ = ["READER_ENV", "read_fast", "use_openpyxl"]

READER_ENV = "RELIEFKIT_XLSX_READER"
_ESCAPE = re.compile(rb"_x[0-9A-Fa-f]{4}_")
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_FORMULA = re.compile(rb"<(?:\w+:)?f\b")
_VALUE = re.compile(rb"<(?:\w+:)?v(?:\s[^>]*)?>([^<]*)</(?:\w+:)?v>")
_ERROR_TYPE = re.compile(rb'\bt="e"')
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


class _Fallback(Exception):
    """Internal: this workbook is read with openpyxl (see the module docstring)."""


def use_openpyxl() -> bool:
    """Whether ``RELIEFKIT_XLSX_READER=openpyxl`` asks for the old reader.

    Returns
    -------
    bool

    Examples
    --------
    >>> import os
    >>> os.environ.pop(READER_ENV, None) and None
    >>> use_openpyxl()
    False
    """
    return os.environ.get(READER_ENV, "").strip().lower() == "openpyxl"


def _column_index(letters: bytes) -> int:
    """``b"A"`` → 0, ``b"AA"`` → 26."""
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n - 1


def _workbook_parts(zf: zipfile.ZipFile) -> tuple[bool, dict[str, str]]:
    """The date system (True for 1904) and each sheet's XML part, by sheet name."""
    root = ET.fromstring(zf.read("xl/workbook.xml"))
    date1904 = False
    targets: dict[str, str] = {}
    rels = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    by_id = {r.get("Id"): r.get("Target", "") for r in rels}
    for el in root.iter():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "workbookPr":
            date1904 = el.get("date1904", "").strip().lower() in ("1", "true")
        elif tag == "sheet":
            target = by_id.get(el.get(_REL_NS), "")
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            targets[el.get("name", "")] = part
    return date1904, targets


def _scan_cells(xml: bytes) -> tuple[list[tuple[int, int]], dict[tuple[int, int], str]]:
    """Formula cells without a saved value, and error cells with their text, by (row, col)."""
    no_value: list[tuple[int, int]] = []
    errors: dict[tuple[int, int], str] = {}
    has_f, has_e = _FORMULA.search(xml) is not None, _ERROR_TYPE.search(xml) is not None
    if not (has_f or has_e):
        return no_value, errors
    for m in _CELL.finditer(xml):
        attrs, body = m.group(1), m.group(2) or b""
        is_f = has_f and _FORMULA.search(body) is not None
        is_e = has_e and _ERROR_TYPE.search(attrs) is not None
        if not (is_f or is_e):
            continue
        ref = _REF.search(attrs)
        if ref is None:
            raise _Fallback("a cell without an address")
        pos = (int(ref.group(2)) - 1, _column_index(ref.group(1)))
        v = _VALUE.search(body)
        text = v.group(1).decode("utf-8") if v else ""
        if is_f and not text:
            no_value.append(pos)
        elif is_e and text:
            errors[pos] = text
    return no_value, errors


def _read_values(path: Path, sheet: str | None) -> tuple[str, list[list[object]], list, list[str]]:
    """The sheet's title, its rows as calamine reads them, its merged ranges and all sheet names."""
    import python_calamine

    try:
        wb = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception as e:  # calamine raises its own error types for a damaged file
        raise _Fallback(type(e).__name__) from None
    try:
        names = list(wb.sheet_names)
        if sheet and sheet not in names:
            raise UnreadableFile(f"has no sheet '{sheet}' (sheets: {', '.join(names)})")
        if not sheet:
            sheet = next((m.name for m in wb.sheets_metadata if str(m.typ).endswith("WorkSheet")), None)
            if sheet is None:
                raise _Fallback("no worksheet")
        try:
            ws = wb.get_sheet_by_name(sheet)
            rows = ws.to_python(skip_empty_area=False)
            merged = list(ws.merged_cell_ranges or [])
        except Exception as e:
            raise _Fallback(type(e).__name__) from None
    finally:
        wb.close()
    return sheet, rows, merged, names


def read_fast(path: Path, sheet: str | None) -> Sheet | None:
    """One sheet of a workbook as :class:`~reliefkit.io.sheets.Sheet`, or ``None`` to fall back.

    Parameters
    ----------
    path : pathlib.Path
        A zip file (the caller has checked the magic bytes).
    sheet : str or None
        The sheet to read; ``None`` reads the first worksheet.

    Returns
    -------
    Sheet or None
        ``None`` when openpyxl must read this workbook (see the module docstring).

    Raises
    ------
    UnreadableFile
        When the workbook has no sheet of that name.

    Examples
    --------
    >>> import tempfile, openpyxl
    >>> from pathlib import Path
    >>> wb = openpyxl.Workbook(); ws = wb.active
    >>> ws.append(["户编号", "家庭年收入"]); ws.append(["H1", 1200]); ws.append(["H2", "=B2*2"])
    >>> f = Path(tempfile.mkdtemp()) / "households.xlsx"; wb.save(f)
    >>> s = read_fast(f, None)
    >>> s.cells.values.tolist(), s.bad_cells, s.epoch
    ([['户编号', '家庭年收入'], ['H1', '1200'], ['H2', '']], [(2, 1, 'formula_without_value')], '1900')
    """
    try:
        title, rows, merged, _ = _read_values(path, sheet)
        with zipfile.ZipFile(path) as zf:
            date1904, parts = _workbook_parts(zf)
            xml = zf.read(parts[title])
            if _ESCAPE.search(xml) or ("xl/sharedStrings.xml" in zf.namelist()
                                       and _ESCAPE.search(zf.read("xl/sharedStrings.xml"))):
                raise _Fallback("_xHHHH_ escapes")
        no_value, errors = _scan_cells(xml)
    except (_Fallback, KeyError, ET.ParseError, zipfile.BadZipFile, UnicodeDecodeError):
        return None
    width = max((len(r) for r in rows), default=0)
    height = len(rows)
    for (r0, c0), (r1, c1) in merged:  # a merged range stretches the sheet as openpyxl saw it
        height, width = max(height, r1 + 1), max(width, c1 + 1)
    for r, c in no_value:
        height, width = max(height, r + 1), max(width, c + 1)
    rows = [list(r) + [None] * (width - len(r)) for r in rows] + [[None] * width for _ in range(height - len(rows))]
    for (r, c), text in errors.items():
        if r < height and c < width:
            rows[r][c] = text
    if date1904 and any(type(v) is dt.time for row in rows for v in row):
        return None
    for (r0, c0), (r1, c1) in merged:  # what a person sees: the value in every cell
        value = rows[r0][c0]
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                rows[r][c] = value
    out = Sheet(_frame(rows, width), sheet=title, epoch="1904" if date1904 else "1900")
    if merged:
        out.notes.append(("merged_cells", f"{len(merged)} merged range(s)", ""))
    out.bad_cells = [(r, c, "formula_without_value") for r, c in sorted(no_value) if rows[r][c] in (None, "")]
    return out


def _frame(rows: list[list[object]], width: int):
    """Rows of calamine values → the text frame (str cells kept as they are: the usual case)."""
    import pandas as pd

    text = [[v if type(v) is str else cell_text(v) for v in r] for r in rows]
    return pd.DataFrame(text, columns=list(range(width)), dtype="str")

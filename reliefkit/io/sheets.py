"""Read one table file into rows of raw cells — CSV decoded strictly, XLSX as a person sees it, Parquet.

:func:`decode` accepts UTF-8 (with or without BOM), then GB18030; a file that is neither,
or UTF-8 text with corrupt bytes, is an error naming the byte offset — never silent
mojibake. :func:`read_xlsx_sheet` reads merged cells as a person sees them (the value in
every cell of the range), notes formulas without a saved value, and knows the workbook's
date system; a file whose extension lies (a workbook named ``.csv``, CSV text named
``.xlsx``) is read as what it is, with a note. :mod:`reliefkit.io.reading` finds the header
in the rows these readers return.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from reliefkit.io.coerce import number_to_text

__all__ = ["Sheet", "cell_text", "decode", "read_csv_sheet", "read_xlsx_sheet", "read_parquet_sheet", "MalformedFile",
           "UnreadableFile", "HEADER_SEARCH_ROWS", "BIG_XLSX"]


def decode(data: bytes) -> tuple[str, str]:
    """Decode CSV bytes strictly: UTF-8 (BOM or not), else GB18030.

    Returns
    -------
    text, encoding : str, str
        ``encoding`` is ``utf-8``, ``utf-8-sig`` or ``gb18030``.

    Raises
    ------
    ValueError
        With the byte offset, when the bytes are neither, or look like UTF-8 text
        with corrupt bytes (decoding those as GB18030 would give mojibake).

    Examples
    --------
    >>> decode("户编号".encode("gb18030"))
    ('户编号', 'gb18030')
    >>> decode(b"\\xef\\xbb\\xbfa,b")
    ('a,b', 'utf-8-sig')
    """
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as e:
            raise ValueError(f"byte {e.start + 3} is not valid UTF-8 although the file starts with a UTF-8 BOM") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as e:
        first_bad = e.start
    lenient = data.decode("utf-8", errors="replace")
    n_bad = lenient.count("\ufffd")
    n_good = sum(1 for ch in lenient if ord(ch) > 127 and ch != "\ufffd")
    if n_good > 10 * n_bad:
        raise ValueError(f"byte {first_bad} is not valid UTF-8 in a file that is otherwise UTF-8 (corrupt bytes)")
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as e:
        raise ValueError(
            f"the bytes are neither UTF-8 (first bad byte at offset {first_bad}) "
            f"nor GB18030 (first bad byte at offset {e.start})"
        ) from None


def cell_text(v: object) -> str:
    """One spreadsheet value as the text a reader sees: dates ``YYYY-MM-DD``, plain numbers.

    A time of day (no date) gives ``1900-01-01``, as it always has.

    Parameters
    ----------
    v : object
        A cell value as openpyxl or calamine hands it back.

    Returns
    -------
    str

    Examples
    --------
    >>> import datetime as dt
    >>> [cell_text(v) for v in (None, "H1", dt.date(2026, 3, 1), 1200.0, 1.10105e17, True)]
    ['', 'H1', '2026-03-01', '1200', '1.10105000000000E+17', 'true']
    """
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    if hasattr(v, "strftime"):
        return v.strftime("%Y-%m-%d")  # type: ignore[union-attr]
    if isinstance(v, (int, float, bool, np.number)):
        return number_to_text(v)
    return str(v)


@dataclass
class Sheet:
    """What a file reader hands back: every row (header candidates included) and notes."""

    cells: pd.DataFrame                       # columns 0..n-1, raw values
    first_row: int = 1                        # the file row of cells' row 0
    encoding: str | None = None
    sheet: str | None = None
    epoch: str = "1900"                       # Excel date system, for serial numbers
    overlong: np.ndarray | None = None        # rows with more fields than columns
    bad_cells: list[tuple[int, int, str]] = field(default_factory=list)  # (row, col, reason)
    notes: list[tuple[str, str, str]] = field(default_factory=list)      # (reason, value, detail)
    header: list[str] | None = None           # Parquet: the header is the column names


HEADER_SEARCH_ROWS = 10  # a title or group-header block above the header is at most this deep
_ZIP_MAGIC = b"PK\x03\x04"


def _csv_sheet(text: str, encoding: str) -> Sheet:
    """All CSV records as text, allowing title lines above the header."""
    try:
        head = [r for _, r in zip(range(HEADER_SEARCH_ROWS + 2), csv.reader(io.StringIO(text)))]
    except csv.Error as e:
        raise MalformedFile(f"the file cannot be parsed as CSV ({e})") from None
    n = max((len(r) for r in head), default=0)
    try:
        frame = pd.read_csv(
            io.StringIO(text), header=None, names=list(range(n)), dtype="str",
            keep_default_na=False, na_filter=False, skip_blank_lines=False, engine="c", index_col=False,
        )
        return Sheet(frame, encoding=encoding)
    except (pd.errors.ParserError, ValueError):
        pass  # some row has more fields than the widest early row: find them, row by row
    try:
        records = list(csv.reader(io.StringIO(text)))
    except csv.Error as e:
        raise MalformedFile(f"the file cannot be parsed as CSV ({e})") from None
    overlong = np.array([len(r) > n and any(x.strip() for x in r[n:]) for r in records], dtype=bool)
    rows = [(r + [""] * (n - len(r)))[:n] for r in records]
    return Sheet(pd.DataFrame(rows, columns=list(range(n)), dtype="str"), encoding=encoding, overlong=overlong)


def read_csv_sheet(path: Path) -> Sheet:
    data = path.read_bytes()
    if data.startswith(_ZIP_MAGIC):
        sheet = read_xlsx_sheet(path, None)
        sheet.notes.append(("wrong_extension", path.name, "an Excel workbook"))
        return sheet
    text, encoding = decode(data)
    if not text.strip():
        return Sheet(pd.DataFrame(), encoding=encoding)
    return _csv_sheet(text, encoding)


def _has_formulas(path: Path) -> bool:
    with zipfile.ZipFile(path) as zf:
        return any(b"<f>" in zf.read(n) or b"<f " in zf.read(n)
                   for n in zf.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml"))


BIG_XLSX = 20 * 2**20  # above this, read-only mode: no merged-cell or formula detection


def read_xlsx_sheet(path: Path, sheet: str | None) -> Sheet:
    """One sheet of a workbook (``None``: the first worksheet) as a person sees it.

    Cell values are read by calamine (:func:`reliefkit.io.xlsx.read_fast`), merged cells
    filled, formulas without a saved value noted as bad cells, the date system noted;
    openpyxl reads the few workbooks calamine cannot (and every workbook when
    ``RELIEFKIT_XLSX_READER=openpyxl``). CSV text named ``.xlsx`` is read as CSV, with a note.

    Parameters
    ----------
    path : pathlib.Path
    sheet : str or None

    Returns
    -------
    Sheet

    Raises
    ------
    UnreadableFile
        Not a workbook, a damaged one, or no sheet of that name.

    Examples
    --------
    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "households.xlsx"
    >>> _ = f.write_text("household_id,district\\nH1,A\\n", encoding="utf-8")
    >>> s = read_xlsx_sheet(f, None)
    >>> s.cells.values.tolist(), s.notes
    ([['household_id', 'district'], ['H1', 'A']], [('wrong_extension', 'households.xlsx', 'CSV text')])
    """
    data_head = path.read_bytes()[:4]
    if not data_head.startswith(_ZIP_MAGIC):
        try:
            text, encoding = decode(path.read_bytes())
        except ValueError:
            raise UnreadableFile("not an .xlsx workbook (not a zip file) and not text either") from None
        first = text.splitlines()[0] if text.splitlines() else ""  # an empty file: no first line
        if text.strip() and "," in first or "\t" in first:
            out = _csv_sheet(text, encoding)
            out.notes.append(("wrong_extension", path.name, "CSV text"))
            return out
        raise UnreadableFile("not an .xlsx workbook (not a zip file)")
    from reliefkit.io.xlsx import read_fast, use_openpyxl  # only when an .xlsx is read

    got = None if use_openpyxl() else read_fast(path, sheet)
    return got if got is not None else _read_with_openpyxl(path, sheet)


def _read_with_openpyxl(path: Path, sheet: str | None) -> Sheet:
    """The openpyxl reader: the fallback of :func:`read_xlsx_sheet`, and the old path for benchmarks."""
    import openpyxl  # only when needed: keeps `import reliefkit` fast

    big = path.stat().st_size > BIG_XLSX
    try:
        wb = openpyxl.load_workbook(path, read_only=big, data_only=True)
    except Exception as e:  # openpyxl raises many types for a damaged workbook
        raise UnreadableFile(f"not a readable .xlsx workbook ({type(e).__name__})") from None
    try:
        if sheet and sheet not in wb.sheetnames:
            raise UnreadableFile(f"has no sheet '{sheet}' (sheets: {', '.join(wb.sheetnames)})")
        ws = wb[sheet] if sheet else wb.worksheets[0]
        out = Sheet(pd.DataFrame(), sheet=ws.title,
                     epoch="1904" if getattr(wb, "epoch", None) and wb.epoch.year == 1904 else "1900")
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        merged = [] if big else [m.bounds for m in ws.merged_cells.ranges]
    finally:
        wb.close()
    width = max((len(r) for r in rows), default=0)
    rows = [r + [None] * (width - len(r)) for r in rows]
    for min_col, min_row, max_col, max_row in merged:  # what a person sees: the value in every cell
        value = rows[min_row - 1][min_col - 1]
        for r in range(min_row - 1, min(max_row, len(rows))):
            for c in range(min_col - 1, min(max_col, width)):
                rows[r][c] = value
    if merged:
        out.notes.append(("merged_cells", f"{len(merged)} merged range(s)", ""))
    if not big and _has_formulas(path):
        wb_f = openpyxl.load_workbook(path, read_only=False, data_only=False)
        ws_f = wb_f[out.sheet]
        for row in ws_f.iter_rows():
            for cell in row:
                if cell.data_type == "f" and rows[cell.row - 1][cell.column - 1] is None:
                    out.bad_cells.append((cell.row - 1, cell.column - 1, "formula_without_value"))
        wb_f.close()
    out.cells = pd.DataFrame([[cell_text(v) for v in r] for r in rows], columns=list(range(width)), dtype="str")
    return out


def read_parquet_sheet(path: Path) -> Sheet:
    try:
        frame = pd.read_parquet(path)
    except Exception as e:  # pyarrow raises many types for a corrupt file
        raise UnreadableFile(f"not a readable Parquet file ({type(e).__name__})") from None
    header = [str(c) for c in frame.columns]
    frame.columns = list(range(frame.shape[1]))
    return Sheet(frame.reset_index(drop=True), header=header)


class MalformedFile(Exception):
    """Internal signal: the file is not valid CSV; :func:`~reliefkit.io.reading.read_table` reports it."""


class UnreadableFile(Exception):
    """Internal signal: the file cannot be read as its kind; reported as a problem by the caller."""

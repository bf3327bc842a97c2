"""Read the table files of a region folder into raw frames.

This module only *reads*: it finds each table's file (``households.csv``, ``persons.xlsx``,
``payments.parquet`` …, or a Chinese file name such as ``家庭成员.csv``), decodes CSV
strictly (UTF-8 with or without BOM, then GB18030; a file that is neither, or UTF-8 with
corrupt bytes, is an error naming the byte offset — never silent mojibake), maps the
headers onto canonical column names through :mod:`reliefkit.aliases`, and keeps the row
number a person sees in the file. Values stay raw (text, or typed Parquet columns);
:mod:`reliefkit.validation` coerces and checks them.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import problems as P
from .aliases import HEADER_ALIASES, TABLE_FILE_ALIASES, ZH_HEADER, fold
from .coerce import number_to_text
from .errors import RegionReadError
from .schema import TABLES, Table

SUFFIXES = (".csv", ".xlsx", ".parquet")
FIRST_DATA_ROW = 2  # the header is row 1, as a spreadsheet shows it


@dataclass(frozen=True, eq=False)
class RawTable:
    """One table as read from its file, before coercion.

    Attributes
    ----------
    table : str
        Canonical table name.
    file : pathlib.Path
    sheet : str or None
        The sheet read, for ``.xlsx``.
    encoding : str or None
        The detected encoding, for ``.csv``.
    frame : pandas.DataFrame
        Columns renamed to canonical names (unknown columns left out), values raw.
    rows : numpy.ndarray
        The row number of each frame row as seen in the file.
    headers : dict
        Canonical name → the header as written in the file.
    overlong : numpy.ndarray of bool
        Rows with more fields than the header (their cells cannot be trusted).
    """

    table: str
    file: Path
    sheet: str | None
    encoding: str | None
    frame: pd.DataFrame
    rows: np.ndarray
    headers: dict[str, str] = field(default_factory=dict)
    overlong: np.ndarray | None = None


def find_table_files(region_dir: Path) -> tuple[dict[str, Path], pd.DataFrame]:
    """The file of each table in ``region_dir``, and problems (duplicates, missing).

    Raises
    ------
    RegionReadError
        When ``region_dir`` is not a folder.
    """
    region_dir = Path(region_dir)
    if not region_dir.is_dir():
        raise RegionReadError(
            "is not a folder", "give the path of a region folder holding households.csv, persons.csv …",
            folder=str(region_dir),
        )
    found: dict[str, list[Path]] = {}
    for path in sorted(region_dir.iterdir()):
        if path.is_file() and path.suffix.lower() in SUFFIXES and not path.name.startswith((".", "~$")):
            table = TABLE_FILE_ALIASES.get(fold(path.stem))
            if table:
                found.setdefault(table, []).append(path)
    files: dict[str, Path] = {}
    probs = []
    for t in TABLES:
        paths = found.get(t.name, [])
        if len(paths) > 1:
            probs.append(P.file_problem(t.name, region_dir, "duplicate_table",
                                        detail=", ".join(p.name for p in paths)))
        elif paths:
            files[t.name] = paths[0]
        elif t.required:
            probs.append(P.file_problem(t.name, region_dir, "missing_table", detail=t.name))
    return files, P.concat(probs)


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


def _cell_text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    if hasattr(v, "strftime"):
        return v.strftime("%Y-%m-%d")  # type: ignore[union-attr]
    if isinstance(v, (int, float, bool, np.number)):
        return number_to_text(v)
    return str(v)


def _read_csv(path: Path) -> tuple[list[str], pd.DataFrame, str, np.ndarray | None]:
    data = path.read_bytes()
    text, encoding = decode(data)
    if not text.strip():
        return [], pd.DataFrame(), encoding, None
    try:
        header = next(csv.reader(io.StringIO(text)))
    except csv.Error as e:
        raise _Malformed(f"the header row cannot be parsed ({e})") from None
    n = len(header)
    try:
        frame = pd.read_csv(
            io.StringIO(text), header=None, skiprows=1, names=list(range(n)), dtype="str",
            keep_default_na=False, na_filter=False, skip_blank_lines=False, engine="c",
            index_col=False,
        )
        return header, frame, encoding, None
    except (pd.errors.ParserError, ValueError):
        pass  # some row has more fields than the header: find them, row by row
    try:
        records = list(csv.reader(io.StringIO(text)))[1:]
    except csv.Error as e:
        raise _Malformed(f"the file cannot be parsed as CSV ({e})") from None
    overlong = np.array([len(r) > n and any(x.strip() for x in r[n:]) for r in records], dtype=bool)
    rows = [(r + [""] * (n - len(r)))[:n] for r in records]
    return header, pd.DataFrame(rows, columns=list(range(n)), dtype="str"), encoding, overlong


def _read_xlsx(path: Path, sheet: str | None) -> tuple[list[str], pd.DataFrame, str]:
    import openpyxl  # only when an .xlsx is read: keeps `import reliefkit` fast

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as e:
        raise _Unreadable(f"not a readable .xlsx workbook ({type(e).__name__})") from None
    try:
        ws = wb[sheet] if sheet else wb.worksheets[0]
        name = ws.title
        rows = [[_cell_text(v) for v in r] for r in ws.iter_rows(values_only=True)]
    finally:
        wb.close()
    if not rows:
        return [], pd.DataFrame(), name
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    header = rows[0]
    frame = pd.DataFrame(rows[1:], columns=list(range(width)), dtype="str")
    return header, frame, name


def _read_parquet(path: Path) -> tuple[list[str], pd.DataFrame]:
    try:
        frame = pd.read_parquet(path)
    except Exception as e:  # pyarrow raises many types for a corrupt file
        raise _Unreadable(f"not a readable Parquet file ({type(e).__name__})") from None
    header = [str(c) for c in frame.columns]
    frame.columns = list(range(len(header)))
    return header, frame.reset_index(drop=True)


class _Malformed(Exception):
    pass


class _Unreadable(Exception):
    pass


def read_table(table: Table, path: Path, sheet: str | None = None) -> tuple[RawTable | None, pd.DataFrame]:
    """Read one table file; a file that cannot be read yields ``None`` and its problem.

    Returns
    -------
    raw : RawTable or None
    problems : pandas.DataFrame
        File-level problems (undecodable, unreadable, duplicate or missing headers) and
        warnings (unknown columns).
    """
    name = path.name
    encoding = sheet_name = None
    try:
        suffix = path.suffix.lower()
        overlong = None
        if suffix == ".csv":
            header, frame, encoding, overlong = _read_csv(path)
        elif suffix == ".xlsx":
            header, frame, sheet_name = _read_xlsx(path, sheet)
        else:
            header, frame = _read_parquet(path)
    except ValueError as e:
        return None, P.file_problem(table.name, name, "undecodable", detail=str(e))
    except _Malformed as e:
        return None, P.file_problem(table.name, name, "malformed", detail=str(e))
    except _Unreadable as e:
        return None, P.file_problem(table.name, name, "unreadable", detail=str(e))
    if not header:
        return None, P.file_problem(table.name, name, "empty_file", sheet=sheet_name)

    probs = []
    canon_of: dict[int, str] = {}
    seen: dict[str, str] = {}
    for i, h in enumerate(header):
        c = HEADER_ALIASES.get(fold(h)) if str(h).strip() else None
        if c in table.names:
            if c in seen:
                probs.append(P.file_problem(table.name, name, "duplicate_header", sheet=sheet_name,
                                            value=f"'{seen[c]}' and '{h}'", detail=c, column=c))
            else:
                seen[c] = str(h)
                canon_of[i] = c
        elif str(h).strip():
            probs.append(P.file_problem(table.name, name, "unknown_column", sheet=sheet_name, value=str(h),
                                        detail=_closest(h, table), severity="warning"))
    for col in table.columns:
        if col.required and col.name not in seen:
            probs.append(P.file_problem(table.name, name, "missing_column", sheet=sheet_name,
                                        value=ZH_HEADER.get(col.name, col.name), detail=col.name,
                                        column=col.name))
    rows = np.arange(len(frame), dtype=np.int64) + FIRST_DATA_ROW
    blank = _blank_rows(frame)
    if blank is not None:  # wholly empty lines are layout, not records
        frame, rows = frame[~blank].reset_index(drop=True), rows[~blank]
        overlong = overlong[~blank] if overlong is not None else None
    frame = frame[list(canon_of)].rename(columns=canon_of)
    raw = RawTable(table.name, path, sheet_name, encoding, frame, rows, seen, overlong)
    return raw, P.concat(probs)


def _blank_rows(frame: pd.DataFrame) -> np.ndarray | None:
    """Mask of wholly empty text rows, or None when there are none (cheap when there are none)."""
    if not len(frame) or not all(pd.api.types.is_string_dtype(frame[c].dtype) or frame[c].dtype == object
                                 for c in frame.columns):
        return None
    first = frame[frame.columns[0]].fillna("").astype("str").str.strip() == ""
    if not first.any():
        return None
    candidates = frame[first.to_numpy()]
    blank_c = (candidates.fillna("").astype("str").apply(lambda s: s.str.strip()) == "").all(axis=1)
    blank = np.zeros(len(frame), dtype=bool)
    blank[np.flatnonzero(first.to_numpy())[blank_c.to_numpy()]] = True
    return blank if blank.any() else None


def _closest(header: str, table: Table) -> str:
    import difflib

    match = difflib.get_close_matches(fold(header), [fold(n) for n in table.names], n=1, cutoff=0.6)
    if match:
        return next(n for n in table.names if fold(n) == match[0])
    return "one of " + ", ".join(table.names)

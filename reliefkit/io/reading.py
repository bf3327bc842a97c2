"""Read the table files of a region folder into raw frames.

This module only *reads*: it finds each table's file (``households.csv``, ``persons.xlsx``,
``payments.parquet`` …, or a Chinese file name such as ``家庭成员.csv``), decodes CSV
strictly (:mod:`reliefkit.io.sheets` reads the rows of each kind of file), maps the
headers onto canonical column names through :mod:`reliefkit.io.aliases`, and keeps the row
number a person sees in the file. Values stay raw (text, or typed Parquet columns);
:mod:`reliefkit.io.validation` coerces and checks them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from reliefkit.errors import RegionReadError
from reliefkit.io import problems as P
from reliefkit.io.aliases import NO_ALIASES, TABLE_FILE_ALIASES, ZH_HEADER, RegionAliases, fold
from reliefkit.io.schema import TABLES, Table
from reliefkit.io.sheets import (
    HEADER_SEARCH_ROWS,
    MalformedFile,
    UnreadableFile,
    read_csv_sheet,
    read_parquet_sheet,
    read_xlsx_sheet,
)

__all__ = ["SUFFIXES", "RawTable", "find_table_files", "find_table_sources", "read_table"]

SUFFIXES = (".csv", ".xlsx", ".parquet")


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
    epoch : str
        ``"1900"`` or ``"1904"``: the workbook's date system, for serial numbers.
    bad_cells : list of (row position, column, reason)
        Cells that cannot be read (a formula without a cached value).
    """

    table: str
    file: Path
    sheet: str | None
    encoding: str | None
    frame: pd.DataFrame
    rows: np.ndarray
    headers: dict[str, str] = field(default_factory=dict)
    overlong: np.ndarray | None = None
    epoch: str = "1900"
    bad_cells: list[tuple[int, str, str]] = field(default_factory=list)


def find_table_files(region_dir: Path) -> tuple[dict[str, Path], pd.DataFrame]:
    """The file of each table of a region folder (or workbook), and problems (duplicates, missing).

    A workbook holding the whole region gives its own path for every table it holds
    (:func:`find_table_sources` also names the sheets).

    Raises
    ------
    RegionReadError
        When ``region_dir`` is neither a folder nor an ``.xlsx`` workbook.

    Examples
    --------
    >>> files, problems = find_table_files(Path("data/sample"))
    >>> files["persons"].name, problems.empty
    ('persons.csv', True)
    """
    sources, probs = find_table_sources(region_dir)
    return {t: path for t, (path, _) in sources.items()}, probs


def find_table_sources(region: Path) -> tuple[dict[str, tuple[Path, str | None]], pd.DataFrame]:
    """Where each table is: ``(file, sheet)`` — one file per table in a region folder
    (sheet ``None``: the first), or one sheet per table of a single ``.xlsx`` workbook.

    A workbook's sheets are matched to tables by name as files are
    (:data:`~reliefkit.io.aliases.TABLE_FILE_ALIASES`: ``家庭``, ``家庭成员`` …, or
    ``households`` …); other sheets (the template's instructions) are left alone.

    Parameters
    ----------
    region : pathlib.Path
        A region folder, or one workbook holding the region.

    Returns
    -------
    sources : dict
        Table name → (path, sheet or None).
    problems : pandas.DataFrame
        ``duplicate_table`` and ``missing_table`` (and ``unreadable`` for a damaged workbook).

    Raises
    ------
    RegionReadError
        When ``region`` is neither a folder nor an ``.xlsx`` workbook.

    Examples
    --------
    >>> sources, _ = find_table_sources(Path("data/sample"))
    >>> sources["households"]
    (PosixPath('data/sample/households.csv'), None)
    """
    region = Path(region)
    if region.is_file() and region.suffix.lower() == ".xlsx":
        try:
            names = _sheet_names(region)
        except UnreadableFile as e:
            return {}, P.file_problem("", region.name, "unreadable", detail=str(e))
        found = {}
        for name in names:
            table = TABLE_FILE_ALIASES.get(fold(name))
            if table:
                found.setdefault(table, []).append((region, name))
        return _pick(found, region.name, lambda s: s[1])
    if not region.is_dir():
        raise RegionReadError(
            "is not a folder", "give the path of a region folder holding households.csv, persons.csv … "
                               "or of one .xlsx workbook with a sheet per table",
            folder=str(region),
        )
    found = {}
    for path in sorted(region.iterdir()):
        if path.is_file() and path.suffix.lower() in SUFFIXES and not path.name.startswith((".", "~$")):
            table = TABLE_FILE_ALIASES.get(fold(path.stem))
            if table:
                found.setdefault(table, []).append((path, None))
    return _pick(found, region, lambda s: s[0].name)


def _pick(found: dict[str, list[tuple[Path, str | None]]], where: str | Path,
          name: Callable[[tuple[Path, str | None]], str]) -> tuple[dict[str, tuple[Path, str | None]], pd.DataFrame]:
    """One source per table; a table found twice, or a required one not at all, is a problem."""
    sources: dict[str, tuple[Path, str | None]] = {}
    probs = []
    for t in TABLES:
        got = found.get(t.name, [])
        if len(got) > 1:
            probs.append(P.file_problem(t.name, where, "duplicate_table", detail=", ".join(name(s) for s in got)))
        elif got:
            sources[t.name] = got[0]
        elif t.required:
            probs.append(P.file_problem(t.name, where, "missing_table", detail=t.name))
    return sources, P.concat(probs)


def _sheet_names(path: Path) -> list[str]:
    """The worksheet names of a workbook, in order."""
    import openpyxl  # only when a workbook is the region

    try:
        wb = openpyxl.load_workbook(path, read_only=True)
    except Exception as e:  # openpyxl raises many types for a damaged workbook
        raise UnreadableFile(f"not a readable .xlsx workbook ({type(e).__name__})") from None
    try:
        return list(wb.sheetnames)
    finally:
        wb.close()


def _example_rows(frame: pd.DataFrame, table: Table) -> np.ndarray | None:
    """Rows of a template's example (an ID starting with an example marker), or None when none."""
    from reliefkit.io.template import example_markers

    ids = [c.name for c in table.columns if c.kind == "id" and c.name in frame.columns]
    if not len(frame) or not ids:
        return None
    marks = tuple(m.lower() for m in example_markers())
    hit = np.zeros(len(frame), dtype=bool)
    for c in ids:
        text = frame[c].fillna("").astype("str").str.strip().str.lower()
        hit |= text.str.startswith(marks).to_numpy()
    return hit if hit.any() else None


def _score(row: list, table: Table, headers: dict[str, str]) -> int:
    """How many of the table's columns a candidate header row names."""
    return len({headers.get(fold(c)) for c in row if str(c).strip()} & set(table.names))


def _find_header(head: pd.DataFrame, table: Table, headers: dict[str, str]) -> tuple[int, bool]:
    """The header row among the first rows (a title or group header may stand above it),
    and whether the row below it is a second header row (English names under Chinese …)."""
    scores = [_score(head.iloc[i].tolist(), table, headers) for i in range(min(len(head), HEADER_SEARCH_ROWS))]
    if not scores or max(scores) == 0:
        return 0, False
    h = scores.index(max(scores))
    second = h + 1 < len(head) and _score(head.iloc[h + 1].tolist(), table, headers) >= max(2, scores[h] // 2)
    return h, second


def read_table(table: Table, path: Path, sheet: str | None = None,
               aliases: RegionAliases = NO_ALIASES) -> tuple[RawTable | None, pd.DataFrame]:
    """Read one table file; a file that cannot be read yields ``None`` and its problem.

    The header is the row, among the first ten, that names most of the table's columns
    (title lines and group headers above it are skipped; a second header row under it is
    skipped too, each with a warning). In an ``.xlsx``, merged cells are read as a person
    sees them — the value in every cell of the range — and a formula without a cached
    value is an error of its row, never an empty cell. ``aliases`` are the region
    folder's own headers (``aliases.yaml``), over the kit's.

    Returns
    -------
    raw : RawTable or None
    problems : pandas.DataFrame
        File-level problems (undecodable, unreadable, duplicate or missing headers) and
        warnings (unknown columns, skipped title rows, merged cells, wrong extension).
    """
    name = path.name
    try:
        suffix = path.suffix.lower()
        if suffix == ".csv":
            got = read_csv_sheet(path)
        elif suffix == ".xlsx":
            got = read_xlsx_sheet(path, sheet)
        else:
            got = read_parquet_sheet(path)
    except ValueError as e:
        return None, P.file_problem(table.name, name, "undecodable", detail=str(e))
    except MalformedFile as e:
        return None, P.file_problem(table.name, name, "malformed", detail=str(e))
    except UnreadableFile as e:
        return None, P.file_problem(table.name, name, "unreadable", detail=str(e))
    except OSError as e:
        return None, P.file_problem(table.name, name, "unreadable", detail=f"cannot be opened ({e.strerror})")
    sheet_name = got.sheet
    headers = aliases.header_map(table.name)
    probs = [P.file_problem(table.name, name, reason, value=value, detail=detail, sheet=sheet_name,
                            severity="warning") for reason, value, detail in got.notes]
    cells = got.cells
    if got.header is not None:
        header, data_start = got.header, 0
    else:
        blank_all = _blank_rows(cells)
        if cells.empty or (blank_all is not None and blank_all.all()):
            return None, P.concat(probs + [P.file_problem(table.name, name, "empty_file", sheet=sheet_name)])
        h, second = _find_header(cells.head(HEADER_SEARCH_ROWS + 1), table, headers)
        header = cells.iloc[h].tolist()
        data_start = h + 2 if second else h + 1
        if h > 0:
            probs.append(P.file_problem(table.name, name, "rows_above_header", sheet=sheet_name,
                                        value=f"{got.first_row}–{got.first_row + h - 1}",
                                        detail=str(got.first_row + h), severity="warning"))
        if second:
            probs.append(P.file_problem(table.name, name, "second_header_row", sheet=sheet_name,
                                        value=str(got.first_row + h + 1), severity="warning"))

    canon_of: dict[int, str] = {}
    seen: dict[str, str] = {}
    for i, head in enumerate(header):
        c = headers.get(fold(head)) if str(head).strip() else None
        if c in table.names:
            if c in seen:
                probs.append(P.file_problem(table.name, name, "duplicate_header", sheet=sheet_name,
                                            value=f"'{seen[c]}' and '{head}'", detail=c, column=c))
            else:
                seen[c] = str(head)
                canon_of[i] = c
        elif str(head).strip():
            probs.append(P.file_problem(table.name, name, "unknown_column", sheet=sheet_name, value=str(head),
                                        detail=_closest(head, table), severity="warning"))
    for col in table.columns:
        if col.required and col.name not in seen:
            probs.append(P.file_problem(table.name, name, "missing_column", sheet=sheet_name,
                                        value=ZH_HEADER.get(col.name, col.name), detail=col.name,
                                        column=col.name))
    frame = cells.iloc[data_start:].reset_index(drop=True) if data_start else cells
    rows = np.arange(len(frame), dtype=np.int64) + got.first_row + (data_start if got.header is None else 1)
    overlong = got.overlong[data_start:] if got.overlong is not None else None
    width = max((i + 1 for i, head in enumerate(header) if str(head).strip()), default=0)
    beyond = [c for c in frame.columns if c >= width]
    if beyond and got.header is None:  # cells right of the last header: they belong to no column
        extra = (frame[beyond].fillna("").astype("str").apply(lambda col: col.str.strip()) != "").any(axis=1).to_numpy()
        if extra.any():
            overlong = extra if overlong is None else (overlong | extra)
    bad = [(r - data_start, canon_of[c], reason) for r, c, reason in got.bad_cells
           if r >= data_start and c in canon_of]
    blank = _blank_rows(frame)
    if blank is not None:  # wholly empty lines are layout, not records
        keep = np.flatnonzero(~blank)
        renumber = {old: new for new, old in enumerate(keep)}
        bad = [(renumber[r], c, reason) for r, c, reason in bad if r in renumber]
        frame, rows = frame[~blank].reset_index(drop=True), rows[~blank]
        overlong = overlong[~blank] if overlong is not None else None
    frame = frame[list(canon_of)].rename(columns=canon_of)
    example = _example_rows(frame, table)
    if example is not None:  # the template's example rows: skipped, never counted
        from reliefkit.io.template import example_markers

        probs.append(P.file_problem(table.name, name, "example_row", sheet=sheet_name, severity="warning",
                                    value=", ".join(str(r) for r in rows[example]),
                                    detail=" / ".join(example_markers())))
        keep = np.flatnonzero(~example)
        renumber = {old: new for new, old in enumerate(keep)}
        bad = [(renumber[r], c, reason) for r, c, reason in bad if r in renumber]
        frame, rows = frame[~example].reset_index(drop=True), rows[~example]
        overlong = overlong[~example] if overlong is not None else None
    if not len(frame):
        probs.append(P.file_problem(table.name, name, "no_rows", sheet=sheet_name, severity="warning"))
    raw = RawTable(table.name, path, sheet_name, got.encoding, frame, rows, seen, overlong, got.epoch, bad)
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

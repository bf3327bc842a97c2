"""Write a region's tables as a region folder: canonical CSV, Chinese GB18030 CSV, XLSX or Parquet.

The inverse of :mod:`reliefkit.io.reading`, for exporting a region in the form an office
exchanges (and for the sample data and the format round-trip tests). Output is
deterministic: the same tables give the same bytes. Every file goes through the safety
layer's atomic writers (an interrupted export leaves no half-written table); cells are
not formula-escaped, because an exported registry must read back exactly as it was.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Literal, Mapping

import pandas as pd

from reliefkit.io.aliases import ZH_CODES, ZH_HEADER
from reliefkit.io.coerce import number_to_text
from reliefkit.io.schema import TABLES_BY_NAME
from reliefkit.safety.atomic import atomic_write_bytes
from reliefkit.safety.determinism import write_office

Format = Literal["csv", "xlsx", "parquet"]

__all__ = ["Format", "as_text", "write_tables"]


def as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Every column as canonical text: ``YYYY-MM-DD``, ``true``/``false``, plain numbers, "" for missing."""
    out = {}
    for c in frame.columns:
        s = frame[c]
        if pd.api.types.is_datetime64_any_dtype(s.dtype):
            t = s.dt.strftime("%Y-%m-%d")
        elif pd.api.types.is_bool_dtype(s.dtype):
            t = s.map({True: "true", False: "false"})
        elif pd.api.types.is_numeric_dtype(s.dtype):
            t = s.map(number_to_text, na_action="ignore")
        else:
            t = s
        out[c] = t.astype(object).where(t.notna(), "").astype(str)
    return pd.DataFrame(out, index=frame.index)


def _to_chinese(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for col, codes in ZH_CODES.items():
        if col in frame.columns:
            if col == "causes":
                frame[col] = frame[col].map(lambda v: ";".join(codes.get(x, x) for x in v.split(";")) if v else v)
            else:
                frame[col] = frame[col].map(lambda v: codes.get(v, v))
    return frame.rename(columns=ZH_HEADER)


def write_tables(
    tables: Mapping[str, pd.DataFrame],
    folder: str | Path,
    fmt: Format = "csv",
    *,
    encoding: str = "utf-8",
    language: Literal["en", "zh"] = "en",
) -> Path:
    """Write tables as a region folder, one file per table named after it.

    Parameters
    ----------
    tables : mapping of table name → DataFrame
        Canonical columns; typed (as a :class:`Region` holds them) or text.
    folder : path
        Created if missing.
    fmt : {"csv", "xlsx", "parquet"}
        CSV is text; XLSX keeps numbers, dates and booleans as typed cells and identifiers
        as text cells; Parquet keeps the frames' dtypes.
    encoding : str
        For CSV: ``utf-8`` (canonical, no BOM), ``utf-8-sig`` or ``gb18030``.
    language : {"en", "zh"}
        ``zh`` writes the contract's Chinese headers and Chinese code values.

    Returns
    -------
    pathlib.Path
        The folder written.

    Examples
    --------
    >>> import tempfile, reliefkit as rk
    >>> region = rk.load_region("data/sample")
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = write_tables(region.tables, tmp, "csv", encoding="gb18030", language="zh")
    ...     again = rk.load_region(tmp)
    >>> again.persons.equals(region.persons)
    True
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        cols = [c for c in TABLES_BY_NAME[name].names if c in frame.columns]
        frame = frame[cols]
        if fmt == "parquet":
            out = frame.rename(columns=ZH_HEADER) if language == "zh" else frame
            buf = io.BytesIO()
            out.reset_index(drop=True).to_parquet(buf, index=False)
            atomic_write_bytes(folder / f"{name}.parquet", buf.getvalue())
            continue
        if fmt == "xlsx":
            _write_xlsx(frame, folder / f"{name}.xlsx", language, name)
            continue
        text = as_text(frame)
        if language == "zh":
            text = _to_chinese(name, text)
        data = text.to_csv(index=False, lineterminator="\n")
        atomic_write_bytes(folder / f"{name}.csv", data.encode(encoding))
    return folder


def _write_xlsx(frame: pd.DataFrame, path: Path, language: str, table: str) -> None:
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet(table)
    text = as_text(frame)
    if language == "zh":
        text = _to_chinese(table, text)
    ws.append(list(text.columns))
    kinds = {c.name: c.kind for c in TABLES_BY_NAME[table].columns}
    typed_cols = [c for c in frame.columns if kinds.get(c) in ("date", "bool", "number", "int")]
    for i in range(len(frame)):
        row = []
        for j, c in enumerate(frame.columns):
            v = frame.iat[i, j]
            if c in typed_cols and not pd.isna(v):
                if kinds[c] == "date":
                    v = pd.Timestamp(v).to_pydatetime()
                elif kinds[c] == "bool":
                    v = bool(v) if not isinstance(v, str) else text.iat[i, j]
                elif not isinstance(v, str):
                    v = float(v) if kinds[c] == "number" else int(v)
                else:
                    v = text.iat[i, j]
                row.append(v)
            else:
                row.append(text.iat[i, j] or None)
        ws.append(row)
    write_office(wb, path)

"""CSV and XLSX tables written safely: cells escaped, bytes deterministic, files atomic."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from reliefkit.safety.atomic import atomic_write_bytes
from reliefkit.safety.determinism import build_time, normalize_zip_bytes
from reliefkit.safety.escaping import safe_frame

__all__ = ["write_csv", "write_xlsx"]


def write_csv(df: pd.DataFrame, path: str | Path, *, index: bool = False, encoding: str = "utf-8",
              **to_csv: Any) -> Path:
    """Write ``df`` as CSV: cells escaped (:func:`safe_frame`), written atomically.

    Lines end with ``\\r\\n`` (RFC 4180, what Excel writes): with ``\\n`` alone, Python's
    CSV writer would leave a field holding a bare carriage return unquoted, and the
    file would not read back. ``encoding="utf-8-sig"`` gives the BOM Excel needs to
    read Chinese text.

    Raises
    ------
    OutputError
        When the folder is read-only or the disk is full.
    """
    text = safe_frame(df).to_csv(index=index, lineterminator="\r\n", **to_csv)
    return atomic_write_bytes(path, text.encode(encoding))


_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def _sheet_name(name: str, taken: set[str]) -> str:
    base = _SHEET_BAD.sub("_", str(name)).strip("'")[:31] or "Sheet"
    out, k = base, 1
    while out.lower() in taken:
        k += 1
        out = f"{base[:31 - len(str(k)) - 1]}~{k}"
    taken.add(out.lower())
    return out


def write_xlsx(sheets: Mapping[str, pd.DataFrame], path: str | Path, *, index: bool = False,
               when: dt.datetime | None = None, title: str | None = None) -> Path:
    """Write tables to one workbook, a sheet per table (names cut to Excel's 31
    characters, made unique): cells escaped, deterministic bytes, written atomically.

    Parameters
    ----------
    sheets : mapping of sheet name → DataFrame
    path : path of the ``.xlsx`` file
    index : bool
        Write the frames' index as the first column(s).
    when : datetime, optional
        The workbook's created/modified date (default :func:`build_time`).
    title : str, optional
        The workbook's title (its document properties; what Excel shows under File, Info).

    Raises
    ------
    OutputError
        When the folder is read-only or the disk is full.
    """
    when = when or build_time()
    buf = io.BytesIO()
    taken: set[str] = set()
    with pd.ExcelWriter(buf, engine="openpyxl") as xl:
        for name, frame in sheets.items():
            safe_frame(frame).to_excel(xl, sheet_name=_sheet_name(name, taken), index=index)
        if not sheets:
            pd.DataFrame().to_excel(xl, sheet_name="Sheet", index=False)
        props = xl.book.properties
        props.creator = props.lastModifiedBy = "reliefkit"
        if title:
            props.title = title
        props.created = props.modified = when
    return atomic_write_bytes(path, normalize_zip_bytes(buf.getvalue(), when))

"""The one layer every output file of the kit goes through.

- **Formula injection.** A spreadsheet reads a cell whose text begins with ``=``, ``+``,
  ``-``, ``@``, a tab or a carriage return as a formula. :func:`escape_formula` and
  :func:`safe_frame` put a leading apostrophe before such text (``'=SUM(A1)``). Numbers
  stored as numbers (``-3`` as an int or float) are not text and stay numbers; the text
  ``"-3"`` is escaped (``'-3``), because a reader cannot tell it from ``-3+cmd|…``.
  :func:`write_csv` and :func:`write_xlsx` escape every cell and every header.
- **Atomic writes.** Every file is written under a temporary name in the same folder
  (``.<name>.<random>.tmp``) and renamed over the target with :func:`os.replace`, so an
  interrupted run leaves either the old file or the new one, never half of one
  (:func:`atomic_open`, :func:`atomic_write_bytes`, :func:`atomic_write_text`).
- **Clear errors.** A read-only output folder or a full disk (``EACCES``, ``EPERM``,
  ``EROFS``, ``ENOSPC``, ``EDQUOT``) raises :class:`OutputError` — a
  :class:`~reliefkit.errors.ReliefkitError` naming the file and the folder and saying
  what to do — instead of a traceback.
- **Determinism.** Equal content gives equal bytes. Office files (XLSX, DOCX) get the
  document dates of :func:`build_time` — ``SOURCE_DATE_EPOCH`` when it is set, else a
  fixed default (:data:`FIXED_TIME`) — and their zip is rewritten with entries in a
  fixed order (``[Content_Types].xml`` first, then sorted by name), one fixed entry
  date and fixed permissions (:func:`normalize_zip_bytes`).
  :func:`normalize_notebook` drops the volatile metadata of an executed notebook.
- **Small cells.** :func:`suppress_small_cells` hides counts under a threshold in an
  aggregate table meant for publication, with secondary suppression so that no hidden
  cell can be worked out from the totals.

Examples
--------
>>> escape_formula("=SUM(A1)"), escape_formula("-3"), escape_formula(-3), escape_formula("张三")
("'=SUM(A1)", "'-3", -3, '张三')
>>> import pandas as pd
>>> t = pd.DataFrame({"rural": [12, 3, 20], "urban": [8, 9, 15]}, index=["A", "B", "C"])
>>> suppress_small_cells(t)
       rural  urban  Total
A       <NA>   <NA>     20
B       <NA>   <NA>     12
C         20     15     35
Total     35     32     67
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import io
import json
import os
import re
import tempfile
import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd

from .errors import OutputError, ReliefkitError

__all__ = [
    "FORMULA_START", "FIXED_TIME", "OutputError",
    "escape_formula", "safe_frame", "write_csv", "write_xlsx", "write_office",
    "atomic_open", "atomic_write_bytes", "atomic_write_text",
    "build_time", "source_date_epoch", "normalize_zip", "normalize_zip_bytes", "normalize_notebook",
    "suppression_mask", "suppress_small_cells",
]

#: text starting with one of these is read as a formula by spreadsheets
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

#: the document date of Office files when ``SOURCE_DATE_EPOCH`` is not set
FIXED_TIME = dt.datetime(2000, 1, 1, 0, 0, 0)

_ZIP_EPOCH = dt.datetime(1980, 1, 1)  # the earliest date a zip entry can hold




# --------------------------------------------------------------------------- formula injection
def escape_formula(value: Any) -> Any:
    """``value`` with a leading apostrophe when it is text a spreadsheet would read as a
    formula; anything else (numbers, dates, None, other text) unchanged.

    Examples
    --------
    >>> escape_formula("@cmd"), escape_formula("\\t=1"), escape_formula(-1.5), escape_formula(None)
    ("'@cmd", "'\\t=1", -1.5, None)
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _escape_series(s: pd.Series) -> pd.Series:
    if isinstance(s.dtype, pd.CategoricalDtype) or pd.api.types.is_object_dtype(s.dtype):
        return s.astype(object).map(escape_formula)
    if pd.api.types.is_string_dtype(s.dtype):
        hit = s.str.startswith(FORMULA_START).fillna(False).astype(bool)
        return s.where(~hit, "'" + s) if hit.any() else s
    return s  # numbers, booleans, dates: not text


def _escape_labels(index: pd.Index) -> pd.Index:
    if isinstance(index, pd.MultiIndex):
        return pd.MultiIndex.from_tuples([tuple(escape_formula(v) for v in t) for t in index], names=index.names)
    if not (pd.api.types.is_object_dtype(index.dtype) or pd.api.types.is_string_dtype(index.dtype)):
        return index
    return pd.Index([escape_formula(v) for v in index], name=index.name)


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells, column names and index labels are escaped with
    :func:`escape_formula`; numeric, boolean and date columns are left as they are.

    Examples
    --------
    >>> import pandas as pd
    >>> safe_frame(pd.DataFrame({"v": ["=1+1", "ok"], "n": [-1, 2]})).to_dict("list")
    {'v': ["'=1+1", 'ok'], 'n': [-1, 2]}
    """
    out = df.copy()
    for i in range(df.shape[1]):
        column = df.iloc[:, i]
        escaped = _escape_series(column)
        if escaped is not column:
            out.isetitem(i, escaped)
    out.columns = _escape_labels(df.columns)
    out.index = _escape_labels(df.index)
    return out


# --------------------------------------------------------------------------- atomic writes
def _read_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _read_umask()
_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_READ_ONLY = {errno.EACCES, errno.EPERM, errno.EROFS}


def _output_error(e: OSError, path: Path) -> OSError:
    """An :class:`OutputError` for a read-only folder or a full disk; other errors as they are."""
    folder = str(path.parent)
    if e.errno in _FULL:
        return OutputError("the disk holding the output folder is full",
                           "free some space or write to another folder (--out)", file=str(path), folder=folder)
    if e.errno in _READ_ONLY:
        return OutputError("the output folder is read-only (permission denied)",
                           "make the folder writable or write to another folder (--out)",
                           file=str(path), folder=folder)
    return e


@contextlib.contextmanager
def atomic_open(path: str | Path) -> Iterator[IO[bytes]]:
    """Open a temporary file beside ``path`` for binary writing; on success it replaces
    ``path`` (``os.replace``), on any error it is removed and ``path`` is untouched.

    The folder is created when missing. A read-only folder or a full disk raises
    :class:`OutputError`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = pathlib.Path(tmp, "a.txt")
    ...     with atomic_open(p) as f:
    ...         _ = f.write(b"hello")
    ...     p.read_bytes(), [q.name for q in pathlib.Path(tmp).iterdir()]
    (b'hello', ['a.txt'])
    """
    path = Path(path)
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, path)
        tmp = None
    except OSError as e:
        err = _output_error(e, path)
        if err is e:
            raise
        raise err from e
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (see :func:`atomic_open`); returns the path."""
    with atomic_open(path) as f:
        f.write(data)
    return Path(path)


def atomic_write_text(path: str | Path, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically, as it is (no newline translation)."""
    return atomic_write_bytes(path, text.encode(encoding))


# --------------------------------------------------------------------------- determinism
def source_date_epoch() -> int | None:
    """``SOURCE_DATE_EPOCH`` (seconds since 1970, UTC) when set to an integer, else None.

    Raises
    ------
    ReliefkitError
        When the variable is set but is not an integer.
    """
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise ReliefkitError("is not a whole number of seconds since 1970",
                             "set it to an integer such as 1767225600, or unset it",
                             SOURCE_DATE_EPOCH=repr(raw)) from None


def build_time() -> dt.datetime:
    """The time written into outputs: ``SOURCE_DATE_EPOCH`` (UTC, naive) when set, else
    :data:`FIXED_TIME`. Never the wall clock, so two runs give the same bytes."""
    epoch = source_date_epoch()
    if epoch is None:
        return FIXED_TIME
    return dt.datetime.fromtimestamp(epoch, dt.timezone.utc).replace(tzinfo=None)


_CORE_DATE = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def _entry_order(name: str) -> tuple[int, str]:
    return (0 if name == "[Content_Types].xml" else 1, name)


def normalize_zip_bytes(data: bytes, when: dt.datetime | None = None) -> bytes:
    """The bytes of an Office file (a zip) rewritten so that equal content gives equal
    bytes: entries in a fixed order (``[Content_Types].xml`` first, then by name), one
    entry date (``when``, default :func:`build_time`, not before 1980), fixed
    permissions, and the ``created``/``modified`` dates of ``docProps/core.xml`` set to
    ``when``."""
    when = when or build_time()
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    zdate = max(when, _ZIP_EPOCH).timetuple()[:6]
    with zipfile.ZipFile(io.BytesIO(data)) as zin:
        entries = sorted(((i.filename, zin.read(i.filename)) for i in zin.infolist()),
                         key=lambda e: _entry_order(e[0]))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zout:
        for name, content in entries:
            if name == "docProps/core.xml":
                content = _CORE_DATE.sub(lambda m: m.group(1) + stamp + m.group(3), content)
            info = zipfile.ZipInfo(name, date_time=zdate)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # unix, whatever the platform
            zout.writestr(info, content)
    return buf.getvalue()


def normalize_zip(path: str | Path, when: dt.datetime | None = None) -> Path:
    """Rewrite an Office file in place with :func:`normalize_zip_bytes` (atomically)."""
    path = Path(path)
    return atomic_write_bytes(path, normalize_zip_bytes(path.read_bytes(), when))


def write_office(document: Any, path: str | Path, when: dt.datetime | None = None) -> Path:
    """Save an openpyxl ``Workbook`` or a python-docx ``Document`` to ``path``:
    document dates set to ``when`` (default :func:`build_time`), zip normalized,
    written atomically.

    Raises
    ------
    OutputError
        When the folder is read-only or the disk is full.
    """
    when = when or build_time()
    props = getattr(document, "core_properties", None)
    if props is None:
        props = getattr(document, "properties", None)
    if props is not None:
        props.created = props.modified = when
    buf = io.BytesIO()
    document.save(buf)
    return atomic_write_bytes(path, normalize_zip_bytes(buf.getvalue(), when))


_VOLATILE_PAPERMILL_KEYS = ("start_time", "end_time", "duration")


def normalize_notebook(nb: str | Path | dict) -> str:
    """The JSON text of an executed notebook without volatile metadata: each cell's
    ``metadata.execution`` timestamps and papermill's ``start_time``/``end_time``/
    ``duration`` (of the notebook and of each cell). Keys sorted, one-space indent and
    UTF-8 text as nbformat writes them, a final newline.

    Parameters
    ----------
    nb : path, JSON text or dict

    Examples
    --------
    >>> text = normalize_notebook({"cells": [{"metadata": {"papermill": {"duration": 1.2,
    ...     "status": "completed"}}}], "metadata": {}})
    >>> "duration" in text, "completed" in text
    (False, True)
    """
    if isinstance(nb, Path) or (isinstance(nb, str) and not nb.lstrip().startswith("{")):
        nb = Path(nb).read_text(encoding="utf-8")
    tree = json.loads(nb) if isinstance(nb, str) else json.loads(json.dumps(nb))

    def clean_papermill(meta: dict) -> None:
        pm = meta.get("papermill")
        if isinstance(pm, dict):
            for k in _VOLATILE_PAPERMILL_KEYS:
                pm.pop(k, None)

    clean_papermill(tree.get("metadata", {}))
    for cell in tree.get("cells", []):
        meta = cell.get("metadata", {})
        meta.pop("execution", None)
        clean_papermill(meta)
        if "injected-parameters" in meta.get("tags", []) and "id" in cell:
            cell["id"] = "injected-parameters"  # papermill gives it a random id each run
    return json.dumps(tree, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------- CSV / XLSX
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
               when: dt.datetime | None = None) -> Path:
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
        props.created = props.modified = when
    return atomic_write_bytes(path, normalize_zip_bytes(buf.getvalue(), when))


# --------------------------------------------------------------------------- small cells
def _as_counts(table: pd.DataFrame) -> np.ndarray:
    values = table.apply(pd.to_numeric, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    if np.isnan(values).any() or (values < 0).any() or (values != np.round(values)).any():
        raise ReliefkitError("is not a table of counts (whole numbers ≥ 0, no blanks)",
                             "pass the aggregate counts without totals; totals are added",
                             table=f"{table.shape[0]}×{table.shape[1]}")
    return values.astype(np.int64)


def _with_totals(counts: np.ndarray) -> np.ndarray:
    r, c = counts.shape
    grid = np.zeros((r + 1, c + 1), dtype=np.int64)
    grid[:r, :c] = counts
    grid[:r, c] = counts.sum(axis=1)
    grid[r, :c] = counts.sum(axis=0)
    grid[r, c] = counts.sum()
    return grid


def suppression_mask(table: pd.DataFrame, threshold: int = 5, margins_name: str = "Total") -> pd.DataFrame:
    """Which cells of ``table`` with its totals must be hidden: a boolean frame with a
    total row and a total column (shape rows + 1 × columns + 1).

    Rules, on the table with its total row and total column:

    1. *Primary*: every cell with ``0 < n < threshold`` (totals included: a total of 3
       discloses 3 persons just as a cell does). Zeros are published.
    2. *Secondary*: each row and each column (with its total) holds no hidden cell or at
       least two, so that no hidden cell equals "total minus the others". A line with
       one hides the smallest other non-zero cell of the line; when there is none, the
       smallest other cell (a zero); when there is no other cell, its total. Repeated
       until nothing changes; ties go to the first cell, so the result is deterministic.
    """
    grid = _with_totals(_as_counts(table))
    r, c = grid.shape[0] - 1, grid.shape[1] - 1
    hidden = (grid > 0) & (grid < threshold)
    lines = [(i, slice(None)) for i in range(r + 1)] + [(slice(None), j) for j in range(c + 1)]
    changed = True
    while changed:
        changed = False
        for line in lines:
            h = hidden[line]
            if h.sum() != 1:
                continue
            values = grid[line]
            n = len(values)
            free = np.arange(n - 1)[~h[:-1]]  # the line's other cells; position n-1 is its total
            if free.size:
                nonzero = free[values[free] > 0]
                pool = nonzero if nonzero.size else free
                pick = int(pool[np.argmin(values[pool])])
            else:
                pick = n - 1
            hidden[(line[0], pick) if isinstance(line[0], int) else (pick, line[1])] = True
            changed = True
    return pd.DataFrame(hidden, index=[*table.index, margins_name], columns=[*table.columns, margins_name])


def suppress_small_cells(table: pd.DataFrame, threshold: int = 5, *, margins: bool = True,
                         margins_name: str = "Total", mark: str | None = None) -> pd.DataFrame:
    """An aggregate count table ready for publication: small cells hidden, with
    secondary suppression (:func:`suppression_mask`), totals kept.

    Parameters
    ----------
    table : DataFrame
        Counts (whole numbers ≥ 0), without totals.
    threshold : int
        Cells with ``0 < n < threshold`` are hidden (default 5).
    margins : bool
        Add the total row and column (the true totals; hidden only when they are small
        themselves). Without margins the cells are still hidden as if the totals were
        published, because they usually are, elsewhere.
    margins_name : str
        Label of the total row and column.
    mark : str, optional
        How a hidden cell shows. Default: ``pd.NA`` in an ``Int64`` table (a blank in
        CSV and XLSX; the other cells stay numbers). A text such as ``"x"`` gives an
        object table with that text in hidden cells. (Not ``"<5"``: a cell hidden by
        secondary suppression may be large.)

    Returns
    -------
    DataFrame

    Raises
    ------
    ReliefkitError
        When the table holds something other than whole numbers ≥ 0.
    """
    if isinstance(table, pd.Series):
        table = table.to_frame()
    hidden = suppression_mask(table, threshold, margins_name).to_numpy()
    full = _with_totals(_as_counts(table))
    out = pd.DataFrame(full, index=pd.Index([*table.index, margins_name], name=table.index.name),
                       columns=pd.Index([*table.columns, margins_name], name=table.columns.name)).astype("Int64")
    if mark is None:
        out = out.mask(pd.DataFrame(hidden, index=out.index, columns=out.columns))
    else:
        values = full.astype(object)
        values[hidden] = mark
        out = pd.DataFrame(values, index=out.index, columns=out.columns)
    if not margins:
        out = out.iloc[:-1, :-1]
    return out

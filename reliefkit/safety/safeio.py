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
  :func:`normalize_notebook` drops the volatile metadata of an executed notebook and
  renames its ipywidgets model ids (random ``uuid4`` hex) to ids numbered in order of
  first appearance, everywhere they occur (views, widget state, ``IPY_MODEL_``
  references, text outputs); only ids known as model ids are rewritten.
  :func:`uuid_sequence` is a stand-in for nbconvert's ``uuid4`` (the ``<div>`` ids of
  widget views in exported HTML) that gives the same ids on every export.
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
import hashlib
import io
import json
import os
import re
import tempfile
import uuid
import zipfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd

from reliefkit.errors import OutputError, ReliefkitError

__all__ = [
    "FORMULA_START", "FIXED_TIME", "OutputError",
    "escape_formula", "safe_frame", "write_csv", "write_xlsx", "write_office",
    "atomic_open", "atomic_write_bytes", "atomic_write_text",
    "build_time", "source_date_epoch", "normalize_zip", "normalize_zip_bytes", "normalize_notebook",
    "rename_widget_models",
    "uuid_sequence",
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

#: the namespace of the ids given by :func:`uuid_sequence` and to renamed widget models
_ORDINAL_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "reliefkit:ordinal-ids")
_WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
_WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
_HEX = "[0-9a-fA-F]"
_UUID = f"{_HEX}{{32}}|{_HEX}{{8}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{12}}"
#: an id as ipywidgets makes them (``uuid4().hex``; dashed as a frontend may make them)
_MODEL_ID = re.compile(_UUID)
#: an id-shaped run of text that is not part of a longer hexadecimal run
_ID_TOKEN = re.compile(f"(?<!{_HEX})(?:{_UUID})(?!{_HEX})")
_MODEL_REF = re.compile(f"IPY_MODEL_({_UUID})(?!{_HEX})")


def _ordinal_uuid(label: str, n: int) -> uuid.UUID:
    """The ``n``-th id of ``label``: ``uuid5`` of a fixed namespace and ``"<label>-<n>"``."""
    return uuid.uuid5(_ORDINAL_NAMESPACE, f"{label}-{n}")


def uuid_sequence(label: str = "uuid") -> Callable[[], uuid.UUID]:
    """A stand-in for :func:`uuid.uuid4` that gives the same ids on every run: its
    ``n``-th call returns ``uuid5`` of a fixed namespace and ``"<label>-<n>"``.

    nbconvert's HTML templates give every widget view (and JavaScript output) a
    ``<div>`` id from ``uuid4()``; an exporter whose ``environment.globals["uuid4"]``
    is a fresh sequence writes the same HTML for the same notebook.

    Parameters
    ----------
    label : str
        Sequences with different labels give different ids.

    Examples
    --------
    >>> a, b = uuid_sequence("div"), uuid_sequence("div")
    >>> [a(), a()] == [b(), b()], a() == a()
    (True, False)
    >>> from nbconvert import HTMLExporter
    >>> exporter = HTMLExporter()
    >>> exporter.environment.globals["uuid4"] = uuid_sequence("div")
    """
    count = 0

    def next_uuid() -> uuid.UUID:
        nonlocal count
        count += 1
        return _ordinal_uuid(label, count)

    return next_uuid


def _dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _widget_state(tree: dict) -> dict:
    """The widget state of a notebook, model id → model (empty when there is none)."""
    widgets = tree.get("metadata", {}).get("widgets")
    state = widgets.get(_WIDGET_STATE, {}) if isinstance(widgets, dict) else {}
    models = state.get("state") if isinstance(state, dict) else None
    return models if isinstance(models, dict) else {}


def _view_model_ids(tree: dict) -> Iterator[Any]:
    """The ``model_id`` of every widget view among the outputs."""
    for cell in tree.get("cells", []):
        for output in cell.get("outputs", []) or []:
            view = (output.get("data") or {}).get(_WIDGET_VIEW) if isinstance(output, dict) else None
            if isinstance(view, dict):
                yield view.get("model_id")


def _widget_model_ids(tree: dict, state: dict) -> set[str]:
    """The ids known as widget model ids: those of views, of the widget state and of its
    ``IPY_MODEL_`` references; only id-shaped ones (a uuid, 32 hex digits)."""
    found = {*_view_model_ids(tree), *state}
    found.update(_MODEL_REF.findall(_dumps(state)))
    return {i for i in found if isinstance(i, str) and _MODEL_ID.fullmatch(i)}


def _content_key(model: str, state: dict, ids: set[str], memo: dict[str, str], path: set[str]) -> str:
    """A digest of a model's state that does not depend on model ids: each id in it is
    replaced by the digest of the model it names (a cycle or a model without state by ``?``)."""
    if model in memo:
        return memo[model]
    if model in path or model not in state:
        return "?"
    path.add(model)
    text = _ID_TOKEN.sub(lambda m: _content_key(m[0], state, ids, memo, path) if m[0] in ids else m[0],
                         _dumps(state[model]))
    path.discard(model)
    memo[model] = hashlib.sha256(text.encode()).hexdigest()
    return memo[model]


def _widget_id_order(tree: dict, state: dict, ids: set[str]) -> list[str]:
    """The model ids in order of first appearance: in the cells (in order), then in the
    widget state, following the models already met; models nothing refers to come
    last, ordered by their content, each followed by the models it refers to."""
    order: list[str] = []
    met: set[str] = set()
    followed = 0

    def meet(text: str) -> None:
        for m in _ID_TOKEN.finditer(text):
            if m[0] in ids and m[0] not in met:
                met.add(m[0])
                order.append(m[0])

    def follow() -> None:  # the models the models met refer to, and so on
        nonlocal followed
        while followed < len(order):
            meet(_dumps(state.get(order[followed])))
            followed += 1

    meet(_dumps(tree.get("cells", [])))
    follow()
    roots = [model for model in state if model in ids and model not in met]
    for root in sorted(roots, key=lambda model: _content_key(model, state, ids, {}, set())):
        if root not in met:
            meet(root)
            follow()
    return order


def _rename(node: Any, names: dict[str, str]) -> Any:
    """``node`` with every occurrence of a key of ``names`` in its texts and keys renamed."""
    if isinstance(node, str):
        return _ID_TOKEN.sub(lambda m: names.get(m[0], m[0]), node)
    if isinstance(node, list):
        return [_rename(v, names) for v in node]
    if isinstance(node, dict):
        return {_rename(k, names): _rename(v, names) for k, v in node.items()}
    return node


def rename_widget_models(tree: dict) -> dict:
    """``tree`` with its widget model ids numbered in order of first appearance
    (:func:`_widget_id_order`): the ``n``-th becomes ``_ordinal_uuid("widget-model", n)``,
    in the form (plain hex or dashed) of the id it replaces. Used for executed notebooks
    of a run (:func:`normalize_notebook`) and for the committed ones
    (:func:`reliefkit.run.refresh.normalize`)."""
    state = _widget_state(tree)
    ids = _widget_model_ids(tree, state)
    if not ids:
        return tree
    names = {}
    for n, old in enumerate(_widget_id_order(tree, state, ids), 1):
        new = _ordinal_uuid("widget-model", n)
        names[old] = str(new) if "-" in old else new.hex
    return _rename(tree, names)


def _drop_volatile_metadata(tree: dict) -> None:
    """Remove timestamps and durations in place; give the injected-parameters cell a fixed id."""

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


def normalize_notebook(nb: str | Path | dict) -> str:
    """The JSON text of an executed notebook that two runs of the same notebook write
    alike: without volatile metadata and with its widget model ids renamed.

    - Each cell's ``metadata.execution`` timestamps and papermill's ``start_time``/
      ``end_time``/``duration`` (of the notebook and of each cell) are dropped; the
      injected-parameters cell gets the id ``injected-parameters``.
    - ipywidgets model ids (random ``uuid4`` hex) are replaced by ids numbered in order
      of first appearance — in the cells, in order, then in the widget state following
      references; models nothing refers to last, ordered by their content — the
      ``n``-th being ``uuid5`` of a fixed namespace and ``"widget-model-<n>"``, so it
      still looks like a model id. A model id is the ``model_id`` of a widget view
      output, a key of the widget state (``metadata.widgets``) or an ``IPY_MODEL_<id>``
      reference in it. Each is renamed wherever it occurs (state keys, references, text
      and HTML outputs); other hexadecimal strings are left alone.

    Keys sorted, one-space indent and UTF-8 text as nbformat writes them, a final
    newline. Normalizing a normalized notebook changes nothing.

    Parameters
    ----------
    nb : path, JSON text or dict

    Returns
    -------
    str

    Examples
    --------
    >>> text = normalize_notebook({"cells": [{"metadata": {"papermill": {"duration": 1.2,
    ...     "status": "completed"}}}], "metadata": {}})
    >>> "duration" in text, "completed" in text
    (False, True)
    >>> view = {"application/vnd.jupyter.widget-view+json": {"model_id": "ceb1897bdc5d21112a5750c27e665994"}}
    >>> nb = {"cells": [{"metadata": {}, "outputs": [{"data": view}]}], "metadata": {}}
    >>> tree = json.loads(normalize_notebook(nb))
    >>> new = tree["cells"][0]["outputs"][0]["data"]["application/vnd.jupyter.widget-view+json"]["model_id"]
    >>> new == _ordinal_uuid("widget-model", 1).hex, len(new)
    (True, 32)
    """
    if isinstance(nb, Path) or (isinstance(nb, str) and not nb.lstrip().startswith("{")):
        nb = Path(nb).read_text(encoding="utf-8")
    tree = json.loads(nb) if isinstance(nb, str) else json.loads(json.dumps(nb))
    _drop_volatile_metadata(tree)
    tree = rename_widget_models(tree)
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
    2. *Secondary, line by line*: each row and each column (with its total) holds no
       hidden cell or at least two, so that no hidden cell equals "total minus the
       others". A line with one hides the smallest other non-zero cell of the line; when
       there is none, the smallest other cell (a zero); when there is no other cell, its
       total.
    3. *Secondary, across lines*: rows and columns combined can still give a hidden cell
       away (a row's total = two column totals − another row's total). A hidden cell is
       given away when the table's sums and the published cells fix its value — when it
       is zero in every solution of the homogeneous equations on the hidden cells
       (:func:`_determined`). While one is, the smallest published cell of its row or
       column whose hiding frees it is hidden too (non-zero cells first).

    Repeated until nothing changes; ties go to the first cell, so the result is
    deterministic.

    Examples
    --------
    >>> t = pd.DataFrame({"rural": [2, 0, 8, 0], "urban": [0, 1, 0, 0], "tekun": [0, 0, 0, 1],
    ...                   "temporary": [1, 0, 6, 0]}, index=["V1", "V2", "V3", "V4"])
    >>> m = suppression_mask(t)
    >>> bool(m.loc["V1", "Total"]), bool(_determined(_with_totals(_as_counts(t)).shape, m.to_numpy()).any())
    (True, False)
    """
    grid = _with_totals(_as_counts(table))
    hidden = (grid > 0) & (grid < threshold)
    while True:
        _hide_lonely_cells(grid, hidden)
        exposed = np.argwhere(_determined(grid.shape, hidden))
        if not len(exposed):
            break
        hidden[_complement(grid, hidden, tuple(exposed[0]))] = True
    return pd.DataFrame(hidden, index=[*table.index, margins_name], columns=[*table.columns, margins_name])


def _hide_lonely_cells(grid: np.ndarray, hidden: np.ndarray) -> None:
    """Rule 2 of :func:`suppression_mask`, in place, until no line has one hidden cell."""
    r, c = grid.shape[0] - 1, grid.shape[1] - 1
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


def _determined(shape: tuple[int, int], hidden: np.ndarray) -> np.ndarray:
    """Hidden cells whose value the published cells fix, through the sums of a table
    whose last row and column are totals: a boolean array of ``shape``.

    The hidden cells ``x`` satisfy ``A x = b`` (one equation a row and a column: its
    cells minus its total, the published cells moved to ``b``). Cell ``k`` is fixed
    when every solution of ``A x = 0`` has ``x_k = 0``: when column ``k`` of the
    null-space basis (from the SVD of ``A``) is zero.
    """
    r, c = shape[0] - 1, shape[1] - 1
    cells = np.argwhere(hidden)
    out = np.zeros(shape, dtype=bool)
    if not len(cells):
        return out
    a = np.zeros((r + 1 + c + 1, len(cells)))
    for k, (i, j) in enumerate(cells):
        sign = -1.0 if j == c else 1.0  # row i: Σ cells − total
        a[i, k] += sign
        sign = -1.0 if i == r else 1.0  # column j: Σ cells − total
        a[r + 1 + j, k] += sign
    _, s, vt = np.linalg.svd(a)
    rank = int((s > 1e-9 * max(1.0, s[0] if len(s) else 1.0)).sum())
    null = vt[rank:]
    fixed = np.abs(null).max(axis=0) < 1e-9 if len(null) else np.ones(len(cells), dtype=bool)
    out[cells[fixed, 0], cells[fixed, 1]] = True
    return out


def _complement(grid: np.ndarray, hidden: np.ndarray, cell: tuple[int, int]) -> tuple[int, int]:
    """The published cell to hide so that ``cell`` is no longer fixed: in its row or
    column, the smallest (non-zero first) whose hiding frees it; when none does alone,
    the smallest of them (the next round goes on)."""
    i, j = cell
    candidates = [(i, jj) for jj in range(grid.shape[1]) if not hidden[i, jj]]
    candidates += [(ii, j) for ii in range(grid.shape[0]) if not hidden[ii, j]]
    if not candidates:  # every cell of its lines is hidden, yet it is fixed: hide any other published cell
        candidates = [tuple(x) for x in np.argwhere(~hidden)]
    candidates.sort(key=lambda x: (grid[x] == 0, grid[x], x))
    for x in candidates:
        trial = hidden.copy()
        trial[x] = True
        if not _determined(grid.shape, trial)[i, j]:
            return x
    return candidates[0]


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

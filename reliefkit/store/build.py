"""Build a validated region store: read and validate a region folder once, write what
validation kept as Parquet partitioned by district.

Layout of a store folder (``MARKER`` written last, so a half-built store is no store)::

    store.json                      format, name, source, fingerprint, inputs, districts
    tables/<table>/part=<k>/0.parquet   households, persons, enrolments, payments, pairings:
                                    the rows of district k (``districts[k]``; k = len(districts)
                                    for households without a district and their rows)
    tables/helpers.parquet          region-wide
    validation/tables.parquet       the table summary (``ValidationResult.tables``)
    validation/problems.parquet     the problems table
    validation/quarantine/<table>.parquet   the quarantined rows, cells as text
    policies/*.yaml, region.yaml    copied from the folder

Every table keeps two extra columns: ``_row`` (the row in the input file) and, in the
partitioned ones, ``_pos`` (the row among the region's accepted rows), so that a whole
read gives the rows in the folder's order.

Examples
--------
>>> import tempfile
>>> with tempfile.TemporaryDirectory() as tmp:
...     info = ensure_store("data/sample", Path(tmp, "store"))
...     again = ensure_store("data/sample", Path(tmp, "store"))
>>> info["name"], info["built"], again["built"], len(info["districts"])
('sample', True, False, 6)
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from reliefkit import _arrow
from reliefkit.errors import OutputError, RegionReadError
from reliefkit.io.validation import ValidationResult, validate_folder
from reliefkit.io.schema import METADATA_FILES
from reliefkit.store.inputs import MARKER, STORE_FORMAT, input_files, input_fingerprint, portable_path
from reliefkit.store.location import Location, exists, filesystem, is_url, join, read_text, upload_tree

__all__ = ["PARTITIONED", "build_store", "ensure_store", "read_meta", "is_store"]

#: the tables split by district (each row carries its household's district)
PARTITIONED = ("households", "persons", "enrolments", "payments", "pairings")
#: child table → (its person or household column, the parent table, the parent's key)
_PARENT = {"persons": ("household_id", "households", "household_id"),
           "enrolments": ("person_id", "persons", "person_id"),
           "payments": ("person_id", "persons", "person_id"),
           "pairings": ("person_id", "persons", "person_id")}


def is_store(path: str | os.PathLike) -> bool:
    """True when ``path`` is a store folder (it holds ``store.json``), or the URL of one.

    Parameters
    ----------
    path : path or str
        A folder, or an fsspec URL (:mod:`reliefkit.store.location`).

    Returns
    -------
    bool

    Examples
    --------
    >>> is_store("data/sample")
    False
    """
    if is_url(path):
        return exists(join(path, MARKER))
    return Path(path, MARKER).is_file()


def read_meta(store_dir: str | os.PathLike) -> dict[str, Any]:
    """The description of a store (``store.json``).

    Parameters
    ----------
    store_dir : path or str
        A store folder, or its URL.

    Returns
    -------
    dict
        ``format``, ``name`` (the region folder's), ``source`` (that folder, without the
        machine's folders), ``fingerprint``, ``inputs`` (file, sha256, bytes),
        ``districts`` (partition k is ``districts[k]``), ``rows`` (accepted, per table).

    Raises
    ------
    RegionReadError
        When the folder is no store, or one of another format.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = build_store("data/sample", tmp)
    ...     meta = read_meta(tmp)
    >>> meta["source"], meta["districts"][0], meta["rows"]["helpers"]
    ('data/sample', '城关镇', 90)
    """
    try:
        meta = json.loads(read_text(join(store_dir, MARKER)))
    except (OSError, ValueError) as e:
        raise RegionReadError(f"is not a readable region store ({e})",
                              "rebuild it with `reliefkit prepare REGION --store DIR`", folder=str(store_dir)) from e
    if meta.get("format") != STORE_FORMAT:
        raise RegionReadError(f"is a store of format {meta.get('format')!r}, not {STORE_FORMAT}",
                              "rebuild it with `reliefkit prepare REGION --store DIR`", folder=str(store_dir))
    return meta


def _check_readable(result: ValidationResult, region_dir: Path) -> None:
    broken = [t for t in ("households", "persons") if t in result.unreadable]
    if broken:
        errs = result.errors[result.errors["table"].isin(broken) & result.errors["row"].isna()]
        detail = "; ".join(f"{r.file or r.table}: {r.message}" for r in errs.itertuples())
        raise RegionReadError(f"the {' and '.join(broken)} table could not be read ({detail})",
                              "fix the file and run `reliefkit validate` on the folder", folder=str(region_dir))


def _parts(result: ValidationResult) -> tuple[list[str], dict[str, np.ndarray]]:
    """The districts (sorted) and, for each partitioned table, each row's district index."""
    f = result.frames
    district = f["households"]["district"]
    names = sorted(district.dropna().unique().tolist())
    index = {name: k for k, name in enumerate(names)}
    parts = {"households": district.map(index).fillna(len(names)).to_numpy(dtype=np.int32)}
    for table in ("persons", "enrolments", "payments", "pairings"):
        column, parent, key = _PARENT[table]
        link = result.links.get(f"{table}.{column}")
        if link is None or len(link) != len(f[table]):
            link = _arrow.positions(f[table][column], f[parent][key])
        parts[table] = parts[parent][link] if len(link) else np.zeros(0, dtype=np.int32)
    return names, parts


def _arrow_table(frame: pd.DataFrame) -> pa.Table:
    return pa.Table.from_pandas(frame, preserve_index=False)


def _write(table: pa.Table, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, compression="zstd")


def _write_all(pieces: list[tuple[pa.Table, Path]]) -> None:
    """Write many small tables (a district's rows each, 5,000 files for 1,000 districts)
    in parallel threads: Parquet encoding releases the GIL."""
    from concurrent.futures import ThreadPoolExecutor

    if len(pieces) < 8:
        for table, path in pieces:
            _write(table, path)
        return
    with ThreadPoolExecutor(max_workers=min(8, (os.cpu_count() or 1) + 1)) as pool:
        for future in [pool.submit(_write, table, path) for table, path in pieces]:
            future.result()


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Quarantined rows as read, every cell as text (None stays missing); ``row`` an integer."""
    out = {}
    for c in frame.columns:
        if c == "row":
            out[c] = pd.array(frame[c], dtype="Int64")
        else:
            out[str(c)] = pd.array([None if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)
                                    for v in frame[c].tolist()], dtype="str")
    return pd.DataFrame(out, index=range(len(frame)))


def build_store(region_dir: str | os.PathLike, store_dir: str | os.PathLike,
                result: ValidationResult | None = None) -> dict[str, Any]:
    """Read and validate ``region_dir`` and write its store into ``store_dir`` (replaced).

    Parameters
    ----------
    region_dir : path
        A region folder.
    store_dir : path or str
        The store folder to write (what it held is removed first), or an fsspec URL
        (``s3://bucket/store``): the store is built in a local temporary folder, then
        copied there, ``store.json`` last.
    result : ValidationResult, optional
        The folder's validation, when already done.

    Returns
    -------
    dict
        The store's description (``store.json``), with ``built`` True.

    Raises
    ------
    RegionReadError
        When the folder's households or persons table cannot be read.
    OutputError
        When the store cannot be written.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     meta = build_store("data/sample", Path(tmp, "store"))
    ...     sorted(p.name for p in Path(tmp, "store", "tables", "persons").iterdir())[:2]
    ['part=0', 'part=1']
    """
    if is_url(store_dir):
        return _build_at_url(region_dir, store_dir, result)
    region_dir, store_dir = Path(region_dir), Path(store_dir)
    hashes: dict[str, str] = {}
    fingerprint = input_fingerprint(region_dir, hashes)
    result = result if result is not None else validate_folder(region_dir)
    _check_readable(result, region_dir)
    try:
        if store_dir.exists():
            shutil.rmtree(store_dir)
        store_dir.mkdir(parents=True)
        names, parts = _parts(result)
        for table, frame in result.frames.items():
            extra = {"_row": pd.array(result.rows.get(table, np.zeros(0))[:len(frame)], dtype="int64")}
            if table not in PARTITIONED:
                _write(_arrow_table(frame.assign(**extra)), store_dir / "tables" / f"{table}.parquet")
                continue
            data = _arrow_table(frame.assign(**extra, _pos=np.arange(len(frame), dtype=np.int64)))
            order = np.argsort(parts[table], kind="stable")
            bounds = np.searchsorted(parts[table][order], np.arange(len(names) + 2))
            if np.any(np.diff(parts[table]) < 0):  # one take: the rows by district (in their order within it)
                data = data.take(pa.array(order))
            pieces = [(data.slice(bounds[k], bounds[k + 1] - bounds[k]),
                       store_dir / "tables" / table / f"part={k}" / "0.parquet")
                      for k in range(len(names) + 1)
                      if bounds[k + 1] > bounds[k] or k == 0]  # partition 0 always exists: the dataset's schema
            del data
            _write_all(pieces)
        v = store_dir / "validation"
        _write(_arrow_table(result.tables), v / "tables.parquet")
        _write(_arrow_table(result.problems.reset_index(drop=True)), v / "problems.parquet")
        for table, frame in result.quarantine.items():
            _write(_arrow_table(_as_text(frame)), v / "quarantine" / f"{table}.parquet")
        inputs = []
        for name, path in input_files(region_dir).items():
            inputs.append({"file": name, "sha256": hashes.get(name), "bytes": path.stat().st_size})
            if "/" in name or name in METADATA_FILES:
                (store_dir / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, store_dir / name)
        meta = {"format": STORE_FORMAT, "name": region_dir.resolve().name, "source": portable_path(region_dir),
                "fingerprint": fingerprint, "inputs": inputs, "districts": names,
                "rows": {t: len(f) for t, f in result.frames.items()}}
        (store_dir / MARKER).write_text(json.dumps(meta, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                                        encoding="utf-8")
    except OSError as e:
        raise OutputError(f"cannot be written ({e.strerror or e})",
                          "choose a writable folder for the store (--store DIR)", folder=str(store_dir)) from e
    return {**meta, "built": True}


def _build_at_url(region_dir: str | os.PathLike, url: str, result: ValidationResult | None) -> dict[str, Any]:
    """:func:`build_store` into a local temporary folder, then copied to ``url`` (what it
    held removed first, ``store.json`` first of all: a half-copied store is no store)."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="reliefkit-store-") as tmp:
        meta = build_store(region_dir, Path(tmp, "store"), result)
        fs, path = filesystem(url)
        try:
            if fs.exists(path):
                if fs.exists(f"{path.rstrip('/')}/{MARKER}"):
                    fs.rm(f"{path.rstrip('/')}/{MARKER}")
                fs.rm(path, recursive=True)
        except FileNotFoundError:
            pass
        except Exception as e:  # noqa: BLE001 - botocore and aiohttp errors are no OSError
            raise OutputError(f"cannot be replaced ({type(e).__name__}: {e})",
                              "check the URL and the credentials (AWS_ACCESS_KEY_ID …, AWS_ENDPOINT_URL)",
                              store=url) from None
        upload_tree(Path(tmp, "store"), url, last=[MARKER])
    return meta


def ensure_store(region_dir: str | os.PathLike, store_dir: Location, force: bool = False
                 ) -> dict[str, Any]:
    """The store of ``region_dir`` in ``store_dir``: reused while its inputs are unchanged
    (same :func:`~reliefkit.store.inputs.input_fingerprint`), built otherwise.

    Parameters
    ----------
    region_dir : path
        A region folder.
    store_dir : path or str
        Its store: a folder or an fsspec URL.
    force : bool
        Rebuild even when it is up to date.

    Returns
    -------
    dict
        The store's description, ``built`` saying whether it was (re)built now.

    Raises
    ------
    RegionReadError
        When the folder cannot be read (see :func:`build_store`).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     [ensure_store("data/sample", tmp)["built"], ensure_store("data/sample", tmp)["built"]]
    [True, False]
    """
    if not force and is_store(store_dir):
        try:
            meta = read_meta(store_dir)
        except RegionReadError:
            meta = {}
        if meta.get("fingerprint") == input_fingerprint(region_dir):
            return {**meta, "built": False}
    return build_store(region_dir, store_dir)

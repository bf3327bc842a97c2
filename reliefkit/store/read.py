"""Read a validated region store: the whole region, or one district's rows only.

A district read opens the file of that district's partition (``part=k``) of each
partitioned table, so it reads that district's files only and its time grows with the
district, not the region (no other district's folder is even listed); the helpers (region-wide and small) are
read whole and cut to those the district's pairings name. The validation (problems,
quarantined rows, table summary) is the whole region's in both cases, as
:meth:`reliefkit.region.region.Region.district` keeps it.

Examples
--------
>>> import tempfile
>>> from reliefkit.store.build import build_store
>>> with tempfile.TemporaryDirectory() as tmp:
...     _ = build_store("data/sample", tmp)
...     whole, town = read_store(tmp), read_store(tmp, district="城关镇")
>>> whole.name, town.district, set(town.result.frames["households"]["district"])
('sample', '城关镇', {'城关镇'})
>>> len(town.result.frames["persons"]) < len(whole.result.frames["persons"]), whole.result.clean
(True, True)
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from reliefkit.errors import RegionReadError, UnknownDistrictError
from reliefkit.io.schema import TABLES, Table
from reliefkit.io.validation import DTYPES, ValidationResult
from reliefkit.store.build import PARTITIONED, read_meta
from reliefkit.store.location import Location, filesystem, is_url

__all__ = ["StoreRead", "read_store", "read_validation"]

_PARTITIONING = ds.partitioning(pa.schema([("part", pa.int32())]), flavor="hive")


class StoreRead(NamedTuple):
    """What :func:`read_store` gives.

    Attributes
    ----------
    result : ValidationResult
        The accepted rows read (all, or one district's), the whole region's problems,
        quarantined rows and table summary; ``links`` empty (a Region finds them when
        first asked for); ``rows`` the rows' numbers in the input files.
    meta : dict
        The store's description (``store.json``).
    name : str
        The region folder's name.
    district : str or None
        The district read, or None for the whole region.

    Examples
    --------
    >>> import tempfile
    >>> from reliefkit.store.build import build_store
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = build_store("data/sample", tmp)
    ...     got = read_store(tmp, district="城关镇")
    >>> got.name, got.district, got.meta["format"]
    ('sample', '城关镇', 1)
    """

    result: ValidationResult
    meta: dict[str, Any]
    name: str
    district: str | None


def _to_frame(table: pa.Table, schema: Table) -> tuple[pd.DataFrame, np.ndarray]:
    """The canonical columns with their canonical dtypes (Parquet keeps dates in ms, not
    s), and the rows' numbers in the input file."""
    rows = table["_row"].to_numpy() if "_row" in table.column_names else np.zeros(table.num_rows, np.int64)
    frame = table.select([c.name for c in schema.columns]).to_pandas()
    for c in schema.columns:
        if str(frame[c.name].dtype) != DTYPES[c.kind]:
            frame[c.name] = frame[c.name].astype(DTYPES[c.kind])
    return frame.reset_index(drop=True), rows.astype(np.int64)


def _open(store: Location) -> tuple[Any, str]:
    """The store's file system (None: the local one) and its root, ``/``-separated."""
    if is_url(store):
        fs, root = filesystem(store)
        return fs, root.rstrip("/")
    return None, Path(store).as_posix()


def _partitioned(fs: Any, root: str, table: str, part: int | None) -> pa.Table:
    folder = f"{root}/tables/{table}"
    schema = pq.read_schema(f"{folder}/part=0/0.parquet", filesystem=fs)
    if part is not None:  # the district's own file: no listing of the other districts' folders
        try:
            got = pq.read_table(f"{folder}/part={part}/0.parquet", filesystem=fs, schema=schema)
        except FileNotFoundError:  # a district without rows in this table
            return schema.empty_table()
        return got.take(pc.sort_indices(got["_pos"])) if got.num_rows else got
    data = ds.dataset(folder, format="parquet", partitioning=_PARTITIONING, filesystem=fs,
                      schema=schema.append(pa.field("part", pa.int32())))
    got = data.to_table()
    return got.take(pc.sort_indices(got["_pos"]))


def _validation(fs: Any, root: str) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, pd.DataFrame]]:
    v = f"{root}/validation"
    tables = pq.read_table(f"{v}/tables.parquet", filesystem=fs).to_pandas()
    problems = pq.read_table(f"{v}/problems.parquet", filesystem=fs).to_pandas()
    found = (sorted(fs.glob(f"{v}/quarantine/*.parquet")) if fs is not None
             else sorted(p.as_posix() for p in Path(v, "quarantine").glob("*.parquet")))
    quarantine = {Path(p).stem: pq.read_table(p, filesystem=fs).to_pandas() for p in found}
    return tables, problems, quarantine


def read_validation(store_dir: str | os.PathLike) -> ValidationResult:
    """What validation found when the store was built — problems, quarantined rows, the
    table summary — without reading the accepted rows (``frames`` is empty).

    Parameters
    ----------
    store_dir : path or str
        A store folder, or its URL (:mod:`reliefkit.store.location`).

    Returns
    -------
    ValidationResult

    Raises
    ------
    RegionReadError
        When the folder is no store (or an unreadable one).

    Examples
    --------
    >>> import tempfile
    >>> from reliefkit.store.build import build_store
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = build_store("data/sample", tmp)
    ...     result = read_validation(tmp)
    >>> result.clean, result.tables["table"].tolist()[:2]
    (True, ['households', 'persons'])
    """
    store = store_dir if is_url(store_dir) else Path(store_dir)
    read_meta(store)
    try:
        tables, problems, quarantine = _validation(*_open(store))
    except (OSError, pa.ArrowException) as e:
        raise RegionReadError(f"is a damaged region store ({e})",
                              "rebuild it with `reliefkit prepare REGION --store DIR`", folder=str(store)) from e
    return ValidationResult({}, quarantine, problems, tables, {}, {})


def read_store(store_dir: str | os.PathLike, district: str | None = None) -> StoreRead:
    """Read a store, whole or one district's rows only.

    Parameters
    ----------
    store_dir : path or str
        A store folder (:func:`reliefkit.store.build.build_store`), or its URL
        (``s3://bucket/store``, :mod:`reliefkit.store.location`).
    district : str, optional
        Read only this district's households, their persons, enrolments, payments and
        pairings, and the helpers of those pairings.

    Returns
    -------
    StoreRead

    Raises
    ------
    RegionReadError
        When the folder is no store (or an unreadable one).
    UnknownDistrictError
        When the store has no household in ``district``; the message lists the known ones.

    Examples
    --------
    >>> import tempfile
    >>> from reliefkit.store.build import build_store
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = build_store("data/sample", tmp)
    ...     town = read_store(tmp, district="城关镇").result
    >>> len(town.frames["persons"]), len(town.rows["persons"])
    (1481, 1481)
    """
    store = store_dir if is_url(store_dir) else Path(store_dir)
    meta = read_meta(store)
    fs, root = _open(store)
    part = None
    key = None
    if district is not None:
        key = unicodedata.normalize("NFKC", str(district)).strip()
        if key not in meta["districts"]:
            raise UnknownDistrictError(f"is not a district of region '{meta['name']}'",
                                       f"use one of: {', '.join(meta['districts'])}", district=repr(str(district)))
        part = meta["districts"].index(key)
    held = meta.get("parts", "all")  # a copy of some districts only (reliefkit.store.fetch)
    if held != "all" and (part is None or part not in held):
        if meta.get("origin"):  # what the copy does not hold is read from the store it was copied from
            return read_store(meta["origin"], district)
        raise RegionReadError("is a copy of some districts of a store only",
                              "read the store itself, or fetch the district or the whole store",
                              folder=str(store), district=str(district))
    frames: dict[str, pd.DataFrame] = {}
    rows: dict[str, np.ndarray] = {}
    try:
        read: dict[str, pa.Table] = {}
        for table in TABLES:
            if table.name in PARTITIONED:
                read[table.name] = _partitioned(fs, root, table.name, part)
            else:
                read[table.name] = pq.read_table(f"{root}/tables/{table.name}.parquet", filesystem=fs)
        if part is not None:  # the helpers the district's pairings name, in the region's order, cut in Arrow
            helpers = read["helpers"]
            named = pc.is_in(helpers["helper_id"], value_set=pc.unique(read["pairings"]["helper_id"]))
            read["helpers"] = helpers.filter(pc.fill_null(named, False))
        for table in TABLES:
            frames[table.name], rows[table.name] = _to_frame(read[table.name], table)
        tables, problems, quarantine = _validation(fs, root)
    except (OSError, pa.ArrowException) as e:
        raise RegionReadError(f"is a damaged region store ({e})",
                              "rebuild it with `reliefkit prepare REGION --store DIR`", folder=str(store)) from e
    result = ValidationResult(frames, quarantine, problems, tables, {}, rows)
    return StoreRead(result, meta, meta["name"], key)

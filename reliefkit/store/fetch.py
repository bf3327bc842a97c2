"""A local copy of a store, whole or one district's part: what a Dask worker reads a
store at a URL through, and what a command given ``--store s3://…`` reads.

The copy of one district holds ``store.json``, the validation, the helpers and the
region's files, and of each partitioned table the district's partition (and partition 0,
which gives the dataset's schema): a few files whatever the region's size. Its
``store.json`` says which partitions it holds (``"parts"``) and where it was copied
from (``"origin"``): :func:`reliefkit.store.read.read_store` reads anything else (the whole
region, another district) from there.

Examples
--------
>>> import tempfile
>>> from reliefkit.store.build import build_store
>>> from reliefkit.store.read import read_store
>>> with tempfile.TemporaryDirectory() as tmp:
...     _ = build_store("data/sample", "memory://reliefkit-fetch-doc/store")
...     copy = fetch_store("memory://reliefkit-fetch-doc/store", Path(tmp, "copy"), district="城关镇")
...     town = read_store(copy, district="城关镇").result
...     held = read_meta(copy)["parts"]
>>> len(town.frames["persons"]), held
(1481, [0])
"""

from __future__ import annotations

import json
import os
import shutil
import unicodedata
from pathlib import Path

from reliefkit.errors import UnknownDistrictError
from reliefkit.store.build import PARTITIONED, read_meta
from reliefkit.store.inputs import MARKER
from reliefkit.store.location import Location, download, exists, is_url, join, list_files

__all__ = ["cached_copy", "fetch_store"]


def _part_of(meta: dict, district: str | None) -> int | None:
    if district is None:
        return None
    key = unicodedata.normalize("NFKC", str(district)).strip()
    if key not in meta["districts"]:
        raise UnknownDistrictError(f"is not a district of region '{meta['name']}'",
                                   f"use one of: {', '.join(meta['districts'][:20])}"
                                   + (" …" if len(meta["districts"]) > 20 else ""), district=repr(str(district)))
    return meta["districts"].index(key)


def fetch_store(location: Location, target: str | os.PathLike, district: str | None = None) -> Path:
    """Copy the store at ``location`` (a URL or a folder) into the local folder
    ``target``: whole, or only what ``district`` needs.

    A copy already in ``target`` of the same store (same fingerprint) holding the parts
    asked for is kept as it is.

    Parameters
    ----------
    location : str or path
        The store: an fsspec URL (``s3://bucket/store``) or a folder.
    target : path
        Where the copy goes (a store folder, written ``store.json`` last).
    district : str, optional
        Only this district's rows (and what every read needs).

    Returns
    -------
    Path
        ``target``.

    Raises
    ------
    RegionReadError
        When ``location`` is no store or cannot be read.
    UnknownDistrictError
        When the store has no such district.

    Examples
    --------
    >>> import tempfile
    >>> from reliefkit.store.build import build_store
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = build_store("data/sample", Path(tmp, "store"))
    ...     copy = fetch_store(Path(tmp, "store"), Path(tmp, "copy"))
    ...     sorted(p.name for p in Path(copy, "tables", "persons").iterdir())
    ['part=0', 'part=1', 'part=2', 'part=3', 'part=4', 'part=5']
    """
    meta = read_meta(location)
    part = _part_of(meta, district)
    target = Path(target)
    wanted = None if part is None else sorted({0, part})
    if (target / MARKER).is_file():
        try:
            have = read_meta(target)
        except Exception:  # noqa: BLE001 - a damaged copy is replaced
            have = {}
        held = have.get("parts", "all")
        if have.get("fingerprint") == meta["fingerprint"] and (held == "all" or (
                wanted is not None and set(wanted) <= set(held))):
            return target
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    names: list[str] = []
    if part is None:
        names = [n for n in list_files(location) if n != MARKER]
    else:
        for sub in ("validation", "policies", "derived"):  # derived: figures of the whole region kept beside it
            names += [f"{sub}/{n}" for n in list_files(join(location, sub))]
        names.append("tables/helpers.parquet")
        copied = [i["file"] for i in meta.get("inputs", []) if "/" not in i["file"]]
        names += [n for n in copied if exists(join(location, n))]
        for table in PARTITIONED:
            names += [f"tables/{table}/part={k}/0.parquet" for k in wanted
                      if k == 0 or exists(join(location, f"tables/{table}/part={k}/0.parquet"))]
    download(location, names, target)
    written = dict(meta, parts="all" if part is None else wanted)
    if part is not None:  # anything else (the whole region) is read from the store itself
        written["origin"] = str(location) if is_url(location) else str(Path(location).resolve())
    (target / f".{MARKER}.part").write_text(json.dumps(written, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                                            encoding="utf-8")
    os.replace(target / f".{MARKER}.part", target / MARKER)
    return target


def cached_copy(location: Location, district: str | None = None) -> Path:
    """A local copy of the store at the URL ``location`` (whole, or what ``district``
    needs) in the system's temporary folder, kept there and reused while the store is
    the same: how :func:`reliefkit.region.region.load_region` reads a store at a URL.

    Parameters
    ----------
    location : str
        A store's URL.
    district : str, optional

    Returns
    -------
    Path

    Examples
    --------
    >>> from reliefkit.store.build import build_store
    >>> _ = build_store("data/sample", "memory://reliefkit-cached-doc/store")
    >>> copy = cached_copy("memory://reliefkit-cached-doc/store", "城关镇")
    >>> cached_copy("memory://reliefkit-cached-doc/store", "城关镇") == copy, read_meta(copy)["parts"]
    (True, [0])
    """
    import hashlib
    import tempfile

    meta = read_meta(location)
    part = _part_of(meta, district)
    digest = hashlib.sha256(f"{location}\0{meta['fingerprint']}\0{part}".encode()).hexdigest()[:20]
    return fetch_store(location, Path(tempfile.gettempdir(), "reliefkit-stores", digest), district)

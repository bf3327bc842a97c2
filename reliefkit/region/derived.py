"""Figures of a whole region kept beside a store, for the districts read from it.

A district read from a store (``load_region(store, district=…)``) holds only its own rows;
a figure of the whole region (the pairing suggestions) would make every district's
kernel read the whole store again, and the facts of 1,000 districts of one loaded region
would compute it 1,000 times. :func:`cached` computes such a figure once per loaded
region and, for a region or district read from a local store, keeps it as JSON in the
store's ``derived/`` folder, named by the store's fingerprint, so a rebuilt store never
serves an old figure (``reliefkit run`` computes them before the notebooks start).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

from reliefkit.errors import ReliefkitError
from reliefkit.region.region import Region
from reliefkit.safety.atomic import atomic_write_text

__all__ = ["derived_file", "cached"]


def derived_file(region: Region, name: str) -> Path | None:
    """Where a region or district read from a local store keeps the figure ``name``, or
    None (a region read from a folder, a view of a loaded region, a store at a URL).

    Examples
    --------
    >>> from reliefkit.region.region import load_region
    >>> derived_file(load_region("data/sample", district="城关镇"), "x") is None  # from a folder
    True
    """
    if region.parent is not None or region.source is None:
        return None
    from reliefkit.store.build import is_store, read_meta

    text = str(region.source)
    if text.startswith(("s3:", "gs:", "http", "memory:")) or not is_store(Path(text)):
        return None
    return Path(text) / "derived" / f"{name}-{read_meta(Path(text))['fingerprint'][:16]}.json"


def cached(region: Region, name: str, compute: Callable[[], Any]) -> Any:
    """``compute()`` once per region: kept in memory on the loaded region (so 1,000
    districts' facts of one loaded region compute a region-wide figure once) and, when the
    region was read from a local store, as ``name`` in the store's ``derived/``
    (:func:`derived_file`), where the districts' kernels read it back.

    The value must be JSON (a dict, list, numbers, text); what is read back is the JSON.

    Examples
    --------
    >>> from reliefkit.region.region import load_region
    >>> region = load_region("data/sample")
    >>> cached(region, "x", lambda: {"a": 1}), cached(region.district("城关镇"), "x", lambda: {"a": 2})
    ({'a': 1}, {'a': 1})
    """
    holder = region.parent.whole() if region.parent is not None else region
    memo = holder.__dict__.setdefault("_derived", {})
    if name in memo:
        return memo[name]
    path = derived_file(region, name)
    if path is not None and path.is_file():
        memo[name] = json.loads(path.read_text(encoding="utf-8"))
        return memo[name]
    value = json.loads(json.dumps(compute()))  # what a later read gives back: the JSON
    memo[name] = value
    if path is not None:
        try:
            path.parent.mkdir(exist_ok=True)
            atomic_write_text(path, json.dumps(value, ensure_ascii=False, sort_keys=True) + "\n")
        except (OSError, ReliefkitError):  # a read-only store: compute again next time
            pass
    return value

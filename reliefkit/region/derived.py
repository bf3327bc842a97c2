"""Figures of a whole region kept beside a store, for the districts read from it.

A district read from a store (``load_region(store, district=…)``) holds only its own rows;
a figure of the whole region (the pairing suggestions) would make every district's
kernel read the whole store again. :func:`cached` computes such a figure once and keeps
it as JSON in the store's ``derived/`` folder, named by the store's fingerprint, so a
rebuilt store never serves an old figure. A region read from a folder, a district view
of a loaded region, a store behind a URL or a read-only store compute as usual.
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
    """Where a district read from a local store keeps the figure ``name``, or None.

    Examples
    --------
    >>> from reliefkit.region.region import load_region
    >>> derived_file(load_region("data/sample", district="城关镇"), "x") is None  # from a folder
    True
    """
    if region.scope is None or region.parent is not None or region.source is None:
        return None
    from reliefkit.store.build import is_store, read_meta

    text = str(region.source)
    if text.startswith(("s3:", "gs:", "http", "memory:")) or not is_store(Path(text)):
        return None
    return Path(text) / "derived" / f"{name}-{read_meta(Path(text))['fingerprint'][:16]}.json"


def cached(region: Region, name: str, compute: Callable[[], Any]) -> Any:
    """``compute()``, kept in the store's ``derived/`` as ``name`` when ``region`` is a
    district read from a local store (:func:`derived_file`) and read back next time.

    The value must be JSON (a dict, list, numbers, text); what is read back is the JSON.

    Examples
    --------
    >>> from reliefkit.region.region import load_region
    >>> cached(load_region("data/sample"), "x", lambda: {"a": 1})
    {'a': 1}
    """
    path = derived_file(region, name)
    if path is not None and path.is_file():
        return json.loads(path.read_text(encoding="utf-8"))
    value = compute()
    if path is not None:
        try:
            path.parent.mkdir(exist_ok=True)
            atomic_write_text(path, json.dumps(value, ensure_ascii=False, sort_keys=True) + "\n")
        except (OSError, ReliefkitError):  # a read-only store: compute again next time
            pass
    return value

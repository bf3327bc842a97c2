"""Provenance: what a run read, with which parameters and which software.

:func:`build_manifest` describes a run; :func:`write_manifest` writes it as
``manifest.json`` in the run's output folder. The JSON is deterministic — keys sorted,
no wall-clock time — so two runs of the same command on the same input give the same
bytes; ``created`` holds a time only when ``SOURCE_DATE_EPOCH`` is set.

Keys of a manifest:

- ``manifest_version``: 1.
- ``reliefkit_version``: the kit's version (``reliefkit.__version__``).
- ``created``: ISO time from ``SOURCE_DATE_EPOCH`` (``2026-01-01T00:00:00Z``), or null.
- ``region``: ``name``, ``folder`` (as given; with ``portable``, an absolute one relative
  to the repository or the working directory, else its name: no output shows the
  machine's folders), ``scope`` (the district, or null). For a region read from a store
  (:mod:`reliefkit.store`), the folder the store was built from, as the store recorded it.
- ``inputs``: one entry per table, sorted by table: ``table``, ``file`` (name in the
  region folder, null when the table has no file), ``sheet``, ``encoding`` (as
  detected; null for XLSX and Parquet), ``sha256``, ``bytes``, ``status``, ``rows_in``,
  ``accepted``, ``quarantined``.
- ``parameters``: the run's parameters as given (paths and dates as text).
- ``policies``: the policy files applied, in order (the baseline first), then scheme
  files: ``file`` (``reliefkit/policy/…`` for the kit's own; else as given, made
  relative like ``region.folder`` with ``portable``; a store's copy as
  ``<folder>/policies/…``),
  ``role`` (``baseline``, ``region`` or ``scheme``), ``sha256``; a policy built in
  code (an override) has ``sha256`` null.
- ``packages``: distribution name → version, for those installed (:data:`PACKAGES`).
- ``python``: the Python version; ``platform``: operating system and machine.

Examples
--------
>>> from reliefkit.region.region import load_region
>>> m = build_manifest(load_region("data/sample"), {"year": 2026})
>>> [i["file"] for i in m["inputs"]][:2], m["inputs"][0]["encoding"], len(m["inputs"][0]["sha256"])
(['enrolments.csv', 'helpers.csv'], 'utf-8', 64)
>>> m["policies"][0]["file"], m["parameters"]
('reliefkit/policy/baseline.yaml', {'year': 2026})
"""

from __future__ import annotations

import datetime as dt
import json
import math
import platform
from collections.abc import Iterable, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from reliefkit._hashing import file_sha256
from reliefkit._resources import package_root
from reliefkit.errors import ReliefkitError
from reliefkit.safety.atomic import atomic_write_text
from reliefkit.safety.determinism import source_date_epoch
from reliefkit.store.build import is_store, read_meta
from reliefkit.store.inputs import portable_path

__all__ = ["build_manifest", "write_manifest", "manifest_json", "sha256_file", "PACKAGES", "MANIFEST_NAME"]

MANIFEST_NAME = "manifest.json"
MANIFEST_VERSION = 1

#: distributions whose versions a manifest records (when installed)
PACKAGES = ("reliefkit", "pandas", "numpy", "pyarrow", "openpyxl", "PyYAML", "Jinja2", "python-docx",
            "matplotlib", "seaborn", "mplfonts", "papermill", "nbformat", "ipykernel", "dask", "distributed")

_KIT_DIR = package_root().resolve()


def sha256_file(path: str | Path) -> str:
    """The SHA-256 of a file's bytes, as 64 hex digits.

    Raises
    ------
    ReliefkitError
        When the file cannot be read (it moved since it was read, or permissions).
    """
    try:
        return file_sha256(path)
    except OSError as e:
        raise ReliefkitError(f"cannot be read to record its hash ({e.strerror or e})",
                             "check that the input folder did not change during the run", file=str(path)) from e


def _package_versions() -> dict[str, str]:
    out = {}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return out


def _plain(value: Any) -> Any:
    """``value`` as plain JSON data: paths and dates as text, sets sorted, numpy scalars unwrapped."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Path):
        return value.as_posix()
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted((_plain(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "item") and callable(value.item):  # numpy scalar
        return _plain(value.item())
    return str(value)


def _none(v: Any) -> Any:
    """None for a missing value (None, NaN, NA or empty text), else ``v``."""
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) or v == "":
        return None
    return v


def _store(region: Any) -> tuple[Path, dict] | None:
    """The store a region was read from, and its description (None for a folder)."""
    folder = Path(region.source) if region.source is not None else None
    return (folder, read_meta(folder)) if folder is not None and is_store(folder) else None


def _policy_label(path: Path, store: tuple[Path, dict] | None = None, portable: bool = False) -> str:
    try:
        return "reliefkit/" + path.resolve().relative_to(_KIT_DIR).as_posix()
    except ValueError:
        pass
    if store is not None and path.resolve().is_relative_to(store[0].resolve()):
        return f"{store[1]['source']}/{path.resolve().relative_to(store[0].resolve()).as_posix()}"
    return portable_path(path) if portable else path.as_posix()


def _policies(sources: Iterable[str], schemes: Iterable[str | Path],
              store: tuple[Path, dict] | None = None, portable: bool = False) -> list[dict]:
    out = []
    entries = [(s, None) for s in sources] + [(s, "scheme") for s in schemes]
    for source, role in entries:
        path = Path(source)
        if not path.is_file():
            out.append({"file": portable_path(source) if portable else str(source),
                        "role": role or "override", "sha256": None})
            continue
        if role is None:
            inside_kit = path.resolve().is_relative_to(_KIT_DIR)
            role = "baseline" if inside_kit else "region"
        out.append({"file": _policy_label(path, store, portable), "role": role, "sha256": sha256_file(path)})
    return out


def _inputs(region: Any, store: tuple[Path, dict] | None = None) -> list[dict]:
    folder = Path(region.source) if region.source is not None else None
    recorded = {i["file"]: i for i in store[1].get("inputs", [])} if store is not None else None
    rows = []
    for r in region.validation.tables.sort_values("table").itertuples(index=False):
        file = _none(getattr(r, "file", None))
        entry = {
            "table": r.table, "file": file, "sheet": _none(getattr(r, "sheet", None)),
            "encoding": _none(getattr(r, "encoding", None)), "status": _none(getattr(r, "status", None)),
            "rows_in": int(r.rows_in), "accepted": int(r.accepted), "quarantined": int(r.quarantined),
            "sha256": None, "bytes": None,
        }
        if file and recorded is not None:  # a store: the hashes taken when it was built
            entry["sha256"] = (recorded.get(file) or {}).get("sha256")
            entry["bytes"] = (recorded.get(file) or {}).get("bytes")
        elif file and folder is not None:
            path = folder / file
            entry["sha256"] = sha256_file(path)
            entry["bytes"] = path.stat().st_size
        rows.append(entry)
    return rows


def build_manifest(region: Any, params: Mapping[str, Any] | None = None, *,
                   scheme_files: Iterable[str | Path] = (), portable: bool = False) -> dict[str, Any]:
    """The provenance of a run on ``region`` (see the module docstring for the keys).

    Parameters
    ----------
    region : Region
        The loaded region (its ``validation.tables``, ``source`` and ``policy.sources``
        say what was read).
    params : mapping, optional
        The run's parameters (year, district, language, output folder …), recorded as given.
    scheme_files : iterable of path
        Scheme files compared in the run, hashed like policy files.
    portable : bool
        Write every path without the machine's folders (relative to the repository or
        the working directory, else the file's name), as ``reliefkit run`` does; a region
        read from a store names the folder the store was built from either way.

    Raises
    ------
    ReliefkitError
        When an input file can no longer be read.
    """
    from reliefkit import __version__

    epoch = source_date_epoch()
    created = (dt.datetime.fromtimestamp(epoch, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
               if epoch is not None else None)
    store = _store(region)
    source = Path(region.source) if region.source is not None else None
    if store is not None:
        folder = store[1]["source"]
    else:
        folder = (portable_path(source) if portable else source.as_posix()) if source else None
    return _plain({
        "manifest_version": MANIFEST_VERSION,
        "reliefkit_version": __version__,
        "created": created,
        "region": {"name": region.name, "folder": folder, "scope": region.scope},
        "inputs": _inputs(region, store),
        "parameters": dict(params or {}),
        "policies": _policies(region.policy.sources, scheme_files, store, portable),
        "packages": _package_versions(),
        "python": platform.python_version(),
        "platform": f"{platform.system()} {platform.machine()}".strip(),
    })


def manifest_json(manifest: Mapping[str, Any]) -> str:
    """The manifest as deterministic JSON text: keys sorted, 2-space indent, UTF-8 text
    kept as it is, a final newline."""
    return json.dumps(_plain(manifest), sort_keys=True, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def write_manifest(path: str | Path, manifest: Mapping[str, Any]) -> Path:
    """Write ``manifest`` as JSON (:func:`manifest_json`), atomically.

    Parameters
    ----------
    path : path
        The file to write, or an existing folder (then ``<folder>/manifest.json``).

    Returns
    -------
    Path
        The file written.
    """
    path = Path(path)
    if path.is_dir():
        path = path / MANIFEST_NAME
    return atomic_write_text(path, manifest_json(manifest))

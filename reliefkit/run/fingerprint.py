"""What decides "up to date": hashes of files and of the kit's code, and the stamps.

A job's key (:func:`reliefkit.run.planning.plan`) hashes the notebook, its parameters, the
region folder's files, the scheme files and :func:`code_fingerprint` — every module,
template and policy of the whole package and the versions of the libraries that shape
the outputs. Each output folder holds one stamp per notebook
(``.<notebook>.run.json``, :func:`write_stamp`) with the key of the last run and how it
ended; a job whose stamp holds its key and ``ok`` (and whose outputs exist) is skipped.

Examples
--------
>>> import tempfile
>>> with tempfile.TemporaryDirectory() as tmp:
...     stamp = Path(tmp, ".03-year-end-summary.run.json")
...     write_stamp(stamp, "abc", "ok")
...     read_stamp(stamp)
{'key': 'abc', 'status': 'ok', 'version': 1}
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from reliefkit._hashing import update_with_file
from reliefkit._resources import package_root
from reliefkit.safety.atomic import atomic_write_text

__all__ = ["STAMP_VERSION", "CODE_SUFFIXES", "fingerprint_files", "code_files", "code_fingerprint", "read_stamp",
           "write_stamp"]

#: the version of the stamps' format and of what a key hashes
STAMP_VERSION = 1
#: the package's files that make its code: modules, templates, policies
CODE_SUFFIXES = frozenset({".py", ".yaml", ".j2", ".yml"})
#: the libraries whose versions shape the outputs
_LIBRARIES = ("pandas", "numpy", "matplotlib", "seaborn", "mplfonts", "python-docx", "openpyxl", "nbconvert")


def _hash_file(h: Any, path: Path, label: str) -> None:
    h.update(label.encode() + b"\0")
    update_with_file(h, path)
    h.update(b"\0")


def fingerprint_files(paths: Iterable[Path], root: Path | None = None) -> str:
    """A hash of files' names (relative to ``root``) and contents; folders are walked.

    Parameters
    ----------
    paths : iterable of Path
        Files, and folders whose files (not hidden ones) are all hashed; what does not
        exist is passed over.
    root : Path, optional
        What the names are relative to (a file outside it, or no root: its name only).

    Returns
    -------
    str
        The SHA-256, in hex.

    Examples
    --------
    >>> a = fingerprint_files([Path("data/sample")], Path("data/sample"))
    >>> a == fingerprint_files([Path("data/sample")], Path("data/sample")) and len(a)
    64
    """
    h = hashlib.sha256()
    files: list[tuple[str, Path]] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            files += [(f.relative_to(root or p).as_posix(), f) for f in p.rglob("*")
                      if f.is_file() and not any(part.startswith(".") for part in f.relative_to(p).parts)]
        elif p.is_file():
            files.append((p.relative_to(root).as_posix() if root and p.is_relative_to(root) else p.name, p))
    for label, f in sorted(files):
        _hash_file(h, f, label)
    return h.hexdigest()


def code_files() -> list[Path]:
    """The files of the kit's code: every ``.py``, ``.yaml``, ``.yml`` and ``.j2`` below
    :func:`reliefkit._resources.package_root` — the whole package, every subpackage.

    Returns
    -------
    list of Path

    Examples
    --------
    >>> names = {p.relative_to(package_root().resolve()).as_posix() for p in code_files()}
    >>> {"figures/facts.py", "policy/baseline.yaml", "run/templates/index.html.j2"} <= names
    True
    """
    package = package_root().resolve()
    return [f for f in package.rglob("*") if f.is_file() and f.suffix in CODE_SUFFIXES]


def code_fingerprint() -> str:
    """A hash of the kit's code (:func:`code_files`) and of the versions of the libraries
    that shape its outputs (and of Python's).

    Returns
    -------
    str
        The SHA-256, in hex.

    Examples
    --------
    >>> code_fingerprint() == code_fingerprint()
    True
    """
    from importlib.metadata import PackageNotFoundError, version

    h = hashlib.sha256(fingerprint_files(code_files(), package_root().resolve()).encode())
    for lib in _LIBRARIES:
        try:
            h.update(f"{lib}={version(lib)}".encode())
        except PackageNotFoundError:  # pragma: no cover
            h.update(f"{lib}=-".encode())
    h.update(sys.version.encode())
    return h.hexdigest()


def read_stamp(path: Path) -> Any:
    """What a stamp holds (``{"key": …, "status": …, "version": …}``), or None when it
    cannot be read.

    Parameters
    ----------
    path : Path
        The stamp (``Job.stamp``).

    Returns
    -------
    dict or None
    """
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_stamp(path: Path, key: str, status: str) -> None:
    """Write a stamp (atomically): the job's key and how it ended.

    Parameters
    ----------
    path : Path
        The stamp (``Job.stamp``).
    key : str
        The job's key.
    status : str
        ``ok`` or ``failed``.
    """
    atomic_write_text(path, json.dumps({"key": key, "status": status, "version": STAMP_VERSION}))

"""What a store is built from: the input files of a region folder, their fingerprint, and
paths written without the machine's folders.

A store is reused while :func:`input_fingerprint` of its folder is unchanged: the SHA-256
of every table file, ``policies/*.yaml`` and ``region.yaml`` (names and bytes), of the
store's format and of the code that reads and validates (``reliefkit/io``,
``reliefkit/store``).

Examples
--------
>>> files = input_files("data/sample")
>>> sorted(files)[:2], len(input_fingerprint("data/sample"))
(['enrolments.csv', 'helpers.csv'], 64)
>>> portable_path(Path("data/sample").resolve())
'data/sample'
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from reliefkit._hashing import file_sha256
from reliefkit._resources import package_root, repo_root
from reliefkit.io.reading import find_table_files
from reliefkit.io.schema import METADATA_FILES

__all__ = ["STORE_FORMAT", "MARKER", "input_files", "input_fingerprint", "portable_path"]

#: the version of a store's layout; a store of another version is rebuilt
STORE_FORMAT = 1
#: the file that makes a folder a store (its description, written last)
MARKER = "store.json"


def input_files(region_dir: str | os.PathLike) -> dict[str, Path]:
    """The files a store of ``region_dir`` is built from, by their name in the folder:
    the table files found, ``policies/*.yaml`` and ``region.yaml``.

    Parameters
    ----------
    region_dir : path
        A region folder.

    Returns
    -------
    dict of str → Path
        Name relative to the folder (``/``-separated) → the file, sorted by name.

    Raises
    ------
    RegionReadError
        When ``region_dir`` is not a folder.

    Examples
    --------
    >>> list(input_files("data/sample"))
    ['enrolments.csv', 'helpers.csv', 'households.csv', 'pairings.csv', 'payments.csv', 'persons.csv', 'region.yaml']
    """
    region_dir = Path(region_dir)
    files, _ = find_table_files(region_dir)
    found = {p.name: p for p in files.values()}
    found.update({f"policies/{p.name}": p for p in Path(region_dir, "policies").glob("*.y*ml") if p.is_file()})
    for name in (*METADATA_FILES, "aliases.yaml"):  # the office's own headers and codes change what is read
        if (region_dir / name).is_file():
            found[name] = region_dir / name
    return dict(sorted(found.items()))


def _code_hash() -> str:
    root = package_root().resolve()
    h = hashlib.sha256()
    for sub in ("io", "store"):
        for f in sorted((root / sub).glob("*.py")):
            h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()


def input_fingerprint(region_dir: str | os.PathLike, hashes: dict[str, str] | None = None) -> str:
    """A hash of what a store of ``region_dir`` holds: the input files' names and bytes
    (:func:`input_files`), the store's format and the code that reads and validates.

    Parameters
    ----------
    region_dir : path
        A region folder.
    hashes : dict, optional
        Filled with name → SHA-256 of each input file.

    Returns
    -------
    str
        The SHA-256, in hex.

    Examples
    --------
    >>> hashes = {}
    >>> input_fingerprint("data/sample", hashes) == input_fingerprint("data/sample"), len(hashes)
    (True, 7)
    """
    h = hashlib.sha256(f"reliefkit-store-{STORE_FORMAT}\0{_code_hash()}\0".encode())
    for name, path in input_files(region_dir).items():
        digest = file_sha256(path)
        if hashes is not None:
            hashes[name] = digest
        h.update(f"{name}\0{digest}\0".encode())
    return h.hexdigest()


def portable_path(path: str | os.PathLike, base: str | os.PathLike | None = None) -> str:
    """A path as an output may show it, without the machine's folders.

    A relative path stays as it is; an absolute one becomes relative to ``base`` (when
    given and inside it), else to the repository (when inside it), else to the working
    directory (when inside it), else its name only.

    Parameters
    ----------
    path : path
    base : path, optional
        A folder to prefer (e.g. the run's folder).

    Returns
    -------
    str
        ``/``-separated.

    Examples
    --------
    >>> portable_path("data/sample"), portable_path(repo_root() / "notebooks" / "schemes" / "rural-180.yaml")
    ('data/sample', 'notebooks/schemes/rural-180.yaml')
    >>> portable_path("/elsewhere/region/persons.csv")
    'persons.csv'
    """
    p = Path(path)
    if not p.is_absolute():
        return p.as_posix()
    p = Path(os.path.abspath(p))
    for root in (base, repo_root(), Path.cwd()):
        if root is None:
            continue
        root = Path(os.path.abspath(root))
        if p.is_relative_to(root) and p != root:
            return p.relative_to(root).as_posix()
    return p.name

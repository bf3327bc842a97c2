"""Where a store (or a run's outputs) lives: a folder, or an fsspec URL such as
``s3://bucket/prefix`` (object storage through s3fs), ``gs://…``, ``memory://…``.

A *location* is a path or a URL. A URL is read and written through :mod:`fsspec`: the
file system is found from the URL's scheme (``s3://`` needs ``s3fs``) and configured the
way fsspec and the storage's own library are — for S3, the usual environment variables
(``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``, ``AWS_ENDPOINT_URL`` for an
S3-compatible server, ``AWS_DEFAULT_REGION``) or fsspec's ``FSSPEC_S3_<OPTION>`` variables
(``FSSPEC_S3_ENDPOINT_URL=http://127.0.0.1:9000``), which every Dask worker then needs too.
A path stays a :class:`pathlib.Path` and is read as before.

Examples
--------
>>> is_url("s3://bucket/store"), is_url("data/sample"), is_url(Path("data/sample"))
(True, False, False)
>>> join("s3://bucket/store", "tables", "persons"), join("data/x", "store.json")
('s3://bucket/store/tables/persons', 'data/x/store.json')
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from reliefkit.errors import OutputError, RegionReadError, ReliefkitError

__all__ = ["Location", "as_location", "is_url", "local", "join", "filesystem", "read_text", "exists", "upload_tree", "download",
           "list_files"]

#: a path or an fsspec URL
Location = str | os.PathLike

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+://")


def is_url(location: Location) -> bool:
    """True when ``location`` is an fsspec URL (``scheme://…``, not ``file://``).

    Parameters
    ----------
    location : str or path

    Returns
    -------
    bool

    Examples
    --------
    >>> is_url("memory://x"), is_url("file:///tmp/x"), is_url("/tmp/x")
    (True, False, False)
    """
    return isinstance(location, str) and bool(_URL.match(location)) and not location.startswith("file://")


def local(location: Location) -> Path:
    """A path location (or a ``file://`` URL) as a :class:`pathlib.Path`.

    Examples
    --------
    >>> local("file:///tmp/x").as_posix(), local("data/sample").as_posix()
    ('/tmp/x', 'data/sample')
    """
    text = os.fspath(location)
    return Path(text[len("file://"):] if text.startswith("file://") else text)


def join(location: Location, *parts: str) -> str:
    """``location`` and ``parts`` joined with ``/`` (a URL) or the path separator.

    Parameters
    ----------
    location : str or path
    *parts : str

    Returns
    -------
    str

    Examples
    --------
    >>> join("s3://b/p/", "a", "b.parquet")
    's3://b/p/a/b.parquet'
    """
    if is_url(location):
        return "/".join([str(location).rstrip("/"), *[p.strip("/") for p in parts]])
    return str(Path(local(location), *parts))


def filesystem(location: Location) -> tuple[Any, str]:
    """The fsspec file system of a URL and the path inside it.

    Parameters
    ----------
    location : str
        A URL (:func:`is_url`).

    Returns
    -------
    fs, path : fsspec.AbstractFileSystem, str

    Raises
    ------
    ReliefkitError
        When fsspec, or the library of the URL's scheme (``s3fs`` for ``s3://``), is not
        installed, or the scheme is unknown.

    Examples
    --------
    >>> fs, path = filesystem("memory://reliefkit-doc/store")
    >>> type(fs).__name__, path
    ('MemoryFileSystem', '/reliefkit-doc/store')
    """
    try:
        import fsspec.core
    except ImportError:  # pragma: no cover - fsspec comes with dask
        raise ReliefkitError("a store at a URL needs fsspec", "run `pip install fsspec s3fs`",
                             location=str(location)) from None
    try:
        return fsspec.core.url_to_fs(str(location))
    except ImportError as e:
        raise ReliefkitError(f"the URL's file system is not installed ({e})",
                             "install it (`pip install s3fs` for s3://)", location=str(location)) from None
    except ValueError as e:
        raise ReliefkitError(f"is not a URL fsspec knows ({e})", "use s3://bucket/prefix or a folder",
                             location=str(location)) from None


def exists(location: Location) -> bool:
    """True when the file or folder at ``location`` exists.

    Examples
    --------
    >>> exists("data/sample/persons.csv"), exists("memory://reliefkit-doc/none")
    (True, False)
    """
    if not is_url(location):
        return local(location).exists()
    fs, path = filesystem(location)
    try:
        return bool(fs.exists(path))
    except (OSError, ValueError):
        return False


def read_text(location: Location) -> str:
    """The text (UTF-8) of the file at ``location``.

    Raises
    ------
    OSError
        When it cannot be read (missing, no access).

    Examples
    --------
    >>> read_text("data/sample/persons.csv")[:9]
    'person_id'
    """
    if not is_url(location):
        return local(location).read_text(encoding="utf-8")
    fs, path = filesystem(location)
    try:
        return fs.cat_file(path).decode("utf-8")
    except FileNotFoundError:
        raise
    except Exception as e:  # noqa: BLE001 - botocore and aiohttp errors are no OSError
        raise OSError(f"{type(e).__name__}: {e}") from e


def list_files(location: Location) -> list[str]:
    """Every file under the folder ``location``, as ``/``-separated names relative to it,
    sorted.

    Examples
    --------
    >>> list_files("data/sample")[:2]
    ['enrolments.csv', 'helpers.csv']
    """
    if not is_url(location):
        root = local(location)
        return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    fs, path = filesystem(location)
    path = path.rstrip("/")
    try:
        found = fs.find(path)
    except FileNotFoundError:
        return []
    prefix = path + "/"
    return sorted(f[len(prefix):] for f in found if f.startswith(prefix))


def upload_tree(source: str | os.PathLike, location: Location, names: Iterable[str] | None = None,
                last: Iterable[str] = ()) -> int:
    """Copy the files of the folder ``source`` (or only ``names`` of them) to the folder
    ``location`` (a URL or a path), those in ``last`` after all the others — a store's
    ``store.json``, so that a half-copied store is no store.

    Parameters
    ----------
    source : path
        A local folder.
    location : str or path
        Where its files go (created).
    names : iterable of str, optional
        ``/``-separated names relative to ``source`` (default: every file).
    last : iterable of str
        Names copied after the others.

    Returns
    -------
    int
        Files copied.

    Raises
    ------
    OutputError
        When a file cannot be written there.

    Examples
    --------
    >>> upload_tree("data/sample", "memory://reliefkit-doc/copy", ["persons.csv", "helpers.csv"],
    ...             last=["persons.csv"])
    2
    >>> list_files("memory://reliefkit-doc/copy")
    ['helpers.csv', 'persons.csv']
    """
    import shutil

    root = Path(source)
    todo = sorted(names) if names is not None else list_files(root)
    ending = [n for n in last if n in todo]
    todo = [n for n in todo if n not in ending] + ending
    try:
        if is_url(location):
            fs, base = filesystem(location)
            base = base.rstrip("/")
            # one batch: s3fs uploads them concurrently; the last ones after
            first, then = [n for n in todo if n not in ending], ending
            for batch in (first, then):
                if batch:
                    fs.put([str(root / n) for n in batch], [f"{base}/{n}" for n in batch])
        else:
            target = local(location)
            for n in todo:
                (target / n).parent.mkdir(parents=True, exist_ok=True)
                tmp = (target / n).with_name(f".{Path(n).name}.part")
                shutil.copyfile(root / n, tmp)
                os.replace(tmp, target / n)
    except Exception as e:  # noqa: BLE001 - botocore and aiohttp errors are no OSError
        raise OutputError(f"cannot be written ({type(e).__name__}: {e})",
                          "check the URL, the credentials (AWS_ACCESS_KEY_ID …, AWS_ENDPOINT_URL) "
                          "and that the bucket exists", location=str(location)) from None
    return len(todo)


def download(location: Location, names: Iterable[str], target: str | os.PathLike) -> int:
    """Copy the files ``names`` (``/``-separated, relative to the folder ``location``) into
    the local folder ``target``; each is written under a temporary name and renamed.

    Parameters
    ----------
    location : str or path
        A folder or a URL.
    names : iterable of str
    target : path

    Returns
    -------
    int
        Files copied.

    Raises
    ------
    RegionReadError
        When one cannot be read.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     download("data/sample", ["persons.csv"], tmp), Path(tmp, "persons.csv").is_file()
    (1, True)
    """
    import shutil
    import uuid

    names = list(names)
    target = Path(target)
    for n in names:
        (target / n).parent.mkdir(parents=True, exist_ok=True)
    tmp = [(target / n).with_name(f".{Path(n).name}.{uuid.uuid4().hex[:8]}.part") for n in names]
    try:
        if is_url(location):
            fs, base = filesystem(location)
            base = base.rstrip("/")
            if names:
                fs.get([f"{base}/{n}" for n in names], [str(t) for t in tmp])
        else:
            for n, t in zip(names, tmp, strict=True):
                shutil.copyfile(local(location) / n, t)
        for n, t in zip(names, tmp, strict=True):
            os.replace(t, target / n)
    except Exception as e:  # noqa: BLE001 - botocore and aiohttp errors are no OSError
        for t in tmp:
            t.unlink(missing_ok=True)
        raise RegionReadError(f"cannot be read ({type(e).__name__}: {e})",
                              "check the URL, the credentials (AWS_ACCESS_KEY_ID …, AWS_ENDPOINT_URL) "
                              "and that the store was written (`reliefkit prepare REGION --store URL`)",
                              location=str(location)) from None
    return len(names)


def as_location(text: str) -> str | Path:
    """A command-line argument as a location: a URL stays text, anything else is a path.

    Examples
    --------
    >>> as_location("s3://bucket/store"), as_location("reports")
    ('s3://bucket/store', PosixPath('reports'))
    """
    return text if is_url(text) else Path(text)

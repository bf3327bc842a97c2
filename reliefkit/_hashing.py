"""SHA-256 of files, read in chunks: the one implementation every fingerprint, store and
manifest of the kit uses."""

from __future__ import annotations

import hashlib
import os
from typing import Any

__all__ = ["update_with_file", "file_sha256"]

_CHUNK = 1 << 20


def update_with_file(h: Any, path: str | os.PathLike) -> None:
    """Feed a file's bytes to the hash object ``h``, a megabyte at a time.

    Parameters
    ----------
    h : hashlib hash object
    path : path

    Examples
    --------
    >>> import hashlib
    >>> h = hashlib.sha256(); update_with_file(h, "data/sample/helpers.csv")
    >>> h.hexdigest() == file_sha256("data/sample/helpers.csv")
    True
    """
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            h.update(chunk)


def file_sha256(path: str | os.PathLike) -> str:
    """The SHA-256 of a file's bytes, as 64 hex digits.

    Parameters
    ----------
    path : path

    Returns
    -------
    str

    Examples
    --------
    >>> len(file_sha256("data/sample/helpers.csv"))
    64
    """
    h = hashlib.sha256()
    update_with_file(h, path)
    return h.hexdigest()

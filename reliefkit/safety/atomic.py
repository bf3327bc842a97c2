"""Atomic writes, with clear errors for a read-only folder or a full disk.

Every file is written under a temporary name in the same folder (``.<name>.<random>.tmp``)
and renamed over the target with :func:`os.replace`, so an interrupted run leaves either
the old file or the new one, never half of one. A read-only output folder or a full disk
(``EACCES``, ``EPERM``, ``EROFS``, ``ENOSPC``, ``EDQUOT``) raises :class:`OutputError`
naming the file and the folder and saying what to do — instead of a traceback.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from reliefkit.errors import OutputError

__all__ = ["atomic_open", "atomic_write_bytes", "atomic_write_text"]


def _read_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _read_umask()
_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_READ_ONLY = {errno.EACCES, errno.EPERM, errno.EROFS}


def _output_error(e: OSError, path: Path) -> OSError:
    """An :class:`OutputError` for a read-only folder or a full disk; other errors as they are."""
    folder = str(path.parent)
    if e.errno in _FULL:
        return OutputError("the disk holding the output folder is full",
                           "free some space or write to another folder (--out)", file=str(path), folder=folder)
    if e.errno in _READ_ONLY:
        return OutputError("the output folder is read-only (permission denied)",
                           "make the folder writable or write to another folder (--out)",
                           file=str(path), folder=folder)
    return e


@contextlib.contextmanager
def atomic_open(path: str | Path) -> Iterator[IO[bytes]]:
    """Open a temporary file beside ``path`` for binary writing; on success it replaces
    ``path`` (``os.replace``), on any error it is removed and ``path`` is untouched.

    The folder is created when missing. A read-only folder or a full disk raises
    :class:`OutputError`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = pathlib.Path(tmp, "a.txt")
    ...     with atomic_open(p) as f:
    ...         _ = f.write(b"hello")
    ...     p.read_bytes(), [q.name for q in pathlib.Path(tmp).iterdir()]
    (b'hello', ['a.txt'])
    """
    path = Path(path)
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, path)
        tmp = None
    except OSError as e:
        err = _output_error(e, path)
        if err is e:
            raise
        raise err from e
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (see :func:`atomic_open`); returns the path."""
    with atomic_open(path) as f:
        f.write(data)
    return Path(path)


def atomic_write_text(path: str | Path, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically, as it is (no newline translation)."""
    return atomic_write_bytes(path, text.encode(encoding))

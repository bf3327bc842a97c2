"""Equal content gives equal bytes: the time written into outputs, normalized Office zips.

Office files (XLSX, DOCX) get the document dates of :func:`build_time` —
``SOURCE_DATE_EPOCH`` when it is set, else a fixed default (:data:`FIXED_TIME`) — and
their zip is rewritten with entries in a fixed order (``[Content_Types].xml`` first, then
sorted by name), one fixed entry date and fixed permissions (:func:`normalize_zip_bytes`).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import zipfile
from pathlib import Path
from typing import Any

from reliefkit.errors import ReliefkitError
from reliefkit.safety.atomic import atomic_write_bytes

__all__ = ["FIXED_TIME", "build_time", "source_date_epoch", "normalize_zip", "normalize_zip_bytes", "write_office"]


#: the document date of Office files when ``SOURCE_DATE_EPOCH`` is not set
FIXED_TIME = dt.datetime(2000, 1, 1, 0, 0, 0)

_ZIP_EPOCH = dt.datetime(1980, 1, 1)  # the earliest date a zip entry can hold


def source_date_epoch() -> int | None:
    """``SOURCE_DATE_EPOCH`` (seconds since 1970, UTC) when set to an integer, else None.

    Raises
    ------
    ReliefkitError
        When the variable is set but is not an integer.
    """
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise ReliefkitError("is not a whole number of seconds since 1970",
                             "set it to an integer such as 1767225600, or unset it",
                             SOURCE_DATE_EPOCH=repr(raw)) from None


def build_time() -> dt.datetime:
    """The time written into outputs: ``SOURCE_DATE_EPOCH`` (UTC, naive) when set, else
    :data:`FIXED_TIME`. Never the wall clock, so two runs give the same bytes."""
    epoch = source_date_epoch()
    if epoch is None:
        return FIXED_TIME
    return dt.datetime.fromtimestamp(epoch, dt.timezone.utc).replace(tzinfo=None)


_CORE_DATE = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def _entry_order(name: str) -> tuple[int, str]:
    return (0 if name == "[Content_Types].xml" else 1, name)


def normalize_zip_bytes(data: bytes, when: dt.datetime | None = None) -> bytes:
    """The bytes of an Office file (a zip) rewritten so that equal content gives equal
    bytes: entries in a fixed order (``[Content_Types].xml`` first, then by name), one
    entry date (``when``, default :func:`build_time`, not before 1980), fixed
    permissions, and the ``created``/``modified`` dates of ``docProps/core.xml`` set to
    ``when``."""
    when = when or build_time()
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    zdate = max(when, _ZIP_EPOCH).timetuple()[:6]
    with zipfile.ZipFile(io.BytesIO(data)) as zin:
        entries = sorted(((i.filename, zin.read(i.filename)) for i in zin.infolist()),
                         key=lambda e: _entry_order(e[0]))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zout:
        for name, content in entries:
            if name == "docProps/core.xml":
                content = _CORE_DATE.sub(lambda m: m.group(1) + stamp + m.group(3), content)
            info = zipfile.ZipInfo(name, date_time=zdate)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # unix, whatever the platform
            zout.writestr(info, content)
    return buf.getvalue()


def normalize_zip(path: str | Path, when: dt.datetime | None = None) -> Path:
    """Rewrite an Office file in place with :func:`normalize_zip_bytes` (atomically)."""
    path = Path(path)
    return atomic_write_bytes(path, normalize_zip_bytes(path.read_bytes(), when))


def write_office(document: Any, path: str | Path, when: dt.datetime | None = None) -> Path:
    """Save an openpyxl ``Workbook`` or a python-docx ``Document`` to ``path``:
    document dates set to ``when`` (default :func:`build_time`), zip normalized,
    written atomically.

    Raises
    ------
    OutputError
        When the folder is read-only or the disk is full.
    """
    when = when or build_time()
    props = getattr(document, "core_properties", None)
    if props is None:
        props = getattr(document, "properties", None)
    if props is not None:
        props.created = props.modified = when
    buf = io.BytesIO()
    document.save(buf)
    return atomic_write_bytes(path, normalize_zip_bytes(buf.getvalue(), when))

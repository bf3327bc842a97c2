"""File-name-safe names: one rule for every file the kit names after a place.

Characters a file system or a spreadsheet program refuses (``\\ / : * ? " < > |``) and
white space become ``_``; leading and trailing ``_`` are dropped.

Examples
--------
>>> file_slug("城关 镇/东", "district"), file_slug("///", "district")
('城关_镇_东', 'district')
>>> scope_slug(None), scope_slug("城关镇")
('region', '城关镇')
"""

from __future__ import annotations

import re

__all__ = ["file_slug", "scope_slug"]

_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


def file_slug(text: str, empty: str) -> str:
    """``text`` made safe for a file name; ``empty`` when nothing is left of it.

    Parameters
    ----------
    text : str
        A district, village or region name.
    empty : str
        What to use when the name has no safe character at all.

    Returns
    -------
    str
    """
    return _UNSAFE.sub("_", text).strip("_") or empty


def scope_slug(district: str | None) -> str:
    """The file-name-safe name of a scope: the district, or ``region`` for the whole region.

    Parameters
    ----------
    district : str or None

    Returns
    -------
    str
    """
    if district is None:
        return "region"
    return file_slug(district, "district")

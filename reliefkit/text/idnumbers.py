"""Resident ID numbers (GB 11643-1999) and the one masking pattern of the kit.

An 18-character resident ID number is 17 digits and a check character computed from
them (weights ``7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2``, modulus 11, characters
``10X98765432``). Characters 7–14 are the birth date, the 17th is odd for men.

Masking keeps the first 6 and the last 4 characters of an identifier and stars the rest
(``110101********123X``); a name keeps its first character (``张**``). Every report, log,
problems table and exception message goes through :func:`mask_id` / :func:`mask_name`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["WEIGHTS", "CHECK_CHARS", "RESIDENT_ID_PATTERN", "check_char", "is_valid_resident_id",
           "check_chars", "resident_id_mask", "luhn_ok", "is_legacy_resident_id", "id_birth_dates", "mask_id",
           "mask_name", "mask_value", "PERSONAL_ID_COLUMNS", "PERSONAL_TEXT_COLUMNS"]

WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
CHECK_CHARS = "10X98765432"
_CHECK_LUT = np.frombuffer(CHECK_CHARS.encode(), dtype=np.uint8)
RESIDENT_ID_PATTERN = r"^\d{17}[\dX]$"


def check_char(first17: str) -> str:
    """The GB 11643 check character of 17 digits.

    Examples
    --------
    >>> check_char("11010519491231002")
    'X'
    """
    return CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, WEIGHTS.tolist())) % 11]


def is_valid_resident_id(s: str) -> bool:
    """True when ``s`` is 17 digits followed by the right check character.

    Examples
    --------
    >>> is_valid_resident_id("11010519491231002X"), is_valid_resident_id("110105194912310021")
    (True, False)
    """
    return len(s) == 18 and s[:17].isdigit() and check_char(s[:17]) == s[17].upper()


def check_chars(first17: pd.Series) -> pd.Series:
    """Vectorized :func:`check_char` over a Series of 17-digit strings."""
    if len(first17) == 0:
        return pd.Series([], dtype="str", index=first17.index)
    idx = _weighted_digits(_fixed_width_bytes(first17, 17)[:, :17], WEIGHTS) % 11
    return pd.Series(_CHECK_LUT[idx].view("S1").astype(str), index=first17.index, dtype="str")


def _fixed_width_bytes(s: pd.Series, width: int) -> np.ndarray:
    """An (n, width) uint8 matrix of ASCII strings that all have ``width`` characters.

    Reads the Arrow data buffer directly when it is laid out contiguously (no copy per
    string); otherwise joins the strings once.
    """
    from reliefkit import _arrow

    arr = _arrow.arrow(s)
    arr = arr.combine_chunks() if hasattr(arr, "combine_chunks") else arr
    n = len(arr)
    if arr.null_count == 0:
        offsets_buf, data_buf = arr.buffers()[1], arr.buffers()[2]
        off_type = np.int64 if str(arr.type) == "large_string" else np.int32
        offsets = np.frombuffer(offsets_buf, dtype=off_type)[arr.offset: arr.offset + n + 1]
        if len(offsets) == n + 1 and np.array_equal(np.diff(offsets), np.full(n, width)):
            data = np.frombuffer(data_buf, dtype=np.uint8)[offsets[0]: offsets[0] + n * width]
            return data.reshape(n, width)
    return np.frombuffer("".join(s.tolist()).encode("ascii"), dtype=np.uint8).reshape(n, width)


def _weighted_digits(chars: np.ndarray, weights: Sequence[int] | np.ndarray) -> np.ndarray:
    """Sum over columns of (ASCII digit value × weight), one column at a time in int32
    (a whole-matrix conversion to int64 costs 8 bytes a character).

    Examples
    --------
    >>> _weighted_digits(np.frombuffer(b"1949", dtype=np.uint8).reshape(1, 4), (1000, 100, 10, 1)).tolist()
    [1949]
    """
    total = np.zeros(len(chars), dtype=np.int32)
    for j, w in enumerate(weights):
        total += (chars[:, j].astype(np.int32) - 48) * int(w)
    return total


def resident_id_mask(ids: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Which values look like 18-character resident IDs, and which of those are valid.

    Returns
    -------
    shaped, valid : pandas.Series of bool
        ``shaped``: 17 digits and a digit or ``X``; ``valid``: shaped with the right
        check character. Other identifiers (local codes) are neither.
    """
    from reliefkit import _arrow

    s = ids.astype(_arrow.STR)
    shaped_np = _arrow.matches(s, RESIDENT_ID_PATTERN)
    valid_np = shaped_np.copy()
    if shaped_np.any():
        body = _fixed_width_bytes(s[shaped_np], 18)
        idx = _weighted_digits(body[:, :17], WEIGHTS) % 11
        valid_np[shaped_np] = _CHECK_LUT[idx] == body[:, 17]
    return pd.Series(shaped_np, index=ids.index), pd.Series(valid_np, index=ids.index)


# province codes of resident IDs (GB/T 2260 first two digits)
_PROVINCES = frozenset({"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
                        "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
                        "65", "71", "81", "82"})


def luhn_ok(digits: str) -> bool:
    """True when the digits pass the Luhn check (bank card numbers do).

    Examples
    --------
    >>> luhn_ok("6222021234567890128"), luhn_ok("6222021234567890123")
    (True, False)
    """
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def is_legacy_resident_id(s: str) -> bool:
    """True when ``s`` is a 15-digit first-generation resident ID: a province code, 4 more
    area digits, a valid birth date ``YYMMDD`` (in the 1900s) and 3 digits.

    Examples
    --------
    >>> is_legacy_resident_id("110105491231002"), is_legacy_resident_id("110105491331002")
    (True, False)
    """
    if len(s) != 15 or not s.isdigit() or s[:2] not in _PROVINCES:
        return False
    try:
        dt.date(1900 + int(s[6:8]), int(s[8:10]), int(s[10:12]))
    except ValueError:
        return False
    return True


def id_birth_dates(ids: pd.Series, which: np.ndarray) -> np.ndarray:
    """The birth dates held in characters 7–14 of the 18-character IDs that ``which`` selects.

    Returns a ``datetime64[s]`` array as long as ``ids``: NaT where not selected, or where
    the digits are not a possible date (month 13, 30 February …).

    Examples
    --------
    >>> ids = pd.Series(["11010519491231002X", "110105194913310021"], dtype="str")
    >>> id_birth_dates(ids, np.array([True, True])).astype(str).tolist()
    ['1949-12-31T00:00:00', 'NaT']
    """
    out = np.full(len(ids), np.datetime64("NaT"), dtype="datetime64[s]")
    if not which.any():
        return out
    dg = _fixed_width_bytes(ids[which], 18)[:, 6:14]
    year = _weighted_digits(dg[:, 0:4], (1000, 100, 10, 1))
    month, day = _weighted_digits(dg[:, 4:6], (10, 1)), _weighted_digits(dg[:, 6:8], (10, 1))
    ok = (month >= 1) & (month <= 12) & (day >= 1)
    first = ((year - 1970) * 12 + np.clip(month, 1, 12) - 1).astype("datetime64[M]")
    length = ((first + 1).astype("datetime64[D]") - first.astype("datetime64[D]")).astype(np.int64)
    ok &= day <= length
    dates = (first.astype("datetime64[D]") + (day - 1)).astype("datetime64[s]")
    picked = np.full(len(dates), np.datetime64("NaT"), dtype="datetime64[s]")
    picked[ok] = dates[ok]
    out[which] = picked
    return out


def mask_id(value: object) -> str:
    """Mask an identifier: keep the first 6 and the last 4 characters.

    Shorter identifiers keep less (at least half is starred), so a mask never shows
    enough to re-identify a person.

    Parameters
    ----------
    value : object
        An ID number or local code (None gives "").

    Returns
    -------
    str

    Examples
    --------
    >>> mask_id("11010519491231002X")
    '110105********002X'
    >>> mask_id("L-0042")
    'L****2'
    """
    s = "" if value is None else str(value)
    n = len(s)
    if n >= 12:
        return s[:6] + "*" * (n - 10) + s[-4:]
    if n >= 3:
        keep = max(1, (n - (n + 1) // 2) // 2)
        return s[:keep] + "*" * (n - 2 * keep) + s[-keep:]
    return "*" * n


def mask_name(value: object) -> str:
    """Mask a person's name: keep the first character.

    Parameters
    ----------
    value : object
        A name (None gives "").

    Returns
    -------
    str

    Examples
    --------
    >>> mask_name("张三丰")
    '张**'
    """
    s = "" if value is None else str(value)
    return s[:1] + "*" * (len(s) - 1) if s else s


def mask_value(column: str, value: object) -> str:
    """Mask ``value`` when ``column`` holds personal data; otherwise return it as text."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if column in PERSONAL_ID_COLUMNS:
        return mask_id(value)
    if column in PERSONAL_TEXT_COLUMNS:
        return mask_name(value)
    return str(value)


PERSONAL_ID_COLUMNS = frozenset({"person_id", "bank_account", "id_number"})
PERSONAL_TEXT_COLUMNS = frozenset({"name", "address"})

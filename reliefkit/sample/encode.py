"""numpy → Arrow text columns.

Columns are built as Arrow string buffers straight from numpy byte matrices: a
10-million-row column of dates or IDs costs a memory copy, not 10 million objects.
Every value is text exactly as the canonical CSV spells it (dates ``YYYY-MM-DD`` or
empty, booleans ``true`` / ``false``, money with two decimals).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from reliefkit.io.schema import CAUSES
from reliefkit.sample.settings import NO_DATE

__all__ = [
    "bool_text", "cause_text", "code_text", "date_text", "digit_chars", "int_text",
    "money_text", "prefixed_ids", "rows_text",
]


def _arrow_text(data: np.ndarray, offsets: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """A pandas string array from concatenated UTF-8 bytes and ``n + 1`` offsets."""
    n = offsets.size - 1
    data = np.ascontiguousarray(data, dtype=np.uint8).reshape(-1)
    try:
        import pyarrow as pa
    except ImportError:  # pragma: no cover - pandas 3 without pyarrow
        raw = data.tobytes()
        return pd.array([raw[offsets[i]: offsets[i + 1]].decode() for i in range(n)], dtype="str")
    arr = pa.Array.from_buffers(pa.large_string(), n, [None, pa.py_buffer(offsets),
                                                         pa.py_buffer(data)])
    return pd.array(arr, dtype="str")


def rows_text(chars: np.ndarray, length: np.ndarray | None = None) -> pd.api.extensions.ExtensionArray:
    """Rows of a (n, width) matrix of UTF-8 bytes as strings: whole rows, or the first
    ``length`` bytes of each row.

    Parameters
    ----------
    chars : numpy.ndarray of uint8, shape (n, width)
        The bytes of each row.
    length : numpy.ndarray of int, optional
        Bytes to keep per row (all by default).

    Returns
    -------
    pandas.api.extensions.ExtensionArray
        A ``str`` array of ``n`` values.

    Examples
    --------
    >>> list(rows_text(np.frombuffer(b"abcdef", dtype=np.uint8).reshape(2, 3), np.array([3, 1])))
    ['abc', 'd']
    """
    chars = np.ascontiguousarray(chars, dtype=np.uint8)
    n, w = chars.shape
    if length is None:
        return _arrow_text(chars, np.arange(n + 1, dtype=np.int64) * w)
    length = np.asarray(length, dtype=np.int64)
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(length, out=offsets[1:])
    full = length == w
    if np.all(full | (length == 0)):
        return _arrow_text(chars[full], offsets)
    return _arrow_text(chars[np.arange(w) < length[:, None]], offsets)


def _label_table(labels: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    enc = [s.encode("utf-8") for s in labels]
    lens = np.array([len(e) for e in enc], dtype=np.int64)
    table = np.zeros((len(enc), max(int(lens.max(initial=0)), 1)), dtype=np.uint8)
    for i, e in enumerate(enc):
        table[i, : len(e)] = np.frombuffer(e, dtype=np.uint8)
    return table, lens


def code_text(labels: Sequence[str], codes: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """Labels taken by integer codes, as a pandas string array.

    Parameters
    ----------
    labels : sequence of str
        The label of each code.
    codes : numpy.ndarray of int
        Codes into ``labels``.

    Returns
    -------
    pandas.api.extensions.ExtensionArray

    Examples
    --------
    >>> list(code_text(("rural", "urban"), np.array([1, 0, 1])))
    ['urban', 'rural', 'urban']
    """
    codes = np.asarray(codes, dtype=np.intp)
    table, lens = _label_table(labels)
    w = int(lens.max(initial=0))
    if np.all((lens == w) | (lens == 0)):  # fixed width, or empty
        row_len = lens[codes]
        offsets = np.zeros(codes.size + 1, dtype=np.int64)
        np.cumsum(row_len, out=offsets[1:])
        return _arrow_text(np.take(table[:, :w], codes[row_len > 0], axis=0), offsets)
    try:
        import pyarrow as pa
    except ImportError:  # pragma: no cover - pandas 3 without pyarrow
        return pd.array(list(labels), dtype="str").take(codes)
    dictionary = pa.array(list(labels), pa.large_string())
    arr = pa.DictionaryArray.from_arrays(pa.array(codes.astype(np.int32)), dictionary)
    return pd.array(arr.cast(pa.large_string()), dtype="str")


def _factorize_int(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct values and the code of each value."""
    v = np.asarray(values, dtype=np.int64)
    if v.size and v.min() >= 0 and v.max() < max(4 * v.size, 1 << 16):
        seen = np.bincount(v) > 0
        uniq = np.flatnonzero(seen)
        lookup = np.cumsum(seen) - 1
        return uniq, lookup[v]
    uniq, inv = np.unique(v, return_inverse=True)
    return uniq, inv.reshape(-1)


def int_text(values: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """Integers as decimal text.

    Parameters
    ----------
    values : numpy.ndarray of int

    Returns
    -------
    pandas.api.extensions.ExtensionArray

    Examples
    --------
    >>> list(int_text(np.array([3, 0, 12])))
    ['3', '0', '12']
    """
    uniq, codes = _factorize_int(values)
    return code_text([str(u) for u in uniq.tolist()], codes)


def money_text(cents: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """Money in cents as yuan with two decimals (``1234.50``); -1 means empty.

    Parameters
    ----------
    cents : numpy.ndarray of int
        Amounts in cents, -1 for an empty value.

    Returns
    -------
    pandas.api.extensions.ExtensionArray

    Examples
    --------
    >>> list(money_text(np.array([123450, 5, -1])))
    ['1234.50', '0.05', '']
    """
    c = np.asarray(cents, dtype=np.int64)
    yuan = np.maximum(c, 0) // 100
    top = int(yuan.max(initial=0))
    n_digits = np.ones(c.size, dtype=np.int64)
    for k in range(1, len(str(top))):
        n_digits += yuan >= 10 ** k
    width = len(str(top)) + 3
    chars = np.empty((c.size, width), dtype=np.uint8)
    chars[:, : width - 3] = digit_chars(yuan, width - 3)
    chars[:, width - 3] = ord(".")
    chars[:, width - 2:] = digit_chars(np.maximum(c, 0) % 100, 2)
    length = np.where(c < 0, 0, n_digits + 3)
    offsets = np.zeros(c.size + 1, dtype=np.int64)
    np.cumsum(length, out=offsets[1:])
    # the digits are right-aligned: keep the last ``length`` bytes of each row
    return _arrow_text(chars[np.arange(width) >= (width - length)[:, None]], offsets)


def bool_text(values: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """Booleans as ``true`` / ``false``.

    Parameters
    ----------
    values : numpy.ndarray of bool

    Returns
    -------
    pandas.api.extensions.ExtensionArray

    Examples
    --------
    >>> list(bool_text(np.array([True, False])))
    ['true', 'false']
    """
    return code_text(("false", "true"), np.asarray(values, dtype=bool).astype(np.int8))


def date_text(days: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """Days as ISO dates; ``NO_DATE`` as an empty string.

    Parameters
    ----------
    days : numpy.ndarray of int
        Days since 1970-01-01, or ``NO_DATE``.

    Returns
    -------
    pandas.api.extensions.ExtensionArray

    Examples
    --------
    >>> list(date_text(np.array([20818, NO_DATE])))
    ['2026-12-31', '']
    """
    d = np.asarray(days, dtype=np.int64)
    empty = d == NO_DATE
    if empty.all():
        return code_text([""], np.zeros(d.size, dtype=np.int64))
    lo, hi = d[~empty].min(), d[~empty].max()
    iso = np.datetime_as_string(np.arange(lo, hi + 1).astype("datetime64[D]"), unit="D")
    return code_text([""] + iso.tolist(), np.where(empty, 0, d - lo + 1))


_DIGIT_PAIRS = np.array([[48 + i // 10, 48 + i % 10] for i in range(100)], dtype=np.uint8)


_PAIRS16 = _DIGIT_PAIRS.view(np.uint16).ravel()  # two digits as one 16-bit cell


def digit_chars(values: np.ndarray, width: int) -> np.ndarray:
    """ASCII digits of non-negative integers, zero-padded, as a (n, width) uint8 array.

    Parameters
    ----------
    values : numpy.ndarray of int
        Non-negative integers below ``10 ** width``.
    width : int
        Digits per value.

    Returns
    -------
    numpy.ndarray of uint8, shape (n, width)

    Examples
    --------
    >>> digit_chars(np.array([7, 42]), 3).tobytes()
    b'007042'
    """
    v = np.asarray(values)
    small = v.size == 0 or int(v.max()) < 2**31
    v = v.astype(np.int32 if small else np.int64)  # a copy, divided in place below
    even = width + width % 2
    out = np.empty((v.size, even), dtype=np.uint8)
    cells = out.view(np.uint16)
    for j in range(even // 2 - 1, -1, -1):
        cells[:, j] = _PAIRS16[v % 100]
        v //= 100
    return out[:, even - width:]


def prefixed_ids(prefix: str, n: int, width: int) -> np.ndarray:
    """ASCII matrix of the identifiers ``prefix`` + 1 ... n, zero-padded to ``width``.

    Parameters
    ----------
    prefix : str
        ASCII prefix (``"P"``, ``"H"``).
    n : int
        Number of identifiers.
    width : int
        Digits after the prefix.

    Returns
    -------
    numpy.ndarray of uint8, shape (n, len(prefix) + width)

    Examples
    --------
    >>> prefixed_ids("P", 2, 7).tobytes()
    b'P0000001P0000002'
    """
    pre = np.frombuffer(prefix.encode("ascii"), dtype=np.uint8)
    out = np.empty((n + 1, pre.size + width), dtype=np.uint8)  # row i: number i
    out[:, : pre.size] = pre
    j, step = pre.size + width, 1
    while j > pre.size:  # digits of consecutive numbers repeat: write them by blocks
        w = 2 if j - pre.size >= 2 else 1
        table = _DIGIT_PAIRS if w == 2 else _DIGIT_PAIRS[:10, 1:]
        block = np.repeat(table, step, axis=0)
        reps = -(-(n + 1) // block.shape[0])
        out[:, j - w: j] = np.tile(block, (reps, 1))[: n + 1]
        j -= w
        step *= 100 if w == 2 else 10
    return out[1:]


def cause_text(mask: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """Bit masks of causes of hardship as ``;``-joined cause codes (empty for none).

    Parameters
    ----------
    mask : numpy.ndarray of int
        Bit ``i`` set for ``CAUSES[i]``.

    Returns
    -------
    pandas.api.extensions.ExtensionArray

    Examples
    --------
    >>> list(cause_text(np.array([0, 1, 5])))
    ['', 'illness', 'illness;education']
    """
    uniq, codes = _factorize_int(mask)
    labels = [";".join(c for i, c in enumerate(CAUSES) if m >> i & 1) for m in uniq.tolist()]
    return code_text(labels, codes)

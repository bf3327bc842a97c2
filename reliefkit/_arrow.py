"""Fast column operations on pandas' Arrow-backed ``str`` columns, via pyarrow.compute.

pandas 3 falls back to per-element Python for some string methods (NFKC normalisation,
regex replace with groups) and builds one Python scalar per value in ``isin``; on a
million rows that costs seconds. These helpers call pyarrow.compute directly and give
back the same ``str`` dtype (or NumPy booleans). Internal to the kit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

STR = pd.StringDtype("pyarrow", na_value=np.nan)


def arrow(s: pd.Series | pd.Index) -> pa.ChunkedArray | pa.Array:
    """The Arrow array behind a text column (converting it to ``str`` first if needed)."""
    values = s if s.dtype == STR else s.astype(STR)
    return values.array._pa_array  # type: ignore[attr-defined]


def text(arr: pa.ChunkedArray | pa.Array, index: pd.Index) -> pd.Series:
    """A ``str`` Series over an Arrow string array."""
    return pd.Series(pd.array(arr, dtype=STR), index=index, copy=False)


def isin(s: pd.Series | pd.Index, values: pd.Series | pd.Index | np.ndarray) -> np.ndarray:
    """``s.isin(values)`` as a NumPy bool array (missing → False), hashed in Arrow.

    Examples
    --------
    >>> isin(pd.Series(["a", "b", None], dtype="str"), pd.Series(["b"], dtype="str")).tolist()
    [False, True, False]
    """
    vs = values if isinstance(values, (pd.Series, pd.Index)) else pd.Series(values)
    found = pc.is_in(arrow(s), value_set=_flat(arrow(vs)), skip_nulls=True)
    return np.asarray(found.to_numpy(zero_copy_only=False), dtype=bool)


def positions(s: pd.Series | pd.Index, keys: pd.Series | pd.Index) -> np.ndarray:
    """For each value of ``s``, its position in ``keys`` (unique), or -1.

    Examples
    --------
    >>> positions(pd.Series(["b", "x"], dtype="str"), pd.Series(["a", "b"], dtype="str")).tolist()
    [1, -1]
    """
    idx = pc.index_in(arrow(s), value_set=_flat(arrow(keys)))
    return np.asarray(idx.fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.int64)


def positions_many(columns: list[pd.Series], keys: pd.Series | pd.Index) -> list[np.ndarray]:
    """:func:`positions` of several columns in the same ``keys``, hashing ``keys`` once.

    Examples
    --------
    >>> keys = pd.Series(["a", "b"], dtype="str")
    >>> [p.tolist() for p in positions_many([pd.Series(["b"], dtype="str"), pd.Series(["a", "z"], dtype="str")], keys)]
    [[1], [0, -1]]
    """
    if len(columns) == 1:
        return [positions(columns[0], keys)]
    chunks = [c for col in columns for c in _chunks(arrow(col))]
    both = pa.chunked_array(chunks, type=pa.large_string()) if chunks else pa.chunked_array([], pa.large_string())
    idx = pc.index_in(both, value_set=_flat(arrow(keys)).cast(pa.large_string()))
    flat = np.asarray(idx.fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.int64)
    return np.split(flat, np.cumsum([len(c) for c in columns])[:-1])


def _chunks(arr: pa.ChunkedArray | pa.Array) -> list[pa.Array]:
    arr = arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]
    return [c.cast(pa.large_string()) for c in arr]


def _flat(arr: pa.ChunkedArray | pa.Array) -> pa.Array:
    return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr


def clean_text(s: pd.Series) -> pd.Series:
    """NFKC-normalise (full-width letters, digits, spaces → ASCII; only when a value is not
    ASCII), trim white space, and make empty values missing — in one Arrow pass each.

    Examples
    --------
    >>> clean_text(pd.Series([" ＡＢ１ ", "", None, "村"], dtype="str")).tolist()
    ['AB1', nan, nan, '村']
    """
    arr = arrow(s)
    if not pc.all(pc.string_is_ascii(arr)).as_py() in (True, None):
        arr = pc.utf8_normalize(arr, "NFKC")
    arr = pc.utf8_trim_whitespace(arr)
    empty = pc.equal(arr, "")
    if pc.any(empty).as_py():
        arr = pc.if_else(empty, pa.scalar(None, arr.type), arr)
    return text(arr, s.index)


def replace(s: pd.Series, pattern: str, repl: str) -> pd.Series:
    """Regex replace (RE2 syntax; ``\\1`` refers to groups) on a text column."""
    return text(pc.replace_substring_regex(arrow(s), pattern, repl), s.index)


def matches(s: pd.Series, pattern: str) -> np.ndarray:
    """Bool array: the regex (RE2, unanchored — anchor it yourself) matches; missing → False."""
    found = pc.match_substring_regex(arrow(s), pattern)
    return np.asarray(found.fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)

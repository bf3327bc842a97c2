"""Formula injection: text a spreadsheet would run as a formula is escaped.

A spreadsheet reads a cell whose text begins with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return as a formula. :func:`escape_formula` and :func:`safe_frame` put a leading
apostrophe before such text (``'=SUM(A1)``). Numbers stored as numbers (``-3`` as an int
or float) are not text and stay numbers; the text ``"-3"`` is escaped (``'-3``), because a
reader cannot tell it from ``-3+cmd|…``.

Examples
--------
>>> escape_formula("=SUM(A1)"), escape_formula("-3"), escape_formula(-3), escape_formula("张三")
("'=SUM(A1)", "'-3", -3, '张三')
"""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["FORMULA_START", "escape_formula", "safe_frame"]


#: text starting with one of these is read as a formula by spreadsheets
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value: Any) -> Any:
    """``value`` with a leading apostrophe when it is text a spreadsheet would read as a
    formula; anything else (numbers, dates, None, other text) unchanged.

    Examples
    --------
    >>> escape_formula("@cmd"), escape_formula("\\t=1"), escape_formula(-1.5), escape_formula(None)
    ("'@cmd", "'\\t=1", -1.5, None)
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _escape_series(s: pd.Series) -> pd.Series:
    if isinstance(s.dtype, pd.CategoricalDtype) or pd.api.types.is_object_dtype(s.dtype):
        return s.astype(object).map(escape_formula)
    if pd.api.types.is_string_dtype(s.dtype):
        hit = s.str.startswith(FORMULA_START).fillna(False).astype(bool)
        return s.where(~hit, "'" + s) if hit.any() else s
    return s  # numbers, booleans, dates: not text


def _escape_labels(index: pd.Index) -> pd.Index:
    if isinstance(index, pd.MultiIndex):
        return pd.MultiIndex.from_tuples([tuple(escape_formula(v) for v in t) for t in index], names=index.names)
    if not (pd.api.types.is_object_dtype(index.dtype) or pd.api.types.is_string_dtype(index.dtype)):
        return index
    return pd.Index([escape_formula(v) for v in index], name=index.name)


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells, column names and index labels are escaped with
    :func:`escape_formula`; numeric, boolean and date columns are left as they are.

    Examples
    --------
    >>> import pandas as pd
    >>> safe_frame(pd.DataFrame({"v": ["=1+1", "ok"], "n": [-1, 2]})).to_dict("list")
    {'v': ["'=1+1", 'ok'], 'n': [-1, 2]}
    """
    out = df.copy()
    for i in range(df.shape[1]):
        column = df.iloc[:, i]
        escaped = _escape_series(column)
        if escaped is not column:
            out.isetitem(i, escaped)
    out.columns = _escape_labels(df.columns)
    out.index = _escape_labels(df.index)
    return out

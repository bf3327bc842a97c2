"""Disclosure control: small cells of a table for publication are hidden.

:func:`suppress_small_cells` hides counts under a threshold in an aggregate table meant
for publication, with secondary suppression so that no hidden cell can be worked out from
the totals.

Examples
--------
>>> import pandas as pd
>>> t = pd.DataFrame({"rural": [12, 3, 20], "urban": [8, 9, 15]}, index=["A", "B", "C"])
>>> suppress_small_cells(t)
       rural  urban  Total
A       <NA>   <NA>     20
B       <NA>   <NA>     12
C         20     15     35
Total     35     32     67
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from reliefkit.errors import ReliefkitError

__all__ = ["suppression_mask", "suppress_small_cells"]


def _as_counts(table: pd.DataFrame) -> np.ndarray:
    values = table.apply(pd.to_numeric, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    if np.isnan(values).any() or (values < 0).any() or (values != np.round(values)).any():
        raise ReliefkitError("is not a table of counts (whole numbers ≥ 0, no blanks)",
                             "pass the aggregate counts without totals; totals are added",
                             table=f"{table.shape[0]}×{table.shape[1]}")
    return values.astype(np.int64)


def _with_totals(counts: np.ndarray) -> np.ndarray:
    r, c = counts.shape
    grid = np.zeros((r + 1, c + 1), dtype=np.int64)
    grid[:r, :c] = counts
    grid[:r, c] = counts.sum(axis=1)
    grid[r, :c] = counts.sum(axis=0)
    grid[r, c] = counts.sum()
    return grid


def suppression_mask(table: pd.DataFrame, threshold: int = 5, margins_name: str = "Total") -> pd.DataFrame:
    """Which cells of ``table`` with its totals must be hidden: a boolean frame with a
    total row and a total column (shape rows + 1 × columns + 1).

    Rules, on the table with its total row and total column:

    1. *Primary*: every cell with ``0 < n < threshold`` (totals included: a total of 3
       discloses 3 persons just as a cell does). Zeros are published.
    2. *Secondary, line by line*: each row and each column (with its total) holds no
       hidden cell or at least two, so that no hidden cell equals "total minus the
       others". A line with one hides the smallest other non-zero cell of the line; when
       there is none, the smallest other cell (a zero); when there is no other cell, its
       total.
    3. *Secondary, across lines*: rows and columns combined can still give a hidden cell
       away (a row's total = two column totals − another row's total). A hidden cell is
       given away when the table's sums and the published cells fix its value — when it
       is zero in every solution of the homogeneous equations on the hidden cells
       (:func:`_determined`). While one is, the smallest published cell of its row or
       column whose hiding frees it is hidden too (non-zero cells first).

    Repeated until nothing changes; ties go to the first cell, so the result is
    deterministic.

    Examples
    --------
    >>> t = pd.DataFrame({"rural": [2, 0, 8, 0], "urban": [0, 1, 0, 0], "tekun": [0, 0, 0, 1],
    ...                   "temporary": [1, 0, 6, 0]}, index=["V1", "V2", "V3", "V4"])
    >>> m = suppression_mask(t)
    >>> bool(m.loc["V1", "Total"]), bool(_determined(_with_totals(_as_counts(t)).shape, m.to_numpy()).any())
    (True, False)
    """
    grid = _with_totals(_as_counts(table))
    hidden = (grid > 0) & (grid < threshold)
    while True:
        _hide_lonely_cells(grid, hidden)
        exposed = np.argwhere(_determined(grid.shape, hidden))
        if not len(exposed):
            break
        hidden[_complement(grid, hidden, tuple(exposed[0]))] = True
    return pd.DataFrame(hidden, index=[*table.index, margins_name], columns=[*table.columns, margins_name])


def _hide_lonely_cells(grid: np.ndarray, hidden: np.ndarray) -> None:
    """Rule 2 of :func:`suppression_mask`, in place, until no line has one hidden cell."""
    r, c = grid.shape[0] - 1, grid.shape[1] - 1
    lines = [(i, slice(None)) for i in range(r + 1)] + [(slice(None), j) for j in range(c + 1)]
    changed = True
    while changed:
        changed = False
        for line in lines:
            h = hidden[line]
            if h.sum() != 1:
                continue
            values = grid[line]
            n = len(values)
            free = np.arange(n - 1)[~h[:-1]]  # the line's other cells; position n-1 is its total
            if free.size:
                nonzero = free[values[free] > 0]
                pool = nonzero if nonzero.size else free
                pick = int(pool[np.argmin(values[pool])])
            else:
                pick = n - 1
            hidden[(line[0], pick) if isinstance(line[0], int) else (pick, line[1])] = True
            changed = True


def _determined(shape: tuple[int, int], hidden: np.ndarray) -> np.ndarray:
    """Hidden cells whose value the published cells fix, through the sums of a table
    whose last row and column are totals: a boolean array of ``shape``.

    The hidden cells ``x`` satisfy ``A x = b`` (one equation a row and a column: its
    cells minus its total, the published cells moved to ``b``). Cell ``k`` is fixed
    when every solution of ``A x = 0`` has ``x_k = 0``: when column ``k`` of the
    null-space basis (from the SVD of ``A``) is zero.
    """
    r, c = shape[0] - 1, shape[1] - 1
    cells = np.argwhere(hidden)
    out = np.zeros(shape, dtype=bool)
    if not len(cells):
        return out
    a = np.zeros((r + 1 + c + 1, len(cells)))
    for k, (i, j) in enumerate(cells):
        sign = -1.0 if j == c else 1.0  # row i: Σ cells − total
        a[i, k] += sign
        sign = -1.0 if i == r else 1.0  # column j: Σ cells − total
        a[r + 1 + j, k] += sign
    _, s, vt = np.linalg.svd(a)
    rank = int((s > 1e-9 * max(1.0, s[0] if len(s) else 1.0)).sum())
    null = vt[rank:]
    fixed = np.abs(null).max(axis=0) < 1e-9 if len(null) else np.ones(len(cells), dtype=bool)
    out[cells[fixed, 0], cells[fixed, 1]] = True
    return out


def _complement(grid: np.ndarray, hidden: np.ndarray, cell: tuple[int, int]) -> tuple[int, int]:
    """The published cell to hide so that ``cell`` is no longer fixed: in its row or
    column, the smallest (non-zero first) whose hiding frees it; when none does alone,
    the smallest of them (the next round goes on)."""
    i, j = cell
    candidates = [(i, jj) for jj in range(grid.shape[1]) if not hidden[i, jj]]
    candidates += [(ii, j) for ii in range(grid.shape[0]) if not hidden[ii, j]]
    if not candidates:  # every cell of its lines is hidden, yet it is fixed: hide any other published cell
        candidates = [tuple(x) for x in np.argwhere(~hidden)]
    candidates.sort(key=lambda x: (grid[x] == 0, grid[x], x))
    for x in candidates:
        trial = hidden.copy()
        trial[x] = True
        if not _determined(grid.shape, trial)[i, j]:
            return x
    return candidates[0]


def suppress_small_cells(table: pd.DataFrame, threshold: int = 5, *, margins: bool = True,
                         margins_name: str = "Total", mark: str | None = None) -> pd.DataFrame:
    """An aggregate count table ready for publication: small cells hidden, with
    secondary suppression (:func:`suppression_mask`), totals kept.

    Parameters
    ----------
    table : DataFrame
        Counts (whole numbers ≥ 0), without totals.
    threshold : int
        Cells with ``0 < n < threshold`` are hidden (default 5).
    margins : bool
        Add the total row and column (the true totals; hidden only when they are small
        themselves). Without margins the cells are still hidden as if the totals were
        published, because they usually are, elsewhere.
    margins_name : str
        Label of the total row and column.
    mark : str, optional
        How a hidden cell shows. Default: ``pd.NA`` in an ``Int64`` table (a blank in
        CSV and XLSX; the other cells stay numbers). A text such as ``"x"`` gives an
        object table with that text in hidden cells. (Not ``"<5"``: a cell hidden by
        secondary suppression may be large.)

    Returns
    -------
    DataFrame

    Raises
    ------
    ReliefkitError
        When the table holds something other than whole numbers ≥ 0.
    """
    if isinstance(table, pd.Series):
        table = table.to_frame()
    hidden = suppression_mask(table, threshold, margins_name).to_numpy()
    full = _with_totals(_as_counts(table))
    out = pd.DataFrame(full, index=pd.Index([*table.index, margins_name], name=table.index.name),
                       columns=pd.Index([*table.columns, margins_name], name=table.columns.name)).astype("Int64")
    if mark is None:
        out = out.mask(pd.DataFrame(hidden, index=out.index, columns=out.columns))
    else:
        values = full.astype(object)
        values[hidden] = mark
        out = pd.DataFrame(values, index=out.index, columns=out.columns)
    if not margins:
        out = out.iloc[:-1, :-1]
    return out

"""An independent attacker on published count tables with totals (statistical disclosure
control), for the tests of :mod:`reliefkit.safety.disclosure` and :mod:`reliefkit.report.publication`."""

from __future__ import annotations

import numpy as np


def derivable(grid: np.ndarray, hidden: np.ndarray) -> list[tuple[int, int]]:
    """Hidden cells of a table with its totals (last row and column) that the published
    cells and the additivity of the table determine exactly: cell k is determined when
    its unit vector lies in the row space of the constraints on the hidden cells."""
    r, c = grid.shape[0] - 1, grid.shape[1] - 1
    cells = [tuple(ix) for ix in np.argwhere(hidden)]
    if not cells:
        return []
    where = {cell: k for k, cell in enumerate(cells)}
    rows = []
    for i in range(r + 1):  # row i: its cells minus its total = 0
        rows.append([(i, j, 1) for j in range(c)] + [(i, c, -1)])
    for j in range(c + 1):  # column j: its cells minus its total = 0
        rows.append([(i, j, 1) for i in range(r)] + [(r, j, -1)])
    a = np.zeros((len(rows), len(cells)))
    for k, line in enumerate(rows):
        for i, j, sign in line:
            if (i, j) in where:
                a[k, where[(i, j)]] += sign
    rank = np.linalg.matrix_rank(a)
    found = []
    for cell, k in where.items():
        unit = np.zeros(len(cells))
        unit[k] = 1
        if np.linalg.matrix_rank(np.vstack([a, unit])) == rank:
            found.append(cell)
    return found

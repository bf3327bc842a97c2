"""Random draws with exact sizes: uniform days, proportional splits, one row per group,
splits of an exact total, ranks within runs.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from reliefkit.sample.settings import EPOCH

__all__ = [
    "allocate", "month_end", "pick_one", "random_member", "segment_rank", "split_total",
    "uniform_days",
]


def uniform_days(rng_u: np.ndarray, lo: object, hi: object) -> np.ndarray:
    """Integer (day) drawn uniformly in [lo, hi] from uniforms in [0, 1).

    Parameters
    ----------
    rng_u : numpy.ndarray
        Uniforms in [0, 1), one per value.
    lo, hi : int or numpy.ndarray
        Bounds, both included (broadcast against ``rng_u``); an empty range gives ``lo``.

    Returns
    -------
    numpy.ndarray of int64

    Examples
    --------
    >>> uniform_days(np.array([0.0, 0.5, 0.999]), 10, 19).tolist()
    [10, 15, 19]
    """
    lo_a = np.asarray(lo, dtype=np.int64)
    span = np.maximum(np.asarray(hi, dtype=np.int64) - lo_a + 1, 1)
    return lo_a + np.minimum((rng_u * span).astype(np.int64), span - 1)


def allocate(total: int, weights: Sequence[float], minimum: int = 0) -> np.ndarray:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder),
    each at least ``minimum`` when possible.

    Parameters
    ----------
    total : int
        The sum to split.
    weights : sequence of float
        Non-negative weights, one per part.
    minimum : int, default 0
        Least part, applied when ``total`` allows it for every part.

    Returns
    -------
    numpy.ndarray of int64
        The parts; they sum to ``total``.

    Examples
    --------
    >>> allocate(10, [1, 1, 2]).tolist(), allocate(5, [5, 1, 1], minimum=1).tolist()
    ([3, 2, 5], [3, 1, 1])
    """
    w = np.asarray(weights, dtype=float)
    k = len(w)
    base = np.full(k, minimum if total >= minimum * k else 0, dtype=np.int64)
    rest = total - base.sum()
    raw = w / w.sum() * rest
    out = np.floor(raw).astype(np.int64)
    short = rest - out.sum()
    out[np.argsort(-(raw - out), kind="stable")[:short]] += 1
    return base + out


def pick_one(rng: np.random.Generator, group: np.ndarray, mask: np.ndarray,
             n_groups: int, priority: np.ndarray | None = None) -> np.ndarray:
    """For each group, a random row index with ``mask`` (highest ``priority`` first),
    or -1 when the group has none.

    Parameters
    ----------
    rng : numpy.random.Generator
        The generator (one uniform per row with ``mask``).
    group : numpy.ndarray of int
        Group of each row, in ``0 .. n_groups - 1``.
    mask : numpy.ndarray of bool
        Rows that may be picked.
    n_groups : int
        Number of groups.
    priority : numpy.ndarray, optional
        Added to the random key: rows of a higher priority win.

    Returns
    -------
    numpy.ndarray of int64
        One row index per group, -1 for a group without candidates.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> group, mask = np.array([0, 0, 1, 1, 2]), np.array([True, False, True, True, False])
    >>> pick_one(rng, group, mask, 3)[[0, 2]].tolist()
    [0, -1]
    """
    idx = np.flatnonzero(mask)
    key = rng.random(idx.size)
    if priority is not None:
        key = key + priority[idx]
    order = np.lexsort((key, group[idx]))
    g = group[idx][order]
    last = np.ones(g.size, dtype=bool)
    last[:-1] = g[1:] != g[:-1]
    out = np.full(n_groups, -1, dtype=np.int64)
    out[g[last]] = idx[order][last]
    return out


def random_member(rng: np.random.Generator, first: np.ndarray, size: np.ndarray,
                  prefer: np.ndarray, tries: int = 4) -> np.ndarray:
    """A random member of each household (members are contiguous rows from ``first``),
    one with ``prefer`` when a few draws find one.

    Parameters
    ----------
    rng : numpy.random.Generator
        The generator (``tries`` uniforms per household).
    first, size : numpy.ndarray of int
        First row and number of members of each household.
    prefer : numpy.ndarray of bool
        Per row: a preferred member.
    tries : int, default 4
        Draws per household.

    Returns
    -------
    numpy.ndarray of int64
        One row per household.
    """
    pick = first + (rng.random(first.size) * size).astype(np.int64)
    for _ in range(tries - 1):
        again = first + (rng.random(first.size) * size).astype(np.int64)
        pick = np.where(prefer[pick], pick, again)
    return pick


def segment_rank(sorted_keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rank of each element within its run of equal keys, and the run number.

    Parameters
    ----------
    sorted_keys : numpy.ndarray
        Keys, equal keys next to each other.

    Returns
    -------
    rank, run : numpy.ndarray of int64

    Examples
    --------
    >>> [r.tolist() for r in segment_rank(np.array([4, 4, 7, 9, 9, 9]))]
    [[0, 1, 0, 0, 1, 2], [0, 0, 1, 2, 2, 2]]
    """
    n = sorted_keys.size
    first = np.ones(n, dtype=bool)
    first[1:] = sorted_keys[1:] != sorted_keys[:-1]
    pos = np.arange(n, dtype=np.int64)
    run_start = np.maximum.accumulate(np.where(first, pos, 0))
    return pos - run_start, np.cumsum(first) - 1


def split_total(rng: np.random.Generator, total: int, n: int, lo: int, hi: int,
                unit: int = 1) -> np.ndarray:
    """``n`` random multiples of ``unit`` in [lo, hi] summing exactly to ``total``.

    Parameters
    ----------
    rng : numpy.random.Generator
        The generator.
    total : int
        The exact sum (a multiple of ``unit``).
    n : int
        Number of parts.
    lo, hi : int
        Bounds of each part.
    unit : int, default 1
        Every part is a multiple of it.

    Returns
    -------
    numpy.ndarray of int64

    Raises
    ------
    ValueError
        When no such split exists.

    Examples
    --------
    >>> parts = split_total(np.random.default_rng(0), 1000, 4, 100, 400, 50)
    >>> int(parts.sum()), bool(((parts >= 100) & (parts <= 400) & (parts % 50 == 0)).all())
    (1000, True)
    """
    t, a, b = total // unit, lo // unit, hi // unit
    if total % unit or not n * a <= t <= n * b:
        raise ValueError(f"cannot split {total} into {n} parts of {lo}..{hi} by {unit}")
    x = np.full(n, a, dtype=np.int64)
    rest = t - x.sum()
    while rest > 0:
        room = b - x
        add = rng.multinomial(rest, rng.dirichlet(np.full(n, 2.0)))
        add = np.minimum(add, room)
        x += add
        rest = t - x.sum()
    return x * unit


def month_end(days: np.ndarray) -> np.ndarray:
    """The last day of the month of each day.

    Parameters
    ----------
    days : numpy.ndarray of int
        Days since 1970-01-01.

    Returns
    -------
    numpy.ndarray of int64

    Examples
    --------
    >>> from reliefkit.sample.settings import iso_day
    >>> bool(month_end(np.array([iso_day("2026-02-10")]))[0] == iso_day("2026-02-28"))
    True
    """
    m = (np.asarray(days, dtype=np.int64).astype("datetime64[D]").astype("datetime64[M]") + 1)
    return (m.astype("datetime64[D]") - EPOCH).astype(np.int64) - 1

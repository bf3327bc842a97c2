"""The one implementation of the poverty and inequality measures: FGT, Watts and Gini, by group.

Every figure of :mod:`reliefkit.simulate.measures` (whole scope, breakdowns, the scalar
helpers) and the fixed part of :mod:`reliefkit.simulate.sweep` call these kernels; one
group is the whole scope.

- :func:`poverty_terms`: for each unit below its line, its weight ``w`` and ``w·gap``,
  ``w·gap²``, ``w·ln(max(z, floor) / max(v, floor))`` with ``gap = (z − v) / z`` (units at
  or above the line contribute nothing).
- :func:`poverty_sums`: those terms summed per group — the numerators of FGT α = 0, 1, 2
  and of the Watts index (divide by the group's total weight).
- :func:`gini_sorted`: the weighted Gini per group of values sorted ascending.

Sums over the whole scope are numpy's pairwise sums of the units below the line, per
group ``np.bincount``; the order of every operation is part of the figures (they are
compared to the last bit).

Examples
--------
>>> import numpy as np
>>> sums = poverty_sums(np.array([50.0, 100.0, 200.0]), np.array([100.0] * 3), np.array([2.0, 1.0, 1.0]))
>>> [float(s[0]) / 4 for s in sums[:3]]
[0.5, 0.25, 0.125]
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

__all__ = ["PovertyTerms", "PovertySums", "poverty_terms", "poverty_sums", "group_sum", "gini_sorted",
           "WATTS_FLOOR"]

#: incomes below this many yuan count as this many in the Watts index (so zero incomes give a number)
WATTS_FLOOR = 1.0


class PovertyTerms(NamedTuple):
    """Per unit below its line (compact arrays, in the units' order)."""

    #: positions of the units below the line
    index: np.ndarray
    #: their weights ``w``
    weight: np.ndarray
    #: ``w · gap``
    gap: np.ndarray
    #: ``w · gap · gap``
    severity: np.ndarray
    #: ``w · ln(max(z, floor) / max(v, floor))``
    watts: np.ndarray


class PovertySums(NamedTuple):
    """Per group: the sums of :class:`PovertyTerms` (FGT α = 0, 1, 2 and Watts numerators)."""

    #: weight below the line (FGT 0 numerator)
    poor: np.ndarray
    #: Σ w·gap (FGT 1 numerator)
    gap: np.ndarray
    #: Σ w·gap² (FGT 2 numerator)
    severity: np.ndarray
    #: Σ w·ln(z / v) (Watts numerator)
    watts: np.ndarray


def poverty_terms(values: np.ndarray, lines: np.ndarray, weights: np.ndarray, floor: float = WATTS_FLOOR,
                  where: np.ndarray | None = None) -> PovertyTerms:
    """The FGT and Watts terms of the units whose value is below their line.

    Parameters
    ----------
    values, lines, weights : numpy.ndarray
        Per unit: income, line, weight (float64).
    floor : float
        Incomes below ``floor`` count as ``floor`` in the Watts term.
    where : numpy.ndarray, optional
        Only the units where this is True (default: all).

    Returns
    -------
    PovertyTerms

    Examples
    --------
    >>> t = poverty_terms(np.array([50.0, 150.0]), np.array([100.0, 100.0]), np.array([2.0, 1.0]))
    >>> t.index.tolist(), t.gap.tolist(), t.severity.tolist()
    ([0], [1.0], [0.5])
    """
    below = values < lines
    index = np.flatnonzero(below if where is None else below & where)  # only the poor have a gap
    line, value, weight = lines[index], values[index], weights[index]
    gap = (line - value) / line
    weighted_gap = weight * gap
    watts = weight * np.log(np.maximum(line, floor) / np.maximum(value, floor))
    return PovertyTerms(index, weight, weighted_gap, weighted_gap * gap, watts)


def group_sum(group: np.ndarray | None, ngroups: int, weights: np.ndarray | None = None,
              size: int | None = None) -> np.ndarray:
    """Per group, the sum of ``weights`` (a count when None).

    Parameters
    ----------
    group : numpy.ndarray or None
        Group code of each unit (not read when ``ngroups`` is 1).
    ngroups : int
        How many groups; 1 is the whole scope (a plain pairwise sum).
    weights : numpy.ndarray, optional
        What to sum (default: count the units).
    size : int, optional
        How many units, when ``group`` is None and ``weights`` too.

    Returns
    -------
    numpy.ndarray
        ``ngroups`` float sums.

    Examples
    --------
    >>> group_sum(np.array([0, 1, 1]), 2, np.array([1.0, 2.0, 3.0])).tolist()
    [1.0, 5.0]
    """
    if ngroups == 0:  # a scope with no one alive on D: no group to sum over
        return np.zeros(0)
    if ngroups == 1:  # the whole scope: a plain (pairwise) sum
        if weights is None:
            return np.array([float(len(group) if size is None else size)])
        return np.array([float(np.sum(weights))])
    return np.bincount(group, weights=weights, minlength=ngroups)


def poverty_sums(values: np.ndarray, lines: np.ndarray, weights: np.ndarray, group: np.ndarray | None = None,
                 ngroups: int = 1, floor: float = WATTS_FLOOR) -> PovertySums:
    """FGT α = 0, 1, 2 and Watts numerators per group.

    Parameters
    ----------
    values, lines, weights : numpy.ndarray
        Per unit: income, line, weight (float64).
    group : numpy.ndarray, optional
        Group code of each unit (not needed for one group).
    ngroups : int
        How many groups (1: the whole scope).
    floor : float
        The Watts floor.

    Returns
    -------
    PovertySums
        Arrays of length ``ngroups``; divide by each group's total weight for the indices.

    Examples
    --------
    >>> s = poverty_sums(np.array([50.0, 150.0, 20.0]), np.array([100.0] * 3), np.ones(3), np.array([0, 0, 1]), 2)
    >>> s.poor.tolist(), s.gap.tolist()
    ([1.0, 1.0], [0.5, 0.8])
    """
    terms = poverty_terms(values, lines, weights, floor)
    members = group[terms.index] if ngroups != 1 else None
    return PovertySums(group_sum(members, ngroups, terms.weight), group_sum(members, ngroups, terms.gap),
                       group_sum(members, ngroups, terms.severity), group_sum(members, ngroups, terms.watts))


def gini_sorted(values: np.ndarray, weights: np.ndarray, group: np.ndarray | None, ngroups: int) -> np.ndarray:
    """Weighted Gini per group of ``values`` sorted ascending.

    ``1 − Σ w·(L_{i−1} + L_i) / (W·T)``: ``L`` the cumulative sum of ``w·v`` within the
    group, ``W`` its total weight and ``T`` its total ``w·v``; 0 when ``W·T`` is 0.

    Parameters
    ----------
    values : numpy.ndarray
        Values in ascending order (within each group).
    weights : numpy.ndarray
        Their weights, in that order.
    group : numpy.ndarray or None
        Their group codes (None for one group).
    ngroups : int
        How many groups.

    Returns
    -------
    numpy.ndarray
        ``ngroups`` Gini coefficients.

    Examples
    --------
    >>> gini_sorted(np.array([0.0, 0.0, 0.0, 4.0]), np.ones(4), None, 1).tolist()
    [0.75]
    """
    if ngroups == 0:  # a scope with no one alive on D
        return np.zeros(0)
    weight = weights.astype("float64")
    if ngroups == 1:
        weighted = weight * values
        cumulative = np.cumsum(weighted)
        total_weight, total = weight.sum(), cumulative[-1] if len(cumulative) else 0.0
        if total_weight * total > 0:
            return np.array([1 - np.dot(weight, 2 * cumulative - weighted) / (total_weight * total)])
        return np.array([0.0])
    small = np.uint8 if ngroups <= 256 else np.uint16 if ngroups <= 65536 else np.int64
    by_group = np.argsort(group.astype(small), kind="stable")  # a radix sort: each group stays sorted
    group, values, weight = group[by_group], values[by_group], weight[by_group]
    weighted = weight * values
    cumulative = np.cumsum(weighted)
    first = np.searchsorted(group, np.arange(ngroups))
    if len(cumulative):
        before = np.where(first > 0, cumulative[np.maximum(first - 1, 0)], 0.0)
    else:
        before = np.zeros(ngroups)
    within = cumulative - before[group]
    term = np.bincount(group, weights=weight * (2 * within - weighted), minlength=ngroups)
    total_weight = np.bincount(group, weights=weight, minlength=ngroups)
    total = np.bincount(group, weights=weighted, minlength=ngroups)
    den = total_weight * total
    return np.where(den > 0, 1 - term / np.where(den > 0, den, 1), 0.0)

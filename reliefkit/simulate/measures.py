"""Poverty and targeting measures of a simulation, for a whole scope or by group.

Every measure is person-weighted: a household of ``n`` members alive on D counts ``n``
times, each member with the household's per-capita monthly income and line (exactly the
mean over persons that ``docs/en/schemes.md`` defines). Shares are fractions from 0 to 1; a
share whose denominator is zero is 0.0.

- FGT α (α = 0, 1, 2): mean of ``(max(0, z − y) / z)^α`` — headcount (α = 0 is the
  indicator ``y < z``), gap, severity; *before* uses ``y``, *after* uses ``y_after``
  (``max(y, z)`` for a household eligible for the minimum living allowance), *after_all*
  adds every other programme.
- Watts: mean of ``ln(z / y)`` over the poor (an income below ``floor`` yuan counts as
  ``floor``, so that zero incomes give a number).
- Gini of per-capita monthly income over persons, before and after.
- Exclusion error: share of the poor (``y < z`` before) in households that get nothing;
  inclusion error: share of persons in receiving households who were not poor; coverage
  = 1 − exclusion error. The ``registry_`` ones use the actual registry as "receiving".
- Incidence: by person-weighted decile of ``y`` before transfers; the
  Coady–Grosh–Hoddinott indicator is the share of benefits reaching the bottom four
  deciles ÷ 0.4 (1 = neutral, above 1 = progressive).
- Cost per point of gap removed: yearly cost ÷ (100 × (P1 before − P1 after)), yuan per
  percentage point of the poverty-gap index.

Examples
--------
>>> import numpy as np
>>> y, z, n = np.array([50.0, 100.0, 200.0]), np.array([100.0] * 3), np.array([2, 1, 1])
>>> fgt(y, z, 0, n), fgt(y, z, 1, n), fgt(y, z, 2, n)
(0.5, 0.25, 0.125)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from reliefkit.errors import UsageError
from reliefkit.simulate.grouped import COUNT_KEYS, divide, grouped_figures
from reliefkit.simulate.poverty import WATTS_FLOOR, gini_sorted, poverty_sums

if TYPE_CHECKING:  # pragma: no cover
    from reliefkit.simulate.simulation import Simulation

__all__ = [
    "fgt", "watts", "gini", "targeting_errors", "cgh", "share", "measures", "breakdown",
    "incidence", "REFERENCE_KEYS", "BREAKDOWNS",
]

#: the figures of DATA.md's ``compare --json``, in order
REFERENCE_KEYS = ("name", "households", "persons", "cost_year", "p0_before", "p1_before", "p2_before",
                  "p0_after", "p1_after", "p2_after", "exclusion_error", "inclusion_error")
#: breakdown name → what groups households
BREAKDOWNS = ("district", "area", "main_cause", "decile")


# --------------------------------------------------------------------------- plain measures
def share(num: float, den: float) -> float:
    """``num / den`` as a float, 0.0 when ``den`` is 0.

    Parameters
    ----------
    num, den : float
        Numerator and denominator.

    Returns
    -------
    float

    Examples
    --------
    >>> share(1, 4), share(3, 0)
    (0.25, 0.0)
    """
    return float(num) / float(den) if den else 0.0


def _weights(weights: np.ndarray | None, size: int) -> np.ndarray:
    """The weights as float64 (1 each when None)."""
    return np.ones(size) if weights is None else np.asarray(weights, dtype="float64")


def _scalar_inputs(y: np.ndarray, z: np.ndarray, weights: np.ndarray | None
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``y``, ``z`` broadcast to it and the weights (1 when None), as float64 arrays."""
    y = np.asarray(y, dtype="float64")
    z = np.broadcast_to(np.asarray(z, dtype="float64"), np.shape(y))
    return y, z, _weights(weights, len(y))


def fgt(y: np.ndarray, z: np.ndarray, alpha: int, weights: np.ndarray | None = None) -> float:
    """Foster–Greer–Thorbecke index: weighted mean of ``(max(0, z − y) / z)^alpha``
    (α = 0 is the headcount ``y < z``); the one-group case of
    :func:`reliefkit.simulate.poverty.poverty_sums`.

    Parameters
    ----------
    y, z : numpy.ndarray
        Incomes and lines (a scalar line applies to all).
    alpha : int
        0 (headcount), 1 (gap) or 2 (severity).
    weights : numpy.ndarray, optional
        Weight of each income (default 1).

    Returns
    -------
    float

    Examples
    --------
    >>> fgt(np.array([0.0, 150.0]), np.array([100.0, 100.0]), 1)
    0.5
    """
    if alpha not in (0, 1, 2):
        raise UsageError(f"is {alpha!r}", "use alpha 0 (headcount), 1 (gap) or 2 (severity)", function="fgt")
    y, z, w = _scalar_inputs(y, z, weights)
    with np.errstate(divide="ignore", invalid="ignore"):
        sums = poverty_sums(y, z, w)
    return share(sums[alpha][0], np.sum(w))


def watts(y: np.ndarray, z: np.ndarray, weights: np.ndarray | None = None, floor: float = WATTS_FLOOR) -> float:
    """Watts index: weighted mean of ``ln(max(z, floor) / max(y, floor))`` over the poor (0
    for others); the one-group case of :func:`reliefkit.simulate.poverty.poverty_sums`.

    Parameters
    ----------
    y, z : numpy.ndarray
        Incomes and lines.
    weights : numpy.ndarray, optional
        Weight of each income (default 1).
    floor : float
        Incomes below ``floor`` count as ``floor``.

    Returns
    -------
    float

    Examples
    --------
    >>> round(watts(np.array([50.0, 200.0]), np.array([100.0, 100.0])), 6)
    0.346574
    """
    y, z, w = _scalar_inputs(y, z, weights)
    with np.errstate(divide="ignore", invalid="ignore"):
        sums = poverty_sums(y, z, w, floor=floor)
    return share(sums.watts[0], np.sum(w))


def gini(x: np.ndarray, weights: np.ndarray | None = None) -> float:
    """Gini coefficient of ``x`` (weighted: each value counts ``weights`` times); the
    one-group case of :func:`reliefkit.simulate.poverty.gini_sorted`.

    Parameters
    ----------
    x : numpy.ndarray
        Values.
    weights : numpy.ndarray, optional
        Weight of each value (default 1).

    Returns
    -------
    float

    Examples
    --------
    >>> gini(np.array([1.0, 1.0, 1.0])), gini(np.array([0.0, 0.0, 0.0, 4.0]))
    (0.0, 0.75)
    """
    x = np.asarray(x, dtype="float64")
    w = _weights(weights, len(x))
    order = np.argsort(x, kind="stable")
    return float(gini_sorted(x[order], w[order], None, 1)[0])


def targeting_errors(poor: np.ndarray, receiving: np.ndarray, weights: np.ndarray | None = None) -> tuple[float, float]:
    """(exclusion error, inclusion error): the share of the poor who receive nothing, and
    the share of receivers who are not poor.

    Parameters
    ----------
    poor, receiving : numpy.ndarray
        Booleans per unit.
    weights : numpy.ndarray, optional
        Weight of each unit (default 1).

    Returns
    -------
    tuple of float

    Examples
    --------
    >>> targeting_errors(np.array([True, True, False]), np.array([True, False, True]))
    (0.5, 0.5)
    """
    poor, receiving = np.asarray(poor, bool), np.asarray(receiving, bool)
    w = _weights(weights, len(poor))
    return share(w[poor & ~receiving].sum(), w[poor].sum()), share(w[receiving & ~poor].sum(), w[receiving].sum())


def cgh(benefit: np.ndarray, decile: np.ndarray) -> float:
    """Coady–Grosh–Hoddinott indicator: share of ``benefit`` going to deciles 1–4, ÷ 0.4.

    Parameters
    ----------
    benefit : numpy.ndarray
        Benefit per unit.
    decile : numpy.ndarray
        Decile (1–10) per unit.

    Returns
    -------
    float

    Examples
    --------
    >>> cgh(np.array([10.0, 0.0]), np.array([1, 9]))
    2.5
    """
    benefit = np.asarray(benefit, dtype="float64")
    return share(benefit[np.asarray(decile) <= 4].sum(), benefit.sum()) / 0.4


def _typed(key: str, value: float) -> int | float:
    return int(round(value)) if key in COUNT_KEYS else float(value) + 0.0


def measures(sim: Simulation, floor: float = WATTS_FLOOR) -> dict[str, int | float | str]:
    """Every measure of a simulation over its whole scope, as a flat dict.

    The first keys are DATA.md's comparison figures (:data:`REFERENCE_KEYS`); counts are
    ``int``, amounts and shares ``float`` (not rounded).

    Parameters
    ----------
    sim : Simulation
        One scheme simulated on one region.
    floor : float
        The Watts floor (yuan).

    Returns
    -------
    dict
        Name, every figure of the scope, and the two lines in force (``line_rural``, ``line_urban``).

    Examples
    --------
    >>> from reliefkit.region.region import load_region
    >>> from reliefkit.simulate.simulation import simulate
    >>> m = measures(simulate(load_region("data/sample"), 2026))
    >>> list(m)[:4], m["p2_after"] <= m["p1_after"] <= m["p0_after"] <= m["p0_before"]
    (['name', 'households', 'persons', 'cost_year'], True)
    """
    table = grouped_figures(sim, np.zeros(sim.prepared.households, dtype=np.int64), 1, floor)
    out: dict[str, int | float | str] = {"name": sim.name}
    out.update({k: _typed(k, v[0]) for k, v in table.items()})
    lines = sim.lines
    out["line_rural"], out["line_urban"] = float(lines["rural"]), float(lines["urban"])
    return out


def _groups(sim: Simulation, by: str) -> tuple[np.ndarray, list]:
    prepared = sim.prepared
    if by == "district":
        return prepared.district, list(prepared.districts)
    if by == "area":
        return (~prepared.rural).astype(np.int64), ["rural", "urban"]
    if by == "main_cause":
        return prepared.cause, list(prepared.causes)
    if by == "decile":
        return prepared.decile - 1, list(range(1, 11))
    from reliefkit.errors import ReliefkitError

    raise ReliefkitError(f"cannot break figures down by {by!r}", f"use one of {', '.join(BREAKDOWNS)}")


def breakdown(sim: Simulation, by: str, floor: float = WATTS_FLOOR) -> pd.DataFrame:
    """Every measure per group: ``by`` is ``district``, ``area``, ``main_cause`` (missing
    → ``(none)``) or ``decile`` (person-weighted deciles of income before transfers).

    Adds ``benefit_share`` and ``benefit_share_all``: the group's share of the scope's
    dibao cost and of every programme's cost (the incidence).

    Parameters
    ----------
    sim : Simulation
        One scheme simulated on one region.
    by : str
        One of :data:`BREAKDOWNS`.
    floor : float
        The Watts floor (yuan).

    Returns
    -------
    pandas.DataFrame
        One row per group (groups with no household left out, except deciles).

    Raises
    ------
    ReliefkitError
        ``by`` is not one of :data:`BREAKDOWNS`.

    Examples
    --------
    >>> from reliefkit.region.region import load_region
    >>> from reliefkit.simulate.simulation import simulate
    >>> t = breakdown(simulate(load_region("data/sample"), 2026), "area")
    >>> t["area"].tolist(), bool(abs(t["benefit_share"].sum() - 1) < 1e-9)
    (['rural', 'urban'], True)
    """
    group, labels = _groups(sim, by)
    table = grouped_figures(sim, group, len(labels), floor)
    frame = pd.DataFrame({by: labels})
    frame.insert(0, "scheme", sim.name)
    for k, v in table.items():
        frame[k] = np.rint(v).astype(np.int64) if k in COUNT_KEYS else v
    frame["benefit_share"] = divide(table["cost_year"], table["cost_year"].sum())
    frame["benefit_share_all"] = divide(table["cost_year_all"], table["cost_year_all"].sum())
    if by != "decile":
        frame = frame[frame["households_in_scope"] > 0].reset_index(drop=True)
    return frame


def incidence(sim: Simulation) -> pd.DataFrame:
    """Benefit incidence by person-weighted decile of income before transfers.

    Parameters
    ----------
    sim : Simulation
        One scheme simulated on one region.

    Returns
    -------
    pandas.DataFrame
        Per decile: persons, poor persons, receivers, dibao and all-programme cost and shares.

    Examples
    --------
    >>> from reliefkit.region.region import load_region
    >>> from reliefkit.simulate.simulation import simulate
    >>> inc = incidence(simulate(load_region("data/sample"), 2026))
    >>> inc.columns.tolist()[:4]
    ['scheme', 'decile', 'persons_in_scope', 'poor_persons']
    """
    by_decile = breakdown(sim, "decile")
    columns = ["scheme", "decile", "persons_in_scope", "poor_persons", "persons", "cost_year", "benefit_share",
               "cost_year_all", "benefit_share_all"]
    return by_decile[columns]

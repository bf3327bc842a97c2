"""Every measure of a simulation per group of households, as arrays (one entry per group).

The figures of :mod:`reliefkit.simulate.measures` (whole scope: one group; breakdowns: by
district, area, main cause or decile) all come from :func:`grouped_figures`: FGT and Watts
from :func:`reliefkit.simulate.poverty.poverty_sums`, the Gini from
:func:`reliefkit.simulate.poverty.gini_sorted` (values that changed are merged into the
prepared sorted order), the rest as group sums.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from reliefkit.simulate.poverty import WATTS_FLOOR, gini_sorted, group_sum, poverty_sums

if TYPE_CHECKING:  # pragma: no cover
    from reliefkit.simulate.simulation import Simulation

__all__ = ["grouped_figures", "divide", "COUNT_KEYS"]


def _gini_after(sim: Simulation, values: np.ndarray | None, changed: np.ndarray | None, group: np.ndarray,
             ngroups: int) -> np.ndarray:
    """Gini per group of ``values`` (default ``y``), which differ from ``y`` only where
    ``changed``: the others keep the prepared sorted order, the changed few are sorted and
    merged in — sequential passes instead of random gathers over millions of rows."""
    prepared = sim.prepared
    y_sorted, n_sorted = prepared.y_sorted, prepared.n_sorted
    group_sorted = group[prepared.order] if ngroups > 1 else None
    if values is None or changed is None or not changed.any():
        return gini_sorted(y_sorted, n_sorted, group_sorted, ngroups)
    unchanged = ~changed[prepared.order]
    kept_values = y_sorted[unchanged]
    moved = np.flatnonzero(changed)
    moved = moved[np.argsort(values[moved], kind="stable")]
    moved_values = values[moved]
    at = np.searchsorted(kept_values, moved_values, side="right")
    merged = np.insert(kept_values, at, moved_values)
    weights = np.insert(n_sorted[unchanged], at, prepared.n[moved])
    groups = np.insert(group_sorted[unchanged], at, group[moved]) if group_sorted is not None else None
    return gini_sorted(merged, weights, groups, ngroups)


def grouped_figures(sim: Simulation, group: np.ndarray, ngroups: int,
                    floor: float = WATTS_FLOOR) -> dict[str, np.ndarray]:
    """Every measure of :func:`reliefkit.simulate.measures.measures` per group.

    Parameters
    ----------
    sim : Simulation
        One scheme simulated on one region.
    group : numpy.ndarray
        Group code (0 … ``ngroups`` − 1) of each household.
    ngroups : int
        How many groups (1: the whole scope).
    floor : float
        The Watts floor (yuan).

    Returns
    -------
    dict of str to numpy.ndarray
        Arrays of length ``ngroups``, floats (counts too; see :data:`COUNT_KEYS`).

    Examples
    --------
    >>> from reliefkit.region.region import load_region
    >>> from reliefkit.simulate.simulation import simulate
    >>> sim = simulate(load_region("data/sample"), 2026)
    >>> figures = grouped_figures(sim, (~sim.prepared.rural).astype(np.int64), 2)
    >>> int(figures["households_in_scope"].sum()) == sim.prepared.households
    True
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        return _figures(sim, group, ngroups, floor)


def _figures(sim: Simulation, group: np.ndarray, ngroups: int, floor: float) -> dict[str, np.ndarray]:
    prepared, arrays = sim.prepared, sim.arrays
    n = prepared.n.astype("float64")
    y, z = prepared.y, arrays["z"]
    poor, eligible = arrays["poor"], arrays["eligible"]

    def total(weights: np.ndarray | None = None, mask: np.ndarray | None = None) -> np.ndarray:
        """Per group: the sum of ``weights`` (1 when None) over the households in ``mask``."""
        if ngroups == 1:  # the whole scope: no temporary arrays
            if weights is None:
                return np.array([float(len(group) if mask is None else np.count_nonzero(mask))])
            return np.array([float(np.sum(weights) if mask is None else np.sum(weights, where=mask))])
        if mask is None:
            return group_sum(group, ngroups, weights)
        return group_sum(group[mask], ngroups, None if weights is None else weights[mask])

    persons = total(n)
    out: dict[str, np.ndarray] = {"households": total(mask=eligible), "persons": total(n, eligible)}
    out["cost_year"] = 12 * total(arrays["dibao"])
    before, after, after_all = (poverty_sums(values, z, n, group, ngroups, floor)
                                for values in (y, arrays["y_after"], arrays["y_after_all"]))
    for i, k in enumerate(("p0", "p1", "p2")):
        out[f"{k}_before"] = divide(before[i], persons)
    for i, k in enumerate(("p0", "p1", "p2")):
        out[f"{k}_after"] = divide(after[i], persons)
    poor_persons = before.poor
    out["exclusion_error"] = divide(total(n, poor & ~eligible), poor_persons)
    out["inclusion_error"] = divide(total(n, eligible & ~poor), out["persons"])
    out["coverage"] = divide(total(n, poor & eligible), poor_persons)
    out["watts_before"] = divide(before.watts, persons)
    out["watts_after"] = divide(after.watts, persons)
    out["gini_before"] = _gini_after(sim, None, None, group, ngroups)
    out["gini_after"] = _gini_after(sim, arrays["y_after"], eligible, group, ngroups)
    bottom = prepared.decile <= 4
    out["cgh"] = divide(total(arrays["dibao"], bottom), total(arrays["dibao"])) / 0.4
    removed = 100 * (out["p1_before"] - out["p1_after"])
    out["cost_per_gap_point"] = divide(out["cost_year"], removed)
    registry = prepared.registry
    out["registry_households"] = total(mask=registry)
    out["registry_persons"] = total(n, registry)
    out["registry_exclusion_error"] = divide(total(n, poor & ~registry), poor_persons)
    out["registry_inclusion_error"] = divide(total(n, registry & ~poor), out["registry_persons"])
    out["poor_persons"] = poor_persons
    out["persons_in_scope"] = persons
    out["households_in_scope"] = total()
    out["tekun_persons"] = total(arrays["tekun_persons"].astype("float64"))
    out["tekun_cost_year"] = 12 * total(arrays["tekun"])
    out["marginal_households"] = total(mask=arrays["marginal_eligible"])
    out["marginal_cost_year"] = 12 * total(arrays["marginal"])
    out["temporary_households"] = total(mask=arrays["temporary_eligible"])
    out["temporary_cost_year"] = total(arrays["temporary"])
    out["medical_households"] = total(mask=arrays["medical"] > 0)
    out["medical_cost_year"] = total(arrays["medical"])
    out["cost_year_all"] = total(arrays["transfers_year"])
    out["households_any"] = total(mask=arrays["transfers_year"] > 0)
    for i, k in enumerate(("p0", "p1", "p2")):
        out[f"{k}_after_all"] = divide(after_all[i], persons)
    out["gini_after_all"] = _gini_after(sim, arrays["y_after_all"], arrays["y_after_all"] != y, group, ngroups)
    out["cgh_all"] = divide(total(arrays["transfers_year"], bottom), out["cost_year_all"]) / 0.4
    return out


def divide(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """``num / den`` elementwise, 0.0 where ``den`` is 0.

    Parameters
    ----------
    num, den : numpy.ndarray
        Numerators and denominators (broadcast).

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> divide(np.array([1.0, 2.0]), np.array([4.0, 0.0])).tolist()
    [0.25, 0.0]
    """
    num, den = np.asarray(num, dtype="float64"), np.asarray(den, dtype="float64")
    return np.where(den != 0, num / np.where(den != 0, den, 1), 0.0)


#: the figures that are counts (whole numbers)
COUNT_KEYS = ("households", "persons", "registry_households", "registry_persons", "poor_persons",
           "persons_in_scope", "households_in_scope", "tekun_persons", "marginal_households",
           "temporary_households", "medical_households", "households_any")

"""Poverty and targeting measures of a simulation, for a whole scope or by group.

Every measure is person-weighted: a household of ``n`` members alive on D counts ``n``
times, each member with the household's per-capita monthly income and line (exactly the
mean over persons that shared/DATA.md defines). Shares are fractions from 0 to 1; a
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
WATTS_FLOOR = 1.0


# --------------------------------------------------------------------------- plain measures
def share(num: float, den: float) -> float:
    """``num / den`` as a float, 0.0 when ``den`` is 0.

    Examples
    --------
    >>> share(1, 4), share(3, 0)
    (0.25, 0.0)
    """
    return float(num) / float(den) if den else 0.0


def _weights(w: np.ndarray | None, like: np.ndarray) -> np.ndarray:
    return np.ones(len(like)) if w is None else np.asarray(w, dtype="float64")


def fgt(y: np.ndarray, z: np.ndarray, alpha: int, weights: np.ndarray | None = None) -> float:
    """Foster–Greer–Thorbecke index: weighted mean of ``(max(0, z − y) / z)^alpha``
    (α = 0 is the headcount ``y < z``).

    Examples
    --------
    >>> fgt(np.array([0.0, 150.0]), np.array([100.0, 100.0]), 1)
    0.5
    """
    y, z = np.asarray(y, dtype="float64"), np.broadcast_to(np.asarray(z, dtype="float64"), np.shape(y))
    w = _weights(weights, y)
    gap = np.where(y < z, (z - y) / np.where(z > 0, z, 1), 0.0)
    values = (y < z).astype("float64") if alpha == 0 else gap ** alpha
    return share((w * values).sum(), w.sum())


def watts(y: np.ndarray, z: np.ndarray, weights: np.ndarray | None = None, floor: float = WATTS_FLOOR) -> float:
    """Watts index: weighted mean of ``ln(z / max(y, floor))`` over the poor (0 for others).

    Examples
    --------
    >>> round(watts(np.array([50.0, 200.0]), np.array([100.0, 100.0])), 6)
    0.346574
    """
    y, z = np.asarray(y, dtype="float64"), np.broadcast_to(np.asarray(z, dtype="float64"), np.shape(y))
    w = _weights(weights, y)
    values = np.where(y < z, np.log(np.maximum(z, floor) / np.maximum(y, floor)), 0.0)
    return share((w * values).sum(), w.sum())


def gini(x: np.ndarray, weights: np.ndarray | None = None) -> float:
    """Gini coefficient of ``x`` (weighted: each value counts ``weights`` times).

    Examples
    --------
    >>> gini(np.array([1.0, 1.0, 1.0])), gini(np.array([0.0, 0.0, 0.0, 4.0]))
    (0.0, 0.75)
    """
    x = np.asarray(x, dtype="float64")
    w = _weights(weights, x)
    order = np.argsort(x, kind="stable")
    return float(_gini_sorted(x[order], w[order], None, 1)[0])


def targeting_errors(poor: np.ndarray, receiving: np.ndarray, weights: np.ndarray | None = None) -> tuple[float, float]:
    """(exclusion error, inclusion error): the share of the poor who receive nothing, and
    the share of receivers who are not poor.

    Examples
    --------
    >>> targeting_errors(np.array([True, True, False]), np.array([True, False, True]))
    (0.5, 0.5)
    """
    poor, receiving = np.asarray(poor, bool), np.asarray(receiving, bool)
    w = _weights(weights, poor)
    return share(w[poor & ~receiving].sum(), w[poor].sum()), share(w[receiving & ~poor].sum(), w[receiving].sum())


def cgh(benefit: np.ndarray, decile: np.ndarray) -> float:
    """Coady–Grosh–Hoddinott indicator: share of ``benefit`` going to deciles 1–4, ÷ 0.4.

    Examples
    --------
    >>> cgh(np.array([10.0, 0.0]), np.array([1, 9]))
    2.5
    """
    benefit = np.asarray(benefit, dtype="float64")
    return share(benefit[np.asarray(decile) <= 4].sum(), benefit.sum()) / 0.4


# --------------------------------------------------------------------------- grouped core
def _gini_sorted(v: np.ndarray, w: np.ndarray, g: np.ndarray | None, ngroups: int) -> np.ndarray:
    """Weighted Gini per group of values ``v`` sorted ascending, with weights ``w`` and
    group codes ``g`` (None for one group): 1 − Σ w·(L_{i−1} + L_i) / (W·S), L the
    cumulative sum of w·v within the group."""
    ww = w.astype("float64")
    if ngroups == 1:
        wy = ww * v
        cum = np.cumsum(wy)
        W, S = ww.sum(), cum[-1] if len(cum) else 0.0
        return np.array([1 - np.dot(ww, 2 * cum - wy) / (W * S) if W * S > 0 else 0.0])
    small = np.uint8 if ngroups <= 256 else np.uint16 if ngroups <= 65536 else np.int64
    o = np.argsort(g.astype(small), kind="stable")  # a radix sort: each group stays sorted
    g, v, ww = g[o], v[o], ww[o]
    wy = ww * v
    cum = np.cumsum(wy)
    first = np.searchsorted(g, np.arange(ngroups))
    before = np.where(first > 0, cum[np.maximum(first - 1, 0)], 0.0) if len(cum) else np.zeros(ngroups)
    within = cum - before[g]
    term = np.bincount(g, weights=ww * (2 * within - wy), minlength=ngroups)
    W = np.bincount(g, weights=ww, minlength=ngroups)
    S = np.bincount(g, weights=wy, minlength=ngroups)
    den = W * S
    return np.where(den > 0, 1 - term / np.where(den > 0, den, 1), 0.0)


def _gini_of(sim: Simulation, values: np.ndarray | None, changed: np.ndarray | None, group: np.ndarray,
             ngroups: int) -> np.ndarray:
    """Gini per group of ``values`` (default ``y``), which differ from ``y`` only where
    ``changed``: the others keep the Base's sorted order, the changed few are sorted and
    merged in — sequential passes instead of random gathers over millions of rows."""
    b = sim.base
    ys, ns = b.y_sorted, b.n_sorted
    gs = group[b.order] if ngroups > 1 else None
    if values is None or changed is None or not changed.any():
        return _gini_sorted(ys, ns, gs, ngroups)
    keep = ~changed[b.order]
    kv = ys[keep]
    moved = np.flatnonzero(changed)
    moved = moved[np.argsort(values[moved], kind="stable")]
    mv = values[moved]
    at = np.searchsorted(kv, mv, side="right")
    v = np.insert(kv, at, mv)
    w = np.insert(ns[keep], at, b.n[moved])
    g = np.insert(gs[keep], at, group[moved]) if gs is not None else None
    return _gini_sorted(v, w, g, ngroups)


def _sum(group: np.ndarray, ngroups: int, weights: np.ndarray | None = None) -> np.ndarray:
    if ngroups == 1:  # the whole scope: a plain (pairwise) sum
        return np.array([float(len(group)) if weights is None else float(np.sum(weights))])
    return np.bincount(group, weights=weights, minlength=ngroups)


def _table(sim: Simulation, group: np.ndarray, ngroups: int, floor: float = WATTS_FLOOR) -> dict[str, np.ndarray]:
    """Every measure per group, as arrays of length ``ngroups``."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return _table_body(sim, group, ngroups, floor)


def _table_body(sim: Simulation, group: np.ndarray, ngroups: int, floor: float) -> dict[str, np.ndarray]:
    b, a = sim.base, sim.arrays
    n = b.n.astype("float64")
    y, z = b.y, a["z"]
    poor, eligible = a["poor"], a["eligible"]

    def S(weights: np.ndarray | None = None, mask: np.ndarray | None = None) -> np.ndarray:  # noqa: N802
        """Per group: the sum of ``weights`` (1 when None) over the households in ``mask``."""
        if ngroups == 1:  # the whole scope: no temporary arrays
            if weights is None:
                return np.array([float(len(group) if mask is None else np.count_nonzero(mask))])
            return np.array([float(np.sum(weights) if mask is None else np.sum(weights, where=mask))])
        if mask is None:
            return np.bincount(group, weights=weights, minlength=ngroups)
        return np.bincount(group[mask], weights=None if weights is None else weights[mask], minlength=ngroups)

    def gaps(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        i = np.flatnonzero(values < z)  # only the poor have a gap
        zi, vi, ni, gi = z[i], values[i], n[i], group[i]
        g = (zi - vi) / zi
        ng = ni * g
        return (_sum(gi, ngroups, ni), _sum(gi, ngroups, ng), _sum(gi, ngroups, ng * g),
                _sum(gi, ngroups, ni * np.log(np.maximum(zi, floor) / np.maximum(vi, floor))))

    persons = S(n)
    out: dict[str, np.ndarray] = {"households": S(mask=eligible), "persons": S(n, eligible)}
    out["cost_year"] = 12 * S(a["dibao"])
    before, after, after_all = gaps(y), gaps(a["y_after"]), gaps(a["y_after_all"])
    for i, k in enumerate(("p0", "p1", "p2")):
        out[f"{k}_before"] = _div(before[i], persons)
    for i, k in enumerate(("p0", "p1", "p2")):
        out[f"{k}_after"] = _div(after[i], persons)
    poor_n = before[0]
    out["exclusion_error"] = _div(S(n, poor & ~eligible), poor_n)
    out["inclusion_error"] = _div(S(n, eligible & ~poor), out["persons"])
    out["coverage"] = _div(S(n, poor & eligible), poor_n)
    out["watts_before"] = _div(before[3], persons)
    out["watts_after"] = _div(after[3], persons)
    out["gini_before"] = _gini_of(sim, None, None, group, ngroups)
    out["gini_after"] = _gini_of(sim, a["y_after"], eligible, group, ngroups)
    bottom = b.decile <= 4
    out["cgh"] = _div(S(a["dibao"], bottom), S(a["dibao"])) / 0.4
    removed = 100 * (out["p1_before"] - out["p1_after"])
    out["cost_per_gap_point"] = _div(out["cost_year"], removed)
    registry = b.registry
    out["registry_households"] = S(mask=registry)
    out["registry_persons"] = S(n, registry)
    out["registry_exclusion_error"] = _div(S(n, poor & ~registry), poor_n)
    out["registry_inclusion_error"] = _div(S(n, registry & ~poor), out["registry_persons"])
    out["poor_persons"] = poor_n
    out["persons_in_scope"] = persons
    out["households_in_scope"] = S()
    out["tekun_persons"] = S(a["tekun_persons"].astype("float64"))
    out["tekun_cost_year"] = 12 * S(a["tekun"])
    out["marginal_households"] = S(mask=a["marginal_eligible"])
    out["marginal_cost_year"] = 12 * S(a["marginal"])
    out["temporary_households"] = S(mask=a["temporary_eligible"])
    out["temporary_cost_year"] = S(a["temporary"])
    out["medical_households"] = S(mask=a["medical"] > 0)
    out["medical_cost_year"] = S(a["medical"])
    out["cost_year_all"] = S(a["transfers_year"])
    out["households_any"] = S(mask=a["transfers_year"] > 0)
    for i, k in enumerate(("p0", "p1", "p2")):
        out[f"{k}_after_all"] = _div(after_all[i], persons)
    out["gini_after_all"] = _gini_of(sim, a["y_after_all"], a["y_after_all"] != y, group, ngroups)
    out["cgh_all"] = _div(S(a["transfers_year"], bottom), out["cost_year_all"]) / 0.4
    return out


def _div(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    num, den = np.asarray(num, dtype="float64"), np.asarray(den, dtype="float64")
    return np.where(den != 0, num / np.where(den != 0, den, 1), 0.0)


_COUNTS = ("households", "persons", "registry_households", "registry_persons", "poor_persons",
           "persons_in_scope", "households_in_scope", "tekun_persons", "marginal_households",
           "temporary_households", "medical_households", "households_any")


def _typed(key: str, value: float) -> int | float:
    return int(round(value)) if key in _COUNTS else float(value) + 0.0


def measures(sim: Simulation, floor: float = WATTS_FLOOR) -> dict[str, int | float | str]:
    """Every measure of a simulation over its whole scope, as a flat dict.

    The first keys are DATA.md's comparison figures (:data:`REFERENCE_KEYS`); counts are
    ``int``, amounts and shares ``float`` (not rounded).

    Examples
    --------
    >>> from reliefkit.region.region import load_region
    >>> from reliefkit.simulate.simulation import simulate
    >>> m = measures(simulate(load_region("data/sample"), 2026))
    >>> list(m)[:4], m["p2_after"] <= m["p1_after"] <= m["p0_after"] <= m["p0_before"]
    (['name', 'households', 'persons', 'cost_year'], True)
    """
    t = _table(sim, np.zeros(sim.base.households, dtype=np.int64), 1, floor)
    out: dict[str, int | float | str] = {"name": sim.name}
    out.update({k: _typed(k, v[0]) for k, v in t.items()})
    lines = sim.lines
    out["line_rural"], out["line_urban"] = float(lines["rural"]), float(lines["urban"])
    return out


def _groups(sim: Simulation, by: str) -> tuple[np.ndarray, list]:
    b = sim.base
    if by == "district":
        return b.district, list(b.districts)
    if by == "area":
        return (~b.rural).astype(np.int64), ["rural", "urban"]
    if by == "main_cause":
        return b.cause, list(b.causes)
    if by == "decile":
        return b.decile - 1, list(range(1, 11))
    from reliefkit.errors import ReliefkitError

    raise ReliefkitError(f"cannot break figures down by {by!r}", f"use one of {', '.join(BREAKDOWNS)}")


def breakdown(sim: Simulation, by: str, floor: float = WATTS_FLOOR) -> pd.DataFrame:
    """Every measure per group: ``by`` is ``district``, ``area``, ``main_cause`` (missing
    → ``(none)``) or ``decile`` (person-weighted deciles of income before transfers).

    Adds ``benefit_share`` and ``benefit_share_all``: the group's share of the scope's
    dibao cost and of every programme's cost (the incidence).

    Examples
    --------
    >>> from reliefkit.region.region import load_region
    >>> from reliefkit.simulate.simulation import simulate
    >>> t = breakdown(simulate(load_region("data/sample"), 2026), "area")
    >>> t["area"].tolist(), bool(abs(t["benefit_share"].sum() - 1) < 1e-9)
    (['rural', 'urban'], True)
    """
    group, labels = _groups(sim, by)
    t = _table(sim, group, len(labels), floor)
    frame = pd.DataFrame({by: labels})
    frame.insert(0, "scheme", sim.name)
    for k, v in t.items():
        frame[k] = np.rint(v).astype(np.int64) if k in _COUNTS else v
    frame["benefit_share"] = _div(t["cost_year"], t["cost_year"].sum())
    frame["benefit_share_all"] = _div(t["cost_year_all"], t["cost_year_all"].sum())
    if by != "decile":
        frame = frame[frame["households_in_scope"] > 0].reset_index(drop=True)
    return frame


def incidence(sim: Simulation) -> pd.DataFrame:
    """Benefit incidence by person-weighted decile of income before transfers.

    Examples
    --------
    >>> from reliefkit.region.region import load_region
    >>> from reliefkit.simulate.simulation import simulate
    >>> inc = incidence(simulate(load_region("data/sample"), 2026))
    >>> inc.columns.tolist()[:4]
    ['scheme', 'decile', 'persons_in_scope', 'poor_persons']
    """
    t = breakdown(sim, "decile")
    cols = ["scheme", "decile", "persons_in_scope", "poor_persons", "persons", "cost_year", "benefit_share",
            "cost_year_all", "benefit_share_all"]
    return t[cols]

"""The standard indicators of social-protection programmes (World Bank ASPIRE / ADePT SP).

Every indicator is person-weighted and a true aggregate (a sum over households divided by
a sum over households, never an average of group figures). *Beneficiaries* are, as ASPIRE
counts them, every member alive on D of a household that receives the programme (direct
and indirect beneficiaries). Two programme sets: the minimum living allowance (``dibao``,
no suffix) and every simulated programme together (suffix ``_all``: allowance, special
hardship, marginal, temporary and medical assistance).

- *Quintiles*: persons ranked on per-capita income **before transfers** (``y``), the
  person-weighted quintile of :attr:`~reliefkit.simulate.prepared.Prepared.quintile`
  (``1 + floor(5 × persons with a strictly lower y / persons)``: a household is never
  split, ties share the lower quintile, so a quintile may hold more or fewer than 20 %).
- ``coverage_qK``: beneficiaries in quintile K ÷ persons in quintile K (``coverage_q1`` is
  the coverage of the poorest quintile); ``beneficiary_rate``: beneficiaries ÷ persons.
- ``beneficiary_incidence_qK``: beneficiaries in quintile K ÷ all beneficiaries.
- ``benefit_incidence_qK``: benefits (yuan a year) reaching quintile K ÷ all benefits.
- ``adequacy``: benefits ÷ the beneficiaries' own income before transfers (both yuan a
  year, summed over beneficiary households).
- ``gap_reduction``: the share of the poverty-gap index removed,
  ``(P1 before − P1 after) ÷ P1 before``.
- ``gap_removed_per_yuan`` (the benefit–cost ratio): the poverty gap removed, in yuan a
  year (``12 × Σ n × max(0, z − y)`` before minus after), per yuan spent.
- ``overlap_persons``: persons alive on D reached by two or more simulated programmes (a
  household programme — allowance, marginal, temporary, medical — counts for every member,
  special hardship for the person; the allowance share of a special-hardship person's
  standard is part of that support, not a second programme); ``overlap_share``: of the
  persons reached by any.
- On a **fixed yardstick** (``_fixed``; the baseline's lines by default): ``p0_before_fixed``
  … ``p2_after_all_fixed``, ``gap_reduction_fixed`` and ``gap_removed_per_yuan_fixed``
  measure every scheme's incomes after against the same lines, ``line_rural_fixed`` and
  ``line_urban_fixed``; the plain keys measure each scheme against its own lines.

A share whose denominator is zero is 0.0, as every share of :mod:`reliefkit.simulate.measures`.

Examples
--------
>>> from reliefkit.region.region import load_region
>>> from reliefkit.simulate.simulation import simulate
>>> sim = simulate(load_region("data/sample"), 2026)
>>> figures = indicators(sim)
>>> round(sum(figures[f"beneficiary_incidence_q{k}"] for k in range(1, 6)), 9)
1.0
>>> figures["gap_removed_per_yuan"] <= 1.0
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from reliefkit.simulate.grouped import divide
from reliefkit.simulate.poverty import group_sum, poverty_sums

if TYPE_CHECKING:  # pragma: no cover
    from reliefkit.simulate.simulation import Simulation

__all__ = ["indicators", "quintile_table", "QUINTILES", "PROGRAMME_SETS"]

#: how many income groups the ASPIRE indicators use
QUINTILES = 5
#: suffix → what the set of programmes is
PROGRAMME_SETS = {"": "dibao", "_all": "every simulated programme"}


def _per_set(sim: Simulation) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Suffix → (receiving households, benefits a year, per-capita monthly income after)."""
    a = sim.arrays
    return {"": (a["eligible"], 12 * a["dibao"], a["y_after"]),
            "_all": (a["transfers_year"] > 0, a["transfers_year"], a["y_after_all"])}


def _gap_yuan(values: np.ndarray, lines: np.ndarray, n: np.ndarray) -> float:
    """The poverty gap in yuan a year: ``12 × Σ n × max(0, z − v)``."""
    return float(12 * np.sum(n * np.maximum(0.0, lines - values)))


def _programmes_reached(sim: Simulation) -> tuple[np.ndarray, np.ndarray]:
    """Per household: how many household programmes pay it something, and its special-hardship members."""
    a = sim.arrays
    household = (a["eligible"].astype(np.int64) + (a["marginal"] > 0) + (a["temporary"] > 0) + (a["medical"] > 0))
    return household, a["tekun_persons"]


def indicators(sim: Simulation, fixed: Simulation | None = None) -> dict[str, float | int]:
    """The ASPIRE indicators of one simulation over its whole scope (module docstring).

    Parameters
    ----------
    sim : Simulation
        One scheme simulated on one prepared region.
    fixed : Simulation, optional
        The simulation whose lines are the fixed yardstick (default: ``sim`` itself);
        it must be of the same prepared region.

    Returns
    -------
    dict
        Shares as fractions (unrounded), ``overlap_persons`` an int, the fixed lines in yuan.

    Examples
    --------
    >>> from reliefkit.region.region import load_region
    >>> from reliefkit.simulate.simulation import simulate
    >>> sim = simulate(load_region("data/sample"), 2026)
    >>> f = indicators(sim)
    >>> f["p1_after_fixed"] == f["p1_after_fixed"], 0 < f["coverage_q1"] <= 1
    (True, True)
    """
    fixed = sim if fixed is None else fixed
    if fixed.prepared is not sim.prepared:
        from reliefkit.errors import UsageError

        raise UsageError("needs the yardstick simulated on the same prepared region",
                         "simulate both from one prepare(region, year)", function="indicators")
    with np.errstate(divide="ignore", invalid="ignore"):
        return _indicators(sim, fixed)


def _indicators(sim: Simulation, fixed: Simulation) -> dict[str, float | int]:
    prepared, arrays = sim.prepared, sim.arrays
    n = prepared.n.astype("float64")
    group = prepared.quintile - 1
    persons_q = group_sum(group, QUINTILES, n)
    persons = float(n.sum())
    z, z_fixed = arrays["z"], fixed.arrays["z"]
    out: dict[str, float | int] = {}
    for suffix, (receiving, benefit, after) in _per_set(sim).items():
        reached = np.where(receiving, n, 0.0)
        reached_q = group_sum(group, QUINTILES, reached)
        benefit_q = group_sum(group, QUINTILES, benefit)
        for k in range(QUINTILES):
            out[f"coverage_q{k + 1}{suffix}"] = float(divide(reached_q[k], persons_q[k]))
        for k in range(QUINTILES):
            out[f"beneficiary_incidence_q{k + 1}{suffix}"] = float(divide(reached_q[k], reached_q.sum()))
        for k in range(QUINTILES):
            out[f"benefit_incidence_q{k + 1}{suffix}"] = float(divide(benefit_q[k], benefit_q.sum()))
        out[f"beneficiary_rate{suffix}"] = float(divide(reached.sum(), persons))
        income = np.sum(prepared.income, where=receiving)
        out[f"adequacy{suffix}"] = float(divide(np.sum(benefit, where=receiving), income))
        for tag, lines in (("", z), ("_fixed", z_fixed)):
            before, later = (poverty_sums(v, lines, n) for v in (prepared.y, after))
            out[f"gap_reduction{suffix}{tag}"] = float(divide(before.gap[0] - later.gap[0], before.gap[0]))
            removed = _gap_yuan(prepared.y, lines, n) - _gap_yuan(after, lines, n)
            out[f"gap_removed_per_yuan{suffix}{tag}"] = float(divide(removed, benefit.sum()))
    household, tekun = _programmes_reached(sim)
    others = household - arrays["eligible"]  # a special-hardship person's allowance share is part of tekun
    overlap = np.where(household >= 2, n - tekun, 0.0) + np.where(others >= 1, tekun, 0.0)
    any_reached = np.where((household >= 1) | (tekun > 0), n, 0.0)
    out["overlap_persons"] = int(round(float(overlap.sum())))
    out["overlap_share"] = float(divide(overlap.sum(), any_reached.sum()))
    for suffix, values in (("before", prepared.y), ("after", arrays["y_after"]), ("after_all", arrays["y_after_all"])):
        sums = poverty_sums(values, z_fixed, n)
        for alpha, key in enumerate(("p0", "p1", "p2")):
            out[f"{key}_{suffix}_fixed"] = float(divide(sums[alpha][0], persons))
    lines = fixed.lines
    out["line_rural_fixed"], out["line_urban_fixed"] = float(lines["rural"]), float(lines["urban"])
    return out


def quintile_table(sim: Simulation) -> pd.DataFrame:
    """The indicators by quintile of income before transfers, one row per quintile.

    Parameters
    ----------
    sim : Simulation
        One scheme simulated on one prepared region.

    Returns
    -------
    pandas.DataFrame
        ``scheme``, ``quintile`` (1 poorest … 5), ``persons_in_scope``, ``poor_persons``, and
        for the allowance and (``_all``) every simulated programme: ``beneficiaries``,
        ``benefit`` (yuan a year), ``coverage``, ``beneficiary_incidence``,
        ``benefit_incidence``. The totals over quintiles are the scope's figures
        (:func:`indicators`, ``Comparison.summary``), not sums or means of these rows.

    Examples
    --------
    >>> from reliefkit.region.region import load_region
    >>> from reliefkit.simulate.simulation import simulate
    >>> t = quintile_table(simulate(load_region("data/sample"), 2026))
    >>> t["quintile"].tolist(), bool(abs(t["benefit_incidence"].sum() - 1) < 1e-9)
    ([1, 2, 3, 4, 5], True)
    """
    prepared, arrays = sim.prepared, sim.arrays
    n = prepared.n.astype("float64")
    group = prepared.quintile - 1
    frame = pd.DataFrame({"scheme": sim.name, "quintile": np.arange(1, QUINTILES + 1)})
    persons_q = group_sum(group, QUINTILES, n)
    frame["persons_in_scope"] = np.rint(persons_q).astype(np.int64)
    frame["poor_persons"] = np.rint(group_sum(group, QUINTILES, np.where(arrays["poor"], n, 0.0))).astype(np.int64)
    for suffix, (receiving, benefit, _) in _per_set(sim).items():
        reached_q = group_sum(group, QUINTILES, np.where(receiving, n, 0.0))
        benefit_q = group_sum(group, QUINTILES, benefit)
        frame[f"beneficiaries{suffix}"] = np.rint(reached_q).astype(np.int64)
        frame[f"benefit{suffix}"] = benefit_q
        frame[f"coverage{suffix}"] = divide(reached_q, persons_q)
        frame[f"beneficiary_incidence{suffix}"] = divide(reached_q, reached_q.sum())
        frame[f"benefit_incidence{suffix}"] = divide(benefit_q, benefit_q.sum())
    return frame

"""The reference figures over a range of lines, and the highest line a budget pays for.

Under the reference calculation every figure is a sum over the households whose ``y`` is
below the line: the poor (P0, P1, P2 before), those who stay poor because they fail the
asset test (P0–P2 after, the exclusion error), the eligible (households, persons, cost).
:func:`sweep` sorts the households of the swept area(s) by ``y`` once, keeps prefix sums
of ``n``, ``n·y``, ``n·y²`` and ``n·ln y`` per kind of household, and reads every line
off them with one ``searchsorted`` — each extra line is nearly free. The other area keeps
its line from the policy and is evaluated once, with the FGT and Watts terms of
:func:`reliefkit.simulate.poverty.poverty_terms`.

:func:`budget_line` inverts the yearly cost, which is piecewise linear and non-decreasing
in the line, exactly: the highest line whose cost fits the budget.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Sequence

import numpy as np
import pandas as pd

from reliefkit.errors import ReliefkitError
from reliefkit.policy.parameters import LINE_PARAMETERS, Policy
from reliefkit.policy.schemes import Scheme
from reliefkit.simulate.measures import measures
from reliefkit.simulate.poverty import WATTS_FLOOR, poverty_terms
from reliefkit.simulate.prepared import Prepared, prepare
from reliefkit.simulate.simulation import Simulation, simulate

if TYPE_CHECKING:  # pragma: no cover
    from reliefkit.region.region import Region

__all__ = ["sweep", "budget_line", "BudgetAnswer", "BudgetLineError", "SWEEP_COLUMNS"]


class BudgetLineError(ReliefkitError):
    """A budget :func:`budget_line` cannot answer for: ``reason`` is ``below_fixed`` (the
    households whose line is not swept cost more than the budget: ``fixed_cost``) or
    ``never_binds`` (no household of the swept area can become eligible)."""

    def __init__(self, what: str, todo: str, *, reason: str, fixed_cost: float, **fields: object) -> None:
        super().__init__(what, todo, **fields)
        self.reason, self.fixed_cost = reason, float(fixed_cost)

SWEEP_COLUMNS = ("line", "households", "persons", "cost_year", "p0_before", "p1_before", "p2_before",
                 "p0_after", "p1_after", "p2_after", "exclusion_error", "inclusion_error", "coverage",
                 "watts_before", "watts_after", "registry_exclusion_error", "registry_inclusion_error")


def _paths(line: str | Sequence[str]) -> tuple[str, ...]:
    paths = (line,) if isinstance(line, str) else tuple(line)
    valid = set(LINE_PARAMETERS.values())
    for path in paths:
        if path not in valid:
            raise ReliefkitError(f"cannot sweep {path!r}: only the minimum-living lines are swept",
                                 f"use {' or '.join(sorted(valid))} (or both)", key=path)
    if not paths:
        raise ReliefkitError("no line to sweep", f"give one of {', '.join(sorted(valid))}")
    return paths


def _prefix(x: np.ndarray) -> np.ndarray:
    """``[0, x0, x0 + x1, …]``: the sums of the first 0, 1, … values."""
    out = np.empty(len(x) + 1, dtype="float64")
    out[0] = 0.0
    np.cumsum(x, out=out[1:])
    return out


def _spread(index: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """``values`` at ``index`` in an array of ``size`` zeros (summed as one full array)."""
    out = np.zeros(size)
    out[index] = values
    return out


def _gaps_below(lines: np.ndarray, positive: np.ndarray, count: np.ndarray, sum_y: np.ndarray,
                sum_y2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Σ n·gap and Σ n·gap² of the households below each line, from their sums of ``n``,
    ``n·y`` and ``n·y²`` (the FGT 1 and 2 numerators, expanded): ``gap = (L − y) / L``."""
    gap = np.where(positive, (lines * count - sum_y) / lines, 0.0)
    severity = np.where(positive, (lines * lines * count - 2 * lines * sum_y + sum_y2) / (lines * lines), 0.0)
    return gap, severity


def _divide(num: np.ndarray, den: np.ndarray | float) -> np.ndarray:
    den = np.broadcast_to(np.asarray(den, dtype="float64"), np.shape(num))
    return np.where(den != 0, num / np.where(den != 0, den, 1), 0.0)


class _Sweeper:
    """Prefix sums over the swept households sorted by ``y``, plus the sums of the fixed rest."""

    def __init__(self, sim: Simulation, paths: tuple[str, ...], floor: float) -> None:
        prepared, arrays = sim.prepared, sim.arrays
        areas = [area for area, path in LINE_PARAMETERS.items() if path in paths]
        swept = np.zeros(prepared.households, dtype=bool)
        for area in areas:
            swept |= prepared.rural if area == "rural" else ~prepared.rural
        size = prepared.households
        n = prepared.n.astype("float64")
        fixed = ~swept
        poor, eligible, registry = arrays["poor"], arrays["eligible"], prepared.registry
        line, y_after = arrays["z"], arrays["y_after"]
        with np.errstate(divide="ignore", invalid="ignore"):
            before = poverty_terms(prepared.y, line, n, floor, where=fixed)
            after = poverty_terms(y_after, line, n, floor, where=fixed)
        n_fixed = n * fixed
        self.persons = n.sum()
        self.fixed = {
            "poor": (n_fixed * poor).sum(), "gap": _spread(before.index, before.gap, size).sum(),
            "severity": _spread(before.index, before.severity, size).sum(),
            "poor_after": (n_fixed * (y_after < line)).sum(), "gap_after": _spread(after.index, after.gap, size).sum(),
            "severity_after": _spread(after.index, after.severity, size).sum(),
            "watts": _spread(before.index, before.watts, size).sum(),
            "watts_after": _spread(after.index, after.watts, size).sum(),
            "households": (fixed & eligible).sum(), "persons": (n_fixed * eligible).sum(),
            "cost": 12 * arrays["dibao"][fixed].sum(),
            "excluded": (n_fixed * (poor & ~eligible)).sum(), "included": (n_fixed * (eligible & ~poor)).sum(),
            "covered": (n_fixed * (poor & eligible)).sum(),
            "registry_excluded": (n_fixed * (poor & ~registry)).sum(),
            "registry_included": (n_fixed * (registry & ~poor)).sum(), "registry_persons": (n_fixed * registry).sum(),
        }
        order = prepared.order  # the prepared sort by y, shared with the Gini and the deciles
        take = swept[order]
        ys, ns = prepared.y_sorted[take], prepared.n_sorted[take].astype("float64")
        blocked, paid = prepared.blocked[order][take], registry[order][take]
        passes = ~blocked
        log_y = np.log(np.maximum(ys, floor))
        self.y_sorted, self.passes = ys, passes
        self.prefix = {
            "n": _prefix(ns), "ny": _prefix(ns * ys), "ny2": _prefix(ns * ys * ys), "nlog": _prefix(ns * log_y),
            "eligible_n": _prefix(ns * passes), "eligible_ny": _prefix(ns * ys * passes),
            "eligible_households": _prefix(passes.astype("float64")),
            "blocked_n": _prefix(ns * blocked), "blocked_ny": _prefix(ns * ys * blocked),
            "blocked_ny2": _prefix(ns * ys * ys * blocked), "blocked_nlog": _prefix(ns * log_y * blocked),
            "unpaid_n": _prefix(ns * ~paid), "paid_n": _prefix(ns * paid),
        }
        self.floor = floor

    def figures(self, lines: np.ndarray) -> pd.DataFrame:
        """:data:`SWEEP_COLUMNS` at each line (the swept households below it read off the prefix sums)."""
        lines = np.asarray(lines, dtype="float64")
        below = np.searchsorted(self.y_sorted, lines, side="left")
        prefix, fixed, total_persons = self.prefix, self.fixed, self.persons
        at = {key: sums[below] for key, sums in prefix.items()}
        positive = lines > 0
        safe_lines = np.where(positive, lines, 1.0)
        log_line = np.log(np.maximum(safe_lines, self.floor))
        gap, severity = _gaps_below(safe_lines, positive, at["n"], at["ny"], at["ny2"])
        gap_after, severity_after = _gaps_below(safe_lines, positive, at["blocked_n"], at["blocked_ny"],
                                                at["blocked_ny2"])
        poor = fixed["poor"] + at["n"]
        persons = fixed["persons"] + at["eligible_n"]
        paid_total = prefix["paid_n"][-1]
        registry_persons = fixed["registry_persons"] + paid_total
        return pd.DataFrame({
            "line": lines,
            "households": (fixed["households"] + np.rint(at["eligible_households"])).astype(np.int64),
            "persons": np.rint(persons).astype(np.int64),
            "cost_year": fixed["cost"] + 12 * (lines * at["eligible_n"] - at["eligible_ny"]),
            "p0_before": _divide(poor, total_persons),
            "p1_before": _divide(fixed["gap"] + gap, total_persons),
            "p2_before": _divide(fixed["severity"] + severity, total_persons),
            "p0_after": _divide(fixed["poor_after"] + at["blocked_n"], total_persons),
            "p1_after": _divide(fixed["gap_after"] + gap_after, total_persons),
            "p2_after": _divide(fixed["severity_after"] + severity_after, total_persons),
            "exclusion_error": _divide(fixed["excluded"] + at["blocked_n"], poor),
            "inclusion_error": _divide(np.full(len(lines), fixed["included"]), persons),
            "coverage": _divide(fixed["covered"] + at["eligible_n"], poor),
            "watts_before": _divide(fixed["watts"] + np.where(positive, log_line * at["n"] - at["nlog"], 0.0),
                                    total_persons),
            "watts_after": _divide(fixed["watts_after"]
                                   + np.where(positive, log_line * at["blocked_n"] - at["blocked_nlog"], 0.0),
                                   total_persons),
            "registry_exclusion_error": _divide(fixed["registry_excluded"] + at["unpaid_n"], poor),
            "registry_inclusion_error": _divide(fixed["registry_included"] + (paid_total - at["paid_n"]),
                                                registry_persons),
        })


def _simulated(region: Region | Prepared, year: int | None, scheme: Scheme | None,
               policy: Policy | None) -> Simulation:
    prepared = region if isinstance(region, Prepared) else prepare(region, year)  # type: ignore[arg-type]
    return simulate(prepared, scheme=scheme, policy=policy)


def sweep(region: Region | Prepared, year: int | None = None, lines: Iterable[float] = (), *,
          line: str | Sequence[str] = "rural_dibao.line", scheme: Scheme | None = None,
          policy: Policy | None = None, floor: float = WATTS_FLOOR) -> pd.DataFrame:
    """The reference figures at each of ``lines`` for the line parameter(s) ``line``.

    Parameters
    ----------
    region : Region or Prepared
        The region (prepared once, cached) or its prepared arrays
        (:class:`~reliefkit.simulate.prepared.Prepared`).
    year : int
        Y (D = 31 December Y); not needed when ``region`` is prepared.
    lines : iterable of float
        Values of the swept line, yuan per person per month.
    line : str or sequence of str
        ``rural_dibao.line``, ``urban_dibao.line``, or both (then both take each value).
    scheme, policy
        What the other parameters are (default: the region's policy as it is).

    Returns
    -------
    pandas.DataFrame
        One row per line: :data:`SWEEP_COLUMNS` — the figures of :func:`reliefkit.simulate.measures.measures`
        at that line, computed from prefix sums (equal to a single evaluation up to
        floating-point rounding).

    Examples
    --------
    >>> from reliefkit.region.region import load_region
    >>> s = sweep(load_region("data/sample"), 2026, [110, 150, 180])
    >>> bool(s["cost_year"].is_monotonic_increasing), s["line"].tolist()
    (True, [110.0, 150.0, 180.0])
    """
    paths = _paths(line)
    sim = _simulated(region, year, scheme, policy)
    return _Sweeper(sim, paths, floor).figures(np.asarray(list(lines), dtype="float64"))


@dataclass(frozen=True)
class BudgetAnswer:
    """The highest line a yearly budget pays for, and what it achieves.

    Attributes
    ----------
    budget : float
        Yearly budget of the minimum living allowance (yuan).
    line : float
        The highest value of the swept line(s) whose yearly cost fits (rounded down to
        ``step`` when one was given).
    cost_year : float
        The yearly cost at that line.
    paths : tuple of str
        The line parameter(s) set.
    figures : dict
        :func:`reliefkit.simulate.measures.measures` of the scheme with that line.
    """

    budget: float
    line: float
    cost_year: float
    paths: tuple[str, ...]
    figures: dict

    def __repr__(self) -> str:
        return (f"BudgetAnswer(budget {self.budget:,.2f} → {' and '.join(self.paths)} = {self.line:,.2f}, "
                f"cost {self.cost_year:,.2f}, P0 {self.figures['p0_before']:.4f} → {self.figures['p0_after']:.4f})")


def budget_line(region: Region | Prepared, year: int | None = None, budget: float = 0.0, *,
                line: str | Sequence[str] = "rural_dibao.line", scheme: Scheme | None = None,
                policy: Policy | None = None, step: float | None = None) -> BudgetAnswer:
    """The highest line whose yearly minimum-living cost fits ``budget``.

    The cost is ``12 × Σ (L − y) × n`` over eligible households with ``y < L`` (plus the
    other area's fixed cost): continuous, piecewise linear and non-decreasing in ``L``, so
    the answer is found exactly between two consecutive incomes.

    Parameters
    ----------
    region : Region or Prepared
        The region or its prepared arrays.
    year : int
        Y (D = 31 December Y); not needed when ``region`` is prepared.
    budget : float
        Yearly budget of the minimum living allowance (yuan).
    line : str or sequence of str
        The line parameter(s) set (as :func:`sweep`).
    scheme, policy
        What the other parameters are (default: the region's policy as it is).
    step : float, optional
        Round the line down to a multiple of ``step``.

    Returns
    -------
    BudgetAnswer

    Raises
    ------
    BudgetLineError
        When even a line of 0 costs more than the budget (the other area alone exceeds
        it), or no household of the swept area can become eligible (the budget never binds).

    Examples
    --------
    >>> from reliefkit.region.region import load_region
    >>> region = load_region("data/sample")
    >>> cost = sweep(region, 2026, [150])["cost_year"][0]
    >>> answer = budget_line(region, 2026, cost)
    >>> bool(abs(answer.line - 150) < 1e-6)
    True
    """
    paths = _paths(line)
    sim = _simulated(region, year, scheme, policy)
    sweeper = _Sweeper(sim, paths, WATTS_FLOOR)
    fixed = sweeper.fixed["cost"]
    if budget < fixed:
        raise BudgetLineError(f"the budget {budget:,.2f} is below the cost {fixed:,.2f} of the households whose "
                              "line is not swept", "raise the budget or sweep both lines", key=", ".join(paths),
                              reason="below_fixed", fixed_cost=fixed)
    ys, prefix = sweeper.y_sorted, sweeper.prefix
    breaks = np.unique(ys[sweeper.passes])  # the incomes at which a household becomes eligible
    if not len(breaks):
        raise BudgetLineError("no household of the swept area can become eligible: the budget never binds",
                              "sweep the other line, or check the asset tests", key=", ".join(paths),
                              reason="never_binds", fixed_cost=fixed)
    below = np.searchsorted(ys, breaks, side="left")
    cost_at = fixed + 12 * (breaks * prefix["eligible_n"][below] - prefix["eligible_ny"][below])  # non-decreasing
    last = max(int(np.searchsorted(cost_at, budget, side="right")) - 1, 0)  # the last break that fits
    upto = np.searchsorted(ys, breaks[last], side="right")  # below any line just above breaks[last]
    found = ((budget - fixed) / 12 + prefix["eligible_ny"][upto]) / prefix["eligible_n"][upto]
    if last + 1 < len(breaks):
        found = min(found, float(breaks[last + 1]))
    found = max(float(found), float(breaks[last]))
    for _ in range(8):  # the closed form may overshoot by a rounding error
        if sweeper.figures(np.array([found]))["cost_year"][0] <= budget:
            break
        found = found * (1 - 4e-16) - 1e-12
    if step:
        found = np.floor(found / step + 1e-9) * step
        if sweeper.figures(np.array([found]))["cost_year"][0] > budget * (1 + 1e-12):
            found -= step
    found = float(found)
    from reliefkit.policy.schemes import scheme_from_mapping

    values = {**(dict(scheme.values) if scheme else {}), **{path: found for path in paths}}
    name = scheme.name if scheme else "budget"
    at = scheme_from_mapping({"name": f"{name} (budget line)", "set": values})
    result = simulate(sim.prepared, scheme=at, policy=policy)
    figures = measures(result)
    if figures["cost_year"] > budget * (1 + 1e-12) + 1e-6:
        raise ReliefkitError("internal: the line found does not fit the budget", "report this as a bug")
    return BudgetAnswer(float(budget), found, float(figures["cost_year"]), paths, figures)

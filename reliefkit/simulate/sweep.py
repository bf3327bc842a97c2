"""The reference figures over a range of lines, and the highest line a budget pays for.

Under the reference calculation every figure is a sum over the households whose ``y`` is
below the line: the poor (P0, P1, P2 before), those who stay poor because they fail the
asset test (P0–P2 after, the exclusion error), the eligible (households, persons, cost).
:func:`sweep` sorts the households of the swept area(s) by ``y`` once, keeps prefix sums
of ``n``, ``n·y``, ``n·y²`` and ``n·ln y`` per kind of household, and reads every line
off them with one ``searchsorted`` — each extra line is nearly free. The other area keeps
its line from the policy and is evaluated once.

:func:`budget_line` inverts the yearly cost, which is piecewise linear and non-decreasing
in the line, exactly: the highest line whose cost fits the budget.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Sequence

import numpy as np
import pandas as pd

from reliefkit.errors import ReliefkitError
from reliefkit.simulate.measures import WATTS_FLOOR, measures
from reliefkit.policy.parameters import Policy
from reliefkit.policy.schemes import Scheme
from reliefkit.simulate.simulation import LINE_PATHS, Base, Simulation, prepare, simulate

if TYPE_CHECKING:  # pragma: no cover
    from reliefkit.region.region import Region

__all__ = ["sweep", "budget_line", "BudgetAnswer", "SWEEP_COLUMNS"]

SWEEP_COLUMNS = ("line", "households", "persons", "cost_year", "p0_before", "p1_before", "p2_before",
                 "p0_after", "p1_after", "p2_after", "exclusion_error", "inclusion_error", "coverage",
                 "watts_before", "watts_after", "registry_exclusion_error", "registry_inclusion_error")


def _paths(line: str | Sequence[str]) -> tuple[str, ...]:
    paths = (line,) if isinstance(line, str) else tuple(line)
    valid = set(LINE_PATHS.values())
    for p in paths:
        if p not in valid:
            raise ReliefkitError(f"cannot sweep {p!r}: only the minimum-living lines are swept",
                                 f"use {' or '.join(sorted(valid))} (or both)", key=p)
    if not paths:
        raise ReliefkitError("no line to sweep", f"give one of {', '.join(sorted(valid))}")
    return paths


def _prefix(x: np.ndarray) -> np.ndarray:
    out = np.empty(len(x) + 1, dtype="float64")
    out[0] = 0.0
    np.cumsum(x, out=out[1:])
    return out


class _Sweeper:
    """Prefix sums over the swept households sorted by ``y``, plus the fixed rest."""

    def __init__(self, sim: Simulation, paths: tuple[str, ...], floor: float) -> None:
        b, a = sim.base, sim.arrays
        areas = [area for area, p in LINE_PATHS.items() if p in paths]
        swept = np.zeros(b.households, dtype=bool)
        for area in areas:
            swept |= b.rural if area == "rural" else ~b.rural
        n = b.n.astype("float64")
        fixed = ~swept
        poor, elig, reg = a["poor"], a["eligible"], b.registry
        z, y = a["z"], b.y
        with np.errstate(divide="ignore", invalid="ignore"):
            g = np.where(poor & fixed, (z - y) / z, 0.0)
            ga = np.where((a["y_after"] < z) & fixed, (z - a["y_after"]) / z, 0.0)
            zf = np.maximum(z, floor)
            w = np.where(poor & fixed, np.log(zf / np.maximum(y, floor)), 0.0)
            wa = np.where((a["y_after"] < z) & fixed, np.log(zf / np.maximum(a["y_after"], floor)), 0.0)
        nf = n * fixed
        self.N = n.sum()
        self.f = {
            "poor": (nf * poor).sum(), "g1": (n * g).sum(), "g2": (n * g * g).sum(),
            "a0": (nf * (a["y_after"] < z)).sum(), "a1": (n * ga).sum(), "a2": (n * ga * ga).sum(),
            "w": (n * w).sum(), "wa": (n * wa).sum(),
            "hh": (fixed & elig).sum(), "pp": (nf * elig).sum(), "cost": 12 * a["dibao"][fixed].sum(),
            "excl": (nf * (poor & ~elig)).sum(), "incl": (nf * (elig & ~poor)).sum(),
            "cov": (nf * (poor & elig)).sum(),
            "rexcl": (nf * (poor & ~reg)).sum(), "rincl": (nf * (reg & ~poor)).sum(), "rp": (nf * reg).sum(),
        }
        so = b.order  # the Base's sort by y, shared with the Gini and the deciles
        take = swept[so]
        ys, ns = b.y_sorted[take], b.n_sorted[take].astype("float64")
        bl, rg = b.blocked[so][take], reg[so][take]
        ok = ~bl
        lny = np.log(np.maximum(ys, floor))
        self.ys, self.ok = ys, ok
        self.c = {"n": _prefix(ns), "ny": _prefix(ns * ys), "ny2": _prefix(ns * ys * ys), "nl": _prefix(ns * lny),
                  "en": _prefix(ns * ok), "eny": _prefix(ns * ys * ok), "ec": _prefix(ok.astype("float64")),
                  "bn": _prefix(ns * bl), "bny": _prefix(ns * ys * bl), "bny2": _prefix(ns * ys * ys * bl),
                  "bnl": _prefix(ns * lny * bl), "rn": _prefix(ns * ~rg), "qn": _prefix(ns * rg)}
        self.floor = floor

    def figures(self, lines: np.ndarray) -> pd.DataFrame:
        L = np.asarray(lines, dtype="float64")
        k = np.searchsorted(self.ys, L, side="left")
        c, f, N = self.c, self.f, self.N
        at = {key: v[k] for key, v in c.items()}
        pos = L > 0
        Ls = np.where(pos, L, 1.0)
        lnL = np.log(np.maximum(Ls, self.floor))

        def fgt(cn: np.ndarray, cny: np.ndarray, cny2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            g1 = np.where(pos, (Ls * cn - cny) / Ls, 0.0)
            g2 = np.where(pos, (Ls * Ls * cn - 2 * Ls * cny + cny2) / (Ls * Ls), 0.0)
            return g1, g2

        g1, g2 = fgt(at["n"], at["ny"], at["ny2"])
        b1, b2 = fgt(at["bn"], at["bny"], at["bny2"])
        poor = f["poor"] + at["n"]
        persons = f["pp"] + at["en"]
        reg_persons = f["rp"] + c["qn"][-1]

        def div(a: np.ndarray, d: np.ndarray | float) -> np.ndarray:
            d = np.broadcast_to(np.asarray(d, dtype="float64"), np.shape(a))
            return np.where(d != 0, a / np.where(d != 0, d, 1), 0.0)

        out = pd.DataFrame({
            "line": L,
            "households": (f["hh"] + np.rint(at["ec"])).astype(np.int64),
            "persons": np.rint(persons).astype(np.int64),
            "cost_year": f["cost"] + 12 * (L * at["en"] - at["eny"]),
            "p0_before": div(poor, N), "p1_before": div(f["g1"] + g1, N), "p2_before": div(f["g2"] + g2, N),
            "p0_after": div(f["a0"] + at["bn"], N), "p1_after": div(f["a1"] + b1, N),
            "p2_after": div(f["a2"] + b2, N),
            "exclusion_error": div(f["excl"] + at["bn"], poor),
            "inclusion_error": div(np.full(len(L), f["incl"]), persons),
            "coverage": div(f["cov"] + at["en"], poor),
            "watts_before": div(f["w"] + np.where(pos, lnL * at["n"] - at["nl"], 0.0), N),
            "watts_after": div(f["wa"] + np.where(pos, lnL * at["bn"] - at["bnl"], 0.0), N),
            "registry_exclusion_error": div(f["rexcl"] + at["rn"], poor),
            "registry_inclusion_error": div(f["rincl"] + (c["qn"][-1] - at["qn"]), reg_persons),
        })
        return out


def _base_and_sim(region: Region | Base, year: int | None, scheme: Scheme | None,
                  policy: Policy | None) -> Simulation:
    base = region if isinstance(region, Base) else prepare(region, year)  # type: ignore[arg-type]
    return simulate(base, scheme=scheme, policy=policy)


def sweep(region: Region | Base, year: int | None = None, lines: Iterable[float] = (), *,
          line: str | Sequence[str] = "rural_dibao.line", scheme: Scheme | None = None,
          policy: Policy | None = None, floor: float = WATTS_FLOOR) -> pd.DataFrame:
    """The reference figures at each of ``lines`` for the line parameter(s) ``line``.

    Parameters
    ----------
    region : Region or Base
        The region (prepared once, cached) or a prepared :class:`~reliefkit.simulate.simulation.Base`.
    year : int
        Y (D = 31 December Y); not needed with a Base.
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
    sim = _base_and_sim(region, year, scheme, policy)
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


def budget_line(region: Region | Base, year: int | None = None, budget: float = 0.0, *,
                line: str | Sequence[str] = "rural_dibao.line", scheme: Scheme | None = None,
                policy: Policy | None = None, step: float | None = None) -> BudgetAnswer:
    """The highest line whose yearly minimum-living cost fits ``budget``.

    The cost is ``12 × Σ (L − y) × n`` over eligible households with ``y < L`` (plus the
    other area's fixed cost): continuous, piecewise linear and non-decreasing in ``L``, so
    the answer is found exactly between two consecutive incomes.

    Raises
    ------
    ReliefkitError
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
    sim = _base_and_sim(region, year, scheme, policy)
    sw = _Sweeper(sim, paths, WATTS_FLOOR)
    fixed = sw.f["cost"]
    if budget < fixed:
        raise ReliefkitError(f"the budget {budget:,.2f} is below the cost {fixed:,.2f} of the households whose "
                             "line is not swept", "raise the budget or sweep both lines", key=", ".join(paths))
    ys, c = sw.ys, sw.c
    breaks = np.unique(ys[sw.ok])  # the incomes at which a household becomes eligible
    if not len(breaks):
        raise ReliefkitError("no household of the swept area can become eligible: the budget never binds",
                             "sweep the other line, or check the asset tests", key=", ".join(paths))
    k = np.searchsorted(ys, breaks, side="left")
    cost_at = fixed + 12 * (breaks * c["en"][k] - c["eny"][k])  # non-decreasing; cost_at[0] == fixed
    j = max(int(np.searchsorted(cost_at, budget, side="right")) - 1, 0)
    kk = np.searchsorted(ys, breaks[j], side="right")  # below any line just above breaks[j]
    L = ((budget - fixed) / 12 + c["eny"][kk]) / c["en"][kk]
    if j + 1 < len(breaks):
        L = min(L, float(breaks[j + 1]))
    L = max(float(L), float(breaks[j]))
    for _ in range(8):  # the closed form may overshoot by a rounding error
        if sw.figures(np.array([L]))["cost_year"][0] <= budget:
            break
        L = L * (1 - 4e-16) - 1e-12
    if step:
        L = np.floor(L / step + 1e-9) * step
        if sw.figures(np.array([L]))["cost_year"][0] > budget * (1 + 1e-12):
            L -= step
    L = float(L)
    from reliefkit.policy.schemes import scheme_from_mapping

    values = {**(dict(scheme.values) if scheme else {}), **{p: L for p in paths}}
    name = scheme.name if scheme else "budget"
    at = scheme_from_mapping({"name": f"{name} (budget line)", "set": values})
    result = simulate(sim.base, scheme=at, policy=policy)
    figures = measures(result)
    if figures["cost_year"] > budget * (1 + 1e-12) + 1e-6:
        raise ReliefkitError("internal: the line found does not fit the budget", "report this as a bug")
    return BudgetAnswer(float(budget), L, float(figures["cost_year"]), paths, figures)

"""Tables behind the scheme comparison notebook (``notebooks/02-compare-schemes.ipynb``).

Each function turns a :class:`~reliefkit.simulate.compare.Comparison` (or a sweep of the line)
into one table a person reads — labelled in the notebook's language, sorted, numbers
rounded — and :func:`write_workbook` writes every table, unrounded, to one XLSX file.

- *gap removed*: ``100 × (P1 before − P1 after)``, percentage points of the poverty-gap
  index, each scheme measured against its own lines (a higher line finds more poverty
  and removes more of it);
- *persons lifted to the line*: ``(P0 before − P0 after) × persons in scope``;
- the *sweep* varies the rural line from :data:`SWEEP_FROM` to :data:`SWEEP_TO` times
  its value in force on D, the other parameters as in the policy;
- the *budget* is, unless given, what the ledger paid in the year for the minimum living
  allowance (rural + urban): the highest rural line the reference calculation could pay
  with it (the urban line kept).

Examples
--------
>>> from reliefkit.region.region import load_region
>>> from reliefkit.simulate.compare import compare
>>> c = compare(load_region("data/sample"), 2026, [{"name": "Rural 180", "set": {"rural_dibao.line": 180}}])
>>> summary_table(c, "en").loc["Yearly cost (yuan)"].tolist()
['2,047,214.00', '2,607,898.00']
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from reliefkit.errors import ReliefkitError
from reliefkit.text.words import word

if TYPE_CHECKING:  # pragma: no cover
    from reliefkit.region.region import Region
    from reliefkit.simulate.compare import Comparison
    from reliefkit.simulate.sweep import BudgetAnswer

__all__ = ["SUMMARY_ROWS", "SWEEP_FROM", "SWEEP_TO", "SWEEP_POINTS", "summary_table", "cost_vs_poverty",
           "fgt_table", "errors_table", "incidence_table", "winners_table", "sweep_lines", "sweep_table",
           "Budget", "budget", "budget_table", "write_workbook"]

#: the rows of the summary table and how each is printed
SUMMARY_ROWS = (
    ("households", "count"), ("persons", "count"), ("cost_year", "money"), ("cost_change", "money"),
    ("line_rural", "money"), ("line_urban", "money"),
    ("p0_before", "percent"), ("p0_after", "percent"), ("p1_before", "index"), ("p1_after", "index"),
    ("p2_before", "index"), ("p2_after", "index"),
    ("exclusion_error", "percent"), ("inclusion_error", "percent"),
    ("registry_exclusion_error", "percent"), ("registry_inclusion_error", "percent"),
    ("cost_year_all", "money"), ("households_gaining", "count"), ("households_losing", "count"),
)
SWEEP_FROM, SWEEP_TO, SWEEP_POINTS = 0.5, 2.0, 31
_FORMATS = {"count": "{:,.0f}", "money": "{:,.2f}", "percent": "{:.2%}", "index": "{:.4f}"}


def _m(key: str, lang: str) -> str:
    return word("measure", key, lang)


def _col(key: str, lang: str) -> str:
    return word("column", key, lang)


def summary_table(c: Comparison, lang: str = "zh") -> pd.DataFrame:
    """The key figures (rows) of every scheme (columns, the baseline first), as text."""
    s = c.summary
    data = {name: [_FORMATS[kind].format(s.loc[i, key]) for key, kind in SUMMARY_ROWS]
            for i, name in enumerate(s["name"])}
    out = pd.DataFrame(data, index=[_m(k, lang) for k, _ in SUMMARY_ROWS])
    out.index.name = _col("measure", lang)
    out.columns.name = _col("scheme", lang)
    return out


def cost_vs_poverty(c: Comparison, lang: str = "zh") -> pd.DataFrame:
    """Per scheme: yearly cost, its change against the baseline, the gap removed, the
    persons lifted to the line and the cost per point of gap removed."""
    s = c.summary
    gap = 100 * (s["p1_before"] - s["p1_after"])
    lifted = np.rint((s["p0_before"] - s["p0_after"]) * s["persons_in_scope"]).astype("int64")
    out = pd.DataFrame({
        _col("scheme", lang): s["name"],
        _m("cost_year", lang): s["cost_year"].round(2),
        _m("cost_change", lang): s["cost_change"].round(2),
        _m("gap_removed", lang): gap.round(4),
        _m("poor_lifted", lang): lifted,
        _m("cost_per_gap_point", lang): s["cost_per_gap_point"].round(2),
    })
    return out.set_index(_col("scheme", lang))


def fgt_table(c: Comparison, lang: str = "zh") -> pd.DataFrame:
    """FGT P0, P1, P2 before and after, one row per scheme."""
    cols = ["p0_before", "p0_after", "p1_before", "p1_after", "p2_before", "p2_after"]
    out = c.summary.set_index("name")[cols].round(6)
    out.columns = [_m(k, lang) for k in cols]
    out.index.name = _col("scheme", lang)
    return out


def errors_table(c: Comparison, lang: str = "zh") -> pd.DataFrame:
    """Exclusion and inclusion errors of the rule under each scheme, and of the actual registry."""
    cols = ["exclusion_error", "inclusion_error", "registry_exclusion_error", "registry_inclusion_error"]
    out = c.summary.set_index("name")[cols].round(6)
    out.columns = [_m(k, lang) for k in cols]
    out.index.name = _col("scheme", lang)
    return out


def incidence_table(c: Comparison, lang: str = "zh") -> pd.DataFrame:
    """Share of each scheme's minimum-living allowance reaching each income decile
    (deciles of per-capita income before transfers, person-weighted)."""
    d = c.breakdowns["decile"]
    out = d.pivot(index="decile", columns="scheme", values="benefit_share").reindex(columns=c.names).round(6)
    out.index.name = _col("decile", lang)
    out.columns.name = _col("scheme", lang)
    return out


def winners_table(c: Comparison, lang: str = "zh") -> pd.DataFrame:
    """Households per band of yearly change against the baseline (rows) and scheme (columns)."""
    w = c.winners_losers
    if w.empty:
        return pd.DataFrame(index=pd.Index([], name=_col("band", lang)))
    bands = list(dict.fromkeys(w["band"]))
    out = w.pivot(index="band", columns="scheme", values="households").reindex(index=bands, columns=c.names[1:])
    out.index.name = _col("band", lang)
    out.columns.name = _col("scheme", lang)
    return out.astype("int64")


def _rural_line(region: Region, year: int) -> float:
    import datetime as dt

    return float(region.policy.value("rural_dibao.line", dt.date(year, 12, 31)))


def sweep_lines(region: Region, year: int) -> np.ndarray:
    """:data:`SWEEP_POINTS` rural lines from :data:`SWEEP_FROM` to :data:`SWEEP_TO` times
    the one in force on D, rounded to the fen."""
    line = _rural_line(region, year)
    return np.round(np.linspace(SWEEP_FROM * line, SWEEP_TO * line, SWEEP_POINTS), 2)


def sweep_table(region: Region, year: int) -> pd.DataFrame:
    """The reference figures at each line of :func:`sweep_lines` (:func:`reliefkit.simulate.sweep.sweep`)."""
    from reliefkit.simulate.sweep import sweep

    return sweep(region, year, sweep_lines(region, year)).round(6)


@dataclass(frozen=True)
class Budget:
    """The budget asked about and the answer (None when the budget cannot pay even the
    households whose line is not swept; ``problem`` then says why)."""

    amount: float
    answer: BudgetAnswer | None
    problem: str = ""

    @property
    def line(self) -> float | None:
        """The rural line the budget pays for, or None."""
        return self.answer.line if self.answer is not None else None


def budget(region: Region, year: int, amount: float | None = None) -> Budget:
    """The highest rural line a yearly budget pays for (default: what the ledger paid
    for the minimum living allowance in the year)."""
    from reliefkit.figures.facts import facts
    from reliefkit.simulate.sweep import budget_line

    if amount is None:
        f = facts(region, year)
        amount = round(f["rural_dibao.paid"] + f["urban_dibao.paid"], 2)
    try:
        return Budget(float(amount), budget_line(region, year, amount, step=0.01))
    except ReliefkitError as e:
        return Budget(float(amount), None, str(e))


def budget_table(b: Budget, lang: str = "zh") -> pd.DataFrame:
    """The budget, the line it pays for and the cost at that line (one column)."""
    a = b.answer
    rows = {_m("budget", lang): f"{b.amount:,.2f}",
            _m("line", lang): f"{a.line:,.2f}" if a else b.problem,
            _m("budget_cost", lang): f"{a.cost_year:,.2f}" if a else ""}
    if a:
        for key in ("p0_before", "p0_after", "exclusion_error"):
            rows[_m(key, lang)] = f"{a.figures[key]:.2%}"
    out = pd.DataFrame({_col("value", lang): rows})
    out.index.name = _col("measure", lang)
    return out


def write_workbook(c: Comparison, path: str | Path, *, sweep: pd.DataFrame | None = None,
                   budget: Budget | None = None) -> Path:  # noqa: F811 - the argument shadows budget()
    """Every table of the comparison (:meth:`~reliefkit.simulate.compare.Comparison.tables`), the
    sweep and the budget answer, unrounded, one sheet each; the file's dates are fixed, so
    equal tables give equal bytes."""
    from reliefkit.safety.writers import write_xlsx  # escaped, atomic, deterministic

    sheets = dict(c.tables())
    if sweep is not None:
        sheets["sweep"] = sweep
    if budget is not None:
        a = budget.answer
        row = {"budget": budget.amount, "line": a.line if a else None,
               "cost_year": a.cost_year if a else None, "paths": ", ".join(a.paths) if a else "",
               "problem": budget.problem}
        if a:
            row.update({k: v for k, v in a.figures.items() if k != "name"})
        sheets["budget"] = pd.DataFrame([row])
    return write_xlsx(sheets, path)

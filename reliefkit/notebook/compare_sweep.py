"""Notebook 02's rural-line sweep and budget (:mod:`reliefkit.simulate.sweep`).

- the *sweep* varies the rural line from :data:`SWEEP_FROM` to :data:`SWEEP_TO` times
  its value in force on D, the other parameters as in the policy;
- the *budget* is, unless given, what the ledger paid in the year for the minimum living
  allowance (rural + urban); it is compared with the rule's full-year cost of topping up
  every eligible household on D to the line, and the answer is the highest rural line that
  cost fits (the urban line kept) — :func:`budget_note` says so in words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from reliefkit.notebook.compare_tables import _cells, _col, _m, _money
from reliefkit.text.formatting import Formatter
from reliefkit.text.words import compare_word

if TYPE_CHECKING:  # pragma: no cover
    from reliefkit.region.region import Region
    from reliefkit.simulate.sweep import BudgetAnswer

__all__ = ["SWEEP_FROM", "SWEEP_TO", "SWEEP_POINTS", "sweep_lines", "sweep_table", "sweep_view", "Budget", "budget",
           "budget_table", "budget_note"]

SWEEP_FROM, SWEEP_TO, SWEEP_POINTS = 0.5, 2.0, 31
#: how each sweep column is printed
_SWEEP_KINDS = {"line": "money", "households": "count", "persons": "count", "cost_year": "money",
                "exclusion_error": "percent", "inclusion_error": "percent", "coverage": "percent",
                "p0_before": "percent", "p0_after": "percent", "registry_exclusion_error": "percent",
                "registry_inclusion_error": "percent"}


def _rural_line(region: Region, year: int) -> float:
    import datetime as dt

    return float(region.policy.value("rural_dibao.line", dt.date(year, 12, 31)))


def sweep_lines(region: Region, year: int) -> np.ndarray:
    """:data:`SWEEP_POINTS` rural lines from :data:`SWEEP_FROM` to :data:`SWEEP_TO` times
    the one in force on D, rounded to the fen."""
    line = _rural_line(region, year)
    return np.round(np.linspace(SWEEP_FROM * line, SWEEP_TO * line, SWEEP_POINTS), 2)


def sweep_table(region: Region, year: int) -> pd.DataFrame:
    """The reference figures at each line of :func:`sweep_lines` (:func:`reliefkit.simulate.sweep.sweep`),
    as numbers (what the workbook and the chart take; :func:`sweep_view` is the table shown)."""
    from reliefkit.simulate.sweep import sweep

    return sweep(region, year, sweep_lines(region, year)).round(6)


def sweep_view(sweep: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The sweep as a table a person reads: columns in ``lang``, numbers formatted (shares
    as %, the other indices with 4 decimals)."""
    out = pd.DataFrame({compare_word("sweep", col, lang): _cells(sweep[col], _SWEEP_KINDS.get(col, "index"), lang)
                        for col in sweep.columns})
    return out.set_index(compare_word("sweep", "line", lang))


@dataclass(frozen=True)
class Budget:
    """The budget asked about and the answer (None when the budget cannot pay even the
    households whose line is not swept; ``problem`` then says why).

    ``from_ledger``: the amount is what the ledger paid in the year for the allowance;
    ``line_now`` and ``cost_now``: the rural line in force and the rule's full-year cost at it."""

    amount: float
    answer: BudgetAnswer | None
    problem: str = ""
    from_ledger: bool = False
    line_now: float | None = None
    cost_now: float | None = None
    reason: str = ""
    fixed_cost: float | None = None

    def problem_text(self, lang: str = "zh") -> str:
        """Why there is no answer, in ``lang`` ("" when there is one)."""
        if self.answer is not None:
            return ""
        if not self.reason:
            return self.problem
        return compare_word("note", f"budget_{self.reason}", lang).format(
            budget=_money(self.amount, lang), fixed=_money(self.fixed_cost or 0.0, lang))

    @property
    def line(self) -> float | None:
        """The rural line the budget pays for, or None."""
        return self.answer.line if self.answer is not None else None


def budget(region: Region, year: int, amount: float | None = None) -> Budget:
    """The highest rural line a yearly budget pays for (default: what the ledger paid
    for the minimum living allowance in the year), compared with the rule's full-year cost."""
    from reliefkit.figures.facts import facts
    from reliefkit.simulate.sweep import BudgetLineError, budget_line, sweep

    from_ledger = amount is None
    if amount is None:
        f = facts(region, year)
        amount = round(f["rural_dibao.paid"] + f["urban_dibao.paid"], 2)
    line_now = _rural_line(region, year)
    cost_now = float(sweep(region, year, [line_now])["cost_year"][0])
    try:
        return Budget(float(amount), budget_line(region, year, amount, step=0.01), "", from_ledger, line_now, cost_now)
    except BudgetLineError as e:
        return Budget(float(amount), None, str(e), from_ledger, line_now, cost_now, e.reason, e.fixed_cost)
    except ReliefkitError as e:
        return Budget(float(amount), None, str(e), from_ledger, line_now, cost_now)


def budget_table(b: Budget, lang: str = "zh") -> pd.DataFrame:
    """The budget, the line it pays for and the cost at that line, what it is compared
    with, and the line in force with its cost (one column)."""
    a = b.answer
    f = Formatter(lang)
    rows = {_m("budget", lang): f.cell(b.amount, "money"),
            _m("line", lang): f.cell(a.line, "money") if a else b.problem_text(lang),
            _m("budget_cost", lang): f.cell(a.cost_year, "money") if a else "",
            _m("budget_source", lang): _m("budget_from_ledger" if b.from_ledger else "budget_given", lang),
            _m("compared_with", lang): _m("compared_with_text", lang),
            _m("line_now", lang): f.cell(b.line_now, "money"),
            _m("cost_now", lang): f.cell(b.cost_now, "money")}
    if a:
        for key in ("p0_before", "p0_after", "exclusion_error"):
            rows[_m(key, lang)] = f.cell(a.figures[key], "percent")
    out = pd.DataFrame({_col("value", lang): rows})
    out.index.name = _col("measure", lang)
    return out


def budget_note(b: Budget, lang: str = "zh") -> str:
    """What the budget is compared with and what its line means, in words."""
    source = _m("budget_from_ledger" if b.from_ledger else "budget_given", lang)
    money = lambda v: _money(v, lang)  # noqa: E731
    if b.answer is None:
        return compare_word("note", "budget_problem", lang).format(budget=money(b.amount), source=source,
                                                                   problem=b.problem_text(lang))
    return compare_word("note", "budget", lang).format(
        budget=money(b.amount), source=source, compared_with=_m("compared_with_text", lang),
        line_now=money(b.line_now), cost_now=money(b.cost_now), line=money(b.answer.line))

"""The dashboard's scheme playground: move a line, see what it costs and whom it reaches.

Sliders for the rural and urban minimum-living lines, the marginal-household threshold
and allowance and the special-hardship standard, a scope (the region or one district)
and a yearly budget. Every change simulates the scheme once on the scope's prepared
arrays (:func:`reliefkit.simulate.simulation.simulate`, :func:`reliefkit.simulate.measures.measures`
and :func:`reliefkit.simulate.compare.winners_losers`: the functions ``reliefkit compare``
calls, so the figures shown are compare's figures) and reads the curve of the rural
line off :func:`reliefkit.simulate.sweep.sweep`, kept per scope and per value of the
other sliders: moving the rural line redraws the point on a curve already computed.
The budget box asks :func:`reliefkit.simulate.sweep.budget_line` for the highest rural
line the budget pays for under the other sliders' values.

The sliders' ranges are :data:`~reliefkit.notebook.compare_sweep.SWEEP_FROM` to
:data:`~reliefkit.notebook.compare_sweep.SWEEP_TO` times the value in force on D (a
display range, not a rule); an allowance of 0 in force ranges up to the rural line.

Examples
--------
>>> from reliefkit.notebook.parameters import check_parameters
>>> pg = Playground(check_parameters(region_dir="data/sample", year=2026, lang="en").region, 2026, "en")
>>> pg.set(**{"rural_dibao.line": 180})
>>> pg.figures["cost_year"], pg.figures["line_rural"]
(2607898.0, 180.0)
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import ipywidgets as w
import numpy as np
import pandas as pd

from reliefkit.errors import ReliefkitError
from reliefkit.notebook.compare_charts import sweep_chart
from reliefkit.notebook.compare_sweep import SWEEP_FROM, SWEEP_TO, Budget, budget_table
from reliefkit.notebook.compare_tables import summary_table, winners_table
from reliefkit.policy.schemes import Scheme, scheme_from_mapping
from reliefkit.report.style import png
from reliefkit.simulate.compare import Comparison, winners_losers
from reliefkit.simulate.measures import measures
from reliefkit.simulate.prepared import Prepared, prepare
from reliefkit.simulate.simulation import Simulation, simulate
from reliefkit.simulate.sweep import BudgetLineError, budget_line, sweep
from reliefkit.text.words import word

if TYPE_CHECKING:  # pragma: no cover
    from reliefkit.region.region import Region

__all__ = ["Playground", "PARAMETERS", "slider_range"]

#: the parameters the playground sets: path, words key, slider step
PARAMETERS = (
    ("rural_dibao.line", "rural_line", 1.0),
    ("urban_dibao.line", "urban_line", 1.0),
    ("marginal.income_ratio", "marginal_ratio", 0.05),
    ("marginal.allowance", "marginal_allowance", 5.0),
    ("tekun.basic_ratio", "tekun_ratio", 0.05),
)
RURAL = PARAMETERS[0][0]
#: the scope selectors' value for the whole region (not None: ipywidgets turns a None value into no selection)
ALL = ""


def _d(key: str, lang: str) -> str:
    return word("dashboard", key, lang)


def slider_range(value: float, step: float, ceiling: float) -> tuple[float, float]:
    """A slider's (min, max): :data:`SWEEP_FROM` to :data:`SWEEP_TO` times ``value``
    on the grid of ``step``; 0 to ``ceiling`` for a value of 0.

    Examples
    --------
    >>> slider_range(150, 1.0, 150), slider_range(0, 5.0, 150)
    ((75.0, 300.0), (0.0, 150.0))
    """
    if value <= 0:
        return 0.0, float(np.floor(ceiling / step) * step)
    lo = float(np.floor(value * SWEEP_FROM / step) * step)
    hi = float(np.ceil(value * SWEEP_TO / step) * step)
    return round(lo, 6), round(hi, 6)


class Playground(w.VBox):
    """The scheme playground widget.

    ``.set(**{path: value})`` and ``.select(district)`` change it from code; after every
    change ``.figures`` holds the scheme's :func:`~reliefkit.simulate.measures.measures`,
    ``.comparison`` the baseline and the scheme as a
    :class:`~reliefkit.simulate.compare.Comparison` (summary and winners and losers; no
    breakdowns), ``.curve`` the sweep of the rural line and ``.budget`` the budget's answer.

    Parameters
    ----------
    region : Region
        The whole region (the scope selector offers it and each of its districts).
    year : int
    lang : {"zh", "en"}

    Examples
    --------
    >>> from reliefkit.region.region import load_region
    >>> pg = Playground(load_region("data/sample"), 2026)
    >>> pg.figures["cost_year"] == pg.baseline_figures["cost_year"]
    True
    """

    def __init__(self, region: Region, year: int, lang: str = "zh") -> None:
        self.region, self.year, self.lang = region, year, lang
        self._holding = False
        self._curves: dict[tuple, pd.DataFrame] = {}
        self._baselines: dict[str | None, tuple[Simulation, dict]] = {}
        self._prepared: dict[str | None, Prepared] = {}
        day = dt.date(year, 12, 31)
        self.policy_values = {path: float(region.policy.value(path, day)) for path, _, _ in PARAMETERS}
        style = {"description_width": "initial"}
        self._scope = w.Dropdown(options=[(word("explorer", "all", lang), ALL)] + [(d, d) for d in region.districts],
                                 index=0, description=word("explorer", "district", lang), style=style)
        self._sliders: dict[str, w.FloatSlider] = {}
        for path, key, step in PARAMETERS:
            value = self.policy_values[path]
            lo, hi = slider_range(value, step, self.policy_values[RURAL])
            self._sliders[path] = w.FloatSlider(value=value, min=lo, max=hi, step=step, description=_d(key, lang),
                                                continuous_update=False, readout_format=".2f" if step < 1 else ".0f",
                                                style=style, layout=w.Layout(width="48%"))
            self._sliders[path].add_class(f"reliefkit-{key}")
        self._budget = w.FloatText(value=self._ledger_budget(None), description=_d("budget", lang), step=10000.0,
                                   style=style, layout=w.Layout(width="48%"))
        self._reset = w.Button(description=_d("reset", lang), layout=w.Layout(width="auto"))
        self._summary = w.HTML(layout=w.Layout(width="100%"))
        self._answer = w.HTML()
        self._winners = w.HTML()
        self._chart = w.Image(format="png", layout=w.Layout(width="100%", max_width="1100px"))
        for widget, name in ((self._summary, "summary"), (self._answer, "budget"), (self._winners, "winners")):
            widget.add_class(f"reliefkit-playground-{name}")  # what the browser tests read
        self._scope.observe(self._scope_changed, names="value")
        for control in (*self._sliders.values(), self._budget):
            control.observe(self._update, names="value")
        self._reset.on_click(lambda _: self.set(**self.policy_values))
        sliders = list(self._sliders.values())
        super().__init__([
            w.HBox([self._scope, self._reset]),
            w.HBox(sliders[:2]), w.HBox(sliders[2:4]), w.HBox([sliders[4], self._budget]),
            w.HBox([self._summary], layout=w.Layout(width="100%")),
            w.HBox([self._answer, self._winners]),
            self._chart,
        ])
        self._update()

    # ---------------------------------------------------------------- state
    def _ledger_budget(self, district: str | None) -> float:
        """What the ledger paid in the year for the allowance (rural + urban) in a scope:
        the budget box's value until someone types another."""
        from reliefkit.figures.facts import facts

        f = facts(self.region, self.year, district=district)
        return round(f["rural_dibao.paid"] + f["urban_dibao.paid"], 2)

    def _scope_changed(self, change: Any) -> None:
        """A new scope: the ledger's budget of that scope, unless another was typed."""
        old, new = (v or None for v in (change["old"], change["new"]))
        if abs(float(self._budget.value) - self._ledger_budget(old)) < 0.005:
            self._holding = True
            try:
                self._budget.value = self._ledger_budget(new)
            finally:
                self._holding = False
        self._update()

    @property
    def values(self) -> dict[str, float]:
        """The parameter values the sliders set, by path."""
        return {path: float(s.value) for path, s in self._sliders.items()}

    def scheme(self) -> Scheme:
        """The scheme of the sliders' values (every playground parameter set)."""
        return scheme_from_mapping({"name": _d("scheme", self.lang), "set": self.values})

    @property
    def district(self) -> str | None:
        """The district the playground compares in (None: the whole region)."""
        return self._scope.value or None

    def prepared(self) -> Prepared:
        """The scope's prepared arrays (prepared once per scope: a district's view is a new
        Region each time it is asked for, and the baseline must share its arrays)."""
        key = self.district
        if key not in self._prepared:
            scope = self.region if key is None else self.region.district(key)
            self._prepared[key] = prepare(scope, self.year)
        return self._prepared[key]

    def set(self, **values: float) -> None:
        """Set sliders by parameter path (one update for all of them)."""
        unknown = sorted(set(values) - set(self._sliders))
        if unknown:
            raise ReliefkitError(f"the playground has no slider for {', '.join(unknown)}",
                                 f"use one of {', '.join(self._sliders)}")
        self._holding = True
        try:
            for path, value in values.items():
                s = self._sliders[path]
                if not s.min <= value <= s.max:
                    raise ReliefkitError(f"{path} = {value} is outside the slider ({s.min} … {s.max})",
                                         "choose a value inside the range", key=path)
                s.value = value
        finally:
            self._holding = False
        self._update()

    def select(self, district: str | None) -> None:
        """Set the scope: a district, or None for the whole region."""
        if district is not None and district not in self.region.districts:
            raise ReliefkitError(f"{district!r} is not a district", f"use one of {', '.join(self.region.districts)}")
        self._scope.value = district or ALL

    # ---------------------------------------------------------------- figures
    def _curve(self, prepared: Prepared, scheme: Scheme) -> pd.DataFrame:
        """The sweep of the rural line over the slider's grid, the other sliders as set."""
        others = tuple(v for path, v in self.values.items() if path != RURAL)
        key = (self.district, others)
        if key not in self._curves:
            s = self._sliders[RURAL]
            lines = np.round(np.arange(s.min, s.max + s.step / 2, s.step), 6)
            self._curves[key] = sweep(prepared, lines=lines, scheme=scheme)
        return self._curves[key]

    def _budget_answer(self, prepared: Prepared, scheme: Scheme) -> Budget:
        """What :func:`~reliefkit.notebook.compare_sweep.budget` answers, under the sliders'
        other values: the highest rural line the budget pays for, beside the line in force and
        the rule's cost at it (the baseline's)."""
        amount = float(self._budget.value)
        known = {"from_ledger": abs(amount - self._ledger_budget(self.district)) < 0.005,
                 "line_now": self.policy_values[RURAL], "cost_now": float(self._baseline(prepared)[1]["cost_year"])}
        try:
            return Budget(amount, budget_line(prepared, budget=amount, scheme=scheme, step=0.01), **known)
        except BudgetLineError as e:
            return Budget(amount, None, str(e), reason=e.reason, fixed_cost=e.fixed_cost, **known)
        except ReliefkitError as e:
            return Budget(amount, None, str(e), **known)

    def _baseline(self, prepared: Prepared) -> tuple[Simulation, dict]:
        """The baseline's simulation and measures of a scope (computed once per scope)."""
        key = self.district
        if key not in self._baselines:
            base = simulate(prepared)
            self._baselines[key] = (base, measures(base))
        return self._baselines[key]

    def _comparison(self, prepared: Prepared, scheme: Scheme) -> Comparison:
        base, base_row = self._baseline(prepared)
        sim = simulate(prepared, scheme=scheme)
        rows = [dict(base_row), measures(sim)]
        bands = winners_losers(sim, base)
        gains = bands["band"].str.startswith("gains")
        loses = bands["band"].str.startswith("loses")
        for row, wl in zip(rows, (None, bands)):
            row["cost_change"] = row["cost_year"] - rows[0]["cost_year"]
            row["households_gaining"] = 0 if wl is None else int(wl.loc[gains, "households"].sum())
            row["households_losing"] = 0 if wl is None else int(wl.loc[loses, "households"].sum())
        empty = pd.DataFrame()
        return Comparison(year=self.year, scope=self.district or "region", summary=pd.DataFrame(rows),
                          breakdowns={}, programmes=empty, winners_losers=bands, parameters=empty,
                          simulations=(base, sim))

    def _update(self, change: Any = None) -> None:
        if self._holding:
            return
        prepared, scheme, lang = self.prepared(), self.scheme(), self.lang
        # the figures first (each widget's new value reaches the page as soon as it is set), the chart last
        self.comparison = self._comparison(prepared, scheme)
        self.baseline_figures, self.figures = self.comparison.summary.to_dict("records")
        self._summary.value = summary_table(self.comparison, lang).to_html()
        self._winners.value = winners_table(self.comparison, lang).to_html()
        self.budget = self._budget_answer(prepared, scheme)
        self._answer.value = budget_table(self.budget, lang).to_html()
        self.curve = self._curve(prepared, scheme)
        self._chart.value = png(sweep_chart(self.curve, self.comparison.summary, self.budget.line, lang))

    def tables(self) -> dict[str, pd.DataFrame]:
        """What a download of the playground holds: the summary, winners and losers, the
        sweep of the rural line and the budget's answer, unrounded."""
        a = self.budget.answer
        budget = pd.DataFrame([{"budget": self.budget.amount, "line": a.line if a else None,
                                "cost_year": a.cost_year if a else None, "problem": self.budget.problem}])
        params = pd.DataFrame([{"parameter": k, "value": v, "in_force": self.policy_values[k]}
                               for k, v in self.values.items()])
        return {"summary": self.comparison.summary, "winners_losers": self.comparison.winners_losers,
                "sweep": self.curve, "budget": budget, "parameters": params}

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v:g}" for k, v in self.values.items())
        return (f"Playground({self._scope.label}: {shown}; cost {self.figures['cost_year']:,.2f}, "
                f"persons {self.figures['persons']:,})")

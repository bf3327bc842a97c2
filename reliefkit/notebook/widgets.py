"""The interactive household explorer for JupyterLab (ipywidgets).

Dropdowns for district, programme, main cause and age band and a range slider for
per-capita monthly income select persons alive on 31 December; the counts, a masked
table and the charts below them update on every change. Everything is computed by
:mod:`reliefkit.notebook.explore_tables` and drawn by :mod:`reliefkit.notebook.explore_charts`: the explorer adds
no figure of its own, so what it shows for "all" is what the notebook's static tables say.

Only notebooks import this module (never the core).

Examples
--------
>>> from reliefkit.notebook.parameters import check_parameters
>>> e = explorer(check_parameters(region_dir="data/sample", year=2026, lang="en"))
>>> e
Explorer(6,830 persons; district=All, programme=All, cause=All, age band=All)
>>> e.select(programme="covered", age_band="60-69")
>>> e.counts.iloc[0, 0]
np.int64(227)
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import ipywidgets as w
import pandas as pd

from reliefkit.notebook import explore_selection, show
from reliefkit.notebook import explore_tables as explore
from reliefkit.notebook.explore_charts import selection_chart
from reliefkit.report.style import png
from reliefkit.text.words import word

#: the drop-downs' value for "All" (the selection's None)
ALL = "__all__"

if TYPE_CHECKING:  # pragma: no cover
    from reliefkit.notebook.parameters import NotebookParameters

__all__ = ["Explorer", "explorer"]


class Explorer(w.VBox):
    """The explorer widget: ``.select(...)`` sets filters from code; ``.selection``,
    ``.counts`` and ``.rows`` hold what is shown.

    Parameters
    ----------
    people : pandas.DataFrame
        One row per person of the scope (:func:`reliefkit.notebook.explore_tables.people`).
    lang : {"zh", "en"}

    Examples
    --------
    >>> from reliefkit.notebook.parameters import check_parameters
    >>> ex = explorer(check_parameters(region_dir="data/sample", year=2026))
    >>> isinstance(ex, Explorer)
    True
    """

    def __init__(self, frame: pd.DataFrame, lang: str = "zh") -> None:
        self.frame, self.lang = frame, lang
        self._holding = False
        opts = explore_selection.choices(frame, lang)
        ex = lambda key: word("explorer", key, lang)  # noqa: E731
        # "All" is the value None to the selection, the value ALL to the widget: ipywidgets
        # shows a drop-down whose value is None as blank after a change back to it
        self._dropdowns = {
            key: w.Dropdown(options=[(label, ALL if v is None else v) for label, v in opts[key]], index=0,
                            description=ex(key), style={"description_width": "initial"})
            for key in ("district", "programme", "cause", "age_band")
        }
        label, (lo, hi) = opts["income"][0]
        self._income = w.FloatRangeSlider(value=(lo, hi), min=lo, max=max(hi, lo + 1), step=1.0, description=label,
                                          continuous_update=False, readout_format=".0f",
                                          style={"description_width": "initial"},
                                          layout=w.Layout(width="60%"))
        layout = w.Layout(width="100%")
        self._counts = w.HTML(layout=layout)
        self._chart = w.Image(format="png", layout=w.Layout(width="100%", max_width="1100px"))
        self._caption = w.HTML()
        self._table = w.HTML(layout=layout)
        for control in self._dropdowns.values():
            control.observe(self._update, names="index")
        self._income.observe(self._update, names="value")
        super().__init__([w.HBox(list(self._dropdowns.values())), self._income, self._counts, self._chart,
                          self._caption, self._table])
        self._update()

    # ---------------------------------------------------------------- state
    def filters(self) -> dict[str, Any]:
        """The current filters, as :func:`reliefkit.notebook.explore_selection.filter_people` takes them."""
        out: dict[str, Any] = {k: None if d.value == ALL else d.value for k, d in self._dropdowns.items()}
        lo, hi = self._income.value
        full = (self._income.min, self._income.max)
        out["income"] = None if (lo, hi) == full else (lo, hi)
        return out

    def select(self, **filters: Any) -> None:
        """Set filters from code (``district=``, ``programme=``, ``cause=``,
        ``age_band=``, ``income=(lo, hi)``); the display updates."""
        self._holding = True  # one redraw for all the changes
        try:
            for key, value in filters.items():
                if key == "income":
                    self._income.value = value if value is not None else (self._income.min, self._income.max)
                else:
                    d = self._dropdowns[key]
                    values = [None if v == ALL else v for _, v in d.options]
                    if value not in values:
                        from reliefkit.errors import ReliefkitError

                        raise ReliefkitError(f"{value!r} is not an option", f"use one of {values}", key=key)
                    d.index = values.index(value)
        finally:
            self._holding = False
        self._update()

    def _update(self, change: Any = None) -> None:
        if self._holding:
            return
        self.selection = explore_selection.filter_people(self.frame, **self.filters())
        self.counts = explore_selection.selection_counts(self.selection, self.lang)
        self.rows = explore_selection.selection_rows(self.selection, self.lang)
        # plain value widgets (no Output widget): the state is the same in JupyterLab, under
        # papermill and under nbval, and nothing is printed outside the widget
        self._counts.value = show.formatted(self.counts, self.lang).to_html(index=False)
        self._chart.value = png(selection_chart(self.selection, self.lang))
        shown = word("explorer", "shown", self.lang).format(n=len(self.rows), total=len(self.selection))
        self._caption.value = f"<b>{html.escape(shown)}</b>"
        self._table.value = show.formatted(self.rows, self.lang).to_html(index=False)

    def __repr__(self) -> str:
        labels = {k: d.label for k, d in self._dropdowns.items()}
        return (f"Explorer({len(self.selection):,} persons; district={labels['district']}, "
                f"programme={labels['programme']}, cause={labels['cause']}, age band={labels['age_band']})")


def explorer(params: NotebookParameters) -> Explorer:
    """The explorer over the notebook's scope (the district, or the whole region).

    Parameters
    ----------
    params : NotebookParameters
        What :func:`~reliefkit.notebook.parameters.check_parameters` returned.

    Returns
    -------
    Explorer
        The widget (drop-downs, income slider, counts, charts, the masked list).

    Examples
    --------
    >>> from reliefkit.notebook.parameters import check_parameters
    >>> ex = explorer(check_parameters(region_dir="data/sample", year=2026, district="城关镇"))
    >>> ex.counts.shape[0] > 0
    True
    """
    return Explorer(explore.people(params.scope, params.year), params.lang)

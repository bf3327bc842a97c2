"""Charts of a year-end summary (seaborn on matplotlib), with Chinese labels that render.

Three charts, each from a table of :mod:`reliefkit.report.summary_figures`:

- ``coverage``: persons covered per standing programme and district (villages within
  one district) — :func:`coverage_chart`;
- ``payments``: amounts paid per month, stacked by programme — :func:`payments_chart`;
- ``causes``: covered households by main cause of hardship — :func:`causes_chart`.

Charts are drawn on a :class:`matplotlib.figure.Figure` (no pyplot, no global state, no
GUI backend) with fixed sizes, a fixed resolution, a fixed colour per programme and
the CJK font of :mod:`reliefkit.report.fonts`; PNG output carries no timestamp or version, so
the same data gives the same bytes. Only report code imports this module.

Examples
--------
>>> from reliefkit.region.region import load_region
>>> pngs = render_charts(load_region("data/sample"), 2026, "zh")  # doctest: +SKIP
>>> sorted(pngs)  # doctest: +SKIP
['causes', 'coverage', 'payments']
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import StrMethodFormatter

from reliefkit.io.schema import STANDING_PROGRAMS
from reliefkit.region.region import Region
from reliefkit.report.style import PROGRAM_COLORS, new_figure, png, style
from reliefkit.report.summary_figures import (
    causes_table,
    coverage_table,
    payments_by_month,
)
from reliefkit.text.words import label, labels

__all__ = ["CHARTS", "coverage_chart", "payments_chart", "causes_chart", "render_charts"]

CHARTS = ("coverage", "payments", "causes")
#: the most units (districts or villages) a coverage chart names; a province's others are one bar
MAX_UNITS = 12


def _palette(programs: list[str], lang: str) -> dict[str, str]:
    return {label("program", p, lang): PROGRAM_COLORS[p] for p in programs}


def _largest_units(t: pd.DataFrame, others: str) -> tuple[pd.DataFrame, list[str]]:
    """The coverage table with at most :data:`MAX_UNITS` bars, and their order: every unit
    by name, or the largest ``MAX_UNITS - 1`` by persons covered and one bar for the rest."""
    units = sorted(t["unit"].unique())
    if len(units) <= MAX_UNITS:
        return t, units
    size = t.groupby("unit")["persons"].sum()
    named = sorted(units, key=lambda u: (-size[u], u))[: MAX_UNITS - 1]
    rest = others.format(n=len(units) - len(named))
    t = t.assign(unit=t["unit"].where(t["unit"].isin(named), rest))
    t = t.groupby(["unit", "program"], as_index=False, sort=False)["persons"].sum()
    return t, [*named, rest]


def coverage_chart(region: Region, year: int, lang: str = "zh") -> Figure | None:
    """Persons covered on 31 December per programme, by district (or village).

    A region of more than :data:`MAX_UNITS` units names the largest ones (by persons
    covered) and counts the rest in one bar (``其他N个乡镇（街道）``), so that the chart of
    a province stays readable; a smaller one lists every unit by name.

    Parameters
    ----------
    region : Region
    year : int
    lang : {"zh", "en"}

    Returns
    -------
    matplotlib.figure.Figure or None
        None when no one is covered.

    Examples
    --------
    >>> from reliefkit.region.region import load_region
    >>> fig = coverage_chart(load_region("data/sample"), 2026, "en")
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()][:2]
    ['城关镇', '新城街道']
    """
    import seaborn as sns

    t = coverage_table(region, year)
    if t.empty:
        return None
    by_village = len(region.districts) <= 1
    programs = [p for p in STANDING_PROGRAMS if p in set(t["program"])]
    words = labels(lang)["chart"]
    t, order = _largest_units(t, words["others_villages" if by_village else "others"])
    t = t.assign(label=[label("program", p, lang) for p in t["program"]])
    with style():
        fig = new_figure()
        ax = fig.subplots()
        sns.barplot(data=t, y="unit", x="persons", hue="label", orient="h", ax=ax,
                    hue_order=[label("program", p, lang) for p in programs], palette=_palette(programs, lang),
                    order=order, errorbar=None)
        ax.set_title(words["coverage_title_villages" if by_village else "coverage_title"])
        ax.set_xlabel(words["coverage_x"])
        ax.set_ylabel(words["village" if by_village else "district"])
        # beside the axes, not over them: a legend inside would hide the bars of some unit
        ax.legend(title=words["program"], loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small",
                  title_fontsize="small", frameon=False)
    return fig


def payments_chart(region: Region, year: int, lang: str = "zh") -> Figure | None:
    """Amounts paid per month of ``year``, stacked by programme (seaborn has no stacked
    bars: matplotlib's, in seaborn's style). None when nothing was paid."""
    t = payments_by_month(region, year)
    if t.empty or not (t["amount"] > 0).any():
        return None
    programs = list(dict.fromkeys(t["program"]))
    table = t.pivot(index="month", columns="program", values="amount").reindex(index=range(1, 13), columns=programs)
    words = labels(lang)["chart"]
    months = labels(lang)["month"]
    with style():
        fig = new_figure()
        ax = fig.subplots()
        bottom = [0.0] * 12
        for p in programs:
            heights = table[p].fillna(0.0).tolist()
            ax.bar(range(1, 13), heights, bottom=bottom, width=0.8, color=PROGRAM_COLORS[p],
                   label=label("program", p, lang), linewidth=0)
            bottom = [b + h for b, h in zip(bottom, heights)]
        ax.set_xticks(range(1, 13), months)
        ax.set_title(words["payments_title"])
        ax.set_xlabel(words["month"])
        ax.set_ylabel(words["payments_y"])
        ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}" if lang == "en" else "{x:.0f}"))
        ax.legend(title=words["program"], loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small",
                  title_fontsize="small", frameon=False)
    return fig


def causes_chart(region: Region, year: int, lang: str = "zh") -> Figure | None:
    """Covered households by main cause of hardship. None when no household is covered."""
    import seaborn as sns

    t = causes_table(region, year)
    if t.empty:
        return None
    t = t.assign(label=[label("cause", c, lang) for c in t["cause"]])
    words = labels(lang)["chart"]
    with style():
        fig = new_figure()
        ax = fig.subplots()
        sns.barplot(data=t, y="label", x="households", orient="h", color=PROGRAM_COLORS["rural_dibao"], ax=ax,
                    order=list(t["label"]), errorbar=None)
        ax.set_title(words["causes_title"])
        ax.set_xlabel(words["causes_x"])
        ax.set_ylabel(words["cause"])
    return fig


def render_charts(region: Region, year: int, lang: str = "zh") -> dict[str, bytes]:
    """PNG bytes of every chart that has data, by name (``coverage``, ``payments``, ``causes``)."""
    makers = {"coverage": coverage_chart, "payments": payments_chart, "causes": causes_chart}
    out = {}
    for name in CHARTS:
        fig = makers[name](region, year, lang)
        if fig is not None:
            out[name] = png(fig)
    return out

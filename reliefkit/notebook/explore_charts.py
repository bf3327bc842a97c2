"""Charts of the household explorer (seaborn), each drawn from a table of
:mod:`reliefkit.notebook.explore_tables` — the table shown beside it in the notebook.

Examples
--------
>>> from reliefkit.region.region import load_region
>>> from reliefkit.notebook import explore_tables as explore
>>> region = load_region("data/sample")
>>> fig = age_pyramid(explore.age_sex(region, 2026, "zh"), "zh")
>>> [round(float(x), 1) for x in fig.get_size_inches()]
[8.0, 4.8]
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from reliefkit.notebook.explore_tables import age_sex_table
from reliefkit.report.style import SCHEME_PALETTE, WIDE, label_open_top, new_figure, open_top_bin, style
from reliefkit.text.words import word

__all__ = ["age_pyramid", "income_chart", "selection_chart", "RATIO_CAP"]

#: per-capita income above this multiple of the line is drawn in the last bin
RATIO_CAP = 3.0
_BINS = np.linspace(0.0, RATIO_CAP, 31)


def _c(key: str, lang: str) -> str:
    return word("chart", key, lang)


def _pyramid(ax, table: pd.DataFrame, lang: str) -> None:  # noqa: ANN001 - matplotlib Axes
    import seaborn as sns

    sexes = list(table.columns[:2])
    long = table[sexes].reset_index(names="band").melt(id_vars="band", var_name="sex", value_name="persons")
    long.loc[long["sex"] == sexes[0], "persons"] *= -1  # men to the left
    order = list(table.index)[::-1]  # the oldest on top
    sns.barplot(data=long, y="band", x="persons", hue="sex", hue_order=sexes, order=order, orient="h",
                dodge=False, palette=list(SCHEME_PALETTE[:2]), errorbar=None, ax=ax)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{abs(x):.0f}"))
    ax.set_xlabel(_c("pyramid_x", lang))
    ax.set_ylabel(word("column", "age_band", lang))
    ax.legend(loc="lower right", fontsize="small")


def age_pyramid(table: pd.DataFrame, lang: str = "zh") -> Figure:
    """Age-and-sex pyramid of :func:`reliefkit.notebook.explore_tables.age_sex` (men left, women right)."""
    with style():
        fig = new_figure()
        ax = fig.subplots()
        _pyramid(ax, table, lang)
        ax.set_title(_c("pyramid_title", lang))
    return fig


def _income_hist(ax, frame: pd.DataFrame, lang: str) -> None:  # noqa: ANN001 - matplotlib Axes
    import seaborn as sns

    hh = frame.drop_duplicates("household_id")
    areas = [word("area", a, lang) for a in ("rural", "urban")]
    ratio, bins = open_top_bin(np.clip(hh["ratio"].to_numpy(dtype="float64"), 0, None), _BINS)  # ≥ cap: one bin
    data = pd.DataFrame({"ratio": ratio, "area": [word("area", a, lang) for a in hh["area"]]})
    if len(data):
        sns.histplot(data=data, x="ratio", hue="area", hue_order=areas, bins=bins, multiple="stack",
                     palette=list(SCHEME_PALETTE[:2]), ax=ax, linewidth=0)
        sns.move_legend(ax, "upper left", bbox_to_anchor=(1.01, 1), title=word("column", "area", lang),
                        fontsize="small", title_fontsize="small", frameon=False)  # beside: it hides no bar
    ax.axvline(1.0, color="#c44e52", linestyle="--", linewidth=1.2)
    ax.text(1.02, 0.97, _c("the_line", lang), transform=ax.get_xaxis_transform(), va="top", color="#c44e52",
            fontsize="small")
    label_open_top(ax, _BINS, _c("open_top", lang).format(value=f"{RATIO_CAP:g}"))
    ax.set_xlabel(_c("income_x", lang))
    ax.set_ylabel(_c("income_y", lang))


def income_chart(frame: pd.DataFrame, lang: str = "zh") -> Figure:
    """Households of a :func:`reliefkit.notebook.explore_tables.people` frame by per-capita income as a
    share of their line (stacked rural and urban; a bin apart, labelled ``≥ 3`` / ``3及以上``,
    holds everything from :data:`RATIO_CAP` × the line up). The table beside it is
    :func:`reliefkit.notebook.explore_tables.income_bands`."""
    with style():
        fig = new_figure()
        ax = fig.subplots()
        _income_hist(ax, frame, lang)
        ax.set_title(_c("income_title", lang))
    return fig


def selection_chart(frame: pd.DataFrame, lang: str = "zh") -> Figure:
    """The explorer's chart of a selection: its age-and-sex pyramid and its households'
    income against the line, side by side."""
    with style():
        fig = new_figure(WIDE)
        left, right = fig.subplots(1, 2)
        _pyramid(left, age_sex_table(frame, lang), lang)
        _income_hist(right, frame, lang)
        fig.suptitle(_c("selection_title", lang).format(n=f"{len(frame):,}"))
    return fig

"""Charts of the scheme comparison (seaborn), each drawn from a table of
:mod:`reliefkit.notebook.compare_tables` with numbers (``text=False``) — the table shown
beside it in the notebook; every text from ``reliefkit/text/words/compare.yaml``.

Examples
--------
>>> from reliefkit.region.region import load_region
>>> from reliefkit.simulate.compare import compare
>>> from reliefkit.notebook import compare_tables as views
>>> c = compare(load_region("data/sample"), 2026, [{"name": "Rural 180", "set": {"rural_dibao.line": 180}}])
>>> fig = incidence_chart(views.incidence_table(c, "en", text=False), "en")
>>> fig.axes[0].get_title()
'Minimum-living allowance by income decile'
>>> incidence_chart(views.incidence_table(c, "zh", text=False), "zh").axes[0].get_title()
'低保资金按收入十分位的分布'
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from reliefkit.report.style import SCHEME_PALETTE, WIDE, new_figure, style
from reliefkit.text.words import compare_word

__all__ = ["cost_chart", "fgt_chart", "errors_chart", "incidence_chart", "winners_chart", "sweep_chart",
           "quintile_chart", "actual_chart"]


def _c(key: str, lang: str) -> str:
    return compare_word("chart", key, lang)


def _palette(names: list[str]) -> dict[str, str]:
    return {n: SCHEME_PALETTE[i % len(SCHEME_PALETTE)] for i, n in enumerate(names)}


def _legend(ax, lang: str, **kw) -> None:  # noqa: ANN001 - matplotlib Axes
    if ax.get_legend() is not None:
        ax.legend(title=compare_word("column", "scheme", lang), fontsize="small", title_fontsize="small", **kw)


def cost_chart(table: pd.DataFrame, lang: str = "zh") -> Figure:
    """Yearly cost (x) against the gap removed (y), one labelled point per scheme
    (:func:`reliefkit.notebook.compare_tables.cost_vs_poverty`)."""
    import seaborn as sns

    names = list(table.index)
    data = pd.DataFrame({"scheme": names, "cost": table.iloc[:, 0].to_numpy() / 1e4,
                         "gap": table.iloc[:, 2].to_numpy()})
    with style():
        fig = new_figure()
        ax = fig.subplots()
        sns.scatterplot(data=data, x="cost", y="gap", hue="scheme", hue_order=names, palette=_palette(names),
                        s=90, ax=ax, legend=False)
        for row in data.itertuples():
            ax.annotate(row.scheme, (row.cost, row.gap), textcoords="offset points", xytext=(6, 4),
                        fontsize="small")
        ax.set_title(_c("cost_title", lang))
        ax.set_xlabel(_c("cost_x", lang))
        ax.set_ylabel(_c("cost_y", lang))
        ax.margins(x=0.25, y=0.25)
    return fig


def fgt_chart(table: pd.DataFrame, lang: str = "zh") -> Figure:
    """P0, P1, P2 before (left) and after (right) each scheme
    (:func:`reliefkit.notebook.compare_tables.fgt_table`)."""
    names = list(table.index)
    cols = list(table.columns)
    long = table.reset_index(names="scheme").melt(id_vars="scheme", var_name="measure", value_name="value")
    with style():
        fig = new_figure(WIDE)
        axes = fig.subplots(1, 2)
        panels = ((axes[0], cols[0::2], _c("fgt_before", lang)), (axes[1], cols[1::2], _c("fgt_title", lang)))
        for ax, picks, title in panels:
            _measure_bars(ax, long[long["measure"].isin(picks)], picks, names, title, lang)
    return fig


def _measure_bars(ax, long: pd.DataFrame, order: list, names: list, title: str, lang: str) -> None:  # noqa: ANN001
    """Bars of ``value`` per ``measure`` (in ``order``), one colour per scheme."""
    import seaborn as sns

    sns.barplot(data=long, x="measure", y="value", hue="scheme", hue_order=names, order=order,
                palette=_palette(names), errorbar=None, ax=ax)
    ax.set_title(title)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.tick_params(axis="x", labelsize="small")
    _legend(ax, lang)


def errors_chart(table: pd.DataFrame, lang: str = "zh") -> Figure:
    """Exclusion and inclusion errors per scheme (:func:`reliefkit.notebook.compare_tables.errors_table`)."""
    names = list(table.index)
    long = table.reset_index(names="scheme").melt(id_vars="scheme", var_name="measure", value_name="value")
    with style():
        fig = new_figure()
        ax = fig.subplots()
        _measure_bars(ax, long, list(table.columns), names, _c("errors_title", lang), lang)
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    return fig


def incidence_chart(table: pd.DataFrame, lang: str = "zh") -> Figure:
    """Share of the allowance by income decile, one line per scheme
    (:func:`reliefkit.notebook.compare_tables.incidence_table`)."""
    import seaborn as sns

    names = list(table.columns)
    long = table.reset_index(names="decile").melt(id_vars="decile", var_name="scheme", value_name="share")
    with style():
        fig = new_figure()
        ax = fig.subplots()
        sns.lineplot(data=long, x="decile", y="share", hue="scheme", hue_order=names, palette=_palette(names),
                     marker="o", ax=ax)
        ax.set_xticks(range(1, 11))
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_title(_c("incidence_title", lang))
        ax.set_xlabel(compare_word("column", "decile", lang))
        ax.set_ylabel(_c("incidence_y", lang))
        _legend(ax, lang)
    return fig


def winners_chart(table: pd.DataFrame, lang: str = "zh") -> Figure:
    """Households per band of change against the baseline, per scheme
    (:func:`reliefkit.notebook.compare_tables.winners_table`)."""
    import seaborn as sns

    names = list(table.columns)
    bands = list(table.index)
    long = table.reset_index(names="band").melt(id_vars="band", var_name="scheme", value_name="households")
    palette = dict(zip(names, SCHEME_PALETTE[1:]))
    with style():
        fig = new_figure()
        ax = fig.subplots()
        if len(long):
            sns.barplot(data=long, y="band", x="households", hue="scheme", hue_order=names, order=bands,
                        orient="h", palette=palette, errorbar=None, ax=ax)
        ax.set_title(_c("winners_title", lang))
        ax.set_xlabel(_c("winners_x", lang))
        ax.set_ylabel("")
        _legend(ax, lang, loc="lower right")
    return fig


def sweep_chart(sweep: pd.DataFrame, schemes: pd.DataFrame, budget_line: float | None = None,
                lang: str = "zh", labels: list[str] | None = None, paid: float | None = None) -> Figure:
    """Yearly cost (left) and persons receiving (right) against the rural line, the
    schemes compared as points and the line the budget pays for as a dashed rule.

    Parameters
    ----------
    sweep : DataFrame
        :func:`reliefkit.notebook.compare_sweep.sweep_table`.
    schemes : DataFrame
        ``Comparison.summary`` (``name``, ``line_rural``, ``cost_year``, ``persons``).
    budget_line : float, optional
    lang : {"zh", "en"}
    labels : list of str, optional
        The schemes' names in ``lang`` (default: ``schemes["name"]``).
    paid : float, optional
        What the ledger paid in the year for the allowance: a dotted rule on the cost panel,
        beside the rule's full-year cost it is not the same thing as.
    """
    import seaborn as sns

    names = list(labels) if labels is not None else schemes["name"].tolist()
    points = pd.DataFrame({"scheme": names, "line": schemes["line_rural"].to_numpy(),
                           "cost": schemes["cost_year"].to_numpy() / 1e4, "persons": schemes["persons"].to_numpy()})
    curve = pd.DataFrame({"line": sweep["line"], "cost": sweep["cost_year"] / 1e4, "persons": sweep["persons"]})
    with style():
        fig = new_figure(WIDE)
        axes = fig.subplots(1, 2)
        for ax, what, label in ((axes[0], "cost", _c("sweep_cost", lang)),
                                (axes[1], "persons", _c("sweep_persons", lang))):
            sns.lineplot(data=curve, x="line", y=what, color="#4c4c4c", ax=ax)
            sns.scatterplot(data=points, x="line", y=what, hue="scheme", hue_order=names, palette=_palette(names),
                            s=80, zorder=3, ax=ax)
            if budget_line is not None:
                ax.axvline(budget_line, color="#c44e52", linestyle="--", linewidth=1.2)
                ax.text(budget_line, 0.02, " " + _c("budget", lang), transform=ax.get_xaxis_transform(),
                        color="#c44e52", fontsize="small", rotation=90, va="bottom")
            if paid is not None and what == "cost":
                ax.axhline(paid / 1e4, color="#8c8c8c", linestyle=":", linewidth=1.2)
                ax.text(0.01, paid / 1e4, " " + _c("paid_year", lang), transform=ax.get_yaxis_transform(),
                        color="#6c6c6c", fontsize="small", va="bottom")
            ax.set_xlabel(_c("sweep_x", lang))
            ax.set_ylabel(label)
            _legend(ax, lang, loc="upper left")
        fig.suptitle(_c("sweep_title", lang))
    return fig


def quintile_chart(table: pd.DataFrame, lang: str = "zh") -> Figure:
    """Coverage (left) and benefit incidence (right) by income quintile, one bar per scheme
    (:func:`reliefkit.notebook.compare_tables.quintile_view` with ``text=False``; the total row left out)."""
    names = list(dict.fromkeys(table.columns.get_level_values(0)))
    kinds = list(dict.fromkeys(table.columns.get_level_values(1)))
    body = table.iloc[:-1]
    with style():
        fig = new_figure(WIDE)
        axes = fig.subplots(1, 2)
        for ax, kind in ((axes[0], kinds[0]), (axes[1], kinds[2])):
            long = pd.DataFrame([{"measure": q, "scheme": n, "value": float(body.loc[q, (n, kind)])}
                                 for q in body.index for n in names])
            _measure_bars(ax, long, list(body.index), names, kind, lang)
            ax.set_xlabel(compare_word("column", "quintile", lang))
            ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        fig.suptitle(_c("quintile_title", lang))
    return fig


def actual_chart(table: pd.DataFrame, lang: str = "zh") -> Figure:
    """The ledger's yearly amounts beside the rule's yearly cost, per simulated programme
    (:func:`reliefkit.notebook.compare_tables.actual_table` with ``text=False``): paid in the
    year, a full year at today's enrolment, and the baseline's full year by the rule."""
    body = table.iloc[:-3]  # the simulated programmes (not their total, the other programmes, the ledger)
    cost_columns = [c for c in table.columns if c not in table.columns[:4]][1::2]
    series = {_c("paid_year", lang): table.columns[2], _c("paid_full_year", lang): table.columns[3],
              _c("rule", lang): cost_columns[0]}
    long = pd.DataFrame([{"measure": programme, "scheme": label, "value": float(body.loc[programme, column]) / 1e4}
                         for programme in body.index for label, column in series.items()])
    with style():
        fig = new_figure(WIDE)
        ax = fig.subplots()
        import seaborn as sns

        sns.barplot(data=long, y="measure", x="value", hue="scheme", hue_order=list(series), orient="h",
                    palette=dict(zip(series, SCHEME_PALETTE)), errorbar=None, ax=ax)
        ax.set_title(_c("actual_title", lang))
        ax.set_xlabel(_c("actual_x", lang))
        ax.set_ylabel("")
        if ax.get_legend() is not None:
            ax.legend(fontsize="small", loc="upper right")
    return fig

"""Tables behind the scheme comparison notebook (``notebooks/02-compare-schemes.ipynb``).

Each function turns a :class:`~reliefkit.simulate.compare.Comparison` into one table a person reads — labelled in the notebook's language (every word from
``reliefkit/text/words/compare.yaml``: columns, bands, programmes, scheme names through
:meth:`~reliefkit.simulate.compare.Comparison.label`), sorted, every number through
:meth:`reliefkit.text.formatting.Formatter.cell` (thousands separators, fixed decimals per
kind, shares as %) — and :func:`write_workbook` writes every table, unrounded, to one XLSX
file. ``text=False`` gives the same table with numbers (what the charts draw).

- *gap removed*: ``100 × (P1 before − P1 after)``, percentage points of the poverty-gap
  index, each scheme measured against its own lines (a higher line finds more poverty
  and removes more of it); :func:`fixed_table` measures every scheme on one yardstick;
- *persons topped up to the line*: ``(P0 before − P0 after) × persons in scope``;
- *simulated beside actual* (:func:`actual_table`, :func:`reconciliation_table`,
  :func:`why_note`): the registry on D and the ledger of the year beside the rule's
  full-year figures, and the three reasons they differ, with their numbers;

Examples
--------
>>> from reliefkit.region.region import load_region
>>> from reliefkit.simulate.compare import compare
>>> c = compare(load_region("data/sample"), 2026, [{"name": "Rural 180", "set": {"rural_dibao.line": 180}}])
>>> summary_table(c, "en").loc["Yearly cost of the allowance (yuan)"].tolist()
['2,047,214.00', '2,607,898.00']
>>> summary_table(c, "zh").columns.tolist()
['现行政策', 'Rural 180']
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

import numpy as np
import pandas as pd

from reliefkit.errors import ReliefkitError
from reliefkit.text.formatting import Formatter
from reliefkit.text.words import compare_word

if TYPE_CHECKING:  # pragma: no cover
    from reliefkit.region.region import Region
    from reliefkit.simulate.compare import Comparison

__all__ = ["SUMMARY_ROWS", "INDICATOR_ROWS", "FIXED_ROWS", "summary_table",
           "cost_vs_poverty", "fgt_table", "errors_table", "incidence_table", "winners_table", "band_labels",
           "actual_table", "reconciliation_table", "why_note", "indicators_table", "quintile_view", "fixed_table",
           "section", "heading", "subheading", "fixed_heading", "intro", "scheme_labels", "ledger_paid"]

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
#: the rows of the standard-indicators table
INDICATOR_ROWS = (
    ("coverage_q1", "percent"), ("beneficiary_rate", "percent"), ("adequacy", "percent"),
    ("gap_reduction", "percent"), ("gap_removed_per_yuan", "index"),
    ("coverage_q1_all", "percent"), ("beneficiary_rate_all", "percent"), ("adequacy_all", "percent"),
    ("gap_reduction_all", "percent"), ("gap_removed_per_yuan_all", "index"),
    ("overlap_persons", "count"), ("overlap_share", "percent"),
)
#: the rows of the fixed-yardstick table
FIXED_ROWS = (
    ("p0_before_fixed", "percent"), ("p0_after_fixed", "percent"), ("p1_before_fixed", "index"),
    ("p1_after_fixed", "index"), ("p2_before_fixed", "index"), ("p2_after_fixed", "index"),
    ("gap_reduction_fixed", "percent"), ("gap_removed_per_yuan_fixed", "index"),
    ("p0_after", "percent", "p0_after_own"), ("p1_after", "index", "p1_after_own"),
    ("gap_reduction", "percent", "gap_reduction_own"),
)
_BAND_KEYS = ("loses_more", "loses_mid", "loses_less", "unchanged", "gains_less", "gains_mid", "gains_more")


def _m(key: str, lang: str) -> str:
    return compare_word("measure", key, lang)


def _col(key: str, lang: str) -> str:
    return compare_word("column", key, lang)


def _cells(values: Sequence | pd.Series, kind: str, lang: str) -> list[str]:
    f = Formatter(lang)
    return [f.cell(v, kind) for v in values]


def _by_scheme(c: Comparison, rows: Sequence[tuple[str, ...]], lang: str, text: bool) -> pd.DataFrame:
    """Rows = figures of the summary (key, kind and optionally the key of its label),
    columns = schemes (their names in ``lang``)."""
    s = c.summary
    keys = [row[0] for row in rows]
    if text:
        data = {c.label(name, lang): [Formatter(lang).cell(s.loc[i, row[0]], row[1]) for row in rows]
                for i, name in enumerate(s["name"])}
    else:
        data = {c.label(name, lang): [s.loc[i, k] for k in keys] for i, name in enumerate(s["name"])}
    out = pd.DataFrame(data, index=[_m(row[-1] if len(row) > 2 else row[0], lang) for row in rows])
    out.index.name = _col("measure", lang)
    out.columns.name = _col("scheme", lang)
    return out


def section(key: str, lang: str = "zh", **fields: object) -> str:
    """A heading (``## …``) or note of the notebook, in ``lang`` (``compare.yaml``, group ``section``).

    Examples
    --------
    >>> section("fgt", "zh")
    '救助前后的贫困指标（FGT）'
    """
    text = compare_word("section", key, lang)
    return text.format(**fields) if fields else text


def heading(key: str, lang: str = "zh", level: int = 2, **fields: object) -> str:
    """A section's heading (Markdown, ``level`` ``#``) and, when ``compare.yaml`` has one,
    its note (``<key>_note``) under it.

    Examples
    --------
    >>> print(heading("errors", "en", 3).splitlines()[0])
    ### Targeting errors
    """
    text = "#" * level + " " + section(key, lang)
    try:
        note = section(f"{key}_note", lang, **fields)
    except ReliefkitError:  # a heading without a note
        return text
    return f"{text}\n\n{note}"


def subheading(key: str, lang: str = "zh", **fields: object) -> str:
    """A sub-section's heading (``###``) and its note: :func:`heading` at level 3.

    Examples
    --------
    >>> subheading("errors", "en").splitlines()[0]
    '### Targeting errors'
    """
    return heading(key, lang, 3, **fields)


def scheme_labels(c: Comparison, lang: str = "zh") -> list[str]:
    """The schemes' names in ``lang``, baseline first (:meth:`Comparison.label`).

    Examples
    --------
    >>> from reliefkit.region.region import load_region
    >>> from reliefkit.simulate.compare import compare
    >>> scheme_labels(compare(load_region("data/sample"), 2026), "zh")
    ['现行政策']
    """
    return [c.label(n, lang) for n in c.names]


def ledger_paid(c: Comparison) -> float:
    """What the ledger paid in the year for rural and urban dibao in the comparison's scope
    (the sweep chart marks it).

    Examples
    --------
    >>> from reliefkit.region.region import load_region
    >>> from reliefkit.simulate.compare import compare
    >>> ledger_paid(compare(load_region("data/sample"), 2026))
    1091942.51
    """
    return float(c.summary["actual_paid_year"].iloc[0])


def fixed_heading(c: Comparison, lang: str = "zh") -> str:
    """The heading of the fixed-yardstick section, naming the lines of the yardstick.

    Examples
    --------
    >>> from reliefkit.region.region import load_region
    >>> from reliefkit.simulate.compare import compare
    >>> fixed_heading(compare(load_region("data/sample"), 2026), "zh").endswith("城市210.00元/人·月）下衡量。")
    True
    """
    row = c.summary.iloc[0]
    f = Formatter(lang)
    return heading("fixed", lang, rural=f.cell(row["line_rural_fixed"], "money"),
                   urban=f.cell(row["line_urban_fixed"], "money"))


def intro(c: Comparison, scope: Region, lang: str = "zh") -> str:
    """The notebook's title (``#``) and opening paragraph: the scope (the district, or the
    region by its own name: :meth:`~reliefkit.region.region.Region.scope_name`), the day,
    what is compared.

    Parameters
    ----------
    c : Comparison
    scope : Region
        The scope compared (the district's Region, or the whole region).
    lang : {"zh", "en"}

    Examples
    --------
    >>> from reliefkit.region.region import load_region
    >>> from reliefkit.simulate.compare import compare
    >>> town = load_region("data/sample").district("城关镇")
    >>> print(intro(compare(town, 2026), town, "zh")[:32])
    # 城关镇救助方案比较
    <BLANKLINE>
    城关镇2026年12月31日：现行政策
    """
    name = scope.scope_name(lang)
    return (f"# {section('title', lang, scope=name)}\n\n"
            f"{section('intro', lang, scope=name, year=c.year)}")


def summary_table(c: Comparison, lang: str = "zh", text: bool = True) -> pd.DataFrame:
    """The key figures (rows) of every scheme (columns, the baseline first)."""
    return _by_scheme(c, SUMMARY_ROWS, lang, text)


def indicators_table(c: Comparison, lang: str = "zh", text: bool = True) -> pd.DataFrame:
    """The standard indicators (ASPIRE; :mod:`reliefkit.simulate.indicators`) of every scheme."""
    return _by_scheme(c, INDICATOR_ROWS, lang, text)


def fixed_table(c: Comparison, lang: str = "zh", text: bool = True) -> pd.DataFrame:
    """Poverty of every scheme on the fixed yardstick (the baseline's lines), beside its own lines."""
    return _by_scheme(c, FIXED_ROWS, lang, text)


def quintile_view(c: Comparison, lang: str = "zh", suffix: str = "", text: bool = True) -> pd.DataFrame:
    """Coverage, beneficiary incidence and benefit incidence by quintile (rows, then the
    total: the scope's true aggregates), per scheme (column groups); ``suffix`` ``"_all"``
    for every simulated programme."""
    q = c.breakdowns["quintile"]
    s = c.summary.set_index("name")
    kinds = ("coverage", "beneficiary_incidence", "benefit_incidence")
    columns, data = [], []
    for name in c.names:
        part = q[q["scheme"] == name]
        total = {"coverage": s.loc[name, f"beneficiary_rate{suffix}"], "beneficiary_incidence": 1.0,
                 "benefit_incidence": 1.0 if part[f"benefit{suffix}"].sum() > 0 else 0.0}
        if part[f"beneficiaries{suffix}"].sum() == 0:
            total["beneficiary_incidence"] = 0.0
        for kind in kinds:
            values = list(part[f"{kind}{suffix}"]) + [total[kind]]
            columns.append((c.label(name, lang), _col(kind, lang)))
            data.append(_cells(values, "percent", lang) if text else values)
    index = [str(k) for k in range(1, 6)] + [_col("total", lang)]
    out = pd.DataFrame(dict(zip(range(len(data)), data)), index=index)
    out.columns = pd.MultiIndex.from_tuples(columns, names=[_col("scheme", lang), _col("measure", lang)])
    out.index.name = _col("quintile", lang)
    return out


def cost_vs_poverty(c: Comparison, lang: str = "zh", text: bool = True) -> pd.DataFrame:
    """Per scheme: yearly cost, its change against the baseline, the gap removed, the
    persons topped up to the line and the cost per point of gap removed."""
    s = c.summary
    gap = 100 * (s["p1_before"] - s["p1_after"])
    lifted = np.rint((s["p0_before"] - s["p0_after"]) * s["persons_in_scope"]).astype("int64")
    columns = {"cost_year": (s["cost_year"], "money"), "cost_change": (s["cost_change"], "money"),
               "gap_removed": (gap, "index"), "poor_lifted": (lifted, "count"),
               "cost_per_gap_point": (s["cost_per_gap_point"], "money")}
    out = pd.DataFrame({_col("scheme", lang): [c.label(n, lang) for n in s["name"]]})
    for key, (values, kind) in columns.items():
        out[_m(key, lang)] = _cells(values, kind, lang) if text else values.to_numpy()
    return out.set_index(_col("scheme", lang))


def fgt_table(c: Comparison, lang: str = "zh", text: bool = True) -> pd.DataFrame:
    """FGT P0, P1, P2 before and after, one row per scheme."""
    cols = [("p0_before", "percent"), ("p0_after", "percent"), ("p1_before", "index"), ("p1_after", "index"),
            ("p2_before", "index"), ("p2_after", "index")]
    return _by_scheme(c, cols, lang, text).T


def errors_table(c: Comparison, lang: str = "zh", text: bool = True) -> pd.DataFrame:
    """Exclusion and inclusion errors of the rule under each scheme, and of the actual registry."""
    cols = [(k, "percent") for k in ("exclusion_error", "inclusion_error", "registry_exclusion_error",
                                     "registry_inclusion_error")]
    return _by_scheme(c, cols, lang, text).T


def incidence_table(c: Comparison, lang: str = "zh", text: bool = True) -> pd.DataFrame:
    """Share of each scheme's minimum-living allowance reaching each income decile
    (deciles of per-capita income before transfers, person-weighted)."""
    d = c.breakdowns["decile"]
    out = d.pivot(index="decile", columns="scheme", values="benefit_share").reindex(columns=c.names)
    out.columns = [c.label(n, lang) for n in out.columns]
    if text:
        out = out.apply(lambda col: _cells(col, "percent", lang))
    out.index.name = _col("decile", lang)
    out.columns.name = _col("scheme", lang)
    return out


def band_labels(lang: str, edges: tuple[float, float] | None = None) -> list[str]:
    """The seven bands of winners and losers in ``lang`` (edges in yuan a year).

    Examples
    --------
    >>> band_labels("zh")[:2], band_labels("en")[3]
    (['减少1,200元及以上', '减少120～1,200元'], 'unchanged')
    """
    from reliefkit.simulate.compare import BANDS

    lo, hi = (Formatter(lang).cell(e, "count") for e in (edges or BANDS))
    return [compare_word("band", k, lang).format(lo=lo, hi=hi) for k in _BAND_KEYS]


def winners_table(c: Comparison, lang: str = "zh", text: bool = False) -> pd.DataFrame:
    """Households per band of yearly change against the baseline (rows) and scheme (columns);
    counts as numbers unless ``text``."""
    w = c.winners_losers
    if w.empty:
        return pd.DataFrame(index=pd.Index([], name=_col("band", lang)))
    bands = list(dict.fromkeys(w["band"]))
    out = w.pivot(index="band", columns="scheme", values="households").reindex(index=bands, columns=c.names[1:])
    out = out.astype("int64")
    out.index = band_labels(lang)[:len(bands)] if len(bands) == len(_BAND_KEYS) else bands
    out.columns = [c.label(n, lang) for n in out.columns]
    if text:
        out = out.apply(lambda col: _cells(col, "count", lang))
    out.index.name = _col("band", lang)
    out.columns.name = _col("scheme", lang)
    return out


def actual_table(c: Comparison, lang: str = "zh", text: bool = True) -> pd.DataFrame:
    """Per programme: the registry on D and the ledger of the year (the actual), beside each
    scheme's households and yearly cost by the rule; then the five simulated programmes
    together (what the rule's "every programme" cost is to be compared with), the programmes
    the rule does not simulate and the whole ledger."""
    a = c.actual.set_index("programme")
    p = c.programmes
    simulated = [k for k in a.index if k not in ("not_simulated", "ledger_total")]
    a.loc["simulated_total"] = a.loc[simulated].sum(numeric_only=True)
    rows = simulated + ["simulated_total", "not_simulated", "ledger_total"]
    out = pd.DataFrame(index=[compare_word("programme", k, lang) for k in rows])
    f = Formatter(lang)

    def put(label: str, values: list, kind: str) -> None:
        out[label] = [f.cell(v, kind) if text else v for v in values]

    put(_col("registry_households", lang), [a.loc[k, "households"] if k in simulated else None for k in rows], "count")
    put(_col("registry_persons", lang), [a.loc[k, "persons"] if k in simulated else None for k in rows], "count")
    put(_col("paid_year", lang), [a.loc[k, "paid_year"] for k in rows], "money")
    put(_col("paid_full_year", lang), [a.loc[k, "paid_full_year"] for k in rows], "money")
    for name in c.names:
        part = p[p["scheme"] == name].set_index("programme")
        label = c.label(name, lang)
        put(_col("rule_households", lang).format(scheme=label),
            [part.loc[k, "households"] if k in simulated else None for k in rows], "count")
        costs = [part.loc[k, "cost_year"] if k in simulated else None for k in rows]
        costs[len(simulated)] = float(part.loc[simulated, "cost_year"].sum())  # the five together
        put(_col("rule_cost", lang).format(scheme=label), costs, "money")
    out.index.name = _col("programme", lang)
    return out


def reconciliation_table(c: Comparison, lang: str = "zh", scheme: str | None = None,
                         text: bool = True) -> pd.DataFrame:
    """Why the rule's allowance under ``scheme`` (default: the baseline) differs from the
    registry and the ledger: households, persons, the rule's cost and the ledger's amounts per
    source of the difference (:func:`reliefkit.simulate.actual.reconcile`), and the total."""
    r = c.reconciliation
    name = c.names[0] if scheme is None else scheme
    part = r[r["scheme"] == name].set_index("row")
    cols = [("households", "count"), ("persons", "count"), ("enrolled_persons", "count"), ("cost_year", "money"),
            ("paid_full_year", "money"), ("paid_year", "money")]
    f = Formatter(lang)
    index = [compare_word("reconcile", k, lang) for k in part.index] + [_col("total", lang)]
    data = {}
    for key, kind in cols:
        values = list(part[key])
        total = sum(values[:-1]) if key in ("households", "persons") else sum(values)  # the last row: other persons
        values.append(total)
        data[_col(key, lang)] = [f.cell(v, kind) for v in values] if text else values
    out = pd.DataFrame(data, index=index)
    out.index.name = _col("row", lang)
    return out


def _money(value: float, lang: str) -> str:
    return Formatter(lang).cell(value, "money")


#: the counts of :func:`why_note` that English says with a word ("1 household", "2 persons")
_COUNTED = {"households": ("household", "households"), "persons": ("person", "persons"),
            "actual_households": ("household", "households"), "actual_persons": ("person", "persons"),
            "medical_persons": ("person", "persons")}


def why_note(c: Comparison, lang: str = "zh", scheme: str | None = None) -> str:
    """The reasons the rule (``scheme``, default the baseline) and the registry differ, in
    words with their numbers (Markdown: a sentence and a list), then what the "five simulated
    programmes" line sums and why it is far above the ledger."""
    name = c.names[0] if scheme is None else scheme
    s = c.summary.set_index("name").loc[name]
    r = c.reconciliation[c.reconciliation["scheme"] == name].set_index("row")
    a = c.actual.set_index("programme")
    f = Formatter(lang)
    def w(key: str, **kw: object) -> str:  # the note's words, with "household" / "households" for English
        for name in [k for k in kw if k in _COUNTED]:
            kw[f"{name}_word"] = f.plural(kw[name], *_COUNTED[name])
        kw = {k: (f.cell(v, "count") if k in _COUNTED or k in ("above", "barred", "registry_persons")
                  else v) for k, v in kw.items()}
        return compare_word("note", key, lang).format(**kw)

    count = lambda v: int(v)  # noqa: E731 - formatted by w()
    money = lambda v: _money(v, lang)  # noqa: E731
    registry = r.loc[["registry_above_line", "registry_barred"]]
    enrolled = r.loc[["both", "registry_above_line", "registry_barred"]]
    lines = [
        w("why", scheme=c.label(name, lang), cost=money(s["cost_year"]), households=count(s["households"]),
          persons=count(s["persons"]), actual_households=count(s["actual_households"]),
          registry_persons=count(s["registry_persons"]), actual_persons=count(s["actual_persons"]),
          paid=money(s["actual_paid_year"]), full_year=money(s["actual_paid_full_year"])),
        "",
        "1. " + w("why_rule_only", households=count(r.loc["rule_only", "households"]),
                  persons=count(r.loc["rule_only", "persons"]), cost=money(r.loc["rule_only", "cost_year"])),
        "2. " + w("why_registry", households=count(registry["households"].sum()),
                  above=count(r.loc["registry_above_line", "households"]),
                  barred=count(r.loc["registry_barred", "households"]),
                  full_year=money(registry["paid_full_year"].sum())),
        "3. " + w("why_level", households=count(r.loc["both", "households"]), cost=money(r.loc["both", "cost_year"]),
                  full_year=money(r.loc["both", "paid_full_year"]), paid_year=money(s["actual_paid_year"]),
                  full_year_all=money(enrolled["paid_full_year"].sum()),
                  gap=money(abs(s["actual_paid_year"] - enrolled["paid_full_year"].sum())),
                  gone=money(r.loc["paid_not_enrolled", "paid_year"])),
        "",
        w("all_programmes", cost_all=money(s["cost_year_all"]), paid_all=money(s["actual_paid_year_all"]),
          paid_ledger=money(s["actual_paid_ledger"]), medical=money(s["medical_cost_year"]),
          medical_paid=money(a.loc["medical", "paid_year"]), medical_persons=count(a.loc["medical", "persons"])),
    ]
    return "\n".join(lines)

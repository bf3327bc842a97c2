"""Compare schemes: the baseline and N schemes, simulated on one region, as tidy tables.

:func:`compare` prepares the region once (:func:`reliefkit.simulate.prepared.prepare`), simulates
each scheme on the same arrays and returns a :class:`Comparison`: one summary row per
scheme (DATA.md's figures first, then the standard indicators of
:mod:`reliefkit.simulate.indicators`, each scheme's poverty on a fixed yardstick, and the
actual registry and ledger of :mod:`reliefkit.simulate.actual`), the same figures by
district, area, main cause, income decile and quintile, the cost and reach of every
programme beside what the ledger paid, why the rule and the registry differ, and the
winners and losers against the baseline. ``reliefkit compare`` and the comparison notebook
both call it.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping

import numpy as np
import pandas as pd

from reliefkit.errors import SchemeError, UsageError
from reliefkit.policy.parameters import Policy
from reliefkit.policy.schemes import (
    BASELINE_LABELS,
    BASELINE_NAME,
    Scheme,
    load_scheme,
    scheme_from_mapping,
    scheme_label,
)
from reliefkit.simulate.actual import actual, reconcile
from reliefkit.simulate.indicators import indicators, quintile_table
from reliefkit.simulate.measures import BREAKDOWNS, REFERENCE_KEYS, breakdown, measures
from reliefkit.simulate.prepared import prepare
from reliefkit.simulate.simulation import Simulation, simulate

if TYPE_CHECKING:  # pragma: no cover
    from reliefkit.region.region import Region

__all__ = ["Comparison", "compare", "winners_losers", "BANDS", "TEXT_ROWS"]

#: edges (yuan a year, per household) of the bands of winners and losers
BANDS = (120.0, 1200.0)
_UNCHANGED = 0.005  # half a fen
PROGRAMMES = ("dibao", "tekun", "marginal", "temporary", "medical")
#: keys rounded to 2 decimals in JSON (amounts in yuan)
MONEY_KEYS = frozenset({"cost_year", "cost_change", "cost_year_all", "cost_all_change",
                        "tekun_cost_year", "marginal_cost_year", "temporary_cost_year", "medical_cost_year",
                        "cost_per_gap_point", "extra_cost_per_gap_point", "actual_paid_year",
                        "actual_paid_full_year", "actual_paid_year_all", "actual_paid_full_year_all",
                        "actual_paid_ledger", "rule_only_cost_year"})


#: the rows of :meth:`Comparison.to_text` and how each is printed (kinds of ``Formatter.cell``)
TEXT_ROWS = (
    ("households", "count"), ("persons", "count"), ("cost_year", "money"), ("cost_change", "money"),
    ("line_rural", "money"), ("line_urban", "money"),
    ("p0_before", "percent"), ("p0_after", "percent"), ("p1_before", "index"), ("p1_after", "index"),
    ("p2_before", "index"), ("p2_after", "index"), ("exclusion_error", "percent"), ("inclusion_error", "percent"),
    ("registry_exclusion_error", "percent"), ("registry_inclusion_error", "percent"),
    ("gini_before", "index"), ("gini_after", "index"), ("cgh", "index"), ("cost_per_gap_point", "money"),
    ("cost_year_all", "money"), ("p0_after_all", "percent"),
    ("households_gaining", "count"), ("households_losing", "count"),
    ("coverage_q1", "percent"), ("beneficiary_rate", "percent"), ("adequacy", "percent"),
    ("gap_reduction", "percent"), ("gap_removed_per_yuan", "index"), ("overlap_persons", "count"),
    ("p0_after_fixed", "percent"), ("p1_after_fixed", "index"),
    ("actual_households", "count"), ("registry_persons", "count"), ("actual_persons", "count"),
    ("actual_paid_year", "money"), ("actual_paid_full_year", "money"), ("actual_paid_year_all", "money"),
    ("actual_paid_ledger", "money"), ("rule_only_households", "count"), ("registry_not_eligible_households", "count"),
)


def _width(text: str) -> int:
    """Columns a terminal gives ``text`` (wide East Asian characters take two)."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    """``text`` right-aligned in ``width`` terminal columns."""
    return " " * max(0, width - _width(text)) + text


def _band_labels(edges: tuple[float, float]) -> list[str]:
    lo, hi = (f"{e:,.0f}" for e in edges)
    return [f"loses ≥ {hi}", f"loses {lo}–{hi}", f"loses < {lo}", "unchanged",
            f"gains < {lo}", f"gains {lo}–{hi}", f"gains ≥ {hi}"]


def winners_losers(sim: Simulation, baseline: Simulation, edges: tuple[float, float] = BANDS) -> pd.DataFrame:
    """Households gaining or losing against the baseline, by band of the change in what
    they receive a year from every programme.

    Parameters
    ----------
    sim, baseline : Simulation
        A scheme and the baseline, simulated on one prepared region.
    edges : (float, float)
        Edges (yuan a year) of the bands.

    Returns
    -------
    pandas.DataFrame
        Per band: scheme, band, households, persons, change_year.

    Examples
    --------
    >>> from reliefkit.region.region import load_region
    >>> region = load_region("data/sample")
    >>> b = simulate(region, 2026)
    >>> t = winners_losers(b, b)
    >>> t.loc[t["band"] == "unchanged", "households"].item() == b.prepared.households
    True
    """
    if sim.prepared is not baseline.prepared:
        raise UsageError("needs two simulations of one prepared region",
                         "simulate both from the same prepare(region, year)", function="winners_losers")
    change = sim["transfers_year"] - baseline["transfers_year"]
    lo, hi = edges
    band = np.select(
        [change <= -hi, change <= -lo, change <= -_UNCHANGED, change < _UNCHANGED, change < lo, change < hi],
        [0, 1, 2, 3, 4, 5], 6)
    n = sim.prepared.n.astype("float64")
    return pd.DataFrame({
        "scheme": sim.name,
        "band": _band_labels(edges),
        "households": np.bincount(band, minlength=7),
        "persons": np.bincount(band, weights=n, minlength=7).astype(np.int64),
        "change_year": np.bincount(band, weights=change, minlength=7),
    })


def _programmes(sim: Simulation) -> pd.DataFrame:
    arrays, n = sim.arrays, sim.prepared.n
    rows = []
    for p in PROGRAMMES:
        yearly = arrays[p] if p in ("temporary", "medical") else 12 * arrays[p]
        if p == "dibao":
            who = arrays["eligible"]
        elif p == "tekun":
            who = arrays["tekun_persons"] > 0
        elif p in ("marginal", "temporary"):
            who = arrays[f"{p}_eligible"]
        else:
            who = arrays[p] > 0
        persons = int(arrays["tekun_persons"].sum()) if p == "tekun" else int(n[who].sum())
        rows.append({"scheme": sim.name, "programme": p, "households": int(who.sum()), "persons": persons,
                     "cost_year": float(yearly.sum())})
    return pd.DataFrame(rows)


def _show(value: Any) -> str:
    if isinstance(value, Mapping):
        value = {str(k): v for k, v in value.items()}
    return json.dumps(value, default=str, ensure_ascii=False)


def _as_scheme(s: Scheme | str | Path | Mapping) -> Scheme:
    if isinstance(s, Scheme):
        return s
    if isinstance(s, Mapping):
        return scheme_from_mapping(s)
    return load_scheme(s)


@dataclass(frozen=True, eq=False, repr=False)
class Comparison:
    """The result of :func:`compare`: plain DataFrames, the baseline first in each.

    Attributes
    ----------
    year : int
    scope : str
        ``"region"`` or the district compared.
    summary : DataFrame
        One row per scheme: DATA.md's figures (``name`` … ``inclusion_error``), every
        other measure of :func:`reliefkit.simulate.measures.measures`, and against the baseline:
        ``cost_change``, ``cost_all_change``, ``households_gaining``,
        ``households_losing``, ``extra_cost_per_gap_point``.
    breakdowns : dict of str → DataFrame
        ``district``, ``area``, ``main_cause``, ``decile``: the measures per group,
        tidy (``scheme``, group, figures); ``quintile``: the ASPIRE indicators per
        quintile (:func:`reliefkit.simulate.indicators.quintile_table`).
    programmes : DataFrame
        Per scheme and programme: households, persons, yearly cost.
    winners_losers : DataFrame
        Per scheme (not the baseline) and band of yearly change: households, persons, change.
    parameters : DataFrame
        What each scheme sets: scheme, parameter, value, source file.
    simulations : tuple of Simulation
    actual : DataFrame
        The registry on D and the ledger of Y per simulated programme
        (:func:`reliefkit.simulate.actual.actual`).
    reconciliation : DataFrame
        Per scheme, why its minimum living allowance differs from the registry's and the
        ledger's (:func:`reliefkit.simulate.actual.reconcile`).
    names : dict of str → dict
        Per scheme name, its name in each language (:meth:`label`).

    Examples
    --------
    >>> from reliefkit.region.region import load_region
    >>> c = compare(load_region("data/sample"), 2026, ["notebooks/schemes/rural-180.yaml"])
    >>> c.summary["name"].tolist(), c.scope
    (['baseline', 'Rural line 180'], 'region')
    """

    year: int
    scope: str
    summary: pd.DataFrame
    breakdowns: dict[str, pd.DataFrame]
    programmes: pd.DataFrame
    winners_losers: pd.DataFrame
    parameters: pd.DataFrame
    simulations: tuple[Simulation, ...]
    actual: pd.DataFrame = field(default_factory=pd.DataFrame)
    reconciliation: pd.DataFrame = field(default_factory=pd.DataFrame)
    labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        """Scheme names, baseline first."""
        return self.summary["name"].tolist()

    def label(self, name: str, lang: str) -> str:
        """What ``lang`` calls the scheme ``name`` (its ``name_zh`` / ``name_en``, else ``name``).

        Examples
        --------
        >>> from reliefkit.region.region import load_region
        >>> c = compare(load_region("data/sample"), 2026, ["notebooks/schemes/rural-180.yaml"])
        >>> [c.label(n, "zh") for n in c.names]
        ['现行政策', '农村低保标准提至180元']
        """
        return scheme_label(name, self.labels.get(name, {}), lang)

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table by sheet name (what ``to_xlsx`` writes)."""
        out = {"summary": self.summary, "programmes": self.programmes}
        out.update({f"by_{k}": v for k, v in self.breakdowns.items()})
        out["winners_losers"] = self.winners_losers
        out["actual"] = self.actual
        out["reconciliation"] = self.reconciliation
        out["parameters"] = self.parameters
        return out

    def to_json(self) -> dict[str, Any]:
        """``{"schemes": [...]}`` as DATA.md states: plain JSON numbers, amounts rounded to
        2 decimals, shares unrounded; non-finite numbers become ``null``."""
        records = []
        for row in self.summary.to_dict("records"):
            rec: dict[str, Any] = {}
            for k, v in row.items():
                if isinstance(v, (bool, np.bool_)):
                    rec[k] = bool(v)
                elif isinstance(v, (int, np.integer)):
                    rec[k] = int(v)
                elif isinstance(v, (float, np.floating)):
                    v = float(v)
                    rec[k] = None if not math.isfinite(v) else (round(v, 2) + 0.0 if k in MONEY_KEYS else v + 0.0)
                else:
                    rec[k] = v
            for lang in ("zh", "en"):
                rec[f"name_{lang}"] = self.label(rec["name"], lang)
            records.append(rec)
        return {"schemes": records}

    def to_xlsx(self, path: str | Path) -> Path:
        """Write every table to one workbook, a sheet per table."""
        from reliefkit.safety.writers import (
            write_xlsx,  # escaped, atomic, deterministic
        )

        return write_xlsx(self.tables(), path)

    def to_text(self, lang: str = "en") -> str:
        """The summary as a table a person reads: one column per scheme (its name in
        ``lang``), one row per figure of :data:`TEXT_ROWS`, numbers through the one formatter
        (:meth:`reliefkit.text.formatting.Formatter.cell`).

        Examples
        --------
        >>> from reliefkit.region.region import load_region
        >>> c = compare(load_region("data/sample"), 2026)
        >>> c.to_text("zh").splitlines()[0]
        '全区域救助方案比较（2026年12月31日）'
        """
        from reliefkit.text.formatting import Formatter
        from reliefkit.text.words import compare_word

        f = Formatter(lang)
        names = [self.label(n, lang) for n in self.names]
        labels = [compare_word("measure", key, lang) for key, _ in TEXT_ROWS]
        cells = [[f.cell(v, kind) for v in self.summary[key]] for key, kind in TEXT_ROWS]
        widths = [max(_width(name), *(_width(r[i]) for r in cells)) + 3 for i, name in enumerate(names)]
        label_w = max(_width(label) for label in labels) + 1
        scope = compare_word("text", "region", lang) if self.scope == "region" else self.scope
        lines = [compare_word("text", "title", lang).format(scope=scope, year=self.year),
                 " " * label_w + "".join(_pad(n, w) for n, w in zip(names, widths))]
        for label, row in zip(labels, cells):
            lines.append(label + " " * (label_w - _width(label)) + "".join(_pad(c, w) for c, w in zip(row, widths)))
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<Comparison {self.year} {self.scope}: {', '.join(self.names)}>"


def compare(region: Region, year: int, schemes: Iterable[Scheme | str | Path | Mapping] = (), *,
            district: str | None = None, policy: Policy | None = None,
            bands: tuple[float, float] = BANDS,
            yardstick: Scheme | str | Path | Mapping | None = None) -> Comparison:
    """Simulate the baseline and each scheme on ``region`` and tabulate every measure.

    Parameters
    ----------
    region : Region
    year : int
        Y: the reference day D is 31 December Y.
    schemes : iterable
        :class:`~reliefkit.policy.schemes.Scheme` objects, scheme file paths, or mappings
        ``{"name": …, "set": {…}}``.
    district : str, optional
        Compare within one district (its households and their persons only).
    policy : Policy, optional
        What the schemes apply over (default: the region's policy); it is the baseline.
    bands : (float, float)
        Edges (yuan a year) of the winners-and-losers bands.
    yardstick : scheme, optional
        Whose lines are the fixed yardstick of the ``_fixed`` figures (default: the
        baseline's); a scheme as ``schemes`` takes them, over the same policy.

    Raises
    ------
    SchemeError
        A scheme file that is malformed, sets an unknown parameter, or two schemes with
        one name.

    Returns
    -------
    Comparison

    Examples
    --------
    >>> from reliefkit.region.region import load_region
    >>> c = compare(load_region("data/sample"), 2026, [{"name": "Rural 180", "set": {"rural_dibao.line": 180}}])
    >>> c.names
    ['baseline', 'Rural 180']
    >>> bool(c.summary["cost_year"].is_monotonic_increasing)
    True
    """
    loaded = [_as_scheme(s) for s in schemes]
    seen = {BASELINE_NAME}
    for s in loaded:
        if s.name in seen:
            raise SchemeError(f"a second scheme is named {s.name!r}", "give each scheme its own name",
                              file=s.source, key="name")
        seen.add(s.name)
    scope = region.district(district) if district is not None else region
    base = prepare(scope, year)
    sims = [simulate(base, policy=policy)] + [simulate(base, scheme=s, policy=policy) for s in loaded]
    baseline = sims[0]
    fixed = baseline if yardstick is None else simulate(base, scheme=_as_scheme(yardstick), policy=policy)
    ledger = actual(scope, base)
    reconciled = [reconcile(scope, s) for s in sims]
    rows = [{**measures(s), **indicators(s, fixed), **_actual_keys(ledger, r)} for s, r in zip(sims, reconciled)]
    bands_tables = [winners_losers(s, baseline, bands) for s in sims[1:]]
    baseline_row = rows[0]
    for sim, row in zip(sims, rows):
        change = sim["transfers_year"] - baseline["transfers_year"]
        row["cost_change"] = row["cost_year"] - baseline_row["cost_year"]
        row["cost_all_change"] = row["cost_year_all"] - baseline_row["cost_year_all"]
        row["households_gaining"] = int((change >= _UNCHANGED).sum())
        row["households_losing"] = int((change <= -_UNCHANGED).sum())
        removed = 100 * (baseline_row["p1_after"] - row["p1_after"])
        row["extra_cost_per_gap_point"] = row["cost_change"] / removed if removed else 0.0
    summary = pd.DataFrame(rows)
    first = list(REFERENCE_KEYS)
    summary = summary[first + [c for c in summary.columns if c not in first]]
    breakdowns = {by: pd.concat([breakdown(s, by) for s in sims], ignore_index=True) for by in BREAKDOWNS}
    breakdowns["quintile"] = pd.concat([quintile_table(s) for s in sims], ignore_index=True)
    params = [{"scheme": s.name, "parameter": k, "value": _show(v),
               "source": s.source} for s in loaded for k, v in s.values.items()]
    return Comparison(
        year=year, scope=scope.scope or "region", summary=summary, breakdowns=breakdowns,
        programmes=pd.concat([_programmes(s) for s in sims], ignore_index=True),
        winners_losers=(pd.concat(bands_tables, ignore_index=True) if bands_tables else
                        pd.DataFrame(columns=["scheme", "band", "households", "persons", "change_year"])),
        parameters=pd.DataFrame(params, columns=["scheme", "parameter", "value", "source"]),
        simulations=tuple(sims), actual=ledger, reconciliation=pd.concat(reconciled, ignore_index=True),
        labels={BASELINE_NAME: dict(BASELINE_LABELS), **{s.name: dict(s.names) for s in loaded}},
    )


def _actual_keys(ledger: pd.DataFrame, reconciled: pd.DataFrame) -> dict[str, int | float]:
    """The registry's and ledger's figures and the reconciliation's counts, as summary keys."""
    by = ledger.set_index("programme")
    rec = reconciled.set_index("row")
    simulated = [p for p in by.index if p not in ("not_simulated", "ledger_total")]
    return {
        "actual_households": int(by.loc["dibao", "households"]),
        "actual_persons": int(by.loc["dibao", "persons"]),
        "actual_paid_year": float(by.loc["dibao", "paid_year"]),
        "actual_paid_full_year": float(by.loc["dibao", "paid_full_year"]),
        "actual_paid_year_all": float(by.loc[simulated, "paid_year"].sum()),
        "actual_paid_full_year_all": float(by.loc[simulated, "paid_full_year"].sum()),
        "actual_paid_ledger": float(by.loc["ledger_total", "paid_year"]),
        "rule_only_households": int(rec.loc["rule_only", "households"]),
        "rule_only_persons": int(rec.loc["rule_only", "persons"]),
        "rule_only_cost_year": float(rec.loc["rule_only", "cost_year"]),
        "registry_not_eligible_households": int(rec.loc[["registry_above_line", "registry_barred"], "households"].sum()),
        "registry_not_eligible_persons": int(rec.loc[["registry_above_line", "registry_barred"],
                                                     "enrolled_persons"].sum()),
    }

"""Notebook 02's workbook: the tables the notebook shows, in the run's language, a sheet
each (with the sweep and the budget answer), or every table of the comparison under its
code name — the machine-readable form ``reliefkit compare --xlsx`` writes too.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from reliefkit.notebook.compare_sweep import Budget, budget_table
from reliefkit.notebook.compare_tables import (_m, actual_table, cost_vs_poverty, errors_table, fgt_table,
                                               fixed_heading, fixed_table, incidence_table, indicators_table,
                                               quintile_view, reconciliation_table, section, summary_table,
                                               winners_table)
from reliefkit.text.words import compare_word

if TYPE_CHECKING:  # pragma: no cover
    from reliefkit.simulate.compare import Comparison

__all__ = ["write_workbook"]


#: the reader's tables of a comparison workbook in a language: (section heading key, view)
_READER_SHEETS = (("summary", summary_table), ("actual", actual_table), ("why", reconciliation_table),
                  ("indicators", indicators_table), ("quintiles", quintile_view), ("cost", cost_vs_poverty),
                  ("fgt", fgt_table), ("errors", errors_table), ("incidence", incidence_table),
                  ("winners", winners_table))


def _reader_sheets(c: Comparison, lang: str, sweep: pd.DataFrame | None, b: Budget | None) -> dict[str, pd.DataFrame]:
    """The tables notebook 02 shows, in ``lang``, numbers unrounded, one sheet each (headed
    by its section's title; the fixed-yardstick table after the indicators)."""
    def flat(frame: pd.DataFrame) -> pd.DataFrame:
        frame = frame.reset_index()
        if isinstance(frame.columns, pd.MultiIndex):  # e.g. scheme × quintile: one header row
            frame.columns = [" ".join(str(x) for x in col if str(x)) for col in frame.columns]
        return frame

    sheets: dict[str, pd.DataFrame] = {}
    for key, view in _READER_SHEETS:
        sheets[section(key, lang)] = flat(view(c, lang, text=False))
        if key == "indicators":
            sheets[fixed_heading(c, lang).lstrip("# ").split("\n")[0]] = flat(fixed_table(c, lang, text=False))
    if sweep is not None:
        sheets[section("sweep", lang)] = sweep.rename(
            columns={col: compare_word("sweep", col, lang) for col in sweep.columns})
    if b is not None:
        sheets[_m("budget", lang).split("（")[0].split(" (")[0]] = flat(budget_table(b, lang))
    return sheets


def write_workbook(c: Comparison, path: str | Path, *, sweep: pd.DataFrame | None = None,
                   budget: Budget | None = None, lang: str | None = None,
                   title: str | None = None) -> Path:  # noqa: F811 - the argument shadows budget()
    """The comparison as a workbook; the file's dates are fixed, so equal tables give equal
    bytes.

    With ``lang`` (what notebook 02 writes): the tables the notebook shows, in that
    language, numbers unrounded, a sheet each, the budget answer and the sweep. Without:
    every table of the comparison (:meth:`~reliefkit.simulate.compare.Comparison.tables`)
    under its code name, the sweep and the budget answer — the machine-readable form
    ``reliefkit compare --xlsx`` writes too. ``title`` is the workbook's title property
    (notebook 02 gives the scope's comparison title).

    Examples
    --------
    >>> import tempfile, openpyxl
    >>> from reliefkit.region.region import load_region
    >>> from reliefkit.simulate.compare import compare
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = write_workbook(compare(load_region("data/sample"), 2026), tmp + "/c.xlsx", lang="zh")
    ...     openpyxl.load_workbook(path).sheetnames[:2]
    ['各方案主要指标', '测算与实际对照']
    """
    from reliefkit.safety.writers import write_xlsx  # escaped, atomic, deterministic

    if lang is not None:
        return write_xlsx(_reader_sheets(c, lang, sweep, budget), path, title=title)
    sheets = dict(c.tables())
    if sweep is not None:
        sheets["sweep"] = sweep
    if budget is not None:
        a = budget.answer
        row = {"budget": budget.amount, "from_ledger": budget.from_ledger, "line_now": budget.line_now,
               "cost_now": budget.cost_now, "line": a.line if a else None,
               "cost_year": a.cost_year if a else None, "paths": ", ".join(a.paths) if a else "",
               "problem": budget.problem}
        if a:
            row.update({k: v for k, v in a.figures.items() if k != "name"})
        sheets["budget"] = pd.DataFrame([row])
    return write_xlsx(sheets, path)

"""The files a notebook writes into its ``output_dir`` — nothing when it is None.

One function per notebook, so that a notebook holds no ``if``: each returns what it
wrote (``{kind: path}``), empty when the notebook was run without an output folder (as
the committed notebooks are). File names carry the year and the scope
(``explore-2026-城关镇.xlsx``, ``compare-2026-region.xlsx``, ``summary-2026-城关镇-zh.md``,
``published-2026-城关镇-zh.csv`` …).

Examples
--------
>>> from reliefkit.notebook.parameters import check_parameters
>>> explore_files(check_parameters(region_dir="data/sample", year=2026))
{}
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from reliefkit.text.slugs import scope_slug

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from reliefkit.notebook.compare_sweep import Budget
    from reliefkit.notebook.parameters import NotebookParameters
    from reliefkit.simulate.compare import Comparison

__all__ = ["explore_files", "compare_files", "summary_files", "summary_charts"]

def explore_files(p: NotebookParameters) -> dict[str, Path]:
    """Notebook 01: every table to ``explore-<year>-<scope>.xlsx``."""
    from reliefkit.notebook.explore_tables import write_workbook

    path = p.output(f"explore-{p.year}-{scope_slug(p.district)}.xlsx")
    return {} if path is None else {"xlsx": write_workbook(p.scope, p.year, path, p.lang)}


def compare_files(p: NotebookParameters, comparison: Comparison, sweep: pd.DataFrame | None = None,
                  budget: Budget | None = None) -> dict[str, Path]:
    """Notebook 02: every table, the sweep and the budget to ``compare-<year>-<scope>.xlsx``."""
    from reliefkit.notebook.compare_tables import section
    from reliefkit.notebook.compare_workbook import write_workbook

    path = p.output(f"compare-{p.year}-{scope_slug(p.district)}.xlsx")
    title = section("title", p.lang, scope=p.scope.scope_name(p.lang))
    return {} if path is None else {"xlsx": write_workbook(comparison, path, sweep=sweep, budget=budget, lang=p.lang,
                                                           title=title)}


def summary_files(p: NotebookParameters) -> dict[str, Path]:
    """Notebook 03: the summary as Markdown (charts beside it), HTML and DOCX
    (:func:`reliefkit.report.summary.write_summary`), and the statistical table for publication,
    small cells suppressed, as ``published:csv`` and ``published:xlsx``
    (:func:`reliefkit.report.publication.write_published`)."""
    from reliefkit.report.publication import write_published
    from reliefkit.report.summary import write_summary

    if p.output_dir is None:
        return {}
    written = {k: Path(v) for k, v in write_summary(p.region, p.year, p.district, p.lang, p.output_dir,
                                                    name=p.name).items()}
    published = write_published(p.region, p.year, p.district, p.lang, p.output_dir, name=p.name)
    return written | {f"published:{k}": v for k, v in published.items()}


def summary_charts(p: NotebookParameters, written: dict[str, Path] | None = None) -> dict[str, bytes]:
    """The summary's charts as PNG bytes by name: those :func:`summary_files` wrote (read
    back, not drawn twice), else drawn now (:func:`reliefkit.report.charts.render_charts`)."""
    charts = {k.split(":", 1)[1]: Path(v).read_bytes() for k, v in (written or {}).items() if k.startswith("chart:")}
    if charts:
        return charts
    from reliefkit.report.charts import render_charts

    return render_charts(p.scope, p.year, p.lang)

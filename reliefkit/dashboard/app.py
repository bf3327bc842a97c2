"""The office's dashboard: the explorer, the scheme playground and downloads, as tabs.

What ``notebooks/dashboard/dashboard.ipynb`` shows (Voilà serves it, code hidden):

- the explorer of notebook 01 (:class:`reliefkit.notebook.widgets.Explorer`: district,
  programme, cause, age band and income → counts, the masked person list, charts);
- the scheme playground (:class:`reliefkit.dashboard.playground.Playground`);
- the households under monitoring and the pairing suggestions
  (:mod:`reliefkit.dashboard.lists`, masked, the complete lists as XLSX);
- downloads: every table of the explorer (notebook 01's workbook), the current selection
  (masked, complete), the playground's scheme compared with the baseline (notebook 02's
  workbook), each as XLSX (:mod:`reliefkit.dashboard.downloads`).

:func:`parameters` reads what ``reliefkit dashboard`` passes to the notebook's kernel in
:data:`ENV` (the region folder, the year, the language): a preheated kernel runs the
notebook before anyone asks for the page, so the parameters cannot come with the request.

Examples
--------
>>> d = dashboard(parameters(region_dir="data/sample", year=2026, lang="en"))
>>> d
Dashboard(青山区 2026, en: Explorer, Scheme playground, Monitoring, Pairing suggestions, Downloads)
>>> d.explorer.select(district="城关镇")
>>> int(d.explorer.counts.iloc[0, 0])
1467
"""

from __future__ import annotations

import html
import os
from collections.abc import Mapping
from typing import Any

import ipywidgets as w

from reliefkit.dashboard.downloads import DownloadButton
from reliefkit.dashboard.lists import ListView, monitoring_table, pairing_table
from reliefkit.dashboard.playground import Playground
from reliefkit.notebook import explore_selection
from reliefkit.notebook import explore_tables as explore
from reliefkit.notebook.parameters import NotebookParameters, check_parameters
from reliefkit.notebook.widgets import Explorer
from reliefkit.text.slugs import file_slug, scope_slug
from reliefkit.text.words import word

__all__ = ["ENV", "Dashboard", "dashboard", "parameters"]

#: environment variables ``reliefkit dashboard`` sets for the kernel: parameter → variable
ENV = {"region_dir": "RELIEFKIT_DASHBOARD_REGION", "year": "RELIEFKIT_DASHBOARD_YEAR",
       "lang": "RELIEFKIT_DASHBOARD_LANG"}


def _d(key: str, lang: str) -> str:
    return word("dashboard", key, lang)


def parameters(*, region_dir: str, year: int, lang: str = "zh",
               environ: Mapping[str, str] | None = None) -> NotebookParameters:
    """The dashboard's checked parameters: those given, each replaced by its variable of
    :data:`ENV` when that is set (what ``reliefkit dashboard`` does).

    Parameters
    ----------
    region_dir : str
        Region folder or store (a relative path is looked up from the working directory,
        then from the repository).
    year : int
    lang : {"zh", "en"}
    environ : mapping, optional
        Where to read the variables (default: ``os.environ``).

    Returns
    -------
    NotebookParameters

    Raises
    ------
    ParameterError
        A year that is not a number, a region folder that does not exist, a language
        other than zh or en.

    Examples
    --------
    >>> p = parameters(region_dir="nowhere", year=2026, environ={"RELIEFKIT_DASHBOARD_REGION": "data/sample"})
    >>> p.region_text, p.year
    ('data/sample', 2026)
    """
    env = os.environ if environ is None else environ
    given: dict[str, Any] = {"region_dir": region_dir, "year": year, "lang": lang}
    for name, variable in ENV.items():
        if env.get(variable):
            given[name] = env[variable]
    return check_parameters(**given)


class Dashboard(w.VBox):
    """The dashboard widget: a header and one tab per view.

    Attributes
    ----------
    explorer : Explorer
    playground : Playground
    tabs : ipywidgets.Tab

    Parameters
    ----------
    params : NotebookParameters
        The region (the whole region: the explorer's and the playground's district
        selectors pick a district), the year and the language.

    Examples
    --------
    >>> d = Dashboard(parameters(region_dir="data/sample", year=2026))
    >>> [d.tabs.get_title(i) for i in range(len(d.tabs.children))]
    ['对象查询', '政策测算', '动态监测', '结对建议', '表格下载']
    """

    def __init__(self, params: NotebookParameters) -> None:
        self.params = params
        lang, year, region = params.lang, params.year, params.region
        self.explorer = Explorer(explore.people(region, year), lang)
        self.playground = Playground(region, year, lang)
        self.monitoring = ListView(region, year, lang, monitoring_table, lambda d: self._file(f"monitoring-{scope_slug(d)}"),
                                   _d("download_monitoring", lang))
        self.pairing = ListView(region, year, lang, pairing_table, lambda d: self._file(f"pairing-{scope_slug(d)}"),
                                _d("download_pairing", lang))
        views = [(_d("tab_explorer", lang), self.explorer), (_d("tab_playground", lang), self.playground),
                 (_d("tab_monitoring", lang), self.monitoring), (_d("tab_pairing", lang), self.pairing),
                 (_d("tab_downloads", lang), self._downloads())]
        self.tabs = w.Tab(children=[v for _, v in views], titles=[t for t, _ in views])
        title = _d("title", lang).format(region=region.scope_name(lang), year=year)
        self.header = w.HTML(f"<h2 class='reliefkit-title'>{html.escape(title)}</h2>")
        super().__init__([self.header, self.tabs])

    def _file(self, key: str) -> str:
        p = self.params
        return f"{file_slug(p.region.name, 'region')}-{p.year}-{key}-{p.lang}.xlsx"

    def _downloads(self) -> w.VBox:
        from reliefkit.notebook import compare_workbook
        from reliefkit.safety.writers import write_xlsx
        from reliefkit.simulate.compare import compare

        p, lang = self.params, self.params.lang
        save = _d("save", lang)

        def selection(path: Any) -> Any:
            rows = explore_selection.selection_rows(self.explorer.selection, lang, limit=len(self.explorer.selection))
            return write_xlsx({"selection": rows}, path)

        def scheme(path: Any) -> Any:
            pg = self.playground
            c = compare(p.region, p.year, [pg.scheme()], district=pg.district)
            return compare_workbook.write_workbook(c, path, sweep=pg.curve, budget=pg.budget)

        buttons = [
            DownloadButton(_d("download_explorer", lang), lambda path: explore.write_workbook(p.region, p.year, path, lang),
                           lambda: self._file("explorer"), save),
            DownloadButton(_d("download_selection", lang), selection, lambda: self._file("selection"), save),
            DownloadButton(_d("download_scheme", lang), scheme, lambda: self._file(f"scheme-{scope_slug(self.playground.district)}"), save),
        ]
        self.downloads = buttons
        note = w.HTML(f"<p>{html.escape(_d('downloads_note', lang))}</p>")
        return w.VBox([note, *buttons])

    def __repr__(self) -> str:
        p = self.params
        titles = ", ".join(self.tabs.get_title(i) for i in range(len(self.tabs.children)))
        return f"Dashboard({p.region.name or 'region'} {p.year}, {p.lang}: {titles})"


def dashboard(params: NotebookParameters) -> Dashboard:
    """The dashboard over the region of ``params``.

    Parameters
    ----------
    params : NotebookParameters
        What :func:`parameters` returned.

    Returns
    -------
    Dashboard

    Examples
    --------
    >>> d = dashboard(parameters(region_dir="data/sample", year=2026, lang="en"))
    >>> d.playground.figures["persons"] == d.playground.baseline_figures["persons"]
    True
    """
    return Dashboard(params)

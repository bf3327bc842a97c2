"""The dashboard's two work lists: households under monitoring and pairing suggestions.

The lists are :func:`reliefkit.figures.monitoring.monitored_households` and
:func:`reliefkit.figures.pairing.suggest_pairings`, labelled in the page's language and
masked the way the notebooks mask: household, person and helper IDs through
:func:`~reliefkit.text.idnumbers.mask_id` (the frames hold no names). :class:`ListView`
shows the first :data:`~reliefkit.notebook.explore_tables.LIST_LIMIT` rows of a district
(or of the whole region) and offers the complete list as XLSX.

Examples
--------
>>> from reliefkit.region.region import load_region
>>> t = monitoring_table(load_region("data/sample"), 2026, "en")
>>> t.columns[:3].tolist(), t.iloc[0, 0]
(['Household (masked)', 'District', 'Village'], '01****19')
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING

import ipywidgets as w
import pandas as pd

from reliefkit.dashboard.downloads import DownloadButton
from reliefkit.dashboard.playground import ALL
from reliefkit.notebook.explore_tables import LIST_LIMIT
from reliefkit.text.idnumbers import mask_id
from reliefkit.text.words import word

if TYPE_CHECKING:  # pragma: no cover
    from reliefkit.region.region import Region

__all__ = ["monitoring_table", "pairing_table", "ListView"]


def _d(key: str, lang: str) -> str:
    return word("dashboard", key, lang)


def _col(key: str, lang: str) -> str:
    return word("column", key, lang)


def _yes(flags: pd.Series, lang: str) -> list[str]:
    return [word("yesno", str(bool(f)).lower(), lang) for f in flags]


def monitoring_table(region: Region, year: int, lang: str = "zh", district: str | None = None) -> pd.DataFrame:
    """The monitored households of the region (or of ``district``), masked and labelled:
    household, district, village, category, members alive, per-capita yearly income before
    and after medical spending, the line, and whether no measure supports it yet.

    Examples
    --------
    >>> from reliefkit.region.region import load_region
    >>> len(monitoring_table(load_region("data/sample"), 2026, district="城关镇")) > 0
    True
    """
    from reliefkit.figures.monitoring import monitored_households

    t = monitored_households(region, year)
    if district is not None:
        t = t[t["district"] == district]
    return pd.DataFrame({
        _col("household_masked", lang): [mask_id(h) for h in t["household_id"]],
        _col("district", lang): t["district"].to_numpy(),
        _col("village", lang): t["village"].to_numpy(),
        _d("category", lang): [_d(f"category_{c}", lang) for c in t["category"]],
        _col("members", lang): t["persons"].to_numpy(),
        _d("income_year_pc", lang): t["per_capita"].round(2).to_numpy(),
        _d("income_year_pc_net", lang): t["per_capita_net"].round(2).to_numpy(),
        _d("monitoring_line", lang): t["line"].to_numpy(),
        _d("without_support", lang): _yes(t["without_support"], lang),
    })


def pairing_table(region: Region, year: int, lang: str = "zh", district: str | None = None) -> pd.DataFrame:
    """The pairing suggestions for the region's needy persons (or ``district``'s), masked
    and labelled: person, household, district, village, the helper suggested, its unit,
    unit type and district, whether both are in one district, the helper's places left.

    Examples
    --------
    >>> from reliefkit.region.region import load_region
    >>> pairing_table(load_region("data/sample"), 2026, "en").columns[0]
    'ID number (masked)'
    """
    from reliefkit.figures.pairing import suggest_pairings

    t = suggest_pairings(region, year, district)
    return pd.DataFrame({
        _col("id_masked", lang): [mask_id(p) for p in t["person_id"]],
        _col("household_masked", lang): [mask_id(h) for h in t["household_id"]],
        _col("district", lang): t["district"].to_numpy(),
        _col("village", lang): t["village"].to_numpy(),
        _d("helper", lang): [mask_id(h) for h in t["helper_id"]],
        _d("unit", lang): t["unit"].to_numpy(),
        _d("unit_type", lang): t["unit_type"].to_numpy(),
        _d("helper_district", lang): t["helper_district"].to_numpy(),
        _d("same_district", lang): _yes(t["same_district"], lang),
        _d("spare_left", lang): t["spare_left"].to_numpy(),
    })


class ListView(w.VBox):
    """A district selector, the first rows of a list, its length and a download of all of it.

    Parameters
    ----------
    region : Region
    year : int
    lang : {"zh", "en"}
    table : callable
        ``table(region, year, lang, district)`` → the list (:func:`monitoring_table`,
        :func:`pairing_table`).
    filename : callable
        ``filename(district)`` → the workbook's name.
    download : str
        The download button's text.

    Examples
    --------
    >>> from reliefkit.region.region import load_region
    >>> v = ListView(load_region("data/sample"), 2026, "en", monitoring_table, lambda d: "m.xlsx", "All")
    >>> v.select("城关镇"); len(v.table) == len(monitoring_table(v.region, 2026, "en", "城关镇"))
    True
    """

    def __init__(self, region: Region, year: int, lang: str, table: Callable[..., pd.DataFrame],
                 filename: Callable[[str | None], str], download: str) -> None:
        from reliefkit.safety.writers import write_xlsx  # escaped, atomic, deterministic

        self.region, self.year, self.lang, self._make = region, year, lang, table
        self._district = w.Dropdown(options=[(word("explorer", "all", lang), ALL)]
                                    + [(d, d) for d in region.districts],
                                    index=0, description=word("explorer", "district", lang),
                                    style={"description_width": "initial"})
        self._caption = w.HTML()
        self._rows = w.HTML(layout=w.Layout(width="100%"))
        self.download = DownloadButton(download, lambda path: write_xlsx({"list": self.table}, path),
                                       lambda: filename(self.district), _d("save", lang))
        self._district.observe(self._update, names="value")
        super().__init__([self._district, self._caption, self._rows, self.download])
        self._update()

    @property
    def district(self) -> str | None:
        """The district shown (None: the whole region)."""
        return self._district.value or None

    def select(self, district: str | None) -> None:
        """Show ``district``'s rows (None: the whole region)."""
        self._district.value = district or ALL

    def _update(self, change: object = None) -> None:
        self.table = self._make(self.region, self.year, self.lang, self.district)
        shown = _d("shown_rows", self.lang).format(n=min(len(self.table), LIST_LIMIT), total=len(self.table))
        self._caption.value = f"<b>{html.escape(shown)}</b>"
        self._rows.value = self.table.head(LIST_LIMIT).to_html(index=False)
        self.download.link.value = ""  # a link made for the other district's list would mislead

"""The two lists an office acts on after the count: the households under monitoring
against return to poverty (防返贫监测对象名单) and the pairing suggestions (结对帮扶建议名单).

Each is a table in the reader's language — :func:`monitoring_table`,
:func:`suggestion_table` — and a workbook with a summary sheet — :func:`write_monitoring_list`,
:func:`write_pairing_suggestions` (``reliefkit monitor``, ``reliefkit suggest-pairings``).
The figures are those of :mod:`reliefkit.figures.monitoring` and
:mod:`reliefkit.figures.pairing`, so a list is as long as the figure the summary states.

What is printed: the monitoring list holds no personal data at all (household IDs, places,
counts, incomes); the suggestion list shows the needy person's ID number masked
(:func:`reliefkit.text.idnumbers.mask_id`), never a name. Workbooks are written atomically,
cells escaped, with fixed dates (:func:`reliefkit.safety.writers.write_xlsx`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from reliefkit.figures.monitoring import CATEGORIES, MONITORING_LINE, monitored_households
from reliefkit.figures.pairing import helper_spare, needy_unpaired, suggest_pairings
from reliefkit.region.region import Region
from reliefkit.safety.writers import write_xlsx
from reliefkit.text.formatting import Formatter
from reliefkit.text.idnumbers import mask_id
from reliefkit.text.words import label, worklist_words

__all__ = ["monitoring_table", "monitoring_summary", "suggestion_table", "suggestion_summary",
           "write_monitoring_list", "write_pairing_suggestions"]

_MONITORING_COLUMNS = ("district", "village", "household_id", "category", "persons", "annual_income",
                       "medical_spending", "per_capita", "per_capita_net", "line", "support", "without_support")


def _scope(region: Region, district: str | None) -> Region:
    return region.district(district) if district is not None else region


def monitoring_table(region: Region, year: int, district: str | None = None, lang: str = "zh") -> pd.DataFrame:
    """The monitored households, one row each, with headers and categories in ``lang``.

    Parameters
    ----------
    region : Region
    year : int
        D is 31 December of it.
    district : str, optional
        That district's households only.
    lang : {"zh", "en"}

    Returns
    -------
    pandas.DataFrame
        District, village, household, category, members alive on D, income and medical
        costs, income per head before and after medical costs, the line, the support
        already in place (dibao or tekun, marginal, a paired helper) and whether none is.
        Amounts rounded to 2 decimals.

    Examples
    --------
    >>> from reliefkit import load_region, facts
    >>> region = load_region("data/sample")
    >>> table = monitoring_table(region, 2026)
    >>> len(table) == facts(region, 2026)["monitoring.households"], table.columns[3]
    (True, '监测类别')
    """
    w = worklist_words(lang)["monitoring"]
    frame = monitored_households(_scope(region, district), year)
    yes, no = w["yes_word"], w["no_word"]

    joiner = "、" if lang == "zh" else ", "
    kinds = ("standing", "marginal", "paired")
    support = [joiner.join(w["support"][k] for k, on in zip(kinds, flags) if on) or w["support"]["none"]
               for flags in frame[list(kinds)].itertuples(index=False)]
    out = frame.assign(
        category=frame["category"].map(w["category"]),
        support=pd.Series(support, index=frame.index, dtype=object),
        without_support=frame["without_support"].map({True: yes, False: no}),
    )
    for money in ("annual_income", "medical_spending", "per_capita", "per_capita_net"):
        out[money] = out[money].astype(float).round(2)
    out = out[list(_MONITORING_COLUMNS)]
    return out.rename(columns=w["columns"]).reset_index(drop=True)


def monitoring_summary(region: Region, year: int, district: str | None = None, lang: str = "zh") -> pd.DataFrame:
    """Households and persons per monitoring category, and those without any support
    measure, with a total row.

    Examples
    --------
    >>> from reliefkit import load_region
    >>> monitoring_summary(load_region("data/sample"), 2026, lang="en").iloc[-1, 0]
    'Total'
    """
    w = worklist_words(lang)["monitoring"]
    frame = monitored_households(_scope(region, district), year)
    rows = []
    for c in CATEGORIES:
        part = frame[frame["category"] == c]
        rows.append((w["category"][c], len(part), int(part["persons"].sum()), int(part["without_support"].sum())))
    rows.append((w["summary"]["total"], len(frame), int(frame["persons"].sum()), int(frame["without_support"].sum())))
    s = w["summary"]
    return pd.DataFrame(rows, columns=[s["category"], s["households"], s["persons"], s["without_support"]])


def suggestion_table(region: Region, year: int, district: str | None = None, lang: str = "zh") -> pd.DataFrame:
    """The pairing suggestion list in ``lang``: the needy person's ID masked.

    Parameters
    ----------
    region : Region
        The whole region is used for the suggestion (helpers of every district take part).
    year : int
    district : str, optional
        Show that district's needy persons only.
    lang : {"zh", "en"}

    Examples
    --------
    >>> from reliefkit import load_region
    >>> suggestion_table(load_region("data/sample"), 2026).columns[0]
    '待结对对象身份证号（遮蔽）'
    """
    w = worklist_words(lang)["pairing"]
    frame = suggest_pairings(region, year, district)
    out = frame.assign(
        person_id=frame["person_id"].map(mask_id),
        unit_type=[label("unit_type", t, lang) if isinstance(t, str) else "" for t in frame["unit_type"]],
        same_district=frame["same_district"].map({True: w["yes_word"], False: w["no_word"]}),
    )
    return out.rename(columns=w["columns"]).reset_index(drop=True)


def suggestion_summary(region: Region, year: int, district: str | None = None, lang: str = "zh") -> pd.DataFrame:
    """Needy persons, spare capacity, persons paired and paired within their district —
    the region's figures; with ``district``, the district's needy and suggested too.

    Examples
    --------
    >>> from reliefkit import load_region
    >>> suggestion_summary(load_region("data/sample"), 2026, lang="en").iloc[:, 0].tolist()[:2]
    ['Needy persons without a helper', "Helpers' spare capacity in all"]
    """
    w = worklist_words(lang)["pairing"]["summary"]
    whole = region.whole()
    listed = suggest_pairings(whole, year, district)
    needy = needy_unpaired(whole, year)
    if district is not None:
        hh = whole.households["district"].to_numpy()[whole.links.person_household]
        needy = needy & (hh == district)
    rows = [(w["needy"], int(needy.sum())), (w["spare"], int(helper_spare(whole, year).sum())),
            (w["suggested"], len(listed)), (w["same_district"], int(listed["same_district"].sum()))]
    return pd.DataFrame(rows, columns=[w["figure"], w["value"]])


def _sheets(w: dict, title: str, note: str, summary: pd.DataFrame, listed: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The workbook's sheets: the summary (title and note above the figures), the list."""
    head = pd.DataFrame([[title, *[""] * (summary.shape[1] - 1)], [note, *[""] * (summary.shape[1] - 1)],
                         [""] * summary.shape[1], list(summary.columns)], columns=summary.columns, dtype=object)
    body = pd.concat([head, summary.astype(object)], ignore_index=True)
    body.columns = [""] * body.shape[1]
    return {w["summary_sheet"]: body, w["sheet"]: listed}


def write_monitoring_list(region: Region, year: int, out: str | Path, district: str | None = None,
                          lang: str = "zh") -> Path:
    """Write the monitored households' workbook: a summary sheet (title, line, counts per
    category) and the list.

    Examples
    --------
    >>> import tempfile, openpyxl
    >>> from reliefkit import load_region
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = write_monitoring_list(load_region("data/sample"), 2026, tmp + "/m.xlsx", "城关镇")
    ...     openpyxl.load_workbook(path).sheetnames
    ['汇总', '监测对象']
    """
    w = worklist_words(lang)["monitoring"]
    scoped = _scope(region, district)
    line = scoped.policy.value(MONITORING_LINE, dt.date(year, 12, 31))
    summary = monitoring_summary(region, year, district, lang)
    return write_xlsx(_sheets(w, w["title"].format(scope=scoped.scope_name(lang), year=year),
                              w["note"].format(line=Formatter(lang).money(line, unit=False), year=year),
                              summary, monitoring_table(region, year, district, lang)), out)


def write_pairing_suggestions(region: Region, year: int, out: str | Path, district: str | None = None,
                              lang: str = "zh") -> Path:
    """Write the pairing suggestions' workbook: a summary sheet and the list (needy
    persons masked).

    Examples
    --------
    >>> import tempfile, openpyxl
    >>> from reliefkit import load_region
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = write_pairing_suggestions(load_region("data/sample"), 2026, tmp + "/p.xlsx")
    ...     openpyxl.load_workbook(path).sheetnames
    ['汇总', '建议名单']
    """
    w = worklist_words(lang)["pairing"]
    scope = _scope(region, district).scope_name(lang)
    return write_xlsx(_sheets(w, w["title"].format(scope=scope, year=year), w["note"],
                              suggestion_summary(region, year, district, lang),
                              suggestion_table(region, year, district, lang)), out)

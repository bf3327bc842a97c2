"""The statistical table an office publishes: persons assisted per programme and unit,
small cells suppressed.

A notice board or a website shows, for a scope (the whole region or one district), how
many persons each programme of :data:`PUBLISHED_PROGRAMS` reached — by district for the
region, by village for a district — with a total row and a total column. Every count is
the figure of :func:`reliefkit.figures.facts.facts` for that programme over the unit's
households (``docs/en/facts.md``), so the total row of the unsuppressed table equals the facts
of the scope:

- ``rural_dibao``, ``urban_dibao``, ``tekun``: ``P.persons`` — distinct persons alive on
  D (31 December) with an enrolment in P active on D;
- ``temporary``, ``medical``: ``Q.persons`` — distinct persons paid by Q in the year.

A person counts in the unit of their household; a household without a village is
counted under "not recorded" (``unknown_village`` in ``text/words/labels.yaml``). Every
unit of the scope's households is a row, zeros included. The total column adds the
programmes, so a person in two programmes counts twice there (人次, "person-programmes"):
that keeps the table additive, which secondary suppression needs.

Before publication, :func:`reliefkit.safety.disclosure.suppress_small_cells` hides every cell (and
total) of 1 … ``threshold`` − 1 persons, and then as many other cells as it takes for
no hidden cell to be worked out from the published ones — neither as "total minus the
others" of one line nor by adding and subtracting whole rows and columns. The threshold is the
policy parameter ``publication.min_cell`` in force on D (5 in the baseline; a region's
own ``policies/`` may change it), unless a ``threshold=`` argument says otherwise.

Examples
--------
>>> from reliefkit.region.region import load_region
>>> region = load_region("data/sample")
>>> t = published_table(region, 2026, lang="en")
>>> t.shape, t.attrs["threshold"], t.attrs["suppressed"]
((7, 6), 5, 10)
>>> t.loc["Total"].tolist()
[833, 338, 75, 106, 10, 1362]
>>> t.loc["石桥乡"].tolist()
[168, <NA>, 12, 12, <NA>, 201]
"""

from __future__ import annotations

import datetime as dt
import numbers
from pathlib import Path

import numpy as np
import pandas as pd

from reliefkit.errors import ReliefkitError
from reliefkit.figures.facts import covered
from reliefkit.region.region import Region
from reliefkit.safety.disclosure import suppress_small_cells
from reliefkit.safety.writers import write_csv, write_xlsx
from reliefkit.text.slugs import scope_slug
from reliefkit.text.words import label, labels

__all__ = ["PUBLISHED_PROGRAMS", "THRESHOLD_PARAMETER", "MARK", "publication_threshold", "coverage_counts",
           "published_table", "publication_note", "write_published"]

#: the programmes the published table counts, in column order
PUBLISHED_PROGRAMS = ("rural_dibao", "urban_dibao", "tekun", "temporary", "medical")
#: the policy parameter holding the default threshold
THRESHOLD_PARAMETER = "publication.min_cell"
#: how a suppressed cell shows in the files written (not "<5": a secondary one may be large)
MARK = "x"


def _words(lang: str) -> dict[str, str]:
    return labels(lang)["publication"]


def publication_threshold(region: Region, year: int, threshold: int | None = None) -> int:
    """The small-cell threshold: ``threshold`` when given, else the policy parameter
    ``publication.min_cell`` in force on 31 December of ``year``.

    Raises
    ------
    ReliefkitError
        When ``threshold`` is not a whole number ≥ 0.
    PolicyError
        When the policy has no value of the parameter on that day.

    Examples
    --------
    >>> from reliefkit.region.region import load_region
    >>> region = load_region("data/sample")
    >>> publication_threshold(region, 2026), publication_threshold(region, 2026, 10)
    (5, 10)
    """
    if threshold is None:
        threshold = region.policy.value(THRESHOLD_PARAMETER, dt.date(year, 12, 31))
    if isinstance(threshold, bool) or not isinstance(threshold, numbers.Integral) or threshold < 0:
        raise ReliefkitError("is not a whole number of persons ≥ 0",
                             "give a whole number such as 5 (cells of 1 to 4 persons are then hidden), or none "
                             f"to use the policy's {THRESHOLD_PARAMETER}", threshold=repr(threshold))
    return int(threshold)


def coverage_counts(region: Region, year: int, district: str | None = None, lang: str = "zh") -> pd.DataFrame:
    """Persons per programme of :data:`PUBLISHED_PROGRAMS` (columns, labelled in
    ``lang``) and unit (rows: districts of the region, or villages of ``district``),
    as the facts count them; no totals, nothing suppressed.

    Parameters
    ----------
    region : Region
    year : int
        D = 31 December ``year``; one-off programmes count the persons paid in ``year``.
    district : str, optional
        One district: rows are its villages. Default: the whole region, by district.
    lang : str
        ``zh`` or ``en``: the language of the labels.

    Returns
    -------
    DataFrame
        ``int64`` counts; the index is named after the unit (``村（社区）`` …).

    Raises
    ------
    UnknownDistrictError
        When the region has no such district.

    Examples
    --------
    >>> from reliefkit.region.region import load_region
    >>> from reliefkit.figures.facts import facts
    >>> region = load_region("data/sample")
    >>> c = coverage_counts(region, 2026, lang="en")
    >>> c.index.name, len(c), c.columns.tolist()[:2]
    ('District', 6, ['Rural minimum living allowance', 'Urban minimum living allowance'])
    >>> int(c.iloc[:, 0].sum()) == facts(region, 2026)["rural_dibao.persons"]
    True
    """
    words = _words(lang)
    scope = region.district(district) if district is not None else region
    by = "village" if district is not None else "district"
    unknown = words["unknown_village"]
    units = scope.households[by].astype("str")
    rows = list(dict.fromkeys(sorted(units.dropna().unique().tolist()) + ([unknown] if units.isna().any() else [])))
    of_household = pd.Index(rows).get_indexer(units.fillna(unknown).to_numpy(dtype=object))
    of_person = of_household[scope.links.person_household]
    masks = covered(scope, year)
    counts = {label("program", code, lang): np.bincount(of_person[masks[code]], minlength=len(rows))
              for code in PUBLISHED_PROGRAMS}
    return pd.DataFrame(counts, index=pd.Index(rows, name=words[by]), dtype="int64")


def published_table(region: Region, year: int, district: str | None = None, lang: str = "zh", *,
                    threshold: int | None = None, mark: str | None = None) -> pd.DataFrame:
    """:func:`coverage_counts` with a total row and column, small cells suppressed
    (:func:`reliefkit.safety.disclosure.suppress_small_cells`): the table as published.

    Parameters
    ----------
    region, year, district, lang
        As for :func:`coverage_counts`.
    threshold : int, optional
        Cells of 1 … ``threshold`` − 1 persons are hidden (with secondary suppression).
        Default: the policy's ``publication.min_cell`` (:func:`publication_threshold`).
    mark : str, optional
        How a hidden cell shows: default ``pd.NA`` in an ``Int64`` table; a text such as
        :data:`MARK` gives an object table with that text in hidden cells.

    Returns
    -------
    DataFrame
        Rows: the units, then the total row (``合计`` / ``Total``); columns: the
        programmes, then the total column (``合计（人次）`` / ``Total (person-programmes)``).
        ``attrs`` holds ``threshold`` (the one used) and ``suppressed`` (how many cells,
        totals included, are hidden).

    Examples
    --------
    >>> from reliefkit.region.region import load_region
    >>> t = published_table(load_region("data/sample"), 2026, "城关镇", threshold=3, mark="x")
    >>> t.attrs, t.loc["合计", "合计（人次）"]
    ({'threshold': 3, 'suppressed': 15}, 287)
    """
    words = _words(lang)
    min_cell = publication_threshold(region, year, threshold)
    counts = coverage_counts(region, year, district, lang)
    table = suppress_small_cells(counts, min_cell, margins_name=words["total"], mark=mark)
    table.columns = pd.Index([*table.columns[:-1], words["total_column"]], name=table.columns.name)
    hidden = table.isna() if mark is None else table.eq(mark)
    table.attrs = {"threshold": min_cell, "suppressed": int(hidden.to_numpy().sum())}
    return table


def publication_note(year: int, threshold: int, lang: str = "zh") -> str:
    """The note printed under the table: what a hidden cell means (or that none is
    hidden, for a threshold of 0 or 1) and what the counts are.

    Examples
    --------
    >>> publication_note(2026, 5, "en")[:46]
    'Note: "x" marks a cell not published: cells of'
    """
    words = _words(lang)
    fill = {"mark": MARK, "low": threshold - 1, "threshold": threshold, "year": year}
    head = words["suppressed" if threshold > 1 else "unsuppressed"].format(**fill)
    return head + (" " if lang == "en" else "") + words["definitions"].format(**fill)


def write_published(region: Region, year: int, district: str | None = None, lang: str = "zh",
                    out_dir: str | Path = "reports", threshold: int | None = None, *,
                    name: str | None = None) -> dict[str, Path]:
    """Write the published table as ``published-<year>-<scope>-<lang>.csv`` (UTF-8 with
    BOM; the note on the last line) and ``.xlsx`` (the table, and a note sheet with the
    title and the note), through the kit's escaping, atomic, deterministic writers.

    Parameters
    ----------
    region, year, district, lang, threshold
        As for :func:`published_table`; hidden cells show as :data:`MARK`.
    out_dir : path
        Folder to write into (created).
    name : str, optional
        What the title calls the scope (default: the district's name, or the region
        folder's name).

    Returns
    -------
    dict
        ``{"csv": path, "xlsx": path}``.

    Raises
    ------
    OutputError
        When the folder is read-only or the disk is full.

    Examples
    --------
    >>> import tempfile
    >>> from reliefkit.region.region import load_region
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     paths = write_published(load_region("data/sample"), 2026, "城关镇", "zh", tmp)
    ...     sorted(p.name for p in paths.values())
    ['published-2026-城关镇-zh.csv', 'published-2026-城关镇-zh.xlsx']
    """
    words = _words(lang)
    table = published_table(region, year, district, lang, threshold=threshold, mark=MARK)
    note = publication_note(year, table.attrs["threshold"], lang)
    scope = name or district or region.display_name(lang) or "region"
    title = words["title"].format(scope=scope, year=year)
    frame = table.reset_index()
    stem = f"published-{year}-{scope_slug(district)}-{lang}"
    footer = pd.DataFrame([[note, *[""] * (frame.shape[1] - 1)]], columns=frame.columns, dtype=object)
    notes = pd.DataFrame({words["note_column"]: [title, note]})
    folder = Path(out_dir)
    return {"csv": write_csv(pd.concat([frame, footer], ignore_index=True), folder / f"{stem}.csv",
                             encoding="utf-8-sig"),
            "xlsx": write_xlsx({words["sheet"]: frame, words["note_sheet"]: notes}, folder / f"{stem}.xlsx")}

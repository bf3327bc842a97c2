"""Tables behind the household explorer (``notebooks/01-explore-households.ipynb``).

Plain pandas, one function per table; every table is sorted, so the same data gives the
same output. Personal data never leaves this module unmasked: identifiers go through
:func:`~reliefkit.text.idnumbers.mask_id`, names through :func:`~reliefkit.text.idnumbers.mask_name`.

Definitions (as in :mod:`reliefkit.report.summary_figures`; D = 31 December of the year):

- :func:`people`: one row per person alive on D, with their household's district,
  village, area and main cause, age on D (the year minus the birth year: everyone has had
  their birthday by 31 December), the household's members alive on D (``n``), per-capita
  monthly income ``y = annual_income / n / 12``, the minimum-living line ``z`` of the
  household's area in force on D, ``ratio = y / z``, one flag per standing programme
  (an enrolment active on D), ``covered`` (rural or urban minimum living allowance or
  special-hardship support) and ``paired`` (a pairing active on D).
- *slipped through*: households poor by the reference calculation (``y < z``) that the
  registry does not pay (no member alive and active on D in the minimum living
  allowance), and registered-poor persons without an active pairing.
- *monitored*: the households of :func:`reliefkit.figures.monitoring.monitored_households`
  (categories, per-capita yearly income against ``monitoring.line``, the support they
  have); *suggested*: the pairings of :func:`reliefkit.figures.pairing.suggest_pairings`,
  made over the whole region.

Examples
--------
>>> from reliefkit.region.region import load_region
>>> p = people(load_region("data/sample"), 2026)
>>> int(p["covered"].sum()), int(p["rural_dibao"].sum())
(1246, 833)

The explorer widget's selection over these rows is :mod:`reliefkit.notebook.explore_selection`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from reliefkit.figures.facts import covered, facts
from reliefkit.io.schema import STANDING_PROGRAMS
from reliefkit.region.days import active_on, alive_on, year_end
from reliefkit.region.region import Region
from reliefkit.report.summary_figures import (
    COVERED_PROGRAMS,
    NO_CAUSE,
    payments_by_month,
)
from reliefkit.text.idnumbers import mask_id, mask_name
from reliefkit.text.words import label, labels, word

__all__ = [
    "AGE_BANDS", "INCOME_BANDS", "PROGRAMME_CHOICES", "age_band_label", "people", "overview", "by_area", "by_cause", "age_sex",
    "age_sex_table", "income_bands", "slipped_through", "slipped_by_district", "unpaired_needy",
    "monitoring_table", "monitored_list", "suggestion_table",
    "payments_table", "tables", "write_workbook", "LIST_LIMIT", "UNKNOWN",
]

#: ten-year age bands (age on D); ``unknown`` when the birth date is missing
AGE_BANDS = ("0-9", "10-19", "20-29", "30-39", "40-49", "50-59", "60-69", "70-79", "80+")
UNKNOWN = "unknown"
#: per-capita income as a share of the line: band edges (a display grouping, not a rule)
INCOME_BANDS = (0.5, 1.0, 1.5, 2.0)
#: what the explorer's programme selector offers besides the standing programmes
PROGRAMME_CHOICES = ("all", "covered", *STANDING_PROGRAMS)
LIST_LIMIT = 20


def _w(key: str, lang: str) -> str:
    return word("column", key, lang)


def _program(code: str, lang: str) -> str:
    return label("program", code, lang)


def _cause(code: str, lang: str) -> str:
    return label("cause", code, lang)


def _area(code: str, lang: str) -> str:
    return word("area", code, lang)


def age_band_label(band: str, lang: str = "zh") -> str:
    """How a table or a selector names an age band of :data:`AGE_BANDS` (its value stays
    the code): ``0–9岁``, ``80岁及以上`` / ``0–9``, ``80 and over``.

    Examples
    --------
    >>> age_band_label("60-69"), age_band_label("80+"), age_band_label("80+", "en"), age_band_label("unknown")
    ('60–69岁', '80岁及以上', '80 and over', '未知')
    """
    if band == UNKNOWN:
        return word("band", UNKNOWN, lang)
    if band.endswith("+"):
        return word("band", "open", lang).format(lo=band[:-1])
    lo, hi = band.split("-")
    return word("band", "range", lang).format(lo=lo, hi=hi)


def _age_band(age: pd.Series) -> pd.Series:
    years = age.to_numpy(dtype="float64", na_value=np.nan)
    known = ~np.isnan(years) & (years >= 0)
    band = np.where(known, np.minimum(np.nan_to_num(years) // 10, len(AGE_BANDS) - 1), len(AGE_BANDS))
    names = np.array([*AGE_BANDS, UNKNOWN], dtype=object)
    return pd.Series(names[band.astype(np.int64)], index=age.index, dtype="str")


def _lines(region: Region, year: int) -> dict[str, float]:
    from reliefkit.policy.parameters import LINE_PARAMETERS

    day = year_end(year).date()
    return {area: float(region.policy.value(path, day)) for area, path in LINE_PARAMETERS.items()}


def people(region: Region, year: int) -> pd.DataFrame:
    """One row per person alive on D (see the module's definitions), sorted by district,
    household and person."""
    day = year_end(year)
    p, hh = region.persons, region.households
    links = region.links
    alive = alive_on(p, day).to_numpy()
    pos = links.person_household
    n = np.bincount(pos[alive], minlength=len(hh))
    hrow = pos[alive]
    frame = pd.DataFrame({
        "person_id": p["person_id"].to_numpy()[alive],
        "name": p["name"].to_numpy()[alive],
        "household_id": hh["household_id"].to_numpy()[hrow],
        "district": hh["district"].to_numpy()[hrow],
        "village": hh["village"].to_numpy()[hrow],
        "area": hh["area"].to_numpy()[hrow],
        "main_cause": hh["main_cause"].astype("str").fillna(NO_CAUSE).to_numpy()[hrow],
        "sex": p["sex"].astype("str").fillna(UNKNOWN).to_numpy()[alive],
    })
    birth_year = p["birth_date"].dt.year.to_numpy(dtype="float64", na_value=np.nan)[alive]
    frame["age"] = pd.array(np.where(np.isnan(birth_year), np.nan, year - birth_year), dtype="Int64")
    frame["age_band"] = _age_band(frame["age"])
    frame["n"] = n[hrow].astype(np.int64)
    frame["y"] = hh["annual_income"].to_numpy(dtype="float64")[hrow] / frame["n"].to_numpy() / 12
    lines = _lines(region, year)
    frame["z"] = np.where(frame["area"].to_numpy() == "rural", lines["rural"], lines["urban"])
    frame["ratio"] = frame["y"] / frame["z"]
    masks = covered(region, year)
    for code in STANDING_PROGRAMS:
        frame[code] = masks[code][alive]
    frame["covered"] = frame[list(COVERED_PROGRAMS)].any(axis=1)
    paired = np.zeros(len(p), dtype=bool)
    paired[links.pairing_person[active_on(region.pairings, day).to_numpy()]] = True
    frame["paired"] = paired[alive]
    return frame.sort_values(["district", "household_id", "person_id"]).reset_index(drop=True)


# --------------------------------------------------------------------------- at a glance
def overview(region: Region, year: int, lang: str = "zh") -> pd.DataFrame:
    """Per standing programme on D: households, persons, new households, new persons
    (not active on 31 December of the year before) and the amount paid in the year."""
    f = facts(region, year)
    rows = []
    for code in STANDING_PROGRAMS:
        rows.append({_w("program", lang): _program(code, lang), _w("households", lang): f[f"{code}.households"],
                     _w("persons", lang): f[f"{code}.persons"],
                     _w("new_households", lang): f[f"{code}.new_households"],
                     _w("new_persons", lang): f[f"{code}.new_persons"], _w("paid", lang): f[f"{code}.paid"]})
    return pd.DataFrame(rows).set_index(_w("program", lang))


def by_area(region: Region, year: int, lang: str = "zh", *, frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Households and persons of each standing programme on D, rural and urban."""
    frame = people(region, year) if frame is None else frame
    out = {}
    for code in STANDING_PROGRAMS:
        sel = frame[frame[code]]
        g = sel.groupby("area")
        for what, values in ((_w("households", lang), g["household_id"].nunique()),
                             (_w("persons", lang), g.size())):
            out[(_program(code, lang), what)] = values
    table = pd.DataFrame(out).reindex(["rural", "urban"]).fillna(0).astype("int64")
    table.index = [_area(a, lang) for a in table.index]
    table.index.name = _w("area", lang)
    return table


def by_cause(region: Region, year: int, lang: str = "zh", *, frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Households of each standing programme on D by main cause of hardship, the most
    frequent cause (over every programme) first."""
    frame = people(region, year) if frame is None else frame
    out = {}
    for code in STANDING_PROGRAMS:
        out[_program(code, lang)] = frame[frame[code]].groupby("main_cause")["household_id"].nunique()
    table = pd.DataFrame(out).fillna(0).astype("int64")
    total = table.sum(axis=1)
    order = sorted(table.index, key=lambda c: (-int(total[c]), c))
    table = table.loc[order]
    table.index = [_cause(c, lang) for c in table.index]
    table.index.name = _w("main_cause", lang)
    return table


def age_sex_table(frame: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Persons of a :func:`people` frame by age band (rows, youngest first) and sex."""
    sexes = [s for s in ("M", "F", UNKNOWN) if s in set(frame["sex"]) or s != UNKNOWN]
    bands = list(AGE_BANDS) + ([UNKNOWN] if (frame["age_band"] == UNKNOWN).any() else [])
    table = (frame.groupby(["age_band", "sex"]).size().unstack(fill_value=0)
             .reindex(index=bands, columns=sexes, fill_value=0).astype("int64"))
    table.columns = [word("sex", s, lang) for s in table.columns]
    table.index = [age_band_label(b, lang) for b in table.index]
    table.index.name = _w("age_band", lang)
    return table


def age_sex(region: Region, year: int, lang: str = "zh", *, frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Covered persons (minimum living allowance or special-hardship support) by age band and sex."""
    frame = people(region, year) if frame is None else frame
    return age_sex_table(frame[frame["covered"]], lang)


def _income_band(ratio: pd.Series) -> np.ndarray:
    return np.searchsorted(np.asarray(INCOME_BANDS), ratio.to_numpy(dtype="float64"), side="right")


def income_band_labels(lang: str = "zh") -> list[str]:
    """``< 50%``, ``50–100%`` … ``≥ 200%`` of the line."""
    e = [f"{int(round(x * 100))}%" for x in INCOME_BANDS]
    return [f"< {e[0]}"] + [f"{a}–{b}" for a, b in zip(e, e[1:])] + [f"≥ {e[-1]}"]


def income_bands(region: Region, year: int, lang: str = "zh", *, frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Households alive on D by area and per-capita income as a share of their line:
    households, persons, and households the registry pays (minimum living allowance)."""
    frame = people(region, year) if frame is None else frame
    hh = frame.drop_duplicates("household_id").copy()
    dibao_hh = set(frame.loc[frame["rural_dibao"] | frame["urban_dibao"], "household_id"])
    hh["band"] = _income_band(hh["ratio"])
    hh["enrolled"] = hh["household_id"].isin(dibao_hh)
    names = income_band_labels(lang)
    rows = []
    for area in ("rural", "urban"):
        for b, name in enumerate(names):
            sel = hh[(hh["area"] == area) & (hh["band"] == b)]
            rows.append({_w("area", lang): _area(area, lang), _w("income_band", lang): name,
                         _w("households", lang): len(sel), _w("persons", lang): int(sel["n"].sum()),
                         _w("enrolled_households", lang): int(sel["enrolled"].sum())})
    return pd.DataFrame(rows).set_index([_w("area", lang), _w("income_band", lang)])


# --------------------------------------------------------------------------- slipped through
def _slipped(region: Region, year: int) -> pd.DataFrame:
    from reliefkit.simulate.simulation import simulate

    t = simulate(region, year).table()
    t = t[t["poor"] & ~t["registry"]]
    village = pd.Series(region.households["village"].to_numpy(), index=region.households["household_id"].to_numpy())
    t = t.assign(village=village.reindex(t["household_id"].to_numpy()).to_numpy(), district=t["district"].astype("str"))
    return t.sort_values(["district", "y", "household_id"]).reset_index(drop=True)


def slipped_by_district(region: Region, year: int, lang: str = "zh") -> pd.DataFrame:
    """Households poor by the reference calculation that the registry does not pay, per
    district: households, persons, and those of them that pass the asset test."""
    t = _slipped(region, year)
    districts = list(region.districts)
    g = t.groupby("district")
    table = pd.DataFrame({
        _w("households", lang): g.size(),
        _w("persons", lang): g["n"].sum(),
        _w("eligible_households", lang): g["eligible"].sum(),
    }).reindex(districts, fill_value=0).astype("int64")
    table.index.name = _w("district", lang)
    return table


def slipped_through(region: Region, year: int, lang: str = "zh", limit: int | None = LIST_LIMIT) -> pd.DataFrame:
    """The households of :func:`slipped_by_district`, poorest first within each district,
    household numbers masked; at most ``limit`` rows (None: all)."""
    t = _slipped(region, year)
    if limit is not None:
        t = t.head(limit)
    return pd.DataFrame({
        _w("household_masked", lang): [mask_id(h) for h in t["household_id"]],
        _w("district", lang): t["district"].to_numpy(),
        _w("village", lang): t["village"].to_numpy(),
        _w("area", lang): [_area(a, lang) for a in t["area"]],
        _w("members", lang): t["n"].to_numpy(),
        _w("income_pc", lang): t["y"].round(2).to_numpy(),
        _w("line", lang): t["z"].round(2).to_numpy(),
        _w("passes_asset_test", lang): [word("yesno", str(bool(e)).lower(), lang) for e in t["eligible"]],
    })


def unpaired_needy(region: Region, year: int, lang: str = "zh", *, frame: pd.DataFrame | None = None,
                   limit: int | None = LIST_LIMIT) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Registered-poor persons alive on D with no pairing active on D: the count per
    district, and the first ``limit`` of them (masked), by district and village."""
    frame = people(region, year) if frame is None else frame
    t = frame[frame["registered_poor"] & ~frame["paired"]].sort_values(["district", "village", "person_id"])
    counts = t.groupby("district").size().reindex(list(region.districts), fill_value=0).astype("int64")
    counts = counts.rename(_w("persons", lang)).to_frame()
    counts.index.name = _w("district", lang)
    if limit is not None:
        t = t.head(limit)
    rows = pd.DataFrame({
        _w("id_masked", lang): [mask_id(i) for i in t["person_id"]],
        _w("name_masked", lang): [mask_name(n) for n in t["name"]],
        _w("district", lang): t["district"].to_numpy(),
        _w("village", lang): t["village"].to_numpy(),
    })
    return counts, rows


# --------------------------------------------------------------------------- monitoring, suggestions
def monitoring_table(region: Region, year: int, lang: str = "zh") -> pd.DataFrame:
    """Monitored households and persons per category, and the households without any
    support measure; a total row (the ``monitoring.*`` facts of the scope).

    Examples
    --------
    >>> from reliefkit.region.region import load_region
    >>> t = monitoring_table(load_region("data/sample"), 2026, "en")
    >>> t.loc["Total"].tolist() == [facts(load_region("data/sample"), 2026)[k] for k in
    ...     ("monitoring.households", "monitoring.persons", "monitoring.without_support.households")]
    True
    """
    from reliefkit.figures.monitoring import CATEGORIES, monitored_households

    listed = monitored_households(region, year)
    g = listed.groupby("category")
    table = pd.DataFrame({
        _w("households", lang): g.size(),
        _w("persons", lang): g["persons"].sum(),
        _w("without_support_households", lang): g["without_support"].sum(),
    }).reindex(list(CATEGORIES), fill_value=0).astype("int64")
    table.loc["total"] = table.sum(axis=0)
    table.index = [word("monitoring", c, lang) for c in table.index]
    table.index.name = _w("category", lang)
    return table


def _supports(row: pd.Series, lang: str) -> str:
    """The support a monitored household already has, in words (``none`` when none)."""
    have = [word("monitoring", k, lang) for k in ("standing", "marginal", "paired") if bool(row[k])]
    return ("、" if lang == "zh" else ", ").join(have) if have else word("monitoring", "none", lang)


def monitored_list(region: Region, year: int, lang: str = "zh", limit: int | None = LIST_LIMIT) -> pd.DataFrame:
    """The monitored households, by category, district and household (masked household
    numbers): members, per-capita yearly income and that income net of medical costs
    against the line, the support they already have; at most ``limit`` rows (None: all).

    Examples
    --------
    >>> from reliefkit.region.region import load_region
    >>> t = monitored_list(load_region("data/sample"), 2026, "en", limit=3)
    >>> t.columns.tolist()[:3], t.iloc[0, 0].count("*") > 0
    (['Household (masked)', 'Category', 'District'], True)
    """
    from reliefkit.figures.monitoring import monitored_households

    t = monitored_households(region, year)
    if limit is not None:
        t = t.head(limit)
    supports = [_supports(r, lang) for _, r in t.iterrows()]
    return pd.DataFrame({
        _w("household_masked", lang): [mask_id(h) for h in t["household_id"]],
        _w("category", lang): [word("monitoring", c, lang) for c in t["category"]],
        _w("district", lang): t["district"].to_numpy(),
        _w("village", lang): t["village"].to_numpy(),
        _w("members", lang): t["persons"].to_numpy(dtype="int64"),
        _w("per_capita_year", lang): t["per_capita"].round(2).to_numpy(),
        _w("per_capita_net", lang): t["per_capita_net"].round(2).to_numpy(),
        _w("monitoring_line", lang): t["line"].astype("float64").to_numpy(),
        _w("supports", lang): supports,
        _w("without_support", lang): [word("yesno", str(bool(v)).lower(), lang) for v in t["without_support"]],
    })


def suggestion_table(region: Region, year: int, lang: str = "zh") -> pd.DataFrame:
    """Per district of the scope: the registered poor without a helper, how many the
    pairing suggestion pairs and how many of them with a helper of their own district;
    a last row, named after the region, holds the region's figures (``pairing.suggested``,
    ``pairing.suggested_same_district``), since the suggestion is made over the whole
    region.

    Examples
    --------
    >>> from reliefkit.region.region import load_region
    >>> t = suggestion_table(load_region("data/sample"), 2026, "en")
    >>> t.columns.tolist()
    ['Registered poor without a helper', 'Persons a suggestion pairs', 'of which within their district']
    """
    from reliefkit.figures.pairing import suggestion_facts
    from reliefkit.report.summary_figures import suggestions_by_district

    rows = suggestions_by_district(region, year)
    columns = [_w("unpaired_needy", lang), _w("suggested", lang), _w("suggested_same_district", lang)]
    table = pd.DataFrame([rows.get(str(d), (0, 0, 0)) for d in region.districts], index=list(region.districts),
                         columns=columns).astype("int64")
    region_figures = suggestion_facts(region, year)
    table.loc[region.display_name(lang)] = [sum(r[0] for r in rows.values()), region_figures["pairing.suggested"],
                                            region_figures["pairing.suggested_same_district"]]
    table.index.name = _w("district", lang)
    return table


# --------------------------------------------------------------------------- payments
def payments_table(region: Region, year: int, lang: str = "zh") -> pd.DataFrame:
    """Amount paid in each month of the year (rows) per programme (columns), with totals."""
    t = payments_by_month(region, year)
    months = labels(lang)["month"]
    total = _w("total", lang)
    if t.empty:
        return pd.DataFrame(index=pd.Index(months + [total], name=_w("month", lang)))
    programs = list(dict.fromkeys(t["program"]))
    wide = t.pivot(index="month", columns="program", values="amount").reindex(index=range(1, 13), columns=programs)
    wide = wide.fillna(0.0)
    wide[total] = wide.sum(axis=1)
    wide.loc[13] = wide.sum(axis=0)
    wide.index = months + [total]
    wide.index.name = _w("month", lang)
    wide.columns = [_program(c, lang) if c != total else c for c in wide.columns]
    return wide.round(2)


def tables(region: Region, year: int, lang: str = "zh") -> dict[str, pd.DataFrame]:
    """Every table of the explorer notebook by sheet name, lists complete (masked)."""
    frame = people(region, year)
    unpaired_counts, unpaired_rows = unpaired_needy(region, year, lang, frame=frame, limit=None)
    return {
        "overview": overview(region, year, lang),
        "by_area": by_area(region, year, lang, frame=frame),
        "by_cause": by_cause(region, year, lang, frame=frame),
        "age_sex": age_sex(region, year, lang, frame=frame),
        "income_bands": income_bands(region, year, lang, frame=frame),
        "slipped_by_district": slipped_by_district(region, year, lang),
        "slipped_through": slipped_through(region, year, lang, limit=None).set_index(_w("household_masked", lang)),
        "unpaired_by_district": unpaired_counts,
        "unpaired_needy": unpaired_rows.set_index(_w("id_masked", lang)),
        "monitoring": monitoring_table(region, year, lang),
        "monitored": monitored_list(region, year, lang, limit=None).set_index(_w("household_masked", lang)),
        "pairing_suggestions": suggestion_table(region, year, lang),
        "payments": payments_table(region, year, lang),
    }


def write_workbook(region: Region, year: int, path: str | Path, lang: str = "zh") -> Path:
    """Write :func:`tables` to one XLSX file, a sheet per table named in ``lang``
    (``sheet`` of ``notebooks.yaml``), fixed file dates."""
    from reliefkit.safety.writers import write_xlsx  # escaped, atomic, deterministic

    named = {word("sheet", key, lang): frame for key, frame in tables(region, year, lang).items()}
    title = word("nb", "explore_title", lang).format(scope=region.scope_name(lang), year=year)
    return write_xlsx(named, path, index=True, title=title)

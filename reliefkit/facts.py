"""The figures a year-end summary states, exactly as shared/DATA.md ("Facts") defines them.

``facts(region, year)`` returns one flat dict (``"rural_dibao.persons": 833, …``). D is
31 December of the year, D0 31 December of the year before. Counts are ``int``, amounts
``float`` rounded to 2 decimals. The edge rules, to the letter:

- a person is *alive on* a day when ``deceased_on`` is empty or later than that day
  (a person who died on D is not alive on D);
- an enrolment (or pairing) is *active on* a day when ``start_date`` ≤ day and
  (``end_date`` empty or > day) (one ending on D is not active on D);
- a person with several active enrolments in one programme counts once;
- *new* means not active in the programme on D0.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from .region import Region
from .schema import ONE_OFF_PROGRAMS, STANDING_PROGRAMS, UNIT_TYPES

LINE_PARAMETERS = ("rural_dibao.line", "urban_dibao.line")


def year_end(year: int) -> pd.Timestamp:
    """D: 31 December of ``year``."""
    return pd.Timestamp(year=year, month=12, day=31)


def alive_on(persons: pd.DataFrame, day: pd.Timestamp) -> pd.Series:
    """Boolean mask: persons alive on ``day`` (``deceased_on`` empty or later)."""
    d = persons["deceased_on"]
    return (d.isna() | (d > day)).astype(bool)


def active_on(spells: pd.DataFrame, day: pd.Timestamp) -> pd.Series:
    """Boolean mask: enrolments or pairings active on ``day``
    (``start_date`` ≤ day and (``end_date`` empty or > day))."""
    end = spells["end_date"]
    return ((spells["start_date"] <= day) & (end.isna() | (end > day))).astype(bool)


def paid_in(payments: pd.DataFrame, year: int) -> pd.Series:
    """Boolean mask: payments whose ``paid_on`` falls in ``year``."""
    return (payments["paid_on"].dt.year == year).fillna(False).astype(bool)


def _round(x: float) -> float:
    return round(float(x) + 0.0, 2)


def facts(region: Region, year: int, district: str | None = None) -> dict[str, int | float]:
    """Every figure of shared/DATA.md for ``year``, over the region or one district.

    Parameters
    ----------
    region : Region
    year : int
        Y: figures are as of D = 31 December Y; flows (payments) are those paid in Y.
    district : str, optional
        Restrict to the households of this district (see :meth:`Region.district`).

    Returns
    -------
    dict
        Flat ``{key: value}``; keys and meanings as in shared/DATA.md, plus
        ``persons.alive`` (persons of the registry alive on D).

    Examples
    --------
    >>> f = facts(load_region("data/sample"), 2026)
    >>> f["rural_dibao.persons"], f["rural_dibao.households"], f["policy.rural_dibao.line"]
    (833, 671, 150)
    """
    if district is not None:
        region = region.district(district)
    D, D0 = year_end(year), year_end(year - 1)
    persons, enrol, pay, pair = region.persons, region.enrolments, region.payments, region.pairings
    household_of = pd.Series(persons["household_id"].to_numpy(), index=persons["person_id"].to_numpy())
    alive = set(persons.loc[alive_on(persons, D), "person_id"])

    out: dict[str, int | float] = {
        "households.registered": int(len(region.households)),
        "persons.registered": int(len(persons)),
        "persons.alive": int(len(alive)),
    }

    active_D = enrol[active_on(enrol, D)]
    active_D0 = enrol[active_on(enrol, D0)]
    in_year = pay[paid_in(pay, year)]
    paid_by_program = in_year.groupby("program", observed=True)["amount"].sum()

    for p in STANDING_PROGRAMS:
        now = active_D[(active_D["program"] == p) & active_D["person_id"].isin(alive)]
        persons_p = pd.Index(now["person_id"].unique())
        households_p = pd.Index(household_of.reindex(persons_p).unique())
        before = active_D0.loc[active_D0["program"] == p, "person_id"].unique()
        households_before = household_of.reindex(before).unique()
        out[f"{p}.persons"] = int(len(persons_p))
        out[f"{p}.households"] = int(len(households_p))
        out[f"{p}.new_persons"] = int((~persons_p.isin(before)).sum())
        out[f"{p}.new_households"] = int((~households_p.isin(households_before)).sum())
        out[f"{p}.paid"] = _round(paid_by_program.get(p, 0.0))
        if p == "tekun":
            out["tekun.centralized"] = int(now.loc[now["support_mode"] == "centralized", "person_id"].nunique())

    for q in ONE_OFF_PROGRAMS:
        rows = in_year[in_year["program"] == q]
        recipients = rows["person_id"].unique()
        out[f"{q}.persons"] = int(len(recipients))
        out[f"{q}.households"] = int(household_of.reindex(recipients).nunique())
        out[f"{q}.amount"] = _round(rows["amount"].sum())

    paired = pair[active_on(pair, D)]
    out["pairing.persons"] = int(paired["person_id"].nunique())
    out["pairing.helpers"] = int(paired["helper_id"].nunique())
    unit_type = pd.Series(region.helpers["unit_type"].to_numpy(), index=region.helpers["helper_id"].to_numpy())
    paired_type = unit_type.reindex(paired["helper_id"].to_numpy()).to_numpy()
    for t in UNIT_TYPES:
        out[f"pairing.by_unit_type.{t}"] = int(paired.loc[paired_type == t, "person_id"].nunique())
    needy = active_D.loc[(active_D["program"] == "registered_poor") & active_D["person_id"].isin(alive), "person_id"].unique()
    out["pairing.unpaired_needy"] = int((~pd.Index(needy).isin(paired["person_id"])).sum())

    day = dt.date(year, 12, 31)
    for path in LINE_PARAMETERS:
        value = region.policy.value(path, day)
        out[f"policy.{path}"] = int(value) if float(value).is_integer() else _round(value)
    return out

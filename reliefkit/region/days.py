"""The rules of a day, shared by every figure, simulation and report.

D is 31 December of the year (:func:`year_end`). A person is *alive on* a day when
``deceased_on`` is empty or later than that day (one who died on D is not alive on D);
an enrolment or a pairing is *active on* a day when ``start_date`` ≤ day and
(``end_date`` empty or > day) (one ending on D is not active on D).

Examples
--------
>>> from reliefkit.region.region import load_region
>>> region = load_region("data/sample")
>>> int(alive_on(region.persons, year_end(2026)).sum())
6830
"""

from __future__ import annotations

import pandas as pd

__all__ = ["year_end", "alive_on", "active_on", "paid_in"]


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

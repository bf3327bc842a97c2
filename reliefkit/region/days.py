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
    """D: 31 December of ``year``.

    Parameters
    ----------
    year : int

    Returns
    -------
    pandas.Timestamp

    Examples
    --------
    >>> year_end(2026)
    Timestamp('2026-12-31 00:00:00')
    """
    return pd.Timestamp(year=year, month=12, day=31)


def alive_on(persons: pd.DataFrame, day: pd.Timestamp) -> pd.Series:
    """Boolean mask: persons alive on ``day`` (``deceased_on`` empty or later).

    Parameters
    ----------
    persons : pandas.DataFrame
        With a datetime column ``deceased_on`` (as :class:`~reliefkit.Region` holds it).
    day : pandas.Timestamp

    Returns
    -------
    pandas.Series of bool
        Aligned with ``persons``.

    Examples
    --------
    >>> p = pd.DataFrame({"deceased_on": pd.to_datetime([None, "2026-12-31", "2027-01-01"])})
    >>> alive_on(p, year_end(2026)).tolist()
    [True, False, True]
    """
    d = persons["deceased_on"]
    return (d.isna() | (d > day)).astype(bool)


def active_on(spells: pd.DataFrame, day: pd.Timestamp) -> pd.Series:
    """Boolean mask: enrolments or pairings active on ``day``
    (``start_date`` ≤ day and (``end_date`` empty or > day)).

    Parameters
    ----------
    spells : pandas.DataFrame
        With datetime columns ``start_date`` and ``end_date``.
    day : pandas.Timestamp

    Returns
    -------
    pandas.Series of bool
        Aligned with ``spells``.

    Examples
    --------
    >>> e = pd.DataFrame({"start_date": pd.to_datetime(["2026-01-01", "2026-12-31", "2026-01-01"]),
    ...                   "end_date": pd.to_datetime(["2026-12-31", None, "2027-01-01"])})
    >>> active_on(e, year_end(2026)).tolist()
    [False, True, True]
    """
    end = spells["end_date"]
    return ((spells["start_date"] <= day) & (end.isna() | (end > day))).astype(bool)


def paid_in(payments: pd.DataFrame, year: int) -> pd.Series:
    """Boolean mask: payments whose ``paid_on`` falls in ``year``.

    Parameters
    ----------
    payments : pandas.DataFrame
        With a datetime column ``paid_on``.
    year : int

    Returns
    -------
    pandas.Series of bool
        Aligned with ``payments``; a payment without a date is not in any year.

    Examples
    --------
    >>> pay = pd.DataFrame({"paid_on": pd.to_datetime(["2025-12-31", "2026-01-01", None])})
    >>> paid_in(pay, 2026).tolist()
    [False, True, False]
    """
    return (payments["paid_on"].dt.year == year).fillna(False).astype(bool)

"""Monitoring against return to poverty (防返贫动态监测), as the data contract defines it
(``docs/en/facts.md``, "Monitoring").

Over the households in scope with at least one member alive on D (n = members alive on D):
y = annual_income / n, y_net = (annual_income − medical_spending) / n (empty medical
spending = 0), L = the policy's ``monitoring.line`` in force on D (yuan per person per
year). Each household falls in the first category that applies:

1. ``unstable`` 脱贫不稳定户 — ever registered poor (an enrolment of any member, alive or not,
   starting on or before D), not registered now, and y < L;
2. ``edge`` 边缘易致贫户 — never registered, no member alive on D active on D in rural or
   urban dibao or tekun, and y < L;
3. ``sudden`` 突发严重困难户 — not registered now, y ≥ L and y_net < L.

A monitored household is *without support* when no member alive on D is active on D in
rural or urban dibao, tekun or marginal, and none has a pairing active on D.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from reliefkit.region.days import active_on, alive_on, year_end
from reliefkit.region.region import Region

__all__ = ["CATEGORIES", "MONITORING_LINE", "household_monitoring", "monitored_households", "monitoring_facts"]

#: the categories in the order they are tested (a household is in the first that applies)
CATEGORIES = ("unstable", "edge", "sudden")
#: the policy parameter of the monitoring line (yuan per person per year)
MONITORING_LINE = "monitoring.line"

_STANDING = ("rural_dibao", "urban_dibao", "tekun")
_SUPPORT = ("rural_dibao", "urban_dibao", "tekun", "marginal")


def _households_with(region: Region, person_rows: np.ndarray) -> np.ndarray:
    """A mask over households: those holding a person of ``person_rows`` (row positions)."""
    mask = np.zeros(len(region.households), dtype=bool)
    mask[region.links.person_household[person_rows]] = True
    return mask


def household_monitoring(region: Region, year: int) -> pd.DataFrame:
    """Every household in scope with a member alive on D, with what monitoring tests.

    Parameters
    ----------
    region : Region
        A region or a district view of one.
    year : int
        D is 31 December of it; the line is the one in force on D.

    Returns
    -------
    pandas.DataFrame
        One row per household with a member alive on D, in registry order: ``household_id``,
        ``district``, ``village``, ``area``, ``persons`` (members alive on D),
        ``annual_income``, ``medical_spending`` (empty = 0), ``per_capita`` (y),
        ``per_capita_net`` (y_net), ``line`` (L), ``registered_now``, ``ever_registered``,
        ``standing`` (dibao or tekun on D), ``marginal``, ``paired`` (a member alive on D
        with a pairing active on D), ``category`` (``unstable``, ``edge``, ``sudden`` or
        None) and ``without_support``.

    Examples
    --------
    >>> from reliefkit import load_region
    >>> frame = household_monitoring(load_region("data/sample"), 2026)
    >>> int(frame["line"].iloc[0]), sorted(frame["category"].dropna().unique())
    (2700, ['edge', 'sudden'])
    """
    D = year_end(year)
    links, hh = region.links, region.households
    alive = alive_on(region.persons, D).to_numpy()
    n = np.bincount(links.person_household[alive], minlength=len(hh))

    enrol = region.enrolments
    program = enrol["program"].to_numpy()
    person = links.enrolment_person
    on_D = active_on(enrol, D).to_numpy() & alive[person]

    def active(programs: tuple[str, ...]) -> np.ndarray:
        return _households_with(region, person[on_D & np.isin(program, programs)])

    started = (enrol["start_date"] <= D).fillna(False).to_numpy()
    ever = _households_with(region, person[started & (program == "registered_poor")])
    now = active(("registered_poor",))
    standing = active(_STANDING)
    supported = active(_SUPPORT)
    marginal = active(("marginal",))
    pairs = region.pairings
    paired_rows = active_on(pairs, D).to_numpy() & alive[links.pairing_person]
    paired = _households_with(region, links.pairing_person[paired_rows])

    line = region.policy.value(MONITORING_LINE, dt.date(year, 12, 31))
    keep = n > 0
    income = hh["annual_income"].to_numpy(dtype=float)
    medical = hh["medical_spending"].fillna(0.0).to_numpy(dtype=float) if "medical_spending" in hh else 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        y = income / n
        y_net = (income - medical) / n
    below = y < line
    unstable = ever & ~now & below
    edge = ~ever & ~standing & below & ~unstable
    sudden = ~now & ~unstable & ~edge & (y >= line) & (y_net < line)
    category = np.select([unstable, edge, sudden], list(CATEGORIES), default="")
    frame = pd.DataFrame({
        "household_id": hh["household_id"].to_numpy(),
        "district": hh["district"].to_numpy(),
        "village": hh["village"].to_numpy() if "village" in hh else None,
        "area": hh["area"].to_numpy(),
        "persons": n,
        "annual_income": income,
        "medical_spending": np.broadcast_to(medical, income.shape),
        "per_capita": y,
        "per_capita_net": y_net,
        "line": line,
        "registered_now": now,
        "ever_registered": ever,
        "standing": standing,
        "marginal": marginal,
        "paired": paired,
        "category": pd.Series(category, dtype="str").replace("", None).to_numpy(),
        "without_support": (category != "") & ~supported & ~paired,
    })
    return frame[keep].reset_index(drop=True)


def monitored_households(region: Region, year: int) -> pd.DataFrame:
    """The monitored households (a category), ordered by category, district and household.

    The frame holds no personal data (household IDs, places, counts, incomes); see
    :func:`household_monitoring` for the columns.

    Examples
    --------
    >>> from reliefkit import load_region
    >>> listed = monitored_households(load_region("data/sample"), 2026)
    >>> bool(listed["category"].isna().any()), listed["category"].iloc[0]
    (False, 'edge')
    """
    frame = household_monitoring(region, year)
    frame = frame[frame["category"].notna()].copy()
    order = {c: i for i, c in enumerate(CATEGORIES)}
    frame["_order"] = frame["category"].map(order)
    frame = frame.sort_values(["_order", "district", "household_id"], kind="stable")
    return frame.drop(columns="_order").reset_index(drop=True)


def monitoring_facts(region: Region, year: int) -> dict[str, int | float]:
    """The ``monitoring.*`` keys of ``facts`` for the region or district view given.

    Examples
    --------
    >>> from reliefkit import load_region
    >>> f = monitoring_facts(load_region("data/sample"), 2026)
    >>> f["monitoring.households"] == sum(f[f"monitoring.{c}.households"] for c in CATEGORIES)
    True
    """
    frame = household_monitoring(region, year)
    out: dict[str, int | float] = {}
    for c in CATEGORIES:
        rows = frame["category"] == c
        out[f"monitoring.{c}.households"] = int(rows.sum())
        out[f"monitoring.{c}.persons"] = int(frame.loc[rows, "persons"].sum())
    out["monitoring.households"] = sum(int(out[f"monitoring.{c}.households"]) for c in CATEGORIES)
    out["monitoring.persons"] = sum(int(out[f"monitoring.{c}.persons"]) for c in CATEGORIES)
    line = region.policy.value(MONITORING_LINE, dt.date(year, 12, 31))
    out["monitoring.line"] = int(line) if float(line).is_integer() else round(float(line), 2)
    out["monitoring.without_support.households"] = int(frame["without_support"].sum())
    return out

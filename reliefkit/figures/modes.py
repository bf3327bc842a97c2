"""Assistance modes in practice: which kind of help goes with registered-poor households
leaving the register, and what it costs per exit.

A trade-union or township office helps in three ways (the second seed summary):
one-on-one pairing with a helper, project funds (working capital for a small business)
and one-time aid. For year Y (D0 = 31 December Y−1, D = 31 December Y):

- *registered-poor households of Y*: households with a member whose ``registered_poor``
  enrolment is in force at some time in Y (``start_date ≤ D`` and ``end_date`` empty or
  after D0);
- *exit*: such a household with a ``registered_poor`` enrolment ending in Y
  (D0 < ``end_date`` ≤ D), none active on D (:func:`reliefkit.figures.facts.active_on`), and at
  least one member alive on D (a household that ended by death has not left poverty);
- *modes received in Y*: ``pairing`` — a member with a pairing in force at some time in
  Y; ``project_fund`` / ``one_time`` — a member paid by that programme in Y;
- *amount*: every payment in Y to the household's members; *mode amount*: payments of
  the mode's own programme (0 for pairing, which moves no money).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from reliefkit.region.days import active_on, alive_on, paid_in, year_end

if TYPE_CHECKING:  # pragma: no cover
    from reliefkit.region.region import Region

__all__ = ["MODES", "modes_by_household", "assistance_modes"]

MODES = ("pairing", "project_fund", "one_time")


def _in_force_during(spells: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> np.ndarray:
    """Spells in force at some time in (start, end]: start_date ≤ end and (no end or end_date > start)."""
    e = spells["end_date"]
    return ((spells["start_date"] <= end) & (e.isna() | (e > start))).to_numpy(dtype=bool)


def modes_by_household(region: Region, year: int) -> pd.DataFrame:
    """One row per registered-poor household of ``year``: whether it exited, which modes
    of help it received, and what was paid to it in the year.

    Examples
    --------
    >>> from reliefkit.region.region import load_region
    >>> t = modes_by_household(load_region("data/sample"), 2026)
    >>> t.columns.tolist()[:5]
    ['household_id', 'district', 'exited', 'pairing', 'project_fund']
    """
    D0, D = year_end(year - 1), year_end(year)
    hh, persons = region.households, region.persons
    nh = len(hh)
    links = region.links
    person_hh = links.person_household

    def per_household(person_rows: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
        h = np.where(person_rows >= 0, person_hh[np.maximum(person_rows, 0)], -1) if len(person_rows) else person_rows
        ok = h >= 0
        return np.bincount(h[ok], weights=None if weights is None else weights[ok], minlength=nh)

    enrol = region.enrolments
    is_rp = (enrol["program"] == "registered_poor").to_numpy(dtype=bool)
    rows = links.enrolment_person
    end = enrol["end_date"]
    during = per_household(rows[is_rp & _in_force_during(enrol, D0, D)]) > 0
    active_D = per_household(rows[is_rp & active_on(enrol, D).to_numpy()]) > 0
    ended = per_household(rows[is_rp & ((end > D0) & (end <= D)).to_numpy(dtype=bool)]) > 0
    alive = np.bincount(person_hh[alive_on(persons, D).to_numpy() & (person_hh >= 0)], minlength=nh) > 0
    exited = during & ended & ~active_D & alive

    pair = region.pairings
    paired = per_household(links.pairing_person[_in_force_during(pair, D0, D)]) > 0
    pay = region.payments
    in_year = paid_in(pay, year).to_numpy()
    amounts = pay["amount"].to_numpy(dtype="float64")
    amount = per_household(links.payment_person[in_year], amounts[in_year])
    program = pay["program"]
    frame = pd.DataFrame({
        "household_id": hh["household_id"].to_numpy(),
        "district": hh["district"].to_numpy(),
        "exited": exited,
        "pairing": paired,
    })
    for m in MODES[1:]:
        mine = in_year & (program == m).to_numpy(dtype=bool)
        frame[m] = per_household(links.payment_person[mine]) > 0
        frame[f"{m}_amount"] = per_household(links.payment_person[mine], amounts[mine]).astype("float64")
    frame["amount"] = amount.astype("float64")
    return frame[during].reset_index(drop=True)


def _summarise(frame: pd.DataFrame, label: str, mask: np.ndarray, mode_amount: np.ndarray) -> dict:
    households = int(mask.sum())
    exits = int(frame["exited"].to_numpy()[mask].sum())
    amount = float(frame["amount"].to_numpy()[mask].sum())
    own = float(mode_amount[mask].sum())
    return {"mode": label, "households": households, "exits": exits,
            "exit_rate": exits / households if households else 0.0,
            "amount": round(amount, 2), "amount_per_exit": round(amount / exits, 2) if exits else 0.0,
            "mode_amount": round(own, 2), "mode_amount_per_exit": round(own / exits, 2) if exits else 0.0}


def assistance_modes(region: Region, year: int, *, district: str | None = None,
                     by: str = "mode") -> pd.DataFrame:
    """Exit rate and amount spent per exit of registered-poor households, by mode of help.

    Parameters
    ----------
    region : Region
    year : int
    district : str, optional
        One district's households only.
    by : {"mode", "combination"}
        ``mode``: one row per mode (a household helped in two ways counts in both), then
        ``none`` (no mode) and ``all``; ``combination``: one row per exact combination of
        modes received (``pairing+one_time`` …).

    Returns
    -------
    pandas.DataFrame
        mode, households, exits, exit_rate, amount, amount_per_exit, mode_amount,
        mode_amount_per_exit (amounts in yuan, rounded to 2 decimals).

    Examples
    --------
    >>> from reliefkit.region.region import load_region
    >>> t = assistance_modes(load_region("data/sample"), 2026)
    >>> t["mode"].tolist()
    ['pairing', 'project_fund', 'one_time', 'none', 'all']
    """
    if district is not None:
        region = region.district(district)
    f = modes_by_household(region, year)
    zeros = np.zeros(len(f))
    own = {"pairing": zeros, "project_fund": f["project_fund_amount"].to_numpy(),
           "one_time": f["one_time_amount"].to_numpy()}
    helped = f[list(MODES)].to_numpy(dtype=bool)
    if by == "mode":
        rows = [_summarise(f, m, f[m].to_numpy(dtype=bool), own[m]) for m in MODES]
        rows.append(_summarise(f, "none", ~helped.any(axis=1), zeros))
        rows.append(_summarise(f, "all", np.ones(len(f), dtype=bool), own["project_fund"] + own["one_time"]))
    elif by == "combination":
        combos = np.unique(helped, axis=0) if len(f) else np.zeros((0, len(MODES)), dtype=bool)
        rows = []
        for combo in combos:  # at most 2³ combinations, never a loop over households
            label = "+".join(m for m, h in zip(MODES, combo) if h) or "none"
            rows.append(_summarise(f, label, (helped == combo).all(axis=1), own["project_fund"] + own["one_time"]))
    else:
        from reliefkit.errors import ReliefkitError

        raise ReliefkitError(f"cannot group assistance modes by {by!r}", "use by='mode' or by='combination'")
    return pd.DataFrame(rows, columns=["mode", "households", "exits", "exit_rate", "amount", "amount_per_exit",
                                       "mode_amount", "mode_amount_per_exit"])

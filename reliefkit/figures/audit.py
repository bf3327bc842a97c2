"""Integrity flags: what audits of assistance funds look for, as warnings.

``audit(region)`` returns rows of the problems table (severity ``warning``, identifiers
masked, amounts shown) pointing at the file row of each finding:

- ``paid_after_death``: a payment dated after the recipient's death;
- ``exclusive_programmes``: one person enrolled at the same time in two programmes that
  exclude each other (default: rural or urban dibao with tekun; rural with urban dibao);
- ``dibao_public_employee``, ``dibao_vehicle``, ``dibao_business``: a public employee, or
  a household with a vehicle or a business, in the minimum living allowance;
- ``paid_twice_in_month``: one person paid twice by one standing programme in one month;
- ``paid_not_enrolled``: a standing programme paid to someone not enrolled in it on the
  payment date.

The ``amount`` column carries the money involved, so totals per flag can be reported.
"""

from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd

from reliefkit.io import problems as P
from reliefkit.region.days import active_on
from reliefkit.region.region import Region
from reliefkit.io.schema import STANDING_PROGRAMS
from reliefkit.errors import ReliefkitError

__all__ = ["DIBAO", "EXCLUSIVE", "audit", "audit_totals"]

DIBAO = ("rural_dibao", "urban_dibao")
EXCLUSIVE = (("rural_dibao", "tekun"), ("urban_dibao", "tekun"), ("rural_dibao", "urban_dibao"))
_FAR_FUTURE = pd.Timestamp("2262-01-01")


def _day(s: pd.Series) -> np.ndarray:
    return s.dt.strftime("%Y-%m-%d").fillna("…").to_numpy()


class _Findings:
    def __init__(self, region: Region) -> None:
        self.region = region
        self.frames: list[pd.DataFrame] = []

    def add(self, table: str, mask: np.ndarray, reason: str, persons: pd.Series, details: Iterable[str],
            amounts: np.ndarray | None = None) -> None:
        if not mask.any():
            return
        v = self.region.validation
        row = v.tables.set_index("table").loc[table]
        frame = P.problem_rows(
            table=table, file=row["file"], sheet=row["sheet"], rows=v.rows[table][mask],
            column="person_id", values=persons[mask].tolist(), reason=reason, details=list(details),
            severity="warning",
        )
        frame["amount"] = amounts[mask] if amounts is not None else np.nan
        self.frames.append(frame)


def audit(region: Region, exclusive: Iterable[tuple[str, str]] = EXCLUSIVE) -> pd.DataFrame:
    """Every integrity flag of the region (see the module docstring).

    Parameters
    ----------
    region : Region
        A whole region as loaded (district views keep no file rows).
    exclusive : pairs of programme codes
        Programmes a person may not be in at the same time.

    Returns
    -------
    pandas.DataFrame
        Problems-table columns plus ``amount``; severity ``warning``.

    Raises
    ------
    ReliefkitError
        When ``region`` is a district view (audit the whole region instead).

    Examples
    --------
    >>> from reliefkit import load_region
    >>> flags = audit(load_region("data/sample"))
    >>> set(flags["reason"]) <= set(P.MESSAGES)
    True
    """
    if region.scope is not None:
        raise ReliefkitError("cannot be audited: a district view keeps no file rows",
                             "audit the whole region (load_region(folder)), then filter the flags by district",
                             district=region.scope)
    found = _Findings(region)
    persons, enrol, pay, links = region.persons, region.enrolments, region.payments, region.links

    # payments after the recipient's death
    died = persons["deceased_on"].to_numpy()[links.payment_person]
    after = (pay["paid_on"].to_numpy() > died) & ~pd.isna(died)
    if after.any():
        details = (pay["amount"].map("{:,.2f} yuan".format) + " on " + _day(pay["paid_on"]) + " ("
                   + pay["program"] + "), after the death on " + pd.Series(pd.to_datetime(died)).dt.strftime("%Y-%m-%d").to_numpy())
        found.add("payments", after, "paid_after_death", pay["person_id"], details[after], pay["amount"].to_numpy())

    # programmes that exclude each other, at the same time
    spans = enrol.assign(at=np.arange(len(enrol)), until=enrol["end_date"].fillna(_FAR_FUTURE))
    flagged = np.zeros(len(enrol), dtype=bool)
    details = np.full(len(enrol), "", dtype=object)
    for a, b in exclusive:
        both = spans[spans["program"] == a].merge(spans[spans["program"] == b], on="person_id", suffixes=("_a", "_b"))
        overlap = both[(both["start_date_a"] < both["until_b"]) & (both["start_date_b"] < both["until_a"])]
        for r in overlap.itertuples():  # findings are few; the join above did the work
            later = r.at_b if r.start_date_b >= r.start_date_a else r.at_a
            flagged[later] = True
            details[later] = (f"{a} from {r.start_date_a:%Y-%m-%d} and {b} from {r.start_date_b:%Y-%m-%d}")
    found.add("enrolments", flagged, "exclusive_programmes", enrol["person_id"], details[flagged])

    # public employees, vehicles and businesses in the minimum living allowance
    in_dibao = enrol["program"].isin(DIBAO).to_numpy()
    person_row = links.enrolment_person
    household_row = links.person_household[person_row]
    what = enrol["program"] + " from " + _day(enrol["start_date"])
    for reason, flag in (
        ("dibao_public_employee", persons["public_employee"].fillna(False).to_numpy(dtype=bool)[person_row]),
        ("dibao_vehicle", region.households["has_vehicle"].fillna(False).to_numpy(dtype=bool)[household_row]),
        ("dibao_business", region.households["has_business"].fillna(False).to_numpy(dtype=bool)[household_row]),
    ):
        mask = in_dibao & flag
        found.add("enrolments", mask, reason, enrol["person_id"], what[mask])

    # standing programmes: paid twice in a month, and paid without an enrolment on the day
    standing = pay["program"].isin(STANDING_PROGRAMS).to_numpy()
    month = pay["paid_on"].dt.to_period("M")
    twice = standing & pay.assign(_m=month).duplicated(["person_id", "program", "_m"], keep="first").to_numpy()
    if twice.any():
        details = pay["program"] + " in " + month.astype(str) + ", " + pay["amount"].map("{:,.2f} yuan".format)
        found.add("payments", twice, "paid_twice_in_month", pay["person_id"], details[twice], pay["amount"].to_numpy())
    sp = pay[standing].assign(_row=np.flatnonzero(standing))
    joined = sp.merge(enrol[["person_id", "program", "start_date", "end_date"]], on=["person_id", "program"], how="left")
    covered = active_on(joined, joined["paid_on"]) if len(joined) else pd.Series(dtype=bool)
    ok_rows = set(joined.loc[covered.to_numpy(dtype=bool), "_row"]) if len(joined) else set()
    not_enrolled = standing & ~np.isin(np.arange(len(pay)), list(ok_rows))
    if not_enrolled.any():
        details = pay["amount"].map("{:,.2f} yuan".format) + " of " + pay["program"] + " on " + _day(pay["paid_on"])
        found.add("payments", not_enrolled, "paid_not_enrolled", pay["person_id"], details[not_enrolled],
                  pay["amount"].to_numpy())

    if not found.frames:
        return P.empty().assign(amount=pd.Series(dtype="float64"))
    return pd.concat(found.frames, ignore_index=True)


def audit_totals(findings: pd.DataFrame) -> pd.DataFrame:
    """Per flag: how many findings and the money involved.

    Parameters
    ----------
    findings : pandas.DataFrame
        What :func:`audit` returns.

    Returns
    -------
    pandas.DataFrame
        One row per reason code: ``reason``, ``findings``, ``amount`` (yuan, 0 where no
        money is involved).

    Examples
    --------
    >>> from reliefkit import load_region
    >>> totals = audit_totals(audit(load_region("data/sample")))
    >>> list(totals.columns)
    ['reason', 'findings', 'amount']
    """
    if findings.empty:
        return pd.DataFrame({"reason": pd.Series(dtype="str"), "findings": pd.Series(dtype="int64"),
                             "amount": pd.Series(dtype="float64")})
    g = findings.groupby("reason", sort=False)
    return pd.DataFrame({"findings": g.size(), "amount": g["amount"].sum(min_count=1).round(2)}).reset_index()

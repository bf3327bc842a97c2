"""The actual registry and ledger beside the simulation: what is enrolled and paid, and why
it differs from the rule.

The simulation says what a rule would pay **for a full year** to the households **alive on
D**, each topped up to the line; the registry says who **is enrolled on D** and the ledger
what **was paid in the year** (to everyone enrolled at some time in it). Three things part
them, and :func:`reconcile` puts a number on each, for the minimum living allowance (rural
and urban dibao together, as the reference calculation):

1. *poor by the rule but not enrolled* — eligible households no member of which is enrolled on D;
2. *enrolled but not poor by the rule* — enrolled households at or above the line, and those
   below it that the rule bars (a vehicle, a public employee);
3. *payments in the year vs a full year at today's enrolment* — entries and exits during
   the year, and amounts that differ from the gap to the line.

Definitions (the kit's, written in ``docs/en/schemes.md``):

- *enrolled on D* in P: a person alive on D with an enrolment in P active on D (the facts'
  ``P.persons``); a household is enrolled when a member is.
- *paid in the year*: the ledger's payments of P with ``paid_on`` in Y, to anyone in scope
  (the facts' ``P.paid``; for temporary and medical assistance ``Q.amount``).
- *a full year at today's enrolment*: for each person enrolled on D, what the ledger paid
  them in Y for P, divided by the share of Y they were enrolled in P (days active in Y ÷
  days in Y), summed — their rate while enrolled, for twelve months.

Examples
--------
>>> from reliefkit.region.region import load_region
>>> from reliefkit.simulate.simulation import simulate
>>> region = load_region("data/sample")
>>> ledger = actual(region, simulate(region, 2026).prepared)
>>> ledger.loc[ledger["programme"] == "dibao", ["households", "persons"]].values.tolist()
[[992, 1171]]
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from reliefkit.region.days import active_on, alive_on, paid_in

if TYPE_CHECKING:  # pragma: no cover
    from reliefkit.region.region import Region
    from reliefkit.simulate.prepared import Prepared
    from reliefkit.simulate.simulation import Simulation

__all__ = ["actual", "reconcile", "STANDING", "SIMULATED", "RECONCILE_ROWS", "programme_codes"]

#: the simulated programmes and the registry programmes each stands for
SIMULATED = {"dibao": ("rural_dibao", "urban_dibao"), "tekun": ("tekun",), "marginal": ("marginal",),
             "temporary": ("temporary",), "medical": ("medical",)}
#: the simulated programmes with enrolments (the others are only paid)
STANDING = ("dibao", "tekun", "marginal")
#: the rows of :func:`reconcile`, in order
RECONCILE_ROWS = ("both", "rule_only", "registry_above_line", "registry_barred", "paid_not_enrolled")


def programme_codes(programme: str) -> tuple[str, ...]:
    """The registry and ledger codes a simulated programme stands for.

    Examples
    --------
    >>> programme_codes("dibao")
    ('rural_dibao', 'urban_dibao')
    """
    return SIMULATED[programme]


def _days_in_year(year: int) -> int:
    import calendar

    return 366 if calendar.isleap(year) else 365


class _Ledger:
    """Per person of the scope (rows of ``persons``): enrolled on D, paid in Y, days enrolled in Y."""

    def __init__(self, region: Region, prepared: Prepared) -> None:
        self.region, self.prepared = region, prepared
        self.day, self.year = prepared.day, prepared.year
        links = region.links
        kept = np.cumsum(prepared.keep) - 1  # a kept household's position among the kept
        row = links.person_household
        at = np.maximum(row, 0)
        self.home = np.where((row >= 0) & prepared.keep[at], kept[at], -1)  # -1: no member alive on D
        self.alive = alive_on(region.persons, self.day).to_numpy()
        self.size = len(region.persons)

    def enrolled(self, codes: tuple[str, ...]) -> np.ndarray:
        """Per person: alive on D with an enrolment in one of ``codes`` active on D."""
        enrol = self.region.enrolments
        out = np.zeros(self.size, dtype=bool)
        if len(enrol):
            pick = (active_on(enrol, self.day) & enrol["program"].isin(codes)).to_numpy()
            at = self.region.links.enrolment_person[pick]
            out[at[at >= 0]] = True
        return out & self.alive

    def days(self, codes: tuple[str, ...]) -> np.ndarray:
        """Per person: days of Y with an enrolment in ``codes`` active (at most the days of Y)."""
        enrol = self.region.enrolments
        total = np.zeros(self.size)
        if len(enrol):
            pick = enrol["program"].isin(codes).to_numpy()
            start = enrol["start_date"][pick]
            first = pd.Timestamp(year=self.year, month=1, day=1)
            end_excl = self.day + pd.Timedelta(days=1)
            lo = start.where(start > first, first)
            hi = enrol["end_date"][pick].fillna(end_excl)
            hi = hi.where(hi < end_excl, end_excl)
            days = ((hi - lo).dt.days.clip(lower=0)).to_numpy(dtype="float64", na_value=0.0)
            at = self.region.links.enrolment_person[pick]
            ok = at >= 0
            total = np.bincount(at[ok], weights=days[ok], minlength=self.size)
        return np.minimum(total, _days_in_year(self.year))

    def paid(self, codes: tuple[str, ...]) -> tuple[np.ndarray, float]:
        """Per person: paid in Y for ``codes``; and the scope's total (payments of unknown persons too)."""
        pay = self.region.payments
        if not len(pay):
            return np.zeros(self.size), 0.0
        pick = (paid_in(pay, self.year) & pay["program"].isin(codes)).to_numpy()
        amount = pay["amount"].to_numpy(dtype="float64", na_value=0.0)
        at = self.region.links.payment_person[pick]
        ok = at >= 0
        return np.bincount(at[ok], weights=amount[pick][ok], minlength=self.size), float(amount[pick].sum())

    def full_year(self, codes: tuple[str, ...], enrolled: np.ndarray, paid: np.ndarray) -> np.ndarray:
        """Per person enrolled on D: paid in Y ÷ (days enrolled in Y ÷ days of Y); 0 for the others."""
        days = self.days(codes)
        rate = np.divide(paid * _days_in_year(self.year), days, out=np.zeros(self.size), where=days > 0)
        return np.where(enrolled, rate, 0.0)

    def per_household(self, values: np.ndarray, where: np.ndarray | None = None) -> np.ndarray:
        """Per kept household: the sum of ``values`` over its persons (``where`` only)."""
        mask = self.home >= 0 if where is None else (self.home >= 0) & where
        return np.bincount(self.home[mask], weights=values[mask], minlength=self.prepared.households)


def _ledger(region: Region, prepared: Prepared) -> _Ledger:
    return _Ledger(region, prepared)


def actual(region: Region, prepared: Prepared) -> pd.DataFrame:
    """The registry on D and the ledger of Y for each simulated programme.

    Parameters
    ----------
    region : Region
        The scope compared (the region, or one district of it as its own scope).
    prepared : Prepared
        Its prepared arrays (:func:`reliefkit.simulate.prepared.prepare`).

    Returns
    -------
    pandas.DataFrame
        One row per programme of :data:`SIMULATED`, then ``not_simulated`` (every other
        programme of the ledger: donations, holiday visits …) and ``ledger_total``:
        ``households`` and ``persons`` (enrolled on D for the standing programmes, paid in
        Y for temporary and medical assistance; distinct persons and their households),
        ``paid_year`` (paid in Y) and ``paid_full_year`` (a full year at today's enrolment;
        what was paid in Y for the programmes without enrolments).

    Examples
    --------
    >>> from reliefkit.region.region import load_region
    >>> from reliefkit.simulate.prepared import prepare
    >>> region = load_region("data/sample")
    >>> t = actual(region, prepare(region, 2026)).set_index("programme")
    >>> round(float(t.loc["ledger_total", "paid_year"]), 2)
    2223129.96
    """
    ledger = _ledger(region, prepared)
    household_row = region.links.person_household
    rows = []
    seen: set[str] = set()
    for programme, codes in SIMULATED.items():
        seen.update(codes)
        paid, total = ledger.paid(codes)
        if programme in STANDING:
            who = ledger.enrolled(codes)
            full = float(ledger.full_year(codes, who, paid).sum())
        else:
            who, full = paid > 0, total
        households = len(np.unique(household_row[who & (household_row >= 0)]))
        rows.append({"programme": programme, "households": households, "persons": int(who.sum()),
                     "paid_year": total, "paid_full_year": full})
    pay = region.payments
    other = 0.0
    everything = 0.0
    if len(pay):
        in_year = paid_in(pay, prepared.year).to_numpy()
        amount = pay["amount"].to_numpy(dtype="float64", na_value=0.0)
        everything = float(amount[in_year].sum())
        other = float(amount[in_year & ~pay["program"].isin(sorted(seen)).to_numpy()].sum())
    rows.append({"programme": "not_simulated", "households": pd.NA, "persons": pd.NA,
                 "paid_year": other, "paid_full_year": other})
    simulated_full = sum(r["paid_full_year"] for r in rows[:-1])
    rows.append({"programme": "ledger_total", "households": pd.NA, "persons": pd.NA,
                 "paid_year": everything, "paid_full_year": simulated_full + other})
    out = pd.DataFrame(rows)
    out["households"] = out["households"].astype("Int64")
    out["persons"] = out["persons"].astype("Int64")
    return out


def reconcile(region: Region, sim: Simulation) -> pd.DataFrame:
    """Why the rule's minimum living allowance differs from the registry's and the ledger's.

    Parameters
    ----------
    region : Region
        The scope the simulation was prepared from.
    sim : Simulation
        One scheme simulated on it.

    Returns
    -------
    pandas.DataFrame
        One row per :data:`RECONCILE_ROWS` — ``both`` (eligible by the rule and enrolled on
        D), ``rule_only`` (poor by the rule, not enrolled), ``registry_above_line``
        (enrolled, income per head at or above the line), ``registry_barred`` (enrolled,
        below the line but barred by the rule's asset test), ``paid_not_enrolled``
        (payments in Y to persons not enrolled on D: exits and deaths during the year) —
        with ``scheme``, ``row``, ``households``, ``persons`` (members alive on D; for the last
        row the persons paid), ``enrolled_persons`` (members enrolled on D), ``cost_year`` (the rule's yearly cost), ``paid_full_year``
        and ``paid_year`` (the ledger's). Each column sums to the scope's figure: the
        rule's ``cost_year``, the ledger's dibao paid in Y.

    Examples
    --------
    >>> from reliefkit.region.region import load_region
    >>> from reliefkit.simulate.simulation import simulate
    >>> region = load_region("data/sample")
    >>> sim = simulate(region, 2026)
    >>> t = reconcile(region, sim)
    >>> bool(round(t["cost_year"].sum(), 2) == round(12 * sim["dibao"].sum(), 2)), int(t["enrolled_persons"].sum())
    (True, 1171)
    """
    prepared, arrays = sim.prepared, sim.arrays
    ledger = _ledger(region, prepared)
    codes = SIMULATED["dibao"]
    paid, _ = ledger.paid(codes)
    enrolled = ledger.enrolled(codes)
    full = ledger.full_year(codes, enrolled, paid)
    registry = prepared.registry
    eligible, poor = arrays["eligible"], arrays["poor"]
    masks = {"both": eligible & registry, "rule_only": eligible & ~registry,
             "registry_above_line": registry & ~poor, "registry_barred": registry & poor & ~eligible}
    cost = 12 * arrays["dibao"]
    paid_hh = ledger.per_household(paid, enrolled)
    full_hh = ledger.per_household(full)
    enrolled_hh = ledger.per_household(enrolled.astype("float64"))
    rows = []
    for key, mask in masks.items():
        rows.append({"scheme": sim.name, "row": key, "households": int(mask.sum()),
                     "persons": int(np.sum(prepared.n, where=mask)),
                     "enrolled_persons": int(round(float(np.sum(enrolled_hh, where=mask)))),
                     "cost_year": float(np.sum(cost, where=mask)),
                     "paid_full_year": float(np.sum(full_hh, where=mask)),
                     "paid_year": float(np.sum(paid_hh, where=mask))})
    _, total = ledger.paid(codes)
    gone = (paid > 0) & ~enrolled
    row = region.links.person_household
    rows.append({"scheme": sim.name, "row": "paid_not_enrolled",
                 "households": len(np.unique(row[gone & (row >= 0)])), "persons": int(gone.sum()),
                 "enrolled_persons": 0, "cost_year": 0.0, "paid_full_year": 0.0,
                 "paid_year": total - sum(r["paid_year"] for r in rows)})
    return pd.DataFrame(rows)

"""The figures a year-end summary states, exactly as the data contract defines them
(``docs/zh/facts.md``, ``docs/en/facts.md``).

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

from reliefkit.region.days import active_on, alive_on, paid_in, year_end
from reliefkit.region.region import Links, Region
from reliefkit.io.schema import ONE_OFF_PROGRAMS, STANDING_PROGRAMS, UNIT_TYPES
from reliefkit.policy.parameters import LINE_PARAMETERS
from reliefkit.figures.monitoring import monitoring_facts
from reliefkit.figures.pairing import suggestion_facts


def _round(x: float) -> float:
    return round(float(x) + 0.0, 2)


def _count_distinct(positions: np.ndarray, size: int) -> tuple[np.ndarray, int]:
    """A membership mask over ``size`` rows from row positions, and how many rows it holds."""
    mask = np.zeros(size, dtype=bool)
    mask[positions] = True
    return mask, int(mask.sum())


def _program_rows(program: np.ndarray, pay_program: np.ndarray, in_year: np.ndarray
                  ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Enrolment rows of each standing programme; payment rows of each one-off programme
    paid in the year."""
    return ({p: program == p for p in STANDING_PROGRAMS},
            {q: in_year & (pay_program == q) for q in ONE_OFF_PROGRAMS})


def _covered(links: Links, n_persons: int, alive: np.ndarray, on_D: np.ndarray, enrolled: dict[str, np.ndarray],
             paid: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    masks = {p: _count_distinct(links.enrolment_person[rows & on_D], n_persons)[0] & alive
             for p, rows in enrolled.items()}
    masks.update({q: _count_distinct(links.payment_person[rows], n_persons)[0] for q, rows in paid.items()})
    return masks


def covered(region: Region, year: int) -> dict[str, np.ndarray]:
    """Per programme, a mask over ``region.persons``: the persons its ``P.persons`` fact
    counts — a standing programme: alive on D with an enrolment in it active on D; a
    one-off programme: paid by it in ``year``.

    Parameters
    ----------
    region : Region
        A region or a district view of one.
    year : int
        D is 31 December of it.

    Returns
    -------
    dict of str to numpy.ndarray of bool
        Programme code → a mask aligned with ``region.persons``.

    Examples
    --------
    >>> from reliefkit import load_region
    >>> region = load_region("data/sample")
    >>> m = covered(region, 2026)
    >>> int(m["rural_dibao"].sum()), int(m["temporary"].sum())
    (833, 106)
    """
    enrol, pay, D = region.enrolments, region.payments, year_end(year)
    enrolled, paid = _program_rows(enrol["program"].to_numpy(), pay["program"].to_numpy(),
                                   paid_in(pay, year).to_numpy())
    return _covered(region.links, len(region.persons), alive_on(region.persons, D).to_numpy(),
                    active_on(enrol, D).to_numpy(), enrolled, paid)


def facts(region: Region, year: int, district: str | None = None) -> dict[str, int | float | str]:
    """Every figure of the data contract for ``year``, over the region or one district.

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
        Flat ``{key: value}``; keys and meanings as in ``docs/en/facts.md``, plus
        ``persons.alive`` (persons of the registry alive on D). ``scope.name`` is what
        the region is called (``region.yaml``), or the district's name with ``district``;
        ``region.name`` is the region's in both cases.

    Examples
    --------
    >>> from reliefkit import load_region
    >>> f = facts(load_region("data/sample"), 2026)
    >>> f["rural_dibao.persons"], f["rural_dibao.households"], f["policy.rural_dibao.line"]
    (833, 671, 150)
    """
    given = region  # the region's figures (pairing suggestions) come from it, whatever the scope
    if district is not None:
        region = region.district(district)
    D, D0 = year_end(year), year_end(year - 1)
    links = region.links
    n_persons, n_households = len(region.persons), len(region.households)
    enrol, pay, pair = region.enrolments, region.payments, region.pairings
    alive = alive_on(region.persons, D).to_numpy()
    household_of = links.person_household

    out: dict[str, int | float | str] = {
        "scope.name": region.scope_name(),
        "region.name": region.display_name(),
        "households.registered": int(n_households),
        "persons.registered": int(n_persons),
        "persons.alive": int(alive.sum()),
    }

    program = enrol["program"].to_numpy()
    on_D, on_D0 = active_on(enrol, D).to_numpy(), active_on(enrol, D0).to_numpy()
    in_year = paid_in(pay, year).to_numpy()
    pay_program, pay_amount = pay["program"].to_numpy(), pay["amount"].to_numpy()
    enrolled, paid = _program_rows(program, pay_program, in_year)
    masks = _covered(links, n_persons, alive, on_D, enrolled, paid)

    for p in STANDING_PROGRAMS:
        is_p = enrolled[p]
        now = masks[p]
        before, _ = _count_distinct(links.enrolment_person[is_p & on_D0], n_persons)
        hh_now, n_hh = _count_distinct(household_of[now], n_households)
        hh_before, _ = _count_distinct(household_of[before], n_households)
        out[f"{p}.persons"] = int(now.sum())
        out[f"{p}.households"] = n_hh
        out[f"{p}.new_persons"] = int((now & ~before).sum())
        out[f"{p}.new_households"] = int((hh_now & ~hh_before).sum())
        out[f"{p}.paid"] = _round(pay_amount[in_year & (pay_program == p)].sum())
        if p == "tekun":
            central = is_p & on_D & (enrol["support_mode"] == "centralized").to_numpy()
            mask, _ = _count_distinct(links.enrolment_person[central], n_persons)
            out["tekun.centralized"] = int((mask & now).sum())

    for q in ONE_OFF_PROGRAMS:
        rows = paid[q]
        recipients = masks[q]
        out[f"{q}.persons"] = int(recipients.sum())
        out[f"{q}.households"] = _count_distinct(household_of[recipients], n_households)[1]
        out[f"{q}.amount"] = _round(pay_amount[rows].sum())

    paired_rows = active_on(pair, D).to_numpy()
    paired, out["pairing.persons"] = _count_distinct(links.pairing_person[paired_rows], n_persons)
    # helpers by ID: a pairing whose helper is missing from the helpers table still counts
    out["pairing.helpers"] = int(pair.loc[paired_rows, "helper_id"].nunique())
    known = links.pairing_helper >= 0
    helper_type = np.full(len(pair), None, dtype=object)
    helper_type[known] = region.helpers["unit_type"].to_numpy(dtype=object)[links.pairing_helper[known]]
    for t in UNIT_TYPES:
        out[f"pairing.by_unit_type.{t}"] = _count_distinct(
            links.pairing_person[paired_rows & (helper_type == t)], n_persons)[1]
    out["pairing.unpaired_needy"] = int((masks["registered_poor"] & ~paired).sum())  # alive, active on D
    out.update(suggestion_facts(given, year))  # figures of the whole region, whatever the scope
    out.update(monitoring_facts(region, year))

    day = dt.date(year, 12, 31)
    for path in LINE_PARAMETERS.values():
        value = region.policy.value(path, day)
        out[f"policy.{path}"] = int(value) if float(value).is_integer() else _round(value)
    return out

"""Pairing suggestions: a helper for every needy person still without one, as the data
contract defines them (``docs/en/facts.md``, "Pairing suggestions").

The needy are the persons ``pairing.unpaired_needy`` counts: alive on D, active on D in
``registered_poor``, with no pairing active on D. A helper's spare capacity is its
``capacity`` minus the distinct persons with a pairing to it active on D, never below 0
(an empty capacity gives no spare place: nobody knows how many more it can take). The
whole region's pairings count, whatever the scope.

The suggestion pairs each needy person with at most one helper and gives no helper more
persons than its spare capacity. It first fills each district's needy from the helpers of
that district, then pairs whoever is left with any helper who still has room; so it pairs
``min(needy, spare)`` persons, ``Σ_d min(needy in d, spare in d)`` of them within their own
district — both maxima at once. Needy persons are taken by district, household and person
ID, helpers by helper ID: the same input gives the same list.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from reliefkit.region.days import active_on, alive_on, year_end
from reliefkit.region.derived import cached
from reliefkit.region.region import Region

__all__ = ["SUGGESTION_COLUMNS", "helper_spare", "needy_unpaired", "suggest_pairings", "suggestion_facts"]

#: the columns of :func:`suggest_pairings`
SUGGESTION_COLUMNS = ("person_id", "household_id", "district", "village", "helper_id", "unit", "unit_type",
                      "helper_district", "same_district", "spare_left")


def needy_unpaired(region: Region, year: int) -> np.ndarray:
    """A mask over ``region.persons``: alive on D, active on D in ``registered_poor``, and
    without a pairing active on D (the persons ``pairing.unpaired_needy`` counts).

    Examples
    --------
    >>> from reliefkit import load_region
    >>> from reliefkit.figures.facts import facts
    >>> region = load_region("data/sample")
    >>> int(needy_unpaired(region, 2026).sum()) == facts(region, 2026)["pairing.unpaired_needy"]
    True
    """
    D = year_end(year)
    links, n = region.links, len(region.persons)
    alive = alive_on(region.persons, D).to_numpy()
    enrol = region.enrolments
    rows = active_on(enrol, D).to_numpy() & (enrol["program"] == "registered_poor").to_numpy()
    poor = np.zeros(n, dtype=bool)
    poor[links.enrolment_person[rows]] = True
    paired = np.zeros(n, dtype=bool)
    paired[links.pairing_person[active_on(region.pairings, D).to_numpy()]] = True
    return poor & alive & ~paired


def helper_spare(region: Region, year: int) -> np.ndarray:
    """Each helper's spare capacity on D (aligned with ``region.helpers``): ``capacity``
    minus the distinct persons with a pairing to it active on D, never below 0; 0 for an
    empty capacity.

    Examples
    --------
    >>> from reliefkit import load_region
    >>> region = load_region("data/sample")
    >>> spare = helper_spare(region, 2026)
    >>> len(spare) == len(region.helpers), bool((spare >= 0).all())
    (True, True)
    """
    D = year_end(year)
    links, pairs = region.links, region.pairings
    active = active_on(pairs, D).to_numpy() & (links.pairing_helper >= 0)
    # distinct (helper, person) pairs: a person paired twice to one helper takes one place
    key = pd.DataFrame({"h": links.pairing_helper[active], "p": links.pairing_person[active]}).drop_duplicates()
    taken = np.bincount(key["h"].to_numpy(dtype=np.int64), minlength=len(region.helpers))
    capacity = region.helpers["capacity"].astype("Float64").fillna(0).to_numpy(dtype=float)
    return np.maximum(capacity - taken, 0).astype(np.int64)


def _whole(region: Region) -> Region:
    return region.whole() if region.scope is not None else region


def suggest_pairings(region: Region, year: int, district: str | None = None) -> pd.DataFrame:
    """The suggestion list: one row per needy person the suggestion pairs.

    Parameters
    ----------
    region : Region
        The region (a district view is widened to its whole region: helpers and needy of
        every district take part).
    year : int
        D is 31 December of it.
    district : str, optional
        Keep the rows of this district's needy persons only (the suggestion itself is the
        region's).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SUGGESTION_COLUMNS`: the needy person (``person_id``, unmasked —
        mask it before it leaves the machine, as :mod:`reliefkit.report` writers do), the
        household, its district and village, the helper, its unit, unit type and district,
        whether both districts are the same, and the helper's spare capacity left after
        the whole suggestion. Ordered by district, household and person.

    Examples
    --------
    >>> from reliefkit import load_region
    >>> from reliefkit.figures.facts import facts
    >>> region = load_region("data/sample")
    >>> listed = suggest_pairings(region, 2026)
    >>> len(listed) == facts(region, 2026)["pairing.suggested"], listed["person_id"].is_unique
    (True, True)
    """
    region = _whole(region)
    links = region.links
    needy = np.flatnonzero(needy_unpaired(region, year))
    hh = region.households
    hh_row = links.person_household[needy]
    people = pd.DataFrame({
        "row": needy,
        "person_id": region.persons["person_id"].to_numpy()[needy],
        "household_id": hh["household_id"].to_numpy()[hh_row],
        "district": hh["district"].to_numpy()[hh_row],
        "village": hh["village"].to_numpy()[hh_row] if "village" in hh else None,
    }).sort_values(["district", "household_id", "person_id"], kind="stable").reset_index(drop=True)

    helpers = region.helpers
    spare = helper_spare(region, year)
    h_district = (helpers["district"].to_numpy(dtype=object) if "district" in helpers
                  else np.full(len(helpers), None, dtype=object))
    order = np.argsort(helpers["helper_id"].to_numpy(dtype=str), kind="stable")
    left = spare.copy()
    chosen = np.full(len(people), -1, dtype=np.int64)

    # 1. within each district, in helper-ID order
    for d, idx in people.groupby("district", sort=True).indices.items():
        pos = 0
        for h in order:
            if pos >= len(idx):
                break
            if h_district[h] != d or left[h] <= 0:
                continue
            take = min(int(left[h]), len(idx) - pos)
            chosen[idx[pos:pos + take]] = h
            left[h] -= take
            pos += take
    # 2. whoever is left, with any helper who still has room
    rest = np.flatnonzero(chosen < 0)
    pos = 0
    for h in order:
        if pos >= len(rest):
            break
        if left[h] <= 0:
            continue
        take = min(int(left[h]), len(rest) - pos)
        chosen[rest[pos:pos + take]] = h
        left[h] -= take
        pos += take

    got = people[chosen >= 0].copy()
    h = chosen[chosen >= 0]
    got["helper_id"] = helpers["helper_id"].to_numpy()[h]
    got["unit"] = helpers["unit"].to_numpy()[h] if "unit" in helpers else None
    got["unit_type"] = helpers["unit_type"].to_numpy()[h]
    got["helper_district"] = h_district[h]
    got["same_district"] = got["helper_district"].to_numpy() == got["district"].to_numpy()
    got["spare_left"] = left[h]
    if district is not None:
        got = got[got["district"] == district]
    return got[list(SUGGESTION_COLUMNS)].reset_index(drop=True)


def suggestion_facts(region: Region, year: int) -> dict[str, int]:
    """``pairing.suggested`` and ``pairing.suggested_same_district``: figures of the whole
    region, whatever the scope of ``region``.

    A district read from a store computes them once per year and keeps them in the
    store (``derived/``), beside the data they are computed from.

    Examples
    --------
    >>> from reliefkit import load_region
    >>> region = load_region("data/sample")
    >>> suggestion_facts(region, 2026) == suggestion_facts(region.district("城关镇"), 2026)
    True
    """
    got = cached(region, f"pairing-{year}", lambda: _suggestion_facts(_whole(region), year))
    return {k: int(v) for k, v in got.items()}


def _suggestion_facts(region: Region, year: int) -> dict[str, int]:
    needy = needy_unpaired(region, year)
    spare = helper_spare(region, year)
    hh = region.households
    needy_district = hh["district"].to_numpy()[region.links.person_household[needy]]
    h_district = (region.helpers["district"] if "district" in region.helpers
                  else pd.Series([None] * len(spare), dtype="str"))
    spare_by = pd.Series(spare).groupby(h_district.to_numpy(dtype=object)).sum()
    needy_by = pd.Series(needy_district).value_counts()
    same = sum(min(int(k), int(spare_by.get(d, 0))) for d, k in needy_by.items())
    return {"pairing.suggested": int(min(int(needy.sum()), int(spare.sum()))),
            "pairing.suggested_same_district": int(same)}

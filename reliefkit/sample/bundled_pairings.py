"""Helpers and pairings of the bundled sample region; the pairings active on
2026-12-31 go to exactly the registered poor alive on that day.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from reliefkit.sample.draws import allocate, segment_rank, uniform_days
from reliefkit.sample.ledger import first_start_last_end
from reliefkit.sample.places import SAMPLE_DISTRICTS
from reliefkit.sample.settings import D0, K_RD, K_RPO, K_UD, NO_DATE, RP, SAMPLE, Y25, D, iso_day

__all__ = ["sample_pairings"]


def sample_pairings(rng: np.random.Generator, p: dict[str, np.ndarray], h: dict[str, np.ndarray],
                    enr: dict[str, np.ndarray], rp: np.ndarray,
                    alive: np.ndarray) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Helpers of every unit type in every district, and their pairings.

    Pairings active on 2026-12-31 go to exactly the registered poor alive and enrolled
    on that day; per district, a fixed number of them is paired to municipal units and
    district organs (group A) and the others to village cadres and social talents
    (group B), all active pairings of a person within one unit type.

    Parameters
    ----------
    rng : numpy.random.Generator
        The generator.
    p : dict of str to numpy.ndarray
        Person columns by name (``hh``: the row of the person's household).
    h : dict of str to numpy.ndarray
        Household columns by name.
    enr : dict of str to numpy.ndarray
        Enrolments.
    rp, alive : numpy.ndarray of bool
        Per person: counted registered poor; alive on 2026-12-31.

    Returns
    -------
    hel, pairs : dict of str to numpy.ndarray
        Helpers (``type``, ``district``, ``village``, ``capacity``) and pairings.
    """
    p_hh = p["hh"]
    district = h["district"][p_hh]
    rp_start, rp_end = first_start_last_end(enr, RP, p_hh.size)
    u = _units(rng, p, h, rp, district)
    hel = _helpers(rng, h, p_hh, u)
    pairs: list[tuple[np.ndarray, ...]] = []
    _current_pairings(rng, pairs, u, hel, district, rp_start)
    _ended_pairings(rng, pairs, u, hel, district, rp_start, rp_end, p, enr, rp, alive)
    _idle_pairings(rng, pairs, hel, h, p_hh, district, alive)
    return _finish(rng, pairs, hel)


@dataclass
class _Units:
    """The paired units: a household's registered poor of one group (A or B)."""

    people: np.ndarray  # the registered poor, by district, household and slot
    unit_id: np.ndarray  # per person in ``people``: its unit
    first_of_unit: np.ndarray  # per person in ``people``: the first of its unit
    n_units: int
    u_type: np.ndarray  # per unit: 0/1 municipal/district, 2/3 cadre/talent
    u_district: np.ndarray


@dataclass
class _Helpers:
    """Helpers by district and unit type, and the helper of each unit."""

    type: np.ndarray
    district: np.ndarray
    village: np.ndarray
    base: np.ndarray  # (district, type): first helper
    count: np.ndarray  # (district, type): number of helpers
    of_unit: np.ndarray


def _units(rng: np.random.Generator, p: dict[str, np.ndarray], h: dict[str, np.ndarray],
           rp: np.ndarray, district: np.ndarray) -> _Units:
    """Group A / B per person (per district, households in random order, the first
    ``A_d`` persons in A), and a unit type per (household, group): both types of the
    group in every district."""
    S, p_hh, n_d = SAMPLE, p["hh"], len(SAMPLE_DISTRICTS)
    people = np.flatnonzero(rp)
    hh_key = rng.random(h["kind"].size)
    people = people[np.lexsort((p["slot"][people], p_hh[people], hh_key[p_hh[people]],
                                district[people]))]
    per_d = np.bincount(district[people], minlength=n_d)
    quota = allocate(S["pair_a"], per_d, minimum=1)
    if S["pair_a"] + S["pair_b"] != people.size or np.any(quota >= per_d):
        raise ValueError("pairing quota does not fit the registered poor")
    rank, _ = segment_rank(district[people])
    group_b = rank >= quota[district[people]]
    unit_key = p_hh[people] * 2 + group_b
    first_of_unit = np.ones(people.size, dtype=bool)
    first_of_unit[1:] = unit_key[1:] != unit_key[:-1]
    unit_id = np.cumsum(first_of_unit) - 1
    n_units = unit_id[-1] + 1
    u_group = group_b[first_of_unit]
    u_district = district[people][first_of_unit]
    # rank of a unit within its (district, group): the first two get both types
    order = np.lexsort((np.arange(n_units), u_group, u_district))
    r_sorted, _ = segment_rank((u_district * 2 + u_group)[order])
    u_rank = np.empty(n_units, dtype=np.int64)
    u_rank[order] = r_sorted
    second = np.where(u_rank == 0, 0, np.where(u_rank == 1, 1, (rng.random(n_units) < 0.4) * 1))
    u_type = np.where(u_group, 2 + second, second)  # 0/1 municipal/district, 2/3 cadre/talent
    return _Units(people, unit_id, first_of_unit, n_units, u_type, u_district)


def _helpers(rng: np.random.Generator, h: dict[str, np.ndarray], p_hh: np.ndarray,
             u: _Units) -> _Helpers:
    """Per district and type about one helper per 2.5 paired units (at least 2); units of
    one district and type go round its helpers in random order (even loads)."""
    n_d = len(SAMPLE_DISTRICTS)
    u_district, u_type, n_units = u.u_district, u.u_type, u.n_units
    n_ut = np.zeros((n_d, 6), dtype=np.int64)
    np.add.at(n_ut, (u_district, u_type), 1)
    n_hel = np.maximum(2, np.ceil(n_ut / 2.5).astype(np.int64))
    n_hel[:, 4] = 2
    n_hel[:, 5] = 2
    hel_district = np.repeat(np.repeat(np.arange(n_d), 6), n_hel.ravel())
    hel_type = np.repeat(np.tile(np.arange(6), n_d), n_hel.ravel())
    base = np.concatenate([[0], np.cumsum(n_hel.ravel())[:-1]]).reshape(n_d, 6)
    order = np.lexsort((rng.random(n_units), u_district * 6 + u_type))
    r_sorted, _ = segment_rank((u_district * 6 + u_type)[order])
    u_helper = np.empty(n_units, dtype=np.int64)
    u_helper[order] = r_sorted
    u_helper = base[u_district, u_type] + u_helper % n_hel[u_district, u_type]

    hh_of_unit = p_hh[u.people][u.first_of_unit]
    rural_v = h["village"][hh_of_unit]
    hel_village = np.full(hel_type.size, -1, dtype=np.int64)
    hel_village[u_helper] = rural_v  # village cadres belong to a village they serve
    for i in np.flatnonzero(hel_village < 0):  # helpers without a unit: a village of the district
        vs = h["village"][h["district"] == hel_district[i]]
        hel_village[i] = vs[int(rng.integers(0, vs.size))]
    return _Helpers(hel_type, hel_district, hel_village, base, n_hel, u_helper)


def _add(pairs: list[tuple[np.ndarray, ...]], helper: object, person: object, start: object,
         end: object) -> None:
    """Append pairings (helper, person, start, end), broadcast to the persons."""
    person = np.asarray(person, dtype=np.int64)
    pairs.append((np.broadcast_to(np.asarray(helper, dtype=np.int64), person.shape),
                  person, np.broadcast_to(np.asarray(start, dtype=np.int64), person.shape),
                  np.broadcast_to(np.asarray(end, dtype=np.int64), person.shape)))


def _current_pairings(rng: np.random.Generator, pairs: list[tuple[np.ndarray, ...]], u: _Units,
                      hel: _Helpers, district: np.ndarray, rp_start: np.ndarray) -> None:
    """Active pairings: one per person (the helper of its unit, a start shared by the
    unit), and a second active helper of the same type for 30 persons."""
    people, unit_id, base, n_hel = u.people, u.unit_id, hel.base, hel.count
    u_start = rng.random(u.n_units)
    start = uniform_days(u_start[unit_id], np.maximum(rp_start[people], iso_day("2016-03-01")),
                         np.where(rp_start[people] > D0, D, D0))
    start = np.maximum(start, rp_start[people])
    helper = hel.of_unit[unit_id]
    _add(pairs, helper, people, start, NO_DATE)
    extra = rng.choice(people.size, 30, replace=False)
    t = u.u_type[unit_id[extra]]
    d = district[people[extra]]
    k = n_hel[d, t]
    step = 1 + (rng.random(extra.size) * (k - 1)).astype(np.int64)  # another helper
    other = base[d, t] + (helper[extra] - base[d, t] + step) % k
    _add(pairs, other, people[extra], uniform_days(rng.random(extra.size), start[extra], D), NO_DATE)


def _ended_pairings(rng: np.random.Generator, pairs: list[tuple[np.ndarray, ...]], u: _Units,
                    hel: _Helpers, district: np.ndarray, rp_start: np.ndarray, rp_end: np.ndarray,
                    p: dict[str, np.ndarray], enr: dict[str, np.ndarray], rp: np.ndarray,
                    alive: np.ndarray) -> None:
    """Pairings that ended: in 2025 (some with enterprises and unions), with enterprises
    exactly on 2026-12-31 (not active on D), and of the registered poor who died or
    left (until their death or exit)."""
    people, base, n_hel = u.people, hel.base, hel.count
    hist = rng.choice(people.size, 90, replace=False)
    d = district[people[hist]]
    t = rng.choice(6, hist.size, p=[.2, .2, .2, .1, .2, .1])
    hh_ = base[d, t] + (rng.random(hist.size) * n_hel[d, t]).astype(np.int64)
    s = uniform_days(rng.random(hist.size), iso_day("2017-01-01"), iso_day("2023-12-31"))
    _add(pairs, hh_, people[hist], s, uniform_days(rng.random(hist.size), Y25, D0))
    last = rng.choice(people.size, 6, replace=False)
    d = district[people[last]]
    _add(pairs, base[d, 4] + rng.integers(0, 2, last.size), people[last],
         uniform_days(rng.random(last.size), iso_day("2024-01-01"), D0), D)
    is_rp = enr["program"] == RP
    gone = np.flatnonzero(np.isin(np.arange(p["hh"].size), enr["person"][is_rp]) & ~rp)
    d = district[gone]
    t = rng.integers(0, 4, gone.size)
    hh_ = base[d, t] + (rng.random(gone.size) * n_hel[d, t]).astype(np.int64)
    stop = np.where(alive[gone], rp_end[gone], p["death"][gone])
    stop = np.where(stop == NO_DATE, D, np.minimum(stop, D))
    _add(pairs, hh_, gone,
         uniform_days(rng.random(gone.size), np.maximum(rp_start[gone], iso_day("2016-03-01")),
                      np.maximum(stop - 30, rp_start[gone])), stop)


def _idle_pairings(rng: np.random.Generator, pairs: list[tuple[np.ndarray, ...]], hel: _Helpers,
                   h: dict[str, np.ndarray], p_hh: np.ndarray, district: np.ndarray,
                   alive: np.ndarray) -> None:
    """Every helper has worked with someone: an ended pairing for idle helpers."""
    helper_all = np.concatenate([x[0] for x in pairs])
    idle = np.setdiff1d(np.arange(hel.type.size), helper_all)
    needy = alive & np.isin(h["kind"][p_hh], (K_RD, K_UD, K_RPO))
    pool_by_d = [np.flatnonzero(needy & (district == dd)) for dd in range(len(SAMPLE_DISTRICTS))]
    who = np.array([pool_by_d[hel.district[i]][int(rng.integers(0, pool_by_d[hel.district[i]].size))]
                    for i in idle], dtype=np.int64)
    s = uniform_days(rng.random(idle.size), iso_day("2019-01-01"), iso_day("2024-06-30"))
    _add(pairs, idle, who, s, uniform_days(rng.random(idle.size), s + 180, D0))


def _finish(rng: np.random.Generator, pairs: list[tuple[np.ndarray, ...]],
            hel: _Helpers) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Pairings sorted by person, helper and start; helpers' capacities (at least their
    active load, except enterprises and unions)."""
    hel_type = hel.type
    cat = [np.concatenate(x) for x in zip(*pairs)]
    helper_o, person_o, start_o, end_o = cat
    order = np.lexsort((start_o, helper_o, person_o))
    pr = {"helper": helper_o[order], "person": person_o[order], "start": start_o[order],
          "end": end_o[order]}
    active = (pr["start"] <= D) & ((pr["end"] == NO_DATE) | (pr["end"] > D))
    load = np.bincount(pr["helper"][active], minlength=hel_type.size)
    capacity = np.where(hel_type >= 4, rng.integers(2, 9, hel_type.size),
                        load + rng.integers(0, 4, hel_type.size))
    out = {"type": hel_type, "district": hel.district, "village": hel.village,
           "capacity": np.maximum(capacity, 1)}
    return out, pr

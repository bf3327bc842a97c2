"""The bundled sample region (``data/sample/``): six townships of a fictional county.

:func:`sample_tables` is calibrated by construction (see :mod:`reliefkit.sample`,
"Calibration by construction"): each 2026 year-end figure is the size of a set chosen
with that exact size, whatever the seed. It runs as named steps, in a fixed order (the
random draws of each step follow those of the step before): the households, their
members, the counted persons of each programme, the enrolments that must not count,
the registered poor, money and attributes, then enrolments, payments, helpers and text.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from reliefkit.sample.bundled_pairings import sample_pairings
from reliefkit.sample.bundled_payments import sample_adhoc_payments
from reliefkit.sample.bundled_roles import (
    DEATH_CODES, Draft, marginal, minimum_living, noise, ordinary_deaths, registered_poor, special_hardship
)
from reliefkit.sample.draws import allocate
from reliefkit.sample.frames import helper_tables, households_table, ledger_tables, ordered, persons_table
from reliefkit.sample.ledger import build_ledger, enrolment_rows, standing_payments
from reliefkit.sample.money import household_assets, monthly_income
from reliefkit.sample.names import family_surnames, person_names
from reliefkit.sample.people import attributes, household_members, person_ids
from reliefkit.sample.places import SAMPLE_DISTRICTS, birth_places, household_ids
from reliefkit.sample.settings import (
    K_LEAK, K_MG, K_OTHER, K_RD, K_RPO, K_TK, K_UD, K_X, LINES, MG, NO_DATE, PAT, POOR_KINDS, RP, SAMPLE,
    SAMPLE_NOISE, TK, UD
)
from reliefkit.sample.units import local_district, unit_texts

__all__ = ["sample_tables"]


def sample_tables(seed: int = 2026) -> dict[str, pd.DataFrame]:
    """The bundled sample region: six townships of a fictional county, 2025-2026.

    Parameters
    ----------
    seed : int, default 2026
        Seed of :func:`numpy.random.default_rng`. The seed decides who is who; the
        2026 year-end figures are the same for every seed (see :mod:`reliefkit.sample`).

    Returns
    -------
    dict of str to pandas.DataFrame
        ``households``, ``persons``, ``enrolments``, ``payments``, ``helpers`` and
        ``pairings``, with exactly the canonical columns of the data contract, every
        value as text (empty string for a missing value).

    Examples
    --------
    >>> from reliefkit.sample.bundled import sample_tables
    >>> tables = sample_tables()
    >>> sorted(tables)
    ['enrolments', 'helpers', 'households', 'pairings', 'payments', 'persons']
    >>> bool(tables["persons"]["person_id"].str.len().eq(18).all())
    True
    """
    rng = np.random.default_rng(seed)
    district_names, village_names, village_of, w_area = _villages()
    h, hid = _households(rng, village_of, w_area)
    st = _persons(rng, h)
    minimum_living(st)
    special_hardship(st)
    marginal(st)
    noise(st)
    ordinary_deaths(st)
    registered_poor(st)
    a, pid, names = _money_and_people(st)
    p, p_hh = st.p, st.p_hh

    # enrolments: members of a household are enrolled together
    prog_i, person_i = np.nonzero(st.pattern >= 0)
    u = st.u_hh[p_hh[person_i], prog_i]
    enr = enrolment_rows(person_i, prog_i, st.pattern[prog_i, person_i], u,
                         p["birth"][person_i], p["death"][person_i], st.central[person_i])
    # payments
    parts = [standing_payments(enr, p_hh, h["area"], h["y"], h["district"], a, step=1)]
    parts += sample_adhoc_payments(rng, p, a, h, st.alive, st.adult)
    led = build_ledger(rng, parts)
    # helpers and pairings
    hel, pairs = sample_pairings(rng, p, h, enr, st.counted[RP], st.alive)
    hel["name"] = person_names(rng, hel["type"].size, rng.random(hel["type"].size) < 0.6)
    hel["unit"] = unit_texts(hel["type"], hel["district"], hel["village"], district_names,
                             village_names, rng)
    hel["district_name"] = local_district(hel["type"], hel["district"], district_names)
    # text
    tables = {
        "households": households_table(hid, district_names, village_names, h),
        "persons": persons_table(pid, hid, names, p, a),
    }
    tables["enrolments"], tables["payments"] = ledger_tables(pid, enr, led)
    tables["helpers"], tables["pairings"] = helper_tables(pid, hel, pairs)
    return ordered(tables)


def _villages() -> tuple[list[str], list[str], list[tuple[list[int], list[int]]], np.ndarray]:
    """District names, village names, each district's rural and urban village ids, and
    the (area, district) weights of the sample county."""
    district_names = [d[0] for d in SAMPLE_DISTRICTS]
    village_names: list[str] = []
    village_of: list[tuple[list[int], list[int]]] = []  # per district: rural, urban ids
    for _, rural_v, urban_v, _, _ in SAMPLE_DISTRICTS:
        r_ids = list(range(len(village_names), len(village_names) + len(rural_v)))
        village_names += list(rural_v)
        u_ids = list(range(len(village_names), len(village_names) + len(urban_v)))
        village_names += list(urban_v)
        village_of.append((r_ids, u_ids))
    w_area = np.array([[d[3] for d in SAMPLE_DISTRICTS], [d[4] for d in SAMPLE_DISTRICTS]])
    return district_names, village_names, village_of, w_area


def _household_blocks() -> list[tuple[int, int, int, list[float], int, int, int]]:
    """Blocks of households: (kind, area, households, size probabilities, noise
    programme, noise pattern, noise death code)."""
    S = SAMPLE
    size_p = {
        K_RD: [.40, .30, .15, .09, .04, .02], K_UD: [.55, .25, .12, .06, .02, 0],
        K_MG: [.15, .30, .25, .20, .10, 0], K_RPO: [0, .25, .30, .25, .15, .05],
        K_LEAK: [.35, .30, .20, .10, .05, 0], K_OTHER: [.12, .22, .24, .22, .13, .07],
    }
    blocks: list[tuple[int, int, int, list[float], int, int, int]] = [
        # kind, area, households, size probabilities, noise programme, pattern, death
        (K_RD, 0, S["rd_households"], size_p[K_RD], -1, -1, 0),
        (K_UD, 1, S["ud_households"], size_p[K_UD], -1, -1, 0),
        (K_TK, 0, S["tk_rural"], [1, 0, 0, 0, 0, 0], -1, -1, 0),
        (K_TK, 1, S["tk_persons"] - S["tk_rural"], [1, 0, 0, 0, 0, 0], -1, -1, 0),
        (K_MG, 0, S["mg_households"][0], size_p[K_MG], -1, -1, 0),
        (K_MG, 1, S["mg_households"][1], size_p[K_MG], -1, -1, 0),
        (K_RPO, 0, S["rpo_households"], size_p[K_RPO], -1, -1, 0),
        (K_LEAK, 0, S["leak"][0], size_p[K_LEAK], -1, -1, 0),
        (K_LEAK, 1, S["leak"][1], size_p[K_LEAK], -1, -1, 0),
        (K_OTHER, 0, S["other"][0], size_p[K_OTHER], -1, -1, 0),
        (K_OTHER, 1, S["other"][1], size_p[K_OTHER], -1, -1, 0),
    ]
    for prog, pat, death, count, where in SAMPLE_NOISE:
        if where != "own":
            continue
        if prog == TK:
            sp = [1, 0, 0, 0, 0, 0]
        elif pat.startswith("DIED"):
            sp = [.6, .4, 0, 0, 0, 0]
        else:
            sp = [.45, .35, .2, 0, 0, 0]
        area = 1 if prog == UD or (prog == MG and count == 1) else 0
        blocks.append((K_X, area, count, sp, prog, PAT[pat], DEATH_CODES[death]))
    return blocks


def _households(rng: np.random.Generator, village_of: list[tuple[list[int], list[int]]],
                w_area: np.ndarray) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Households (kind, area, size, district, village, noise columns) in identifier
    order, and their identifiers as an ASCII matrix."""
    n_d = len(SAMPLE_DISTRICTS)
    cols: dict[str, list[np.ndarray]] = {
        k: [] for k in ("kind", "area", "size", "district", "nprog", "npat", "ndeath")}
    for kind, area, count, sp, nprog, npat, ndeath in _household_blocks():
        alloc = allocate(count, w_area[area], minimum=1 if count >= 3 * n_d else 0)
        cols["district"].append(rng.permutation(np.repeat(np.arange(n_d), alloc)))
        cols["kind"].append(np.full(count, kind))
        cols["area"].append(np.full(count, area))
        cols["size"].append(rng.choice(np.arange(1, 7), count, p=np.asarray(sp) / np.sum(sp)))
        cols["nprog"].append(np.full(count, nprog))
        cols["npat"].append(np.full(count, npat))
        cols["ndeath"].append(np.full(count, ndeath))
    h = {k: np.concatenate(v).astype(np.int64) for k, v in cols.items()}
    n_h = h["kind"].size
    r = rng.random(n_h)
    h["village"] = np.empty(n_h, dtype=np.int64)
    for d in range(n_d):
        for a in (0, 1):
            at = np.flatnonzero((h["district"] == d) & (h["area"] == a))
            ids = np.array(village_of[d][a])
            h["village"][at] = ids[(r[at] * ids.size).astype(np.int64)]
    first_village = np.array([min(r_ids + u_ids) for r_ids, u_ids in village_of])
    order, hid = household_ids(h["district"], h["village"],
                               h["village"] - first_village[h["district"]])
    return {k: v[order] for k, v in h.items()}, hid


def _persons(rng: np.random.Generator, h: dict[str, np.ndarray]) -> Draft:
    """The members of every household, nobody dead or enrolled yet."""
    p = household_members(rng, h["size"], h["kind"])
    n_h, n_p = h["kind"].size, p["hh"].size
    p["death"] = np.full(n_p, NO_DATE, dtype=np.int64)
    counted = np.zeros((5, n_p), dtype=bool)
    pattern = np.full((5, n_p), -1, dtype=np.int64)
    return Draft(rng, h, p, counted, pattern, u_hh=rng.random((n_h, 5, 3)))


def _money_and_people(
        st: Draft) -> tuple[dict[str, np.ndarray], np.ndarray, pd.api.extensions.ExtensionArray]:
    """Households' money, assets and safety; persons' attributes, public employees, ID
    numbers and names. Returns the attributes, the IDs (ASCII matrix) and the names."""
    rng, h, p, p_hh, n_h, alive = st.rng, st.h, st.p, st.p_hh, st.n_h, st.alive
    p_kind = st.p_kind
    n_alive = np.bincount(p_hh[alive], minlength=n_h)
    y = monthly_income(rng, h["kind"], h["area"])
    for kind, area, share in ((K_RD, 0, 0.06), (K_UD, 1, 0.06)):
        at = np.flatnonzero(h["kind"] == kind)
        above = rng.choice(at, round(share * at.size), replace=False)
        line = LINES[area, 2026]
        y[above] = line + 5 + (line * 0.7) * rng.random(above.size)  # enrolled above the line
    y = np.where(n_alive > 0, np.round(y, 2), 0.0)
    a = attributes(rng, p, h["kind"], h["area"])
    household_assets(rng, h, p_hh, n_alive, y, a, np.where(np.isin(h["kind"], POOR_KINDS), 0.93, 0.98))
    h["main_cause"], h["cause_mask"] = a["main_cause"], a["cause_mask"]
    p["public"] = np.zeros(st.n_p, dtype=bool)
    for kind, n_pub in ((K_RD, 3), (K_UD, 1), (K_OTHER, 14)):
        ok = np.flatnonzero((p_kind == kind) & alive & (p["age"] >= 23) & (p["age"] < 58)
                            & (a["labor"] == 0))
        pub = rng.choice(ok, n_pub, replace=False)
        p["public"][pub] = True
        a["employment"][pub] = 0
    pid = person_ids(rng, *birth_places(rng, h["district"][p_hh]), p["birth"], p["male"])
    names = person_names(rng, st.n_p, p["male"], family_surnames(rng, p, n_h))
    return a, pid, names



"""Ad-hoc payments of the bundled sample region (2025 and 2026); the 2026 totals of
the county summary are exact.
"""

from __future__ import annotations

import numpy as np

from reliefkit.sample.draws import pick_one, split_total, uniform_days
from reliefkit.sample.ledger import pay_rows
from reliefkit.sample.settings import (
    D0, DON, EDU, HEAD, HOL, K_LEAK, K_MG, K_OTHER, K_RD, K_RPO, K_TK, K_UD, K_X, MED, ONE, PROJ, SAMPLE,
    SPOUSE, TEMP, Y25, Y26, D, iso_day
)

__all__ = ["sample_adhoc_payments"]


def sample_adhoc_payments(rng: np.random.Generator, p: dict[str, np.ndarray],
                          a: dict[str, np.ndarray], h: dict[str, np.ndarray],
                          alive: np.ndarray, adult: np.ndarray) -> list[dict[str, np.ndarray]]:
    """Temporary, medical, donation, holiday, project, education and one-time payments
    of 2025 and 2026; the 2026 totals of the summary are exact.

    Parameters
    ----------
    rng : numpy.random.Generator
        The generator.
    p : dict of str to numpy.ndarray
        Person columns by name (``hh``: the row of the person's household).
    a : dict of str to numpy.ndarray
        Person attributes (see :func:`reliefkit.sample.people.attributes`).
    h : dict of str to numpy.ndarray
        Household columns by name.
    alive, adult : numpy.ndarray of bool
        Per person.

    Returns
    -------
    list of dict of str to numpy.ndarray
        Payments (:func:`reliefkit.sample.ledger.pay_rows`).
    """
    S = SAMPLE
    p_hh = p["hh"]
    kind = h["kind"][p_hh]
    n_h = h["kind"].size
    needy = alive & np.isin(kind, (K_RD, K_UD, K_MG, K_LEAK, K_X, K_OTHER, K_RPO))
    lead = needy & adult & ((p["rel"] == HEAD) | (p["rel"] == SPOUSE))
    out: list[dict[str, np.ndarray]] = []

    def days(n: int, year: int, lo: str | None = None, hi: str | None = None) -> np.ndarray:
        lo_d = iso_day(lo) if lo else (Y25 if year == 2025 else Y26)
        hi_d = iso_day(hi) if hi else (D0 if year == 2025 else D)
        return uniform_days(rng.random(n), lo_d, hi_d)

    def recipients(pool: np.ndarray, n: int, twice: int) -> np.ndarray:
        who = rng.choice(np.flatnonzero(pool), n, replace=False)
        return np.concatenate([who, rng.choice(who, twice, replace=False)])

    # temporary assistance
    n, twice, total = S["temporary"]
    who = recipients(lead, n, twice)
    cents = split_total(rng, total, who.size, 20_000, 150_000, 10_000)
    out.append(pay_rows(who, TEMP, days(who.size, 2026), cents))
    who = recipients(lead, 94, 8)
    out.append(pay_rows(who, TEMP, days(who.size, 2025), rng.integers(2, 7, who.size) * 10_000))
    # medical aid: the ill member of households with a serious illness
    for year, n_hh, lo, hi in ((2026, S["medical"][0], S["medical"][1], S["medical"][2]),
                               (2025, 8, 4_000_000, 5_500_000)):
        ill = alive & (a["major"] | a["chronic"]) & needy
        one = pick_one(rng, p_hh, ill, n_h, priority=a["major"] * 1.0)
        first = rng.choice(one[one >= 0], n_hh, replace=False)
        who = np.concatenate([first, rng.choice(first, n_hh // 2, replace=False)])
        total = int(uniform_days(rng.random(1), lo, hi)[0])
        cents = split_total(rng, total, who.size, 150_000, 1_500_000)
        out.append(pay_rows(who, MED, days(who.size, year), cents))
    # donations (in cash or kind): 140 yuan per recipient on average in 2026
    n, twice, per_head = S["donation"]
    who = recipients(needy, n, twice)
    cents = split_total(rng, n * per_head, who.size, 6_000, 30_000, 1_000)
    out.append(pay_rows(who, DON, days(who.size, 2026), cents))
    who = recipients(needy, 330, 25)
    out.append(pay_rows(who, DON, days(who.size, 2025), rng.integers(6, 25, who.size) * 1_000))
    # holiday visits: Spring Festival and Mid-Autumn Festival
    visited = alive & (p["rel"] == HEAD) & np.isin(kind, (K_RD, K_UD, K_TK, K_RPO, K_MG))
    for year, spring, autumn, n_spring, n_new, n_again in (
            (2025, ("2025-01-13", "2025-01-27"), ("2025-09-24", "2025-10-04"), 480, 96, 60),
            (2026, ("2026-02-02", "2026-02-14"), ("2026-09-14", "2026-09-24"), 520, 92, 68)):
        perm = rng.permutation(np.flatnonzero(visited))
        again = rng.choice(perm[:n_spring], n_again, replace=False)
        for (lo, hi), who in ((spring, perm[:n_spring]),
                              (autumn, np.concatenate([perm[n_spring:n_spring + n_new], again]))):
            cents = rng.choice([20_000, 30_000, 50_000], who.size, p=[.5, .35, .15])
            out.append(pay_rows(who, HOL, days(who.size, year, lo, hi), cents))
    # project support for households that can work
    able = alive & (p["rel"] == HEAD) & (a["labor"] < 2) & np.isin(kind, (K_RPO, K_RD))
    for year, n in ((2025, 24), (2026, 28)):
        who = rng.choice(np.flatnonzero(able), n, replace=False)
        out.append(pay_rows(who, PROJ, days(n, year), rng.integers(4, 21, n) * 50_000))
    # education grants, at the start of the school year
    pupils = alive & (a["employment"] == 4) & np.isin(kind, (K_RD, K_UD, K_RPO, K_MG))
    for year, n in ((2025, 40), (2026, 46)):
        who = rng.choice(np.flatnonzero(pupils), min(n, int(pupils.sum())), replace=False)
        age = p["age"][who] - (2026 - year)
        cents = np.select([age < 16, age < 19], [rng.choice([50_000, 100_000], who.size), 200_000],
                          rng.integers(6, 11, who.size) * 50_000)
        out.append(pay_rows(who, EDU, days(who.size, year, f"{year}-08-20", f"{year}-09-30"), cents))
    # one-time living subsidies
    for year, n in ((2025, 18), (2026, 22)):
        who = rng.choice(np.flatnonzero(lead), n, replace=False)
        out.append(pay_rows(who, ONE, days(n, year), rng.integers(5, 31, n) * 10_000))
    return out

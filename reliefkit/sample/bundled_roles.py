"""Who is who in the bundled sample region: the counted persons of each programme, the
enrolments that must not count, deaths and the registered poor.

Each step draws persons for a role with exact numbers (``SAMPLE``, ``SAMPLE_OLD``,
``SAMPLE_NEW``, ``SAMPLE_NOISE`` of :mod:`reliefkit.sample.settings`) and records them in
the :class:`Draft` that :func:`reliefkit.sample.bundled.sample_tables` passes along.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from reliefkit.sample.draws import pick_one, uniform_days
from reliefkit.sample.settings import (
    D0, HEAD, K_MG, K_OTHER, K_RD, K_RPO, K_TK, K_UD, K_X, MG, NO_DATE, PAT, RD, ROLL_BIRTH_MAX, RP, SAMPLE,
    SAMPLE_NEW, SAMPLE_NOISE, SAMPLE_OLD, TK, UD, Y25, Y26, D
)

__all__ = [
    "DEATH_CODES", "Draft", "marginal", "minimum_living", "noise", "ordinary_deaths",
    "registered_poor", "special_hardship",
]

DEATH_CODES: dict[object, int] = {None: 0, 2025: 1, 2026: 2, "D": 3}  # see SAMPLE_NOISE


@dataclass
class Draft:
    """What the steps of :func:`reliefkit.sample.bundled.sample_tables` build and share:
    the households ``h`` and persons ``p`` (columns by name), and per programme and
    person whether the person is counted and which enrolment pattern they follow."""

    rng: np.random.Generator
    h: dict[str, np.ndarray]  # households
    p: dict[str, np.ndarray]  # persons
    counted: np.ndarray  # (programme, person): counted on 2026-12-31
    pattern: np.ndarray  # (programme, person): enrolment pattern, -1 none
    u_hh: np.ndarray  # (household, programme, 3) uniforms shared by the members
    used: np.ndarray = field(init=False)  # persons already given a role
    central: np.ndarray = field(init=False)  # special hardship cared for in an institution
    new_households: dict[int, np.ndarray] = field(default_factory=dict)
    alive: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.used = np.zeros(self.n_p, dtype=bool)
        self.central = np.zeros(self.n_p, dtype=bool)

    @property
    def n_h(self) -> int:
        return int(self.h["kind"].size)

    @property
    def n_p(self) -> int:
        return int(self.p["hh"].size)

    @property
    def p_hh(self) -> np.ndarray:
        return self.p["hh"]

    @property
    def p_kind(self) -> np.ndarray:
        return self.h["kind"][self.p["hh"]]

    @property
    def adult(self) -> np.ndarray:
        return self.p["age"] >= 18

    @property
    def on_roll(self) -> np.ndarray:
        return self.p["birth"] <= ROLL_BIRTH_MAX

    @property
    def heads(self) -> np.ndarray:
        """Index of each household's head."""
        return np.flatnonzero(self.p["rel"] == HEAD)


def _death_days(rng: np.random.Generator, code: np.ndarray) -> np.ndarray:
    """Days of death by code: 1 in 2025, 2 in 2026 before 2026-12-31, 3 on 2026-12-31."""
    code = np.asarray(code)
    d = np.where(code == 1, uniform_days(rng.random(code.size), Y25, D0),
                 uniform_days(rng.random(code.size), Y26, D - 1))
    return np.where(code == 3, D, d)


def minimum_living(st: Draft) -> None:
    """Counted persons of the rural and urban minimum living allowance, new and old.

    Parameters
    ----------
    st : Draft
        The region drafted so far; updated in place.
    """
    rng, h, p, p_hh, n_h, n_p = st.rng, st.h, st.p, st.p_hh, st.n_h, st.n_p
    p_kind, on_roll, adult, heads, counted = st.p_kind, st.on_roll, st.adult, st.heads, st.counted
    S = SAMPLE
    for prog, kind, total, n_new in ((RD, K_RD, S["rd_persons"], S["rd_new"]),
                                     (UD, K_UD, S["ud_persons"], S["ud_new"])):
        in_kind = p_kind == kind
        hh_ids = np.flatnonzero(h["kind"] == kind)
        by_member = rng.random(hh_ids.size) < 0.15
        primary = pick_one(rng, p_hh, in_kind & on_roll & (p["rel"] != HEAD), n_h)[hh_ids]
        primary = np.where(by_member & (primary >= 0), primary, heads[hh_ids])
        counted[prog, primary] = True
        cand = np.flatnonzero(in_kind & on_roll & ~counted[prog])
        counted[prog, rng.choice(cand, total - hh_ids.size, replace=False)] = True
        # new persons: whole households first, then single members of old households
        k = np.bincount(p_hh[counted[prog]], minlength=n_h)
        perm = rng.permutation(hh_ids)
        n_members = max(1, n_new // 10)
        new_hh = perm[np.cumsum(k[perm]) <= n_new - n_members]
        is_new_hh = np.zeros(n_h, dtype=bool)
        is_new_hh[new_hh] = True
        new = counted[prog] & is_new_hh[p_hh]
        extra_cand = np.flatnonzero(counted[prog] & ~is_new_hh[p_hh] & (p["rel"] != HEAD)
                                    & ~np.isin(np.arange(n_p), primary))
        new[rng.choice(extra_cand, n_new - new.sum(), replace=False)] = True
        st.new_households[prog] = is_new_hh
        _assign_patterns(rng, st.pattern[prog], np.flatnonzero(counted[prog] & ~new),
                         SAMPLE_OLD[prog], "OLD", adult)
        _assign_patterns(rng, st.pattern[prog], np.flatnonzero(new), SAMPLE_NEW[prog], "NEW", adult)
        st.used |= counted[prog]


def special_hardship(st: Draft) -> None:
    """Special hardship: one-person households, some cared for in an institution.

    Parameters
    ----------
    st : Draft
        The region drafted so far; updated in place.
    """
    rng, pattern, adult, S = st.rng, st.pattern, st.adult, SAMPLE
    tk_people = st.heads[st.h["kind"] == K_TK]
    st.counted[TK, tk_people] = True
    perm = rng.permutation(tk_people)
    tk_new = perm[: S["tk_new"]]
    _assign_patterns(rng, pattern[TK], perm[S["tk_new"]:], SAMPLE_OLD[TK], "OLD", adult)
    _assign_patterns(rng, pattern[TK], tk_new, SAMPLE_NEW[TK], "NEW", adult)
    switch = tk_people[pattern[TK, tk_people] == PAT["OLD_SWITCH"]]
    st.central[switch] = True
    rest = np.setdiff1d(tk_people, switch)
    st.central[rng.choice(rest, S["tk_centralized"] - switch.size, replace=False)] = True
    st.used[tk_people] = True


def marginal(st: Draft) -> None:
    """Marginal households: every member on the roll, most of them new in 2026.

    Parameters
    ----------
    st : Draft
        The region drafted so far; updated in place.
    """
    mg_hh = st.rng.permutation(np.flatnonzero(st.h["kind"] == K_MG))
    mg_new = np.zeros(st.n_h, dtype=bool)
    mg_new[mg_hh[: SAMPLE["mg_new_households"]]] = True
    mg = (st.p_kind == K_MG) & st.on_roll
    st.counted[MG, mg] = True
    st.pattern[MG, mg] = np.where(mg_new[st.p_hh[mg]], PAT["NEW"], PAT["OLD"])
    st.used |= mg


def noise(st: Draft) -> None:
    """Enrolments that must not count (``SAMPLE_NOISE``): in households of their own,
    or one non-counted member of an old counted household.

    Parameters
    ----------
    st : Draft
        The region drafted so far; updated in place.
    """
    rng, h, p, p_hh, n_h, heads = st.rng, st.h, st.p, st.p_hh, st.n_h, st.heads
    p_kind, on_roll, used, pattern = st.p_kind, st.on_roll, st.used, st.pattern
    noise_hh = np.zeros(n_h, dtype=bool)  # at most one noisy member per household
    for prog, pat, death, count, where in SAMPLE_NOISE:
        code = DEATH_CODES[death]
        if where == "own":
            at = np.flatnonzero((h["kind"] == K_X) & (h["nprog"] == prog)
                                & (h["npat"] == PAT[pat]) & (h["ndeath"] == code))
            if pat.startswith("DIED"):
                who = heads[at]
                p["death"][who] = _death_days(rng, np.full(who.size, code))
            else:
                who = np.flatnonzero(np.isin(p_hh, at) & on_roll)
            pattern[prog, who] = PAT[pat]
            if prog == TK:
                st.central[who] = rng.random(who.size) < 0.6
            used[who] = True
            continue
        if prog == RP:
            pool_kind, min_age = K_RPO, 45
        else:
            pool_kind = K_RD if prog == RD else K_UD
            min_age = 40 if pat.startswith("DIED") else 18
        old_hh = ~st.new_households.get(prog, np.zeros(n_h, dtype=bool))
        ok = (p_kind == pool_kind) & ~used & on_roll & (p["age"] >= min_age) & old_hh[p_hh]
        ok &= ~noise_hh[p_hh] & (h["size"][p_hh] >= 2)
        one = pick_one(rng, p_hh, ok, n_h)
        one = one[one >= 0]
        who = rng.choice(one, count, replace=False, p=_age_weights(p["age"][one]))
        if code:
            p["death"][who] = _death_days(rng, np.full(count, code))
        pattern[prog, who] = PAT[pat]
        noise_hh[p_hh[who]] = True
        used[who] = True


def ordinary_deaths(st: Draft) -> None:
    """Eight deaths outside every programme; then who is alive is known.

    Parameters
    ----------
    st : Draft
        The region drafted so far; updated in place.
    """
    p, p_hh = st.p, st.p_hh
    ok = (st.p_kind == K_OTHER) & (p["age"] >= 60) & (st.h["size"][p_hh] >= 2)
    one = pick_one(st.rng, p_hh, ok, st.n_h)
    who = st.rng.choice(one[one >= 0], 8, replace=False)
    p["death"][who] = _death_days(st.rng, st.rng.choice([1, 2], 8))
    st.alive = p["death"] == NO_DATE


def registered_poor(st: Draft) -> None:
    """Registered poor: whole households, exactly the target alive on 2026-12-31.

    Parameters
    ----------
    st : Draft
        The region drafted so far; updated in place.
    """
    rng, h, p_hh, n_h, pattern, S = st.rng, st.h, st.p_hh, st.n_h, st.pattern, SAMPLE
    rp_pool = np.concatenate([rng.permutation(np.flatnonzero(h["kind"] == K_RPO)),
                              rng.permutation(np.flatnonzero((h["kind"] == K_RD) & (h["size"] >= 2)))])
    eligible = st.alive & st.on_roll
    n_elig = np.bincount(p_hh[eligible], minlength=n_h)[rp_pool]
    cum = np.cumsum(n_elig)
    take = int(np.searchsorted(cum, S["rp_persons"]))  # the household that completes it
    rp_hh = rp_pool[: take + 1]
    in_rp = np.zeros(n_h, dtype=bool)
    in_rp[rp_hh] = True
    rp = eligible & in_rp[p_hh]
    last_members = np.flatnonzero(eligible & (p_hh == rp_pool[take]))
    need = S["rp_persons"] - (cum[take - 1] if take else 0)
    rp[last_members[need:]] = False
    st.counted[RP] = rp
    perm = rng.permutation(np.flatnonzero(rp & st.adult))
    pattern[RP, rp] = PAT["OLD"]
    pattern[RP, perm[: S["rp_new"]]] = PAT["NEW"]
    pattern[RP, perm[S["rp_new"]: S["rp_new"] + S["rp_old25"]]] = PAT["OLD25"]
    rp_dead = in_rp[p_hh] & ~st.alive & st.on_roll & (pattern[RP] < 0)
    pattern[RP, rp_dead] = PAT["DIED_CLOSED"]


def _age_weights(age: np.ndarray) -> np.ndarray:
    """Draw weights favouring older persons (their histories reach back further)."""
    w = np.maximum(age - 30, 1.0) ** 2
    return w / w.sum()


def _assign_patterns(rng: np.random.Generator, row: np.ndarray, who: np.ndarray,
                     special: Mapping[str, int], default: str, adult: np.ndarray) -> None:
    """Give ``who`` the ``default`` pattern and exact numbers of special patterns,
    the special ones to adults only (their histories reach back further)."""
    row[who] = PAT[default]
    grown = rng.permutation(who[adult[who]])
    at = 0
    for name, n in special.items():
        if at + n > grown.size:
            raise ValueError(f"not enough adults for pattern {name}")
        row[grown[at: at + n]] = PAT[name]
        at += n

"""Persons: household composition, health, labour and employment, resident ID numbers.

Resident ID numbers are 18 characters with the GB 11643 check character of
:mod:`reliefkit.text.idnumbers` (its weights and check characters).
"""

from __future__ import annotations

import numpy as np

from reliefkit.sample.draws import random_member, segment_rank
from reliefkit.sample.encode import digit_chars
from reliefkit.sample.settings import (
    CHILD, GRANDCHILD, HEAD, K_MG, K_OTHER, K_TK, OTHER, PARENT, POOR_KINDS, REF, RELATIONS, SPOUSE
)
from reliefkit.text.idnumbers import CHECK_CHARS, WEIGHTS

__all__ = ["attributes", "household_members", "person_ids"]

_CHECK_BYTES = np.frombuffer(CHECK_CHARS.encode("ascii"), dtype=np.uint8)  # GB 11643 check characters


# composition templates: (relations, weight within size, head age low, head age high)
_TEMPLATES: tuple[tuple[tuple[int, ...], float, int, int], ...] = (
    ((HEAD,), 1.0, 24, 92),
    ((HEAD, SPOUSE), 0.50, 24, 90), ((HEAD, CHILD), 0.33, 40, 88),
    ((HEAD, PARENT), 0.12, 22, 58), ((HEAD, OTHER), 0.05, 25, 85),
    ((HEAD, SPOUSE, CHILD), 0.55, 26, 70), ((HEAD, CHILD, CHILD), 0.15, 32, 72),
    ((HEAD, SPOUSE, PARENT), 0.15, 24, 58), ((HEAD, CHILD, GRANDCHILD), 0.15, 56, 86),
    ((HEAD, SPOUSE, CHILD, CHILD), 0.50, 28, 62),
    ((HEAD, SPOUSE, CHILD, PARENT), 0.25, 28, 56),
    ((HEAD, CHILD, GRANDCHILD, GRANDCHILD), 0.10, 56, 85),
    ((HEAD, SPOUSE, PARENT, PARENT), 0.15, 24, 55),
    ((HEAD, SPOUSE, CHILD, CHILD, PARENT), 0.50, 30, 56),
    ((HEAD, SPOUSE, CHILD, GRANDCHILD, GRANDCHILD), 0.35, 56, 80),
    ((HEAD, SPOUSE, CHILD, CHILD, CHILD), 0.15, 32, 62),
    ((HEAD, SPOUSE, CHILD, CHILD, PARENT, PARENT), 0.40, 30, 52),
    ((HEAD, SPOUSE, CHILD, CHILD, GRANDCHILD, GRANDCHILD), 0.40, 56, 80),
    ((HEAD, SPOUSE, CHILD, CHILD, CHILD, OTHER), 0.20, 34, 62),
)
_T_REL = np.full((len(_TEMPLATES), 6), -1, dtype=np.int8)
for _i, (_rel, *_rest) in enumerate(_TEMPLATES):
    _T_REL[_i, : len(_rel)] = _rel
_T_SIZE = np.array([len(t[0]) for t in _TEMPLATES])
_T_W = np.array([t[1] for t in _TEMPLATES])
_T_LO = np.array([t[2] for t in _TEMPLATES])
_T_HI = np.array([t[3] for t in _TEMPLATES])


def household_members(rng: np.random.Generator, size: np.ndarray, kind: np.ndarray) -> dict[str, np.ndarray]:
    """Members of households of the given sizes (1-6): relation, age, sex, birth day.

    Parameters
    ----------
    rng : numpy.random.Generator
        The generator.
    size : numpy.ndarray of int
        Members per household.
    kind : numpy.ndarray of int
        Each household's kind (older heads for the poor, special hardship alone).

    Returns
    -------
    dict of str to numpy.ndarray
        ``hh``, ``slot``, ``rel``, ``male``, ``birth``, ``age`` per person and
        ``head_male`` per household.

    Examples
    --------
    >>> p = household_members(np.random.default_rng(0), np.array([2, 1]), np.array([0, 7]))
    >>> p["hh"].tolist(), p["rel"].tolist()[0]
    ([0, 0, 1], 0)
    """
    n_h = size.size
    template = np.zeros(n_h, dtype=np.int64)
    for s in range(1, 7):
        at = np.flatnonzero(size == s)
        ids = np.flatnonzero(_T_SIZE == s)
        template[at] = rng.choice(ids, size=at.size, p=_T_W[ids] / _T_W[ids].sum())
    poor = np.isin(kind, POOR_KINDS)
    u = rng.random(n_h) ** np.where(poor, 0.7, 1.0)
    head_age = _T_LO[template] + (_T_HI[template] - _T_LO[template]) * u
    tk = kind == K_TK
    young_tk = tk & (rng.random(n_h) < 0.15)
    head_age = np.where(tk, np.where(young_tk, 28 + 31 * rng.random(n_h),
                                     60 + 35 * rng.random(n_h)), head_age)
    head_male = rng.random(n_h) < np.where(size == 1, 0.55, 0.78)

    hh = np.repeat(np.arange(n_h, dtype=np.int32 if n_h < 2**31 else np.int64), size)
    n_p = hh.size
    starts = np.cumsum(size) - size
    slot = (np.arange(n_p) - starts[hh]).astype(np.int8)
    rel = _T_REL[template[hh], slot]
    head_age = head_age.astype(np.float32)
    age = np.empty(n_p, dtype=np.float32)
    for code in range(len(RELATIONS)):
        at = np.flatnonzero(rel == code)
        ha = head_age[hh[at]]
        r = rng.random(at.size, dtype=np.float32)
        if code == HEAD:
            age[at] = ha
        elif code == SPOUSE:
            age[at] = np.clip(ha + rng.normal(-2, 3, at.size), 20, 98)
        elif code == CHILD:
            age[at] = np.maximum(ha - 22 - 16 * r, 0)
        elif code == PARENT:
            age[at] = np.minimum(ha + 22 + 10 * r, 99)
        elif code == GRANDCHILD:
            age[at] = np.maximum(ha - 44 - 16 * r, 0)
        else:
            age[at] = 12 + 68 * r
    male = rng.random(n_p, dtype=np.float32) < 0.5
    is_head, is_spouse = rel == HEAD, rel == SPOUSE
    male[is_head] = head_male[hh[is_head]]
    male[is_spouse] = ~head_male[hh[is_spouse]]
    days = (np.floor(age) + rng.random(n_p, dtype=np.float32)).astype(np.float64) * 365.2425
    birth = (REF - np.floor(days)).astype(np.int32)
    del days
    return {"hh": hh, "slot": slot, "rel": rel, "male": male, "birth": birth,
            "age": ((REF - birth) / 365.2425).astype(np.float32), "head_male": head_male}


def _household_causes(rng: np.random.Generator, kind: np.ndarray,
                      has_student: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Main cause index (-1: none) and bit mask of all causes per household."""
    n_h = kind.size
    w_poor = np.array([34, 22, 6, 3, 3, 1, 7, 10, 7, 2, 2, 1, 2], dtype=float)
    w_other = np.array([22, 12, 6, 4, 3, 1, 14, 8, 22, 3, 2, 1, 2], dtype=float)
    w_tk = np.array([25, 30, 0, 0, 0, 0, 0, 45, 0, 0, 0, 0, 0], dtype=float)
    main = np.where(np.isin(kind, POOR_KINDS) | (kind == K_MG),
                    rng.choice(13, n_h, p=w_poor / w_poor.sum()),
                    rng.choice(13, n_h, p=w_other / w_other.sum()))
    main = np.where(kind == K_TK, rng.choice(13, n_h, p=w_tk / w_tk.sum()), main)
    main = np.where((main == 2) & ~has_student, 8, main)  # education needs a student
    main = np.where((kind == K_OTHER) & (rng.random(n_h) < 0.3), -1, main)
    extra_p = np.array([.12, .06, .05, .03, .03, .01, .12, .12, .15, .03, .02, .01, .01])
    mask = np.zeros(n_h, dtype=np.int64)
    for c in range(13):
        hit = rng.random(n_h) < extra_p[c]
        if c == 2:
            hit &= has_student
        mask |= hit.astype(np.int64) << c
    mask = np.where(main >= 0, mask | (1 << np.maximum(main, 0)), 0)
    return main, mask


# probabilities by age band (<6, 6-15, 16-17, 18-22, 23-44, 45-59, 60-74, 75+), not poor / poor
_AGE_BANDS = np.array([6, 16, 18, 23, 45, 60, 75], dtype=np.float32)
_P_DISABLED = np.array([.01, .01, .01, .04, .04, .04, .10, .10])[:, None] * np.array([1.0, 1.5])
_P_CHRONIC = np.array([.02, .02, .02, .06, .06, .18, .38, .38])[:, None] * np.array([1.0, 1.3])
_P_MAJOR = np.array([.01, .01, .01, .01, .01, .03, .03, .03])[:, None] * np.array([1.0, 1.0])


def attributes(rng: np.random.Generator, p: dict[str, np.ndarray], kind: np.ndarray,
               area: np.ndarray) -> dict[str, np.ndarray]:
    """Health, labour and employment and causes of hardship, consistent with each other.

    Parameters
    ----------
    rng : numpy.random.Generator
        The generator.
    p : dict of str to numpy.ndarray
        Person columns by name (``hh``: the row of the person's household).
    kind : numpy.ndarray of int
        Each household's kind.
    area : numpy.ndarray of int
        Each household's area (0 rural, 1 urban).

    Returns
    -------
    dict of str to numpy.ndarray
        Per person ``grade``, ``chronic``, ``major``, ``labor``, ``employment``; per
        household ``main_cause`` (-1 none) and ``cause_mask``.
    """
    hh, age = p["hh"], p["age"]
    n_p, n_h = hh.size, kind.size
    pk = kind[hh]
    band = np.searchsorted(_AGE_BANDS, age, side="right").astype(np.int8)
    cell = band.astype(np.intp) * 2 + np.isin(pk, POOR_KINDS)  # row of the tables above
    student_age = (band >= 1) & (band <= 3)
    has_student = np.bincount(hh[student_age], minlength=n_h) > 0
    main, mask = _household_causes(rng, kind, has_student)

    def draw(table: np.ndarray) -> np.ndarray:
        return rng.random(n_p, dtype=np.float32) < table.astype(np.float32).ravel()[cell]

    grade = np.zeros(n_p, dtype=np.int8)
    disabled = np.flatnonzero(draw(_P_DISABLED))
    grade[disabled] = rng.choice(np.array([1, 2, 3, 4], dtype=np.int8), disabled.size,
                                 p=[.12, .23, .30, .35])
    chronic = draw(_P_CHRONIC)
    major = draw(_P_MAJOR)

    adult = band >= 3
    size = np.bincount(hh, minlength=n_h)
    first = np.cumsum(size) - size
    ill = random_member(rng, first, size, adult)[(mask & 1) > 0]
    heavy = rng.random(ill.size) < 0.35
    major[ill[heavy]] = True
    chronic[ill[~heavy]] = True
    dis = random_member(rng, first, size, adult)[(mask & 2) > 0]
    grade[dis] = np.where(grade[dis] > 0, grade[dis], rng.choice(np.array([1, 2, 3, 4], dtype=np.int8),
                                                                 dis.size))
    young_tk = np.flatnonzero((pk == K_TK) & (band < 6))
    grade[young_tk] = np.clip(grade[young_tk], 1, 2)
    del pk, first, size

    severe = (grade == 1) | (grade == 2)
    labor = np.zeros(n_p, dtype=np.int8)  # 0 full, 1 partial, 2 none
    labor[(band >= 6) | (grade >= 3) | (chronic & (rng.random(n_p, dtype=np.float32) < .6))] = 1
    labor[(band <= 1) | (band == 7) | severe | major] = 2
    del severe
    urban = area[hh] == 1
    r = rng.random(n_p, dtype=np.float32)
    # working age: rural farming / employed / unemployed / other, urban employed / unemployed
    # / laid off / other; old age: urban retired or other, rural farming or other
    step_rural = (r >= .6).astype(np.int8) + (r >= .8) + (r >= .9)
    step_urban = (r >= .45).astype(np.int8) + (r >= .7) + (r >= .85)
    work = np.where(urban, np.array([0, 1, 2, 6], dtype=np.int8)[step_urban],
                    np.array([3, 0, 1, 6], dtype=np.int8)[step_rural])
    old = np.where(urban, np.where(r < .6, 5, 6), np.where(r < .4, 3, 6)).astype(np.int8)
    employment = np.where(band >= 6, old, work)
    employment[labor == 2] = 6
    employment[((band == 2) | (band == 3)) & (r < .65)] = 4
    employment[band == 1] = 4
    employment[band == 0] = 6
    return {"grade": grade, "chronic": chronic, "major": major, "labor": labor,
            "employment": employment, "main_cause": main, "cause_mask": mask}


def person_ids(rng: np.random.Generator, areas: np.ndarray, area_idx: np.ndarray,
               birth: np.ndarray, male: np.ndarray) -> np.ndarray:
    """Unique 18-character resident ID numbers (GB 11643) as a (n, 18) ASCII matrix:
    area code, birth date, a sequence whose last digit is odd for men and even for
    women, and the check character ``CHECK_CHARS[sum(digit * WEIGHTS) % 11]`` of
    :mod:`reliefkit.text.idnumbers`.

    Parameters
    ----------
    rng : numpy.random.Generator
        The generator.
    areas : numpy.ndarray of int
        Six-digit county codes.
    area_idx : numpy.ndarray of int
        Each person's index into ``areas``.
    birth : numpy.ndarray of int
        Birth days.
    male : numpy.ndarray of bool

    Returns
    -------
    numpy.ndarray of uint8, shape (n, 18)

    Raises
    ------
    ValueError
        When more than 500 persons of one sex are born on one day in one county.

    Examples
    --------
    >>> from reliefkit.text.idnumbers import is_valid_resident_id
    >>> ids = person_ids(np.random.default_rng(0), np.array([439901]), np.array([0, 0]),
    ...                  np.array([0, 0]), np.array([True, False]))
    >>> [is_valid_resident_id(row.tobytes().decode()) for row in ids]
    [True, True]
    """
    n = birth.size
    lo = int(birth.min(initial=0))
    day_idx = birth - lo
    n_days = int(day_idx.max(initial=0)) + 1
    # rank of each person among those of one county, birth day and sex
    key = ((area_idx.astype(np.int64) * n_days + day_idx) * 2 + male).astype(np.int64)
    order = np.argsort(key)
    rank_sorted, run = segment_rank(key[order])
    if rank_sorted.size and rank_sorted.max() >= 500:
        raise ValueError("more than 500 persons of one sex born on one day in one county")
    offset = rng.integers(0, 500, int(run[-1]) + 1 if run.size else 0)
    code = np.empty(n, dtype=np.int64)
    code[order] = (offset[run] + rank_sorted * 7) % 500
    del order, rank_sorted, run, key
    seq = (code // 5) * 10 + 2 * (code % 5) + male  # three digits, parity = sex
    # the three parts come from small tables, with their share of the check sum
    days = np.arange(lo, lo + n_days).astype("datetime64[D]")
    year = days.astype("datetime64[Y]").astype(np.int64) + 1970
    month = (days.astype("datetime64[M]") - days.astype("datetime64[Y]")).astype(np.int64) + 1
    dom = (days - days.astype("datetime64[M]")).astype(np.int64) + 1
    parts = (
        (digit_chars(areas, 6), area_idx),
        (digit_chars(year * 10_000 + month * 100 + dom, 8), day_idx),
        (digit_chars(np.arange(1000), 3), seq),
    )
    chars = np.empty((n, 18), dtype=np.uint8)
    total = np.zeros(n, dtype=np.int64)
    col = 0
    for table, idx in parts:
        w = table.shape[1]
        chars[:, col: col + w] = np.take(table, idx, axis=0)
        total += ((table.astype(np.int64) - 48) @ WEIGHTS[col: col + w])[idx]
        col += w
    chars[:, 17] = _CHECK_BYTES[total % 11]
    return chars

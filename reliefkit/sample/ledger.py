"""Enrolment histories realising each person's pattern, and the payment ledger.

Payments of the standing programmes are one row per enrolled person and pay period;
all payments form one ledger in date order, each with a source of funds.
"""

from __future__ import annotations

import numpy as np

from reliefkit.sample.draws import month_end, uniform_days
from reliefkit.sample.settings import (
    D0, DIBAO_FLOOR, EARLY, EPOCH, LINES, MARGINAL_FACTOR, MG, NO_DATE, OLD_LAST, PAT, PAY_PROGRAMS, RD,
    SOURCES, TEKUN_CARE, TEKUN_FACTOR, TEKUN_INSTITUTION, TK, UD, Y25, Y26, D, iso_day
)

__all__ = [
    "build_ledger", "enrolment_rows", "first_start_last_end", "pay_rows", "source_labels",
    "standing_payments",
]


def enrolment_rows(person: np.ndarray, program: np.ndarray, pattern: np.ndarray,
                   u: np.ndarray, birth: np.ndarray, death: np.ndarray,
                   central: np.ndarray) -> dict[str, np.ndarray]:
    """Enrolment records realising each person's pattern (see :mod:`reliefkit.sample`).

    ``u`` holds three uniforms per person (shared by members of one household so that
    they are enrolled together); ``birth`` and ``death`` are the person's days.

    Parameters
    ----------
    person, program, pattern : numpy.ndarray of int
        One row per enrolled person and programme: the person, the programme and the
        pattern (index into ``PATTERNS``).
    u : numpy.ndarray of float, shape (n, 3)
        Uniforms.
    birth, death : numpy.ndarray of int
        The person's birth and death days (``NO_DATE``: alive).
    central : numpy.ndarray of bool
        Special hardship support in an institution.

    Returns
    -------
    dict of str to numpy.ndarray
        ``person``, ``program``, ``start``, ``end``, ``mode``, sorted by person,
        programme and start.
    """
    early = EARLY[program]
    out: list[tuple[np.ndarray, ...]] = []
    mode = np.where(program == TK, np.where(central, 1, 2), 0)

    def add(m: np.ndarray, start: np.ndarray, end: object, md: object = None) -> None:
        start = np.maximum(np.asarray(start, dtype=np.int64), birth[m])
        end_a = np.broadcast_to(np.asarray(end, dtype=np.int64), start.shape)
        md_a = mode[m] if md is None else np.broadcast_to(np.asarray(md), start.shape)
        out.append((person[m], program[m], start, end_a, md_a))

    u0, u1, u2 = u[:, 0], u[:, 1], u[:, 2]
    for name, code in PAT.items():
        m = np.flatnonzero(pattern == code)
        if m.size == 0:
            continue
        e, a, b, c = early[m], u0[m], u1[m], u2[m]
        old = uniform_days(a, e, OLD_LAST[program[m]])
        if name == "OLD":
            add(m, old, NO_DATE)
        elif name == "OLD25":
            add(m, uniform_days(a, Y25, D0), NO_DATE)
        elif name == "OLD_D0":
            add(m, np.full(m.size, D0), NO_DATE)
        elif name == "OLD_DUP":
            add(m, old, NO_DATE)
            add(m, uniform_days(b, Y26, D), NO_DATE)
        elif name == "OLD_HIST":
            s1 = uniform_days(a, np.minimum(e, iso_day("2019-01-01")), iso_day("2021-06-30"))
            e1 = uniform_days(b, s1 + 90, iso_day("2023-06-30"))
            add(m, s1, e1)
            add(m, uniform_days(c, e1 + 1, D0), NO_DATE)
        elif name == "OLD_SWITCH":
            s1 = uniform_days(a, e, iso_day("2024-12-31"))
            e1 = uniform_days(b, Y26, iso_day("2026-11-30"))
            add(m, s1, e1, 2)
            add(m, e1, NO_DATE, 1)
        elif name == "NEW":
            add(m, uniform_days(a, Y26, D), NO_DATE)
        elif name == "NEW_Y1":
            add(m, np.full(m.size, Y26), NO_DATE)
        elif name == "NEW_D":
            add(m, np.full(m.size, D), NO_DATE)
        elif name == "NEW_DUP":
            s1 = uniform_days(a, Y26, iso_day("2026-10-31"))
            add(m, s1, NO_DATE)
            add(m, uniform_days(b, s1, D), NO_DATE)
        elif name in ("NEW_RESTART", "NEW_RESTART_D0"):
            s1 = uniform_days(a, np.minimum(e, iso_day("2022-01-01")), iso_day("2024-06-30"))
            e1 = np.full(m.size, D0) if name.endswith("D0") else uniform_days(b, Y25, D0 - 1)
            add(m, s1, e1)
            add(m, uniform_days(c, Y26, D), NO_DATE)
        elif name in ("EXIT25", "EXIT25_D0"):
            s1 = uniform_days(a, np.minimum(e, iso_day("2023-01-01")), iso_day("2024-12-31"))
            add(m, s1, np.full(m.size, D0) if name.endswith("D0") else uniform_days(b, Y25, D0 - 1))
        elif name == "EXIT26":
            add(m, old, uniform_days(b, Y26, D - 1))
        elif name == "EXIT_D":
            add(m, old, np.full(m.size, D))
        elif name == "DIED_OPEN":
            add(m, uniform_days(a, e, np.minimum(death[m] - 1, D0)), NO_DATE)
        elif name == "DIED_CLOSED":
            s1 = uniform_days(a, e, np.minimum(death[m] - 30, D0))
            add(m, s1, np.minimum(np.maximum(month_end(death[m]), s1 + 1), D))
    if out:
        cols = [np.concatenate(x) for x in zip(*out)]
    else:
        cols = [np.empty(0, dtype=np.int64) for _ in range(5)]
    person_o, program_o, start_o, end_o, mode_o = cols
    order = np.lexsort((start_o, program_o, person_o))
    return {"person": person_o[order], "program": program_o[order], "start": start_o[order],
            "end": end_o[order], "mode": mode_o[order].astype(np.int64)}


def standing_payments(enr: dict[str, np.ndarray], p_hh: np.ndarray, h_area: np.ndarray,
                      h_y: np.ndarray, h_district: np.ndarray, a: dict[str, np.ndarray],
                      step: int = 1) -> dict[str, np.ndarray]:
    """Payments of the standing programmes, one per enrolled person and pay period.

    A period is paid on the district's pay day of its last month when an enrolment of
    the person in the programme is active on that day (records of one person that
    overlap are paid once). ``step`` is the length of a period in months (1 monthly,
    3 quarterly); the amount is ``step`` times the monthly benefit: the minimum living
    allowance tops the household's per-capita income up to the line (at least a fifth
    of the line), special hardship support is 1.3 lines plus a care supplement by
    self-care ability and a supplement in an institution, the marginal allowance 0.3
    lines.

    Parameters
    ----------
    enr : dict of str to numpy.ndarray
        Enrolments (:func:`enrolment_rows`).
    p_hh : numpy.ndarray of int
        Each person's household.
    h_area, h_y, h_district : numpy.ndarray
        Each household's area, per-capita monthly income and district.
    a : dict of str to numpy.ndarray
        Person attributes (``grade``, ``major``).
    step : int, default 1
        Months per pay period.

    Returns
    -------
    dict of str to numpy.ndarray
        ``person``, ``program``, ``day``, ``cents``.
    """
    keep = np.isin(enr["program"], (RD, UD, TK, MG))
    person, prog = enr["person"][keep], enr["program"][keep]
    start, end, mode = enr["start"][keep], enr["end"][keep], enr["mode"][keep]
    months = np.arange(np.datetime64("2025-01"), np.datetime64("2027-01"))[step - 1::step]
    ms = (months.astype("datetime64[D]") - EPOCH).astype(np.int64)
    hh = p_hh[person]
    off = 9 + (h_district[hh] * 3) % 11  # pay day: the 10th-20th, by district
    first = np.searchsorted(ms, start - off, side="left")
    last = np.where(end == NO_DATE, ms.size - 1,
                    np.searchsorted(ms, end - off, side="left") - 1)
    same = np.zeros(person.size, dtype=bool)
    same[1:] = (person[1:] == person[:-1]) & (prog[1:] == prog[:-1])
    # rows are sorted by person, programme, start, and a person has at most two
    # records in a programme: skip the periods the first one already paid
    prev_last = np.concatenate([[-1], last[:-1]])
    first = np.where(same, np.maximum(first, prev_last + 1), first)
    count = np.maximum(last - first + 1, 0)
    row = np.repeat(np.arange(person.size), count)
    period = first[row] + np.arange(row.size) - np.repeat(np.cumsum(count) - count, count)
    day = ms[period] + off[row]
    year = np.where(period < ms.size // 2, 2025, 2026)
    rural = h_area[hh[row]] == 0
    line = np.where(rural, np.where(year == 2025, LINES[0, 2025], LINES[0, 2026]),
                    np.where(year == 2025, LINES[1, 2025], LINES[1, 2026]))
    y = h_y[hh[row]]
    pr = prog[row]
    who = person[row]
    grade, major = a["grade"][who], a["major"][who]
    care = np.where((grade == 1) | (grade == 2), TEKUN_CARE[2],
                    np.where((grade >= 3) | major, TEKUN_CARE[1], TEKUN_CARE[0]))
    tekun = TEKUN_FACTOR * line + care + np.where(mode[row] == 1, TEKUN_INSTITUTION, 0)
    monthly = np.select(
        [(pr == RD) | (pr == UD), pr == TK],
        [np.maximum(line - y, DIBAO_FLOOR * line), tekun],
        MARGINAL_FACTOR * line)
    cents = np.round(monthly * 100).astype(np.int64) * step
    return {"person": who, "program": pr, "day": day, "cents": cents}


def build_ledger(rng: np.random.Generator, parts: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """All payments in one ledger, ordered by date, with a source per payment.

    Parameters
    ----------
    rng : numpy.random.Generator
        The generator (sources).
    parts : list of dict of str to numpy.ndarray
        Payments (``person``, ``program``, ``day``, ``cents``).

    Returns
    -------
    dict of str to numpy.ndarray
        The payments by date, programme and person, with ``source`` (index into
        :func:`source_labels`).
    """
    dtypes = {"person": np.int64, "program": np.int8, "day": np.int32, "cents": np.int64}
    cat = {k: np.concatenate([p[k].astype(t) for p in parts]) for k, t in dtypes.items()}
    n_p = int(cat["person"].max(initial=0)) + 1
    key = (cat["day"] - cat["day"].min(initial=0)).astype(np.int64) * len(PAY_PROGRAMS)
    key += cat["program"]
    key *= n_p
    key += cat["person"]
    order = np.argsort(key)
    del key
    cat = {k: v[order] for k, v in cat.items()}
    # sources: the first of a programme's list is the usual one
    offsets = np.cumsum([0] + [len(SOURCES[p]) for p in PAY_PROGRAMS])
    counts = np.array([len(SOURCES[p]) for p in PAY_PROGRAMS])
    r = rng.random(cat["program"].size)
    k = counts[cat["program"]]
    pick = np.where(r < 0.7, 0, np.minimum(((r - 0.7) / 0.3 * k).astype(np.int64), k - 1))
    cat["source"] = (offsets[cat["program"]] + pick).astype(np.int16)
    return cat


def source_labels() -> list[str]:
    """Every source of funds, programme by programme (the index of ``source``).

    Returns
    -------
    list of str
    """
    return [s for p in PAY_PROGRAMS for s in SOURCES[p]]


def pay_rows(person: np.ndarray, program: int, day: np.ndarray, cents: np.ndarray) -> dict[str, np.ndarray]:
    """Payments of one programme as ledger columns.

    Parameters
    ----------
    person : numpy.ndarray of int
    program : int
        Index into ``PAY_PROGRAMS``.
    day, cents : numpy.ndarray of int
        Day paid and amount in cents.

    Returns
    -------
    dict of str to numpy.ndarray
    """
    person = np.asarray(person, dtype=np.int64)
    return {"person": person, "program": np.full(person.size, program, dtype=np.int64),
            "day": np.asarray(day, dtype=np.int64), "cents": np.asarray(cents, dtype=np.int64)}


def first_start_last_end(enr: dict[str, np.ndarray], program: int,
                         n_p: int) -> tuple[np.ndarray, np.ndarray]:
    """Per person: start of the first and end of the last record in ``program``.

    Parameters
    ----------
    enr : dict of str to numpy.ndarray
        Enrolments sorted by person, programme and start.
    program : int
    n_p : int
        Number of persons.

    Returns
    -------
    start, end : numpy.ndarray of int64
        ``NO_DATE`` for persons without a record.
    """
    at = np.flatnonzero(enr["program"] == program)
    person = enr["person"][at]
    first = np.ones(at.size, dtype=bool)
    first[1:] = person[1:] != person[:-1]
    last = np.ones(at.size, dtype=bool)
    last[:-1] = person[1:] != person[:-1]
    start = np.full(n_p, NO_DATE, dtype=np.int64)
    end = np.full(n_p, NO_DATE, dtype=np.int64)
    start[person[first]] = enr["start"][at[first]]
    end[person[last]] = enr["end"][at[last]]
    return start, end

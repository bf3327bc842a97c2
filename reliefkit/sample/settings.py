"""Settings of the synthetic regions: the calendar, the codes, the lines and the calibration.

Dates are held as days since 1970-01-01 (``NO_DATE`` for an empty one). Codes are
integer indices into the label tuples of the data contract; every tuple the schema
(:mod:`reliefkit.io.schema`) declares is taken from it, in its order. One order is the
generator's own: :data:`SEXES` is ``("F", "M")`` (the schema lists ``("M", "F")``)
because the sex code is the person's ``male`` flag (0 or 1); :data:`MODES` adds an empty
label (code 0: no support mode) in front of the schema's codes.

``SAMPLE``, ``SAMPLE_OLD``, ``SAMPLE_NEW`` and ``SAMPLE_NOISE`` are the calibration of
the bundled sample region (see :mod:`reliefkit.sample`, "Calibration by construction").
"""

from __future__ import annotations

import numpy as np

from reliefkit.io.schema import ENROLMENTS, HOUSEHOLDS, ONE_OFF_PROGRAMS, PERSONS, STANDING_PROGRAMS, TABLES

__all__ = [
    "AREAS",
    "CHILD",
    "COLUMNS",
    "D0",
    "DIBAO_FLOOR",
    "DON",
    "EARLY",
    "EDU",
    "EMPLOYMENT",
    "EPOCH",
    "GRANDCHILD",
    "HEAD",
    "HOL",
    "K_LEAK",
    "K_MG",
    "K_OTHER",
    "K_RD",
    "K_RPO",
    "K_TK",
    "K_UD",
    "K_X",
    "LABOR",
    "LINES",
    "MARGINAL_FACTOR",
    "MED",
    "MG",
    "MODES",
    "NO_DATE",
    "OLD_LAST",
    "ONE",
    "OTHER",
    "PARENT",
    "PAT",
    "PATTERNS",
    "PAY_PROGRAMS",
    "POOR_KINDS",
    "PROGRAMS",
    "PROJ",
    "RD",
    "REF",
    "RELATIONS",
    "ROLL_BIRTH_MAX",
    "RP",
    "SAMPLE",
    "SAMPLE_NEW",
    "SAMPLE_NOISE",
    "SAMPLE_OLD",
    "SEXES",
    "SOURCES",
    "SPOUSE",
    "TEKUN_CARE",
    "TEKUN_FACTOR",
    "TEKUN_INSTITUTION",
    "TEMP",
    "TK",
    "UD",
    "Y25",
    "Y26",
    "D",
    "iso_day",
]

# --------------------------------------------------------------------------- tables

#: the canonical columns of each table, in contract order
COLUMNS: dict[str, tuple[str, ...]] = {t.name: t.names for t in TABLES}

# --------------------------------------------------------------------------- dates

EPOCH = np.datetime64("1970-01-01", "D")


def iso_day(iso: str) -> int:
    """Days since 1970-01-01 of an ISO date.

    Parameters
    ----------
    iso : str
        A date ``YYYY-MM-DD``.

    Returns
    -------
    int
        The day number (dates of the generators are held as such numbers).

    Examples
    --------
    >>> iso_day("1970-01-02"), iso_day("2026-12-31")
    (1, 20818)
    """
    return int((np.datetime64(iso, "D") - EPOCH).astype(np.int64))


NO_DATE = -1_000_000  # an empty date (end_date, deceased_on)
Y25, D0 = iso_day("2025-01-01"), iso_day("2025-12-31")
Y26, D = iso_day("2026-01-01"), iso_day("2026-12-31")
REF = iso_day("2026-06-30")  # ages are counted on this day
ROLL_BIRTH_MAX = iso_day("2024-06-30")  # younger children are on no roll yet

# --------------------------------------------------------------------------- codes

PROGRAMS = STANDING_PROGRAMS
RD, UD, TK, MG, RP = range(5)
PAY_PROGRAMS = STANDING_PROGRAMS + ONE_OFF_PROGRAMS
TEMP, MED, DON, HOL, PROJ, EDU, ONE = range(5, 12)
MODES = ("",) + ENROLMENTS.column("support_mode").codes  # code 0: no support mode
AREAS = HOUSEHOLDS.column("area").codes
SEXES = ("F", "M")  # the generator's order: the code is the ``male`` flag (schema: M, F)
RELATIONS = PERSONS.column("relation").codes
HEAD, SPOUSE, CHILD, PARENT, GRANDCHILD, OTHER = range(6)
LABOR = PERSONS.column("labor_ability").codes
EMPLOYMENT = PERSONS.column("employment").codes

# household kinds: what the office tracks the household for
K_RD, K_UD, K_TK, K_MG, K_RPO, K_X, K_LEAK, K_OTHER = range(8)
POOR_KINDS = (K_RD, K_UD, K_TK, K_RPO, K_X, K_LEAK)

# generator settings mirroring reliefkit/policy/baseline.yaml (yuan per person and month)
LINES = {(0, 2025): 110.0, (0, 2026): 150.0, (1, 2025): 210.0, (1, 2026): 210.0}
DIBAO_FLOOR = 0.2  # least monthly minimum-living payment, as a share of the line
TEKUN_FACTOR = 1.3  # special-hardship basic support, as a multiple of the line
TEKUN_CARE = (40.0, 160.0, 400.0)  # care supplement: able, partly, fully unable to self-care
TEKUN_INSTITUTION = 100.0  # supplement of those cared for in an institution
MARGINAL_FACTOR = 0.3  # marginal-household allowance, as a share of the line

# first possible start of an enrolment, and last start of an "OLD" one
EARLY = np.array([iso_day(d) for d in
                  ("2015-01-01", "2015-01-01", "2010-01-01", "2024-01-01", "2014-06-01")])
OLD_LAST = np.array([D0, D0, D0, D0, iso_day("2020-12-31")])

SOURCES: dict[str, tuple[str, ...]] = {  # the first of each is the usual one
    "rural_dibao": ("低保资金", "县级配套低保资金"),
    "urban_dibao": ("低保资金", "县级配套低保资金"),
    "tekun": ("特困供养资金",),
    "marginal": ("低保边缘补助资金",),
    "registered_poor": ("衔接资金",),
    "temporary": ("临时救助资金", "乡镇临时救助备用金"),
    "medical": ("医疗救助资金",),
    "donation": ("县慈善总会", "县红十字会", "爱心企业捐赠", "县总工会"),
    "holiday_visit": ("民政节日慰问金", "工会送温暖资金", "结对单位慰问金"),
    "project_fund": ("衔接资金", "产业扶持资金"),
    "education_grant": ("雨露计划", "县教育基金会", "金秋助学金"),
    "one_time": ("一次性生活补贴",),
}

# ---------------------------------------------------------------- the sample targets

#: exact 2026 figures of the sample region (persons and households alive and active
#: on 2026-12-31); see "Calibration by construction" in :mod:`reliefkit.sample`
SAMPLE = {
    "rd_households": 671, "rd_persons": 833, "rd_new": 126,
    "ud_households": 321, "ud_persons": 338, "ud_new": 28,
    "tk_persons": 75, "tk_rural": 60, "tk_centralized": 56, "tk_new": 6,
    "mg_households": (24, 12), "mg_new_households": 24,
    "rp_persons": 395, "rpo_households": 70, "rp_new": 5, "rp_old25": 8,
    "pair_a": 223, "pair_b": 172,
    "temporary": (106, 12, 3_640_000), "medical": (10, 6_050_000, 6_950_000),
    "donation": (360, 40, 14_000),
    "leak": (40, 16), "other": (880, 390),
}
# patterns of counted persons: {pattern: persons}; the rest is OLD / NEW
SAMPLE_OLD = {
    RD: {"OLD_DUP": 6, "OLD_HIST": 15, "OLD_D0": 3, "OLD25": 60},
    UD: {"OLD_DUP": 2, "OLD_HIST": 5, "OLD_D0": 1, "OLD25": 25},
    TK: {"OLD_SWITCH": 3, "OLD25": 5},
}
SAMPLE_NEW = {
    RD: {"NEW_RESTART": 14, "NEW_RESTART_D0": 3, "NEW_DUP": 4, "NEW_D": 2, "NEW_Y1": 3},
    UD: {"NEW_RESTART": 3, "NEW_RESTART_D0": 1, "NEW_DUP": 1, "NEW_D": 1},
    TK: {"NEW_RESTART": 1},
}
# enrolments that must not count: (programme, pattern, death, count, placement).
# death: None (alive), 2025, 2026 or "D" (dies on 2026-12-31). placement "member":
# a non-counted member of a counted household; "own": a household of its own.
SAMPLE_NOISE: tuple[tuple[int, str, object, int, str], ...] = (
    (RD, "EXIT25", None, 24, "own"), (RD, "EXIT25_D0", None, 3, "own"),
    (RD, "EXIT26", None, 20, "own"), (RD, "EXIT26", None, 8, "member"),
    (RD, "EXIT_D", None, 4, "own"), (RD, "EXIT_D", None, 2, "member"),
    (RD, "DIED_OPEN", 2026, 5, "member"), (RD, "DIED_OPEN", "D", 1, "member"),
    (RD, "DIED_OPEN", 2026, 3, "own"), (RD, "DIED_OPEN", 2025, 2, "own"),
    (RD, "DIED_CLOSED", 2026, 8, "member"), (RD, "DIED_CLOSED", 2026, 4, "own"),
    (RD, "DIED_CLOSED", 2025, 5, "own"),
    (UD, "EXIT25", None, 8, "own"), (UD, "EXIT26", None, 8, "own"),
    (UD, "EXIT26", None, 3, "member"), (UD, "EXIT_D", None, 2, "own"),
    (UD, "DIED_OPEN", 2026, 2, "own"), (UD, "DIED_OPEN", 2026, 1, "member"),
    (UD, "DIED_CLOSED", 2026, 3, "own"), (UD, "DIED_CLOSED", 2025, 2, "own"),
    (TK, "DIED_OPEN", 2026, 3, "own"), (TK, "DIED_OPEN", "D", 1, "own"),
    (TK, "DIED_CLOSED", 2026, 5, "own"), (TK, "DIED_CLOSED", 2025, 4, "own"),
    (TK, "EXIT26", None, 2, "own"), (TK, "EXIT_D", None, 1, "own"),
    (MG, "EXIT26", None, 3, "own"), (MG, "EXIT_D", None, 1, "own"),
    (RP, "DIED_OPEN", 2026, 3, "member"), (RP, "DIED_CLOSED", 2026, 3, "member"),
    (RP, "DIED_CLOSED", 2025, 3, "member"), (RP, "EXIT25", None, 2, "own"),
)

#: enrolment patterns (see the package docstring): status on 2025-12-31 and 2026-12-31
PATTERNS = (
    "OLD", "OLD25", "OLD_D0", "OLD_DUP", "OLD_HIST", "OLD_SWITCH", "NEW", "NEW_Y1", "NEW_D",
    "NEW_DUP", "NEW_RESTART", "NEW_RESTART_D0", "EXIT25", "EXIT25_D0", "EXIT26", "EXIT_D",
    "DIED_OPEN", "DIED_CLOSED",
)
PAT = {name: i for i, name in enumerate(PATTERNS)}

"""Synthetic regions: the bundled sample region and scalable benchmark regions.

Two generators share one set of building blocks (household composition, person
attributes, resident ID numbers, names, enrolment histories, the payment ledger,
text encoding):

- :func:`sample_tables` builds the bundled sample region (``data/sample/``): six
  townships of a fictional county, 2025-2026, about 2,600 households that the office
  tracks (6,900 persons), nearly half of them covered by some programme on
  2026-12-31, the others exited, poor but never enrolled ("leaked out"), or followed
  for other hardship.
- :func:`synthetic_tables` builds a region of any size for benchmarks, fully
  vectorized: 1 million persons in a few seconds, 10 million in well under a minute
  and under 5 GB.
- :func:`write_region` / :func:`write_sample_region` write a region folder (CSV or
  Parquet), byte for byte the same for the same seed.

Identifiers: household numbers ``DDVVSSSS`` (district, village, sequence: they start
with a zero), resident ID numbers of 18 characters with a valid GB 11643 check
character (county codes 439901-439906 for the six townships, 4399xx of other
counties for one person in ten; birth date and sex as in the person's row), helpers
``H0001``..., payments ``P0000001``... in date order.

Every table holds text only, exactly as the canonical CSV of ``shared/DATA.md``
spells it: identifiers as text (household numbers keep their leading zero, person
IDs keep a trailing ``X``), dates ``YYYY-MM-DD`` or empty, booleans ``true`` /
``false``, money with two decimals.

Calibration by construction
---------------------------
The 2026 year-end figures of the sample region (the figures of the county summary
this kit automates) are not measured after a random draw and tuned; they are decided
first and realised exactly, whatever the seed:

1. Each figure is a count of a set chosen with an exact size: 671 rural households
   are drawn to hold exactly 833 rural minimum-living persons (one primary member
   each plus 162 further members), 126 of them chosen as new this year, and so on.
   The seed decides *who* (households, members, districts, dates), never *how many*.
2. Every enrolment follows a *pattern* whose status on D0 = 2025-12-31 and
   D = 2026-12-31 is known: ``OLD`` (active on both), ``NEW`` (active on D only),
   ``OLD_DUP`` / ``NEW_DUP`` (two overlapping records of one person, counted once),
   ``NEW_RESTART`` (ended in 2025, some exactly on 2025-12-31, restarted in 2026),
   ``OLD_SWITCH`` (special hardship care moved from home to an institution during
   2026), ``EXIT_D`` (ends exactly on 2026-12-31: *not* active on D), ``DIED_OPEN``
   (the person died, some exactly on 2026-12-31, and the enrolment was never
   closed: not counted, an audit finding whose payments kept running), ...
   Counted persons only get counted patterns and the edge cases only land on
   persons who must not be counted, so the edge cases cannot move a figure.
3. Pairings active on D go exactly to the registered poor alive on D; a deceased or
   exited person's pairings end on or before D. Each paired person has active
   pairings to helpers of exactly one unit type, of the group of municipal units and
   district organs (223 persons) or of village cadres and social talents (172),
   each district's registered poor split between the groups in proportion. Helpers
   of enterprises and unions only have pairings that ended (some exactly on D).
4. Ad-hoc payments of 2026 are split from exact totals: temporary assistance
   36,400.00 yuan to 106 persons, donations 140 yuan per recipient on average to 360
   recipients, medical aid over 60,000 yuan to 10 households.
5. New in 2026 means: no enrolment of the person in the programme active on D0.
   Persons who died before D0 with an enrolment still open live in households with
   no counted person, so ``P.new_households`` is the same whether or not such a
   person counts as "active on D0" (DATA.md does not say).

The minimum-living lines used to size monthly payments (rural 110 yuan per person and
month in 2025 and 150 in 2026, urban 210) are generator settings mirroring the
baseline policy; payments are one row per enrolled person and month (quarterly in
:func:`synthetic_tables`): the gap to the line (at least a fifth of it) for the
minimum living allowance, 1.3 lines plus care and institution supplements for special
hardship support, 0.3 lines for marginal households.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["sample_tables", "synthetic_tables", "write_region", "write_sample_region"]

# --------------------------------------------------------------------------- tables

_COLUMNS: dict[str, tuple[str, ...]] = {
    "households": (
        "household_id", "district", "village", "area", "annual_income", "has_vehicle",
        "has_business", "medical_spending", "housing_safe", "water_safe", "main_cause",
        "causes",
    ),
    "persons": (
        "person_id", "household_id", "name", "sex", "birth_date", "relation",
        "disability_grade", "chronic_illness", "major_illness", "labor_ability",
        "employment", "public_employee", "deceased_on",
    ),
    "enrolments": ("person_id", "program", "start_date", "end_date", "support_mode"),
    "payments": ("payment_id", "person_id", "program", "paid_on", "amount", "source"),
    "helpers": ("helper_id", "name", "unit", "unit_type", "capacity"),
    "pairings": ("helper_id", "person_id", "start_date", "end_date"),
}



def _ordered(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The tables in contract order, each checked to have exactly the contract's columns."""
    for name, cols in _COLUMNS.items():
        if tuple(tables[name].columns) != cols:  # pragma: no cover - a bug in this module
            raise RuntimeError(f"{name}: columns {list(tables[name].columns)} are not {list(cols)}")
    return {name: tables[name] for name in _COLUMNS}

# --------------------------------------------------------------------------- dates

_EPOCH = np.datetime64("1970-01-01", "D")


def _day(iso: str) -> int:
    """Days since 1970-01-01 of an ISO date."""
    return int((np.datetime64(iso, "D") - _EPOCH).astype(np.int64))


_NO_DATE = -1_000_000  # an empty date (end_date, deceased_on)
_Y25, _D0 = _day("2025-01-01"), _day("2025-12-31")
_Y26, _D = _day("2026-01-01"), _day("2026-12-31")
_REF = _day("2026-06-30")  # ages are counted on this day
_ROLL_BIRTH_MAX = _day("2024-06-30")  # younger children are on no roll yet

# --------------------------------------------------------------------------- codes

_PROGRAMS = ("rural_dibao", "urban_dibao", "tekun", "marginal", "registered_poor")
_RD, _UD, _TK, _MG, _RP = range(5)
_PAY_PROGRAMS = _PROGRAMS + (
    "temporary", "medical", "donation", "holiday_visit", "project_fund",
    "education_grant", "one_time",
)
_TEMP, _MED, _DON, _HOL, _PROJ, _EDU, _ONE = range(5, 12)
_MODES = ("", "centralized", "dispersed")
_AREAS = ("rural", "urban")
_RELATIONS = ("head", "spouse", "child", "parent", "grandchild", "other")
_HEAD, _SPOUSE, _CHILD, _PARENT, _GRANDCHILD, _OTHER = range(6)
_LABOR = ("full", "partial", "none")
_EMPLOYMENT = ("employed", "unemployed", "laid_off", "farming", "student", "retired", "other")
_CAUSES = (
    "illness", "disability", "education", "disaster", "lack_land", "lack_water",
    "lack_skills", "lack_labor", "lack_funds", "transport", "low_motivation", "marriage",
    "other",
)
_UNIT_TYPES = (
    "municipal_unit", "district_organ", "village_cadre", "social_talent", "enterprise",
    "trade_union",
)

# household kinds: what the office tracks the household for
_K_RD, _K_UD, _K_TK, _K_MG, _K_RPO, _K_X, _K_LEAK, _K_OTHER = range(8)
_POOR_KINDS = (_K_RD, _K_UD, _K_TK, _K_RPO, _K_X, _K_LEAK)

# generator settings mirroring reliefkit/policy/baseline.yaml (yuan per person and month)
_LINES = {(0, 2025): 110.0, (0, 2026): 150.0, (1, 2025): 210.0, (1, 2026): 210.0}
_DIBAO_FLOOR = 0.2  # least monthly minimum-living payment, as a share of the line
_TEKUN_FACTOR = 1.3  # special-hardship basic support, as a multiple of the line
_TEKUN_CARE = (40.0, 160.0, 400.0)  # care supplement: able, partly, fully unable to self-care
_TEKUN_INSTITUTION = 100.0  # supplement of those cared for in an institution
_MARGINAL_FACTOR = 0.3  # marginal-household allowance, as a share of the line

# first possible start of an enrolment, and last start of an "OLD" one
_EARLY = np.array([_day(d) for d in
                   ("2015-01-01", "2015-01-01", "2010-01-01", "2024-01-01", "2014-06-01")])
_OLD_LAST = np.array([_D0, _D0, _D0, _D0, _day("2020-12-31")])

_SOURCES: dict[str, tuple[str, ...]] = {  # the first of each is the usual one
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

_SURNAMES = tuple(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
)
_GIVEN_M = tuple("伟强军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆旭宁龙林国建文志海春东生福贵全荣成德才发山忠友")
_GIVEN_F = tuple("芳娜敏静丽艳娟霞秀英华慧燕玲桂兰红梅琳萍雪莉倩婷琴云洁凤珍玉彩春菊淑月")

# the sample county: (township, rural villages, urban communities, rural weight, urban weight)
_SAMPLE_DISTRICTS: tuple[tuple[str, tuple[str, ...], tuple[str, ...], float, float], ...] = (
    ("城关镇", ("东关村", "西关村", "南岗村", "北坪村"),
     ("城东社区", "城西社区", "人民路社区", "建设路社区"), 0.12, 0.44),
    ("新城街道", ("新庄村", "王家湾村"),
     ("新华社区", "滨河社区", "锦绣社区", "幸福社区", "惠民社区"), 0.06, 0.40),
    ("河西乡", ("河西村", "柳树村", "杨家庄村", "李家沟村", "马坊村", "上河村"),
     ("河西社区",), 0.22, 0.05),
    ("柳林镇", ("柳林村", "东山村", "西山村", "桃园村", "前进村", "双河村"),
     ("柳林社区", "镇南社区"), 0.21, 0.07),
    ("石桥乡", ("石桥村", "白土村", "红星村", "苗圃村", "高庄村"), ("石桥社区",), 0.20, 0.02),
    ("青山乡", ("青山村", "龙潭村", "松树村", "长岭村", "火烧坪村"), ("青山社区",), 0.19, 0.02),
)
_COUNTY_CODE = 439900  # fictional county codes 439901...; 439951-439959: born elsewhere
_ELSEWHERE = np.arange(439951, 439960)

_DISTRICT_STEMS = (
    "城关", "新城", "河西", "柳林", "石桥", "青山", "龙泉", "白沙", "东坝", "桃源", "金川", "马鞍",
    "清河", "松林", "红岩", "黄土", "双龙", "永安", "太平", "长乐", "安宁", "兴隆", "和平", "新民",
    "平安", "大河", "高峰", "凤凰", "龙门", "白马",
)
_VILLAGE_STEMS = (
    "东山", "西山", "南岗", "北坪", "柳树", "杨庄", "李沟", "马坊", "上河", "下河", "桃园", "前进",
    "双河", "白土", "红星", "苗圃", "高庄", "龙潭", "松树", "长岭", "王湾", "新庄", "张家", "赵家",
    "刘营", "石门", "枣林", "梨园", "河口", "沙坝",
)

# ---------------------------------------------------------------- the sample targets

#: exact 2026 figures of the sample region (persons and households alive and active
#: on 2026-12-31); see the module docstring
_SAMPLE = {
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
_SAMPLE_OLD = {
    _RD: {"OLD_DUP": 6, "OLD_HIST": 15, "OLD_D0": 3, "OLD25": 60},
    _UD: {"OLD_DUP": 2, "OLD_HIST": 5, "OLD_D0": 1, "OLD25": 25},
    _TK: {"OLD_SWITCH": 3, "OLD25": 5},
}
_SAMPLE_NEW = {
    _RD: {"NEW_RESTART": 14, "NEW_RESTART_D0": 3, "NEW_DUP": 4, "NEW_D": 2, "NEW_Y1": 3},
    _UD: {"NEW_RESTART": 3, "NEW_RESTART_D0": 1, "NEW_DUP": 1, "NEW_D": 1},
    _TK: {"NEW_RESTART": 1},
}
# enrolments that must not count: (programme, pattern, death, count, placement).
# death: None (alive), 2025, 2026 or "D" (dies on 2026-12-31). placement "member":
# a non-counted member of a counted household; "own": a household of its own.
_SAMPLE_NOISE: tuple[tuple[int, str, object, int, str], ...] = (
    (_RD, "EXIT25", None, 24, "own"), (_RD, "EXIT25_D0", None, 3, "own"),
    (_RD, "EXIT26", None, 20, "own"), (_RD, "EXIT26", None, 8, "member"),
    (_RD, "EXIT_D", None, 4, "own"), (_RD, "EXIT_D", None, 2, "member"),
    (_RD, "DIED_OPEN", 2026, 5, "member"), (_RD, "DIED_OPEN", "D", 1, "member"),
    (_RD, "DIED_OPEN", 2026, 3, "own"), (_RD, "DIED_OPEN", 2025, 2, "own"),
    (_RD, "DIED_CLOSED", 2026, 8, "member"), (_RD, "DIED_CLOSED", 2026, 4, "own"),
    (_RD, "DIED_CLOSED", 2025, 5, "own"),
    (_UD, "EXIT25", None, 8, "own"), (_UD, "EXIT26", None, 8, "own"),
    (_UD, "EXIT26", None, 3, "member"), (_UD, "EXIT_D", None, 2, "own"),
    (_UD, "DIED_OPEN", 2026, 2, "own"), (_UD, "DIED_OPEN", 2026, 1, "member"),
    (_UD, "DIED_CLOSED", 2026, 3, "own"), (_UD, "DIED_CLOSED", 2025, 2, "own"),
    (_TK, "DIED_OPEN", 2026, 3, "own"), (_TK, "DIED_OPEN", "D", 1, "own"),
    (_TK, "DIED_CLOSED", 2026, 5, "own"), (_TK, "DIED_CLOSED", 2025, 4, "own"),
    (_TK, "EXIT26", None, 2, "own"), (_TK, "EXIT_D", None, 1, "own"),
    (_MG, "EXIT26", None, 3, "own"), (_MG, "EXIT_D", None, 1, "own"),
    (_RP, "DIED_OPEN", 2026, 3, "member"), (_RP, "DIED_CLOSED", 2026, 3, "member"),
    (_RP, "DIED_CLOSED", 2025, 3, "member"), (_RP, "EXIT25", None, 2, "own"),
)

# =========================================================================== helpers


def _ud(rng_u: np.ndarray, lo: object, hi: object) -> np.ndarray:
    """Integer (day) drawn uniformly in [lo, hi] from uniforms in [0, 1)."""
    lo_a = np.asarray(lo, dtype=np.int64)
    span = np.maximum(np.asarray(hi, dtype=np.int64) - lo_a + 1, 1)
    return lo_a + np.minimum((rng_u * span).astype(np.int64), span - 1)


def _allocate(total: int, weights: Sequence[float], minimum: int = 0) -> np.ndarray:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder),
    each at least ``minimum`` when possible."""
    w = np.asarray(weights, dtype=float)
    k = len(w)
    base = np.full(k, minimum if total >= minimum * k else 0, dtype=np.int64)
    rest = total - base.sum()
    raw = w / w.sum() * rest
    out = np.floor(raw).astype(np.int64)
    short = rest - out.sum()
    out[np.argsort(-(raw - out), kind="stable")[:short]] += 1
    return base + out


def _pick_one(rng: np.random.Generator, group: np.ndarray, mask: np.ndarray,
              n_groups: int, priority: np.ndarray | None = None) -> np.ndarray:
    """For each group, a random row index with ``mask`` (highest ``priority`` first),
    or -1 when the group has none."""
    idx = np.flatnonzero(mask)
    key = rng.random(idx.size)
    if priority is not None:
        key = key + priority[idx]
    order = np.lexsort((key, group[idx]))
    g = group[idx][order]
    last = np.ones(g.size, dtype=bool)
    last[:-1] = g[1:] != g[:-1]
    out = np.full(n_groups, -1, dtype=np.int64)
    out[g[last]] = idx[order][last]
    return out


def _random_member(rng: np.random.Generator, first: np.ndarray, size: np.ndarray,
                   prefer: np.ndarray, tries: int = 4) -> np.ndarray:
    """A random member of each household (members are contiguous rows from ``first``),
    one with ``prefer`` when a few draws find one."""
    pick = first + (rng.random(first.size) * size).astype(np.int64)
    for _ in range(tries - 1):
        again = first + (rng.random(first.size) * size).astype(np.int64)
        pick = np.where(prefer[pick], pick, again)
    return pick


def _segment_rank(sorted_keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rank of each element within its run of equal keys, and the run number."""
    n = sorted_keys.size
    first = np.ones(n, dtype=bool)
    first[1:] = sorted_keys[1:] != sorted_keys[:-1]
    pos = np.arange(n, dtype=np.int64)
    run_start = np.maximum.accumulate(np.where(first, pos, 0))
    return pos - run_start, np.cumsum(first) - 1


def _split_total(rng: np.random.Generator, total: int, n: int, lo: int, hi: int,
                 unit: int = 1) -> np.ndarray:
    """``n`` random multiples of ``unit`` in [lo, hi] summing exactly to ``total``."""
    t, a, b = total // unit, lo // unit, hi // unit
    if total % unit or not n * a <= t <= n * b:
        raise ValueError(f"cannot split {total} into {n} parts of {lo}..{hi} by {unit}")
    x = np.full(n, a, dtype=np.int64)
    rest = t - x.sum()
    while rest > 0:
        room = b - x
        add = rng.multinomial(rest, rng.dirichlet(np.full(n, 2.0)))
        add = np.minimum(add, room)
        x += add
        rest = t - x.sum()
    return x * unit


def _month_end(days: np.ndarray) -> np.ndarray:
    m = (np.asarray(days, dtype=np.int64).astype("datetime64[D]").astype("datetime64[M]") + 1)
    return (m.astype("datetime64[D]") - _EPOCH).astype(np.int64) - 1


# --------------------------------------------------------------------- text encoding
# Columns are built as Arrow string buffers straight from numpy byte matrices: a
# 10-million-row column of dates or IDs costs a memory copy, not 10 million objects.


def _arrow_text(data: np.ndarray, offsets: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """A pandas string array from concatenated UTF-8 bytes and ``n + 1`` offsets."""
    n = offsets.size - 1
    data = np.ascontiguousarray(data, dtype=np.uint8).reshape(-1)
    try:
        import pyarrow as pa
    except ImportError:  # pragma: no cover - pandas 3 without pyarrow
        raw = data.tobytes()
        return pd.array([raw[offsets[i]: offsets[i + 1]].decode() for i in range(n)], dtype="str")
    arr = pa.Array.from_buffers(pa.large_string(), n, [None, pa.py_buffer(offsets),
                                                         pa.py_buffer(data)])
    return pd.array(arr, dtype="str")


def _rows_text(chars: np.ndarray, length: np.ndarray | None = None) -> pd.api.extensions.ExtensionArray:
    """Rows of a (n, width) matrix of UTF-8 bytes as strings: whole rows, or the first
    ``length`` bytes of each row."""
    chars = np.ascontiguousarray(chars, dtype=np.uint8)
    n, w = chars.shape
    if length is None:
        return _arrow_text(chars, np.arange(n + 1, dtype=np.int64) * w)
    length = np.asarray(length, dtype=np.int64)
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(length, out=offsets[1:])
    full = length == w
    if np.all(full | (length == 0)):
        return _arrow_text(chars[full], offsets)
    return _arrow_text(chars[np.arange(w) < length[:, None]], offsets)


def _label_table(labels: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    enc = [s.encode("utf-8") for s in labels]
    lens = np.array([len(e) for e in enc], dtype=np.int64)
    table = np.zeros((len(enc), max(int(lens.max(initial=0)), 1)), dtype=np.uint8)
    for i, e in enumerate(enc):
        table[i, : len(e)] = np.frombuffer(e, dtype=np.uint8)
    return table, lens


def _text(labels: Sequence[str], codes: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """Labels taken by integer codes, as a pandas string array."""
    codes = np.asarray(codes, dtype=np.intp)
    table, lens = _label_table(labels)
    w = int(lens.max(initial=0))
    if np.all((lens == w) | (lens == 0)):  # fixed width, or empty
        row_len = lens[codes]
        offsets = np.zeros(codes.size + 1, dtype=np.int64)
        np.cumsum(row_len, out=offsets[1:])
        return _arrow_text(np.take(table[:, :w], codes[row_len > 0], axis=0), offsets)
    try:
        import pyarrow as pa
    except ImportError:  # pragma: no cover - pandas 3 without pyarrow
        return pd.array(list(labels), dtype="str").take(codes)
    dictionary = pa.array(list(labels), pa.large_string())
    arr = pa.DictionaryArray.from_arrays(pa.array(codes.astype(np.int32)), dictionary)
    return pd.array(arr.cast(pa.large_string()), dtype="str")


def _factorize_int(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct values and the code of each value."""
    v = np.asarray(values, dtype=np.int64)
    if v.size and v.min() >= 0 and v.max() < max(4 * v.size, 1 << 16):
        seen = np.bincount(v) > 0
        uniq = np.flatnonzero(seen)
        lookup = np.cumsum(seen) - 1
        return uniq, lookup[v]
    uniq, inv = np.unique(v, return_inverse=True)
    return uniq, inv.reshape(-1)


def _int_text(values: np.ndarray) -> pd.api.extensions.ExtensionArray:
    uniq, codes = _factorize_int(values)
    return _text([str(u) for u in uniq.tolist()], codes)


def _money_text(cents: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """Money in cents as yuan with two decimals (``1234.50``); -1 means empty."""
    c = np.asarray(cents, dtype=np.int64)
    yuan = np.maximum(c, 0) // 100
    top = int(yuan.max(initial=0))
    n_digits = np.ones(c.size, dtype=np.int64)
    for k in range(1, len(str(top))):
        n_digits += yuan >= 10 ** k
    width = len(str(top)) + 3
    chars = np.empty((c.size, width), dtype=np.uint8)
    chars[:, : width - 3] = _digit_chars(yuan, width - 3)
    chars[:, width - 3] = ord(".")
    chars[:, width - 2:] = _digit_chars(np.maximum(c, 0) % 100, 2)
    length = np.where(c < 0, 0, n_digits + 3)
    offsets = np.zeros(c.size + 1, dtype=np.int64)
    np.cumsum(length, out=offsets[1:])
    # the digits are right-aligned: keep the last ``length`` bytes of each row
    return _arrow_text(chars[np.arange(width) >= (width - length)[:, None]], offsets)


def _bool_text(values: np.ndarray) -> pd.api.extensions.ExtensionArray:
    return _text(("false", "true"), np.asarray(values, dtype=bool).astype(np.int8))


def _date_text(days: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """Days as ISO dates; ``_NO_DATE`` as an empty string."""
    d = np.asarray(days, dtype=np.int64)
    empty = d == _NO_DATE
    if empty.all():
        return _text([""], np.zeros(d.size, dtype=np.int64))
    lo, hi = d[~empty].min(), d[~empty].max()
    iso = np.datetime_as_string(np.arange(lo, hi + 1).astype("datetime64[D]"), unit="D")
    return _text([""] + iso.tolist(), np.where(empty, 0, d - lo + 1))


_DIGIT_PAIRS = np.array([[48 + i // 10, 48 + i % 10] for i in range(100)], dtype=np.uint8)


_PAIRS16 = _DIGIT_PAIRS.view(np.uint16).ravel()  # two digits as one 16-bit cell


def _digit_chars(values: np.ndarray, width: int) -> np.ndarray:
    """ASCII digits of non-negative integers, zero-padded, as a (n, width) uint8 array."""
    v = np.asarray(values)
    small = v.size == 0 or int(v.max()) < 2**31
    v = v.astype(np.int32 if small else np.int64)  # a copy, divided in place below
    even = width + width % 2
    out = np.empty((v.size, even), dtype=np.uint8)
    cells = out.view(np.uint16)
    for j in range(even // 2 - 1, -1, -1):
        cells[:, j] = _PAIRS16[v % 100]
        v //= 100
    return out[:, even - width:]


def _prefixed_ids(prefix: str, n: int, width: int) -> np.ndarray:
    """ASCII matrix of the identifiers ``prefix`` + 1 ... n, zero-padded to ``width``."""
    pre = np.frombuffer(prefix.encode("ascii"), dtype=np.uint8)
    out = np.empty((n + 1, pre.size + width), dtype=np.uint8)  # row i: number i
    out[:, : pre.size] = pre
    j, step = pre.size + width, 1
    while j > pre.size:  # digits of consecutive numbers repeat: write them by blocks
        w = 2 if j - pre.size >= 2 else 1
        table = _DIGIT_PAIRS if w == 2 else _DIGIT_PAIRS[:10, 1:]
        block = np.repeat(table, step, axis=0)
        reps = -(-(n + 1) // block.shape[0])
        out[:, j - w: j] = np.tile(block, (reps, 1))[: n + 1]
        j -= w
        step *= 100 if w == 2 else 10
    return out[1:]


# =================================================================== building blocks


def _district_spec(n: int) -> tuple[list[str], list[list[str]], list[list[str]]]:
    """Names, rural villages and urban communities of ``n`` synthetic districts."""
    if not 1 <= n <= 40:
        raise ValueError(f"n_districts must be between 1 and 40, got {n}")
    names, rural, urban = [], [], []
    for i in range(n):
        stem = _DISTRICT_STEMS[i % len(_DISTRICT_STEMS)]
        suffix = ("镇", "乡", "街道")[i % 3] if i else "镇"
        names.append(stem + suffix if i < len(_DISTRICT_STEMS) else f"{stem}{i}{suffix}")
        vs = [_VILLAGE_STEMS[(i * 7 + j) % len(_VILLAGE_STEMS)] for j in range(12)]
        rural.append([v + "村" for v in vs])
        urban.append([v + "社区" for v in vs[:4]])
    return names, rural, urban


# composition templates: (relations, weight within size, head age low, head age high)
_TEMPLATES: tuple[tuple[tuple[int, ...], float, int, int], ...] = (
    ((_HEAD,), 1.0, 24, 92),
    ((_HEAD, _SPOUSE), 0.50, 24, 90), ((_HEAD, _CHILD), 0.33, 40, 88),
    ((_HEAD, _PARENT), 0.12, 22, 58), ((_HEAD, _OTHER), 0.05, 25, 85),
    ((_HEAD, _SPOUSE, _CHILD), 0.55, 26, 70), ((_HEAD, _CHILD, _CHILD), 0.15, 32, 72),
    ((_HEAD, _SPOUSE, _PARENT), 0.15, 24, 58), ((_HEAD, _CHILD, _GRANDCHILD), 0.15, 56, 86),
    ((_HEAD, _SPOUSE, _CHILD, _CHILD), 0.50, 28, 62),
    ((_HEAD, _SPOUSE, _CHILD, _PARENT), 0.25, 28, 56),
    ((_HEAD, _CHILD, _GRANDCHILD, _GRANDCHILD), 0.10, 56, 85),
    ((_HEAD, _SPOUSE, _PARENT, _PARENT), 0.15, 24, 55),
    ((_HEAD, _SPOUSE, _CHILD, _CHILD, _PARENT), 0.50, 30, 56),
    ((_HEAD, _SPOUSE, _CHILD, _GRANDCHILD, _GRANDCHILD), 0.35, 56, 80),
    ((_HEAD, _SPOUSE, _CHILD, _CHILD, _CHILD), 0.15, 32, 62),
    ((_HEAD, _SPOUSE, _CHILD, _CHILD, _PARENT, _PARENT), 0.40, 30, 52),
    ((_HEAD, _SPOUSE, _CHILD, _CHILD, _GRANDCHILD, _GRANDCHILD), 0.40, 56, 80),
    ((_HEAD, _SPOUSE, _CHILD, _CHILD, _CHILD, _OTHER), 0.20, 34, 62),
)
_T_REL = np.full((len(_TEMPLATES), 6), -1, dtype=np.int8)
for _i, (_rel, *_rest) in enumerate(_TEMPLATES):
    _T_REL[_i, : len(_rel)] = _rel
_T_SIZE = np.array([len(t[0]) for t in _TEMPLATES])
_T_W = np.array([t[1] for t in _TEMPLATES])
_T_LO = np.array([t[2] for t in _TEMPLATES])
_T_HI = np.array([t[3] for t in _TEMPLATES])


def _people(rng: np.random.Generator, size: np.ndarray, kind: np.ndarray) -> dict[str, np.ndarray]:
    """Members of households of the given sizes (1-6): relation, age, sex, birth day."""
    n_h = size.size
    template = np.zeros(n_h, dtype=np.int64)
    for s in range(1, 7):
        at = np.flatnonzero(size == s)
        ids = np.flatnonzero(_T_SIZE == s)
        template[at] = rng.choice(ids, size=at.size, p=_T_W[ids] / _T_W[ids].sum())
    poor = np.isin(kind, _POOR_KINDS)
    u = rng.random(n_h) ** np.where(poor, 0.7, 1.0)
    head_age = _T_LO[template] + (_T_HI[template] - _T_LO[template]) * u
    tk = kind == _K_TK
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
    for code in range(len(_RELATIONS)):
        at = np.flatnonzero(rel == code)
        ha = head_age[hh[at]]
        r = rng.random(at.size, dtype=np.float32)
        if code == _HEAD:
            age[at] = ha
        elif code == _SPOUSE:
            age[at] = np.clip(ha + rng.normal(-2, 3, at.size), 20, 98)
        elif code == _CHILD:
            age[at] = np.maximum(ha - 22 - 16 * r, 0)
        elif code == _PARENT:
            age[at] = np.minimum(ha + 22 + 10 * r, 99)
        elif code == _GRANDCHILD:
            age[at] = np.maximum(ha - 44 - 16 * r, 0)
        else:
            age[at] = 12 + 68 * r
    male = rng.random(n_p, dtype=np.float32) < 0.5
    is_head, is_spouse = rel == _HEAD, rel == _SPOUSE
    male[is_head] = head_male[hh[is_head]]
    male[is_spouse] = ~head_male[hh[is_spouse]]
    days = (np.floor(age) + rng.random(n_p, dtype=np.float32)).astype(np.float64) * 365.2425
    birth = (_REF - np.floor(days)).astype(np.int32)
    del days
    return {"hh": hh, "slot": slot, "rel": rel, "male": male, "birth": birth,
            "age": ((_REF - birth) / 365.2425).astype(np.float32), "head_male": head_male}


def _household_causes(rng: np.random.Generator, kind: np.ndarray,
                      has_student: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Main cause index (-1: none) and bit mask of all causes per household."""
    n_h = kind.size
    w_poor = np.array([34, 22, 6, 3, 3, 1, 7, 10, 7, 2, 2, 1, 2], dtype=float)
    w_other = np.array([22, 12, 6, 4, 3, 1, 14, 8, 22, 3, 2, 1, 2], dtype=float)
    w_tk = np.array([25, 30, 0, 0, 0, 0, 0, 45, 0, 0, 0, 0, 0], dtype=float)
    main = np.where(np.isin(kind, _POOR_KINDS) | (kind == _K_MG),
                    rng.choice(13, n_h, p=w_poor / w_poor.sum()),
                    rng.choice(13, n_h, p=w_other / w_other.sum()))
    main = np.where(kind == _K_TK, rng.choice(13, n_h, p=w_tk / w_tk.sum()), main)
    main = np.where((main == 2) & ~has_student, 8, main)  # education needs a student
    main = np.where((kind == _K_OTHER) & (rng.random(n_h) < 0.3), -1, main)
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


def _attributes(rng: np.random.Generator, p: dict[str, np.ndarray], kind: np.ndarray,
                area: np.ndarray) -> dict[str, np.ndarray]:
    """Health, labour, employment and causes of hardship, consistent with each other."""
    hh, age = p["hh"], p["age"]
    n_p, n_h = hh.size, kind.size
    pk = kind[hh]
    band = np.searchsorted(_AGE_BANDS, age, side="right").astype(np.int8)
    cell = band.astype(np.intp) * 2 + np.isin(pk, _POOR_KINDS)  # row of the tables above
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
    ill = _random_member(rng, first, size, adult)[(mask & 1) > 0]
    heavy = rng.random(ill.size) < 0.35
    major[ill[heavy]] = True
    chronic[ill[~heavy]] = True
    dis = _random_member(rng, first, size, adult)[(mask & 2) > 0]
    grade[dis] = np.where(grade[dis] > 0, grade[dis], rng.choice(np.array([1, 2, 3, 4], dtype=np.int8),
                                                                 dis.size))
    young_tk = np.flatnonzero((pk == _K_TK) & (band < 6))
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


def _cause_text(mask: np.ndarray) -> pd.api.extensions.ExtensionArray:
    uniq, codes = _factorize_int(mask)
    labels = [";".join(c for i, c in enumerate(_CAUSES) if m >> i & 1) for m in uniq.tolist()]
    return _text(labels, codes)


def _person_ids(rng: np.random.Generator, areas: np.ndarray, area_idx: np.ndarray,
                birth: np.ndarray, male: np.ndarray) -> np.ndarray:
    """Unique 18-character resident ID numbers (GB 11643) as a (n, 18) ASCII matrix:
    area code, birth date, a sequence whose last digit is odd for men and even for
    women, and the check character ``"10X98765432"[sum(digit * weight) % 11]``."""
    n = birth.size
    lo = int(birth.min(initial=0))
    day_idx = birth - lo
    n_days = int(day_idx.max(initial=0)) + 1
    # rank of each person among those of one county, birth day and sex
    key = ((area_idx.astype(np.int64) * n_days + day_idx) * 2 + male).astype(np.int64)
    order = np.argsort(key)
    rank_sorted, run = _segment_rank(key[order])
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
        (_digit_chars(areas, 6), area_idx),
        (_digit_chars(year * 10_000 + month * 100 + dom, 8), day_idx),
        (_digit_chars(np.arange(1000), 3), seq),
    )
    weights = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
    chars = np.empty((n, 18), dtype=np.uint8)
    total = np.zeros(n, dtype=np.int64)
    col = 0
    for table, idx in parts:
        w = table.shape[1]
        chars[:, col: col + w] = np.take(table, idx, axis=0)
        total += ((table.astype(np.int64) - 48) @ weights[col: col + w])[idx]
        col += w
    chars[:, 17] = np.frombuffer(b"10X98765432", dtype=np.uint8)[total % 11]
    return chars


def _birth_places(rng: np.random.Generator, district: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """County codes (one per district, then other counties) and each person's index
    into them: nine in ten were born in the county of their district."""
    n_districts = int(district.max(initial=0)) + 1
    areas = np.concatenate([_COUNTY_CODE + 1 + np.arange(n_districts), _ELSEWHERE])
    elsewhere = n_districts + rng.integers(0, _ELSEWHERE.size, district.size)
    return areas, np.where(rng.random(district.size) < 0.9, district, elsewhere)


_SURNAME_BYTES = np.frombuffer("".join(_SURNAMES).encode("utf-8"), dtype=np.uint8).reshape(-1, 3)
_GIVEN_BYTES = np.frombuffer("".join(_GIVEN_M + _GIVEN_F).encode("utf-8"),
                             dtype=np.uint8).reshape(-1, 3)


def _names(rng: np.random.Generator, n: int, male: np.ndarray,
           surname: np.ndarray | None = None) -> pd.api.extensions.ExtensionArray:
    """Chinese names: a surname and one or two given characters."""
    if surname is None:
        surname = _surname_codes(rng, n)
    g_m, g_f = len(_GIVEN_M), len(_GIVEN_F)
    chars = np.empty((n, 9), dtype=np.uint8)  # every character here is 3 bytes of UTF-8
    chars[:, 0:3] = np.take(_SURNAME_BYTES, surname, axis=0)
    for col in (3, 6):
        given = np.where(male, rng.integers(0, g_m, n), g_m + rng.integers(0, g_f, n))
        chars[:, col: col + 3] = np.take(_GIVEN_BYTES, given, axis=0)
    length = np.where(rng.random(n) < 0.3, 6, 9)  # a third have a single given character
    return _rows_text(chars, length)


def _surname_codes(rng: np.random.Generator, n: int) -> np.ndarray:
    w = 1.0 / (np.arange(len(_SURNAMES)) + 3.0)
    return rng.choice(len(_SURNAMES), n, p=w / w.sum())


def _family_surnames(rng: np.random.Generator, p: dict[str, np.ndarray], n_h: int) -> np.ndarray:
    """Children and grandchildren carry the family surname; spouses keep their own."""
    family = _surname_codes(rng, n_h)
    own = _surname_codes(rng, p["hh"].size)
    rel = p["rel"]
    fam = family[p["hh"]]
    keep = (rel == _CHILD) | (rel == _GRANDCHILD) | ((rel == _HEAD) & p["male"]) | (
        (rel == _PARENT) & p["male"] & p["head_male"][p["hh"]])
    return np.where(keep, fam, own)


_PATTERNS = (
    "OLD", "OLD25", "OLD_D0", "OLD_DUP", "OLD_HIST", "OLD_SWITCH", "NEW", "NEW_Y1", "NEW_D",
    "NEW_DUP", "NEW_RESTART", "NEW_RESTART_D0", "EXIT25", "EXIT25_D0", "EXIT26", "EXIT_D",
    "DIED_OPEN", "DIED_CLOSED",
)
_PAT = {name: i for i, name in enumerate(_PATTERNS)}


def _enrolment_rows(person: np.ndarray, program: np.ndarray, pattern: np.ndarray,
                    u: np.ndarray, birth: np.ndarray, death: np.ndarray,
                    central: np.ndarray) -> dict[str, np.ndarray]:
    """Enrolment records realising each person's pattern (see the module docstring).

    ``u`` holds three uniforms per person (shared by members of one household so that
    they are enrolled together); ``birth`` and ``death`` are the person's days.
    """
    early = _EARLY[program]
    out: list[tuple[np.ndarray, ...]] = []
    mode = np.where(program == _TK, np.where(central, 1, 2), 0)

    def add(m: np.ndarray, start: np.ndarray, end: object, md: object = None) -> None:
        start = np.maximum(np.asarray(start, dtype=np.int64), birth[m])
        end_a = np.broadcast_to(np.asarray(end, dtype=np.int64), start.shape)
        md_a = mode[m] if md is None else np.broadcast_to(np.asarray(md), start.shape)
        out.append((person[m], program[m], start, end_a, md_a))

    u0, u1, u2 = u[:, 0], u[:, 1], u[:, 2]
    for name, code in _PAT.items():
        m = np.flatnonzero(pattern == code)
        if m.size == 0:
            continue
        e, a, b, c = early[m], u0[m], u1[m], u2[m]
        old = _ud(a, e, _OLD_LAST[program[m]])
        if name == "OLD":
            add(m, old, _NO_DATE)
        elif name == "OLD25":
            add(m, _ud(a, _Y25, _D0), _NO_DATE)
        elif name == "OLD_D0":
            add(m, np.full(m.size, _D0), _NO_DATE)
        elif name == "OLD_DUP":
            add(m, old, _NO_DATE)
            add(m, _ud(b, _Y26, _D), _NO_DATE)
        elif name == "OLD_HIST":
            s1 = _ud(a, np.minimum(e, _day("2019-01-01")), _day("2021-06-30"))
            e1 = _ud(b, s1 + 90, _day("2023-06-30"))
            add(m, s1, e1)
            add(m, _ud(c, e1 + 1, _D0), _NO_DATE)
        elif name == "OLD_SWITCH":
            s1 = _ud(a, e, _day("2024-12-31"))
            e1 = _ud(b, _Y26, _day("2026-11-30"))
            add(m, s1, e1, 2)
            add(m, e1, _NO_DATE, 1)
        elif name == "NEW":
            add(m, _ud(a, _Y26, _D), _NO_DATE)
        elif name == "NEW_Y1":
            add(m, np.full(m.size, _Y26), _NO_DATE)
        elif name == "NEW_D":
            add(m, np.full(m.size, _D), _NO_DATE)
        elif name == "NEW_DUP":
            s1 = _ud(a, _Y26, _day("2026-10-31"))
            add(m, s1, _NO_DATE)
            add(m, _ud(b, s1, _D), _NO_DATE)
        elif name in ("NEW_RESTART", "NEW_RESTART_D0"):
            s1 = _ud(a, np.minimum(e, _day("2022-01-01")), _day("2024-06-30"))
            e1 = np.full(m.size, _D0) if name.endswith("D0") else _ud(b, _Y25, _D0 - 1)
            add(m, s1, e1)
            add(m, _ud(c, _Y26, _D), _NO_DATE)
        elif name in ("EXIT25", "EXIT25_D0"):
            s1 = _ud(a, np.minimum(e, _day("2023-01-01")), _day("2024-12-31"))
            add(m, s1, np.full(m.size, _D0) if name.endswith("D0") else _ud(b, _Y25, _D0 - 1))
        elif name == "EXIT26":
            add(m, old, _ud(b, _Y26, _D - 1))
        elif name == "EXIT_D":
            add(m, old, np.full(m.size, _D))
        elif name == "DIED_OPEN":
            add(m, _ud(a, e, np.minimum(death[m] - 1, _D0)), _NO_DATE)
        elif name == "DIED_CLOSED":
            s1 = _ud(a, e, np.minimum(death[m] - 30, _D0))
            add(m, s1, np.minimum(np.maximum(_month_end(death[m]), s1 + 1), _D))
    if out:
        cols = [np.concatenate(x) for x in zip(*out)]
    else:
        cols = [np.empty(0, dtype=np.int64) for _ in range(5)]
    person_o, program_o, start_o, end_o, mode_o = cols
    order = np.lexsort((start_o, program_o, person_o))
    return {"person": person_o[order], "program": program_o[order], "start": start_o[order],
            "end": end_o[order], "mode": mode_o[order].astype(np.int64)}


def _standing_payments(enr: dict[str, np.ndarray], p_hh: np.ndarray, h_area: np.ndarray,
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
    """
    keep = np.isin(enr["program"], (_RD, _UD, _TK, _MG))
    person, prog = enr["person"][keep], enr["program"][keep]
    start, end, mode = enr["start"][keep], enr["end"][keep], enr["mode"][keep]
    months = np.arange(np.datetime64("2025-01"), np.datetime64("2027-01"))[step - 1::step]
    ms = (months.astype("datetime64[D]") - _EPOCH).astype(np.int64)
    hh = p_hh[person]
    off = 9 + (h_district[hh] * 3) % 11  # pay day: the 10th-20th, by district
    first = np.searchsorted(ms, start - off, side="left")
    last = np.where(end == _NO_DATE, ms.size - 1,
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
    line = np.where(rural, np.where(year == 2025, _LINES[0, 2025], _LINES[0, 2026]),
                    np.where(year == 2025, _LINES[1, 2025], _LINES[1, 2026]))
    y = h_y[hh[row]]
    pr = prog[row]
    who = person[row]
    grade, major = a["grade"][who], a["major"][who]
    care = np.where((grade == 1) | (grade == 2), _TEKUN_CARE[2],
                    np.where((grade >= 3) | major, _TEKUN_CARE[1], _TEKUN_CARE[0]))
    tekun = _TEKUN_FACTOR * line + care + np.where(mode[row] == 1, _TEKUN_INSTITUTION, 0)
    monthly = np.select(
        [(pr == _RD) | (pr == _UD), pr == _TK],
        [np.maximum(line - y, _DIBAO_FLOOR * line), tekun],
        _MARGINAL_FACTOR * line)
    cents = np.round(monthly * 100).astype(np.int64) * step
    return {"person": who, "program": pr, "day": day, "cents": cents}


def _ledger(rng: np.random.Generator, parts: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """All payments in one ledger, ordered by date, with a source per payment."""
    dtypes = {"person": np.int64, "program": np.int8, "day": np.int32, "cents": np.int64}
    cat = {k: np.concatenate([p[k].astype(t) for p in parts]) for k, t in dtypes.items()}
    n_p = int(cat["person"].max(initial=0)) + 1
    key = (cat["day"] - cat["day"].min(initial=0)).astype(np.int64) * len(_PAY_PROGRAMS)
    key += cat["program"]
    key *= n_p
    key += cat["person"]
    order = np.argsort(key)
    del key
    cat = {k: v[order] for k, v in cat.items()}
    # sources: the first of a programme's list is the usual one
    offsets = np.cumsum([0] + [len(_SOURCES[p]) for p in _PAY_PROGRAMS])
    counts = np.array([len(_SOURCES[p]) for p in _PAY_PROGRAMS])
    r = rng.random(cat["program"].size)
    k = counts[cat["program"]]
    pick = np.where(r < 0.7, 0, np.minimum(((r - 0.7) / 0.3 * k).astype(np.int64), k - 1))
    cat["source"] = (offsets[cat["program"]] + pick).astype(np.int16)
    return cat


def _source_labels() -> list[str]:
    return [s for p in _PAY_PROGRAMS for s in _SOURCES[p]]


def _pay(person: np.ndarray, program: int, day: np.ndarray, cents: np.ndarray) -> dict[str, np.ndarray]:
    person = np.asarray(person, dtype=np.int64)
    return {"person": person, "program": np.full(person.size, program, dtype=np.int64),
            "day": np.asarray(day, dtype=np.int64), "cents": np.asarray(cents, dtype=np.int64)}


def _monthly_income(rng: np.random.Generator, kind: np.ndarray, area: np.ndarray) -> np.ndarray:
    """Per-capita monthly income (yuan) by what the household is tracked for."""
    n = kind.size
    r = rng.random(n)
    rural = area == 0
    lo = np.select(
        [kind == _K_RD, kind == _K_UD, kind == _K_TK, kind == _K_MG, kind == _K_RPO,
         kind == _K_X, kind == _K_LEAK],
        [15, 20, 0, np.where(rural, 152, 212), 170, 120, np.where(rural, 30, 40)], 0)
    hi = np.select(
        [kind == _K_RD, kind == _K_UD, kind == _K_TK, kind == _K_MG, kind == _K_RPO,
         kind == _K_X, kind == _K_LEAK],
        [140, 200, 90, np.where(rural, 220, 310), 650, 600, np.where(rural, 140, 200)], 0)
    y = lo + (hi - lo) * r
    other = np.exp(np.log(260) + (np.log(3000) - np.log(260)) * r)
    return np.where(kind == _K_OTHER, other, y)


def _household_money(rng: np.random.Generator, y: np.ndarray, n_alive: np.ndarray,
                     ill: np.ndarray, kind: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Annual income and out-of-pocket medical spending, in cents (-1: empty)."""
    income = np.round(y * n_alive * 12).astype(np.int64) * 100
    n = y.size
    spend = np.where(ill, np.exp(rng.normal(9.2, 0.8, n)), np.exp(rng.normal(6.5, 1.0, n)))
    spend = np.round(spend, 2)
    cents = np.round(spend * 100).astype(np.int64)
    cents = np.where((kind == _K_OTHER) & (rng.random(n) < 0.1), -1, cents)
    return income, cents


# ======================================================================= the tables


def _households_table(hid, names, villages, h) -> pd.DataFrame:
    return pd.DataFrame({
        "household_id": _rows_text(hid),
        "district": _text(names, h["district"]),
        "village": _text(villages, h["village"]),
        "area": _text(_AREAS, h["area"]),
        "annual_income": _money_text(h["income"]),
        "has_vehicle": _bool_text(h["vehicle"]),
        "has_business": _bool_text(h["business"]),
        "medical_spending": _money_text(h["spending"]),
        "housing_safe": _bool_text(h["housing"]),
        "water_safe": _bool_text(h["water"]),
        "main_cause": _text(("",) + _CAUSES, h["main_cause"] + 1),
        "causes": _cause_text(h["cause_mask"]),
    })


def _persons_table(pid, hid, names, p, a) -> pd.DataFrame:
    return pd.DataFrame({
        "person_id": _rows_text(pid),
        "household_id": _rows_text(hid[p["hh"]]),
        "name": names,
        "sex": _text(("F", "M"), p["male"].astype(np.int8)),
        "birth_date": _date_text(p["birth"]),
        "relation": _text(_RELATIONS, p["rel"]),
        "disability_grade": _int_text(a["grade"]),
        "chronic_illness": _bool_text(a["chronic"]),
        "major_illness": _bool_text(a["major"]),
        "labor_ability": _text(_LABOR, a["labor"]),
        "employment": _text(_EMPLOYMENT, a["employment"]),
        "public_employee": _bool_text(p["public"]),
        "deceased_on": _date_text(p["death"]),
    })


def _ledger_tables(pid, enr, led) -> tuple[pd.DataFrame, pd.DataFrame]:
    enrolments = pd.DataFrame({
        "person_id": _rows_text(pid[enr["person"]]),
        "program": _text(_PROGRAMS, enr["program"]),
        "start_date": _date_text(enr["start"]),
        "end_date": _date_text(enr["end"]),
        "support_mode": _text(_MODES, enr["mode"]),
    })
    n = led["person"].size
    payments = pd.DataFrame({
        "payment_id": _rows_text(_prefixed_ids("P", n, max(7, len(str(n))))),
        "person_id": _rows_text(pid[led["person"]]),
        "program": _text(_PAY_PROGRAMS, led["program"]),
        "paid_on": _date_text(led["day"]),
        "amount": _money_text(led["cents"]),
        "source": _text(_source_labels(), led["source"]),
    })
    return enrolments, payments


def _helper_tables(pid, hel, pairs) -> tuple[pd.DataFrame, pd.DataFrame]:
    n = hel["type"].size
    hid = _prefixed_ids("H", n, max(4, len(str(n))))
    helpers = pd.DataFrame({
        "helper_id": _rows_text(hid),
        "name": hel["name"],
        "unit": hel["unit"],
        "unit_type": _text(_UNIT_TYPES, hel["type"]),
        "capacity": _int_text(hel["capacity"]),
    })
    pairings = pd.DataFrame({
        "helper_id": _rows_text(hid[pairs["helper"]]),
        "person_id": _rows_text(pid[pairs["person"]]),
        "start_date": _date_text(pairs["start"]),
        "end_date": _date_text(pairs["end"]),
    })
    return helpers, pairings


def _household_ids(district: np.ndarray, village: np.ndarray,
                   local: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Order households by district and village; number them ``DDVV`` + sequence
    (district, village within the district, household within the village)."""
    # villages are numbered district by district: their order is the district order
    order = np.argsort(village.astype(np.int16), kind="stable")
    key = district[order] * 1000 + village[order]
    seq, _ = _segment_rank(key)
    width = max(4, len(str(int(seq.max()) + 1)) if seq.size else 4)
    number = (district[order] + 1) * 100 + local[order] + 1
    chars = np.hstack([_digit_chars(number, 4), _digit_chars(seq + 1, width)])
    return order, chars


_MUNICIPAL_UNITS = ("市供销合作社", "市城市管理局", "市自然资源局", "市财政局", "市卫生健康委员会",
                    "市交通运输局", "市住房和城乡建设局", "市农业农村局", "市水利局", "市教育局")
_DISTRICT_ORGANS = ("区管委会办公室", "区民政局", "区财政局", "区人力资源和社会保障局", "区农业农村局",
                    "区司法局", "区市场监督管理局", "区应急管理局")
_TALENTS = ("种植大户", "养殖大户", "乡村医生", "退休教师", "返乡创业青年", "个体工商户")
_ENTERPRISES = ("农业科技有限公司", "建材有限公司", "食品有限公司", "物流有限公司", "中药材专业合作社")


def _unit_texts(hel_type: np.ndarray, hel_district: np.ndarray, hel_village: np.ndarray,
                district_names: list[str], village_names: list[str],
                rng: np.random.Generator) -> pd.api.extensions.ExtensionArray:
    """The unit a helper works for: a municipal unit or district organ, the committee of
    a village the helper serves, or a talent, enterprise or union of the district."""
    labels = list(_MUNICIPAL_UNITS) + list(_DISTRICT_ORGANS) + ["县总工会"]
    county_union = len(labels) - 1
    # village committees, named with their township
    base_v = len(labels)
    township = np.full(len(village_names), -1, dtype=np.int64)
    township[hel_village] = hel_district
    for name, d in zip(village_names, township.tolist()):
        prefix = district_names[d] if d >= 0 else ""
        labels.append(prefix + name + ("居民委员会" if name.endswith("社区") else "村民委员会"))
    # per township: talents, enterprises, its union federation
    base_d = len(labels)
    width = len(_TALENTS) + len(_ENTERPRISES) + 1
    for dn in district_names:
        labels += [dn + t for t in _TALENTS] + [dn[:2] + e for e in _ENTERPRISES]
        labels.append(dn + "工会联合会")
    k = rng.integers(0, 1 << 20, hel_type.size)
    own = base_d + hel_district * width
    code = np.select(
        [hel_type == 0, hel_type == 1, hel_type == 2, hel_type == 3, hel_type == 4],
        [k % len(_MUNICIPAL_UNITS), len(_MUNICIPAL_UNITS) + k % len(_DISTRICT_ORGANS),
         base_v + hel_village, own + k % len(_TALENTS),
         own + len(_TALENTS) + k % len(_ENTERPRISES)],
        np.where(k % 2 == 0, county_union, own + width - 1))
    return _text(labels, code)


# ===================================================================== sample region


def sample_tables(seed: int = 2026) -> dict[str, pd.DataFrame]:
    """The bundled sample region: six townships of a fictional county, 2025-2026.

    Parameters
    ----------
    seed : int, default 2026
        Seed of :func:`numpy.random.default_rng`. The seed decides who is who; the
        2026 year-end figures are the same for every seed (see the module docstring).

    Returns
    -------
    dict of str to pandas.DataFrame
        ``households``, ``persons``, ``enrolments``, ``payments``, ``helpers`` and
        ``pairings``, with exactly the canonical columns of the data contract, every
        value as text (empty string for a missing value).

    Examples
    --------
    >>> from reliefkit.sample.generator import sample_tables
    >>> tables = sample_tables()
    >>> sorted(tables)
    ['enrolments', 'helpers', 'households', 'pairings', 'payments', 'persons']
    >>> bool(tables["persons"]["person_id"].str.len().eq(18).all())
    True
    """
    rng = np.random.default_rng(seed)
    S = _SAMPLE
    n_d = len(_SAMPLE_DISTRICTS)
    district_names = [d[0] for d in _SAMPLE_DISTRICTS]
    village_names: list[str] = []
    village_of: list[tuple[list[int], list[int]]] = []  # per district: rural, urban ids
    for _, rural_v, urban_v, _, _ in _SAMPLE_DISTRICTS:
        r_ids = list(range(len(village_names), len(village_names) + len(rural_v)))
        village_names += list(rural_v)
        u_ids = list(range(len(village_names), len(village_names) + len(urban_v)))
        village_names += list(urban_v)
        village_of.append((r_ids, u_ids))
    w_area = np.array([[d[3] for d in _SAMPLE_DISTRICTS], [d[4] for d in _SAMPLE_DISTRICTS]])

    # ---- 1. households: kind, area, size, district, village -------------------------
    size_p = {
        _K_RD: [.40, .30, .15, .09, .04, .02], _K_UD: [.55, .25, .12, .06, .02, 0],
        _K_MG: [.15, .30, .25, .20, .10, 0], _K_RPO: [0, .25, .30, .25, .15, .05],
        _K_LEAK: [.35, .30, .20, .10, .05, 0], _K_OTHER: [.12, .22, .24, .22, .13, .07],
    }
    blocks: list[tuple[int, int, int, list[float], int, int, int]] = [
        # kind, area, households, size probabilities, noise programme, pattern, death
        (_K_RD, 0, S["rd_households"], size_p[_K_RD], -1, -1, 0),
        (_K_UD, 1, S["ud_households"], size_p[_K_UD], -1, -1, 0),
        (_K_TK, 0, S["tk_rural"], [1, 0, 0, 0, 0, 0], -1, -1, 0),
        (_K_TK, 1, S["tk_persons"] - S["tk_rural"], [1, 0, 0, 0, 0, 0], -1, -1, 0),
        (_K_MG, 0, S["mg_households"][0], size_p[_K_MG], -1, -1, 0),
        (_K_MG, 1, S["mg_households"][1], size_p[_K_MG], -1, -1, 0),
        (_K_RPO, 0, S["rpo_households"], size_p[_K_RPO], -1, -1, 0),
        (_K_LEAK, 0, S["leak"][0], size_p[_K_LEAK], -1, -1, 0),
        (_K_LEAK, 1, S["leak"][1], size_p[_K_LEAK], -1, -1, 0),
        (_K_OTHER, 0, S["other"][0], size_p[_K_OTHER], -1, -1, 0),
        (_K_OTHER, 1, S["other"][1], size_p[_K_OTHER], -1, -1, 0),
    ]
    for prog, pat, death, count, where in _SAMPLE_NOISE:
        if where != "own":
            continue
        if prog == _TK:
            sp = [1, 0, 0, 0, 0, 0]
        elif pat.startswith("DIED"):
            sp = [.6, .4, 0, 0, 0, 0]
        else:
            sp = [.45, .35, .2, 0, 0, 0]
        area = 1 if prog == _UD or (prog == _MG and count == 1) else 0
        dcode = {None: 0, 2025: 1, 2026: 2, "D": 3}[death]
        blocks.append((_K_X, area, count, sp, prog, _PAT[pat], dcode))
    cols: dict[str, list[np.ndarray]] = {
        k: [] for k in ("kind", "area", "size", "district", "nprog", "npat", "ndeath")}
    for kind, area, count, sp, nprog, npat, ndeath in blocks:
        alloc = _allocate(count, w_area[area], minimum=1 if count >= 3 * n_d else 0)
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
    order, hid = _household_ids(h["district"], h["village"],
                                h["village"] - first_village[h["district"]])
    h = {k: v[order] for k, v in h.items()}

    # ---- 2. persons ----------------------------------------------------------------
    p = _people(rng, h["size"], h["kind"])
    n_p = p["hh"].size
    p_hh = p["hh"]
    p_kind = h["kind"][p_hh]
    adult = p["age"] >= 18
    on_roll = p["birth"] <= _ROLL_BIRTH_MAX
    p["death"] = np.full(n_p, _NO_DATE, dtype=np.int64)
    used = np.zeros(n_p, dtype=bool)  # persons already given a role
    counted = np.zeros((5, n_p), dtype=bool)
    pattern = np.full((5, n_p), -1, dtype=np.int64)
    central = np.zeros(n_p, dtype=bool)
    heads = np.flatnonzero(p["rel"] == _HEAD)  # index of each household's head
    u_hh = rng.random((n_h, 5, 3))

    def death_days(code: np.ndarray) -> np.ndarray:
        code = np.asarray(code)
        d = np.where(code == 1, _ud(rng.random(code.size), _Y25, _D0),
                     _ud(rng.random(code.size), _Y26, _D - 1))
        return np.where(code == 3, _D, d)

    # ---- 3. counted persons of the minimum living allowance ---------------------------
    new_households: dict[int, np.ndarray] = {}
    for prog, kind, total, n_new in ((_RD, _K_RD, S["rd_persons"], S["rd_new"]),
                                     (_UD, _K_UD, S["ud_persons"], S["ud_new"])):
        in_kind = p_kind == kind
        hh_ids = np.flatnonzero(h["kind"] == kind)
        by_member = rng.random(hh_ids.size) < 0.15
        primary = _pick_one(rng, p_hh, in_kind & on_roll & (p["rel"] != _HEAD), n_h)[hh_ids]
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
        extra_cand = np.flatnonzero(counted[prog] & ~is_new_hh[p_hh] & (p["rel"] != _HEAD)
                                    & ~np.isin(np.arange(n_p), primary))
        new[rng.choice(extra_cand, n_new - new.sum(), replace=False)] = True
        new_households[prog] = is_new_hh
        _assign_patterns(rng, pattern[prog], np.flatnonzero(counted[prog] & ~new),
                         _SAMPLE_OLD[prog], "OLD", adult)
        _assign_patterns(rng, pattern[prog], np.flatnonzero(new), _SAMPLE_NEW[prog], "NEW", adult)
        used |= counted[prog]

    # special hardship: one person households
    tk_people = heads[h["kind"] == _K_TK]
    counted[_TK, tk_people] = True
    perm = rng.permutation(tk_people)
    tk_new = perm[: S["tk_new"]]
    _assign_patterns(rng, pattern[_TK], perm[S["tk_new"]:], _SAMPLE_OLD[_TK], "OLD", adult)
    _assign_patterns(rng, pattern[_TK], tk_new, _SAMPLE_NEW[_TK], "NEW", adult)
    switch = tk_people[pattern[_TK, tk_people] == _PAT["OLD_SWITCH"]]
    central[switch] = True
    rest = np.setdiff1d(tk_people, switch)
    central[rng.choice(rest, S["tk_centralized"] - switch.size, replace=False)] = True
    used[tk_people] = True

    # marginal households: every member on the roll, most of them new in 2026
    mg_hh = rng.permutation(np.flatnonzero(h["kind"] == _K_MG))
    mg_new = np.zeros(n_h, dtype=bool)
    mg_new[mg_hh[: S["mg_new_households"]]] = True
    mg = (p_kind == _K_MG) & on_roll
    counted[_MG, mg] = True
    pattern[_MG, mg] = np.where(mg_new[p_hh[mg]], _PAT["NEW"], _PAT["OLD"])
    used |= mg

    # ---- 4. enrolments that must not count -------------------------------------------
    noise_hh = np.zeros(n_h, dtype=bool)  # at most one noisy member per household
    for prog, pat, death, count, where in _SAMPLE_NOISE:
        code = {None: 0, 2025: 1, 2026: 2, "D": 3}[death]
        if where == "own":
            at = np.flatnonzero((h["kind"] == _K_X) & (h["nprog"] == prog)
                                & (h["npat"] == _PAT[pat]) & (h["ndeath"] == code))
            if pat.startswith("DIED"):
                who = heads[at]
                p["death"][who] = death_days(np.full(who.size, code))
            else:
                who = np.flatnonzero(np.isin(p_hh, at) & on_roll)
            pattern[prog, who] = _PAT[pat]
            if prog == _TK:
                central[who] = rng.random(who.size) < 0.6
            used[who] = True
            continue
        if prog == _RP:
            pool_kind, min_age = _K_RPO, 45
        else:
            pool_kind = _K_RD if prog == _RD else _K_UD
            min_age = 40 if pat.startswith("DIED") else 18
        old_hh = ~new_households.get(prog, np.zeros(n_h, dtype=bool))
        ok = (p_kind == pool_kind) & ~used & on_roll & (p["age"] >= min_age) & old_hh[p_hh]
        ok &= ~noise_hh[p_hh] & (h["size"][p_hh] >= 2)
        one = _pick_one(rng, p_hh, ok, n_h)
        one = one[one >= 0]
        who = rng.choice(one, count, replace=False, p=_age_weights(p["age"][one]))
        if code:
            p["death"][who] = death_days(np.full(count, code))
        pattern[prog, who] = _PAT[pat]
        noise_hh[p_hh[who]] = True
        used[who] = True
    # ordinary deaths, outside every programme
    ok = (p_kind == _K_OTHER) & (p["age"] >= 60) & (h["size"][p_hh] >= 2)
    one = _pick_one(rng, p_hh, ok, n_h)
    who = rng.choice(one[one >= 0], 8, replace=False)
    p["death"][who] = death_days(rng.choice([1, 2], 8))
    alive = p["death"] == _NO_DATE

    # ---- 5. registered poor: whole households, exactly the target alive --------------
    rp_pool = np.concatenate([rng.permutation(np.flatnonzero(h["kind"] == _K_RPO)),
                              rng.permutation(np.flatnonzero((h["kind"] == _K_RD) & (h["size"] >= 2)))])
    eligible = alive & on_roll
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
    counted[_RP] = rp
    perm = rng.permutation(np.flatnonzero(rp & adult))
    pattern[_RP, rp] = _PAT["OLD"]
    pattern[_RP, perm[: S["rp_new"]]] = _PAT["NEW"]
    pattern[_RP, perm[S["rp_new"]: S["rp_new"] + S["rp_old25"]]] = _PAT["OLD25"]
    rp_dead = in_rp[p_hh] & ~alive & on_roll & (pattern[_RP] < 0)
    pattern[_RP, rp_dead] = _PAT["DIED_CLOSED"]

    # ---- 6. households: money, assets, safety; persons: attributes, ids, names --------
    n_alive = np.bincount(p_hh[alive], minlength=n_h)
    y = _monthly_income(rng, h["kind"], h["area"])
    for kind, area, share in ((_K_RD, 0, 0.06), (_K_UD, 1, 0.06)):
        at = np.flatnonzero(h["kind"] == kind)
        above = rng.choice(at, round(share * at.size), replace=False)
        line = _LINES[area, 2026]
        y[above] = line + 5 + (line * 0.7) * rng.random(above.size)  # enrolled above the line
    y = np.where(n_alive > 0, np.round(y, 2), 0.0)
    a = _attributes(rng, p, h["kind"], h["area"])
    _household_assets(rng, h, p_hh, n_alive, y, a, np.where(np.isin(h["kind"], _POOR_KINDS), 0.93, 0.98))
    h["main_cause"], h["cause_mask"] = a["main_cause"], a["cause_mask"]
    p["public"] = np.zeros(n_p, dtype=bool)
    for kind, n_pub in ((_K_RD, 3), (_K_UD, 1), (_K_OTHER, 14)):
        ok = np.flatnonzero((p_kind == kind) & alive & (p["age"] >= 23) & (p["age"] < 58)
                            & (a["labor"] == 0))
        pub = rng.choice(ok, n_pub, replace=False)
        p["public"][pub] = True
        a["employment"][pub] = 0
    pid = _person_ids(rng, *_birth_places(rng, h["district"][p_hh]), p["birth"], p["male"])
    names = _names(rng, n_p, p["male"], _family_surnames(rng, p, n_h))

    # ---- 7. enrolments ------------------------------------------------------------
    prog_i, person_i = np.nonzero(pattern >= 0)
    u = u_hh[p_hh[person_i], prog_i]  # members of a household are enrolled together
    enr = _enrolment_rows(person_i, prog_i, pattern[prog_i, person_i], u,
                          p["birth"][person_i], p["death"][person_i], central[person_i])

    # ---- 8. payments --------------------------------------------------------------
    parts = [_standing_payments(enr, p_hh, h["area"], h["y"], h["district"], a, step=1)]
    parts += _sample_adhoc_payments(rng, p, a, h, alive, adult)
    led = _ledger(rng, parts)

    # ---- 9. helpers and pairings ---------------------------------------------------
    hel, pairs = _sample_pairings(rng, p, h, enr, counted[_RP], alive)
    hel["name"] = _names(rng, hel["type"].size, rng.random(hel["type"].size) < 0.6)
    hel["unit"] = _unit_texts(hel["type"], hel["district"], hel["village"], district_names,
                              village_names, rng)

    # ---- 10. text -----------------------------------------------------------------
    tables = {
        "households": _households_table(hid, district_names, village_names, h),
        "persons": _persons_table(pid, hid, names, p, a),
    }
    tables["enrolments"], tables["payments"] = _ledger_tables(pid, enr, led)
    tables["helpers"], tables["pairings"] = _helper_tables(pid, hel, pairs)
    return _ordered(tables)


def _first_start_last_end(enr: dict[str, np.ndarray], program: int,
                          n_p: int) -> tuple[np.ndarray, np.ndarray]:
    """Per person: start of the first and end of the last record in ``program``."""
    at = np.flatnonzero(enr["program"] == program)
    person = enr["person"][at]
    first = np.ones(at.size, dtype=bool)
    first[1:] = person[1:] != person[:-1]
    last = np.ones(at.size, dtype=bool)
    last[:-1] = person[1:] != person[:-1]
    start = np.full(n_p, _NO_DATE, dtype=np.int64)
    end = np.full(n_p, _NO_DATE, dtype=np.int64)
    start[person[first]] = enr["start"][at[first]]
    end[person[last]] = enr["end"][at[last]]
    return start, end


def _age_weights(age: np.ndarray) -> np.ndarray:
    w = np.maximum(age - 30, 1.0) ** 2
    return w / w.sum()


def _assign_patterns(rng: np.random.Generator, row: np.ndarray, who: np.ndarray,
                     special: Mapping[str, int], default: str, adult: np.ndarray) -> None:
    """Give ``who`` the ``default`` pattern and exact numbers of special patterns,
    the special ones to adults only (their histories reach back further)."""
    row[who] = _PAT[default]
    grown = rng.permutation(who[adult[who]])
    at = 0
    for name, n in special.items():
        if at + n > grown.size:
            raise ValueError(f"not enough adults for pattern {name}")
        row[grown[at: at + n]] = _PAT[name]
        at += n


def _sample_adhoc_payments(rng: np.random.Generator, p: dict[str, np.ndarray],
                           a: dict[str, np.ndarray], h: dict[str, np.ndarray],
                           alive: np.ndarray, adult: np.ndarray) -> list[dict[str, np.ndarray]]:
    """Temporary, medical, donation, holiday, project, education and one-time payments
    of 2025 and 2026; the 2026 totals of the summary are exact."""
    S = _SAMPLE
    p_hh = p["hh"]
    kind = h["kind"][p_hh]
    n_h = h["kind"].size
    needy = alive & np.isin(kind, (_K_RD, _K_UD, _K_MG, _K_LEAK, _K_X, _K_OTHER, _K_RPO))
    lead = needy & adult & ((p["rel"] == _HEAD) | (p["rel"] == _SPOUSE))
    out: list[dict[str, np.ndarray]] = []

    def days(n: int, year: int, lo: str | None = None, hi: str | None = None) -> np.ndarray:
        lo_d = _day(lo) if lo else (_Y25 if year == 2025 else _Y26)
        hi_d = _day(hi) if hi else (_D0 if year == 2025 else _D)
        return _ud(rng.random(n), lo_d, hi_d)

    def recipients(pool: np.ndarray, n: int, twice: int) -> np.ndarray:
        who = rng.choice(np.flatnonzero(pool), n, replace=False)
        return np.concatenate([who, rng.choice(who, twice, replace=False)])

    # temporary assistance
    n, twice, total = S["temporary"]
    who = recipients(lead, n, twice)
    cents = _split_total(rng, total, who.size, 20_000, 150_000, 10_000)
    out.append(_pay(who, _TEMP, days(who.size, 2026), cents))
    who = recipients(lead, 94, 8)
    out.append(_pay(who, _TEMP, days(who.size, 2025), rng.integers(2, 7, who.size) * 10_000))
    # medical aid: the ill member of households with a serious illness
    for year, n_hh, lo, hi in ((2026, S["medical"][0], S["medical"][1], S["medical"][2]),
                               (2025, 8, 4_000_000, 5_500_000)):
        ill = alive & (a["major"] | a["chronic"]) & needy
        one = _pick_one(rng, p_hh, ill, n_h, priority=a["major"] * 1.0)
        first = rng.choice(one[one >= 0], n_hh, replace=False)
        who = np.concatenate([first, rng.choice(first, n_hh // 2, replace=False)])
        total = int(_ud(rng.random(1), lo, hi)[0])
        cents = _split_total(rng, total, who.size, 150_000, 1_500_000)
        out.append(_pay(who, _MED, days(who.size, year), cents))
    # donations (in cash or kind): 140 yuan per recipient on average in 2026
    n, twice, per_head = S["donation"]
    who = recipients(needy, n, twice)
    cents = _split_total(rng, n * per_head, who.size, 6_000, 30_000, 1_000)
    out.append(_pay(who, _DON, days(who.size, 2026), cents))
    who = recipients(needy, 330, 25)
    out.append(_pay(who, _DON, days(who.size, 2025), rng.integers(6, 25, who.size) * 1_000))
    # holiday visits: Spring Festival and Mid-Autumn Festival
    visited = alive & (p["rel"] == _HEAD) & np.isin(kind, (_K_RD, _K_UD, _K_TK, _K_RPO, _K_MG))
    for year, spring, autumn, n_spring, n_new, n_again in (
            (2025, ("2025-01-13", "2025-01-27"), ("2025-09-24", "2025-10-04"), 480, 96, 60),
            (2026, ("2026-02-02", "2026-02-14"), ("2026-09-14", "2026-09-24"), 520, 92, 68)):
        perm = rng.permutation(np.flatnonzero(visited))
        again = rng.choice(perm[:n_spring], n_again, replace=False)
        for (lo, hi), who in ((spring, perm[:n_spring]),
                              (autumn, np.concatenate([perm[n_spring:n_spring + n_new], again]))):
            cents = rng.choice([20_000, 30_000, 50_000], who.size, p=[.5, .35, .15])
            out.append(_pay(who, _HOL, days(who.size, year, lo, hi), cents))
    # project support for households that can work
    able = alive & (p["rel"] == _HEAD) & (a["labor"] < 2) & np.isin(kind, (_K_RPO, _K_RD))
    for year, n in ((2025, 24), (2026, 28)):
        who = rng.choice(np.flatnonzero(able), n, replace=False)
        out.append(_pay(who, _PROJ, days(n, year), rng.integers(4, 21, n) * 50_000))
    # education grants, at the start of the school year
    pupils = alive & (a["employment"] == 4) & np.isin(kind, (_K_RD, _K_UD, _K_RPO, _K_MG))
    for year, n in ((2025, 40), (2026, 46)):
        who = rng.choice(np.flatnonzero(pupils), min(n, int(pupils.sum())), replace=False)
        age = p["age"][who] - (2026 - year)
        cents = np.select([age < 16, age < 19], [rng.choice([50_000, 100_000], who.size), 200_000],
                          rng.integers(6, 11, who.size) * 50_000)
        out.append(_pay(who, _EDU, days(who.size, year, f"{year}-08-20", f"{year}-09-30"), cents))
    # one-time living subsidies
    for year, n in ((2025, 18), (2026, 22)):
        who = rng.choice(np.flatnonzero(lead), n, replace=False)
        out.append(_pay(who, _ONE, days(n, year), rng.integers(5, 31, n) * 10_000))
    return out


def _sample_pairings(rng: np.random.Generator, p: dict[str, np.ndarray], h: dict[str, np.ndarray],
                     enr: dict[str, np.ndarray], rp: np.ndarray,
                     alive: np.ndarray) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Helpers of every unit type in every district, and their pairings.

    Pairings active on 2026-12-31 go to exactly the registered poor alive and enrolled
    on that day; per district, a fixed number of them is paired to municipal units and
    district organs (group A) and the others to village cadres and social talents
    (group B), all active pairings of a person within one unit type.
    """
    S = _SAMPLE
    p_hh = p["hh"]
    n_p = p_hh.size
    n_d = len(_SAMPLE_DISTRICTS)
    district = h["district"][p_hh]
    # the enrolment start of each registered poor person (first record)
    is_rp = enr["program"] == _RP
    rp_start, rp_end = _first_start_last_end(enr, _RP, n_p)

    # group A / B per person: per district, households in random order, first A_d persons
    people = np.flatnonzero(rp)
    hh_key = rng.random(h["kind"].size)
    people = people[np.lexsort((p["slot"][people], p_hh[people], hh_key[p_hh[people]],
                                district[people]))]
    per_d = np.bincount(district[people], minlength=n_d)
    quota = _allocate(S["pair_a"], per_d, minimum=1)
    if S["pair_a"] + S["pair_b"] != people.size or np.any(quota >= per_d):
        raise ValueError("pairing quota does not fit the registered poor")
    rank, _ = _segment_rank(district[people])
    group_b = rank >= quota[district[people]]
    # unit type per (household, group): both types of the group in every district
    unit_key = p_hh[people] * 2 + group_b
    first_of_unit = np.ones(people.size, dtype=bool)
    first_of_unit[1:] = unit_key[1:] != unit_key[:-1]
    unit_id = np.cumsum(first_of_unit) - 1
    n_units = unit_id[-1] + 1
    u_group = group_b[first_of_unit]
    u_district = district[people][first_of_unit]
    # rank of a unit within its (district, group): the first two get both types
    order = np.lexsort((np.arange(n_units), u_group, u_district))
    r_sorted, _ = _segment_rank((u_district * 2 + u_group)[order])
    u_rank = np.empty(n_units, dtype=np.int64)
    u_rank[order] = r_sorted
    second = np.where(u_rank == 0, 0, np.where(u_rank == 1, 1, (rng.random(n_units) < 0.4) * 1))
    u_type = np.where(u_group, 2 + second, second)  # 0/1 municipal/district, 2/3 cadre/talent

    # helpers: per district and type, about one per 2.5 paired units (at least 2)
    n_ut = np.zeros((n_d, 6), dtype=np.int64)
    np.add.at(n_ut, (u_district, u_type), 1)
    n_hel = np.maximum(2, np.ceil(n_ut / 2.5).astype(np.int64))
    n_hel[:, 4] = 2
    n_hel[:, 5] = 2
    hel_district = np.repeat(np.repeat(np.arange(n_d), 6), n_hel.ravel())
    hel_type = np.repeat(np.tile(np.arange(6), n_d), n_hel.ravel())
    base = np.concatenate([[0], np.cumsum(n_hel.ravel())[:-1]]).reshape(n_d, 6)
    # units of one district and type go round the helpers in random order: even loads
    order = np.lexsort((rng.random(n_units), u_district * 6 + u_type))
    r_sorted, _ = _segment_rank((u_district * 6 + u_type)[order])
    u_helper = np.empty(n_units, dtype=np.int64)
    u_helper[order] = r_sorted
    u_helper = base[u_district, u_type] + u_helper % n_hel[u_district, u_type]

    hh_of_unit = p_hh[people][first_of_unit]
    rural_v = h["village"][hh_of_unit]
    hel_village = np.full(hel_type.size, -1, dtype=np.int64)
    hel_village[u_helper] = rural_v  # village cadres belong to a village they serve
    for i in np.flatnonzero(hel_village < 0):  # helpers without a unit: a village of the district
        vs = h["village"][h["district"] == hel_district[i]]
        hel_village[i] = vs[int(rng.integers(0, vs.size))]

    pairs: list[tuple[np.ndarray, ...]] = []

    def add(helper, person, start, end) -> None:
        person = np.asarray(person, dtype=np.int64)
        pairs.append((np.broadcast_to(np.asarray(helper, dtype=np.int64), person.shape),
                      person, np.broadcast_to(np.asarray(start, dtype=np.int64), person.shape),
                      np.broadcast_to(np.asarray(end, dtype=np.int64), person.shape)))

    # active pairings: one per person (the helper of its unit), shared start per unit
    u_start = rng.random(n_units)
    start = _ud(u_start[unit_id], np.maximum(rp_start[people], _day("2016-03-01")),
                np.where(rp_start[people] > _D0, _D, _D0))
    start = np.maximum(start, rp_start[people])
    helper = u_helper[unit_id]
    add(helper, people, start, _NO_DATE)
    # a second active helper of the same type for some persons
    extra = rng.choice(people.size, 30, replace=False)
    t = u_type[unit_id[extra]]
    d = district[people[extra]]
    k = n_hel[d, t]
    step = 1 + (rng.random(extra.size) * (k - 1)).astype(np.int64)  # another helper
    other = base[d, t] + (helper[extra] - base[d, t] + step) % k
    add(other, people[extra], _ud(rng.random(extra.size), start[extra], _D), _NO_DATE)
    # earlier pairings that ended in 2025, some of them with enterprises and unions
    hist = rng.choice(people.size, 90, replace=False)
    d = district[people[hist]]
    t = rng.choice(6, hist.size, p=[.2, .2, .2, .1, .2, .1])
    hh_ = base[d, t] + (rng.random(hist.size) * n_hel[d, t]).astype(np.int64)
    s = _ud(rng.random(hist.size), _day("2017-01-01"), _day("2023-12-31"))
    add(hh_, people[hist], s, _ud(rng.random(hist.size), _Y25, _D0))
    # enterprise pairings that end exactly on 2026-12-31 (not active on D)
    last = rng.choice(people.size, 6, replace=False)
    d = district[people[last]]
    add(base[d, 4] + rng.integers(0, 2, last.size), people[last],
        _ud(rng.random(last.size), _day("2024-01-01"), _D0), _D)
    # registered poor who died or left: paired until their death or exit
    gone = np.flatnonzero(np.isin(np.arange(n_p), enr["person"][is_rp]) & ~rp)
    d = district[gone]
    t = rng.integers(0, 4, gone.size)
    hh_ = base[d, t] + (rng.random(gone.size) * n_hel[d, t]).astype(np.int64)
    stop = np.where(alive[gone], rp_end[gone], p["death"][gone])
    stop = np.where(stop == _NO_DATE, _D, np.minimum(stop, _D))
    add(hh_, gone, _ud(rng.random(gone.size), np.maximum(rp_start[gone], _day("2016-03-01")),
                       np.maximum(stop - 30, rp_start[gone])), stop)
    # every helper has worked with someone: an ended pairing for idle helpers
    helper_all = np.concatenate([x[0] for x in pairs])
    idle = np.setdiff1d(np.arange(hel_type.size), helper_all)
    needy = alive & np.isin(h["kind"][p_hh], (_K_RD, _K_UD, _K_RPO))
    pool_by_d = [np.flatnonzero(needy & (district == dd)) for dd in range(n_d)]
    who = np.array([pool_by_d[hel_district[i]][int(rng.integers(0, pool_by_d[hel_district[i]].size))]
                    for i in idle], dtype=np.int64)
    s = _ud(rng.random(idle.size), _day("2019-01-01"), _day("2024-06-30"))
    add(idle, who, s, _ud(rng.random(idle.size), s + 180, _D0))

    cat = [np.concatenate(x) for x in zip(*pairs)]
    helper_o, person_o, start_o, end_o = cat
    order = np.lexsort((start_o, helper_o, person_o))
    pr = {"helper": helper_o[order], "person": person_o[order], "start": start_o[order],
          "end": end_o[order]}
    active = (pr["start"] <= _D) & ((pr["end"] == _NO_DATE) | (pr["end"] > _D))
    load = np.bincount(pr["helper"][active], minlength=hel_type.size)
    capacity = np.where(hel_type >= 4, rng.integers(2, 9, hel_type.size),
                        load + rng.integers(0, 4, hel_type.size))
    hel = {"type": hel_type, "district": hel_district, "village": hel_village,
           "capacity": np.maximum(capacity, 1)}
    return hel, pr


# ================================================================= synthetic region


def synthetic_tables(n_persons: int, seed: int = 0, n_districts: int = 8) -> dict[str, pd.DataFrame]:
    """A synthetic region of any size for benchmarks, built fully vectorized.

    The tables have the structure of :func:`sample_tables` (and of the data contract)
    and a realistic mix: about 2.5 persons per household, a fifth to a quarter of the
    households enrolled in some programme, quarterly payments of the standing
    programmes in 2025 and 2026, ad-hoc payments, helpers and pairings. The figures are
    not calibrated.

    Parameters
    ----------
    n_persons : int
        Number of persons (rows of ``persons``), at least 1.
    seed : int, default 0
        Seed of :func:`numpy.random.default_rng`.
    n_districts : int, default 8
        Number of districts (1 to 40).

    Returns
    -------
    dict of str to pandas.DataFrame
        The six tables, every value as text.

    Examples
    --------
    >>> from reliefkit.sample.generator import synthetic_tables
    >>> t = synthetic_tables(1_000, seed=1)
    >>> len(t["persons"])
    1000
    """
    if n_persons < 1:
        raise ValueError(f"n_persons must be at least 1, got {n_persons}")
    rng = np.random.default_rng(seed)
    district_names, rural_v, urban_v = _district_spec(n_districts)
    village_names: list[str] = []
    v_rural_base, v_urban_base = [], []
    for rv, uv in zip(rural_v, urban_v, strict=True):
        v_rural_base.append(len(village_names))
        village_names += rv
        v_urban_base.append(len(village_names))
        village_names += uv
    n_rv, n_uv = len(rural_v[0]), len(urban_v[0])

    # ---- households ------------------------------------------------------------------
    n_h = int(n_persons / 2.3) + 16
    area = (rng.random(n_h) < 0.35).astype(np.int64)
    r = rng.random(n_h)
    kind = np.where(area == 0,
                    np.select([r < .15, r < .20, r < .22, r < .245, r < .275, r < .305],
                              [_K_RD, _K_RPO, _K_TK, _K_MG, _K_X, _K_LEAK], _K_OTHER),
                    np.select([r < .14, r < .15, r < .18, r < .20, r < .22],
                              [_K_UD, _K_TK, _K_MG, _K_X, _K_LEAK], _K_OTHER))
    size_p = np.array([[.42, .30, .14, .09, .04, .01],   # minimum living
                       [.22, .30, .22, .15, .07, .04],   # others
                       [1, 0, 0, 0, 0, 0]])              # special hardship
    row = np.where(kind == _K_TK, 2, np.where(np.isin(kind, (_K_RD, _K_UD, _K_LEAK, _K_X)), 0, 1))
    cdf = np.cumsum(size_p, axis=1)[row]
    size = 1 + (rng.random(n_h)[:, None] > cdf).sum(axis=1)
    size = np.minimum(size, 6)
    cum = np.cumsum(size)
    if cum[-1] < n_persons:  # pragma: no cover - the estimate above is generous
        more = (n_persons - int(cum[-1])) // 3 + 1
        size = np.concatenate([size, np.full(more, 3)])
        kind = np.concatenate([kind, np.full(more, _K_OTHER)])
        area = np.concatenate([area, np.zeros(more, dtype=np.int64)])
        cum = np.cumsum(size)
    n_h = int(np.searchsorted(cum, n_persons)) + 1
    size, kind, area = size[:n_h].copy(), kind[:n_h], area[:n_h]
    size[-1] -= cum[n_h - 1] - n_persons
    dw = 0.5 + rng.random(n_districts)
    district = rng.choice(n_districts, n_h, p=dw / dw.sum())
    village = np.where(area == 0, np.asarray(v_rural_base)[district] + rng.integers(0, n_rv, n_h),
                       np.asarray(v_urban_base)[district] + rng.integers(0, n_uv, n_h))
    order, hid = _household_ids(district, village, village - np.asarray(v_rural_base)[district])
    h = {"kind": kind[order], "area": area[order], "size": size[order],
         "district": district[order], "village": village[order]}
    del kind, area, size, district, village

    # ---- persons, enrolments, payments, pairings ----------------------------------------
    p = _people(rng, h["size"], h["kind"])
    age = p["age"]
    dies = (rng.random(age.size) < np.where(age >= 60, 0.02, 0.002)) & (age >= 30)
    p["death"] = np.where(dies, _ud(rng.random(age.size), _Y25, _D), _NO_DATE).astype(np.int32)
    del age, dies
    a = _attributes(rng, p, h["kind"], h["area"])
    p["public"] = (a["employment"] == 0) & (
        rng.random(p["hh"].size) < np.where(h["kind"][p["hh"]] == _K_OTHER, .01, .001))
    enr = _synthetic_enrolments(rng, p, h)
    _synthetic_money(rng, p, a, h)
    led = _synthetic_payments(rng, p, a, h, enr)
    hel, pr = _synthetic_pairings(rng, p, h, enr, n_districts)
    hel["village"] = np.asarray(v_rural_base)[hel["district"]] + rng.integers(0, n_rv, hel["type"].size)
    hel["name"] = _names(rng, hel["type"].size, rng.random(hel["type"].size) < 0.6)
    hel["unit"] = _unit_texts(hel["type"], hel["district"], hel["village"], district_names,
                              village_names, rng)

    # ---- text: each table in turn, letting go of what it was made from ---------------
    pid = _person_ids(rng, *_birth_places(rng, h["district"][p["hh"]]), p["birth"], p["male"])
    names = _names(rng, p["hh"].size, p["male"], _family_surnames(rng, p, h["kind"].size))
    tables = {"households": _households_table(hid, district_names, village_names, h)}
    h.clear()
    tables["persons"] = _persons_table(pid, hid, names, p, a)
    p.clear()
    a.clear()
    del names, hid
    tables["enrolments"], tables["payments"] = _ledger_tables(pid, enr, led)
    enr.clear()
    led.clear()
    tables["helpers"], tables["pairings"] = _helper_tables(pid, hel, pr)
    return _ordered(tables)


def _synthetic_enrolments(rng: np.random.Generator, p: dict[str, np.ndarray],
                          h: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Enrolment records of a synthetic region: patterns drawn by probability."""
    p_hh = p["hh"]
    n_p, n_h = p_hh.size, h["kind"].size
    p_kind = h["kind"][p_hh]
    on_roll = p["birth"] <= _ROLL_BIRTH_MAX
    is_head = p["rel"] == _HEAD
    r = rng.random(n_p)
    member = on_roll & (is_head | (r < np.where(p_kind == _K_RD, 0.25, 0.06)))
    rp_hh = (h["kind"] == _K_RPO) | ((h["kind"] == _K_RD) & (rng.random(n_h) < 0.35))
    base_p = np.array([.62, .12, .003, .01, .02, 0, .12, .003, .001, .004, .015, .003,
                       0, 0, .03, .006, 0, 0])
    exit_p = np.zeros(len(_PATTERNS))
    exit_p[[_PAT["EXIT25"], _PAT["EXIT25_D0"], _PAT["EXIT26"], _PAT["EXIT_D"]]] = [.5, .05, .4, .05]
    persons_l, progs_l, pats_l = [], [], []
    for prog in (_RD, _UD, _TK, _MG, _RP, -1):
        if prog == _RP:
            mask = on_roll & rp_hh[p_hh]
        elif prog < 0:  # households that left a programme
            mask = on_roll & (p_kind == _K_X) & (is_head | (r < 0.3))
        else:
            kind = {_RD: _K_RD, _UD: _K_UD, _TK: _K_TK, _MG: _K_MG}[prog]
            mask = on_roll & (p_kind == kind) & (member | (prog in (_TK, _MG)))
        who = np.flatnonzero(mask)
        if prog < 0:
            pr = np.where(h["area"][p_hh[who]] == 0, _RD, _UD)
            pat = rng.choice(len(_PATTERNS), who.size, p=exit_p)
        else:
            pr = np.full(who.size, prog)
            bp = base_p.copy()
            if prog == _TK:
                bp[_PAT["OLD_SWITCH"]] = .02
            if prog == _MG:
                bp[[_PAT["OLD_HIST"], _PAT["NEW_RESTART"], _PAT["NEW_RESTART_D0"]]] = 0
                bp[_PAT["NEW"]] = .5
            pat = rng.choice(len(_PATTERNS), who.size, p=bp / bp.sum())
        persons_l.append(who)
        progs_l.append(pr)
        pats_l.append(pat)
    del r, member, rp_hh, on_roll, is_head, p_kind
    person_i = np.concatenate(persons_l)
    prog_i = np.concatenate(progs_l)
    pat_i = np.concatenate(pats_l)
    # histories reaching back are for adults; the dead died with or without closing
    special = np.isin(pat_i, [_PAT["OLD_HIST"], _PAT["OLD_SWITCH"]])
    pat_i = np.where(special & (p["age"][person_i] < 18), _PAT["OLD"], pat_i)
    dead = p["death"][person_i] != _NO_DATE
    pat_i = np.where(dead, np.where(rng.random(pat_i.size) < 0.3, _PAT["DIED_OPEN"],
                                    _PAT["DIED_CLOSED"]), pat_i)
    central = rng.random(person_i.size) < 0.6
    u = rng.random((n_h, 3))[p_hh[person_i]]
    return _enrolment_rows(person_i, prog_i, pat_i, u, p["birth"][person_i].astype(np.int64),
                           p["death"][person_i].astype(np.int64), central)


def _household_assets(rng: np.random.Generator, h: dict[str, np.ndarray], p_hh: np.ndarray,
                      n_alive: np.ndarray, y: np.ndarray, a: dict[str, np.ndarray],
                      housing_safe: np.ndarray | float) -> None:
    """Income (from monthly per-capita ``y``), medical spending, vehicle, business and the
    two safety flags of every household (shared by the sample and the synthetic regions)."""
    n_h = h["kind"].size
    ill_hh = np.bincount(p_hh[a["chronic"] | a["major"]], minlength=n_h) > 0
    h["income"], h["spending"] = _household_money(rng, y, np.maximum(n_alive, 1), ill_hh, h["kind"])
    h["income"] = np.where(n_alive > 0, h["income"], 0)
    h["y"] = np.where(n_alive > 0, h["income"] / 100 / np.maximum(n_alive, 1) / 12, 0.0)
    h["vehicle"] = rng.random(n_h) < np.where(h["kind"] == _K_OTHER, 0.06, 0.01)
    h["business"] = rng.random(n_h) < np.where(h["kind"] == _K_OTHER, 0.05, 0.008)
    h["housing"] = rng.random(n_h) < housing_safe
    h["water"] = rng.random(n_h) < 0.97


def _synthetic_money(rng: np.random.Generator, p: dict[str, np.ndarray], a: dict[str, np.ndarray],
                     h: dict[str, np.ndarray]) -> None:
    """Income, spending, assets and causes of the households of a synthetic region."""
    n_h = h["kind"].size
    p_hh = p["hh"]
    n_alive = np.bincount(p_hh[p["death"] == _NO_DATE], minlength=n_h)
    y = _monthly_income(rng, h["kind"], h["area"])
    _household_assets(rng, h, p_hh, n_alive, y, a, 0.95)
    h["main_cause"], h["cause_mask"] = a.pop("main_cause"), a.pop("cause_mask")


def _synthetic_payments(rng: np.random.Generator, p: dict[str, np.ndarray], a: dict[str, np.ndarray],
                        h: dict[str, np.ndarray], enr: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Quarterly payments of the standing programmes and random ad-hoc payments."""
    p_hh = p["hh"]
    n_p = p_hh.size
    parts = [_standing_payments(enr, p_hh, h["area"], h["y"], h["district"], a, step=3)]
    p_kind = h["kind"][p_hh]
    alive = p["death"] == _NO_DATE
    tracked = alive & (p["age"] >= 18) & (p_kind != _K_OTHER)
    is_head = p["rel"] == _HEAD
    for year in (2025, 2026):
        lo, hi = (_Y25, _D0) if year == 2025 else (_Y26, _D)
        for prog, pool, share, cents_lo, cents_hi, step in (
                (_TEMP, tracked & is_head, .03, 2, 16, 10_000),
                (_MED, tracked & (a["major"] | a["chronic"]), .01, 10, 150, 10_000),
                (_DON, tracked, .04, 6, 31, 1_000),
                (_HOL, tracked & is_head & np.isin(p_kind, (_K_RD, _K_UD, _K_TK, _K_RPO)), .35, 2, 6,
                 10_000),
                (_PROJ, tracked & is_head & (a["labor"] < 2), .02, 4, 21, 50_000),
                (_EDU, alive & (a["employment"] == 4) & (p_kind != _K_OTHER), .08, 5, 51, 10_000),
                (_ONE, tracked & is_head, .01, 5, 31, 10_000)):
            who = np.flatnonzero(pool & (rng.random(n_p) < share))
            parts.append(_pay(who, prog, _ud(rng.random(who.size), lo, hi),
                              rng.integers(cents_lo, cents_hi, who.size) * step))
    del p_kind, alive, tracked, is_head
    return _ledger(rng, parts)


def _synthetic_pairings(rng: np.random.Generator, p: dict[str, np.ndarray], h: dict[str, np.ndarray],
                        enr: dict[str, np.ndarray], n_districts: int
                        ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Helpers per district (about one per three registered poor) and one pairing per
    registered poor person, with the household's helper; some earlier pairings."""
    p_hh = p["hh"]
    first_start, last_end = _first_start_last_end(enr, _RP, p_hh.size)
    paired = np.flatnonzero(first_start != _NO_DATE)
    rp_start = first_start[paired]
    d = h["district"][p_hh[paired]]
    per_d = np.bincount(d, minlength=n_districts)
    n_hel_d = np.maximum(6, np.ceil(per_d / 3).astype(np.int64))
    hel_district = np.repeat(np.arange(n_districts), n_hel_d)
    n_hel = hel_district.size
    hel_type = np.concatenate([np.arange(k) % 6 for k in n_hel_d])
    base = np.cumsum(n_hel_d) - n_hel_d
    hh_u = rng.random(h["kind"].size)[p_hh[paired]]  # one helper per household
    helper = base[d] + (hh_u * n_hel_d[d]).astype(np.int64)
    start = _ud(rng.random(paired.size), np.maximum(rp_start, _day("2016-03-01")),
                np.maximum(rp_start, _D0))
    start = np.where(rp_start > _D0, _ud(rng.random(paired.size), rp_start, _D), start)
    death = p["death"][paired].astype(np.int64)
    stop = np.where(death == _NO_DATE, last_end[paired], death)
    start = np.where(stop != _NO_DATE, np.minimum(start, stop - 1), start)
    hist = rng.random(paired.size) < 0.1
    other = base[d] + ((hh_u * n_hel_d[d]).astype(np.int64) + 1) % n_hel_d[d]
    h_start = _ud(rng.random(paired.size), _day("2017-01-01"), _day("2023-12-31"))
    pr = {
        "helper": np.concatenate([helper, other[hist]]),
        "person": np.concatenate([paired, paired[hist]]),
        "start": np.concatenate([start, h_start[hist]]),
        "end": np.concatenate([stop, _ud(rng.random(int(hist.sum())), _Y25, _D0)]),
    }
    active = (pr["end"] == _NO_DATE) | (pr["end"] > _D)
    load = np.bincount(pr["helper"][active], minlength=n_hel)
    hel = {"type": hel_type, "district": hel_district, "capacity": load + rng.integers(1, 5, n_hel)}
    return hel, pr


# ============================================================================ writing


def write_region(tables: Mapping[str, pd.DataFrame], out_dir: str | Path,
                 fmt: str = "csv") -> dict[str, Path]:
    """Write a region folder: one file per table, named after the table.

    Parameters
    ----------
    tables : mapping of str to pandas.DataFrame
        Tables by name, e.g. from :func:`sample_tables`.
    out_dir : str or pathlib.Path
        Folder to write into (created if missing; files of the same name are replaced).
    fmt : {"csv", "parquet"}, default "csv"
        ``csv``: canonical UTF-8 without BOM, ``\\n`` line endings, a header row, an
        empty field for a missing value, quotes only where a value needs them (the
        bytes pandas' ``to_csv`` writes). ``parquet``: every column as text
        (identifiers stay text), a missing value as null. Both are deterministic: the
        same tables give byte-identical files.

    Returns
    -------
    dict of str to pathlib.Path
        The file written for each table.

    Examples
    --------
    >>> import tempfile
    >>> from reliefkit.sample.generator import sample_tables, write_region
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     paths = write_region(sample_tables(), folder)
    ...     [p.name for p in paths.values()]
    ['households.csv', 'persons.csv', 'enrolments.csv', 'payments.csv', 'helpers.csv', 'pairings.csv']
    """
    if fmt not in ("csv", "parquet"):
        raise ValueError(f"unknown format {fmt!r}: use 'csv' or 'parquet'")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for name, frame in tables.items():
        path = out / f"{name}.{fmt}"
        if fmt == "csv":
            _write_csv(frame, path)
        else:
            _write_parquet(frame, path)
        written[name] = path
    return written


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Canonical CSV: through Arrow's writer when every column is text that needs no
    quoting (fast, and byte for byte what pandas writes), otherwise through pandas."""
    names = [str(c) for c in frame.columns]
    plain = not any(ch in name for name in names for ch in ',"\r\n')
    if plain and all(pd.api.types.is_string_dtype(frame[c]) for c in frame.columns):
        header = ",".join(names)
        try:
            import pyarrow as pa
            import pyarrow.csv as pcsv

            table = pa.Table.from_pandas(frame, preserve_index=False)
            with pa.OSFile(str(path), "wb") as sink:
                sink.write((header + "\n").encode("utf-8"))
                pcsv.write_csv(table, sink, pcsv.WriteOptions(include_header=False,
                                                               quoting_style="none"))
            return
        except (ImportError, ValueError):  # no pyarrow, or a value that needs quotes
            pass  # pyarrow.ArrowInvalid is a ValueError
    with open(path, "w", encoding="utf-8", newline="") as fh:
        frame.to_csv(fh, index=False, lineterminator="\n", na_rep="")


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    arrays = []
    for col in frame.columns:
        arr = pa.array(frame[col].astype("str"), type=pa.large_string(), from_pandas=True)
        arrays.append(pc.if_else(pc.equal(arr, ""), pa.scalar(None, pa.large_string()), arr))
    table = pa.Table.from_arrays(arrays, names=[str(c) for c in frame.columns])
    pq.write_table(table, path)


def write_sample_region(out_dir: str | Path, seed: int = 2026) -> dict[str, Path]:
    """Write the sample region (:func:`sample_tables`) as canonical CSV files.

    Parameters
    ----------
    out_dir : str or pathlib.Path
        Folder to write into, e.g. ``data/sample``.
    seed : int, default 2026
        Seed of the generator; the bundled region uses the default.

    Returns
    -------
    dict of str to pathlib.Path
        The file written for each table.
    """
    return write_region(sample_tables(seed), out_dir)

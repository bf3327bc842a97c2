"""Districts, villages and the identifiers of households and birth places.

Household numbers are ``DDVVSSSS`` (district, village, sequence: they start with a
zero; ``DDDDVVSSSS`` from 100 districts on); county codes are 439901-439950 for the first
50 districts, 440101-440199, 440201-440299 … (99 a prefecture) for the next 950, and
439951-439959 for persons born in another county.
"""

from __future__ import annotations

import numpy as np

from reliefkit.errors import UsageError
from reliefkit.sample.draws import segment_rank
from reliefkit.sample.encode import digit_chars

__all__ = ["MAX_DISTRICTS", "SAMPLE_DISTRICTS", "birth_places", "county_codes", "district_spec", "household_ids"]


# the sample county: (township, rural villages, urban communities, rural weight, urban weight)
SAMPLE_DISTRICTS: tuple[tuple[str, tuple[str, ...], tuple[str, ...], float, float], ...] = (
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
_COUNTY_CODE = 439900  # fictional county codes 439901-439950; 439951-439959: born elsewhere
_ELSEWHERE = np.arange(439951, 439960)
#: districts whose county code follows _COUNTY_CODE; the others take 4401xx, 4402xx, …
_FIRST_CODES = 50
#: the most districts a synthetic region has
MAX_DISTRICTS = 1000

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


def district_spec(n: int) -> tuple[list[str], list[list[str]], list[list[str]]]:
    """Names, rural villages and urban communities of ``n`` synthetic districts.

    Parameters
    ----------
    n : int
        Number of districts, 1 to :data:`MAX_DISTRICTS` (1,000).

    Returns
    -------
    names, rural, urban : list
        District names; per district, 12 village names and 4 community names.

    Raises
    ------
    ValueError
        When ``n`` is out of range.

    Examples
    --------
    >>> names, rural, urban = district_spec(2)
    >>> names, rural[0][0], urban[1][0]
    (['城关镇', '新城乡'], '东山村', '马坊社区')
    """
    if not 1 <= n <= MAX_DISTRICTS:
        raise UsageError(f"n_districts is {n}", f"ask for 1 to {MAX_DISTRICTS:,} districts",
                         function="synthetic_tables")
    names, rural, urban = [], [], []
    for i in range(n):
        stem = _DISTRICT_STEMS[i % len(_DISTRICT_STEMS)]
        suffix = ("镇", "乡", "街道")[i % 3] if i else "镇"
        names.append(stem + suffix if i < len(_DISTRICT_STEMS) else f"{stem}{i}{suffix}")
        vs = [_VILLAGE_STEMS[(i * 7 + j) % len(_VILLAGE_STEMS)] for j in range(12)]
        rural.append([v + "村" for v in vs])
        urban.append([v + "社区" for v in vs[:4]])
    return names, rural, urban


def county_codes(n_districts: int) -> np.ndarray:
    """The six-digit county code of each of ``n_districts`` districts, all distinct and
    none among those of the other counties (439951-439959): 439901 + k for the first 50,
    then 99 codes a prefecture, 440101-440199, 440201-440299, …

    Parameters
    ----------
    n_districts : int
        Number of districts, 0 to :data:`MAX_DISTRICTS`.

    Returns
    -------
    numpy.ndarray of int64

    Examples
    --------
    >>> codes = county_codes(1000)
    >>> codes[[0, 49, 50, 148, 149, 999]].tolist(), len(set(codes.tolist()))
    ([439901, 439950, 440101, 440199, 440201, 441059], 1000)
    """
    k = np.arange(n_districts, dtype=np.int64)
    later = k - _FIRST_CODES
    return np.where(k < _FIRST_CODES, _COUNTY_CODE + 1 + k, 440_000 + (later // 99 + 1) * 100 + later % 99 + 1)


def birth_places(rng: np.random.Generator, district: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """County codes (one per district, then other counties) and each person's index
    into them: nine in ten were born in the county of their district.

    Parameters
    ----------
    rng : numpy.random.Generator
        The generator.
    district : numpy.ndarray of int
        Each person's district.

    Returns
    -------
    areas, area_idx : numpy.ndarray
        The county codes, and each person's index into them.
    """
    n_districts = int(district.max(initial=0)) + 1
    areas = np.concatenate([county_codes(n_districts), _ELSEWHERE])
    elsewhere = n_districts + rng.integers(0, _ELSEWHERE.size, district.size)
    return areas, np.where(rng.random(district.size) < 0.9, district, elsewhere)


def household_ids(district: np.ndarray, village: np.ndarray,
                  local: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Order households by district and village; number them ``DDVV`` + sequence
    (district, village within the district, household within the village); the district
    takes as many digits as the last district's number needs, at least two.

    Parameters
    ----------
    district, village : numpy.ndarray of int
        Each household's district and (global) village index.
    local : numpy.ndarray of int
        Each household's village number within its district (0 for the first).

    Returns
    -------
    order, chars : numpy.ndarray
        The order of the households, and their identifiers in that order as an ASCII
        matrix.

    Examples
    --------
    >>> order, chars = household_ids(np.array([1, 0, 0]), np.array([5, 0, 0]), np.array([1, 0, 0]))
    >>> order.tolist(), chars.tobytes()
    ([1, 2, 0], b'010100010101000202020001')
    """
    # villages are numbered district by district: their order is the district order
    order = np.argsort(village.astype(np.int16 if village.max(initial=0) < 2**15 else np.int32), kind="stable")
    key = district[order] * 1000 + village[order]
    seq, _ = segment_rank(key)
    width = max(4, len(str(int(seq.max()) + 1)) if seq.size else 4)
    number = (district[order] + 1) * 100 + local[order] + 1
    district_digits = max(2, len(str(int(district.max(initial=0)) + 1)))
    chars = np.hstack([digit_chars(number, district_digits + 2), digit_chars(seq + 1, width)])
    return order, chars

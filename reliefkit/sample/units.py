"""The units helpers work for: municipal units, district organs, village committees,
talents, enterprises and unions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from reliefkit.io.schema import UNIT_TYPES
from reliefkit.sample.encode import code_text

__all__ = ["unit_texts"]


_MUNICIPAL_UNITS = ("市供销合作社", "市城市管理局", "市自然资源局", "市财政局", "市卫生健康委员会",
                    "市交通运输局", "市住房和城乡建设局", "市农业农村局", "市水利局", "市教育局")
_DISTRICT_ORGANS = ("区管委会办公室", "区民政局", "区财政局", "区人力资源和社会保障局", "区农业农村局",
                    "区司法局", "区市场监督管理局", "区应急管理局")
_TALENTS = ("种植大户", "养殖大户", "乡村医生", "退休教师", "返乡创业青年", "个体工商户")
_ENTERPRISES = ("农业科技有限公司", "建材有限公司", "食品有限公司", "物流有限公司", "中药材专业合作社")


def unit_texts(hel_type: np.ndarray, hel_district: np.ndarray, hel_village: np.ndarray,
               district_names: list[str], village_names: list[str],
               rng: np.random.Generator) -> pd.api.extensions.ExtensionArray:
    """The unit a helper works for: a municipal unit or district organ, the committee of
    a village the helper serves, or a talent, enterprise or union of the district.

    Parameters
    ----------
    hel_type, hel_district, hel_village : numpy.ndarray of int
        Each helper's unit type (index into ``UNIT_TYPES``), district and village.
    district_names, village_names : list of str
        Names of the districts and villages.
    rng : numpy.random.Generator
        The generator.

    Returns
    -------
    pandas.api.extensions.ExtensionArray
    """
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
    return code_text(labels, code)


#: unit types whose helpers work in one township (village cadres, talents, enterprises)
LOCAL_TYPES = tuple(UNIT_TYPES.index(t) for t in ("village_cadre", "social_talent", "enterprise"))


def local_district(hel_type: np.ndarray, hel_district: np.ndarray, district_names: list[str]) -> np.ndarray:
    """The ``district`` column of helpers: the township of a village cadre, a local talent
    or an enterprise; empty for the county's units, organs and unions.

    Examples
    --------
    >>> local_district(np.array([0, 2]), np.array([1, 1]), ["城关镇", "河口镇"]).tolist()
    ['', '河口镇']
    """
    names = np.asarray(district_names, dtype=object)[hel_district]
    return np.where(np.isin(hel_type, LOCAL_TYPES), names, "").astype(object)

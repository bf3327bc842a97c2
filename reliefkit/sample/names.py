"""Chinese names of persons and helpers: a surname and one or two given characters.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from reliefkit.sample.encode import rows_text
from reliefkit.sample.settings import CHILD, GRANDCHILD, HEAD, PARENT

__all__ = ["family_surnames", "person_names"]


_SURNAMES = tuple(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
)
_GIVEN_M = tuple("伟强军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆旭宁龙林国建文志海春东生福贵全荣成德才发山忠友")
_GIVEN_F = tuple("芳娜敏静丽艳娟霞秀英华慧燕玲桂兰红梅琳萍雪莉倩婷琴云洁凤珍玉彩春菊淑月")


_SURNAME_BYTES = np.frombuffer("".join(_SURNAMES).encode("utf-8"), dtype=np.uint8).reshape(-1, 3)
_GIVEN_BYTES = np.frombuffer("".join(_GIVEN_M + _GIVEN_F).encode("utf-8"),
                             dtype=np.uint8).reshape(-1, 3)


def person_names(rng: np.random.Generator, n: int, male: np.ndarray,
                 surname: np.ndarray | None = None) -> pd.api.extensions.ExtensionArray:
    """Chinese names: a surname and one or two given characters.

    Parameters
    ----------
    rng : numpy.random.Generator
        The generator.
    n : int
        Number of names.
    male : numpy.ndarray of bool
        Given names are drawn from the men's or the women's characters.
    surname : numpy.ndarray of int, optional
        Surname codes (drawn when missing).

    Returns
    -------
    pandas.api.extensions.ExtensionArray

    Examples
    --------
    >>> names = person_names(np.random.default_rng(1), 3, np.array([True, False, True]))
    >>> [len(name) in (2, 3) for name in names]
    [True, True, True]
    """
    if surname is None:
        surname = _surname_codes(rng, n)
    g_m, g_f = len(_GIVEN_M), len(_GIVEN_F)
    chars = np.empty((n, 9), dtype=np.uint8)  # every character here is 3 bytes of UTF-8
    chars[:, 0:3] = np.take(_SURNAME_BYTES, surname, axis=0)
    for col in (3, 6):
        given = np.where(male, rng.integers(0, g_m, n), g_m + rng.integers(0, g_f, n))
        chars[:, col: col + 3] = np.take(_GIVEN_BYTES, given, axis=0)
    length = np.where(rng.random(n) < 0.3, 6, 9)  # a third have a single given character
    return rows_text(chars, length)


def _surname_codes(rng: np.random.Generator, n: int) -> np.ndarray:
    w = 1.0 / (np.arange(len(_SURNAMES)) + 3.0)
    return rng.choice(len(_SURNAMES), n, p=w / w.sum())


def family_surnames(rng: np.random.Generator, p: dict[str, np.ndarray], n_h: int) -> np.ndarray:
    """Children and grandchildren carry the family surname; spouses keep their own.

    Parameters
    ----------
    rng : numpy.random.Generator
        The generator.
    p : dict of str to numpy.ndarray
        Person columns by name (``hh``: the row of the person's household).
    n_h : int
        Number of households.

    Returns
    -------
    numpy.ndarray of int
        A surname code per person.
    """
    family = _surname_codes(rng, n_h)
    own = _surname_codes(rng, p["hh"].size)
    rel = p["rel"]
    fam = family[p["hh"]]
    keep = (rel == CHILD) | (rel == GRANDCHILD) | ((rel == HEAD) & p["male"]) | (
        (rel == PARENT) & p["male"] & p["head_male"][p["hh"]])
    return np.where(keep, fam, own)

"""Household money: per-capita income by what the household is tracked for, annual
income, medical spending, assets and the two safety flags.
"""

from __future__ import annotations

import numpy as np

from reliefkit.sample.settings import K_LEAK, K_MG, K_OTHER, K_RD, K_RPO, K_TK, K_UD, K_X

__all__ = ["household_assets", "monthly_income"]


def monthly_income(rng: np.random.Generator, kind: np.ndarray, area: np.ndarray) -> np.ndarray:
    """Per-capita monthly income (yuan) by what the household is tracked for.

    Parameters
    ----------
    rng : numpy.random.Generator
        The generator.
    kind : numpy.ndarray of int
        Each household's kind (``K_RD`` ... ``K_OTHER``).
    area : numpy.ndarray of int
        0 rural, 1 urban.

    Returns
    -------
    numpy.ndarray of float
    """
    n = kind.size
    r = rng.random(n)
    rural = area == 0
    lo = np.select(
        [kind == K_RD, kind == K_UD, kind == K_TK, kind == K_MG, kind == K_RPO,
         kind == K_X, kind == K_LEAK],
        [15, 20, 0, np.where(rural, 152, 212), 170, 120, np.where(rural, 30, 40)], 0)
    hi = np.select(
        [kind == K_RD, kind == K_UD, kind == K_TK, kind == K_MG, kind == K_RPO,
         kind == K_X, kind == K_LEAK],
        [140, 200, 90, np.where(rural, 220, 310), 650, 600, np.where(rural, 140, 200)], 0)
    y = lo + (hi - lo) * r
    other = np.exp(np.log(260) + (np.log(3000) - np.log(260)) * r)
    return np.where(kind == K_OTHER, other, y)


def _household_money(rng: np.random.Generator, y: np.ndarray, n_alive: np.ndarray,
                     ill: np.ndarray, kind: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Annual income and out-of-pocket medical spending, in cents (-1: empty)."""
    income = np.round(y * n_alive * 12).astype(np.int64) * 100
    n = y.size
    spend = np.where(ill, np.exp(rng.normal(9.2, 0.8, n)), np.exp(rng.normal(6.5, 1.0, n)))
    spend = np.round(spend, 2)
    cents = np.round(spend * 100).astype(np.int64)
    cents = np.where((kind == K_OTHER) & (rng.random(n) < 0.1), -1, cents)
    return income, cents


def household_assets(rng: np.random.Generator, h: dict[str, np.ndarray], p_hh: np.ndarray,
                     n_alive: np.ndarray, y: np.ndarray, a: dict[str, np.ndarray],
                     housing_safe: np.ndarray | float) -> None:
    """Income (from monthly per-capita ``y``), medical spending, vehicle, business and the
    two safety flags of every household (shared by the sample and the synthetic regions).

    Parameters
    ----------
    rng : numpy.random.Generator
        The generator.
    h : dict of str to numpy.ndarray
        Household columns by name. Gains ``income``, ``spending``, ``y``, ``vehicle``, ``business``,
        ``housing`` and ``water``.
    p_hh : numpy.ndarray of int
        Each person's household.
    n_alive : numpy.ndarray of int
        Living members per household.
    y : numpy.ndarray of float
        Per-capita monthly income.
    a : dict of str to numpy.ndarray
        Person attributes (see :func:`reliefkit.sample.people.attributes`).
    housing_safe : float or numpy.ndarray
        Probability that the housing is safe.

    Returns
    -------
    None
    """
    n_h = h["kind"].size
    ill_hh = np.bincount(p_hh[a["chronic"] | a["major"]], minlength=n_h) > 0
    h["income"], h["spending"] = _household_money(rng, y, np.maximum(n_alive, 1), ill_hh, h["kind"])
    h["income"] = np.where(n_alive > 0, h["income"], 0)
    h["y"] = np.where(n_alive > 0, h["income"] / 100 / np.maximum(n_alive, 1) / 12, 0.0)
    h["vehicle"] = rng.random(n_h) < np.where(h["kind"] == K_OTHER, 0.06, 0.01)
    h["business"] = rng.random(n_h) < np.where(h["kind"] == K_OTHER, 0.05, 0.008)
    h["housing"] = rng.random(n_h) < housing_safe
    h["water"] = rng.random(n_h) < 0.97

"""One rule per standing programme: who is eligible and what they receive (numpy only).

Each rule takes the prepared per-household arrays (:class:`~reliefkit.simulate.prepared.Prepared`)
and the parameter values in force on D, already resolved by the policy (a value that
changes on a date is the one in force on D: no rule looks at the year), and returns its
per-household arrays, named as :class:`~reliefkit.simulate.simulation.Simulation` holds them.

The minimum living allowance (:func:`dibao`) is the contract's reference calculation (``docs/en/schemes.md``),
to the letter: ``z`` = the rural or urban line in force on D, eligible when ``y < z`` and
no vehicle and no member alive on D is a public employee, monthly benefit
``(z − y) × n``, income after ``max(y, z)`` for an eligible household.

The other standing programmes follow ``reliefkit/policy/baseline.yaml``; the choices the
data contract leaves open are written here:

- :func:`tekun` (special hardship): a possible special-hardship person (see
  :mod:`reliefkit.simulate.prepared`) aged ``tekun.min_age`` or more, or under
  ``tekun.child_age``, or with disability grade 1 … ``tekun.max_disability_grade``; the
  household passes the asset test and its ``y`` is below the basic standard
  ``tekun.basic_ratio × z``. Monthly standard: basic standard + care supplement by
  self-care tier (``tekun.care.able`` / ``partial`` / ``unable``) + the centralized
  supplement when the person's active tekun enrolment on D is ``centralized``. A
  special-hardship person's share of the minimum living allowance ``z − y`` is already in
  ``dibao``; ``tekun`` holds the rest of the standard, so no one is paid twice.
- :func:`marginal`: not eligible for dibao, passes the asset test, ``z ≤ y <
  marginal.income_ratio × z``; receives ``marginal.allowance × n`` a month.
- :func:`temporary`: ``main_cause`` in ``temporary.causes`` and ``y <
  temporary.income_ratio × z``; once a year ``min(temporary.months × z × n, temporary.cap)``.
- :func:`medical`: by class (:func:`medical_class`: ``tekun`` if a member is a
  special-hardship case, else ``dibao`` if eligible, else ``marginal``): ``min(cap, share
  × max(0, medical_spending − deductible))`` a year (missing spending counts as 0).

Examples
--------
>>> import numpy as np
>>> out = dibao(np.array([50.0, 150.0]), np.array([2, 1]), np.array([100.0, 100.0]), np.array([False, False]))
>>> out["dibao"].tolist(), out["y_after"].tolist()
([100.0, 0.0], [100.0, 150.0])
"""

from __future__ import annotations

import numpy as np

__all__ = ["dibao", "tekun", "marginal", "temporary", "medical_class", "medical", "MEDICAL_CLASSES", "CARE_TIERS"]

#: the classes of the medical assistance, in the order of their codes
MEDICAL_CLASSES = ("none", "marginal", "dibao", "tekun")
#: the self-care tiers of the tekun care supplement, in the order of their codes
CARE_TIERS = ("able", "partial", "unable")


def dibao(y: np.ndarray, n: np.ndarray, line: np.ndarray, blocked: np.ndarray) -> dict[str, np.ndarray]:
    """The minimum living allowance (DATA.md's reference calculation).

    Parameters
    ----------
    y, n : numpy.ndarray
        Per household: per-capita monthly income, members alive on D.
    line : numpy.ndarray
        Per household: the line ``z`` in force on D for its area.
    blocked : numpy.ndarray
        Per household: fails the asset test.

    Returns
    -------
    dict of str to numpy.ndarray
        ``poor`` (``y < z``), ``eligible``, ``dibao`` (monthly ``(z − y) × n``) and
        ``y_after`` (``max(y, z)`` when eligible, else ``y``).

    Examples
    --------
    >>> from reliefkit.region.region import load_region
    >>> from reliefkit.simulate.prepared import prepare
    >>> p = prepare(load_region("data/sample"), 2026)
    >>> out = dibao(p.y, p.n, np.where(p.rural, 150.0, 230.0), p.blocked)
    >>> bool((out["y_after"] >= p.y).all()), bool((out["eligible"] <= out["poor"]).all())
    (True, True)
    """
    poor = y < line
    eligible = poor & ~blocked
    benefit = np.where(eligible, (line - y) * n, 0.0)
    y_after = np.where(eligible, np.maximum(y, line), y)
    return {"poor": poor, "eligible": eligible, "dibao": benefit, "y_after": y_after}


def tekun(person_household: np.ndarray, age: np.ndarray, grade: np.ndarray, tier: np.ndarray,
          centralized: np.ndarray, *, y: np.ndarray, line: np.ndarray, blocked: np.ndarray,
          eligible: np.ndarray, households: int, basic_ratio: float, min_age: float, child_age: float,
          max_disability_grade: float, care: tuple[float, float, float],
          centralized_supplement: float) -> dict[str, np.ndarray]:
    """Special hardship, person by person (only the possible cases), summed per household.

    Parameters
    ----------
    person_household, age, grade, tier, centralized : numpy.ndarray
        Per possible special-hardship person: household position, age on D, disability
        grade (0 unknown), care tier (index into :data:`CARE_TIERS`), centralized support.
    y, line, blocked, eligible : numpy.ndarray
        Per household: income, line, fails the asset test, eligible for dibao.
    households : int
        How many households (the length of the results).
    basic_ratio, min_age, child_age, max_disability_grade, care, centralized_supplement
        ``tekun.*`` in force on D (``care``: able, partial, unable).

    Returns
    -------
    dict of str to numpy.ndarray
        Per household: ``tekun_persons`` (special-hardship members) and ``tekun`` (monthly,
        beyond the dibao share).

    Examples
    --------
    >>> from reliefkit.region.region import load_region
    >>> from reliefkit.simulate.prepared import prepare
    >>> p = prepare(load_region("data/sample"), 2026)
    >>> z = np.where(p.rural, 150.0, 230.0)
    >>> out = tekun(p.hardship_household, p.hardship_age, p.hardship_grade, p.hardship_tier,
    ...             p.hardship_centralized, y=p.y, line=z, blocked=p.blocked, eligible=z > p.y,
    ...             households=p.households, basic_ratio=1.3, min_age=60, child_age=16,
    ...             max_disability_grade=2, care=(0.0, 300.0, 600.0), centralized_supplement=100.0)
    >>> bool((out["tekun"] >= 0).all()), len(out["tekun_persons"]) == p.households
    (True, True)
    """
    home = person_household
    basic_standard = basic_ratio * line
    in_category = (age >= min_age) | (age < child_age) | ((grade >= 1) & (grade <= max_disability_grade))
    is_case = in_category & ~blocked[home] & (y[home] < basic_standard[home])
    care_supplement = np.array(care, dtype="float64")[tier]
    standard = basic_standard[home] + care_supplement + np.where(centralized, centralized_supplement, 0.0)
    dibao_share = np.where(eligible[home], line[home] - y[home], 0.0)
    beyond_dibao = np.where(is_case, np.maximum(0.0, standard - dibao_share), 0.0)
    return {"tekun_persons": np.bincount(home[is_case], minlength=households),
            "tekun": np.bincount(home, weights=beyond_dibao, minlength=households)}


def marginal(y: np.ndarray, n: np.ndarray, line: np.ndarray, blocked: np.ndarray, eligible: np.ndarray, *,
             income_ratio: float, allowance: float) -> dict[str, np.ndarray]:
    """The marginal-poverty allowance: just above the line, not eligible for dibao.

    Parameters
    ----------
    y, n, line, blocked, eligible : numpy.ndarray
        Per household: income, members, line, fails the asset test, eligible for dibao.
    income_ratio, allowance : float
        ``marginal.income_ratio`` and ``marginal.allowance`` in force on D.

    Returns
    -------
    dict of str to numpy.ndarray
        ``marginal_eligible`` and ``marginal`` (monthly ``allowance × n``).

    Examples
    --------
    >>> out = marginal(np.array([90.0, 120.0, 200.0]), np.array([1, 2, 1]), np.array([100.0] * 3),
    ...                np.array([False] * 3), np.array([True, False, False]), income_ratio=1.5, allowance=30)
    >>> out["marginal"].tolist()
    [0.0, 60.0, 0.0]
    """
    eligible_here = ~eligible & ~blocked & (y >= line) & (y < income_ratio * line)
    return {"marginal_eligible": eligible_here, "marginal": np.where(eligible_here, allowance * n, 0.0)}


def temporary(y: np.ndarray, n: np.ndarray, line: np.ndarray, shock: np.ndarray, *, income_ratio: float,
              months: float, cap: float) -> dict[str, np.ndarray]:
    """Temporary assistance after a shock, once a year.

    Parameters
    ----------
    y, n, line : numpy.ndarray
        Per household: income, members, line.
    shock : numpy.ndarray
        Per household: the main cause is one of ``temporary.causes``.
    income_ratio, months, cap : float
        ``temporary.income_ratio``, ``temporary.months`` and ``temporary.cap`` in force on D.

    Returns
    -------
    dict of str to numpy.ndarray
        ``temporary_eligible`` and ``temporary`` (yearly ``min(months × z × n, cap)``).

    Examples
    --------
    >>> out = temporary(np.array([50.0, 50.0]), np.array([3, 1]), np.array([100.0, 100.0]),
    ...                 np.array([True, False]), income_ratio=1.5, months=3, cap=800)
    >>> out["temporary"].tolist()
    [800.0, 0.0]
    """
    eligible_here = shock & (y < income_ratio * line)
    return {"temporary_eligible": eligible_here,
            "temporary": np.where(eligible_here, np.minimum(months * line * n, cap), 0.0)}


def medical_class(tekun_persons: np.ndarray, eligible: np.ndarray, marginal_eligible: np.ndarray) -> np.ndarray:
    """The medical-assistance class of each household, as an index into :data:`MEDICAL_CLASSES`.

    Parameters
    ----------
    tekun_persons, eligible, marginal_eligible : numpy.ndarray
        Per household: special-hardship members, eligible for dibao, for the marginal allowance.

    Returns
    -------
    numpy.ndarray
        3 (tekun) if a member is a special-hardship case, else 2 (dibao) if eligible,
        else 1 (marginal) if eligible for it, else 0 (none).

    Examples
    --------
    >>> medical_class(np.array([1, 0, 0, 0]), np.array([True, True, False, False]),
    ...               np.array([False, False, True, False])).tolist()
    [3, 2, 1, 0]
    """
    return np.where(tekun_persons > 0, 3, np.where(eligible, 2, np.where(marginal_eligible, 1, 0)))


def medical(spending: np.ndarray, classes: np.ndarray, *, share: np.ndarray, deductible: np.ndarray,
            cap: np.ndarray) -> dict[str, np.ndarray]:
    """Medical assistance a year, by class.

    Parameters
    ----------
    spending : numpy.ndarray
        Per household: yearly out-of-pocket medical spending (missing → 0).
    classes : numpy.ndarray
        Per household: the class (:func:`medical_class`).
    share, deductible, cap : numpy.ndarray
        Per class of :data:`MEDICAL_CLASSES`: ``medical.<class>.*`` in force on D (0 for ``none``).

    Returns
    -------
    dict of str to numpy.ndarray
        ``medical_class`` and ``medical`` (yearly ``min(cap, share × max(0, spending − deductible))``).

    Examples
    --------
    >>> out = medical(np.array([1000.0, 1000.0]), np.array([2, 0]), share=np.array([0.0, 0.5, 0.7, 0.9]),
    ...               deductible=np.array([0.0, 200.0, 100.0, 0.0]), cap=np.array([0.0, 1e4, 1e4, 1e4]))
    >>> out["medical"].tolist()
    [630.0, 0.0]
    """
    amount = np.minimum(cap[classes], share[classes] * np.maximum(0.0, spending - deductible[classes]))
    return {"medical_class": classes, "medical": amount}

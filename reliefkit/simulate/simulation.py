"""Simulate a region under a policy: per household, eligibility and benefit per programme.

Two steps, so that comparing schemes, sweeping lines and breaking figures down never
repeats per-household work:

1. :func:`reliefkit.simulate.prepared.prepare` (policy-independent, cached per region and
   year) keeps, per household alive on D, the arrays every rule needs
   (:class:`~reliefkit.simulate.prepared.Prepared`).
2. :func:`simulate` resolves the parameters of one policy (a scheme over the region's
   policy) on D and composes the programme rules of :mod:`reliefkit.simulate.rules` over
   those arrays: numpy only, no per-row Python.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Mapping

import numpy as np
import pandas as pd

from reliefkit.errors import UsageError
from reliefkit.policy.parameters import LINE_PARAMETERS, Policy
from reliefkit.policy.schemes import BASELINE_NAME, Scheme
from reliefkit.simulate import rules
from reliefkit.simulate.prepared import Prepared, prepare
from reliefkit.simulate.rules import CARE_TIERS, MEDICAL_CLASSES

if TYPE_CHECKING:  # pragma: no cover
    from reliefkit.region.region import Region

__all__ = ["Simulation", "simulate", "evaluate"]


@dataclass(frozen=True, eq=False, repr=False)
class Simulation:
    """One scheme applied to one region: per-household arrays (aligned with ``prepared``).

    Attributes
    ----------
    name : str
        The scheme's name (``"baseline"`` for the policy as it is).
    prepared : Prepared
        The prepared region.
    policy : Policy
        The policy simulated (the scheme over the region's policy).
    arrays : Mapping[str, numpy.ndarray]
        Per household: ``z``, ``poor`` (y < z), ``eligible``, ``dibao`` (monthly),
        ``y_after`` (``max(y, z)`` when eligible, else ``y``), ``tekun_persons``,
        ``tekun`` (monthly), ``marginal_eligible``, ``marginal`` (monthly),
        ``temporary_eligible``, ``temporary`` (yearly), ``medical_class`` (index into
        ``MEDICAL_CLASSES``), ``medical`` (yearly), ``transfers_year`` (every programme,
        yearly) and ``y_after_all`` (per-capita monthly income after every programme).

    Examples
    --------
    >>> from reliefkit.region.region import load_region
    >>> sim = simulate(load_region("data/sample"), 2026)
    >>> sim.name, sim.lines
    ('baseline', {'rural': 150, 'urban': 210})
    """

    name: str
    prepared: Prepared
    policy: Policy
    arrays: Mapping[str, np.ndarray] = field(default_factory=dict)

    def __getitem__(self, key: str) -> np.ndarray:
        return self.arrays[key]

    @property
    def lines(self) -> dict[str, float]:
        """The two minimum-living lines in force on D."""
        day = self.prepared.day.date()
        return {area: self.policy.value(path, day) for area, path in LINE_PARAMETERS.items()}

    def table(self) -> pd.DataFrame:
        """The per-household table (one row per household alive on D).

        Returns
        -------
        pandas.DataFrame
            The prepared columns (ids, district, area, cause, size, income, decile,
            asset test, registry) and every array of the simulation.

        Examples
        --------
        >>> from reliefkit.region.region import load_region
        >>> sim = simulate(load_region("data/sample"), 2026)
        >>> sim.table().columns[:6].tolist()
        ['household_id', 'district', 'area', 'main_cause', 'n', 'annual_income']
        """
        prepared = self.prepared
        frame = pd.DataFrame({
            "household_id": prepared.household_id,
            "district": pd.Categorical.from_codes(prepared.district, prepared.districts),
            "area": np.where(prepared.rural, "rural", "urban"),
            "main_cause": prepared.main_cause,
            "n": prepared.n,
            "annual_income": prepared.income,
            "y": prepared.y,
            "decile": prepared.decile,
            "blocked": prepared.blocked,
            "registry": prepared.registry,
        })
        for key, values in self.arrays.items():
            frame[key] = values
        frame["medical_class"] = pd.Categorical.from_codes(self.arrays["medical_class"], MEDICAL_CLASSES)
        return frame

    def __repr__(self) -> str:
        eligible = self.arrays["eligible"]
        return (f"<Simulation {self.name!r} {self.prepared.year}: {int(eligible.sum()):,} of "
                f"{self.prepared.households:,} households eligible for dibao, lines {self.lines}>")


def simulate(region: Region | Prepared, year: int | None = None, scheme: Scheme | None = None, *,
             policy: Policy | None = None) -> Simulation:
    """Simulate every standing programme for each household under a scheme.

    Parameters
    ----------
    region : Region or Prepared
        The region (prepared and cached on first use) or its already prepared arrays.
    year : int
        Y (D = 31 December of Y); not needed when ``region`` is prepared.
    scheme : Scheme, optional
        Values set over the policy (default: none — the baseline).
    policy : Policy, optional
        The policy the scheme applies over (default: the region's policy).

    Returns
    -------
    Simulation

    Examples
    --------
    >>> from reliefkit.region.region import load_region
    >>> from reliefkit.policy.schemes import scheme_from_mapping
    >>> region = load_region("data/sample")
    >>> base = simulate(region, 2026)
    >>> higher = simulate(region, 2026, scheme_from_mapping({"name": "r180", "set": {"rural_dibao.line": 180}}))
    >>> bool(higher["dibao"].sum() >= base["dibao"].sum())
    True
    """
    if isinstance(region, Prepared):
        prepared = region
    else:
        if year is None:
            raise UsageError("needs the year of the figures when given a Region",
                             "call simulate(region, year, …), or pass a Prepared region", function="simulate")
        prepared = prepare(region, year)
    policy = policy if policy is not None else prepared.policy
    name = BASELINE_NAME
    if scheme is not None:
        policy = scheme.apply(policy)
        name = scheme.name
    return Simulation(name, prepared, policy, MappingProxyType(evaluate(prepared, policy)))


def _values(policy: Policy, day: dt.date, prefix: str, names: tuple[str, ...]) -> dict[str, Any]:
    """``{name: policy value of "prefix.name" on day}``."""
    return {name: policy.value(f"{prefix}.{name}", day) for name in names}


def evaluate(prepared: Prepared, policy: Policy) -> dict[str, np.ndarray]:
    """The per-household arrays of :class:`Simulation`: every rule under ``policy`` on D.

    Parameters
    ----------
    prepared : Prepared
        The prepared region.
    policy : Policy
        The policy whose values in force on D the rules apply.

    Returns
    -------
    dict of str to numpy.ndarray
        The arrays listed in :class:`Simulation`, in that order.

    Examples
    --------
    >>> from reliefkit.region.region import load_region
    >>> region = load_region("data/sample")
    >>> arrays = evaluate(prepare(region, 2026), region.policy)
    >>> list(arrays)[:5]
    ['z', 'poor', 'eligible', 'dibao', 'y_after']
    """
    day = prepared.day.date()
    line_rural = policy.value(LINE_PARAMETERS["rural"], day)
    line_urban = policy.value(LINE_PARAMETERS["urban"], day)
    y, n, blocked = prepared.y, prepared.n, prepared.blocked
    line = np.where(prepared.rural, float(line_rural), float(line_urban))
    dibao = rules.dibao(y, n, line, blocked)
    eligible = dibao["eligible"]

    tekun_values = _values(policy, day, "tekun", ("basic_ratio", "min_age", "child_age", "max_disability_grade"))
    care = tuple(policy.value(f"tekun.care.{tier}", day) for tier in CARE_TIERS)
    supplement = policy.value("tekun.centralized_supplement", day)
    tekun = rules.tekun(prepared.hardship_household, prepared.hardship_age, prepared.hardship_grade,
                        prepared.hardship_tier, prepared.hardship_centralized, y=y, line=line, blocked=blocked,
                        eligible=eligible, households=prepared.households, care=care,
                        centralized_supplement=supplement, **tekun_values)

    marginal = rules.marginal(y, n, line, blocked, eligible,
                              **_values(policy, day, "marginal", ("income_ratio", "allowance")))

    temporary_values = _values(policy, day, "temporary", ("income_ratio", "causes", "months", "cap"))
    shock = prepared.shock(temporary_values.pop("causes"))
    temporary = rules.temporary(y, n, line, shock, **temporary_values)

    classes = rules.medical_class(tekun["tekun_persons"], eligible, marginal["marginal_eligible"])
    by_class = {key: np.zeros(len(MEDICAL_CLASSES)) for key in ("share", "deductible", "cap")}
    for code, medical_class in enumerate(MEDICAL_CLASSES[1:], start=1):
        for key, values in by_class.items():
            values[code] = policy.value(f"medical.{medical_class}.{key}", day)
    medical = rules.medical(prepared.medical_spending, classes, **by_class)

    others_year = 12 * (tekun["tekun"] + marginal["marginal"]) + temporary["temporary"] + medical["medical"]
    return {
        "z": line, **dibao, **tekun, **marginal, **temporary, **medical,
        "transfers_year": 12 * dibao["dibao"] + others_year,
        "y_after_all": dibao["y_after"] + others_year / n / 12,
    }

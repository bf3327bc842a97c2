"""The policy-independent arrays of a region on one day, prepared once per region and year.

:func:`prepare` follows the Region's row links (persons → households, enrolments →
persons; found once while validating) and keeps, per household alive on D (31 December
of Y), what every programme rule needs: size ``n``, per-capita monthly income ``y``,
asset-test flags, who the actual registry pays, the income decile and the few persons
who could be special-hardship cases. Comparing schemes, sweeping lines and breaking
figures down reuse these arrays (:class:`Prepared`, cached per region and year), so no
per-household work is ever repeated.

- ``n`` = members alive on D (a household with none is left out);
  ``y = annual_income / n / 12``; unknown booleans (NA) count as False.
- The asset test fails (``blocked``) with a vehicle or a member alive on D who is a
  public employee.
- The actual registry "pays" a household when a member alive on D has an enrolment in
  ``rural_dibao`` or ``urban_dibao`` active on D (:func:`reliefkit.region.days.active_on`).
- Possible special-hardship cases (``hardship_*``): persons alive on D with labour ability
  ``none`` in a household with no member alive on D of ``full`` or ``partial`` labour
  ability; their self-care tier is ``unable`` for disability grade 1–2, ``partial`` for
  grade 3–4 or a major illness, ``able`` otherwise.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Iterable

import numpy as np
import pandas as pd

from reliefkit import _arrow
from reliefkit.policy.parameters import Policy
from reliefkit.region.days import active_on, alive_on, year_end

if TYPE_CHECKING:  # pragma: no cover
    from reliefkit.region.region import Region

__all__ = ["Prepared", "prepare", "argsort_values", "DIBAO_PROGRAMS", "NO_CAUSE"]

#: the programmes whose active enrolments make the actual registry pay a household
DIBAO_PROGRAMS = ("rural_dibao", "urban_dibao")
#: the main cause of a household whose cause is missing
NO_CAUSE = "(none)"


# --------------------------------------------------------------------------- column helpers
def _flag(values: pd.Series) -> np.ndarray:
    """A boolean column as a numpy bool array; unknown (NA) counts as False."""
    if values.dtype == bool:
        return values.to_numpy()
    return values.astype("boolean").fillna(False).to_numpy(dtype=bool)


def _equals(values: pd.Series, code: str | tuple[str, ...]) -> np.ndarray:
    """Boolean mask: ``values`` equal to ``code`` (or to one of several); NA is False."""
    import pyarrow.compute as pc

    codes = (code,) if isinstance(code, str) else code
    if values.dtype != "str" or not len(values):
        return values.isin(codes).to_numpy(dtype=bool)
    arr = _arrow.arrow(values)
    mask = pc.equal(arr, codes[0])
    for other in codes[1:]:
        mask = pc.or_(mask, pc.equal(arr, other))
    return mask.fill_null(False).to_numpy(zero_copy_only=False)


def _codes(values: pd.Series, missing: str = NO_CAUSE) -> tuple[np.ndarray, tuple[str, ...]]:
    """Integer codes into the sorted distinct values (missing → ``missing``)."""
    filled = values.astype("str").fillna(missing)
    codes, uniques = pd.factorize(filled, sort=True)
    return codes.astype(np.int64), tuple(str(u) for u in uniques)


def _age_on(birth: pd.Series, day: pd.Timestamp) -> np.ndarray:
    """Completed years on ``day`` (NaN when the birth date is unknown)."""
    years = day.year - birth.dt.year
    before_birthday = (birth.dt.month > day.month) | ((birth.dt.month == day.month) & (birth.dt.day > day.day))
    return (years - before_birthday.astype("float64")).to_numpy(dtype="float64", na_value=np.nan)


def _rows(positions: np.ndarray, mask: np.ndarray, size: int) -> np.ndarray:
    """Boolean mask over a parent table: the rows that ``positions[mask]`` point to."""
    out = np.zeros(size, dtype=bool)
    pointed = positions[mask]
    out[pointed[pointed >= 0]] = True
    return out


# --------------------------------------------------------------------------- the prepared arrays
@dataclass(frozen=True, eq=False, repr=False)
class Prepared:
    """Policy-independent arrays of one region on one day, one entry per household alive
    on D (households with no member alive are left out), in the households table's order.

    Attributes
    ----------
    year, day
        Y and D (31 December of Y).
    n, y, income
        Members alive on D; per-capita monthly income ``annual_income / n / 12``; the
        annual income itself.
    rural, blocked
        ``area == "rural"``; fails the asset test (a vehicle, or a public employee alive).
    registry, registry_persons
        The actual registry pays the household (a member alive and active on D in
        rural or urban dibao); how many such members.
    medical_spending
        Yearly out-of-pocket medical spending (missing → 0).
    hardship_household, hardship_age, hardship_grade, hardship_tier, hardship_centralized
        Persons alive on D without labour ability in a household with no member alive of
        ``full`` or ``partial`` labour ability (possible special-hardship cases): their
        household position, age on D, disability grade (0 unknown), care tier (0 able,
        1 partial, 2 unable) and whether their active tekun enrolment is centralized.
    policy, keep, source, left_out
        The region's policy; which rows of the households table are kept; that table;
        how many households were left out (no member alive on D).
    household_id, district, districts, cause, causes, main_cause, order, y_sorted, n_sorted, decile, quintile
        Computed on first use: the ids kept; integer codes into the sorted district
        names and main causes (missing → ``(none)``); positions that sort ``y``, and
        ``y`` and ``n`` in that order; deciles 1–10 and quintiles 1–5 of the
        person-weighted distribution of ``y`` (ties share a decile, a quintile).

    Examples
    --------
    >>> from reliefkit.region.region import load_region
    >>> prepared = prepare(load_region("data/sample"), 2026)
    >>> prepared.households == len(prepared.n), prepared.left_out >= 0
    (True, True)
    """

    year: int
    day: pd.Timestamp
    n: np.ndarray
    income: np.ndarray
    y: np.ndarray
    rural: np.ndarray
    blocked: np.ndarray
    registry: np.ndarray
    registry_persons: np.ndarray
    medical_spending: np.ndarray
    hardship_household: np.ndarray
    hardship_age: np.ndarray
    hardship_grade: np.ndarray
    hardship_tier: np.ndarray
    hardship_centralized: np.ndarray
    policy: Policy
    keep: np.ndarray
    source: pd.DataFrame
    left_out: int = 0

    @property
    def households(self) -> int:
        """Households kept (with at least one member alive on D)."""
        return int(len(self.n))

    @property
    def persons(self) -> int:
        """Persons alive on D in the households kept."""
        return int(self.n.sum())

    def _column(self, name: str) -> pd.Series:
        return self.source[name][self.keep].reset_index(drop=True)

    @cached_property
    def household_id(self) -> pd.Series:
        """The ids of the households kept."""
        return self._column("household_id")

    @cached_property
    def main_cause(self) -> pd.Series:
        """The main cause of each household kept (may be missing)."""
        return self._column("main_cause")

    @cached_property
    def _district_codes(self) -> tuple[np.ndarray, tuple[str, ...]]:
        return _codes(self._column("district"), "(unknown)")

    @property
    def district(self) -> np.ndarray:
        """District codes (into :attr:`districts`)."""
        return self._district_codes[0]

    @property
    def districts(self) -> tuple[str, ...]:
        """District names, sorted."""
        return self._district_codes[1]

    @cached_property
    def _cause_codes(self) -> tuple[np.ndarray, tuple[str, ...]]:
        return _codes(self.main_cause)

    @property
    def cause(self) -> np.ndarray:
        """Main-cause codes (into :attr:`causes`)."""
        return self._cause_codes[0]

    @property
    def causes(self) -> tuple[str, ...]:
        """Main causes present, sorted (``(none)`` for missing)."""
        return self._cause_codes[1]

    @cached_property
    def order(self) -> np.ndarray:
        """Positions that sort households by ``y`` (shared by deciles, sweeps, the Gini)."""
        return argsort_values(self.y)

    @cached_property
    def y_sorted(self) -> np.ndarray:
        """``y`` in ascending order (``y[order]``)."""
        return self.y[self.order]

    @cached_property
    def n_sorted(self) -> np.ndarray:
        """``n`` in the order of :attr:`y_sorted`."""
        return self.n[self.order]

    @cached_property
    def decile(self) -> np.ndarray:
        """Deciles 1–10 of the person-weighted distribution of ``y``."""
        return _deciles(self.y, self.y_sorted, self.n_sorted)

    @property
    def quintile(self) -> np.ndarray:
        """Quintiles 1–5 of the person-weighted distribution of ``y`` (income before
        transfers): ``1 + floor(5 × persons with a strictly lower y / persons)``, so a
        household is never split and ties share the lower quintile; equal to
        ``(decile + 1) // 2``, since ``floor(5x) = floor(floor(10x) / 2)``."""
        return (self.decile + 1) // 2

    def shock(self, causes: Iterable[str]) -> np.ndarray:
        """Boolean mask: households whose main cause is one of ``causes``.

        Parameters
        ----------
        causes : iterable of str
            Main-cause codes.

        Returns
        -------
        numpy.ndarray
            One bool per household kept.

        Examples
        --------
        >>> from reliefkit.region.region import load_region
        >>> prepared = prepare(load_region("data/sample"), 2026)
        >>> int(prepared.shock([]).sum())
        0
        """
        wanted = tuple(causes)
        if not wanted:
            return np.zeros(self.households, dtype=bool)
        return _equals(self.source["main_cause"], wanted)[self.keep]

    def __repr__(self) -> str:
        return (f"<Prepared {self.year}: {self.households:,} households, {self.persons:,} persons alive "
                f"on {self.day.date()}, {self.left_out:,} households with no member alive left out>")


_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def prepare(region: Region, year: int, *, cache: bool = True) -> Prepared:
    """The policy-independent per-household arrays of ``region`` on 31 December ``year``.

    Parameters
    ----------
    region : Region
        The region (or one district of it as its own scope).
    year : int
        Y (D = 31 December of Y).
    cache : bool
        Reuse the arrays prepared for this region object and year (``False``
        recomputes, e.g. for timing).

    Returns
    -------
    Prepared

    Examples
    --------
    >>> from reliefkit.region.region import load_region
    >>> prepared = prepare(load_region("data/sample"), 2026)
    >>> prepared.persons <= len(load_region("data/sample").persons)
    True
    """
    if cache:
        per_region = _CACHE.setdefault(region, {})
        if year not in per_region:
            per_region[year] = _prepare(region, year)
        return per_region[year]
    return _prepare(region, year)


def _deciles(y: np.ndarray, y_sorted: np.ndarray, weights_sorted: np.ndarray) -> np.ndarray:
    """Decile 1–10 of each value of ``y``: 1 + floor(10 × weight strictly below it / total
    weight), capped at 10 (so ties share a decile). ``y_sorted``, ``weights_sorted``:
    ``y`` sorted and the weights in that order. Found from 9 thresholds, in integers."""
    if not len(y):
        return np.zeros(0, dtype=np.int64)
    weights = weights_sorted.astype(np.int64)
    tenths_before = 10 * (np.cumsum(weights) - weights)  # 10 × weight before each position (sorted)
    total = int(weights.sum())
    thresholds = np.full(9, np.inf)
    for d in range(1, 10):  # the smallest value whose weight below reaches d tenths
        at = int(np.searchsorted(tenths_before, d * total, side="left"))
        if 0 < at < len(y_sorted) and y_sorted[at - 1] == y_sorted[at]:  # inside a tie: the next value qualifies
            at = int(np.searchsorted(y_sorted, y_sorted[at], side="right"))
        if at < len(y_sorted):
            thresholds[d - 1] = y_sorted[at]
    return np.searchsorted(thresholds, y, side="right").astype(np.int64) + 1


def argsort_values(values: np.ndarray) -> np.ndarray:
    """``np.argsort(values, kind="stable")`` for incomes, faster on millions of values.

    The values' top bits and their positions are packed into one ``uint64`` key and
    sorted by numpy's vectorized sort; a stable sort of the now nearly sorted values (a
    linear timsort pass) then makes the order exact.

    Parameters
    ----------
    values : numpy.ndarray
        Float64 values (any; the fast path needs them finite and non-negative).

    Returns
    -------
    numpy.ndarray
        The positions that sort ``values`` stably.

    Examples
    --------
    >>> argsort_values(np.array([3.0, 1.0, 2.0, 1.0])).tolist()
    [1, 3, 2, 0]
    """
    size = len(values)
    if size < 1 << 16 or np.signbit(values).any() or not np.isfinite(values).all():
        return np.argsort(values, kind="stable")
    bits = np.uint64(max(1, int(size - 1).bit_length()))
    key = (values.view(np.uint64) >> bits) << bits  # non-negative floats sort as their bits
    key |= np.arange(size, dtype=np.uint64)
    key.sort()
    order = (key & ((np.uint64(1) << bits) - np.uint64(1))).astype(np.intp)
    return order[np.argsort(values[order], kind="stable")]


def _prepare(region: Region, year: int) -> Prepared:
    day = year_end(year)
    hh, persons, enrol = region.households, region.persons, region.enrolments
    n_households, n_persons = len(hh), len(persons)
    links = region.links  # found once by validation (or on first use) and shared by the kit
    person_row = links.person_household
    alive = alive_on(persons, day).to_numpy() & (person_row >= 0)
    members = np.bincount(person_row[alive], minlength=n_households)
    keep = members > 0
    kept_position = np.cumsum(keep) - 1
    kept_position[~keep] = -1
    home = np.where(alive, kept_position[np.maximum(person_row, 0)], -1)  # kept-household position of each alive person
    kept = int(keep.sum())

    n = members[keep].astype(np.int64)
    income = hh["annual_income"].to_numpy(dtype="float64")[keep]
    y = income / n / 12
    public = np.bincount(home[alive & _flag(persons["public_employee"])], minlength=kept) > 0
    blocked = _flag(hh["has_vehicle"])[keep] | public
    rural = _equals(hh["area"], "rural")[keep]

    active = active_on(enrol, day).to_numpy()
    program = enrol["program"]
    paid = alive & _rows(links.enrolment_person, active & _equals(program, DIBAO_PROGRAMS), n_persons)
    registry_persons = np.bincount(home[paid], minlength=kept)

    labour = persons["labor_ability"]
    no_labour = _equals(labour, "none")
    able = alive & ~no_labour & labour.notna().to_numpy()  # full or partial
    able_members = np.bincount(home[able], minlength=kept)
    hardship = alive & no_labour
    hardship[hardship] = able_members[home[hardship]] == 0  # nobody in the household can support them
    cases = persons[["birth_date", "disability_grade", "major_illness"]][hardship]
    grade = cases["disability_grade"].to_numpy(dtype="float64", na_value=0).astype(np.int64)
    major = _flag(cases["major_illness"])
    tier = np.where((grade >= 1) & (grade <= 2), 2, np.where(((grade >= 3) & (grade <= 4)) | major, 1, 0))
    centralized_on = active & _equals(program, "tekun") & _equals(enrol["support_mode"], "centralized")
    centralized = _rows(links.enrolment_person, centralized_on, n_persons)[hardship]

    medical = hh["medical_spending"].to_numpy(dtype="float64", na_value=np.nan)[keep]
    return Prepared(
        year=year, day=day, n=n, income=income, y=y, rural=rural, blocked=blocked,
        registry=registry_persons > 0, registry_persons=registry_persons,
        medical_spending=np.nan_to_num(medical, nan=0.0),
        hardship_household=home[hardship], hardship_age=_age_on(cases["birth_date"], day),
        hardship_grade=grade, hardship_tier=tier, hardship_centralized=centralized,
        policy=region.policy, keep=keep, source=hh, left_out=int(n_households - kept),
    )

"""Simulate a region under a policy: per household, eligibility and benefit per programme.

Two steps, so that comparing schemes, sweeping lines and breaking figures down never
repeats per-household work:

1. :func:`prepare` (policy-independent, cached per region and year) follows the Region's
   row links (persons → households, enrolments → persons; found once while validating)
   and keeps, per household alive on D, the arrays every rule needs:
   size ``n``, per-capita monthly income ``y``, asset-test flags, who the actual registry
   pays, the income decile and the few persons who could be special-hardship cases.
2. :func:`simulate` applies one policy (a scheme over the region's policy) to those
   arrays: numpy only, no per-row Python.

The minimum living allowance (``dibao``) is shared/DATA.md's reference calculation, to
the letter: ``n`` = members alive on D (a household with none is left out),
``y = annual_income / n / 12``, ``z`` = the rural or urban line in force on D, eligible
when ``y < z`` and no vehicle and no member alive on D is a public employee, monthly
benefit ``(z − y) × n``, income after ``max(y, z)`` for an eligible household. Unknown
booleans (NA) count as False.

The other standing programmes follow ``reliefkit/policy/baseline.yaml``; the choices the
data contract leaves open are written here:

- **tekun** (special hardship): a person alive on D with labour ability ``none``, in a
  household with no member alive on D of ``full`` or ``partial`` labour ability (no one
  to support them), aged ``tekun.min_age`` or more, or under ``tekun.child_age``, or with
  disability grade 1 … ``tekun.max_disability_grade``; the household passes the asset
  test and its ``y`` is below the basic standard ``tekun.basic_ratio × z``. Monthly
  standard: basic standard + care supplement by self-care tier (``unable``: disability
  grade 1–2; ``partial``: grade 3–4 or a major illness; ``able`` otherwise) + the
  centralized supplement when the person's active tekun enrolment on D is
  ``centralized``. A special-hardship person's share of the minimum living allowance
  ``z − y`` is already in ``dibao``; ``tekun`` holds the rest of the standard, so no one
  is paid twice.
- **marginal**: not eligible for dibao, passes the asset test, ``z ≤ y <
  marginal.income_ratio × z``; receives ``marginal.allowance × n`` a month.
- **temporary**: ``main_cause`` in ``temporary.causes`` and ``y < temporary.income_ratio
  × z``; once a year ``min(temporary.months × z × n, temporary.cap)``.
- **medical**: by class (``tekun`` if a member is a special-hardship case, else
  ``dibao`` if eligible, else ``marginal``): ``min(cap, share × max(0,
  medical_spending − deductible))`` a year (missing spending counts as 0).
- The actual registry "pays" a household when a member alive on D has an enrolment in
  ``rural_dibao`` or ``urban_dibao`` active on D (:func:`reliefkit.figures.facts.active_on`).
"""

from __future__ import annotations

import datetime as dt
import weakref
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Iterable, Mapping

import numpy as np
import pandas as pd

from reliefkit import _arrow
from reliefkit.region.days import active_on, alive_on, year_end
from reliefkit.policy.parameters import Policy
from reliefkit.policy.schemes import BASELINE_NAME, Scheme

if TYPE_CHECKING:  # pragma: no cover
    from reliefkit.region.region import Region

__all__ = ["Base", "Simulation", "prepare", "simulate", "evaluate", "argsort_values", "LINE_PATHS", "DIBAO_PROGRAMS"]

#: the parameter of the line that applies to each area
LINE_PATHS: dict[str, str] = {"rural": "rural_dibao.line", "urban": "urban_dibao.line"}
DIBAO_PROGRAMS = ("rural_dibao", "urban_dibao")
MEDICAL_CLASSES = ("none", "marginal", "dibao", "tekun")
CARE_TIERS = ("able", "partial", "unable")
NO_CAUSE = "(none)"


# --------------------------------------------------------------------------- helpers
def flag(values: pd.Series) -> np.ndarray:
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
    for c in codes[1:]:
        mask = pc.or_(mask, pc.equal(arr, c))
    return mask.fill_null(False).to_numpy(zero_copy_only=False)


def _codes(values: pd.Series, missing: str = NO_CAUSE) -> tuple[np.ndarray, tuple[str, ...]]:
    filled = values.astype("str").fillna(missing)
    codes, uniques = pd.factorize(filled, sort=True)
    return codes.astype(np.int64), tuple(str(u) for u in uniques)


def _age_on(birth: pd.Series, day: pd.Timestamp) -> np.ndarray:
    """Completed years on ``day`` (NaN when the birth date is unknown)."""
    b = birth
    years = day.year - b.dt.year
    before_birthday = (b.dt.month > day.month) | ((b.dt.month == day.month) & (b.dt.day > day.day))
    return (years - before_birthday.astype("float64")).to_numpy(dtype="float64", na_value=np.nan)


# --------------------------------------------------------------------------- prepare
@dataclass(frozen=True, eq=False, repr=False)
class Base:
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
    cand_household, cand_age, cand_grade, cand_tier, cand_centralized
        Persons alive on D without labour ability in a household with no member alive of
        ``full`` or ``partial`` labour ability (possible special-hardship cases): their
        household position, age on D, disability grade (0 unknown), care tier (0 able,
        1 partial, 2 unable) and whether their active tekun enrolment is centralized.
    household_id, district, districts, cause, causes, main_cause, order, y_sorted, n_sorted, decile
        Computed on first use: the ids kept; integer codes into the sorted district
        names and main causes (missing → ``(none)``); positions that sort ``y``, and
        ``y`` and ``n`` in that order; deciles 1–10 of the person-weighted distribution
        of ``y`` (ties share a decile).
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
    cand_household: np.ndarray
    cand_age: np.ndarray
    cand_grade: np.ndarray
    cand_tier: np.ndarray
    cand_centralized: np.ndarray
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

    def shock(self, causes: Iterable[str]) -> np.ndarray:
        """Boolean mask: households whose main cause is one of ``causes``."""
        wanted = tuple(causes)
        if not wanted:
            return np.zeros(self.households, dtype=bool)
        return _equals(self.source["main_cause"], wanted)[self.keep]

    def __repr__(self) -> str:
        return (f"<Base {self.year}: {self.households:,} households, {self.persons:,} persons alive "
                f"on {self.day.date()}, {self.left_out:,} households with no member alive left out>")


_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def prepare(region: Region, year: int, *, cache: bool = True) -> Base:
    """The policy-independent per-household arrays of ``region`` on 31 December ``year``.

    Cached per region object and year (``cache=False`` recomputes, e.g. for timing).

    Examples
    --------
    >>> from reliefkit.region.region import load_region
    >>> base = prepare(load_region("data/sample"), 2026)
    >>> base.persons <= len(load_region("data/sample").persons)
    True
    """
    if cache:
        per_region = _CACHE.setdefault(region, {})
        if year not in per_region:
            per_region[year] = _prepare(region, year)
        return per_region[year]
    return _prepare(region, year)


def _deciles(y: np.ndarray, ys: np.ndarray, ws: np.ndarray) -> np.ndarray:
    """Decile 1–10 of each value of ``y``: 1 + floor(10 × weight strictly below it / total
    weight), capped at 10 (so ties share a decile). ``ys``, ``ws``: ``y`` sorted and the
    weights in that order. Found from 9 thresholds, in integers."""
    if not len(y):
        return np.zeros(0, dtype=np.int64)
    ws = ws.astype(np.int64)
    before = 10 * (np.cumsum(ws) - ws)  # 10 × weight before each position (sorted)
    total = int(ws.sum())
    thresholds = np.full(9, np.inf)
    for d in range(1, 10):  # the smallest value whose weight below reaches d tenths
        i = int(np.searchsorted(before, d * total, side="left"))
        if i < len(ys) and i > 0 and ys[i - 1] == ys[i]:  # inside a tie: the next value qualifies
            i = int(np.searchsorted(ys, ys[i], side="right"))
        if i < len(ys):
            thresholds[d - 1] = ys[i]
    return np.searchsorted(thresholds, y, side="right").astype(np.int64) + 1


def argsort_values(values: np.ndarray) -> np.ndarray:
    """``np.argsort(values, kind="stable")`` for incomes, faster on millions of values.

    The values' top bits and their positions are packed into one ``uint64`` key and
    sorted by numpy's vectorized sort; a stable sort of the now nearly sorted values (a
    linear timsort pass) then makes the order exact.

    Examples
    --------
    >>> argsort_values(np.array([3.0, 1.0, 2.0, 1.0])).tolist()
    [1, 3, 2, 0]
    """
    m = len(values)
    if m < 1 << 16 or np.signbit(values).any() or not np.isfinite(values).all():
        return np.argsort(values, kind="stable")
    bits = np.uint64(max(1, int(m - 1).bit_length()))
    key = (values.view(np.uint64) >> bits) << bits  # non-negative floats sort as their bits
    key |= np.arange(m, dtype=np.uint64)
    key.sort()
    order = (key & ((np.uint64(1) << bits) - np.uint64(1))).astype(np.intp)
    return order[np.argsort(values[order], kind="stable")]


def _rows(positions: np.ndarray, mask: np.ndarray, size: int) -> np.ndarray:
    """Boolean mask over a parent table: the rows that ``positions[mask]`` point to."""
    out = np.zeros(size, dtype=bool)
    p = positions[mask]
    out[p[p >= 0]] = True
    return out


def _prepare(region: Region, year: int) -> Base:
    day = year_end(year)
    hh, persons, enrol = region.households, region.persons, region.enrolments
    nh, npersons = len(hh), len(persons)
    links = region.links  # found once by validation (or on first use) and shared by the kit
    pos = links.person_household
    alive = alive_on(persons, day).to_numpy() & (pos >= 0)
    n_all = np.bincount(pos[alive], minlength=nh)
    keep = n_all > 0
    new_pos = np.cumsum(keep) - 1
    new_pos[~keep] = -1
    hpos = np.where(alive, new_pos[np.maximum(pos, 0)], -1)  # kept-household position of each alive person
    k = int(keep.sum())

    n = n_all[keep].astype(np.int64)
    income = hh["annual_income"].to_numpy(dtype="float64")[keep]
    y = income / n / 12
    public = np.bincount(hpos[alive & flag(persons["public_employee"])], minlength=k) > 0
    blocked = flag(hh["has_vehicle"])[keep] | public
    rural = _equals(hh["area"], "rural")[keep]

    on = active_on(enrol, day).to_numpy()
    program = enrol["program"]
    paid = alive & _rows(links.enrolment_person, on & _equals(program, DIBAO_PROGRAMS), npersons)
    registry_persons = np.bincount(hpos[paid], minlength=k)

    labour = persons["labor_ability"]
    no_labour = _equals(labour, "none")
    able = alive & ~no_labour & labour.notna().to_numpy()  # full or partial
    able_members = np.bincount(hpos[able], minlength=k)
    cand = alive & no_labour
    cand[cand] = able_members[hpos[cand]] == 0  # nobody in the household can support them
    cp = persons[["birth_date", "disability_grade", "major_illness"]][cand]
    grade = cp["disability_grade"].to_numpy(dtype="float64", na_value=0).astype(np.int64)
    major = flag(cp["major_illness"])
    tier = np.where((grade >= 1) & (grade <= 2), 2, np.where(((grade >= 3) & (grade <= 4)) | major, 1, 0))
    centralized_on = on & _equals(program, "tekun") & _equals(enrol["support_mode"], "centralized")
    centralized = _rows(links.enrolment_person, centralized_on, npersons)[cand]

    medical = hh["medical_spending"].to_numpy(dtype="float64", na_value=np.nan)[keep]
    return Base(
        year=year, day=day, n=n, income=income, y=y, rural=rural, blocked=blocked,
        registry=registry_persons > 0, registry_persons=registry_persons,
        medical_spending=np.nan_to_num(medical, nan=0.0),
        cand_household=hpos[cand], cand_age=_age_on(cp["birth_date"], day), cand_grade=grade,
        cand_tier=tier, cand_centralized=centralized, policy=region.policy, keep=keep,
        source=hh, left_out=int(nh - k),
    )


# --------------------------------------------------------------------------- simulate
@dataclass(frozen=True, eq=False, repr=False)
class Simulation:
    """One scheme applied to one region: per-household arrays (aligned with ``base``).

    Attributes
    ----------
    name : str
        The scheme's name (``"baseline"`` for the policy as it is).
    base : Base
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
    """

    name: str
    base: Base
    policy: Policy
    arrays: Mapping[str, np.ndarray] = field(default_factory=dict)

    def __getitem__(self, key: str) -> np.ndarray:
        return self.arrays[key]

    @property
    def lines(self) -> dict[str, float]:
        """The two minimum-living lines in force on D."""
        d = self.base.day.date()
        return {area: self.policy.value(path, d) for area, path in LINE_PATHS.items()}

    def table(self) -> pd.DataFrame:
        """The per-household table (one row per household alive on D).

        Examples
        --------
        >>> from reliefkit.region.region import load_region
        >>> sim = simulate(load_region("data/sample"), 2026)
        >>> sim.table().columns[:6].tolist()
        ['household_id', 'district', 'area', 'main_cause', 'n', 'annual_income']
        """
        b = self.base
        frame = pd.DataFrame({
            "household_id": b.household_id,
            "district": pd.Categorical.from_codes(b.district, b.districts),
            "area": np.where(b.rural, "rural", "urban"),
            "main_cause": b.main_cause,
            "n": b.n,
            "annual_income": b.income,
            "y": b.y,
            "decile": b.decile,
            "blocked": b.blocked,
            "registry": b.registry,
        })
        for key, values in self.arrays.items():
            frame[key] = values
        frame["medical_class"] = pd.Categorical.from_codes(self.arrays["medical_class"], MEDICAL_CLASSES)
        return frame

    def __repr__(self) -> str:
        e = self.arrays["eligible"]
        return (f"<Simulation {self.name!r} {self.base.year}: {int(e.sum()):,} of {self.base.households:,} "
                f"households eligible for dibao, lines {self.lines}>")


def simulate(region: Region | Base, year: int | None = None, scheme: Scheme | None = None, *,
             policy: Policy | None = None) -> Simulation:
    """Simulate every standing programme for each household under a scheme.

    Parameters
    ----------
    region : Region or Base
        The region (prepared and cached on first use) or an already prepared :class:`Base`.
    year : int
        Y (D = 31 December of Y); not needed when ``region`` is a Base.
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
    if isinstance(region, Base):
        base = region
    else:
        if year is None:
            raise TypeError("simulate(region, year, …): give the year")
        base = prepare(region, year)
    policy = policy if policy is not None else base.policy
    name = BASELINE_NAME
    if scheme is not None:
        policy = scheme.apply(policy)
        name = scheme.name
    return Simulation(name, base, policy, MappingProxyType(evaluate(base, policy)))


def _values(policy: Policy, day: dt.date, paths: Mapping[str, str]) -> dict[str, Any]:
    return {k: policy.value(p, day) for k, p in paths.items()}


def evaluate(base: Base, policy: Policy) -> dict[str, np.ndarray]:
    """The per-household arrays of :class:`Simulation` (numpy only)."""
    day = base.day.date()
    z_rural, z_urban = policy.value(LINE_PATHS["rural"], day), policy.value(LINE_PATHS["urban"], day)
    y, n, blocked = base.y, base.n, base.blocked
    z = np.where(base.rural, float(z_rural), float(z_urban))
    poor = y < z
    eligible = poor & ~blocked
    dibao = np.where(eligible, (z - y) * n, 0.0)
    y_after = np.where(eligible, np.maximum(y, z), y)

    # special hardship, person by person (only persons without labour ability)
    t = _values(policy, day, {"ratio": "tekun.basic_ratio", "min_age": "tekun.min_age",
                              "child_age": "tekun.child_age", "grade": "tekun.max_disability_grade",
                              "able": "tekun.care.able", "partial": "tekun.care.partial",
                              "unable": "tekun.care.unable", "central": "tekun.centralized_supplement"})
    h = base.cand_household
    standard_h = t["ratio"] * z
    age = base.cand_age
    category = (age >= t["min_age"]) | (age < t["child_age"]) | ((base.cand_grade >= 1) & (base.cand_grade <= t["grade"]))
    cand_ok = category & ~blocked[h] & (y[h] < standard_h[h])
    care = np.array([t["able"], t["partial"], t["unable"]], dtype="float64")[base.cand_tier]
    standard = standard_h[h] + care + np.where(base.cand_centralized, t["central"], 0.0)
    dibao_share = np.where(eligible[h], z[h] - y[h], 0.0)
    extra = np.where(cand_ok, np.maximum(0.0, standard - dibao_share), 0.0)
    k = base.households
    tekun = np.bincount(h, weights=extra, minlength=k)
    tekun_persons = np.bincount(h[cand_ok], minlength=k)

    m = _values(policy, day, {"ratio": "marginal.income_ratio", "allowance": "marginal.allowance"})
    marginal_eligible = ~eligible & ~blocked & (y >= z) & (y < m["ratio"] * z)
    marginal = np.where(marginal_eligible, m["allowance"] * n, 0.0)

    tp = _values(policy, day, {"ratio": "temporary.income_ratio", "causes": "temporary.causes",
                               "months": "temporary.months", "cap": "temporary.cap"})
    shock = base.shock(tp["causes"])
    temporary_eligible = shock & (y < tp["ratio"] * z)
    temporary = np.where(temporary_eligible, np.minimum(tp["months"] * z * n, tp["cap"]), 0.0)

    cls = np.where(tekun_persons > 0, 3, np.where(eligible, 2, np.where(marginal_eligible, 1, 0)))
    share = np.zeros(4)
    deductible = np.zeros(4)
    cap = np.zeros(4)
    for i, c in enumerate(MEDICAL_CLASSES[1:], start=1):
        share[i] = policy.value(f"medical.{c}.share", day)
        deductible[i] = policy.value(f"medical.{c}.deductible", day)
        cap[i] = policy.value(f"medical.{c}.cap", day)
    medical = np.minimum(cap[cls], share[cls] * np.maximum(0.0, base.medical_spending - deductible[cls]))

    others_year = 12 * (tekun + marginal) + temporary + medical
    return {
        "z": z, "poor": poor, "eligible": eligible, "dibao": dibao, "y_after": y_after,
        "tekun_persons": tekun_persons, "tekun": tekun,
        "marginal_eligible": marginal_eligible, "marginal": marginal,
        "temporary_eligible": temporary_eligible, "temporary": temporary,
        "medical_class": cls, "medical": medical,
        "transfers_year": 12 * dibao + others_year,
        "y_after_all": y_after + others_year / n / 12,
    }

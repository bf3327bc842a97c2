"""A household's explanation: every step of every programme rule, for one household.

:func:`explain` gives the sheet read out at a villagers' review (民主评议), posted at
publicity (公示) or handed over in an appeal: why a household is or is not eligible, and
for how much. It states, for the reference day D (31 December of Y):

- the members, alive on D or not (names and ID numbers masked), and so the household size
  ``n``; the per-capita monthly income ``y = annual_income / n / 12``;
- the line ``z`` in force on D for the household's area and the document that set it
  (the policy parameter's ``reference``);
- each test of each programme rule of :mod:`reliefkit.simulate.rules` — minimum living
  allowance, special hardship (member by member), marginal household, temporary and
  medical assistance — passed or failed, and the benefit each rule computes;
- what the registry says on D (enrolments active on D, payments of the year per
  programme) and whether it agrees with the rules (enrolled but not eligible, eligible
  but not enrolled);
- the integrity flags of :func:`reliefkit.figures.audit.audit` on the household's rows;
- with a scheme, what changes: the parameters and each benefit before and after.

The steps are worked out here from the household's own rows, one test at a time, and then
checked against :func:`reliefkit.simulate.simulate` for the whole region: a benefit of the
explanation always equals the simulation's for that household (a difference is a bug in
reliefkit and raises an error rather than printing a wrong sheet).

Examples
--------
>>> from reliefkit.region.region import load_region
>>> region = load_region("data/sample")
>>> e = explain(region, "01010001", 2026, lang="en")
>>> e.as_dict()["programmes"]["dibao"]["eligible"], e.as_dict()["programmes"]["dibao"]["monthly"]
(True, 77.5)
>>> print(e.text.splitlines()[0])
Household 01010001: assistance worked out for 2026
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from reliefkit.errors import ReliefkitError, UnknownHouseholdError
from reliefkit.figures.audit import audit
from reliefkit.figures.monitoring import MONITORING_LINE, household_monitoring
from reliefkit.policy.parameters import LINE_PARAMETERS, Policy
from reliefkit.policy.schemes import Scheme, load_scheme
from reliefkit.region.days import active_on, alive_on, paid_in, year_end
from reliefkit.region.region import Region, load_region
from reliefkit.simulate.prepared import DIBAO_PROGRAMS
from reliefkit.simulate.rules import CARE_TIERS, MEDICAL_CLASSES
from reliefkit.simulate.simulation import Simulation, simulate
from reliefkit.text.formatting import Formatter
from reliefkit.text.idnumbers import mask_id, mask_name
from reliefkit.report.explain_text import PROGRAMMES, render
from reliefkit.text.words import explain_words, label

__all__ = ["PROGRAMMES", "Explanation", "explain"]

#: the programme rules an explanation goes through, in order
#: the simulation's per-household arrays an explanation must reproduce
_CHECKED = ("eligible", "dibao", "tekun_persons", "tekun", "marginal_eligible", "marginal", "temporary_eligible",
            "temporary", "medical_class", "medical", "transfers_year")
_AUDITS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_SIMULATIONS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_MONITORING: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _simulation(region: Region, year: int, scheme: Scheme | None = None) -> Simulation:
    """The region simulated (cached per region, year and scheme: explaining many households
    of one region simulates it once)."""
    key = (year, None if scheme is None else (scheme.name, repr(sorted(scheme.values.items(), key=lambda kv: kv[0]))))
    per_region = _SIMULATIONS.setdefault(region, {})
    if key not in per_region:
        per_region[key] = simulate(region, year, scheme)
    return per_region[key]


# --------------------------------------------------------------------------- the result
@dataclass(frozen=True, eq=False, repr=False)
class Explanation:
    """One household's explanation: the sheet as text and every step as data.

    Attributes
    ----------
    text : str
        The explanation in the chosen language, to be read aloud or printed.
    data : Mapping
        Every step (members, income, line, tests, benefits, registry, flags, scheme),
        identifiers masked, numbers rounded to 2 decimals; :meth:`as_dict` copies it.

    Examples
    --------
    >>> from reliefkit.region.region import load_region
    >>> e = explain(load_region("data/sample"), "01010001", 2026)
    >>> e
    <Explanation of household 01010001 in 2026 (zh): 11,821.56 yuan a year by the rules>
    """

    text: str
    data: Mapping[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """Every step as plain JSON-ready values (a deep copy).

        Returns
        -------
        dict
            ``household_id``, ``year``, ``day``, ``lang``, ``members``, ``n``, ``y``,
            ``line``, ``programmes`` (per rule: tests, eligibility, benefit),
            ``total_year``, ``registry``, ``flags``, ``scheme`` (or None).

        Examples
        --------
        >>> from reliefkit.region.region import load_region
        >>> d = explain(load_region("data/sample"), "01010001", 2026).as_dict()
        >>> d["n"], d["y"], d["line"]["value"]
        (1, 72.5, 150)
        """
        return _plain(self.data)

    def __repr__(self) -> str:
        d = self.data
        return (f"<Explanation of household {d['household_id']} in {d['year']} ({d['lang']}): "
                f"{Formatter('en').number(d['total_year'])} yuan a year by the rules>")


def _plain(value: Any) -> Any:
    """A deep copy with mappings as dicts and sequences as lists."""
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _round(x: float) -> float:
    return round(float(x), 2)


# --------------------------------------------------------------------------- the household's rows
@dataclass
class _Household:
    """The rows of one household and what the rules read from them."""

    row: pd.Series
    members: pd.DataFrame          # the household's persons, in the persons table's order
    alive: np.ndarray              # per member: alive on D
    enrolments: pd.DataFrame       # the members' enrolments (``member`` = position in members)
    payments: pd.DataFrame         # the members' payments (``member`` likewise)
    enrolment_rows: np.ndarray     # positions in region.enrolments
    payment_rows: np.ndarray       # positions in region.payments
    people: list[dict[str, Any]] = field(default_factory=list)   # the members as records
    spells: list[dict[str, Any]] = field(default_factory=list)   # the enrolments active on D, as records

    @property
    def n(self) -> int:
        return int(self.alive.sum())


def _flag(value: Any) -> bool:
    """A nullable boolean cell: unknown counts as False (as the simulation reads it)."""
    return bool(value) if not pd.isna(value) else False


def _normalized_id(household_id: object) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(household_id)))


def _unknown(region: Region, wanted: str) -> UnknownHouseholdError:
    ids = region.households["household_id"]
    near: list[str] = []
    for k in range(len(wanted), 0, -1):  # the IDs sharing the longest prefix with the one asked for
        same = ids[ids.str.startswith(wanted[:k])]
        if len(same):
            near = sorted(same.head(50).tolist())[:3]
            break
    where = f"region '{region.name}'" + (f", district {region.scope}" if region.scope else "")
    hint = f"close ones: {', '.join(near)}; " if near else ""
    return UnknownHouseholdError(
        f"is not a household of {where}",
        f"{hint}household IDs are the household_id (户编号) column of the households table "
        "(also in notebook 01's explorer and the publicity lists)", household=repr(wanted))


def _household(region: Region, household_id: object, day: pd.Timestamp) -> _Household:
    wanted = _normalized_id(household_id)
    hh = region.households
    at = np.flatnonzero((hh["household_id"] == wanted).to_numpy(dtype=bool))
    if not len(at):
        raise _unknown(region, wanted)
    links = region.links
    member_rows = np.flatnonzero(links.person_household == at[0])
    members = region.persons.iloc[member_rows].reset_index(drop=True)
    member_of = np.full(len(region.persons), -1)
    member_of[member_rows] = np.arange(len(member_rows))
    enrol_rows = np.flatnonzero(member_of[links.enrolment_person] >= 0)
    pay_rows = np.flatnonzero(member_of[links.payment_person] >= 0)
    enrolments = region.enrolments.iloc[enrol_rows].reset_index(drop=True)
    enrolments["member"] = member_of[links.enrolment_person[enrol_rows]]
    payments = region.payments.iloc[pay_rows].reset_index(drop=True)
    payments["member"] = member_of[links.payment_person[pay_rows]]
    active = active_on(enrolments, day).to_numpy(dtype=bool) if len(enrolments) else np.zeros(0, dtype=bool)
    return _Household(hh.iloc[at[0]], members, alive_on(members, day).to_numpy(dtype=bool), enrolments, payments,
                      enrol_rows, pay_rows, members.to_dict("records"), enrolments[active].to_dict("records"))


def _age(birth: Any, day: pd.Timestamp) -> float:
    """Completed years on ``day`` (NaN when unknown), as the simulation counts them."""
    if pd.isna(birth):
        return math.nan
    return float(day.year - birth.year - ((birth.month, birth.day) > (day.month, day.day)))


# --------------------------------------------------------------------------- the rules, step by step
def _parameter(policy: Policy, path: str, day: dt.date) -> dict[str, Any]:
    """A parameter in force on D: its value, unit, reference and since when."""
    p = policy[path]
    value = p.at(day)
    since = max((start for start, _ in p.values if start <= day), default=None)
    return {"path": path, "value": value, "unit": p.unit, "reference": p.reference,
            "since": None if since in (None, dt.date.min) else since.isoformat(),
            "source": Path(p.file).name if p.file else ""}  # the file's name: no path of the machine


def _test(code: str, passed: bool, **values: Any) -> dict[str, Any]:
    return {"test": code, "passed": bool(passed), **values}


def _rules(h: _Household, policy: Policy, day: pd.Timestamp) -> dict[str, Any]:
    """Every programme rule for the household, one test at a time (``h.n`` ≥ 1)."""
    d = day.date()
    value = lambda path: policy.value(path, d)
    alive, n = h.alive, h.n
    area = "rural" if h.row["area"] == "rural" else "urban"
    line = _parameter(policy, LINE_PARAMETERS[area], d)
    z = float(line["value"])
    income = float(h.row["annual_income"])
    y = income / n / 12
    vehicle = _flag(h.row["has_vehicle"])
    people = h.people
    public = [i for i, m in enumerate(people) if alive[i] and _flag(m["public_employee"])]
    blocked = vehicle or bool(public)

    # the minimum living allowance: the reference calculation
    poor = y < z
    eligible = poor and not blocked
    dibao = (z - y) * n if eligible else 0.0
    dibao_rule = {"tests": [_test("dibao_income", poor, y=y, z=z), _test("dibao_vehicle", not vehicle),
                            _test("dibao_public", not public, persons=public)],
                  "eligible": eligible, "monthly": dibao, "yearly": 12 * dibao,
                  "parameters": [line["path"]]}

    # special hardship, member by member
    tekun_values = {k: value(f"tekun.{k}") for k in ("basic_ratio", "min_age", "child_age", "max_disability_grade")}
    care = [float(value(f"tekun.care.{tier}")) for tier in CARE_TIERS]
    supplement = float(value("tekun.centralized_supplement"))
    labour = [None if pd.isna(m["labor_ability"]) else m["labor_ability"] for m in people]
    able = [i for i in range(len(people)) if alive[i] and labour[i] in ("full", "partial")]
    cases = [] if able else [i for i in range(len(people)) if alive[i] and labour[i] == "none"]
    basic = tekun_values["basic_ratio"] * z
    tekun_people, tekun_total, tekun_count = [], 0.0, 0
    for i in cases:
        age = _age(people[i]["birth_date"], day)
        grade_cell = people[i]["disability_grade"]
        grade = 0 if pd.isna(grade_cell) else int(grade_cell)
        major = _flag(people[i]["major_illness"])
        tier = 2 if 1 <= grade <= 2 else (1 if 3 <= grade <= 4 or major else 0)
        centralized = any(e["member"] == i and e["program"] == "tekun" and e["support_mode"] == "centralized"
                          for e in h.spells)
        in_category = (age >= tekun_values["min_age"]) or (age < tekun_values["child_age"]) or \
            (1 <= grade <= tekun_values["max_disability_grade"])
        below = y < basic
        case = in_category and not blocked and below
        standard = basic + care[tier] + (supplement if centralized else 0.0)
        share = (z - y) if eligible else 0.0
        beyond = max(0.0, standard - share) if case else 0.0
        tekun_total += beyond
        tekun_count += int(case)
        tekun_people.append({
            "member": i, "age": None if math.isnan(age) else int(age), "grade": grade, "tier": CARE_TIERS[tier],
            "centralized": centralized,
            "tests": [_test("tekun_category", in_category, age=None if math.isnan(age) else int(age), grade=grade),
                      _test("tekun_assets", not blocked), _test("tekun_income", below, y=y, basic=basic)],
            "case": case, "basic": basic, "care": care[tier], "supplement": supplement if centralized else 0.0,
            "standard": standard, "dibao_share": share, "monthly": beyond})
    tekun_rule = {"able_members": able, "persons": tekun_people, "eligible": tekun_count > 0,
                  "cases": tekun_count, "monthly": tekun_total, "yearly": 12 * tekun_total,
                  "values": tekun_values, "parameters": [f"tekun.{k}" for k in tekun_values]
                  + [f"tekun.care.{t}" for t in CARE_TIERS] + ["tekun.centralized_supplement"]}

    # the marginal household
    ratio_m, allowance = value("marginal.income_ratio"), float(value("marginal.allowance"))
    limit_m = ratio_m * z
    in_band = (y >= z) and (y < limit_m)
    marginal_ok = (not eligible) and (not blocked) and in_band
    marginal = allowance * n if marginal_ok else 0.0
    marginal_rule = {"tests": [_test("marginal_not_dibao", not eligible), _test("marginal_assets", not blocked),
                               _test("marginal_income", in_band, y=y, z=z, ratio=ratio_m, limit=limit_m)],
                     "eligible": marginal_ok, "allowance": allowance, "monthly": marginal, "yearly": 12 * marginal,
                     "parameters": ["marginal.income_ratio", "marginal.allowance"]}

    # temporary assistance
    ratio_t, causes = value("temporary.income_ratio"), tuple(value("temporary.causes"))
    months, cap_t = value("temporary.months"), float(value("temporary.cap"))
    cause = None if pd.isna(h.row["main_cause"]) else str(h.row["main_cause"])
    limit_t = ratio_t * z
    shock, below_t = cause in causes, y < limit_t
    temporary = min(months * z * n, cap_t) if shock and below_t else 0.0
    temporary_rule = {"tests": [_test("temporary_cause", shock, cause=cause, causes=list(causes)),
                                _test("temporary_income", below_t, y=y, ratio=ratio_t, limit=limit_t)],
                      "eligible": shock and below_t, "months": months, "cap": cap_t, "yearly": temporary,
                      "parameters": ["temporary.causes", "temporary.income_ratio", "temporary.months", "temporary.cap"]}

    # medical assistance, by class
    klass = 3 if tekun_count > 0 else (2 if eligible else (1 if marginal_ok else 0))
    spending_cell = h.row["medical_spending"]
    spending = 0.0 if pd.isna(spending_cell) else float(spending_cell)
    medical_rule: dict[str, Any] = {"class": MEDICAL_CLASSES[klass], "spending": spending, "yearly": 0.0,
                                    "eligible": klass > 0, "parameters": []}
    if klass:
        name = MEDICAL_CLASSES[klass]
        share_m, deductible, cap_m = (float(value(f"medical.{name}.{k}")) for k in ("share", "deductible", "cap"))
        medical_rule.update(share=share_m, deductible=deductible, cap=cap_m,
                            yearly=min(cap_m, share_m * max(0.0, spending - deductible)),
                            parameters=[f"medical.{name}.{k}" for k in ("share", "deductible", "cap")])

    others = 12 * (tekun_total + marginal) + temporary + medical_rule["yearly"]
    return {"area": area, "line": line, "z": z, "income": income, "y": y, "blocked": blocked,
            "programmes": {"dibao": dibao_rule, "tekun": tekun_rule, "marginal": marginal_rule,
                           "temporary": temporary_rule, "medical": medical_rule},
            "total_year": 12 * dibao + others}


def _as_arrays(steps: dict[str, Any]) -> dict[str, float]:
    """The explanation's results named as the simulation's arrays."""
    p = steps["programmes"]
    return {"eligible": p["dibao"]["eligible"], "dibao": p["dibao"]["monthly"], "tekun_persons": p["tekun"]["cases"],
            "tekun": p["tekun"]["monthly"], "marginal_eligible": p["marginal"]["eligible"],
            "marginal": p["marginal"]["monthly"], "temporary_eligible": p["temporary"]["eligible"],
            "temporary": p["temporary"]["yearly"], "medical_class": MEDICAL_CLASSES.index(p["medical"]["class"]),
            "medical": p["medical"]["yearly"], "transfers_year": steps["total_year"]}


def _check(steps: dict[str, Any] | None, sim: Simulation, household_id: str) -> int | None:
    """The explanation reproduces the simulation for the household, or a bug is reported;
    the household's position in the simulation (None when it is left out)."""
    ids = sim.prepared.household_id
    at = np.flatnonzero((ids == household_id).to_numpy(dtype=bool))
    if steps is None:
        if len(at):
            raise ReliefkitError("the simulation keeps a household the explanation leaves out (no member alive)",
                                 "this is a bug in reliefkit: report it with the household ID", household=household_id)
        return None
    mine = _as_arrays(steps)
    wrong = [k for k in _CHECKED if not len(at) or not math.isclose(float(mine[k]), float(sim[k][at[0]]),
                                                                     rel_tol=1e-9, abs_tol=1e-6)]
    if wrong:
        raise ReliefkitError(f"the explanation disagrees with the simulation on {', '.join(wrong)} "
                             f"(scheme {sim.name!r})", "this is a bug in reliefkit: report it with the household ID",
                             household=household_id)
    return int(at[0])


# --------------------------------------------------------------------------- the registry and the flags
def _registry(h: _Household, day: pd.Timestamp, year: int) -> dict[str, Any]:
    enrolled = [{"member": int(r["member"]), "program": r["program"], "start_date": r["start_date"].date().isoformat(),
                 "end_date": None if pd.isna(r["end_date"]) else r["end_date"].date().isoformat(),
                 "support_mode": None if pd.isna(r["support_mode"]) else r["support_mode"],
                 "alive": bool(h.alive[r["member"]])} for r in h.spells]
    p = h.payments
    this_year = p[paid_in(p, year).to_numpy(dtype=bool)] if len(p) else p
    paid = {str(k): {"amount": _round(g["amount"].sum()), "payments": len(g)}
            for k, g in this_year.groupby("program", sort=True)} if len(this_year) else {}
    alive_active = {x["program"] for x in enrolled if x["alive"]}
    return {"enrolments": enrolled, "paid": paid,
            "standing": {"dibao": bool(alive_active & set(DIBAO_PROGRAMS)), "tekun": "tekun" in alive_active,
                         "marginal": "marginal" in alive_active}}


def _flags(region: Region, h: _Household) -> list[dict[str, Any]] | None:
    """The integrity flags on the household's enrolment and payment rows (None for a district view)."""
    if region.scope is not None:
        return None
    if region not in _AUDITS:
        _AUDITS[region] = audit(region)
    flags = _AUDITS[region]
    rows = region.validation.rows
    mine = np.zeros(len(flags), dtype=bool)
    for table, positions in (("enrolments", h.enrolment_rows), ("payments", h.payment_rows)):
        file_rows = set(np.asarray(rows[table])[positions].tolist()) if len(positions) else set()
        mine |= ((flags["table"] == table) & flags["row"].isin(file_rows)).to_numpy(dtype=bool)
    return [{"reason": r.reason, "table": r.table, "row": int(r.row), "person": r.value, "message": r.message,
             "amount": None if pd.isna(r.amount) else _round(r.amount)} for r in flags[mine].itertuples()]


def _monitoring(region: Region, year: int, household_id: str) -> dict[str, Any] | None:
    """The household's monitoring category and figures (:mod:`reliefkit.figures.monitoring`;
    None when no member is alive on D)."""
    per_region = _MONITORING.setdefault(region, {})
    if year not in per_region:
        frame = household_monitoring(region, year)
        per_region[year] = (frame, {h: i for i, h in enumerate(frame["household_id"])})
    frame, position = per_region[year]
    if household_id not in position:
        return None
    r = frame.iloc[position[household_id]]
    line = _parameter(region.policy, MONITORING_LINE, year_end(year).date())
    return {"category": None if pd.isna(r["category"]) else str(r["category"]), "line": line,
            "y": _round(r["per_capita"]), "y_net": _round(r["per_capita_net"]),
            "registered_now": bool(r["registered_now"]), "ever_registered": bool(r["ever_registered"]),
            "standing": bool(r["standing"]), "paired": bool(r["paired"]), "without_support": bool(r["without_support"])}


# --------------------------------------------------------------------------- the data
def _member(h: _Household, i: int, day: pd.Timestamp) -> dict[str, Any]:
    m = h.people[i]
    grade = m["disability_grade"]
    return {"person": mask_id(m["person_id"]), "name": mask_name(m["name"]) if not pd.isna(m["name"]) else "",
            "relation": None if pd.isna(m["relation"]) else m["relation"],
            "age": None if math.isnan(a := _age(m["birth_date"], day)) else int(a), "alive": bool(h.alive[i]),
            "deceased_on": None if pd.isna(m["deceased_on"]) else m["deceased_on"].date().isoformat(),
            "labor_ability": None if pd.isna(m["labor_ability"]) else m["labor_ability"],
            "disability_grade": 0 if pd.isna(grade) else int(grade), "major_illness": _flag(m["major_illness"]),
            "public_employee": _flag(m["public_employee"])}


def _rounded_rules(steps: dict[str, Any]) -> dict[str, Any]:
    """The steps with money and incomes rounded to 2 decimals (the data an explanation shows)."""
    money = {"y", "z", "monthly", "yearly", "basic", "care", "supplement", "standard", "dibao_share", "limit",
             "allowance", "cap", "spending", "share", "deductible", "income", "total_year"}

    def walk(v: Any, key: str = "") -> Any:
        if isinstance(v, dict):
            return {k: walk(x, k) for k, x in v.items()}
        if isinstance(v, list):
            return [walk(x, key) for x in v]
        if key in money and isinstance(v, float):
            return _round(v)
        return v

    return walk(steps)


def _parameters(steps: dict[str, Any], policy: Policy, day: dt.date) -> dict[str, Any]:
    """Every parameter the rules used (value, unit, reference, since), and each rule's distinct references."""
    used = {rule: r["parameters"] for rule, r in steps["programmes"].items()}
    parameters = {path: _parameter(policy, path, day) for paths in used.values() for path in paths}
    references = {rule: list(dict.fromkeys(parameters[path]["reference"] for path in paths))
                  for rule, paths in used.items() if rule != "dibao"}  # the line's is stated with the line
    return {"parameters": parameters, "references": references}


def _scheme_changes(before: Policy, after: Policy, scheme: Scheme, day: dt.date) -> list[dict[str, Any]]:
    return [{"parameter": path, "before": before.value(path, day), "after": after.value(path, day)}
            for path in scheme.values]


def explain(region: Region | str | Path, household_id: str, year: int, scheme: Scheme | str | Path | None = None,
            lang: str = "zh") -> Explanation:
    """Explain every programme rule for one household on 31 December ``year``.

    Parameters
    ----------
    region : Region, str or pathlib.Path
        The region (a whole region gives the integrity flags too), or its folder or store.
    household_id : str
        The household's ``household_id`` (户编号); full-width digits and spaces are read.
    year : int
        Y: the rules are applied on D = 31 December of Y, with the policy in force that day.
    scheme : Scheme, str or pathlib.Path, optional
        A scheme (or scheme file) to compare with: the explanation ends with what changes.
    lang : {"zh", "en"}
        The language of ``.text`` and of the labels in the data.

    Returns
    -------
    Explanation
        ``.text`` (the sheet) and ``.as_dict()`` (every step); identifiers masked.

    Raises
    ------
    UnknownHouseholdError
        When the region has no such household (the message says where the IDs are).
    SchemeError
        When the scheme file is malformed.

    Examples
    --------
    >>> from reliefkit.region.region import load_region
    >>> from reliefkit.policy.schemes import scheme_from_mapping
    >>> region = load_region("data/sample")
    >>> e = explain(region, "01010001", 2026, scheme_from_mapping({"name": "r180", "set": {"rural_dibao.line": 180}}))
    >>> s = e.as_dict()["scheme"]
    >>> s["programmes"]["dibao"]["before"], s["programmes"]["dibao"]["after"]
    (930.0, 1290.0)
    """
    if not isinstance(region, Region):
        region = load_region(region)
    if isinstance(scheme, (str, Path)):
        scheme = load_scheme(scheme)
    words = explain_words(lang)  # a bad language fails before any work
    day = year_end(year)
    h = _household(region, household_id, day)
    hid = str(h.row["household_id"])
    base = _simulation(region, year)
    steps = _rules(h, base.policy, day) if h.n else None
    at = _check(steps, base, hid)
    data: dict[str, Any] = {
        "household_id": hid, "year": int(year), "day": day.date().isoformat(), "lang": lang,
        "district": str(h.row["district"]), "village": None if pd.isna(h.row["village"]) else str(h.row["village"]),
        "area": "rural" if h.row["area"] == "rural" else "urban",
        "members": [_member(h, i, day) for i in range(len(h.members))], "n": h.n,
        "annual_income": _round(h.row["annual_income"]),
        "medical_spending": None if pd.isna(h.row["medical_spending"]) else _round(h.row["medical_spending"]),
        "has_vehicle": _flag(h.row["has_vehicle"]), "has_business": _flag(h.row["has_business"]),
    }
    if steps is None:
        data.update(y=None, line=None, programmes=None, total_year=0.0, parameters={}, references={})
    else:
        shown = _rounded_rules(steps)
        data.update(y=shown["y"], line=shown["line"], programmes=shown["programmes"], total_year=shown["total_year"])
        data.update(_parameters(steps, base.policy, day.date()))
    data["registry"] = _registry(h, day, year)
    if at is not None and data["registry"]["standing"]["dibao"] != bool(base.prepared.registry[at]):
        raise ReliefkitError("the explanation disagrees with the simulation on the registry's minimum living allowance",
                             "this is a bug in reliefkit: report it with the household ID", household=hid)
    data["flags"] = _flags(region, h)
    data["monitoring"] = _monitoring(region, year, hid)
    data["scheme"] = None
    if scheme is not None:
        after_sim = _simulation(region, year, scheme)
        after = _rules(h, after_sim.policy, day) if h.n else None
        _check(after, after_sim, hid)
        data["scheme"] = _scheme_data(steps, after, scheme, base.policy, after_sim.policy, day.date())
    return Explanation(render(data, words, lang), MappingProxyType(data))


def _scheme_data(before: dict[str, Any] | None, after: dict[str, Any] | None, scheme: Scheme, policy: Policy,
                 scheme_policy: Policy, day: dt.date) -> dict[str, Any]:
    def yearly(steps: dict[str, Any] | None, programme: str) -> float:
        return 0.0 if steps is None else _round(steps["programmes"][programme]["yearly"])

    def eligible(steps: dict[str, Any] | None, programme: str) -> bool:
        return False if steps is None else bool(steps["programmes"][programme]["eligible"])

    return {"name": scheme.name, "changes": _scheme_changes(policy, scheme_policy, scheme, day),
            "programmes": {p: {"before": yearly(before, p), "after": yearly(after, p),
                               "eligible_before": eligible(before, p), "eligible_after": eligible(after, p)}
                           for p in PROGRAMMES},
            "total": {"before": 0.0 if before is None else _round(before["total_year"]),
                      "after": 0.0 if after is None else _round(after["total_year"])}}

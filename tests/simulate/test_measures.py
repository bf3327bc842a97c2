"""Measures: plain definitions, a deliberately plain reference implementation, properties."""

from __future__ import annotations

import math
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reliefkit.simulate.measures import breakdown, cgh, fgt, gini, measures, targeting_errors, watts
from reliefkit.policy.schemes import scheme_from_mapping
from reliefkit.simulate.prepared import prepare
from reliefkit.simulate.simulation import simulate
from scheme_helpers import random_tables, write_region

KEYS = ("households", "persons", "cost_year", "p0_before", "p1_before", "p2_before", "p0_after", "p1_after",
        "p2_after", "exclusion_error", "inclusion_error")


# --------------------------------------------------------------------------- the plain reference
def plain_reference(tables: dict[str, pd.DataFrame], year: int, lines: dict[str, float]) -> dict[str, float]:
    """DATA.md's reference calculation, person by person, from the raw text tables."""
    D = f"{year}-12-31"

    def text(v: object) -> str:
        return "" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v)

    def true(v: object) -> bool:
        return text(v).strip().lower() in ("true", "1", "y", "是")

    members = defaultdict(list)
    for p in tables["persons"].to_dict("records"):
        died = text(p.get("deceased_on"))
        if died == "" or died > D:
            members[p["household_id"]].append(p)
    receiving = set()
    for e in tables.get("enrolments", pd.DataFrame()).to_dict("records"):
        end = text(e.get("end_date"))
        if e["program"] in ("rural_dibao", "urban_dibao") and text(e["start_date"]) <= D and (end == "" or end > D):
            receiving.add(e["person_id"])
    people = []  # (y, y_after, z, household gets something, registry pays the household)
    households = persons = 0
    monthly = 0.0
    for h in tables["households"].to_dict("records"):
        alive = members.get(h["household_id"], [])
        n = len(alive)
        if n == 0:
            continue
        y = float(h["annual_income"]) / n / 12
        z = float(lines[h["area"]])
        eligible = y < z and not true(h.get("has_vehicle")) and not any(true(m.get("public_employee")) for m in alive)
        if eligible:
            households += 1
            persons += n
            monthly += (z - y) * n
        registry = any(m["person_id"] in receiving for m in alive)
        for _ in alive:
            people.append((y, max(y, z) if eligible else y, z, eligible, registry))

    N = len(people)

    def mean(values: list[float]) -> float:
        return sum(values) / N if N else 0.0

    def share(num: int, den: int) -> float:
        return num / den if den else 0.0

    poor = [p for p in people if p[0] < p[2]]
    out = {"households": households, "persons": persons, "cost_year": 12 * monthly}
    for i, when in ((0, "before"), (1, "after")):
        out[f"p0_{when}"] = mean([1.0 if p[i] < p[2] else 0.0 for p in people])
        out[f"p1_{when}"] = mean([max(0.0, p[2] - p[i]) / p[2] for p in people])
        out[f"p2_{when}"] = mean([(max(0.0, p[2] - p[i]) / p[2]) ** 2 for p in people])
    out["exclusion_error"] = share(sum(1 for p in poor if not p[3]), len(poor))
    out["inclusion_error"] = share(sum(1 for p in people if p[3] and not p[0] < p[2]), sum(1 for p in people if p[3]))
    out["registry_exclusion_error"] = share(sum(1 for p in poor if not p[4]), len(poor))
    out["registry_inclusion_error"] = share(sum(1 for p in people if p[4] and not p[0] < p[2]),
                                            sum(1 for p in people if p[4]))
    return out


def assert_same(got: dict, want: dict, keys=KEYS) -> None:
    for k in keys:
        assert math.isclose(float(got[k]), float(want[k]), rel_tol=1e-9, abs_tol=1e-9), (k, got[k], want[k])


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[dict, object]]:
    out = []
    for seed in (11, 12, 13):
        tables = random_tables(seed, 80)
        out.append((tables, write_region(tmp_path_factory.mktemp(f"g{seed}"), tables)))
    return out


@pytest.mark.parametrize("lines", [(150, 210), (180, 210), (100, 300), (210, 150), (0.5, 1000), (173.37, 199.99)])
def test_package_equals_plain_reference(generated, lines: tuple[float, float]) -> None:
    for tables, region in generated:
        scheme = scheme_from_mapping({"name": "s", "set": {"rural_dibao.line": lines[0], "urban_dibao.line": lines[1]}})
        got = measures(simulate(region, 2026, scheme))
        want = plain_reference(tables, 2026, {"rural": lines[0], "urban": lines[1]})
        assert_same(got, want, KEYS + ("registry_exclusion_error", "registry_inclusion_error"))


# --------------------------------------------------------------------------- plain measures
def test_fgt_watts_gini_by_hand() -> None:
    y, z, n = np.array([0.0, 50.0, 100.0, 300.0]), np.full(4, 100.0), np.array([1, 2, 1, 1])
    assert fgt(y, z, 0, n) == pytest.approx(3 / 5)
    assert fgt(y, z, 1, n) == pytest.approx((1 + 2 * 0.5) / 5)
    assert fgt(y, z, 2, n) == pytest.approx((1 + 2 * 0.25) / 5)
    assert watts(y, z, n) == pytest.approx((math.log(100 / 1) + 2 * math.log(2)) / 5)
    # Gini by the mean absolute difference over persons: [0, 50, 50, 100, 300]
    persons = np.array([0.0, 50, 50, 100, 300])
    mad = np.abs(persons[:, None] - persons[None, :]).mean()
    assert gini(y, n) == pytest.approx(mad / (2 * persons.mean()))
    assert gini(np.array([5.0]), None) == 0.0 and gini(np.zeros(3)) == 0.0


def test_targeting_and_cgh_by_hand() -> None:
    poor = np.array([True, True, True, False])
    receiving = np.array([True, False, False, True])
    assert targeting_errors(poor, receiving, np.array([1, 2, 1, 4])) == (pytest.approx(3 / 4), pytest.approx(4 / 5))
    assert targeting_errors(np.zeros(2, bool), np.zeros(2, bool)) == (0.0, 0.0)  # zero denominators
    assert cgh(np.array([1.0, 1.0, 2.0]), np.array([1, 4, 10])) == pytest.approx(0.5 / 0.4)
    assert cgh(np.zeros(2), np.array([1, 2])) == 0.0


def test_deciles_are_person_weighted_and_ties_share_one(generated) -> None:
    base = prepare(generated[0][1], 2026)
    dec = base.decile
    assert dec.min() >= 1 and dec.max() <= 10
    order = np.argsort(base.y, kind="stable")
    assert np.all(np.diff(dec[order]) >= 0)  # deciles follow income
    for value in np.unique(base.y):
        assert len(set(dec[base.y == value])) == 1
    persons = np.bincount(dec, weights=base.n, minlength=11)[1:]
    assert persons.sum() == base.persons


def test_breakdowns_add_up(generated) -> None:
    sim = simulate(generated[1][1], 2026)
    total = measures(sim)
    for by in ("district", "area", "main_cause", "decile"):
        t = breakdown(sim, by)
        for k in ("households", "persons", "persons_in_scope", "poor_persons", "registry_persons"):
            assert t[k].sum() == total[k], (by, k)
        assert t["cost_year"].sum() == pytest.approx(total["cost_year"])
        assert t["cost_year_all"].sum() == pytest.approx(total["cost_year_all"])
        # person-weighted mean of group headcounts = the headcount
        assert (t["p0_before"] * t["persons_in_scope"]).sum() / t["persons_in_scope"].sum() == \
            pytest.approx(total["p0_before"])
    area = breakdown(sim, "area").set_index("area")
    rural = sim.prepared.rural
    assert area.loc["rural", "gini_before"] == pytest.approx(gini(sim.prepared.y[rural], sim.prepared.n[rural]))
    assert area.loc["urban", "gini_after"] == pytest.approx(gini(sim["y_after"][~rural], sim.prepared.n[~rural]))
    assert measures(sim)["gini_after_all"] == pytest.approx(gini(sim["y_after_all"], sim.prepared.n))


# --------------------------------------------------------------------------- properties
def _with_lines(base, rural: float, urban: float):
    return simulate(base, scheme=scheme_from_mapping(
        {"name": "p", "set": {"rural_dibao.line": rural, "urban_dibao.line": urban}}))


line = st.floats(min_value=0.0, max_value=600.0, allow_nan=False).map(lambda v: round(v, 2))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(r1=line, r2=line, u=line)
def test_properties_over_lines(generated, r1: float, r2: float, u: float) -> None:
    base = prepare(generated[2][1], 2026)
    lo, hi = sorted((r1, r2))
    a, b = measures(_with_lines(base, lo, u)), measures(_with_lines(base, hi, u))
    # a higher line never lowers cost or persons reached
    assert b["cost_year"] >= a["cost_year"] - 1e-9 and b["persons"] >= a["persons"]
    assert b["households"] >= a["households"] and b["p0_before"] >= a["p0_before"]
    for m in (a, b):
        for when in ("before", "after", "after_all"):
            assert m[f"p2_{when}"] <= m[f"p1_{when}"] + 1e-12 <= m[f"p0_{when}"] + 2e-12
        for k in ("p0", "p1", "p2"):
            assert m[f"{k}_after_all"] <= m[f"{k}_after"] + 1e-12 <= m[f"{k}_before"] + 2e-12
        assert m["watts_after"] <= m["watts_before"] + 1e-12
        assert 0 <= m["exclusion_error"] <= 1 and m["inclusion_error"] == 0.0
        assert m["coverage"] == pytest.approx(1 - m["exclusion_error"]) or m["poor_persons"] == 0


def test_zero_benefit_leaves_measures_unchanged(tmp_path: Path) -> None:
    tables = random_tables(21, 60)
    tables["households"]["has_vehicle"] = "true"  # nobody passes the asset test: no benefit at all
    sim = simulate(write_region(tmp_path / "r", tables), 2026)
    m = measures(sim)
    assert m["cost_year"] == 0 and m["households"] == 0 and m["persons"] == 0
    for k in ("p0", "p1", "p2"):
        assert m[f"{k}_after"] == m[f"{k}_before"]
    assert m["watts_after"] == m["watts_before"] and m["gini_after"] == pytest.approx(m["gini_before"])
    assert m["exclusion_error"] == (1.0 if m["poor_persons"] else 0.0)
    assert m["cost_per_gap_point"] == 0.0 and m["cgh"] == 0.0


def test_empty_scope_gives_zeros(tmp_path: Path) -> None:
    tables = random_tables(22, 5)
    tables["persons"]["deceased_on"] = "2020-01-01"  # nobody alive on D
    m = measures(simulate(write_region(tmp_path / "r", tables), 2026))
    assert m["persons_in_scope"] == 0 and m["p0_before"] == 0.0 and m["gini_before"] == 0.0

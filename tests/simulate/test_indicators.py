"""The ASPIRE indicators, the fixed yardstick and the registry-and-ledger reconciliation,
on a region built by hand: every number below is worked out in the comments.

The region (all rural, baseline rural line z = 150 a month, D = 2026-12-31):

    household  n  income   y = income/n/12   other
    F          1       0     0               a vehicle: poor, barred by the rule
    A          2    1200    50               medical spending 1500
    B          1    1200   100               main cause disaster
    C          1    1800   150               on the line: not poor
    D          2    4800   200               main cause illness
    E          3   10800   300

Quintiles (persons ranked on y; q = 1 + floor(5 × persons strictly poorer / 10)):
F 0 → q1, A 1 → q1, B 3 → q2, C 4 → q3, D 5 → q3, E 7 → q4; quintile 5 is empty.
Persons per quintile: q1 3 (F 1 + A 2), q2 1, q3 3 (C 1 + D 2), q4 3, q5 0.

The allowance (gap to the line): A (150 − 50) × 2 = 200 a month, 2400 a year; B 50, 600 a
year; F barred. Cost 3000. Medical (class dibao: 0.7 × (1500 − 500)) gives A 700 a year;
temporary assistance (y < 1.5 × 150, cause disaster or illness): B min(3 × 150 × 1, 5000) =
450, D min(3 × 150 × 2, 5000) = 900. Every programme: A 3100, B 1050, D 900, total 5050.
"""

from __future__ import annotations

import math

import pytest

from conftest import enrol, household, pay, person, write_tables

from reliefkit.region.region import load_region
from reliefkit.simulate.actual import actual, reconcile
from reliefkit.simulate.compare import compare
from reliefkit.simulate.indicators import indicators, quintile_table
from reliefkit.simulate.prepared import prepare
from reliefkit.simulate.simulation import simulate
from reliefkit.policy.schemes import scheme_from_mapping


@pytest.fixture(scope="module")
def region(tmp_path_factory):
    folder = write_tables(tmp_path_factory.mktemp("aspire") / "r", {
        "households": [
            household("F", income=0, has_vehicle="true"),
            household("A", income=1200, medical_spending=1500),
            household("B", income=1200, main_cause="disaster"),
            household("C", income=1800),
            household("D", income=4800, main_cause="illness"),
            household("E", income=10800),
        ],
        "persons": [person("f1", "F"), person("a1", "A"), person("a2", "A"),
                    person("a3", "A", deceased_on="2026-05-01"), person("b1", "B"), person("c1", "C"),
                    person("d1", "D"), person("d2", "D"), person("e1", "E"), person("e2", "E"), person("e3", "E")],
        "enrolments": [
            enrol("a1", "rural_dibao", "2025-01-01"),
            enrol("a3", "rural_dibao", "2025-01-01"),          # died 2026-05-01: not enrolled on D
            enrol("c1", "rural_dibao", "2026-07-02"),          # 183 days of 2026
            enrol("f1", "rural_dibao", "2024-03-01"),
            enrol("e1", "rural_dibao", "2025-01-01", "2026-06-30"),  # left during the year
        ],
        "payments": (
            [pay("a1", "rural_dibao", f"2026-{m:02d}-10", 100) for m in range(1, 13)]       # 1200
            + [pay("a1", "rural_dibao", "2025-12-10", 999)]                                # another year
            + [pay("a3", "rural_dibao", f"2026-{m:02d}-10", 100) for m in range(1, 5)]     # 400
            + [pay("c1", "rural_dibao", f"2026-{m:02d}-10", 50) for m in range(7, 13)]     # 300
            + [pay("f1", "rural_dibao", f"2026-{m:02d}-10", 80) for m in range(1, 13)]     # 960
            + [pay("e1", "rural_dibao", f"2026-{m:02d}-10", 100) for m in range(1, 7)]     # 600
            + [pay("b1", "temporary", "2026-05-01", 300), pay("d1", "donation", "2026-02-01", 50)]
        ),
    })
    return load_region(folder)


def test_quintiles_cut_at_household_boundaries_and_ties_share_the_lower(region):
    prepared = prepare(region, 2026)
    by_id = dict(zip(prepared.household_id, prepared.quintile.tolist()))
    assert by_id == {"F": 1, "A": 1, "B": 2, "C": 3, "D": 3, "E": 4}
    t = quintile_table(simulate(region, 2026))
    assert t["persons_in_scope"].tolist() == [3, 1, 3, 3, 0]
    assert t["poor_persons"].tolist() == [3, 1, 0, 0, 0]  # F, A; B; C is on the line


def test_indicators_of_the_allowance_by_hand(region):
    f = indicators(simulate(region, 2026))
    # beneficiaries: A (2 persons, q1) and B (1, q2)
    assert [f[f"coverage_q{k}"] for k in range(1, 6)] == pytest.approx([2 / 3, 1, 0, 0, 0])
    assert [f[f"beneficiary_incidence_q{k}"] for k in range(1, 6)] == pytest.approx([2 / 3, 1 / 3, 0, 0, 0])
    assert [f[f"benefit_incidence_q{k}"] for k in range(1, 6)] == pytest.approx([2400 / 3000, 600 / 3000, 0, 0, 0])
    assert f["beneficiary_rate"] == pytest.approx(3 / 10)
    assert f["adequacy"] == pytest.approx(3000 / (1200 + 1200))  # benefits ÷ the beneficiaries' own income
    # P1 before: F 1 × 1, A (100/150) × 2, B (50/150) × 1 → 8/3 over 10 persons; after only F's 1
    assert f["gap_reduction"] == pytest.approx((8 / 3 - 1) / (8 / 3))  # 5/8
    # the gap in yuan a year: 12 × (150 + 100 × 2 + 50) = 4800 before, 12 × 150 = 1800 after
    assert f["gap_removed_per_yuan"] == pytest.approx((4800 - 1800) / 3000)


def test_indicators_of_every_programme_and_overlap_by_hand(region):
    f = indicators(simulate(region, 2026))
    # reached by something: A 2 (q1), B 1 (q2), D 2 (q3); 5 persons
    assert [f[f"coverage_q{k}_all"] for k in range(1, 6)] == pytest.approx([2 / 3, 1, 2 / 3, 0, 0])
    assert [f[f"beneficiary_incidence_q{k}_all"] for k in range(1, 6)] == pytest.approx([0.4, 0.2, 0.4, 0, 0])
    assert [f[f"benefit_incidence_q{k}_all"] for k in range(1, 6)] == pytest.approx(
        [3100 / 5050, 1050 / 5050, 900 / 5050, 0, 0])
    assert f["adequacy_all"] == pytest.approx(5050 / (1200 + 1200 + 4800))
    assert f["gap_reduction_all"] == pytest.approx(5 / 8)  # F stays where it was
    assert f["gap_removed_per_yuan_all"] == pytest.approx(3000 / 5050)
    # A: allowance + medical (2 persons), B: allowance + temporary (1); D: temporary only
    assert f["overlap_persons"] == 3 and f["overlap_share"] == pytest.approx(3 / 5)


def test_a_scheme_on_its_own_lines_and_on_the_fixed_yardstick(region):
    base = simulate(region, 2026)
    r180 = simulate(base.prepared, scheme=scheme_from_mapping({"name": "r180", "set": {"rural_dibao.line": 180}}))
    f = indicators(r180, base)
    # at 180: A (130 × 2), B 80, C 30 a month → 12 × 370 = 4440 a year
    assert 12 * r180["dibao"].sum() == pytest.approx(4440)
    # own line 180: the gap 12 × (180 + 130 × 2 + 80 + 30) = 6600 before, 12 × 180 = 2160 after
    assert f["gap_removed_per_yuan"] == pytest.approx((6600 - 2160) / 4440)
    # the fixed line 150: every topped-up household is at 180 ≥ 150, F's gap of 150 remains
    assert f["p0_before_fixed"] == pytest.approx(4 / 10) and f["p0_after_fixed"] == pytest.approx(1 / 10)
    assert f["p1_before_fixed"] == pytest.approx(8 / 30) and f["p1_after_fixed"] == pytest.approx(1 / 10)
    assert f["gap_reduction_fixed"] == pytest.approx(5 / 8)
    assert f["gap_removed_per_yuan_fixed"] == pytest.approx((4800 - 1800) / 4440)
    assert (f["line_rural_fixed"], f["line_urban_fixed"]) == (150.0, 210.0)
    # on its own line the scheme's headcount before is higher: F, A, B, C (5 persons)
    assert indicators(r180)["p0_before_fixed"] == pytest.approx(5 / 10)


def test_the_registry_and_ledger_by_hand(region):
    t = actual(region, prepare(region, 2026)).set_index("programme")
    # enrolled on D: a1 (A), c1 (C), f1 (F); a3 died, e1 left
    assert (t.loc["dibao", "households"], t.loc["dibao", "persons"]) == (3, 3)
    assert t.loc["dibao", "paid_year"] == pytest.approx(1200 + 400 + 300 + 960 + 600)
    # a full year at today's enrolment: a1 1200, c1 300 × 365 / 183, f1 960
    assert t.loc["dibao", "paid_full_year"] == pytest.approx(1200 + 300 * 365 / 183 + 960)
    assert t.loc["temporary", ["households", "persons", "paid_year"]].tolist() == [1, 1, 300]
    assert t.loc["not_simulated", "paid_year"] == 50
    assert t.loc["ledger_total", "paid_year"] == pytest.approx(3460 + 300 + 50)


def test_reconciliation_by_hand(region):
    r = reconcile(region, simulate(region, 2026)).set_index("row")
    cols = ["households", "persons", "enrolled_persons", "cost_year", "paid_full_year", "paid_year"]
    got = {k: [float(v) for v in r.loc[k, cols]] for k in r.index}
    assert got["both"] == pytest.approx([1, 2, 1, 2400, 1200, 1200])                 # A
    assert got["rule_only"] == pytest.approx([1, 1, 0, 600, 0, 0])                   # B: poor, not enrolled
    assert got["registry_above_line"] == pytest.approx([1, 1, 1, 0, 300 * 365 / 183, 300])  # C, on the line
    assert got["registry_barred"] == pytest.approx([1, 1, 1, 0, 960, 960])           # F, a vehicle
    assert got["paid_not_enrolled"] == pytest.approx([2, 2, 0, 0, 0, 400 + 600])     # a3 died, e1 left
    assert r["cost_year"].sum() == pytest.approx(3000) and r["paid_year"].sum() == pytest.approx(3460)


def test_compare_carries_them_and_keeps_the_contract_keys(region):
    c = compare(region, 2026, [{"name": "r180", "name_zh": "农村180", "set": {"rural_dibao.line": 180}}])
    rows = c.to_json()["schemes"]
    base, r180 = rows
    assert list(base)[:12] == ["name", "households", "persons", "cost_year", "p0_before", "p1_before", "p2_before",
                               "p0_after", "p1_after", "p2_after", "exclusion_error", "inclusion_error"]
    assert (base["households"], base["persons"], base["cost_year"]) == (2, 3, 3000.0)
    assert r180["p1_after_fixed"] == pytest.approx(0.1) and r180["p1_after"] == pytest.approx(1 / 10)
    assert r180["p0_before"] == pytest.approx(0.5) and r180["p0_before_fixed"] == pytest.approx(0.4)
    assert (base["actual_households"], base["actual_persons"]) == (3, 3)
    assert base["actual_paid_year"] == 3460 and base["actual_paid_year_all"] == 3760
    assert base["actual_paid_ledger"] == 3810
    assert (r180["rule_only_households"], r180["registry_not_eligible_households"]) == (1, 1)  # B; F (C now eligible)
    assert (base["name_zh"], r180["name_zh"], r180["name_en"]) == ("现行政策", "农村180", "r180")
    assert c.breakdowns["quintile"]["scheme"].tolist() == ["baseline"] * 5 + ["r180"] * 5
    assert {"actual", "reconciliation", "by_quintile"} <= set(c.tables())
    assert all(math.isfinite(v) for row in rows for v in row.values() if isinstance(v, float))


def test_the_registry_and_ledger_agree_with_facts_on_the_sample():
    """actual() counts as the facts do (an independent implementation of DATA.md's keys)."""
    from pathlib import Path

    from reliefkit.figures.facts import facts

    sample = load_region(Path(__file__).resolve().parents[2] / "data" / "sample")
    for scope, district in ((sample, None), (sample.district("城关镇"), "城关镇")):
        f = facts(sample, 2026, district)
        t = actual(scope, prepare(scope, 2026)).set_index("programme")
        assert t.loc["dibao", "persons"] == f["rural_dibao.persons"] + f["urban_dibao.persons"]
        assert t.loc["dibao", "paid_year"] == pytest.approx(f["rural_dibao.paid"] + f["urban_dibao.paid"])
        for p in ("tekun", "marginal"):
            assert (t.loc[p, "persons"], t.loc[p, "households"]) == (f[f"{p}.persons"], f[f"{p}.households"])
            assert t.loc[p, "paid_year"] == pytest.approx(f[f"{p}.paid"])
        for q in ("temporary", "medical"):
            assert (t.loc[q, "persons"], t.loc[q, "households"]) == (f[f"{q}.persons"], f[f"{q}.households"])
            assert t.loc[q, "paid_year"] == pytest.approx(f[f"{q}.amount"])
        others = sum(f[f"{q}.amount"] for q in ("donation", "holiday_visit", "project_fund", "education_grant",
                                                "one_time"))
        assert t.loc["not_simulated", "paid_year"] == pytest.approx(others)


def test_another_yardstick_from_the_command(region, tmp_path, capsys):
    import json

    from reliefkit.cli.main import main

    r180 = tmp_path / "r180.yaml"
    r180.write_text("name: r180\nset:\n  rural_dibao.line: 180\n", encoding="utf-8")
    assert main(["compare", str(region.source), "--year", "2026", "--yardstick", str(r180), "--json"]) == 0
    (base,) = json.loads(capsys.readouterr().out)["schemes"]
    # against 180, the baseline tops A and B up to 150 only: A 2, B 1, C 1 (150) and F 1 stay poor
    assert base["line_rural_fixed"] == 180 and base["p0_after_fixed"] == pytest.approx(5 / 10)
    assert base["p0_after"] == pytest.approx(1 / 10)  # on its own line 150 only F

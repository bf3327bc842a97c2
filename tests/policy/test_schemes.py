"""Scheme files and the policy parameters they set; hand-computed cases of every programme."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from reliefkit.errors import PolicyError, SchemeError
from reliefkit.policy.parameters import UNITS, baseline_policy
from reliefkit.policy.schemes import BASELINE_NAME, Scheme, load_scheme, scheme_from_mapping
from reliefkit.simulate.simulation import simulate
from scheme_helpers import write_region

D = dt.date(2026, 12, 31)


# --------------------------------------------------------------------------- baseline policy
def test_baseline_keeps_the_two_lines_and_documents_every_parameter() -> None:
    p = baseline_policy()
    assert p["rural_dibao.line"].values == ((dt.date(2025, 1, 1), 110), (dt.date(2026, 1, 1), 150))
    assert p["urban_dibao.line"].values == ((dt.date(2025, 1, 1), 210),)
    for path in p.paths:
        param = p[path]
        assert param.description and param.reference and param.unit in UNITS, path
        param.at(D)  # every parameter has a value on D
    for prefix in ("tekun.", "marginal.", "temporary.", "medical."):
        assert any(path.startswith(prefix) for path in p.paths), prefix


# --------------------------------------------------------------------------- scheme files
def _write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_scheme_file_plain_and_dated_values(tmp_path: Path) -> None:
    s = load_scheme(_write(tmp_path, "name: Rural line 180\nset:\n  rural_dibao.line: 180\n"
                                      "  urban_dibao.line: {2026-01-01: 220, 2027-01-01: 260}\n"))
    assert s.name == "Rural line 180" and not s.is_baseline
    policy = s.apply(baseline_policy())
    assert policy.value("rural_dibao.line", D) == 180
    assert policy.value("rural_dibao.line", dt.date(2020, 1, 1)) == 180  # a plain value holds every date
    assert policy.value("urban_dibao.line", D) == 220
    assert policy.value("urban_dibao.line", dt.date(2027, 6, 1)) == 260


def test_unknown_parameter_names_the_closest(tmp_path: Path) -> None:
    path = _write(tmp_path, "name: typo\nset:\n  rural_dibao.lines: 180\n")
    with pytest.raises(SchemeError) as e:
        load_scheme(path).apply(baseline_policy())
    msg = str(e.value)
    assert "rural_dibao.lines" in msg and "rural_dibao.line" in msg and str(path) in msg


@pytest.mark.parametrize("text, fragment", [
    ("name: x\nset:\n  rural_dibao.line: '180'\n", "not a yuan/person/month value"),
    ("name: x\nset:\n  rural_dibao.line: true\n", "not a yuan/person/month value"),
    ("name: x\nset:\n  rural_dibao.line: -5\n", "negative"),
    ("name: x\nset:\n  tekun.min_age: 60.5\n", "not a years value"),
    ("name: x\nset:\n  medical.dibao.share: 1.5\n", "outside 0–1"),
    ("name: x\nset:\n  temporary.causes: [disaster, flood]\n", "unknown cause code"),
    ("name: x\nset:\n  rural_dibao.line: {2027-01-01: 200}\n", "no value in force"),
])
def test_wrong_values_are_refused(tmp_path: Path, text: str, fragment: str) -> None:
    scheme = load_scheme(_write(tmp_path, text))
    with pytest.raises(PolicyError) as e:
        simulate_policy = scheme.apply(baseline_policy())
        simulate_policy.value("rural_dibao.line", D)
    assert fragment in str(e.value)


@pytest.mark.parametrize("text, fragment", [
    ("- a\n- b\n", "must be a mapping"),
    ("set:\n  rural_dibao.line: 1\n", "has no name"),
    ("name: baseline\nset:\n  rural_dibao.line: 1\n", "reserved"),
    ("name: x\n", "'set' must map"),
    ("name: x\nset: 3\n", "'set' must map"),
    ("name: x\nsets:\n  a: 1\n", "unknown key"),
    ("name: x\nset:\n  rural_dibao.line: 1\n  rural_dibao.line: 2\n", "duplicate key"),
    ("name: [x\n", "not valid YAML"),
])
def test_malformed_scheme_files(tmp_path: Path, text: str, fragment: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(SchemeError) as e:
        load_scheme(path)
    assert fragment in str(e.value) and str(path) in str(e.value)


def test_missing_scheme_file(tmp_path: Path) -> None:
    with pytest.raises(SchemeError, match="cannot be read"):
        load_scheme(tmp_path / "nope.yaml")


def test_baseline_scheme_sets_nothing() -> None:
    policy = baseline_policy()
    assert Scheme(BASELINE_NAME).apply(policy) is policy
    assert repr(scheme_from_mapping({"name": "a", "set": {"marginal.allowance": 20}})) == \
        "Scheme('a': marginal.allowance=20)"


# --------------------------------------------------------------------------- hand-computed cases
def _region(tmp_path: Path, households: list[dict], persons: list[dict], enrolments: list[dict] | None = None):
    tables = {"households": pd.DataFrame(households), "persons": pd.DataFrame(persons)}
    if enrolments:
        tables["enrolments"] = pd.DataFrame(enrolments)
    return write_region(tmp_path / "region", tables)


def _row(sim, hid: str) -> pd.Series:
    t = sim.table()
    return t.set_index("household_id").loc[hid]


def test_dibao_by_hand(tmp_path: Path) -> None:
    hh = [
        {"household_id": "H1", "district": "A", "area": "rural", "annual_income": 3600},   # y = 150 = z: not poor
        {"household_id": "H2", "district": "A", "area": "rural", "annual_income": 2400},   # y = 100
        {"household_id": "H3", "district": "B", "area": "urban", "annual_income": 0},      # y = 0
        {"household_id": "H4", "district": "B", "area": "urban", "annual_income": 1200, "has_vehicle": "true"},
        {"household_id": "H5", "district": "A", "area": "rural", "annual_income": 0},      # public employee alive
        {"household_id": "H6", "district": "A", "area": "rural", "annual_income": 1200},   # public employee dead
        {"household_id": "H7", "district": "A", "area": "rural", "annual_income": 0},      # nobody alive
    ]
    persons = [
        {"person_id": "P11", "household_id": "H1"}, {"person_id": "P12", "household_id": "H1"},
        {"person_id": "P13", "household_id": "H1", "deceased_on": "2026-12-31"},  # died on D: not alive
        {"person_id": "P14", "household_id": "H1", "deceased_on": "2026-03-01"},
        {"person_id": "P21", "household_id": "H2"},
        {"person_id": "P22", "household_id": "H2", "deceased_on": "2027-01-05"},  # alive on D
        {"person_id": "P31", "household_id": "H3"},
        {"person_id": "P41", "household_id": "H4"},
        {"person_id": "P51", "household_id": "H5", "public_employee": "true"},
        {"person_id": "P52", "household_id": "H5"},
        {"person_id": "P61", "household_id": "H6", "public_employee": "true", "deceased_on": "2026-05-01"},
        {"person_id": "P62", "household_id": "H6"},
        {"person_id": "P71", "household_id": "H7", "deceased_on": "2025-01-01"},
    ]
    sim = simulate(_region(tmp_path, hh, persons), 2026)
    t = sim.table().set_index("household_id")
    assert "H7" not in t.index and sim.prepared.left_out == 1
    assert t["n"].to_dict() == {"H1": 2, "H2": 2, "H3": 1, "H4": 1, "H5": 2, "H6": 1}
    assert t["eligible"].to_dict() == {"H1": False, "H2": True, "H3": True, "H4": False, "H5": False, "H6": True}
    assert t.loc["H2", "dibao"] == (150 - 100) * 2
    assert t.loc["H3", "dibao"] == 210
    assert t.loc["H6", "dibao"] == 150 - 100
    assert t.loc["H1", "y_after"] == 150 and t.loc["H4", "y_after"] == 100
    from reliefkit.simulate.measures import measures

    m = measures(sim)
    N = 9  # persons alive
    assert (m["households"], m["persons"]) == (3, 4)
    assert m["cost_year"] == 12 * (100 + 210 + 50)
    poor = {"H2": 2, "H3": 1, "H4": 1, "H5": 2, "H6": 1}  # persons with y < z
    assert m["p0_before"] == pytest.approx(sum(poor.values()) / N)
    gap = {"H2": 50 / 150, "H3": 1.0, "H4": 110 / 210, "H5": 1.0, "H6": 50 / 150}
    assert m["p1_before"] == pytest.approx(sum(poor[h] * gap[h] for h in poor) / N)
    assert m["p2_before"] == pytest.approx(sum(poor[h] * gap[h] ** 2 for h in poor) / N)
    assert m["p0_after"] == pytest.approx(3 / N)  # H4 and H5 stay poor
    assert m["p1_after"] == pytest.approx((110 / 210 + 2) / N)
    assert m["exclusion_error"] == pytest.approx(3 / 7) and m["inclusion_error"] == 0.0


def _tekun_region(tmp_path: Path):
    hh = [
        {"household_id": "T1", "district": "A", "area": "rural", "annual_income": 0, "medical_spending": 1000},
        {"household_id": "T2", "district": "A", "area": "urban", "annual_income": 1200},
        {"household_id": "T3", "district": "A", "area": "rural", "annual_income": 0},
        {"household_id": "T4", "district": "A", "area": "rural", "annual_income": 2520},
    ]
    persons = [
        # 70 years old on D, alone, no labour ability: elderly special hardship, care tier "able"
        {"person_id": "Q1", "household_id": "T1", "birth_date": "1956-05-01", "labor_ability": "none"},
        # 40, grade-1 disability (tier "unable"), centralized care
        {"person_id": "Q2", "household_id": "T2", "birth_date": "1986-05-01", "labor_ability": "none",
         "disability_grade": 1},
        # 70 but lives with someone who can work: not special hardship
        {"person_id": "Q3", "household_id": "T3", "birth_date": "1956-05-01", "labor_ability": "none"},
        {"person_id": "Q4", "household_id": "T3", "birth_date": "1990-05-01", "labor_ability": "full"},
        # 70, alone, y = 210 ≥ 1.3 × 150 = 195: income too high
        {"person_id": "Q5", "household_id": "T4", "birth_date": "1956-05-01", "labor_ability": "none"},
    ]
    enrol = [{"person_id": "Q2", "program": "tekun", "start_date": "2020-01-01", "end_date": "",
              "support_mode": "centralized"}]
    return _region(tmp_path, hh, persons, enrol)


def test_tekun_and_its_medical_class_by_hand(tmp_path: Path) -> None:
    sim = simulate(_tekun_region(tmp_path), 2026)
    t = sim.table().set_index("household_id")
    assert t["tekun_persons"].to_dict() == {"T1": 1, "T2": 1, "T3": 0, "T4": 0}
    # standard 1.3 × 150 + 40 (able) = 235, minus the dibao share 150 − 0 already paid
    assert t.loc["T1", "tekun"] == pytest.approx(1.3 * 150 + 40 - 150)
    # 1.3 × 210 + 400 (unable) + 100 (centralized) − (210 − 100)
    assert t.loc["T2", "tekun"] == pytest.approx(1.3 * 210 + 400 + 100 - 110)
    assert t.loc["T1", "medical_class"] == "tekun" and t.loc["T1", "medical"] == 1000  # share 1, no deductible
    higher = simulate(sim.prepared, scheme=scheme_from_mapping(
        {"name": "care", "set": {"tekun.care.able": 100, "tekun.min_age": 75}}))
    t2 = higher.table().set_index("household_id")
    assert t2.loc["T1", "tekun_persons"] == 0  # 70 < 75
    assert t2.loc["T2", "tekun_persons"] == 1  # by disability, whatever the age


def test_marginal_temporary_medical_by_hand(tmp_path: Path) -> None:
    hh = [
        # y = 200: 150 ≤ y < 225 marginal; disaster → temporary 3 × 150 × 1; medical marginal class
        {"household_id": "M1", "district": "A", "area": "rural", "annual_income": 2400, "main_cause": "disaster",
         "medical_spending": 5000},
        # y = 100, n = 5: dibao; illness → temporary min(3 × 150 × 5, 5000) = 2250; medical dibao class capped
        {"household_id": "M2", "district": "A", "area": "rural", "annual_income": 6000, "main_cause": "illness",
         "medical_spending": 100000},
        # y = 100 but a vehicle: neither dibao nor marginal; education is no shock
        {"household_id": "M3", "district": "A", "area": "rural", "annual_income": 1200, "has_vehicle": "true",
         "main_cause": "education", "medical_spending": 3000},
        # y = 300 ≥ 225: nothing
        {"household_id": "M4", "district": "A", "area": "rural", "annual_income": 3600, "main_cause": "disaster"},
    ]
    persons = [{"person_id": "R1", "household_id": "M1", "labor_ability": "full"}]
    persons += [{"person_id": f"R2{i}", "household_id": "M2", "labor_ability": "full"} for i in range(5)]
    persons += [{"person_id": "R3", "household_id": "M3"}, {"person_id": "R4", "household_id": "M4"}]
    region = _region(tmp_path, hh, persons)
    t = simulate(region, 2026).table().set_index("household_id")
    assert t["marginal_eligible"].to_dict() == {"M1": True, "M2": False, "M3": False, "M4": False}
    assert t.loc["M1", "marginal"] == 0  # baseline: identified, no cash
    assert t["temporary"].to_dict() == {"M1": 450.0, "M2": 2250.0, "M3": 0.0, "M4": 0.0}
    assert t.loc["M1", "medical"] == pytest.approx(0.6 * (5000 - 1000))
    assert t.loc["M2", "medical"] == 40000  # 0.7 × 99 500 capped
    assert t.loc["M3", "medical"] == 0  # no class
    assert t.loc["M2", "transfers_year"] == pytest.approx(12 * (150 - 100) * 5 + 2250 + 40000)
    s = scheme_from_mapping({"name": "x", "set": {"marginal.allowance": 30, "temporary.cap": 1000,
                                                  "temporary.causes": ["education"]}})
    t2 = simulate(region, 2026, s).table().set_index("household_id")
    assert t2.loc["M1", "marginal"] == 30 and t2.loc["M1", "temporary"] == 0
    assert t2.loc["M3", "temporary"] == 450  # education now a shock: 3 × 150 × 1 under the cap
    assert t2.loc["M1", "y_after_all"] == pytest.approx(200 + 30 + 0.6 * 4000 / 12)


def test_registry_receiving_is_alive_and_active_on_d(tmp_path: Path) -> None:
    hh = [{"household_id": f"G{i}", "district": "A", "area": "rural", "annual_income": 0} for i in range(4)]
    persons = [{"person_id": f"S{i}", "household_id": f"G{i}"} for i in range(4)]
    persons.append({"person_id": "S9", "household_id": "G3", "deceased_on": "2026-06-01"})
    enrol = [
        {"person_id": "S0", "program": "rural_dibao", "start_date": "2026-01-01", "end_date": ""},
        {"person_id": "S1", "program": "rural_dibao", "start_date": "2026-01-01", "end_date": "2026-12-31"},
        {"person_id": "S2", "program": "urban_dibao", "start_date": "2026-12-31", "end_date": "2027-01-31"},
        {"person_id": "S9", "program": "rural_dibao", "start_date": "2026-01-01", "end_date": ""},
    ]
    base = simulate(_region(tmp_path, hh, persons, enrol), 2026).prepared
    assert base.registry.tolist() == [True, False, True, False]

"""``compare`` and ``reliefkit compare``: the DATA.md contract, tables, winners and losers,
assistance modes."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from reliefkit.cli.main import main
from reliefkit.simulate.compare import compare, winners_losers
from reliefkit.errors import SchemeError
from reliefkit.figures.modes import assistance_modes, modes_by_household
from reliefkit.policy.schemes import scheme_from_mapping
from reliefkit.simulate.simulation import simulate
from test_measures import plain_reference
from scheme_helpers import random_tables, write_region

CONTRACT = ("name", "households", "persons", "cost_year", "p0_before", "p1_before", "p2_before", "p0_after",
            "p1_after", "p2_after", "exclusion_error", "inclusion_error")


def _scheme(folder: Path, name: str, body: str) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(f"name: {name}\nset:\n{body}", encoding="utf-8")
    return path


def _run_json(capsys: pytest.CaptureFixture, *argv: str) -> dict:
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


REGION_LINES = """rural_dibao:
  line:
    description: region's own rural line
    unit: yuan/person/month
    reference: test
    values:
      2025-01-01: 120
      2026-07-01: 165
"""


@pytest.mark.parametrize("seed, region_policy", [(31, None), (32, REGION_LINES), (33, None)])
def test_cli_json_equals_the_plain_reference(tmp_path: Path, capsys, seed: int, region_policy: str | None) -> None:
    tables = random_tables(seed, 70)
    folder = tmp_path / "region"
    write_region(folder, tables, region_policy)
    schemes = [
        _scheme(tmp_path, "r180", "  rural_dibao.line: 180\n"),
        _scheme(tmp_path, "both", "  rural_dibao.line: 137.5\n  urban_dibao.line: 260\n"),
        _scheme(tmp_path, "dated", "  rural_dibao.line: {2026-01-01: 140, 2026-12-31: 200, 2027-01-01: 90}\n"
                                   "  urban_dibao.line: {2025-01-01: 150}\n"),
    ]
    args = ["compare", str(folder), "--year", "2026", "--json"]
    for s in schemes:
        args += ["--scheme", str(s)]
    out = _run_json(capsys, *args)
    assert list(out) == ["schemes"]
    rows = out["schemes"]
    assert [r["name"] for r in rows] == ["baseline", "r180", "both", "dated"]
    base_rural = 165 if region_policy else 150
    lines = [(base_rural, 210), (180, 210), (137.5, 260), (200, 150)]
    for row, (zr, zu) in zip(rows, lines):
        assert set(CONTRACT) <= set(row)
        assert isinstance(row["households"], int) and isinstance(row["persons"], int)
        assert all(isinstance(row[k], float) for k in CONTRACT[3:])
        want = plain_reference(tables, 2026, {"rural": zr, "urban": zu})
        assert row["cost_year"] == round(want["cost_year"], 2)
        for k in CONTRACT[1:]:
            assert math.isclose(row[k], want[k], rel_tol=1e-9, abs_tol=1e-9), (row["name"], k, row[k], want[k])


def test_cli_district_scope(tmp_path: Path, capsys) -> None:
    tables = random_tables(34, 60)
    folder = tmp_path / "region"
    write_region(folder, tables)
    out = _run_json(capsys, "compare", str(folder), "--year", "2026", "--district", "East", "--json")
    hh = tables["households"]
    east = {"households": hh[hh["district"] == "East"].reset_index(drop=True)}
    east["persons"] = tables["persons"][tables["persons"]["household_id"].isin(east["households"]["household_id"])]
    east["enrolments"] = tables["enrolments"][tables["enrolments"]["person_id"].isin(east["persons"]["person_id"])]
    want = plain_reference(east, 2026, {"rural": 150, "urban": 210})
    (row,) = out["schemes"]
    for k in CONTRACT[1:]:
        assert math.isclose(row[k], want[k], rel_tol=1e-9, abs_tol=1e-9), k


def test_cli_table_xlsx_and_errors(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "region"
    write_region(folder, random_tables(35, 40))
    s = _scheme(tmp_path, "Marginal 40", "  marginal.allowance: 40\n")
    book = tmp_path / "out" / "compare.xlsx"
    assert main(["compare", str(folder), "--year", "2026", "--scheme", str(s), "--xlsx", str(book),
                 "--lang", "en"]) == 0
    text = capsys.readouterr().out
    assert "baseline" in text and "Marginal 40" in text and "Yearly cost of the allowance (yuan)" in text
    assert "Three things part them" in text and "not enrolled" in text
    assert main(["compare", str(folder), "--year", "2026", "--scheme", str(s)]) == 0  # Chinese by default
    text = capsys.readouterr().out
    assert "现行政策" in text and "年度低保支出（元）" in text and "差异来自三个方面" in text
    assert "baseline" not in text and "yuan" not in text
    sheets = pd.read_excel(book, sheet_name=None, engine="calamine")
    assert {"summary", "programmes", "by_district", "by_area", "by_main_cause", "by_decile", "by_quintile",
            "winners_losers", "actual", "reconciliation", "parameters"} <= set(sheets)
    assert sheets["summary"]["name"].tolist() == ["baseline", "Marginal 40"]

    bad = _scheme(tmp_path, "bad", "  rural_dibao.lien: 180\n")
    assert main(["compare", str(folder), "--year", "2026", "--scheme", str(bad), "--json"]) == 2
    err = capsys.readouterr().err
    assert "rural_dibao.lien" in err and "rural_dibao.line" in err and "bad.yaml" in err
    assert main(["compare", str(folder), "--year", "2026", "--district", "Nowhere"]) == 2
    assert "Nowhere" in capsys.readouterr().err


def test_compare_tables(tmp_path: Path) -> None:
    region = write_region(tmp_path / "r", random_tables(36, 80))
    c = compare(region, 2026, [{"name": "up", "set": {"rural_dibao.line": 190, "marginal.allowance": 25}},
                               {"name": "down", "set": {"rural_dibao.line": 120}}])
    assert c.names == ["baseline", "up", "down"]
    s = c.summary.set_index("name")
    assert s.loc["baseline", "cost_change"] == 0 and s.loc["up", "cost_change"] > 0 > s.loc["down", "cost_change"]
    assert s.loc["down", "households_losing"] > 0 and s.loc["up", "households_gaining"] > 0
    wl = c.winners_losers
    assert set(wl["scheme"]) == {"up", "down"}
    for name in ("up", "down"):
        part = wl[wl["scheme"] == name]
        assert part["households"].sum() == s.loc[name, "households_in_scope"]
        gain = part[part["band"].str.startswith("gains")]["households"].sum()
        assert gain == s.loc[name, "households_gaining"]
        assert part["change_year"].sum() == pytest.approx(s.loc[name, "cost_all_change"])
    prog = c.programmes.set_index(["scheme", "programme"])
    assert prog.loc[("up", "dibao"), "cost_year"] == pytest.approx(s.loc["up", "cost_year"])
    assert prog.loc[("up", "marginal"), "cost_year"] > 0 == prog.loc[("baseline", "marginal"), "cost_year"]
    assert prog.xs("up", level="scheme")["cost_year"].sum() == pytest.approx(s.loc["up", "cost_year_all"])
    for by, t in c.breakdowns.items():
        assert list(t["scheme"].unique()) == c.names, by
    assert c.parameters["parameter"].tolist() == ["rural_dibao.line", "marginal.allowance", "rural_dibao.line"]
    with pytest.raises(SchemeError, match="second scheme"):
        compare(region, 2026, [{"name": "a", "set": {"rural_dibao.line": 1}},
                               {"name": "a", "set": {"rural_dibao.line": 2}}])


def test_winners_losers_bands(tmp_path: Path) -> None:
    region = write_region(tmp_path / "r", random_tables(37, 50))
    base = simulate(region, 2026)
    other = simulate(base.prepared, scheme=scheme_from_mapping({"name": "x", "set": {"rural_dibao.line": 400}}))
    t = winners_losers(other, base)
    change = other["transfers_year"] - base["transfers_year"]
    assert t.loc[t["band"] == "gains ≥ 1,200", "households"].item() == int((change >= 1200).sum())
    assert t.loc[t["band"] == "unchanged", "households"].item() == int((np.abs(change) < 0.005).sum())


# --------------------------------------------------------------------------- assistance modes
def test_assistance_modes_by_hand(tmp_path: Path) -> None:
    hh = pd.DataFrame({"household_id": ["A", "B", "C", "E", "F"], "district": "X", "area": "rural",
                       "annual_income": 1000})
    persons = pd.DataFrame({"person_id": ["a", "b", "c", "e", "f"], "household_id": ["A", "B", "C", "E", "F"],
                            "deceased_on": ["", "", "", "", "2026-05-01"]})
    enrol = pd.DataFrame({
        "person_id": ["a", "b", "c", "e", "f"],
        "program": "registered_poor",
        "start_date": ["2024-01-01", "2024-01-01", "2024-01-01", "2027-01-01", "2024-01-01"],
        #  a exits in 2026; b still enrolled; c exited in 2025 (not in scope); e starts later; f died
        "end_date": ["2026-10-01", "", "2025-06-30", "", "2026-05-01"],
    })
    helpers = pd.DataFrame({"helper_id": ["h1"], "unit_type": ["enterprise"], "capacity": [3]})
    pairings = pd.DataFrame({"helper_id": ["h1", "h1"], "person_id": ["a", "b"],
                             "start_date": ["2025-01-01", "2026-03-01"], "end_date": ["2026-10-01", ""]})
    payments = pd.DataFrame({
        "payment_id": ["p1", "p2", "p3", "p4", "p5"],
        "person_id": ["a", "a", "b", "b", "f"],
        "program": ["project_fund", "temporary", "one_time", "one_time", "one_time"],
        "paid_on": ["2026-02-01", "2026-03-01", "2026-04-01", "2025-04-01", "2026-02-01"],
        "amount": [5000, 300, 800, 999, 200],
    })
    region = write_region(tmp_path / "r", {"households": hh, "persons": persons, "enrolments": enrol,
                                           "helpers": helpers, "pairings": pairings, "payments": payments})
    per = modes_by_household(region, 2026).set_index("household_id")
    assert per.index.tolist() == ["A", "B", "F"]
    assert per["exited"].to_dict() == {"A": True, "B": False, "F": False}
    assert per.loc["A", "amount"] == 5300 and per.loc["B", "amount"] == 800
    t = assistance_modes(region, 2026).set_index("mode")
    assert t.loc["pairing", ["households", "exits"]].tolist() == [2, 1]
    assert t.loc["project_fund", "exit_rate"] == 1.0 and t.loc["project_fund", "mode_amount_per_exit"] == 5000
    assert t.loc["one_time", "households"] == 2 and t.loc["one_time", "exits"] == 0
    assert t.loc["all", "exit_rate"] == pytest.approx(1 / 3) and t.loc["all", "amount_per_exit"] == 6300
    combos = assistance_modes(region, 2026, by="combination").set_index("mode")
    assert combos["households"].to_dict() == {"one_time": 1, "pairing+one_time": 1, "pairing+project_fund": 1}


def test_a_district_where_nobody_is_alive_compares_to_zeros(tmp_path):
    """Every breakdown of an empty scope is empty and every figure 0 — no internal error."""
    from conftest import enrol, household, person, write_tables

    from reliefkit import load_region

    folder = write_tables(tmp_path / "r", {
        "households": [household("H1", district="甲镇"), household("H2", district="乙镇")],
        "persons": [person("P1", "H1"), person("P2", "H2", deceased_on="2020-01-01")],
        "enrolments": [enrol("P1", "rural_dibao", "2026-01-01")],
    })
    c = compare(load_region(folder), 2026, district="乙镇")
    row = c.summary.iloc[0]
    assert row["households"] == 0 and row["persons"] == 0 and row["cost_year"] == 0
    assert row["p0_before"] == 0 and row["exclusion_error"] == 0
    assert all(len(t) == 0 for t in c.breakdowns.values() if "district" in t.columns)

"""Monitoring against return to poverty (docs/en/facts.md, "Monitoring") on a region built
by hand: every category, edge and tie worked out below, line L = 1,200 yuan per person a year."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SAMPLE, enrol, household, person
from reliefkit import facts, load_region
from reliefkit.errors import RegionReadError
from reliefkit.figures.monitoring import household_monitoring, monitored_households

Y = 2026  # D = 2026-12-31
LINE = """\
monitoring:
  line:
    description: test monitoring line
    unit: yuan/person/year
    reference: test
    values:
      2025-01-01: 900
      2026-01-01: 1200
"""


def _region(build, **extra) -> Path:
    folder = build(
        households=[
            household("H1", income=2000),                      # exited RP, y 1000 < L: unstable (2 persons)
            household("H2", income=500),                       # registered now: never monitored
            household("H3", income=1200, medical_spending=0),  # never registered, y = L exactly: not below
            household("H4", income=500),                       # rural dibao on D (standing): not edge
            household("H5", income=1100),                      # edge, but marginal on D: supported
            household("H6", income=3000, medical_spending=3000),  # y 1500 ≥ L, y_net 0: sudden; paired
            household("H7", district="B", income=600),         # RP ends on D: exited → unstable
            household("H8", district="B", income=700),         # RP starts after D: never → edge
            household("H9", district="B", income=0),           # nobody alive on D: left out
            household("H10", district="B", income=1000),       # RP held by a dead member: unstable, n = 1
            household("H11", district="B", income=3000, medical_spending=3000),  # registered now: not sudden
            household("H12", district="B", income=2600, medical_spending=100),   # y_net 1250 ≥ L: none
        ],
        persons=[person("P1a", "H1"), person("P1b", "H1", relation="spouse"), person("P2", "H2"),
                 person("P3", "H3"), person("P4", "H4"), person("P5", "H5"),
                 person("P6a", "H6"), person("P6b", "H6", relation="child"), person("P7", "H7"),
                 person("P8", "H8"), person("P9", "H9", deceased_on="2026-05-01"),
                 person("P10a", "H10", deceased_on="2025-02-01"), person("P10b", "H10", relation="spouse"),
                 person("P11", "H11"), person("P12", "H12")],
        enrolments=[enrol("P1a", "registered_poor", "2024-01-01", "2025-06-30"),
                    enrol("P2", "registered_poor", "2024-01-01"),
                    enrol("P4", "rural_dibao", "2025-01-01"),
                    enrol("P5", "marginal", "2026-03-01"),
                    enrol("P7", "registered_poor", "2023-01-01", "2026-12-31"),
                    enrol("P8", "registered_poor", "2027-01-05"),
                    enrol("P10a", "registered_poor", "2020-01-01"),
                    enrol("P11", "registered_poor", "2024-01-01")],
        helpers=[{"helper_id": "M1", "unit_type": "enterprise", "capacity": 3}],
        pairings=[{"helper_id": "M1", "person_id": "P6b", "start_date": "2026-01-01"}],
        **extra,
    )
    (folder / "policies").mkdir()
    (folder / "policies" / "monitoring.yaml").write_text(LINE, encoding="utf-8")
    return folder


def test_every_category_edge_and_tie(build):
    f = facts(load_region(_region(build)), Y)
    assert f["monitoring.line"] == 1200
    assert (f["monitoring.unstable.households"], f["monitoring.unstable.persons"]) == (3, 4)  # H1, H7, H10
    assert (f["monitoring.edge.households"], f["monitoring.edge.persons"]) == (2, 2)          # H5, H8
    assert (f["monitoring.sudden.households"], f["monitoring.sudden.persons"]) == (1, 2)      # H6
    assert (f["monitoring.households"], f["monitoring.persons"]) == (6, 8)
    assert f["monitoring.without_support.households"] == 4  # H1, H7, H10, H8 (H5 marginal, H6 paired)


def test_each_household_in_its_category(build):
    frame = household_monitoring(load_region(_region(build)), Y).set_index("household_id")
    assert "H9" not in frame.index  # nobody alive on D
    got = frame["category"].where(frame["category"].notna(), "-").to_dict()
    assert got == {"H1": "unstable", "H2": "-", "H3": "-", "H4": "-", "H5": "edge", "H6": "sudden",
                   "H7": "unstable", "H8": "edge", "H10": "unstable", "H11": "-", "H12": "-"}
    assert frame.loc["H10", "persons"] == 1 and frame.loc["H10", "per_capita"] == 1000
    assert frame.loc["H6", "per_capita_net"] == 0


def test_district_scope_and_the_line_of_the_year(build):
    region = load_region(_region(build))
    a = facts(region, Y, district="A")
    assert (a["monitoring.households"], a["monitoring.persons"]) == (3, 5)  # H1 (2), H5, H6 (2)
    # in 2025 the line is 900: H1 (y 1000) and H7 (600: RP active on D0, registered then) …
    before = facts(region, 2025)
    assert before["monitoring.line"] == 900
    # 2025: H1 exited mid-2025, y 1000 ≥ 900: not unstable; H10: y 1000 ≥ 900; H7 registered on D0
    assert before["monitoring.unstable.households"] == 0


def test_list_is_ordered_and_holds_no_personal_columns(build):
    listed = monitored_households(load_region(_region(build)), Y)
    assert listed["household_id"].tolist() == ["H1", "H10", "H7", "H5", "H8", "H6"]
    assert not {"name", "person_id"} & set(listed.columns)


def test_baseline_carries_the_line_and_the_sample_has_the_keys():
    f = facts(load_region(SAMPLE), Y)
    keys = {k for k in f if k.startswith("monitoring.")}
    assert keys == {f"monitoring.{c}.{w}" for c in ("unstable", "edge", "sudden") for w in ("households", "persons")} | {
        "monitoring.households", "monitoring.persons", "monitoring.line", "monitoring.without_support.households"}


def test_cli_prints_the_keys_for_a_district(build):
    out = subprocess.run([sys.executable, "-m", "reliefkit.cli.main", "facts", str(_region(build)), "--year", str(Y),
                          "--district", "B"], capture_output=True, text=True, check=True).stdout
    f = json.loads(out)
    assert (f["monitoring.unstable.households"], f["monitoring.edge.households"]) == (2, 1)  # H7, H10; H8
    assert f["scope.name"] == "B"

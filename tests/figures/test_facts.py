"""Each fact definition of the data contract (docs/en/facts.md) on tiny regions whose answers are known by construction."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import enrol, household, pay, person
from reliefkit import load_region
from reliefkit import facts
from reliefkit.errors import UnknownDistrictError
from reliefkit.io.schema import ONE_OFF_PROGRAMS, STANDING_PROGRAMS, UNIT_TYPES

Y = 2026  # D = 2026-12-31, D0 = 2025-12-31


def test_enrolment_ending_on_D_is_not_active_and_death_on_D_is_not_alive(build):
    folder = build(
        households=[household("H1"), household("H2"), household("H3"), household("H4")],
        persons=[person("P1", "H1"), person("P2", "H2"), person("P3", "H3", deceased_on="2026-12-31"),
                 person("P4", "H4", deceased_on="2027-01-01")],
        enrolments=[enrol("P1", "rural_dibao", "2026-01-01", "2026-12-31"),   # ends on D: out
                    enrol("P2", "rural_dibao", "2026-12-31"),                 # starts on D: in
                    enrol("P3", "rural_dibao", "2026-01-01"),                 # died on D: out
                    enrol("P4", "rural_dibao", "2026-01-01", "2027-01-01")],  # dies after D: in
    )
    f = facts(load_region(folder), Y)
    assert f["rural_dibao.persons"] == 2
    assert f["rural_dibao.households"] == 2
    assert f["persons.registered"] == 4 and f["persons.alive"] == 3
    assert f["households.registered"] == 4


def test_overlapping_enrolments_count_once_and_households_are_distinct(build):
    folder = build(
        households=[household("H1"), household("H2", area="urban")],
        persons=[person("P1", "H1"), person("P2", "H1", relation="spouse"), person("P3", "H2")],
        enrolments=[enrol("P1", "rural_dibao", "2024-01-01"), enrol("P1", "rural_dibao", "2026-03-01"),
                    enrol("P2", "rural_dibao", "2026-05-01"), enrol("P3", "urban_dibao", "2025-06-01")],
    )
    f = facts(load_region(folder), Y)
    assert (f["rural_dibao.persons"], f["rural_dibao.households"]) == (2, 1)
    assert (f["urban_dibao.persons"], f["urban_dibao.households"]) == (1, 1)
    assert f["tekun.persons"] == 0 and f["marginal.households"] == 0


def test_new_persons_and_new_households_are_those_not_active_on_D0(build):
    folder = build(
        households=[household(h) for h in ("H1", "H2", "H3", "H4")],
        persons=[person("P1", "H1"), person("P1b", "H1", relation="child"),
                 person("P2", "H2"), person("P3", "H3"), person("P4", "H4")],
        enrolments=[
            enrol("P1", "marginal", "2025-03-01"),                      # active on D0: old
            enrol("P1b", "marginal", "2026-02-01"),                     # new person, old household
            enrol("P2", "marginal", "2024-01-01", "2025-06-30"),        # ended before D0 …
            enrol("P2", "marginal", "2026-04-01"),                      # … restarted: new
            enrol("P3", "marginal", "2025-12-31"),                      # started on D0: old
            enrol("P4", "marginal", "2025-01-01", "2025-12-31"),        # ended on D0: not active then
            enrol("P4", "marginal", "2026-01-01"),                      # so new
        ],
    )
    f = facts(load_region(folder), Y)
    assert f["marginal.persons"] == 5
    assert f["marginal.new_persons"] == 3          # P1b, P2, P4
    assert f["marginal.households"] == 4
    assert f["marginal.new_households"] == 2       # H2, H4 (H1 had P1, H3 had P3 on D0)


def test_tekun_centralized_counts_the_mode_of_the_active_enrolment(build):
    folder = build(
        households=[household(h) for h in ("H1", "H2", "H3")],
        persons=[person("P1", "H1"), person("P2", "H2"), person("P3", "H3")],
        enrolments=[enrol("P1", "tekun", "2020-01-01", "", "centralized"),
                    enrol("P2", "tekun", "2020-01-01", "2026-06-30", "centralized"),
                    enrol("P2", "tekun", "2026-06-30", "", "dispersed"),
                    enrol("P3", "tekun", "2026-01-01", "", "集中")],
    )
    f = facts(load_region(folder), Y)
    assert f["tekun.persons"] == 3
    assert f["tekun.centralized"] == 2


def test_payments_are_summed_over_the_year_only(build):
    folder = build(
        households=[household("H1"), household("H2")],
        persons=[person("P1", "H1"), person("P2", "H1", relation="spouse"), person("P3", "H2")],
        payments=[pay("P1", "temporary", "2026-01-01", 100.10), pay("P1", "temporary", "2026-12-31", 200.20),
                  pay("P2", "temporary", "2026-07-01", 50), pay("P3", "temporary", "2025-12-31", 999),
                  pay("P3", "temporary", "2027-01-01", 999), pay("P3", "rural_dibao", "2026-03-01", 300),
                  pay("P3", "donation", "2026-03-01", 140)],
    )
    f = facts(load_region(folder), Y)
    assert f["temporary.persons"] == 2 and f["temporary.households"] == 1
    assert f["temporary.amount"] == pytest.approx(350.30)
    assert f["rural_dibao.paid"] == 300 and f["urban_dibao.paid"] == 0
    assert (f["donation.persons"], f["donation.households"], f["donation.amount"]) == (1, 1, 140)
    assert f["medical.amount"] == 0 and f["medical.persons"] == 0


def test_pairing_figures_and_unpaired_needy(build):
    folder = build(
        households=[household(h) for h in ("H1", "H2", "H3", "H4")],
        persons=[person("P1", "H1"), person("P2", "H2"), person("P3", "H3"),
                 person("P4", "H4", deceased_on="2026-05-01"), person("P5", "H4", relation="child")],
        enrolments=[enrol(p, "registered_poor", "2025-01-01") for p in ("P1", "P2", "P3", "P4")],
        helpers=[{"helper_id": "M1", "unit_type": "municipal_unit", "capacity": 5},
                 {"helper_id": "C1", "unit_type": "village_cadre", "capacity": 5},
                 {"helper_id": "E1", "unit_type": "enterprise", "capacity": 5}],
        pairings=[{"helper_id": "M1", "person_id": "P1", "start_date": "2025-01-01"},
                  {"helper_id": "C1", "person_id": "P1", "start_date": "2025-01-01"},
                  {"helper_id": "C1", "person_id": "P5", "start_date": "2026-01-01"},   # not needy, still paired
                  {"helper_id": "E1", "person_id": "P2", "start_date": "2025-01-01", "end_date": "2026-12-31"}],
    )
    f = facts(load_region(folder), Y)
    assert f["pairing.persons"] == 2 and f["pairing.helpers"] == 2
    assert f["pairing.by_unit_type.municipal_unit"] == 1
    assert f["pairing.by_unit_type.village_cadre"] == 2
    assert f["pairing.by_unit_type.enterprise"] == 0
    assert f["registered_poor.persons"] == 3                 # P4 died
    assert f["pairing.unpaired_needy"] == 2                  # P2 (pairing ended on D), P3


def test_district_scope_keeps_only_its_households_and_their_records(build):
    folder = build(
        households=[household("H1", "东乡"), household("H2", "西乡")],
        persons=[person("P1", "H1"), person("P2", "H2")],
        enrolments=[enrol("P1", "rural_dibao", "2025-01-01"), enrol("P2", "rural_dibao", "2025-01-01")],
        payments=[pay("P1", "temporary", "2026-03-01", 10), pay("P2", "temporary", "2026-03-01", 20)],
        helpers=[{"helper_id": "M1", "unit_type": "district_organ", "capacity": 2}],
        pairings=[{"helper_id": "M1", "person_id": "P2", "start_date": "2025-01-01"}],
    )
    region = load_region(folder)
    assert region.districts == ("东乡", "西乡")
    east, west = facts(region, Y, "东乡"), facts(region, Y, "西乡")
    assert (east["households.registered"], east["temporary.amount"], east["pairing.persons"]) == (1, 10, 0)
    assert (west["households.registered"], west["temporary.amount"], west["pairing.helpers"]) == (1, 20, 1)
    whole = facts(region, Y)
    assert (whole["scope.name"], east["scope.name"], east["region.name"]) == ("region0", "东乡", "region0")
    regional = ("policy.", "scope.", "region.", "monitoring.line", "pairing.suggested")
    for key in whole:
        if key.startswith(regional):
            assert key.startswith(("policy.", "scope.", "region.", "monitoring.line")) or east[key] == whole[key], key
            continue
        assert whole[key] == pytest.approx(east[key] + west[key]), key
    with pytest.raises(UnknownDistrictError, match="东乡, 西乡"):
        facts(region, Y, "南乡")


def test_every_key_of_data_md_is_present_with_its_type(build):
    folder = build(households=[household("H1")], persons=[person("P1", "H1")])
    f = facts(load_region(folder), Y)
    keys = {"households.registered", "persons.registered", "tekun.centralized",
            "pairing.persons", "pairing.helpers", "pairing.unpaired_needy",
            "policy.rural_dibao.line", "policy.urban_dibao.line"}
    for p in STANDING_PROGRAMS:
        keys |= {f"{p}.{k}" for k in ("persons", "households", "new_persons", "new_households", "paid")}
    for q in ONE_OFF_PROGRAMS:
        keys |= {f"{q}.{k}" for k in ("persons", "households", "amount")}
    keys |= {f"pairing.by_unit_type.{t}" for t in UNIT_TYPES}
    assert keys <= set(f)
    assert isinstance(f.pop("scope.name"), str) and isinstance(f.pop("region.name"), str)
    for k, v in f.items():
        is_amount = k.endswith((".paid", ".amount"))
        assert isinstance(v, float if is_amount else (int, float)), k
        if not is_amount and not k.startswith("policy."):
            assert isinstance(v, int), k


def test_policy_lines_in_force_on_D_and_region_override(build):
    folder = build(households=[household("H1")], persons=[person("P1", "H1")])
    region = load_region(folder)
    assert facts(region, 2025)["policy.rural_dibao.line"] == 110
    assert facts(region, 2026)["policy.rural_dibao.line"] == 150
    assert facts(region, 2026)["policy.urban_dibao.line"] == 210
    (folder / "policies").mkdir()
    (folder / "policies" / "local.yaml").write_text(
        "rural_dibao:\n  line:\n    description: local line\n    unit: yuan/person/month\n"
        "    reference: local notice\n    values:\n      2026-07-01: 170\n", encoding="utf-8")
    local = load_region(folder)
    assert facts(local, 2026)["policy.rural_dibao.line"] == 170


def test_cli_facts_prints_the_same_json(build):
    folder = build(households=[household("H1")], persons=[person("P1", "H1")],
                   enrolments=[enrol("P1", "tekun", "2025-01-01", "", "centralized")])
    out = subprocess.run([sys.executable, "-m", "reliefkit.cli.main", "facts", str(folder), "--year", "2026"],
                         capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == facts(load_region(folder), 2026)

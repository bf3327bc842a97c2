"""Pairing suggestions (docs/en/facts.md, "Pairing suggestions") on a region built by hand.

Needy (registered poor alive on D, no pairing on D): A — N1, N2, N3; B — N4, N5.
Helpers' spare capacity on D: M1 (A, cap 2, one active pairing) 1; M2 (B, cap 1) 1;
M3 (no district, cap 5) 5; M4 (A, cap 1, its pairing ended before D) 1; M5 (B, cap 1,
at capacity) 0; M6 (A, no capacity) 0. Total spare 8 ≥ 5 needy: suggested 5.
Same district: A min(3, 1 + 1 + 0) = 2; B min(2, 1 + 0) = 1: 3.
"""

from __future__ import annotations

import pandas as pd

from conftest import enrol, household, person
from reliefkit import facts, load_region
from reliefkit.figures.pairing import helper_spare, suggest_pairings

Y = 2026


def _helper(hid: str, district: str = "", capacity: object = 1) -> dict:
    return {"helper_id": hid, "unit": f"unit {hid}", "unit_type": "village_cadre", "capacity": capacity,
            "district": district}


def _region(build):
    needy = {"N1": "A", "N2": "A", "N3": "A", "N4": "B", "N5": "B"}
    others = {"Q1": "A", "Q2": "B", "Q3": "B", "Q4": "A"}  # Q1 paired to M1; Q2 to M5; Q3 to a missing helper
    households = [household(f"H{p}", district=d) for p, d in {**needy, **others}.items()]
    persons = [person(p, f"H{p}") for p in {**needy, **others}]
    persons.append(person("D1", "HQ4", relation="spouse", deceased_on="2026-03-01"))  # dead: not needy
    enrolments = [enrol(p, "registered_poor", "2024-01-01") for p in [*needy, "Q1", "Q3", "D1"]]
    enrolments.append(enrol("Q4", "registered_poor", "2024-01-01", "2026-12-31"))  # ends on D: not needy
    return build(
        households=households, persons=persons, enrolments=enrolments,
        helpers=[_helper("M1", "A", 2), _helper("M2", "B", 1), _helper("M3", "", 5), _helper("M4", "A", 1),
                 _helper("M5", "B", 1), _helper("M6", "A", "")],
        pairings=[{"helper_id": "M1", "person_id": "Q1", "start_date": "2025-01-01"},
                  {"helper_id": "M4", "person_id": "Q1", "start_date": "2025-01-01", "end_date": "2026-06-30"},
                  {"helper_id": "M5", "person_id": "Q2", "start_date": "2025-01-01"},
                  {"helper_id": "M5", "person_id": "Q2", "start_date": "2026-01-01"},  # same person: one place
                  {"helper_id": "M9", "person_id": "Q3", "start_date": "2025-01-01"}],  # M9 not in helpers
    )


def test_the_two_maxima(build):
    f = facts(load_region(_region(build)), Y)
    assert f["pairing.unpaired_needy"] == 5
    assert (f["pairing.suggested"], f["pairing.suggested_same_district"]) == (5, 3)


def test_district_scope_keeps_the_region_values(build):
    region = load_region(_region(build))
    b = facts(region, Y, district="B")
    assert b["pairing.unpaired_needy"] == 2
    assert (b["pairing.suggested"], b["pairing.suggested_same_district"]) == (5, 3)


def test_spare_capacity(build):
    region = load_region(_region(build))
    spare = dict(zip(region.helpers["helper_id"], helper_spare(region, Y).tolist()))
    assert spare == {"M1": 1, "M2": 1, "M3": 5, "M4": 1, "M5": 0, "M6": 0}


def test_the_list_respects_capacity_pairs_each_once_and_is_the_same_each_time(build):
    region = load_region(_region(build))
    listed = suggest_pairings(region, Y)
    assert sorted(listed["person_id"]) == ["N1", "N2", "N3", "N4", "N5"]
    assert int(listed["same_district"].sum()) == 3
    used = listed["helper_id"].value_counts().to_dict()
    spare = dict(zip(region.helpers["helper_id"], helper_spare(region, Y).tolist()))
    assert all(used[h] <= spare[h] for h in used)
    assert "M5" not in used and "M6" not in used
    pd.testing.assert_frame_equal(listed, suggest_pairings(load_region(_region(build)), Y))
    # spare left is what the helper still has after the whole suggestion
    left = listed.drop_duplicates("helper_id").set_index("helper_id")["spare_left"].to_dict()
    assert all(left[h] == spare[h] - used[h] for h in used)
    only_b = suggest_pairings(region.district("B"), Y, district="B")
    assert sorted(only_b["person_id"]) == ["N4", "N5"]


def test_fewer_places_than_needy_and_helpers_without_a_district(build):
    folder = build(
        households=[household("H1", district="A"), household("H2", district="B")],
        persons=[person("P1", "H1"), person("P2", "H1", relation="spouse"), person("P3", "H2")],
        enrolments=[enrol(p, "registered_poor", "2025-01-01") for p in ("P1", "P2", "P3")],
        helpers=[_helper("M1", "", 2)],
    )
    f = facts(load_region(folder), Y)
    assert (f["pairing.suggested"], f["pairing.suggested_same_district"]) == (2, 0)


def test_a_pairing_whose_helper_is_missing_counts_and_is_flagged(build):
    region = load_region(_region(build))
    f = facts(region, Y)
    assert f["pairing.persons"] == 3  # Q1 (M1), Q2 (M5) and Q3 (M9, missing from helpers)
    assert f["pairing.helpers"] == 3  # M1, M5, M9
    assert f["pairing.by_unit_type.village_cadre"] == 2  # M9 has no unit type
    flagged = region.validation.problems
    assert (flagged["reason"] == "unknown_helper").sum() == 1


def test_a_district_read_from_a_store_gives_the_region_values_and_keeps_them(build, tmp_path):
    from reliefkit.store.build import build_store

    folder = _region(build)
    build_store(folder, tmp_path / "store")
    for _ in range(2):  # computed from the whole store once, then read from derived/
        view = load_region(tmp_path / "store", district="B")
        assert view.district("B") is view  # the notebooks' scope: the same view, not a view of a view
        b = facts(view.district("B"), Y)
        assert (b["pairing.suggested"], b["pairing.suggested_same_district"], b["pairing.unpaired_needy"]) == (5, 3, 2)
    assert len(list((tmp_path / "store" / "derived").glob("pairing-2026-*.json"))) == 1

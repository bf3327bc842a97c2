"""Region: districts, one-district views, the links between tables."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import enrol, household, pay, person
from reliefkit import UnknownDistrictError, load_region
from reliefkit.region.region import LINKS, Region


@pytest.fixture
def region(build) -> Region:
    return load_region(build(
        households=[household("H1", "007"), household("H2", "西乡"), household("H3", "007")],
        persons=[person("P1", "H1"), person("P2", "H2"), person("P3", "H3"), person("P4", "H1")],
        enrolments=[enrol("P2", "tekun", "2025-01-01"), enrol("P3", "rural_dibao", "2025-01-01")],
        payments=[pay("P1", "temporary", "2026-01-01", 5), pay("P2", "temporary", "2026-01-01", 7)],
        helpers=[{"helper_id": "M1", "unit_type": "enterprise", "capacity": 2},
                 {"helper_id": "M2", "unit_type": "trade_union", "capacity": 2}],
        pairings=[{"helper_id": "M2", "person_id": "P4", "start_date": "2025-01-01"},
                  {"helper_id": "M1", "person_id": "P2", "start_date": "2025-01-01"}],
    ))


def test_districts_are_text_and_sorted(region):
    assert region.districts == ("007", "西乡")


def test_a_district_view_holds_only_its_households_and_their_records(region):
    town = region.district("007")
    assert town.scope == "007"
    assert town.households["household_id"].tolist() == ["H1", "H3"]
    assert sorted(town.persons["person_id"]) == ["P1", "P3", "P4"]
    assert town.enrolments["person_id"].tolist() == ["P3"]
    assert town.payments["person_id"].tolist() == ["P1"]
    assert town.pairings["person_id"].tolist() == ["P4"]
    assert town.helpers["helper_id"].tolist() == ["M2"]
    assert "district '007'" in repr(town)


def test_unknown_district_names_the_known_ones(region):
    with pytest.raises(UnknownDistrictError) as e:
        region.district("7")
    assert "007, 西乡" in str(e.value) and "'7'" in str(e.value)


def test_links_seeded_by_validation_equal_links_computed_afresh(region):
    seeded = region.links
    assert set(LINKS) <= set(vars(seeded))           # validation found them all
    fresh = Region(**{f: getattr(region, f) for f in region.__dataclass_fields__}).links
    assert not set(LINKS) & set(vars(fresh))         # computed only when asked for
    for name in LINKS:
        assert np.array_equal(getattr(seeded, name), getattr(fresh, name)), name
    persons = region.persons
    assert (region.households["household_id"].to_numpy()[seeded.person_household]
            == persons["household_id"].to_numpy()).all()

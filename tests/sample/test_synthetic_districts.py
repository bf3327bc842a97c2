"""Synthetic regions of up to 1,000 districts: valid, unique ID numbers; one county code per
district; household numbers with a wider district part from 100 districts on."""

from __future__ import annotations

import pytest

from reliefkit.errors import UsageError
from reliefkit.sample import synthetic_tables
from reliefkit.sample.places import MAX_DISTRICTS, county_codes
from reliefkit.text.idnumbers import check_char


@pytest.fixture(scope="module")
def province() -> dict:
    return synthetic_tables(30_000, seed=11, n_districts=1000)


def test_a_thousand_districts_with_valid_unique_ids(province: dict) -> None:
    persons, households = province["persons"], province["households"]
    assert households["district"].nunique() > 950  # 30 persons a district on average: nearly all appear
    ids = persons["person_id"]
    assert ids.is_unique and (ids.str.len() == 18).all()
    assert all(check_char(i[:17]) == i[17] for i in ids.tolist())  # GB 11643 check character
    assert households["household_id"].is_unique
    assert households["household_id"].str.len().min() >= 10  # DDDD VV SSSS


def test_each_district_has_its_own_county_code(province: dict) -> None:
    codes = county_codes(MAX_DISTRICTS)
    assert len(set(codes.tolist())) == MAX_DISTRICTS
    assert not set(codes.tolist()) & set(range(439951, 439960))  # the other counties' codes
    assert codes[:50].tolist() == list(range(439901, 439951))  # the first 50 as before
    persons = province["persons"].merge(province["households"][["household_id", "district"]], on="household_id")
    born_here = persons[~persons["person_id"].str[:6].astype(int).between(439951, 439959)]
    per_district = born_here.groupby("district")["person_id"].agg(lambda s: s.str[:6].nunique())
    assert (per_district == 1).all()  # one code a district …
    assert born_here.groupby(born_here["person_id"].str[:6])["district"].nunique().max() == 1  # … and a district a code


def test_forty_districts_keep_their_identifiers_and_more_than_a_thousand_are_refused() -> None:
    small = synthetic_tables(2_000, seed=2, n_districts=40)
    assert (small["households"]["household_id"].str.len() == 8).all()  # DD VV SSSS, as before
    with pytest.raises(UsageError, match="1,000"):
        synthetic_tables(100, n_districts=1001)

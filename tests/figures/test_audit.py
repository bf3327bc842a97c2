"""Integrity flags: each audit finding on a tiny region built to hold exactly one of it."""

from __future__ import annotations

import pytest

from conftest import enrol, household, pay, person
from reliefkit import load_region
from reliefkit.figures.audit import audit, audit_totals
from reliefkit.text.idnumbers import check_char

ID = "11010519800101001"
ID = ID + check_char(ID)


def flags(build, **tables) -> list[tuple]:
    found = audit(load_region(build(**tables)))
    return [(r.table, int(r.row), r.reason) for r in found.itertuples()]


def test_payments_after_death_with_their_total(build):
    found = audit(load_region(build(
        households=[household("H1")],
        persons=[person(ID, "H1", deceased_on="2026-03-10")],
        enrolments=[enrol(ID, "rural_dibao", "2025-01-01")],
        payments=[pay(ID, "rural_dibao", "2026-03-10", 150), pay(ID, "rural_dibao", "2026-04-10", 150),
                  pay(ID, "rural_dibao", "2026-05-10", 150.5)],
    )))
    assert [(r.row, r.reason) for r in found.itertuples()] == [(3, "paid_after_death"), (4, "paid_after_death")]
    assert audit_totals(found).set_index("reason").loc["paid_after_death", "amount"] == 300.5
    text = found.to_csv()
    assert ID not in text and "110105********" in text     # masked, amounts shown
    assert "150.00 yuan on 2026-04-10" in found.iloc[0]["message"]


@pytest.mark.parametrize("a,b,overlap", [
    ("rural_dibao", "tekun", True), ("urban_dibao", "tekun", True), ("rural_dibao", "urban_dibao", True),
    ("rural_dibao", "marginal", False),
])
def test_programmes_that_exclude_each_other(build, a, b, overlap):
    got = flags(build, households=[household("H1")], persons=[person("P1", "H1")],
                enrolments=[enrol("P1", a, "2025-01-01"), enrol("P1", b, "2026-02-01")])
    assert got == ([("enrolments", 3, "exclusive_programmes")] if overlap else [])


def test_consecutive_enrolments_do_not_overlap(build):
    got = flags(build, households=[household("H1")], persons=[person("P1", "H1")],
                enrolments=[enrol("P1", "rural_dibao", "2025-01-01", "2026-02-01"),
                            enrol("P1", "tekun", "2026-02-01")])
    assert got == []


def test_public_employee_vehicle_business_in_dibao(build):
    got = flags(build,
                households=[household("H1", has_vehicle="true"), household("H2", has_business="是"), household("H3")],
                persons=[person("P1", "H1"), person("P2", "H2"), person("P3", "H3", public_employee="Y"),
                         person("P4", "H3", relation="spouse")],
                enrolments=[enrol("P1", "rural_dibao", "2025-01-01"), enrol("P2", "urban_dibao", "2025-01-01"),
                            enrol("P3", "rural_dibao", "2025-01-01"), enrol("P4", "tekun", "2025-01-01")])
    assert sorted(got) == [("enrolments", 2, "dibao_vehicle"), ("enrolments", 3, "dibao_business"),
                           ("enrolments", 4, "dibao_public_employee")]


def test_paid_twice_in_a_month_and_paid_without_enrolment(build):
    got = flags(build, households=[household("H1")], persons=[person("P1", "H1")],
                enrolments=[enrol("P1", "rural_dibao", "2026-01-01", "2026-06-30")],
                payments=[pay("P1", "rural_dibao", "2026-02-05", 150), pay("P1", "rural_dibao", "2026-02-20", 150),
                          pay("P1", "rural_dibao", "2026-07-05", 150), pay("P1", "temporary", "2026-07-05", 500),
                          pay("P1", "temporary", "2026-07-06", 500)])
    assert sorted(got) == [("payments", 3, "paid_twice_in_month"), ("payments", 4, "paid_not_enrolled")]


def test_the_sample_region_flags_its_planted_audit_cases(tmp_path):
    from conftest import SAMPLE
    found = audit(load_region(SAMPLE))
    assert (found["severity"] == "warning").all()
    assert "paid_after_death" in set(found["reason"])

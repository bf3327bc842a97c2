"""Property: one region written as canonical CSV, GB18030 CSV with Chinese headers and codes,
XLSX and Parquet reads to identical frames and identical facts."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reliefkit import load_region
from reliefkit import facts
from reliefkit.text.idnumbers import check_char
from reliefkit.io.schema import CAUSES, ONE_OFF_PROGRAMS, STANDING_PROGRAMS, UNIT_TYPES
from reliefkit.io.writing import write_tables

TEXT = st.text(alphabet="东西南北村社区镇乡柳树山河abcXYZ0123-", min_size=1, max_size=6)
DATES = st.dates(dt.date(1930, 1, 1), dt.date(2027, 6, 30))
MAYBE_DATE = st.none() | DATES
MAYBE_BOOL = st.none() | st.booleans()
MONEY = st.integers(1, 10_000_00).map(lambda c: c / 100)


@st.composite
def regions(draw) -> dict[str, list[dict]]:
    n_hh = draw(st.integers(1, 6))
    districts = draw(st.lists(TEXT, min_size=1, max_size=3, unique=True))
    households, persons = [], []
    seq = 0
    for h in range(n_hh):
        hid = f"H{h:03d}"
        causes = draw(st.lists(st.sampled_from(CAUSES), max_size=3, unique=True))
        households.append({
            "household_id": hid, "district": draw(st.sampled_from(districts)), "village": draw(st.none() | TEXT),
            "area": draw(st.sampled_from(["rural", "urban"])), "annual_income": draw(MONEY),
            "has_vehicle": draw(MAYBE_BOOL), "has_business": draw(MAYBE_BOOL),
            "medical_spending": draw(st.none() | MONEY), "housing_safe": draw(MAYBE_BOOL),
            "water_safe": draw(MAYBE_BOOL), "main_cause": causes[0] if causes else None,
            "causes": ";".join(causes) or None,
        })
        for k in range(draw(st.integers(1, 3))):
            seq += 1
            birth = draw(st.dates(dt.date(1930, 1, 1), dt.date(2020, 12, 31)))
            sex = draw(st.sampled_from("MF"))
            body = f"110105{birth:%Y%m%d}{seq % 100:02d}{(1 if sex == 'M' else 2)}"
            persons.append({
                "person_id": body + check_char(body), "household_id": hid, "name": draw(TEXT), "sex": sex,
                "birth_date": birth, "relation": "head" if k == 0 else draw(st.sampled_from(["spouse", "child", "parent"])),
                "disability_grade": draw(st.none() | st.integers(0, 4)), "chronic_illness": draw(MAYBE_BOOL),
                "major_illness": draw(MAYBE_BOOL), "labor_ability": draw(st.none() | st.sampled_from(["full", "partial", "none"])),
                "employment": draw(st.none() | st.sampled_from(["employed", "farming", "student", "retired"])),
                "public_employee": draw(MAYBE_BOOL), "deceased_on": draw(st.none() | DATES),
            })
    pids = [p["person_id"] for p in persons]
    enrolments = [
        {"person_id": draw(st.sampled_from(pids)), "program": prog, "start_date": start,
         "end_date": draw(st.none() | st.dates(start, dt.date(2027, 12, 31))),
         "support_mode": draw(st.sampled_from(["centralized", "dispersed"])) if prog == "tekun" else None}
        for prog, start in draw(st.lists(st.tuples(st.sampled_from(STANDING_PROGRAMS),
                                                   st.dates(dt.date(2024, 1, 1), dt.date(2026, 12, 31))), max_size=8))
    ]
    payments = [
        {"payment_id": f"P{i}", "person_id": draw(st.sampled_from(pids)), "program": prog,
         "paid_on": draw(st.dates(dt.date(2025, 1, 1), dt.date(2026, 12, 31))), "amount": draw(MONEY),
         "source": draw(st.none() | TEXT)}
        for i, prog in enumerate(draw(st.lists(st.sampled_from(STANDING_PROGRAMS + ONE_OFF_PROGRAMS), max_size=10)))
    ]
    helpers = [{"helper_id": f"M{i}", "name": draw(TEXT), "unit": draw(TEXT), "unit_type": t, "capacity": 3}
               for i, t in enumerate(draw(st.lists(st.sampled_from(UNIT_TYPES), max_size=4)))]
    pairings = [
        {"helper_id": h["helper_id"], "person_id": draw(st.sampled_from(pids)),
         "start_date": draw(st.dates(dt.date(2024, 1, 1), dt.date(2026, 12, 31))), "end_date": None}
        for h in helpers for _ in range(draw(st.integers(0, 2)))
    ]
    return {"households": households, "persons": persons, "enrolments": enrolments,
            "payments": payments, "helpers": helpers, "pairings": pairings}


def _frames(rows: dict[str, list[dict]]) -> dict[str, pd.DataFrame]:
    from reliefkit.io.schema import TABLES_BY_NAME
    return {t: pd.DataFrame(r, columns=list(TABLES_BY_NAME[t].names)) for t, r in rows.items()}


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=regions())
def test_every_format_reads_to_identical_frames_and_facts(tmp_path_factory, rows):
    base = tmp_path_factory.mktemp("region")
    write_tables(_frames(rows), base / "canonical")
    canonical = load_region(base / "canonical")
    assert canonical.validation.clean, canonical.validation.problems
    def figures(region, y):  # the names follow the folder's name, which differs here
        return {k: v for k, v in facts(region, y).items() if k not in ("scope.name", "region.name")}

    want_facts = {y: figures(canonical, y) for y in (2025, 2026)}
    variants = {
        "gb18030_zh": dict(fmt="csv", encoding="gb18030", language="zh"),
        "bom": dict(fmt="csv", encoding="utf-8-sig"),
        "xlsx": dict(fmt="xlsx", language="zh"),
        "parquet": dict(fmt="parquet"),
    }
    for name, kw in variants.items():
        write_tables(canonical.tables, base / name, **kw)
        again = load_region(base / name)
        assert again.validation.clean, (name, again.validation.problems)
        for table, frame in canonical.tables.items():
            pd.testing.assert_frame_equal(again.tables[table], frame, obj=f"{name}:{table}")
        for y in (2025, 2026):
            assert figures(again, y) == want_facts[y], name

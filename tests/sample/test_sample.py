"""Tests of the synthetic region generators (reliefkit.sample).

The facts are recomputed here by an independent, plain-pandas reading of the
definitions of the data contract (docs/en/facts.md); no other reliefkit module is imported.
"""

from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd
import pytest

from reliefkit.sample.bundled import sample_tables
from reliefkit.sample.files import write_region, write_sample_region
from reliefkit.sample.synthetic import synthetic_tables

COLUMNS = {
    "households": ["household_id", "district", "village", "area", "annual_income", "has_vehicle",
                   "has_business", "medical_spending", "housing_safe", "water_safe", "main_cause",
                   "causes"],
    "persons": ["person_id", "household_id", "name", "sex", "birth_date", "relation",
                "disability_grade", "chronic_illness", "major_illness", "labor_ability",
                "employment", "public_employee", "deceased_on"],
    "enrolments": ["person_id", "program", "start_date", "end_date", "support_mode"],
    "payments": ["payment_id", "person_id", "program", "paid_on", "amount", "source"],
    "helpers": ["helper_id", "name", "unit", "unit_type", "capacity", "district"],
    "pairings": ["helper_id", "person_id", "start_date", "end_date"],
}
PROGRAMS = ["rural_dibao", "urban_dibao", "tekun", "marginal", "registered_poor"]
ADHOC = ["temporary", "medical", "donation", "holiday_visit", "project_fund", "education_grant",
         "one_time"]
UNIT_TYPES = ["municipal_unit", "district_organ", "village_cadre", "social_talent", "enterprise",
              "trade_union"]
CAUSES = {"illness", "disability", "education", "disaster", "lack_land", "lack_water",
          "lack_skills", "lack_labor", "lack_funds", "transport", "low_motivation", "marriage",
          "other"}
WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
TARGETS = {
    "rural_dibao.persons": 833, "rural_dibao.households": 671, "rural_dibao.new_persons": 126,
    "urban_dibao.persons": 338, "urban_dibao.households": 321, "urban_dibao.new_persons": 28,
    "tekun.persons": 75, "tekun.centralized": 56,
    "temporary.persons": 106, "temporary.amount": 36400.00,
    "medical.households": 10,
    "registered_poor.persons": 395, "pairing.persons": 395, "pairing.unpaired_needy": 0,
}


# ------------------------------------------------------------------ the checker


def _date(s: pd.Series) -> pd.Series:
    return pd.to_datetime(s.replace("", None), format="%Y-%m-%d")


def _active(frame: pd.DataFrame, day: pd.Timestamp) -> pd.Series:
    start, end = _date(frame["start_date"]), _date(frame["end_date"])
    return (start <= day) & (end.isna() | (end > day))


def facts(t: dict[str, pd.DataFrame], year: int = 2026, district: str | None = None) -> dict:
    """The DATA.md facts, computed from the letter of the definitions."""
    t = {k: v.astype(object) for k, v in t.items()}  # plain Python strings: fast isin
    hh, ps = t["households"], t["persons"]
    en, pay, pr, hel = t["enrolments"], t["payments"], t["pairings"], t["helpers"]
    if district is not None:
        hh = hh[hh["district"] == district]
        ps = ps[ps["household_id"].isin(hh["household_id"])]
        en = en[en["person_id"].isin(ps["person_id"])]
        pay = pay[pay["person_id"].isin(ps["person_id"])]
        pr = pr[pr["person_id"].isin(ps["person_id"])]
    D, D0 = pd.Timestamp(f"{year}-12-31"), pd.Timestamp(f"{year - 1}-12-31")
    household_of = ps.set_index("person_id")["household_id"]
    death = _date(ps["deceased_on"])
    alive = set(ps["person_id"][death.isna() | (death > D)])
    alive_d0 = set(ps["person_id"][death.isna() | (death > D0)])
    out: dict = {"households.registered": len(hh), "persons.registered": len(ps)}
    act_d, act_d0 = en[_active(en, D)], en[_active(en, D0)]
    for p in PROGRAMS:
        on_d = set(act_d.loc[act_d["program"] == p, "person_id"]) & alive
        on_d0 = set(act_d0.loc[act_d0["program"] == p, "person_id"])
        households = set(household_of[list(on_d)])
        households_d0 = set(household_of[list(on_d0)])
        out[f"{p}.persons"] = len(on_d)
        out[f"{p}.households"] = len(households)
        out[f"{p}.new_persons"] = len(on_d - on_d0)
        out[f"{p}.new_households"] = len(households - households_d0)
        # the other reading of "no person active in P on D0": no *living* person
        households_d0_alive = set(household_of[list(on_d0 & alive_d0)])
        out[f"{p}.new_households_alive_d0"] = len(households - households_d0_alive)
        paid = pay[(pay["program"] == p) & pay["paid_on"].str.startswith(str(year))]
        out[f"{p}.paid"] = round(paid["amount"].astype(float).sum(), 2)
    tk = act_d[(act_d["program"] == "tekun") & act_d["person_id"].isin(alive)]
    out["tekun.centralized"] = tk.loc[tk["support_mode"] == "centralized", "person_id"].nunique()
    for q in ADHOC:
        paid = pay[(pay["program"] == q) & pay["paid_on"].str.startswith(str(year))]
        out[f"{q}.persons"] = paid["person_id"].nunique()
        out[f"{q}.households"] = household_of[paid["person_id"].unique()].nunique()
        out[f"{q}.amount"] = round(paid["amount"].astype(float).sum(), 2)
    pa = pr[_active(pr, D)].merge(hel[["helper_id", "unit_type"]], on="helper_id", how="left")
    out["pairing.persons"] = pa["person_id"].nunique()
    out["pairing.helpers"] = pa["helper_id"].nunique()
    for u in UNIT_TYPES:
        out[f"pairing.by_unit_type.{u}"] = pa.loc[pa["unit_type"] == u, "person_id"].nunique()
    rp = set(act_d.loc[act_d["program"] == "registered_poor", "person_id"]) & alive
    out["pairing.unpaired_needy"] = len(rp - set(pa["person_id"]))
    group_a = set(pa.loc[pa["unit_type"].isin(["municipal_unit", "district_organ"]), "person_id"])
    group_b = set(pa.loc[pa["unit_type"].isin(["village_cadre", "social_talent"]), "person_id"])
    out["pairing.group_a"], out["pairing.group_b"] = len(group_a), len(group_b)
    out["pairing.group_both"] = len(group_a & group_b)
    return out


def valid_id(pid: str) -> bool:
    if not re.fullmatch(r"\d{17}[\dX]", pid):
        return False
    total = int(np.dot([int(c) for c in pid[:17]], WEIGHTS))
    return "10X98765432"[total % 11] == pid[17]


def check_ids(persons: pd.DataFrame) -> None:
    ids = persons["person_id"]
    assert ids.is_unique
    assert ids.str.len().eq(18).all()
    raw = np.frombuffer("".join(ids).encode("ascii"), dtype=np.uint8).reshape(-1, 18)
    digits = raw[:, :17].astype(np.int64) - 48
    checks = np.array(list("10X98765432"))[(digits @ WEIGHTS) % 11]
    assert (checks == ids.str[17].to_numpy()).all()
    assert (ids.str[6:14] == persons["birth_date"].str.replace("-", "")).all()
    male = ids.str[16].astype(int) % 2 == 1
    assert (male == (persons["sex"] == "M")).all()


# ------------------------------------------------------------------ fixtures


@pytest.fixture(scope="module")
def sample() -> dict[str, pd.DataFrame]:
    return sample_tables(2026)


@pytest.fixture(scope="module")
def sample_facts(sample) -> dict:
    return facts(sample)


# ------------------------------------------------------------------ the targets


def _assert_targets(f: dict) -> None:
    for key, value in TARGETS.items():
        assert f[key] == value, key
    assert 60_000 < f["medical.amount"] < 70_000
    assert f["donation.amount"] > 50_000
    assert f["donation.amount"] == 140 * f["donation.persons"]
    assert f["pairing.group_a"] == 223 and f["pairing.group_b"] == 172
    assert f["pairing.group_both"] == 0
    by_type = sum(f[f"pairing.by_unit_type.{u}"] for u in UNIT_TYPES)
    assert by_type == 395  # each paired person has active pairings of one unit type only
    assert (f["pairing.by_unit_type.municipal_unit"] + f["pairing.by_unit_type.district_organ"]
            == 223)
    assert (f["pairing.by_unit_type.village_cadre"] + f["pairing.by_unit_type.social_talent"]
            == 172)


def test_targets_seed_2026(sample_facts):
    _assert_targets(sample_facts)


@pytest.mark.parametrize("seed", [7, 123456])
def test_targets_any_seed(seed):
    _assert_targets(facts(sample_tables(seed)))


def test_other_figures_plausible(sample, sample_facts):
    f = sample_facts
    f2025 = facts(sample, year=2025)
    assert 20 <= f["marginal.households"] <= 60
    assert f["rural_dibao.new_households"] <= f["rural_dibao.new_persons"]
    assert 80 <= f["rural_dibao.new_households"] <= 126
    assert f["registered_poor.households"] > 100
    assert f["holiday_visit.persons"] > 600
    for q in ADHOC:
        assert f[f"{q}.persons"] > 0 and f[f"{q}.amount"] > 0, q
        assert f2025[f"{q}.persons"] > 0, q
    # monthly payments: 12 months of the enrolled, around the gap to the line
    assert 12 * 833 * 30 < f["rural_dibao.paid"] < 12 * 833 * 150
    assert 12 * 338 * 42 < f["urban_dibao.paid"] < 12 * 338 * 210
    assert f["tekun.paid"] > 0 and f["marginal.paid"] > 0
    # the line rose from 110 to 150: the rural allowance paid grew
    assert f["rural_dibao.paid"] > 1.3 * f2025["rural_dibao.paid"]


def test_new_households_do_not_depend_on_the_reading(sample_facts):
    """DATA.md does not say whether a person who died before D0 with an enrolment still
    open counts as "active on D0" for P.new_households; the sample avoids the case."""
    for p in PROGRAMS:
        assert (sample_facts[f"{p}.new_households"]
                == sample_facts[f"{p}.new_households_alive_d0"]), p


def test_monthly_amounts_follow_the_lines(sample):
    pay = sample["payments"]
    amount = pay["amount"].astype(float)
    year = pay["paid_on"].str[:4]
    rd = pay["program"] == "rural_dibao"
    assert amount[rd & (year == "2025")].between(22, 110).all()
    assert amount[rd & (year == "2026")].between(30, 150).all()
    ud = pay["program"] == "urban_dibao"
    assert amount[ud].between(42, 210).all()
    # special hardship: 1.3 lines, a care supplement (40-400), 100 more in an institution
    tk = pay["program"] == "tekun"
    assert amount[tk].between(1.3 * 110 + 40, 1.3 * 210 + 400 + 100).all()
    # one payment per person, programme and month
    month = pay["paid_on"].str[:7]
    standing = pay["program"].isin(PROGRAMS)
    assert not pay[standing].assign(m=month).duplicated(["person_id", "program", "m"]).any()


def test_every_district_is_a_region(sample):
    hh = sample["households"]
    assert hh["district"].nunique() == 6
    assert all(re.fullmatch(r"[\u4e00-\u9fff]+", d) for d in hh["district"].unique())
    for district in hh["district"].unique():
        f = facts(sample, district=district)
        assert f["households.registered"] > 50
        covered = [p for p in PROGRAMS if f[f"{p}.households"] > 0]
        assert len(covered) >= 4, (district, covered)
        assert sum(f[f"{p}.paid"] for p in PROGRAMS) > 0
        assert sum(f[f"{q}.amount"] for q in ADHOC) > 0
        persons = sample["persons"].loc[sample["persons"]["household_id"]
                                        .isin(hh.loc[hh["district"] == district, "household_id"])]
        pr = sample["pairings"][sample["pairings"]["person_id"].isin(persons["person_id"])]
        types = sample["helpers"].set_index("helper_id").loc[pr["helper_id"], "unit_type"]
        assert set(types) == set(UNIT_TYPES), district
    assert {"rural", "urban"} == set(hh["area"])


def test_edge_cases_present(sample):
    en, ps = sample["enrolments"], sample["persons"]
    dib = en[en["program"].isin(["rural_dibao", "urban_dibao"])]
    assert (dib["end_date"] == "2026-12-31").sum() >= 3
    assert (dib["end_date"] == "2025-12-31").sum() >= 3
    assert (dib["start_date"] == "2026-12-31").sum() >= 1
    assert (dib["start_date"] == "2025-12-31").sum() >= 1
    assert dib.duplicated(["person_id", "program"]).sum() >= 10
    died_2026 = set(ps.loc[ps["deceased_on"].str.startswith("2026"), "person_id"])
    open_dead = en[en["person_id"].isin(died_2026) & (en["end_date"] == "")]
    assert len(open_dead) >= 5
    assert (ps["deceased_on"] == "2026-12-31").sum() >= 2
    assert 40 <= (ps["deceased_on"] != "").sum() <= 120
    # audit findings: payments after death, public employees on the minimum living roll
    pay = sample["payments"].merge(ps[["person_id", "deceased_on"]], on="person_id")
    assert ((pay["deceased_on"] != "") & (pay["paid_on"] > pay["deceased_on"])).any()
    pub = ps.loc[ps["public_employee"] == "true", "person_id"]
    assert en["person_id"].isin(pub).any() or ps.loc[ps["person_id"].isin(pub), "household_id"].isin(
        ps.loc[ps["person_id"].isin(en["person_id"]), "household_id"]).any()
    # tekun switched from home care to an institution during 2026
    tk = en[en["program"] == "tekun"]
    assert tk.duplicated("person_id", keep=False).any()


def test_no_deceased_person_has_an_active_pairing(sample):
    ps, pr = sample["persons"], sample["pairings"]
    dead = set(ps.loc[ps["deceased_on"] != "", "person_id"])
    active = pr[_active(pr, pd.Timestamp("2026-12-31"))]
    assert not active["person_id"].isin(dead).any()


def test_leakage_and_mismatch(sample):
    hh, ps, en = sample["households"], sample["persons"], sample["enrolments"]
    D = pd.Timestamp("2026-12-31")
    death = _date(ps["deceased_on"])
    alive = ps[death.isna() | (death > D)]
    n = alive.groupby("household_id").size()
    hh = hh.set_index("household_id").loc[n.index]
    y = hh["annual_income"].astype(float) / n / 12
    line = np.where(hh["area"] == "rural", 150, 210)
    act = en[_active(en, D) & en["program"].isin(["rural_dibao", "urban_dibao"])
             & en["person_id"].isin(alive["person_id"])]
    receiving = set(alive.set_index("person_id").loc[act["person_id"], "household_id"])
    rec = hh.index.isin(list(receiving))
    poor = (y < line).to_numpy()
    assert (rec & poor).sum() / rec.sum() > 0.85  # mostly below the line
    assert (rec & ~poor).sum() >= 20  # a few enrolled above it
    assert (~rec & poor).sum() >= 30  # some poor households leaked out


# ------------------------------------------------------------------ the tables


def _check_tables(t: dict[str, pd.DataFrame]) -> None:
    assert list(t) == list(COLUMNS)
    for name, cols in COLUMNS.items():
        assert list(t[name].columns) == cols, name
        for col in cols:
            assert pd.api.types.is_string_dtype(t[name][col]), (name, col)
            assert not t[name][col].isna().any(), (name, col)
    t = {k: v.astype(object) for k, v in t.items()}
    hh, ps, en, pay, hel, pr = (t[k] for k in COLUMNS)
    assert hh["household_id"].is_unique
    assert pay["payment_id"].is_unique and hel["helper_id"].is_unique
    assert ps["household_id"].isin(hh["household_id"]).all()
    assert en["person_id"].isin(ps["person_id"]).all()
    assert pay["person_id"].isin(ps["person_id"]).all()
    assert pr["person_id"].isin(ps["person_id"]).all()
    assert pr["helper_id"].isin(hel["helper_id"]).all()
    heads = ps[ps["relation"] == "head"]
    assert heads["household_id"].is_unique and len(heads) == len(hh)
    assert set(ps["relation"]) <= {"head", "spouse", "child", "parent", "grandchild", "other"}
    assert set(ps["sex"]) <= {"M", "F"}
    assert set(ps["disability_grade"]) <= set("01234")
    assert set(ps["labor_ability"]) <= {"full", "partial", "none"}
    assert set(ps["employment"]) <= {"employed", "unemployed", "laid_off", "farming", "student",
                                     "retired", "other"}
    for frame, cols in ((hh, ["has_vehicle", "has_business", "housing_safe", "water_safe"]),
                        (ps, ["chronic_illness", "major_illness", "public_employee"])):
        for col in cols:
            assert set(frame[col]) <= {"true", "false"}
    assert set(hh["area"]) <= {"rural", "urban"}
    assert set(hh["main_cause"]) <= CAUSES | {""}
    causes = hh["causes"].str.split(";").explode()
    assert set(causes) <= CAUSES | {""}
    assert (hh["main_cause"] == "").eq(hh["causes"] == "").all()
    assert all(m in c.split(";") for m, c in zip(hh["main_cause"], hh["causes"], strict=True) if m)
    money = r"\d+\.\d{2}"
    assert hh["annual_income"].str.fullmatch(money).all()
    assert hh["medical_spending"].str.fullmatch(money + "|").all()
    assert pay["amount"].str.fullmatch(money).all() and (pay["amount"].astype(float) > 0).all()
    assert set(en["program"]) <= set(PROGRAMS)
    assert set(pay["program"]) <= set(PROGRAMS + ADHOC)
    assert set(en.loc[en["program"] == "tekun", "support_mode"]) <= {"centralized", "dispersed"}
    assert (en.loc[en["program"] != "tekun", "support_mode"] == "").all()
    assert set(hel["unit_type"]) <= set(UNIT_TYPES)
    assert hel["capacity"].astype(int).min() >= 1
    iso = r"\d{4}-\d{2}-\d{2}"
    for frame, col, empty in ((ps, "birth_date", False), (ps, "deceased_on", True),
                              (en, "start_date", False), (en, "end_date", True),
                              (pay, "paid_on", False), (pr, "start_date", False),
                              (pr, "end_date", True)):
        pattern = iso + ("|" if empty else "")
        assert frame[col].str.fullmatch(pattern).all(), col
        _date(frame[col])  # every date exists
    for frame in (en, pr):
        closed = frame[frame["end_date"] != ""]
        assert (closed["start_date"] < closed["end_date"]).all()
    dead = ps[ps["deceased_on"] != ""]
    assert (dead["deceased_on"] >= dead["birth_date"]).all()
    assert (ps["birth_date"] <= "2026-12-31").all()
    on = en.merge(ps[["person_id", "birth_date"]], on="person_id")
    assert (on["start_date"] >= on["birth_date"]).all()
    check_ids(ps)


def test_sample_tables_structure(sample):
    _check_tables(sample)
    ps, hh, pay = sample["persons"], sample["households"], sample["payments"]
    assert 2000 <= len(hh) <= 4000
    sizes = ps.groupby("household_id").size()
    assert sizes.between(1, 6).all()
    assert 1.8 <= sizes.mean() <= 3.2
    assert ps["person_id"].str.endswith("X").any()
    assert ps["household_id"].str.startswith("0").all()
    assert pay["payment_id"].str.fullmatch(r"P\d{7}").all()
    assert sample["helpers"]["helper_id"].str.fullmatch(r"H\d{4}").all()
    assert ps["name"].str.fullmatch(r"[\u4e00-\u9fff]{2,3}").all()
    assert (ps["public_employee"] == "true").sum() >= 5
    assert pay["source"].ne("").all()


def test_same_seed_same_bytes(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    write_sample_region(a)
    write_sample_region(b)
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted([f"{t}.csv" for t in COLUMNS] + ["region.yaml"])
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_csv_is_canonical(tmp_path, sample):
    paths = write_region(sample, tmp_path)
    for name, path in paths.items():
        raw = path.read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw
        raw.decode("utf-8")
        assert raw.split(b"\n", 1)[0].decode() == ",".join(COLUMNS[name])
        buf = io.StringIO()
        sample[name].to_csv(buf, index=False, lineterminator="\n")
        assert raw == buf.getvalue().encode("utf-8")  # the fast writer writes what pandas does
        back = pd.read_csv(path, dtype=str, keep_default_na=False)
        assert list(back.columns) == COLUMNS[name] and back.shape == sample[name].shape
        assert (back.to_numpy() == sample[name].to_numpy(dtype=object)).all(), name


def test_parquet_round_trip(tmp_path, sample):
    small = {k: v.head(500) for k, v in sample.items()}
    write_region(small, tmp_path / "a", fmt="parquet")
    write_region(small, tmp_path / "b", fmt="parquet")
    for name, cols in COLUMNS.items():
        pa_, pb = tmp_path / "a" / f"{name}.parquet", tmp_path / "b" / f"{name}.parquet"
        assert pa_.read_bytes() == pb.read_bytes()
        back = pd.read_parquet(pa_)
        assert list(back.columns) == cols
        empty = small[name].eq("").to_numpy()
        assert (back.isna().to_numpy() == empty).all()  # a missing value is a null
        pd.testing.assert_frame_equal(back.astype(object).fillna(""), small[name].astype(object),
                                      check_dtype=False)
    with pytest.raises(ValueError):
        write_region(small, tmp_path / "c", fmt="xlsx")


def test_csv_of_other_tables(tmp_path):
    """Values that need quotes, numbers and missing values still make valid CSV."""
    tables = {"t": pd.DataFrame({"a": pd.array(['x,"y"', None, ""], dtype="str"), "n": [1.5, None, 2]})}
    path = write_region(tables, tmp_path)["t"]
    assert path.read_bytes() == b'a,n\n"x,""y""",1.5\n,\n,2.0\n'
    back = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert back["a"].tolist() == ['x,"y"', "", ""]


def test_valid_id_helper():
    assert valid_id("11010519491231002X")
    assert not valid_id("110105194912310021")


# ------------------------------------------------------------------ the benchmark generator


@pytest.mark.parametrize("n, seed, n_districts", [(20_000, 0, 8), (1, 3, 1), (2_345, 5, 3)])
def test_synthetic_tables(n, seed, n_districts):
    t = synthetic_tables(n, seed=seed, n_districts=n_districts)
    assert len(t["persons"]) == n
    _check_tables(t)
    assert t["households"]["district"].nunique() <= n_districts
    if n >= 10_000:
        hh = t["households"]
        sizes = t["persons"].groupby("household_id").size()
        assert 2.2 <= sizes.mean() <= 2.8
        f = facts(t)
        enrolled = sum(f[f"{p}.households"] for p in PROGRAMS[:4])
        assert 0.15 <= enrolled / len(hh) <= 0.35
        assert f["pairing.persons"] > 0 and f["registered_poor.persons"] > 0
        for q in ADHOC:
            assert f[f"{q}.persons"] > 0, q
        assert len(t["payments"]) > n / 2
        assert t["households"]["district"].nunique() == n_districts


def test_synthetic_is_deterministic():
    a, b = synthetic_tables(3_000, seed=11), synthetic_tables(3_000, seed=11)
    for name in COLUMNS:
        pd.testing.assert_frame_equal(a[name], b[name])
    c = synthetic_tables(3_000, seed=12)
    assert not a["persons"]["person_id"].equals(c["persons"]["person_id"])

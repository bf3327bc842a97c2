"""A household's explanation (reliefkit.report.explain, ``reliefkit explain``).

One hand-built region holds a household of each kind the issue names — eligible, excluded by a
vehicle, by a public employee, above the line, with dead members, enrolled but not eligible —
plus a special-hardship case and a household with nobody alive. Every figure is worked out by
hand in the comments (baseline: rural line 150, urban 210 yuan per person per month; tekun
basic ratio 1.3, care able 40, centralized supplement 100; marginal band 1.5 × the line,
allowance 0; temporary causes illness and disaster, 3 months, cap 5000; medical dibao 0.7 above
500, marginal 0.6 above 1000, tekun 1.0 above 0), and each explanation's benefits are checked
against the simulation of the whole region.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from conftest import enrol, household, pay, person, write_tables
from scheme_helpers import random_tables, write_region

import reliefkit.report.explain as explain_module
from reliefkit.cli.main import main
from reliefkit.errors import ReliefkitError, UnknownHouseholdError
from reliefkit.policy.schemes import scheme_from_mapping
from reliefkit.region.region import load_region
from reliefkit.report.explain import explain
from reliefkit.simulate.simulation import simulate

YEAR = 2026
# valid 18-digit IDs are not needed: local codes keep the masking visible (first and last characters)
IDS = {
    "eligible": ("EL-0001-A", "EL-0001-B"),
    "vehicle": ("VE-0002-A",),
    "public": ("PU-0003-A", "PU-0003-B"),
    "above": ("AB-0004-A",),
    "dead": ("DE-0005-A", "DE-0005-B", "DE-0005-C"),
    "enrolled": ("EN-0006-A",),
    "tekun": ("TK-0007-A",),
    "nobody": ("NB-0008-A",),
}
# the region's own monitoring line (yuan per person per year), so that the categories do not hang on the baseline's
MONITORING_LINE = """\
monitoring:
  line:
    description: test monitoring line
    unit: yuan/person/year
    reference: County monitoring notice (test)
    values:
      2026-01-01: 2700
"""
NAMES = {"eligible": "王大明", "vehicle": "李小红", "public": "赵公干", "above": "钱有余", "dead": "孙故去",
         "enrolled": "周在册", "tekun": "吴孤老", "nobody": "郑已故"}


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("explain") / "region"
    P = lambda key, i=0, **kw: person(IDS[key][i], f"H-{key}", name=NAMES[key] if i == 0 else "陈配偶",
                                      relation="head" if i == 0 else "spouse", labor_ability="full", **kw)
    households = [
        # 2 alive, y = 2400 / 2 / 12 = 100 < 150: (150 − 100) × 2 = 100 a month, 1200 a year; lack_funds: no
        # temporary; no medical costs: medical 0.7 × max(0, 0 − 500) = 0
        household("H-eligible", income=2400, main_cause="lack_funds"),
        # y = 100 but a vehicle: nothing; medical class none
        household("H-vehicle", income=1200, has_vehicle="true", main_cause="lack_funds"),
        # y = 0 but a public employee alive: nothing
        household("H-public", income=0, main_cause="lack_funds"),
        # urban, y = 3000 / 12 = 250 ≥ 210 and < 315: marginal (allowance 0); medical marginal:
        # 0.6 × (3000 − 1000) = 1200 a year
        household("H-above", area="urban", income=3000, medical_spending=3000, main_cause="lack_funds"),
        # 3 registered, 1 alive (one died in May, one on D): y = 1200 / 1 / 12 = 100: 50 a month, 600 a year
        household("H-dead", income=1200, main_cause="lack_funds"),
        # enrolled in rural dibao, y = 2400 / 12 = 200 ≥ 150: not eligible; marginal band (200 < 225)
        household("H-enrolled", income=2400, main_cause="lack_funds"),
        # aged 76, unable to work, alone, y = 0; illness; centralized tekun enrolment; medical 2000:
        # dibao 150 → 1800; tekun basic 1.3 × 150 = 195 + care 40 + centralized 100 = 335, minus the
        # dibao share 150 = 185 a month → 2220; temporary min(3 × 150 × 1, 5000) = 450; medical
        # (tekun) 1.0 × 2000 = 2000; in all 1800 + 2220 + 450 + 2000 = 6470
        household("H-tekun", income=0, medical_spending=2000, main_cause="illness"),
        household("H-nobody", income=0),
    ]
    persons = [
        P("eligible"), P("eligible", 1),
        P("vehicle"),
        P("public"), P("public", 1, public_employee="true"),
        P("above"),
        P("dead"), P("dead", 1, deceased_on="2026-05-01"), P("dead", 2, deceased_on="2026-12-31"),
        P("enrolled"),
        person(IDS["tekun"][0], "H-tekun", name=NAMES["tekun"], birth_date="1950-03-01", relation="head",
               labor_ability="none", disability_grade=0),
        person(IDS["nobody"][0], "H-nobody", name=NAMES["nobody"], deceased_on="2025-06-01"),
    ]
    enrolments = [
        enrol(IDS["enrolled"][0], "rural_dibao", "2024-01-01"),
        enrol(IDS["vehicle"][0], "rural_dibao", "2025-01-01"),          # a vehicle in dibao: an integrity flag
        enrol(IDS["eligible"][0], "rural_dibao", "2025-01-01"),
        enrol(IDS["tekun"][0], "tekun", "2020-01-01", mode="centralized"),
        enrol(IDS["dead"][0], "rural_dibao", "2024-01-01"),
        enrol(IDS["dead"][1], "rural_dibao", "2024-01-01"),             # still enrolled after the death
    ]
    payments = [
        pay(IDS["dead"][1], "rural_dibao", "2026-07-10", 120, "PD1"),   # after the death on 2026-05-01
        pay(IDS["dead"][0], "rural_dibao", "2026-03-10", 50, "PD2"),
        pay(IDS["eligible"][0], "rural_dibao", "2026-01-10", 100, "PE1"),
        pay(IDS["eligible"][0], "rural_dibao", "2026-02-10", 100, "PE2"),
        pay(IDS["eligible"][0], "temporary", "2025-02-10", 300, "PE3"),  # another year
    ]
    write_tables(folder, {"households": households, "persons": persons, "enrolments": enrolments,
                          "payments": payments})
    (folder / "policies").mkdir()
    (folder / "policies" / "monitoring.yaml").write_text(MONITORING_LINE, encoding="utf-8")
    return load_region(folder)


def _rule(e, programme: str) -> dict:
    return e.as_dict()["programmes"][programme]


def _tests(e, programme: str) -> dict[str, bool]:
    return {t["test"]: t["passed"] for t in _rule(e, programme)["tests"]}


_SIMULATED: dict[tuple[int, str], tuple] = {}


def _sim_row(region, household_id: str, scheme=None) -> dict[str, float]:
    """The simulation's figures for one household (the region simulated once per test region and scheme)."""
    key = (id(region), "" if scheme is None else scheme.name)
    if key not in _SIMULATED or _SIMULATED[key][0] is not region:
        sim = simulate(region, YEAR, scheme)
        _SIMULATED[key] = (region, sim, {h: i for i, h in enumerate(sim.prepared.household_id)})
    _, sim, position = _SIMULATED[key]
    at = position[household_id]
    return {k: float(sim[k][at]) for k in ("dibao", "tekun", "marginal", "temporary", "medical", "transfers_year")}


def _agrees_with_simulation(e, region, scheme=None) -> None:
    d = e.as_dict()
    row = _sim_row(region, d["household_id"], scheme)
    for programme in ("dibao", "tekun", "marginal"):
        assert d["programmes"][programme]["monthly"] == pytest.approx(round(row[programme], 2), abs=0.005)
    for programme in ("temporary", "medical"):
        assert d["programmes"][programme]["yearly"] == pytest.approx(round(row[programme], 2), abs=0.005)
    assert d["total_year"] == pytest.approx(round(row["transfers_year"], 2), abs=0.005)


# --------------------------------------------------------------------------- each kind, by hand
def test_eligible_household(region) -> None:
    e = explain(region, "H-eligible", YEAR)
    d = e.as_dict()
    assert (d["n"], d["y"], d["line"]["value"], d["line"]["path"]) == (2, 100.0, 150, "rural_dibao.line")
    assert d["line"]["since"] == "2026-01-01" and d["line"]["reference"].startswith("County civil-affairs bureau")
    assert _tests(e, "dibao") == {"dibao_income": True, "dibao_vehicle": True, "dibao_public": True}
    assert _rule(e, "dibao")["label"] == "农村低保" and _rule(e, "dibao")["tests"][0]["text"] == "人均月收入100元低于低保标准150元"
    assert explain(region, "H-eligible", YEAR, lang="en").as_dict()["programmes"]["dibao"]["tests"][1]["text"] == \
        "no vehicle in the household"
    assert (_rule(e, "dibao")["eligible"], _rule(e, "dibao")["monthly"], _rule(e, "dibao")["yearly"]) == (True, 100.0, 1200.0)
    assert (_rule(e, "medical")["class"], _rule(e, "medical")["yearly"]) == ("dibao", 0.0)
    assert d["total_year"] == 1200.0
    _agrees_with_simulation(e, region)
    assert "每月补差（150元 − 100元）× 2人 = 100元，全年1200元。" in e.text
    assert "依据：County civil-affairs bureau notice" in e.text
    en = explain(region, "H-eligible", YEAR, lang="en").text
    assert "Monthly top-up (150 yuan − 100 yuan) × 2 = 100 yuan; for the year 1,200 yuan." in en
    assert "Rural minimum living allowance: enrolled, as the rules find (eligible)." in en


def test_registry_of_the_year_only(region) -> None:
    d = explain(region, "H-eligible", YEAR).as_dict()
    assert d["registry"]["paid"] == {"rural_dibao": {"amount": 200.0, "payments": 2}}  # the 2025 temporary left out
    assert [(x["program"], x["start_date"]) for x in d["registry"]["enrolments"]] == [("rural_dibao", "2025-01-01")]


def test_excluded_by_a_vehicle(region) -> None:
    e = explain(region, "H-vehicle", YEAR)
    assert _tests(e, "dibao") == {"dibao_income": True, "dibao_vehicle": False, "dibao_public": True}
    assert not _rule(e, "dibao")["eligible"] and _rule(e, "dibao")["monthly"] == 0.0
    assert not _rule(e, "marginal")["eligible"] and _rule(e, "medical")["class"] == "none"
    assert e.as_dict()["total_year"] == 0.0
    _agrees_with_simulation(e, region)
    assert "2. 家庭无车辆：不符合。" in e.text and "结论：不符合条件（家庭有车辆）。" in e.text
    assert "已在册，但按规则不符合条件（家庭有车辆）" in e.text  # enrolled although it has a vehicle
    flags = e.as_dict()["flags"]
    assert [f["reason"] for f in flags] == ["dibao_vehicle"] and flags[0]["person"] == "VE*****-A"
    assert "有车辆家庭享受低保：VE*****-A；请复核低保资格。" in e.text
    en = explain(region, "H-vehicle", YEAR, lang="en").text
    assert "2. no vehicle in the household: failed." in en and "Result: not eligible (a vehicle in the household)." in en


def test_excluded_by_a_public_employee(region) -> None:
    e = explain(region, "H-public", YEAR)
    assert _tests(e, "dibao") == {"dibao_income": True, "dibao_vehicle": True, "dibao_public": False}
    assert _rule(e, "dibao")["tests"][2]["persons"] == [1]  # the spouse
    assert e.as_dict()["members"][1]["public_employee"] is True
    assert e.as_dict()["total_year"] == 0.0
    _agrees_with_simulation(e, region)
    assert "3. 在世家庭成员中无公职人员（陈**为公职人员）：不符合。" in e.text
    assert "农村低保：未在册，与测算结论（不符合）一致。" in e.text
    en = explain(region, "H-public", YEAR, lang="en").text
    assert "no public employee among the members alive (陈**: public employee): failed." in en


def test_above_the_line(region) -> None:
    e = explain(region, "H-above", YEAR)
    d = e.as_dict()
    assert (d["y"], d["line"]["value"], d["line"]["path"]) == (250.0, 210, "urban_dibao.line")
    assert _tests(e, "dibao")["dibao_income"] is False
    assert _tests(e, "marginal") == {"marginal_not_dibao": True, "marginal_assets": True, "marginal_income": True}
    assert _rule(e, "marginal")["eligible"] and _rule(e, "marginal")["monthly"] == 0.0  # allowance 0
    assert (_rule(e, "medical")["class"], _rule(e, "medical")["yearly"]) == ("marginal", 1200.0)
    assert d["total_year"] == 1200.0
    _agrees_with_simulation(e, region)
    assert "1. 人均月收入250元低于低保标准210元：不符合。" in e.text
    assert "救助 min（上限30000元，60% ×（自付3000元 − 起付线1000元））= 1200元。" in e.text
    assert "低保边缘：按规则符合条件但未在册" in e.text


def test_dead_members(region) -> None:
    e = explain(region, "H-dead", YEAR)
    d = e.as_dict()
    assert [m["alive"] for m in d["members"]] == [True, False, False]  # died on D is not alive on D
    assert (d["n"], d["y"], _rule(e, "dibao")["monthly"], d["total_year"]) == (1, 100.0, 50.0, 600.0)
    _agrees_with_simulation(e, region)
    assert "共登记3人，2026-12-31在世1人，按1人计算家庭人口。" in e.text
    assert "已于2026-05-01去世，不计入家庭人口。" in e.text and "已于2026-12-31去世" in e.text
    assert [(f["reason"], f["amount"]) for f in d["flags"]] == [("paid_after_death", 120.0)]
    assert "去世后仍有发放：DE*****-B，涉及金额120元；请停发并追回。" in e.text
    assert [(x["member"], x["alive"]) for x in d["registry"]["enrolments"]] == [(0, True), (1, False)]
    assert "孙**（DE*****-A）：农村低保，自2024-01-01起。" in e.text
    assert "陈**（DE*****-B）：农村低保，自2024-01-01起（该成员已去世）。" in e.text
    assert "农村低保：已在册，与测算结论（符合）一致。" in e.text
    en = explain(region, "H-dead", YEAR, lang="en").text
    assert "3 registered, 1 alive on 2026-12-31: the household counts 1." in en
    assert "died on 2026-05-01: not counted." in en and "paid after death — person DE*****-B was paid 120.00" in en


def test_enrolled_but_not_eligible(region) -> None:
    e = explain(region, "H-enrolled", YEAR)
    assert e.as_dict()["registry"]["standing"]["dibao"] is True
    assert not _rule(e, "dibao")["eligible"]
    _agrees_with_simulation(e, region)
    assert ("农村低保：已在册，但按规则不符合条件（人均月收入不低于低保标准），请复核该户的农村低保资格。"
            in e.text)
    en = explain(region, "H-enrolled", YEAR, lang="en").text
    assert ("Rural minimum living allowance: enrolled, but not eligible by the rules (income not below the line): "
            "review the enrolment." in en)


def test_special_hardship_member_by_member(region) -> None:
    e = explain(region, "H-tekun", YEAR)
    r = _rule(e, "tekun")
    (p,) = r["persons"]
    assert (p["age"], p["tier"], p["centralized"], p["case"]) == (76, "able", True, True)
    assert (p["basic"], p["care"], p["supplement"], p["standard"], p["dibao_share"], p["monthly"]) == \
        (195.0, 40.0, 100.0, 335.0, 150.0, 185.0)
    assert (r["monthly"], r["yearly"]) == (185.0, 2220.0)
    assert (_rule(e, "temporary")["yearly"], _rule(e, "medical")["class"], _rule(e, "medical")["yearly"]) == \
        (450.0, "tekun", 2000.0)
    assert e.as_dict()["total_year"] == 6470.0
    _agrees_with_simulation(e, region)
    assert ("供养标准 = 基本生活标准195元（1.30 × 150元）+ 护理补贴40元（全自理）+ 集中供养增加100元 = 335元；"
            "已由低保补差150元，另需特困供养每月185元。") in e.text
    assert "特困供养：已在册，与测算结论（符合）一致。" in e.text
    assert "吴**（TK*****-A）：农村低保" not in e.text and "特困供养，自2020-01-01起，集中供养。" in e.text


def test_nobody_alive_is_left_out(region) -> None:
    e = explain(region, "H-nobody", YEAR)
    d = e.as_dict()
    assert (d["n"], d["programmes"], d["total_year"]) == (0, None, 0.0)
    sim = simulate(region, YEAR)
    assert "H-nobody" not in set(sim.prepared.household_id)
    assert "测算日没有在世的家庭成员" in e.text
    assert "No member is alive on the reference day" in explain(region, "H-nobody", YEAR, lang="en").text


def test_monitoring_category(region) -> None:
    # H-public: y = 0 a year < 2700, never registered, not standing: edge, without any support
    m = explain(region, "H-public", YEAR).as_dict()["monitoring"]
    assert (m["category"], m["y"], m["y_net"], m["without_support"]) == ("edge", 0.0, 0.0, True)
    assert (m["line"]["value"], m["line"]["reference"]) == (2700, "County monitoring notice (test)")
    # H-above: y = 3000 ≥ 2700 but 3000 − 3000 of medical costs = 0 < 2700: sudden
    e = explain(region, "H-above", YEAR)
    assert (e.as_dict()["monitoring"]["category"], e.as_dict()["monitoring"]["y_net"]) == ("sudden", 0.0)
    assert "人均年收入3000元，扣除医疗自付费用后0元；监测标准每人每年2700元（自2026-01-01起执行）。" in e.text
    assert "监测类别：突发严重困难户。" in e.text and "请优先落实" in e.text
    assert "Category: sudden severe hardship." in explain(region, "H-above", YEAR, lang="en").text
    # H-eligible: y = 1200 < 2700 but in the minimum living allowance (standing), never registered: not monitored
    e = explain(region, "H-eligible", YEAR)
    assert e.as_dict()["monitoring"]["category"] is None and "不属于防返贫监测对象。" in e.text
    assert explain(region, "H-nobody", YEAR).as_dict()["monitoring"] is None  # nobody alive: no figures


# --------------------------------------------------------------------------- scheme, masking, errors
def test_scheme_before_and_after(region) -> None:
    scheme = scheme_from_mapping({"name": "Rural 180", "set": {"rural_dibao.line": 180}})
    e = explain(region, "H-eligible", YEAR, scheme)
    s = e.as_dict()["scheme"]
    assert s["changes"] == [{"parameter": "rural_dibao.line", "before": 150, "after": 180}]
    assert s["programmes"]["dibao"] == {"before": 1200.0, "after": 1920.0, "eligible_before": True,
                                        "eligible_after": True}  # (180 − 100) × 2 × 12
    assert s["total"] == {"before": 1200.0, "after": 1920.0}
    after = simulate(region, YEAR, scheme)
    at = int(np.flatnonzero((after.prepared.household_id == "H-eligible").to_numpy())[0])
    assert s["total"]["after"] == round(float(after["transfers_year"][at]), 2)
    assert "rural_dibao.line：150 → 180。" in e.text and "合计：1200元 → 1920元（全年），变化+720元。" in e.text
    # the enrolled household becomes eligible under the higher line: y = 200 < 180? no — stays out
    s2 = explain(region, "H-enrolled", YEAR, scheme, lang="en").as_dict()["scheme"]
    assert s2["programmes"]["dibao"]["eligible_after"] is False
    s3 = explain(region, "H-enrolled", YEAR, scheme_from_mapping({"name": "r210", "set": {"rural_dibao.line": 210}}),
                 lang="en")
    assert s3.as_dict()["scheme"]["programmes"]["dibao"] == {"before": 0.0, "after": 120.0, "eligible_before": False,
                                                             "eligible_after": True}  # (210 − 200) × 1 × 12
    assert "Rural minimum living allowance eligibility: not eligible → eligible." in s3.text


def test_no_identifier_or_name_unmasked(region) -> None:
    for hid in ("H-eligible", "H-public", "H-dead", "H-tekun"):
        for lang in ("zh", "en"):
            e = explain(region, hid, YEAR, lang=lang)
            dumped = json.dumps(e.as_dict(), ensure_ascii=False)
            for text in (e.text, dumped):
                for ids in IDS.values():
                    assert not any(i in text for i in ids)
                assert not any(n in text for n in NAMES.values()) and "陈配偶" not in text
    e = explain(region, "H-dead", YEAR)
    assert "孙**" in e.text and "DE*****-A" in e.text


def test_household_id_as_typed(region) -> None:
    assert explain(region, " Ｈ-eligible ", YEAR).as_dict()["household_id"] == "H-eligible"  # full width, spaces


def test_unknown_household_says_how_to_find_ids(region) -> None:
    with pytest.raises(UnknownHouseholdError) as got:
        explain(region, "H-eligibl", YEAR)
    message = str(got.value)
    assert "household 'H-eligibl'" in message and "close ones: H-eligible" in message
    assert "household_id (户编号) column of the households table" in message
    assert isinstance(got.value, ReliefkitError) and isinstance(got.value, KeyError)


def test_district_view_has_no_flags(region) -> None:
    e = explain(region.district("A"), "H-vehicle", YEAR)
    assert e.as_dict()["flags"] is None and "核查提示需要全区数据" in e.text


def test_a_bad_language_is_an_error(region) -> None:
    with pytest.raises(ReliefkitError, match="language"):
        explain(region, "H-eligible", YEAR, lang="fr")


def test_disagreement_with_the_simulation_is_reported(region, monkeypatch: pytest.MonkeyPatch) -> None:
    real = explain_module._rules

    def off_by_one(*args, **kwargs):
        steps = real(*args, **kwargs)
        steps["programmes"]["dibao"]["monthly"] += 1.0
        return steps

    monkeypatch.setattr(explain_module, "_rules", off_by_one)
    with pytest.raises(ReliefkitError, match="disagrees with the simulation on dibao"):
        explain(region, "H-eligible", YEAR)


# --------------------------------------------------------------------------- every household agrees
@pytest.mark.parametrize("seed", [3, 11])
def test_every_household_of_generated_regions_agrees(tmp_path: Path, seed: int) -> None:
    """Regions with every edge case (deaths before, on and after D, nobody alive, unknown
    booleans, incomes on a line, enrolments ending on D): each explanation reproduces the
    simulation (``explain`` checks it and raises otherwise), under the baseline and a scheme."""
    region = write_region(tmp_path / "r", random_tables(seed, 80))
    scheme = scheme_from_mapping({"name": "s", "set": {"rural_dibao.line": 200, "marginal.allowance": 30,
                                                       "tekun.centralized_supplement": 150}})
    sim = simulate(region, YEAR)
    kept = set(sim.prepared.household_id)
    for hid in region.households["household_id"]:
        e = explain(region, hid, YEAR, scheme)
        d = e.as_dict()
        assert (d["n"] > 0) == (hid in kept)
        if d["n"]:
            _agrees_with_simulation(e, region)
            assert d["scheme"]["total"]["after"] == pytest.approx(round(_sim_row(region, hid, scheme)["transfers_year"], 2))


def test_sample_households_agree() -> None:
    region = load_region(Path(__file__).resolve().parents[2] / "data" / "sample")
    sim = simulate(region, YEAR)
    table = sim.table()
    tekun = table.loc[table["tekun_persons"] > 0, "household_id"]
    picked = set(table["household_id"].iloc[::97]) | set(tekun.iloc[::3])  # ~55 households, a third with a tekun case
    for hid in sorted(picked):
        _agrees_with_simulation(explain(region, hid, YEAR), region)


# --------------------------------------------------------------------------- the command
def test_command_prints_the_sheet_and_json(region, capsys: pytest.CaptureFixture, tmp_path: Path) -> None:
    folder = region.source
    assert main(["explain", str(folder), "H-eligible", "--year", "2026"]) == 0
    assert capsys.readouterr().out.startswith("户编号 H-eligible：2026年社会救助测算说明\n")
    assert main(["explain", str(folder), "H-eligible", "--year", "2026", "--json", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert str(folder) not in out and str(Path(explain_module.__file__).parents[1]) not in out  # no path of the machine
    d = json.loads(out)
    assert d["line"]["source"] == "baseline.yaml"
    assert d["total_year"] == 1200.0 and d["lang"] == "en"
    scheme = tmp_path / "s.yaml"
    scheme.write_text("name: Rural 180\nset:\n  rural_dibao.line: 180\n", encoding="utf-8")
    assert main(["explain", str(folder), "H-eligible", "--year", "2026", "--scheme", str(scheme), "--lang", "en"]) == 0
    assert 'What changes under the scheme "Rural 180"' in capsys.readouterr().out
    assert main(["explain", str(folder), "nope", "--year", "2026"]) == 2
    assert "is not a household of" in capsys.readouterr().err

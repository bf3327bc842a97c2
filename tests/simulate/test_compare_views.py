"""The comparison's tables, notes and charts: Chinese first, numbers through the one
formatter, and the words saying what the numbers are (on the sample and on the region built
by hand in test_indicators)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from reliefkit.errors import SchemeError
from reliefkit.notebook import compare_charts as charts
from reliefkit.notebook import compare_tables as views
from reliefkit.notebook import compare_sweep as sweeps
from reliefkit.policy.schemes import load_scheme, scheme_from_mapping
from reliefkit.region.region import load_region
from reliefkit.simulate.compare import compare
from reliefkit.text.formatting import Formatter
from test_indicators import region  # noqa: F401 - the hand-built region, a fixture

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"
SCHEMES = sorted((SAMPLE.parents[1] / "notebooks" / "schemes").glob("*.yaml"))
#: the Latin words a Chinese comparison may show: index names and proper names
ALLOWED = {"P0", "P1", "P2", "FGT", "CGH"}  # CGH: the command's table only
LATIN = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
CJK = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture(scope="module")
def sample():
    r = load_region(SAMPLE)
    return r, compare(r, 2026, SCHEMES)


def _texts(frame) -> list[str]:
    """Every string a table shows: its cells, its row and column labels and their names."""
    out = [str(v) for v in frame.to_numpy().ravel()]
    for axis in (frame.index, frame.columns):
        out += [str(v) for v in axis.to_flat_index()] + [str(n) for n in axis.names if n is not None]
    return out


def _shown(r, c, lang: str) -> list[str]:
    b = sweeps.budget(r, 2026)
    tables = [views.summary_table(c, lang), views.indicators_table(c, lang), views.fixed_table(c, lang),
              views.quintile_view(c, lang), views.quintile_view(c, lang, "_all"), views.cost_vs_poverty(c, lang),
              views.fgt_table(c, lang), views.errors_table(c, lang), views.incidence_table(c, lang),
              views.winners_table(c, lang, text=True), views.actual_table(c, lang), views.reconciliation_table(c, lang),
              sweeps.budget_table(b, lang), sweeps.sweep_view(sweeps.sweep_table(r, 2026), lang)]
    texts = [t for table in tables for t in _texts(table)]
    texts += [views.why_note(c, lang), sweeps.budget_note(b, lang), views.intro(c, r, lang), views.fixed_heading(c, lang)]
    texts += [views.intro(c, r.district("城关镇"), lang)] if lang == "zh" else []
    texts += [views.heading(k, lang) for k in ("summary", "actual", "why", "indicators", "quintiles", "cost", "fgt",
                                               "errors", "incidence", "winners", "sweep", "files")]
    texts += c.to_text(lang).splitlines()
    return texts


def _chart_texts(r, c, lang: str) -> list[str]:
    figs = [charts.cost_chart(views.cost_vs_poverty(c, lang, text=False), lang),
            charts.fgt_chart(views.fgt_table(c, lang, text=False), lang),
            charts.errors_chart(views.errors_table(c, lang, text=False), lang),
            charts.incidence_chart(views.incidence_table(c, lang, text=False), lang),
            charts.winners_chart(views.winners_table(c, lang), lang),
            charts.quintile_chart(views.quintile_view(c, lang, text=False), lang),
            charts.actual_chart(views.actual_table(c, lang, text=False), lang),
            charts.sweep_chart(sweeps.sweep_table(r, 2026), c.summary, 100.0, lang,
                               [c.label(n, lang) for n in c.names], paid=1e6)]
    out = []
    for fig in figs:
        out += [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]
    return [t for t in out if t]


def test_the_chinese_comparison_has_no_english_words(sample):
    r, c = sample
    texts = [re.sub(r"`[^`]*`", " ", t) for t in _shown(r, c, "zh") + _chart_texts(r, c, "zh")]  # code: names
    found = {w for t in texts for w in LATIN.findall(t)} - ALLOWED
    assert not found, sorted(found)


def test_the_english_comparison_has_no_chinese(sample):
    r, c = sample
    # the sample's region name (region.yaml name_en) and the scheme names given in English
    found = [t for t in _shown(r, c, "en") + _chart_texts(r, c, "en") if CJK.search(t)]
    assert not found, found[:5]


def test_numbers_are_formatted_by_kind(sample):
    r, c = sample
    s = views.summary_table(c, "zh")
    assert s.loc["年度低保支出（元）", "现行政策"] == "2,047,214.00"
    assert s.loc["贫困发生率 P0（救助前）", "现行政策"] == "31.2%"
    assert s.loc["贫困缺口指数 P1（救助前）", "现行政策"] == "0.1527"
    assert s.loc["保障户数", "现行政策"] == "1,056"
    assert list(s.columns) == ["现行政策", "农村标准165元＋低保边缘每人每月30元", "农村低保标准提至180元"]
    w = views.winners_table(c, "zh", text=True)
    assert w.index.tolist() == ["减少1,200元及以上", "减少120～1,200元", "减少不足120元", "不变", "增加不足120元",
                                "增加120～1,200元", "增加1,200元及以上"]
    assert views.winners_table(c, "en").index[0] == "loses 1,200 yuan or more"
    sweep = sweeps.sweep_view(sweeps.sweep_table(r, 2026), "zh")
    assert sweep.index[0] == "75.00" and sweep.columns[0] == "保障户数"


def test_the_five_programme_line_is_set_beside_the_ledger(sample):
    r, c = sample
    a = views.actual_table(c, "zh", text=False)
    five = a.loc["五项测算救助合计"]
    assert five["现行政策：测算全年支出（元）"] == pytest.approx(c.summary["cost_year_all"].iloc[0])
    assert five["全年实际发放（元）"] == pytest.approx(c.summary["actual_paid_year_all"].iloc[0])
    assert five["全年实际发放（元）"] == pytest.approx(a.iloc[:5]["全年实际发放（元）"].sum())
    ledger = a.loc["台账合计"]
    assert ledger["全年实际发放（元）"] == pytest.approx(2223129.96) and pd.isna(ledger["现行政策：测算全年支出（元）"])
    assert five["全年实际发放（元）"] + a.loc["其他项目（社会捐赠、节日慰问等，未测算）", "全年实际发放（元）"] == \
        pytest.approx(2223129.96)
    note = views.why_note(c, "zh")
    assert "五项测算救助”全年12,189,772.56元" in note and "台账中这五项全年实际发放1,709,029.96元" in note


def test_the_budget_says_what_it_is_compared_with(sample):
    r, c = sample
    b = sweeps.budget(r, 2026)
    t = sweeps.budget_table(b, "zh")["数值"]
    assert b.from_ledger and t["预算来源"] == "本年台账城乡低保实际发放"
    assert t["比较对象"].startswith("按规则差额补足")
    assert t["现行农村低保标准（元/人·月）"] == "150.00" and t["现行标准下全年测算支出（元）"] == "2,047,214.00"
    note = sweeps.budget_note(b, "zh")
    assert "87.22元" in note and "150.00元" in note and "不是说" in note
    given = sweeps.budget(r, 2026, 3_000_000)
    assert not given.from_ledger and sweeps.budget_table(given, "en")["Value"]["Where the budget comes from"] == \
        "given as a parameter"


def test_why_note_on_the_hand_built_region(region):  # noqa: F811 - the fixture
    c = compare(region, 2026)
    zh, en = views.why_note(c, "zh"), views.why_note(c, "en")
    # the rule: A and B, 3000 a year; enrolled on D: A, C, F (3 persons; A has 2 members alive)
    assert "全年低保支出3,000.00元，保障2户3人" in zh
    assert "在册低保3户（家庭人口4人，其中在保3人）" in zh and "全年实际发放3,460.00元" in zh
    assert "按规则应保但未在册：1户1人，按规则全年600.00元" in zh  # B
    assert "在册但按规则不符合条件：2户（其中人均收入不低于标准1户，有车辆或公职人员1户）" in zh  # C, F
    assert "两边都有的1户，规则按差额补足到标准测算全年2,400.00元，台账按目前发放水平折算全年1,200.00元" in zh
    assert "年内发放但年末不在册1,000.00元" in zh  # a3 died, e1 left
    assert "poor by the rule but not enrolled: 1 household, 1 person, 600.00 yuan" in en
    assert "enrolled but not eligible by the rule: 2 households (1 at or above the line, 1 with" in en
    t = views.reconciliation_table(c, "zh", text=False)
    assert t.loc["合计", "全年实际发放（元）"] == pytest.approx(3460)
    assert t.loc["合计", "规则测算全年支出（元）"] == pytest.approx(3000)
    assert t.loc["合计", "其中在保人数"] == 3


def test_quintile_view_totals_are_true_aggregates(region):  # noqa: F811 - the fixture
    c = compare(region, 2026)
    q = views.quintile_view(c, "en", text=False)
    coverage = q[("baseline", "Coverage")]
    # quintile coverages 2/3, 1, 0, 0, 0 average 1/3; the true total is 3 beneficiaries of 10 persons
    assert coverage.iloc[:5].tolist() == pytest.approx([2 / 3, 1, 0, 0, 0])
    assert coverage["Total"] == pytest.approx(0.3)
    assert q[("baseline", "Benefit incidence")]["Total"] == 1.0


def test_scheme_names_in_two_languages(tmp_path):
    both = scheme_from_mapping({"name": {"zh": "农村180", "en": "Rural 180"}, "set": {"rural_dibao.line": 180}})
    assert (both.name, both.label("zh"), both.label("en")) == ("农村180", "农村180", "Rural 180")
    en_only = scheme_from_mapping({"name": {"en": "Rural 180"}, "set": {"rural_dibao.line": 180}})
    assert en_only.name == "Rural 180" and en_only.label("zh") == "Rural 180"
    plain = scheme_from_mapping({"name": "r180", "set": {"rural_dibao.line": 180}})
    assert plain.label("zh") == plain.label("en") == "r180"
    file = tmp_path / "s.yaml"
    file.write_text("name: Rural line 180\nname_zh: 农村低保标准提至180元\nset:\n  rural_dibao.line: 180\n",
                    encoding="utf-8")
    s = load_scheme(file)
    assert (s.name, s.label("zh"), s.label("en")) == ("Rural line 180", "农村低保标准提至180元", "Rural line 180")
    with pytest.raises(SchemeError, match="name has 'fr'"):
        scheme_from_mapping({"name": {"fr": "x"}, "set": {"rural_dibao.line": 180}})
    with pytest.raises(SchemeError, match="name_en"):
        scheme_from_mapping({"name": "x", "name_en": "", "set": {"rural_dibao.line": 180}})
    with pytest.raises(SchemeError, match="reserved"):
        scheme_from_mapping({"name": {"en": "baseline"}, "set": {"rural_dibao.line": 180}})


def test_a_budget_below_the_fixed_cost_is_said_in_both_languages(sample):
    r, _ = sample
    town = sweeps.budget(r.district("城关镇"), 2026)  # its ledger cannot pay even the urban households by the rule
    assert town.answer is None and town.reason == "below_fixed" and town.fixed_cost > town.amount
    zh = sweeps.budget_note(town, "zh")
    assert zh.startswith(f"预算{Formatter('zh').cell(town.amount, 'money')}元低于") and not LATIN.search(zh)
    assert "below the cost" in sweeps.budget_table(town, "en").iloc[1, 0]

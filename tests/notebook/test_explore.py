"""The tables behind the notebooks agree with the facts; the explorer widget; the workbooks."""

from __future__ import annotations

import re

import openpyxl
import pytest
from conftest import SAMPLE

from reliefkit.errors import ReliefkitError
from reliefkit.figures.facts import facts
from reliefkit.notebook import compare_tables as views
from reliefkit.notebook import compare_sweep as sweeps
from reliefkit.notebook import compare_workbook
from reliefkit.notebook import explore_selection
from reliefkit.notebook import explore_tables as explore
from reliefkit.region.region import load_region
from reliefkit.report.summary_figures import summary_figures
from reliefkit.simulate.compare import compare

YEAR = 2026


@pytest.fixture(scope="module")
def region():
    return load_region(SAMPLE)


@pytest.fixture(scope="module")
def people(region):
    return explore.people(region, YEAR)


@pytest.fixture(scope="module")
def figures(region):
    return summary_figures(region, YEAR)


def test_people_agree_with_the_facts(region, people, figures):
    f = facts(region, YEAR)
    assert len(people) == f["persons.alive"]
    for p in ("rural_dibao", "urban_dibao", "tekun", "marginal", "registered_poor"):
        assert int(people[p].sum()) == f[f"{p}.persons"]
    assert int(people["covered"].sum()) == figures["covered.persons"]
    assert int((people["registered_poor"] & ~people["paired"]).sum()) == f["pairing.unpaired_needy"]


def test_tables_agree_with_the_facts(region, people, figures):
    assert explore.overview(region, YEAR, "en").loc["Special-hardship support", "Persons"] == figures["tekun.persons"]
    assert int(explore.age_sex(region, YEAR, frame=people).to_numpy().sum()) == figures["covered.persons"]
    bands = explore.income_bands(region, YEAR, "en", frame=people)
    assert int(bands["Households"].sum()) == people["household_id"].nunique()
    slipped = explore.slipped_by_district(region, YEAR, "en")
    assert int(slipped["Households"].sum()) == figures["rule.poor_not_enrolled.households"]
    assert slipped.index.tolist() == list(region.districts)
    pay = explore.payments_table(region, YEAR, "en")
    assert round(float(pay.loc["Total", "Total"]), 2) == figures["payments.total"]
    by_area = explore.by_area(region, YEAR, "en", frame=people)
    assert int(by_area[("Rural minimum living allowance", "Persons")].sum()) == figures["rural_dibao.persons"]


def test_lists_are_masked_and_sorted(region):
    rows = explore.slipped_through(region, YEAR, "en", limit=None)
    assert len(rows) == 137
    assert all(re.fullmatch(r"\d\d\*{4}\d\d", h) for h in rows["Household (masked)"])
    first = rows[rows["District"] == region.districts[0]]["Per-capita monthly income (yuan)"]
    assert first.is_monotonic_increasing
    p = explore.people(region, YEAR)
    shown = explore_selection.selection_rows(explore_selection.filter_people(p, programme="tekun"), "zh")
    assert all(re.fullmatch(r"\d{6}\*{8}[\dX]{4}", i) for i in shown["身份证号（脱敏）"])
    assert all(len(n) >= 1 and set(n[1:]) <= {"*"} for n in shown["姓名（脱敏）"])


def test_filters(people):
    town = explore_selection.filter_people(people, district="城关镇")
    assert set(town["district"]) == {"城关镇"}
    old_covered = explore_selection.filter_people(people, programme="covered", age_band="80+", cause="illness",
                                        income=(0, 150))
    assert old_covered["covered"].all() and (old_covered["age"] >= 80).all()
    assert (old_covered["y"] <= 150).all() and set(old_covered["main_cause"]) == {"illness"}
    counts = explore_selection.selection_counts(old_covered, "en")
    assert counts.loc[0, "Persons"] == len(old_covered)
    with pytest.raises(ReliefkitError, match="unknown programme"):
        explore_selection.filter_people(people, programme="nothing")


def test_the_explorer_widget_updates_on_every_choice(region):
    from reliefkit.notebook.widgets import Explorer

    e = Explorer(explore.people(region, YEAR), "en")
    assert repr(e) == "Explorer(6,830 persons; district=All, programme=All, cause=All, age band=All)"
    e.select(district="城关镇", programme="tekun")
    assert set(e.selection["district"]) == {"城关镇"} and e.selection["tekun"].all()
    assert e.counts.loc[0, "Persons"] == facts(region, YEAR, "城关镇")["tekun.persons"]
    assert bytes(e._chart.value).startswith(b"\x89PNG") and "城关镇" in e._table.value
    e._dropdowns["district"].index = 0  # a change in the widget itself, as a click does
    assert len(e.selection) == facts(region, YEAR)["tekun.persons"]
    e.select(income=(0, 50))
    assert (e.selection["y"] <= 50).all()
    with pytest.raises(ReliefkitError, match="is not an option"):
        e.select(age_band="200+")


def test_comparison_tables_and_workbook(region, tmp_path):
    c = compare(region, YEAR, [SAMPLE.parents[1] / "notebooks" / "schemes" / "rural-180.yaml"])
    summary = views.summary_table(c, "en")
    assert summary.columns.tolist() == ["baseline", "Rural line 180"]
    assert summary.loc["Rural line", "Rural line 180"] == "180.00"
    assert views.winners_table(c, "en").sum().item() == c.simulations[0].prepared.households
    lines = sweeps.sweep_lines(region, YEAR)
    assert lines[0] == 75 and lines[-1] == 300 and len(lines) == sweeps.SWEEP_POINTS
    budget = sweeps.budget(region, YEAR)
    f = facts(region, YEAR)
    assert budget.amount == round(f["rural_dibao.paid"] + f["urban_dibao.paid"], 2)
    assert budget.line is not None and budget.answer.cost_year <= budget.amount
    town = sweeps.budget(region.district("城关镇"), YEAR)  # its ledger cannot pay even the urban households
    assert town.line is None and "below the cost" in town.problem
    assert "below the cost" in sweeps.budget_table(town, "en").iloc[1, 0]
    path = compare_workbook.write_workbook(c, tmp_path / "c.xlsx", sweep=sweeps.sweep_table(region, YEAR), budget=budget)
    sheets = openpyxl.load_workbook(path, read_only=True).sheetnames
    assert {"summary", "by_decile", "winners_losers", "sweep", "budget"} <= set(sheets)
    again = compare_workbook.write_workbook(c, tmp_path / "d.xlsx", sweep=sweeps.sweep_table(region, YEAR), budget=budget)
    assert path.read_bytes() == again.read_bytes()  # fixed dates: equal tables, equal bytes


def test_explore_workbook(region, tmp_path):
    path = explore.write_workbook(region.district("青山乡"), YEAR, tmp_path / "e.xlsx", "zh")
    wb = openpyxl.load_workbook(path, read_only=True)
    assert wb.sheetnames[:3] == ["保障对象", "按城乡", "按致贫原因"]
    assert "应保未保名单" in wb.sheetnames and "监测户名单" in wb.sheetnames and "结对帮扶建议" in wb.sheetnames
    cells = [str(v) for row in wb["应保未保名单"].iter_rows(values_only=True) for v in row if v is not None]
    monitored = [str(v) for row in wb["监测户名单"].iter_rows(values_only=True) for v in row if v is not None]
    assert set(monitored) & {"边缘易致贫户", "突发严重困难户"}
    assert not set(monitored) & set(region.households["household_id"])  # masked
    assert not [v for v in cells if re.fullmatch(r"\d{8,}", v)]  # household numbers masked


# --------------------------------------------------------------------------- monitoring and pairing suggestions
def test_monitoring_table_agrees_with_the_facts(region):
    f = facts(region, YEAR)
    t = explore.monitoring_table(region, YEAR, "zh")
    assert t.index.tolist() == ["脱贫不稳定户", "边缘易致贫户", "突发严重困难户", "合计"]
    assert t.loc["合计"].tolist() == [f["monitoring.households"], f["monitoring.persons"],
                                     f["monitoring.without_support.households"]]
    for code, name in (("unstable", "脱贫不稳定户"), ("edge", "边缘易致贫户"), ("sudden", "突发严重困难户")):
        assert t.loc[name, "户数"] == f[f"monitoring.{code}.households"]
        assert t.loc[name, "人数"] == f[f"monitoring.{code}.persons"]
    town = explore.monitoring_table(region.district("城关镇"), YEAR, "en")
    assert town.loc["Total", "Households"] == facts(region, YEAR, "城关镇")["monitoring.households"]


def test_monitored_list_is_masked_and_complete(region):
    f = facts(region, YEAR)
    rows = explore.monitored_list(region, YEAR, "zh", limit=None)
    assert len(rows) == f["monitoring.households"]
    assert (rows["尚未落实帮扶措施"] == "是").sum() == f["monitoring.without_support.households"]
    ids = set(region.households["household_id"])
    assert not ids & set(rows["户编号（脱敏）"]) and all("*" in h for h in rows["户编号（脱敏）"])
    assert (rows.loc[rows["尚未落实帮扶措施"] == "是", "已有帮扶措施"] == "无").all()
    assert len(explore.monitored_list(region, YEAR, "en")) == explore.LIST_LIMIT


def test_suggestion_table_rows_and_the_regions_figures(tmp_path):
    """On a region with needy persons without a helper: the districts' rows add up to
    the region's row, which holds pairing.suggested and pairing.suggested_same_district."""
    from reliefkit.sample import synthetic_tables, write_region

    write_region(synthetic_tables(4_000, seed=21, n_districts=3), tmp_path / "r")
    synthetic = load_region(tmp_path / "r")
    f = facts(synthetic, YEAR)
    t = explore.suggestion_table(synthetic, YEAR, "en")
    last = t.iloc[-1]
    assert t.index[-1] == synthetic.display_name("en")
    assert last.tolist() == [f["pairing.unpaired_needy"], f["pairing.suggested"], f["pairing.suggested_same_district"]]
    assert (t.iloc[:-1].sum() == last).all()
    district = synthetic.districts[0]
    one = explore.suggestion_table(synthetic.district(district), YEAR, "en")
    assert one.index.tolist() == [district, synthetic.display_name("en")]
    assert one.iloc[0].tolist() == t.loc[district].tolist() and one.iloc[-1].tolist() == last.tolist()


# --------------------------------------------------------------------------- how the notebooks show things
def test_tables_are_shown_with_separators_and_fixed_decimals(region):
    from reliefkit.notebook import show

    pay = show.formatted(explore.payments_table(region, YEAR, "zh"), "zh")
    cells = pay.to_numpy().ravel().tolist()
    assert all(re.fullmatch(r"\d{1,3}(,\d{3})*\.\d\d", c) for c in cells), cells[:5]
    assert pay.loc["合计", "合计"] == "2,223,129.96"
    html = show.table(explore.slipped_through(region, YEAR, "zh"), "zh").data
    assert "<td>210.00</td>" in html and "<th>0</th>" not in html  # no row numbers for a list
    overview = show.formatted(explore.overview(region, YEAR, "zh"), "zh")
    assert overview.loc["特困供养", "发放金额（元）"] == "470,310.00" and overview.loc["农村低保", "人数"] == "833"


def test_the_notebooks_own_words_follow_the_language():
    from reliefkit.notebook import show
    from reliefkit.notebook.parameters import check_parameters
    from summary_helpers import english_words

    p = check_parameters(region_dir=str(SAMPLE), year=YEAR, district="城关镇")
    assert show.parameters(p).data == "**青山区** · 2026年 · 城关镇 · 不写出文件"
    assert str(SAMPLE) not in show.parameters(p).data
    en = check_parameters(region_dir=str(SAMPLE), year=YEAR, lang="en")
    assert show.parameters(en).data == "**Qingshan District** · 2026 · the whole region · no files written"
    keys = [k for k in ("explore_title", "explore_intro", "covered", "age_sex", "income", "slipped", "monitoring",
                        "pairing", "payments", "explorer", "files", "summary_intro", "summary_charts",
                        "summary_files")]
    for key in keys:
        zh = show.section(key, "zh", scope="青山区", year=YEAR).data
        assert english_words(zh) == [], (key, english_words(zh))
        assert len(english_words(show.section(key, "en", scope="Qingshan District", year=YEAR).data)) > 0
    assert english_words(show.files({}, None, "zh").data) == []

"""The tables behind the notebooks agree with the facts; the explorer widget; the workbooks."""

from __future__ import annotations

import re

import openpyxl
import pytest
from conftest import SAMPLE

from reliefkit.errors import ReliefkitError
from reliefkit.figures.facts import facts
from reliefkit.notebook import compare_tables as views
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
    lines = views.sweep_lines(region, YEAR)
    assert lines[0] == 75 and lines[-1] == 300 and len(lines) == views.SWEEP_POINTS
    budget = views.budget(region, YEAR)
    f = facts(region, YEAR)
    assert budget.amount == round(f["rural_dibao.paid"] + f["urban_dibao.paid"], 2)
    assert budget.line is not None and budget.answer.cost_year <= budget.amount
    town = views.budget(region.district("城关镇"), YEAR)  # its ledger cannot pay even the urban households
    assert town.line is None and "below the cost" in town.problem
    assert "below the cost" in views.budget_table(town, "en").iloc[1, 0]
    path = views.write_workbook(c, tmp_path / "c.xlsx", sweep=views.sweep_table(region, YEAR), budget=budget)
    sheets = openpyxl.load_workbook(path, read_only=True).sheetnames
    assert {"summary", "by_decile", "winners_losers", "sweep", "budget"} <= set(sheets)
    again = views.write_workbook(c, tmp_path / "d.xlsx", sweep=views.sweep_table(region, YEAR), budget=budget)
    assert path.read_bytes() == again.read_bytes()  # fixed dates: equal tables, equal bytes


def test_explore_workbook(region, tmp_path):
    path = explore.write_workbook(region.district("青山乡"), YEAR, tmp_path / "e.xlsx", "zh")
    wb = openpyxl.load_workbook(path, read_only=True)
    assert "slipped_through" in wb.sheetnames and "unpaired_needy" in wb.sheetnames
    cells = [str(v) for row in wb["slipped_through"].iter_rows(values_only=True) for v in row if v is not None]
    assert not [v for v in cells if re.fullmatch(r"\d{8,}", v)]  # household numbers masked

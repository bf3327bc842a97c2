"""Line sweep (sort once + prefix sums) and the budget solver."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from reliefkit.errors import ReliefkitError
from reliefkit.simulate.measures import measures
from reliefkit.policy.schemes import scheme_from_mapping
from reliefkit.simulate.prepared import prepare
from reliefkit.simulate.simulation import simulate
from reliefkit.simulate.sweep import SWEEP_COLUMNS, budget_line, sweep
from scheme_helpers import random_tables, write_region


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory):
    return write_region(tmp_path_factory.mktemp("sweep"), random_tables(41, 120))


def _single(base, values: dict) -> dict:
    return measures(simulate(base, scheme=scheme_from_mapping({"name": "one", "set": values})))


@pytest.mark.parametrize("paths", [("rural_dibao.line",), ("urban_dibao.line",),
                                   ("rural_dibao.line", "urban_dibao.line")])
def test_sweep_point_equals_single_evaluation(region, paths: tuple[str, ...]) -> None:
    base = prepare(region, 2026)
    # include lines equal to incomes, below every income and 0
    lines = np.r_[0.0, 0.01, 100.0, 150.0, 210.0, np.sort(base.y)[[3, 40, 90]], 333.33, 1000.0]
    table = sweep(base, lines=lines, line=paths if len(paths) > 1 else paths[0])
    assert tuple(table.columns) == SWEEP_COLUMNS and len(table) == len(lines)
    for row in table.to_dict("records"):
        single = _single(base, {p: row["line"] for p in paths})
        for k in SWEEP_COLUMNS[1:]:
            assert math.isclose(row[k], single[k], rel_tol=1e-9, abs_tol=1e-9), (paths, row["line"], k)


def test_sweep_under_a_scheme(region) -> None:
    scheme = scheme_from_mapping({"name": "u", "set": {"urban_dibao.line": 260}})
    row = sweep(region, 2026, [175.0], scheme=scheme).iloc[0]
    single = _single(prepare(region, 2026), {"urban_dibao.line": 260, "rural_dibao.line": 175.0})
    assert row["cost_year"] == pytest.approx(single["cost_year"]) and row["p2_after"] == pytest.approx(single["p2_after"])


def test_sweep_is_monotone(region) -> None:
    t = sweep(region, 2026, np.linspace(0, 500, 101))
    assert t["cost_year"].is_monotonic_increasing and t["persons"].is_monotonic_increasing
    assert t["p0_before"].is_monotonic_increasing


def test_sweep_refuses_other_parameters(region) -> None:
    with pytest.raises(ReliefkitError, match="only the minimum-living lines"):
        sweep(region, 2026, [1], line="tekun.basic_ratio")


@pytest.mark.parametrize("budget_share", [0.0, 0.3, 0.77, 1.0, 2.5])
def test_budget_line_is_the_highest_line_that_fits(region, budget_share: float) -> None:
    base = prepare(region, 2026)
    urban_cost = sweep(base, lines=[0.0])["cost_year"][0]  # the rural line at 0: urban households only
    full = sweep(base, lines=[300.0])["cost_year"][0]
    budget = urban_cost + budget_share * (full - urban_cost)
    answer = budget_line(base, budget=budget)
    assert answer.cost_year <= budget + 1e-6
    assert answer.cost_year == pytest.approx(budget, rel=1e-9, abs=1e-6) or budget_share == 0.0
    assert answer.figures["cost_year"] == answer.cost_year and answer.paths == ("rural_dibao.line",)
    # a line a little higher costs more than the budget (unless nothing more can be bought)
    above = sweep(base, lines=[answer.line + 0.01])["cost_year"][0]
    assert above > budget or above == pytest.approx(answer.cost_year)
    rounded = budget_line(base, budget=budget, step=1.0)
    assert rounded.line == math.floor(rounded.line) and rounded.line <= answer.line + 1e-9
    assert rounded.cost_year <= budget + 1e-6


def test_budget_line_errors(region) -> None:
    base = prepare(region, 2026)
    with pytest.raises(ReliefkitError, match="below the cost"):
        budget_line(base, budget=1.0)
    both = budget_line(base, budget=1_000_000, line=("rural_dibao.line", "urban_dibao.line"), step=0.5)
    assert both.figures["line_rural"] == both.figures["line_urban"] == both.line


def test_budget_never_binds_when_nobody_can_be_eligible(tmp_path: Path) -> None:
    tables = random_tables(42, 20)
    tables["households"]["has_vehicle"] = "true"
    with pytest.raises(ReliefkitError, match="never binds"):
        budget_line(write_region(tmp_path / "r", tables), 2026, 1000.0)

"""The dashboard's widgets without a browser: figures, masking, downloads, the server's options.

The page itself is tested in Chromium by tests/browser; here the same widgets are driven
from Python, each figure checked against the function that defines it.
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import nbformat
import pytest

from reliefkit.dashboard import app, server
from reliefkit.dashboard.lists import monitoring_table, pairing_table
from reliefkit.dashboard.playground import PARAMETERS, Playground, slider_range
from reliefkit.errors import ReliefkitError, UsageError
from reliefkit.figures.facts import facts
from reliefkit.figures.monitoring import monitored_households
from reliefkit.simulate.compare import compare
from reliefkit.simulate.sweep import budget_line, sweep

REPO = Path(__file__).resolve().parents[2]
YEAR = 2026


@pytest.fixture(scope="module")
def dash() -> app.Dashboard:
    return app.dashboard(app.parameters(region_dir=str(REPO / "data" / "sample"), year=YEAR, lang="en", environ={}))


def test_explorer_counts_are_the_facts_of_the_district(dash):
    region = dash.params.region
    for district in region.districts[:2]:
        dash.explorer.select(district=district)
        assert int(dash.explorer.counts.iloc[0, 0]) == facts(region, YEAR, district=district)["persons.alive"]
    dash.explorer.select(district=None)


def test_playground_figures_are_compares(dash):
    pg = dash.playground
    values = {"rural_dibao.line": 172.0, "urban_dibao.line": 230.0, "marginal.allowance": 40.0,
              "marginal.income_ratio": 1.6, "tekun.basic_ratio": 1.4}
    pg.set(**values)
    want = compare(dash.params.region, YEAR, [{"name": "x", "set": values}]).summary
    keys = ["households", "persons", "cost_year", "cost_year_all", "p0_after", "p1_after", "p2_after",
            "exclusion_error", "inclusion_error", "households_gaining", "households_losing", "cost_change"]
    for i, row in enumerate((pg.baseline_figures, pg.figures)):
        for key in keys:
            assert row[key] == pytest.approx(want[key].iloc[i], rel=1e-12, abs=1e-9), key
    # the curve is the sweep under the other sliders, the point lies on it
    at = pg.curve[pg.curve["line"] == 172.0].iloc[0]
    assert at["cost_year"] == pytest.approx(pg.figures["cost_year"], rel=1e-9)
    scheme = pg.scheme()
    again = sweep(pg.prepared(), lines=[172.0], scheme=scheme).iloc[0]
    assert again["persons"] == at["persons"]
    assert pg.budget.answer is not None
    assert pg.budget.answer.line == budget_line(pg.prepared(), budget=pg.budget.amount, scheme=scheme, step=0.01).line
    pg.set(**pg.policy_values)
    assert pg.figures["cost_year"] == pg.baseline_figures["cost_year"]


def test_playground_in_a_district_is_compare_in_that_district(dash):
    pg, district = dash.playground, dash.params.region.districts[1]
    pg.select(district)
    pg.set(**{"rural_dibao.line": 190.0})
    want = compare(dash.params.region, YEAR, [{"name": "x", "set": {"rural_dibao.line": 190.0}}],
                   district=district).summary
    assert pg.figures["cost_year"] == pytest.approx(want["cost_year"].iloc[1], rel=1e-12)
    assert pg.figures["persons"] == want["persons"].iloc[1]
    pg.select(None)
    pg.set(**pg.policy_values)


def test_playground_refuses_what_it_has_no_slider_for(dash):
    with pytest.raises(ReliefkitError, match="no slider"):
        dash.playground.set(**{"temporary.cap": 1})
    with pytest.raises(ReliefkitError, match="outside the slider"):
        dash.playground.set(**{"rural_dibao.line": 10_000})
    with pytest.raises(ReliefkitError, match="not a district"):
        dash.playground.select("nowhere")


def test_slider_ranges_hold_the_value_in_force(dash):
    for path, _, step in PARAMETERS:
        value = dash.playground.policy_values[path]
        lo, hi = slider_range(value, step, dash.playground.policy_values["rural_dibao.line"])
        assert lo <= value <= hi and lo < hi, path
    assert slider_range(0.0, 5.0, 150.0) == (0.0, 150.0)


def test_lists_are_the_figures_masked(dash):
    region = dash.params.region
    listed = monitored_households(region, YEAR)
    table = monitoring_table(region, YEAR, "zh")
    assert len(table) == len(listed)
    assert not set(listed["household_id"]) & set(table.iloc[:, 0])  # every household ID masked
    district = region.districts[0]
    dash.monitoring.select(district)
    assert len(dash.monitoring.table) == int((listed["district"] == district).sum())
    assert list(pairing_table(region, YEAR, "zh").columns)[0] == "身份证号（脱敏）"


def test_downloads_are_workbooks_without_identifiers(dash, tmp_path):
    from reliefkit.safety.privacy import scan_outputs

    region = dash.params.region
    dash.explorer.select(district=region.districts[0])
    buttons = [*dash.downloads, dash.monitoring.download, dash.pairing.download]
    for i, b in enumerate(buttons):
        b.prepare()
        m = re.search(r'download="([^"]+)" href="data:[^;]+;base64,([^"]+)"', b.link.value)
        assert m, b.link.value[:200]
        assert m.group(1).endswith(".xlsx")
        (tmp_path / f"{i}-{m.group(1)}").write_bytes(base64.b64decode(m.group(2)))
    findings = scan_outputs(tmp_path, region.persons["name"])
    assert findings.empty, findings.head()
    assert findings.attrs["files"] == len(buttons)


def test_parameters_come_from_the_environment():
    env = {"RELIEFKIT_DASHBOARD_REGION": str(REPO / "data" / "sample"), "RELIEFKIT_DASHBOARD_YEAR": "2026",
           "RELIEFKIT_DASHBOARD_LANG": "en"}
    p = app.parameters(region_dir="nowhere", year=1999, lang="zh", environ=env)
    assert (p.year, p.lang, p.region_dir) == (2026, "en", REPO / "data" / "sample")
    got = server.kernel_environment(REPO / "data" / "sample", 2026, "en", {})
    assert {k: got[v] for k, v in app.ENV.items()} == {"region_dir": str(REPO / "data" / "sample"),
                                                       "year": "2026", "lang": "en"}
    assert got["JUPYTER_PATH"].split(":")[0] == str(server.SHARE)


def test_server_listens_beyond_the_machine_only_with_a_token():
    assert "--Voila.ip=127.0.0.1" in server.voila_argv(port=9000)
    with pytest.raises(UsageError, match="needs a token"):
        server.voila_argv(port=9000, ip="0.0.0.0")
    argv = server.voila_argv(port=9000, ip="192.168.1.20", token="s3cret", pool_size=2)
    assert {"--Voila.ip=192.168.1.20", "--Voila.token=s3cret", "--pool_size=2", "--preheat_kernel=True",
            "--template=reliefkit", "--Voila.port_retries=0"} <= set(argv)
    with pytest.raises(UsageError):
        server.voila_argv(port=9000, pool_size=0)


def test_the_page_template_has_no_cdn():
    template = (server.SHARE / "voila" / "templates" / "reliefkit" / "index.html.j2").read_text(encoding="utf-8")
    assert "extends 'lab/index.html.j2'" in template
    assert json.loads((server.SHARE / "voila" / "templates" / "reliefkit" / "conf.json").read_text())["base_template"] == "lab"


def test_the_notebook_is_thin():
    nb = nbformat.read(server.notebook_path(), as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert not re.search(r"^\s*(def|class)\s", code, re.M)
    assert nb.cells[0].metadata.get("tags") == ["parameters"]
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")  # a page, not a report
    assert "app.dashboard(app.parameters(" in code


def test_the_budget_follows_the_scope_until_one_is_typed(dash):
    pg, region = dash.playground, dash.params.region
    district = region.districts[2]
    f = facts(region, YEAR, district=district)
    pg.select(district)
    assert pg._budget.value == round(f["rural_dibao.paid"] + f["urban_dibao.paid"], 2)
    assert pg.budget.from_ledger and pg.budget.line_now == pg.policy_values["rural_dibao.line"]
    assert pg.budget.cost_now == pg.baseline_figures["cost_year"]
    pg._budget.value = 123456.0
    pg.select(None)
    assert pg._budget.value == 123456.0 and not pg.budget.from_ledger
    assert pg.district is None and pg._scope.label == pg._scope.options[0][0]
    pg._budget.value = pg._ledger_budget(None)


def test_the_command_reaches_the_server(capsys):
    from reliefkit.cli.main import main

    assert main(["dashboard", "nowhere", "--port", "1"]) == 2  # the region is checked before Voilà starts
    assert "nowhere" in capsys.readouterr().err
    assert main(["dashboard", "data/sample", "--ip", "0.0.0.0", "--port", "1"]) == 2
    assert "needs a token" in capsys.readouterr().err

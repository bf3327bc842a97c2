"""The two work lists as tables and workbooks: as long as the figures, masked, in both languages."""

from __future__ import annotations

import subprocess
import sys

import openpyxl

from conftest import SAMPLE, enrol, household, person
from reliefkit import facts, load_region
from reliefkit.report.worklists import monitoring_table, suggestion_table, write_monitoring_list, write_pairing_suggestions

Y = 2026
ID = "11010519491231002X"  # a valid resident ID: the list must show it masked


def _region(build):
    return build(
        households=[household("H1", district="A", income=100), household("H2", district="B", income=100)],
        persons=[person("P1", "H1"), person(ID, "H2")],
        enrolments=[enrol("P1", "registered_poor", "2025-01-01"), enrol(ID, "registered_poor", "2025-01-01")],
        helpers=[{"helper_id": "M1", "unit": "城关镇政府", "unit_type": "district_organ", "capacity": 1, "district": "B"}],
    )


def _cells(path):
    wb = openpyxl.load_workbook(path)
    return [str(c) for ws in wb for row in ws.iter_rows(values_only=True) for c in row if c is not None]


def test_suggestion_list_masks_the_needy_and_prefers_the_own_district(build, tmp_path):
    region = load_region(_region(build))
    assert region.validation.clean
    table = suggestion_table(region, Y, lang="en")
    assert len(table) == facts(region, Y)["pairing.suggested"] == 1
    assert table.loc[0, "Household ID"] == "H2" and table.loc[0, "Same district"] == "Yes"  # B's helper to B's needy
    assert table.loc[0, "Needy person's ID (masked)"] == "110105********002X"
    cells = _cells(write_pairing_suggestions(region, Y, tmp_path / "p.xlsx"))
    assert ID not in " ".join(cells)
    assert "建议结对人数" in cells


def test_monitoring_list_in_both_languages_matches_the_figures(build, tmp_path):
    region = load_region(_region(build))
    f = facts(region, Y)
    for lang in ("zh", "en"):
        assert len(monitoring_table(region, Y, lang=lang)) == f["monitoring.households"]
    cells = _cells(write_monitoring_list(region, Y, tmp_path / "m.xlsx", district="A", lang="en"))
    assert any(c.startswith("A: households under monitoring") for c in cells)
    assert ID not in " ".join(cells)


def test_cli_writes_both_workbooks(tmp_path):
    for command, name in (("monitor", "m.xlsx"), ("suggest-pairings", "p.xlsx")):
        done = subprocess.run([sys.executable, "-m", "reliefkit.cli.main", command, str(SAMPLE), "--year", str(Y),
                               "--district", "城关镇", "--out", str(tmp_path / name)], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert (tmp_path / name).is_file() and "written to" in done.stdout

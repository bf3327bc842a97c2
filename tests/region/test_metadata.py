"""region.yaml / 地区.yaml: what the outputs call a region (docs/en/region-folder.md, section 7)."""

from __future__ import annotations

import shutil

import openpyxl
import pytest

from conftest import SAMPLE, household, person
from reliefkit import facts, load_region
from reliefkit.errors import RegionReadError
from reliefkit.store.build import build_store


def test_without_the_file_the_folder_names_the_region(build):
    region = load_region(build(households=[household("H1")], persons=[person("P1", "H1")]))
    assert region.name == region.folder_name == "region0"
    assert region.display_name("en") == "region0" and facts(region, 2026)["scope.name"] == "region0"


def test_chinese_file_name_and_keys(build):
    folder = build(households=[household("H1", district="东乡")], persons=[person("P1", "H1")])
    (folder / "地区.yaml").write_text("名称: 青山区\n英文名称: Qingshan\n行政区划代码: 430521\n", encoding="utf-8")
    region = load_region(folder)
    assert (region.name, region.name_en, region.code) == ("青山区", "Qingshan", "430521")
    f = facts(region, 2026, district="东乡")
    assert (f["scope.name"], f["region.name"]) == ("东乡", "青山区")


@pytest.mark.parametrize("text, what", [("name: [1, 2\n", "YAML"), ("- 青山区\n", "map"),
                                         ("title: 青山区\n", "unknown key 'title'")])
def test_a_bad_file_is_a_clear_error(build, text, what):
    folder = build(households=[household("H1")], persons=[person("P1", "H1")])
    (folder / "region.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(RegionReadError, match=what) as err:
        load_region(folder)
    assert "region.yaml" in str(err.value)


def test_a_store_and_a_workbook_keep_the_name_and_read_what_lies_beside(tmp_path):
    store = build_store(SAMPLE, tmp_path / "store")
    assert load_region(tmp_path / "store").name == "青山区"
    assert load_region(tmp_path / "store").folder_name == "sample"
    del store
    book_dir = tmp_path / "office"
    book_dir.mkdir()
    wb = openpyxl.Workbook()
    wb.active.title = "households"
    wb.active.append(["household_id", "district", "area", "annual_income"])
    wb.active.append(["H1", "A", "rural", 100])
    persons = wb.create_sheet("persons")
    persons.append(["person_id", "household_id"])
    persons.append(["P1", "H1"])
    wb.save(book_dir / "台账.xlsx")
    assert load_region(book_dir / "台账.xlsx").name == "台账"
    shutil.copy(SAMPLE / "region.yaml", book_dir / "region.yaml")
    (book_dir / "policies").mkdir()
    (book_dir / "policies" / "lines.yaml").write_text(
        "rural_dibao:\n  line:\n    description: test\n    unit: yuan/person/month\n    reference: test\n"
        "    values:\n      2026-01-01: 175\n", encoding="utf-8")
    again = load_region(book_dir / "台账.xlsx")
    assert (again.name, again.folder_name) == ("青山区", "台账")
    assert facts(again, 2026)["policy.rural_dibao.line"] == 175

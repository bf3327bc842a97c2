"""Publicity lists: the whitelist of fields, masked IDs only, formula-safe cells, files
that open."""

from __future__ import annotations

import re

import pytest
from conftest import enrol, household, person
from docx import Document
from openpyxl import load_workbook

from reliefkit.cli.main import main
from reliefkit.errors import ReliefkitError
from reliefkit.text.idnumbers import check_char, is_valid_resident_id, mask_id
from reliefkit.text.words import labels
from reliefkit.report.publicity import PUBLICITY_FIELDS, program_code, publicity_table, spreadsheet_safe, write_publicity
from reliefkit.region.region import load_region
from summary_helpers import sample_figures, sample_region

YEAR = 2026
ID18 = re.compile(r"\d{17}[\dX]")
MASKED = re.compile(r"^\d{6}\*{8}[\dX]{4}$")


@pytest.mark.parametrize("program", ["rural_dibao", "urban_dibao", "tekun", "marginal"])
def test_the_list_is_the_new_households_of_the_facts(program):
    t = publicity_table(sample_region(), YEAR, program)
    assert len(t) == sample_figures()[f"{program}.new_households"]
    assert list(t.columns) == ["district", *PUBLICITY_FIELDS]
    assert t["id_masked"].str.match(MASKED.pattern).all()
    assert (t["household_size"] >= 1).all()
    assert (t["start_date"].map(lambda d: d.year) <= YEAR).all()


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("publicity")
    return write_publicity(sample_region(), YEAR, "urban_dibao", out)


def _xlsx_cells(path) -> list[list[object]]:
    ws = load_workbook(path).active
    return [list(row) for row in ws.iter_rows(values_only=True)]


def _docx_text(path) -> tuple[list[str], list[list[str]]]:
    doc = Document(str(path))
    rows = [[c.text for c in row.cells] for table in doc.tables for row in table.rows]
    return [p.text for p in doc.paragraphs], rows


def _no_full_id(texts) -> None:
    ids = set(sample_region().persons["person_id"])
    for text in texts:
        for token in ID18.findall(str(text)):
            assert not is_valid_resident_id(token) and token not in ids, token


def test_files_per_village_hold_only_the_whitelist(written):
    t = publicity_table(sample_region(), YEAR, "urban_dibao")
    villages = t[["district", "village"]].drop_duplicates()
    assert len(written) == 2 * len(villages)
    header = [labels("zh")["publicity"][f] for f in PUBLICITY_FIELDS]
    n_rows = 0
    for path in written:
        if path.suffix == ".xlsx":
            cells = _xlsx_cells(path)
            assert cells[1] == header
            assert all(len(row) == len(PUBLICITY_FIELDS) for row in cells)
            n_rows += len(cells) - 2
            _no_full_id(v for row in cells for v in row if v is not None)
            for row in cells[2:]:
                assert MASKED.match(row[2])
        else:
            paragraphs, rows = _docx_text(path)
            assert rows[0] == header
            assert all(len(r) == len(PUBLICITY_FIELDS) for r in rows)
            _no_full_id(paragraphs + [c for r in rows for c in r])
    assert n_rows == len(t)


def test_no_health_disability_bank_or_address_field(written):
    forbidden = ("残疾", "疾病", "病", "银行", "账号", "地址", "收入", "致贫")
    for path in written:
        texts = ([str(c) for c in _xlsx_cells(path)[1]] if path.suffix == ".xlsx" else _docx_text(path)[1][0])
        for text in texts:
            assert not any(word in text for word in forbidden), text


def test_cells_that_look_like_formulas_are_escaped(build, tmp_path):
    pid = "11010519800101001"
    pid += check_char(pid)
    folder = build(
        households=[household("H1", "=cmd|' /C calc'!A0", village="+SUM(A1:A9)", income=0)],
        persons=[person(pid, "H1", name="@宋", relation="head")],
        enrolments=[enrol(pid, "rural_dibao", "2026-03-01")],
    )
    paths = write_publicity(load_region(folder), YEAR, "rural_dibao", tmp_path)
    xlsx = next(p for p in paths if p.suffix == ".xlsx")
    cells = [v for row in _xlsx_cells(xlsx) for v in row if isinstance(v, str)]
    assert not [v for v in cells if v.startswith(("=", "+", "-", "@"))]
    assert "'@宋" in cells and "'+SUM(A1:A9)" in cells
    wb = load_workbook(xlsx)
    assert all(c.data_type != "f" for row in wb.active.iter_rows() for c in row)
    assert spreadsheet_safe("-1") == "'-1" and spreadsheet_safe(-1) == -1


def test_head_is_named_and_masked(build):
    a, b = "11010519800101001", "11010519900101002"
    a, b = a + check_char(a), b + check_char(b)
    folder = build(
        households=[household("H1", "A", income=0)],
        persons=[person(b, "H1", name="李四", relation="spouse"), person(a, "H1", name="王五", relation="head")],
        enrolments=[enrol(b, "rural_dibao", "2026-05-01")],
    )
    t = publicity_table(load_region(folder), YEAR, "rural_dibao")
    assert t.loc[0, "name"] == "王五" and t.loc[0, "id_masked"] == mask_id(a)
    assert t.loc[0, "household_size"] == 2 and t.loc[0, "monthly_amount"] is None


def test_files_are_byte_deterministic(tmp_path):
    first = write_publicity(sample_region(), YEAR, "tekun", tmp_path / "a")
    again = write_publicity(sample_region(), YEAR, "tekun", tmp_path / "b")
    assert first and [p.name for p in again] == [p.name for p in first]
    for a, b in zip(again, first):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_programme_names_and_errors():
    assert program_code("城市低保") == "urban_dibao"
    with pytest.raises(ReliefkitError, match="use one of: rural_dibao"):
        program_code("donation")


def test_cli_publicity(build, tmp_path, capsys):
    pid = "11010519400101001"
    pid += check_char(pid)
    folder = build(households=[household("H1", "A", village="东村", income=0)],
                   persons=[person(pid, "H1", labor_ability="none")],
                   enrolments=[enrol(pid, "tekun", "2026-02-01", mode="centralized")])
    assert main(["publicity", str(folder), "--year", "2026", "--program", "特困", "--out", str(tmp_path)]) == 0
    assert [p.name for p in sorted((tmp_path / "publicity-2026-tekun").iterdir())] == ["A-东村.docx", "A-东村.xlsx"]
    assert main(["publicity", str(folder), "--year", "2025", "--program", "tekun", "--out", str(tmp_path)]) == 0
    assert "No household was newly enrolled" in capsys.readouterr().out
    assert main(["publicity", str(folder), "--year", "2026", "--program", "medical"]) == 2
    assert "is not a programme with enrolments" in capsys.readouterr().err

"""The blank registry workbook (``reliefkit template``) and one-workbook regions."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import reliefkit
from reliefkit import load_region, validate_folder
from reliefkit.cli.main import main
from reliefkit.io.aliases import ZH_CODES, ZH_HEADER
from reliefkit.io.reading import find_table_sources
from reliefkit.io.schema import TABLES
from reliefkit.io.template import code_choices, sheet_name, write_template
from reliefkit.text.words import template_words
from reliefkit.io.writing import as_text

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"


@pytest.fixture(scope="module")
def template_zh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_template(tmp_path_factory.mktemp("tpl") / "台账.xlsx")


@pytest.fixture(scope="module")
def sample():  # noqa: ANN201 - Region
    return load_region(SAMPLE)


def _validations(ws) -> dict[str, list[str]]:  # noqa: ANN001 - Worksheet
    """Column letter → the values of its list validation."""
    out = {}
    for dv in ws.data_validations.dataValidation:
        assert dv.type == "list"
        for rng in str(dv.sqref).split():
            out[rng.split(":")[0].rstrip("0123456789")] = dv.formula1.strip('"').split(",")
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_template_sheets_headers_formats_and_lists(tmp_path: Path, lang: str) -> None:
    path = write_template(tmp_path / "t.xlsx", lang)
    wb = openpyxl.load_workbook(path)
    words = template_words(lang)
    assert wb.sheetnames == [words["instructions"]["sheet"]] + [sheet_name(t, lang) for t in TABLES]
    for table in TABLES:
        ws = wb[sheet_name(table, lang)]
        heads = [c.value for c in ws[1]]
        assert heads == [(c.zh or ZH_HEADER[c.name]) if lang == "zh" else c.name for c in table.columns]
        lists = _validations(ws)
        for j, col in enumerate(table.columns, start=1):
            letter = openpyxl.utils.get_column_letter(j)
            if col.kind in ("code", "codes", "bool"):
                assert lists[letter] == code_choices(col, lang), (table.name, col.name)
            else:
                assert letter not in lists
            if col.kind == "id":
                assert ws.column_dimensions[letter].number_format == "@"
                assert str(ws.cell(2, j).value).startswith(words["example"]["marker"])
            if col.kind == "date":
                assert "yy" in ws.column_dimensions[letter].number_format
    # the coded columns the clerk sees, in Chinese
    if lang == "zh":
        hh = _validations(wb["家庭"])
        assert hh["D"] == ["农村", "城镇"] and "因病" in hh["K"] and hh["F"] == ["是", "否"]
        assert _validations(wb["家庭成员"])["D"] == ["男", "女"]
    # the instructions: one row per column, with type, required and meaning
    info = wb[words["instructions"]["sheet"]]
    assert info.max_row == 2 + sum(len(t.columns) for t in TABLES)
    assert all(r[3] and r[4] and r[5] for r in info.iter_rows(min_row=3, values_only=True))


def test_template_is_deterministic(tmp_path: Path) -> None:
    a, b = write_template(tmp_path / "a.xlsx"), write_template(tmp_path / "b.xlsx")
    assert a.read_bytes() == b.read_bytes()


def test_blank_template_reads_as_an_empty_region_skipping_examples(template_zh: Path) -> None:
    result = validate_folder(template_zh)
    assert result.clean
    assert (result.tables["rows_in"] == 0).all()
    examples = result.problems[result.problems["reason"] == "example_row"]
    assert set(examples["sheet"]) == {sheet_name(t) for t in TABLES}
    assert (examples["severity"] == "warning").all()


def _fill(template: Path, region, out: Path) -> Path:  # noqa: ANN001 - Region
    """The sample region written into a copy of the template, under the example rows, Chinese codes."""
    shutil.copy(template, out)
    wb = openpyxl.load_workbook(out)
    for table in TABLES:
        ws = wb[sheet_name(table)]
        frame = region.tables[table.name]
        text = as_text(frame)
        for i in range(len(frame)):
            row = []
            for col in table.columns:
                v, t = frame[col.name].iloc[i], text[col.name].iloc[i]
                if pd.isna(v) or t == "":
                    row.append(None)
                elif col.kind == "date":
                    row.append(pd.Timestamp(v).to_pydatetime())
                elif col.kind == "bool":
                    row.append("是" if v else "否")
                elif col.kind in ("number", "int"):
                    row.append(float(v) if col.kind == "number" else int(v))
                elif col.kind == "codes":
                    row.append(";".join(ZH_CODES[col.name].get(x, x) for x in t.split(";")))
                elif col.kind == "code":
                    row.append(ZH_CODES.get(col.name, {}).get(t, t))
                else:
                    row.append(t)
            ws.append(row)
    wb.save(out)
    return out


def test_round_trip_sample_through_the_template(template_zh: Path, sample, tmp_path: Path) -> None:
    book = _fill(template_zh, sample, tmp_path / "region.xlsx")
    sources, probs = find_table_sources(book)
    assert probs.empty and {s for _, s in sources.values()} == {sheet_name(t) for t in TABLES}
    again = load_region(book)
    assert again.validation.clean
    assert again.name == "region"
    for table in TABLES:
        assert len(again.tables[table.name]) == len(sample.tables[table.name])
    names = ("scope.name", "region.name")  # the workbook is called by its own name
    assert {k: v for k, v in reliefkit.facts(again, 2026).items() if k not in names} == {
        k: v for k, v in reliefkit.facts(sample, 2026).items() if k not in names}


def test_workbook_bad_row_names_sheet_row_and_column(template_zh: Path, sample, tmp_path: Path) -> None:
    book = _fill(template_zh, sample, tmp_path / "bad.xlsx")
    wb = openpyxl.load_workbook(book)
    ws = wb["家庭"]
    ws.cell(5, 4).value = "火星"  # 城乡类别 of the third household (row 5: header, example, two before)
    wb.save(book)
    result = validate_folder(book)
    errors = result.errors
    assert len(errors) >= 1
    bad = errors[errors["reason"] == "invalid_code"].iloc[0]
    assert (bad["file"], bad["sheet"], int(bad["row"]), bad["column"], bad["value"]) == (
        "bad.xlsx", "家庭", 5, "area", "火星")


def test_workbook_sheet_names_in_english_and_missing_table(tmp_path: Path) -> None:
    book = tmp_path / "r.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "households"
    wb.active.append(["household_id", "district", "area", "annual_income"])
    wb.active.append(["H1", "A", "rural", 100])
    wb.save(book)
    sources, probs = find_table_sources(book)
    assert sources == {"households": (book, "households")}
    assert probs["reason"].tolist() == ["missing_table"] and probs["table"].tolist() == ["persons"]


def test_cli_template_and_validate_a_workbook(tmp_path: Path, template_zh: Path, sample,
                                             monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["template", "blank.xlsx", "--lang", "en"]) == 0
    assert openpyxl.load_workbook(tmp_path / "blank.xlsx").sheetnames[0] == "Instructions"
    book = _fill(template_zh, sample, tmp_path / "filled.xlsx")
    assert main(["validate", str(book), "--problems", str(tmp_path / "p.csv")]) == 0
    assert main(["facts", str(book), "--year", "2026"]) == 0
    assert "家庭成员" in capsys.readouterr().out

"""The bad-input suite: every way a registry arrives broken gets a named problem with file,
row, column and reason (or a clear error), never a traceback, and never a silent loss:
rows in = accepted + quarantined, asserted in every case."""

from __future__ import annotations

import datetime as dt
import zipfile

import openpyxl
import pandas as pd
import pytest

from conftest import household, person, write_tables
from reliefkit import load_region, validate_folder
from reliefkit.text.idnumbers import check_char

HH_HEADER = "household_id,district,area,annual_income\n"


def rid(body17: str) -> str:
    return body17 + check_char(body17)


ID1 = rid("11010519800101001")
ID2 = rid("11010519900215002")


def conserved(result) -> None:
    t = result.tables.set_index("table")
    assert (t["rows_in"] == t["accepted"] + t["quarantined"]).all()
    for name, frame in result.frames.items():
        q = result.quarantine.get(name)
        assert len(frame) + (0 if q is None else len(q)) == t.loc[name, "rows_in"], name


def problems(result, severity: str | None = "error") -> list[tuple]:
    p = result.problems if severity is None else result.problems[result.problems["severity"] == severity]
    return [(r.table, None if pd.isna(r.row) else int(r.row), r.column, r.reason) for r in p.itertuples()]


def persons_xlsx(path, rows, header=("身份证号", "户编号", "出生日期")) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(header))
    for r in rows:
        ws.append(list(r))
    wb.save(path)


def folder_with_persons_csv(tmp_path, body: str, households=("H1",)):
    write_tables(tmp_path, {"households": [household(h) for h in households]})
    (tmp_path / "persons.csv").write_text(body, encoding="utf-8")
    return validate_folder(tmp_path)


# --- identifiers -------------------------------------------------------------------------

def test_18_digit_ids_stored_as_numbers_in_xlsx(tmp_path):
    write_tables(tmp_path, {"households": [household("H1")]})
    persons_xlsx(tmp_path / "persons.xlsx", [(int(ID1[:15]) * 1000, "H1", None), (float(ID2[:17]), "H1", None)])
    result = validate_folder(tmp_path)
    assert problems(result) == [("persons", 2, "person_id", "id_stored_as_number"),
                                ("persons", 3, "person_id", "id_stored_as_number")]
    conserved(result)


def test_ids_in_e_notation_in_csv(tmp_path):
    result = folder_with_persons_csv(tmp_path, "person_id,household_id\n1.10105E+17,H1\n110105198001010000.0,H1\n")
    assert [p[3] for p in problems(result)] == ["id_stored_as_number"] * 2
    conserved(result)


def test_wrong_check_digit(tmp_path):
    wrong = ID1[:17] + ("1" if ID1[-1] != "1" else "2")
    result = folder_with_persons_csv(tmp_path, f"person_id,household_id\n{ID1},H1\n{wrong},H1\n")
    assert problems(result) == [("persons", 3, "person_id", "invalid_check_digit")]
    conserved(result)


@pytest.mark.parametrize("written", [
    "11010519491231002x",                                     # lower-case x
    "１１０１０５１９４９１２３１００２Ｘ",                   # full-width digits and Ｘ
    "110105 19491231 002X",                                   # inner spaces
])
def test_id_spellings_normalise_to_one_id(tmp_path, written):
    result = folder_with_persons_csv(tmp_path, f"person_id,household_id,birth_date\n{written},H1,1949-12-31\n")
    assert problems(result, None) == []
    assert result.frames["persons"]["person_id"].tolist() == ["11010519491231002X"]
    conserved(result)


def test_15_digit_legacy_id_is_reported(tmp_path):
    result = folder_with_persons_csv(tmp_path, "person_id,household_id\n110105491231002,H1\n")
    assert problems(result, "warning") == [("persons", 2, "person_id", "legacy_id")]
    conserved(result)


def test_birth_date_in_id_disagrees_or_lies_in_the_future(tmp_path):
    future = rid(f"110105{dt.date.today().year + 1}0101001")
    result = folder_with_persons_csv(
        tmp_path, f"person_id,household_id,birth_date\n{ID1},H1,1980-01-02\n{future},H1,\n")
    assert problems(result, "warning") == [("persons", 2, "person_id", "birth_date_mismatch"),
                                           ("persons", 3, "person_id", "invalid_id_birth_date")]
    conserved(result)


# --- encodings ---------------------------------------------------------------------------

@pytest.mark.parametrize("encoding,bom", [("utf-8", b"\xef\xbb\xbf"), ("gbk", b"")])
def test_bom_and_gbk(tmp_path, encoding, bom):
    (tmp_path / "households.csv").write_bytes(bom + "户编号,所属乡镇,城乡类别,家庭年收入\nH1,河西乡,农村,1\n".encode(encoding))
    (tmp_path / "persons.csv").write_text("身份证号,户编号\nP1,H1\n", encoding="utf-8")
    result = validate_folder(tmp_path)
    assert problems(result, None) == [] and result.frames["households"]["district"].tolist() == ["河西乡"]
    conserved(result)


def test_bytes_that_decode_as_neither(tmp_path):
    (tmp_path / "households.csv").write_bytes(HH_HEADER.encode() + b"H1,\x80\xff,rural,1\n")
    (tmp_path / "persons.csv").write_text("person_id,household_id\nP1,H1\n", encoding="utf-8")
    result = validate_folder(tmp_path)
    (reason,) = [p[3] for p in problems(result) if p[0] == "households"]
    assert reason == "undecodable"
    assert "offset 44" in result.errors.iloc[0]["message"]
    conserved(result)


def test_different_encodings_across_one_folder(tmp_path):
    (tmp_path / "households.csv").write_bytes("户编号,所属乡镇,城乡类别,家庭年收入\nH1,城关镇,农村,1\n".encode("gb18030"))
    (tmp_path / "persons.csv").write_bytes(b"\xef\xbb\xbf" + "身份证号,户编号,姓名\nP1,H1,王五\n".encode("utf-8"))
    result = validate_folder(tmp_path)
    enc = result.tables.set_index("table")["encoding"]
    assert (enc["households"], enc["persons"]) == ("gb18030", "utf-8-sig")
    assert result.frames["persons"]["name"].tolist() == ["王五"]
    conserved(result)


# --- headers -----------------------------------------------------------------------------

def test_title_row_and_two_header_rows(tmp_path):
    (tmp_path / "households.csv").write_text(
        "2026年困难家庭名册,,,\n户编号,所属乡镇,城乡类别,家庭年收入\nhousehold_id,district,area,annual_income\n"
        "H1,A,rural,1\nH2,A,urban,2\n", encoding="utf-8")
    (tmp_path / "persons.csv").write_text("person_id,household_id\nP1,H1\n", encoding="utf-8")
    result = validate_folder(tmp_path)
    assert problems(result) == []
    assert [p[3] for p in problems(result, "warning")] == ["rows_above_header", "second_header_row"]
    hh = result.frames["households"]
    assert hh["household_id"].tolist() == ["H1", "H2"]
    conserved(result)


def test_merged_header_cells_and_merged_data_cells_in_xlsx(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["困难家庭基本情况", None, None, None, None])
    ws.append(["户编号", "所属乡镇", "村(社区)", "城乡类别", "家庭年收入"])
    ws.append(["H1", "城关镇", "东山村", "农村", 100])
    ws.append(["H2", "城关镇", None, "农村", 200])
    ws.append(["H3", "城关镇", None, "城镇", 300])
    ws.merge_cells("A1:E1")   # a group header over the columns
    ws.merge_cells("C3:C5")   # the village name merged down three rows
    wb.save(tmp_path / "households.xlsx")
    (tmp_path / "persons.csv").write_text("person_id,household_id\nP1,H1\n", encoding="utf-8")
    result = validate_folder(tmp_path)
    assert problems(result) == []
    assert {p[3] for p in problems(result, "warning")} == {"rows_above_header", "merged_cells"}
    hh = result.frames["households"]
    assert hh["village"].tolist() == ["东山村"] * 3
    conserved(result)


def test_duplicate_header_names(tmp_path):
    (tmp_path / "households.csv").write_text("household_id,district,area,annual_income,area\nH1,A,rural,1,urban\n",
                                             encoding="utf-8")
    (tmp_path / "persons.csv").write_text("person_id,household_id\nP1,H1\n", encoding="utf-8")
    result = validate_folder(tmp_path)
    assert ("households", None, "area", "duplicate_header") in problems(result)
    assert result.tables.set_index("table").loc["households", "quarantined"] == 1
    conserved(result)


# --- dates -------------------------------------------------------------------------------

def test_excel_serial_dates_in_both_date_systems(tmp_path):
    write_tables(tmp_path, {"households": [household("H1")]})
    for epoch, serial in (("1900", 29221), ("1904", 27759)):
        folder = tmp_path / epoch
        write_tables(folder, {"households": [household("H1")]})
        wb = openpyxl.Workbook()
        if epoch == "1904":
            wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
        ws = wb.active
        ws.append(["身份证号", "户编号", "出生日期"])
        ws.append([ID1, "H1", serial])  # an unformatted serial number
        wb.save(folder / "persons.xlsx")
        result = validate_folder(folder)
        assert problems(result, None) == [], epoch
        assert result.frames["persons"]["birth_date"].tolist() == [pd.Timestamp("1980-01-01")], epoch
        conserved(result)


@pytest.mark.parametrize("text", ["2023.5.1", "2023年5月1日"])
def test_dotted_and_chinese_dates(tmp_path, text):
    write_tables(tmp_path, {"households": [household("H1")], "persons": [person("P1", "H1", deceased_on=text)]})
    result = validate_folder(tmp_path)
    assert result.frames["persons"]["deceased_on"].tolist() == [pd.Timestamp("2023-05-01")]
    conserved(result)


def test_1900_01_01_placeholder_is_not_a_date(tmp_path):
    write_tables(tmp_path, {"households": [household("H1")],
                            "persons": [person("P1", "H1", deceased_on="1900-01-01"), person("P2", "H1")]})
    result = validate_folder(tmp_path)
    assert problems(result) == [("persons", 2, "deceased_on", "placeholder_date")]
    conserved(result)


# --- amounts -----------------------------------------------------------------------------

@pytest.mark.parametrize("text,value,reason", [
    ("1,200.00", 1200.0, None), ("￥300", 300.0, None), ("300元", 300.0, None),
    ("-5", None, "out_of_range"), ("", None, "missing_value"),
])
def test_amount_forms_and_bad_amounts(tmp_path, text, value, reason):
    (tmp_path / "households.csv").write_text(HH_HEADER + f'H1,A,rural,"{text}"\nH2,A,rural,7\n', encoding="utf-8")
    (tmp_path / "persons.csv").write_text("person_id,household_id\nP1,H2\n", encoding="utf-8")
    result = validate_folder(tmp_path)
    if reason:
        assert problems(result) == [("households", 2, "annual_income", reason)]
    else:
        assert result.frames["households"]["annual_income"].tolist() == [value, 7.0]
    conserved(result)


# --- files -------------------------------------------------------------------------------

def test_empty_file(tmp_path):
    (tmp_path / "households.csv").write_bytes(b"")
    (tmp_path / "persons.csv").write_text("person_id,household_id\n", encoding="utf-8")
    result = validate_folder(tmp_path)
    assert ("households", None, "", "empty_file") in problems(result)
    assert ("persons", None, "", "no_rows") in problems(result, "warning")   # header only
    conserved(result)


def test_corrupt_xlsx_and_an_xlsx_that_is_really_a_csv(tmp_path):
    (tmp_path / "households.xlsx").write_text(HH_HEADER + "H1,A,rural,1\n", encoding="utf-8")
    (tmp_path / "persons.xlsx").write_bytes(b"PK\x03\x04 this is not a workbook")
    result = validate_folder(tmp_path)
    assert ("households", None, "", "wrong_extension") in problems(result, "warning")
    assert result.frames["households"]["household_id"].tolist() == ["H1"]
    assert ("persons", None, "", "unreadable") in problems(result)
    conserved(result)


def test_formula_cell_without_cached_value(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["户编号", "所属乡镇", "城乡类别", "家庭年收入"])
    ws.append(["H1", "A", "农村", 100])
    ws.append(["H2", "A", "农村", "=D2*2"])   # openpyxl saves no cached value
    wb.save(tmp_path / "households.xlsx")
    (tmp_path / "persons.csv").write_text("person_id,household_id\nP1,H1\n", encoding="utf-8")
    result = validate_folder(tmp_path)
    assert ("households", 3, "annual_income", "formula_without_value") in problems(result)
    assert result.frames["households"]["household_id"].tolist() == ["H1"]
    conserved(result)


# --- keys --------------------------------------------------------------------------------

def test_foreign_key_to_nobody_and_duplicate_primary_key(tmp_path):
    write_tables(tmp_path, {"households": [household("H1"), household("H1")],
                            "persons": [person("P1", "H1"), person("P2", "H404")]})
    result = validate_folder(tmp_path)
    assert problems(result) == [("households", 3, "household_id", "duplicate_key"),
                                ("persons", 3, "household_id", "unknown_household")]
    conserved(result)


def test_the_cli_never_shows_a_traceback_on_any_of_these(tmp_path):
    import subprocess
    import sys

    (tmp_path / "households.xlsx").write_bytes(b"PK\x03\x04 broken")
    (tmp_path / "persons.csv").write_bytes(b"\xff\xfe\x00garbage")
    for cmd in (["validate", str(tmp_path), "--problems", str(tmp_path / "p.csv")],
                ["facts", str(tmp_path), "--year", "2026"]):
        out = subprocess.run([sys.executable, "-m", "reliefkit.cli.main", *cmd], capture_output=True, text=True)
        assert out.returncode in (1, 2) and "Traceback" not in out.stderr + out.stdout, out.stderr
    with pytest.raises(Exception, match="could not be read"):
        load_region(tmp_path)

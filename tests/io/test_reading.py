"""Readers: every header alias, date, boolean and amount form, encodings, XLSX and Parquet."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd
import pytest

from conftest import household, person, write_tables
from reliefkit import load_region, validate_folder
from reliefkit.io.aliases import HEADER_ALIASES, ZH_HEADER, fold
from reliefkit.text.idnumbers import check_char
from reliefkit.io.sheets import decode
from reliefkit.io.schema import TABLES

# The Chinese headers the data contract lists (docs/zh/region-folder.md), table by table
DATA_MD_HEADERS = {
    "households": {"户编号": "household_id", "所属乡镇": "district", "村(社区)": "village",
                   "城乡类别": "area", "家庭年收入": "annual_income", "有无车辆": "has_vehicle",
                   "有无经营实体": "has_business", "医疗自付费用": "medical_spending",
                   "住房安全": "housing_safe", "饮水安全": "water_safe", "主要致贫原因": "main_cause",
                   "致贫原因": "causes"},
    "persons": {"身份证号": "person_id", "户编号": "household_id", "姓名": "name", "性别": "sex",
                "出生日期": "birth_date", "与户主关系": "relation", "残疾等级": "disability_grade",
                "慢性病": "chronic_illness", "重大疾病": "major_illness", "劳动能力": "labor_ability",
                "就业状况": "employment", "公职人员": "public_employee", "死亡日期": "deceased_on"},
    "enrolments": {"身份证号": "person_id", "救助类别": "program", "开始日期": "start_date",
                   "结束日期": "end_date", "供养方式": "support_mode"},
    "payments": {"发放编号": "payment_id", "身份证号": "person_id", "救助类别": "program",
                 "发放日期": "paid_on", "金额": "amount", "资金来源": "source"},
    "helpers": {"帮扶人编号": "helper_id", "姓名": "name", "单位": "unit", "单位类别": "unit_type",
                "帮扶能力": "capacity", "所在乡镇": "district"},
    "pairings": {"帮扶人编号": "helper_id", "身份证号": "person_id", "开始日期": "start_date",
                 "结束日期": "end_date"},
}


def rid(body17: str) -> str:
    return body17 + check_char(body17)


@pytest.mark.parametrize("table", [t.name for t in TABLES])
def test_every_data_md_chinese_header_maps_to_its_column(table):
    for zh, canon in DATA_MD_HEADERS[table].items():
        assert HEADER_ALIASES[fold(zh)] == canon
    assert set(DATA_MD_HEADERS[table].values()) == set(next(t for t in TABLES if t.name == table).names)


def test_chinese_headers_and_codes_read_like_canonical(tmp_path):
    hh = tmp_path / "households.csv"
    hh.write_text("户编号,所属乡镇,村（社区）,城乡类别,家庭年收入,有无车辆,主要致贫原因,致贫原因\n"
                  "ｈ００１,城关镇,东村,农村,\"1,200.00\",否,因病,因病;因残\n"
                  "H002,城关镇,东村,城镇,￥300,是,,\n", encoding="utf-8")
    (tmp_path / "persons.csv").write_text(
        "身份证号,户编号,姓名,性别,出生日期,与户主关系,劳动能力\n"
        f"{rid('11010519491231002')},ｈ００１,张三,男,1949年12月31日,户主,无劳动能力\n"
        f"{rid('11010519800101001')},H002,李四,女,1980/1/1,户主,部分劳动能力\n", encoding="utf-8")
    r = load_region(tmp_path)
    assert r.validation.clean, r.validation.problems
    h = r.households
    assert h["household_id"].tolist() == ["h001", "H002"]  # NFKC: full-width → ASCII
    assert h["area"].tolist() == ["rural", "urban"]
    assert h["annual_income"].tolist() == [1200.0, 300.0]
    assert h["has_vehicle"].tolist() == [False, True]
    assert h.loc[0, "main_cause"] == "illness" and h.loc[0, "causes"] == "illness;disability"
    p = r.persons
    assert p["sex"].tolist() == ["M", "F"]
    assert p["relation"].tolist() == ["head", "head"]
    assert p["labor_ability"].tolist() == ["none", "partial"]
    assert p["birth_date"].tolist() == [pd.Timestamp("1949-12-31"), pd.Timestamp("1980-01-01")]


@pytest.mark.parametrize("text", ["2026-03-01", "2026/3/1", "2026.3.1", "2026年3月1日", "2026-3-1",
                                  "2026/03/01 00:00:00", "46082", "46082.0", "20260301", "２０２６－０３－０１"])
def test_date_forms(build, text):
    folder = build(households=[household("H1")], persons=[person("P1", "H1", deceased_on=text)])
    r = load_region(folder)
    assert r.validation.clean
    assert r.persons.loc[0, "deceased_on"] == pd.Timestamp("2026-03-01")


@pytest.mark.parametrize("text,value", [("true", True), ("FALSE", False), ("1", True), ("0", False),
                                         ("是", True), ("否", False), ("Y", True), ("n", False),
                                         ("True", True), ("", None)])
def test_boolean_forms(build, text, value):
    folder = build(households=[household("H1", has_vehicle=text)], persons=[person("P1", "H1")])
    got = load_region(folder).households.loc[0, "has_vehicle"]
    assert (got is pd.NA) if value is None else bool(got) is value


@pytest.mark.parametrize("text,value", [("1,200.00", 1200.0), ("￥300", 300.0), ("¥300", 300.0),
                                         ("300元", 300.0), (" 1 200.5 ", 1200.5), ("１２００", 1200.0)])
def test_amount_forms(build, text, value):
    folder = build(households=[household("H1", income=text)], persons=[person("P1", "H1")])
    assert load_region(folder).households.loc[0, "annual_income"] == value


@pytest.mark.parametrize("encoding,bom", [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("gbk", b""),
                                          ("gb18030", b"")])
def test_csv_encodings_are_detected(tmp_path, encoding, bom):
    text = "户编号,所属乡镇,城乡类别,家庭年收入\nH1,城关镇,农村,100\n"
    (tmp_path / "households.csv").write_bytes(bom + text.encode(encoding))
    (tmp_path / "persons.csv").write_text("身份证号,户编号\nP1,H1\n", encoding="utf-8")
    r = load_region(tmp_path)
    assert r.households.loc[0, "district"] == "城关镇"
    expected = {"utf-8": "utf-8-sig" if bom else "utf-8", "gbk": "gb18030", "gb18030": "gb18030"}[encoding]
    assert r.validation.tables.set_index("table").loc["households", "encoding"] == expected


def test_undecodable_bytes_are_an_error_with_the_byte_offset(tmp_path):
    (tmp_path / "households.csv").write_bytes(b"household_id,district,area,annual_income\nH1,\xff\xfe\xff,rural,1\n")
    (tmp_path / "persons.csv").write_text("person_id,household_id\nP1,H1\n", encoding="utf-8")
    result = validate_folder(tmp_path)
    err = result.errors.iloc[0]
    assert err["reason"] == "undecodable" and err["file"] == "households.csv"
    assert "offset 44" in err["message"]


def test_utf8_with_a_corrupt_byte_is_not_read_as_gb18030_mojibake():
    good = ("户编号,所属乡镇\n" + "H1,城关镇东山村柳树社区\n" * 5).encode("utf-8")
    pos = good.index(b"H1", 40)
    corrupt = good[:pos] + b"\xff" + good[pos + 1:]
    with pytest.raises(ValueError, match=f"byte {pos} "):
        decode(corrupt)


def test_xlsx_with_typed_cells_reads_like_csv(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["户编号", "所属乡镇", "城乡类别", "家庭年收入", "有无车辆"])
    ws.append(["H1", "城关镇", "农村", 1200, False])
    ws.append(["H2", "城关镇", "城镇", 300.5, True])
    wb.save(tmp_path / "households.xlsx")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["身份证号", "户编号", "出生日期"])
    ws.append([rid("11010519491231002"), "H1", dt.datetime(1949, 12, 31)])
    ws.append([rid("11010519800101001"), "H2", 29221])  # an Excel serial left unformatted
    wb.save(tmp_path / "persons.xlsx")
    r = load_region(tmp_path)
    assert r.validation.clean, r.validation.problems
    assert r.households["annual_income"].tolist() == [1200.0, 300.5]
    assert r.households["has_vehicle"].tolist() == [False, True]
    assert r.persons["birth_date"].tolist() == [pd.Timestamp("1949-12-31"), pd.Timestamp("1980-01-01")]
    assert r.validation.tables.set_index("table").loc["persons", "sheet"] == "Sheet"


def test_an_id_column_stored_as_numbers_is_refused_not_repaired(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["身份证号", "户编号"])
    ws.append([110105194912310000, "H1"])        # Excel kept 15 significant digits
    ws.append([1.10105194912310e17, "H1"])
    wb.save(tmp_path / "persons.xlsx")
    write_tables(tmp_path, {"households": [household("H1")]})
    result = validate_folder(tmp_path)
    errs = result.errors
    assert errs["reason"].tolist() == ["id_stored_as_number", "id_stored_as_number"]
    assert errs["row"].tolist() == [2, 3]
    assert "re-export this column as text" in errs["message"].iloc[0]
    assert result.frames["persons"].empty


def test_e_notation_in_a_csv_id_column_is_refused(build):
    folder = build(households=[household("H1")], persons=[person("1.10105E+17", "H1")])
    result = validate_folder(folder)
    assert result.errors["reason"].tolist() == ["id_stored_as_number"]


def test_id_normalisation_full_width_lower_x_and_spaces(build):
    body = "11010519491231002"
    assert check_char(body) == "X"
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in body) + "Ｘ"
    for written in (body + "x", full_width, body[:6] + " " + body[6:] + "X"):
        folder = build(households=[household("H1")], persons=[person(written, "H1")])
        r = load_region(folder)
        assert r.validation.clean
        assert r.persons.loc[0, "person_id"] == body + "X"


def test_parquet_with_typed_columns(tmp_path):
    pd.DataFrame({"household_id": ["H1"], "district": ["A"], "area": ["rural"],
                  "annual_income": [12.5], "has_vehicle": [True]}).to_parquet(tmp_path / "households.parquet")
    pd.DataFrame({"person_id": ["P1"], "household_id": ["H1"],
                  "birth_date": pd.to_datetime(["1990-05-06"])}).to_parquet(tmp_path / "persons.parquet")
    r = load_region(tmp_path)
    assert r.validation.clean
    assert r.households.loc[0, "annual_income"] == 12.5 and bool(r.households.loc[0, "has_vehicle"])
    assert r.persons.loc[0, "birth_date"] == pd.Timestamp("1990-05-06")


def test_chinese_table_file_names(tmp_path):
    (tmp_path / "家庭.csv").write_text("户编号,所属乡镇,城乡类别,家庭年收入\nH1,A,农村,1\n", encoding="utf-8")
    (tmp_path / "家庭成员.csv").write_text("身份证号,户编号\nP1,H1\n", encoding="utf-8")
    assert len(load_region(tmp_path).persons) == 1


def test_zh_header_of_every_column_is_known():
    for t in TABLES:
        for c in t.names:
            assert HEADER_ALIASES[fold(ZH_HEADER.get(c, c))] == c

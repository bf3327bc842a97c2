"""The fast (calamine) .xlsx reader gives exactly what the openpyxl reader gave: the same
text of every cell, merged cells, formulas without a value, errors, date systems, sheets,
lying extensions and damaged files."""

from __future__ import annotations

import datetime as dt
import zipfile

import openpyxl
import pandas as pd
import pytest
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from conftest import household, write_tables
from reliefkit import validate_folder
from reliefkit.io import sheets, xlsx


def both(path, sheet=None, monkeypatch=None):
    """The Sheet from the fast reader and from openpyxl (or the UnreadableFile message of each)."""
    out = []
    for old in (False, True):
        try:
            s = sheets._read_with_openpyxl(path, sheet) if old else sheets.read_xlsx_sheet(path, sheet)
            out.append(s)
        except sheets.UnreadableFile as e:
            out.append(str(e))
    return out


def trimmed(cells: pd.DataFrame) -> pd.DataFrame:
    """Without trailing wholly empty columns (openpyxl counts cells that only carry a style)."""
    while cells.shape[1] and (cells[cells.columns[-1]] == "").all():
        cells = cells.iloc[:, :-1]
    return cells


def assert_same(new, old) -> None:
    if isinstance(old, str):
        assert new == old
        return
    pd.testing.assert_frame_equal(trimmed(new.cells), trimmed(old.cells))
    assert (new.sheet, new.epoch, new.bad_cells, new.notes, new.first_row) == \
        (old.sheet, old.epoch, old.bad_cells, old.notes, old.first_row)


def typed_workbook(path, epoch1904: bool = False, text: str = "plain") -> None:
    wb = openpyxl.Workbook()
    if epoch1904:
        wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.title = "名册"
    ws.append(["身份证号", "户编号", "出生日期", "x", "y", "z"])
    for r in (
        [110105194912310000, "H1", dt.datetime(1949, 12, 31), True, False, None],
        [1.10105194912310e17, "H2", dt.date(2026, 3, 1), 0.1, 1e15, 123456789012345],
        ["0001", "  pad  ", dt.datetime(2026, 3, 1, 23, 59, 59), 3.0, -2.5, 1e-7],
        ["x", "多行\n文本", dt.time(8, 30), dt.timedelta(days=1, hours=2), 29221, 2**53],
        ["y", "", dt.datetime(1900, 1, 1), dt.datetime(1900, 2, 28), dt.datetime(1900, 3, 1), 1 / 3],
        [None] * 6,
        ["after a blank row", text, "a&b<c>", "'quoted", 12345678.123456789, "TRUE"],
    ):
        ws.append(r)
    ws["H12"].number_format = "0.00"  # a styled empty cell right of the data
    for ref, value, fmt in (("A13", 45000, "yyyy年m月d日"), ("B13", 45000.5, "yyyy/mm/dd hh:mm"),
                            ("C13", 0.75, "h:mm"), ("D13", 1.5, "[h]:mm:ss"), ("E13", 45000, "0.00%"),
                            ("F13", 45000, '#,##0 "元"'), ("A14", 59, "yyyy-mm-dd"), ("B14", 60, "yyyy-mm-dd"),
                            ("C14", 61, "yyyy-mm-dd"), ("D14", 1, "yyyy-mm-dd"), ("E14", 0, "yyyy-mm-dd"),
                            ("F14", 45000.99999999, "yyyy-mm-dd"), ("A15", 45000, "@")):
        ws[ref] = value
        ws[ref].number_format = fmt
    wb.create_sheet("second").append(["a", "b"])
    wb["second"].append([1, 2])
    wb.save(path)


def shared_strings(path) -> None:
    """Rewrite openpyxl's inline strings as a shared-string table, as Excel writes them."""
    import re

    with zipfile.ZipFile(path) as zf:
        parts = {i: zf.read(i.filename) for i in zf.infolist()}
    table: list[str] = []

    def shared(m: re.Match) -> str:
        table.append(m.group(3))
        return f'<c r="{m.group(1)}"{m.group(2)} t="s"><v>{len(table) - 1}</v></c>'

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in parts.items():
            text = data.decode("utf-8")
            if info.filename.startswith("xl/worksheets/sheet"):
                text = re.sub(r'<c r="(\w+)"((?: s="\d+")?) t="inlineStr"><is><t(?: [^>]*)?>(.*?)</t></is></c>',
                              shared, text, flags=re.S)
            elif info.filename == "[Content_Types].xml":
                text = text.replace("</Types>", '<Override PartName="/xl/sharedStrings.xml" ContentType='
                                    '"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                                    "</Types>")
            elif info.filename == "xl/_rels/workbook.xml.rels":
                text = text.replace("</Relationships>", '<Relationship Id="rIdSS" Type="http://schemas.openxmlformats'
                                    '.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                                    "</Relationships>")
            zf.writestr(info, text.encode("utf-8"))
        sst = "".join(f'<si><t xml:space="preserve">{t}</t></si>' for t in table)
        zf.writestr("xl/sharedStrings.xml", '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.'
                    f'openxmlformats.org/spreadsheetml/2006/main" count="{len(table)}" uniqueCount="{len(table)}">'
                    f"{sst}</sst>")


def test_shared_strings_as_excel_writes_them(tmp_path):
    f = tmp_path / "persons.xlsx"
    typed_workbook(f)
    shared_strings(f)
    with zipfile.ZipFile(f) as zf:
        assert zf.read("xl/worksheets/sheet1.xml").decode().count('t="s"') > 15
    new, old = both(f)
    assert_same(new, old)
    assert new.cells.iloc[3, 1] == "  pad  " and new.cells.iloc[0, 0] == "身份证号"


@pytest.mark.parametrize("epoch1904,text", [(False, "plain"), (True, "plain"), (False, "_x000D_")])
def test_typed_cells_read_as_openpyxl_read_them(tmp_path, epoch1904, text):
    f = tmp_path / "persons.xlsx"
    typed_workbook(f, epoch1904, text)
    new, old = both(f)
    assert_same(new, old)
    assert new.cells.iloc[1, :3].tolist() == ["1.10105194912310E+17", "H1", "1949-12-31"]
    assert new.cells.iloc[4, 2] == "1900-01-01"  # a time of day, as always
    assert new.epoch == ("1904" if epoch1904 else "1900")
    for sheet in ("second", "名册", "nope"):
        assert_same(*both(f, sheet))
    assert both(f, "nope")[0] == "has no sheet 'nope' (sheets: 名册, second)"


def formula_workbook(path, cached: bool) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["C3"], ws["D3"], ws["E3"] = "户编号", "所属乡镇", "家庭年收入"   # data away from A1
    ws["C4"], ws["D4"], ws["E4"] = "H1", "镇", 5
    for row, formula in zip(range(5, 10), ("=E4*2", "=SUM(E4:E5)", "=1/0", '="text"', "=TRUE()")):
        ws[f"C{row}"], ws[f"E{row}"] = f"H{row - 3}", formula
    ws.merge_cells("D4:D6")
    ws.merge_cells("F10:G12")
    wb.save(path)
    if cached:  # Excel saves the values; openpyxl does not: write them into the XML
        with zipfile.ZipFile(path) as zf:
            parts = {i: zf.read(i.filename) for i in zf.infolist()}
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            for info, data in parts.items():
                if info.filename == "xl/worksheets/sheet1.xml":
                    data = (data.decode()
                            .replace('<c r="E5"><f>E4*2</f><v></v>', '<c r="E5"><f>E4*2</f><v>10</v>')
                            .replace('<c r="E7"><f>1/0</f><v></v>', '<c r="E7" t="e"><f>1/0</f><v>#DIV/0!</v>')
                            .replace('<c r="E8"><f>"text"</f><v></v>', '<c r="E8" t="str"><f>"text"</f><v>text</v>')
                            .replace('<c r="E9"><f>TRUE()</f><v></v>', '<c r="E9" t="b"><f>TRUE()</f><v>1</v>')
                            .encode())
                zf.writestr(info, data)


@pytest.mark.parametrize("cached", [False, True])
def test_merged_cells_formulas_and_errors(tmp_path, cached):
    f = tmp_path / "households.xlsx"
    formula_workbook(f, cached)
    new, old = both(f)
    assert_same(new, old)
    assert new.cells.iloc[3:6, 3].tolist() == ["镇"] * 3
    assert ("merged_cells", "2 merged range(s)", "") in new.notes
    if cached:
        assert new.cells.iloc[4:9, 4].tolist() == ["10", "", "#DIV/0!", "text", "true"]
        assert new.bad_cells == [(5, 4, "formula_without_value")]
    else:
        assert [c[:2] for c in new.bad_cells] == [(r, 4) for r in range(4, 9)]


def test_lying_extensions_and_damaged_workbooks(tmp_path):
    book = tmp_path / "book.xlsx"
    typed_workbook(book)
    as_csv = tmp_path / "persons.csv"
    as_csv.write_bytes(book.read_bytes())
    got = sheets.read_csv_sheet(as_csv)
    assert got.notes.pop() == ("wrong_extension", "persons.csv", "an Excel workbook")
    assert_same(got, sheets._read_with_openpyxl(book, None))
    text = tmp_path / "text.xlsx"
    text.write_text("household_id,district\nH1,A\n", encoding="utf-8")
    assert sheets.read_xlsx_sheet(text, None).notes == [("wrong_extension", "text.xlsx", "CSV text")]
    for name, data in (("zip.xlsx", b"PK\x03\x04 broken"), ("empty.xlsx", b""), ("bin.xlsx", b"\x00\xff\xfe\x80"),
                       ("nobook.xlsx", None)):
        f = tmp_path / name
        if data is None:
            with zipfile.ZipFile(f, "w") as zf:
                zf.writestr("hello.txt", "no workbook here")
        else:
            f.write_bytes(data)
        with pytest.raises(sheets.UnreadableFile) as fast:
            sheets.read_xlsx_sheet(f, None)
        if data != b"":  # the old reader failed on an empty file with an IndexError
            with pytest.raises(sheets.UnreadableFile) as slow:
                sheets._read_with_openpyxl(f, None) if data is None or data.startswith(b"PK") else \
                    sheets.read_xlsx_sheet(f, None)
            assert str(fast.value) == str(slow.value)


def test_the_environment_variable_selects_the_old_reader(tmp_path, monkeypatch):
    f = tmp_path / "persons.xlsx"
    typed_workbook(f)
    calls = []
    monkeypatch.setattr(sheets, "_read_with_openpyxl", lambda p, s: calls.append(p) or "old")
    sheets.read_xlsx_sheet(f, None)
    assert calls == []
    monkeypatch.setenv(xlsx.READER_ENV, "openpyxl")
    assert sheets.read_xlsx_sheet(f, None) == "old" and calls == [f]


def test_a_region_from_xlsx_validates_as_before(tmp_path, monkeypatch):
    write_tables(tmp_path, {"households": [household("H1"), household("H2")]})
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["身份证号", "户编号", "出生日期"])
    ws.append([110105194912310000, "H1", dt.datetime(1949, 12, 31)])
    ws.append(["11010519800101001X", "H2", "=C2+1"])
    wb.save(tmp_path / "persons.xlsx")
    new = validate_folder(tmp_path)
    monkeypatch.setenv(xlsx.READER_ENV, "openpyxl")
    old = validate_folder(tmp_path)
    pd.testing.assert_frame_equal(new.problems, old.problems)
    pd.testing.assert_frame_equal(new.tables, old.tables)
    assert set(new.problems["reason"]) >= {"id_stored_as_number", "formula_without_value"}

"""The problems workbook a clerk fixes the ledger from: a summary, every problem, the rows not
accepted as they were with the wrong cells filled, personal data masked — and the ledger
corrected at the cells it points to reads clean, with data/sample's facts."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import openpyxl
import pytest

from conftest import household, person
from reliefkit import facts, load_region, validate_folder
from reliefkit.cli.main import main
from reliefkit.io.problem_book import ERROR_FILL, WARNING_FILL, write_problem_book
from reliefkit.safety.privacy import scan_outputs

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"
GOOD_ID = "11010519491231002X"


def _read(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def _write(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def _filled(ws) -> list[tuple[int, str, str]]:  # noqa: ANN001 - a worksheet
    """(file row, header, fill) of every filled cell of a rows sheet (the header row is the one
    whose first cell is the file-row heading)."""
    header_at = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value in ("行号", "Row in file"))
    heads = [c.value for c in ws[header_at]]
    out = []
    for r in range(header_at + 1, ws.max_row + 1):
        for c in range(1, ws.max_column + 1):
            rgb = ws.cell(r, c).fill.fgColor.rgb
            if ws.cell(r, c).fill.fill_type == "solid":
                out.append((int(ws.cell(r, 1).value), heads[c - 1], str(rgb)[-6:]))
    return out


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    """A copy of data/sample with five cells broken in three files; the originals kept."""
    folder = tmp_path_factory.mktemp("ledger") / "region"
    shutil.copytree(SAMPLE, folder)
    originals = {}
    for name, row, column, bad in (("persons.csv", 12, "person_id", None), ("persons.csv", 20, "sex", "X"),
                                   ("households.csv", 7, "annual_income", "abc"),
                                   ("payments.csv", 40, "paid_on", "2026-02-30"),
                                   ("payments.csv", 41, "amount", "-3")):
        rows = _read(folder / name)
        col = rows[0].index(column)
        good = rows[row - 1][col]
        if bad is None:  # a wrong check digit
            bad = good[:-1] + ("0" if good[-1] != "0" else "1")
        rows[row - 1][col] = bad
        originals[(name, row, column)] = good
        _write(folder / name, rows)
    return folder, originals


@pytest.fixture(scope="module")
def books(broken, tmp_path_factory):
    """The workbooks `reliefkit validate` writes for the broken copy, in Chinese (the default) and English."""
    folder, _ = broken
    out = tmp_path_factory.mktemp("books")
    (out / "zh").mkdir()
    (out / "en").mkdir()
    assert main(["validate", str(folder), "--problems", str(out / "zh" / "问题.xlsx")]) == 1
    assert main(["validate", str(folder), "--problems", str(out / "en" / "p.xlsx"), "--lang", "en"]) == 1
    return out / "zh" / "问题.xlsx", out / "en" / "p.xlsx"


def test_the_workbook_has_a_summary_every_problem_and_the_rows_not_accepted(broken, books):
    folder, originals = broken
    wb = openpyxl.load_workbook(books[0])
    assert wb.sheetnames[:2] == ["汇总", "问题清单"]
    assert {"家庭", "家庭成员", "发放记录"} <= set(wb.sheetnames)
    result = validate_folder(folder)
    summary = {row[0]: row for row in wb["汇总"].iter_rows(min_row=3, values_only=True)}
    for t in result.tables.itertuples():
        row = summary[next(k for k in summary if k.endswith(f"（{t.table}）"))]
        assert row[4:7] == (t.rows_in, t.accepted, t.quarantined), t.table
        assert row[3] == ("有行被隔离" if t.quarantined else "正常"), t.table
    listed = list(wb["问题清单"].iter_rows(min_row=3, values_only=True))
    assert len(listed) >= len(result.problems)  # with the integrity flags
    # the broken cells, and only cells of rows not accepted, are filled; errors yellow
    filled = {(ws.title, row, head): fill for ws in (wb["家庭"], wb["家庭成员"], wb["发放记录"])
              for row, head, fill in _filled(ws)}
    for (name, row, column) in originals:
        sheet = {"persons.csv": "家庭成员", "households.csv": "家庭", "payments.csv": "发放记录"}[name]
        assert filled[(sheet, row, column)] == ERROR_FILL, (name, row, column)
    assert set(filled.values()) <= {ERROR_FILL, WARNING_FILL}
    persons = wb["家庭成员"]
    assert "已遮挡" in persons["A1"].value and "person_id" in persons["A1"].value
    heads = [c.value for c in persons[2]]
    assert heads[0] == "行号" and heads[-1] == "问题说明" and heads[1:-1] == _read(folder / "persons.csv")[0]
    row12 = next(r for r in persons.iter_rows(min_row=3, values_only=True) if r[0] == 12)
    assert "校验位不对" in row12[-1] and row12[1].count("*") == 8


def test_the_workbook_never_shows_an_id_number_or_a_name_unmasked(broken, books):
    folder, _ = broken
    names = load_region(SAMPLE).persons["name"]
    persons = _read(folder / "persons.csv")[1:]
    for book in books:
        assert scan_outputs(book.parent, names).empty
        wb = openpyxl.load_workbook(book)
        text = " ".join(str(v) for ws in wb for row in ws.iter_rows(values_only=True) for v in row if v is not None)
        for r in persons:
            assert r[0] not in text and (not r[2] or r[2] not in text)
    assert openpyxl.load_workbook(books[1]).sheetnames[:2] == ["Summary", "Problems"]


def test_fixing_the_cells_the_workbook_points_to_gives_the_sample_back(broken, books, tmp_path):
    """The clerk's path: validate, open the workbook, correct the ledger at each filled cell
    (file row and header as the sheet shows them), validate again: clean, and the same facts."""
    folder, originals = broken
    fixed = tmp_path / "fixed"
    shutil.copytree(folder, fixed)
    wb = openpyxl.load_workbook(books[0])
    files = {"家庭": "households.csv", "家庭成员": "persons.csv", "发放记录": "payments.csv"}
    todo = {(files[ws.title], row, head) for ws in wb if ws.title in files
            for row, head, fill in _filled(ws) if fill == ERROR_FILL and head != "行号"}
    # cells filled because their row's parent was not accepted point to the parent: fix the
    # cells the clerk can correct (the five broken ones); the rest clear by themselves
    assert set(originals) <= todo
    for name in {n for n, _, _ in todo}:
        rows = _read(fixed / name)
        for (n, row, column) in todo:
            if n == name and (n, row, column) in originals:
                rows[row - 1][rows[0].index(column)] = originals[(n, row, column)]
        _write(fixed / name, rows)
    assert main(["validate", str(fixed), "--problems", str(tmp_path / "again.xlsx")]) == 0
    again = load_region(fixed)
    assert again.validation.clean
    assert facts(again, 2026) == facts(load_region(SAMPLE), 2026)


def test_a_table_not_accepted_at_all_says_why_on_its_sheet(build, tmp_path):
    folder = build(households=[household("H1")], persons=[person(GOOD_ID, "H1")])
    text = (folder / "households.csv").read_text(encoding="utf-8").replace("annual_income", "收入情况")
    (folder / "households.csv").write_text(text, encoding="utf-8")
    result = validate_folder(folder)
    out = write_problem_book(result, tmp_path / "p.xlsx", lang="zh", region="测试")
    ws = openpyxl.load_workbook(out)["家庭"]
    assert ws["A2"].value.startswith("整张表未被接受：缺少必填列“家庭年收入”")
    assert ws.cell(ws.max_row, ws.max_column).value.startswith("缺少必填列")


def test_the_same_problems_give_the_same_bytes(build, tmp_path):
    result = validate_folder(build(households=[household("H1", area="moon")], persons=[person(GOOD_ID, "H1")]))
    a = write_problem_book(result, tmp_path / "a.xlsx", lang="zh", region="r").read_bytes()
    b = write_problem_book(result, tmp_path / "b.xlsx", lang="zh", region="r").read_bytes()
    assert a == b


def test_a_filled_template_workbook_is_fixed_at_the_sheet_and_row_the_book_names(tmp_path):
    """One workbook, one region: the problems workbook names the sheet; fixing the cell it fills
    in the clerk's workbook validates clean."""
    from reliefkit.io.template import write_template

    region = write_template(tmp_path / "登记表.xlsx", lang="zh")
    wb = openpyxl.load_workbook(region)
    wb["家庭"].append(["H1", "城关镇", "东关村", "火星", 1200])
    wb["家庭成员"].append([GOOD_ID, "H1", "张三丰", "男"])
    wb.save(region)
    book = tmp_path / "问题.xlsx"
    assert main(["validate", str(region), "--problems", str(book)]) == 1
    rows = openpyxl.load_workbook(book)["家庭"]
    assert "登记表.xlsx（工作表“家庭”）" in rows["A1"].value
    (row, head, fill), = [f for f in _filled(rows) if f[1] != "行号"]
    assert (row, head, fill) == (3, "城乡类别", ERROR_FILL)  # header, example row, then ours
    wb = openpyxl.load_workbook(region)
    ws = wb["家庭"]
    ws.cell(row, [c.value for c in ws[1]].index(head) + 1).value = "农村"
    wb.save(region)
    assert main(["validate", str(region), "--problems", str(tmp_path / "again.xlsx")]) == 0

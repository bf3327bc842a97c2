"""The privacy gate (reliefkit.safety.privacy, ``reliefkit check-outputs``): identifiers and
registry names planted in every kind of output are found, masked; masked or invalid
numbers and ordinary text are not findings; the sample summary passes."""

from __future__ import annotations

import json
import shutil
import time

import pytest
from docx import Document
from openpyxl import Workbook
from summary_helpers import sample_dir, sample_region

from reliefkit.cli.main import EXIT_OK, EXIT_PROBLEMS, main
from reliefkit.errors import ReliefkitError
from reliefkit.safety.identifiers import NameIndex, scan_text
from reliefkit.safety.privacy import scan_outputs
from reliefkit.text.idnumbers import (
    check_char,
    is_legacy_resident_id,
    luhn_ok,
    mask_id,
    mask_name,
)

ID18 = "11010519491231002X"           # valid check character X
ID18_DIGIT = "440304198001010017"      # valid, all digits
ID15 = "110105491231002"              # first generation: 1949-12-31
CARD = "6222021234567890128"          # 19 digits, Luhn ok
CARD16 = "4111111111111111"           # 16 digits, Luhn ok
NAME = "欧阳娜娜"
NAMES = ["张三丰", NAME, "李四", "王"]  # a one-character name is never looked for

PLANTED = {"resident_id": ID18, "resident_id_15": ID15, "bank_card": CARD, "name": NAME}


def _luhn_digit(body: str) -> str:
    return next(d for d in "0123456789" if luhn_ok(body + d))


def test_fixtures_are_what_they_claim():
    assert check_char(ID18[:17]) == "X" and check_char(ID18_DIGIT[:17]) == ID18_DIGIT[17]
    assert is_legacy_resident_id(ID15) and luhn_ok(CARD) and luhn_ok(CARD16)
    assert not luhn_ok(ID18_DIGIT)  # found as an ID, not as a card


# --------------------------------------------------------------------------- writers of each format
def _md(folder, text):
    (folder / "report.md").write_text(f"# 报告\n\n经核查，{text}。\n", encoding="utf-8")


def _html(folder, text):
    (folder / "report.html").write_text(f"<html><body><p>户主<b>{text}</b></p></body></html>", encoding="utf-8")


def _ipynb(folder, text):
    nb = {"cells": [{"cell_type": "code", "source": ["x = 1\n", "x"], "metadata": {}, "execution_count": 1,
                     "outputs": [{"output_type": "stream", "name": "stdout", "text": ["ok\n", f"户主 {text}\n"]}]}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    # ensure_ascii: Chinese text as \\uXXXX escapes; the gate reads the JSON, not the bytes
    (folder / "run.ipynb").write_text(json.dumps(nb, ensure_ascii=True), encoding="utf-8")


def _docx(folder, text):
    doc = Document()
    doc.add_paragraph("第一段。")
    p = doc.add_paragraph("户主：")
    half = len(text) // 2
    p.add_run(text[:half]).bold = True  # split over two runs with different formatting
    p.add_run(text[half:])
    doc.save(str(folder / "report.docx"))


def _xlsx(folder, text):
    wb = Workbook()
    ws = wb.active
    ws.append(["村", "户主", "金额"])
    ws.append(["东村", text, 300])
    wb.save(folder / "list.xlsx")


def _csv(folder, text):
    (folder / "table.csv").write_bytes(f"村,户主,金额\n东村,{text},300\n".encode("gb18030"))


def _log(folder, text):
    (folder / "run.log").write_text(f"2026-05-01 10:00:01 INFO processing {text} done\n", encoding="utf-8")


WRITERS = {"md": _md, "html": _html, "ipynb": _ipynb, "docx": _docx, "xlsx": _xlsx, "csv": _csv, "log": _log}


@pytest.mark.parametrize("kind", list(PLANTED))
@pytest.mark.parametrize("fmt", list(WRITERS))
def test_a_planted_identifier_is_found(tmp_path, fmt, kind):
    raw = PLANTED[kind]
    WRITERS[fmt](tmp_path, raw)
    found = scan_outputs(tmp_path, NAMES)
    assert found["kind"].tolist() == [kind], found
    masked = mask_name(raw) if kind == "name" else mask_id(raw)
    assert found["value"].tolist() == [masked] and raw not in found.to_string()
    assert found["where"].iloc[0]  # line, JSON path, paragraph or cell


def test_where_points_at_the_place(tmp_path):
    _xlsx(tmp_path, ID18)
    _ipynb(tmp_path, ID18)
    _docx(tmp_path, ID18)
    where = dict(zip(scan_outputs(tmp_path)["file"], scan_outputs(tmp_path)["where"]))
    assert where["list.xlsx"] == "xl/worksheets/sheet1.xml B2"
    assert where["run.ipynb"] == "cells[0].outputs[0].text[1]"
    assert where["report.docx"] == "word/document.xml paragraph 2"


def test_other_shapes_of_identifiers(tmp_path):
    text = "\n".join([
        f"小写 {ID18[:-1]}x", f"全角 {ID18_DIGIT.translate(str.maketrans('0123456789', '０１２３４５６７８９'))}",
        f"16位卡 {CARD16}", f"id:{ID18_DIGIT};", f"ID{ID18}",
    ])
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    assert scan_outputs(tmp_path)["kind"].tolist() == ["resident_id", "resident_id", "bank_card", "resident_id",
                                                       "resident_id"]


def test_not_findings(tmp_path):
    bad_check = ID18[:17] + "5"
    random18 = "987654321098765432"
    assert not luhn_ok(random18) and check_char(random18[:17]) != random18[17]
    text = "\n".join([
        f"已脱敏 {mask_id(ID18)} {mask_id(CARD)} {mask_name('张三丰')}",
        f"校验位错误 {bad_check}", f"随机 {random18}",
        "金额 1,200.00 元，共 2,611 户，6,896 人，2026 年，电话 13812345678",
        "份额 0.012345678901234567 与 0.30000000000000004",          # floats' digits
        f"编号 {ID18[:17]}",                                          # 17 digits
        f"太长 {ID18_DIGIT}123",                                       # 21 digits
        "哈希 " + "a3f5" * 4 + "1101051949123100215" + "9ac1" * 8,     # inside a hash
        "张三 李 王 张三丰收 了",                                      # not a registry name (张三丰 is: see below)
        "123456789012345",                                            # 15 digits, month 90
    ])
    (tmp_path / "a.md").write_text(text.replace("张三丰收", "张三峰收"), encoding="utf-8")
    (tmp_path / "chart.png").write_bytes(b"\x89PNG\r\n" + ID18.encode() + "张三丰".encode())  # images skipped
    found = scan_outputs(tmp_path, NAMES)
    assert found.empty, found


def test_names_standing_alone_and_publicity_exemption(tmp_path):
    # issue 11: a name inside a run of prose is no longer a finding (line 1); a label before
    # it (户主) or non-Chinese characters around it (（李四）) make it one (line 2)
    (tmp_path / "a.md").write_text("本年度张三丰户纳入低保，李四未纳入。\n户主张三丰户纳入低保，（李四）未纳入。\n"
                                   "Zhang San 张 三丰\n", encoding="utf-8")
    pub = tmp_path / "publicity-2026-rural_dibao"
    pub.mkdir()
    _xlsx(pub, "张三丰")
    (pub / "id.md").write_text(ID18, encoding="utf-8")
    (tmp_path / "publicity-list.md").write_text("李四", encoding="utf-8")
    found = scan_outputs(tmp_path, NAMES)
    assert found[["file", "where", "kind", "value"]].values.tolist() == [
        ["a.md", "line 2", "name", "张**"], ["a.md", "line 2", "name", "李*"],
        ["publicity-2026-rural_dibao/id.md", "line 1", "resident_id", mask_id(ID18)],
    ]


def test_without_names_only_numbers_are_checked(tmp_path):
    _md(tmp_path, "张三丰")
    assert scan_outputs(tmp_path).empty and not scan_outputs(tmp_path, NAMES).empty


def test_binary_files_are_listed_not_scanned(tmp_path):
    (tmp_path / "blob.bin").write_bytes(b"\x00\x01\xff\xfe" * 10)
    found = scan_outputs(tmp_path)
    assert found.empty and found.attrs["skipped"] == ["blob.bin"]


def test_missing_folder_is_an_error(tmp_path):
    with pytest.raises(ReliefkitError, match="does not exist"):
        scan_outputs(tmp_path / "nope")


def test_name_index_is_fast_for_many_names():
    names = [a + b + c for a in "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨" for b in "一二三四五六七八九十" * 25 for c in "明华"][:100_000]
    started = time.perf_counter()
    index = NameIndex(names)
    text = ("本年度全县共救助困难群众，发放资金，各乡镇按时足额发放。" * 2000)
    assert scan_text(text, index) == []
    assert time.perf_counter() - started < 5
    assert len(scan_text("赵一明", index)) == 1


# --------------------------------------------------------------------------- the name rule (issue 11)
# A registry name is a finding where it stands alone (a whole run of Chinese characters) or right
# after a label; inside a longer run of prose it is not (reliefkit.safety.identifiers).
PLANT = "张三丰"


def _df():
    import pandas as pd

    return pd.DataFrame({"村": ["东关村", "西关村"], "户主": [PLANT, "某某某"], "金额": [300, 450]})


def _nb_output(data: dict) -> dict:
    return {"cells": [{"cell_type": "code", "source": "df", "metadata": {}, "execution_count": 1,
                       "outputs": [{"output_type": "execute_result", "execution_count": 1, "metadata": {},
                                    "data": data}]}],
            "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def _docx_table(path):
    doc = Document()
    doc.add_paragraph("附表：救助对象名单（已脱敏）")
    table = doc.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ["村", "户主", "金额"]):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, ["东关村", PLANT, "300"]):
        cell.text = text
    doc.save(str(path))


POSITIONS = {
    "markdown table cell": ("a.md", f"| 村 | 户主 | 金额 |\n|---|---|---|\n| 东关村 | {PLANT} | 300 |\n"),
    "html td": ("a.html", f"<table><tr><th>村</th><th>户主</th></tr><tr><td>东关村</td><td>{PLANT}</td></tr></table>"),
    "html td, inline tag": ("a.html", "<table><tr><td>东关村</td><td><b>张</b>三丰</td></tr></table>"),
    "docx table cell": ("a.docx", _docx_table),
    "xlsx cell": ("list.xlsx", lambda path: _xlsx(path.parent, PLANT)),
    "csv field": ("a.csv", f"村,户主,金额\n东关村,{PLANT},300\n"),
    "notebook DataFrame text/plain": ("a.ipynb", lambda path: path.write_text(json.dumps(
        _nb_output({"text/plain": repr(_df()).splitlines(keepends=True)}), ensure_ascii=False), encoding="utf-8")),
    "notebook DataFrame text/html": ("a.ipynb", lambda path: path.write_text(json.dumps(
        _nb_output({"text/html": _df().to_html().splitlines(keepends=True)}), ensure_ascii=True), encoding="utf-8")),
    "markdown list item": ("a.md", f"# 名单\n\n- {PLANT}\n- 某某某\n"),
    "numbered list item": ("a.md", f"1. {PLANT}\n2. 某某某\n"),
    "html list item": ("a.html", f"<ul><li>{PLANT}</li><li>某某某</li></ul>"),
    "whole JSON string": ("a.json", json.dumps({"rows": [{"who": PLANT, "amount": 300}]}, ensure_ascii=True)),
    "whole line": ("a.txt", f"名单如下\n{PLANT}\n"),
    "before an ID": ("a.txt", f"{PLANT} {ID18_DIGIT}\n"),
    "in brackets": ("a.md", f"本年度新增特困人员一人（{PLANT}），已纳入。\n"),
    "between spaces in prose": ("a.md", f"本年度新增特困人员 {PLANT} 已纳入。\n"),
    "after a comma": ("a.txt", f"已核查,{PLANT};\n"),
    "label 户主：": ("a.md", f"户主：{PLANT}\n"),
    "label 户主:": ("a.md", f"户主:{PLANT}\n"),
    "label 姓名 space": ("a.md", f"姓名 {PLANT}已纳入\n"),
    "label 姓名：in prose": ("a.md", f"经核查，姓名：{PLANT}户已纳入。\n"),
    "label in a run of prose": ("a.md", f"经核查，户主{PLANT}家庭人均收入低于标准。\n"),
    "label, html inline tag": ("a.html", f"<p>经核查户主<b>{PLANT}</b>家庭符合条件</p>"),
    "label, docx runs": ("a.docx", lambda path: _docx(path.parent, PLANT + "已纳入")),
}


@pytest.mark.parametrize("position", list(POSITIONS))
def test_a_name_standing_alone_is_found(tmp_path, position):
    filename, content = POSITIONS[position]
    path = tmp_path / filename
    if callable(content):
        content(path)
    else:
        path.write_text(content, encoding="utf-8")
    found = scan_outputs(tmp_path, NAMES)
    names = found[found["kind"] == "name"]
    assert names["value"].tolist() == [mask_name(PLANT)], found
    assert PLANT not in found.to_string()
    if position == "before an ID":
        assert found["kind"].tolist() == ["resident_id", "name"]


@pytest.mark.parametrize("label", ["户主", "姓名", "联系人", "申请人", "帮扶对象", "救助对象", "监护人"])
@pytest.mark.parametrize("sep", ["", "：", ":", " ", "： "])
def test_a_name_after_a_label_is_found_inside_prose(label, sep):
    from reliefkit.safety.identifiers import NAME_LABELS

    assert label in NAME_LABELS
    index = NameIndex(NAMES)
    assert scan_text(f"经核查{label}{sep}{PLANT}家庭人均收入低于标准。", index) == [(1, "name", mask_name(PLANT))]
    assert scan_text(f"经核查{label}{sep}李四丰收。", index) == [(1, "name", "李*")]  # the longest name there


def test_names_inside_prose_are_not_findings(tmp_path):
    common = ["金发", "建国", "国强", "平安", "发放", "资金", "张三丰", "李四", "王芳"]
    index = NameIndex(common)
    prose = [
        "各月救助资金发放",                                 # 金发, 发放, 资金 inside one run
        "建国以来国强民富，平安是福。",                      # 建国, 国强, 平安 at the start/inside runs
        "本年度张三丰户纳入低保，李四户未纳入。",             # names at the start of prose runs
        "户主家庭人均收入低于标准，王芳华社区已走访。",         # a label, but no name right after it
        "联系人数较上年增加，申请人均已核查。",               # labels followed by words that are not names
        "| 各月救助资金发放 | 平安乡 |",                    # a cell of prose, a place holding a name
    ]
    (tmp_path / "a.md").write_text("\n".join(prose), encoding="utf-8")
    (tmp_path / "a.html").write_text("".join(f"<p>{p}</p>" for p in prose), encoding="utf-8")
    assert scan_outputs(tmp_path, index).empty
    assert [scan_text(p, index) for p in prose] == [[]] * len(prose)
    assert scan_text("| 平安 |", index) == [(1, "name", "平*")]  # a whole cell: found


def _all_generator_names() -> list[str]:
    """Every name reliefkit.sample.names can draw: a surname and one or two given characters
    of one sex's set."""
    from reliefkit.sample.names import _GIVEN_F, _GIVEN_M, _SURNAMES

    out = []
    for given in (_GIVEN_M, _GIVEN_F):
        out += [s + g for s in _SURNAMES for g in given]
        out += [s + g + h for s in _SURNAMES for g in given for h in given]
    return out


def test_the_kits_own_words_raise_no_name_finding():
    from importlib.resources import files

    names = _all_generator_names()
    index = NameIndex(names)
    assert len(index) > 300_000 and "金发" in index.names
    pkg = files("reliefkit")
    paths = [*pkg.joinpath("report", "templates").iterdir(), *pkg.joinpath("text", "words").iterdir(),
             pkg.joinpath("run", "templates", "index.html.j2")]
    paths = [p for p in paths if p.name.endswith((".j2", ".yaml"))]
    assert {p.name for p in paths} >= {"summary.zh.md.j2", "labels.yaml", "notebooks.yaml", "index.html.j2"}
    found = {p.name: scan_text(p.read_text(encoding="utf-8"), index) for p in paths}
    assert all(not f for f in found.values()), {k: v for k, v in found.items() if v}


def test_names_are_looked_for_quickly_in_long_text():
    index = NameIndex(_all_generator_names())
    text = "本年度全县共救助困难群众，各月救助资金发放，户主家庭人均收入，金发平安。\n" * 20_000
    started = time.perf_counter()
    assert scan_text(text, index) == []
    assert time.perf_counter() - started < 2


# --------------------------------------------------------------------------- CLI
def test_cli_exit_codes(tmp_path, capsys):
    _md(tmp_path, "一切正常")
    assert main(["check-outputs", str(tmp_path)]) == EXIT_OK
    _html(tmp_path, CARD)
    assert main(["check-outputs", str(tmp_path)]) == EXIT_PROBLEMS
    out = capsys.readouterr().out
    assert mask_id(CARD) in out and CARD not in out and "report.html" in out


# --------------------------------------------------------------------------- the sample summary
@pytest.fixture(scope="module")
def summary_folder(tmp_path_factory):
    from reliefkit.report.summary import write_summary

    out = tmp_path_factory.mktemp("summary")
    for lang in ("zh", "en"):
        write_summary(sample_region(), 2026, None, lang, out)
    return out


def test_sample_summary_passes_the_gate(summary_folder, capsys):
    region = sample_region()
    found = scan_outputs(summary_folder, region.persons["name"])
    assert found.empty, found
    assert found.attrs["files"] == 6  # md, html, docx in two languages
    assert main(["check-outputs", str(summary_folder), "--region", str(sample_dir())]) == EXIT_OK


@pytest.mark.parametrize("suffix", ["md", "html", "docx"])
def test_planting_one_id_in_the_summary_fails_it(summary_folder, tmp_path, suffix):
    region = sample_region()
    person_id = next(p for p in region.persons["person_id"] if len(p) == 18)
    leaked = tmp_path / "out"
    shutil.copytree(summary_folder, leaked)
    path = next(leaked.glob(f"*-zh.{suffix}"))
    if suffix == "docx":
        doc = Document(str(path))
        doc.add_paragraph(f"附：{person_id}")
        doc.save(str(path))
    else:
        text = path.read_text(encoding="utf-8")
        at = text.find("</main>") if suffix == "html" else len(text)
        path.write_text(text[:at] + f"<p>{person_id}</p>\n" + text[at:], encoding="utf-8")
    found = scan_outputs(leaked, region.persons["name"])
    assert found["file"].tolist() == [path.name] and found["kind"].tolist() == ["resident_id"]
    assert main(["check-outputs", str(leaked)]) == EXIT_PROBLEMS


def test_a_name_in_the_summary_fails_it(summary_folder, tmp_path):
    region = sample_region()
    name = next(n for n in region.persons["name"] if isinstance(n, str) and len(n) == 3)
    leaked = tmp_path / "out"
    shutil.copytree(summary_folder, leaked)
    md = next(leaked.glob("*-zh.md"))
    # issue 11: the name embedded in prose (特困人员{name}已纳入) is no longer a finding; set apart it is
    md.write_text(md.read_text(encoding="utf-8") + f"\n特困人员{name}已纳入。\n", encoding="utf-8")
    assert scan_outputs(leaked, region.persons["name"]).empty
    md.write_text(md.read_text(encoding="utf-8") + f"\n特困人员 {name} 已纳入。\n", encoding="utf-8")
    found = scan_outputs(leaked, region.persons["name"])
    assert found["kind"].tolist() == ["name"] and found["value"].tolist() == [mask_name(name)]


def test_summary_is_byte_identical_across_runs(summary_folder, tmp_path):
    from reliefkit.report.summary import write_summary

    paths = write_summary(sample_region(), 2026, None, "zh", tmp_path)
    for path in paths.values():
        again = path.relative_to(tmp_path)
        assert path.read_bytes() == (summary_folder / again).read_bytes(), again


def test_mask_identifiers_masks_what_the_gate_finds_and_nothing_else():
    from reliefkit.safety.identifiers import mask_identifiers

    card = "6222021234567890128"
    text = (f"ids 11010519491231002x, １１０１０５１９４９１２３１００２Ｘ and 110105491231002; card {card}; "
            "wrong check 110105194912310021; amount 1234567890123.45; hash " + "a1" * 20 + "11010519491231002X")
    out = mask_identifiers(text)
    assert scan_text(out) == []
    assert out.count("110105********002X") == 2  # lower-case x and full-width forms too
    assert mask_id("110105491231002") in out and "110105491231002" not in out  # 15-digit legacy ID
    assert mask_id(card) in out and card not in out
    assert "110105194912310021" in out and "1234567890123.45" in out  # not identifiers: kept
    assert out.endswith("a1" * 20 + "11010519491231002X")  # inside a blob (a hash): kept

"""Every problem in the clerk's language: each reason code has a Chinese and an English name and
message, and what `reliefkit validate --lang zh` prints is Chinese, names the place and shows
only masked values."""

from __future__ import annotations

import re
import subprocess
import sys
from typing import get_args

import pandas as pd
import pytest

from conftest import enrol, household, pay, person
from reliefkit import load_region, validate_folder
from reliefkit.figures.audit import audit
from reliefkit.io import problems as P
from reliefkit.io.schema import TABLES
from reliefkit.text.idnumbers import check_char
from reliefkit.text.words import problem_words

GOOD_ID = "11010519491231002X"
BAD_ID = GOOD_ID[:-1] + "1"   # check digit wrong
OTHER = "110105198001010011"  # a second person (check digit fixed below)
OTHER = OTHER[:17] + check_char(OTHER[:17])

#: ASCII words a Chinese message may keep: formats, standards, file kinds, codes of the contract
_KEEP = {"utf", "gb", "csv", "xlsx", "parquet", "excel", "yaml", "aliases", "true", "false", "yyyy", "mm", "dd",
         "rmb", "cny", "unicodedecodeerror", "badzipfile", "invalidfileexception"}


_CODES = ({code for t in TABLES for c in t.columns for code in c.codes} | {c.name for t in TABLES for c in t.columns}
          | {t.name for t in TABLES})


def english_words(text: str) -> list[str]:
    """Runs of two or more ASCII letters that are not a code, a file name or a kept word."""
    words = re.findall(r"[A-Za-z][A-Za-z_]+", re.sub(r"\S+\.(csv|xlsx|parquet|yaml)\b", "", text))
    return [w for w in words if w.lower() not in _KEEP and w not in _CODES and not w.isupper()]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_reason_code_has_a_name_and_a_message_in_both_languages(lang):
    words = problem_words(lang)
    reasons = list(get_args(P.Reason))
    assert list(words["reason"]) == reasons and list(words["message"]) == reasons
    for r in reasons:
        assert words["reason"][r].strip() and words["message"][r].strip(), r
        if lang == "zh":
            assert re.search(r"[\u4e00-\u9fff]", words["message"][r]), r
            assert not english_words(words["message"][r].replace("{value}", "").replace("{detail}", "")), r
    assert P.MESSAGES == words["message"] if lang == "en" else True


def test_english_messages_are_the_problems_table_message_column(build):
    result = validate_folder(build(households=[household("H1", area="suburb")], persons=[person(GOOD_ID, "H404")]))
    assert P.render(result.problems, "en").tolist() == result.problems["message"].tolist()
    assert "suburb" in result.problems.iloc[0]["message"]  # the API's message stays English


def _many_problems(build, tmp_path) -> pd.DataFrame:
    """Problems of as many reasons as a few small folders give, with the audit's flags."""
    legacy = "110105491231002"
    folder = build(
        households=[household("H1", area="suburb"), household("H2", income=-5), household("H3", income="lots"),
                    household("H4", has_vehicle="maybe"), household("H5", district=""),
                    household("H6", has_vehicle="true", has_business="true"), household("H1")],
        persons=[person(BAD_ID, "H1"), person(GOOD_ID, "H6", public_employee="true"), person(OTHER, "H404"),
                 person("P4", "H6", birth_date="1972-13-40"), person("P5", "H6", disability_grade="2.5"),
                 person(legacy, "H6"), person("P7", "H6", deceased_on="1900-01-01"),
                 person("P8", "H6", birth_date="2999-01-01"), person("P9", "H6", deceased_on="2026-02-01"),
                 dict(person(GOOD_ID[:6] + "19500101" + "0012", "H6"), birth_date="1960-01-01")],
        enrolments=[enrol(GOOD_ID, "rural_dibao", "2025-01-01"), enrol(GOOD_ID, "tekun", "2025-06-01"),
                    enrol("P4", "marginal", "2026-05-01", "2026-01-01"), enrol("NOBODY", "tekun", "2025-01-01"),
                    enrol("P9", "rural_dibao", "2025-01-01")],
        payments=[pay(GOOD_ID, "rural_dibao", "2026-03-01", 150), pay(GOOD_ID, "rural_dibao", "2026-03-15", 150),
                  pay("P5", "rural_dibao", "2026-03-01", 150), pay("P9", "rural_dibao", "2026-03-01", 150)],
        helpers=[{"helper_id": "G1", "name": "李四", "unit": "U", "unit_type": "enterprise", "capacity": 2}],
        pairings=[{"helper_id": "G404", "person_id": GOOD_ID, "start_date": "2025-01-01", "end_date": ""}],
    )
    frames = [validate_folder(folder).problems, audit(load_region(folder))]
    # whole-file problems: undecodable, malformed, missing / duplicate / unknown columns, title rows,
    # an empty file, a header without rows, a workbook named .csv, an ID stored as a number
    odd = tmp_path / "odd"
    odd.mkdir()
    (odd / "households.csv").write_bytes("household_id,district,area,annual_income\nH1,城关,农村,1\n".encode()
                                         + b"H2,\xff\xfe,rural,1\n" * 3)
    (odd / "persons.csv").write_text("某县困难群众名册\nperson_id,household_id,household_id,备注\nP1,H1,H1,x\n",
                                     encoding="utf-8")
    (odd / "enrolments.csv").write_text("", encoding="utf-8")
    (odd / "payments.csv").write_text("payment_id,person_id,program,paid_on,amount\n", encoding="utf-8")
    (odd / "helpers.csv").write_text('helper_id,name\n"G1,李四\n', encoding="utf-8")
    frames.append(validate_folder(odd).problems)
    ids = tmp_path / "ids"
    ids.mkdir()
    (ids / "households.csv").write_text("household_id,district,area,annual_income\nH1,A,rural,1\n", encoding="utf-8")
    (ids / "persons.csv").write_text("person_id,household_id,sex\n1.10105E+17,H1,M\nP2,H1,M,extra\n", encoding="utf-8")
    (ids / "家庭.csv").write_text("household_id,district,area,annual_income\nH1,A,rural,1\n", encoding="utf-8")
    frames.append(validate_folder(ids).problems)
    none = tmp_path / "none"
    none.mkdir()
    frames.append(validate_folder(none).problems)
    return P.concat(frames)


def test_chinese_messages_of_every_kind_of_problem_have_no_english_left(build, tmp_path):
    problems = _many_problems(build, tmp_path)
    found = set(problems["reason"])
    # the reasons these folders give: most of the list, each rendered in Chinese
    assert len(found) >= 30, sorted(set(get_args(P.Reason)) - found)
    zh = P.render(problems, "zh")
    for reason, message in zip(problems["reason"], zh):
        assert re.search(r"[\u4e00-\u9fff]", message), (reason, message)
        assert not english_words(message), (reason, message)
    for line in P.lines(problems, "zh"):
        assert not english_words(line.split("：", 1)[1] if "：" in line else line), line


def test_a_chinese_line_names_the_place_and_shows_the_masked_value(build):
    result = validate_folder(build(households=[household("H1")], persons=[person(BAD_ID, "H1", name="欧阳修远")]))
    line = P.lines(result.problems, "zh")[0]
    assert line == ("persons.csv 第2行 身份证号「110105********0021」：校验位不对（按国家标准 GB 11643，"
                    f"最后一位应为 {GOOD_ID[-1]}）；请对照身份证核对身份证号")
    assert BAD_ID not in "".join(P.lines(result.problems, "zh")) + "".join(P.render(result.problems, "zh"))


def test_code_choices_duplicates_and_orphans_read_as_a_clerk_says_them(build):
    result = validate_folder(build(households=[household("H1", area="suburb"), household("H2", area="moon"),
                                               household("H1")],
                                   persons=[person(GOOD_ID, "H2")]))
    by_reason = {}
    for reason, line in zip(result.problems["reason"], P.lines(result.problems, "zh")):
        by_reason.setdefault(reason, line)
    assert by_reason["invalid_code"] == ("households.csv 第2行 城乡类别「suburb」：不是规定的取值；"
                                         "请从以下取值中选填：农村（rural）、城镇（urban）")
    assert by_reason["duplicate_key"] == ("households.csv 第4行 户编号「H1」：重复出现（第一次出现在第2行）；"
                                          "同一编号只保留一行")
    assert by_reason["unknown_household"].startswith("persons.csv 第2行 户编号「H2」：这个户编号在家庭表中找不到"
                                                     "（它在那张表中的那一行有错误，已被隔离）")


def test_audit_flags_in_chinese_say_the_programme_and_the_amount(build):
    folder = build(households=[household("H1")],
                   persons=[person(GOOD_ID, "H1", deceased_on="2026-02-01")],
                   enrolments=[enrol(GOOD_ID, "rural_dibao", "2025-01-01")],
                   payments=[pay(GOOD_ID, "rural_dibao", "2026-03-10", 150)])
    flags = audit(load_region(folder))
    line = P.lines(flags[flags["reason"] == "paid_after_death"], "zh")[0]
    assert line == ("payments.csv 第2行 身份证号「110105********002X」：此人死亡后仍有发放：2026-03-10发放农村低保"
                    "150.00元，而此人已于2026-02-01死亡；请停发并追回")


def test_an_old_problems_table_without_detail_keeps_its_english_messages(build):
    result = validate_folder(build(households=[household("H1", area="suburb")], persons=[person(GOOD_ID, "H1")]))
    old = result.problems.drop(columns=["detail"])
    assert P.render(old, "zh").tolist() == old["message"].tolist()


def test_cli_validate_speaks_chinese_by_default_and_english_when_asked(build, tmp_path):
    folder = build(households=[household("H1", area="suburb")], persons=[person(BAD_ID, "H1", name="欧阳修远")])
    run = lambda *a: subprocess.run([sys.executable, "-m", "reliefkit.cli.main", "validate", str(folder),  # noqa: E731
                                     "--problems", str(tmp_path / "p.csv"), *a], capture_output=True, text=True)
    zh, en = run(), run("--lang", "en")
    assert zh.returncode == en.returncode == 1 and "Traceback" not in zh.stderr + en.stderr
    assert "households.csv 第2行 城乡类别「suburb」：不是规定的取值" in zh.stdout
    assert "persons.csv 第2行 身份证号「110105********0021」：校验位不对" in zh.stdout
    assert "共 3 个错误" in zh.stdout and "问题表已写入" in zh.stdout
    assert "households.csv row 2, column area: 'suburb' is not an allowed value" in en.stdout
    for out in (zh.stdout, en.stdout):
        assert BAD_ID not in out and "欧阳修远" not in out
    table = pd.read_csv(tmp_path / "p.csv", dtype=str)  # .csv stays the problems table, as it was
    assert list(table.columns) == [c for c in P.COLUMNS if c != "detail"]

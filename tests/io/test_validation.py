"""Each validation rule: one bad row, named by file, row, column and reason; nothing lost."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from conftest import enrol, household, pay, person, write_tables
from reliefkit import RegionReadError, load_region, validate_folder
from reliefkit.text.idnumbers import check_char

GOOD_ID = "11010519491231002X"


def assert_conserved(result) -> None:
    t = result.tables
    assert (t["rows_in"] == t["accepted"] + t["quarantined"]).all()
    for name, frame in result.frames.items():
        q = result.quarantine.get(name)
        assert len(frame) + (0 if q is None else len(q)) == t.set_index("table").loc[name, "rows_in"]


def only_error(result) -> pd.Series:
    errs = result.errors
    assert len(errs) == 1, errs[["table", "row", "column", "reason"]]
    return errs.iloc[0]


@pytest.mark.parametrize("table,row_kw,column,reason", [
    ("households", {"area": "suburb"}, "area", "invalid_code"),
    ("households", {"area": ""}, "area", "missing_value"),
    ("households", {"income": -5}, "annual_income", "out_of_range"),
    ("households", {"income": "lots"}, "annual_income", "invalid_number"),
    ("households", {"district": ""}, "district", "missing_value"),
    ("households", {"has_vehicle": "maybe"}, "has_vehicle", "invalid_bool"),
    ("households", {"medical_spending": -1}, "medical_spending", "out_of_range"),
    ("households", {"main_cause": "bad_luck"}, "main_cause", "invalid_code"),
    ("households", {"causes": "illness;bad_luck"}, "causes", "invalid_code"),
    ("persons", {"sex": "X"}, "sex", "invalid_code"),
    ("persons", {"disability_grade": 5}, "disability_grade", "out_of_range"),
    ("persons", {"disability_grade": 1.5}, "disability_grade", "invalid_int"),
    ("persons", {"birth_date": "2026-02-30"}, "birth_date", "invalid_date"),
    ("persons", {"relation": "cousin"}, "relation", "invalid_code"),
])
def test_one_bad_cell_quarantines_its_row(build, table, row_kw, column, reason):
    hh = [household("H1"), household("H2")]
    ps = [person("P1", "H1"), person("P2", "H2")]
    if table == "households":
        kw = dict(row_kw)
        hh[1] = household("H2", **{k: v for k, v in kw.items() if k != "district" and k != "income"},
                          **({"district": kw["district"]} if "district" in kw else {}),
                          **({"income": kw["income"]} if "income" in kw else {}))
        ps = [person("P1", "H1")]
    else:
        ps[1] = person("P2", "H2", **row_kw)
    result = validate_folder(build(households=hh, persons=ps))
    err = only_error(result)
    assert (err["table"], err["row"], err["column"], err["reason"]) == (table, 3, column, reason)
    assert err["file"] == f"{table}.csv" and err["message"]
    assert_conserved(result)
    assert len(result.quarantine[table]) == 1 and result.quarantine[table]["row"].tolist() == [3]


def test_every_failure_is_collected_in_one_pass(build):
    result = validate_folder(build(
        households=[household("H1", area="x", income="y"), household("H1")],
        persons=[person("P1", "H9", sex="?"), person("P2", "H1")],
    ))
    reasons = sorted(result.errors["reason"])
    # both H1 rows are quarantined (bad cells; duplicate), so P2's household is unknown too
    assert reasons == sorted(["invalid_code", "invalid_number", "duplicate_key",
                              "unknown_household", "unknown_household", "invalid_code"])
    assert_conserved(result)


def test_duplicate_primary_keys_keep_the_first(build):
    result = validate_folder(build(
        households=[household("H1"), household("H1", income=5)],
        persons=[person("P1", "H1")],
        payments=[pay("P1", "temporary", "2026-01-01", 5, "X1"), pay("P1", "temporary", "2026-01-02", 6, "X1")],
    ))
    errs = result.errors
    assert errs[["table", "row", "reason"]].values.tolist() == [
        ["households", 3, "duplicate_key"], ["payments", 3, "duplicate_key"]]
    assert "first at row 2" in errs.iloc[0]["message"]
    assert result.frames["households"]["annual_income"].tolist() == [0.0]
    assert_conserved(result)


@pytest.mark.parametrize("table", ["enrolments", "payments", "pairings"])
def test_foreign_keys_to_persons(build, table):
    rows = {
        "enrolments": [enrol("P1", "tekun", "2025-01-01"), enrol("NOBODY", "tekun", "2025-01-01")],
        "payments": [pay("P1", "medical", "2026-01-01", 5), pay("NOBODY", "medical", "2026-01-01", 5)],
        "pairings": [{"helper_id": "M1", "person_id": "P1", "start_date": "2025-01-01"},
                     {"helper_id": "M1", "person_id": "NOBODY", "start_date": "2025-01-01"}],
    }
    result = validate_folder(build(households=[household("H1")], persons=[person("P1", "H1")],
                                   helpers=[{"helper_id": "M1", "unit_type": "enterprise", "capacity": 1}],
                                   **{table: rows[table]}))
    err = only_error(result)
    assert (err["table"], err["row"], err["column"], err["reason"]) == (table, 3, "person_id", "unknown_person")
    assert_conserved(result)


def test_foreign_key_to_helpers_and_to_a_quarantined_parent(build):
    result = validate_folder(build(
        households=[household("H1"), household("H2", area="moon")],
        persons=[person("P1", "H1"), person("P2", "H2")],
        helpers=[{"helper_id": "M1", "unit_type": "enterprise", "capacity": 1}],
        pairings=[{"helper_id": "M9", "person_id": "P1", "start_date": "2025-01-01"}],
    ))
    errs = result.errors.set_index("reason")
    assert "unknown_helper" not in errs.index  # the contract counts the pairing: reported, kept
    flagged = result.problems.set_index("reason").loc["unknown_helper"]
    assert (flagged["table"], flagged["severity"], flagged["row"]) == ("pairings", "warning", 2)
    assert len(result.frames["pairings"]) == 1
    assert "quarantined" in errs.loc["unknown_household", "message"]  # P2's household was bad
    assert_conserved(result)


def test_resident_id_check_digit(build):
    body = "11010519800101001"
    right = body + check_char(body)
    wrong = body + ("0" if right[-1] != "0" else "1")
    result = validate_folder(build(households=[household("H1")],
                                   persons=[person(right, "H1"), person(wrong, "H1"), person("LOCAL-7", "H1")]))
    err = only_error(result)
    assert (err["row"], err["reason"]) == (3, "invalid_check_digit")
    assert wrong not in err["message"] and wrong not in err["value"]   # masked
    assert err["value"] == wrong[:6] + "********" + wrong[-4:]


def test_end_before_start(build):
    result = validate_folder(build(households=[household("H1")], persons=[person("P1", "H1")],
                                   enrolments=[enrol("P1", "tekun", "2026-05-01", "2026-01-01")]))
    assert only_error(result)["reason"] == "end_before_start"


def test_amount_must_be_positive(build):
    result = validate_folder(build(households=[household("H1")], persons=[person("P1", "H1")],
                                   payments=[pay("P1", "medical", "2026-01-01", 0)]))
    err = only_error(result)
    assert (err["column"], err["reason"]) == ("amount", "out_of_range")


def test_duplicate_headers_reject_the_table(tmp_path):
    (tmp_path / "households.csv").write_text("household_id,户编号,district,area,annual_income\nH1,H1,A,rural,1\n",
                                             encoding="utf-8")
    (tmp_path / "persons.csv").write_text("person_id,household_id\nP1,H1\n", encoding="utf-8")
    result = validate_folder(tmp_path)
    assert "duplicate_header" in set(result.errors["reason"])
    assert_conserved(result)
    with pytest.raises(RegionReadError, match="households"):
        load_region(tmp_path)


def test_missing_required_column(tmp_path):
    (tmp_path / "households.csv").write_text("household_id,district,annual_income\nH1,A,1\n", encoding="utf-8")
    (tmp_path / "persons.csv").write_text("person_id,household_id\nP1,H1\n", encoding="utf-8")
    result = validate_folder(tmp_path)
    err = result.errors[result.errors["reason"] == "missing_column"].iloc[0]
    assert err["column"] == "area" and "城乡类别" in err["message"]


def test_missing_region_and_missing_table(tmp_path):
    with pytest.raises(RegionReadError, match="not a folder"):
        load_region(tmp_path / "nope")
    (tmp_path / "households.csv").write_text("household_id,district,area,annual_income\nH1,A,rural,1\n")
    result = validate_folder(tmp_path)
    assert result.errors["reason"].tolist() == ["missing_table"]


def test_problems_never_show_personal_data_unmasked(build):
    bad_id = GOOD_ID[:-1] + "1"
    result = validate_folder(build(households=[household("H1")],
                                   persons=[person(bad_id, "H404", name="欧阳修远")]))
    text = result.problems.to_csv()
    assert bad_id not in text and "欧阳修远" not in text
    assert "110105********0021" in text
    assert set(result.errors["reason"]) == {"invalid_check_digit", "unknown_household"}


def test_cli_validate_exit_codes_and_no_traceback(build, tmp_path):
    good = build(households=[household("H1")], persons=[person("P1", "H1")])
    bad = build(households=[household("H1", area="moon")], persons=[person("P1", "H1")])
    run = lambda *a: subprocess.run([sys.executable, "-m", "reliefkit.cli.main", *map(str, a)],  # noqa: E731
                                    capture_output=True, text=True)
    ok = run("validate", good, "--problems", tmp_path / "p.csv", "--lang", "en")
    assert ok.returncode == 0 and "No problems found" in ok.stdout
    out = run("validate", bad, "--problems", tmp_path / "p.xlsx", "--lang", "en")
    assert out.returncode == 1 and "households.csv row 2, column area" in out.stdout
    listed = pd.read_excel(tmp_path / "p.xlsx", sheet_name="Problems", header=1, engine="calamine")
    assert listed["reason"].tolist() == ["not an allowed value", "unknown household"]
    missing = run("facts", tmp_path / "nowhere", "--year", "2026")
    assert missing.returncode == 2 and "Traceback" not in missing.stderr and "not a folder" in missing.stderr


def test_a_row_with_too_many_fields_is_quarantined_and_blank_lines_are_not_rows(tmp_path):
    (tmp_path / "households.csv").write_text(
        "household_id,district,area,annual_income\nH1,A,rural,1\n\nH2,A,rural,1,extra\nH3,A,urban,2,,\n",
        encoding="utf-8")
    (tmp_path / "persons.csv").write_text("person_id,household_id\nP1,H1\n", encoding="utf-8")
    result = validate_folder(tmp_path)
    err = only_error(result)
    assert (err["row"], err["reason"]) == (4, "too_many_fields")
    assert result.frames["households"]["household_id"].tolist() == ["H1", "H3"]
    assert result.tables.set_index("table").loc["households", "rows_in"] == 3
    assert_conserved(result)


def test_reason_codes_are_one_closed_list():
    """Every reason code the kit writes is declared once (the Literal a type checker uses)
    and has a message saying what to do; the code never passes an undeclared one."""
    import re
    from pathlib import Path
    from typing import get_args

    from reliefkit.io.problems import MESSAGES, Reason

    assert list(get_args(Reason)) == list(MESSAGES)
    package = Path(__file__).resolve().parents[2] / "reliefkit"
    used = set()
    for path in package.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if "io import problems" not in text and "io.problems" not in text and path.name != "problems.py":
            continue  # a module that writes no problems (reason= of another error, e.g. sweep.BudgetLineError)
        used |= set(re.findall(r"reason=\"(\w+)\"", text))
        used |= set(re.findall(r"found\.add\(\s*\"\w+\",\s*[^,()]+,\s*\"(\w+)\"", text))  # audit flags
        used |= set(re.findall(r"file_problem\(\s*[^,()]+,\s*[^,()]+,\s*\"(\w+)\"", text))
    assert used and used <= set(MESSAGES), sorted(used - set(MESSAGES))


def test_warnings_name_each_damaged_or_header_only_table(tmp_path):
    """What a figure does not count is said table by table: quarantined rows with their
    count, and a table whose file has a header but no rows (every dibao figure 0)."""
    import subprocess
    import sys

    folder = write_tables(tmp_path / "r", {
        "households": [household("H1"), household("H2", area="mars")],
        "persons": [person("P1", "H1")],
        "enrolments": [],
    })
    lines = validate_folder(folder).warnings()
    assert lines[0].startswith("1 of 2 rows of households (households.csv) were quarantined")
    assert lines[1].startswith("enrolments (enrolments.csv) has a header but no rows")
    assert len(lines) == 2  # payments, helpers and pairings are absent, which is no warning
    done = subprocess.run([sys.executable, "-m", "reliefkit.cli.main", "facts", str(folder), "--year", "2026"],
                          capture_output=True, text=True)
    assert done.returncode == 0 and "enrolments (enrolments.csv) has a header but no rows" in done.stderr

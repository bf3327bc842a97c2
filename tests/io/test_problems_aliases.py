"""An office's own column names and code spellings without code: aliases.yaml in the region
folder, checked with errors that name the file and the key; the store notices it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import household, person
from reliefkit import RegionReadError, validate_folder
from reliefkit.io.aliases import NO_ALIASES, load_region_aliases
from reliefkit.store.inputs import input_fingerprint

GOOD_ID = "11010519491231002X"


def _office_folder(build):
    """Households and persons with an office's own headers and codes."""
    folder = build(households=[household("H1", area="rural"), household("H2", area="urban")],
                   persons=[person(GOOD_ID, "H1", name="张三")])
    hh = (folder / "households.csv").read_text(encoding="utf-8")
    hh = hh.replace("household_id", "户码", 1).replace(",rural,", ",农业户口,").replace(",urban,", ",居民户口,")
    (folder / "households.csv").write_text(hh, encoding="utf-8")
    ps = (folder / "persons.csv").read_text(encoding="utf-8")
    (folder / "persons.csv").write_text(ps.replace("household_id", "户码", 1).replace(",name,", ",成员姓名,", 1),
                                        encoding="utf-8")
    return folder


ALIASES = """\
columns:
  household_id: [户码]        # every table with the column
  persons:
    name: 成员姓名            # one table only; one name needs no list
codes:
  area: {农业户口: rural, 居民户口: urban}
"""


def test_an_office_reads_its_own_headers_and_codes_through_aliases_yaml(build):
    folder = _office_folder(build)
    before = validate_folder(folder)
    assert {"missing_column", "unknown_column"} <= set(before.problems["reason"])
    unknown = before.problems[before.problems["reason"] == "unknown_column"]
    assert set(unknown["value"]) == {"户码", "成员姓名"} and before.frames["persons"].empty
    (folder / "aliases.yaml").write_text(ALIASES, encoding="utf-8")
    after = validate_folder(folder)
    assert after.clean and after.problems.empty, after.problems[["table", "reason", "value"]]
    assert after.frames["households"]["area"].tolist() == ["rural", "urban"]
    assert after.frames["persons"]["name"].tolist() == ["张三"]
    assert after.headers["persons"]["household_id"] == "户码"


def test_an_alias_for_one_table_is_not_read_in_another(build):
    folder = build(households=[household("H1")], persons=[person(GOOD_ID, "H1")])
    text = (folder / "households.csv").read_text(encoding="utf-8").replace("village", "成员姓名", 1)
    (folder / "households.csv").write_text(text, encoding="utf-8")
    (folder / "aliases.yaml").write_text("columns:\n  persons:\n    name: [成员姓名]\n", encoding="utf-8")
    result = validate_folder(folder)
    unknown = result.problems[result.problems["reason"] == "unknown_column"]
    assert unknown["value"].tolist() == ["成员姓名"] and unknown["table"].tolist() == ["households"]


@pytest.mark.parametrize("text,key,says", [
    ("colums:\n  household_id: [户码]\n", "colums", "is not a key aliases.yaml may hold"),
    ("columns:\n  househld_id: [户码]\n", "columns.househld_id", "neither a column nor a table"),
    ("columns:\n  persons:\n    nmae: [成员姓名]\n", "columns.persons.nmae", "is not a column of persons"),
    ("columns:\n  household_id: {a: b}\n", "columns.household_id", "is not a list of column names"),
    ("columns:\n  village: [district]\n", "columns.village", "the name of another column"),
    ("columns:\n  village: [片区]\n  district: [片区]\n", "columns.district", "to both village and district"),
    ("codes:\n  area: {农业户口: farm}\n", "codes.area.农业户口", "not a code of area"),
    ("codes:\n  village: {东村: east}\n", "codes.village", "is not a coded column"),
    ("columns: [户码\n", "(file)", "is not valid YAML (line"),
    ("- 户码\n", "(file)", "is not a map"),
])
def test_a_bad_aliases_yaml_is_a_clear_error_naming_the_file_and_the_key(build, text, key, says):
    folder = build(households=[household("H1")], persons=[person(GOOD_ID, "H1")])
    (folder / "aliases.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(RegionReadError) as e:
        load_region_aliases(folder)
    message = str(e.value)
    assert "file aliases.yaml" in message and f"key {key}" in message and says in message, message
    assert "docs/en/region-folder.md" in message


def test_the_command_line_says_so_without_a_traceback(build):
    folder = build(households=[household("H1")], persons=[person(GOOD_ID, "H1")])
    (folder / "aliases.yaml").write_text("codes:\n  area: {农业户口: farm}\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "reliefkit.cli.main", "validate", str(folder), "--problems",
                          str(folder / "p.csv")], capture_output=True, text=True)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "aliases.yaml" in out.stderr and "codes.area.农业户口" in out.stderr


def test_no_file_no_aliases_and_the_store_fingerprint_sees_the_file(build):
    folder = build(households=[household("H1")], persons=[person(GOOD_ID, "H1")])
    assert load_region_aliases(folder) == NO_ALIASES
    (folder / "aliases.yaml").write_text("", encoding="utf-8")
    assert load_region_aliases(folder) == NO_ALIASES  # an empty file holds none
    before = input_fingerprint(folder)
    (folder / "aliases.yaml").write_text("columns:\n  household_id: [户码]\n", encoding="utf-8")
    assert input_fingerprint(folder) != before

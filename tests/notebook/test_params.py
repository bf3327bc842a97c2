"""Checking the parameters injected into a notebook (reliefkit.notebook.parameters)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO, household, person

from reliefkit.errors import SchemeError, UnknownDistrictError
from reliefkit.notebook.parameters import (
    ParameterError,
    check_parameters,
    resolve_input,
)

SCHEME = "notebooks/schemes/rural-180.yaml"


@pytest.fixture(scope="module")
def coded(tmp_path_factory):
    """A region whose districts are codes with leading zeros."""
    from conftest import write_tables

    folder = tmp_path_factory.mktemp("coded")
    return write_tables(folder, {
        "households": [household("H1", district="007"), household("H2", district="010")],
        "persons": [person("P1", "H1"), person("P2", "H2")],
    })


@pytest.mark.parametrize("value, year", [(2026, 2026), ("2026", 2026), (" 2025 ", 2025)])
def test_year_is_an_integer_or_its_digits(value, year):
    assert check_parameters(region_dir="data/sample", year=value).year == year


@pytest.mark.parametrize("value", [2026.5, "twenty", True, None, [2026], 99])
def test_a_year_of_the_wrong_type_is_a_clear_error(value):
    with pytest.raises(ParameterError, match=r"parameter year: .* — inject e\.g\. -p year 2026"):
        check_parameters(region_dir="data/sample", year=value)


def test_an_unknown_district_names_the_known_ones():
    with pytest.raises(UnknownDistrictError) as e:
        check_parameters(region_dir="data/sample", year=2026, district="Nowhere")
    assert "use one of: 城关镇, 新城街道, 柳林镇, 河西乡, 石桥乡, 青山乡" in str(e.value)


def test_a_district_code_stays_text(coded):
    p = check_parameters(region_dir=str(coded), year=2026, district="007")
    assert p.district == "007" and p.scope.districts == ("007",)
    assert len(p.scope.households) == 1


def test_papermill_p_turns_007_into_7_which_still_finds_the_district(coded):
    assert check_parameters(region_dir=str(coded), year=2026, district=7).district == "007"
    with pytest.raises(UnknownDistrictError, match=r"-r district NAME.*use one of: 007, 010"):
        check_parameters(region_dir=str(coded), year=2026, district=8)


@pytest.mark.parametrize("value", [["A"], 7.0, True])
def test_a_district_of_the_wrong_type_is_a_clear_error(coded, value):
    with pytest.raises(ParameterError, match="parameter district: must be a district name"):
        check_parameters(region_dir=str(coded), year=2026, district=value)


def test_lang_and_unknown_names():
    with pytest.raises(ParameterError, match="parameter lang: must be one of zh, en, not 'fr'"):
        check_parameters(region_dir="data/sample", year=2026, lang="fr")
    with pytest.raises(ParameterError, match="unknown parameter.*distrct"):
        check_parameters(region_dir="data/sample", year=2026, distrct="城关镇")


@pytest.mark.parametrize("schemes", [
    [SCHEME, "notebooks/schemes/rural-165-marginal-30.yaml"],
    f'["{SCHEME}", "notebooks/schemes/rural-165-marginal-30.yaml"]',  # papermill -p schemes '[...]'
    (Path(SCHEME), Path("notebooks/schemes/rural-165-marginal-30.yaml")),
])
def test_schemes_as_a_list_or_as_the_text_papermill_delivers(schemes):
    p = check_parameters(region_dir="data/sample", year=2026, schemes=schemes)
    assert [s.name for s in p.schemes] == ["Rural line 180", "Rural 165 + marginal 30"]
    assert all(f.is_absolute() for f in p.scheme_files)


def test_one_scheme_as_a_path_and_none():
    assert len(check_parameters(region_dir="data/sample", year=2026, schemes=SCHEME).schemes) == 1
    assert check_parameters(region_dir="data/sample", year=2026, schemes="").schemes == ()
    assert check_parameters(region_dir="data/sample", year=2026, schemes=None).schemes == ()


def test_bad_schemes_fail_in_the_checking_cell(tmp_path):
    with pytest.raises(ParameterError, match="parameter schemes: 'nope.yaml' does not exist"):
        check_parameters(region_dir="data/sample", year=2026, schemes=["nope.yaml"])
    with pytest.raises(ParameterError, match="parameter schemes: must be a list"):
        check_parameters(region_dir="data/sample", year=2026, schemes=3)
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nsets: {}\n", encoding="utf-8")
    with pytest.raises(SchemeError, match="unknown key"):
        check_parameters(region_dir="data/sample", year=2026, schemes=[str(bad)])


def test_relative_paths_resolve_from_anywhere(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # as papermill started in another folder
    p = check_parameters(region_dir="data/sample", year=2026, schemes=[SCHEME], output_dir="out")
    assert p.region_dir == (REPO / "data" / "sample").resolve()
    assert p.scheme_files == ((REPO / SCHEME).resolve(),)
    assert p.output_dir == (tmp_path / "out").resolve()  # outputs: from the working directory
    monkeypatch.chdir(REPO / "notebooks")  # as JupyterLab and nbval run them
    assert resolve_input("region_dir", "../data/sample") == p.region_dir
    assert resolve_input("region_dir", "data/sample") == p.region_dir
    with pytest.raises(ParameterError, match="'nowhere' does not exist"):
        resolve_input("region_dir", "nowhere")


def test_the_repr_holds_no_absolute_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    p = check_parameters(region_dir="data/sample", year=2026, district="城关镇", output_dir="out")
    assert repr(p) == ("NotebookParameters(region '青山区' (data/sample), year 2026, district '城关镇', lang zh, "
                       "writing files)")
    assert str(tmp_path) not in repr(p)
    assert p.output("x.txt") == tmp_path / "out" / "x.txt" and (tmp_path / "out").is_dir()

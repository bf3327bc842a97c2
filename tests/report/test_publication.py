"""The statistical table for publication: counts equal the facts, small cells hidden so
that none can be worked out from the totals, the threshold from the policy, files that
read back and hold no personal data."""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import pandas as pd
import pytest
from conftest import enrol, household, pay, person
from openpyxl import load_workbook

from reliefkit.cli.main import main
from reliefkit.errors import PolicyError, ReliefkitError, UnknownDistrictError
from reliefkit.figures.facts import facts
from reliefkit.text.words import label
from reliefkit.notebook.outputs import summary_files
from reliefkit.notebook.parameters import check_parameters
from reliefkit.policy.parameters import baseline_policy
from reliefkit.safety.privacy import scan_outputs
from reliefkit.report.publication import (MARK, PUBLISHED_PROGRAMS, THRESHOLD_PARAMETER, coverage_counts,
                                   publication_threshold, published_table, write_published)
from reliefkit.region.region import load_region
from sdc_helpers import derivable as _derivable
from summary_helpers import sample_dir, sample_region

Y = 2026  # D = 2026-12-31


# --------------------------------------------------------------------------- helpers
def _fact_row(f: dict) -> list[int]:
    return [f[f"{p}.persons"] for p in PUBLISHED_PROGRAMS]


def _with_totals(counts: pd.DataFrame) -> np.ndarray:
    grid = counts.to_numpy(dtype=np.int64)
    full = np.zeros((grid.shape[0] + 1, grid.shape[1] + 1), dtype=np.int64)
    full[:-1, :-1] = grid
    full[:-1, -1], full[-1, :-1], full[-1, -1] = grid.sum(axis=1), grid.sum(axis=0), grid.sum()
    return full


def _check_lines(table: pd.DataFrame, counts: pd.DataFrame, threshold: int) -> None:
    """Independently of reliefkit.safety.disclosure: the true counts where shown, every small cell hidden,
    and each line (row or column, with its total) with a hidden cell has a second one."""
    full, hidden = _with_totals(counts), table.isna().to_numpy()
    assert table.shape == full.shape
    shown = table.to_numpy(dtype="float64", na_value=np.nan)
    assert (shown[~hidden] == full[~hidden]).all(), "a shown cell is not the true count"
    small = (full > 0) & (full < threshold)
    assert hidden[small].all(), "a small cell is shown"
    for line in [*hidden, *hidden.T]:
        assert line.sum() != 1, "a line has exactly one hidden cell: total minus the others gives it"


def _check_published(table: pd.DataFrame, counts: pd.DataFrame, threshold: int) -> None:
    """:func:`_check_lines`, and no hidden cell can be worked out by adding and
    subtracting published rows and columns (not only line by line)."""
    _check_lines(table, counts, threshold)
    found = _derivable(_with_totals(counts), table.isna().to_numpy())
    assert found == [], f"hidden cells {found} can be worked out from the published ones"


def test_the_derivation_check_finds_what_totals_give_away():
    grid = np.array([[12, 3, 15], [8, 9, 17], [20, 12, 32]])
    one = np.zeros_like(grid, dtype=bool)
    one[0, 1] = True                       # alone in its row: 15 − 12
    assert _derivable(grid, one) == [(0, 1)]
    block = one.copy()
    block[[0, 1, 1], [0, 0, 1]] = True      # a 2 × 2 block: each cell could be one more or less
    assert _derivable(grid, block) == []
    chain = block.copy()
    chain[2, 2] = chain[0, 2] = True        # the grand total and row 0's total: both given by the rest
    assert sorted(_derivable(grid, chain)) == [(0, 2), (2, 2)]


@pytest.fixture
def towns(build):
    """Two districts: A (villages V1, V2, V3 and a household without a village) and B."""
    hh = [household("H1", "A", village="V1"), household("H2", "A", village="V1"),
          household("H3", "A", village="V2", area="urban"), household("H4", "A", village=""),
          household("H5", "B", village="V9")]
    hh += [household(f"HV3{k}", "A", village="V3") for k in range(8)]
    persons = [person("P1", "H1"), person("P1b", "H1", relation="spouse"), person("P2", "H2"),
               person("P3", "H3"), person("P3b", "H3", relation="child", deceased_on="2026-12-31"),
               person("P4", "H4"), person("P5", "H5"), person("P6", "H5", relation="spouse", deceased_on="2026-05-01")]
    persons += [person(f"PV3{k}", f"HV3{k}") for k in range(8)]
    enrolments = [
        enrol("P1", "rural_dibao", "2024-01-01"), enrol("P1", "rural_dibao", "2026-03-01"),  # counts once
        enrol("P1b", "rural_dibao", "2026-01-01", "2026-12-31"),                             # ends on D: out
        enrol("P2", "rural_dibao", "2026-12-31"),                                            # starts on D: in
        enrol("P3", "urban_dibao", "2025-01-01"),
        enrol("P3b", "urban_dibao", "2025-01-01"),                                           # died on D: out
        enrol("P4", "tekun", "2020-01-01", "", "centralized"),
        enrol("P5", "rural_dibao", "2025-01-01"), enrol("P5", "marginal", "2025-01-01"),     # marginal: not published
    ]
    enrolments += [enrol(f"PV3{k}", "rural_dibao", "2025-01-01") for k in range(8)]
    payments = [pay("P1", "temporary", "2026-03-01", 500), pay("P1", "temporary", "2026-09-01", 300),  # once
                pay("P2", "temporary", "2025-12-31", 400),   # the year before: out
                pay("P6", "medical", "2026-02-01", 900),     # died after being paid: a recipient of the year
                pay("P4", "medical", "2027-01-01", 100)]     # the year after: out
    payments += [pay(f"PV3{k}", "temporary", "2026-06-01", 200) for k in range(6)]
    return load_region(build(households=hh, persons=persons, enrolments=enrolments, payments=payments))


# --------------------------------------------------------------------------- counts = facts
def test_counts_by_hand_follow_the_fact_rules(towns):
    c = coverage_counts(towns, Y, "A", lang="en")
    assert c.index.name == "Village" and c.index.tolist() == ["V1", "V2", "V3", "Not recorded"]
    assert c.columns.tolist() == [label("program", p, "en") for p in PUBLISHED_PROGRAMS]
    assert c.to_numpy().tolist() == [[2, 0, 0, 1, 0],   # P1 (twice enrolled, paid twice), P2; P1b ended on D
                                     [0, 1, 0, 0, 0],   # P3; P3b died on D
                                     [8, 0, 0, 6, 0],
                                     [0, 0, 1, 0, 0]]   # P4, household without a village
    region = coverage_counts(towns, Y)
    assert region.index.name == "乡镇（街道）" and region.index.tolist() == ["A", "B"]
    assert region.loc["B"].tolist() == [1, 0, 0, 0, 1]  # P5 rural; P6 paid by medical, then died


def test_counts_equal_the_facts_of_each_unit_and_scope(towns):
    region = coverage_counts(towns, Y)
    for d in towns.districts:
        assert region.loc[d].tolist() == _fact_row(facts(towns, Y, d))
        assert coverage_counts(towns, Y, d).sum().tolist() == _fact_row(facts(towns, Y, d))
    assert region.sum().tolist() == _fact_row(facts(towns, Y))


def test_sample_counts_equal_the_facts():
    region = sample_region()
    table = published_table(region, Y, threshold=0)  # nothing hidden: the true totals
    assert table.iloc[-1, :-1].tolist() == _fact_row(facts(region, Y))
    assert table.iloc[-1, -1] == sum(_fact_row(facts(region, Y)))
    for d in region.districts:
        f = _fact_row(facts(region, Y, d))
        assert table.loc[d].tolist()[:-1] == f
        by_village = coverage_counts(region, Y, d)
        assert by_village.sum().tolist() == f
        assert len(by_village) == region.district(d).households["village"].nunique()


def test_other_years_and_unknown_district(towns):
    last_year = coverage_counts(towns, 2025, "A")
    assert last_year.loc["V1"].tolist() == [1, 0, 0, 1, 0]  # P1 enrolled since 2024; P2 paid on 2025-12-31
    assert last_year.sum().tolist() == _fact_row(facts(towns, 2025, "A"))
    with pytest.raises(UnknownDistrictError, match="use one of: A, B"):
        coverage_counts(towns, Y, "C")


# --------------------------------------------------------------------------- suppression
def test_a_small_cell_and_its_complements_are_hidden(towns):
    t = published_table(towns, Y, "A", lang="en")
    assert t.attrs == {"threshold": 5, "suppressed": int(t.isna().to_numpy().sum())}
    assert t.index.tolist() == ["V1", "V2", "V3", "Not recorded", "Total"]
    assert t.columns[-1] == "Total (person-programmes)"
    rural = label("program", "rural_dibao", "en")
    assert pd.isna(t.loc["V1", rural])              # 2 persons: primary
    assert pd.isna(t.loc["V3", rural])              # 8 persons, hidden too: else V1's = 10 − 8
    assert t.loc["Total", rural] == 10              # the column's total stays
    assert t[rural].isna().sum() == 2 and t.loc["V1"].isna().sum() >= 2
    _check_lines(t, coverage_counts(towns, Y, "A", lang="en"), 5)


def test_no_hidden_cell_of_the_hand_built_table_can_be_worked_out(towns):
    # line by line was not enough here: V1's total (3) = rural total + temporary total − V3's total
    t = published_table(towns, Y, "A", lang="en")
    _check_published(t, coverage_counts(towns, Y, "A", lang="en"), 5)


@pytest.mark.parametrize("threshold", [2, 3, 5, 10])
def test_sample_tables_protect_every_hidden_cell(threshold):
    region = sample_region()
    for district in (None, *region.districts):
        t = published_table(region, Y, district, threshold=threshold)
        _check_published(t, coverage_counts(region, Y, district), threshold)
        assert t.attrs["suppressed"] == int(t.isna().to_numpy().sum())


def test_the_sample_region_hides_its_small_district_cells():
    t = published_table(sample_region(), Y, lang="en")
    assert t.shape == (7, 6) and t.attrs == {"threshold": 5, "suppressed": 10}
    assert t.loc["Total"].tolist() == [833, 338, 75, 106, 10, 1362]  # every total is large: shown
    medical = label("program", "medical", "en")
    assert t[medical].isna().sum() == 5  # 1, 4, 2, 2, 1 persons: hidden; 新城街道's 0 shown
    assert t.loc["新城街道", medical] == 0


def test_mark_gives_text_in_hidden_cells():
    t = published_table(sample_region(), Y, "城关镇", mark=MARK)
    plain = published_table(sample_region(), Y, "城关镇")
    assert (t == MARK).to_numpy().sum() == plain.isna().to_numpy().sum() == t.attrs["suppressed"]


# --------------------------------------------------------------------------- the threshold
def _policy(folder, values: dict) -> None:
    lines = "\n".join(f"      {d}: {v}" for d, v in values.items())
    (folder / "policies").mkdir(exist_ok=True)
    (folder / "policies" / "local.yaml").write_text(
        "publication:\n  min_cell:\n    description: local rule\n    unit: count\n"
        f"    reference: county notice\n    values:\n{lines}\n", encoding="utf-8")


def test_threshold_from_the_baseline_policy(towns):
    param = baseline_policy()[THRESHOLD_PARAMETER]
    assert param.unit == "count" and param.description and param.reference
    assert param.at(dt.date(Y, 12, 31)) == 5 == publication_threshold(towns, Y)


def test_threshold_from_the_region_policies_and_the_argument(towns):
    _policy(towns.source, {"2025-01-01": 3, "2026-07-01": 10})
    local = load_region(towns.source)
    assert publication_threshold(local, 2025) == 3 and publication_threshold(local, Y) == 10
    assert published_table(local, Y, "A").attrs["threshold"] == 10
    t = published_table(local, Y, "A", threshold=2)
    assert t.attrs["threshold"] == 2
    _check_published(t, coverage_counts(local, Y, "A"), 2)
    nothing = published_table(local, Y, "A", threshold=0)
    assert nothing.attrs["suppressed"] == 0 and not nothing.isna().any().any()


@pytest.mark.parametrize("bad", [-1, 2.5, True, "5"])
def test_a_bad_threshold_says_what_to_give(towns, bad):
    with pytest.raises(ReliefkitError, match="whole number of persons") as e:
        published_table(towns, Y, threshold=bad)
    assert "publication.min_cell" in str(e.value)


def test_a_policy_without_a_value_on_D_is_a_policy_error(towns):
    _policy(towns.source, {"2030-01-01": 5})
    with pytest.raises(PolicyError, match="no value in force"):
        published_table(load_region(towns.source), Y)


# --------------------------------------------------------------------------- files
@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("published")
    region = sample_region()
    paths = {(d, lang): write_published(region, Y, d, lang, out) for d in (None, "城关镇") for lang in ("zh", "en")}
    return out, paths


def test_files_are_named_by_year_scope_and_language(written):
    out, paths = written
    assert sorted(p.name for p in out.iterdir()) == [
        f"published-2026-{s}-{lang}.{ext}"
        for s in ("region", "城关镇") for lang in ("en", "zh") for ext in ("csv", "xlsx")]
    assert set(paths[(None, "zh")]) == {"csv", "xlsx"}


@pytest.mark.parametrize("district", [None, "城关镇"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_csv_reads_back_as_the_table_with_the_note(written, district, lang):
    path = written[1][(district, lang)]["csv"]
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    table = published_table(sample_region(), Y, district, lang, mark=MARK)
    body, note = back.iloc[:-1], back.iloc[-1]
    assert body.columns.tolist() == [table.index.name, *table.columns]
    assert body.iloc[:, 0].tolist() == table.index.tolist()
    assert body.iloc[:, 1:].to_numpy().tolist() == table.astype(str).to_numpy().tolist()
    assert ("阈值5人" if lang == "zh" else "threshold 5 persons") in note.iloc[0]
    assert (note.iloc[1:] == "").all()


def test_xlsx_reads_back_with_numbers_and_a_note_sheet(written):
    path = written[1][("城关镇", "zh")]["xlsx"]
    wb = load_workbook(path)
    assert wb.sheetnames == ["统计表", "说明"]
    rows = [[c.value for c in row] for row in wb["统计表"].iter_rows()]
    table = published_table(sample_region(), Y, "城关镇", mark=MARK)
    assert rows[0] == [table.index.name, *table.columns]
    assert rows[-1] == ["合计", *table.loc["合计"].tolist()]
    assert all(isinstance(v, int) or v == MARK for row in rows[1:] for v in row[1:])
    notes = [c.value for c in wb["说明"]["A"]]
    assert notes[1] == "城关镇2026年社会救助对象统计表" and "小单元格抑制" in notes[2]


def test_files_are_byte_deterministic(tmp_path):
    a = write_published(sample_region(), Y, "城关镇", "zh", tmp_path / "a")
    b = write_published(sample_region(), Y, "城关镇", "zh", tmp_path / "b")
    for kind in ("csv", "xlsx"):
        assert a[kind].read_bytes() == b[kind].read_bytes(), kind


def test_files_hold_no_names_or_id_numbers(written):
    out, _ = written
    found = scan_outputs(out, sample_region().persons["name"])
    assert found.empty, found.to_dict("records")
    assert found.attrs["files"] == 8


def test_formula_like_village_names_are_escaped(build, tmp_path):
    folder = build(households=[household("H1", "A", village="=HYPERLINK(\"x\")")],
                   persons=[person("P1", "H1")], enrolments=[enrol("P1", "rural_dibao", "2025-01-01")])
    paths = write_published(load_region(folder), Y, "A", "en", tmp_path, threshold=1)
    assert "\r\n\"'=HYPERLINK(\"\"x\"\")\"," in paths["csv"].read_bytes().decode("utf-8-sig")
    assert load_workbook(paths["xlsx"])["Table"]["A2"].value == "'=HYPERLINK(\"x\")"


# --------------------------------------------------------------------------- notebook 03 and the CLI
def test_summary_files_write_the_table_only_with_an_output_dir(tmp_path):
    assert summary_files(check_parameters(region_dir=str(sample_dir()), year=Y, district="城关镇")) == {}
    p = check_parameters(region_dir=str(sample_dir()), year=Y, district="城关镇", lang="en",
                         output_dir=str(tmp_path))
    written = summary_files(p)
    assert written["published:csv"] == tmp_path / "published-2026-城关镇-en.csv"
    assert written["published:xlsx"].is_file() and "md" in written


def test_cli_publish(towns, tmp_path, capsys):
    assert main(["publish", str(towns.source), "--year", "2026", "--district", "A", "--lang", "en",
                 "--threshold", "2", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "published-2026-A-en.csv" in out and "published-2026-A-en.xlsx" in out
    text = (tmp_path / "published-2026-A-en.csv").read_text(encoding="utf-8-sig")
    assert "threshold 2 persons" in text
    assert main(["publish", str(towns.source), "--year", "2026", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "published-2026-region-zh.csv").is_file()
    assert main(["publish", str(towns.source), "--year", "2026", "--district", "C", "--out", str(tmp_path)]) == 2
    assert "is not a district" in capsys.readouterr().err
    assert main(["publish", str(towns.source), "--year", "2026", "--threshold", "-3", "--out", str(tmp_path)]) == 2
    assert "whole number of persons" in capsys.readouterr().err

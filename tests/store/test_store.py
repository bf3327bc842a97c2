"""The validated region store: the same figures as the folder, whole or one district at a
time; problems and quarantined rows kept; reused while the inputs are unchanged."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import SAMPLE, enrol, household, pay, person

import reliefkit as rk
from reliefkit.cli.main import main
from reliefkit.errors import RegionReadError, UnknownDistrictError
from reliefkit.region.region import LINKS
from reliefkit.simulate.compare import compare
from reliefkit.store.build import build_store, ensure_store, is_store
from reliefkit.store.read import read_store

SCHEME = SAMPLE.parents[1] / "notebooks" / "schemes" / "rural-180.yaml"


def _compare_json(region, district=None) -> str:
    return json.dumps(compare(region, 2026, [SCHEME], district=district).to_json(), sort_keys=True,
                      ensure_ascii=False)


def _same_figures(folder_dir: Path, store_dir: Path, compare_districts: int = 2) -> None:
    folder = rk.load_region(folder_dir)
    store = rk.load_region(store_dir)
    assert store.name == folder.name and is_store(store_dir)
    assert rk.facts(store, 2026) == rk.facts(folder, 2026)
    assert _compare_json(store) == _compare_json(folder)
    assert store.districts == folder.districts
    for i, d in enumerate(folder.districts):
        expected = rk.facts(folder, 2026, district=d)
        one = rk.load_region(store_dir, district=d)
        assert one.scope == d and one.districts == (d,)
        assert rk.facts(store, 2026, district=d) == expected, d
        assert rk.facts(one, 2026, district=d) == expected, d
        assert rk.facts(one, 2026) == expected, d
        if i < compare_districts:
            assert _compare_json(one, d) == _compare_json(folder, d), d
        view = folder.district(d)
        for name, frame in view.tables.items():
            pd.testing.assert_frame_equal(getattr(one, name), frame, obj=f"{d}/{name}")
        for link in LINKS:  # rebuilt for the rows read
            np.testing.assert_array_equal(getattr(one.links, link), getattr(view.links, link), err_msg=link)


def test_the_sample_gives_the_same_figures_from_its_store(tmp_path):
    build_store(SAMPLE, tmp_path / "store")
    _same_figures(SAMPLE, tmp_path / "store", compare_districts=6)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> dict[str, Path]:
    from reliefkit.sample import synthetic_tables, write_region

    tables = synthetic_tables(20_000, seed=5, n_districts=6)
    root = tmp_path_factory.mktemp("synthetic")
    out = {}
    for fmt in ("parquet", "csv"):
        write_region(tables, root / fmt / "held-back", fmt=fmt)
        out[fmt] = root / fmt / "held-back"
    return out


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_a_held_back_synthetic_region_gives_the_same_figures_from_its_store(synthetic, tmp_path, fmt):
    build_store(synthetic[fmt], tmp_path / "store")
    _same_figures(synthetic[fmt], tmp_path / "store")


def test_the_store_of_a_region_with_a_bad_row_keeps_its_problems_and_quarantine(build, tmp_path):
    folder = build(
        households=[household("H1", "东乡"), household("H2", "西乡"), household("H3", "西乡", income=-5)],
        persons=[person("P1", "H1"), person("P2", "H2"), person("P3", "H3"), person("P4", "H9")],
        enrolments=[enrol("P1", "rural_dibao", "2025-01-01"), enrol("P2", "tekun", "2025-01-01")],
        payments=[pay("P1", "rural_dibao", "2026-03-01", 150), pay("P2", "tekun", "2026-03-01", "x")],
    )
    expected = rk.load_region(folder)
    assert not expected.validation.clean
    build_store(folder, tmp_path / "store")
    for got in (rk.load_region(tmp_path / "store"), rk.load_region(tmp_path / "store", district="西乡")):
        pd.testing.assert_frame_equal(got.validation.problems, expected.validation.problems)
        pd.testing.assert_frame_equal(got.validation.tables, expected.validation.tables)
        assert {t: len(q) for t, q in got.validation.quarantine.items()} == \
               {t: len(q) for t, q in expected.validation.quarantine.items()}
        assert not got.validation.clean
    assert rk.facts(rk.load_region(tmp_path / "store"), 2026) == rk.facts(expected, 2026)
    assert main(["validate", str(tmp_path / "store"), "--problems", str(tmp_path / "p.csv")]) == 1
    assert main(["validate", str(folder), "--problems", str(tmp_path / "q.csv")]) == 1
    assert (tmp_path / "p.csv").read_bytes() == (tmp_path / "q.csv").read_bytes()


def test_a_store_is_reused_while_its_inputs_are_unchanged_and_rebuilt_otherwise(tmp_path):
    folder = tmp_path / "region"
    shutil.copytree(SAMPLE, folder)
    store = tmp_path / "store"
    assert ensure_store(folder, store)["built"]
    assert not ensure_store(folder, store)["built"]
    (folder / "policies").mkdir()
    (folder / "policies" / "lines.yaml").write_text(
        "urban_dibao:\n  line:\n    description: line\n    unit: yuan/person/month\n    reference: test\n"
        "    values:\n      2025-01-01: 230\n", encoding="utf-8")
    assert ensure_store(folder, store)["built"]  # a new policy file: rebuilt, and copied
    assert rk.load_region(store).policy.value("urban_dibao.line", "2026-12-31") == 230
    with (folder / "helpers.csv").open("a", encoding="utf-8") as fh:
        fh.write("")  # same bytes: still up to date
    assert not ensure_store(folder, store)["built"]
    persons = (folder / "persons.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (folder / "persons.csv").write_text("".join(persons[:-1]), encoding="utf-8")
    meta = ensure_store(folder, store)
    assert meta["built"] and meta["rows"]["persons"] == len(persons) - 2
    assert ensure_store(folder, store, force=True)["built"]


def test_a_district_read_reads_only_that_districts_partition(tmp_path):
    build_store(SAMPLE, tmp_path / "store")
    town = read_store(tmp_path / "store", district="城关镇")
    whole = read_store(tmp_path / "store")
    assert set(town.result.frames["households"]["district"]) == {"城关镇"}
    assert len(town.result.frames["payments"]) < len(whole.result.frames["payments"])
    shutil.rmtree(tmp_path / "store" / "tables" / "payments" / "part=5")  # another district's files
    assert len(read_store(tmp_path / "store", district="城关镇").result.frames["payments"]) == \
           len(town.result.frames["payments"])


def test_store_errors_say_what_to_do(tmp_path):
    build_store(SAMPLE, tmp_path / "store")
    with pytest.raises(UnknownDistrictError, match="use one of: 城关镇"):
        rk.load_region(tmp_path / "store", district="nowhere")
    (tmp_path / "store" / "store.json").write_text("{", encoding="utf-8")
    with pytest.raises(RegionReadError, match="reliefkit prepare"):
        rk.load_region(tmp_path / "store")
    with pytest.raises(RegionReadError, match="not a folder"):
        build_store(tmp_path / "missing", tmp_path / "other")


def test_prepare_builds_a_store_that_the_commands_read(tmp_path, capsys):
    store = tmp_path / "store"
    assert main(["prepare", str(SAMPLE), "--store", str(store)]) == 0
    assert "Store built" in capsys.readouterr().out
    assert main(["prepare", str(SAMPLE), "--store", str(store)]) == 0
    assert "up to date" in capsys.readouterr().out
    for args in (["--district", "城关镇"], []):
        assert main(["facts", str(store), "--year", "2026", *args]) == 0
        from_store = json.loads(capsys.readouterr().out)
        assert main(["facts", str(SAMPLE), "--year", "2026", *args]) == 0
        assert from_store == json.loads(capsys.readouterr().out)
    assert main(["compare", str(store), "--year", "2026", "--scheme", str(SCHEME), "--json"]) == 0
    from_store = capsys.readouterr().out
    assert main(["compare", str(SAMPLE), "--year", "2026", "--scheme", str(SCHEME), "--json"]) == 0
    assert from_store == capsys.readouterr().out

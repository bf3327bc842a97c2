"""A store at an fsspec URL: memory:// (fast) and s3:// on a local S3-compatible server."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from reliefkit import facts, load_region
from reliefkit.cli import main
from reliefkit.store.build import build_store, ensure_store, is_store, read_meta
from reliefkit.store.fetch import fetch_store
from reliefkit.store.location import list_files
from reliefkit.store.read import read_store, read_validation
from tests.s3_helpers import s3_server

YEAR = 2026


@pytest.fixture(scope="module")
def local_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("store") / "s"
    build_store("data/sample", store)
    return store


def _same(a, b) -> None:  # noqa: ANN001 - two ValidationResults
    assert sorted(a.frames) == sorted(b.frames)
    for table in a.frames:
        assert a.frames[table].equals(b.frames[table]), table
        assert (a.rows[table] == b.rows[table]).all(), table
    assert a.problems.equals(b.problems)


def test_memory_store_reads_as_the_folder_store(local_store: Path) -> None:
    url = f"memory://reliefkit-test-{uuid.uuid4().hex[:8]}/store"
    assert not is_store(url)
    assert ensure_store("data/sample", url)["built"] is True
    assert ensure_store("data/sample", url)["built"] is False  # the same inputs: reused
    assert is_store(url) and read_meta(url)["fingerprint"] == read_meta(local_store)["fingerprint"]
    for district in (None, "城关镇", "青山乡"):
        _same(read_store(local_store, district).result, read_store(url, district).result)
    assert read_validation(url).tables.equals(read_validation(local_store).tables)


def test_a_district_copy_holds_its_partition_only_and_reads_the_rest_from_its_origin(local_store: Path,
                                                                                     tmp_path: Path) -> None:
    url = f"memory://reliefkit-test-{uuid.uuid4().hex[:8]}/store"
    build_store("data/sample", url)
    k = read_meta(url)["districts"].index("河西乡")
    copy = fetch_store(url, tmp_path / "copy", district="河西乡")
    tables = [n for n in list_files(copy) if n.startswith("tables/") and "/part=" in n]
    assert sorted({n.split("/")[2] for n in tables}) == sorted({"part=0", f"part={k}"})
    assert read_meta(copy)["parts"] == [0, k] and read_meta(copy)["origin"] == url
    _same(read_store(local_store, "河西乡").result, read_store(copy, "河西乡").result)
    _same(read_store(local_store).result, read_store(copy).result)  # the whole region: from the origin
    assert fetch_store(url, copy, district="河西乡") == copy  # up to date: kept


def test_load_region_and_facts_from_a_url_equal_the_folder(local_store: Path) -> None:
    url = f"memory://reliefkit-test-{uuid.uuid4().hex[:8]}/store"
    build_store("data/sample", url)
    assert facts(load_region(url), YEAR) == facts(load_region("data/sample"), YEAR)
    assert facts(load_region(url, district="城关镇"), YEAR, "城关镇") == \
        facts(load_region("data/sample", district="城关镇"), YEAR, "城关镇")


def test_prepare_and_facts_through_s3(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture,
                                      local_store: Path) -> None:
    with s3_server(monkeypatch):
        assert main(["prepare", "data/sample", "--store", "s3://bucket/store"]) == 0
        assert "Store built: s3://bucket/store (6 districts)" in capsys.readouterr().out
        assert main(["prepare", "data/sample", "--store", "s3://bucket/store"]) == 0
        assert "up to date" in capsys.readouterr().out
        assert main(["facts", "s3://bucket/store", "--year", str(YEAR), "--district", "石桥乡"]) == 0
        got = json.loads(capsys.readouterr().out)
        assert got == facts(load_region("data/sample", district="石桥乡"), YEAR, "石桥乡")
        _same(read_store(local_store).result, read_store("s3://bucket/store").result)
        _same(read_store(local_store, "石桥乡").result, read_store("s3://bucket/store", "石桥乡").result)


def test_a_district_copy_takes_the_whole_regions_derived_figures_along(tmp_path: Path) -> None:
    url = f"memory://reliefkit-test-{uuid.uuid4().hex[:8]}/store"
    build_store("data/sample", url)
    from reliefkit.store.location import upload_tree

    (tmp_path / "up" / "derived").mkdir(parents=True)
    (tmp_path / "up" / "derived" / "suggestions-x.json").write_text('{"n": 1}', encoding="utf-8")
    upload_tree(tmp_path / "up", url)
    copy = fetch_store(url, tmp_path / "copy", district="城关镇")
    assert json.loads((copy / "derived" / "suggestions-x.json").read_text(encoding="utf-8")) == {"n": 1}

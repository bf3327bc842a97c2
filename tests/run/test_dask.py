"""A province on Dask: `reliefkit run --scheduler` with the store and the outputs on a local
S3-compatible server (moto), on a real LocalCluster; a worker's failure tried on another
worker, then reported.

The notebook is a small one (it writes the facts of its scope as JSON), so that the
tests time the machinery, not the notebooks: the store fetched on the worker, the kernel,
the upload, the up-to-date stamps at the URL, the index and the manifest.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from reliefkit import facts, load_region
from reliefkit.cli import main
from reliefkit.run.cluster import Staging, prepare_locations
from reliefkit.run.executors import run
from reliefkit.run.planning import plan
from reliefkit.sample import synthetic_tables, write_region
from tests.s3_helpers import s3_server

distributed = pytest.importorskip("distributed")

YEAR = 2026
FACTS_CODE = """\
import json
from reliefkit import facts, load_region
region = load_region(region_dir, district=district)
with open(f"{output_dir}/facts.json", "w", encoding="utf-8") as f:
    json.dump(facts(region, year, district), f, ensure_ascii=False, sort_keys=True)
"""


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("dask") / "region"
    write_region(synthetic_tables(3_000, seed=5, n_districts=3), folder, fmt="parquet")
    return folder


@pytest.fixture(scope="module")
def notebook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    params = nbformat.v4.new_code_cell('region_dir = "data/sample"\nyear = 2026\ndistrict = None\n'
                                       'output_dir = "."')
    params.metadata["tags"] = ["parameters"]
    path = tmp_path_factory.mktemp("nb") / "facts-json.ipynb"
    nb = nbformat.v4.new_notebook(cells=[params, nbformat.v4.new_code_cell(FACTS_CODE)])
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Python 3"}
    nbformat.write(nb, path)
    return path


def _s3_json(key: str) -> dict:
    import s3fs

    return json.loads(s3fs.S3FileSystem().cat_file(f"bucket/{key}"))


def _expected(region: Path) -> dict[str, dict]:
    whole = load_region(region)
    return {d: facts(load_region(region, district=d), YEAR, d) for d in whole.districts}


def test_three_districts_on_a_local_cluster_through_s3(region: Path, notebook: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture) -> None:
    expected = _expected(region)
    assert len(expected) == 3
    with s3_server(monkeypatch), distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                                          dashboard_address=None) as cluster:
        assert main(["prepare", str(region), "--store", "s3://bucket/store"]) in (0, 1)
        base = ["run", "--store", "s3://bucket/store", "--notebook", str(notebook), "--year", str(YEAR),
                "--scheduler", cluster.scheduler_address, "--no-progress"]
        command = [*base, "--district", *expected]
        assert main([*command, "--out", "s3://bucket/reports"]) in (0, 1)  # 1: the synthetic data's problems
        out = capsys.readouterr().out
        assert "Notebooks: 3 run, 0 up to date, 0 failed" in out
        assert "Privacy gate: no unmasked identifier" in out
        for district, figures in expected.items():
            assert _s3_json(f"reports/{YEAR}/{district}/facts.json") == figures
        assert _s3_json(f"reports/{YEAR}/facts.json")[next(iter(expected))] == next(iter(expected.values()))
        assert _s3_json(f"reports/{YEAR}/manifest.json")["parameters"]["year"] == YEAR
        import s3fs

        index = s3fs.S3FileSystem().cat_file(f"bucket/reports/{YEAR}/index.html").decode()
        assert all(d in index for d in expected)

        assert main([*command, "--out", "s3://bucket/reports"]) in (0, 1)  # again: up to date at the URL
        assert "Notebooks: 0 run, 3 up to date, 0 failed" in capsys.readouterr().out

        local = tmp_path / "reports"  # the same store, the outputs in a folder the workers share
        first = next(iter(expected))
        assert main([*base, "--district", first, "--out", str(local)]) in (0, 1)
        assert "Notebooks: 1 run, 0 up to date, 0 failed" in capsys.readouterr().out
        assert (local / str(YEAR) / first / "facts.json").read_bytes() == \
            s3fs.S3FileSystem().cat_file(f"bucket/reports/{YEAR}/{first}/facts.json")


def _cluster(envs: dict[str, dict[str, str]]):  # noqa: ANN202 - a SpecCluster
    from distributed import Nanny, Scheduler, SpecCluster

    workers = {name: {"cls": Nanny, "options": {"nthreads": 1, "env": env}} for name, env in envs.items()}
    return SpecCluster(workers=workers, scheduler={"cls": Scheduler, "options": {"dashboard_address": None}})


def test_a_worker_that_fails_a_district_gets_it_retried_on_another_then_reported(
        region: Path, notebook: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture) -> None:
    with s3_server(monkeypatch) as env:
        assert main(["prepare", str(region), "--store", "s3://bucket/store"]) in (0, 1)
        # a worker whose S3 endpoint is wrong: the store cannot be read there
        broken = {**env, "AWS_ENDPOINT_URL": f"{env['AWS_ENDPOINT_URL']}/no-such-prefix"}
        districts = list(_expected(region))
        out = tmp_path / "reports"
        with _cluster({"good": env, "bad": broken}) as cluster:
            with distributed.Client(cluster) as client:
                workers = {w["name"]: a for a, w in client.scheduler_info()["workers"].items()}
            source, local_out, staging = prepare_locations(None, "s3://bucket/store", out, YEAR)
            assert isinstance(staging, Staging) and source == out / str(YEAR) / ".store"
            jobs = plan(source, YEAR, districts, [notebook], local_out, html=False)
            report = run(jobs, scheduler=cluster.scheduler_address, staging=staging)
        assert report.counts() == {"ok": 3, "skipped": 0, "failed": 0}
        assert {r.worker for r in report.results} == {workers["good"]}  # every district ended on the good one
        assert any(r.tries == 2 for r in report.results)  # a first try on the bad worker, retried
        assert all(r.tries in (1, 2) for r in report.results)

        with _cluster({"bad-1": broken, "bad-2": broken}) as cluster:
            code = main(["run", "--store", "s3://bucket/store", "--notebook", str(notebook), "--year", str(YEAR),
                         "--district", *districts, "--out", str(tmp_path / "failed"), "--no-progress",
                         "--scheduler", cluster.scheduler_address])
        printed = capsys.readouterr()
        assert code == 1
        assert "Notebooks: 0 run, 0 up to date, 3 failed" in printed.out
        assert printed.err.count("FAILED") == 3 and "RegionReadError" in printed.err
        index = (tmp_path / "failed" / str(YEAR) / "index.html").read_text(encoding="utf-8")
        assert all(d in index for d in districts) and "RegionReadError" in index


def test_a_figure_of_the_whole_region_a_staged_job_kept_is_shared_through_the_store(tmp_path: Path) -> None:
    import uuid

    from reliefkit.run.cluster import Staged, execute_staged
    from reliefkit.store.build import build_store
    from reliefkit.store.location import list_files

    url = f"memory://reliefkit-derived-{uuid.uuid4().hex[:8]}/store"
    build_store("data/sample", url)
    params = nbformat.v4.new_code_cell('region_dir = "data/sample"\nyear = 2026\ndistrict = None')
    params.metadata["tags"] = ["parameters"]
    code = ("from reliefkit import load_region\nfrom reliefkit.region.derived import cached\n"
            "cached(load_region(region_dir, district=district), 'bench-figure', lambda: {'n': 1})")
    nb = nbformat.v4.new_notebook(cells=[params, nbformat.v4.new_code_cell(code)])
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Python 3"}
    path = tmp_path / "derive.ipynb"
    nbformat.write(nb, path)
    source, local_out, staging = prepare_locations(None, url, tmp_path / "out", YEAR)  # the run's copy
    job = plan(source, YEAR, ["城关镇"], [path], local_out, html=False)[0]
    assert job.parameters["region_dir"] == "../.store"
    assert execute_staged(Staged(job, url, str(tmp_path / "dest"))).status == "ok"
    assert [n for n in list_files(f"{url}/derived") if n.startswith("bench-figure-")]

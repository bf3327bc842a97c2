"""`reliefkit run`: per-district papermill jobs, failures, up-to-date skips, kernel retry,
per-cell timeout, Dask, and plain papermill from another working directory."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import REPO
from jupyter_client.kernelspec import KernelSpec
from notebook_helpers import tiny_region, write_notebook

from reliefkit.cli.main import main
from reliefkit.errors import ReliefkitError
from reliefkit.run import fingerprint
from reliefkit.run.discovery import find_notebooks
from reliefkit.run.execute import execute_job
from reliefkit.run.executors import run
from reliefkit.run.kernel import OwnKernelManager, own_kernel_spec
from reliefkit.run.planning import plan

FAIL_FOR_B = ('from reliefkit import facts\nf = facts(p.region, p.year, p.district)\n'
              'open(p.output("facts.json"), "w").write(str(f["households.registered"]))')
RAISE_FOR_B = 'if p.district == "B":\n    raise ValueError("district B is made to fail")'


@pytest.fixture(scope="module")
def region(tmp_path_factory):
    return tiny_region(tmp_path_factory.mktemp("tiny") / "region")


@pytest.fixture(scope="module")
def notebook(tmp_path_factory):
    return write_notebook(tmp_path_factory.mktemp("nb") / "tiny.ipynb", FAIL_FOR_B, RAISE_FOR_B)


def test_a_failing_district_does_not_stop_the_others(region, notebook, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "reports"
    rc = main(["run", str(region), "--year", "2026", "--notebook", str(notebook), "--out", "reports",
               "--jobs", "2", "--no-progress"])  # a relative output folder, as `make run` gives
    err = capsys.readouterr().err
    assert rc == 1
    year = out / "2026"
    for scope in ("_region", "A"):  # produced, HTML and the notebook's own file included
        assert (year / scope / "tiny.ipynb").is_file() and (year / scope / "tiny.html").is_file()
        assert (year / scope / "facts.json").is_file()
    partial = nbformat.read(year / "B" / "tiny.ipynb", as_version=4)  # kept, with the error in it
    errors = [(c.execution_count, o) for c in partial.cells if c.cell_type == "code"
              for o in c.get("outputs", []) if o.output_type == "error"]
    assert len(errors) == 1 and errors[0][1].evalue == "district B is made to fail"
    cell = errors[0][0]
    assert f"B / tiny: cell In [{cell}]: ValueError: district B is made to fail" in err
    assert "partial notebook:" in err and "tiny.ipynb" in err
    index = (year / "index.html").read_text(encoding="utf-8")
    assert "A/tiny.html" in index and "B/tiny.html" in index and "district B is made to fail" in index
    assert f"In [{cell}]" in index
    assert json.loads((year / "facts.json").read_text(encoding="utf-8"))["A"]["households.registered"] == 2


def test_up_to_date_outputs_are_skipped_and_force_redoes_them(region, notebook, tmp_path):
    region = tiny_region(tmp_path / "region")  # a copy this test may change
    jobs = lambda: plan(region, 2026, ["A"], [notebook], tmp_path / "out")  # noqa: E731
    first = run(jobs(), n_jobs=0)
    assert [r.status for r in first.results] == ["ok"]
    assert [r.status for r in run(jobs(), n_jobs=0).results] == ["skipped"]
    assert [r.status for r in run(jobs(), n_jobs=0, force=True).results] == ["ok"]
    # a changed input (the data), a changed parameter (the year) or a removed output: run again
    households = region / "households.csv"
    households.write_text(households.read_text(encoding="utf-8").replace(",600", ",650"), encoding="utf-8")
    assert [r.status for r in run(jobs(), n_jobs=0).results] == ["ok"]
    assert plan(region, 2025, ["A"], [notebook], tmp_path / "out")[0].key != jobs()[0].key
    # a parameter the notebook does not declare is not injected, so it changes nothing
    assert plan(region, 2026, ["A"], [notebook], tmp_path / "out", lang="en")[0].key == jobs()[0].key
    jobs()[0].html_path.unlink()
    assert [r.status for r in run(jobs(), n_jobs=0).results] == ["ok"]
    assert [r.status for r in run(jobs(), n_jobs=0).results] == ["skipped"]


def test_a_change_in_any_module_of_the_package_makes_the_jobs_stale(region, notebook, tmp_path, monkeypatch):
    real = fingerprint.package_root().resolve()
    hashed = {p.relative_to(real).parts[0] for p in fingerprint.code_files()}
    subpackages = {p.name for p in real.iterdir() if (p / "__init__.py").is_file()}
    assert subpackages >= {"figures", "io", "policy", "region", "report", "run", "safety", "text"}
    assert subpackages <= hashed  # every subpackage, not only the run's own modules
    original = fingerprint.code_fingerprint()
    copy = tmp_path / "site" / "reliefkit"
    shutil.copytree(real, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(fingerprint, "package_root", lambda: copy)
    assert fingerprint.code_fingerprint() == original  # names relative to the package, contents: the same
    jobs = lambda: plan(region, 2026, ["A"], [notebook], tmp_path / "out", html=False)  # noqa: E731
    assert [r.status for r in run(jobs(), n_jobs=0).results] == ["ok"]
    fresh = jobs()[0]
    assert fresh.up_to_date()

    def change_one_byte(path: Path) -> None:
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0x01
        path.write_bytes(bytes(data))

    change_one_byte(copy / "figures" / "facts.py")  # a core module, far below the runner
    changed = fingerprint.code_fingerprint()
    assert changed != original
    stale = jobs()[0]
    assert stale.key != fresh.key and not stale.up_to_date()
    assert [r.status for r in run(jobs(), n_jobs=0).results] == ["ok"]
    assert [r.status for r in run(jobs(), n_jobs=0).results] == ["skipped"]
    for other in ("policy/baseline.yaml", "run/templates/index.html.j2", "text/idnumbers.py"):  # policies, templates
        change_one_byte(copy / other)
        assert fingerprint.code_fingerprint() != changed, other
        changed = fingerprint.code_fingerprint()


def test_a_failed_job_is_never_up_to_date(region, notebook, tmp_path):
    jobs = plan(region, 2026, ["B"], [notebook], tmp_path)
    assert [r.status for r in run(jobs, n_jobs=0).results] == ["failed"]
    assert [r.status for r in run(jobs, n_jobs=0).results] == ["failed"]


def _dying_spec():
    return KernelSpec(argv=[sys.executable, "-c", "raise SystemExit(3)"], display_name="dies", language="python")


def test_a_kernel_that_fails_to_start_is_started_once_more(region, notebook, tmp_path, monkeypatch):
    managers = []

    def flaky(self):  # the first kernel manager's kernel exits at once, as in a start race
        if self not in managers:
            managers.append(self)
        return _dying_spec() if self is managers[0] else own_kernel_spec()

    monkeypatch.setattr(OwnKernelManager, "kernel_spec", property(flaky))
    job = plan(region, 2026, ["A"], [notebook], tmp_path)[0]
    result = execute_job(job)
    assert result.status == "ok" and result.kernel_starts == 2 and len(managers) == 2
    monkeypatch.setattr(OwnKernelManager, "kernel_spec", property(lambda self: _dying_spec()))
    failed = execute_job(job)
    assert failed.status == "failed" and failed.kernel_starts == 2 and failed.cell is None
    assert "before any cell ran" in failed.describe()


def test_a_cell_over_the_timeout_fails_its_job_and_names_the_cell(region, tmp_path):
    nb = write_notebook(tmp_path / "slow.ipynb", "x = 1", "import time\ntime.sleep(60)", "y = 2")
    job = plan(region, 2026, ["A"], [nb], tmp_path / "out", timeout=3)[0]
    result = execute_job(job)
    cells = [c for c in nbformat.read(job.output, as_version=4).cells if c.cell_type == "code"]
    slow = next(c for c in cells if "sleep" in c.source)
    assert result.status == "failed" and result.cell == slow.execution_count == 5  # after the injected cell
    assert "Timeout" in result.ename or "timed out" in result.evalue.lower()
    assert result.seconds < 30 and job.output.is_file()


def test_the_same_jobs_run_on_a_dask_cluster(region, notebook, tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster:
        jobs = plan(region, 2026, [None, "A", "B"], [notebook], tmp_path)
        report = run(jobs, scheduler=cluster.scheduler_address)
    assert [r.status for r in report.results] == ["ok", "ok", "failed"], [r.describe() for r in report.failed]
    assert report.failed[0].ename == "ValueError" and report.failed[0].cell is not None
    assert all(j.output.is_file() and j.html_path.is_file() for j in jobs)
    assert {r.worker for r in report.results}  # ran somewhere, each result says where


def test_an_unreachable_scheduler_is_a_clear_error(region, notebook, tmp_path, capsys):
    rc = main(["run", str(region), "--notebook", str(notebook), "--out", str(tmp_path),
               "--scheduler", "tcp://127.0.0.1:9", "--no-progress"])
    assert rc == 2 and "cannot reach the Dask scheduler" in capsys.readouterr().err


def test_notebooks_by_number_name_or_path():
    names = [p.stem for p in find_notebooks(None)]
    assert names == ["01-explore-households", "02-compare-schemes", "03-year-end-summary"]
    assert [p.stem for p in find_notebooks(["03", "compare-schemes"])] == names[:0:-1]
    with pytest.raises(ReliefkitError, match="use one of: 01-explore-households"):
        find_notebooks(["04"])


def test_only_declared_parameters_are_injected(tmp_path):
    jobs = plan(REPO / "data" / "sample", 2026, [None], find_notebooks(None), tmp_path,
                       lang="en", schemes=[REPO / "notebooks" / "schemes" / "rural-180.yaml"])
    by_name = {Path(j.notebook).stem: j.parameters for j in jobs}
    assert set(by_name["01-explore-households"]) == {"region_dir", "year", "district", "lang", "output_dir"}
    # a scheme inside the repository is named relative to it: no machine path reaches an output
    assert by_name["02-compare-schemes"]["schemes"] == ["notebooks/schemes/rural-180.yaml"]
    assert "schemes" not in by_name["03-year-end-summary"]
    assert all(Path(p["region_dir"]).is_absolute() and p["district"] is None for p in by_name.values())


def test_plain_papermill_from_another_working_directory(tmp_path):
    papermill = Path(sys.executable).parent / "papermill"
    out = tmp_path / "out.ipynb"
    done = subprocess.run(
        [str(papermill), str(REPO / "notebooks" / "03-year-end-summary.ipynb"), str(out),
         "-p", "district", "城关镇", "-p", "year", "2026", "-p", "lang", "en"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False,
        env={**os.environ, "PYTHONWARNINGS": "ignore"})
    assert done.returncode == 0, done.stderr[-2000:]
    nb = nbformat.read(out, as_version=4)
    markdown = [o["data"]["text/markdown"] for c in nb.cells if c.cell_type == "code" for o in c.outputs
                if "text/markdown" in o.get("data", {})]
    assert any(m.startswith("# 城关镇") for m in markdown), markdown[:3]
    # the parameters line: the region by its own name (region.yaml), the district, the year
    assert any("Qingshan District" in m and "城关镇" in m and "2026" in m for m in markdown), markdown[:3]


KILL_ONCE = ('import os, pathlib, signal\nmarker = pathlib.Path(p.output("killed-once"))\n'
             'if not marker.exists():\n    marker.write_text("x")\n    os.kill(os.getpid(), signal.SIGKILL)')
KILL_ALWAYS = 'import os, signal\nos.kill(os.getpid(), signal.SIGKILL)'


@pytest.mark.parametrize("cell,status,starts", [(KILL_ONCE, "ok", 2), (KILL_ALWAYS, "failed", 2)])
def test_a_kernel_killed_mid_notebook_is_retried_once_then_reported(region, tmp_path, cell, status, starts):
    nb = write_notebook(tmp_path / "killer.ipynb", "x = 1", cell)
    job = plan(region, 2026, ["A"], [nb], tmp_path / "out", html=False)[0]
    result = execute_job(job)
    assert (result.status, result.kernel_starts) == (status, starts)
    if status == "failed":
        assert result.ename == "DeadKernelError" and job.output.is_file()


def test_an_error_message_holding_an_id_number_is_shown_masked(region, tmp_path, capsys, monkeypatch):
    leaky = 'raise KeyError("no person 11010519491231002X in the ledger")'
    nb = write_notebook(tmp_path / "leaky.ipynb", leaky)
    monkeypatch.chdir(tmp_path)
    rc = main(["run", str(region), "--year", "2026", "--district", "A", "--notebook", str(nb), "--out", "out",
               "--jobs", "0", "--no-progress"])
    err = capsys.readouterr().err
    assert rc == 1
    assert "110105********002X" in err and "11010519491231002X" not in err  # the terminal
    index = (tmp_path / "out" / "2026" / "index.html").read_text(encoding="utf-8")
    assert "110105********002X" in index and "11010519491231002X" not in index  # the index page
    # the failed notebook keeps the traceback as it was: the privacy gate finds it and fails the run
    assert "Privacy gate: " in err and "the run fails" in err, err


LEAK = ('import os, pathlib, reliefkit\nsecret = 42\nreliefkit.left_by_another_notebook = True\n'
        'os.environ["RELIEFKIT_LEFT_BEHIND"] = "1"\npathlib.Path(p.output("leak.pid")).write_text(str(os.getpid()))')
LOOK = ('import os, pathlib, sys, reliefkit\nassert "secret" not in dir(), "a variable of another notebook"\n'
        'assert not hasattr(reliefkit, "left_by_another_notebook") and "RELIEFKIT_LEFT_BEHIND" not in os.environ\n'
        'assert pathlib.Path.cwd() == pathlib.Path(output_dir).resolve(), (os.getcwd(), output_dir)\n'
        'assert "reliefkit.notebook.compare_charts" in sys.modules  # imported before the notebook: warm\n'
        'pathlib.Path(p.output("look.pid")).write_text(str(os.getpid()))')


def test_each_notebook_has_a_fresh_warm_kernel_in_its_folder(region, tmp_path):
    leak = write_notebook(tmp_path / "nb" / "leak.ipynb", LEAK)
    look = write_notebook(tmp_path / "nb" / "look.ipynb", LOOK)
    jobs = plan(region, 2026, ["A"], [leak, look], tmp_path / "out", html=False)
    report = run(jobs, n_jobs=1)  # one worker: the second notebook gets the kernel warmed during the first
    assert [r.status for r in report.results] == ["ok", "ok"], [r.describe() for r in report.failed]
    assert len({r.worker for r in report.results}) == 1 and {r.kernel_starts for r in report.results} == {1}
    folder = Path(jobs[0].folder)
    assert (folder / "leak.pid").read_text() != (folder / "look.pid").read_text()  # another process
    cells = [c for c in nbformat.read(jobs[1].output, as_version=4).cells if c.cell_type == "code"]
    assert [c.execution_count for c in cells] == [1, 2, 3, 4]  # the warm-up left no trace in the count

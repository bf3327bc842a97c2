"""An interrupted `reliefkit run` (SIGTERM, or Ctrl-C on the terminal) leaves no
half-written output, no kernel running, and the next run resumes where it stopped."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat
import psutil
import pytest
from notebook_helpers import tiny_region, write_notebook

from reliefkit.run.execute import execute_job
from reliefkit.run.executors import run
from reliefkit.run.interrupt import Stopped, remove_partial_files
from reliefkit.run.planning import plan

FAST = 'open(p.output("fast.txt"), "w").write("done")'
# the first time it runs, it says so and then works for a long time; afterwards it is quick
SLOW = ('import pathlib, time\nmarker = pathlib.Path(p.output("slow-started"))\nfirst = not marker.exists()\n'
        'marker.write_text("x")\ntime.sleep(300 * first)\nopen(p.output("slow.txt"), "w").write("done")')


def _wait_for(paths: list[Path], proc: subprocess.Popen, timeout: float = 180) -> None:
    end = time.monotonic() + timeout
    while not all(p.exists() for p in paths):
        if proc.poll() is not None:
            raise AssertionError(f"the run ended early ({proc.returncode}): {proc.stderr.read()[-2000:]}")
        if time.monotonic() > end:
            proc.kill()
            raise AssertionError(f"{[str(p) for p in paths if not p.exists()]} never appeared")
        time.sleep(0.2)


def _kernels_in(runtime: Path) -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter(["cmdline"]):
        if any(str(runtime) in part for part in proc.info["cmdline"] or ()):
            found.append(proc)
    return found


def _kernels_below(pid: int) -> list[psutil.Process]:
    """The Jupyter kernels process ``pid`` started, at any depth."""
    try:
        procs = psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        return []
    return [p for p in procs if "ipykernel_launcher" in " ".join(p.cmdline())]


def _running(procs: list[psutil.Process]) -> list[psutil.Process]:
    out = []
    for proc in procs:
        try:
            if proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE:
                out.append(proc)
        except psutil.Error:
            pass
    return out


def _run(region: Path, notebooks: list[Path], out: Path, jobs: int, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "reliefkit.cli.main", "run", str(region), "--district", "A", "--out", str(out),
         "--jobs", str(jobs), "--no-progress", "--notebook", *map(str, notebooks)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, start_new_session=True)


@pytest.mark.parametrize("signum,jobs,to_group", [(signal.SIGTERM, 2, False), (signal.SIGINT, 0, True)],
                         ids=["SIGTERM-to-the-run-2-workers", "Ctrl-C-to-the-terminal-group-in-process"])
def test_an_interrupted_run_leaves_no_partial_output_and_the_next_run_resumes(tmp_path, signum, jobs, to_group):
    region = tiny_region(tmp_path / "region")
    fast = write_notebook(tmp_path / "nb" / "fast.ipynb", FAST)
    slow = write_notebook(tmp_path / "nb" / "slow.ipynb", SLOW)
    out, runtime = tmp_path / "out", tmp_path / "runtime"
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(runtime), "PYTHONWARNINGS": "ignore"}
    folder = out / "2026" / "A"

    proc = _run(region, [fast, slow], out, jobs, env)
    _wait_for([folder / ".fast.run.json", folder / "slow-started"], proc)  # fast done, slow mid-cell
    time.sleep(0.5)
    kernels = _kernels_below(proc.pid)
    in_folder = [k for k in kernels if Path(k.cwd()).resolve() == folder.resolve()]
    (os.killpg if to_group else os.kill)(proc.pid, signum)
    try:
        _, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise AssertionError("the run did not stop within 60 s of the signal") from None

    assert len(in_folder) == 1, "the slow notebook's kernel, in the job's folder"
    if jobs:  # workers keep a warm kernel ready for their next notebook: it must die with the run too
        assert len(kernels) > len(in_folder), "no spare kernel warming beside the running notebook's"

    assert proc.returncode == 128 + signum, err[-2000:]
    name = signal.Signals(signum).name
    assert f"interrupted by {name}: 1 notebook(s) finished and kept, 1 not run" in err
    assert "Traceback" not in err
    # what finished is complete and stamped; what was cut off left nothing under any name
    assert json.loads((folder / ".fast.run.json").read_text())["status"] == "ok"
    assert nbformat.read(folder / "fast.ipynb", as_version=4).cells and (folder / "fast.html").is_file()
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert not [f for f in files if "slow" in f and not f.endswith("slow-started")], files
    assert not [f for f in files if f.endswith((".tmp", ".running.ipynb"))], files
    # no kernel left running, no connection file or socket left behind
    deadline = time.monotonic() + 10
    while _kernels_in(runtime) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _kernels_in(runtime)
    assert not _running(kernels), "a kernel (the notebook's or a spare) outlived the run"
    assert not [p.name for p in runtime.iterdir() if p.name.startswith(("kernel-", "reliefkit-"))]

    again = _run(region, [fast, slow], out, jobs, env)
    stdout, err = again.communicate(timeout=300)
    assert again.returncode == 0, err[-2000:]
    assert "Notebooks: 1 run, 1 up to date, 0 failed" in stdout, stdout[-1500:]
    assert (folder / "slow.txt").read_text() == "done" and (folder / "slow.html").is_file()
    assert json.loads((folder / ".slow.run.json").read_text())["status"] == "ok"


def test_a_run_clears_what_a_killed_run_left(tmp_path):
    region = tiny_region(tmp_path / "region")
    nb = write_notebook(tmp_path / "nb" / "fast.ipynb", FAST)
    job = plan(region, 2026, ["A"], [nb], tmp_path / "out", html=False)[0]
    folder = Path(job.folder)
    folder.mkdir(parents=True)
    left = [job.running, folder / ".summary-2026-A-zh.md.k2j4x8.tmp"]
    for p in left:
        p.write_text('{"cells": [')  # half a file, as a SIGKILL leaves it
    assert [r.status for r in run([job], n_jobs=0).results] == ["ok"]
    assert not any(p.exists() for p in left)
    assert sorted(p.name for p in folder.iterdir()) == [".fast.run.json", "fast.ipynb", "fast.txt"]


def test_a_job_is_not_up_to_date_while_it_runs(tmp_path):
    region = tiny_region(tmp_path / "region")
    nb = write_notebook(tmp_path / "nb" / "fast.ipynb", FAST,
                        "import pathlib\nassert not pathlib.Path('.fast.run.json').exists()")
    job = plan(region, 2026, ["A"], [nb], tmp_path / "out", html=False)[0]
    assert execute_job(job).status == "ok"
    assert job.up_to_date()
    assert execute_job(job).status == "ok"  # the stamp went when the job started


def test_a_job_of_a_run_being_stopped_saves_nothing(tmp_path):
    region = tiny_region(tmp_path / "region")
    nb = write_notebook(tmp_path / "nb" / "fast.ipynb", FAST)
    job = plan(region, 2026, ["A"], [nb], tmp_path / "out", html=False)[0]
    stop = threading.Event()  # the run's own: set when the run is being stopped
    stop.set()
    with pytest.raises(Stopped):
        execute_job(job, stop)
    assert not job.output.exists() and not job.running.exists() and not job.stamp.exists()
    assert execute_job(job, threading.Event()).status == "ok"  # another run's event is its own
    assert job.up_to_date()


def test_remove_partial_files_keeps_outputs_and_stamps(tmp_path):
    keep = ["a.ipynb", "a.html", ".a.run.json", "summary.md", ".hidden", "x.tmp"]
    drop = [".a.running.ipynb", ".summary.md.abc123.tmp"]
    for name in keep + drop:
        (tmp_path / name).write_text("x")
    assert sorted(p.name for p in remove_partial_files([tmp_path, tmp_path / "missing"])) == sorted(drop)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(keep)

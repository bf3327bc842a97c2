"""Fault drill: 30 district jobs with injected faults; prints what survived.

Builds a synthetic region of 30 districts, then runs one small notebook per district
through the same runner as ``reliefkit run`` with faults injected:

- kernels killed mid-notebook: some once (the runner retries and they succeed), some
  every time (reported as failed, the others go on);
- an output folder that cannot be written (a file stands where the folder should be);
- corrupt inputs: copies of the region with undecodable bytes, rows with too many
  fields, a broken workbook — read and validated, their rows counted independently;
- an interrupted run: the healthy districts run again into a fresh folder, and SIGTERM
  arrives after the first ``INTERRUPT_AFTER`` have finished; then the same run again,
  which must skip what finished and complete the rest, with no partial file left between.

Prints: jobs completed, jobs failed as expected, rows lost (must be 0), unmasked
identifiers found in the outputs (must be 0), partial files left by the interrupted run
(must be 0) and what the resumed run skipped and ran. Exit code 1 when any of those is off.

    python scripts/fault_drill.py
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import tempfile
from pathlib import Path

import nbformat

from reliefkit import load_region, validate_folder
from reliefkit.run.executors import run
from reliefkit.run.jobs import Job, JobResult
from reliefkit.run.planning import plan
from reliefkit.errors import RunInterrupted
from reliefkit.safety.privacy import scan_outputs
from reliefkit.sample.files import write_region
from reliefkit.sample.synthetic import synthetic_tables

KILL_ALWAYS = 3
KILL_ONCE = 3
UNWRITABLE = 2
INTERRUPT_AFTER = 8

CELLS = [
    "from typing import Optional\nregion_dir: str = 'data/sample'\nyear: int = 2026\n"
    "district: Optional[str] = None\noutput_dir: Optional[str] = None",
    "import os, signal, pathlib\nfrom reliefkit import load_region, facts\n"
    "region = load_region(region_dir)\n"
    "names = region.districts\n"
    "k = names.index(district)\n"
    "marker = pathlib.Path(output_dir, 'killed-once')\n"
    f"if k < {KILL_ALWAYS} or ({KILL_ALWAYS} <= k < {KILL_ALWAYS + KILL_ONCE} and not marker.exists()):\n"
    "    marker.write_text('x')\n"
    "    os.kill(os.getpid(), signal.SIGKILL)\n"
    "f = facts(region, year, district)\n"
    "print('households', f['households.registered'], 'rural dibao', f['rural_dibao.persons'])",
]


def _notebook(path: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(CELLS[0], metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell(CELLS[1])]
    nbformat.write(nb, path)
    return path


def _data_lines(path: Path) -> int:
    """Rows of a CSV counted independently of the reader: non-blank lines after the header."""
    lines = path.read_bytes().splitlines()
    return sum(1 for line in lines[1:] if line.strip(b", \t"))


def _corrupt_copies(region_dir: Path, work: Path) -> list[Path]:
    copies = []
    for kind in ("bytes", "fields", "workbook"):
        d = work / f"corrupt-{kind}"
        shutil.copytree(region_dir, d)
        if kind == "bytes":
            data = (d / "payments.csv").read_bytes()
            cut = data.index(b"\n", len(data) // 2) + 1
            (d / "payments.csv").write_bytes(data[:cut] + b"P9,\xff\xfe,x\n" + data[cut:])
        elif kind == "fields":
            lines = (d / "households.csv").read_text(encoding="utf-8").splitlines(keepends=True)
            lines[5] = lines[5].rstrip("\n") + ",stray,cells\n"
            (d / "households.csv").write_text("".join(lines), encoding="utf-8")
        else:
            (d / "helpers.csv").unlink()
            (d / "helpers.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
        copies.append(d)
    return copies


def _interrupted_then_resumed(jobs: list[Job]) -> tuple[int, int, dict[str, int]]:
    """Run ``jobs``, SIGTERM this process after :data:`INTERRUPT_AFTER` results, then run
    them again. Returns: jobs finished before the stop, partial files left, and the
    resumed run's counts."""
    seen = []

    def stop_after(result: JobResult) -> None:
        seen.append(result)
        if len(seen) == INTERRUPT_AFTER:
            os.kill(os.getpid(), signal.SIGTERM)

    try:
        run(jobs, n_jobs=2, force=True, on_result=stop_after)
        raise AssertionError("the run was not interrupted")
    except RunInterrupted:
        pass
    folders = {Path(j.folder) for j in jobs}
    partial = [p for f in folders if f.is_dir() for p in f.iterdir()
               if p.name.endswith((".tmp", ".running.ipynb"))]
    finished = sum(j.up_to_date() for j in jobs)
    return finished, len(partial), run(jobs, n_jobs=2).counts()


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        region_dir = work / "region"
        write_region(synthetic_tables(30_000, seed=3, n_districts=30), region_dir)
        region = load_region(region_dir)
        districts = list(region.districts)
        nb = _notebook(work / "drill.ipynb")
        out = work / "out"
        jobs = plan(region_dir, 2026, districts, [nb], out, html=False)
        by_district = {j.scope: j for j in jobs}
        for d in districts[KILL_ALWAYS + KILL_ONCE: KILL_ALWAYS + KILL_ONCE + UNWRITABLE]:
            folder = Path(by_district[d].folder)
            folder.parent.mkdir(parents=True, exist_ok=True)
            folder.write_text("a file where the output folder should be")
        for d in districts[KILL_ALWAYS: KILL_ALWAYS + KILL_ONCE]:
            Path(by_district[d].folder).mkdir(parents=True, exist_ok=True)
        report = run(jobs, n_jobs=2, force=True)
        expected_fail = set(districts[:KILL_ALWAYS]) | set(
            districts[KILL_ALWAYS + KILL_ONCE: KILL_ALWAYS + KILL_ONCE + UNWRITABLE])
        ok = {r.job.scope for r in report.results if r.status == "ok"}
        failed = {r.job.scope for r in report.results if r.status == "failed"}
        retried_ok = {r.job.scope for r in report.results if r.status == "ok" and r.kernel_starts == 2}

        lost = 0
        for folder in [region_dir, *_corrupt_copies(region_dir, work)]:
            result = validate_folder(folder)
            t = result.tables.set_index("table")
            lost += int((t["rows_in"] - t["accepted"] - t["quarantined"]).abs().sum())
            for name in t.index:
                f = folder / f"{name}.csv"
                if f.is_file() and t.loc[name, "status"] != "unreadable":
                    lost += abs(_data_lines(f) - int(t.loc[name, "rows_in"]))
        healthy = [d for d in districts if d not in expected_fail]
        again = plan(region_dir, 2026, healthy, [nb], work / "out-interrupted", html=False)
        finished, partial, resumed = _interrupted_then_resumed(again)
        leaks = scan_outputs(out, region.persons["name"])

        print(f"jobs:                      {len(jobs)}")
        print(f"jobs completed:            {len(ok)} (of them after a killed kernel was retried: {len(retried_ok)})")
        print(f"jobs failed as expected:   {len(failed & expected_fail)} of {len(expected_fail)}")
        print(f"jobs failed unexpectedly:  {len(failed - expected_fail)}")
        print(f"rows lost:                 {lost}")
        print(f"unmasked identifiers found: {len(leaks)}")
        print(f"interrupted run:           SIGTERM after {INTERRUPT_AFTER} of {len(again)} jobs; "
              f"{finished} finished and kept, partial files left {partial}")
        print(f"resumed run:               {resumed['skipped']} up to date, {resumed['ok']} run, "
              f"{resumed['failed']} failed")
        good = (failed == expected_fail and len(ok) == len(jobs) - len(expected_fail)
                and len(retried_ok) == KILL_ONCE and lost == 0 and len(leaks) == 0
                and partial == 0 and finished >= INTERRUPT_AFTER and resumed["skipped"] == finished
                and resumed["ok"] == len(again) - finished and resumed["failed"] == 0)
        print("drill passed" if good else "drill FAILED")
        return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())

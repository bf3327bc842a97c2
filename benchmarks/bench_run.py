"""Benchmark `reliefkit run` on the sample region: all districts + the region × 3 notebooks.

Prints, as medians over --reps repetitions:

- the wall time of the whole run with 1 and with 2 parallel jobs (and the speedup);
- per notebook: the time papermill takes for it (kernel start to shutdown), the cells'
  own work (the sum of papermill's cell durations: imports, reading the region, tables,
  charts, files) and the overhead beyond the cells (kernel start, papermill, shutdown),
  plus the HTML export;
- the fixed cost of a trivial notebook (one cell) executed the same way, in a cold kernel
  (started for it) and in a warm one (:mod:`reliefkit.run.warm`: started and its imports
  done while the previous notebook ran — here a pause of --pause seconds stands for it),
  with the first import of the notebooks (pandas, matplotlib, seaborn, reliefkit) inside
  it for the cold kernel, as the notebooks pay it.

Targets on a 2-core machine (issue 5): speedup ≥ 1.7× with 2 jobs; mean overhead per
notebook ≤ 2.5 s beyond the cells' own work; the whole run under 2 minutes with 2 jobs.
Issue 11 (warm kernels): fixed cost per notebook ≤ 0.3 s beyond its cells; the whole run
at most half of what it took with a kernel started per notebook.

    python benchmarks/bench_run.py [--reps 1] [--jobs 1 2] [--region data/sample] [--year 2026] [--pause 4]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reliefkit.run import warm  # noqa: E402
from reliefkit.run.discovery import find_notebooks  # noqa: E402
from reliefkit.run.execute import execute_job  # noqa: E402
from reliefkit.run.executors import run  # noqa: E402
from reliefkit.run.jobs import Job  # noqa: E402
from reliefkit.run.planning import plan  # noqa: E402


def _trivial_notebook(folder: Path) -> Path:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell(warm.WARMUP_CODE), nbformat.v4.new_code_cell("x")]
    path = folder / "trivial.ipynb"
    nbformat.write(nb, path)
    return path


def trivial_fixed_cost(reps: int, spares: int, pause: float) -> list[float]:
    """Seconds from a job's start to its end for a notebook whose cells import what the
    notebooks import and do nothing else, in this process (papermill imported once, as
    in a worker): kernel start or hand-over, the imports, papermill, shutdown."""
    import papermill  # noqa: F401 - imported once, as a worker does

    warm.enable(spares)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            nb = _trivial_notebook(Path(tmp))
            out = []
            for i in range(reps + 1):
                time.sleep(pause)  # the previous notebook's cells: the spare warms meanwhile
                r = execute_job(Job(str(nb), None, str(Path(tmp) / f"o{i}"), {"x": 2}, html=False))
                if i:  # the first one warms the caches of this process
                    out.append(r.seconds)
            return out
    finally:
        warm.close()


def one_run(region: Path, year: int, n_jobs: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        scopes_region = __import__("reliefkit").load_region(region)
        scopes = [None, *scopes_region.districts]
        jobs = plan(region, year, scopes, find_notebooks(None), tmp)
        t0 = time.perf_counter()
        report = run(jobs, n_jobs=n_jobs, force=True)
        wall = time.perf_counter() - t0
        if report.failed:
            for r in report.failed:
                print("FAILED", r.describe(), file=sys.stderr)
            raise SystemExit(1)
        res = report.results
        return {
            "wall": wall,
            "notebooks": len(res),
            "seconds": statistics.mean(r.seconds for r in res),
            "cells": statistics.mean(r.cell_seconds for r in res),
            "overhead": statistics.mean(r.overhead for r in res),
            "html": statistics.mean(r.html_seconds for r in res),
            "by_notebook": {name: statistics.mean(r.seconds for r in res if Path(r.job.notebook).stem == name)
                            for name in sorted({Path(r.job.notebook).stem for r in res})},
        }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--reps", type=int, default=1)
    p.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    p.add_argument("--region", type=Path, default=ROOT / "data" / "sample")
    p.add_argument("--year", type=int, default=2026)
    p.add_argument("--pause", type=float, default=4.0, help="seconds between trivial notebooks (a notebook's cells)")
    args = p.parse_args()

    cold = trivial_fixed_cost(max(3, args.reps), 0, 0.0)
    hot = trivial_fixed_cost(max(3, args.reps), 1, args.pause)
    print("fixed cost of a notebook (trivial cells; kernel, imports, papermill, shutdown), median:\n"
          f"  cold kernel started for it: {statistics.median(cold):.2f} s\n"
          f"  warm kernel (started, imports done during the previous notebook): {statistics.median(hot):.2f} s")

    medians = {}
    for n in args.jobs:
        runs = [one_run(args.region, args.year, n) for _ in range(args.reps)]
        m = {k: statistics.median(r[k] for r in runs) for k in ("wall", "seconds", "cells", "overhead", "html")}
        medians[n] = m
        by_nb = runs[0]["by_notebook"]
        print(f"\n{n} job(s): {runs[0]['notebooks']} notebooks, wall {m['wall']:.1f} s (median of {args.reps})")
        print(f"  per notebook: {m['seconds']:.2f} s in papermill = {m['cells']:.2f} s cells' own work "
              f"+ {m['overhead']:.2f} s overhead (kernel start, papermill, shutdown); HTML export {m['html']:.2f} s")
        print("  by notebook: " + ", ".join(f"{k} {v:.1f} s" for k, v in by_nb.items()))
    if 1 in medians and 2 in medians:
        print(f"\nspeedup with 2 jobs: {medians[1]['wall'] / medians[2]['wall']:.2f}×")


if __name__ == "__main__":
    main()

"""Cost that grows with the work: a province prepared once, then run district by district.

For synthetic regions of 25,000, 1,000,000 and 10,000,000 persons (4, 160 and 1,000
districts: a district of the same size, about 6,000 persons, exists in each), written as
Parquet, side by side in one run, prints medians of ``--reps``:

- ``ahead``: what ``reliefkit run`` does once before the notebooks (the whole store read,
  the region-wide figures into its ``derived/``), seconds;
- ``prepare``: validating the region once into a store (``reliefkit prepare``), seconds
  and the peak memory of the process that does it;
- ``load+facts``: ``facts(load_region(store, district=d))`` for a district ``d`` of the
  same size in every region (the one closest to the 25k region's district of about 6,500
  persons), seconds and per 1,000 of its persons, with the ratio to the 25k case (target
  ≤ 1.2: the time follows the district, not the region);
- ``notebooks``: the district's three notebooks in one local worker (warm kernels, as
  ``reliefkit run`` runs them), each notebook's own seconds and their ratio to the 25k
  case, and the worker's peak memory (the largest of the worker and its kernels; target
  ≤ 1.5 GB at 10M);
- ``cluster``: a real Dask ``LocalCluster`` (``--workers`` processes, one thread each)
  running ``reliefkit run STORE --district …`` for ``--cluster-districts`` districts of the
  largest region × 3 notebooks (the store read by the workers, the index, the manifest and
  the privacy gate included): wall time, and the projected time of the 1,000 districts ×
  3 notebooks on 2 cores and on 16 workers. The projection is the measured worker time per
  district (the sum of the notebooks' seconds / districts) × 1,000 / workers, plus the run's
  own fixed cost (wall time − worker time / workers), which does not shrink with workers.

    python benchmarks/bench_province.py                 # 25k, 1M, 10M; cluster on the 10M region
    python benchmarks/bench_province.py --quick         # 25k and 1M only; cluster of 20 districts on 1M
    python benchmarks/bench_province.py --persons 25000 200000 --reps 2 --cluster-districts 10
    python benchmarks/bench_province.py --big-reps 1 --cluster-districts 8   # what fits in an hour here

Memory: the 10M region is generated in a child process (about 5 GB) and prepared in
another; run it alone on the machine (``nice -n 10``), it stays under about 20 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
YEAR = 2026
#: districts per region size: about 6,000 persons a district at 25k and 1M, 10,000 at 10M
DISTRICTS = {25_000: 4, 1_000_000: 160, 10_000_000: 1000}
#: the size of the district compared across regions
TARGET = 6_500
NOTEBOOKS = ("01-explore-households", "02-compare-schemes", "03-year-end-summary")

_PEAK = ("import resource, runpy, sys; sys.argv = sys.argv[1:]; "
         "code = 0\ntry:\n    runpy.run_path(sys.argv[0], run_name='__main__')\nexcept SystemExit as e:\n"
         "    code = e.code or 0\nprint('PEAK_KB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "
         "file=sys.stderr)\nsys.exit(code)")


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _timed(cmd: list[str]) -> tuple[float, float]:
    """Seconds and peak resident memory (MB) of a command run through this Python."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _PEAK, *cmd], capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr[-3000:]}")
    peak = [int(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("PEAK_KB")]
    return seconds, (peak[-1] / 1024 if peak else float("nan"))


def _self(*args: str) -> dict:
    """This script in a child process (``--_generate``, ``--_notebooks``): its JSON answer."""
    done = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def generate(persons: int, folder: str) -> dict:
    """Child: write the synthetic region (Parquet)."""
    import resource

    from reliefkit.sample import synthetic_tables, write_region

    start = time.perf_counter()
    write_region(synthetic_tables(persons, seed=3, n_districts=DISTRICTS.get(persons, min(1000, max(4, persons // 6_250)))),
                 folder, fmt="parquet")
    return {"seconds": time.perf_counter() - start,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def ahead(store: str) -> dict:
    """Child: what ``reliefkit run`` does once before the notebooks — read the whole store
    and compute the region-wide figures into its ``derived/`` — seconds and peak memory."""
    import resource

    from reliefkit import load_region
    from reliefkit.report.summary_figures import region_figures_ahead

    start = time.perf_counter()
    region_figures_ahead(load_region(store), YEAR)
    return {"seconds": time.perf_counter() - start,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def notebooks(store: str, district: str, out: str) -> dict:
    """Child: the district's three notebooks in one local worker; each notebook's seconds
    and the peak memory of the worker and its kernels."""
    import resource

    from reliefkit.run.discovery import find_notebooks
    from reliefkit.run.executors import run
    from reliefkit.run.planning import plan

    jobs = plan(store, YEAR, [district], find_notebooks(None), out)
    report = run(jobs, n_jobs=1, force=True)
    return {"seconds": {Path(r.job.notebook).stem: r.seconds for r in report.results},
            "cells": {Path(r.job.notebook).stem: r.cell_seconds for r in report.results},
            "failed": [r.job.name for r in report.failed],
            "peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}


def _district_sizes(store: Path) -> dict[str, int]:
    import pyarrow.parquet as pq

    from reliefkit.store.build import read_meta

    names = read_meta(store)["districts"]
    sizes = {}
    for k, name in enumerate(names):
        part = store / "tables" / "persons" / f"part={k}" / "0.parquet"
        sizes[name] = pq.ParquetFile(part).metadata.num_rows if part.is_file() else 0
    return sizes


def one_region(persons: int, reps: int, tmp: Path, target: int) -> dict:
    from reliefkit import facts, load_region

    folder, store = tmp / f"region-{persons}", tmp / f"store-{persons}"
    made = _self("--_generate", str(persons), str(folder))
    prepare = [_timed([str(BIN / "reliefkit"), "prepare", str(folder), "--store", str(store), "--force"])
               for _ in range(reps)]
    sizes = _district_sizes(store)
    district = min(sizes, key=lambda d: (abs(sizes[d] - target), d))
    before = _self("--_ahead", str(store))  # as reliefkit run does once, before any notebook

    def load_facts() -> float:
        start = time.perf_counter()
        facts(load_region(store, district=district), YEAR, district)
        return time.perf_counter() - start

    load_facts()  # the first read warms the file cache
    loads = [load_facts() for _ in range(reps)]
    runs = [_self("--_notebooks", str(store), district, str(tmp / f"out-{persons}-{i}")) for i in range(reps)]
    failed = sorted({name for r in runs for name in r["failed"]})
    return {"persons": persons, "districts": len(sizes), "generate_s": made["seconds"],
            "generate_peak_mb": made["peak_mb"], "district": district, "district_persons": sizes[district],
            "prepare_s": _median([s for s, _ in prepare]), "prepare_peak_mb": max(m for _, m in prepare),
            "ahead_s": before["seconds"], "ahead_peak_mb": before["peak_mb"],
            "load_facts_s": _median(loads),
            "notebooks_s": {nb: _median([r["seconds"].get(nb, float("nan")) for r in runs]) for nb in NOTEBOOKS},
            "cells_s": {nb: _median([r["cells"].get(nb, float("nan")) for r in runs]) for nb in NOTEBOOKS},
            "worker_peak_mb": max(r["peak_mb"] for r in runs), "failed": failed, "store": str(store)}


def cluster_run(store: Path, n_districts: int, workers: int, out: Path) -> dict:
    """``reliefkit run`` of ``n_districts`` districts × 3 notebooks on a LocalCluster."""
    from distributed import LocalCluster

    from reliefkit.store.build import read_meta

    names = read_meta(store)["districts"]
    step = max(1, len(names) // n_districts)
    chosen = names[::step][:n_districts]
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        start = time.perf_counter()
        done = subprocess.run([str(BIN / "reliefkit"), "run", str(store), "--year", str(YEAR), "--district", *chosen,
                               "--out", str(out), "--scheduler", cluster.scheduler_address, "--no-progress"],
                              capture_output=True, text=True, cwd=ROOT)
        wall = time.perf_counter() - start
    timed = re.findall(r"^\[\s*\d+/\d+\] (done|FAILED)\s+\S+ \(([\d.]+) s\)$", done.stdout, re.M)
    jobs = [float(seconds) for _, seconds in timed]
    failed = sum(tag == "FAILED" for tag, _ in timed)
    worker_s = sum(jobs)
    per_district = worker_s / len(chosen)
    fixed = max(0.0, wall - worker_s / workers)
    return {"districts": len(chosen), "notebooks": len(jobs), "failed": failed, "exit": done.returncode,
            "workers": workers, "wall_s": wall, "worker_s": worker_s, "per_district_worker_s": per_district,
            "fixed_s": fixed,
            "projected_1000_2cores_h": (per_district * 1000 / 2 + fixed) / 3600,
            "projected_1000_16workers_h": (per_district * 1000 / 16 + fixed) / 3600,
            "stderr_tail": done.stderr[-500:] if done.returncode not in (0, 1) else ""}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, nargs="+", default=None,
                        help="region sizes (default 25,000 1,000,000 10,000,000; --quick: 25,000 1,000,000)")
    parser.add_argument("--quick", action="store_true", help="25k and 1M only, a cluster run of 20 districts")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--big-reps", type=int, default=None,
                        help="repeats for regions of 5M persons and more (default: --reps)")
    parser.add_argument("--cluster-districts", type=int, default=None, help="default 100 (--quick: 20); 0: none")
    parser.add_argument("--workers", type=int, default=2, help="LocalCluster worker processes (default 2)")
    parser.add_argument("--_generate", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--_notebooks", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--_ahead", nargs=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args._ahead:
        print(json.dumps(ahead(args._ahead[0])))
        return 0
    if args._generate:
        print(json.dumps(generate(int(args._generate[0]), args._generate[1])))
        return 0
    if args._notebooks:
        print(json.dumps(notebooks(*args._notebooks)))
        return 0
    sizes = args.persons or ([25_000, 1_000_000] if args.quick else [25_000, 1_000_000, 10_000_000])
    n_cluster = args.cluster_districts if args.cluster_districts is not None else (20 if args.quick else 100)
    with tempfile.TemporaryDirectory(prefix="bench-province-") as tmp:
        rows = []
        target = TARGET
        for n in sizes:
            reps = args.big_reps if args.big_reps is not None and n >= 5_000_000 else args.reps
            rows.append(one_region(n, reps, Path(tmp), target))
            target = rows[0]["district_persons"]  # the same size in every region
            print(f"# {n:,} persons done: {json.dumps(rows[-1], ensure_ascii=False)}", flush=True)
        cluster = (cluster_run(Path(rows[-1]["store"]), n_cluster, args.workers, Path(tmp) / "cluster")
                   if n_cluster else None)
    base = rows[0]
    print(f"\nmedians of {args.reps} ({args.big_reps or args.reps} from 5M persons on); a district of the same size in every region (ratio: to the 25k region's, "
          "per 1,000 of the district's persons)")
    print(f"{'persons':>11} {'districts':>9} {'prepare s':>9} {'peak MB':>8} {'ahead s':>7} {'district':>9} {'load+facts s':>12} "
          f"{'ratio':>6} " + " ".join(f"{nb[:2]} s (ratio)" for nb in NOTEBOOKS) + f" {'worker peak MB':>14}")
    for r in rows:
        def ratio(value: float, base_value: float) -> float:
            return (value / r["district_persons"]) / (base_value / base["district_persons"])

        nbs = " ".join(f"{r['notebooks_s'][nb]:5.1f} ({ratio(r['notebooks_s'][nb], base['notebooks_s'][nb]):4.2f})"
                       for nb in NOTEBOOKS)
        print(f"{r['persons']:>11,} {r['districts']:>9,} {r['prepare_s']:>9.1f} {r['prepare_peak_mb']:>8,.0f} "
              f"{r['ahead_s']:>7.1f} {r['district_persons']:>9,} {r['load_facts_s']:>12.3f} "
              f"{ratio(r['load_facts_s'], base['load_facts_s']):>6.2f} {nbs} {r['worker_peak_mb']:>14,.0f}"
              + (f"  FAILED: {', '.join(r['failed'])}" if r["failed"] else ""))
    if cluster:
        c = cluster
        print(f"\nLocalCluster ({c['workers']} workers × 1 thread), {rows[-1]['persons']:,}-person region: "
              f"{c['districts']} districts × 3 notebooks = {c['notebooks']} notebooks run ({c['failed']} failed), "
              f"exit {c['exit']}: wall {c['wall_s']:.0f} s; worker time {c['worker_s']:.0f} s "
              f"({c['per_district_worker_s']:.1f} s a district); fixed cost of the run {c['fixed_s']:.0f} s")
        print(f"projected 1,000 districts × 3 notebooks: {c['projected_1000_2cores_h']:.2f} h on 2 cores, "
              f"{c['projected_1000_16workers_h']:.2f} h on 16 workers "
              "(= worker time a district × 1,000 / workers + the fixed cost)")
        if c["stderr_tail"]:
            print(c["stderr_tail"])
    print(json.dumps({"regions": rows, "cluster": cluster}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

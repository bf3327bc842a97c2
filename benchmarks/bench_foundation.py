"""Benchmark of the foundation: read, validate and count a region of 1,000,000 persons.

Prints, as medians of several repetitions, each in a fresh process (so peak memory is the
phase's own): read + validate from Parquet, from CSV, and the facts of the region and of
every district. Targets on a 2-core machine: facts ≤ 2 s; read + validate (Parquet) ≤ 5 s.

    python benchmarks/bench_foundation.py [--persons 1000000] [--reps 3]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def phase(name: str, folder: Path) -> dict:
    """Run one phase in this process; return seconds and peak memory."""
    import reliefkit as rk
    from reliefkit.figures.facts import facts

    if name in ("parquet", "csv"):
        t = time.perf_counter()
        region = rk.load_region(folder / name)
        secs = time.perf_counter() - t
        assert region.validation.clean, region.validation.problems.head()
        return {"seconds": secs, "peak_mb": _peak_mb(), "rows": int(region.validation.tables["rows_in"].sum())}
    region = rk.load_region(folder / "parquet")
    if name == "facts":
        t = time.perf_counter()
        facts(region, 2026)
        return {"seconds": time.perf_counter() - t, "peak_mb": _peak_mb()}
    if name == "facts_by_district":
        t = time.perf_counter()
        for d in region.districts:
            facts(region, 2026, d)
        return {"seconds": time.perf_counter() - t, "peak_mb": _peak_mb(), "districts": len(region.districts)}
    raise SystemExit(f"unknown phase {name}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--persons", type=int, default=1_000_000)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--phase")
    ap.add_argument("--dir", type=Path)
    args = ap.parse_args()
    if args.phase:
        print(json.dumps(phase(args.phase, args.dir)))
        return

    from reliefkit.sample.files import write_region
    from reliefkit.sample.synthetic import synthetic_tables

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t = time.perf_counter()
        tables = synthetic_tables(args.persons, seed=1)
        gen = time.perf_counter() - t
        write_region(tables, folder / "parquet", fmt="parquet")
        write_region(tables, folder / "csv", fmt="csv")
        sizes = {k: len(v) for k, v in tables.items()}
        del tables
        print(f"region: {sizes} (generated in {gen:.1f} s)")
        print(f"{'phase':<22}{'median s':>10}{'min s':>9}{'max s':>9}{'peak MB':>10}")
        for name in ("parquet", "csv", "facts", "facts_by_district"):
            runs = []
            for _ in range(args.reps):
                out = subprocess.run([sys.executable, __file__, "--phase", name, "--dir", str(folder)],
                                     capture_output=True, text=True, check=True)
                runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
            secs = [r["seconds"] for r in runs]
            label = {"parquet": "read+validate parquet", "csv": "read+validate csv",
                     "facts": "facts (region)", "facts_by_district": "facts (each district)"}[name]
            print(f"{label:<22}{statistics.median(secs):>10.2f}{min(secs):>9.2f}{max(secs):>9.2f}"
                  f"{max(r['peak_mb'] for r in runs):>10.0f}")


if __name__ == "__main__":
    main()

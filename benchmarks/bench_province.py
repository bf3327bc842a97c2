"""Cost that grows with the work: preparing a region once, then one district at a time.

For synthetic regions of several sizes (default 25,000 and 1,000,000 persons, 40
districts, written as Parquet), side by side in one run, prints medians of ``--reps``:

- ``prepare``: validating the region once into a store (``reliefkit prepare``), seconds
  and the peak memory of the process that does it;
- ``district load+facts``: ``load_region(store, district=d)`` and ``facts`` for the
  region's smallest district ``d``, and the same from the folder (which validates the
  whole region) — the store's time should follow the district's size, not the region's;
- ``notebooks``: ``reliefkit run --district d`` (three notebooks, warm kernels, 1 job)
  on the store, seconds, and the peak memory of its largest process (the run itself reads the
  whole region for the index and the manifest; the district's kernels read only the district).

    python benchmarks/bench_province.py [--persons 25000 1000000] [--reps 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
YEAR = 2026

_PEAK = ("import resource, runpy, sys; sys.argv = sys.argv[1:]; "
         "code = 0\ntry:\n    runpy.run_path(sys.argv[0], run_name='__main__')\nexcept SystemExit as e:\n"
         "    code = e.code or 0\nprint('PEAK_KB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "
         "file=sys.stderr)\nsys.exit(code)")


def _timed(cmd: list[str]) -> tuple[float, float]:
    """Seconds and peak resident memory (MB) of a command run through this Python."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _PEAK, *cmd], capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr[-2000:]}")
    peak = [int(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("PEAK_KB")]
    return seconds, (peak[-1] / 1024 if peak else float("nan"))


def _children_peak(cmd: list[str]) -> tuple[float, float]:
    """Seconds of a command and the peak memory of its largest child (kernels, workers)."""
    import resource

    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr[-2000:]}")
    return seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def one_region(persons: int, reps: int, tmp: Path) -> dict[str, float | int | str]:
    from reliefkit import facts, load_region
    from reliefkit.sample import synthetic_tables, write_region

    folder, store = tmp / f"region-{persons}", tmp / f"store-{persons}"
    write_region(synthetic_tables(persons, seed=3, n_districts=40), folder, fmt="parquet")
    prepare = [_timed([str(BIN / "reliefkit"), "prepare", str(folder), "--store", str(store), "--force"])
               for _ in range(reps)]
    region = load_region(store)
    sizes = region.persons.merge(region.households[["household_id", "district"]], on="household_id")
    district = str(sizes["district"].value_counts().idxmin())
    n_district = int((sizes["district"] == district).sum())

    def load_facts(source: Path) -> float:
        start = time.perf_counter()
        facts(load_region(source, district=district), YEAR)
        return time.perf_counter() - start

    from_store = [load_facts(store) for _ in range(reps)]
    from_folder = [load_facts(folder) for _ in range(min(reps, 2))]
    runs = [_children_peak([str(BIN / "reliefkit"), "run", str(store), "--year", str(YEAR), "--district",
                            district, "--out", str(tmp / f"out-{persons}-{i}"), "--jobs", "1", "--no-progress"])
            for i in range(reps)]
    return {"persons": persons, "district": district, "district_persons": n_district,
            "prepare_s": _median([s for s, _ in prepare]), "prepare_peak_mb": max(m for _, m in prepare),
            "district_store_s": _median(from_store), "district_folder_s": _median(from_folder),
            "notebooks_s": _median([s for s, _ in runs]), "notebooks_peak_mb": max(m for _, m in runs)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, nargs="+", default=[25_000, 1_000_000])
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        rows = [one_region(n, args.reps, Path(tmp)) for n in args.persons]
    base = rows[0]
    print(f"{'persons':>10} {'prepare s':>10} {'peak MB':>8} {'district':>9} {'store s':>8} {'folder s':>9} "
          f"{'per 1k persons (ratio)':>23} {'3 notebooks s':>14} {'run peak MB':>12}")
    for r in rows:
        per_k = r["district_store_s"] / r["district_persons"] * 1000
        base_k = base["district_store_s"] / base["district_persons"] * 1000
        print(f"{r['persons']:>10,} {r['prepare_s']:>10.2f} {r['prepare_peak_mb']:>8.0f} {r['district_persons']:>9,} "
              f"{r['district_store_s']:>8.3f} {r['district_folder_s']:>9.2f} {per_k:>14.4f} ({per_k / base_k:>5.2f}) "
              f"{r['notebooks_s']:>14.1f} {r['notebooks_peak_mb']:>12.0f}")
    print(json.dumps(rows, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

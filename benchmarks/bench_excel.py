"""Benchmark of reading Excel: load_region + facts from CSV, from XLSX with openpyxl, from XLSX with calamine.

Prints the median of ``--reps`` runs (default 5) of ``load_region(folder)`` followed by
``facts(region, 2026)``, for the bundled sample and for a synthetic region of about 3,000
households, each written as CSV and as XLSX; and the ratios. The old openpyxl reader is
selected with the environment variable ``RELIEFKIT_XLSX_READER=openpyxl``
(:mod:`reliefkit.io.xlsx`), read at every call, so both readers run in this process.

    python benchmarks/bench_excel.py [--reps 5] [--households 3000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import pandas as pd

READER_ENV = "RELIEFKIT_XLSX_READER"
REPO = Path(__file__).resolve().parents[1]


def timed(folder: Path, reader: str | None, reps: int) -> float:
    """Median seconds of load_region + facts over ``reps`` runs with the given xlsx reader."""
    import reliefkit as rk

    if reader:
        os.environ[READER_ENV] = reader
    else:
        os.environ.pop(READER_ENV, None)
    try:
        secs = []
        for _ in range(reps):
            t = time.perf_counter()
            region = rk.load_region(folder)
            rk.facts(region, 2026)
            secs.append(time.perf_counter() - t)
        assert region.validation.clean, region.validation.problems.head()
        return statistics.median(secs)
    finally:
        os.environ.pop(READER_ENV, None)


def regions(base: Path, households: int) -> dict[str, dict[str, Path]]:
    """Write the sample and a synthetic region as CSV and as XLSX under ``base``."""
    import reliefkit as rk
    from reliefkit.io.writing import write_tables
    from reliefkit.sample import synthetic_tables, write_region

    out = {}
    write_region(synthetic_tables(int((households - 16) * 2.3)), base / "synthetic" / "csv")
    for name, csv in (("sample", REPO / "data" / "sample"), ("synthetic", base / "synthetic" / "csv")):
        region = rk.load_region(csv)
        write_tables(region.tables, base / name / "xlsx", "xlsx")
        out[name] = {"csv": csv, "xlsx": base / name / "xlsx", "households": len(region.households),
                     "persons": len(region.persons)}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--households", type=int, default=3000)
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, r in regions(Path(tmp), args.households).items():
            csv = timed(r["csv"], None, args.reps)
            old = timed(r["xlsx"], "openpyxl", args.reps)
            new = timed(r["xlsx"], None, args.reps)
            rows.append({"region": f"{name} ({r['households']:,} households, {r['persons']:,} persons)",
                         "csv_s": round(csv, 2), "xlsx_openpyxl_s": round(old, 2), "xlsx_calamine_s": round(new, 2),
                         "openpyxl/calamine": round(old / new, 1), "calamine/csv": round(new / csv, 2)})
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(f"load_region + facts(2026), median of {args.reps}:")
        print(pd.DataFrame(rows).to_string(index=False))


if __name__ == "__main__":
    main()

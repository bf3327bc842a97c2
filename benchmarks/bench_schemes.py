"""Benchmark of scheme comparison (issue 3, item 8): prints figures, is not a test.

    python benchmarks/bench_schemes.py [--persons 10000000] [--reps 3] [--data DIR]

1. A synthetic region (:func:`reliefkit.sample.synthetic.synthetic_tables`) is written once as a
   Parquet region folder (text columns, as DATA.md spells them) and reused afterwards.
2. The tables a comparison reads (households, persons, enrolments) are read into typed
   frames with a vectorized pyarrow cast (the validation of ``load_region`` is timed by
   the foundation benchmark, not here) and wrapped in a Region; its row links (persons →
   households, enrolments → persons), which ``load_region`` finds while validating, are
   computed once.
3. Timed, median of ``--reps`` runs, each from the typed frames with nothing cached:
   - the reference scheme with all measures: ``prepare`` + ``simulate`` + ``measures``,
     with the Region's row links, and again joining the ids from scratch each run;
   - the breakdown by district (and all four breakdowns) of that evaluation;
   - one district as its own scope (``Region.district`` + the same evaluation);
   - a sweep of 100 rural lines (``prepare`` + sort once + prefix sums);
   - anchor 1: a hand-written numpy kernel (ids joined with one pyarrow hash lookup,
     group sums with ``np.bincount``) computing the DATA.md figures;
   - anchor 2: the same figures as one DuckDB SQL query over the same Arrow tables.
   The anchors' figures are checked against the package's.
4. Peak memory (max RSS) of the timing process.

Targets: evaluation ≤ 2 × the faster anchor; 100-line sweep ≤ 5 × one evaluation;
peak ≤ 6 GB. Needs ``pip install -e '.[bench]'`` (duckdb).
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from reliefkit.simulate.compare import compare  # noqa: E402
from reliefkit.figures.facts import year_end  # noqa: E402
from reliefkit.simulate.measures import REFERENCE_KEYS, breakdown, measures  # noqa: E402
from reliefkit.policy.parameters import baseline_policy  # noqa: E402
from reliefkit.region.region import Region  # noqa: E402
from reliefkit.io.schema import TABLES  # noqa: E402
from reliefkit.simulate.prepared import prepare  # noqa: E402
from reliefkit.simulate.simulation import simulate  # noqa: E402
from reliefkit.simulate.sweep import sweep  # noqa: E402
from reliefkit.io.validation import ValidationResult, empty_frame  # noqa: E402

YEAR = 2026
#: the tables a scheme comparison reads (payments, helpers and pairings are not loaded)
NEEDED = ("households", "persons", "enrolments")


def peak_gb() -> float:
    """Max resident set size of this process so far, GB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e9


def timed(fn: Callable[[], Any], reps: int) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(reps):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


# --------------------------------------------------------------------------- data
def generate(n_persons: int, folder: Path) -> None:
    from reliefkit.sample.files import write_region
    from reliefkit.sample.synthetic import synthetic_tables

    t = time.perf_counter()
    tables = synthetic_tables(n_persons, seed=3)
    t1 = time.perf_counter()
    write_region(tables, folder, fmt="parquet")
    print(f"generated {n_persons:,} persons in {t1 - t:.1f} s, wrote Parquet in {time.perf_counter() - t1:.1f} s "
          f"→ {folder}")


def _typed_column(arr: Any, kind: str) -> Any:
    import pyarrow as pa
    import pyarrow.compute as pc

    if kind == "date":
        return pd.Series(pc.strptime(arr, format="%Y-%m-%d", unit="s").to_numpy(zero_copy_only=False))
    if kind == "bool":
        values = pc.fill_null(pc.equal(pc.utf8_lower(arr), "true"), False).to_numpy(zero_copy_only=False)
        return pd.Series(pd.arrays.BooleanArray(values, arr.is_null().to_numpy(zero_copy_only=False)))
    if kind == "number":
        return pd.Series(pc.cast(arr, pa.float64()).to_numpy(zero_copy_only=False))
    if kind == "int":
        return pd.Series(pd.array(pc.cast(arr, pa.int64()).to_pandas(), dtype="Int64"))
    return pd.Series(pd.array(arr, dtype="str"))


def load_typed(folder: Path) -> Region:
    """The Parquet region as typed canonical frames, without validation."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    frames = {}
    for table in TABLES:
        if table.name not in NEEDED:  # what comparing schemes never reads stays on disk
            frames[table.name] = empty_frame(table)
            continue
        columns = {}
        with pq.ParquetFile(folder / f"{table.name}.parquet") as f:
            for c in table.columns:  # one column at a time, returning Arrow's memory as we go
                columns[c.name] = _typed_column(f.read(columns=[c.name]).column(0).combine_chunks(), c.kind)
                pa.default_memory_pool().release_unused()
        frames[table.name] = pd.DataFrame(columns, copy=False)
    tables = pd.DataFrame({"table": list(frames), "quarantined": 0})
    parts = {"frames": frames, "problems": pd.DataFrame({"severity": pd.Series(dtype="str")}), "tables": tables}
    validation = ValidationResult(**{f.name: parts.get(f.name, {}) for f in dataclasses.fields(ValidationResult)})
    f = frames
    return Region(f["households"], f["persons"], f["enrolments"], f["payments"], f["helpers"], f["pairings"],
                  baseline_policy(), validation, folder.name, None, folder)


# --------------------------------------------------------------------------- the package
def forget_links(region: Region) -> Region:
    """A copy of ``region`` without its row links, so that its use joins the ids again
    (``region`` itself keeps its links for the other measurements)."""
    return dataclasses.replace(region)


def package_eval(region: Region) -> dict:
    base = prepare(region, YEAR, cache=False)
    return measures(simulate(base))


def package_breakdowns(region: Region, only_district: bool) -> pd.DataFrame:
    sim = simulate(prepare(region, YEAR, cache=False))
    measures(sim)
    if only_district:
        return breakdown(sim, "district")
    return pd.concat([breakdown(sim, by) for by in ("district", "area", "main_cause", "decile")])


def package_sweep(region: Region, lines: np.ndarray) -> pd.DataFrame:
    return sweep(prepare(region, YEAR, cache=False), lines=lines)


# --------------------------------------------------------------------------- anchors
def numpy_anchor(region: Region, z_rural: float, z_urban: float) -> dict:
    """The DATA.md figures with a hand-written kernel: one hash lookup of ids, then
    ``np.bincount`` group sums; no pandas group-by, no Python loop over rows."""
    import pyarrow as pa
    import pyarrow.compute as pc

    D = np.datetime64(year_end(YEAR).date(), "s")
    hh, p, e = region.households, region.persons, region.enrolments
    pos = pc.index_in(pa.array(p["household_id"].array), value_set=pa.array(hh["household_id"].array))
    pos = pos.fill_null(-1).to_numpy(zero_copy_only=False)
    dec = p["deceased_on"].to_numpy()
    alive = (np.isnat(dec) | (dec > D)) & (pos >= 0)
    nh = len(hh)
    n = np.bincount(pos[alive], minlength=nh)
    public = p["public_employee"].to_numpy(dtype=bool, na_value=False)
    pe = np.bincount(pos[alive & public], minlength=nh) > 0
    end = e["end_date"].to_numpy()
    on = ((e["start_date"].to_numpy() <= D) & (np.isnat(end) | (end > D))
          & e["program"].isin(["rural_dibao", "urban_dibao"]).to_numpy())
    ids = pa.array(e["person_id"].array).filter(pa.array(on))
    paid = pc.is_in(pa.array(p["person_id"].array), value_set=pc.unique(ids)).to_numpy(zero_copy_only=False)
    reg = np.bincount(pos[alive & paid], minlength=nh) > 0
    keep = n > 0
    n, pe, reg = n[keep].astype(float), pe[keep], reg[keep]
    y = hh["annual_income"].to_numpy()[keep] / n / 12
    z = np.where((hh["area"] == "rural").to_numpy()[keep], z_rural, z_urban)
    blocked = hh["has_vehicle"].to_numpy(dtype=bool, na_value=False)[keep] | pe
    poor = y < z
    elig = poor & ~blocked
    gap = np.where(poor, (z - y) / z, 0.0)
    stay = poor & blocked
    N, npoor = n.sum(), (n * poor).sum()
    nreg = (n * reg).sum()
    return {
        "households": int(elig.sum()), "persons": int((n * elig).sum()),
        "cost_year": 12 * ((z - y) * n)[elig].sum(),
        "p0_before": npoor / N, "p1_before": (n * gap).sum() / N, "p2_before": (n * gap * gap).sum() / N,
        "p0_after": (n * stay).sum() / N, "p1_after": (n * gap * stay).sum() / N,
        "p2_after": (n * gap * gap * stay).sum() / N,
        "exclusion_error": (n * stay).sum() / npoor if npoor else 0.0,
        "inclusion_error": 0.0,
        "registry_exclusion_error": (n * (poor & ~reg)).sum() / npoor if npoor else 0.0,
        "registry_inclusion_error": (n * (reg & ~poor)).sum() / nreg if nreg else 0.0,
    }


DUCKDB_SQL = """
with alive as (
    select person_id, household_id, coalesce(public_employee, false) as pe
    from persons where deceased_on is null or deceased_on > $d
), paid as (
    select distinct person_id from enrolments
    where program in ('rural_dibao', 'urban_dibao') and start_date <= $d and (end_date is null or end_date > $d)
), sizes as (
    select a.household_id, count(*) as n, bool_or(a.pe) as pe, count(paid.person_id) > 0 as reg
    from alive a left join paid using (person_id) group by a.household_id
), h as (
    select s.n, h.annual_income / s.n / 12 as y,
           case when h.area = 'rural' then $zr else $zu end as z,
           coalesce(h.has_vehicle, false) or s.pe as blocked, s.reg
    from households h join sizes s using (household_id)
), f as (
    select n, y, z, blocked, reg, y < z as poor, (y < z and not blocked) as elig,
           case when y < z then (z - y) / z else 0 end as g from h
)
select count(*) filter (where elig) as households,
       coalesce(sum(n) filter (where elig), 0) as persons,
       12 * coalesce(sum((z - y) * n) filter (where elig), 0) as cost_year,
       sum(n * poor::int) / sum(n) as p0_before,
       sum(n * g) / sum(n) as p1_before,
       sum(n * g * g) / sum(n) as p2_before,
       coalesce(sum(n) filter (where poor and blocked), 0) / sum(n) as p0_after,
       coalesce(sum(n * g) filter (where poor and blocked), 0) / sum(n) as p1_after,
       coalesce(sum(n * g * g) filter (where poor and blocked), 0) / sum(n) as p2_after,
       coalesce(sum(n) filter (where poor and blocked), 0) / nullif(sum(n) filter (where poor), 0) as exclusion_error,
       coalesce(sum(n) filter (where elig and not poor), 0) / nullif(sum(n) filter (where elig), 0) as inclusion_error,
       coalesce(sum(n) filter (where poor and not reg), 0) / nullif(sum(n) filter (where poor), 0)
           as registry_exclusion_error,
       coalesce(sum(n) filter (where reg and not poor), 0) / nullif(sum(n) filter (where reg), 0)
           as registry_inclusion_error
from f
"""


def duckdb_setup(region: Region) -> Any:
    import duckdb
    import pyarrow as pa

    con = duckdb.connect()
    for name in ("households", "persons", "enrolments"):
        frame = getattr(region, name)
        cols = {c: pa.array(frame[c].array) if frame[c].dtype == "str" else pa.array(frame[c]) for c in frame.columns}
        con.register(name, pa.table(cols))
    return con


def duckdb_anchor(con: Any, z_rural: float, z_urban: float) -> dict:
    cur = con.execute(DUCKDB_SQL, {"d": year_end(YEAR).to_pydatetime(), "zr": z_rural, "zu": z_urban})
    names = [d[0] for d in cur.description]
    row = cur.fetchone()
    return {k: (0.0 if v is None else float(v)) for k, v in zip(names, row)}


def check(name: str, got: dict, want: dict) -> None:
    bad = {k: (got[k], want[k]) for k in got
           if not math.isclose(float(got[k]), float(want[k]), rel_tol=1e-9, abs_tol=1e-9)}
    print(f"  {name} figures {'= package' if not bad else 'DIFFER: ' + repr(bad)}")


# --------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--persons", type=int, default=10_000_000)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--lines", type=int, default=100)
    ap.add_argument("--data", type=Path, default=None, help="folder of the Parquet region (default reports/bench-…)")
    ap.add_argument("--generate-only", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    folder = args.data or REPO / "reports" / f"bench-schemes-{args.persons}"
    if args.generate_only:
        generate(args.persons, folder)
        return
    if not (folder / "persons.parquet").exists():  # in a child process: its memory is not ours
        subprocess.run([sys.executable, __file__, "--persons", str(args.persons), "--data", str(folder),
                        "--generate-only"], check=True)

    t = time.perf_counter()
    region = load_typed(folder)
    t1 = time.perf_counter()
    links = region.links  # lazy: compute the two a comparison reads, as load_region seeds them from validation
    links.person_household, links.enrolment_person  # noqa: B018
    print(f"typed Parquet read in {t1 - t:.1f} s, row links in {time.perf_counter() - t1:.1f} s: {region!r}")
    print(f"peak memory after reading: {peak_gb():.2f} GB")
    policy = region.policy
    day = year_end(YEAR).date()
    zr, zu = float(policy.value("rural_dibao.line", day)), float(policy.value("urban_dibao.line", day))
    reps = args.reps
    lines = np.linspace(50, 350, args.lines)
    try:
        import duckdb

        con = duckdb_setup(region)
    except ImportError:
        duckdb, con = None, None
        print("DuckDB not installed (pip install -e '.[bench]'): that anchor is skipped")

    # the package and the anchors take turns in every repetition, so that a busy machine
    # slows them alike
    jobs: dict[str, Callable[[], Any]] = {
        "eval": lambda: package_eval(region),
        "eval_join": lambda: package_eval(forget_links(region)),
        "numpy": lambda: numpy_anchor(region, zr, zu),
        "eval_by_district": lambda: package_breakdowns(region, True),
        "sweep": lambda: package_sweep(region, lines),
    }
    if con is not None:
        jobs["duckdb"] = lambda: duckdb_anchor(con, zr, zu)
    times: dict[str, list[float]] = {k: [] for k in jobs}
    out: dict[str, Any] = {}
    for _ in range(reps):
        for name, fn in jobs.items():
            t = time.perf_counter()
            out[name] = fn()
            times[name].append(time.perf_counter() - t)
    r = {k: statistics.median(v) for k, v in times.items()}
    figures = out["eval"]

    def show(k: str) -> str:
        return f"{r[k]:.3f} s (runs: {', '.join(f'{t:.2f}' for t in times[k])})"

    print("\nreference scheme, region, all measures (prepare + simulate + measures):")
    print(f"  with the row links load_region finds while validating: {show('eval')}")
    print(f"  joining the ids again (links dropped before each run): {show('eval_join')}")
    print("  " + ", ".join(f"{k}={figures[k]:.6g}" if isinstance(figures[k], float) else f"{k}={figures[k]}"
                           for k in REFERENCE_KEYS))
    parts: dict[str, list[float]] = {"prepare": [], "simulate": [], "measures": []}
    for _ in range(reps):  # each from scratch: nothing computed lazily is reused
        t0 = time.perf_counter()
        base = prepare(region, YEAR, cache=False)
        t1 = time.perf_counter()
        sim = simulate(base)
        t2 = time.perf_counter()
        measures(sim)
        t3 = time.perf_counter()
        for k, v in zip(parts, (t1 - t0, t2 - t1, t3 - t2)):
            parts[k].append(v)
    print("  of which " + ", ".join(f"{k} {statistics.median(v):.3f} s" for k, v in parts.items()))
    print(f"reference scheme + all measures + breakdown by district, from the frames: {show('eval_by_district')}")
    r["all_breakdowns"], _ = timed(lambda: package_breakdowns(region, False), reps)
    print(f"reference scheme + all measures + all four breakdowns (district, area, main cause, decile): "
          f"{r['all_breakdowns']:.3f} s")
    print(f"sweep of {args.lines} rural lines {lines[0]:.0f}–{lines[-1]:.0f} (prepare + sort once + prefix sums): "
          f"{show('sweep')}")
    table = out["sweep"]
    at = table.iloc[int(np.argmin(np.abs(table["line"] - zr)))]
    print(f"  sweep row at line {at['line']:.2f}: cost {at['cost_year']:,.2f}, p0_after {at['p0_after']:.6g}")

    first = region.districts[0]
    r["one_district"], _ = timed(lambda: package_eval(region.district(first)), 1)
    print(f"one district as its own scope ({first}: Region.district + evaluation, 1 run): {r['one_district']:.3f} s")
    r["compare2"], _ = timed(lambda: compare(region, YEAR, [{"name": "r180", "set": {"rural_dibao.line": 180}}]), 1)
    print(f"compare baseline + 1 scheme, every table (1 run): {r['compare2']:.3f} s")

    print("\nanchors of the single evaluation (the DATA.md figures, from the same frames):")
    print(f"  numpy bincount kernel: {show('numpy')}")
    check("numpy", out["numpy"], figures)
    if con is not None:
        threads = con.execute("select current_setting('threads')").fetchone()[0]
        print(f"  DuckDB {duckdb.__version__} SQL ({threads} threads): {show('duckdb')}")
        check("duckdb", out["duckdb"], figures)
    fastest = min(v for k, v in r.items() if k in ("numpy", "duckdb"))
    print(f"\nsummary (medians of {reps} runs)")
    print(f"  evaluation / faster anchor: {r['eval'] / fastest:.2f} (target ≤ 2)")
    print(f"  evaluation joining the ids again / faster anchor: {r['eval_join'] / fastest:.2f}")
    print(f"  evaluation + by district / faster anchor: {r['eval_by_district'] / fastest:.2f}")
    print(f"  {args.lines}-line sweep / one evaluation: {r['sweep'] / r['eval']:.2f} (target ≤ 5)")
    print(f"  peak memory: {peak_gb():.2f} GB (target ≤ 6)")


if __name__ == "__main__":
    main()

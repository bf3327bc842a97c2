"""``reliefkit run``: validate the region, run the notebooks for every district and the
whole region, write the index page, say what failed.

The region is read and validated once per run, into a store in the year's output folder
(``<out>/<year>/.store/``, :mod:`reliefkit.store`; reused while the region's files are
unchanged), which the facts, the index, the manifest and every notebook read (the
notebooks are told ``region_dir="../.store"``). A store given instead of a folder is
read as it is.

The arguments are declared here (:func:`add_arguments`) and the command is
:func:`run_command`; ``reliefkit.cli.main`` wires both in. Exit code 0 when every notebook ran
(or was up to date) and the data had no quarantined rows; 1 otherwise; 128 + the signal's
number when SIGINT or SIGTERM stopped it (the next run resumes, see
:mod:`reliefkit.run.interrupt`).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

__all__ = ["add_arguments", "run_command", "SUMMARY_KEYS"]

#: the facts printed per scope before the notebooks run
SUMMARY_KEYS = ("households.registered", "rural_dibao.persons", "urban_dibao.persons", "tekun.persons",
                "temporary.amount", "pairing.unpaired_needy")


def add_arguments(r: argparse.ArgumentParser) -> None:
    """The options of ``reliefkit run``."""
    from reliefkit.store.location import as_location

    r.add_argument("region_dir", type=as_location, nargs="?", default=None,
                   help="region folder, or a store of one (`reliefkit prepare`), or its URL (default data/sample)")
    r.add_argument("--store", type=as_location, default=None, metavar="DIR|URL",
                   help="the store to read (s3://bucket/store, a folder); with a region folder, built there first")
    r.add_argument("--year", type=int, default=2026, help="the year (default 2026)")
    r.add_argument("--district", action="extend", nargs="+", default=None, metavar="NAME",
                   help="only these districts (default: every district and the whole region)")
    r.add_argument("--notebook", action="extend", nargs="+", default=None, metavar="NB",
                   help="only these notebooks: a number (03), a name (year-end-summary) or a path "
                        "(default: the three of notebooks/)")
    r.add_argument("--jobs", "-j", type=int, default=None, metavar="N",
                   help="notebooks run in parallel (default: the machine's cores; 0: one by one in this process)")
    r.add_argument("--out", type=as_location, default=Path("reports"),
                   help="output folder or URL (s3://bucket/reports) (default reports)")
    r.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the outputs (default zh)")
    r.add_argument("--scheme", action="append", type=Path, default=None, metavar="FILE",
                   help="scheme files for the comparison notebook (default: the notebook's own)")
    r.add_argument("--timeout", type=float, default=600, metavar="SECONDS",
                   help="per-cell timeout (default 600; 0 = none)")
    r.add_argument("--force", action="store_true", help="run notebooks whose outputs are up to date too")
    r.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="run the notebooks on this Dask distributed scheduler (tcp://host:8786)")
    r.add_argument("--no-progress", action="store_true", help="no progress bar (one line per notebook instead)")


def _shown(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # pragma: no cover - another drive on Windows
        return str(path)


def _print_facts(all_facts: dict[str, dict], year: int) -> None:
    print(f"\nFacts {year}:")
    print(f"{'scope':<14}" + "".join(f"{k:>24}" for k in SUMMARY_KEYS))
    for scope, f in all_facts.items():
        print(f"{scope:<14}" + "".join(f"{f[k]:>24,}" for k in SUMMARY_KEYS))


class _Progress:
    """A tqdm bar on a terminal; one line per finished notebook otherwise."""

    def __init__(self, total: int, bar: bool) -> None:
        self.total, self.done = total, 0
        self.bar = None
        if bar:
            import shutil

            from tqdm import tqdm

            size = shutil.get_terminal_size((100, 24))  # a pty may report 0 × 0, tqdm then draws nothing
            self.bar = tqdm(total=total, unit="nb", desc="notebooks", file=sys.stderr,
                            ncols=min(size.columns or 100, 120), nrows=max(size.lines, 5))

    def __call__(self, result) -> None:  # noqa: ANN001 - JobResult
        self.done += 1
        tag = {"ok": "done", "skipped": "up to date", "failed": "FAILED"}[result.status]
        if self.bar is not None:
            self.bar.set_postfix_str(f"{result.job.name} {tag}", refresh=False)
            self.bar.update(1)
        else:
            took = f" ({result.seconds:.1f} s)" if result.status != "skipped" else ""
            print(f"[{self.done:>{len(str(self.total))}}/{self.total}] {tag:<10} {result.job.name}{took}", flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def run_command(args: argparse.Namespace, print_validation: Callable, write_problems: Callable) -> int:
    """Run ``reliefkit run`` (see the module's notes)."""
    from reliefkit.figures.facts import facts
    from reliefkit.report.summary_figures import region_figures_ahead
    from reliefkit.run.index import scope_facts, write_index
    from reliefkit.region.region import load_region
    from reliefkit.run.discovery import find_notebooks
    from reliefkit.run.executors import run
    from reliefkit.run.planning import STORE_FOLDER, plan
    from reliefkit.store.build import ensure_store, is_store

    from reliefkit.io.reading import find_table_files

    notebooks = find_notebooks(args.notebook)  # a bad name fails before the region is read
    from reliefkit.run.cluster import prepare_locations

    # a store or outputs at a URL (reliefkit.run.cluster): read and write a local copy here, jobs staged
    args.region_dir, args.out, staging = prepare_locations(args.region_dir, args.store, args.out, args.year)
    if not is_store(args.region_dir):
        find_table_files(args.region_dir)  # not a folder: fails before anything is written
    year_dir = args.out / str(args.year)
    year_dir.mkdir(parents=True, exist_ok=True)
    store = args.region_dir if is_store(args.region_dir) else year_dir / STORE_FOLDER
    if store != args.region_dir:
        ensure_store(args.region_dir, store)  # validated once per run; reused while the files are unchanged
    region = load_region(store)
    print_validation(region.validation, args.region_dir)
    write_problems(region.validation.problems, year_dir / "problems.csv")
    districts = [region.district(d).scope for d in args.district] if args.district else list(region.districts)
    scopes = districts if args.district else [None, *districts]
    region_figures_ahead(region, args.year)  # once, into the store: no district's kernel reads the whole region
    all_facts = {s or "(region)": facts(region, args.year, s) for s in scopes}
    from reliefkit.safety.atomic import atomic_write_text

    atomic_write_text(year_dir / "facts.json", json.dumps(all_facts, ensure_ascii=False, indent=2))
    _print_facts(all_facts, args.year)

    jobs = plan(store, args.year, scopes, notebooks, args.out, lang=args.lang, schemes=args.scheme,
                timeout=args.timeout or None)
    if args.scheduler:
        where = f"on the Dask scheduler {args.scheduler}"
    elif args.jobs == 0:
        where = "one by one in this process"
    else:
        where = f"in {min(args.jobs or os.cpu_count() or 1, len(jobs))} parallel job(s)"
    print(f"\nRunning {len(notebooks)} notebook(s) × {len(scopes)} scope(s) {where} into {_shown(year_dir)}/")
    progress = _Progress(len(jobs), bar=not args.no_progress and sys.stderr.isatty())
    try:
        report = run(jobs, n_jobs=args.jobs, force=args.force, scheduler=args.scheduler, on_result=progress,
                     staging=staging)
    finally:
        progress.close()
    if staging is not None:
        staging.collect(year_dir, report.results)  # outputs at a URL: here too, for the index and the gate
    index = write_index(year_dir, region, args.year, report.results, args.lang,
                        {s: scope_facts(region, args.year, s) for s in scopes})
    c = report.counts()
    print(f"\nNotebooks: {c['ok']} run, {c['skipped']} up to date, {c['failed']} failed "
          f"({report.seconds:.1f} s). Index: {_shown(index)}")
    from reliefkit.run.manifest import build_manifest, write_manifest
    from reliefkit.safety.privacy import scan_outputs

    params = {"year": args.year, "scopes": [s or "(region)" for s in scopes], "lang": args.lang,
              "notebooks": [Path(n).name for n in notebooks], "timeout": args.timeout}
    write_manifest(year_dir, build_manifest(region, params, scheme_files=args.scheme or (), portable=True))
    if staging is not None:
        staging.publish(year_dir)  # index, facts, problems, manifest to the output URL
    leaks = scan_outputs(year_dir, region.persons["name"])  # the privacy gate: nothing unmasked leaves
    if len(leaks):
        print(f"\nPrivacy gate: {len(leaks)} unmasked identifier(s) or name(s) in the outputs "
              "(shown masked); the run fails:", file=sys.stderr)
        for r in leaks.head(20).itertuples():
            print(f"  {r.file} {r.where}: {r.kind} {r.value}", file=sys.stderr)
        return 1
    print("Privacy gate: no unmasked identifier or name in the outputs; manifest.json written.")
    if report.failed:
        print(f"\n{len(report.failed)} notebook(s) failed; the others were written:", file=sys.stderr)
        for r in report.failed:
            print(f"  FAILED {r.describe(_shown)}", file=sys.stderr)
        return 1
    return 0 if region.validation.clean else 1

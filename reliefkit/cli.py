"""The ``reliefkit`` command line: thin wrappers over the package's functions.

Exit codes: 0 success; 1 the data has problems (rows quarantined, a file unreadable);
2 the command could not run (bad arguments, a missing folder, a policy error).
Errors are printed as one readable line, never as a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Sequence

EXIT_OK, EXIT_PROBLEMS, EXIT_ERROR, EXIT_BUG = 0, 1, 2, 3


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="reliefkit",
        description="Registries of households in difficulty: validate, count, compare, summarise.",
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    v = sub.add_parser("validate", help="read and check a region folder; write the problems table")
    v.add_argument("region_dir", type=Path)
    v.add_argument("--problems", type=Path, default=None,
                   help="where to write the problems table (.csv or .xlsx; "
                        "default reports/<region>-problems.csv)")

    f = sub.add_parser("facts", help="print the figures of a year (shared/DATA.md) as JSON")
    f.add_argument("region_dir", type=Path)
    f.add_argument("--year", type=int, required=True)
    f.add_argument("--district", default=None, help="one district (default: the whole region)")

    c = sub.add_parser("compare", help="compare assistance schemes with the baseline (shared/DATA.md)")
    c.add_argument("region_dir", type=Path)
    c.add_argument("--year", type=int, required=True)
    c.add_argument("--district", default=None, help="one district (default: the whole region)")
    c.add_argument("--scheme", action="append", type=Path, default=[], metavar="FILE",
                   help="a scheme file (YAML: name, set); repeat for several")
    c.add_argument("--json", action="store_true", help='print {"schemes": [...]} as JSON')
    c.add_argument("--xlsx", type=Path, default=None, metavar="FILE", help="write every table to this workbook")

    s = sub.add_parser("sample-data", help="write the synthetic sample region")
    s.add_argument("out_dir", type=Path)
    s.add_argument("--seed", type=int, default=2026)

    r = sub.add_parser("run", help="the main job: validate the region and print its facts, "
                                   "for the region and every district")
    r.add_argument("region_dir", type=Path, nargs="?", default=Path("data/sample"))
    r.add_argument("--year", type=int, default=2026)
    r.add_argument("--out", type=Path, default=Path("reports"))
    return p


def _print_validation(result, region_dir: Path) -> None:  # noqa: ANN001 - ValidationResult
    import pandas as pd

    t = result.tables
    print(f"Region folder: {region_dir}")
    print(f"{'table':<12}{'file':<22}{'encoding':<11}{'status':<13}{'rows in':>9}{'accepted':>10}{'quarantined':>13}")
    for r in t.itertuples():
        print(f"{r.table:<12}{r.file or '-':<22}{r.encoding or r.sheet or '-':<11}{r.status:<13}"
              f"{r.rows_in:>9,}{r.accepted:>10,}{r.quarantined:>13,}")
    probs = result.problems
    if probs.empty:
        print("No problems found.")
        return
    errors = probs[probs["severity"] == "error"]
    print(f"\n{len(errors):,} error(s), {len(probs) - len(errors):,} warning(s). By reason:")
    for (table, reason), n in probs.groupby(["table", "reason"], sort=False).size().items():
        print(f"  {table:<12}{reason:<24}{n:>7,}")
    print("\nFirst problems:")
    for r in probs.head(20).itertuples():
        where = f"{r.file}" + (f" [{r.sheet}]" if r.sheet else "") + (f" row {r.row}" if pd.notna(r.row) else "")
        col = f", column {r.column}" if r.column else ""
        print(f"  {where}{col}: {r.message}")
    if len(probs) > 20:
        print(f"  … and {len(probs) - 20:,} more in the problems table.")


def _write_problems(problems, path: Path) -> None:  # noqa: ANN001 - DataFrame
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".xlsx":
        problems.to_excel(path, index=False, sheet_name="problems")
    else:
        problems.to_csv(path, index=False, encoding="utf-8-sig")


def cmd_validate(args: argparse.Namespace) -> int:
    from .validation import validate_folder

    result = validate_folder(args.region_dir)
    _print_validation(result, args.region_dir)
    out = args.problems or Path("reports") / f"{args.region_dir.resolve().name}-problems.csv"
    _write_problems(result.problems, out)
    print(f"\nProblems table written to {out}")
    return EXIT_OK if result.clean else EXIT_PROBLEMS


def _warn_quarantine(region) -> None:  # noqa: ANN001 - Region
    q = int(region.validation.tables["quarantined"].sum())
    if q:
        print(f"reliefkit: warning: {q:,} row(s) of {region.source} were quarantined and are not counted; "
              f"run `reliefkit validate {region.source}` to see them", file=sys.stderr)


def cmd_facts(args: argparse.Namespace) -> int:
    from .facts import facts
    from .region import load_region

    region = load_region(args.region_dir)
    _warn_quarantine(region)
    print(json.dumps(facts(region, args.year, args.district), ensure_ascii=False, indent=2))
    return EXIT_OK


def cmd_compare(args: argparse.Namespace) -> int:
    from .compare import compare
    from .region import load_region
    from .schemes import load_scheme

    schemes = [load_scheme(f) for f in args.scheme]  # a bad scheme file fails before the region is read
    region = load_region(args.region_dir)
    _warn_quarantine(region)
    result = compare(region, args.year, schemes, district=args.district)
    if args.xlsx:
        result.to_xlsx(args.xlsx)
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2, allow_nan=False))
    else:
        print(result.to_text())
    if args.xlsx:
        print(f"Every table written to {args.xlsx}", file=sys.stderr if args.json else sys.stdout)
    return EXIT_OK


def cmd_sample_data(args: argparse.Namespace) -> int:
    from .sample import write_sample_region

    write_sample_region(args.out_dir, seed=args.seed)
    print(f"Sample region written to {args.out_dir} (seed {args.seed})")
    return EXIT_OK


def cmd_run(args: argparse.Namespace) -> int:
    from .facts import facts
    from .region import load_region

    region = load_region(args.region_dir)
    _print_validation(region.validation, args.region_dir)
    out_dir = args.out / str(args.year)
    out_dir.mkdir(parents=True, exist_ok=True)
    _write_problems(region.validation.problems, out_dir / "problems.csv")
    scopes = [None, *region.districts]
    all_facts = {s or "(region)": facts(region, args.year, s) for s in scopes}
    (out_dir / "facts.json").write_text(json.dumps(all_facts, ensure_ascii=False, indent=2), encoding="utf-8")
    keys = ["households.registered", "rural_dibao.persons", "urban_dibao.persons", "tekun.persons",
            "temporary.amount", "pairing.unpaired_needy"]
    print(f"\nFacts {args.year}:")
    print(f"{'scope':<14}" + "".join(f"{k:>24}" for k in keys))
    for scope, f in all_facts.items():
        print(f"{scope:<14}" + "".join(f"{f[k]:>24,}" for k in keys))
    print(f"\nFacts of every scope written to {out_dir / 'facts.json'}")
    return EXIT_OK if region.validation.clean else EXIT_PROBLEMS


COMMANDS = {"validate": cmd_validate, "facts": cmd_facts, "compare": cmd_compare, "sample-data": cmd_sample_data,
            "run": cmd_run}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``reliefkit`` console script."""
    args = _parser().parse_args(argv)
    from .errors import ReliefkitError

    try:
        return COMMANDS[args.command](args)
    except ReliefkitError as e:
        print(f"reliefkit: error: {e}", file=sys.stderr)
        return EXIT_ERROR
    except OSError as e:
        print(f"reliefkit: error: {e.filename or ''}: {e.strerror or e}", file=sys.stderr)
        return EXIT_ERROR
    except Exception as e:  # a bug: say so plainly; RELIEFKIT_DEBUG=1 shows the traceback
        if os.environ.get("RELIEFKIT_DEBUG"):
            raise
        print(f"reliefkit: internal error ({type(e).__name__}) in `{args.command}`; this is a bug in "
              "reliefkit — rerun with RELIEFKIT_DEBUG=1 and report the traceback", file=sys.stderr)
        return EXIT_BUG


if __name__ == "__main__":
    sys.exit(main())

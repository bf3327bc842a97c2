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

__all__ = ["cmd_validate", "cmd_prepare", "cmd_facts", "cmd_compare", "cmd_summary", "cmd_publicity", "cmd_publish",
           "cmd_check_outputs", "cmd_sample_data", "cmd_run", "cmd_template", "cmd_explain", "cmd_monitor",
           "cmd_suggest_pairings", "COMMANDS", "main"]

EXIT_OK, EXIT_PROBLEMS, EXIT_ERROR, EXIT_BUG = 0, 1, 2, 3


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="reliefkit",
        description="Registries of households in difficulty: validate, count, compare, summarise.",
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    v = sub.add_parser("validate", help="read and check a region folder (or one .xlsx with a sheet per table); "
                                        "write the problems table")
    v.add_argument("region_dir", type=Path)
    v.add_argument("--problems", type=Path, default=None,
                   help="where to write the problems: FILE.csv, the problems table; FILE.xlsx, the workbook a "
                        "clerk fixes the ledger from (summary, every problem, the rows not accepted with the wrong "
                        "cells highlighted); default reports/<region>-problems.csv")
    v.add_argument("--lang", choices=("zh", "en"), default="zh",
                   help="the language of the report and of the workbook (default zh)")

    e = sub.add_parser("prepare", help="read and validate a region folder once into a store (Parquet by district) "
                                       "that every command, notebook and run reads instead of the folder")
    from reliefkit.store.location import as_location  # a URL (s3://bucket/store) stays text

    e.add_argument("region_dir", type=Path)
    e.add_argument("--store", type=as_location, required=True, metavar="DIR|URL",
                   help="the store's folder, or its URL (s3://bucket/store; reused while the region's files "
                        "are unchanged)")
    e.add_argument("--force", action="store_true", help="rebuild the store even when it is up to date")

    f = sub.add_parser("facts", help="print the figures of a year (docs/en/facts.md) as JSON")
    f.add_argument("region_dir", type=as_location, help="a region folder, a store, or a store's URL")
    f.add_argument("--year", type=int, required=True)
    f.add_argument("--district", default=None, help="one district (default: the whole region)")

    c = sub.add_parser("compare", help="compare assistance schemes with the baseline (docs/en/schemes.md)")
    c.add_argument("region_dir", type=Path)
    c.add_argument("--year", type=int, required=True)
    c.add_argument("--district", default=None, help="one district (default: the whole region)")
    c.add_argument("--scheme", action="append", type=Path, default=[], metavar="FILE",
                   help="a scheme file (YAML: name, set); repeat for several")
    c.add_argument("--json", action="store_true", help='print {"schemes": [...]} as JSON')
    c.add_argument("--xlsx", type=Path, default=None, metavar="FILE", help="write every table to this workbook")
    c.add_argument("--lang", choices=("zh", "en"), default="zh",
                   help="language of the table printed without --json, and of why the rule and the registry differ")
    c.add_argument("--yardstick", type=Path, default=None, metavar="FILE",
                   help="a scheme file whose lines are the fixed yardstick of the *_fixed figures (default: the baseline's)")

    y = sub.add_parser("summary", help="write the year-end summary (Markdown, HTML, DOCX) of the region or a district")
    y.add_argument("region_dir", type=Path)
    y.add_argument("--year", type=int, required=True)
    y.add_argument("--district", default=None, help="one district (default: the whole region)")
    y.add_argument("--lang", choices=("zh", "en"), default="zh")
    y.add_argument("--out", type=Path, default=Path("reports"), help="output folder (default reports)")
    y.add_argument("--name", default=None, help="what the text calls the scope, overriding its own name "
                                                  "(default: region.yaml's name, else the folder's; a district's name)")
    y.add_argument("--no-appendix", dest="appendix", action="store_false",
                   help="leave the figures' attachment (附件) out of the DOCX (Markdown and HTML keep it)")

    u = sub.add_parser("publicity", help="write the publicity lists (XLSX, DOCX) of households newly enrolled, per village")
    u.add_argument("region_dir", type=Path)
    u.add_argument("--year", type=int, required=True)
    u.add_argument("--program", required=True, help="rural_dibao, urban_dibao, tekun, marginal or registered_poor")
    u.add_argument("--out", type=Path, default=Path("reports"), help="output folder (default reports)")

    b = sub.add_parser("publish", help="write the statistical table for publication (CSV, XLSX): persons per "
                                       "programme and district (village), small cells suppressed")
    b.add_argument("region_dir", type=Path)
    b.add_argument("--year", type=int, required=True)
    b.add_argument("--district", default=None, help="one district, by village (default: the whole region, by district)")
    b.add_argument("--lang", choices=("zh", "en"), default="zh")
    b.add_argument("--threshold", type=int, default=None, metavar="N",
                   help="hide cells of 1 to N-1 persons (default: the policy's publication.min_cell, "
                        "5 in the baseline)")
    b.add_argument("--out", type=Path, default=Path("reports"), help="output folder (default reports)")
    b.add_argument("--name", default=None, help="what the title calls the scope (default: the folder's name)")

    k = sub.add_parser("check-outputs", help="scan an output folder for unmasked ID numbers, bank card numbers "
                                             "and registry names (exit 1 when any is found)")
    k.add_argument("out_dir", type=Path)
    k.add_argument("--region", type=Path, default=None, metavar="REGION_DIR",
                   help="look for the full names of this region's persons too")

    t = sub.add_parser("template", help="write the blank registry workbook a clerk fills in: a sheet per table, "
                                        "drop-down lists, an instructions sheet; read back as a region")
    t.add_argument("out", type=Path, metavar="OUT.xlsx")
    t.add_argument("--lang", choices=("zh", "en"), default="zh", help="headers and codes in Chinese (default) or English")

    s = sub.add_parser("sample-data", help="write the synthetic sample region")
    s.add_argument("out_dir", type=Path)
    s.add_argument("--seed", type=int, default=2026)

    x = sub.add_parser("explain", help="explain one household: every test of every programme rule, the benefit, "
                                       "what the registry says, flags, a scheme's changes (masked; zh or en)")
    from reliefkit.cli.explain import add_arguments as _explain_arguments

    _explain_arguments(x)

    r = sub.add_parser("run", help="the main job: run the notebooks for every district and the whole region "
                                   "(executed notebooks, HTML, summaries, workbooks, index.html)")
    from reliefkit.cli.run import add_arguments as _run_arguments

    _run_arguments(r)

    from reliefkit.cli.worklists import add_arguments as _worklist_arguments

    _worklist_arguments(sub.add_parser(
        "monitor", help="write the households under monitoring against return to poverty (防返贫监测对象) "
                        "as a workbook (docs/en/facts.md, Monitoring)"))
    _worklist_arguments(sub.add_parser(
        "suggest-pairings", help="write the suggested pairings of helpers with the needy still without one "
                                 "as a workbook (needy persons masked)"))

    d = sub.add_parser("dashboard", help="serve the office's dashboard (Voilà): explorer, scheme playground, "
                                         "downloads, on 127.0.0.1 unless --ip and a token are given")
    from reliefkit.cli.dashboard import add_arguments as _dashboard_arguments

    _dashboard_arguments(d)
    return p


def _print_validation(result, region_dir: Path, lang: str = "en",  # noqa: ANN001 - ValidationResult
                      first: int | None = 20) -> None:
    from reliefkit.io.problems import lines, reason_name
    from reliefkit.text.words import problem_words

    w = problem_words(lang)["words"]
    h = w["head"]
    t = result.tables
    print(w["region"].format(region=region_dir))
    print(f"{h['table']:<12}{h['file']:<22}{h['encoding']:<11}{h['status']:<13}{h['rows_in']:>9}{h['accepted']:>10}"
          f"{h['quarantined']:>13}")
    for r in t.itertuples():
        print(f"{r.table:<12}{r.file or '-':<22}{r.encoding or r.sheet or '-':<11}{w['status'].get(r.status, r.status):<13}"
              f"{r.rows_in:>9,}{r.accepted:>10,}{r.quarantined:>13,}")
    probs = result.problems
    if probs.empty:
        print(w["no_problems"])
        return
    errors = probs[probs["severity"] == "error"]
    print("\n" + w["counts"].format(errors=f"{len(errors):,}", warnings=f"{len(probs) - len(errors):,}"))
    for (table, reason), n in probs.groupby(["table", "reason"], sort=False).size().items():
        print(f"  {table:<12}{reason_name(reason, lang):<24}{n:>7,}")
    shown = probs if first is None else probs.head(first)
    print("\n" + (w["every"] if len(shown) == len(probs) else w["first"].format(n=len(shown))))
    for line, severity in zip(lines(shown, lang), shown["severity"]):
        print(f"  [{w['severities'].get(severity, severity)}] {line}")
    if len(shown) < len(probs):
        print(w["more"].format(n=f"{len(probs) - len(shown):,}"))


def _write_problems(problems, path: Path) -> None:  # noqa: ANN001 - DataFrame
    from reliefkit.safety.writers import write_csv, write_xlsx  # cells escaped, written atomically, deterministic

    problems = problems.drop(columns=["detail"], errors="ignore")  # the table's columns as they have always been
    if path.suffix.lower() == ".xlsx":
        write_xlsx({"problems": problems}, path)
    else:
        write_csv(problems, path, encoding="utf-8-sig")


def cmd_validate(args: argparse.Namespace) -> int:
    import pandas as pd

    from reliefkit.figures.audit import audit, audit_totals
    from reliefkit.errors import RegionReadError
    from reliefkit.policy.parameters import region_policy
    from reliefkit.region.region import region_from_validation
    from reliefkit.io.problem_book import write_problem_book
    from reliefkit.io.problems import reason_name
    from reliefkit.io.validation import validate_folder
    from reliefkit.store.build import is_store
    from reliefkit.store.read import read_store
    from reliefkit.text.words import problem_words

    if is_store(args.region_dir):  # validated when it was built: show what it found
        stored = read_store(args.region_dir)
        result, region_name = stored.result, stored.name
    else:
        region_name = args.region_dir.resolve().stem if args.region_dir.is_file() else args.region_dir.resolve().name
        result = validate_folder(args.region_dir)
    _print_validation(result, args.region_dir, args.lang, first=None)  # every problem
    table = result.problems
    words = problem_words(args.lang)["words"]
    try:
        flags = audit(region_from_validation(result, region_policy(args.region_dir), region_name,
                                             source=args.region_dir))
    except RegionReadError:
        flags = None  # households or persons unreadable: nothing to audit
    if flags is not None:
        totals = audit_totals(flags)
        print("\n" + (words["flags"] if len(totals) else words["no_flags"]))
        for r in totals.itertuples():
            money = f"{r.amount:>14,.2f} {words['yuan']}" if pd.notna(r.amount) else ""
            print(f"  {reason_name(r.reason, args.lang):<24}{r.findings:>7,}{money}")
    out = args.problems or Path("reports") / f"{region_name}-problems.csv"
    if out.suffix.lower() == ".xlsx":
        write_problem_book(result, out, lang=args.lang, region=region_name, flags=flags)
        print("\n" + words["book_written"].format(path=out))
    else:
        _write_problems(pd.concat([table, flags], ignore_index=True) if flags is not None and len(flags) else table,
                        out)
        print("\n" + words["written"].format(path=out))
    return EXIT_OK if result.clean else EXIT_PROBLEMS


def cmd_prepare(args: argparse.Namespace) -> int:
    from reliefkit.store.build import ensure_store
    from reliefkit.store.read import read_validation

    meta = ensure_store(args.region_dir, args.store, force=args.force)
    result = read_validation(args.store)
    _print_validation(result, args.region_dir)
    how = "built" if meta["built"] else "up to date (the region's files are unchanged), reused"
    print(f"\nStore {how}: {args.store} ({len(meta['districts'])} districts); pass it instead of the folder "
          f"to facts, compare, summary, publish, run or a notebook's region_dir")
    return EXIT_OK if result.clean else EXIT_PROBLEMS


def _warn_quarantine(region) -> None:  # noqa: ANN001 - Region
    for line in region.validation.warnings():
        print(f"reliefkit: warning: {line} ({region.source})", file=sys.stderr)


def cmd_facts(args: argparse.Namespace) -> int:
    from reliefkit.figures.facts import facts
    from reliefkit.region.region import load_region

    region = load_region(args.region_dir, district=args.district)  # from a store: only the district's rows
    _warn_quarantine(region)
    print(json.dumps(facts(region, args.year, args.district), ensure_ascii=False, indent=2))
    return EXIT_OK


def cmd_compare(args: argparse.Namespace) -> int:
    from reliefkit.simulate.compare import compare
    from reliefkit.region.region import load_region
    from reliefkit.policy.schemes import load_scheme

    schemes = [load_scheme(f) for f in args.scheme]  # a bad scheme file fails before the region is read
    region = load_region(args.region_dir, district=args.district)  # from a store: only the district's rows
    _warn_quarantine(region)
    yardstick = load_scheme(args.yardstick) if args.yardstick else None
    result = compare(region, args.year, schemes, district=args.district, yardstick=yardstick)
    if args.xlsx:
        result.to_xlsx(args.xlsx)
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2, allow_nan=False))
    else:
        from reliefkit.notebook.compare_tables import why_note

        print(result.to_text(args.lang))
        print()
        print(why_note(result, args.lang))
    if args.xlsx:
        print(f"Every table written to {args.xlsx}", file=sys.stderr if args.json else sys.stdout)
    return EXIT_OK


def cmd_summary(args: argparse.Namespace) -> int:
    from reliefkit.region.region import load_region
    from reliefkit.report.summary import write_summary

    region = load_region(args.region_dir)
    _warn_quarantine(region)
    paths = write_summary(region, args.year, args.district, args.lang, args.out, name=args.name,
                          appendix=args.appendix)
    for kind, path in paths.items():
        print(f"{kind:<16}{path}")
    return EXIT_OK


def cmd_publicity(args: argparse.Namespace) -> int:
    from reliefkit.report.publicity import program_code, write_publicity
    from reliefkit.region.region import load_region

    program = program_code(args.program)  # a bad programme fails before the region is read
    region = load_region(args.region_dir)
    _warn_quarantine(region)
    paths = write_publicity(region, args.year, program, args.out)
    if not paths:
        print(f"No household was newly enrolled in {program} in {args.year}: no publicity list written.")
    for path in paths:
        print(path)
    return EXIT_OK


def cmd_publish(args: argparse.Namespace) -> int:
    from reliefkit.report.publication import write_published
    from reliefkit.region.region import load_region

    region = load_region(args.region_dir)
    _warn_quarantine(region)
    paths = write_published(region, args.year, args.district, args.lang, args.out, args.threshold, name=args.name)
    for kind, path in paths.items():
        print(f"{kind:<6}{path}")
    return EXIT_OK


def cmd_check_outputs(args: argparse.Namespace) -> int:
    from reliefkit.safety.privacy import scan_outputs

    names = None
    if args.region is not None:
        from reliefkit.region.region import load_region

        names = load_region(args.region).persons["name"]
    found = scan_outputs(args.out_dir, names)
    for r in found.itertuples():
        print(f"{r.file}: {r.where}: {r.kind} {r.value}")
    for f in found.attrs.get("skipped", []):
        print(f"reliefkit: note: {f} is binary and was not scanned", file=sys.stderr)
    scanned = f"{found.attrs.get('files', 0):,} file(s) of {args.out_dir}"
    if len(found):
        print(f"\n{len(found):,} unmasked identifier(s) or name(s) in {scanned}: mask them before publishing")
        return EXIT_PROBLEMS
    print(f"No unmasked identifier{'' if names is None else ' or registry name'} in {scanned}.")
    return EXIT_OK


def cmd_sample_data(args: argparse.Namespace) -> int:
    from reliefkit.sample.files import write_sample_region

    write_sample_region(args.out_dir, seed=args.seed)
    print(f"Sample region written to {args.out_dir} (seed {args.seed})")
    return EXIT_OK


def cmd_template(args: argparse.Namespace) -> int:
    from reliefkit.io.template import write_template

    out = write_template(args.out, args.lang)
    print(f"Blank registry workbook written to {out}; fill it in and pass it to validate, facts or compare")
    return EXIT_OK


def cmd_explain(args: argparse.Namespace) -> int:
    from reliefkit.cli.explain import explain_command

    return explain_command(args)


def cmd_run(args: argparse.Namespace) -> int:
    from reliefkit.cli.run import run_command

    return run_command(args, _print_validation, _write_problems)


def cmd_monitor(args: argparse.Namespace) -> int:
    from reliefkit.cli.worklists import monitor_command

    return monitor_command(args)


def cmd_suggest_pairings(args: argparse.Namespace) -> int:
    from reliefkit.cli.worklists import suggest_command

    return suggest_command(args)


def cmd_dashboard(args: argparse.Namespace) -> int:  # pragma: no cover - a server; tests/browser runs it
    from reliefkit.cli.dashboard import dashboard_command

    return dashboard_command(args)


COMMANDS = {"validate": cmd_validate, "prepare": cmd_prepare, "facts": cmd_facts, "compare": cmd_compare, "sample-data": cmd_sample_data,
            "run": cmd_run, "check-outputs": cmd_check_outputs, "summary": cmd_summary, "publicity": cmd_publicity,
            "publish": cmd_publish, "template": cmd_template, "explain": cmd_explain, "dashboard": cmd_dashboard,
            "monitor": cmd_monitor, "suggest-pairings": cmd_suggest_pairings}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``reliefkit`` console script.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments (default: the command line).

    Returns
    -------
    int
        The exit code: 0 done; 1 problems found (rows quarantined, notebooks failed,
        identifiers leaked); 2 a bad input or option; 3 a bug in reliefkit; 128 + N when
        stopped by signal N.

    Examples
    --------
    >>> main(["facts", "data/sample", "--year", "2026", "--district", "nowhere"])
    2
    """
    args = _parser().parse_args(argv)
    from reliefkit.errors import ReliefkitError, RunInterrupted

    try:
        return COMMANDS[args.command](args)
    except RunInterrupted as e:
        print(f"reliefkit: {e}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("reliefkit: interrupted", file=sys.stderr)
        return 130
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

"""``reliefkit explain REGION HOUSEHOLD_ID --year Y``: one household's explanation.

Prints the sheet of :func:`reliefkit.report.explain.explain` — every step of every
programme rule for the household, what the registry says, the integrity flags and, with
``--scheme``, what changes — in Chinese (default) or English, or every step as JSON
(``--json``). Identifiers are masked. The arguments are declared here
(:func:`add_arguments`) and the command is :func:`explain_command`; ``reliefkit.cli.main``
wires both in.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

__all__ = ["add_arguments", "explain_command"]


def add_arguments(x: argparse.ArgumentParser) -> None:
    """The options of ``reliefkit explain``.

    Parameters
    ----------
    x : argparse.ArgumentParser
        The sub-command's parser.

    Examples
    --------
    >>> p = argparse.ArgumentParser()
    >>> add_arguments(p)
    >>> p.parse_args(["data/sample", "01010001", "--year", "2026"]).lang
    'zh'
    """
    x.add_argument("region_dir", type=Path, help="region folder, one workbook, or a store of one")
    x.add_argument("household_id", help="the household's ID (户编号, the households table's household_id)")
    x.add_argument("--year", type=int, required=True, help="the rules are applied on 31 December of this year")
    x.add_argument("--scheme", type=Path, default=None, metavar="FILE",
                   help="a scheme file (YAML: name, set): also say what changes under it")
    x.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the sheet (default zh)")
    x.add_argument("--json", action="store_true", help="print every step as JSON instead of the sheet")


def explain_command(args: argparse.Namespace) -> int:
    """Run ``reliefkit explain`` with parsed arguments.

    Parameters
    ----------
    args : argparse.Namespace
        As :func:`add_arguments` declares them.

    Returns
    -------
    int
        0 (errors are raised as :class:`reliefkit.errors.ReliefkitError` for ``main`` to print).

    Examples
    --------
    >>> p = argparse.ArgumentParser()
    >>> add_arguments(p)
    >>> explain_command(p.parse_args(["data/sample", "01010001", "--year", "2026", "--lang", "en"]))  # doctest: +ELLIPSIS
    Household 01010001: assistance worked out for 2026
    ...
    0
    """
    from reliefkit.policy.schemes import load_scheme
    from reliefkit.region.region import load_region
    from reliefkit.report.explain import explain

    scheme = load_scheme(args.scheme) if args.scheme is not None else None  # a bad scheme fails before the region
    region = load_region(args.region_dir)
    for line in region.validation.warnings():
        print(f"reliefkit: warning: {line} ({region.source})", file=sys.stderr)
    result = explain(region, args.household_id, args.year, scheme, lang=args.lang)
    if args.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False, indent=2, allow_nan=False))
    else:
        sys.stdout.write(result.text)
    return 0

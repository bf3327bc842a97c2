"""``reliefkit monitor`` and ``reliefkit suggest-pairings``: the two work lists as workbooks.

``reliefkit monitor REGION --year Y [--district NAME] --out FILE.xlsx`` writes the
households under monitoring against return to poverty (no personal data);
``reliefkit suggest-pairings REGION --year Y [--district NAME] --out FILE.xlsx`` writes the
pairing suggestions (needy persons masked). Both print the counts they wrote. The
arguments are declared here (:func:`add_arguments`), the commands are
:func:`monitor_command` and :func:`suggest_command`; ``reliefkit.cli.main`` wires them in.
"""

from __future__ import annotations

import argparse
from pathlib import Path

__all__ = ["add_arguments", "monitor_command", "suggest_command"]


def add_arguments(x: argparse.ArgumentParser) -> None:
    """The options both commands share.

    Examples
    --------
    >>> p = argparse.ArgumentParser()
    >>> add_arguments(p)
    >>> p.parse_args(["data/sample", "--year", "2026", "--out", "m.xlsx"]).lang
    'zh'
    """
    x.add_argument("region_dir", type=Path, help="region folder, one workbook, or a store of one")
    x.add_argument("--year", type=int, required=True, help="as of 31 December of this year")
    x.add_argument("--district", default=None, help="one district's persons (default: the whole region)")
    x.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx", help="the workbook to write")
    x.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the workbook (default zh)")


def _region(args: argparse.Namespace):  # noqa: ANN202 - a Region
    from reliefkit.region.region import load_region

    region = load_region(args.region_dir)
    if args.district is not None:
        region.district(args.district)  # an unknown district fails here, listing the known ones
    return region


def monitor_command(args: argparse.Namespace) -> int:
    """Write the monitored households' workbook; print how many per category.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     code = monitor_command(argparse.Namespace(region_dir=Path("data/sample"), year=2026,
    ...                            district="城关镇", out=Path(tmp, "m.xlsx"), lang="en"))  # doctest: +ELLIPSIS
    Households under monitoring, 城关镇, 2026: 80 (...
    >>> code
    0
    """
    from reliefkit.figures.monitoring import CATEGORIES, monitoring_facts
    from reliefkit.report.worklists import write_monitoring_list

    region = _region(args)
    path = write_monitoring_list(region, args.year, args.out, args.district, args.lang)
    f = monitoring_facts(region.district(args.district) if args.district else region, args.year)
    scope = args.district or region.display_name(args.lang)
    parts = ", ".join(f"{c} {f[f'monitoring.{c}.households']}" for c in CATEGORIES)
    print(f"Households under monitoring, {scope}, {args.year}: {f['monitoring.households']} ({parts}); "
          f"without any support measure: {f['monitoring.without_support.households']} — written to {path}")
    return 0


def suggest_command(args: argparse.Namespace) -> int:
    """Write the pairing suggestions' workbook; print how many it pairs.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     code = suggest_command(argparse.Namespace(region_dir=Path("data/sample"), year=2026,
    ...                            district=None, out=Path(tmp, "p.xlsx"), lang="zh"))  # doctest: +ELLIPSIS
    Pairing suggestions, 青山区, 2026: 0 of 0 needy persons paired, 0 within their own district — written to ...
    """
    from reliefkit.figures.pairing import needy_unpaired, suggest_pairings
    from reliefkit.report.worklists import write_pairing_suggestions

    region = _region(args)
    path = write_pairing_suggestions(region, args.year, args.out, args.district, args.lang)
    listed = suggest_pairings(region, args.year, args.district)
    needy = needy_unpaired(region, args.year)
    if args.district is not None:
        needy = needy & (region.households["district"].to_numpy()[region.links.person_household] == args.district)
    scope = args.district or region.display_name(args.lang)
    print(f"Pairing suggestions, {scope}, {args.year}: {len(listed)} of {int(needy.sum())} needy persons paired, "
          f"{int(listed['same_district'].sum())} within their own district — written to {path}")
    return 0

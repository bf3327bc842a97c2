"""How fast the dashboard's widgets answer, at the sample's size and at a county's.

For the bundled sample and synthetic regions of ``--persons`` (default 25,000 and
200,000, written as Parquet), builds the dashboard's widgets in this process (what the
preheated kernel does before anyone opens the page) and prints medians of ``--reps``:

- ``build``: the explorer and the playground built (the region already loaded);
- ``rural line``: a move of the rural line's slider — until the figures (summary, winners
  and losers, budget) are set, and until the chart is redrawn too; the curve of the rural
  line is already computed, so only one simulation runs;
- ``urban line``: a move of another slider — the same, plus the sweep of the rural line
  computed again under the new value;
- ``district``: the explorer's district changed — counts and list, then its chart.

The browser test (tests/browser) measures the same changes in Chromium on the sample and
prints them; this is the county-size half of "a widget change answers within a second".

    python benchmarks/bench_dashboard.py [--persons 25000 200000] [--reps 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
YEAR = 2026


def _region(n: int | None, tmp: Path):  # noqa: ANN202 - Region
    from reliefkit.region.region import load_region

    if n is None:
        return "sample", load_region(ROOT / "data" / "sample")
    from reliefkit.sample.files import write_region
    from reliefkit.sample.synthetic import synthetic_tables

    folder = tmp / f"region-{n}"
    write_region(synthetic_tables(n, seed=3), folder, fmt="parquet")
    return f"{n:,} persons", load_region(folder)


def _change(widget, setter, figure_widget, chart_widget) -> tuple[float, float]:  # noqa: ANN001
    """Seconds until ``figure_widget`` and until ``chart_widget`` got their new value."""
    marks: dict[str, float] = {}
    watch = [(figure_widget, "figures"), (chart_widget, "chart")]
    handlers = []
    for w, name in watch:
        def mark(change, name=name) -> None:  # noqa: ANN001
            marks.setdefault(name, time.perf_counter())
        w.observe(mark, names="value")
        handlers.append((w, mark))
    t0 = time.perf_counter()
    setter()
    end = time.perf_counter()
    for w, mark in handlers:
        w.unobserve(mark, names="value")
    return marks.get("figures", end) - t0, marks.get("chart", end) - t0


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--persons", type=int, nargs="+", default=[25_000, 200_000])
    ap.add_argument("--reps", type=int, default=3)
    args = ap.parse_args(argv)

    from reliefkit.dashboard.playground import Playground
    from reliefkit.notebook import explore_tables
    from reliefkit.notebook.widgets import Explorer

    print(f"{'region':>16} {'households':>11} {'build s':>8} {'rural line s':>16} {'urban line s':>16} "
          f"{'district s':>14}")
    print(f"{'':>16} {'':>11} {'':>8} {'figures / chart':>16} {'figures / chart':>16} {'counts / chart':>14}")
    with tempfile.TemporaryDirectory(prefix="reliefkit-bench-dashboard-") as tmp:
        for n in [None, *args.persons]:
            name, region = _region(n, Path(tmp))
            t0 = time.perf_counter()
            explorer = Explorer(explore_tables.people(region, YEAR), "zh")
            pg = Playground(region, YEAR, "zh")
            build = time.perf_counter() - t0
            rural, urban, district = [], [], []
            base = pg.policy_values
            for i in range(args.reps):
                line = base["rural_dibao.line"] + 10 + i
                rural.append(_change(pg, lambda: pg.set(**{"rural_dibao.line": line}), pg._summary, pg._chart))
                u = base["urban_dibao.line"] + 10 + i
                urban.append(_change(pg, lambda: pg.set(**{"urban_dibao.line": u}), pg._summary, pg._chart))
                d = region.districts[i % len(region.districts)]
                district.append(_change(explorer, lambda: explorer.select(district=d), explorer._counts,
                                        explorer._chart))

            def med(xs: list[tuple[float, float]]) -> str:
                return (f"{statistics.median(x[0] for x in xs):.3f} / "
                        f"{statistics.median(x[1] for x in xs):.3f}")

            print(f"{name:>16} {pg.prepared().households:>11,} {build:>8.2f} {med(rural):>16} {med(urban):>16} "
                  f"{med(district):>14}", flush=True)


if __name__ == "__main__":
    main()

"""The look of the notebooks' charts: seaborn's white grid, the CJK font, fixed sizes.

Figures are :class:`matplotlib.figure.Figure` objects (no pyplot, no global state) of a
fixed size and resolution; :func:`png` returns their PNG bytes without timestamp or
software metadata, so the same data gives the same bytes. Only notebook-facing modules
(``explore_charts``, ``compare_charts``, ``widgets``) import this one.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from matplotlib.figure import Figure

from reliefkit.report.charts import DPI, PROGRAM_COLORS, SIZE, figure_png
from reliefkit.report.fonts import font_rc

__all__ = ["style", "new_figure", "png", "SIZE", "WIDE", "DPI", "PROGRAM_COLORS", "SCHEME_PALETTE"]

#: two charts side by side
WIDE = (11.0, 4.8)
#: colours of the schemes compared, the baseline first (seaborn's "deep")
SCHEME_PALETTE = ("#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860", "#da8bc3", "#8c8c8c")


@contextmanager
def style() -> Iterator[None]:
    """seaborn's white grid with the CJK font and the fixed resolution."""
    import matplotlib as mpl
    import seaborn as sns

    with sns.axes_style("whitegrid"), mpl.rc_context({**font_rc(), "figure.dpi": DPI, "savefig.dpi": DPI}):
        yield


def new_figure(size: tuple[float, float] = SIZE) -> Figure:
    """A constrained-layout figure of a fixed size (call inside :func:`style`)."""
    return Figure(figsize=size, dpi=DPI, layout="constrained")


def png(fig: Figure) -> bytes:
    """The figure's PNG bytes (deterministic: no timestamp, no software version)."""
    return figure_png(fig)

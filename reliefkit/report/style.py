"""The look of every chart: seaborn's white grid, the CJK font, fixed sizes and colours.

Figures are :class:`matplotlib.figure.Figure` objects (no pyplot, no global state, no GUI
backend) of a fixed size and resolution, drawn inside :func:`style`; :func:`png` returns
their PNG bytes without timestamp or software metadata, so the same data gives the same
bytes. The summary's charts (:mod:`reliefkit.report.charts`) and the notebooks' charts
(``explore_charts``, ``compare_charts``, ``widgets``) all draw through this module.

Examples
--------
>>> with style():
...     fig = new_figure()
...     _ = fig.subplots().bar(["农村低保"], [3], color=PROGRAM_COLORS["rural_dibao"])
>>> png(fig)[:8]
b'\\x89PNG\\r\\n\\x1a\\n'
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager

from matplotlib.figure import Figure

from reliefkit.io.schema import ONE_OFF_PROGRAMS, STANDING_PROGRAMS
from reliefkit.report.fonts import font_rc

__all__ = ["style", "new_figure", "png", "figure_texts", "SIZE", "WIDE", "DPI", "PROGRAM_COLORS",
           "SCHEME_PALETTE"]

#: one chart, in inches
SIZE = (8.0, 4.8)
#: two charts side by side
WIDE = (11.0, 4.8)
DPI = 120
#: one colour per programme, the same in every chart (tab20 order)
PROGRAM_COLORS: dict[str, str] = dict(zip(STANDING_PROGRAMS + ONE_OFF_PROGRAMS, (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
    "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#aec7e8", "#ffbb78",
)))
#: colours of the schemes compared, the baseline first (seaborn's "deep")
SCHEME_PALETTE = ("#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860", "#da8bc3", "#8c8c8c")


@contextmanager
def style() -> Iterator[None]:
    """seaborn's white grid with the CJK font and the fixed resolution (a context)."""
    import matplotlib as mpl
    import seaborn as sns

    with sns.axes_style("whitegrid"), mpl.rc_context({**font_rc(), "figure.dpi": DPI, "savefig.dpi": DPI}):
        yield


def new_figure(size: tuple[float, float] = SIZE) -> Figure:
    """A constrained-layout figure of a fixed size (call inside :func:`style`).

    Parameters
    ----------
    size : (float, float), default :data:`SIZE`
        Width and height in inches.

    Returns
    -------
    matplotlib.figure.Figure
    """
    return Figure(figsize=size, dpi=DPI, layout="constrained")


def png(fig: Figure) -> bytes:
    """The figure as PNG bytes, without timestamp or software metadata (deterministic).

    Parameters
    ----------
    fig : matplotlib.figure.Figure

    Returns
    -------
    bytes
    """
    buf = io.BytesIO()
    with style():
        fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    return buf.getvalue()


def figure_texts(fig: Figure) -> list[str]:
    """Every text drawn on the figure (titles, axis labels, tick labels, legend), so that
    tests can check the font has a glyph for each character.

    Parameters
    ----------
    fig : matplotlib.figure.Figure

    Returns
    -------
    list of str
    """
    from matplotlib.text import Text

    with style():
        fig.draw_without_rendering()
    return [a.get_text() for a in fig.findobj(Text) if a.get_text() and a.get_visible()]

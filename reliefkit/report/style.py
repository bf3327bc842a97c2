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

__all__ = ["style", "new_figure", "png", "figure_texts", "open_top_bin", "label_open_top", "SIZE", "WIDE", "DPI",
           "PROGRAM_COLORS", "SCHEME_PALETTE"]

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


def open_top_bin(values, edges):  # noqa: ANN001, ANN201 - numpy arrays
    """A histogram's open-ended top bin: every value at or above the last edge moves into
    one more bin of the same width, one bin's width apart from the others, so that it reads
    as "≥ last edge" and not as the values at the last edge (label it with
    :func:`label_open_top`).

    Parameters
    ----------
    values : array-like of float
    edges : array-like of float
        The bins' edges (equal widths), the last one the top of the closed bins.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        The values to draw and the edges to draw them with (two more: the gap, the open bin).

    Examples
    --------
    >>> v, e = open_top_bin([0.5, 2.95, 3.0, 7.2], [0.0, 1.0, 2.0, 3.0])
    >>> v.tolist(), e.tolist()
    ([0.5, 2.95, 4.5, 4.5], [0.0, 1.0, 2.0, 3.0, 4.0, 5.0])
    """
    import numpy as np

    values, edges = np.asarray(values, dtype="float64"), np.asarray(edges, dtype="float64")
    top, step = edges[-1], edges[-1] - edges[-2]
    return np.where(values >= top, top + 1.5 * step, values), np.append(edges, [top + step, top + 2 * step])


def label_open_top(ax, edges, text: str, step: float = 0.5) -> None:  # noqa: ANN001 - Axes, array-like
    """Ticks every ``step`` up to the last closed edge (the last one left out, it would touch
    the label) and ``text`` (``≥ 3``, ``3及以上``) under the open bin of :func:`open_top_bin`;
    the x axis ends after it."""
    import numpy as np

    edges = np.asarray(edges, dtype="float64")
    top, width = edges[-1], edges[-1] - edges[-2]
    ticks = [t for t in np.arange(edges[0], top + 1e-9, step) if t < top - 1e-9]
    ax.set_xticks([*ticks, top + 1.5 * width], [f"{t:g}" for t in ticks] + [text])
    ax.set_xlim(edges[0], top + 2 * width)

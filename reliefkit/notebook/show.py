"""Small display helpers for the notebooks: a chart as PNG, the files a notebook wrote,
its headings and notes in its language, a table with its numbers formatted.

A notebook's own text (headings, notes, the parameters line) comes from the ``nb`` words
of ``text/words/notebooks.yaml`` through :func:`section` and :func:`parameters`, so that a
Chinese run shows Chinese and an English run English (a Markdown cell could only be one
of them). Tables go through :func:`table`: every number through
:meth:`reliefkit.text.formatting.Formatter.cell` (separators, fixed decimals per kind).

Importing this module also keeps one-off library messages out of notebook outputs
(matplotlib's "building the font cache" on a fresh machine), so that the committed
outputs stay the same on every machine. Only notebooks import it.

Examples
--------
>>> files({"md": "/tmp/x/summary.md", "chart:causes": "/tmp/x/c/causes.png"}, "/tmp/x")
<IPython.core.display.Markdown object>
>>> section("covered", "zh").data.splitlines()[0]
'## 一、保障对象'
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from matplotlib.figure import Figure

from reliefkit.text.words import word

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from reliefkit.notebook.parameters import NotebookParameters

# a fresh machine's first matplotlib import logs a warning to stderr: not an output
logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)

__all__ = ["chart", "files", "markdown", "pngs", "section", "parameters", "table", "formatted", "explorer"]


def chart(fig: Figure | None):  # noqa: ANN201 - IPython.display.Image
    """The figure as an inline PNG (deterministic bytes); None shows nothing."""
    from IPython.display import Image

    from reliefkit.report.style import png

    return None if fig is None else Image(data=png(fig), format="png")


def files(paths: Mapping[str, str | os.PathLike] | Iterable[str | os.PathLike] | None,
          root: str | os.PathLike | None = None, lang: str = "en"):  # noqa: ANN201 - IPython.display.Markdown
    """A list of the files written, relative to ``root`` (no machine's absolute path);
    when there are none, a note in ``lang`` that says so."""
    from IPython.display import Markdown

    if not paths:
        return Markdown(word("nb", "no_files", lang))
    items = paths.values() if isinstance(paths, Mapping) else paths
    rel = []
    for p in items:
        p = Path(p)
        try:
            p = p.relative_to(root) if root is not None else Path(p.name)
        except ValueError:
            p = Path(p.name)
        rel.append(p.as_posix())
    return Markdown("\n".join(f"- `{r}`" for r in sorted(rel)))


def markdown(text: str):  # noqa: ANN201 - IPython.display.Markdown
    """Markdown text, rendered."""
    from IPython.display import Markdown

    return Markdown(text)


def pngs(images: Mapping[str, bytes]) -> None:
    """Show PNG images (``{name: bytes}``, e.g. :func:`reliefkit.report.charts.render_charts`) in
    their order."""
    from IPython.display import Image, display

    for data in images.values():
        display(Image(data=data, format="png"))


def section(key: str, lang: str = "zh", level: int = 2, **fields: Any):  # noqa: ANN201 - IPython.display.Markdown
    """A heading of a notebook and the note under it, in ``lang``: ``nb.<key>`` and
    ``nb.<key>_note`` of ``notebooks.yaml`` (``{scope}``, ``{year}`` … filled from
    ``fields``).

    Parameters
    ----------
    key : str
        The section's words (``covered``, ``monitoring`` …).
    lang : {"zh", "en"}
    level : int
        The heading's level (1 for a notebook's title; 0 for a paragraph).
    **fields
        Values for the placeholders of the words.

    Returns
    -------
    IPython.display.Markdown

    Examples
    --------
    >>> print(section("covered", "en").data)
    ## Who is covered
    <BLANKLINE>
    Households and persons in each standing programme on 31 December; *new* means not in the programme on 31 December of the year before; the amount is what the ledger paid in the year.
    """
    from IPython.display import Markdown

    text = word("nb", key, lang).format(**fields)
    text = f"{'#' * level} {text}" if level > 0 else text
    try:
        note = word("nb", f"{key}_note", lang)
    except Exception:  # noqa: BLE001 - a heading without a note
        note = ""
    return Markdown(text + (f"\n\n{note.format(**fields)}" if note else ""))


def title(key: str, lang: str = "zh", **fields: Any):  # noqa: ANN201 - IPython.display.Markdown
    """A notebook's title (:func:`section` at level 1).

    Examples
    --------
    >>> title("explore_title", "en", scope="城关镇", year=2026).data.splitlines()[0]
    '# 城关镇: households in difficulty at a glance (2026)'
    """
    return section(key, lang, level=1, **fields)


def paragraph(key: str, lang: str = "zh", **fields: Any):  # noqa: ANN201 - IPython.display.Markdown
    """A paragraph of a notebook's own text, no heading (:func:`section` at level 0).

    Examples
    --------
    >>> paragraph("no_files", "en").data.startswith("#")
    False
    """
    return section(key, lang, level=0, **fields)


def parameters(p: NotebookParameters):  # noqa: ANN201 - IPython.display.Markdown
    """What the notebook was asked to do, in its language: the region's own name, the
    year, the scope, whether it writes files — no path of the machine.

    Examples
    --------
    >>> from reliefkit.notebook.parameters import check_parameters
    >>> parameters(check_parameters(region_dir="data/sample", year=2026)).data
    '**青山区** · 2026年 · 全区域 · 不写出文件'
    """
    from IPython.display import Markdown

    w = lambda key: word("nb", key, p.lang)  # noqa: E731
    scope = p.district if p.district is not None else w("whole_region")
    files_word = w("files_some") if p.output_dir is not None else w("files_none")
    line = w("params").format(region=f"**{p.region.display_name(p.lang)}**", year=p.year, scope=scope,
                              files=files_word)
    return Markdown(line)


def _kind(series: pd.Series) -> str | None:
    """How a column's numbers are printed: integers as counts, other numbers as money
    (the explorer's tables hold no other kind), anything else as it is."""
    from pandas.api import types

    if types.is_bool_dtype(series):
        return None
    if types.is_integer_dtype(series):
        return "count"
    if types.is_float_dtype(series):
        return "money"
    return None


def formatted(frame: pd.DataFrame, lang: str = "zh", kinds: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The table with every number as text, through :meth:`Formatter.cell
    <reliefkit.text.formatting.Formatter.cell>`: integers as counts (``6,830``), other
    numbers as money (``38,625.00``), unless ``kinds`` names a column's kind.

    Examples
    --------
    >>> import pandas as pd
    >>> formatted(pd.DataFrame({"n": [6830, 5], "paid": [38625.0, 0.0]})).to_dict("list")
    {'n': ['6,830', '5'], 'paid': ['38,625.00', '0.00']}
    """
    from reliefkit.text.formatting import Formatter

    fmt = Formatter(lang)
    kinds = dict(kinds or {})
    out = frame.copy()
    for col in frame.columns:
        kind = kinds.get(col) or _kind(frame[col])
        if kind is not None:
            out[col] = [fmt.cell(None if v is None or v != v else v, kind) for v in frame[col].tolist()]
    return out


def table(frame: pd.DataFrame, lang: str = "zh", kinds: Mapping[str, str] | None = None):  # noqa: ANN201 - HTML
    """A table as a notebook shows it: numbers formatted (:func:`formatted`), right
    aligned; a list's row numbers (a plain 0, 1, 2 … index) left out.

    Examples
    --------
    >>> import pandas as pd
    >>> "<td>38,625.00</td>" in table(pd.DataFrame({"paid": [38625.0]})).data
    True
    """
    import pandas as pd
    from IPython.display import HTML

    shown = formatted(frame, lang, kinds)
    plain = isinstance(frame.index, pd.RangeIndex) and frame.index.name is None
    html = shown.to_html(index=not plain, na_rep="—", justify="center", border=0)
    html = html.replace('<table class="dataframe">', '<table class="dataframe" style="text-align: right">', 1)
    return HTML(html)


def explorer(widget: Any, lang: str = "zh") -> None:
    """Show the explorer widget (:func:`reliefkit.notebook.widgets.explorer`) with a line
    in ``lang`` as its static stand-in: what a page without a live kernel (an exported
    HTML file, a committed notebook) shows instead of the widget.

    Examples
    --------
    >>> from reliefkit.notebook.parameters import check_parameters
    >>> from reliefkit.notebook.widgets import explorer as build
    >>> explorer(build(check_parameters(region_dir="data/sample", year=2026)))  # doctest: +ELLIPSIS
    {'text/plain': '交互式查询：共6,830人，需要在运行中的笔记本里使用。', 'application/vnd.jupyter.widget-view+json': {...}}
    """
    from IPython.display import display

    bundle = widget._repr_mimebundle_()  # the display protocol of ipywidgets
    bundle = dict(bundle[0] if isinstance(bundle, tuple) else bundle)
    bundle["text/plain"] = word("nb", "explorer_static", lang).format(n=f"{len(widget.selection):,}")
    display(bundle, raw=True)

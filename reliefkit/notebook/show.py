"""Small display helpers for the notebooks: a chart as PNG, the files a notebook wrote.

Importing this module also keeps one-off library messages out of notebook outputs
(matplotlib's "building the font cache" on a fresh machine), so that the committed
outputs stay the same on every machine. Only notebooks import it.

Examples
--------
>>> files({"md": "/tmp/x/summary.md", "chart:causes": "/tmp/x/c/causes.png"}, "/tmp/x")
<IPython.core.display.Markdown object>
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from matplotlib.figure import Figure

# a fresh machine's first matplotlib import logs a warning to stderr: not an output
logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)

__all__ = ["chart", "files", "markdown", "pngs"]


def chart(fig: Figure | None):  # noqa: ANN201 - IPython.display.Image
    """The figure as an inline PNG (deterministic bytes); None shows nothing."""
    from IPython.display import Image

    from reliefkit.report.style import png

    return None if fig is None else Image(data=png(fig), format="png")


def files(paths: Mapping[str, str | os.PathLike] | Iterable[str | os.PathLike] | None,
          root: str | os.PathLike | None = None):  # noqa: ANN201 - IPython.display.Markdown
    """A list of the files written, relative to ``root`` (no machine's absolute path)."""
    from IPython.display import Markdown

    if not paths:
        return Markdown("*No files written (output_dir is None).*")
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

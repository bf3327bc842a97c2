"""An executed notebook as an HTML page that works offline (an office intranet).

nbconvert's own templates load require.js, MathJax, Mermaid and the ipywidgets renderer
from public CDNs; on a machine with no internet the explorer's section is blank and the
page waits for scripts that never come. :func:`notebook_html` exports with
``run/templates/notebook.html.j2`` (the "lab" template without those scripts; its styles
are inline already) after replacing every widget view by its static fallback — the
image, HTML or text the widget's output carries beside the view — and dropping the
widget state, which only the renderer reads. The page has no input cells and no
prompts, and the same notebook gives the same bytes (widget ``<div>`` ids numbered).

Examples
--------
>>> import nbformat
>>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output(
...     "display_data", {"application/vnd.jupyter.widget-view+json": {"model_id": "a" * 32},
...                      "text/plain": "Explorer(12 persons)"})])])
>>> page = notebook_html(nb, "01 — 城关镇")
>>> "Explorer(12 persons)" in page, "<script src=" in page, "cdn" in page, '<html lang="zh">' in page
(True, False, False, True)
"""

from __future__ import annotations

import copy
import re
from typing import Any

from reliefkit._resources import resource
from reliefkit.run.normalize import uuid_sequence

__all__ = ["notebook_html", "strip_widget_views", "TEMPLATE", "WIDGET_VIEW", "remote_references"]

TEMPLATE = resource("reliefkit.run", "templates", "notebook.html.j2")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
_WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
#: a script, style sheet, image or frame loaded from the network
_REMOTE = re.compile(r"<(script|link|img|iframe|source|embed)\b[^>]*\b(src|href)\s*=\s*[\"']?(https?:)?//", re.IGNORECASE)
_IMPORT = re.compile(r"(@import\s+(url\()?[\"']?|import\s*\(\s*[\"'])(https?:)?//", re.IGNORECASE)


def strip_widget_views(nb: Any) -> Any:
    """A copy of the notebook whose outputs carry no widget view (each keeps its static
    representations: an output that had only the view is dropped) and whose metadata
    has no widget state.

    Parameters
    ----------
    nb : nbformat.NotebookNode

    Returns
    -------
    nbformat.NotebookNode
    """
    nb = copy.deepcopy(nb)
    widgets = nb.get("metadata", {}).get("widgets")
    if isinstance(widgets, dict):
        widgets.pop(_WIDGET_STATE, None)
        if not widgets:
            nb["metadata"].pop("widgets")
    for cell in nb.get("cells", []):
        outputs = cell.get("outputs")
        if not outputs:
            continue
        kept = []
        for output in outputs:
            data = output.get("data")
            if isinstance(data, dict) and WIDGET_VIEW in data:
                data.pop(WIDGET_VIEW)
                if not data:
                    continue
            kept.append(output)
        cell["outputs"] = kept
    return nb


def remote_references(page: str) -> list[str]:
    """Every script, style sheet, image or frame the page would load from the network
    (``<script src="https://…">``, ``<link href="//…">``, ``@import url(http…)``, a
    dynamic ``import("https://…")``) — for tests and the run's own check.

    Examples
    --------
    >>> remote_references('<script src="https://cdn.example/x.js"></script><a href="https://x">x</a>')
    ['<script src="https://']
    """
    return [m.group(0) for m in _REMOTE.finditer(page)] + [m.group(0) for m in _IMPORT.finditer(page)]


def notebook_html(nb: Any, title: str, lang: str = "zh") -> str:
    """The notebook as an offline HTML page (see the module's notes).

    Parameters
    ----------
    nb : nbformat.NotebookNode
        An executed notebook.
    title : str
        The page's title.
    lang : {"zh", "en"}
        The language of the page (``<html lang>``: a browser picks Chinese glyphs for ``zh``).

    Returns
    -------
    str
    """
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab", exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True, extra_template_paths=[str(TEMPLATE.parent)],
                            language_code="zh" if lang == "zh" else "en")
    exporter.template_file = TEMPLATE.name
    exporter.environment.globals["uuid4"] = uuid_sequence("div")  # widget <div> ids: the same every run
    body, _ = exporter.from_notebook_node(strip_widget_views(nb), resources={"metadata": {"name": title}})
    return body

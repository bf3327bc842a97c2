"""Every page a run writes works with no network: nothing is loaded from a CDN (scripts,
style sheets, images, frames, dynamic imports), the explorer shows its static fallback,
and the notebooks' parameters line names the region without a path of the machine."""

from __future__ import annotations

import html
import re

import nbformat
import pytest
from conftest import REPO

from reliefkit.cli.main import main
from reliefkit.run.html import (
    WIDGET_VIEW,
    notebook_html,
    remote_references,
    strip_widget_views,
)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    out = tmp_path_factory.mktemp("offline") / "reports"
    code = main(["run", str(REPO / "data" / "sample"), "--year", "2026", "--district", "新城街道", "--out", str(out),
                 "--jobs", "2", "--no-progress"])
    assert code in (0, 1)  # a failed notebook still writes its page (checked below); its failure is another test's
    return out / "2026"


def _text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", "", page, flags=re.DOTALL | re.IGNORECASE)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_no_page_loads_anything_from_the_network(run):
    pages = sorted(run.rglob("*.html"))
    names = {p.name for p in pages}
    assert {"index.html", "01-explore-households.html", "02-compare-schemes.html",
            "03-year-end-summary.html"} <= names, names
    assert any(n.startswith("summary-") for n in names)
    found = {p.relative_to(run).as_posix(): remote_references(p.read_text(encoding="utf-8")) for p in pages}
    assert not {k: v for k, v in found.items() if v}
    for p in pages:  # no script at all from outside the page
        assert not re.search(r"<script[^>]*\bsrc=", p.read_text(encoding="utf-8"), re.IGNORECASE), p


def test_the_explorer_shows_its_static_fallback(run):
    nb = nbformat.read(run / "新城街道" / "01-explore-households.ipynb", as_version=4)
    fallbacks = [o["data"]["text/plain"] for c in nb.cells for o in c.get("outputs", [])
                 if WIDGET_VIEW in o.get("data", {})]
    assert fallbacks, "the notebook has a widget view (its own .ipynb keeps it for JupyterLab)"
    page = (run / "新城街道" / "01-explore-households.html").read_text(encoding="utf-8")
    assert "widget-view+json" not in page and "widget-state+json" not in page
    text = _text(page)
    assert all(f.strip("'\"[]") in text or html.unescape(f) in text for f in fallbacks), fallbacks


def test_parameters_line_names_the_region_not_a_path(run, tmp_path_factory):
    page = _text((run / "新城街道" / "01-explore-households.html").read_text(encoding="utf-8"))
    for absolute in (str(run), str(REPO), str(tmp_path_factory.getbasetemp())):
        assert absolute not in page
    assert not re.search(r"(?<![\w.])/(tmp|home|root|work|Users)/", page)


def test_strip_widget_views_keeps_the_static_outputs():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(outputs=[
        nbformat.v4.new_output("display_data", {WIDGET_VIEW: {"model_id": "b" * 32}, "image/png": "iVBOR"}),
        nbformat.v4.new_output("display_data", {WIDGET_VIEW: {"model_id": "c" * 32}}),
        nbformat.v4.new_output("stream", name="stdout", text="plain"),
    ])])
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    out = strip_widget_views(nb)
    assert [(o["output_type"], sorted(o.get("data", {}))) for o in out.cells[0].outputs] == [
        ("display_data", ["image/png"]), ("stream", [])]  # the output that had only the view is gone
    assert "widgets" not in out.metadata and "widgets" in nb.metadata  # a copy: the notebook is unchanged
    page = notebook_html(out, "t")
    assert 'src="data:image/png;base64,iVBOR' in page and remote_references(page) == []


def test_remote_references_finds_what_a_browser_would_fetch():
    page = ('<script src="https://a/x.js"></script><link rel="stylesheet" href="//b/y.css">'
            '<style>@import url("http://c/z.css");</style><script type="module">import("https://d/m.js")</script>'
            '<img src="data:image/png;base64,AA"><a href="https://example.org">a link</a>')
    assert len(remote_references(page)) == 4


def test_tracebacks_and_warnings_name_no_folder_of_the_machine():
    import json
    import sys

    from reliefkit.run.normalize import normalize_notebook

    site = f"{sys.prefix}/lib/python3/site-packages/pandas/core/frame.py"
    nb = {"metadata": {}, "cells": [{"cell_type": "code", "metadata": {}, "outputs": [
        {"output_type": "error", "ename": "KeyError", "evalue": "'x'",
         "traceback": [f"\x1b[0;32m{REPO}/reliefkit/notebook/compare_charts.py:50\x1b[0m", f"File {site}:12"]},
        {"output_type": "stream", "name": "stderr", "text": [f"{REPO}/reliefkit/a.py:3: UserWarning: w\n"]},
    ]}]}
    text = normalize_notebook(nb)
    assert str(REPO) not in text and sys.prefix not in text
    outputs = json.loads(text)["cells"][0]["outputs"]
    assert "reliefkit/notebook/compare_charts.py:50" in outputs[0]["traceback"][0]
    assert outputs[0]["traceback"][1] == "File <python>/lib/python3/site-packages/pandas/core/frame.py:12"
    assert outputs[1]["text"] == ["reliefkit/a.py:3: UserWarning: w\n"]

"""Chinese first: the committed notebooks 01 and 03 (executed on the sample, lang zh) show
no English word a reader sees beyond the allowed list (P0, FGT, ID …) — in their outputs
and in their Markdown cells, which an exported page shows too."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summary_helpers import english_words

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


def shown_text(notebook: dict) -> list[tuple[int, str]]:
    """What a reader of the notebook's page sees, cell by cell: Markdown cells, and the
    outputs of code cells (HTML or Markdown when there is one, else the plain text;
    images are pictures, not text)."""
    out = []
    for i, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] == "markdown":
            out.append((i, "".join(cell["source"])))
            continue
        for o in cell.get("outputs", []):
            if "text" in o:
                out.append((i, "".join(o["text"])))
                continue
            data = o.get("data", {})
            for mime in ("text/html", "text/markdown", "text/plain"):
                if mime in data:
                    out.append((i, "".join(data[mime])))
                    break
    return out


@pytest.mark.parametrize("name", ["01-explore-households", "03-year-end-summary"])
def test_chinese_notebook_outputs_carry_no_english(name):
    notebook = json.loads((NOTEBOOKS / f"{name}.ipynb").read_text(encoding="utf-8"))
    found = {i: english_words(text) for i, text in shown_text(notebook)}
    found = {i: sorted(set(w))[:12] for i, w in found.items() if w}
    assert not found, f"{name}: English words in cells {found} (run `make notebooks` after changing the text)"

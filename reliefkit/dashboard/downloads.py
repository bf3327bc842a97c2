"""Downloads of the dashboard's tables as XLSX, with no file on the server.

A workbook is written by the kit's one writer layer
(:func:`reliefkit.safety.writers.write_xlsx`: cells escaped, dates fixed, the same
tables give the same bytes) into a temporary folder, read back and offered as a
``data:`` link the browser saves: nothing is kept on the server, nothing leaves it but
to the person who asked, and the tables are the ones the notebooks write (masked).

Examples
--------
>>> import pandas as pd
>>> from reliefkit.safety.writers import write_xlsx
>>> b = DownloadButton("Prepare", lambda p: write_xlsx({"t": pd.DataFrame({"a": [1]})}, p), lambda: "t.xlsx", "Save")
>>> b.prepare()
>>> b.link.value.startswith('<a download="t.xlsx" href="data:application/vnd.openxmlformats')
True
"""

from __future__ import annotations

import base64
import html
import tempfile
from collections.abc import Callable
from pathlib import Path

import ipywidgets as w

__all__ = ["XLSX_TYPE", "workbook_bytes", "DownloadButton"]

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook_bytes(write: Callable[[Path], object]) -> bytes:
    """The bytes of the workbook that ``write(path)`` writes (in a temporary folder, removed after).

    Examples
    --------
    >>> import pandas as pd
    >>> from reliefkit.safety.writers import write_xlsx
    >>> workbook_bytes(lambda p: write_xlsx({"t": pd.DataFrame({"a": [1]})}, p))[:2]
    b'PK'
    """
    with tempfile.TemporaryDirectory(prefix="reliefkit-download-") as tmp:
        path = Path(tmp) / "book.xlsx"
        write(path)
        return path.read_bytes()


def _link(data: bytes, filename: str, text: str) -> str:
    encoded = base64.b64encode(data).decode("ascii")
    return (f'<a download="{html.escape(filename)}" href="data:{XLSX_TYPE};base64,{encoded}" '
            f'class="reliefkit-download">{html.escape(text)}</a>')


class DownloadButton(w.HBox):
    """A button that builds a workbook when pressed, then shows the link that saves it.

    Parameters
    ----------
    description : str
        The button's text.
    build : callable
        ``build(path)`` writes the workbook (any of the kit's workbook writers).
    filename : callable
        ``filename()`` → the name to save it under.
    text : str
        The link's text.

    Examples
    --------
    >>> import pandas as pd
    >>> from reliefkit.safety.writers import write_xlsx
    >>> b = DownloadButton("Prepare", lambda p: write_xlsx({"t": pd.DataFrame({"a": [1]})}, p), lambda: "t.xlsx", "Save")
    >>> b.prepare(); "t.xlsx" in b.link.value
    True
    """

    def __init__(self, description: str, build: Callable[[Path], object], filename: Callable[[], str],
                 text: str) -> None:
        self._build, self._filename, self._text = build, filename, text
        self.button = w.Button(description=description, layout=w.Layout(width="auto"))
        self.link = w.HTML()
        self.button.on_click(lambda _: self.prepare())
        super().__init__([self.button, self.link])
        self.add_class("reliefkit-download-button")

    def prepare(self) -> None:
        """Build the workbook now and show its link."""
        self.link.value = _link(workbook_bytes(self._build), self._filename(), self._text)

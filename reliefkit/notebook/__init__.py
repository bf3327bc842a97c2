"""Step 5 of the flow — what the thin notebooks call.

``parameters`` checks a notebook's injected parameters and resolves paths; ``display``
shows tables, charts and files; ``explorer`` (+ ``explorer_charts``, ``widgets``) the
tables and widgets of notebook 01; ``comparison`` (+ ``comparison_charts``) the tables of
notebook 02; ``outputs`` the files each notebook writes into its ``output_dir``.
"""

from reliefkit._lazy import lazy_exports

__all__ = ["NotebookParameters", "check_parameters", "Explorer", "explorer"]
__getattr__, __dir__ = lazy_exports(__name__, {
    "NotebookParameters": "parameters", "check_parameters": "parameters",
    "Explorer": "widgets", "explorer": "widgets",
})

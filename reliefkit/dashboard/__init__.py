"""Step 6 of the flow, beside ``run`` — the office's dashboard (Voilà over a thin notebook).

``app`` assembles the tabs (the explorer of notebook 01, the scheme playground, the
monitoring list and the pairing suggestions (``lists``),
downloads), ``playground`` is the scheme playground, ``downloads`` the XLSX links,
``server`` starts Voilà on ``notebooks/dashboard/dashboard.ipynb`` with a preheated
kernel (``reliefkit dashboard``).
"""

from reliefkit._lazy import lazy_exports

__all__ = ["Dashboard", "dashboard", "Playground"]
__getattr__, __dir__ = lazy_exports(__name__, {
    "Dashboard": "app", "dashboard": "app", "Playground": "playground",
})

"""Step 6 of the flow — the notebooks run per district.

``runner`` plans and runs papermill jobs in warm workers or on Dask, with up-to-date
stamps; ``interrupt`` stops a run cleanly; ``kernel`` is this environment's kernel;
``index`` writes ``reports/<year>/index.html``; ``manifest`` the provenance of a run;
``refresh`` re-executes and re-saves the committed notebooks (``make notebooks``).
"""

from reliefkit._lazy import lazy_exports

__all__ = ["Job", "JobResult", "plan", "run"]
__getattr__, __dir__ = lazy_exports(__name__, {"Job": "runner", "JobResult": "runner", "plan": "runner", "run": "runner"})

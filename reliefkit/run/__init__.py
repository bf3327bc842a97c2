"""Step 6 of the flow — the notebooks run per district.

``jobs`` holds a run's units (Job, JobResult, RunReport); ``discovery`` finds the
notebooks and their parameters; ``fingerprint`` hashes what a job depends on and keeps
the up-to-date stamps; ``planning`` makes the jobs; ``execute`` runs one job; ``executors``
runs them all in warm worker processes, in this process or on Dask; ``interrupt`` stops a
run cleanly; ``kernel`` is this environment's kernel;
``index`` writes ``reports/<year>/index.html``; ``manifest`` the provenance of a run;
``refresh`` re-executes and re-saves the committed notebooks (``make notebooks``).
"""

from reliefkit._lazy import lazy_exports

__all__ = ["Job", "JobResult", "plan", "run"]
__getattr__, __dir__ = lazy_exports(__name__, {"Job": "jobs", "JobResult": "jobs", "plan": "planning", "run": "executors"})

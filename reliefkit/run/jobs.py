"""A run's units: a :class:`Job` (one notebook for one scope), its :class:`JobResult`,
and the :class:`RunReport` of all of them.

A job writes into ``OUT/<year>/<scope>/`` (:func:`scope_folder`): the executed notebook,
its HTML, and the up-to-date stamp (:mod:`reliefkit.run.fingerprint`).

Examples
--------
>>> job = Job("/nb/03-year-end-summary.ipynb", None, "/out/2026/_region", {})
>>> job.name, job.output.name, job.html_path.name, job.stamp.name
('_region/03-year-end-summary', '03-year-end-summary.ipynb', '03-year-end-summary.html', '.03-year-end-summary.run.json')
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from reliefkit.run.fingerprint import read_stamp
from reliefkit.run.interrupt import running_path
from reliefkit.text.slugs import scope_slug

__all__ = ["REGION_FOLDER", "Job", "JobResult", "RunReport", "scope_folder", "result_record"]

#: the folder of the whole region's outputs, beside one folder per district
REGION_FOLDER = "_region"


@dataclass(frozen=True)
class Job:
    """One notebook for one scope.

    Attributes
    ----------
    notebook : str
        The notebook to execute (absolute path).
    scope : str or None
        The district, or None for the whole region.
    folder : str
        Where its outputs go (absolute path).
    parameters : dict
        What papermill injects.
    key : str
        Hash of everything the outputs depend on (see :mod:`reliefkit.run.fingerprint`).
    timeout : float or None
        Seconds per cell.
    html : bool
        Also write the HTML (inputs hidden).

    Examples
    --------
    >>> job = Job("/repo/notebooks/03-year-end-summary.ipynb", "城关镇", "/out/2026/城关镇", {"year": 2026})
    >>> job.name, job.output.name, job.stamp.name
    ('城关镇/03-year-end-summary', '03-year-end-summary.ipynb', '.03-year-end-summary.run.json')
    """

    notebook: str
    scope: str | None
    folder: str
    parameters: dict[str, Any]
    key: str = ""
    timeout: float | None = None
    html: bool = True

    @property
    def name(self) -> str:
        """``<scope folder>/<notebook name>``."""
        return f"{Path(self.folder).name}/{Path(self.notebook).stem}"

    @property
    def output(self) -> Path:
        """The executed notebook."""
        return Path(self.folder) / Path(self.notebook).name

    @property
    def html_path(self) -> Path:
        """The HTML export."""
        return self.output.with_suffix(".html")

    @property
    def running(self) -> Path:
        """Where papermill writes the notebook while it executes (hidden; renamed to
        :attr:`output` when the run ended)."""
        return running_path(self.output)

    @property
    def stamp(self) -> Path:
        """The up-to-date stamp."""
        return Path(self.folder) / f".{Path(self.notebook).stem}.run.json"

    def up_to_date(self) -> bool:
        """True when the stamp says the last run succeeded with the same key and the
        outputs are still there.

        Returns
        -------
        bool
        """
        stamp = read_stamp(self.stamp)
        if stamp is None:
            return False
        return (stamp.get("key") == self.key and stamp.get("status") == "ok" and self.output.is_file()
                and (not self.html or self.html_path.is_file()))


@dataclass(frozen=True)
class JobResult:
    """What became of a :class:`Job`.

    ``status`` is ``ok``, ``failed`` or ``skipped`` (up to date). For a failure:
    ``cell`` is the execution count of the failing cell (``In [cell]`` in the partial
    notebook, None when no cell ran), ``ename``/``evalue`` the error (its first line, ID
    and card numbers masked: it is shown on the terminal and the index page). Timings, in
    seconds: ``seconds`` executing the notebook (kernel start to shutdown),
    ``cell_seconds`` the cells' own work, ``html_seconds`` the HTML export;
    ``kernel_starts`` how many kernel starts it took (2 after a retry); ``tries`` how
    many workers ran it (2 when a worker's failure was tried on another, on Dask).

    Attributes
    ----------
    job : Job
    status : {"ok", "failed", "skipped"}
    cell : int or None
    ename, evalue : str
    seconds, cell_seconds, html_seconds : float
    kernel_starts : int
    worker : str
        The process that ran it.
    tries : int
        Workers that ran it.

    Examples
    --------
    >>> job = Job("/repo/notebooks/03-year-end-summary.ipynb", None, "/out/2026/_region", {"year": 2026})
    >>> r = JobResult(job, "failed", cell=4, ename="KeyError", evalue="'x'", seconds=3.0, cell_seconds=1.0)
    >>> r.ok, r.overhead
    (False, 2.0)
    """

    job: Job
    status: str
    cell: int | None = None
    ename: str = ""
    evalue: str = ""
    seconds: float = 0.0
    cell_seconds: float = 0.0
    html_seconds: float = 0.0
    kernel_starts: int = 0
    worker: str = ""
    tries: int = 1

    @property
    def ok(self) -> bool:
        """Not failed (ran, or up to date)."""
        return self.status != "failed"

    @property
    def overhead(self) -> float:
        """Seconds of the run not spent in cells: kernel start, papermill, shutdown."""
        return max(0.0, self.seconds - self.cell_seconds)

    def describe(self, show: Callable[[Path], str] = str) -> str:
        """One line: what failed, where, and where the partial notebook is.

        Parameters
        ----------
        show : callable
            Formats the partial notebook's path.

        Returns
        -------
        str
        """
        where = f"cell In [{self.cell}]" if self.cell is not None else "before any cell ran"
        return (f"{self.job.scope or 'whole region'} / {Path(self.job.notebook).stem}: {where}: "
                f"{self.ename}: {self.evalue}".rstrip(": ") + f" — partial notebook: {show(self.job.output)}")


@dataclass
class RunReport:
    """Every job's result, in the order the jobs were planned, and the wall time."""

    results: list[JobResult] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failed(self) -> list[JobResult]:
        """The results that failed."""
        return [r for r in self.results if r.status == "failed"]

    @property
    def ok(self) -> bool:
        """No job failed."""
        return not self.failed

    def counts(self) -> dict[str, int]:
        """How many results are ``ok``, ``skipped`` and ``failed``.

        Returns
        -------
        dict of str to int
        """
        out = {"ok": 0, "skipped": 0, "failed": 0}
        for r in self.results:
            out[r.status] += 1
        return out


def scope_folder(district: str | None) -> str:
    """The folder name of a scope: the district's name made safe for a file system, or
    :data:`REGION_FOLDER`.

    Parameters
    ----------
    district : str or None
        The district, or None for the whole region.

    Returns
    -------
    str

    Examples
    --------
    >>> scope_folder(None), scope_folder("城关镇")
    ('_region', '城关镇')
    """
    return REGION_FOLDER if district is None else scope_slug(district)


def result_record(r: JobResult) -> dict[str, Any]:
    """A JSON-ready record of a result (for logs and the benchmark).

    Parameters
    ----------
    r : JobResult

    Returns
    -------
    dict
        The result's fields; its job as the notebook's name, the scope and the folder.

    Examples
    --------
    >>> r = JobResult(Job("/nb/01-explore-households.ipynb", "A", "/out/2026/A", {}), "skipped")
    >>> result_record(r)["job"]
    {'notebook': '01-explore-households.ipynb', 'scope': 'A', 'folder': '/out/2026/A'}
    """
    d = asdict(r)
    d["job"] = {"notebook": Path(r.job.notebook).name, "scope": r.job.scope, "folder": r.job.folder}
    return d

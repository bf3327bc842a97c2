"""Run the notebooks for every district and the whole region (``reliefkit run``).

For each scope — every district and the whole region (``_region``) — and each notebook,
a :class:`Job` executes the notebook with papermill into ``OUT/<year>/<scope>/``: the
executed ``.ipynb``, its HTML with the inputs hidden, and whatever the notebook writes
into its ``output_dir`` (the summary files, the workbooks). Then ``OUT/<year>/index.html``
lists every scope with its key facts and links (:mod:`reliefkit.run.index`).

How the jobs run:

- **In-process, in long-lived workers.** ``import papermill`` costs about two seconds;
  each worker process imports it (and nbconvert) once and then executes notebook after
  notebook through :func:`papermill.execute_notebook` — never a papermill command per
  notebook. ``jobs`` workers run in parallel (default: the machine's cores).
- **The environment's own kernel** (:class:`reliefkit.run.kernel.OwnKernelManager`): the
  notebooks run in the Python that runs the worker, whatever kernelspecs the machine has;
  kernels talk over Unix sockets, so parallel starts cannot race for TCP ports, and a
  kernel that fails to start is started once more before the job counts as failed.
- **Per-cell timeout** (``timeout`` seconds; None: no limit).
- **Failures stay local.** A failing notebook does not stop the others; its partial
  notebook (and HTML) is kept, and its :class:`JobResult` names the cell (``In [n]``)
  and the error.
- **Interruptible.** SIGINT (Ctrl-C) or SIGTERM stops the run cleanly
  (:mod:`reliefkit.run.interrupt`): the notebook being executed is written to a hidden
  ``.<notebook>.running.ipynb`` and renamed into place only when it ended, the workers and
  their kernels are killed, the temporaries are removed, and :class:`RunInterrupted` says
  how many notebooks finished. The next run resumes: what finished is up to date.
- **Up to date is skipped.** Each output has a stamp (``.<notebook>.run.json``) holding a
  hash of the notebook, the parameters, the region folder's files, the scheme files and
  the kit's code (its modules, templates and the versions of pandas, numpy, matplotlib
  and seaborn); a job whose stamp matches and whose outputs exist is skipped. A job removes
  its stamp when it starts and writes it when it ends.
  ``force=True`` runs everything.
- **Dask.** With ``scheduler="tcp://host:8786"`` the same jobs are submitted to an
  existing Dask distributed cluster (whose workers share this file system and have
  reliefkit installed); each Dask worker keeps papermill imported between jobs.
"""

from __future__ import annotations

import ast
import contextlib
import hashlib
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from reliefkit._resources import package_root
from reliefkit.errors import ReliefkitError, RunInterrupted
from reliefkit.run.interrupt import Stopped, ignore_signals, kill_kernels_of, kill_process_tree, remove_partial_files, \
    running_path, stop_on_signals
from reliefkit.run.normalize import normalize_notebook, uuid_sequence
from reliefkit.safety.atomic import atomic_write_text

__all__ = ["Job", "JobResult", "RunReport", "plan", "run", "execute_job", "declared_parameters",
           "default_notebooks", "find_notebooks", "REGION_FOLDER", "fingerprint_files", "code_fingerprint"]

#: the folder of the whole region's outputs, beside one folder per district
REGION_FOLDER = "_region"
KERNEL_NAME = "python3"
STAMP_VERSION = 1


# --------------------------------------------------------------------------- jobs
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
        Hash of everything the outputs depend on (see the module's notes).
    timeout : float or None
        Seconds per cell.
    html : bool
        Also write the HTML (inputs hidden).
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
        outputs are still there."""
        try:
            stamp = json.loads(self.stamp.read_text(encoding="utf-8"))
        except (OSError, ValueError):
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
    ``kernel_starts`` how many kernel starts it took (2 after a retry).
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

    @property
    def ok(self) -> bool:
        return self.status != "failed"

    @property
    def overhead(self) -> float:
        """Seconds of the run not spent in cells: kernel start, papermill, shutdown."""
        return max(0.0, self.seconds - self.cell_seconds)

    def describe(self, show: Callable[[Path], str] = str) -> str:
        """One line: what failed, where, and where the partial notebook is (``show``
        formats that path)."""
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
        return [r for r in self.results if r.status == "failed"]

    @property
    def ok(self) -> bool:
        return not self.failed

    def counts(self) -> dict[str, int]:
        out = {"ok": 0, "skipped": 0, "failed": 0}
        for r in self.results:
            out[r.status] += 1
        return out


# --------------------------------------------------------------------------- notebooks and parameters
def default_notebooks() -> list[Path]:
    """The kit's notebooks, ``notebooks/NN-*.ipynb`` of the repository."""
    from reliefkit.notebook.parameters import repo_root

    root = repo_root()
    folder = root / "notebooks" if root is not None else None
    found = sorted(folder.glob("[0-9][0-9]-*.ipynb")) if folder is not None and folder.is_dir() else []
    if not found:
        raise ReliefkitError("found no notebooks (notebooks/NN-*.ipynb of the repository)",
                             "give them with --notebook PATH")
    return found


def find_notebooks(names: Sequence[str | os.PathLike] | None) -> list[Path]:
    """Notebooks by path, or by name or number among the kit's (``03``,
    ``03-year-end-summary``, ``year-end-summary``); all of the kit's when ``names`` is empty."""
    if not names:
        return default_notebooks()
    out = []
    for name in names:
        path = Path(name)
        if path.suffix == ".ipynb" and path.is_file():
            out.append(path.resolve())
            continue
        text = str(name).removesuffix(".ipynb")
        matches = [p for p in default_notebooks() if p.stem == text or p.stem.startswith(f"{text}-")
                   or p.stem.split("-", 1)[-1] == text]
        if len(matches) != 1:
            raise ReliefkitError(f"matches {'no' if not matches else 'more than one'} notebook",
                                 f"use one of: {', '.join(p.stem for p in default_notebooks())}, or a path",
                                 notebook=repr(str(name)))
        out.append(matches[0].resolve())
    return list(dict.fromkeys(out))


def _parameters_cell(notebook: Path) -> str:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            src = cell.get("source", "")
            return "".join(src) if isinstance(src, list) else src
    return ""


def declared_parameters(notebook: str | os.PathLike) -> dict[str, Any]:
    """The parameters a notebook declares (its ``parameters`` cell), with their default
    values (``...`` when the default is not a literal).

    Examples
    --------
    >>> sorted(declared_parameters("notebooks/03-year-end-summary.ipynb"))
    ['district', 'lang', 'name', 'output_dir', 'region_dir', 'year']
    """
    out: dict[str, Any] = {}
    for node in ast.parse(_parameters_cell(Path(notebook))).body:
        target, value = None, None
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            target, value = node.target.id, node.value
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            target, value = node.targets[0].id, node.value
        if target is None:
            continue
        try:
            out[target] = ast.literal_eval(value) if value is not None else None
        except ValueError:
            out[target] = ...
    return out


# --------------------------------------------------------------------------- fingerprints
def _hash_file(h: Any, path: Path, label: str) -> None:
    h.update(label.encode() + b"\0")
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    h.update(b"\0")


def fingerprint_files(paths: Iterable[Path], root: Path | None = None) -> str:
    """A hash of files' names (relative to ``root``) and contents; folders are walked."""
    h = hashlib.sha256()
    files: list[tuple[str, Path]] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            files += [(f.relative_to(root or p).as_posix(), f) for f in p.rglob("*")
                      if f.is_file() and not any(part.startswith(".") for part in f.relative_to(p).parts)]
        elif p.is_file():
            files.append((p.relative_to(root).as_posix() if root and p.is_relative_to(root) else p.name, p))
    for label, f in sorted(files):
        _hash_file(h, f, label)
    return h.hexdigest()


def code_fingerprint() -> str:
    """A hash of the kit's code (modules, templates, policies) and of the versions of the
    libraries that shape its outputs."""
    from importlib.metadata import PackageNotFoundError, version

    package = package_root().resolve()  # the whole package, every subpackage
    files = [f for f in package.rglob("*") if f.is_file() and f.suffix in {".py", ".yaml", ".j2", ".yml"}]
    h = hashlib.sha256(fingerprint_files(files, package).encode())
    for lib in ("pandas", "numpy", "matplotlib", "seaborn", "mplfonts", "python-docx", "openpyxl", "nbconvert"):
        try:
            h.update(f"{lib}={version(lib)}".encode())
        except PackageNotFoundError:  # pragma: no cover
            h.update(f"{lib}=-".encode())
    h.update(sys.version.encode())
    return h.hexdigest()


def _scheme_files(notebook: Path, parameters: dict[str, Any], declared: dict[str, Any]) -> list[Path]:
    from reliefkit.notebook.parameters import scheme_paths

    if "schemes" not in declared:
        return []
    try:
        return list(scheme_paths(parameters.get("schemes", declared["schemes"])))
    except ReliefkitError:  # a missing file fails in the notebook, where it is reported
        return []


# --------------------------------------------------------------------------- planning
def scope_folder(district: str | None) -> str:
    """The folder name of a scope: the district's name made safe for a file system, or
    :data:`REGION_FOLDER`."""
    from reliefkit.notebook.outputs import scope_slug

    return REGION_FOLDER if district is None else scope_slug(district)


def plan(region_dir: str | os.PathLike, year: int, scopes: Sequence[str | None], notebooks: Sequence[Path],
         out_dir: str | os.PathLike, *, lang: str = "zh", schemes: Sequence[str | os.PathLike] | None = None,
         timeout: float | None = None, html: bool = True) -> list[Job]:
    """The jobs of a run: every notebook for every scope, longest first (the whole
    region, then the districts), each with its parameters and up-to-date key.

    Only the parameters a notebook declares are injected: ``region_dir`` (absolute),
    ``year``, ``district``, ``lang``, ``output_dir`` (the job's folder) and, when given,
    ``schemes`` (absolute paths).
    """
    region_dir = Path(region_dir).resolve()
    year_dir = Path(out_dir).resolve() / str(year)
    data = fingerprint_files([region_dir], region_dir)
    code = code_fingerprint()
    jobs = []
    for scope in scopes:
        folder = year_dir / scope_folder(scope)
        for nb in notebooks:
            nb = Path(nb).resolve()
            declared = declared_parameters(nb)
            wanted: dict[str, Any] = {"region_dir": str(region_dir), "year": int(year), "district": scope,
                                      "lang": lang, "output_dir": str(folder)}
            if schemes is not None:
                wanted["schemes"] = [str(Path(s).resolve()) for s in schemes]
            params = {k: v for k, v in wanted.items() if k in declared}
            h = hashlib.sha256()
            for part in (STAMP_VERSION, data, code, json.dumps(params, sort_keys=True, ensure_ascii=False),
                         timeout, html, fingerprint_files([nb]),
                         fingerprint_files(_scheme_files(nb, params, declared))):
                h.update(str(part).encode() + b"\0")
            jobs.append(Job(str(nb), scope, str(folder), params, h.hexdigest(), timeout, html))
    return jobs


# --------------------------------------------------------------------------- executing one job
def _cell_seconds(nb: Any) -> float:
    total = 0.0
    for cell in nb.get("cells", []):
        d = cell.get("metadata", {}).get("papermill", {}).get("duration")
        if isinstance(d, (int, float)):
            total += d
    return total


def _running_cell(nb: Any) -> int | None:
    """The execution count of the cell that was running when a run stopped (a timeout, a
    kernel that died): the last code cell the kernel started."""
    counts = [c.get("execution_count") for c in nb.get("cells", []) if c.get("cell_type") == "code"]
    started = [n for n in counts if n is not None]
    return started[-1] if started else None


def _export_html(job: Job) -> None:
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(job.output, as_version=4)
    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    exporter.environment.globals["uuid4"] = uuid_sequence("div")  # widget <div> ids: the same every run
    title = f"{Path(job.notebook).stem} — {job.scope or 'region'}"
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    atomic_write_text(job.html_path, body)


def _write_stamp(job: Job, status: str) -> None:
    atomic_write_text(job.stamp, json.dumps({"key": job.key, "status": status, "version": STAMP_VERSION}))


def execute_job(job: Job) -> JobResult:
    """Execute one notebook in this process (papermill in-process; the kernel is a child
    process): the importable entry point of local workers and Dask workers alike.

    In a thread other than the main one (a Dask worker runs tasks in threads, several at
    a time), the job runs in a fresh context, so that papermill's asynchronous client
    makes an event loop of its own (jupyter_core keeps its loop in a context variable,
    which the worker's threads would otherwise share); the loop is closed afterwards.
    """
    import asyncio
    import contextvars
    import threading

    if threading.current_thread() is threading.main_thread():
        return _execute_job(job)
    try:
        return contextvars.Context().run(_execute_job, job)
    finally:
        try:
            loop = asyncio.get_event_loop_policy().get_event_loop()
        except RuntimeError:
            loop = None
        if loop is not None and not loop.is_running():
            loop.close()
            asyncio.set_event_loop(None)


#: set when a run in this process is being stopped: a job then neither retries nor saves
_STOP = threading.Event()


def _execute_job(job: Job) -> JobResult:
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from reliefkit.run.kernel import OwnKernelManager

    Path(job.folder).mkdir(parents=True, exist_ok=True)
    job.stamp.unlink(missing_ok=True)  # not up to date until it ends
    started = {"kernel": False}

    def on_start(**_: Any) -> None:
        started["kernel"] = True

    status, cell, ename, evalue = "ok", None, "", ""
    starts = 0
    t0 = time.perf_counter()
    try:
        for attempt in (1, 2):
            starts = attempt
            started["kernel"] = False
            try:
                papermill.execute_notebook(
                    job.notebook, str(job.running), parameters=job.parameters, kernel_name=KERNEL_NAME,
                    progress_bar=False, log_output=False, start_timeout=60, execution_timeout=job.timeout,
                    kernel_manager_class=OwnKernelManager, on_notebook_start=on_start,
                    resources={"metadata": {"path": job.folder}}, shutdown_kernel="immediate",
                )
            except PapermillExecutionError as e:
                status, cell, ename, evalue = "failed", e.exec_count, e.ename, _first_line(e.evalue)
            except Exception as e:  # noqa: BLE001 - a kernel that died, a timeout, a bad notebook
                if _STOP.is_set():
                    break
                if attempt == 1 and (not started["kernel"] or type(e).__name__ == "DeadKernelError"):
                    continue  # the kernel did not start (a start race) or was killed mid-notebook: once more
                status, ename, evalue = "failed", type(e).__name__, _first_line(str(e))
                if started["kernel"] and job.running.is_file():
                    cell = _running_cell(json.loads(job.running.read_text(encoding="utf-8")))
            break
        if _STOP.is_set():  # the run is being stopped: save nothing of this job
            raise Stopped(signal.SIGINT)
        return _save(job, status, cell, ename, evalue, time.perf_counter() - t0, starts)
    finally:
        job.running.unlink(missing_ok=True)


def _save(job: Job, status: str, cell: int | None, ename: str, evalue: str, seconds: float,
          starts: int) -> JobResult:
    """Rename the executed notebook into place (without the timestamps papermill and the
    kernel leave, so the same run gives the same bytes), export its HTML, write the stamp."""
    import nbformat

    cell_seconds = 0.0
    html_seconds = 0.0
    if job.running.is_file():
        cell_seconds = _cell_seconds(nbformat.read(job.running, as_version=4))
        atomic_write_text(job.output, normalize_notebook(job.running))
        if job.html:
            t1 = time.perf_counter()
            try:
                _export_html(job)
            except Exception as e:  # noqa: BLE001 - the notebook ran; say the export failed
                if status == "ok":
                    status, ename, evalue = "failed", type(e).__name__, _first_line(f"HTML export: {e}")
            html_seconds = time.perf_counter() - t1
    _write_stamp(job, status)
    return JobResult(job, status, cell, ename, evalue, seconds, cell_seconds, html_seconds, starts,
                     f"{os.uname().nodename}:{os.getpid()}" if hasattr(os, "uname") else str(os.getpid()))


def _warm() -> None:
    """Worker initializer: import what every job needs, once per worker, and leave the
    terminal's process group, so that Ctrl-C reaches the run (which stops the workers),
    not each worker on its own."""
    if hasattr(os, "setpgrp"):
        os.setpgrp()
    import nbconvert  # noqa: F401
    import papermill  # noqa: F401

    from reliefkit.run import kernel  # noqa: F401


def _first_line(message: str) -> str:
    """The first line of an error message, identifiers masked: it goes to the terminal,
    the index page and logs, where the privacy gate does not look."""
    from reliefkit.safety.privacy import mask_identifiers

    lines = str(message).strip().splitlines()
    return mask_identifiers(lines[0]) if lines else ""


def _crashed(job: Job, e: BaseException) -> JobResult:
    return JobResult(job, "failed", None, type(e).__name__, _first_line(str(e)))


# --------------------------------------------------------------------------- executors
def _run_local(jobs: list[Job], n_jobs: int) -> Iterator[JobResult]:
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor, as_completed

    workers = max(1, min(n_jobs, len(jobs)))
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("spawn"), initializer=_warm)
    try:
        futures = {pool.submit(execute_job, job): job for job in jobs}  # Future → Job
        for fut in as_completed(futures):
            try:
                result = fut.result()
            except Exception as e:  # noqa: BLE001 - a worker that died
                result = _crashed(futures[fut], e)
            yield result
    except BaseException:  # stopped (a signal, or the consumer closed us): kill the work in progress
        for pid in list(getattr(pool, "_processes", None) or {}):
            kill_process_tree(pid)
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _run_here(jobs: list[Job]) -> Iterator[JobResult]:
    """One job after the other in this process — each in a thread, so that the main
    thread stays free to take a signal and stop the job's kernel."""
    from concurrent.futures import ThreadPoolExecutor

    _STOP.clear()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="reliefkit-job") as pool:
        for job in jobs:
            fut = pool.submit(execute_job, job)
            try:
                result = fut.result()
            except BaseException:
                _STOP.set()
                try:
                    kill_kernels_of(os.getpid())
                    with contextlib.suppress(BaseException):
                        fut.result()  # the job ends at once: its kernel is gone, and it saves nothing
                finally:
                    _STOP.clear()
                raise
            yield result


def _run_dask(jobs: list[Job], address: str) -> Iterator[JobResult]:
    try:
        from distributed import Client, as_completed
    except ImportError:  # pragma: no cover
        raise ReliefkitError("--scheduler needs Dask distributed", "run `pip install 'dask[distributed]'`") from None
    _check_reachable(address)
    try:
        client = Client(address, timeout="30s", set_as_default=False)
    except OSError as e:
        raise ReliefkitError(f"cannot reach the Dask scheduler: {e}", "check the address (tcp://host:8786)",
                             scheduler=address) from None
    try:
        futures = {client.submit(execute_job, job, pure=False, key=f"reliefkit-{i}-{job.key[:12]}"): job
                   for i, job in enumerate(jobs)}
        for fut in as_completed(futures, loop=client.loop):
            try:
                result = fut.result()
            except Exception as e:  # noqa: BLE001 - a worker that died
                result = _crashed(futures[fut], e)
            yield result
    except BaseException:  # stopped: what the cluster has not started is cancelled
        client.cancel(list(futures))
        raise
    finally:
        client.close()


def _check_reachable(address: str) -> None:
    """Fail fast on a TCP scheduler address nothing listens on (the Dask client would
    retry until its timeout)."""
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    if parts.scheme not in ("tcp", "tls") or not parts.hostname or not parts.port:
        return
    try:
        socket.create_connection((parts.hostname, parts.port), timeout=10).close()
    except OSError as e:
        raise ReliefkitError(f"cannot reach the Dask scheduler: {e}", "check the address (tcp://host:8786) "
                             "and that the scheduler runs", scheduler=address) from None


def run(jobs: Sequence[Job], *, n_jobs: int | None = None, force: bool = False, scheduler: str | None = None,
        on_result: Callable[[JobResult], None] | None = None) -> RunReport:
    """Execute the jobs (see the module's notes) and return every result in plan order.

    Parameters
    ----------
    jobs : sequence of Job
        From :func:`plan`.
    n_jobs : int, optional
        Local worker processes (default: the machine's cores); 0 runs the jobs one after
        the other in this process (for debugging); ignored with ``scheduler``.
    force : bool
        Run jobs that are up to date too.
    scheduler : str, optional
        A Dask distributed scheduler address: run the jobs there.
    on_result : callable, optional
        Called with each result as it arrives (progress).

    Raises
    ------
    RunInterrupted
        On SIGINT or SIGTERM: the jobs in progress were killed and left no file; those
        that finished keep their outputs and stamps, so the next run resumes.

    Notes
    -----
    Local workers are started with ``spawn``: a script that calls :func:`run` must do so
    under ``if __name__ == "__main__":``.
    """
    t0 = time.perf_counter()
    key = lambda job: (job.notebook, job.folder)  # noqa: E731 - Job holds a dict: not hashable
    todo, results = [], {}
    for job in jobs:
        if not force and job.up_to_date():
            results[key(job)] = JobResult(job, "skipped")
            if on_result:
                on_result(results[key(job)])
        else:
            todo.append(job)
    if todo:
        folders = [job.folder for job in todo]
        remove_partial_files(folders)  # what a run killed outright (SIGKILL, power) may have left
        if scheduler:
            stream: Iterator[JobResult] = _run_dask(todo, scheduler)
        elif n_jobs == 0:
            stream = _run_here(todo)
        else:
            stream = _run_local(todo, n_jobs or os.cpu_count() or 1)
        try:
            with stop_on_signals():
                for result in stream:
                    results[key(result.job)] = result
                    if on_result:
                        on_result(result)
        except KeyboardInterrupt as e:
            with ignore_signals():  # a second Ctrl-C must not cut the clean-up short
                stream.close()  # kills the workers and their kernels (a cluster's queued jobs are cancelled)
                if not scheduler:
                    remove_partial_files(folders)
            finished = sum(r.status != "skipped" for r in results.values())
            raise RunInterrupted(getattr(e, "signum", signal.SIGINT), finished,
                                 len(jobs) - len(results)) from None
    return RunReport([results[key(j)] for j in jobs], time.perf_counter() - t0)


def result_record(r: JobResult) -> dict[str, Any]:
    """A JSON-ready record of a result (for logs and the benchmark)."""
    d = asdict(r)
    d["job"] = {"notebook": Path(r.job.notebook).name, "scope": r.job.scope, "folder": r.job.folder}
    return d

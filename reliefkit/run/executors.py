"""Run the notebooks for every district and the whole region (``reliefkit run``).

For each scope — every district and the whole region (``_region``) — and each notebook,
a :class:`~reliefkit.run.jobs.Job` (:func:`reliefkit.run.planning.plan`) executes the
notebook with papermill into ``OUT/<year>/<scope>/``: the executed ``.ipynb``, its HTML
with the inputs hidden, and whatever the notebook writes into its ``output_dir`` (the
summary files, the workbooks). Then ``OUT/<year>/index.html`` lists every scope with its
key facts and links (:mod:`reliefkit.run.index`). :func:`run` picks the executor:

- **In-process, in long-lived workers** (the default). ``import papermill`` costs about
  two seconds; each worker process imports it (and nbconvert) once and then executes
  notebook after notebook through :func:`reliefkit.run.execute.execute_job` — never a
  papermill command per notebook. ``jobs`` workers run in parallel (default: the
  machine's cores).
- **One by one in this process** (``n_jobs=0``, for debugging): each job in a thread,
  so that the main thread stays free to take a signal.
- **Dask.** With ``scheduler="tcp://host:8786"`` the same jobs are submitted to an
  existing Dask distributed cluster (whose workers have reliefkit installed and share
  this file system, or read the store and write the outputs at a URL: ``staging``,
  :mod:`reliefkit.run.cluster`); each Dask worker keeps papermill imported between jobs.
  A job that failed for a reason of its worker (before any cell ran) is tried once more
  on another worker, then reported.

Whichever runs them:

- **The environment's own kernel** (:class:`reliefkit.run.kernel.OwnKernelManager`): the
  notebooks run in the Python that runs the worker, whatever kernelspecs the machine has;
  kernels talk over Unix sockets, so parallel starts cannot race for TCP ports, and a
  kernel that fails to start is started once more before the job counts as failed.
- **A fresh, warm kernel per notebook** (:mod:`reliefkit.run.warm`). A local worker keeps
  one kernel started, with pandas, matplotlib, seaborn and the kit imported, for its next
  notebook: the kernel start and the imports overlap the previous notebook. Each kernel
  runs one notebook and is killed; nothing is shared between notebooks. (In-process and
  on Dask, each notebook's kernel is started when the notebook starts.)
- **Per-cell timeout** (``timeout`` seconds; None: no limit).
- **Failures stay local.** A failing notebook does not stop the others; its partial
  notebook (and HTML) is kept, and its :class:`~reliefkit.run.jobs.JobResult` names the
  cell (``In [n]``) and the error.
- **Interruptible.** SIGINT (Ctrl-C) or SIGTERM stops the run cleanly
  (:mod:`reliefkit.run.interrupt`): the notebook being executed is written to a hidden
  ``.<notebook>.running.ipynb`` and renamed into place only when it ended, the workers and
  their kernels are killed, the temporaries are removed, and
  :class:`~reliefkit.errors.RunInterrupted` says how many notebooks finished. The next run
  resumes: what finished is up to date.
- **Up to date is skipped** (:mod:`reliefkit.run.fingerprint`). Each output has a stamp
  (``.<notebook>.run.json``) holding a hash of the notebook, the parameters, the region
  folder's files, the scheme files and the kit's code (every module, template and policy
  of the package, and the versions of pandas, numpy, matplotlib and seaborn); a job whose
  stamp matches and whose outputs exist is skipped. A job removes its stamp when it
  starts and writes it when it ends. ``force=True`` runs everything.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence

from reliefkit.errors import ReliefkitError, RunInterrupted
from reliefkit.run.execute import crashed, execute_job, warm_worker
from reliefkit.run.interrupt import (
    ignore_signals,
    kill_kernels_of,
    kill_process_trees,
    remove_partial_files,
    stop_on_signals,
)
from reliefkit.run.jobs import Job, JobResult, RunReport
from reliefkit.run.cluster import Staging, execute_staged, run_on_cluster

__all__ = ["run"]


def _run_local(jobs: list[Job], n_jobs: int, staging: Staging | None = None) -> Iterator[JobResult]:
    """The jobs in ``n_jobs`` worker processes (started with ``spawn``, warmed once);
    staged (:mod:`reliefkit.run.cluster`) with ``staging``."""
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor, as_completed

    workers = max(1, min(n_jobs, len(jobs)))
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("spawn"), initializer=warm_worker)
    try:
        futures = {(pool.submit(execute_staged, staging.staged(job)) if staging else pool.submit(execute_job, job)): job
                   for job in jobs}  # Future → Job
        for fut in as_completed(futures):
            try:
                result = fut.result()
            except Exception as e:  # noqa: BLE001 - a worker that died
                result = crashed(futures[fut], e)
            yield result
    except BaseException:  # stopped (a signal, or the consumer closed us): kill the work in progress
        kill_process_trees(list(getattr(pool, "_processes", None) or {}))  # every worker, its kernel and spare
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _run_here(jobs: list[Job], staging: Staging | None = None) -> Iterator[JobResult]:
    """One job after the other in this process — each in a thread, so that the main
    thread stays free to take a signal and stop the job's kernel.

    The run owns a stop event, which every job is given: when the run is stopped, the
    event is set before the job's kernel is killed, so that the job neither retries nor
    saves anything.
    """
    from concurrent.futures import ThreadPoolExecutor

    stop = threading.Event()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="reliefkit-job") as pool:
        for job in jobs:
            fut = pool.submit(execute_staged, staging.staged(job)) if staging else pool.submit(execute_job, job, stop)
            try:
                result = fut.result()
            except BaseException:
                stop.set()
                kill_kernels_of(os.getpid())
                with contextlib.suppress(BaseException):
                    fut.result()  # the job ends at once: its kernel is gone, and it saves nothing
                raise
            yield result


def _run_dask(jobs: list[Job], address: str, staging: Staging | None = None) -> Iterator[JobResult]:
    """The jobs on the Dask distributed scheduler at ``address`` (staged with ``staging``),
    a worker's failure retried on another worker (:func:`reliefkit.run.cluster.run_on_cluster`)."""
    _check_reachable(address)
    yield from run_on_cluster([staging.staged(j) for j in jobs] if staging else jobs, address)


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
        on_result: Callable[[JobResult], None] | None = None, staging: Staging | None = None) -> RunReport:
    """Execute the jobs (see the module's notes) and return every result in plan order.

    Parameters
    ----------
    jobs : sequence of Job
        From :func:`reliefkit.run.planning.plan`.
    n_jobs : int, optional
        Local worker processes (default: the machine's cores); 0 runs the jobs one after
        the other in this process (for debugging); ignored with ``scheduler``.
    force : bool
        Run jobs that are up to date too.
    scheduler : str, optional
        A Dask distributed scheduler address: run the jobs there.
    on_result : callable, optional
        Called with each result as it arrives (progress).
    staging : Staging, optional
        The store or the outputs are at a URL: each job runs staged on its worker and
        is up to date when its stamp at the output location says so
        (:mod:`reliefkit.run.cluster`).

    Returns
    -------
    RunReport
        Every job's result (``ok``, ``failed`` or ``skipped``), in the order of ``jobs``.

    Raises
    ------
    RunInterrupted
        On SIGINT or SIGTERM: the jobs in progress were killed and left no file; those
        that finished keep their outputs and stamps, so the next run resumes.

    Notes
    -----
    Local workers are started with ``spawn``: a script that calls :func:`run` must do so
    under ``if __name__ == "__main__":``.

    Examples
    --------
    >>> import tempfile, nbformat
    >>> from pathlib import Path
    >>> from reliefkit.run.planning import plan
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     nb = Path(tmp, "one.ipynb")
    ...     nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")]), nb)
    ...     jobs = plan("data/sample", 2026, ["城关镇"], [nb], Path(tmp, "out"), html=False)
    ...     first, second = run(jobs, n_jobs=0).counts(), run(jobs, n_jobs=0).counts()
    >>> first, second
    ({'ok': 1, 'skipped': 0, 'failed': 0}, {'ok': 0, 'skipped': 1, 'failed': 0})
    """
    t0 = time.perf_counter()
    key = lambda job: (job.notebook, job.folder)  # noqa: E731 - Job holds a dict: not hashable
    todo, results = [], {}
    for job in jobs:
        if not force and (staging.up_to_date(job) if staging else job.up_to_date()):
            results[key(job)] = JobResult(job, "skipped")
            if on_result:
                on_result(results[key(job)])
        else:
            todo.append(job)
    if todo:
        folders = [job.folder for job in todo]
        remove_partial_files(folders)  # what a run killed outright (SIGKILL, power) may have left
        if scheduler:
            stream: Iterator[JobResult] = _run_dask(todo, scheduler, staging)
        elif n_jobs == 0:
            stream = _run_here(todo, staging)
        else:
            stream = _run_local(todo, n_jobs or os.cpu_count() or 1, staging)
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

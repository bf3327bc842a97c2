"""Executing one :class:`~reliefkit.run.jobs.Job` in this process: papermill in-process,
the environment's own kernel as a child process, the HTML export, the stamp.

:func:`execute_job` is the importable entry point of every executor
(:mod:`reliefkit.run.executors`): local worker processes, Dask workers, and a thread of
the run's own process. A job that runs in a thread of the run's process is given the
run's stop event (a :class:`threading.Event`): once it is set — the run is being
stopped, and the job's kernel killed — the job neither retries nor saves anything and
raises :class:`~reliefkit.run.interrupt.Stopped`. A job in a worker process has no stop
event: stopping a run kills the worker outright.

Each notebook runs in a kernel of its own, started ahead of time with the imports done
(:mod:`reliefkit.run.warm`; papermill executes it through :mod:`reliefkit.run.engine`)
and killed when the notebook ends. Another kernel is taken when the first failed to start
(a start race) or died mid-notebook; a second failure fails the job, which keeps its
partial notebook.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

from reliefkit.run.fingerprint import write_stamp
from reliefkit.run.interrupt import Stopped
from reliefkit.run.jobs import Job, JobResult
from reliefkit.run.normalize import normalize_notebook
from reliefkit.safety.atomic import atomic_write_text

__all__ = ["KERNEL_NAME", "execute_job", "crashed", "warm_worker"]

#: the kernel papermill is asked for (:class:`reliefkit.run.kernel.OwnKernelManager`
#: gives it this environment's Python)
KERNEL_NAME = "python3"


def execute_job(job: Job, stop: threading.Event | None = None) -> JobResult:
    """Execute one notebook in this process (papermill in-process; the kernel is a child
    process).

    In a thread other than the main one (a Dask worker runs tasks in threads, several at
    a time; the in-process executor runs its jobs in a thread), the job runs in a fresh
    context, so that papermill's asynchronous client makes an event loop of its own
    (jupyter_core keeps its loop in a context variable, which the threads would otherwise
    share); the loop is closed afterwards.

    Parameters
    ----------
    job : Job
        From :func:`reliefkit.run.planning.plan`.
    stop : threading.Event, optional
        The run's stop event, set when the run is being stopped (see the module's notes).

    Returns
    -------
    JobResult
        ``ok`` or ``failed``.

    Raises
    ------
    Stopped
        When ``stop`` was set: nothing of the job was saved.

    Examples
    --------
    >>> import tempfile, nbformat
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     nb = Path(tmp, "one.ipynb")
    ...     nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")]), nb)
    ...     result = execute_job(Job(str(nb), None, str(Path(tmp, "out")), {}, html=False))
    ...     result.status, result.kernel_starts, Path(tmp, "out", ".one.run.json").is_file()
    ('ok', 1, True)
    """
    import asyncio
    import contextvars

    if threading.current_thread() is threading.main_thread():
        return _execute_job(job, stop)
    try:
        return contextvars.Context().run(_execute_job, job, stop)
    finally:
        try:
            loop = asyncio.get_event_loop_policy().get_event_loop()
        except RuntimeError:
            loop = None
        if loop is not None and not loop.is_running():
            loop.close()
            asyncio.set_event_loop(None)


def _stopping(stop: threading.Event | None) -> bool:
    return stop is not None and stop.is_set()


def _execute_job(job: Job, stop: threading.Event | None) -> JobResult:
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from reliefkit.run.engine import ENGINE_NAME
    from reliefkit.run.warm import KernelNotReady, pool_for_this_thread

    Path(job.folder).mkdir(parents=True, exist_ok=True)
    job.stamp.unlink(missing_ok=True)  # not up to date until it ends
    pool = pool_for_this_thread()

    status, cell, ename, evalue = "ok", None, "", ""
    starts = 0
    t0 = time.perf_counter()
    try:
        for attempt in (1, 2):
            starts = attempt
            kernel = None
            try:
                kernel = pool.take()  # a fresh kernel for this notebook, warm; the pool warms the next one
                papermill.execute_notebook(
                    job.notebook, str(job.running), parameters=job.parameters, kernel_name=KERNEL_NAME,
                    progress_bar=False, log_output=False, start_timeout=60, execution_timeout=job.timeout,
                    engine_name=ENGINE_NAME, warm_kernel=kernel,
                    resources={"metadata": {"path": job.folder}},
                )
            except PapermillExecutionError as e:
                status, cell, ename, evalue = "failed", e.exec_count, e.ename, _first_line(e.evalue)
            except Exception as e:  # noqa: BLE001 - a kernel that died, a timeout, a bad notebook
                if _stopping(stop):
                    break
                started = kernel is not None and not isinstance(e, KernelNotReady)
                if attempt == 1 and (not started or type(e).__name__ == "DeadKernelError"):
                    continue  # the kernel did not start (a start race) or was killed mid-notebook: once more
                status, ename, evalue = "failed", type(e).__name__, _first_line(str(e))
                if started and job.running.is_file():
                    cell = _running_cell(json.loads(job.running.read_text(encoding="utf-8")))
            finally:
                if kernel is not None:
                    kernel.shutdown()  # one kernel, one notebook
            break
        if _stopping(stop):  # the run is being stopped: save nothing of this job
            raise Stopped(signal.SIGINT)
        return _save(job, status, cell, ename, evalue, time.perf_counter() - t0, starts)
    finally:
        job.running.unlink(missing_ok=True)


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
    """The executed notebook as a page that works offline (:func:`reliefkit.run.html.notebook_html`)."""
    import nbformat

    from reliefkit.run.html import notebook_html
    from reliefkit.text.words import words

    nb = nbformat.read(job.output, as_version=4)
    lang = job.parameters.get("lang") if job.parameters.get("lang") in ("zh", "en") else "zh"
    title = f"{Path(job.notebook).stem} — {job.scope or words(lang)['index']['region']}"
    atomic_write_text(job.html_path, notebook_html(nb, title, lang))


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
    write_stamp(job.stamp, job.key, status)
    return JobResult(job, status, cell, ename, evalue, seconds, cell_seconds, html_seconds, starts,
                     f"{os.uname().nodename}:{os.getpid()}" if hasattr(os, "uname") else str(os.getpid()))


def _first_line(message: str) -> str:
    """The first line of an error message, identifiers masked: it goes to the terminal,
    the index page and logs, where the privacy gate does not look."""
    from reliefkit.safety.identifiers import mask_identifiers

    lines = str(message).strip().splitlines()
    return mask_identifiers(lines[0]) if lines else ""


def crashed(job: Job, e: BaseException) -> JobResult:
    """The result of a job whose worker died (or that could not be run at all).

    Parameters
    ----------
    job : Job
    e : BaseException
        What the executor got instead of a result.

    Returns
    -------
    JobResult
        ``failed``, no cell, the error's first line (identifiers masked).

    Examples
    --------
    >>> r = crashed(Job("/nb/a.ipynb", "A", "/out/2026/A", {}), RuntimeError("worker died\\nmore"))
    >>> r.status, r.cell, r.ename, r.evalue
    ('failed', None, 'RuntimeError', 'worker died')
    """
    return JobResult(job, "failed", None, type(e).__name__, _first_line(str(e)))


def warm_worker(spares: int = 1) -> None:
    """Worker initializer: start warming the first kernel (:func:`reliefkit.run.warm.enable`:
    ``spares`` kernels kept ready, one per coming notebook), import what every job needs,
    once per worker, and leave the terminal's process group, so that Ctrl-C reaches the run
    (which stops the workers and their kernels), not each worker on its own.

    Only for a worker process: it moves the calling process to a process group of its own.
    """
    if hasattr(os, "setpgrp"):
        os.setpgrp()
    from reliefkit.run import warm

    warm.enable(spares)  # the kernel boots while this process imports papermill
    import nbconvert  # noqa: F401
    import papermill  # noqa: F401

    from reliefkit.run import engine  # noqa: F401

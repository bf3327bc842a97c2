"""Warm kernels: each notebook gets a fresh kernel whose start and imports are already paid.

A notebook's fixed cost — starting a kernel (a Python process, ipykernel) and importing
pandas, matplotlib, seaborn and reliefkit — is paid ahead of time, while the previous
notebook runs. A :class:`KernelPool` keeps ``spares`` pre-started kernels per worker
process: each was started with this environment's Python
(:class:`reliefkit.run.kernel.OwnKernelManager`, the same arguments and environment
papermill's client gives a kernel) and has executed :data:`WARMUP_CODE` silently — no
history, no execution count, no name left in the user's namespace. :meth:`KernelPool.take`
hands out a warming kernel and at once starts its replacement.

A kernel runs exactly one notebook and is then killed (:meth:`WarmKernel.shutdown`): no
state is shared between notebooks. Before the notebook's first cell, the kernel moves to
the job's folder (``os.chdir``), the working directory the notebook expects.

A warm kernel is a child of the worker that started it, so stopping a run kills it with
the worker (:func:`reliefkit.run.interrupt.kill_process_tree`); a worker that exits
normally kills its spares (:func:`enable` registers that), and a kernel whose worker
vanished exits by itself (ipykernel watches its parent).

The pool belongs to the thread (and asyncio loop) that made it; elsewhere
:func:`pool_for_this_thread` gives a pool without spares, whose :meth:`~KernelPool.take`
starts a kernel on the spot (the in-process executor, Dask workers, direct calls).

Examples
--------
>>> WARMUP_MODULES[0], "seaborn" in WARMUP_MODULES
('reliefkit.notebook.show', True)
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

from reliefkit.errors import ReliefkitError

__all__ = ["WARMUP_MODULES", "WARMUP_CODE", "KernelNotReady", "WarmKernel", "KernelPool", "enable",
           "pool_for_this_thread", "close"]

#: what a warm kernel imports before its notebook: the libraries and the kit's notebook
#: modules (``show`` first: it keeps library noise out of outputs, as in the notebooks)
WARMUP_MODULES = (
    "reliefkit.notebook.show", "numpy", "pandas", "matplotlib", "matplotlib.figure", "seaborn",
    "reliefkit", "reliefkit.notebook.parameters", "reliefkit.notebook.outputs", "reliefkit.notebook.explore_tables",
    "reliefkit.notebook.explore_charts", "reliefkit.notebook.compare_tables", "reliefkit.notebook.compare_charts",
    "reliefkit.notebook.widgets", "reliefkit.report.summary", "reliefkit.report.charts", "reliefkit.simulate.compare",
)

#: executed silently in a fresh kernel: imports that leave no name behind (one that fails
#: is left to fail in the notebook, where it is reported)
WARMUP_CODE = (f"for __reliefkit_module in {WARMUP_MODULES!r}:\n"
               "    try:\n        __import__(__reliefkit_module)\n    except Exception:\n        pass\n"
               "del __reliefkit_module")

#: what nbclient passes a kernel it starts (papermill's client does the same)
_KERNEL_ARGUMENTS = ["--HistoryManager.hist_file=:memory:"]


class KernelNotReady(ReliefkitError):
    """A kernel exited, or did not answer, before its notebook's first cell."""


def _run(coro: Any) -> Any:
    """Run a coroutine on this thread's event loop (the one papermill's client uses)."""
    from jupyter_core.utils import run_sync

    async def wrapped() -> Any:
        return await coro

    return run_sync(wrapped)()


class WarmKernel:
    """One kernel, started with :data:`WARMUP_CODE` sent to it.

    Parameters
    ----------
    warmup : str
        Code executed silently right after the start.
    cwd : str, optional
        The folder the kernel starts in (default: this process's working directory).

    Attributes
    ----------
    km : reliefkit.run.kernel.OwnKernelManager
    kc : jupyter_client.asynchronous.AsyncKernelClient
        Its client; papermill's client uses it for the notebook.

    Examples
    --------
    >>> import tempfile
    >>> kernel = WarmKernel()
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     kernel.enter(tmp)   # the warm-up has run: pandas imported, no name left behind
    ...     here = kernel.evaluate("__import__('os').getcwd()") == repr(str(Path(tmp).resolve()))
    ...     warm = kernel.evaluate("'pandas' in __import__('sys').modules and 'pandas' not in dir()")
    >>> here, warm
    (True, 'True')
    >>> kernel.shutdown()
    >>> kernel.alive()
    False
    """

    def __init__(self, warmup: str = WARMUP_CODE, cwd: str | None = None) -> None:
        from reliefkit.run.kernel import OwnKernelManager

        self.km = OwnKernelManager()
        self.kc: Any = None
        self._warmup = warmup
        self._warmup_id: str | None = None
        self._ready = False
        try:
            _run(self._start(cwd or os.getcwd()))
        except BaseException:
            self.shutdown()  # nothing half-started is left running
            raise

    async def _start(self, cwd: str) -> None:
        await self.km.start_kernel(extra_arguments=list(_KERNEL_ARGUMENTS), cwd=cwd)
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.allow_stdin = False
        # queued by ZeroMQ until the kernel listens: the kernel imports while we do other work
        self._warmup_id = self.kc.execute(self._warmup, silent=True, store_history=False, allow_stdin=False)

    def alive(self) -> bool:
        """Whether the kernel process is running."""
        return bool(self.km.has_kernel and _run(self.km.is_alive()))

    async def _reply(self, msg_id: str, timeout: float) -> dict:
        """The shell reply to ``msg_id``; :class:`KernelNotReady` when the kernel exits or
        ``timeout`` seconds pass first."""
        import queue

        end = time.monotonic() + timeout
        while True:
            try:
                msg = await self.kc.get_shell_msg(timeout=0.25)
            except queue.Empty:
                msg = None
            if msg is not None and msg["parent_header"].get("msg_id") == msg_id:
                return msg
            if not await self.km.is_alive():
                code = self.km.provisioner.process.returncode if self.km.provisioner else None
                raise KernelNotReady(f"the kernel exited before the notebook started (exit code {code})",
                                     "check that ipykernel is installed in this environment; the job is "
                                     "tried once more with a new kernel")
            if time.monotonic() > end:
                raise KernelNotReady(f"the kernel did not answer within {timeout:g} s",
                                     "the machine may be overloaded: use fewer --jobs")

    def ready(self, timeout: float = 60) -> None:
        """Wait until the warm-up has run (at once when it already has).

        Parameters
        ----------
        timeout : float
            Seconds to wait (the kernel's start timeout).

        Raises
        ------
        KernelNotReady
            The kernel exited or did not answer in time.
        """
        if not self._ready:
            _run(self._reply(self._warmup_id, timeout))  # a failed import fails the notebook, not here
            self._ready = True

    def enter(self, folder: str | os.PathLike, timeout: float = 60) -> None:
        """Wait for the warm-up, then move the kernel to ``folder`` (the notebook's
        working directory).

        Raises
        ------
        KernelNotReady
            The kernel exited, did not answer in time, or cannot enter ``folder``.
        """
        self.ready(timeout)
        reply = _run(self._reply(self.kc.execute(f"__import__('os').chdir({str(Path(folder))!r})", silent=True,
                                                 store_history=False, allow_stdin=False), timeout))
        if reply["content"].get("status") != "ok":
            raise KernelNotReady(f"the kernel cannot enter the job's folder {folder}: "
                                 f"{reply['content'].get('evalue', '')}", "check that the folder exists and is "
                                 "readable")

    def evaluate(self, expression: str, timeout: float = 60) -> str:
        """The text (``repr``) of ``expression`` evaluated silently in the kernel."""
        msg_id = self.kc.execute("", silent=True, store_history=False, user_expressions={"x": expression})
        value = _run(self._reply(msg_id, timeout))["content"]["user_expressions"]["x"]
        return value.get("data", {}).get("text/plain", value.get("evalue", ""))

    def shutdown(self) -> None:
        """Kill the kernel now and remove its connection file and sockets (also after a
        kernel that died)."""
        async def stop() -> None:
            if self.kc is not None:
                self.kc.stop_channels()
            process = getattr(self.km.provisioner, "process", None)
            if process is not None and process.poll() is None:  # killed and reaped at once (jupyter_client
                with contextlib.suppress(OSError):             # would poll for it every 0.1 s)
                    if hasattr(os, "killpg"):  # its process group: the kernel and what it started
                        os.killpg(getattr(self.km.provisioner, "pgid", None) or process.pid, signal.SIGKILL)
                    else:
                        process.kill()
                with contextlib.suppress(Exception):
                    process.wait(timeout=5)
            try:
                if self.km.has_kernel:
                    await self.km.shutdown_kernel(now=True)
            except RuntimeError:
                pass  # already gone
            finally:
                await self.km.cleanup_resources()

        _run(stop())


class KernelPool:
    """Pre-started kernels for the notebooks this thread will run, one kernel a notebook.

    Parameters
    ----------
    spares : int
        How many kernels to keep warming for the next notebooks (0: start one when
        asked).
    warmup : str
        What a kernel executes silently right after its start.

    Examples
    --------
    >>> pool = KernelPool(spares=1)
    >>> first = pool.take()    # the spare, and a new spare starts at once
    >>> first.ready(); first.kc.execute("x = 1") and None
    >>> second = pool.take()   # a fresh kernel: it knows no x
    >>> second.evaluate("'x' in dir()")
    'False'
    >>> first.shutdown(); second.shutdown(); pool.close()
    """

    def __init__(self, spares: int = 1, warmup: str = WARMUP_CODE) -> None:
        self.spares = max(0, int(spares))
        self.warmup = warmup
        self._waiting: list[WarmKernel] = []
        self.thread = threading.get_ident()
        self.fill()

    def fill(self) -> None:
        """Start kernels until ``spares`` are warming. A kernel that cannot be started now
        is started when a notebook needs it, where its error is reported."""
        try:
            while len(self._waiting) < self.spares:
                self._waiting.append(WarmKernel(self.warmup))
        except Exception:  # noqa: BLE001, S110 - see above
            pass

    def take(self) -> WarmKernel:
        """A kernel for one notebook (the oldest spare, or one started now); the pool
        starts a replacement at once.

        Returns
        -------
        WarmKernel
            Call :meth:`WarmKernel.enter` before the notebook, :meth:`WarmKernel.shutdown`
            after it.
        """
        kernel = self._waiting.pop(0) if self._waiting else WarmKernel(self.warmup)
        self.fill()
        return kernel

    def close(self) -> None:
        """Kill the spares."""
        while self._waiting:
            self._waiting.pop().shutdown()


_POOL: KernelPool | None = None


def enable(spares: int = 1) -> KernelPool:
    """Give this thread a pool of ``spares`` warm kernels (a worker process's main thread
    calls it once); the spares are killed when the process exits.

    Returns
    -------
    KernelPool

    Examples
    --------
    >>> pool = enable(spares=0)  # no spare: nothing starts yet
    >>> pool is pool_for_this_thread()
    True
    >>> close()
    """
    global _POOL
    import atexit
    from multiprocessing import util

    close()
    _POOL = KernelPool(spares)
    util.Finalize(None, close, exitpriority=100)  # a pool's worker leaves through multiprocessing
    atexit.register(close)
    return _POOL


def pool_for_this_thread() -> KernelPool:
    """The pool :func:`enable` made, when this is its thread; otherwise a pool without
    spares (a kernel is started when a notebook needs it).

    Returns
    -------
    KernelPool

    Examples
    --------
    >>> pool_for_this_thread().spares  # no pool enabled here
    0
    """
    if _POOL is not None and _POOL.thread == threading.get_ident():
        return _POOL
    return KernelPool(spares=0)


def close() -> None:
    """Kill this process's spare kernels (if any) and forget the pool.

    Examples
    --------
    >>> close()
    >>> _POOL is None
    True
    """
    global _POOL
    pool, _POOL = _POOL, None
    if pool is not None and pool.thread == threading.get_ident():
        pool.close()

"""A papermill engine that executes a notebook in a warm kernel (:mod:`reliefkit.run.warm`).

papermill does everything it does for any notebook — the injected parameters cell, its
metadata, the notebook saved after each cell, the error cell and
:class:`~papermill.exceptions.PapermillExecutionError` — and its nbclient engine runs the
cells with the per-cell timeout. The only change: instead of starting a kernel, the client
is given a :class:`~reliefkit.run.warm.WarmKernel` (manager and client), which first
moves to the folder papermill would have started the kernel in
(``resources["metadata"]["path"]``). The kernel is not shut down here: whoever took it
from the pool does that.

Examples
--------
>>> import tempfile, nbformat, papermill
>>> from reliefkit.run.warm import KernelPool
>>> with tempfile.TemporaryDirectory() as tmp:
...     nb = Path(tmp, "one.ipynb")
...     nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import os; os.getcwd()")]), nb)
...     kernel = KernelPool(spares=0).take()
...     out = papermill.execute_notebook(str(nb), str(Path(tmp, "out.ipynb")), engine_name=ENGINE_NAME,
...                                      kernel_name="python3", progress_bar=False, warm_kernel=kernel,
...                                      resources={"metadata": {"path": tmp}})
...     kernel.shutdown()
...     out.cells[0].outputs[0].data["text/plain"] == repr(str(Path(tmp)))
True
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.utils import merge_kwargs, remove_args

from reliefkit.run.warm import WarmKernel

__all__ = ["ENGINE_NAME", "WarmEngine"]

#: the name :func:`papermill.execute_notebook` is given (``engine_name=``)
ENGINE_NAME = "reliefkit-warm"


class WarmEngine(NBClientEngine):
    """papermill's nbclient engine, executing in the kernel passed as ``warm_kernel``."""

    @classmethod
    def execute_managed_notebook(cls, nb_man: Any, kernel_name: str, log_output: bool = False,
                                 stdout_file: Any = None, stderr_file: Any = None, start_timeout: float = 60,
                                 execution_timeout: float | None = None, *, warm_kernel: WarmKernel,
                                 **kwargs: Any) -> Any:
        """Execute ``nb_man``'s notebook in ``warm_kernel`` (the arguments are
        :meth:`papermill.engines.NBClientEngine.execute_managed_notebook`'s).

        Returns
        -------
        nbformat.NotebookNode
            The executed notebook.

        Raises
        ------
        reliefkit.run.warm.KernelNotReady
            The kernel exited or did not answer before the first cell.

        Examples
        --------
        See the module's: :func:`papermill.execute_notebook` calls it with
        ``engine_name=ENGINE_NAME`` and ``warm_kernel=``.
        """
        from papermill.engines import logger

        kwargs = remove_args(["input_path"], **kwargs)
        safe_kwargs = remove_args(["timeout", "startup_timeout", "kernel_manager_class"], **kwargs)
        final_kwargs = merge_kwargs(
            safe_kwargs, timeout=execution_timeout if execution_timeout else kwargs.get("timeout"),
            startup_timeout=start_timeout, kernel_name=kernel_name, log=logger, log_output=log_output,
            stdout_file=stdout_file, stderr_file=stderr_file,
        )
        folder = (final_kwargs.get("resources") or {}).get("metadata", {}).get("path") or str(Path.cwd())
        warm_kernel.enter(folder, timeout=start_timeout)
        client = PapermillNotebookClient(nb_man, km=warm_kernel.km, **final_kwargs)
        client.kc = warm_kernel.kc  # a kernel manager with a kernel and a client: nbclient starts neither
        return client.execute()


papermill_engines.register(ENGINE_NAME, WarmEngine)

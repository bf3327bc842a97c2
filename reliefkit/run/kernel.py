"""The Jupyter kernel that runs the notebooks: this very Python environment.

A notebook names its kernel (``python3``); which program that name starts depends on the
kernelspecs a machine has — a user's own ``python3`` spec may point at another Python
without reliefkit (the classic venv-versus-CI mismatch). :class:`OwnKernelManager`
ignores the name and starts ``sys.executable -m ipykernel_launcher``: the interpreter that
runs ``reliefkit run`` (or a Dask worker) is the one that runs the notebooks.
:mod:`reliefkit.run.warm` starts these kernels ahead of time, one per notebook.

Examples
--------
>>> import sys
>>> own_kernel_spec().argv[0] == sys.executable
True
"""

from __future__ import annotations

import os
import sys
import uuid
from pathlib import Path

from jupyter_client import AsyncKernelManager
from jupyter_client.kernelspec import KernelSpec

__all__ = ["KERNEL_NAME", "own_kernel_spec", "OwnKernelManager"]

#: the kernel name the committed notebooks carry (and JupyterLab shows)
KERNEL_NAME = "python3"


def own_kernel_spec() -> KernelSpec:
    """A kernelspec whose command is this interpreter's ipykernel."""
    return KernelSpec(
        argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        display_name=f"Python {sys.version_info.major}.{sys.version_info.minor} (reliefkit)",
        language="python",
        # no interrupt over a signal: the runner has its own per-cell timeout
        metadata={"debugger": False},
    )


class OwnKernelManager(AsyncKernelManager):
    """An AsyncKernelManager (what nbclient and papermill use) that always starts
    :func:`own_kernel_spec`, whatever kernel name the notebook carries.

    On POSIX it talks to the kernel over Unix sockets (``ipc``) beside the connection
    file rather than TCP ports: parallel kernel starts cannot race for a port.
    """

    def __init__(self, **kwargs: object) -> None:
        if os.name == "posix" and "transport" not in kwargs:
            from jupyter_core.paths import jupyter_runtime_dir

            runtime = Path(jupyter_runtime_dir())
            runtime.mkdir(parents=True, exist_ok=True)
            # an absolute socket path: the kernel runs in another working directory
            kwargs.update(transport="ipc", ip=str(runtime / f"reliefkit-{uuid.uuid4().hex[:12]}-ipc"))
        super().__init__(**kwargs)

    @property
    def kernel_spec(self) -> KernelSpec:  # type: ignore[override]
        if self._kernel_spec is None:
            self._kernel_spec = own_kernel_spec()
        return self._kernel_spec

"""Serve the dashboard with Voilà: ``reliefkit dashboard [REGION_DIR] --year Y --port P``.

Voilà (the Jupyter project's dashboard server) renders ``notebooks/dashboard/dashboard.ipynb``
with its code hidden. Its kernels are **preheated**: ``pool_size`` kernels are started
when the server starts and each runs the notebook at once — the region read and
validated, the explorer and the playground built — so the first page is served from a
kernel that is already done, and the next kernel is started as soon as one is taken.
The region, year and language reach the kernel in the variables of
:data:`reliefkit.dashboard.app.ENV` (a preheated kernel runs before any request).

Served on 127.0.0.1 unless told otherwise; on any other address a token is required
(``--token`` or the variable :data:`TOKEN_ENV`), which the page asks for once. Voilà
serves the widgets' JavaScript itself: the page loads nothing from another machine.

Examples
--------
>>> argv = voila_argv(port=8866, ip="127.0.0.1", token="", pool_size=1)
>>> argv[0].endswith("dashboard.ipynb"), "--preheat_kernel=True" in argv, "--Voila.ip=127.0.0.1" in argv
(True, True, True)
"""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Mapping, MutableMapping
from pathlib import Path

from reliefkit.dashboard.app import ENV
from reliefkit.errors import ReliefkitError, UsageError

__all__ = ["TOKEN_ENV", "READY", "TEMPLATE", "SHARE", "notebook_path", "voila_argv", "kernel_environment", "free_port", "serve"]

#: the variable that holds the token when none is given on the command line
TOKEN_ENV = "RELIEFKIT_DASHBOARD_TOKEN"
#: the page's template (``share/voila/templates/reliefkit``: Voilà's lab template, nothing from a CDN)
TEMPLATE = "reliefkit"
#: the folder Voilà finds the template in (prepended to ``JUPYTER_PATH``)
SHARE = Path(__file__).resolve().parent / "share"
#: what the server prints (stderr) once every preheated kernel has run the notebook
READY = "reliefkit dashboard: ready"


def notebook_path() -> Path:
    """The dashboard notebook of the repository.

    Raises
    ------
    ReliefkitError
        In an installed copy of the kit (the notebooks live in the repository).

    Examples
    --------
    >>> notebook_path().name
    'dashboard.ipynb'
    """
    from reliefkit._resources import repo_root

    root = repo_root()
    path = root / "notebooks" / "dashboard" / "dashboard.ipynb" if root is not None else None
    if path is None or not path.is_file():
        raise ReliefkitError("the dashboard's notebook is not here (it lives in the repository, "
                             "notebooks/dashboard/dashboard.ipynb)", "run reliefkit dashboard from a clone of reliefkit")
    return path


def _is_loopback(ip: str) -> bool:
    if ip == "localhost":
        return True
    try:
        return ipaddress.ip_address(ip).is_loopback
    except ValueError:
        return False


def voila_argv(*, port: int, ip: str = "127.0.0.1", token: str = "", pool_size: int = 1,
               notebook: Path | None = None) -> list[str]:
    """Voilà's command line for the dashboard (without the program's name).

    Parameters
    ----------
    port : int
    ip : str
        The address to listen on (127.0.0.1: this machine only; 0.0.0.0: every address).
    token : str
        The token the page asks for ("" for none; required off the loopback).
    pool_size : int
        Preheated kernels kept ready (each holds the region once in memory).
    notebook : Path, optional
        Default: :func:`notebook_path`.

    Raises
    ------
    UsageError
        A non-loopback address without a token, or a pool of fewer than one kernel.

    Examples
    --------
    >>> voila_argv(port=8866, ip="0.0.0.0")
    Traceback (most recent call last):
    ...
    reliefkit.errors.UsageError: ip 0.0.0.0: serving beyond this machine needs a token — give --token or set RELIEFKIT_DASHBOARD_TOKEN
    """
    if not token and not _is_loopback(ip):
        raise UsageError("serving beyond this machine needs a token", f"give --token or set {TOKEN_ENV}", ip=ip)
    if pool_size < 1:
        raise UsageError("needs at least one preheated kernel", "give --pool-size 1 or more", pool_size=pool_size)
    path = notebook if notebook is not None else notebook_path()
    return [
        str(path), "--no-browser", f"--port={int(port)}", f"--Voila.ip={ip}",
        "--preheat_kernel=True", f"--pool_size={int(pool_size)}",
        "--Voila.port_retries=0", "--strip_sources=True", "--show_tracebacks=False", "--theme=light",
        f"--template={TEMPLATE}",
        f"--Voila.token={token}" if token else "--Voila.token=",
    ]


def kernel_environment(region_dir: str | os.PathLike, year: int, lang: str,
                       environ: MutableMapping[str, str] | None = None) -> Mapping[str, str]:
    """Set what the dashboard's kernels read (:data:`~reliefkit.dashboard.app.ENV`) in ``environ``
    (default: this process's environment, which Voilà's kernels inherit).

    Examples
    --------
    >>> env = kernel_environment("data/sample", 2026, "en", {})
    >>> env["RELIEFKIT_DASHBOARD_YEAR"], env["JUPYTER_PREFER_ENV_PATH"]
    ('2026', '1')
    """
    env = os.environ if environ is None else environ
    env[ENV["region_dir"]] = str(Path(region_dir).resolve())
    env[ENV["year"]] = str(int(year))
    env[ENV["lang"]] = lang
    env["JUPYTER_PREFER_ENV_PATH"] = "1"  # the kernel of this environment (the one with reliefkit)
    env["JUPYTER_PATH"] = os.pathsep.join([str(SHARE), *filter(None, [env.get("JUPYTER_PATH")])])
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # no debugger notice in the kernel's log
    return env


def free_port(ip: str = "127.0.0.1") -> int:
    """A TCP port free on ``ip`` now (the operating system's choice).

    Examples
    --------
    >>> 0 < free_port() < 65536
    True
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((ip, 0))
        return int(s.getsockname()[1])


def serve(region_dir: str | os.PathLike, year: int, *, lang: str = "zh", port: int = 8866,
          ip: str = "127.0.0.1", token: str | None = None, pool_size: int = 1) -> int:  # pragma: no cover - a server
    """Run the dashboard's server in this process until SIGTERM or Ctrl-C.

    The region is checked here first (a wrong folder or year fails at once, with the
    kit's message, instead of inside a kernel), then Voilà starts.

    Parameters
    ----------
    region_dir, year, lang
        What the page shows.
    port, ip, pool_size
        As :func:`voila_argv`.
    token : str, optional
        Default: the variable :data:`TOKEN_ENV`, else none.

    Returns
    -------
    int
        0 when the server stopped.

    Examples
    --------
    >>> callable(serve)  # tests/browser starts it through ``reliefkit dashboard``
    True
    """
    import sys

    from reliefkit.dashboard.app import parameters

    token = os.environ.get(TOKEN_ENV, "") if token is None else token
    argv = voila_argv(port=port, ip=ip, token=token, pool_size=pool_size)
    p = parameters(region_dir=str(region_dir), year=year, lang=lang, environ={})
    kernel_environment(p.region_dir, p.year, p.lang)
    shown = "127.0.0.1" if ip in ("0.0.0.0", "::") else ip
    print(f"reliefkit dashboard: {p.region.scope_name(lang)} {p.year} on http://{shown}:{port}/"
          f"{' (token required)' if token else ''}; starting {pool_size} kernel(s) with the region loaded…",
          file=sys.stderr, flush=True)
    app = _voila_class()
    try:
        app.launch_instance(argv=argv)
    except OSError as e:
        raise ReliefkitError(f"cannot listen on {ip}:{port} ({e.strerror or e})",
                             "choose another --port, or stop what uses it") from None
    finally:
        app.clear_instance()
    return 0


def _voila_class() -> type:  # pragma: no cover - a server
    """Voilà's application, which also says (:data:`READY`) when the preheated kernels
    have run the notebook: from then on the first page is served from a kernel that is done."""
    import sys

    import tornado.ioloop
    from voila.app import Voila

    class DashboardServer(Voila):
        def listen(self) -> None:
            tornado.ioloop.IOLoop.current().add_callback(self._announce)
            super().listen()

        async def _announce(self) -> None:
            pools = getattr(self.kernel_manager, "_pools", {})  # Voilà's preheated kernels, per notebook
            try:
                for pool in list(pools.values()):
                    for pending in list(pool):
                        content = await pending
                        await content["task"]  # the notebook's cells, run in that kernel
            except Exception as e:  # noqa: BLE001 - the notebook failed in the kernel: say so, keep serving
                print(f"reliefkit dashboard: the dashboard notebook failed in its kernel ({type(e).__name__}: {e})",
                      file=sys.stderr, flush=True)
                return
            print(f"{READY} (http://{'127.0.0.1' if self.ip in ('0.0.0.0', '::') else self.ip}:{self.port}/)",
                  file=sys.stderr, flush=True)

    return DashboardServer

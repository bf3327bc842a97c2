"""Stopping a run cleanly on SIGINT (Ctrl-C) or SIGTERM (a scheduler, ``kill``).

What an interrupted ``reliefkit run`` guarantees:

- **No half-written output.** Every file is written under a hidden temporary name and
  renamed into place: papermill writes the notebook being executed to
  ``.<notebook>.running.ipynb`` (:func:`running_path`), the kit's writers to
  ``.<name>.<random>.tmp`` (:func:`reliefkit.safety.atomic.atomic_open`). A stop kills the
  work in progress and :func:`remove_partial_files` removes those temporaries, so a
  visible file is either the old one or a complete new one.
- **Nothing keeps running.** The worker processes and their kernels — the one running a
  notebook and the spare warming for the next (:mod:`reliefkit.run.warm`) — are killed
  (:func:`kill_process_tree`), and a killed kernel's connection file and sockets are
  removed from the Jupyter runtime folder.
- **The next run resumes.** A job's up-to-date stamp is removed when the job starts and
  written when it ends, so the same command skips what finished and redoes the rest.

:func:`stop_on_signals` turns SIGTERM (and SIGINT) into :class:`Stopped`, a
:class:`KeyboardInterrupt` carrying the signal number, in the main thread;
:class:`reliefkit.errors.RunInterrupted` is what the runner raises afterwards.

Examples
--------
>>> running_path("reports/2026/A/03-year-end-summary.ipynb").name
'.03-year-end-summary.running.ipynb'
>>> import signal, os
>>> with stop_on_signals():
...     try:
...         os.kill(os.getpid(), signal.SIGTERM)
...     except Stopped as e:
...         print(e.signal_name)
SIGTERM
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import FrameType

__all__ = ["Stopped", "stop_on_signals", "ignore_signals", "running_path", "remove_partial_files", "kill_process_tree",
           "kill_process_trees", "kill_kernels_of"]

#: the hidden temporary files an interrupted run may leave: a notebook papermill was
#: executing, a file the kit's atomic writers had not renamed yet
_PARTIAL = re.compile(r"^\..+\.(running\.ipynb|tmp)$")


class Stopped(KeyboardInterrupt):
    """SIGINT or SIGTERM arrived: a :class:`KeyboardInterrupt` that knows which."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def signal_name(self) -> str:
        return signal.Signals(self.signum).name

    @property
    def exit_code(self) -> int:
        """What a shell reports for a process ended by the signal: 128 + its number."""
        return 128 + self.signum


def _raise_stopped(signum: int, frame: FrameType | None) -> None:
    raise Stopped(signum)


@contextlib.contextmanager
def _handled(handler: object, signums: Iterable[int]) -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield  # Python delivers signals to the main thread only
        return
    previous = {s: signal.signal(s, handler) for s in signums}  # type: ignore[arg-type]
    try:
        yield
    finally:
        for s, old in previous.items():
            signal.signal(s, old)


def stop_on_signals(signums: Iterable[int] = (signal.SIGINT, signal.SIGTERM)) -> contextlib.AbstractContextManager:
    """Within the block, the signals raise :class:`Stopped` in the main thread; the
    previous handlers come back afterwards. In another thread it does nothing."""
    return _handled(_raise_stopped, signums)


def ignore_signals(signums: Iterable[int] = (signal.SIGINT, signal.SIGTERM)) -> contextlib.AbstractContextManager:
    """Within the block, the signals are ignored (a clean-up that must not be cut short)."""
    return _handled(signal.SIG_IGN, signums)


def running_path(output: str | os.PathLike) -> Path:
    """Where papermill writes a notebook while it executes: a hidden name beside the
    output, renamed to the output once the run ended."""
    output = Path(output)
    return output.with_name(f".{output.stem}.running.ipynb")


def remove_partial_files(folders: Iterable[str | os.PathLike]) -> list[Path]:
    """Remove the temporaries an interrupted run left in ``folders`` (not below them);
    return what was removed. Folders that do not exist are passed over.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     for name in (".a.ipynb.x1y2.tmp", ".03-summary.running.ipynb", "a.ipynb", ".a.run.json"):
    ...         _ = Path(tmp, name).write_text("{}")
    ...     removed = [p.name for p in remove_partial_files([tmp])]
    ...     sorted(removed), sorted(p.name for p in Path(tmp).iterdir())
    (['.03-summary.running.ipynb', '.a.ipynb.x1y2.tmp'], ['.a.run.json', 'a.ipynb'])
    """
    removed = []
    for folder in dict.fromkeys(Path(f) for f in folders):
        try:
            entries = list(folder.iterdir())
        except OSError:
            continue
        for p in entries:
            if _PARTIAL.match(p.name) and p.is_file():
                with contextlib.suppress(FileNotFoundError):
                    p.unlink()
                    removed.append(p)
    return removed


# --------------------------------------------------------------------------- processes
def _is_kernel(proc: object) -> bool:
    try:
        return "ipykernel_launcher" in " ".join(proc.cmdline())  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - gone, or not ours to read
        return False


def _connection_file(proc: object) -> Path | None:
    try:
        argv = proc.cmdline()  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001
        return None
    return Path(argv[argv.index("-f") + 1]) if "-f" in argv[:-1] else None


def _remove_kernel_files(connection: Path | None) -> None:
    """A killed kernel's connection file and, for the ``ipc`` transport, its sockets."""
    if connection is None:
        return
    with contextlib.suppress(OSError, ValueError):
        info = json.loads(connection.read_text(encoding="utf-8"))
        if info.get("transport") == "ipc":
            for key in ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port"):
                with contextlib.suppress(OSError):
                    Path(f"{info['ip']}-{info[key]}").unlink()
    with contextlib.suppress(OSError):
        connection.unlink()


def _kill(procs: list, timeout: float = 5.0) -> None:
    import psutil

    for proc in procs:
        with contextlib.suppress(psutil.Error):
            proc.kill()
    psutil.wait_procs(procs, timeout=timeout)


def _stop(pids: Iterable[int], *, with_root: bool) -> int:
    """Kill the Jupyter kernels below the processes ``pids`` — and, ``with_root``, the
    processes themselves and all they started — then remove the kernels' connection files;
    return how many kernels there were. Every tree is listed before anything is killed (a
    process pool terminates its other workers as soon as one dies)."""
    import psutil

    pids = set(pids)
    roots, children = [], []
    for pid in pids:
        try:
            root = psutil.Process(pid)
            children += root.children(recursive=True)
            roots.append(root)
        except psutil.Error:
            continue  # gone already: its kernels are found below by their parent's pid
    kernels = [p for p in children if _is_kernel(p)]
    files = [_connection_file(p) for p in kernels]
    _kill([*roots, *children] if with_root else kernels)  # the roots first: they must not start another kernel
    if with_root:  # a kernel started while we looked, or whose worker was gone, is an orphan now
        known = {p.pid for p in kernels}
        late = [p for p in _kernels_started_by(pids | {c.pid for c in children}) if p.pid not in known]
        files += [_connection_file(p) for p in late]
        _kill(late)
        kernels += late
    for f in files:
        _remove_kernel_files(f)
    return len(kernels)


def _kernels_started_by(pids: set[int]) -> list:
    """The Jupyter kernels whose parent (``JPY_PARENT_PID``, which jupyter_client sets) is
    one of ``pids`` — found also when that parent is gone."""
    import psutil

    found = []
    for proc in psutil.process_iter():
        if not _is_kernel(proc):
            continue
        try:
            parent = proc.environ().get("JPY_PARENT_PID", "")
        except psutil.Error:
            continue
        if parent.isdigit() and int(parent) in pids:
            found.append(proc)
    return found


def kill_kernels_of(pid: int) -> int:
    """Kill the Jupyter kernels started by process ``pid`` (at any depth) and remove their
    connection files; return how many were killed."""
    return _stop([pid], with_root=False)


def kill_process_tree(pid: int) -> None:
    """Kill process ``pid`` and everything it started — a worker, the kernel it was running
    a notebook in and the spare it was warming — and remove the kernels' connection files."""
    _stop([pid], with_root=True)


def kill_process_trees(pids: Iterable[int]) -> None:
    """:func:`kill_process_tree` for several processes at once (every worker of a pool):
    all the trees are listed before any process is killed."""
    _stop(pids, with_root=True)

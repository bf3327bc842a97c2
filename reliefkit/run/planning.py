"""Planning a run: every notebook for every scope, each :class:`~reliefkit.run.jobs.Job`
with its parameters and its up-to-date key.

Examples
--------
>>> import tempfile
>>> from reliefkit.run.discovery import find_notebooks
>>> with tempfile.TemporaryDirectory() as tmp:
...     jobs = plan("data/sample", 2026, [None, "城关镇"], find_notebooks(["03"]), tmp)
>>> [j.name for j in jobs], sorted(jobs[1].parameters)
(['_region/03-year-end-summary', '城关镇/03-year-end-summary'], ['district', 'lang', 'output_dir', 'region_dir', 'year'])
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reliefkit._resources import repo_root
from reliefkit.errors import ReliefkitError
from reliefkit.run.discovery import declared_parameters
from reliefkit.run.fingerprint import STAMP_VERSION, code_fingerprint, fingerprint_files
from reliefkit.run.jobs import Job, scope_folder
from reliefkit.store.build import is_store, read_meta

__all__ = ["plan", "STORE_FOLDER", "injected_path"]

#: the run's store, in the year's output folder (built by ``reliefkit run``)
STORE_FOLDER = ".store"


def _scheme_files(notebook: Path, parameters: dict[str, Any], declared: dict[str, Any]) -> list[Path]:
    from reliefkit.notebook.parameters import scheme_paths

    if "schemes" not in declared:
        return []
    try:
        return list(scheme_paths(parameters.get("schemes", declared["schemes"])))
    except ReliefkitError:  # a missing file fails in the notebook, where it is reported
        return []


def injected_path(path: Path, folder: Path, year_dir: Path, repo_relative: bool = False) -> str:
    """How a notebook is told of an input ``path`` (resolved): relative to its job's
    ``folder`` when inside the run's ``year_dir`` (``../.store``); else, with
    ``repo_relative``, relative to the repository when inside it (a notebook looks there
    too); else absolute.

    Parameters
    ----------
    path : Path
        The input (resolved).
    folder : Path
        The job's folder (the kernel's working directory).
    year_dir : Path
        The run's year folder.
    repo_relative : bool
        Give a path inside the repository relative to it.

    Returns
    -------
    str

    Examples
    --------
    >>> injected_path(Path("/out/2026/.store"), Path("/out/2026/城关镇"), Path("/out/2026"))
    '../.store'
    """
    if path.is_relative_to(year_dir):
        return Path(os.path.relpath(path, folder)).as_posix()
    root = repo_root()
    if repo_relative and root is not None and path.is_relative_to(root):
        return path.relative_to(root).as_posix()
    return str(path)


def _portable_schemes(schemes: Sequence[str | os.PathLike], year_dir: Path) -> list[tuple[Path, Path]]:
    """Each scheme file (resolved) and where the notebooks read it: itself inside the
    repository, else a copy in the run's store (``.store/schemes/<n>-<name>``)."""
    root = repo_root()
    out = []
    for n, s in enumerate(schemes, 1):
        source = Path(s).resolve()
        if root is not None and source.is_relative_to(root):
            out.append((source, source))
            continue
        copy = year_dir / STORE_FOLDER / "schemes" / f"{n}-{source.name}"
        copy.parent.mkdir(parents=True, exist_ok=True)
        if source.is_file():
            shutil.copyfile(source, copy)
        out.append((source, copy))
    return out


def plan(region_dir: str | os.PathLike, year: int, scopes: Sequence[str | None], notebooks: Sequence[Path],
         out_dir: str | os.PathLike, *, lang: str = "zh", schemes: Sequence[str | os.PathLike] | None = None,
         timeout: float | None = None, html: bool = True) -> list[Job]:
    """The jobs of a run: every notebook for every scope, in the order of ``scopes``,
    each with its parameters and up-to-date key.

    Only the parameters a notebook declares are injected: ``region_dir``, ``year``,
    ``district``, ``lang``, ``output_dir`` and, when given, ``schemes``. No path carries
    the machine's folders (the kernel's working directory is the job's folder):
    ``output_dir`` is ``"."``; ``region_dir`` is relative to the job's folder when the
    region (or its store) is inside the run's folder (``"../.store"``, as ``reliefkit
    run`` has it), else absolute; scheme files inside the repository are
    given relative to it, others are copied into ``<out>/<year>/.store/schemes/`` and
    given relative to the job's folder.

    Parameters
    ----------
    region_dir : str or path
        The region folder, or its store (:mod:`reliefkit.store`; what ``reliefkit run``
        passes).
    year : int
        The year.
    scopes : sequence of str or None
        Districts; None for the whole region.
    notebooks : sequence of Path
        The notebooks (:func:`reliefkit.run.discovery.find_notebooks`).
    out_dir : str or path
        The output folder; a job writes into ``out_dir/<year>/<scope>/``.
    lang : str
        The language of the outputs.
    schemes : sequence of str or path, optional
        Scheme files, for the notebooks that declare ``schemes``.
    timeout : float, optional
        Seconds per cell.
    html : bool
        Also export each notebook's HTML.

    Returns
    -------
    list of Job
        Scope by scope, notebook by notebook.

    Examples
    --------
    >>> from reliefkit.run.discovery import find_notebooks
    >>> jobs = plan("data/sample", 2026, [None, "城关镇"], find_notebooks(["03"]), "reports")
    >>> [job.name for job in jobs]
    ['_region/03-year-end-summary', '城关镇/03-year-end-summary']
    """
    region_dir = Path(region_dir).resolve()
    year_dir = Path(out_dir).resolve() / str(year)
    data = (f"store:{read_meta(region_dir)['fingerprint']}" if is_store(region_dir)
            else fingerprint_files([region_dir], region_dir))
    code = code_fingerprint()
    given = _portable_schemes(schemes, year_dir) if schemes is not None else None
    jobs = []
    for scope in scopes:
        folder = year_dir / scope_folder(scope)
        for nb in notebooks:
            nb = Path(nb).resolve()
            declared = declared_parameters(nb)
            wanted: dict[str, Any] = {"region_dir": injected_path(region_dir, folder, year_dir), "year": int(year),
                                      "district": scope, "lang": lang, "output_dir": "."}
            if given is not None:
                wanted["schemes"] = [injected_path(read, folder, year_dir, repo_relative=True) for _, read in given]
            params = {k: v for k, v in wanted.items() if k in declared}
            scheme_files = ([source for source, _ in given] if given is not None and "schemes" in declared
                            else _scheme_files(nb, {}, declared))
            h = hashlib.sha256()
            for part in (STAMP_VERSION, data, code, json.dumps(params, sort_keys=True, ensure_ascii=False),
                         timeout, html, fingerprint_files([nb]), fingerprint_files(scheme_files)):
                h.update(str(part).encode() + b"\0")
            jobs.append(Job(str(nb), scope, str(folder), params, h.hexdigest(), timeout, html))
    return jobs

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
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reliefkit.errors import ReliefkitError
from reliefkit.run.discovery import declared_parameters
from reliefkit.run.fingerprint import STAMP_VERSION, code_fingerprint, fingerprint_files
from reliefkit.run.jobs import Job, scope_folder

__all__ = ["plan"]


def _scheme_files(notebook: Path, parameters: dict[str, Any], declared: dict[str, Any]) -> list[Path]:
    from reliefkit.notebook.parameters import scheme_paths

    if "schemes" not in declared:
        return []
    try:
        return list(scheme_paths(parameters.get("schemes", declared["schemes"])))
    except ReliefkitError:  # a missing file fails in the notebook, where it is reported
        return []


def plan(region_dir: str | os.PathLike, year: int, scopes: Sequence[str | None], notebooks: Sequence[Path],
         out_dir: str | os.PathLike, *, lang: str = "zh", schemes: Sequence[str | os.PathLike] | None = None,
         timeout: float | None = None, html: bool = True) -> list[Job]:
    """The jobs of a run: every notebook for every scope, in the order of ``scopes``,
    each with its parameters and up-to-date key.

    Only the parameters a notebook declares are injected: ``region_dir`` (absolute),
    ``year``, ``district``, ``lang``, ``output_dir`` (the job's folder) and, when given,
    ``schemes`` (absolute paths).

    Parameters
    ----------
    region_dir : str or path
        The region folder.
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

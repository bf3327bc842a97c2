"""The index page of a run: ``OUT/<year>/index.html``, one row per scope.

Each row — the whole region first, then the districts — holds the scope's key facts
(:data:`INDEX_FACTS`, formatted by :class:`reliefkit.text.formatting.Formatter`), one column per
notebook with its status and links to the HTML and the executed notebook, and links to
the other files the notebooks wrote (summaries, workbooks). Rows with a failed notebook
come first (the whole region first within each group), and failed notebooks are listed
again below the table with the cell and the error. The page works offline and stays fast
for a province of a thousand districts: a filter box and sortable columns, in a few
lines of inline script (no library, no network). Links are relative, so the folder can
be moved or zipped as it is. Text lives in ``run/templates/index.html.j2`` and
``text/words/notebooks.yaml``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reliefkit._resources import resource
from reliefkit.safety.atomic import atomic_write_text
from reliefkit.text.formatting import Formatter
from reliefkit.report.summary_figures import figure_kind
from reliefkit.text.words import word, words

if TYPE_CHECKING:  # pragma: no cover
    from reliefkit.region.region import Region
    from reliefkit.run.jobs import JobResult

__all__ = ["INDEX_FACTS", "OPTIONAL_FACTS", "scope_facts", "write_index"]

#: the facts a row shows
INDEX_FACTS = ("households.registered", "persons.alive", "rural_dibao.persons", "urban_dibao.persons",
               "tekun.persons", "marginal.persons", "rule.poor_not_enrolled.households", "pairing.unpaired_needy",
               "payments.total")
#: facts a row shows when the facts have them (a column only when every scope has the key)
OPTIONAL_FACTS = ("monitoring.households",)
TEMPLATE = resource("reliefkit.run", "templates", "index.html.j2")


def scope_facts(region: Region, year: int, district: str | None = None) -> dict[str, int | float]:
    """The :data:`INDEX_FACTS` of one scope, and those of :data:`OPTIONAL_FACTS` the facts have.

    Examples
    --------
    >>> from reliefkit.region.region import load_region
    >>> scope_facts(load_region("data/sample"), 2026)["rural_dibao.persons"]
    833
    """
    from reliefkit.figures.facts import facts
    from reliefkit.report.summary_figures import derived, poor_not_enrolled

    scope = region.district(district) if district is not None else region
    f = dict(facts(scope, year))
    f.update(derived(f))
    f.update(poor_not_enrolled(scope, year))
    return {k: f[k] for k in (*INDEX_FACTS, *OPTIONAL_FACTS) if k in f or k in INDEX_FACTS}


@dataclass(frozen=True)
class _Cell:
    status: str
    status_text: str
    html: str
    ipynb: str


def _rel(path: Path, base: Path) -> str:
    return path.relative_to(base).as_posix()


def _grouped(paths: list[Path], base: Path, kinds: dict[str, str]) -> list[dict]:
    """Files by name without extension, each with a link per extension and called by its
    kind (the first word of its name, ``kinds``; the whole name when it has no kind): one
    line ``工作总结 docx html md`` for ``summary-2026-城关镇-zh.*``, so that a row stays a few
    lines high and narrow. The link's title is the file's name."""
    groups: dict[str, list[dict[str, str]]] = {}
    for p in paths:
        groups.setdefault(p.stem, []).append({"ext": p.suffix.lstrip(".") or p.name, "href": _rel(p, base),
                                              "name": p.name})
    return [{"stem": kinds.get(stem.split("-", 1)[0], stem), "links": links} for stem, links in groups.items()]


def write_index(year_dir: str | Path, region: Region, year: int, results: Sequence[JobResult],
                lang: str = "zh", facts: dict[str | None, dict[str, int | float]] | None = None) -> Path:
    """Write ``year_dir/index.html`` for the results of a run (see the module's notes).

    Parameters
    ----------
    year_dir : path
        ``OUT/<year>``.
    region : Region
        The whole region (for the facts and the districts' order).
    results : sequence of JobResult
    facts : dict, optional
        Scope → :func:`scope_facts`, when already computed.

    Returns
    -------
    pathlib.Path
        The page written.

    Examples
    --------
    >>> import tempfile
    >>> from reliefkit.region.region import load_region
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     page = write_index(tmp, load_region("data/sample"), 2026, [], lang="en").read_text(encoding="utf-8")
    >>> 'id="filter"' in page and "<script src" not in page
    True
    """
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    year_dir = Path(year_dir).resolve()  # the jobs' folders are absolute
    fmt = Formatter(lang)
    w = words(lang)["index"]
    scopes = list(dict.fromkeys(r.job.scope for r in results))
    scopes.sort(key=lambda s: (s is not None, s or ""))
    notebooks = list(dict.fromkeys(Path(r.job.notebook).stem for r in results))
    by_key = {(r.job.scope, Path(r.job.notebook).stem): r for r in results}
    facts = dict(facts or {})
    for scope in scopes:
        facts[scope] = facts.get(scope) or scope_facts(region, year, scope)
    shown = [*INDEX_FACTS, *(k for k in OPTIONAL_FACTS if all(k in facts[s] for s in scopes))]
    rows, failures = [], []
    for scope in scopes:
        f = facts[scope]
        cells, folder = [], None
        for nb in notebooks:
            r = by_key.get((scope, nb))
            if r is None:
                cells.append(_Cell("", "", "", ""))
                continue
            folder = Path(r.job.folder)
            html = _rel(r.job.html_path, year_dir) if r.job.html_path.is_file() else ""
            ipynb = _rel(r.job.output, year_dir) if r.job.output.is_file() else ""
            cells.append(_Cell(r.status, w[r.status], html, ipynb))
            if r.status == "failed":
                failures.append({"scope": scope or w["region"], "notebook": nb, "href": html or ipynb,
                                 "cell": f"In [{r.cell}]" if r.cell is not None else "—",
                                 "error": f"{r.ename}: {r.evalue}".strip(": ")})
        own = {Path(r.job.notebook).name for r in results} | {Path(r.job.notebook).with_suffix(".html").name
                                                               for r in results}
        files = []
        if folder is not None and folder.is_dir():
            files = _grouped([p for p in sorted(folder.iterdir())
                              if p.is_file() and not p.name.startswith(".") and p.name not in own], year_dir,
                             w.get("file_kinds", {}))
        rows.append({"label": scope or w["region"], "cells": cells, "files": files,
                     "failed": any(c.status == "failed" for c in cells),
                     "facts": [(fmt.cell(f[k], figure_kind(k)), f[k]) for k in shown]})
    rows.sort(key=lambda r: not r["failed"])  # stable: the region, then the districts, within each group
    env = Environment(loader=FileSystemLoader(str(TEMPLATE.parent)), autoescape=select_autoescape(["html", "j2"]),
                      keep_trailing_newline=True)
    page = env.get_template(TEMPLATE.name).render(
        lang=lang, title=w["title"].format(region=region.display_name(lang), year=year), w=w,
        fact_labels=[word("fact", k, lang) for k in shown],
        notebooks=[(w.get("notebooks", {}).get(nb, nb), nb) for nb in notebooks],
        rows=[{**r, "notebooks": r["cells"]} for r in rows], failures=failures,
        counts=w["counts"].format(scopes=len(rows), failed=sum(r["failed"] for r in rows)))
    year_dir.mkdir(parents=True, exist_ok=True)
    path = year_dir / "index.html"
    atomic_write_text(path, page)
    return path

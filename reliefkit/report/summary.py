"""The year-end summary: one call from a region to Markdown, HTML and DOCX files.

:func:`summary_markdown` returns the text; :func:`write_summary` writes the files of one
scope (the region or one district) in one language; :func:`write_summaries` writes the
region's and every district's. The CLI (``reliefkit summary``) and the summary notebook
call these.

Examples
--------
>>> from reliefkit.region.region import load_region
>>> text = summary_markdown(load_region("data/sample"), 2026, lang="en")
>>> text.splitlines()[0]
'# Qingshan District: Social Assistance Work Summary 2026'
"""

from __future__ import annotations

from pathlib import Path

from reliefkit.region.region import Region, load_region
from reliefkit.report.narrative import Rendered, render_summary
from reliefkit.report.summary_figures import programmes_present, summary_figures
from reliefkit.text.formatting import _check_lang
from reliefkit.text.slugs import file_slug

__all__ = ["render", "summary_markdown", "write_summary", "write_summaries", "FORMATS"]

FORMATS = ("md", "html", "docx")


def _region(region: Region | str | Path) -> Region:
    return region if isinstance(region, Region) else load_region(region)


def _scope_name(region: Region, district: str | None, name: str | None, lang: str = "zh") -> str:
    """What the text calls the scope: ``name`` when given, else the district's name, else
    the region's own name in ``lang`` (``region.yaml``, or the folder's name)."""
    if name:
        return name
    return district if district is not None else (region.display_name(lang) or "region")


def render(region: Region | str | Path, year: int, district: str | None = None, lang: str = "zh", *,
           name: str | None = None, charts: dict[str, str] | None = None) -> Rendered:
    """Render the summary of ``year`` for the region or one district.

    Parameters
    ----------
    region : Region or path
        A loaded region, or a region folder to load.
    year : int
    district : str, optional
        One district; default the whole region.
    lang : {"zh", "en"}
    name : str, optional
        What the text calls the scope, overriding its own name (default: the district's
        name, or the region's: ``region.yaml``'s ``name`` / ``name_en``, else the folder's
        name).
    charts : dict, optional
        Chart name → image path to place in the text.

    Returns
    -------
    Rendered
        ``.markdown``, ``.figures`` (every figure stated, by key) and ``.sentences``.
    """
    region = _region(region)
    lang = _check_lang(lang)
    scope = region.district(district) if district is not None else region
    return render_summary(
        summary_figures(region, year, district), lang, scope=_scope_name(region, district, name, lang),
        is_region=district is None, present=programmes_present(scope), charts=charts,
        region_name=region.display_name(lang) or "region",
    )


def summary_markdown(region: Region | str | Path, year: int, district: str | None = None, lang: str = "zh", *,
                     name: str | None = None) -> str:
    """The summary's Markdown text (no charts), appendix of figures included."""
    return render(region, year, district, lang, name=name).markdown


def _stem(region: Region, year: int, district: str | None, lang: str) -> str:
    scope = district if district is not None else (region.folder_name or region.name or "region")
    return f"summary-{year}-{file_slug(scope, 'region')}-{lang}"


def write_summary(region: Region | str | Path, year: int, district: str | None = None, lang: str = "zh",
                  out_dir: str | Path = "reports", *, name: str | None = None,
                  formats: tuple[str, ...] = FORMATS, charts: bool = True,
                  appendix: bool = True) -> dict[str, Path]:
    """Write the summary as Markdown (with chart PNGs beside it), self-contained HTML and
    DOCX.

    Parameters
    ----------
    region, year, district, lang, name
        As in :func:`render`.
    out_dir : str or Path
        Folder to write into (created). Files are named
        ``summary-<year>-<scope>-<lang>.<ext>``; charts go to ``<stem>-charts/``.
    formats : tuple of str
        Any of ``"md"``, ``"html"``, ``"docx"``.
    charts : bool
        Draw the charts (needs the report extra: seaborn and a CJK font).
    appendix : bool
        Put the figures and their keys in the DOCX as an attachment (附件) on pages of
        its own; False leaves it out of the DOCX (Markdown and HTML keep it).

    Returns
    -------
    dict
        Format (and ``"chart:<name>"``) → path written.

    Examples
    --------
    >>> paths = write_summary("data/sample", 2026, lang="zh", out_dir="reports")  # doctest: +SKIP
    >>> sorted(paths)  # doctest: +SKIP
    ['chart:causes', 'chart:coverage', 'chart:payments', 'docx', 'html', 'md']
    """
    from reliefkit.report.documents import write_docx, write_html, write_markdown

    region = _region(region)
    lang = _check_lang(lang)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stem = _stem(region, year, district, lang)
    images: dict[str, bytes] = {}
    paths: dict[str, Path] = {}
    if charts:
        from reliefkit.report.charts import render_charts

        scope = region.district(district) if district is not None else region
        chart_dir = out / f"{stem}-charts"
        for chart, png in render_charts(scope, year, lang).items():
            rel = f"{stem}-charts/{chart}.png"
            images[rel] = png
            chart_dir.mkdir(exist_ok=True)
            paths[f"chart:{chart}"] = _write_bytes(chart_dir / f"{chart}.png", png)
    rendered = render(region, year, district, lang, name=name,
                      charts={k.split("/")[-1].removesuffix(".png"): k for k in images})
    if "md" in formats:
        paths["md"] = write_markdown(rendered.markdown, out / f"{stem}.md")
    if "html" in formats:
        paths["html"] = write_html(rendered.markdown, out / f"{stem}.html", images, lang)
    if "docx" in formats:
        paths["docx"] = write_docx(rendered.markdown, out / f"{stem}.docx", images, lang, appendix=appendix)
    return paths


def _write_bytes(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` (a chart image beside the Markdown), atomically."""
    from reliefkit.safety.atomic import atomic_write_bytes

    return atomic_write_bytes(path, data)


def write_summaries(region: Region | str | Path, year: int, lang: str = "zh", out_dir: str | Path = "reports", *,
                    name: str | None = None, formats: tuple[str, ...] = FORMATS,
                    charts: bool = True) -> dict[str, dict[str, Path]]:
    """Write the region's summary and one per district: ``{"(region)" or district: paths}``."""
    region = _region(region)
    out = {"(region)": write_summary(region, year, None, lang, out_dir, name=name, formats=formats, charts=charts)}
    for d in region.districts:
        out[d] = write_summary(region, year, d, lang, out_dir, formats=formats, charts=charts)
    return out

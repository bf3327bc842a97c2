"""The index page of a run: failed districts first, a filter box and sortable columns that
work offline, every figure the facts of its scope."""

from __future__ import annotations

import re

from conftest import SAMPLE, check_snapshot

from reliefkit import facts, load_region
from reliefkit.run.index import INDEX_FACTS, write_index
from reliefkit.run.jobs import Job, JobResult

YEAR = 2026


def _results(region, tmp_path, failed: str) -> list[JobResult]:
    out = []
    for scope in [None, *region.districts]:
        folder = tmp_path / str(YEAR) / (scope or "_region")
        job = Job(str(tmp_path / "01-explore-households.ipynb"), scope, str(folder), {"year": YEAR})
        status = "failed" if scope == failed else "ok"
        out.append(JobResult(job, status, cell=3 if status == "failed" else None, ename="KeyError", evalue="'x'"))
    return out


def test_failed_districts_come_first_and_the_page_needs_no_network(tmp_path):
    region = load_region(SAMPLE)
    failed = region.districts[-1]
    page = write_index(tmp_path / str(YEAR), region, YEAR, _results(region, tmp_path, failed), lang="en")
    html = page.read_text(encoding="utf-8")
    body = html[html.index("<tbody>"):html.index("</tbody>")]
    labels = re.findall(r"<tr[^>]*>\s*<td>([^<]+)</td>", body)
    assert labels[0] == failed and labels[1] == "Whole region" and labels[2:] == list(region.districts[:-1])
    assert 'class="failed-row"' in body and body.count('class="failed-row"') == 1
    assert 'id="filter"' in html and "aria-sort" in html and "<script>" in html
    assert not re.search(r"""(src|href)=["']https?://""", html)  # nothing loaded from the network
    assert f"{len(region.districts) + 1} scopes, 1 with a failed job" in html


def test_sort_values_are_the_facts_of_each_scope(tmp_path):
    region = load_region(SAMPLE)
    page = write_index(tmp_path / str(YEAR), region, YEAR, _results(region, tmp_path, failed=""), lang="zh")
    html = page.read_text(encoding="utf-8")
    body = html[html.index("<tbody>"):html.index("</tbody>")]
    first_row = body.split("</tr>")[0]
    values = [float(v) for v in re.findall(r'data-v="([^"]+)"', first_row)]
    whole = facts(region, YEAR)
    column = INDEX_FACTS.index("rural_dibao.persons")
    assert values[column] == whole["rural_dibao.persons"]
    assert len(values) == len(INDEX_FACTS) + ("monitoring.households" in whole)


def test_monitored_households_column_when_the_facts_have_it(tmp_path):
    region = load_region(SAMPLE)
    results = _results(region, tmp_path, failed="")
    html = write_index(tmp_path / "a", region, YEAR, results, lang="zh").read_text(encoding="utf-8")
    whole = facts(region, YEAR)
    if "monitoring.households" in whole:
        assert "监测户数" in html
        first_row = html[html.index("<tbody>"):].split("</tr>")[0]
        values = [float(v) for v in re.findall(r'data-v="([^"]+)"', first_row)]
        assert values[len(INDEX_FACTS)] == whole["monitoring.households"]
    # facts without the key (an older kit): no column, no error
    given = {s: {k: v for k, v in dict(facts(region.district(s) if s else region, YEAR)).items()
                 if not k.startswith("monitoring.")} | {"rule.poor_not_enrolled.households": 0, "payments.total": 0.0}
             for s in [None, *region.districts]}
    html = write_index(tmp_path / "b", region, YEAR, results, lang="en", facts=given).read_text(encoding="utf-8")
    assert "Monitored households" not in html and "Households registered" in html


def test_layout_keeps_names_whole_and_files_short(tmp_path):
    region = load_region(SAMPLE)
    results = _results(region, tmp_path, failed="")
    folder = tmp_path / str(YEAR) / region.districts[0]
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("summary-2026-x-zh.md", "summary-2026-x-zh.docx", "published-2026-x-zh.csv"):
        (folder / name).write_text("x", encoding="utf-8")
    html = write_index(tmp_path / str(YEAR), region, YEAR, results, lang="zh").read_text(encoding="utf-8")
    css = html[html.index("<style>"):html.index("</style>")]
    assert re.search(r"tbody td:first-child[^{]*\{[^}]*white-space: nowrap", css)  # names never wrap
    assert re.search(r"thead th \{[^}]*min-width: 4em", css)  # no header squeezed to a character a line
    assert ".scroll { overflow-x: auto" in css and '<div class="scroll">' in html  # a wide table scrolls
    row = html[html.index(f"<td>{region.districts[0]}</td>"):].split("</tr>")[0]
    # one line per kind of file, one link per format, called by its kind
    assert re.search(r'<span class="stem">工作总结</span><a href="[^"]+summary-2026-x-zh.docx"[^>]*>docx</a>'
                     r'<a href="[^"]+summary-2026-x-zh.md"[^>]*>md</a>', row), row
    assert '<span class="stem">公布表</span>' in row
    assert "01-explore-households" not in re.sub(r'title="[^"]*"', "", html[:html.index("<tbody>")])


def test_snapshot_of_the_index_page(tmp_path):
    """The whole page, zh and en (the run folder's path replaced): a label, a figure or the
    layout that changes fails here. After a change on purpose: RELIEFKIT_UPDATE_SNAPSHOTS=1."""
    region = load_region(SAMPLE)
    for lang in ("zh", "en"):
        year_dir = tmp_path / lang / str(YEAR)
        html = write_index(year_dir, region, YEAR, _results(region, tmp_path / lang, failed=region.districts[0]),
                           lang=lang).read_text(encoding="utf-8").replace(str(tmp_path), "<tmp>")
        check_snapshot(html, f"index-sample-2026-{lang}.html")

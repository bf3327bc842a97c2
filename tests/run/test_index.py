"""The index page of a run: failed districts first, a filter box and sortable columns that
work offline, every figure the facts of its scope."""

from __future__ import annotations

import re

from conftest import SAMPLE

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
    assert len(values) == len(INDEX_FACTS)

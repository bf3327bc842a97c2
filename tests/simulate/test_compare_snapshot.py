"""Snapshots of the comparison tables a reader sees (notebook 02, `reliefkit compare`) on the
sample, in both languages: a figure, a word or a number format that changes fails here.

After a change made on purpose: rerun with RELIEFKIT_UPDATE_SNAPSHOTS=1 and review the diff."""

from __future__ import annotations

import pytest

from conftest import REPO, SAMPLE, check_snapshot
from reliefkit import load_region
from reliefkit.notebook import compare_tables as T
from reliefkit.policy.schemes import load_scheme
from reliefkit.simulate.compare import compare

SCHEMES = sorted((REPO / "notebooks" / "schemes").glob("*.yaml"))
TABLES = ("summary_table", "cost_vs_poverty", "fgt_table", "errors_table", "indicators_table", "fixed_table",
          "incidence_table", "actual_table", "reconciliation_table")


@pytest.fixture(scope="module")
def comparison():
    region = load_region(SAMPLE)
    return region, compare(region, 2026, [load_scheme(f) for f in SCHEMES])


def _render(region, c, lang: str) -> str:
    parts = [T.intro(c, region, lang)]
    for name in TABLES:
        parts += [f"## {name}", getattr(T, name)(c, lang).to_string()]
    parts += ["## winners_table", T.winners_table(c, lang, text=True).to_string(), "## why_note", T.why_note(c, lang)]
    return "\n\n".join(parts) + "\n"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_snapshot(comparison, lang):
    text = _render(*comparison, lang)
    check_snapshot(text, f"compare-sample-2026-{lang}.txt")

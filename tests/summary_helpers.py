"""Shared by the summary, chart and publicity tests: the sample region, loaded once.

``data/sample`` when it is there; otherwise the same region generated (seed 2026) into a
temporary folder, so these tests run before the bundled sample lands.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from dataclasses import replace
from functools import cache
from pathlib import Path

import pandas as pd

from reliefkit.region.region import Region, load_region
from reliefkit.report.summary_figures import summary_figures

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"
SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
#: what the snapshot summaries call the sample region
SAMPLE_NAMES = {"zh": "示例县", "en": "Sample County"}


@cache
def sample_dir() -> Path:
    if SAMPLE.is_dir() and any(SAMPLE.glob("households.*")):
        return SAMPLE
    from reliefkit.sample.files import write_sample_region

    folder = Path(tempfile.mkdtemp(prefix="reliefkit-sample-"))
    atexit.register(shutil.rmtree, folder, True)
    write_sample_region(folder / "sample")
    return folder / "sample"


@cache
def sample_region() -> Region:
    return load_region(sample_dir())


@cache
def sample_figures(year: int = 2026, district: str | None = None) -> dict:
    return summary_figures(sample_region(), year, district)


def drop_households(region: Region, household_ids: pd.Index | list[str]) -> Region:
    """The region without these households and everything of their persons."""
    hh = region.households[~region.households["household_id"].isin(household_ids)]
    persons = region.persons[region.persons["household_id"].isin(hh["household_id"])]
    pid = persons["person_id"]
    pairings = region.pairings[region.pairings["person_id"].isin(pid)]
    return replace(
        region,
        households=hh.reset_index(drop=True),
        persons=persons.reset_index(drop=True),
        enrolments=region.enrolments[region.enrolments["person_id"].isin(pid)].reset_index(drop=True),
        payments=region.payments[region.payments["person_id"].isin(pid)].reset_index(drop=True),
        pairings=pairings.reset_index(drop=True),
    )

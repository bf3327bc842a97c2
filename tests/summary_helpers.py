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
#: what the sample region calls itself (data/sample/region.yaml)
SAMPLE_NAMES = {"zh": "青山区", "en": "Qingshan District"}


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


#: Latin-letter words a Chinese output may carry: measures and file kinds known by these names
ALLOWED_LATIN = frozenset({"P0", "P1", "P2", "FGT", "ID", "IDs", "XLSX", "CSV", "DOCX", "HTML", "PNG", "Excel"})


def english_words(text: str) -> list[str]:
    """The Latin-letter words of a Chinese output a reader sees, other than
    :data:`ALLOWED_LATIN`: Markdown code spans, HTML tags and their attributes, style and
    script blocks and data URIs are not read (a key in backticks is an identifier, not a
    word); a single letter (the suppression mark ``x``) is not a word."""
    import re

    text = re.sub(r"<(style|script)\b.*?</\1>", " ", text, flags=re.S | re.I)
    text = re.sub(r"<code>.*?</code>|`[^`\n]*`", " ", text, flags=re.S)
    text = re.sub(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=]+", " ", text)
    text = re.sub(r"<[^>]*>", " ", text)
    text = re.sub(r"&[a-z]+;|&#\d+;", " ", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)  # a Markdown link's or image's target
    words = re.findall(r"[A-Za-z][A-Za-z0-9]*", text)
    return [w for w in words if len(w) > 1 and w not in ALLOWED_LATIN]

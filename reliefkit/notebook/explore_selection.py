"""The explorer's selection (notebook 01's widget): its options, its filter, what it shows.

A selection is a subset of the :func:`~reliefkit.notebook.explore_tables.people` frame:
:func:`choices` lists the options of each selector, :func:`filter_people` applies them,
:func:`selection_counts` and :func:`selection_rows` are what the widget shows (the rows
masked: ID numbers through :func:`~reliefkit.text.idnumbers.mask_id`, names through
:func:`~reliefkit.text.idnumbers.mask_name`).

Examples
--------
>>> from reliefkit.region.region import load_region
>>> from reliefkit.notebook.explore_tables import people
>>> p = people(load_region("data/sample"), 2026)
>>> t = filter_people(p, district="城关镇", programme="covered", age_band="60-69")
>>> selection_counts(t, "en").columns.tolist()[:3]
['Persons', 'Households', 'Covered persons']
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from reliefkit.errors import ReliefkitError
from reliefkit.io.schema import STANDING_PROGRAMS
from reliefkit.notebook.explore_tables import (
    AGE_BANDS,
    LIST_LIMIT,
    PROGRAMME_CHOICES,
    UNKNOWN,
    age_band_label,
)
from reliefkit.report.summary_figures import NO_CAUSE
from reliefkit.text.idnumbers import mask_id, mask_name
from reliefkit.text.words import label, word

__all__ = ["choices", "filter_people", "selection_counts", "selection_rows"]


def choices(frame: pd.DataFrame, lang: str = "zh") -> dict[str, list[tuple[str, Any]]]:
    """The explorer's options as (label, value) pairs: district, programme, cause, age
    band; and ``income``: the (min, max) per-capita monthly income of the frame."""
    every = word("explorer", "all", lang)
    causes = sorted(set(frame["main_cause"]), key=lambda c: (c == NO_CAUSE, c))
    bands = list(AGE_BANDS) + ([UNKNOWN] if (frame["age_band"] == UNKNOWN).any() else [])
    y = frame["y"]
    return {
        "district": [(every, None)] + [(d, d) for d in sorted(set(frame["district"]))],
        "programme": [(every, None)] + [(word("explorer", "covered", lang), "covered")]
                     + [(label("program", c, lang), c) for c in STANDING_PROGRAMS],
        "cause": [(every, None)] + [(label("cause", c, lang), c) for c in causes],
        "age_band": [(every, None)] + [(age_band_label(b, lang), b) for b in bands],
        "income": [(word("explorer", "income", lang),
                    (float(np.floor(y.min())) if len(y) else 0.0, float(np.ceil(y.max())) if len(y) else 0.0))],
    }


def filter_people(frame: pd.DataFrame, district: str | None = None, programme: str | None = None,
                  cause: str | None = None, age_band: str | None = None,
                  income: tuple[float, float] | None = None) -> pd.DataFrame:
    """The persons of a :func:`~reliefkit.notebook.explore_tables.people` frame that match every filter given (None: any).

    ``programme`` is a standing programme, ``covered`` or ``all``; ``income`` a closed
    range of per-capita monthly income (yuan)."""
    mask = np.ones(len(frame), dtype=bool)
    if district is not None:
        mask &= (frame["district"] == district).to_numpy()
    if programme not in (None, "all"):
        if programme not in frame.columns or programme not in PROGRAMME_CHOICES:
            raise ReliefkitError(f"unknown programme {programme!r}", f"use one of {', '.join(PROGRAMME_CHOICES)}")
        mask &= frame[programme].to_numpy(dtype=bool)
    if cause is not None:
        mask &= (frame["main_cause"] == cause).to_numpy()
    if age_band is not None:
        mask &= (frame["age_band"] == age_band).to_numpy()
    if income is not None:
        lo, hi = income
        y = frame["y"].to_numpy()
        mask &= (y >= lo) & (y <= hi)
    return frame[mask]


def selection_counts(frame: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """One row: persons, households, covered persons, paired persons and the median
    per-capita monthly income of a selection."""
    y = frame.drop_duplicates("household_id")["y"]
    return pd.DataFrame([{
        word("column", "persons", lang): len(frame),
        word("column", "households", lang): int(frame["household_id"].nunique()),
        word("column", "covered_persons", lang): int(frame["covered"].sum()),
        word("column", "paired_persons", lang): int(frame["paired"].sum()),
        word("column", "median_income_pc", lang): round(float(y.median()), 2) if len(y) else 0.0,
    }])


def selection_rows(frame: pd.DataFrame, lang: str = "zh", limit: int = LIST_LIMIT) -> pd.DataFrame:
    """The first ``limit`` persons of a selection, masked: ID, name, district, village,
    sex, age, programmes, per-capita income."""
    t = frame.head(limit)
    progs = [" / ".join(label("program", c, lang) for c in STANDING_PROGRAMS if row[c]) for _, row in t.iterrows()]
    return pd.DataFrame({
        word("column", "id_masked", lang): [mask_id(i) for i in t["person_id"]],
        word("column", "name_masked", lang): [mask_name(n) for n in t["name"]],
        word("column", "district", lang): t["district"].to_numpy(),
        word("column", "village", lang): t["village"].to_numpy(),
        word("column", "sex", lang): [word("sex", s, lang) for s in t["sex"]],
        word("column", "age", lang): t["age"].to_numpy(),
        word("column", "programmes", lang): progs,
        word("column", "income_pc", lang): t["y"].round(2).to_numpy(),
    })

"""The generated regions of scheme_helpers load cleanly (they are the scheme tests' fixtures)."""

from __future__ import annotations

from pathlib import Path

from scheme_helpers import random_tables, write_region


def test_random_tables_load_cleanly(tmp_path: Path) -> None:
    region = write_region(tmp_path / "r", random_tables(1, 30))
    assert region.validation.clean, region.validation.problems.head().to_dict("records")
    assert len(region.households) == 30

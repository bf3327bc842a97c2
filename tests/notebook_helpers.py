"""Tiny notebooks and regions for the runner and papermill tests."""

from __future__ import annotations

from pathlib import Path

import nbformat
from conftest import enrol, household, person, write_tables

PARAMETERS = '''from typing import Optional

region_dir: str = "data/sample"  # region folder
year: int = 2026  # the year
district: Optional[str] = None  # one district; None for the whole region
output_dir: Optional[str] = None  # where to write; None writes nothing
'''


def write_notebook(path: Path, *cells: str) -> Path:
    """A notebook: the parameters cell above, then a checking cell, then ``cells``."""
    nb = nbformat.v4.new_notebook()
    nb.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(PARAMETERS, metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell(
                    "from reliefkit.notebook.parameters import check_parameters\n"
                    "p = check_parameters(region_dir=region_dir, year=year, district=district, output_dir=output_dir)"),
                *(nbformat.v4.new_code_cell(c) for c in cells)]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def tiny_region(folder: Path, districts: tuple[str, ...] = ("A", "B")) -> Path:
    """Two households per district, one on the rural minimum living allowance."""
    hh, pp, ee = [], [], []
    for i, d in enumerate(districts):
        for j in range(2):
            hid = f"H{i}{j}"
            hh.append(household(hid, district=d, income=600 * (j + 1)))
            pp.append(person(f"P{i}{j}", hid))
        ee.append(enrol(f"P{i}0", "rural_dibao", "2024-01-01"))
    return write_tables(folder, {"households": hh, "persons": pp, "enrolments": ee})

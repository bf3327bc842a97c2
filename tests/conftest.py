"""Shared fixtures: tiny regions built in code, written as canonical CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from reliefkit.io.schema import TABLES_BY_NAME

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "data" / "sample"


def write_tables(folder: Path, tables: dict[str, list[dict[str, Any]]]) -> Path:
    """Write ``{table: [row dicts]}`` as canonical UTF-8 CSVs with every DATA.md column."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        cols = list(TABLES_BY_NAME[name].names)
        frame = pd.DataFrame(rows, columns=cols).astype(object).where(lambda f: f.notna(), "")
        frame.to_csv(folder / f"{name}.csv", index=False)
    return folder


def household(hid: str, district: str = "A", area: str = "rural", income: float = 0, **kw: Any) -> dict:
    return {"household_id": hid, "district": district, "village": "V1", "area": area,
            "annual_income": income, **kw}


def person(pid: str, hid: str, **kw: Any) -> dict:
    """A person row; an 18-character ID gives the birth date it holds."""
    born = f"{pid[6:10]}-{pid[10:12]}-{pid[12:14]}" if len(pid) == 18 and pid[:17].isdigit() else "1960-01-01"
    return {"person_id": pid, "household_id": hid, "name": "张三", "sex": "M",
            "birth_date": born, "relation": "head", **kw}


def enrol(pid: str, program: str, start: str, end: str = "", mode: str = "") -> dict:
    return {"person_id": pid, "program": program, "start_date": start, "end_date": end,
            "support_mode": mode}


_pay_counter = iter(range(1, 10**9))


def pay(pid: str, program: str, on: str, amount: float, pay_id: str | None = None) -> dict:
    return {"payment_id": pay_id or f"PAY{next(_pay_counter)}", "person_id": pid,
            "program": program, "paid_on": on, "amount": amount, "source": "fund"}


@pytest.fixture
def build(tmp_path: Path):
    """``build(households=[...], persons=[...], ...)`` → the folder written."""
    counter = iter(range(10**6))

    def _build(**tables: list[dict[str, Any]]) -> Path:
        return write_tables(tmp_path / f"region{next(counter)}", tables)

    return _build


SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"


def check_snapshot(text: str, name: str) -> None:
    """``text`` must equal ``tests/snapshots/<name>``; with RELIEFKIT_UPDATE_SNAPSHOTS=1 it
    is written there first (after a change made on purpose: review the diff)."""
    import os

    path = SNAPSHOTS / name
    if os.environ.get("RELIEFKIT_UPDATE_SNAPSHOTS"):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no snapshot {path}: rerun with RELIEFKIT_UPDATE_SNAPSHOTS=1 and review it"
    assert text == path.read_text(encoding="utf-8"), (
        f"the output differs from {path}; review the change and rerun with RELIEFKIT_UPDATE_SNAPSHOTS=1")

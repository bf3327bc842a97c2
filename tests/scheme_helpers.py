"""Small generated regions for the scheme, measure and comparison tests.

``random_tables(seed, households)`` builds tables with the edge cases of the reference
calculation on purpose: persons who died before, on and after D, households with nobody
alive, unknown booleans, public employees alive and dead, zero incomes and incomes that put
``y`` exactly on a line, enrolments ending on D. ``write_region`` writes them as CSV and
loads them through the real reader.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from reliefkit.region.region import Region, load_region

CAUSES = ["illness", "disability", "education", "disaster", "lack_labor", "lack_funds", ""]


def write_region(folder: Path, tables: dict[str, pd.DataFrame], policy_yaml: str | None = None) -> Region:
    """Write ``tables`` as CSV files into ``folder`` and load them as a Region."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        frame.to_csv(folder / f"{name}.csv", index=False)
    if policy_yaml:
        (folder / "policies").mkdir(exist_ok=True)
        (folder / "policies" / "lines.yaml").write_text(policy_yaml, encoding="utf-8")
    return load_region(folder)


def random_tables(seed: int, households: int = 60, year: int = 2026) -> dict[str, pd.DataFrame]:
    """Households, persons, enrolments with every edge case of the reference calculation."""
    rng = np.random.default_rng(seed)
    H = households
    hid = [f"H{seed:03d}{i:04d}" for i in range(H)]
    size = rng.integers(1, 6, H)
    area = rng.choice(["rural", "urban"], H, p=[0.6, 0.4])
    # per-capita monthly incomes around the lines, some exactly on 150 / 210, some zero
    y_target = rng.choice([0.0, 60.0, 120.0, 150.0, 180.0, 210.0, 260.0, 400.0], H) + rng.integers(0, 3, H) * rng.random(H) * 40
    raw = y_target * size * 12
    income = np.where(rng.random(H) < 0.5, np.round(raw), np.round(raw, 2))
    vehicle = rng.choice(["true", "false", ""], H, p=[0.1, 0.7, 0.2])
    hh = pd.DataFrame({
        "household_id": hid,
        "district": rng.choice(["East", "West", "North"], H),
        "area": area,
        "annual_income": income,
        "has_vehicle": vehicle,
        "medical_spending": np.where(rng.random(H) < 0.3, np.round(rng.random(H) * 20000), np.nan),
        "main_cause": rng.choice(CAUSES, H),
    })
    rows = []
    D = pd.Timestamp(year=year, month=12, day=31)
    for i, h in enumerate(hid):
        all_dead = rng.random() < 0.05
        for j in range(size[i]):
            r = rng.random()
            if all_dead or r < 0.06:
                deceased = (D - pd.Timedelta(days=int(rng.integers(0, 400)))).date().isoformat()
            elif r < 0.09:
                deceased = D.date().isoformat()  # died on D: not alive on D
            elif r < 0.12:
                deceased = (D + pd.Timedelta(days=int(rng.integers(1, 60)))).date().isoformat()
            else:
                deceased = ""
            age = int(rng.integers(0, 95))
            rows.append({
                "person_id": f"{h}P{j}",
                "household_id": h,
                "birth_date": f"{year - age}-{int(rng.integers(1, 13)):02d}-{int(rng.integers(1, 29)):02d}",
                "disability_grade": int(rng.choice([0, 0, 0, 1, 2, 3, 4])),
                "major_illness": rng.choice(["true", "false", ""]),
                "labor_ability": rng.choice(["full", "partial", "none", ""], p=[0.4, 0.2, 0.3, 0.1]),
                "public_employee": rng.choice(["true", "false", ""], p=[0.05, 0.75, 0.2]),
                "deceased_on": deceased,
            })
    persons = pd.DataFrame(rows)
    pick = rng.random(len(persons)) < 0.35
    enrol = persons.loc[pick, ["person_id"]].copy()
    enrol["program"] = rng.choice(["rural_dibao", "urban_dibao", "tekun", "marginal", "registered_poor"], len(enrol))
    enrol["start_date"] = [f"{year - int(rng.integers(0, 3))}-0{int(rng.integers(1, 10))}-01" for _ in range(len(enrol))]
    end = rng.choice(["", f"{year}-12-31", f"{year}-06-30", f"{year + 1}-03-01"], len(enrol), p=[0.6, 0.15, 0.15, 0.1])
    enrol["end_date"] = end
    enrol["support_mode"] = np.where(enrol["program"] == "tekun", rng.choice(["centralized", "dispersed"], len(enrol)), "")
    return {"households": hh, "persons": persons, "enrolments": enrol.reset_index(drop=True)}

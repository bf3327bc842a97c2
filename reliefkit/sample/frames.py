"""The six tables as text frames, in contract order with exactly the contract's columns.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from reliefkit.io.schema import CAUSES, UNIT_TYPES
from reliefkit.sample.encode import (
    bool_text, cause_text, code_text, date_text, int_text, money_text, prefixed_ids, rows_text
)
from reliefkit.sample.ledger import source_labels
from reliefkit.sample.settings import (
    AREAS, COLUMNS, EMPLOYMENT, LABOR, MODES, PAY_PROGRAMS, PROGRAMS, RELATIONS, SEXES
)

__all__ = ["helper_tables", "households_table", "ledger_tables", "ordered", "persons_table"]


def ordered(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The tables in contract order, each checked to have exactly the contract's columns.

    Parameters
    ----------
    tables : dict of str to pandas.DataFrame

    Returns
    -------
    dict of str to pandas.DataFrame
    """
    for name, cols in COLUMNS.items():
        if tuple(tables[name].columns) != cols:  # pragma: no cover - a bug in this module
            raise RuntimeError(f"{name}: columns {list(tables[name].columns)} are not {list(cols)}")
    return {name: tables[name] for name in COLUMNS}


def households_table(hid: np.ndarray, names: Sequence[str], villages: Sequence[str],
                     h: dict[str, np.ndarray]) -> pd.DataFrame:
    """The ``households`` table as text.

    Parameters
    ----------
    hid : numpy.ndarray of uint8
        Household numbers (ASCII matrix).
    names, villages : list of str
        District and village names.
    h : dict of str to numpy.ndarray
        Household columns by name.

    Returns
    -------
    pandas.DataFrame
    """
    return pd.DataFrame({
        "household_id": rows_text(hid),
        "district": code_text(names, h["district"]),
        "village": code_text(villages, h["village"]),
        "area": code_text(AREAS, h["area"]),
        "annual_income": money_text(h["income"]),
        "has_vehicle": bool_text(h["vehicle"]),
        "has_business": bool_text(h["business"]),
        "medical_spending": money_text(h["spending"]),
        "housing_safe": bool_text(h["housing"]),
        "water_safe": bool_text(h["water"]),
        "main_cause": code_text(("",) + CAUSES, h["main_cause"] + 1),
        "causes": cause_text(h["cause_mask"]),
    })


def persons_table(pid: np.ndarray, hid: np.ndarray, names: pd.api.extensions.ExtensionArray,
                  p: dict[str, np.ndarray], a: dict[str, np.ndarray]) -> pd.DataFrame:
    """The ``persons`` table as text.

    Parameters
    ----------
    pid, hid : numpy.ndarray of uint8
        Person IDs and household numbers (ASCII matrices).
    names : pandas.api.extensions.ExtensionArray
        Persons' names.
    p : dict of str to numpy.ndarray
        Person columns by name (``hh``: the row of the person's household).
    a : dict of str to numpy.ndarray
        Person attributes (see :func:`reliefkit.sample.people.attributes`).

    Returns
    -------
    pandas.DataFrame
    """
    return pd.DataFrame({
        "person_id": rows_text(pid),
        "household_id": rows_text(hid[p["hh"]]),
        "name": names,
        "sex": code_text(SEXES, p["male"].astype(np.int8)),
        "birth_date": date_text(p["birth"]),
        "relation": code_text(RELATIONS, p["rel"]),
        "disability_grade": int_text(a["grade"]),
        "chronic_illness": bool_text(a["chronic"]),
        "major_illness": bool_text(a["major"]),
        "labor_ability": code_text(LABOR, a["labor"]),
        "employment": code_text(EMPLOYMENT, a["employment"]),
        "public_employee": bool_text(p["public"]),
        "deceased_on": date_text(p["death"]),
    })


def ledger_tables(pid: np.ndarray, enr: dict[str, np.ndarray],
                  led: dict[str, np.ndarray]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``enrolments`` and ``payments`` tables as text.

    Parameters
    ----------
    pid : numpy.ndarray of uint8
        Person IDs (ASCII matrix).
    enr, led : dict of str to numpy.ndarray
        Enrolments and the payment ledger.

    Returns
    -------
    enrolments, payments : pandas.DataFrame
    """
    enrolments = pd.DataFrame({
        "person_id": rows_text(pid[enr["person"]]),
        "program": code_text(PROGRAMS, enr["program"]),
        "start_date": date_text(enr["start"]),
        "end_date": date_text(enr["end"]),
        "support_mode": code_text(MODES, enr["mode"]),
    })
    n = led["person"].size
    payments = pd.DataFrame({
        "payment_id": rows_text(prefixed_ids("P", n, max(7, len(str(n))))),
        "person_id": rows_text(pid[led["person"]]),
        "program": code_text(PAY_PROGRAMS, led["program"]),
        "paid_on": date_text(led["day"]),
        "amount": money_text(led["cents"]),
        "source": code_text(source_labels(), led["source"]),
    })
    return enrolments, payments


def helper_tables(pid: np.ndarray, hel: dict[str, object],
                  pairs: dict[str, np.ndarray]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``helpers`` and ``pairings`` tables as text.

    Parameters
    ----------
    pid : numpy.ndarray of uint8
        Person IDs (ASCII matrix).
    hel, pairs : dict
        Helpers (``type``, ``name``, ``unit``, ``capacity``, optionally ``district_name``:
        the township each works in, "" for none) and pairings (``helper``, ``person``,
        ``start``, ``end``).

    Returns
    -------
    helpers, pairings : pandas.DataFrame
    """
    n = hel["type"].size
    hid = prefixed_ids("H", n, max(4, len(str(n))))
    helpers = pd.DataFrame({
        "helper_id": rows_text(hid),
        "name": hel["name"],
        "unit": hel["unit"],
        "unit_type": code_text(UNIT_TYPES, hel["type"]),
        "capacity": int_text(hel["capacity"]),
    })
    if "district_name" in hel:  # the township a helper works in (empty for county-wide units)
        helpers["district"] = pd.array(hel["district_name"], dtype="str")
    pairings = pd.DataFrame({
        "helper_id": rows_text(hid[pairs["helper"]]),
        "person_id": rows_text(pid[pairs["person"]]),
        "start_date": date_text(pairs["start"]),
        "end_date": date_text(pairs["end"]),
    })
    return helpers, pairings

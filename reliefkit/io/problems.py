"""The problems table: one row per failure, for every file, row and column.

Columns: ``table, file, sheet, row, column, value, reason, severity, message``.
``row`` is the row as the user sees it in the file (the header is row 1; empty for a
problem of the whole file), ``value`` is masked when the column holds personal data,
``severity`` is ``error`` (the row is quarantined, or the file could not be read) or
``warning`` (reported, nothing quarantined). ``message`` says what to do.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from reliefkit.text.idnumbers import mask_value

#: every reason code of the problems table: a typo in a caller is caught by a type checker,
#: and :data:`MESSAGES` must hold exactly these (a test checks both lists agree)
Reason = Literal[
    "missing_value",
    "invalid_date",
    "invalid_bool",
    "invalid_number",
    "invalid_int",
    "invalid_code",
    "out_of_range",
    "id_stored_as_number",
    "invalid_check_digit",
    "duplicate_key",
    "end_before_start",
    "unknown_household",
    "unknown_person",
    "unknown_helper",
    "duplicate_header",
    "missing_column",
    "unknown_column",
    "undecodable",
    "unreadable",
    "malformed",
    "too_many_fields",
    "rows_above_header",
    "second_header_row",
    "merged_cells",
    "wrong_extension",
    "no_rows",
    "formula_without_value",
    "legacy_id",
    "invalid_id_birth_date",
    "birth_date_mismatch",
    "placeholder_date",
    "future_date",
    "paid_after_death",
    "exclusive_programmes",
    "dibao_public_employee",
    "dibao_vehicle",
    "dibao_business",
    "paid_twice_in_month",
    "paid_not_enrolled",
    "empty_file",
    "duplicate_table",
    "missing_table",
    "example_row",
]
Severity = Literal["error", "warning"]

__all__ = ["COLUMNS", "MESSAGES", "Reason", "Severity", "problem_rows", "file_problem", "empty", "concat"]

COLUMNS = ("table", "file", "sheet", "row", "column", "value", "reason", "severity", "message")

#: reason code → what to do; ``{value}`` and ``{detail}`` are filled in per row
MESSAGES: dict[Reason, str] = {
    "missing_value": "a required value is empty; fill it in, or remove the row",
    "invalid_date": "'{value}' is not a date; write YYYY-MM-DD (2026/3/1, 2026年3月1日 and Excel dates are read too)",
    "invalid_bool": "'{value}' is not a yes/no value; write true/false, 1/0, 是/否 or Y/N",
    "invalid_number": "'{value}' is not a number; write digits such as 1200.50 (1,200.00, ￥300 and 300元 are read too)",
    "invalid_int": "'{value}' is not a whole number; write digits such as 3",
    "invalid_code": "'{value}' is not an allowed value; use one of: {detail}",
    "out_of_range": "{value} is out of range; it must be {detail}",
    "id_stored_as_number": "'{value}' reached us as a number, so digits past the 15th are lost; re-export this column as text (in Excel: format the column as Text, re-enter or re-import the IDs) and read the file again",
    "invalid_check_digit": "{value} fails the GB 11643 check digit (expected {detail}); correct the ID number from the person's ID card",
    "duplicate_key": "{value} appears more than once (first at row {detail}); keep one row per key",
    "end_before_start": "the end date {value} is before the start date {detail}; correct one of the two dates",
    "unknown_household": "household {value} is not in the households table{detail}; add the household or correct the number",
    "unknown_person": "person {value} is not in the persons table{detail}; add the person or correct the ID",
    "unknown_helper": "helper {value} is not in the helpers table{detail}; add the helper or correct the ID",
    "duplicate_header": "two columns both mean '{detail}' ({value}); delete or rename one of them",
    "missing_column": "the required column '{detail}' is missing; add it (Chinese header: {value})",
    "unknown_column": "the column '{value}' is not part of the data contract and is ignored; rename it if it should be {detail}",
    "undecodable": "{detail}; save the file again as UTF-8 (or GB18030) and read it again",
    "unreadable": "{detail}; open the file, save it again as .xlsx, .csv or .parquet and read it again",
    "malformed": "{detail}; fix the row (usually an unquoted comma or a stray quote) and read it again",
    "too_many_fields": "the row has more fields than the header, so its cells cannot be matched to columns; quote values that contain commas, or remove the extra cells",
    "rows_above_header": "rows {value} above the header were skipped (a title or group header); the header was found on row {detail}",
    "second_header_row": "row {value} repeats the header and was skipped; keep one header row",
    "merged_cells": "{value} were read with the value in every merged cell, as shown; unmerge cells in exports",
    "wrong_extension": "the file {value} holds {detail}, not what its name says; it was read as such — rename it",
    "no_rows": "the file has a header but no rows",
    "formula_without_value": "the cell holds a formula with no saved value; open the file in Excel, let it calculate, save, and read it again",
    "legacy_id": "{value} is a 15-digit first-generation ID; record the person's 18-digit ID number",
    "invalid_id_birth_date": "characters 7–14 of {value} are not a possible birth date; correct the ID number",
    "birth_date_mismatch": "the birth date {detail} disagrees with the one in the ID number {value}; correct one of them",
    "placeholder_date": "{value} is a placeholder, not a date; leave the cell empty when the date is unknown",
    "future_date": "{value} lies in the future; correct the date",
    "paid_after_death": "person {value} was paid {detail}; stop the payments and recover the amount",
    "exclusive_programmes": "person {value} is in two programmes that exclude each other: {detail}; end one of the enrolments",
    "dibao_public_employee": "person {value} is a public employee in the minimum living allowance ({detail}); review the enrolment",
    "dibao_vehicle": "the household of person {value} has a vehicle but is in the minimum living allowance ({detail}); review the enrolment",
    "dibao_business": "the household of person {value} has a business but is in the minimum living allowance ({detail}); review the enrolment",
    "paid_twice_in_month": "person {value} was paid twice by one programme in one month: {detail}; check for a duplicate payment",
    "paid_not_enrolled": "person {value} was paid {detail} without an enrolment in that programme on that date; check the enrolment or recover the payment",
    "empty_file": "the file is empty (not even a header row); export the table again",
    "duplicate_table": "more than one file holds the table ({detail}); keep only one",
    "missing_table": "there is no file for the required table '{detail}'; add {detail}.csv, .xlsx or .parquet",
    "example_row": "row(s) {value} are example rows (their IDs start with {detail}) and were skipped, not counted; delete them",
}


def problem_rows(
    *,
    table: str,
    file: str,
    sheet: str | None,
    rows: np.ndarray | pd.Series | list,
    column: str,
    values: pd.Series | list,
    reason: Reason,
    details: pd.Series | list | str = "",
    severity: Severity = "error",
) -> pd.DataFrame:
    """Problems of one kind on many rows, as a frame of the problems table.

    ``values`` are raw cell values; they are masked here when ``column`` is personal,
    before any message is built. ``reason`` is one of :data:`Reason`.

    Examples
    --------
    >>> t = problem_rows(table="persons", file="persons.csv", sheet=None, rows=[3], column="person_id",
    ...                  values=["11010519491231002X"], reason="duplicate_key", details=["2"])
    >>> int(t.loc[0, "row"]), t.loc[0, "value"], t.loc[0, "message"]
    (3, '110105********002X', '110105********002X appears more than once (first at row 2); keep one row per key')
    """
    values = list(values)
    n = len(values)
    masked = [mask_value(column, v) for v in values]
    if isinstance(details, str):
        details = [details] * n
    template = MESSAGES[reason]
    messages = [template.format(value=v, detail=d) for v, d in zip(masked, details)]
    return pd.DataFrame(
        {
            "table": table, "file": file, "sheet": sheet or "",
            "row": pd.array(list(rows), dtype="Int64"), "column": column, "value": masked,
            "reason": reason, "severity": severity, "message": messages,
        },
        index=range(n),
    )


def file_problem(table: str, file: str | Path, reason: Reason, *, value: str = "",
                 detail: str = "", column: str = "", sheet: str | None = None,
                 severity: Severity = "error") -> pd.DataFrame:
    """One problem of a whole file (no row)."""
    return problem_rows(
        table=table, file=str(file), sheet=sheet, rows=[None], column=column,
        values=[value], reason=reason, details=[detail], severity=severity,
    )


def empty() -> pd.DataFrame:
    """A problems table with no rows."""
    return pd.DataFrame({c: pd.Series(dtype="Int64" if c == "row" else "str") for c in COLUMNS})


def concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Join problem frames, keeping their order (callers add them table by table)."""
    frames = [f for f in frames if len(f)]
    if not frames:
        return empty()
    return pd.concat(frames, ignore_index=True)

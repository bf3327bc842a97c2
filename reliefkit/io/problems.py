"""The problems table: one row per failure, for every file, row and column.

Columns: ``table, file, sheet, row, column, value, reason, severity, message, detail``.
``row`` is the row as the user sees it in the file (the header is row 1; empty for a
problem of the whole file), ``value`` is masked when the column holds personal data,
``severity`` is ``error`` (the row is quarantined, or the file could not be read) or
``warning`` (reported, nothing quarantined). ``message`` says what to do, in English;
``detail`` is what the check found (an expected check digit, a first row, a range), the
structured field :func:`render` builds the message from in either language, and
:func:`lines` gives the lines ``reliefkit validate`` prints.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import re
from functools import cache, lru_cache

import numpy as np
import pandas as pd

from reliefkit.text.idnumbers import mask_value
from reliefkit.io.aliases import ZH_CODES, ZH_HEADER
from reliefkit.text.words import label, problem_words, template_words

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

__all__ = ["COLUMNS", "MESSAGES", "Reason", "Severity", "problem_rows", "file_problem", "empty", "concat",
           "column_name", "reason_name", "render", "lines", "column_lists"]

COLUMNS = ("table", "file", "sheet", "row", "column", "value", "reason", "severity", "message", "detail")

#: reason code → what to do (English; ``{value}`` and ``{detail}`` are filled in per row): the
#: ``message`` column. Every reason's words, in both languages, are in
#: ``reliefkit/text/words/problems.yaml`` (:func:`render` gives them in Chinese).
MESSAGES: dict[Reason, str] = dict(problem_words("en")["message"])


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
            "detail": [str(d) for d in details],
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


def reason_name(reason: str, lang: str = "en") -> str:
    """The short name of a reason code in ``lang`` (``problems.yaml``, group ``reason``).

    Examples
    --------
    >>> reason_name("invalid_check_digit", "zh"), reason_name("invalid_check_digit", "en")
    ('身份证号校验位不对', 'wrong ID check digit')
    """
    return str(problem_words(lang)["reason"].get(reason, reason))


def column_name(column: str, lang: str = "en") -> str:
    """A column as a clerk knows it: its Chinese header in ``zh``, its canonical name in ``en``.

    Examples
    --------
    >>> column_name("person_id", "zh"), column_name("person_id", "en")
    ('身份证号', 'person_id')
    """
    return ZH_HEADER.get(column, column) if lang == "zh" else column


@cache
def _patterns(lang: str) -> dict[str, list[tuple[re.Pattern, str]]]:
    return {reason: [(re.compile(p), r) for p, r in pairs]
            for reason, pairs in (problem_words(lang).get("detail") or {}).items()}


@lru_cache(maxsize=2**16)  # details repeat (a check digit, a programme and a day); bounded all the same
def _translate(reason: str, text: str, lang: str) -> str:
    """A reader's or the audit's English detail in ``lang`` (``problems.yaml``, group ``detail``)."""
    for pattern, replacement in _patterns(lang).get(reason, ()):
        if "(?P<" not in pattern.pattern:
            text = pattern.sub(replacement, text)
            continue
        m = pattern.match(text)
        if m:
            groups = {k: (label("program", v, lang) if k.startswith("program") else v)
                      for k, v in m.groupdict().items()}
            return replacement.format(**groups)
    return text


@lru_cache(maxsize=2**16)
def _detail(reason: str, column: str, detail: str, lang: str) -> str:
    """The ``detail`` of a problem as its message in ``lang`` shows it."""
    if lang == "en":
        return detail
    w = problem_words(lang)["words"]
    if reason == "invalid_code":
        codes = ZH_CODES.get(column, {})
        return w["list_sep"].join(w["code"].format(code=c, label=codes[c]) if c in codes else c
                                  for c in detail.split(", "))
    if reason in ("duplicate_header", "unknown_column"):
        if detail.startswith("one of "):
            heads = [w["header"].format(header=column_name(c, lang)) for c in detail[len("one of "):].split(", ")]
            return w["one_of"].format(headers=w["list_sep"].join(heads))
        return w["header"].format(header=column_name(detail, lang))
    if reason == "missing_table":
        return w["table"].format(name=detail, label=template_words(lang)["sheets"].get(detail, detail))
    return _translate(reason, detail, lang)


def render(problems: pd.DataFrame, lang: str = "en") -> pd.Series:
    """Each problem's message — what is wrong and what to do — in ``lang``.

    ``en`` is the ``message`` column. ``zh`` is built from ``reason``, ``value`` and
    ``detail`` with the words of ``problems.yaml``; a problem on a row does not repeat its
    value (:func:`lines` shows it before the message). A problems table without the
    ``detail`` column (one written by an older version) keeps its English messages.

    Parameters
    ----------
    problems : pandas.DataFrame
        A problems table (:data:`COLUMNS`).
    lang : {"zh", "en"}

    Returns
    -------
    pandas.Series of str
        Aligned with ``problems``.

    Examples
    --------
    >>> t = problem_rows(table="persons", file="persons.csv", sheet=None, rows=[12], column="person_id",
    ...                  values=["110105194912310021"], reason="invalid_check_digit", details=["X"])
    >>> render(t, "zh").iloc[0]
    '校验位不对（按国家标准 GB 11643，最后一位应为 X）；请对照身份证核对身份证号'
    """
    if lang == "en" or "detail" not in problems.columns or problems.empty:
        if lang != "en":
            problem_words(lang)  # an unknown language is still an error
        return problems["message"].astype("str")
    templates = problem_words(lang)["message"]
    out = []
    for reason, column, value, detail, on_row in zip(*column_lists(problems, "reason", "column", "value", "detail"),
                                                     problems["row"].notna().tolist()):
        v = value or ""
        if not on_row:  # a problem of the whole file: its value is words of a reader, not a cell
            v = _translate(reason, v, lang)
        out.append(templates[reason].format(value=v, detail=_detail(reason, column or "", detail or "", lang)))
    return pd.Series(out, index=problems.index, dtype="str")


def column_lists(frame: pd.DataFrame, *columns: str) -> list[list]:
    """Columns of a frame as Python lists, missing values as ``None`` — for row-by-row work
    (iterating Arrow strings value by value is slow).

    Examples
    --------
    >>> column_lists(pd.DataFrame({"a": ["x", None], "b": pd.array([1, None], dtype="Int64")}), "a", "b")
    [['x', None], [1, None]]
    """
    return [frame[c].astype(object).where(frame[c].notna(), None).tolist() for c in columns]


def lines(problems: pd.DataFrame, lang: str = "en") -> list[str]:
    """One line per problem, as ``reliefkit validate`` prints it: where (file, sheet, row,
    column and, in ``zh``, the masked value), then what is wrong and what to do.

    Parameters
    ----------
    problems : pandas.DataFrame
        A problems table (:data:`COLUMNS`).
    lang : {"zh", "en"}

    Returns
    -------
    list of str

    Examples
    --------
    >>> t = problem_rows(table="persons", file="persons.csv", sheet=None, rows=[12], column="person_id",
    ...                  values=["110105194912310021"], reason="invalid_check_digit", details=["X"])
    >>> lines(t, "zh")[0]
    'persons.csv 第12行 身份证号「110105********0021」：校验位不对（按国家标准 GB 11643，最后一位应为 X）；请对照身份证核对身份证号'
    >>> print(lines(t, "en")[0])
    persons.csv row 12, column person_id: 110105********0021 fails the GB 11643 check digit (expected X); correct the ID number from the person's ID card
    """
    w = problem_words(lang)["words"]
    out = []
    where_columns = column_lists(problems, "file", "sheet", "row", "column", "value")
    for file, sheet, row, column, value, message in zip(*where_columns, render(problems, lang).tolist()):
        where = str(file) + (w["sheet"].format(sheet=sheet) if sheet else "")
        if row is not None:
            where += w["row"].format(row=int(row))
        if column:
            key = "column_value" if row is not None and value else "column"
            where += w[key].format(column=column_name(column, lang), value=value)
        out.append(f"{where}{w['colon']}{message}")
    return out

"""Turn raw cells into typed values, one column at a time, vectorized.

Each ``coerce_*`` function takes a raw column (text as read from CSV/XLSX, or a typed
Parquet column) and returns the typed values and a boolean Series marking cells that
could not be read (``bad``). Empty cells become missing values and are never "bad" here;
required-ness is checked by :mod:`reliefkit.io.validation`.

Accepted forms (``docs/en/region-folder.md``):

- dates: ``2026-03-01``, ``2026/3/1``, ``2026.3.1``, ``2026年3月1日``, ``20260301``,
  a trailing ``00:00:00``, and Excel serial numbers (1900 date system);
- booleans: ``true/false``, ``1/0``, ``是/否``, ``Y/N``, ``有/无`` in any letter case;
- amounts: ``1,200.00``, ``￥300``, ``300元``;
- identifiers and codes: NFKC-normalised (full-width digits, letters and spaces), stripped;
  an identifier that reached us as a number in E notation is refused, never repaired.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from reliefkit import _arrow
from reliefkit.io.aliases import CODE_ALIASES, FALSE_WORDS, TRUE_WORDS, fold

__all__ = ["DATE_DTYPE", "is_text", "nfkc", "numbers_to_text", "number_to_text", "coerce_id", "coerce_text",
           "coerce_code", "coerce_codes", "coerce_bool", "coerce_number", "coerce_int", "coerce_date"]

DATE_DTYPE = "datetime64[s]"
_EXCEL_EPOCH = np.datetime64("1899-12-30", "s")
_EXCEL_EPOCH_1904 = np.datetime64("1904-01-01", "s")
_DATE_RE = (
    r"^(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_COMPACT_DATE_RE = r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$"
_SERIAL_RE = r"^\d{1,7}(?:\.0+)?$"
_NUMBER_AS_TEXT_RE = r"^[+-]?\d+(?:\.\d+)?[eE][+-]?\d+$|^\d{16,}\.\d*$"
_MONEY_JUNK = r"[,\s￥¥元]|RMB|CNY"
_CODES_SPLIT = re.compile(r"[;,、|/]")


def is_text(raw: pd.Series) -> bool:
    """True when a raw column holds text (as from CSV/XLSX), not a typed Parquet column."""
    return pd.api.types.is_string_dtype(raw.dtype) or raw.dtype == object


def nfkc(raw: pd.Series) -> pd.Series:
    """Strip and NFKC-normalise a text column (full-width → half-width); "" → missing."""
    return _arrow.clean_text(raw)


def numbers_to_text(values: pd.Series) -> pd.Series:
    """Render a typed (numeric, bool, date) column as the text a person would type.

    Integral floats lose their ``.0``; numbers of 16 digits or more keep E notation,
    so an identifier that went through a spreadsheet as a number is recognised as such.
    """
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        return values.dt.strftime("%Y-%m-%d").astype("str")
    if pd.api.types.is_bool_dtype(values.dtype):
        return values.map({True: "true", False: "false"}).astype("str")
    if pd.api.types.is_numeric_dtype(values.dtype):
        return values.map(number_to_text, na_action="ignore").astype("str")
    return values.astype("str")


def number_to_text(v: object) -> str:
    """One numeric cell as text: ``3.0`` → ``"3"``, ``1.1e17`` stays in E notation."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, np.integer)):
        return str(int(v)) if abs(int(v)) < 10**15 else f"{float(v):.14E}"
    f = float(v)  # type: ignore[arg-type]
    if f.is_integer() and abs(f) < 1e15:
        return str(int(f))
    if abs(f) >= 1e15:
        return f"{f:.14E}"
    return repr(f)


def _as_text(raw: pd.Series) -> pd.Series:
    return nfkc(raw if is_text(raw) else numbers_to_text(raw))


def coerce_id(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Identifiers as text; inner spaces removed, a final ``x`` of an 18-char ID upper-cased.

    ``bad`` marks values that reached us as numbers (E notation, or 16+ digits with a
    decimal point): their digits past the 15th are already lost and cannot be repaired.

    Examples
    --------
    >>> v, bad = coerce_id(pd.Series(["１１０１０５１９４９１２３１００２ｘ", "1.10105E+17", " H 01 "]))
    >>> v.tolist(), bad.tolist()
    (['11010519491231002X', nan, 'H01'], [False, True, False])
    """
    s = _as_text(raw)
    if not _arrow.matches(s, r"\s|x$|[.eE]").any():  # the usual case: one scan
        return s, pd.Series(False, index=s.index)
    if _arrow.matches(s, r"\s").any():
        s = _arrow.replace(s, r"\s+", "")
    if _arrow.matches(s, r"x$").any():
        s = _arrow.replace(s, r"^(\d{17})x$", r"\1X")
    bad = pd.Series(_arrow.matches(s, _NUMBER_AS_TEXT_RE), index=s.index)
    return s.mask(bad), bad


def coerce_text(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Free text (names, villages, units): NFKC-normalised and stripped."""
    s = _as_text(raw)
    return s, pd.Series(False, index=raw.index)


def _map_uniques(s: pd.Series, fn, type_: pa.DataType = pa.large_string()) -> pa.Array:
    """Apply ``fn`` to each distinct non-missing value once (codes have few); an Arrow array."""
    arr = _arrow.arrow(s)
    uniq = pc.unique(arr).drop_null()
    mapped = pa.array([fn(u) for u in uniq.to_pylist()], type=type_)
    return mapped.take(pc.index_in(arr, value_set=uniq))


def coerce_code(raw: pd.Series, column: str, codes: tuple[str, ...],
                 aliases: Mapping[str, str] | None = None) -> tuple[pd.Series, pd.Series]:
    """A code from a fixed list; Chinese and variant spellings map through the alias table
    (``aliases``: folded value → code, default the kit's for ``column``).

    Examples
    --------
    >>> v, bad = coerce_code(pd.Series(["农村", "URBAN", "town", None]), "area", ("rural", "urban"))
    >>> v.tolist(), bad.tolist()
    (['rural', 'urban', nan, nan], [False, False, True, False])
    """
    s = _as_text(raw)
    aliases = CODE_ALIASES.get(column, {}) if aliases is None else aliases
    allowed = {fold(c): c for c in codes}

    def one(v: str) -> object:
        f = fold(v)
        code = aliases.get(f, allowed.get(f))
        return code if code in codes else None

    out = _arrow.text(_map_uniques(s, one), s.index)
    bad = (out.isna() & s.notna()).astype(bool)
    return out, bad


def coerce_codes(raw: pd.Series, column: str, codes: tuple[str, ...],
                 aliases: Mapping[str, str] | None = None) -> tuple[pd.Series, pd.Series]:
    """Several codes joined by ``;`` (also ``,``, ``、``, ``|``); rejoined canonically by ``;``
    (``aliases`` as for :func:`coerce_code`).

    Examples
    --------
    >>> v, bad = coerce_codes(pd.Series(["因病；因残", "illness;nonsense"]), "causes", ("illness", "disability"))
    >>> v.tolist(), bad.tolist()
    (['illness;disability', nan], [False, True])
    """
    s = _as_text(raw)
    aliases = CODE_ALIASES.get(column, {}) if aliases is None else aliases
    allowed = {fold(c): c for c in codes}

    def one(v: str) -> object:
        parts = [p for p in _CODES_SPLIT.split(v) if p.strip()]
        out = []
        for p in parts:
            f = fold(p)
            code = aliases.get(f, allowed.get(f))
            if code not in codes:
                return None
            if code not in out:
                out.append(code)
        return ";".join(out) if out else None

    out = _arrow.text(_map_uniques(s, one), s.index)
    bad = (out.isna() & s.notna()).astype(bool)
    return out, bad


def coerce_bool(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Booleans in any of the accepted spellings; nullable ``boolean`` dtype.

    Examples
    --------
    >>> v, bad = coerce_bool(pd.Series(["是", "N", "TRUE", "0", "", "maybe"]))
    >>> v.tolist(), bad.tolist()
    ([True, False, True, False, <NA>, <NA>], [False, False, False, False, False, True])
    """
    if pd.api.types.is_bool_dtype(raw.dtype):
        return raw.astype("boolean"), pd.Series(False, index=raw.index)
    s = _as_text(raw)

    def one(v: str) -> object:
        f = fold(v)
        return True if f in TRUE_WORDS else False if f in FALSE_WORDS else None

    arr = _map_uniques(s, one, pa.bool_())
    out = pd.Series(pd.array(arr.to_pandas(), dtype="boolean"), index=s.index)
    bad = (out.isna() & s.notna()).astype(bool)
    return out, bad


def coerce_number(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Numbers, tolerating thousands separators, ``￥``/``¥`` and ``元``.

    Examples
    --------
    >>> v, bad = coerce_number(pd.Series(["1,200.00", "￥300", "300元", "abc", ""]))
    >>> v.tolist()[:3], bad.tolist()
    ([1200.0, 300.0, 300.0], [False, False, False, True, False])
    """
    if pd.api.types.is_numeric_dtype(raw.dtype) and not pd.api.types.is_bool_dtype(raw.dtype):
        return raw.astype("float64"), pd.Series(False, index=raw.index)
    s = _as_text(raw)
    try:  # plain numbers: one Arrow cast
        out = pd.Series(pc.cast(_arrow.arrow(s), pa.float64()).to_numpy(zero_copy_only=False),
                        index=s.index, dtype="float64")
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        clean = _arrow.replace(s, _MONEY_JUNK, "")
        out = pd.to_numeric(clean, errors="coerce").astype("float64")
    bad = (out.isna() & s.notna()).astype(bool)
    return out, bad


def coerce_int(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Whole numbers (``3``, ``3.0``); nullable ``Int64``."""
    num, bad = coerce_number(raw)
    frac = num.notna() & (num != np.floor(num.fillna(0)))
    bad = bad | frac
    return num.mask(frac).astype("Int64"), bad


def coerce_date(raw: pd.Series, epoch: str = "1900") -> tuple[pd.Series, pd.Series]:
    """Dates in every accepted form, as ``datetime64[s]``.

    ``epoch`` is the Excel date system of the workbook a serial number came from
    (``"1900"``, or ``"1904"`` for workbooks made by old Mac Excel).

    Examples
    --------
    >>> v, bad = coerce_date(pd.Series(["2026-03-01", "2026/3/1", "2026.3.1", "2026年3月1日",
    ...                                 "46082", "2026-02-30", ""]))
    >>> [str(x.date()) if not pd.isna(x) else None for x in v], bad.tolist()
    (['2026-03-01', '2026-03-01', '2026-03-01', '2026-03-01', '2026-03-01', None, None], [False, False, False, False, False, True, False])
    """
    if pd.api.types.is_datetime64_any_dtype(raw.dtype):
        out = raw.dt.tz_localize(None) if getattr(raw.dt, "tz", None) else raw
        return out.dt.floor("D").astype(DATE_DTYPE), pd.Series(False, index=raw.index)
    s = _as_text(raw)
    out = pd.to_datetime(s, format="%Y-%m-%d", errors="coerce").astype(DATE_DTYPE)
    rest = out.isna() & s.notna()
    if rest.any():
        r = s[rest]
        parsed = pd.Series(pd.NaT, index=r.index, dtype=DATE_DTYPE)
        for pattern in (_DATE_RE, _COMPACT_DATE_RE):
            todo = parsed.isna()
            parts = r[todo].str.extract(pattern)
            ok = parts["y"].notna()
            if ok.any():
                ymd = parts[ok].astype("int64")
                parsed.loc[ymd.index] = pd.to_datetime(
                    {"year": ymd["y"], "month": ymd["m"], "day": ymd["d"]}, errors="coerce"
                ).astype(DATE_DTYPE)
        todo = parsed.isna() & r.str.fullmatch(_SERIAL_RE).fillna(False).astype(bool)
        if todo.any():
            days = pd.to_numeric(r[todo]).astype("int64")
            days = days[(days >= 1) & (days <= 2958465)]
            base = _EXCEL_EPOCH_1904 if epoch == "1904" else _EXCEL_EPOCH
            parsed.loc[days.index] = base + days.to_numpy().astype("timedelta64[D]")
        out.loc[parsed.index] = parsed
    bad = (out.isna() & s.notna()).astype(bool)
    return out, bad

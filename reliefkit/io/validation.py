"""Coerce and check every table of a region folder; collect every failure in one pass.

The checks are those the schemas of :mod:`reliefkit.io.schema` declare — types, required
values, allowed codes, ranges, unique keys, foreign keys, date order — plus the GB 11643
check digit of resident ID numbers. Nothing stops at the first failure: every problem of
every row lands in one problems table (:mod:`reliefkit.io.problems`). A row with an error is
quarantined (kept, with its problems); the others are accepted. For every table,
``rows_in == accepted + quarantined``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from reliefkit import _arrow
from reliefkit.io import problems as P
from reliefkit.io.aliases import NO_ALIASES, RegionAliases, load_region_aliases
from reliefkit.io.coerce import (
    DATE_DTYPE, coerce_bool, coerce_code, coerce_codes, coerce_date, coerce_id, coerce_int,
    coerce_number, coerce_text,
)
from reliefkit.text.idnumbers import check_chars, id_birth_dates, is_legacy_resident_id, resident_id_mask
from reliefkit.io.reading import RawTable, find_table_sources, read_table
from reliefkit.io.schema import TABLES, Column, Table

__all__ = ["DTYPES", "PLACEHOLDER_BEFORE", "empty_frame", "ValidationResult", "validate_folder"]

DTYPES = {"id": "str", "text": "str", "code": "str", "codes": "str", "date": DATE_DTYPE,
          "bool": "boolean", "number": "float64", "int": "Int64"}
PLACEHOLDER_BEFORE = pd.Timestamp("1900-01-02")  # 1900-01-01 (Excel serial 1) stands for "unknown"
_T = TypeVar("_T")
_BAD_REASON = {"id": "id_stored_as_number", "date": "invalid_date", "bool": "invalid_bool",
               "number": "invalid_number", "int": "invalid_int", "code": "invalid_code",
               "codes": "invalid_code"}


def empty_frame(table: Table) -> pd.DataFrame:
    """A table with no rows and the canonical columns and dtypes."""
    return pd.DataFrame({c.name: pd.Series(dtype=DTYPES[c.kind]) for c in table.columns})


@dataclass(frozen=True, eq=False)
class ValidationResult:
    """What validating a region folder gives.

    Attributes
    ----------
    frames : dict of str → DataFrame
        The accepted rows of each table, typed, canonical columns only.
    quarantine : dict of str → DataFrame
        The rows with an error, as read (column ``row``: the row in the file).
    problems : DataFrame
        Every problem (see :mod:`reliefkit.io.problems`).
    tables : DataFrame
        Per table: file, sheet, encoding, status, rows_in, accepted, quarantined.
    links : dict of str → numpy.ndarray
        ``"table.column"`` → for each accepted row, the row of the parent table its
        foreign key names (found while checking the key; reused by :class:`Region`).
    rows : dict of str → numpy.ndarray
        For each accepted row of a table, its row number in the file (for reports that
        point back to the file, e.g. :mod:`reliefkit.figures.audit`).
    headers : dict of str → dict
        Per table read, canonical column → its header as written in the file (for the
        problems workbook, which shows rejected rows as they were; empty from a store).

    Examples
    --------
    >>> result = validate_folder("data/sample")
    >>> t = result.tables
    >>> bool((t["rows_in"] == t["accepted"] + t["quarantined"]).all()), result.clean
    (True, True)
    """

    frames: dict[str, pd.DataFrame]
    quarantine: dict[str, pd.DataFrame]
    problems: pd.DataFrame
    tables: pd.DataFrame
    links: dict[str, np.ndarray]
    rows: dict[str, np.ndarray]
    headers: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def errors(self) -> pd.DataFrame:
        """The problems of severity ``error``."""
        return self.problems[self.problems["severity"] == "error"]

    @property
    def clean(self) -> bool:
        """True when nothing was quarantined and every file could be read."""
        return self.errors.empty

    @property
    def unreadable(self) -> list[str]:
        """Tables whose file could not be read at all (or is missing)."""
        return self.tables.loc[self.tables["status"].isin(["unreadable", "missing", "rejected"]), "table"].tolist()

    def warnings(self) -> list[str]:
        """What a figure computed from this region does not count, table by table: the
        rows quarantined, a table whose file could not be read, and a table whose file
        has a header but no rows (every figure from it is 0). Empty when all is well.

        Returns
        -------
        list of str
            One sentence per table, naming the table and its file and saying what to do.

        Examples
        --------
        >>> validate_folder("data/sample").warnings()
        []
        """
        out = []
        for t in self.tables.itertuples(index=False):
            where = f"{t.table} ({t.file}{', sheet ' + t.sheet if t.sheet else ''})"
            if t.status in ("unreadable", "rejected", "missing"):
                out.append(f"{where} could not be read: none of its rows is counted; "
                           "run `reliefkit validate` to see why")
            elif t.quarantined:
                out.append(f"{t.quarantined:,} of {t.rows_in:,} rows of {where} were quarantined and are not counted; "
                           "run `reliefkit validate` to see them")
            elif t.status != "absent" and t.rows_in == 0:
                out.append(f"{where} has a header but no rows: every figure from it is 0; "
                           "check that the file is the whole export")
        return out


def _coerce(raw: pd.Series, col: Column, epoch: str = "1900",
            aliases: RegionAliases = NO_ALIASES) -> tuple[pd.Series, pd.Series]:
    if col.kind == "id":
        return coerce_id(raw)
    if col.kind == "text":
        return coerce_text(raw)
    if col.kind == "code":
        return coerce_code(raw, col.name, col.codes, aliases.code_map(col.name))
    if col.kind == "codes":
        return coerce_codes(raw, col.name, col.codes, aliases.code_map(col.name))
    if col.kind == "date":
        return coerce_date(raw, epoch)
    if col.kind == "bool":
        return coerce_bool(raw)
    if col.kind == "number":
        return coerce_number(raw)
    return coerce_int(raw)


def _range_text(col: Column) -> str:
    lo = "" if col.min is None else (f"> {col.min:g}" if col.min_exclusive else f"≥ {col.min:g}")
    hi = "" if col.max is None else f"≤ {col.max:g}"
    return " and ".join(x for x in (lo, hi) if x)


class _TableCheck:
    """Coerces one raw table and records its problems row by row."""

    def __init__(self, table: Table, raw: RawTable, aliases: RegionAliases = NO_ALIASES) -> None:
        self.table, self.raw = table, raw
        n = len(raw.frame)
        self.bad = np.zeros(n, dtype=bool)
        self.found: list[pd.DataFrame] = []
        self.links: dict[str, np.ndarray] = {}
        if raw.overlong is not None and raw.overlong.any():
            self.flag(raw.overlong, "", "too_many_fields", values=pd.Series("", index=range(n)))
        self.typed = pd.DataFrame(index=range(n))
        for col in table.columns:
            if col.name in raw.frame.columns:
                values, bad = _coerce(raw.frame[col.name], col, raw.epoch, aliases)
                self.typed[col.name] = values.astype(DTYPES[col.kind])
                detail = ", ".join(col.codes) if col.kind in ("code", "codes") else ""
                if col.kind in _BAD_REASON:
                    self.flag(bad.to_numpy(), col.name, _BAD_REASON[col.kind], detail)
                if col.required:
                    self.flag((values.isna() & ~bad).to_numpy(), col.name, "missing_value")
                if col.min is not None or col.max is not None:
                    v = values.astype("float64")
                    out = np.zeros(n, dtype=bool)
                    if col.min is not None:
                        out |= (v <= col.min if col.min_exclusive else v < col.min).fillna(False).to_numpy()
                    if col.max is not None:
                        out |= (v > col.max).fillna(False).to_numpy()
                    self.flag(out, col.name, "out_of_range", _range_text(col))
                if col.kind == "date":
                    self.check_dates(col, values)
            else:
                self.typed[col.name] = pd.Series(index=range(n), dtype=DTYPES[col.kind])
        for pos, column, reason in raw.bad_cells:
            mask = np.zeros(n, dtype=bool)
            mask[pos] = True
            self.flag(mask, column, reason)

    def check_dates(self, col: Column, values: pd.Series) -> None:
        """Placeholder dates (1900-01-01 and earlier) are errors; a birth date in the future
        is a warning (DATA.md's figures do not depend on it)."""
        days = values.to_numpy()
        early = days < PLACEHOLDER_BEFORE.to_datetime64()  # NaT compares False
        if early.any():
            self.flag(early, col.name, "placeholder_date", values=values.dt.strftime("%Y-%m-%d"))
        if col.name == "birth_date":
            future = days > np.datetime64(pd.Timestamp.today().date(), "s")
            if future.any():
                self.flag(future, col.name, "future_date", values=values.dt.strftime("%Y-%m-%d"), severity="warning")

    def flag(self, mask: np.ndarray, column: str, reason: str, details: object = "",
             values: pd.Series | None = None, severity: str = "error") -> None:
        """Record a problem on every row where ``mask`` is true; an error quarantines the row."""
        if not mask.any():
            return
        if severity == "error":
            self.bad |= mask
        if values is None:
            values = self.raw.frame[column]
        vals = values[mask]
        if isinstance(details, (pd.Series, np.ndarray)):
            details = list(np.asarray(details)[mask]) if len(details) == len(mask) else list(details)
        self.found.append(P.problem_rows(
            table=self.table.name, file=self.raw.file.name, sheet=self.raw.sheet,
            rows=self.raw.rows[mask], column=column, values=vals.tolist(), reason=reason,
            details=details, severity=severity,
        ))

    def check_key(self) -> None:
        key = self.table.key
        if key is None:
            return
        k = self.typed[key]
        present = int(k.notna().sum())
        if len(pc.unique(_arrow.arrow(k))) - (present < len(k)) == present:
            return  # all distinct: the usual case, decided in one Arrow pass (unique counts null once)
        dup = (k.duplicated(keep="first") & k.notna()).to_numpy()
        if dup.any():
            first_row = pd.Series(self.raw.rows, index=k.to_numpy())
            first_row = first_row[~first_row.index.duplicated(keep="first")]
            details = [str(first_row[v]) for v in k[dup]]
            self.flag(dup, key, "duplicate_key", details, values=k)

    def check_resident_ids(self) -> None:
        """GB 11643 check digit, the birth date inside the ID, and 15-digit legacy IDs."""
        ids = self.typed["person_id"]
        shaped, valid = resident_id_mask(ids.fillna(""))
        wrong = (shaped & ~valid).to_numpy()
        if wrong.any():
            expected = np.full(len(ids), "", dtype=object)
            expected[wrong] = check_chars(ids[wrong].str.slice(0, 17)).to_numpy()
            self.flag(wrong, "person_id", "invalid_check_digit", expected, values=ids)
        # DATA.md allows "a local code" and says nothing of the birth date inside an ID:
        # these are warnings, so that no figure depends on them
        legacy = _arrow.matches(ids, r"^\d{15}$")
        if legacy.any():
            legacy[legacy] = [is_legacy_resident_id(v) for v in ids[legacy]]
        self.flag(legacy, "person_id", "legacy_id", values=ids, severity="warning")
        ok = valid.to_numpy()
        if ok.any():
            born = id_birth_dates(ids, ok)
            today = np.datetime64(pd.Timestamp.today().date(), "s")
            impossible = ok & (np.isnat(born) | (born > today) | (born < PLACEHOLDER_BEFORE.to_datetime64()))
            self.flag(impossible, "person_id", "invalid_id_birth_date", values=ids, severity="warning")
            stated = self.typed["birth_date"].to_numpy()
            differs = ok & ~impossible & ~np.isnat(stated) & (stated != born)
            if differs.any():
                self.flag(differs, "person_id", "birth_date_mismatch",
                          self.typed["birth_date"].dt.strftime("%Y-%m-%d").to_numpy(), values=ids, severity="warning")

    def check_date_order(self) -> None:
        start, end = self.table.date_order  # type: ignore[misc]
        s, e = self.typed[start], self.typed[end]
        wrong = (e < s).fillna(False).to_numpy()
        if wrong.any():
            self.flag(wrong, end, "end_before_start", s.dt.strftime("%Y-%m-%d").to_numpy(),
                      values=e.dt.strftime("%Y-%m-%d"))

    def check_foreign_keys(self, found: dict[str, np.ndarray], seen: dict[str, pd.Series]) -> None:
        """Flag values not among the parent's accepted keys; ``found`` holds, by column,
        each value's position among them (:func:`_link_children`)."""
        for fk in self.table.foreign_keys:
            v = self.typed[fk.column]
            pos = found[fk.column]
            self.links[fk.column] = pos
            orphan = v.notna().to_numpy() & (pos < 0)
            if orphan.any():
                quarantined = _arrow.isin(v, seen.get(fk.table, pd.Series(dtype="str")))
                details = np.where(quarantined, " (its row there has an error and was quarantined)", "")
                self.flag(orphan, fk.column, fk.reason, details, values=v, severity=fk.severity)

    def problems(self) -> pd.DataFrame:
        if not self.found:
            return P.empty()
        out = pd.concat(self.found, ignore_index=True)
        return out.sort_values("row", kind="stable").reset_index(drop=True)


def _check_table(table: Table, path: Path | None, sheet: str | None, aliases: RegionAliases = NO_ALIASES
                 ) -> tuple[dict, RawTable | None, pd.DataFrame, _TableCheck | None]:
    """Read one table and run every check that needs no other table: its row in the
    tables summary, the raw table, the reading problems and the check (None when the
    table is missing, unreadable or rejected)."""
    info = {"table": table.name, "file": path.name if path else "", "sheet": "", "encoding": "",
            "status": "missing", "rows_in": 0, "accepted": 0, "quarantined": 0}
    if path is None:
        info["status"] = "missing" if table.required else "absent"
        return info, None, P.empty(), None
    raw, probs = read_table(table, path, sheet, aliases)
    if raw is None:
        info["status"] = "unreadable"
        return info, None, probs, None
    info.update(sheet=raw.sheet or "", encoding=raw.encoding or "", rows_in=len(raw.frame))
    if (probs["severity"] == "error").any():  # missing or duplicate column
        info.update(status="rejected", quarantined=len(raw.frame))
        return info, raw, probs, None
    check = _TableCheck(table, raw, aliases)
    check.check_key()
    if table.name == "persons":
        check.check_resident_ids()
    if table.date_order:
        check.check_date_order()
    return info, raw, probs, check


def _link_children(parent: Table, accepted: pd.DataFrame, checked: list, found: dict[str, dict[str, np.ndarray]]
                   ) -> None:
    """Look up every foreign key that points into ``parent`` among its accepted keys, in
    one hash of those keys for all the child tables."""
    if parent.key is None:
        return
    refs = [(child.name, fk.column, check.typed[fk.column]) for child, (_, _, _, check) in zip(TABLES, checked)
            if check is not None for fk in child.foreign_keys if fk.table == parent.name]
    if refs:
        for (child, column, _), pos in zip(refs, _arrow.positions_many([r[2] for r in refs], accepted[parent.key])):
            found.setdefault(child, {})[column] = pos


def _in_threads(fn: Callable[[Table], _T], tables: Sequence[Table]) -> list[_T]:
    """``[fn(t) for t in tables]`` on two threads (one on a single-core machine)."""
    from concurrent.futures import ThreadPoolExecutor

    if (os.cpu_count() or 1) < 2:
        return [fn(t) for t in tables]
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="reliefkit-validate") as pool:
        futures = [pool.submit(fn, t) for t in tables]
        return [f.result() for f in futures]


def validate_folder(region_dir: str | Path, sheets: dict[str, str] | None = None) -> ValidationResult:
    """Read and validate every table of a region folder.

    Parameters
    ----------
    region_dir : str or pathlib.Path
        A region folder (``docs/en/region-folder.md``), or one ``.xlsx`` workbook with a
        sheet per table (``reliefkit template`` writes a blank one); the problems' ``sheet``
        column names the sheet.
    sheets : dict, optional
        Table name → sheet to read from its ``.xlsx`` (default: the first sheet; in a
        one-workbook region, the sheet named after the table).

    Returns
    -------
    ValidationResult

    Examples
    --------
    >>> result = validate_folder("data/sample")
    >>> result.clean, int(result.tables["rows_in"].sum()) == int(result.tables["accepted"].sum())
    (True, True)
    """
    region_dir = Path(region_dir)
    aliases = load_region_aliases(region_dir) if region_dir.is_dir() else NO_ALIASES
    sources, found = find_table_sources(region_dir)
    all_problems = [found]
    frames: dict[str, pd.DataFrame] = {}
    quarantine: dict[str, pd.DataFrame] = {}
    seen_keys: dict[str, pd.Series] = {}
    links: dict[str, np.ndarray] = {}
    file_rows: dict[str, np.ndarray] = {t.name: np.zeros(0, dtype=np.int64) for t in TABLES}
    rows = []
    # each table is read and checked on its own, two at a time (Arrow's kernels release the
    # GIL); the foreign keys then follow in order, each against its parent's accepted rows
    checked = _in_threads(lambda t: _check_table(t, sources.get(t.name, (None, None))[0],
                                                 (sheets or {}).get(t.name) or sources.get(t.name, (None, None))[1],
                                                 aliases),
                          TABLES)
    # child table → foreign-key column → each value's position among the parent's accepted keys
    found: dict[str, dict[str, np.ndarray]] = {}
    for table, (_, _, _, check) in zip(TABLES, checked):
        if check is None:  # a parent without a usable table: nothing is found in it
            _link_children(table, empty_frame(table), checked, found)
    headers = {table.name: dict(raw.headers) for table, (_, raw, _, _) in zip(TABLES, checked) if raw is not None}
    for table, (info, raw, probs, check) in zip(TABLES, checked):
        frames[table.name] = empty_frame(table)
        all_problems.append(probs)
        if check is None:
            if raw is not None:  # rejected: a missing or duplicate column, the table can't be trusted
                quarantine[table.name] = raw.frame.assign(row=raw.rows)
            rows.append(info)
            continue
        check.check_foreign_keys(found.pop(table.name, {}), seen_keys)
        all_problems.append(check.problems())
        if table.key:
            seen_keys[table.name] = check.typed[table.key]
        good = ~check.bad
        frames[table.name] = check.typed[good].reset_index(drop=True)
        _link_children(table, frames[table.name], checked, found)
        links.update({f"{table.name}.{col}": pos[good] for col, pos in check.links.items()})
        file_rows[table.name] = raw.rows[good]
        quarantine[table.name] = raw.frame.assign(row=raw.rows)[check.bad].reset_index(drop=True)
        info.update(status="ok" if good.all() else "quarantined", accepted=int(good.sum()),
                    quarantined=int(check.bad.sum()))
        rows.append(info)
    tables = pd.DataFrame(rows)
    return ValidationResult(frames, quarantine, P.concat(all_problems), tables, links, file_rows, headers)

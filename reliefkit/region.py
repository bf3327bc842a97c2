"""``Region``: the validated tables of one region folder, and one-district views of it."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from .errors import RegionReadError, UnknownDistrictError
from .policy import Policy, region_policy
from .schema import TABLES
from .validation import ValidationResult, validate_folder

REQUIRED_READABLE = ("households", "persons")


@dataclass(frozen=True, eq=False, repr=False)
class Region:
    """The accepted rows of a region's tables, its policy and what validation found.

    Attributes
    ----------
    households, persons, enrolments, payments, helpers, pairings : pandas.DataFrame
        Canonical columns, typed (identifiers ``str``, dates ``datetime64[s]``,
        booleans nullable ``boolean``, money ``float64``).
    policy : Policy
        The baseline policy with the region's own ``policies/`` over it.
    validation : ValidationResult
        Problems, quarantined rows and per-table row counts of the whole folder.
    name : str
        The folder name.
    scope : str or None
        The district this view holds, or None for the whole region.

    Examples
    --------
    >>> region = load_region("data/sample")
    >>> len(region.districts) >= 5
    True
    >>> town = region.district(region.districts[0])
    >>> town.scope == region.districts[0], set(town.households["district"]) == {town.scope}
    (True, True)
    """

    households: pd.DataFrame
    persons: pd.DataFrame
    enrolments: pd.DataFrame
    payments: pd.DataFrame
    helpers: pd.DataFrame
    pairings: pd.DataFrame
    policy: Policy
    validation: ValidationResult
    name: str = ""
    scope: str | None = None
    source: Path | None = field(default=None)

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """The six tables by name."""
        return {t.name: getattr(self, t.name) for t in TABLES}

    @property
    def districts(self) -> tuple[str, ...]:
        """The districts of the households in scope, sorted."""
        return tuple(sorted(self.households["district"].dropna().unique().tolist()))

    def district(self, name: str) -> Region:
        """A Region holding one district's households and only their persons,
        enrolments, payments and pairings (and the helpers of those pairings).

        Raises
        ------
        UnknownDistrictError
            When the region has no household in ``name``; the message lists the known ones.
        """
        key = unicodedata.normalize("NFKC", str(name)).strip()
        if key not in self.districts:
            raise UnknownDistrictError(
                f"is not a district of region '{self.name}'",
                f"use one of: {', '.join(self.districts)}", district=repr(str(name)),
            )
        hh = self.households[self.households["district"] == key]
        persons = self.persons[self.persons["household_id"].isin(hh["household_id"])]
        pid = persons["person_id"]
        pairings = self.pairings[self.pairings["person_id"].isin(pid)]
        return replace(
            self,
            households=hh.reset_index(drop=True),
            persons=persons.reset_index(drop=True),
            enrolments=self.enrolments[self.enrolments["person_id"].isin(pid)].reset_index(drop=True),
            payments=self.payments[self.payments["person_id"].isin(pid)].reset_index(drop=True),
            pairings=pairings.reset_index(drop=True),
            helpers=self.helpers[self.helpers["helper_id"].isin(pairings["helper_id"])].reset_index(drop=True),
            scope=key,
        )

    def __repr__(self) -> str:
        where = f"district {self.scope!r} of " if self.scope else ""
        q = int(self.validation.tables["quarantined"].sum())
        return (
            f"<Region {where}{self.name!r}: {len(self.districts)} districts, "
            f"{len(self.households):,} households, {len(self.persons):,} persons, "
            f"{len(self.enrolments):,} enrolments, {len(self.payments):,} payments, "
            f"{q:,} rows quarantined>"
        )


def region_from_validation(result: ValidationResult, policy: Policy, name: str = "",
                           source: Path | None = None) -> Region:
    """Build a Region from a validation result.

    Raises
    ------
    RegionReadError
        When the households or persons table is missing, unreadable or rejected.
    """
    broken = [t for t in REQUIRED_READABLE if t in result.unreadable]
    if broken:
        errs = result.errors[result.errors["table"].isin(broken) & result.errors["row"].isna()]
        detail = "; ".join(f"{r.file or r.table}: {r.message}" for r in errs.itertuples())
        raise RegionReadError(
            f"the {' and '.join(broken)} table could not be read ({detail})",
            "fix the file and run `reliefkit validate` on the folder",
            folder=str(source) if source else None,
        )
    f = result.frames
    return Region(f["households"], f["persons"], f["enrolments"], f["payments"], f["helpers"],
                  f["pairings"], policy, result, name, None, source)


def load_region(region_dir: str | Path, sheets: dict[str, str] | None = None) -> Region:
    """Read, validate and load a region folder.

    Rows with errors are quarantined (see ``region.validation``); the Region holds the
    accepted rows. Use ``reliefkit validate`` to see and fix the problems.

    Parameters
    ----------
    region_dir : str or pathlib.Path
        A folder following shared/DATA.md.
    sheets : dict, optional
        Table name → sheet name for ``.xlsx`` files (default: the first sheet).

    Raises
    ------
    RegionReadError
        When the folder does not exist, or its households or persons file cannot be read.

    Examples
    --------
    >>> region = load_region("data/sample")
    >>> region.validation.clean
    True
    """
    region_dir = Path(region_dir)
    result = validate_folder(region_dir, sheets)
    return region_from_validation(result, region_policy(region_dir), region_dir.resolve().name, region_dir)

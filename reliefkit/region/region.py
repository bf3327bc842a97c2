"""``Region``: the validated tables of one region folder, and one-district views of it."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from reliefkit import _arrow
from reliefkit.errors import RegionReadError, UnknownDistrictError
from reliefkit.policy.parameters import Policy, region_policy
from reliefkit.io.schema import TABLES
from reliefkit.io.validation import ValidationResult, validate_folder
from reliefkit.region.metadata import RegionMeta, read_metadata

__all__ = ["REQUIRED_READABLE", "LINKS", "Links", "Region", "region_from_validation", "load_region"]

REQUIRED_READABLE = ("households", "persons")


#: link name → (child table, its column, parent table, the parent's key)
LINKS = {
    "person_household": ("persons", "household_id", "households", "household_id"),
    "enrolment_person": ("enrolments", "person_id", "persons", "person_id"),
    "payment_person": ("payments", "person_id", "persons", "person_id"),
    "pairing_person": ("pairings", "person_id", "persons", "person_id"),
    "pairing_helper": ("pairings", "helper_id", "helpers", "helper_id"),
}


class Links:
    """Row positions that join the tables, each computed once, when first asked for.

    ``person_household[i]`` is the row in ``households`` of person row ``i``;
    ``enrolment_person``, ``payment_person`` and ``pairing_person`` give the row in
    ``persons`` of each enrolment, payment and pairing; ``pairing_helper`` the row in
    ``helpers``. Validation guarantees every link exists (no -1), and a freshly loaded
    Region starts with the positions validation already found.
    """

    person_household: np.ndarray
    enrolment_person: np.ndarray
    payment_person: np.ndarray
    pairing_person: np.ndarray
    pairing_helper: np.ndarray

    def __init__(self, region: Region, known: dict[str, np.ndarray] | None = None) -> None:
        self._region = region
        self.__dict__.update(known or {})

    def __getattr__(self, name: str) -> np.ndarray:
        if name not in LINKS:
            raise AttributeError(name)
        child, column, parent, key = LINKS[name]
        tables = self._region.tables
        value = _arrow.positions(tables[child][column], tables[parent][key])
        self.__dict__[name] = value
        return value


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
        What the region is called: ``name`` of its ``region.yaml`` (or ``地区.yaml``),
        else the folder's name (:mod:`reliefkit.region.metadata`).
    scope : str or None
        The district this view holds, or None for the whole region.
    name_en, code : str or None
        The region's English name and administrative code, when ``region.yaml`` gives them.
    folder_name : str
        The region folder's (or workbook's) own name: what output file names use.

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
    name_en: str | None = None
    code: str | None = None
    folder_name: str = ""
    parent: Region | None = field(default=None)

    def display_name(self, lang: str = "zh") -> str:
        """What a text in ``lang`` calls the region (not the district): ``name_en`` in
        English when ``region.yaml`` gives one, else ``name``.

        Examples
        --------
        >>> region = load_region("data/sample")
        >>> region.display_name("zh"), region.display_name("en")
        ('青山区', 'Qingshan District')
        """
        return RegionMeta(self.name, self.name_en, self.code).display_name(lang)

    def scope_name(self, lang: str = "zh") -> str:
        """What a text in ``lang`` calls the scope: the district's name, or the region's.

        Examples
        --------
        >>> load_region("data/sample", district="城关镇").scope_name("en")
        '城关镇'
        """
        return self.scope if self.scope is not None else self.display_name(lang)

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """The six tables by name."""
        return {t.name: getattr(self, t.name) for t in TABLES}

    @cached_property
    def links(self) -> Links:
        """Row positions joining persons to households and records to persons (each
        computed once, when first used)."""
        return Links(self)

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
        if self.scope is not None and key == self.scope:
            return self  # already that district's view (e.g. a district read from a store)
        if key not in self.districts:
            raise UnknownDistrictError(
                f"is not a district of region '{self.name}'",
                f"use one of: {', '.join(self.districts)}", district=repr(str(name)),
            )
        links = self.links
        in_hh = (self.households["district"] == key).to_numpy()
        in_person = in_hh[links.person_household]
        in_pairing = in_person[links.pairing_person]
        in_helper = np.zeros(len(self.helpers), dtype=bool)
        named = links.pairing_helper[in_pairing]
        in_helper[named[named >= 0]] = True  # -1: a helper missing from the helpers table
        take = lambda frame, mask: frame[mask].reset_index(drop=True)  # noqa: E731
        return replace(
            self,
            households=take(self.households, in_hh),
            persons=take(self.persons, in_person),
            enrolments=take(self.enrolments, in_person[links.enrolment_person]),
            payments=take(self.payments, in_person[links.payment_person]),
            pairings=take(self.pairings, in_pairing),
            helpers=take(self.helpers, in_helper),
            scope=key,
            parent=self.parent or self,
        )

    def whole(self) -> Region:
        """The whole region this view is a district of (itself when it is the region).

        Figures of the region whatever the scope (the pairing suggestions) use it. A
        district read from a store reads the whole store the first time it is asked.

        Examples
        --------
        >>> region = load_region("data/sample")
        >>> region.district("城关镇").whole() is region, region.whole() is region
        (True, True)
        """
        if self.scope is None:
            return self
        if self.parent is not None:
            return self.parent.whole()
        if "_whole" not in self.__dict__:
            if self.source is None:
                raise RegionReadError("this district view does not know its region",
                                      "load the region with load_region(...) and take .district(name)")
            self.__dict__["_whole"] = load_region(self.source)
        return self.__dict__["_whole"]

    def __repr__(self) -> str:
        where = f"district {self.scope!r} of " if self.scope else ""
        q = int(self.validation.tables["quarantined"].sum())
        return (
            f"<Region {where}{self.name!r}: {len(self.districts)} districts, "
            f"{len(self.households):,} households, {len(self.persons):,} persons, "
            f"{len(self.enrolments):,} enrolments, {len(self.payments):,} payments, "
            f"{q:,} rows quarantined>"
        )


def region_from_validation(result: ValidationResult, policy: Policy, name: str | RegionMeta = "",
                           source: Path | None = None, folder: str = "") -> Region:
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
    meta = name if isinstance(name, RegionMeta) else RegionMeta(name)
    region = Region(f["households"], f["persons"], f["enrolments"], f["payments"], f["helpers"],
                    f["pairings"], policy, result, meta.name, None, source, meta.name_en, meta.code,
                    folder or meta.name)
    # validation already found each foreign key's parent row: start the links with them
    known = {name: result.links[f"{child}.{column}"] for name, (child, column, _, _) in LINKS.items()
             if f"{child}.{column}" in result.links}
    region.__dict__["links"] = Links(region, known)
    return region


def load_region(region_dir: str | Path, sheets: dict[str, str] | None = None,
                district: str | None = None) -> Region:
    """Read, validate and load a region folder, or read a validated region store.

    Rows with errors are quarantined (see ``region.validation``); the Region holds the
    accepted rows. Use ``reliefkit validate`` to see and fix the problems. A store
    (:mod:`reliefkit.store`, a folder holding ``store.json``; ``reliefkit prepare``
    builds one) is read without validating again, and with ``district`` only that
    district's rows are read.

    Parameters
    ----------
    region_dir : str or pathlib.Path
        A region folder: one file per table (CSV, XLSX or Parquet), English or Chinese
        headers, optionally ``policies/`` and ``region.yaml``; or a store of one; or one
        ``.xlsx`` workbook with a sheet per table (as ``reliefkit template`` writes).
    sheets : dict, optional
        Table name → sheet name for ``.xlsx`` files (default: the first sheet).
    district : str, optional
        Give that district's Region (as ``load_region(folder).district(name)``); from a
        store, only its rows are read.

    Returns
    -------
    Region
        The accepted rows of every table, typed, with the region's policy.

    Raises
    ------
    RegionReadError
        When the folder does not exist, or its households or persons file cannot be
        read, or it is a damaged store.
    UnknownDistrictError
        When ``district`` is not one of the region's.

    Examples
    --------
    >>> region = load_region("data/sample")
    >>> region.validation.clean
    True
    >>> load_region("data/sample", district="城关镇").districts
    ('城关镇',)
    """
    from reliefkit.store.build import is_store
    from reliefkit.store.location import is_url

    if is_url(region_dir):  # a store at an fsspec URL (s3://bucket/store): read through a local copy
        from reliefkit.store.fetch import cached_copy

        region_dir = cached_copy(region_dir, district)
    region_dir = Path(region_dir)
    if is_store(region_dir):
        return _from_store(region_dir, district)
    result = validate_folder(region_dir, sheets)
    # one workbook: called by its name; its policies/ and region.yaml lie beside it
    folder = region_dir.parent if region_dir.is_file() else region_dir
    default = region_dir.resolve().stem if region_dir.is_file() else region_dir.resolve().name
    meta = read_metadata(region_dir, default)
    region = region_from_validation(result, region_policy(folder), meta, region_dir, default)
    return region if district is None else region.district(district)


def _from_store(store_dir: Path, district: str | None) -> Region:
    """A Region read from a store: the links are found when first asked for (they index
    the rows read)."""
    from reliefkit.store.read import read_store

    got = read_store(store_dir, district)
    f = got.result.frames
    meta = read_metadata(store_dir, got.name)  # the store keeps a copy of region.yaml
    region = Region(f["households"], f["persons"], f["enrolments"], f["payments"], f["helpers"],
                    f["pairings"], region_policy(store_dir), got.result, meta.name, got.district, store_dir,
                    meta.name_en, meta.code, got.name)
    return region

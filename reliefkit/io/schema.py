"""Declarative schemas of the six registry tables (``docs/en/region-folder.md``).

A schema says, per column, its canonical name, kind, whether it is required, its allowed
codes or range, and whether it holds personal data. Reading (:mod:`reliefkit.io.reading`)
maps headers onto these names, :mod:`reliefkit.io.coerce` turns raw text into typed values,
and :mod:`reliefkit.io.validation` checks keys and foreign keys. Nothing here executes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = ["Kind", "CAUSES", "STANDING_PROGRAMS", "ONE_OFF_PROGRAMS", "UNIT_TYPES", "Column", "ForeignKey",
           "Table", "HOUSEHOLDS", "PERSONS", "ENROLMENTS", "PAYMENTS", "HELPERS", "PAIRINGS", "TABLES",
           "TABLES_BY_NAME"]

Kind = Literal["id", "text", "code", "codes", "date", "bool", "number", "int"]

CAUSES = (
    "illness", "disability", "education", "disaster", "lack_land", "lack_water",
    "lack_skills", "lack_labor", "lack_funds", "transport", "low_motivation",
    "marriage", "other",
)
STANDING_PROGRAMS = ("rural_dibao", "urban_dibao", "tekun", "marginal", "registered_poor")
ONE_OFF_PROGRAMS = (
    "temporary", "medical", "donation", "holiday_visit", "project_fund",
    "education_grant", "one_time",
)
UNIT_TYPES = (
    "municipal_unit", "district_organ", "village_cadre", "social_talent",
    "enterprise", "trade_union",
)


@dataclass(frozen=True)
class Column:
    """One column of a table: its canonical name and what a valid value is."""

    name: str
    kind: Kind
    required: bool = False
    codes: tuple[str, ...] = ()
    min: float | None = None
    min_exclusive: bool = False
    max: float | None = None
    personal: bool = False
    #: the Chinese header of this table's column where it differs from the column's usual
    #: one (``helpers.district`` is 所在乡镇, ``households.district`` 所属乡镇)
    zh: str | None = None


@dataclass(frozen=True)
class ForeignKey:
    """``column`` of this table must name a key of ``table``; a value that does not is an
    ``error`` (the row is quarantined) or, where the contract keeps the row, a ``warning``."""

    column: str
    table: str
    reason: str
    severity: str = "error"


@dataclass(frozen=True)
class Table:
    """A registry table: its columns, primary key and foreign keys."""

    name: str
    columns: tuple[Column, ...]
    key: str | None = None
    foreign_keys: tuple[ForeignKey, ...] = ()
    required: bool = True
    date_order: tuple[str, str] | None = None
    # per-row checks beyond one column live in reliefkit.io.validation by name
    extra: tuple[str, ...] = field(default=())

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


HOUSEHOLDS = Table(
    "households",
    (
        Column("household_id", "id", required=True),
        Column("district", "text", required=True),
        Column("village", "text"),
        Column("area", "code", required=True, codes=("rural", "urban")),
        Column("annual_income", "number", required=True, min=0),
        Column("has_vehicle", "bool"),
        Column("has_business", "bool"),
        Column("medical_spending", "number", min=0),
        Column("housing_safe", "bool"),
        Column("water_safe", "bool"),
        Column("main_cause", "code", codes=CAUSES),
        Column("causes", "codes", codes=CAUSES),
    ),
    key="household_id",
)

PERSONS = Table(
    "persons",
    (
        Column("person_id", "id", required=True, personal=True),
        Column("household_id", "id", required=True),
        Column("name", "text", personal=True),
        Column("sex", "code", codes=("M", "F")),
        Column("birth_date", "date"),
        Column("relation", "code",
               codes=("head", "spouse", "child", "parent", "grandchild", "other")),
        Column("disability_grade", "int", min=0, max=4),
        Column("chronic_illness", "bool"),
        Column("major_illness", "bool"),
        Column("labor_ability", "code", codes=("full", "partial", "none")),
        Column("employment", "code",
               codes=("employed", "unemployed", "laid_off", "farming", "student",
                      "retired", "other")),
        Column("public_employee", "bool"),
        Column("deceased_on", "date"),
    ),
    key="person_id",
    foreign_keys=(ForeignKey("household_id", "households", "unknown_household"),),
    extra=("resident_id",),
)

ENROLMENTS = Table(
    "enrolments",
    (
        Column("person_id", "id", required=True, personal=True),
        Column("program", "code", required=True, codes=STANDING_PROGRAMS),
        Column("start_date", "date", required=True),
        Column("end_date", "date"),
        Column("support_mode", "code", codes=("centralized", "dispersed")),
    ),
    foreign_keys=(ForeignKey("person_id", "persons", "unknown_person"),),
    required=False,
    date_order=("start_date", "end_date"),
)

PAYMENTS = Table(
    "payments",
    (
        Column("payment_id", "id", required=True),
        Column("person_id", "id", required=True, personal=True),
        Column("program", "code", required=True, codes=STANDING_PROGRAMS + ONE_OFF_PROGRAMS),
        Column("paid_on", "date", required=True),
        Column("amount", "number", required=True, min=0, min_exclusive=True),
        Column("source", "text"),
    ),
    key="payment_id",
    foreign_keys=(ForeignKey("person_id", "persons", "unknown_person"),),
    required=False,
)

HELPERS = Table(
    "helpers",
    (
        Column("helper_id", "id", required=True),
        Column("name", "text", personal=True),
        Column("unit", "text"),
        Column("unit_type", "code", codes=UNIT_TYPES),
        Column("capacity", "int", min=1),
        Column("district", "text", zh="所在乡镇"),
    ),
    key="helper_id",
    required=False,
)

PAIRINGS = Table(
    "pairings",
    (
        Column("helper_id", "id", required=True),
        Column("person_id", "id", required=True, personal=True),
        Column("start_date", "date", required=True),
        Column("end_date", "date"),
    ),
    foreign_keys=(
        # the contract counts a pairing whatever its helper: a helper missing from the
        # helpers table is reported, the pairing kept (it has no unit type or capacity)
        ForeignKey("helper_id", "helpers", "unknown_helper", severity="warning"),
        ForeignKey("person_id", "persons", "unknown_person"),
    ),
    required=False,
    date_order=("start_date", "end_date"),
)

#: the names a region's metadata file (its name and code) may have, in the order looked for
METADATA_FILES: tuple[str, ...] = ("region.yaml", "region.yml", "地区.yaml", "地区.yml")

#: The tables in dependency order: a table's foreign keys point to earlier ones.
TABLES: tuple[Table, ...] = (HOUSEHOLDS, PERSONS, ENROLMENTS, PAYMENTS, HELPERS, PAIRINGS)
TABLES_BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}

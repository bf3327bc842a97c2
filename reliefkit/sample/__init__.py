"""Synthetic regions: the bundled sample region and scalable benchmark regions
(deterministic per seed).

Two generators share one set of building blocks (household composition, person
attributes, resident ID numbers, names, enrolment histories, the payment ledger,
text encoding):

- :func:`sample_tables` builds the bundled sample region (``data/sample/``): six
  townships of a fictional county, 2025-2026, about 2,600 households that the office
  tracks (6,900 persons), nearly half of them covered by some programme on
  2026-12-31, the others exited, poor but never enrolled ("leaked out"), or followed
  for other hardship.
- :func:`synthetic_tables` builds a region of any size for benchmarks, fully
  vectorized: 1 million persons in a few seconds, 10 million in well under a minute
  and under 5 GB.
- :func:`write_region` / :func:`write_sample_region` write a region folder (CSV or
  Parquet), byte for byte the same for the same seed.

Identifiers: household numbers ``DDVVSSSS`` (district, village, sequence: they start
with a zero), resident ID numbers of 18 characters with a valid GB 11643 check
character (county codes 439901-439906 for the six townships, 4399xx of other
counties for one person in ten; birth date and sex as in the person's row), helpers
``H0001``..., payments ``P0000001``... in date order.

Every table holds text only, exactly as the canonical CSV of the data contract (``docs/en/region-folder.md``)
spells it: identifiers as text (household numbers keep their leading zero, person
IDs keep a trailing ``X``), dates ``YYYY-MM-DD`` or empty, booleans ``true`` /
``false``, money with two decimals.

Calibration by construction
---------------------------
The 2026 year-end figures of the sample region (the figures of the county summary
this kit automates) are not measured after a random draw and tuned; they are decided
first and realised exactly, whatever the seed:

1. Each figure is a count of a set chosen with an exact size: 671 rural households
   are drawn to hold exactly 833 rural minimum-living persons (one primary member
   each plus 162 further members), 126 of them chosen as new this year, and so on.
   The seed decides *who* (households, members, districts, dates), never *how many*.
2. Every enrolment follows a *pattern* whose status on D0 = 2025-12-31 and
   D = 2026-12-31 is known: ``OLD`` (active on both), ``NEW`` (active on D only),
   ``OLD_DUP`` / ``NEW_DUP`` (two overlapping records of one person, counted once),
   ``NEW_RESTART`` (ended in 2025, some exactly on 2025-12-31, restarted in 2026),
   ``OLD_SWITCH`` (special hardship care moved from home to an institution during
   2026), ``EXIT_D`` (ends exactly on 2026-12-31: *not* active on D), ``DIED_OPEN``
   (the person died, some exactly on 2026-12-31, and the enrolment was never
   closed: not counted, an audit finding whose payments kept running), ...
   Counted persons only get counted patterns and the edge cases only land on
   persons who must not be counted, so the edge cases cannot move a figure.
3. Pairings active on D go exactly to the registered poor alive on D; a deceased or
   exited person's pairings end on or before D. Each paired person has active
   pairings to helpers of exactly one unit type, of the group of municipal units and
   district organs (223 persons) or of village cadres and social talents (172),
   each district's registered poor split between the groups in proportion. Helpers
   of enterprises and unions only have pairings that ended (some exactly on D).
4. Ad-hoc payments of 2026 are split from exact totals: temporary assistance
   36,400.00 yuan to 106 persons, donations 140 yuan per recipient on average to 360
   recipients, medical aid over 60,000 yuan to 10 households.
5. New in 2026 means: no enrolment of the person in the programme active on D0.
   Persons who died before D0 with an enrolment still open live in households with
   no counted person, so ``P.new_households`` is the same whether or not such a
   person counts as "active on D0" (DATA.md does not say).

The minimum-living lines used to size monthly payments (rural 110 yuan per person and
month in 2025 and 150 in 2026, urban 210) are generator settings mirroring the
baseline policy; payments are one row per enrolled person and month (quarterly in
:func:`synthetic_tables`): the gap to the line (at least a fifth of it) for the
minimum living allowance, 1.3 lines plus care and institution supplements for special
hardship support, 0.3 lines for marginal households.

Modules
-------
``settings`` the calendar, codes (from :mod:`reliefkit.io.schema`), lines and the
calibration targets; ``draws`` exact-size random draws; ``encode`` numpy → Arrow text
columns; ``places`` districts, villages, household numbers; ``people`` household
composition, attributes, resident IDs; ``names`` names; ``money`` household income and
assets; ``ledger`` enrolment histories and payments; ``units`` helpers' units;
``frames`` the six text tables; ``bundled`` (with ``bundled_payments`` and
``bundled_pairings``) :func:`sample_tables`; ``synthetic`` :func:`synthetic_tables`;
``files`` :func:`write_region` and :func:`write_sample_region`, every file written
atomically.
"""

from reliefkit._lazy import lazy_exports

__all__ = ["sample_tables", "synthetic_tables", "write_region", "write_sample_region"]
__getattr__, __dir__ = lazy_exports(__name__, {
    "sample_tables": "bundled", "synthetic_tables": "synthetic",
    "write_region": "files", "write_sample_region": "files",
})

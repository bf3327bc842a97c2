"""The figures a year-end summary needs beyond the facts (``docs/en/facts.md``).

Each figure is computed by a named function from the Region (or from the facts), and all
of them come together, flat like the facts (``"name.sub": value``), in
:func:`summary_figures`. Plain pandas and numpy: no plotting, no templates.

Definitions (the choices DATA.md leaves open, written down here):

- *covered*: a person alive on D with an enrolment active on D in the minimum living
  allowance (rural or urban) or special-hardship support (:data:`COVERED_PROGRAMS`);
  a covered household is a household of such a person.
- ``covered.illness_or_disability.*``: covered households whose ``main_cause`` is
  ``illness`` or ``disability``; ``.share`` of ``covered.households``.
- ``covered.no_labor.*``: covered households of which no member alive on D has labour
  ability ``full`` or ``partial`` (unknown counts as none).
- ``disability.severe.*``: persons alive on D with disability grade 1 … the policy's
  ``tekun.max_disability_grade`` (the severe grades); ``.covered`` those who are
  covered themselves, ``.uncovered`` the others.
- ``rule.*``: the reference calculation of DATA.md (:func:`reliefkit.simulate.simulation.simulate`
  with the baseline, :func:`reliefkit.simulate.measures.measures`): ``rule.poor.*`` households
  below the line, ``rule.poor_not_enrolled.*`` those the registry does not pay (the
  "leak"), ``rule.eligible_not_enrolled.households`` those of them that also pass the
  asset test, ``rule.exclusion_error`` the registry's exclusion error,
  ``rule.severe_poor_uncovered.persons`` severely disabled persons not covered in a
  household below the line.
- ``pairing.by_group.G``: the persons of ``pairing.persons`` (a pairing active on D) by the
  kind of helper they have (:data:`PAIRING_GROUPS`), each person counted once, so that the
  groups add up to ``pairing.persons``: a person whose helpers are all of group G is in G;
  ``pairing.by_group.mixed``, persons with helpers of two or more groups;
  ``pairing.by_group.other``, persons whose helpers have no unit type of any group.
- Derived from facts (:func:`derived`): ``tekun.centralized_share``,
  ``donation.per_recipient``, ``dibao.*`` (rural + urban), ``payments.total`` (every
  programme paid in the year), ``pairing.needy_paired`` (registered poor with a helper),
  ``pairing.beyond_needy`` (persons paired who are not registered poor alive on D).
- ``pairing.suggested_in_scope`` (``.same_district``): of the scope's registered poor
  without a helper, those the pairing suggestion (made over the whole region,
  :func:`reliefkit.figures.pairing.suggest_pairings`) pairs, and those of them with a
  helper of their own district — the region's ``pairing.suggested`` (``_same_district``)
  for the whole region; ``pairing.still_unpaired``: the scope's needy the suggestion
  cannot pair (:func:`suggested_in_scope`).
- ``change.<key>``: the relative change of a figure against the year before,
  ``(now − before) / before`` (:func:`changes`), when the year before has it and it is
  not 0.
- ``previous.<key>``: the same figures for the year before, when the data has that
  year (:func:`has_data`); ``previous.policy.*.line`` whenever the policy has a value.
"""

from __future__ import annotations

import datetime as dt
import re
import weakref

import numpy as np
import pandas as pd

from reliefkit.errors import PolicyError
from reliefkit.figures.facts import facts
from reliefkit.figures.facts import covered as covered_persons
from reliefkit.io.schema import ONE_OFF_PROGRAMS, STANDING_PROGRAMS
from reliefkit.policy.parameters import LINE_PARAMETERS
from reliefkit.region.days import active_on, alive_on, paid_in, year_end
from reliefkit.region.derived import cached
from reliefkit.region.region import Region
from reliefkit.simulate.measures import share

__all__ = [
    "COVERED_PROGRAMS", "PAIRING_GROUPS", "summary_figures", "figure_kind", "share",
    "covered", "illness_or_disability", "no_labor", "severely_disabled", "poor_not_enrolled",
    "pairing_groups", "suggestions_by_district", "region_figures_ahead", "suggested_in_scope", "scope_counts", "derived", "changes", "CHANGE_KEYS", "has_data", "previous_figures",
    "programmes_present", "coverage_table", "payments_by_month", "causes_table", "figure_label",
]

#: the programmes of the "policy guarantee": a person active in one of them is covered
COVERED_PROGRAMS = ("rural_dibao", "urban_dibao", "tekun")
#: pairing groups of the narrative → helper unit types
PAIRING_GROUPS: dict[str, tuple[str, ...]] = {
    "government": ("municipal_unit", "district_organ"),
    "community": ("village_cadre", "social_talent"),
    "enterprise_union": ("enterprise", "trade_union"),
}
NO_CAUSE = "(none)"
#: the figures whose change against the year before a summary states (:func:`changes`)
CHANGE_KEYS = ("payments.total", "rural_dibao.paid", "urban_dibao.paid", "tekun.paid", "temporary.amount",
               "medical.amount", "donation.amount", "rural_dibao.persons", "urban_dibao.persons", "tekun.persons")


def _scope(region: Region, district: str | None) -> Region:
    return region.district(district) if district is not None else region


def _alive_ids(region: Region, day: pd.Timestamp) -> pd.Index:
    p = region.persons
    return pd.Index(p.loc[alive_on(p, day), "person_id"].unique())


def _active_persons(region: Region, year: int, programs: tuple[str, ...]) -> pd.Index:
    """Persons alive on D with an enrolment in one of ``programs`` active on D — the
    union of the facts' own ``P.persons`` (:func:`reliefkit.figures.facts.covered`)."""
    masks = covered_persons(region, year)
    union = np.logical_or.reduce([masks[program] for program in programs])
    return pd.Index(region.persons["person_id"].to_numpy()[union])


def _household_of(region: Region, person_ids: pd.Index) -> pd.Series:
    p = region.persons
    return pd.Series(p["household_id"].to_numpy(), index=p["person_id"].to_numpy()).reindex(person_ids)


# --------------------------------------------------------------------------- from the Region
def covered(region: Region, year: int) -> dict[str, int]:
    """``covered.persons`` and ``covered.households`` (see the module's definitions)."""
    ids = _active_persons(region, year, COVERED_PROGRAMS)
    return {"covered.persons": int(len(ids)),
            "covered.households": int(_household_of(region, ids).nunique())}


def _covered_households(region: Region, year: int) -> pd.DataFrame:
    ids = _active_persons(region, year, COVERED_PROGRAMS)
    hh_ids = _household_of(region, ids).unique()
    return region.households[region.households["household_id"].isin(hh_ids)]


def illness_or_disability(region: Region, year: int) -> dict[str, int | float]:
    """Covered households whose main cause of hardship is illness or disability, and
    their share of the covered households."""
    hh = _covered_households(region, year)
    k = int(hh["main_cause"].isin(("illness", "disability")).sum())
    return {"covered.illness_or_disability.households": k,
            "covered.illness_or_disability.share": share(k, len(hh))}


def no_labor(region: Region, year: int) -> dict[str, int | float]:
    """Covered households with no member alive on D able to work (labour ability
    ``full`` or ``partial``), and their share of the covered households."""
    hh = _covered_households(region, year)
    p = region.persons
    able = p[alive_on(p, year_end(year)) & p["labor_ability"].isin(("full", "partial"))]
    k = int((~hh["household_id"].isin(able["household_id"])).sum())
    return {"covered.no_labor.households": k, "covered.no_labor.share": share(k, len(hh))}


def _severe(region: Region, year: int) -> pd.Index:
    day = year_end(year)
    worst = int(region.policy.value("tekun.max_disability_grade", day.date()))
    p = region.persons
    grade = p["disability_grade"]
    mask = alive_on(p, day) & (grade >= 1).fillna(False) & (grade <= worst).fillna(False)
    return pd.Index(p.loc[mask.astype(bool), "person_id"].unique())


def severely_disabled(region: Region, year: int) -> dict[str, int | float]:
    """Severely disabled persons alive on D (grade 1 … ``tekun.max_disability_grade``),
    how many are covered and how many are not."""
    severe = _severe(region, year)
    cov = int(severe.isin(_active_persons(region, year, COVERED_PROGRAMS)).sum())
    return {"disability.severe.persons": int(len(severe)), "disability.severe.covered": cov,
            "disability.severe.uncovered": int(len(severe) - cov),
            "disability.severe.covered_share": share(cov, len(severe))}


def poor_not_enrolled(region: Region, year: int) -> dict[str, int | float]:
    """The reference calculation of DATA.md against the actual registry: households
    below the line, those of them the registry does not pay, and the exclusion error."""
    from reliefkit.simulate.measures import measures
    from reliefkit.simulate.simulation import simulate

    sim = simulate(region, year)
    n = sim.prepared.n
    poor, eligible, registry = sim["poor"], sim["eligible"], sim.prepared.registry
    leak = poor & ~registry
    return {
        "rule.poor.households": int(poor.sum()),
        "rule.poor.persons": int(n[poor].sum()),
        "rule.poor_not_enrolled.households": int(leak.sum()),
        "rule.poor_not_enrolled.persons": int(n[leak].sum()),
        "rule.eligible_not_enrolled.households": int((eligible & ~registry).sum()),
        "rule.exclusion_error": float(measures(sim)["registry_exclusion_error"]),
        "rule.severe_poor_uncovered.persons": _severe_poor_uncovered(region, year, sim.prepared.household_id[poor]),
    }


def _severe_poor_uncovered(region: Region, year: int, poor_households: pd.Series) -> int:
    """Severely disabled persons, not covered, in households below the line by the rule."""
    ids = _severe(region, year)
    ids = ids[~ids.isin(_active_persons(region, year, COVERED_PROGRAMS))]
    return int(_household_of(region, ids).isin(poor_households).sum())


def pairing_groups(region: Region, year: int) -> dict[str, int]:
    """The persons with a pairing active on D by the kind of helper they have, each
    counted once (``pairing.by_group.government`` … ``.mixed``, ``.other``; see the
    module's definitions): the groups add up to ``pairing.persons``.

    Examples
    --------
    >>> from reliefkit.region.region import load_region
    >>> g = pairing_groups(load_region("data/sample"), 2026)
    >>> g["pairing.by_group.government"], g["pairing.by_group.community"], sum(g.values())
    (223, 172, 395)
    """
    links = region.links
    on = active_on(region.pairings, year_end(year)).to_numpy()
    person, helper = links.pairing_person[on], links.pairing_helper[on]
    types = region.helpers["unit_type"].astype("str").fillna("").to_numpy()
    group_of = {t: i for i, members in enumerate(PAIRING_GROUPS.values()) for t in members}
    helper_group = np.array([group_of.get(t, -1) for t in types] + [-1], dtype=np.int64)
    group = helper_group[np.where(helper >= 0, helper, len(types))]  # -1: no helper row, or no group
    # one bit per group a person's helpers belong to (unknown kinds set no bit)
    bits = np.zeros(len(region.persons), dtype=np.int64)
    np.bitwise_or.at(bits, person[group >= 0], np.left_shift(1, group[group >= 0]))
    paired = np.zeros(len(region.persons), dtype=bool)
    paired[person] = True
    out = {}
    for i, name in enumerate(PAIRING_GROUPS):
        out[f"pairing.by_group.{name}"] = int((paired & (bits == 1 << i)).sum())
    single = (bits & (bits - 1)) == 0
    out["pairing.by_group.mixed"] = int((paired & ~single).sum())
    out["pairing.by_group.other"] = int((paired & (bits == 0)).sum())
    return out


def suggestions_by_district(region: Region, year: int) -> dict[str, tuple[int, int, int]]:
    """Per district of the whole region: the registered poor without a helper, how many
    the pairing suggestion pairs, how many of them with a helper of their own district
    (:func:`reliefkit.figures.pairing.suggest_pairings`, made over the whole region). A
    district read from a store computes it once per year and keeps it in the store.

    Examples
    --------
    >>> from reliefkit.region.region import load_region
    >>> suggestions_by_district(load_region("data/sample"), 2026)["城关镇"]
    (0, 0, 0)
    """
    from reliefkit.figures.pairing import needy_unpaired, suggest_pairings

    def compute() -> dict[str, list[int]]:
        whole = region.whole() if region.scope is not None else region
        listed = suggest_pairings(whole, year)
        needy = whole.households["district"].to_numpy()[whole.links.person_household[needy_unpaired(whole, year)]]
        needy_n = pd.Series(needy, dtype="object").value_counts()
        g = listed.groupby("district")
        suggested, same = g.size(), g["same_district"].sum()
        return {str(d): [int(needy_n.get(d, 0)), int(suggested.get(d, 0)), int(same.get(d, 0))]
                for d in whole.districts}

    got = cached(region, f"suggestions-by-district-{year}", compute)
    return {d: tuple(int(x) for x in v) for d, v in got.items()}


def region_figures_ahead(region: Region, year: int) -> None:
    """Compute the whole region's figures the districts' notebooks state — the pairing
    suggestions of ``year`` and of the year before, by district and in all — once, before
    they run: kept on ``region`` and, when it was read from a store, in the store's
    ``derived/`` (:func:`reliefkit.region.derived.cached`), where each district's kernel
    reads them instead of the whole store.

    Examples
    --------
    >>> from reliefkit.region.region import load_region
    >>> region_figures_ahead(load_region("data/sample"), 2026)
    """
    from reliefkit.figures.pairing import suggestion_facts

    for y in (year - 1, year):
        suggestion_facts(region, y)
        suggestions_by_district(region, y)


def suggested_in_scope(region: Region, year: int, district: str | None = None) -> dict[str, int]:
    """How many of the scope's registered poor without a helper the pairing suggestion
    pairs (``pairing.suggested_in_scope``), how many of them with a helper of their own
    district (``…_same_district``), and how many it leaves without one
    (``pairing.still_unpaired``), from :func:`suggestions_by_district`.

    Examples
    --------
    >>> from reliefkit.region.region import load_region
    >>> suggested_in_scope(load_region("data/sample"), 2026, "城关镇")["pairing.suggested_in_scope"]
    0
    """
    rows = suggestions_by_district(region, year)
    scope = _scope(region, district)
    picked = [rows.get(str(d), (0, 0, 0)) for d in scope.districts]
    needy, suggested, same = (int(sum(r[i] for r in picked)) for i in range(3))
    return {"pairing.suggested_in_scope": suggested, "pairing.suggested_in_scope_same_district": same,
            "pairing.still_unpaired": needy - suggested}


def scope_counts(region: Region) -> dict[str, int]:
    """``scope.districts`` and ``scope.villages``: how many the scope holds."""
    hh = region.households
    return {"scope.districts": int(len(region.districts)),
            "scope.villages": int(hh[["district", "village"]].dropna().drop_duplicates().shape[0])}


# --------------------------------------------------------------------------- from the facts
def derived(f: dict[str, int | float]) -> dict[str, int | float]:
    """Figures computed from DATA.md's facts alone.

    Examples
    --------
    >>> d = derived({"tekun.persons": 75, "tekun.centralized": 56, "donation.persons": 360,
    ...              "donation.amount": 50400.0, "registered_poor.persons": 395,
    ...              "pairing.unpaired_needy": 0})
    >>> round(d["tekun.centralized_share"], 3), d["donation.per_recipient"], d["pairing.needy_paired"]
    (0.747, 140.0, 395)
    """
    out: dict[str, int | float] = {}
    if "tekun.persons" in f:
        out["tekun.centralized_share"] = share(f.get("tekun.centralized", 0), f["tekun.persons"])
    if "donation.persons" in f:
        out["donation.per_recipient"] = round(share(f["donation.amount"], f["donation.persons"]), 2)
    if "rural_dibao.persons" in f and "urban_dibao.persons" in f:
        for k in ("persons", "households", "new_persons", "new_households"):
            out[f"dibao.{k}"] = int(f[f"rural_dibao.{k}"] + f[f"urban_dibao.{k}"])
        out["dibao.paid"] = round(f["rural_dibao.paid"] + f["urban_dibao.paid"], 2)
    paid = [f[f"{p}.paid"] for p in STANDING_PROGRAMS if f"{p}.paid" in f]
    paid += [f[f"{q}.amount"] for q in ONE_OFF_PROGRAMS if f"{q}.amount" in f]
    if paid:
        out["payments.total"] = round(float(sum(paid)), 2)
    if "registered_poor.persons" in f and "pairing.unpaired_needy" in f:
        out["pairing.needy_paired"] = int(f["registered_poor.persons"] - f["pairing.unpaired_needy"])
        if "pairing.persons" in f:
            out["pairing.beyond_needy"] = int(f["pairing.persons"] - out["pairing.needy_paired"])
    return out


def changes(figures: dict[str, int | float]) -> dict[str, float]:
    """``change.<key>``: the relative change of each of :data:`CHANGE_KEYS` against the
    year before, when ``previous.<key>`` is there and not 0.

    Examples
    --------
    >>> changes({"payments.total": 150.0, "previous.payments.total": 100.0,
    ...          "tekun.persons": 3, "previous.tekun.persons": 0})
    {'change.payments.total': 0.5}
    """
    out: dict[str, float] = {}
    for key in CHANGE_KEYS:
        before = figures.get(f"previous.{key}")
        if key in figures and before:
            out[f"change.{key}"] = float((figures[key] - before) / before)
    return out


# --------------------------------------------------------------------------- the year before
def has_data(region: Region, year: int) -> bool:
    """Whether the data covers ``year``: the ledger has a payment paid in it — or, for a
    region without any payment, an enrolment was active during part of it. (Enrolments
    reach back before the ledger does; a year without its payments is not compared.)

    Examples
    --------
    >>> from reliefkit.region.region import load_region
    >>> region = load_region("data/sample")
    >>> has_data(region, 2025), has_data(region, 2020)
    (True, False)
    """
    if len(region.payments):
        return bool(paid_in(region.payments, year).any())
    e = region.enrolments
    first, last = pd.Timestamp(year=year, month=1, day=1), year_end(year)
    return bool(((e["start_date"] <= last) & (e["end_date"].isna() | (e["end_date"] > first))).any())


def _lines(region: Region, year: int) -> dict[str, int | float]:
    out: dict[str, int | float] = {}
    for path in LINE_PARAMETERS.values():
        try:
            value = region.policy.value(path, dt.date(year, 12, 31))
        except PolicyError:
            continue
        out[f"policy.{path}"] = int(value) if float(value).is_integer() else round(float(value), 2)
    return out


def _year_figures(region: Region, year: int) -> dict[str, int | float]:
    f: dict[str, int | float] = dict(facts(region, year))
    f.update(derived(f))
    for compute in (covered, illness_or_disability, no_labor, severely_disabled, pairing_groups):
        f.update(compute(region, year))
    return f


def previous_figures(region: Region, year: int) -> dict[str, int | float]:
    """The figures of ``year − 1`` as ``previous.<key>`` when the data covers that year
    (:func:`has_data`), and the lines in force on 31 December of that year in any case."""
    out: dict[str, int | float] = {}
    if has_data(region, year - 1):
        out.update(_year_figures(region, year - 1))
    out.update(_lines(region, year - 1))
    if not out:
        return {}
    return {"previous.year": year - 1, **{f"previous.{k}": v for k, v in out.items()}}


_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def summary_figures(region: Region, year: int, district: str | None = None, *,
                    cache: bool = True) -> dict[str, int | float]:
    """Every figure a summary may state: the facts, the figures of this module, the
    derived ones and the previous year's, flat and in a stable order.

    Parameters
    ----------
    region : Region
    year : int
    district : str, optional
        One district (see :meth:`Region.district`); default the whole region.
    cache : bool
        Keep the figures per region object, year and district, so that rendering both
        languages and every format computes them once (a new dict is returned each time).

    Examples
    --------
    >>> from reliefkit.region.region import load_region
    >>> figs = summary_figures(load_region("data/sample"), 2026)
    >>> figs["year"], figs["rural_dibao.persons"], round(figs["tekun.centralized_share"], 3)
    (2026, 833, 0.747)
    >>> figs["previous.year"], figs["previous.policy.rural_dibao.line"], figs["policy.rural_dibao.line"]
    (2025, 110, 150)
    """
    if cache:
        per_region = _CACHE.setdefault(region, {})
        if (year, district) not in per_region:
            per_region[(year, district)] = summary_figures(region, year, district, cache=False)
        return dict(per_region[(year, district)])
    scope = _scope(region, district)
    out: dict[str, int | float] = {"year": int(year)}
    out.update(scope_counts(scope))
    out.update(_year_figures(scope, year))
    out.update(poor_not_enrolled(scope, year))
    out.update(suggested_in_scope(region, year, district))
    out.update(previous_figures(scope, year))
    out.update(changes(out))
    return out


def figure_kind(key: str) -> str:
    """How a figure is printed (a :data:`reliefkit.text.formatting.KINDS` value), from its key.

    Examples
    --------
    >>> [figure_kind(k) for k in ("year", "temporary.amount", "tekun.centralized_share",
    ...                           "previous.policy.rural_dibao.line", "tekun.persons", "change.tekun.paid")]
    ['year', 'amount', 'percent', 'money', 'count', 'percent']
    """
    k = key.removeprefix("previous.")
    if k == "year":
        return "year"
    if k.startswith("change."):
        return "percent"
    if k.endswith((".amount", ".paid")) or k == "payments.total":
        return "amount"
    if k.endswith((".per_recipient", ".line")):
        return "money"
    if k.endswith(("_share", ".share", "exclusion_error")):
        return "percent"
    return "count"


def figure_label(key: str, lang: str = "zh") -> str:
    """The short label of a figure, the same on every page that shows it (index page,
    summary, notebooks, workbooks): ``figure`` in ``text/words/labels.yaml``, else named
    from the programme and the part of the key (``figure_part``); ``previous.K`` and
    ``change.K`` from the label of K.

    Examples
    --------
    >>> figure_label("persons.registered"), figure_label("persons.alive")
    ('在册人数（含已故）', '年末在世人数')
    >>> figure_label("rural_dibao.persons"), figure_label("temporary.amount", "en")
    ('农村低保人数', 'Temporary assistance: paid (yuan)')
    >>> figure_label("previous.tekun.persons"), figure_label("pairing.by_unit_type.enterprise", "en")
    ('上年特困供养人数', 'Enterprise: persons paired')
    >>> figure_label("change.payments.total"), figure_label("previous.year")
    ('全年发放资金较上年增减', '上一年度')
    """
    from reliefkit.text.words import label, labels

    words = labels(lang)
    if key in words["figure"]:
        return str(words["figure"][key])
    for wrapper in ("previous", "change"):
        if key.startswith(f"{wrapper}."):
            inner = figure_label(key.removeprefix(f"{wrapper}."), lang)
            if wrapper == "change":  # a change is a percentage: the inner figure's unit goes
                inner = re.sub(r"\s*[（(][^（）()]*[)）]$", "", inner)
            return words["figure_part"][wrapper].format(label=inner)
    head, _, part = key.rpartition(".")
    if head.startswith("pairing.by_unit_type"):
        unit = label("unit_type", part, lang)
        return f"{unit}{words['figure_part']['by_unit_type']}" if lang == "zh" else \
            f"{unit}: {words['figure_part']['by_unit_type']}"
    name = label("program", head, lang)
    return f"{name}{words['figure_part'][part]}" if lang == "zh" else f"{name}: {words['figure_part'][part]}"


def programmes_present(region: Region) -> frozenset[str]:
    """The programmes the data has at all (any enrolment or payment, any date), plus
    ``"pairing"`` when there are pairings: a summary omits what is not there, and says
    "none this year" for what is there but empty in the year.
    """
    present = set(region.enrolments["program"].dropna().unique()) | set(region.payments["program"].dropna().unique())
    if len(region.pairings):
        present.add("pairing")
    return frozenset(str(p) for p in present)


# --------------------------------------------------------------------------- tables for charts
def coverage_table(region: Region, year: int) -> pd.DataFrame:
    """Persons alive and active on D per standing programme and unit — districts for a
    region of several districts, villages within one district. Columns ``unit``,
    ``program``, ``persons`` (long form; programmes without anyone are left out).

    Examples
    --------
    >>> from reliefkit.region.region import load_region
    >>> t = coverage_table(load_region("data/sample"), 2026)
    >>> t.columns.tolist(), int(t.loc[t["program"] == "tekun", "persons"].sum())
    (['unit', 'program', 'persons'], 75)
    """
    by = "district" if len(region.districts) > 1 else "village"
    day = year_end(year)
    e = region.enrolments
    on = e[active_on(e, day) & e["person_id"].isin(_alive_ids(region, day))][["person_id", "program"]]
    p = region.persons[["person_id", "household_id"]]
    h = region.households[["household_id", by]]
    t = on.drop_duplicates().merge(p, on="person_id").merge(h, on="household_id")
    t["unit"] = t[by].astype("str").fillna("")
    out = (t.groupby(["unit", "program"], observed=True)["person_id"].nunique()
           .rename("persons").reset_index())
    order = {p: i for i, p in enumerate(STANDING_PROGRAMS)}
    out["program"] = out["program"].astype("str")
    out = out.sort_values(["unit", "program"], key=lambda s: s.map(order) if s.name == "program" else s)
    return out.reset_index(drop=True).astype({"persons": "int64"})


def payments_by_month(region: Region, year: int) -> pd.DataFrame:
    """Amount paid in each month of ``year`` per programme: columns ``month`` (1–12),
    ``program``, ``amount``; every month of every programme paid in the year."""
    pay = region.payments[paid_in(region.payments, year)]
    programs = [p for p in STANDING_PROGRAMS + ONE_OFF_PROGRAMS if p in set(pay["program"].astype("str"))]
    sums = pay.groupby([pay["paid_on"].dt.month.rename("month"), pay["program"].astype("str")])["amount"].sum()
    grid = pd.MultiIndex.from_product([range(1, 13), programs], names=["month", "program"])
    out = sums.reindex(grid, fill_value=0.0).rename("amount").reset_index()
    return out.astype({"month": "int64", "amount": "float64"})


def causes_table(region: Region, year: int) -> pd.DataFrame:
    """Covered households by main cause of hardship (missing → ``"(none)"``): columns
    ``cause``, ``households``, most frequent first."""
    hh = _covered_households(region, year)
    cause = hh["main_cause"].astype("str").fillna(NO_CAUSE)
    out = cause.value_counts().rename_axis("cause").rename("households").reset_index()
    out = out.sort_values(["households", "cause"], ascending=[False, True]).reset_index(drop=True)
    return out.astype({"households": "int64"})

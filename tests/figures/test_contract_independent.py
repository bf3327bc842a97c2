"""monitoring.* and pairing.suggested* against an independent calculation, written here from
docs/en/facts.md with plain pandas (sets and row loops, none of reliefkit.figures' code), on a
held-back synthetic region whose pairings were thinned (needy without a helper), some helpers'
capacity blanked, the region and three districts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from reliefkit import facts, load_region
from reliefkit.sample.files import write_region
from reliefkit.sample.synthetic import synthetic_tables


def independent(region, year, district=None):
    D = pd.Timestamp(year, 12, 31)
    hh, pe, en, pa, he = region.households, region.persons, region.enrolments, region.pairings, region.helpers
    alive = pe[pe.deceased_on.isna() | (pe.deceased_on > D)]
    act = en[(en.start_date <= D) & (en.end_date.isna() | (en.end_date > D))]
    act_alive = act[act.person_id.isin(alive.person_id)]
    p2h = pe.set_index("person_id").household_id
    pact = pa[(pa.start_date <= D) & (pa.end_date.isna() | (pa.end_date > D))]
    out = {}
    # pairing suggestions (whole region)
    rp = act_alive[act_alive.program == "registered_poor"].person_id.unique()
    needy = set(rp) - set(pact.person_id)
    taken = pact[pact.helper_id.isin(he.helper_id)].drop_duplicates(["helper_id", "person_id"]).groupby("helper_id").size()
    cap = he.set_index("helper_id").capacity.astype("Float64").fillna(0)
    spare = (cap - taken.reindex(cap.index).fillna(0)).clip(lower=0)
    out["pairing.suggested"] = int(min(len(needy), spare.sum()))
    hd = hh.set_index("household_id").district
    nd = pd.Series([hd[p2h[p]] for p in needy], dtype=object).value_counts()
    hdist = he.set_index("helper_id")["district"]
    sd = spare.groupby(hdist).sum()
    out["pairing.suggested_same_district"] = int(sum(min(k, sd.get(d, 0)) for d, k in nd.items()))
    # monitoring (scope)
    if district is not None:
        hh = hh[hh.district == district]
    L = region.policy.value("monitoring.line", D.date())
    n = alive.groupby("household_id").size()
    def hset(frame, progs):
        f = frame[frame.program.isin(progs)]
        return set(p2h[f.person_id])
    standing = hset(act_alive, ["rural_dibao", "urban_dibao", "tekun"])
    now = hset(act_alive, ["registered_poor"])
    ever = set(p2h[en[(en.program == "registered_poor") & (en.start_date <= D)].person_id])
    support = hset(act_alive, ["rural_dibao", "urban_dibao", "tekun", "marginal"])
    paired = set(p2h[pact[pact.person_id.isin(alive.person_id)].person_id])
    cnt = {c: [0, 0] for c in ("unstable", "edge", "sudden")}
    ws = 0
    for r in hh.itertuples():
        k = n.get(r.household_id, 0)
        if k == 0: continue
        y = r.annual_income / k
        m = 0 if pd.isna(r.medical_spending) else r.medical_spending
        yn = (r.annual_income - m) / k
        h = r.household_id
        cat = None
        if h in ever and h not in now and y < L: cat = "unstable"
        elif h not in ever and h not in standing and y < L: cat = "edge"
        elif h not in now and y >= L and yn < L: cat = "sudden"
        if cat:
            cnt[cat][0] += 1; cnt[cat][1] += k
            if h not in support and h not in paired: ws += 1
    for c, (a, b) in cnt.items():
        out[f"monitoring.{c}.households"] = a; out[f"monitoring.{c}.persons"] = b
    out["monitoring.households"] = sum(v[0] for v in cnt.values())
    out["monitoring.persons"] = sum(v[1] for v in cnt.values())
    out["monitoring.without_support.households"] = ws
    return out


@pytest.fixture(scope="module")
def region(tmp_path_factory):
    t = synthetic_tables(6000, seed=11, n_districts=5)
    rng = np.random.default_rng(1)
    t["pairings"] = t["pairings"][rng.random(len(t["pairings"])) < 0.6].reset_index(drop=True)
    cap = t["helpers"]["capacity"].copy()
    cap[rng.random(len(cap)) < 0.1] = ""
    t["helpers"]["capacity"] = cap
    folder = tmp_path_factory.mktemp("held-back")
    write_region(t, folder)
    return load_region(folder)


def test_region_and_districts_equal_the_independent_calculation(region):
    assert region.validation.clean
    for district in [None, *region.districts[:3]]:
        want = independent(region, 2026, district)
        got = facts(region, 2026, district)
        assert {k: got[k] for k in want} == want, district
    assert want["pairing.suggested"] > 0 and want["monitoring.households"] > 0  # the case is not empty

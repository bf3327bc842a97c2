"""The narrative year-end summary: seed figures, tracing, data changes, zero cases,
omitted sections, year over year, rules, snapshots, exports and the CLI."""

from __future__ import annotations

import re

import pytest
from conftest import enrol, household, pay, person

from reliefkit.cli.main import main
from reliefkit.errors import ReliefkitError
from reliefkit.figures.facts import facts
from reliefkit.text.formatting import NUMBER_PATTERN, Formatter
from reliefkit.report.narrative import TEMPLATES, load_rules, render_summary
from reliefkit.region.region import load_region
from reliefkit.report.summary import render, write_summary
from reliefkit.report.summary_figures import figure_kind, programmes_present, summary_figures
from conftest import check_snapshot
from summary_helpers import SAMPLE_NAMES, drop_households, sample_figures, sample_region

YEAR = 2026


def _render(lang: str, figures: dict | None = None, region=None, **kw):
    region = region or sample_region()
    return render_summary(figures if figures is not None else sample_figures(), lang, scope=SAMPLE_NAMES[lang],
                          present=programmes_present(region), **kw)


@pytest.fixture(scope="module", params=["zh", "en"])
def rendered(request):
    return _render(request.param)


# --------------------------------------------------------------------------- the seed figures
def test_zh_states_the_seed_figures():
    text = _render("zh").markdown
    for phrase in ("农村低保对象671户833人", "由每人每月110元提高到150元", "城市低保对象321户338人",
                   "其中2026年新增26户28人", "特困供养人员75人，其中集中供养56人，占特困供养人员总数的74.7%",
                   "临时救助106人", "发放救助资金3.64万元", "救助重特大疾病困难家庭10户",
                   "结对帮扶困难群众395人", "由市直单位、区直机关干部职工结对帮扶223人",
                   "由村干部和社会能人结对帮扶172人", "实现了每名困难群众至少有一名帮扶人",
                   "共计5.04万元，受助360人，人均140元", "全年发放各类救助资金222.31万元，比2025年的171.33万元增长29.8%",
                   "青山区下辖6个乡镇（街道）", "全区农村低保对象671户833人"):
        assert phrase in text, phrase


def test_en_states_the_seed_figures():
    text = _render("en").markdown
    for phrase in ("833 persons in 671 households", "raised from 110 to 150 yuan per person per month",
                   "338 persons in 321 households", "28 persons in 26 households were new this year",
                   "covered 75 persons, 56 of whom (74.7%) were in centralized care",
                   "Temporary assistance reached 106 persons", "with 36,400 yuan",
                   "helped 10 households facing serious illness", "were paired with 395 persons in difficulty",
                   "223 of them are paired with staff of municipal units and district organs",
                   "and 172 with village cadres and social talents.", "every needy person has at least one.",
                   "totalled 50,400 yuan for 360 recipients, 140 yuan per recipient on average",
                   "totalled 2,223,129.96 yuan, up 29.8% from 1,713,304.27 yuan in 2025"):
        assert phrase in text, phrase


def test_structure_follows_the_seeds(rendered):
    headings = [line for line in rendered.markdown.splitlines() if line.startswith("## ")]
    assert not re.search(r"[。.]- ", rendered.markdown)  # list items never run together
    if rendered.lang == "zh":
        assert [h[3:5] for h in headings[:6]] == ["一、", "二、", "三、", "四、", "五、", "六、"]
        assert headings[-1] == "## 附：数字来源"
    else:
        assert headings == ["## Overview", "## Policy guarantee: no eligible household left out",
                            "## Special assistance: help in hard times",
                            "## Social support: warmth from the community",
                            "## Monitoring against return to poverty", "## Achievements and problems",
                            "## Suggestions", "## Appendix: figures and their sources"]


# --------------------------------------------------------------------------- tracing
def _appendix(markdown: str) -> dict[str, tuple[str, str]]:
    rows = re.findall(r"^\| `([^`]+)` \| (.*?) \| (.*?) \| (.*?) \|$", markdown, flags=re.M)
    return {k: (shown, exact) for k, _label, shown, exact in rows}


def test_every_number_in_the_text_is_a_traced_figure(rendered):
    """Parse every number out of the body and find it among the figures used, each
    printed by the formatter; and every figure used is a figure of the region."""
    fmt = Formatter(rendered.lang)
    figures = sample_figures()
    printed = set()
    for key, value in rendered.figures.items():
        assert figures[key] == value, key
        for unit in (True, False):
            printed.update(NUMBER_PATTERN.findall(fmt.format(value, figure_kind(key), unit=unit)))
    body = rendered.body
    tokens = NUMBER_PATTERN.findall(body)
    assert len(tokens) > 60
    assert set(tokens) <= printed, set(tokens) - printed


def test_figures_used_are_the_facts():
    """The DATA.md facts in the text are the facts of the region, computed afresh."""
    f = facts(sample_region(), YEAR)
    previous = facts(sample_region(), YEAR - 1)
    used = _render("en").figures
    checked = 0
    for key, value in used.items():
        if key in f:
            assert value == f[key], key
            checked += 1
        elif key.startswith("previous.") and key.removeprefix("previous.") in previous:
            assert value == previous[key.removeprefix("previous.")], key
            checked += 1
    assert checked >= 40


def test_appendix_lists_every_figure_with_key_and_value(rendered):
    rows = _appendix(rendered.markdown)
    assert list(rows) == list(rendered.figures)
    fmt = Formatter(rendered.lang)
    for key, (shown, exact) in rows.items():
        value = rendered.figures[key]
        assert shown == fmt.format(value, figure_kind(key))
        assert float(exact) == pytest.approx(value, abs=1e-6)
    for key in ("rural_dibao.persons", "rural_dibao.households", "policy.rural_dibao.line",
                "previous.policy.rural_dibao.line", "tekun.persons", "tekun.centralized",
                "tekun.centralized_share", "temporary.persons", "temporary.amount"):
        assert key in rows, key


def test_templates_write_no_number():
    """Outside Jinja code, the templates hold no digit: every number comes from a figure."""
    for path in TEMPLATES.glob("summary.*.md.j2"):
        text = re.sub(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", "", path.read_text(encoding="utf-8"), flags=re.S)
        assert not re.search(r"\d", text), (path.name, re.findall(r".{0,20}\d.{0,20}", text)[:3])


def test_every_rule_has_text_in_every_template():
    for path in TEMPLATES.glob("summary.*.md.j2"):
        source = path.read_text(encoding="utf-8")
        for rule in load_rules():
            assert f'id == "{rule.id}"' in source, (path.name, rule.id)


# --------------------------------------------------------------------------- change the data
@pytest.fixture(scope="module")
def dropped():
    region = sample_region()
    hh = region.households["household_id"]
    return drop_households(region, hh[hh.str[-1].isin(["3", "7"])])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_dropping_households_changes_every_affected_sentence(lang, dropped):
    before, after = sample_figures(), summary_figures(dropped, YEAR)
    old, new = _render(lang), _render(lang, after, dropped)
    changed = {k for k in before if k in after and before[k] != after[k]}
    assert {"rural_dibao.persons", "temporary.amount", "tekun.persons"} <= changed
    new_sentences = {s for s, _ in new.sentences}
    affected = [(s, keys) for s, keys in old.sentences if keys & changed]
    assert len(affected) > 20
    for sentence, keys in affected:
        assert sentence not in new_sentences, (sentence, keys & changed)
    # and a sentence whose figures did not change is still there
    kept = [s for s, keys in old.sentences if keys and not keys & changed and keys <= set(after)]
    assert kept and all(s in new_sentences for s in kept)


# --------------------------------------------------------------------------- zero cases, omitted sections
@pytest.fixture(scope="module")
def small_region(tmp_path_factory):
    """Two rural households on the minimum living allowance; temporary assistance only in
    2025; no urban allowance, no special hardship, no pairing, no donation at all."""
    from conftest import write_tables

    folder = tmp_path_factory.mktemp("small") / "region"
    a, b = _resident_id("11010519491231001"), _resident_id("11010519491231002")
    write_tables(folder, {
        "households": [household("H1", "东镇", income=600, main_cause="illness"),
                       household("H2", "东镇", income=0, main_cause="disability")],
        "persons": [person(a, "H1", labor_ability="none"),
                    person(b, "H2", labor_ability="none", disability_grade=1)],
        "enrolments": [enrol(a, "rural_dibao", "2025-03-01"), enrol(b, "rural_dibao", "2026-02-01")],
        "payments": [pay(a, "rural_dibao", "2026-01-10", 100.0), pay(b, "temporary", "2025-06-01", 500.0)],
    })
    region = load_region(folder)
    assert region.validation.clean
    return region


def _resident_id(first17: str) -> str:
    from reliefkit.text.idnumbers import check_char

    return first17 + check_char(first17)


def test_zero_cases_and_omitted_sections_zh(small_region):
    text = render(small_region, YEAR, lang="zh", name="东镇").markdown
    assert "2026年未发放临时救助。" in text
    assert "农村低保对象2户2人，其中2026年新增1户1人（2025年末为1户1人）" in text
    for absent in ("城市低保", "特困供养人员", "结对帮扶", "社会捐赠", "救助重特大疾病", "社会帮扶，雪中送炭"):
        assert absent not in text, absent
    headings = [line[3:] for line in text.splitlines() if line.startswith("## ") and "附" not in line]
    assert [h[:2] for h in headings] == ["一、", "二、", "三、", "四、", "五、", "六、"]
    assert headings[3].startswith("四、防返贫动态监测")


def test_zero_cases_and_plurals_en(small_region):
    text = render(small_region, YEAR, lang="en", name="East Town").markdown
    assert "No temporary assistance was paid in 2026." in text
    assert "covered 2 persons in 2 households, of whom 1 person in 1 household was new this year" in text
    assert "(1 person in 1 household at the end of 2025)" in text
    body = text.split("<!-- appendix -->")[0]
    assert "Social support" not in body and "urban" not in body and "Special-hardship" not in body


def test_no_previous_year_no_comparison(build):
    folder = build(
        households=[household("H1", "A", income=0)],
        persons=[person("P1", "H1")],
        enrolments=[enrol("P1", "rural_dibao", "2026-01-01")],
        payments=[pay("P1", "rural_dibao", "2026-03-01", 150.0)],
    )
    r = render(load_region(folder), YEAR, lang="en", name="A")
    assert not any(k.startswith("previous.") and k != "previous.policy.rural_dibao.line" and k != "previous.year"
                   for k in r.figures)
    assert "at the end of 2025" not in r.markdown and "up from" not in r.markdown
    assert "raised from 110 to 150 yuan per person per month" in r.markdown  # the policy has the year before


def test_line_unchanged_and_unpaired_needy():
    figs = dict(sample_figures())
    figs["previous.policy.rural_dibao.line"] = figs["policy.rural_dibao.line"]
    figs["pairing.unpaired_needy"], figs["pairing.needy_paired"] = 3, figs["registered_poor.persons"] - 3
    zh, en = _render("zh", figs).markdown, _render("en", figs).markdown
    assert "农村低保标准保持每人每月150元" in zh and "提高到150元" not in zh
    assert "The rural line stayed at 150 yuan per person per month." in en
    assert "全区建档立卡困难群众395人，其中392人已落实帮扶人，尚有3人未落实帮扶人。" in zh
    assert "至少有一名帮扶人。" not in zh.split("## 六")[0]
    assert "Of the 395 registered poor persons, 392 have a helper and 3 are still without one." in en
    assert "every needy person has at least one." not in en
    assert "- 3 registered poor persons have no helper yet." in en
    figs["pairing.unpaired_needy"], figs["pairing.needy_paired"] = 1, figs["registered_poor.persons"] - 1
    assert "394 have a helper and 1 is still without one." in _render("en", figs).markdown


def test_suggestions_follow_explicit_rules():
    figs = dict(sample_figures())
    text = _render("en", figs).markdown
    n = figs["rule.poor_not_enrolled.households"]
    assert n > 1 and f"visit each of the {n:,} households below the line" in text
    figs["rule.poor_not_enrolled.households"] = 0
    assert "visit each of the" not in _render("en", figs).markdown


def test_missing_figure_is_a_clear_error():
    figs = dict(sample_figures())
    del figs["tekun.centralized"]
    with pytest.raises(ReliefkitError, match="tekun.centralized"):
        _render("en", figs)


def test_district_summary():
    region = sample_region()
    district = region.districts[2]
    r = render(region, YEAR, district, lang="zh")
    assert r.markdown.startswith(f"# {district}2026年社会救助工作总结")
    assert "全区" not in r.body
    assert r.figures["rural_dibao.persons"] == facts(region, YEAR, district)["rural_dibao.persons"]


# --------------------------------------------------------------------------- snapshots
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_snapshot(lang):
    text = render(sample_region(), YEAR, lang=lang).markdown  # the region's own name (region.yaml)
    assert text.startswith(f"# {SAMPLE_NAMES[lang]}")
    check_snapshot(text, f"summary-sample-2026-{lang}.md")


# --------------------------------------------------------------------------- files and CLI
@pytest.fixture(scope="module")
def written(tmp_path_factory):
    region = sample_region()
    out = tmp_path_factory.mktemp("summary")
    return write_summary(region, YEAR, region.districts[0], "zh", out)


def test_outputs_written(written):
    assert {"md", "html", "docx", "chart:coverage", "chart:payments", "chart:causes"} <= set(written)
    md = written["md"].read_text(encoding="utf-8")
    assert "-charts/coverage.png)" in md
    html = written["html"].read_text(encoding="utf-8")
    assert html.count('src="data:image/png;base64,') == 3
    assert not re.search(r'src="(?!data:)', html)  # self-contained
    assert "<table>" in html and '<html lang="zh-CN">' in html


def test_docx_opens_and_holds_the_summary(written):
    from docx import Document

    doc = Document(str(written["docx"]))
    styles = [p.style.name for p in doc.paragraphs]
    assert styles[0] == "Title" and "Heading 1" in styles and "List Bullet" in styles
    assert len(doc.inline_shapes) == 3 and len(doc.tables) == 1
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "农村低保对象" in text and "政策保障" in text
    keys = [row.cells[0].text for row in doc.tables[0].rows[1:]]
    assert "rural_dibao.persons" in keys


def test_outputs_are_byte_deterministic(written, tmp_path):
    region = sample_region()
    again = write_summary(region, YEAR, region.districts[0], "zh", tmp_path, charts=False)
    first = write_summary(region, YEAR, region.districts[0], "zh", tmp_path / "b", charts=False)
    for kind in ("md", "html", "docx"):
        assert again[kind].read_bytes() == first[kind].read_bytes(), kind


def test_cli_summary(small_region, tmp_path, capsys):
    code = main(["summary", str(small_region.source), "--year", "2026", "--lang", "en", "--out", str(tmp_path),
                 "--name", "East Town"])
    assert code == 0
    md = next(tmp_path.glob("summary-2026-*-en.md")).read_text(encoding="utf-8")
    assert md.startswith("# East Town: Social Assistance Work Summary 2026")
    assert main(["summary", str(small_region.source), "--year", "2026", "--district", "nowhere",
                 "--out", str(tmp_path)]) == 2
    assert "is not a district" in capsys.readouterr().err


# --------------------------------------------------------------------------- numbers a summary writes
def test_amounts_in_wan_and_changes_as_percentages():
    zh, en = Formatter("zh"), Formatter("en")
    assert zh.amount(2223129.96) == "222.31万元" and zh.amount(10000) == "1.00万元"
    assert zh.amount(9999.994) == "9999.99元" and zh.amount(36400, unit=False) == "36400"
    assert en.amount(2223129.96) == "2,223,129.96 yuan"
    assert zh.cell(38625, "money") == "38,625.00" and zh.cell(0.0, "money") == "0.00"
    assert en.cell(6830, "count") == zh.cell(6830, "count") == "6,830"
    assert zh.cell(0.312152, "percent") == "31.2%" and zh.cell(float("nan"), "money") == "—"
    figs = sample_figures()
    before, now = figs["previous.payments.total"], figs["payments.total"]
    assert figs["change.payments.total"] == pytest.approx((now - before) / before)
    text = _render("zh").markdown
    assert f"增长{zh.percent((now - before) / before)}" in text
    assert "有所增加" not in text and "有所减少" not in text
    t0, t1 = figs["previous.temporary.amount"], figs["temporary.amount"]
    assert t1 < t0 and f"减少{zh.percent((t0 - t1) / t0)}" in text


@pytest.mark.parametrize("district", [None, "城关镇"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_zh_outputs_carry_no_english(lang, district, tmp_path):
    """A Chinese summary (Markdown and HTML, the region's and a district's) has no English
    word a reader sees beyond the allowed list; the English one, for contrast, is caught
    by the same check."""
    from summary_helpers import english_words

    paths = write_summary(sample_region(), YEAR, district, lang, tmp_path, formats=("md", "html"), charts=False)
    for kind in ("md", "html"):
        words = english_words(paths[kind].read_text(encoding="utf-8"))
        if lang == "zh":
            assert words == [], (kind, sorted(set(words))[:20])
        else:
            assert len(words) > 500


def test_english_names_social_assistance_and_social_support_apart():
    en = _render("en").markdown
    assert "## Social support: warmth from the community" in en
    assert "special assistance and social support" in en
    zh = _render("zh").markdown
    assert "社会帮扶" in zh and "没有有劳动能力" not in zh and "成员均无劳动能力" in zh


# --------------------------------------------------------------------------- held-out regions
@pytest.fixture(scope="module", params=[(5_000, 3, 4), (3_000, 8, 3)], ids=["seed3", "seed8"])
def held_out(request, tmp_path_factory):
    """A synthetic region the templates were not written on."""
    from reliefkit.sample import synthetic_tables, write_region

    import numpy as np
    import pandas as pd

    n, seed, districts = request.param
    t = synthetic_tables(n, seed=seed, n_districts=districts)
    # pairings as the issue found them: some registered poor without a helper, helpers of a
    # second kind for some, and persons paired who are not registered poor
    rng = np.random.default_rng(seed)
    pair, helpers = t["pairings"], t["helpers"]
    kept = pair[rng.random(len(pair)) > 0.3]
    second = kept.head(15).assign(helper_id=helpers["helper_id"].sample(15, replace=True, random_state=seed).to_numpy())
    poor = set(t["enrolments"].loc[t["enrolments"]["program"] == "registered_poor", "person_id"])
    others = t["persons"].loc[~t["persons"]["person_id"].isin(poor), "person_id"].sample(30, random_state=seed)
    beyond = pd.DataFrame({"helper_id": helpers["helper_id"].sample(30, replace=True, random_state=seed + 1).to_numpy(),
                           "person_id": others.to_numpy(), "start_date": "2025-01-01", "end_date": ""})
    t["pairings"] = pd.concat([kept, second, beyond], ignore_index=True).astype("str")
    folder = tmp_path_factory.mktemp(f"held-out-{seed}") / "region"
    write_region(t, folder)
    region = load_region(folder)
    f = summary_figures(region, YEAR)
    assert f["pairing.unpaired_needy"] > 0 and f["pairing.beyond_needy"] > 0 and f["pairing.by_group.mixed"] > 0
    return region


def _numbers(sentence: str, unit: str) -> list[int]:
    return [int(x.replace(",", "")) for x in re.findall(rf"(\d[\d,]*){unit}", sentence)]


def _check_figures_agree(f: dict) -> None:
    """Relations every summary's figures hold by their definitions."""
    groups = [f[f"pairing.by_group.{g}"] for g in ("government", "community", "enterprise_union", "mixed", "other")]
    assert sum(groups) == f["pairing.persons"]
    assert f["pairing.needy_paired"] + f["pairing.unpaired_needy"] == f["registered_poor.persons"]
    assert f["pairing.needy_paired"] + f["pairing.beyond_needy"] == f["pairing.persons"]
    assert f["pairing.beyond_needy"] >= 0
    assert f["persons.alive"] <= f["persons.registered"]
    for p in ("rural_dibao", "urban_dibao", "tekun", "marginal"):
        assert f[f"{p}.new_persons"] <= f[f"{p}.persons"] and f[f"{p}.households"] <= f[f"{p}.persons"]
    assert f["tekun.centralized"] <= f["tekun.persons"]
    assert f["covered.households"] <= f["covered.persons"] <= f["dibao.persons"] + f["tekun.persons"]
    assert f["covered.no_labor.households"] <= f["covered.households"]
    assert f["disability.severe.covered"] + f["disability.severe.uncovered"] == f["disability.severe.persons"]
    assert f["rule.eligible_not_enrolled.households"] <= f["rule.poor_not_enrolled.households"] <= f["rule.poor.households"]
    ratio = lambda a, b: f[a] / f[b] if f[b] else 0.0  # noqa: E731
    # a share a sentence states next to its two counts is their ratio
    for share_key, part, whole in (("rule.exclusion_error", "rule.poor_not_enrolled.persons", "rule.poor.persons"),
                                   ("covered.no_labor.share", "covered.no_labor.households", "covered.households"),
                                   ("covered.illness_or_disability.share", "covered.illness_or_disability.households",
                                    "covered.households"),
                                   ("tekun.centralized_share", "tekun.centralized", "tekun.persons"),
                                   ("disability.severe.covered_share", "disability.severe.covered",
                                    "disability.severe.persons")):
        assert f[share_key] == pytest.approx(ratio(part, whole)), share_key
    assert sum(f[f"monitoring.{c}.households"] for c in ("unstable", "edge", "sudden")) == f["monitoring.households"]
    assert f["monitoring.without_support.households"] <= f["monitoring.households"]
    for key, value in f.items():
        if key.startswith("change."):
            k = key.removeprefix("change.")
            assert value == pytest.approx((f[k] - f[f"previous.{k}"]) / f[f"previous.{k}"])


def test_held_out_region_sentences_add_up(held_out):
    """On regions the templates were not written on (pairings beyond the registered poor,
    some of them without a helper, helpers of two kinds), the numbers of each pairing
    sentence agree with each other, in both languages."""
    fired = []
    for district in (None, held_out.districts[0]):
        f = summary_figures(held_out, YEAR, district)
        _check_figures_agree(f)
        sentences = [s for s, _ in render(held_out, YEAR, district, "zh").sentences]
        for i, s in enumerate(sentences):
            if "结对帮扶困难群众" in s and sentences[i + 1].startswith("其中由"):
                total = _numbers(s, "人")[0]
                assert sum(_numbers(sentences[i + 1], "人")) == total == f["pairing.persons"]
                fired.append("groups")
            if "建档立卡困难群众" in s and "已落实帮扶人，尚有" in s:
                total, paired, unpaired = _numbers(s, "人")
                assert paired + unpaired == total == f["registered_poor.persons"]
                fired.append("needy")
            if "剩余帮扶能力" in s:
                suggested, same, *rest = _numbers(s, "人")
                assert suggested + sum(rest) == f["pairing.unpaired_needy"] and same <= suggested
                fired.append("suggested")
            if s.startswith("结对帮扶对象中"):
                assert sum(_numbers(s, "人")) == f["pairing.persons"]
                fired.append("beyond")
            if "比" in s and ("增长" in s or "减少" in s):
                assert ("增长" in s) != ("减少" in s)
        for s, keys in render(held_out, YEAR, district, "en").sentences:
            if re.match(r"\d[\d,]* of them (is|are) paired with", s):
                assert sum(_numbers(s, r"\b")) == f["pairing.persons"]
                fired.append("en groups")
            if s.startswith("Of the ") and "still without one" in s:
                total, paired, unpaired = _numbers(s, r"\b")
                assert paired + unpaired == total
                fired.append("en needy")
            assert not re.search(r"\bnan\b|\bNone\b(?! of)", s), s  # no missing value printed
    assert {"groups", "needy", "suggested", "beyond", "en groups", "en needy"} <= set(fired)


def test_pairing_paragraph_counts_a_person_with_two_kinds_of_helper_once(build):
    """Three registered poor persons: one paired with a municipal unit, one with a village
    cadre and an enterprise (two kinds), one not paired; one more person paired who is not
    registered poor. The paragraph adds up: 3 persons paired = 1 + 1 + 1."""
    def helper(hid: str, unit_type: str) -> dict:
        return {"helper_id": hid, "name": "李四", "unit": "单位", "unit_type": unit_type, "capacity": 5}

    def pairing(hid: str, pid: str, start: str) -> dict:
        return {"helper_id": hid, "person_id": pid, "start_date": start, "end_date": ""}

    folder = build(
        households=[household("H1", "东镇", income=0), household("H2", "东镇", income=0)],
        persons=[person("P1", "H1"), person("P2", "H1"), person("P3", "H2"), person("P4", "H2")],
        enrolments=[enrol(p, "registered_poor", "2025-01-01") for p in ("P1", "P2", "P3")],
        helpers=[helper("A", "municipal_unit"), helper("B", "village_cadre"), helper("C", "enterprise")],
        pairings=[pairing("A", "P1", "2025-01-01"), pairing("B", "P2", "2025-01-01"),
                  pairing("C", "P2", "2025-06-01"), pairing("A", "P4", "2025-01-01")],
    )
    region = load_region(folder)
    f = summary_figures(region, YEAR)
    assert (f["pairing.persons"], f["pairing.by_group.government"], f["pairing.by_group.community"],
            f["pairing.by_group.enterprise_union"], f["pairing.by_group.mixed"]) == (3, 2, 0, 0, 1)
    assert (f["pairing.needy_paired"], f["pairing.unpaired_needy"], f["pairing.beyond_needy"]) == (2, 1, 1)
    zh = render(region, YEAR, lang="zh", name="东镇").body
    assert "结对帮扶困难群众3人，参与结对帮扶的帮扶人3名。" in zh
    assert "其中由市直单位、区直机关干部职工结对帮扶2人，由两类以上帮扶力量共同结对帮扶1人。" in zh
    assert "建档立卡困难群众3人，其中2人已落实帮扶人，尚有1人未落实帮扶人。" in zh
    assert "结对帮扶对象中，建档立卡困难群众2人，其他困难群众1人。" in zh
    en = render(region, YEAR, lang="en", name="East Town").body
    assert "3 helpers in East Town were paired with 3 persons in difficulty." in en
    assert "2 of them are paired with staff of municipal units and district organs and 1 with helpers of more than one kind." in en
    assert "Of the 3 registered poor persons, 2 have a helper and 1 is still without one." in en


# --------------------------------------------------------------------------- monitoring and suggestions
def test_monitoring_paragraph_and_rule():
    figs = sample_figures()
    f = facts(sample_region(), YEAR)
    assert all(figs[k] == f[k] for k in f if k.startswith("monitoring."))
    n = figs["monitoring.without_support.households"]
    zh, en = _render("zh").body, _render("en").body
    assert n > 0 and f"- {n}户监测对象尚未落实帮扶措施" in zh
    assert f"- {n:,} monitored households have no assistance measure yet" in en
    assert (f"按每人每年{figs['monitoring.line']}元的防返贫监测标准，全区纳入监测{figs['monitoring.households']}户"
            f"{figs['monitoring.persons']}人") in zh
    parts = [figs[f"monitoring.{c}.households"] for c in ("unstable", "edge", "sudden")]
    assert sum(parts) == figs["monitoring.households"]
    quiet = dict(figs, **{"monitoring.without_support.households": 0})
    zh = _render("zh", quiet).body
    assert "监测户均已落实" in zh and "尚未落实帮扶措施" not in zh


def test_pairing_suggestion_sentence():
    figs = dict(sample_figures())
    figs.update({"pairing.unpaired_needy": 7, "pairing.needy_paired": figs["registered_poor.persons"] - 7,
                 "pairing.suggested": 5, "pairing.suggested_same_district": 3, "pairing.still_unpaired": 2,
                 "pairing.suggested_in_scope": 5, "pairing.suggested_in_scope_same_district": 3})
    zh, en = _render("zh", figs).body, _render("en", figs).body
    assert ("尚有7人未落实帮扶人。按现有帮扶人的剩余帮扶能力测算，可为这些人中的5人安排帮扶人，其中3人可由所在乡镇（街道）"
            "的帮扶人结对；另有2人因帮扶能力不足尚无法安排，需动员更多帮扶力量。") in zh
    assert ("and 7 are still without one. With the spare capacity of the helpers of Qingshan District, a suggestion "
            "would pair 5 of them, 3 with a helper of their own township; 2 would still have none, and more helpers "
            "are needed.") in en
    district = dict(figs, **{"pairing.unpaired_needy": 2, "pairing.needy_paired": 40, "registered_poor.persons": 42,
                             "pairing.suggested_in_scope": 2, "pairing.suggested_in_scope_same_district": 1,
                             "pairing.still_unpaired": 0})
    text = render_summary(district, "zh", scope="城关镇", is_region=False, present=programmes_present(sample_region()),
                          region_name="青山区").body
    assert "按青山区现有帮扶人的剩余帮扶能力统筹测算，可为这些人中的2人安排帮扶人，其中1人可由所在乡镇（街道）的帮扶人结对。" in text
    district.update({"pairing.suggested_in_scope": 0, "pairing.suggested_in_scope_same_district": 0,
                     "pairing.still_unpaired": 2})
    text = render_summary(district, "zh", scope="城关镇", is_region=False, present=programmes_present(sample_region()),
                          region_name="青山区").body
    assert "青山区现有帮扶人已无剩余帮扶能力" in text and "全区" not in text
    figs["pairing.suggested"] = figs["pairing.suggested_same_district"] = 0
    assert "全区现有帮扶人已无剩余帮扶能力，需动员更多帮扶力量。" in _render("zh", figs).body
    assert "have no spare capacity left" in _render("en", figs).body


def test_suggestion_figures_of_a_district_add_up(held_out):
    f = summary_figures(held_out, YEAR)
    assert f["pairing.suggested_in_scope"] == f["pairing.suggested"]
    assert f["pairing.suggested_in_scope_same_district"] == f["pairing.suggested_same_district"]
    parts = [summary_figures(held_out, YEAR, d) for d in held_out.districts]
    assert sum(p["pairing.suggested_in_scope"] for p in parts) == f["pairing.suggested"]
    assert sum(p["pairing.suggested_in_scope_same_district"] for p in parts) == f["pairing.suggested_same_district"]
    for p in parts:
        assert p["pairing.suggested_in_scope"] + p["pairing.still_unpaired"] == p["pairing.unpaired_needy"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_one_label_one_figure(lang):
    """Every figure of a summary has a label, and no two figures share one: 在册人数（含已故）
    (persons.registered) is not 年末在世人数 (persons.alive)."""
    from reliefkit.report.summary_figures import figure_label

    keys = [k for k, v in sample_figures().items() if not isinstance(v, str)]
    labels = {k: figure_label(k, lang) for k in keys}
    seen: dict[str, str] = {}
    for key, text in labels.items():
        assert text and text not in seen, (key, text, seen.get(text))
        seen[text] = key
    if lang == "zh":
        assert labels["persons.registered"] == "在册人数（含已故）" and labels["persons.alive"] == "年末在世人数"


def test_a_districts_suggestion_figures_from_a_store(held_out, tmp_path):
    """A district read from a store states the same suggestion figures as the folder,
    and its next reads take them from the store (no read of the whole store)."""
    from reliefkit.report.summary_figures import suggested_in_scope
    from reliefkit.store.build import build_store

    build_store(held_out.source, tmp_path / "store")
    district = held_out.districts[0]
    direct = suggested_in_scope(held_out, YEAR, district)
    assert direct["pairing.suggested_in_scope"] + direct["pairing.still_unpaired"] == \
        facts(held_out, YEAR, district)["pairing.unpaired_needy"] > 0
    first = load_region(tmp_path / "store", district=district)
    assert suggested_in_scope(first, YEAR, district) == direct
    assert len(list((tmp_path / "store" / "derived").glob(f"suggestions-by-district-{YEAR}-*.json"))) == 1
    again = load_region(tmp_path / "store", district=district)
    assert suggested_in_scope(again, YEAR, district) == direct and "_whole" not in again.__dict__

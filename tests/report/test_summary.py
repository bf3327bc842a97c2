"""The narrative year-end summary: seed figures, tracing, data changes, zero cases,
omitted sections, year over year, rules, snapshots, exports and the CLI."""

from __future__ import annotations

import os
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
from summary_helpers import SAMPLE_NAMES, SNAPSHOTS, drop_households, sample_figures, sample_region

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
                   "临时救助106人", "发放救助资金36400元", "救助重特大疾病困难家庭10户",
                   "需要结对帮扶的困难群众395人", "由市直单位、区直机关干部职工结对帮扶223人",
                   "由村干部和社会能人结对帮扶172人", "实现了每名困难群众至少有一名帮扶人",
                   "共计50400元，受助360人，人均140元"):
        assert phrase in text, phrase


def test_en_states_the_seed_figures():
    text = _render("en").markdown
    for phrase in ("833 persons in 671 households", "raised from 110 to 150 yuan per person per month",
                   "338 persons in 321 households", "28 persons in 26 households were new this year",
                   "covered 75 persons, 56 of whom (74.7%) were in centralized care",
                   "Temporary assistance reached 106 persons", "with 36,400 yuan",
                   "helped 10 households facing serious illness", "395 needy persons",
                   "223 are paired with helpers from municipal units and district organs",
                   "172 with village cadres and social talents", "Every needy person has at least one helper.",
                   "totalled 50,400 yuan for 360 recipients, 140 yuan per recipient on average"):
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
                            "## Social assistance: warmth from the community", "## Achievements and problems",
                            "## Suggestions", "## Appendix: figures and their sources"]


# --------------------------------------------------------------------------- tracing
def _appendix(markdown: str) -> dict[str, tuple[str, str]]:
    rows = re.findall(r"^\| `([^`]+)` \| (.*?) \| (.*?) \|$", markdown, flags=re.M)
    return {k: (shown, exact) for k, shown, exact in rows}


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
    headings = [line[3:5] for line in text.splitlines() if line.startswith("## ") and "附" not in line]
    assert headings == ["一、", "二、", "三、", "四、", "五、"]


def test_zero_cases_and_plurals_en(small_region):
    text = render(small_region, YEAR, lang="en", name="East Town").markdown
    assert "No temporary assistance was paid in 2026." in text
    assert "covered 2 persons in 2 households, of whom 1 person in 1 household was new this year" in text
    assert "(1 person in 1 household at the end of 2025)" in text
    assert "Social assistance" not in text and "urban" not in text and "Special-hardship" not in text


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
    figs["pairing.unpaired_needy"] = 3
    zh, en = _render("zh", figs).markdown, _render("en", figs).markdown
    assert "农村低保标准保持每人每月150元" in zh and "提高到150元" not in zh
    assert "The rural line stayed at 150 yuan per person per month." in en
    assert "尚有3名困难群众未落实帮扶人" in zh and "至少有一名帮扶人。" not in zh.split("## 六")[0]
    assert "3 needy persons are still without a helper." in en
    assert "Every needy person has at least one helper." not in en
    figs["pairing.unpaired_needy"] = 1
    assert "1 needy person is still without a helper." in _render("en", figs).markdown


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
    text = render(sample_region(), YEAR, lang=lang, name=SAMPLE_NAMES[lang]).markdown
    path = SNAPSHOTS / f"summary-sample-2026-{lang}.md"
    if os.environ.get("RELIEFKIT_UPDATE_SNAPSHOTS"):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no snapshot {path}: rerun with RELIEFKIT_UPDATE_SNAPSHOTS=1 and review it"
    assert text == path.read_text(encoding="utf-8"), (
        f"the rendered summary differs from {path}; review the change and rerun with RELIEFKIT_UPDATE_SNAPSHOTS=1")


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

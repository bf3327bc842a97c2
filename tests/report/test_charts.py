"""Charts: a real CJK font with a glyph for every label drawn, deterministic PNGs, and a
core that never imports plotting."""

from __future__ import annotations

import struct
import subprocess
import sys

import pytest
from matplotlib import font_manager
from summary_helpers import sample_region

from reliefkit.report import charts, style
from reliefkit.report.fonts import cjk_font, missing_glyphs

YEAR = 2026
MAKERS = {"coverage": charts.coverage_chart, "payments": charts.payments_chart, "causes": charts.causes_chart}


def test_a_cjk_font_is_installed_and_registered():
    font = cjk_font()
    assert font.path.is_file()
    assert "CJK" in font.family or "Han" in font.family or "WenQuanYi" in font.family
    assert font.family in {f.name for f in font_manager.fontManager.ttflist}
    assert missing_glyphs("农村低保特困供养临时救助因病因残缺劳力乡镇街道村社区", font.path, font.face_index) == ""
    assert missing_glyphs("\U0001F600") == "\U0001F600"  # the check does detect a missing glyph


@pytest.fixture(scope="module", params=[(name, lang) for name in MAKERS for lang in ("zh", "en")],
                ids=lambda p: f"{p[0]}-{p[1]}")
def figure(request):
    name, lang = request.param
    fig = MAKERS[name](sample_region(), YEAR, lang)
    assert fig is not None
    return name, lang, fig


def test_every_label_drawn_has_glyphs_in_the_font_in_use(figure):
    name, lang, fig = figure
    font = cjk_font()
    texts = style.figure_texts(fig)
    assert len(texts) >= 5
    if lang == "zh":
        assert any(any("\u4e00" <= ch <= "\u9fff" for ch in t) for t in texts)
    missing = {t: missing_glyphs(t) for t in texts if missing_glyphs(t)}
    assert not missing
    # and matplotlib draws each text with that very font (no silent fallback), whose
    # character map has every character of the text
    from matplotlib.text import Text

    with style.style():
        for artist in fig.findobj(Text):
            if artist.get_text():
                resolved = font_manager.findfont(artist.get_fontproperties(), fallback_to_default=False)
                assert (str(resolved), int(getattr(resolved, "face_index", 0) or 0)) == (
                    str(font.path), font.face_index), (artist.get_text(), resolved)
                assert missing_glyphs(artist.get_text(), resolved) == "", artist.get_text()


def _png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", png[16:24])


@pytest.mark.parametrize("name", list(MAKERS))
def test_png_is_deterministic_and_of_fixed_size(name):
    first = style.png(MAKERS[name](sample_region(), YEAR, "zh"))
    second = style.png(MAKERS[name](sample_region(), YEAR, "zh"))
    assert first == second
    assert _png_size(first) == (int(style.SIZE[0] * style.DPI), int(style.SIZE[1] * style.DPI))
    assert b"Software" not in first and b"matplotlib" not in first


def test_district_coverage_is_by_village():
    region = sample_region()
    fig = charts.coverage_chart(region.district(region.districts[0]), YEAR, "zh")
    assert "各村（社区）保障人数" in style.figure_texts(fig)


def test_no_chart_without_data():
    from dataclasses import replace

    region = sample_region()
    empty = replace(region, payments=region.payments.iloc[0:0], enrolments=region.enrolments.iloc[0:0])
    assert charts.render_charts(empty, YEAR, "en") == {}


def test_core_imports_no_plotting_or_templates():
    code = ("import sys, reliefkit, reliefkit.io.reading, reliefkit.region.region, reliefkit.figures.facts, reliefkit.policy.schemes, "
            "reliefkit.report.summary_figures, reliefkit.text.formatting, reliefkit.report.narrative, reliefkit.report.summary, "
            "reliefkit.report.publicity; "
            "bad = sorted(m for m in ('matplotlib', 'seaborn', 'jinja2', 'docx') if m in sys.modules); "
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_without_any_cjk_font_the_error_says_how_to_install_one(monkeypatch):
    from reliefkit.errors import ReliefkitError
    from reliefkit.report import fonts

    def no_such_family(family):
        raise ValueError(family)

    monkeypatch.setattr(fonts, "_packaged", lambda: None)
    monkeypatch.setattr(fonts, "resolve", no_such_family)
    fonts.cjk_font.cache_clear()
    try:
        with pytest.raises(ReliefkitError, match="pip install mplfonts"):
            fonts.cjk_font()
    finally:
        fonts.cjk_font.cache_clear()


def test_a_province_names_its_largest_districts_and_counts_the_rest(tmp_path):
    from reliefkit import load_region
    from reliefkit.report.summary_figures import coverage_table
    from reliefkit.sample import synthetic_tables, write_region

    write_region(synthetic_tables(8_000, seed=4, n_districts=30), tmp_path)
    region = load_region(tmp_path)
    fig = charts.coverage_chart(region, YEAR, "en")
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    table = coverage_table(region, YEAR)
    size = table.groupby("unit")["persons"].sum().sort_values(ascending=False, kind="stable")
    assert len(ticks) == charts.MAX_UNITS
    assert ticks[-1] == f"{len(region.districts) - charts.MAX_UNITS + 1} other districts"
    assert set(ticks[:-1]) == set(size.index[: charts.MAX_UNITS - 1])
    drawn = sum(p.get_width() for p in fig.axes[0].patches if p.get_width() == p.get_width())
    assert drawn == table["persons"].sum()  # nobody lost in the "others" bar


def _bars(ax):
    from matplotlib.patches import Rectangle

    return [p for p in ax.patches if isinstance(p, Rectangle) and p.get_width() and p.get_height()]


@pytest.mark.parametrize("name", ["coverage", "payments"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_legend_hides_no_bar(name, lang):
    fig = MAKERS[name](sample_region(), YEAR, lang)
    with style.style():
        fig.draw_without_rendering()
        ax = fig.axes[0]
        legend = ax.get_legend().get_window_extent()
        bars = [b.get_window_extent() for b in _bars(ax)]
    assert bars
    hidden = [b for b in bars if b.overlaps(legend)]
    assert not hidden, f"the legend covers {len(hidden)} bars"


def test_income_histogram_labels_its_open_top_bin():
    from reliefkit.notebook import explore_tables
    from reliefkit.notebook.explore_charts import RATIO_CAP, income_chart

    frame = explore_tables.people(sample_region(), YEAR)
    above = int((frame.drop_duplicates("household_id")["ratio"] >= RATIO_CAP).sum())
    assert above > 0  # the sample has households above the cap: the open bin is drawn
    for lang, text in (("zh", "3及以上"), ("en", "≥ 3")):
        fig = income_chart(frame, lang)
        with style.style():
            fig.draw_without_rendering()
            legend = fig.axes[0].get_legend().get_window_extent()
            bars = [p.get_window_extent() for p in _bars(fig.axes[0])]
        ax = fig.axes[0]
        ticks = {t.get_text(): t.get_position()[0] for t in ax.get_xticklabels()}
        assert text in ticks and "3" not in ticks
        # the bars right of the cap hold exactly the households at or above it
        right = [p for p in _bars(ax) if p.get_x() >= RATIO_CAP]
        assert round(sum(p.get_height() for p in right)) == above
        assert all(p.get_x() <= ticks[text] <= p.get_x() + p.get_width() for p in right)
        assert bars and not any(b.overlaps(legend) for b in bars)

"""The dashboard in a real browser: served by ``reliefkit dashboard``, driven by Selenium.

One server (the sample region, Chinese), one page: every widget is a control (not text
such as ``Dropdown(...)``), the district changes the explorer's counts to the facts of
that district, the rural line slider changes the playground's cost to what ``compare``
gives for that line, no request leaves the machine. First-page and widget-change times
are printed and written to ``reports/browser/dashboard-timings.json`` with the
screenshots beside them.
"""

from __future__ import annotations

import json
import time

import pytest

from browser.browser_helpers import ARTIFACTS, REPO, requests_off

DISTRICT = "城关镇"
RURAL_LINE = 180
YEAR = 2026
#: what Chromium shows for a widget it could not render: the kernel's text of it
WIDGET_TEXTS = ("Dropdown(", "FloatSlider(", "FloatRangeSlider(", "VBox(", "HBox(", "Tab(", "HTML(", "Image(",
                "Button(", "FloatText(", "Explorer(", "Playground(", "Dashboard(", "Error displaying widget",
                "Loading widget", "Traceback")


@pytest.fixture(scope="module")
def dashboard(servers):  # noqa: ANN001, ANN201 - fixtures
    return {"url": servers["dashboard_url"], "host": servers["dashboard_host"], "server": servers["dashboard"].wait()}


def _text(driver) -> str:  # noqa: ANN001 - WebDriver
    return driver.execute_script("return document.body.innerText")


def _wait(driver, predicate, timeout: float, what: str) -> float:  # noqa: ANN001
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        if predicate():
            return time.perf_counter() - t0
        time.sleep(0.02)
    shot = ARTIFACTS / "dashboard-failure.png"
    driver.save_screenshot(str(shot))
    raise AssertionError(f"{what} did not happen within {timeout} s (screenshot {shot}); the page says:\n"
                         f"{_text(driver)[:2000]}")


def _counts(driver) -> list[str]:  # noqa: ANN001
    """The explorer's counts row (persons, households, covered, paired, median income)."""
    return driver.execute_script(
        "const t = document.querySelectorAll('.widget-html-content table')[0];"
        "return t ? Array.from(t.querySelectorAll('tbody tr:first-child td')).map(e => e.textContent.trim()) : [];")


def _image(driver, i: int) -> str:  # noqa: ANN001
    """The source of the page's ``i``-th chart (0: the explorer's, 1: the playground's)."""
    return driver.execute_script(f"const im = document.querySelectorAll('.jupyter-widgets img')[{i}];"
                                 "return im ? im.src.length + ':' + im.src.slice(-64) : '';")


def _summary(driver) -> dict[str, list[str]]:  # noqa: ANN001
    """The playground's summary table: measure → [baseline, this scheme]."""
    return driver.execute_script(
        "const out = {}; const t = document.querySelector('.reliefkit-playground-summary table');"
        "if (!t) return out;"
        "for (const r of t.querySelectorAll('tbody tr')) {"
        "  const th = r.querySelector('th'); const tds = Array.from(r.querySelectorAll('td')).map(e => e.textContent.trim());"
        "  if (th) out[th.textContent.trim()] = tds; }"
        "return out;")


def test_dashboard_in_chromium(browser, dashboard, artifacts):  # noqa: ANN001
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    from reliefkit.figures.facts import facts
    from reliefkit.notebook.compare_tables import summary_table
    from reliefkit.region.region import load_region
    from reliefkit.simulate.compare import compare
    from reliefkit.text.words import word

    driver = browser
    driver.get("about:blank")  # whatever page the browser had open stops asking
    driver.get_log("performance")  # start the request log afresh
    timings = {"server_ready_s": round(dashboard["server"].startup, 2)}

    # ---- first page: every control rendered, the counts shown
    t0 = time.perf_counter()
    driver.get(dashboard["url"])
    _wait(driver, lambda: len(_counts(driver)) == 5 and driver.execute_script(
        "return document.querySelectorAll('.widget-dropdown select').length") >= 7, 30, "the first page")
    timings["first_page_s"] = round(time.perf_counter() - t0, 2)
    driver.save_screenshot(str(artifacts / "dashboard-1-first-page.png"))

    controls = driver.execute_script("""return {
        selects: document.querySelectorAll('.widget-dropdown select').length,
        sliders: document.querySelectorAll('.widget-slider .noUi-target, .widget-slider .slider').length,
        range: document.querySelectorAll('.widget-hslider').length,
        text_inputs: document.querySelectorAll('.widget-text input').length,
        buttons: document.querySelectorAll('button.jupyter-button').length,
        images: document.querySelectorAll('.jupyter-widgets img').length,
        tabs: Array.from(document.querySelectorAll('.lm-TabBar-tab')).map(e => e.textContent.trim())}""")
    # 4 explorer drop-downs + the playground's, the monitoring list's and the pairing list's districts;
    # 1 income range + 5 playground sliders; the budget box; reset + 2 list downloads + 3 downloads;
    # the explorer's and the playground's charts
    assert controls["selects"] == 7, controls
    assert controls["range"] == 6, controls
    assert controls["text_inputs"] == 1, controls
    assert controls["buttons"] == 6, controls
    assert controls["images"] == 2, controls
    tabs = ("tab_explorer", "tab_playground", "tab_monitoring", "tab_pairing", "tab_downloads")
    assert controls["tabs"] == [word("dashboard", k, "zh") for k in tabs]
    page = _text(driver)
    leaked = [t for t in WIDGET_TEXTS if t in page]
    assert not leaked, f"widgets shown as text: {leaked}"
    assert "In [" not in page and "import reliefkit" not in page and "app.dashboard(" not in page, "code is shown"

    region = load_region(REPO / "data" / "sample")
    whole = facts(region, YEAR)
    assert _counts(driver)[0] == f"{whole['persons.alive']:,}"  # a table cell: separators

    # ---- the district: the counts are that district's facts
    before, chart = _counts(driver), _image(driver, 0)
    district = driver.find_elements(By.CSS_SELECTOR, ".widget-dropdown select")[0]
    t0 = time.perf_counter()
    Select(district).select_by_visible_text(DISTRICT)
    _wait(driver, lambda: _counts(driver) != before, 10, "the explorer's update")
    timings["district_change_s"] = round(time.perf_counter() - t0, 2)
    _wait(driver, lambda: _image(driver, 0) != chart, 10, "the explorer's chart")
    timings["district_change_chart_s"] = round(time.perf_counter() - t0, 2)
    one = facts(region, YEAR, district=DISTRICT)
    counts = _counts(driver)
    assert counts[0] == f"{one['persons.alive']:,}", counts
    covered = sum(one[f"{p}.persons"] for p in ("rural_dibao", "urban_dibao", "tekun"))
    assert int(counts[2]) <= covered and int(counts[2]) > 0, (counts, covered)
    assert f"{DISTRICT}" in _text(driver)
    driver.save_screenshot(str(artifacts / "dashboard-2-district.png"))

    # ---- the playground: the rural line's slider, then the cost is compare's
    driver.find_elements(By.CSS_SELECTOR, ".lm-TabBar-tab")[1].click()
    _wait(driver, lambda: bool(_summary(driver)), 10, "the playground tab")
    cost_label = word("measure", "cost_year", "zh")
    baseline = summary_table(compare(region, YEAR), "zh").iloc[:, 0]  # compare's figures, as its table prints them
    assert _summary(driver)[cost_label][1] == baseline[cost_label]
    readout = driver.find_element(By.CSS_SELECTOR, ".reliefkit-rural_line .widget-readout")
    readout.click()
    readout.send_keys(Keys.CONTROL, "a")
    readout.send_keys(str(RURAL_LINE))
    driver.execute_script(  # the page's own clock: when the summary changes after the Enter key
        "window._changed = null; const el = document.querySelector('.reliefkit-playground-summary');"
        "new MutationObserver(() => { if (window._changed === null) window._changed = performance.now(); })"
        ".observe(el, {subtree: true, childList: true, characterData: true}); window._sent = performance.now();")
    t0 = time.perf_counter()
    readout.send_keys(Keys.ENTER)  # the slider's new value goes to the kernel
    want = summary_table(compare(region, YEAR, [{"name": "line", "set": {"rural_dibao.line": RURAL_LINE}}]),
                         "zh").iloc[:, 1]
    _wait(driver, lambda: _summary(driver).get(cost_label, ["", ""])[1] == want[cost_label], 10,
          f"the cost of a rural line of {RURAL_LINE} ({want[cost_label]})")
    timings["line_change_s"] = round(driver.execute_script("return (window._changed - window._sent) / 1000"), 2)
    timings["line_change_polled_s"] = round(time.perf_counter() - t0, 2)
    shown = _summary(driver)
    assert {k: v[1] for k, v in shown.items()} == want.to_dict()  # every figure of the scheme is compare's
    assert {k: v[0] for k, v in shown.items()} == baseline.to_dict()  # and of the baseline
    assert shown[cost_label][1] != baseline[cost_label]
    time.sleep(0.3)  # the chart's image follows the tables
    driver.save_screenshot(str(artifacts / "dashboard-3-playground.png"))

    # ---- the monitoring list: its length is figures.monitoring's, IDs masked
    from reliefkit.figures.monitoring import monitored_households
    from reliefkit.text.idnumbers import mask_id

    listed = monitored_households(region, YEAR)
    driver.find_elements(By.CSS_SELECTOR, ".lm-TabBar-tab")[2].click()
    caption = word("dashboard", "shown_rows", "zh").format(n=min(20, len(listed)), total=len(listed))
    _wait(driver, lambda: caption in _text(driver), 10, f"the monitoring list ({caption})")
    page = _text(driver)
    assert mask_id(listed["household_id"].iloc[0]) in page and listed["household_id"].iloc[0] not in page
    driver.save_screenshot(str(artifacts / "dashboard-4-monitoring.png"))

    # ---- downloads: a workbook link appears
    driver.find_elements(By.CSS_SELECTOR, ".lm-TabBar-tab")[4].click()
    [b for b in driver.find_elements(By.CSS_SELECTOR, ".reliefkit-download-button button") if b.is_displayed()][0].click()
    _wait(driver, lambda: bool(driver.find_elements(By.CSS_SELECTOR, "a.reliefkit-download")), 20, "the download link")
    link = driver.find_elements(By.CSS_SELECTOR, "a.reliefkit-download")[0]
    assert link.get_attribute("download").endswith(".xlsx")
    assert link.get_attribute("href").startswith("data:application/vnd.openxmlformats-officedocument")
    driver.save_screenshot(str(artifacts / "dashboard-5-downloads.png"))

    # ---- nothing left the machine
    off = requests_off(driver, dashboard["host"])
    assert not off, f"requests off the machine: {off}"

    (artifacts / "dashboard-timings.json").write_text(json.dumps(timings, indent=2) + "\n", encoding="utf-8")
    print(f"\ndashboard timings (s): {timings}; screenshots in {artifacts}")

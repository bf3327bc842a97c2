"""Notebook 01 in JupyterLab, in a real browser: run every cell, the explorer renders.

JupyterLab is started on 127.0.0.1 with a token, on a copy of the notebook in a
temporary folder (running it must not touch the committed notebook; its ``region_dir``
is found from the repository), with ``--expose-app-in-browser`` so that the test can run
JupyterLab's own "run all cells" command. The explorer's four drop-downs and its income
slider must be controls, and its counts those of the whole region.
"""

from __future__ import annotations

import time

from browser.browser_helpers import REPO


def _explorer(driver) -> dict:  # noqa: ANN001 - WebDriver
    return driver.execute_script("""
        const outs = document.querySelectorAll('.jp-OutputArea-output');
        const w = Array.from(outs).filter(o => o.querySelector('.widget-dropdown select'));
        const last = w[w.length - 1];
        if (!last) return {selects: 0};
        const t = last.querySelector('.widget-html-content table');
        return {selects: last.querySelectorAll('.widget-dropdown select').length,
                sliders: last.querySelectorAll('.widget-hslider').length,
                images: last.querySelectorAll('img').length,
                counts: t ? Array.from(t.querySelectorAll('tbody tr:first-child td')).map(e => e.textContent.trim()) : [],
                text: last.innerText.slice(0, 300)};""")


def test_notebook_01_in_jupyterlab(browser, servers, artifacts):  # noqa: ANN001
    from reliefkit.figures.facts import facts
    from reliefkit.region.region import load_region

    server = servers["lab"].wait()
    driver = browser
    try:
        t0 = time.perf_counter()
        driver.get(servers["lab_url"])
        deadline = time.perf_counter() + 40
        while not driver.execute_script(
                "return !!(window.jupyterapp && document.querySelector('.jp-Notebook .jp-Cell')"
                " && window.jupyterapp.shell.currentWidget && window.jupyterapp.shell.currentWidget.sessionContext"
                " && window.jupyterapp.shell.currentWidget.sessionContext.session"
                " && window.jupyterapp.shell.currentWidget.sessionContext.session.kernel"
                " && window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.connectionStatus"
                " === 'connected')"):
            assert time.perf_counter() < deadline, "JupyterLab did not open the notebook with a kernel in 40 s"
            time.sleep(0.2)
        opened = time.perf_counter() - t0
        driver.execute_script("window.jupyterapp.commands.execute('notebook:run-all-cells')")
        deadline = time.perf_counter() + 60
        while not (_explorer(driver).get("selects") == 4 and len(_explorer(driver).get("counts", [])) == 5):
            assert time.perf_counter() < deadline, f"the explorer did not render in 60 s: {_explorer(driver)}"
            time.sleep(0.3)
        ran = time.perf_counter() - t0 - opened
        driver.execute_script("document.querySelectorAll('.jp-OutputArea-output .widget-dropdown select')[0]"
                              ".scrollIntoView({block: 'start'})")
        time.sleep(0.5)
        driver.save_screenshot(str(artifacts / "lab-01-explorer.png"))
        shown = _explorer(driver)
        assert shown["sliders"] == 1 and shown["images"] == 1, shown
        assert "Dropdown(" not in shown["text"] and "Explorer(" not in shown["text"], shown
        whole = facts(load_region(REPO / "data" / "sample"), 2026)
        assert shown["counts"][0] == f"{whole['persons.alive']:,}", shown  # a table cell: separators
        errors = driver.execute_script(
            "return document.querySelectorAll('.jp-OutputArea-output[data-mime-type=\"application/vnd.jupyter.stderr\"]').length")
        print(f"\nJupyterLab: notebook open with a kernel in {opened:.1f} s, all cells run and the explorer "
              f"rendered in {ran:.1f} s ({errors} stderr outputs); screenshot {artifacts / 'lab-01-explorer.png'}")
    finally:
        driver.get("about:blank")  # JupyterLab's page polls its server: leave it before that stops
        server.stop()  # the session's fixture would too; the dashboard test needs no Lab

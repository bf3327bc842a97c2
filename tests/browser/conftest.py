"""Headless Chromium for the browser tests, and the servers they open.

Chromium and its driver come from Debian (``chromium``, ``chromium-driver``;
``scripts/install-browser.sh``, which ``make test`` runs first, installs them where
missing). Where they cannot be had the tests skip, and the run's summary says why and
how to install them — never silently.

Artifacts (screenshots, timings) go to ``reports/browser/`` (git-ignored; CI keeps the
folder of its clone), or to ``$RELIEFKIT_BROWSER_ARTIFACTS``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HOW_TO_INSTALL = ("install headless Chromium to run them: `bash scripts/install-browser.sh` "
                  "(or `sudo apt-get install chromium chromium-driver fonts-noto-cjk`) and "
                  "`.venv/bin/pip install -e '.[test]'` (selenium)")
_SKIPPED: list[str] = []
#: the notebook the JupyterLab test runs (a copy of it)
LAB_NOTEBOOK = "01-explore-households.ipynb"
#: Chromium's flags: headless as root in a container, nothing fetched in the background
CHROME_FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--window-size=1400,1800", "--lang=zh-CN")


def _skip(reason: str) -> None:
    _SKIPPED.append(reason)
    pytest.skip(reason)


def pytest_terminal_summary(terminalreporter, exitstatus, config):  # noqa: ANN001, ARG001 - pytest hook
    """Say loudly why the browser tests did not run."""
    for reason in dict.fromkeys(_SKIPPED):
        terminalreporter.write_line(f"BROWSER TESTS SKIPPED: {reason}", yellow=True, bold=True)


def pytest_collection_modifyitems(session, config, items):  # noqa: ANN001, ARG001 - pytest hook
    """JupyterLab's test first: the dashboard's kernel preheats meanwhile (both servers start together)."""
    here = [i for i, item in enumerate(items) if item.path.parent == Path(__file__).parent]
    ordered = sorted((items[i] for i in here), key=lambda item: item.path.name != "test_browser_lab.py")
    for i, item in zip(here, ordered):
        items[i] = item


def chromium_paths() -> tuple[str, str]:
    """(browser, driver) executables, or skip saying how to install them."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not browser or not driver:
        missing = " and ".join(n for n, p in (("chromium", browser), ("chromedriver", driver)) if not p)
        _skip(f"no {missing} on this machine; {HOW_TO_INSTALL}")
    return browser, driver  # type: ignore[return-value]


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """The folder for screenshots and timings."""
    from browser.browser_helpers import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Chromium for the session (Selenium), logging every network request."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _skip(f"selenium is not installed; {HOW_TO_INSTALL}")
    path, driver_path = chromium_paths()
    options = webdriver.ChromeOptions()
    options.binary_location = _real_binary(path)
    profile = tempfile.mkdtemp(prefix="reliefkit-chromium-")
    for flag in (*CHROME_FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    try:
        driver = webdriver.Chrome(options=options, service=Service(executable_path=driver_path))
    except Exception as e:  # noqa: BLE001 - a browser that cannot start: say what and how to fix it
        shutil.rmtree(profile, ignore_errors=True)
        _skip(f"Chromium did not start ({type(e).__name__}: {str(e).splitlines()[0][:200]}); {HOW_TO_INSTALL}")
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _real_binary(path: str) -> str:
    """Debian's ``/usr/bin/chromium`` is a shell wrapper; the driver wants the program itself."""
    real = Path("/usr/lib/chromium/chromium")
    return str(real) if Path(path).resolve() == Path("/usr/bin/chromium").resolve() and real.is_file() else path


@pytest.fixture(scope="session")
def servers(browser, artifacts, tmp_path_factory) -> Iterator[dict]:  # noqa: ANN001
    """The dashboard (``reliefkit dashboard`` on the sample) and JupyterLab (on a copy of
    notebook 01, with a token), started at once so that their kernels warm up together."""
    import secrets

    from browser.browser_helpers import Server, free_port, python

    env = {k: v for k, v in os.environ.items() if not k.startswith("RELIEFKIT_DASHBOARD")}
    port = free_port()
    dashboard = Server([python(), "-m", "reliefkit.cli.main", "dashboard", "data/sample", "--year", "2026",
                        "--port", str(port)], env=env, ready="reliefkit dashboard: ready",
                       log=artifacts / "dashboard-server.log", timeout=150)
    lab_dir = tmp_path_factory.mktemp("lab")
    shutil.copy(REPO / "notebooks" / LAB_NOTEBOOK, lab_dir / LAB_NOTEBOOK)
    lab_port, token = free_port(), secrets.token_hex(16)
    lab_env = {**env, "JUPYTER_PREFER_ENV_PATH": "1", "JUPYTER_CONFIG_DIR": str(lab_dir / ".jupyter"),
               "JUPYTERLAB_WORKSPACES_DIR": str(lab_dir / ".workspaces")}
    lab = Server([python(), "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={lab_port}",
                  f"--ServerApp.token={token}", "--allow-root", f"--notebook-dir={lab_dir}",
                  "--expose-app-in-browser", "--ServerApp.port_retries=0", "--LabApp.news_url=",
                  "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
                 env=lab_env, ready="is running at", log=artifacts / "lab-server.log", timeout=90, cwd=lab_dir)
    try:
        yield {"dashboard": dashboard, "dashboard_url": f"http://127.0.0.1:{port}/",
               "dashboard_host": f"127.0.0.1:{port}", "lab": lab,
               "lab_url": f"http://127.0.0.1:{lab_port}/lab/tree/{LAB_NOTEBOOK}?token={token}"}
    finally:
        dashboard.stop()
        lab.stop()

"""What the browser tests share besides fixtures: a server process, a free port, the
requests a page made that left the machine."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
#: where screenshots, timings and the servers' logs go
ARTIFACTS = Path(os.environ.get("RELIEFKIT_BROWSER_ARTIFACTS", REPO / "reports" / "browser"))


class Server:
    """A server process started for a test (its own process group, stopped with SIGTERM)."""

    def __init__(self, argv: list[str], *, env: dict[str, str], ready: str, log: Path, timeout: float,
                 cwd: Path = REPO) -> None:
        self.log, self.ready, self.timeout = log, ready, timeout
        self._fh = log.open("w", encoding="utf-8")
        self._t0 = time.perf_counter()
        self.proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=self._fh, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        self.startup: float | None = None

    def wait(self) -> Server:
        """Block until the server printed its ready line (fail with its log when it does not)."""
        while self.startup is None:
            text = self.log.read_text(encoding="utf-8", errors="replace")
            if self.ready in text:
                self.startup = time.perf_counter() - self._t0
                break
            if self.proc.poll() is not None or time.perf_counter() - self._t0 > self.timeout:
                self.stop()
                raise AssertionError(f"the server did not get ready in {self.timeout:.0f} s (exit "
                                     f"{self.proc.returncode}); its log:\n{text[-3000:]}")
            time.sleep(0.2)
        return self

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        if not self._fh.closed:
            self._fh.close()


def free_port() -> int:
    from reliefkit.dashboard.server import free_port as _free

    return _free()


def python() -> str:
    return sys.executable


def requests_off(driver: object, host: str) -> list[str]:
    """Every URL the page asked for (Chrome's performance log) that is not on ``host``."""
    off = []
    for entry in driver.get_log("performance"):  # type: ignore[attr-defined]
        message = json.loads(entry["message"])["message"]
        if message.get("method") not in ("Network.requestWillBeSent", "Network.webSocketCreated"):
            continue
        params = message["params"]
        url = params.get("request", {}).get("url") or params.get("url", "")
        if url.startswith(("data:", "blob:", "about:", "chrome:", "devtools:")):
            continue
        rest = url.split("://", 1)[-1]
        if not rest.startswith(host + "/") and rest != host:
            off.append(url)
    return off

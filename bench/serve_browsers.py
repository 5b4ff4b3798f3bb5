"""Headless-Chromium students for bench/serve_test.py: open a shared link through the balancer, download
the plot's CSV and PNG, and report what they see when the replica holding them dies."""
from __future__ import annotations

import re
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A teacher's shared link: page, language, slider value. Each student gets its own δ, so that no two hold
# the same CSV (Streamlit names a download file by its content, and any session's copy would answer).
LINK = "huber?lang={lang}&huber.delta={delta}"
LANG_MARK = {"en": "Formula", "zh": "\u516c\u5f0f"}  # the page's "Formula" heading in that language
WATCH_STATES = """() => {
  window.__states = [];
  const app = document.querySelector('[data-testid="stApp"]');
  new MutationObserver(() => window.__states.push([Date.now(), app.dataset.testConnectionState]))
    .observe(app, {attributes: true, attributeFilter: ['data-test-connection-state']});
}"""


def last_upstream(line: str) -> str | None:
    """The replica that answered: after a failed try nginx logs "dead:port, live:port"."""
    match = re.search(r"upstream=(.*?) upstream_status=", line)
    return match.group(1).split(",")[-1].strip() if match else None


def upstream_of(access_log: Path, path: str, timeout: float = 10.0) -> str | None:
    """The replica nginx sent `path` to, from the access log's upstream= field (polled until written)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        for line in reversed(access_log.read_text().splitlines()):
            if f" {path} " in line:
                return last_upstream(line)
        time.sleep(0.2)
    return None


class BrowserStudent:
    def __init__(self, browser, base_url: str, lang: str, delta: float, access_log: Path, folder: Path, name: str):
        self.context = browser.new_context(viewport={"width": 1300, "height": 900}, accept_downloads=True)
        self.page = self.context.new_page()
        self.delta = delta
        self.url = f"{base_url}/{LINK.format(lang=lang, delta=f'{delta:g}')}"
        self.lang, self.access_log, self.folder, self.name = lang, access_log, folder, name
        self.replica: str | None = None
        self.csv_lines: list[str] = []
        self.notes: list[str] = []

    def open(self) -> None:
        from browser import open_page
        open_page(self.page, self.url, timeout=120_000)
        self.page.evaluate(WATCH_STATES)

    def download_csv(self) -> tuple[bool, str | None]:
        """Click the CSV button under the plot; (file is the curve's CSV, replica that served it)."""
        with self.page.expect_download(timeout=60_000) as info:
            self.page.locator('[data-testid="stDownloadButton"] button').first.click()
        download = info.value
        lines = Path(download.path()).read_text(encoding="utf-8").splitlines()
        ok = bool(lines) and lines[0].startswith("residual") and len(lines) > 100
        self.csv_lines = lines
        replica = upstream_of(self.access_log, urllib.parse.urlsplit(download.url).path)
        if not ok:
            self.notes.append(f"CSV looked wrong: {lines[:1]}")
        return ok, replica

    def try_download_csv(self) -> str:
        """A CSV download that may fail; what happened, in words, for the report."""
        try:
            ok, replica = self.download_csv()
            return f"CSV from {replica}" if ok else "a wrong CSV"
        except Exception as exc:  # Chromium cancels a download the server answers with 404
            return f"no CSV ({str(exc).splitlines()[0][:60]})"

    def reload(self) -> None:
        """Open the shared link again (F5 / the teacher's link): a fresh session built from the URL alone."""
        from browser import open_page
        open_page(self.page, self.url, timeout=120_000)

    def download_png(self) -> bool:
        """Plotly's modebar camera: the PNG is drawn in the browser from the figure the replica sent."""
        self.page.locator('[data-testid="stPlotlyChart"]').first.hover()
        with self.page.expect_download(timeout=60_000) as info:
            self.page.locator(".modebar-btn[data-title*='PNG' i]").first.click()
        return Path(info.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    def view(self) -> dict:
        """What the student sees now: URL state, slider value, language, traceback, connection."""
        body = self.page.inner_text("body")
        now, link = urllib.parse.urlsplit(self.page.url), urllib.parse.urlsplit(self.url)
        params = urllib.parse.parse_qs(now.query)
        return {  # the app drops lang=en (the default) from the URL, so compare what the link sets
            "url_kept": now.path == link.path and params.get("huber.delta") == [f"{self.delta:g}"]
            and params.get("lang", ["en"]) == [self.lang],
            "slider": f"{self.delta:.2f}" in self.page.locator('[data-testid="stSlider"]').first.inner_text(),
            "language": LANG_MARK[self.lang] in body,
            "traceback": self.page.locator('[data-testid="stException"]').count() > 0,
            "plot": self.page.locator(".js-plotly-plot .main-svg").count() > 0,
            "state": self.page.get_attribute('[data-testid="stApp"]', "data-test-connection-state"),
        }

    def states_since(self, t_ms: float) -> list[str]:
        return [s for t, s in self.page.evaluate("window.__states || []") if t >= t_ms]

    def reconnect_seconds(self, killed_at: float) -> float | None:
        """From the kill to the first CONNECTED after it, by the page's own clock (Date.now())."""
        seen = [(t, s) for t, s in self.page.evaluate("window.__states || []") if t >= killed_at * 1000]
        back = [t for i, (t, s) in enumerate(seen) if s == "CONNECTED" and i > 0]
        return (back[0] / 1000 - killed_at) if back else None

    def wait_reconnected(self, killed_at: float, timeout: float = 60.0) -> float:
        """After its replica died: seconds until the page is connected, idle and drawn again."""
        from browser import wait_idle
        self.page.wait_for_function(
            "(t) => (window.__states || []).some(([when, s]) => when >= t && s !== 'CONNECTED')",
            arg=killed_at * 1000, timeout=timeout * 1000)
        self.page.wait_for_selector('[data-testid="stApp"][data-test-connection-state="CONNECTED"]',
                                    timeout=timeout * 1000)
        self.page.wait_for_selector(".js-plotly-plot .main-svg", timeout=timeout * 1000)
        wait_idle(self.page, timeout * 1000)
        return time.time() - killed_at

    def move_slider(self) -> bool:
        """One key press on the δ slider; True when the server redrew the page for it (the CSV it serves
        then is the new curve's) and no traceback is shown."""
        from browser import wait_idle
        self.page.locator('[data-testid="stSlider"] input[type="range"]').first.focus()
        self.page.keyboard.press("ArrowRight")
        before = f"huber.delta={self.delta:g}"
        self.page.wait_for_function("(b) => !location.search.split('&').some(p => p.endsWith(b))", arg=before,
                                    timeout=30_000)
        wait_idle(self.page)
        # The URL follows the slider in the browser at once; the server's redraw shows in the CSV it serves:
        # the new curve's. A click during the rerun may hit the old file just dropped, so try for a while.
        before, deadline = list(self.csv_lines), time.time() + 15
        while time.time() < deadline:
            if "CSV from" in self.try_download_csv() and self.csv_lines != before:
                return self.page.locator('[data-testid="stException"]').count() == 0
        return False

    def screenshot(self, label: str) -> Path:
        path = self.folder / f"{self.name}_{label}.png"
        self.page.screenshot(path=str(path))
        return path

    def close(self) -> None:
        self.context.close()

"""Shared helpers for browser tests and screenshot scripts: start LossLab, drive Debian's Chromium."""
from __future__ import annotations

import contextlib
import shutil
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:   # tests/screenshot.py runs this module outside pytest
    sys.path.insert(0, str(ROOT))
from losses.text import language_name  # noqa: E402
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]
IDLE = ('[data-testid="stApp"][data-test-script-state="notRunning"]'
        '[data-test-connection-state="CONNECTED"]')
SERVER_LOGS: dict[str, Path] = {}   # base URL -> that server's output file, for a failing test's report


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(timeout: float = 90.0, app: str = "app.py", with_process: bool = False, env: dict | None = None):
    """Start `streamlit run <app>` on a free port (with `env` added to its environment); yield its base URL
    (and the Popen if asked); stop that PID only."""
    port = free_port()
    # The server's output goes to a file, shown when the block fails: a crashed server must not look like a
    # timeout.
    log_dir = ROOT / "test-artifacts"
    log_dir.mkdir(exist_ok=True)
    log_path = log_dir / f"server-{Path(app).stem}-{port}.log"
    log = open(log_path, "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", app, "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--server.fileWatcherType", "none",
         "--browser.gatherUsageStats", "false", "--client.showErrorDetails", "full"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
    url = f"http://127.0.0.1:{port}"
    SERVER_LOGS[url] = log_path
    try:
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.3)   # polling the health endpoint, bounded by the deadline above
        else:
            raise RuntimeError("streamlit did not start")
        yield (url, proc) if with_process else url
    except BaseException:
        log.flush()
        print(f"--- server output ({log_path}) ---\n" + log_path.read_text(errors="replace")[-4000:], file=sys.stderr)
        raise
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def wait_idle(page, timeout: float = 60_000) -> None:
    """Streamlit finished rerunning and nothing on the page is stale."""
    page.wait_for_selector(IDLE, timeout=timeout)
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=timeout)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=stElementContainer][data-stale=true]')", timeout=timeout)


def open_page(page, url: str, plot: bool = True, timeout: float = 90_000) -> None:
    page.goto(url, timeout=timeout)
    if plot:
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=timeout)
    else:
        page.wait_for_selector('[data-testid="stMain"]', timeout=timeout)
    wait_idle(page, timeout)
    # The live chart draws its figure after the first idle state (and may ask the server for it once):
    # wait until every chart holds its traces, then for the rerun that may have caused.
    page.wait_for_function(CHARTS_DRAWN, timeout=timeout)
    wait_idle(page, timeout)


# Every live chart's host (marked by its loader, ui/live_chart.py, before the chart's module has loaded) holds a
# plot with its traces: not only the plots already built.
CHARTS_DRAWN = ("() => [...document.querySelectorAll('.ll-chart-host')].every(h => { const p = h.querySelector('.ll-plot');"
                " return p && p.data && p.data.length > 0; })")


def wait_steady(page, expr: str, frames: int = 10, timeout: float = 30_000) -> None:
    """Wait until the JS expression `expr` (a layout measure: a scroll position, a height) has kept its value
    for `frames` animation frames in a row: smooth scrolling or a relayout has settled."""
    page.evaluate(f"""() => new Promise((done, fail) => {{
      const end = performance.now() + {timeout}; let last, same = 0;
      const tick = () => {{
        const now = JSON.stringify({expr}); same = now === last ? same + 1 : 0; last = now;
        if (same >= {frames}) done(true);
        else if (performance.now() > end) fail(new Error("never steady: " + {expr!r}));
        else requestAnimationFrame(tick);
      }};
      tick(); }})""")


def open_expander(page, expander) -> None:
    """Click an st.expander open. Under load a click can land while the element re-renders and open nothing:
    click again until its <details> is open (a condition wait, at most three clicks)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    for attempt in range(3):
        wait_idle(page)
        expander.locator("summary").click()
        try:
            expander.locator("details[open]").wait_for(timeout=10_000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
    wait_idle(page)


def have_chromium() -> bool:
    return bool(shutil.which(CHROMIUM)) or os.path.exists(CHROMIUM)


def assert_clean(page) -> None:
    """No Streamlit traceback and no formula KaTeX could not parse."""
    assert page.locator('[data-testid="stException"]').count() == 0, page.locator(
        '[data-testid="stException"]').first.inner_text()
    assert page.locator(".katex-error").count() == 0, page.locator(".katex-error").first.inner_text()
    assert page.get_by_text("Page not found").count() == 0, "Streamlit says the URL names no page"
    crash = page.locator('[class*="st-key-losslab-error"]')   # ui/errors.py's message for an unexpected error
    assert crash.count() == 0, crash.first.inner_text()


# The state a reader set on a page, in language-neutral form: slider positions, typed text, and the URL
# (every bound widget writes its value there) without the language itself.
STATE_JS = """() => {
  const q = new URLSearchParams(location.search); q.delete('lang'); q.sort();
  return {
    sliders: [...document.querySelectorAll('[data-testid=stSlider] [role=slider]')].map(e => e.getAttribute('aria-valuenow')),
    text: [...document.querySelectorAll('[data-testid=stMain] textarea, [data-testid=stMain] input[type=text]:not([role=combobox])')].map(e => e.value),
    query: q.toString(), path: location.pathname };
}"""


def page_state(page) -> dict:
    return page.evaluate(STATE_JS)


def switch_language(page, lang: str) -> None:
    """Click the language switch at the top of the page and wait for the page in that language."""
    page.get_by_text(language_name(lang), exact=True).first.click()
    page.wait_for_function("lang => (new URLSearchParams(location.search).get('lang') || 'en') === lang",
                           arg=lang, timeout=30_000)
    wait_idle(page)


def language_round_trip(page, start: str = "en") -> None:
    """en -> zh -> en (or the reverse): the language switched twice, no exception, every
    setting survives each switch, and the tab ends in the language it started in."""
    before = page_state(page)
    other = "zh" if start == "en" else "en"
    for lang in (other, start):
        switch_language(page, lang)
        assert_clean(page)
        assert page.evaluate("name => document.documentElement.innerText.includes(name)",
                             language_name("zh"))  # the switch is there
        after = page_state(page)
        assert after == before, (lang, before, after)


def run_coroutine(coro):
    """asyncio.run(coro) in a thread of its own: the browser tests' shared Playwright (sync API) keeps an event
    loop running in the main thread for the whole session, and asyncio.run refuses to nest in it."""
    import asyncio
    import threading
    result: dict = {}

    def target():
        try:
            result["value"] = asyncio.run(coro)
        except BaseException as exc:  # noqa: BLE001 (re-raised in the caller's thread)
            result["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]
    return result.get("value")

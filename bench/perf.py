"""Performance benchmark (issue 9): one command, one table for every page.

    .venv/bin/python bench/perf.py [--moves 10] [--pages huber,mse]

Measures, in headless Chromium on this machine:
  - main-curve control -> plot changed (the live chart's range input over precomputed frames, redrawn in
    the browser; the value is committed to the server after the redraw)
  - a Streamlit widget -> plot changed (the page's first st.slider: websocket round trip + script rerun;
    any plot on the page counts, as a panel's slider moves its panel's plot)
  - the same for a bare Streamlit page (one st.slider + one 2,000-point Plotly line), in the same run, as
    Streamlit serves it (the ratios' yardstick) and with LossLab's TCP_NODELAY (ui/tcp_nodelay.py), before
    and after LossLab's pages (the median of both: the machine drifts while the pages are measured)
  - first chart in a fresh tab (ours vs the bare page), cold start (server launch -> first chart)
  - each loss's curve + autograd gradient computation for 2,000 points (in process)
  - server RSS after visiting every page
Latency is timed inside the page: from the input event (keydown/mousedown, capture phase) to the
mutation of a plotted path or heat-map image, so Playwright's own round trip is not counted. A move that
changes no plot within 15 s is reported as such, not waited for. Course pages with a slider and a plot
(compare, theory) are measured too; the in-action page trains models on a widget move and has its own
benchmark (bench/bench_in_action.py). Ratios to the bare page
are what to compare between runs: these machines are shared and noisy.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COURSE_PAGES = ("compare", "theory")  # course pages with a Streamlit slider and a plot
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from browser import CHROMIUM, CHROMIUM_ARGS, open_page, streamlit_server, wait_idle  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from servers import BARE_NODELAY_ENV  # noqa: E402

INSTRUMENT = """
() => {
  if (window.__lat) return;
  window.__lat = {t0: null, t1: null, before: null};
  // Everything any plot on the page draws: line/bar paths and heat-map images.
  const drawn = () => Array.from(document.querySelectorAll(
      '.js-plotly-plot .scatterlayer path.js-line, .js-plotly-plot .barlayer path, .js-plotly-plot .heatmaplayer image'))
    .map(e => e.getAttribute('d') || e.getAttribute('href') || '').join('|');
  const start = () => { window.__lat.t0 = performance.now(); window.__lat.t1 = null;
                        window.__lat.before = drawn(); };
  document.addEventListener('keydown', start, true);
  document.addEventListener('mousedown', start, true);
  new MutationObserver(() => {
    if (window.__lat.t0 !== null && window.__lat.t1 === null && drawn() !== window.__lat.before)
      window.__lat.t1 = performance.now();
  }).observe(document.body, {subtree: true, childList: true, attributes: true, attributeFilter: ['d', 'href']});
}
"""
DONE = "() => window.__lat && window.__lat.t1 !== null"


def _latency(page) -> float | None:
    try:
        page.wait_for_function(DONE, timeout=15_000)
    except Exception:  # playwright's TimeoutError: this move changed no plot
        return None
    return page.evaluate("() => window.__lat.t1 - window.__lat.t0")


def streamlit_slider_moves(page, moves: int) -> list[float]:
    page.evaluate(INSTRUMENT)
    handle = page.locator('[data-testid="stSlider"] input[type="range"]').first
    out = []
    for i in range(moves):
        handle.focus()
        page.keyboard.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
        latency = _latency(page)
        wait_idle(page)
        if latency is None:
            return []
        out.append(latency)
    return out


def curve_control_moves(page, moves: int) -> list[float]:
    """The live chart's own range input (ui/live_chart.js): a click redraws the curve from precomputed
    frames in the browser; the commit that follows (a rerun) is not what the hand waits for."""
    page.evaluate(INSTRUMENT)
    rail = page.locator(".ll-range").first
    rail.scroll_into_view_if_needed()
    wait_idle(page)
    # A hand reaches the control before it clicks: the chart asks for its frames then (ui/live_chart.js).
    rail.hover()
    page.wait_for_function("() => Number(document.querySelector('.ll-chart').dataset.frames) > 1", timeout=30_000)
    wait_idle(page)
    box = rail.bounding_box()
    if box is None:
        return []
    out = []
    for i in range(moves):
        frac = (0.15, 0.85)[i % 2] + 0.02 * (i // 2 % 3)
        page.mouse.click(box["x"] + frac * box["width"], box["y"] + box["height"] / 2)
        latency = _latency(page)
        wait_idle(page)
        if latency is None:
            return []
        out.append(latency)
    return out


def first_chart_ms(browser, url: str) -> float:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=90_000)
    elapsed = (time.perf_counter() - start) * 1000
    context.close()
    return elapsed


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def compute_ms(slug: str, repeats: int = 20) -> float:
    from losses import REGISTRY
    from losses.curves import sweep
    spec = REGISTRY[slug]
    sweep(spec, {}, n=2000)
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        sweep(spec, {}, n=2000)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def measure_bare(browser, moves: int) -> dict:
    """{name: (slider -> plot ms of each move, first chart ms of each fresh tab)} for the bare page as Streamlit
    serves it (the yardstick), and with LossLab's socket setting (ui/tcp_nodelay.py): what that setting gains,
    told apart from what the rest of LossLab costs. main() measures them before and after LossLab's pages."""
    found = {}
    for name, env in (("bare", {}), ("bare_nodelay", BARE_NODELAY_ENV)):
        with streamlit_server(app="bench/bare_app.py", env=env) as bare_url:
            page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            open_page(page, bare_url)
            slider = streamlit_slider_moves(page, moves)
            page.close()
            found[name] = (slider, [first_chart_ms(browser, bare_url) for _ in range(3)])
    return found


def med(values):
    """Median, or None when the moves changed no plot (reported as n/a)."""
    return statistics.median(values) if values else None


def main() -> None:
    from playwright.sync_api import sync_playwright

    from losses import REGISTRY
    parser = argparse.ArgumentParser()
    parser.add_argument("--moves", type=int, default=10)
    parser.add_argument("--pages", default="")
    parser.add_argument("--out", default=str(ROOT / "test-artifacts" / "perf.json"))
    args = parser.parse_args()
    slugs = [s for s in args.pages.split(",") if s] or list(REGISTRY) + list(COURSE_PAGES)
    results: dict = {"pages": {}}

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        bare = measure_bare(browser, args.moves)

        start = time.perf_counter()
        with streamlit_server(with_process=True) as (url, proc):
            first = slugs[0] if slugs[0] in REGISTRY and REGISTRY[slugs[0]].curve else "huber"
            # A fresh context each time: cookies are per host, not per port, and the bare server's XSRF
            # cookie would otherwise be sent to this one.
            cold_page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            cold_page.goto(f"{url}/{first}")
            cold_page.wait_for_selector(".js-plotly-plot .main-svg", timeout=120_000)
            results["cold_start_ms"] = (time.perf_counter() - start) * 1000
            cold_page.close()
            page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            for slug in slugs:
                spec = REGISTRY.get(slug)
                row = {"compute_ms": compute_ms(slug) if spec is not None and spec.curve else None}
                open_page(page, f"{url}/{slug}", plot=True)
                has_frames = page.locator(".ll-control:not([hidden]) .ll-range").count() > 0
                row["curve_slider_ms"] = med(curve_control_moves(page, args.moves)) if has_frames else None
                open_page(page, f"{url}/{slug}", plot=True)
                has_widget = page.locator('[data-testid="stSlider"] input[type="range"]').count() > 0
                row["widget_ms"] = med(streamlit_slider_moves(page, args.moves)) if has_widget else None
                # Why there is no number: the page has no st.slider, or its first one moves no plot (a table).
                row["widget_note"] = "" if row["widget_ms"] is not None else \
                    ("moves no plot" if has_widget else "no st.slider")
                row["first_chart_ms"] = first_chart_ms(browser, f"{url}/{slug}")
                results["pages"][slug] = row
                print(slug, {k: (round(v, 1) if isinstance(v, float) else v) for k, v in row.items()}, flush=True)
            results["rss_mb"] = rss_mb(proc.pid)
        # The bare pages again: this machine drifts by ±25% within minutes, and they divide every ratio.
        for name, (moves, firsts) in measure_bare(browser, args.moves).items():
            bare[name][0].extend(moves)
            bare[name][1].extend(firsts)
        for name, (moves, firsts) in bare.items():
            results[name] = {"slider_ms": med(moves), "first_chart_ms": med(firsts)}
        browser.close()

    bare_ms, bare_first = results["bare"]["slider_ms"], results["bare"]["first_chart_ms"]

    def ratio(v, base):
        return f"{v / base:.2f}x" if v is not None and base else "n/a"

    def ms(v):
        return f"{v:.1f}" if isinstance(v, float) else "n/a"

    print()
    nodelay_ms = results["bare_nodelay"]["slider_ms"]
    print(f"bare page: slider -> plot {bare_ms:.1f} ms, first chart {bare_first:.0f} ms; with TCP_NODELAY "
          f"(ui/tcp_nodelay.py): slider -> plot {nodelay_ms:.1f} ms, first chart "
          f"{results['bare_nodelay']['first_chart_ms']:.0f} ms")
    print(f"cold start (server launch -> first chart): {results['cold_start_ms']:.0f} ms;"
          f" server RSS after all pages: {results['rss_mb']:.0f} MB")
    header = ("page", "curve slider ms", "ratio (<=0.35)", "widget ms", "ratio (<=1.5)", "vs bare+nodelay",
              "curve+grad ms (<5)", "first chart ms", "ratio (<=1.5)")
    print(" | ".join(header))
    for slug, r in results["pages"].items():
        widget = ms(r["widget_ms"]) if r["widget_ms"] is not None else f"n/a ({r['widget_note']})"
        print(" | ".join([slug, ms(r["curve_slider_ms"]), ratio(r["curve_slider_ms"], bare_ms), widget,
                          ratio(r["widget_ms"], bare_ms), ratio(r["widget_ms"], nodelay_ms), ms(r["compute_ms"]),
                          f"{r['first_chart_ms']:.0f}",
                          ratio(r["first_chart_ms"], bare_first)]))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()

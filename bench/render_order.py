"""When does the browser show an element that comes early in a rerun? (issue 14)

    .venv/bin/python bench/render_order.py [--after 0,20,40,80] [--pause 0,10] [--moves 8]

LossLab's live chart is drawn by its component's JS, which Streamlit's frontend calls once it has rendered
the chart's new element. On a loss page the chart is the ~15th of a fragment rerun's 35-75 messages, yet in
Chromium its JS ran only after the run's last message (bench/perf.py's timeline, issue 14's notes). This
measures that on a page of its own (bench/render_order_app.py): a slider, a components-v2 element and an
st.html marker, then N Markdown elements, in a fragment. For each N (and, optionally, a pause of the script
right after the marker), Chromium moves the slider `--moves` times and reports, from the key press (median
ms): the rerun's first and last message, the component's JS call, and the marker's new value in the DOM.
Read it as: an early element shows only after everything sent close behind it has been handled, ~1 ms
later per Markdown element after it; a pause in the stream lets it show at once.
"""
from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "bench")]

from browser import CHROMIUM, CHROMIUM_ARGS, streamlit_server, wait_idle  # noqa: E402

# In the page before its scripts: the time of each websocket message and of each new marker value.
RECORD = """(() => {
  window.__llOrder = [];
  const Socket = window.WebSocket;
  window.WebSocket = function (...args) {
    const ws = new Socket(...args);
    ws.addEventListener("message", () => window.__llOrder.push([performance.now(), "message", null]));
    return ws;
  };
  window.WebSocket.prototype = Socket.prototype;
  Object.assign(window.WebSocket, Socket);
  let last = null;
  new MutationObserver(() => {
    const marker = document.querySelector(".ll-order-marker");
    if (marker && marker.dataset.value !== last) {
      last = marker.dataset.value;
      window.__llOrder.push([performance.now(), "marker", Number(last)]);
    }
  }).observe(document, {subtree: true, childList: true, attributes: true});
  document.addEventListener("keydown", () => { window.__llOrder.push([performance.now(), "key", null]); }, true);
})();"""
SHOWN = """(value) => ["component", "marker"].every(
  (what) => window.__llOrder.some(([, kind, v]) => kind === what && v === value))"""
SLIDER = '[data-testid="stSlider"] input[type="range"]'


def timings(events: list, value: int) -> dict | None:
    """ms from the key press to the first and last message, the component's call and the marker, for one move
    (the events since that key press; None if the page did not show `value`)."""
    key = next((t for t, kind, _ in events if kind == "key"), None)
    messages = [t for t, kind, _ in events if kind == "message" and key is not None and t >= key]
    seen = {kind: t for t, kind, v in reversed(events) if kind in ("component", "marker") and v == value}
    if key is None or not messages or len(seen) < 2:
        return None
    return {"first message": messages[0] - key, "last message": messages[-1] - key,
            "component JS": seen["component"] - key, "marker in DOM": seen["marker"] - key,
            "messages": len(messages)}


def measure(browser, url: str, moves: int) -> dict:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_init_script(RECORD)
    page = context.new_page()
    page.goto(url)
    page.wait_for_function(SHOWN, arg=50, timeout=90_000)
    wait_idle(page)
    slider = page.locator(SLIDER).first
    rows, value = [], 50
    for i in range(moves + 2):  # the first two moves warm the page up and are not counted
        slider.focus()
        page.evaluate("() => { window.__llOrder = []; }")
        value += 1 if i % 2 == 0 else -1
        page.keyboard.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
        page.wait_for_function(SHOWN, arg=value, timeout=15_000)
        wait_idle(page)
        row = timings(page.evaluate("() => window.__llOrder"), value)
        if i >= 2 and row is not None:
            rows.append(row)
    context.close()
    return {k: statistics.median(r[k] for r in rows) for k in rows[0]} if rows else {}


def main() -> None:
    from playwright.sync_api import sync_playwright

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--after", default="0,20,40,80", help="Markdown elements after the marker, comma-separated")
    ap.add_argument("--pause", default="0,10", help="ms the script pauses after the marker, comma-separated")
    ap.add_argument("--moves", type=int, default=8)
    args = ap.parse_args()
    configs = [(int(n), float(p)) for n in args.after.split(",") for p in args.pause.split(",")]
    print(f"{'after':>5s} {'pause':>5s} {'messages':>8s} {'first msg':>9s} {'last msg':>8s} "
          f"{'component JS':>12s} {'marker':>6s}   (ms from the key press, medians of {args.moves} moves)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        for after, pause in configs:
            env = {"LOSSLAB_AFTER": str(after), "LOSSLAB_PAUSE_MS": f"{pause:g}"}
            with streamlit_server(app="bench/render_order_app.py", env=env) as url:  # its output shown if it fails
                r = measure(browser, url, args.moves)
            if not r:
                print(f"{after:5d} {pause:5g}  no move was shown")
                continue
            print(f"{after:5d} {pause:5g} {r['messages']:8.0f} {r['first message']:9.0f} {r['last message']:8.0f} "
                  f"{r['component JS']:12.0f} {r['marker in DOM']:6.0f}", flush=True)
        browser.close()


if __name__ == "__main__":
    main()

"""Classroom load test (issue 8): N concurrent sessions on loopback for D seconds.

    .venv/bin/python bench/load_test.py [--sessions 30] [--seconds 60] [--browsers 3]

Most sessions speak Streamlit's websocket protocol as a browser does (the same BackMsg/ForwardMsg
protobufs: a page visit is a rerun_script for that page; a slider move is a rerun_script carrying the
slider's new widget state), because 30 Chromium tabs on 2 cores would measure Chromium, not the server.
A few real headless-Chromium contexts browse at the same time and check the pages still render.
Reports page-load and rerun latency (p50/p95), errors, and the server's memory.
"""
from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from browser import CHROMIUM, CHROMIUM_ARGS, open_page, streamlit_server  # noqa: E402


def percentile(values, q):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


class Stats:
    def __init__(self):
        self.page_loads: list[float] = []
        self.reruns: list[float] = []
        self.errors: list[str] = []


async def run_script(ws, slug: str, lang: str, widgets=None):
    """One rerun of the page; returns (seconds, {widget user key: widget id}, errors)."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from streamlit.util import calc_hash
    msg = BackMsg()
    msg.rerun_script.query_string = f"lang={lang}"
    msg.rerun_script.page_script_hash = calc_hash(slug)
    msg.rerun_script.page_name = slug
    for wid, value in (widgets or {}).items():
        state = msg.rerun_script.widget_states.widgets.add()
        state.id = wid
        state.double_array_value.data.append(value)
    start = time.perf_counter()
    await ws.send(msg.SerializeToString())
    ids, errors = {}, []
    while True:
        raw = await asyncio.wait_for(ws.recv(), timeout=60)
        fwd = ForwardMsg()
        fwd.ParseFromString(raw)
        kind = fwd.WhichOneof("type")
        if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
            element = fwd.delta.new_element
            etype = element.WhichOneof("type")
            if etype == "exception":
                errors.append(f"{slug}: {element.exception.type}: {element.exception.message[:120]}")
            elif etype == "slider":
                ids[element.slider.id] = element.slider
        elif kind == "script_finished":
            status = fwd.script_finished
            if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:  # st.rerun(): the next run follows
                continue
            if status not in (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY):
                errors.append(f"{slug}: script finished with status {status}")
            return time.perf_counter() - start, ids, errors


async def session(url: str, slugs: list[str], deadline: float, stats: Stats, rng: random.Random):
    import websockets
    ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
    try:
        async with websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None,
                                      open_timeout=60) as ws:
            while time.perf_counter() < deadline:
                slug = rng.choice(slugs)
                lang = rng.choice(("en", "zh"))
                seconds, sliders, errors = await run_script(ws, slug, lang)
                stats.page_loads.append(seconds)
                stats.errors += errors
                ours = {wid: s for wid, s in sliders.items() if f"{slug}." in wid}
                for _ in range(5):  # a student drags a slider a few steps
                    if not ours or time.perf_counter() >= deadline:
                        break
                    wid, slider = rng.choice(list(ours.items()))
                    value = rng.uniform(slider.min, slider.max)
                    value = round(slider.min + round((value - slider.min) / slider.step) * slider.step, 6)
                    seconds, _, errors = await run_script(ws, slug, lang, {wid: value})
                    stats.reruns.append(seconds)
                    stats.errors += errors
                    await asyncio.sleep(rng.uniform(0.2, 0.8))  # think time between moves
    except Exception as exc:  # a dropped or refused connection is an error to report, not a crash
        stats.errors.append(f"session: {type(exc).__name__}: {exc}")


def browser_checks(url: str, slugs: list[str], deadline: float, stats: Stats, n: int) -> None:
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        contexts = [browser.new_context(viewport={"width": 1300, "height": 900}) for _ in range(n)]
        pages = [c.new_page() for c in contexts]
        i = 0
        while time.perf_counter() < deadline:
            page = pages[i % n]
            slug = slugs[i % len(slugs)]
            start = time.perf_counter()
            try:
                open_page(page, f"{url}/{slug}?lang={'zh' if i % 2 else 'en'}", plot=False, timeout=120_000)
                stats.page_loads.append(time.perf_counter() - start)
                if page.locator('[data-testid="stException"]').count():
                    stats.errors.append(f"browser {slug}: exception shown")
                if page.locator(".katex-error").count():
                    stats.errors.append(f"browser {slug}: KaTeX error")
            except Exception as exc:
                stats.errors.append(f"browser {slug}: {type(exc).__name__}: {str(exc)[:100]}")
            i += 1
        browser.close()


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> int:
    from losses import REGISTRY
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--browsers", type=int, default=3)
    parser.add_argument("--pages", default="")
    args = parser.parse_args()
    slugs = [s for s in args.pages.split(",") if s] or list(REGISTRY)
    protocol_sessions = max(0, args.sessions - args.browsers)
    stats = Stats()
    with streamlit_server(with_process=True) as (url, proc):
        # Warm the server once (first import of torch, first figures) as a running classroom server would be.
        warm = Stats()
        asyncio.run(session(url, slugs[:1], time.perf_counter() + 1, warm, random.Random(0)))
        if warm.errors:
            print("warm-up:", warm.errors[:3])
        rss_before = rss_mb(proc.pid)
        deadline = time.perf_counter() + args.seconds
        peak = [rss_before]

        def sample_memory():
            while time.perf_counter() < deadline:
                peak.append(rss_mb(proc.pid))
                time.sleep(1)

        threads = [threading.Thread(target=sample_memory, daemon=True)]
        if args.browsers:
            threads.append(threading.Thread(target=browser_checks, args=(url, slugs, deadline, stats, args.browsers),
                                            daemon=True))
        for t in threads:
            t.start()

        async def all_sessions():
            await asyncio.gather(*(session(url, slugs, deadline, stats, random.Random(i))
                                   for i in range(protocol_sessions)))
        asyncio.run(all_sessions())
        for t in threads:
            t.join(timeout=180)
        rss_after = rss_mb(proc.pid)

    def ms(v):
        return f"{v * 1000:.0f} ms"

    print(f"sessions: {protocol_sessions} protocol + {args.browsers} Chromium, {args.seconds:.0f} s, "
          f"{len(slugs)} pages")
    print(f"page loads: {len(stats.page_loads)}  p50 {ms(percentile(stats.page_loads, 50))}  "
          f"p95 {ms(percentile(stats.page_loads, 95))}")
    print(f"slider reruns: {len(stats.reruns)}  p50 {ms(percentile(stats.reruns, 50))}  "
          f"p95 {ms(percentile(stats.reruns, 95))}  ({len(stats.reruns) / args.seconds:.1f}/s)")
    print(f"errors: {len(stats.errors)}")
    for e in stats.errors[:20]:
        print("  ", e)
    print(f"server RSS: {rss_before:.0f} MB after warm-up, peak {max(peak):.0f} MB, {rss_after:.0f} MB at the end")
    return 1 if stats.errors else 0


if __name__ == "__main__":
    sys.exit(main())

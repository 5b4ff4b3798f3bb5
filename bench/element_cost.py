"""What one element costs on every rerun, in the server and in the browser: the floor under a page's rerun
cost (issue 14).

    .venv/bin/python bench/element_cost.py [--count 20] [--runs 40] [--rounds 5] [--browser [--moves 6]]

Starts bench/element_cost_app.py (the bare page of bench/bare_app.py plus `--count` elements of one kind)
once per kind, and the bare page alone, and reruns each with the same protocol-level client
(bench/load_client.py), alternating between servers round by round so a busy machine slows all alike.
Prints server CPU per rerun (/proc utime + stime) and, per element, (page − bare page) / count. A page's
warm rerun is about its fixed cost plus the sum of its elements' costs: with the messages a rerun sends
(bench/rerun_cpu.py prints them), this says how far fewer elements can take it.
With --browser it also moves each page's slider in headless Chromium (`--moves` per round, the same
alternation) and prints the median key press -> plot redrawn (bench/perf.py's measure): what the elements
after the plot add to what a reader waits for.
"""
from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from load_client import BrowserLikeSession, SessionLog  # noqa: E402
from servers import free_port, proc_stat, start_streamlit, stop, wait_healthy  # noqa: E402

KINDS = ("markdown", "markdown_joined", "markdown_table", "table", "columns", "horizontal", "slider", "selectbox",
         "text_area")


async def _open(url: str) -> tuple[BrowserLikeSession, str]:
    session = BrowserLikeSession(url, SessionLog())
    await session.connect()
    await session.visit("", "")
    await session.run()
    slider = next(w.id for w in session.widgets.values() if w.id.endswith("bare.delta"))
    return session, slider


async def _reruns(session: BrowserLikeSession, slider: str, n: int) -> None:
    for i in range(n):
        session.values[slider] = [0.5 + 0.25 * (i % 4)]  # a double-array value, as the browser sends it
        await session.run()


def start_servers(kinds: tuple, count: int) -> dict:
    """kind -> (process, url): the bare page and one page per kind, healthy. Stop them with stop_servers."""
    folder = Path(tempfile.mkdtemp(prefix="losslab-element-cost-"))
    print(f"server logs: {folder}", flush=True)
    servers = {}
    try:
        for kind in ("bare",) + kinds:
            port = free_port()
            env = {"LOSSLAB_ELEMENTS": f"{'markdown' if kind == 'bare' else kind}:{0 if kind == 'bare' else count}"}
            proc = start_streamlit("bench/element_cost_app.py", port, folder / f"{kind}.log", env=env)
            servers[kind] = (proc, f"http://127.0.0.1:{port}")
        for proc, url in servers.values():
            wait_healthy(url, proc=proc)
    except BaseException:
        stop_servers(servers)
        raise
    return servers


def stop_servers(servers: dict) -> None:
    for proc, _ in servers.values():
        stop(proc)


async def measure(servers: dict, runs: int, rounds: int) -> dict:
    """kind -> median server CPU ms per rerun."""
    sessions = {kind: await _open(url) for kind, (_, url) in servers.items()}
    cpu = {kind: [] for kind in servers}
    for _ in range(rounds):
        for kind, (session, slider) in sessions.items():
            await _reruns(session, slider, 4)  # warm
            before = proc_stat(servers[kind][0].pid)[0]
            await _reruns(session, slider, runs)
            cpu[kind].append((proc_stat(servers[kind][0].pid)[0] - before) / runs * 1000)
    for session, _ in sessions.values():
        await session.close()
    return {kind: statistics.median(values) for kind, values in cpu.items()}


def browser_latency(servers: dict, moves: int, rounds: int) -> dict:
    """kind -> median ms from a key press on the page's slider to its plot redrawn, in headless Chromium."""
    from playwright.sync_api import sync_playwright

    sys.path[:0] = [str(ROOT / "tests")]
    from browser import CHROMIUM, CHROMIUM_ARGS, open_page
    from perf import streamlit_slider_moves

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        pages = {}
        for kind, (_, url) in servers.items():
            # A context each: cookies are per host, not per port.
            pages[kind] = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            open_page(pages[kind], url)
        found = {kind: [] for kind in servers}
        for _ in range(rounds):
            for kind, page in pages.items():
                found[kind] += streamlit_slider_moves(page, moves)
        browser.close()
    return {kind: statistics.median(values) if values else float("nan") for kind, values in found.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=20, help="elements of each kind on its page")
    ap.add_argument("--runs", type=int, default=40, help="reruns per server per round")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--kinds", default=",".join(KINDS), help=f"comma-separated, from {','.join(KINDS)}")
    ap.add_argument("--browser", action="store_true", help="also time key press -> plot in headless Chromium")
    ap.add_argument("--moves", type=int, default=6, help="slider moves per page per round (--browser)")
    args = ap.parse_args()
    kinds = tuple(k for k in args.kinds.split(",") if k)
    unknown = set(kinds) - set(KINDS)
    if unknown:
        ap.error(f"unknown kinds {sorted(unknown)}")
    servers = start_servers(kinds, args.count)
    try:
        result = asyncio.run(measure(servers, args.runs, args.rounds))
        seen = browser_latency(servers, args.moves, args.rounds) if args.browser else {}
    finally:
        stop_servers(servers)
    bare = result["bare"]
    print(f"\nbare page: {bare:.1f} ms server CPU per rerun (median of {args.rounds} rounds x {args.runs} reruns)"
          + (f"; key -> plot in Chromium {seen['bare']:.0f} ms (median of {args.rounds} x {args.moves} moves)"
             if seen else ""))
    print(f"{'kind':18s} {'page ms':>8s} {'per element ms':>15s}"
          + (f" {'browser ms':>11s} {'per element ms':>15s}" if seen else ""))
    for kind in kinds:
        row = f"{kind:18s} {result[kind]:8.1f} {(result[kind] - bare) / args.count:15.3f}"
        if seen:
            row += f" {seen[kind]:11.0f} {(seen[kind] - seen['bare']) / args.count:15.2f}"
        print(row)


if __name__ == "__main__":
    main()

"""Classroom load test: LossLab and the bare page, the same students, one table.

    .venv/bin/python bench/load_test.py                         # 30 sessions, 60 s, LossLab then bare page
    .venv/bin/python bench/load_test.py --sessions 10 --seconds 40 --targets losslab --server-cpus 0
    .venv/bin/python bench/load_test.py --url http://127.0.0.1:8080 --sessions 20   # a running server/balancer
    .venv/bin/python bench/load_test.py --replicas 2            # LossLab as 2 replicas behind nginx (one per core)
    .venv/bin/python bench/load_test.py --targets losslab,bare,bare_nodelay   # also the bare page with TCP_NODELAY

Each target gets a fresh server (its output in test-artifacts/load/<target>.log), a warm-up visit of
every page, then `--sessions` protocol-level students (bench/load_client.py: widget states as the
browser sends them) with the same seeds, pages, moves and think times. Only protocol clients run while
timing; the Chromium check (`--browsers`) runs afterwards on its own, so it does not take the server's
cores. Loopback only (127.0.0.0/8); every run stops by itself (sessions ≤ 100, seconds ≤ 120).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from load_client import BrowserLikeSession, Plan, SessionLog, classroom, require_loopback  # noqa: E402
from servers import (BARE_NODELAY_ENV, free_port, proc_stat, start_balanced, start_streamlit, stop,  # noqa: E402
                     wait_healthy)

ARTIFACTS = ROOT / "test-artifacts" / "load"
TARGETS = {"losslab": "app.py", "bare": "bench/bare_app.py", "bare_nodelay": "bench/bare_app.py"}
# bare_nodelay: the bare page with LossLab's socket setting (ui/tcp_nodelay.py), which alone takes ~40 ms off
# every protocol-level rerun: LossLab against it tells the rest of LossLab's cost apart from that setting.
TARGET_ENV = {"bare_nodelay": BARE_NODELAY_ENV}
MAX_SESSIONS, MAX_SECONDS, WARM_UP_LIMIT = 100, 120, 90


def percentile(values, q):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


async def warm_up(url: str, plan: Plan) -> list[str]:
    """Every page once and one move on it, as a server that has been up for a lesson would be."""
    log = SessionLog()
    session = BrowserLikeSession(url, log)
    deadline = time.perf_counter() + WARM_UP_LIMIT
    await session.connect()
    try:
        for page in plan.pages:
            if time.perf_counter() > deadline:
                break
            for query in plan.query_strings:
                await session.visit(page, query)
                await session.move(random.Random(0))
    finally:
        await session.close()
    return log.errors


def servers_stat(pids: list[int]) -> tuple[float, float]:
    """(CPU seconds, RSS in MB) of the server processes together (every replica)."""
    stats = [proc_stat(pid) for pid in pids]
    return (sum(c for c, _ in stats), sum(r for _, r in stats)) if stats else (float("nan"), float("nan"))


class Sampler:
    """The servers' RSS once a second while the students run (a thread, stops at the deadline)."""

    def __init__(self, pids: list[int], deadline: float):
        self.pids, self.deadline, self.rss = pids, deadline, []
        self.thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self):
        while self.pids and time.perf_counter() < self.deadline:
            self.rss.append(servers_stat(self.pids)[1])
            time.sleep(1)


def measure(url: str, pids: list[int], plan: Plan, args, warm_urls: list[str] = ()) -> dict:
    """Warm up (each of `warm_urls` at once: every replica has its own caches, and students reach each one),
    then time `args.sessions` students for `args.seconds`; a summary dict."""
    async def warm_all():
        return [e for errors in await asyncio.gather(*(warm_up(u, plan) for u in warm_urls or [url])) for e in errors]
    warm_errors = asyncio.run(warm_all())
    cpu0, rss0 = servers_stat(pids)
    client_cpu0 = time.process_time()
    sampler = Sampler(pids, time.perf_counter() + args.seconds)
    sampler.thread.start()
    logs = asyncio.run(classroom(url, plan, args.sessions, args.seconds, seed=args.seed))
    sampler.thread.join(5)
    cpu1, rss1 = servers_stat(pids)
    loads = [s for log in logs for s in log.page_loads]
    reruns = [s for log in logs for s in log.reruns]
    moves: dict = {}
    for log in logs:
        for kind, n in log.moves.items():
            moves[kind] = moves.get(kind, 0) + n
    return {
        "sessions": args.sessions, "seconds": args.seconds, "pages": len(plan.pages), "think": list(plan.think),
        "page_loads": len(loads), "load_p50": percentile(loads, 50), "load_p95": percentile(loads, 95),
        "reruns": len(reruns), "rerun_p50": percentile(reruns, 50), "rerun_p95": percentile(reruns, 95),
        "server_cpu_s": cpu1 - cpu0, "cpu_per_run_ms": 1000 * (cpu1 - cpu0) / max(1, len(loads) + len(reruns)),
        "client_cpu_s": time.process_time() - client_cpu0,
        "rss_warm": rss0, "rss_peak": max(sampler.rss + [rss0, rss1]), "rss_end": rss1,
        "errors": [e for log in logs for e in log.errors], "warm_up_errors": warm_errors, "moves": moves,
    }


def run_target(name: str, args) -> dict:
    from losses import REGISTRY
    pages = [p for p in args.pages.split(",") if p] or list(REGISTRY)
    plan = Plan(pages=pages if not name.startswith("bare") else [""], think=args.think)
    if name == "losslab" and args.replicas > 1:
        folder = ARTIFACTS / "replicas"
        url, procs, nginx, direct = start_balanced(TARGETS[name], args.replicas, folder, cpus=args.server_cpus)
        print(f"[{name}] {args.replicas} replicas (PIDs {[p.pid for p in procs]}) behind nginx at {url}, "
              f"output in {folder.relative_to(ROOT)}", flush=True)
    else:
        port, nginx, direct = free_port(), None, []
        log_path = ARTIFACTS / f"{name}.log"
        procs = [start_streamlit(TARGETS[name], port, log_path, cpus=args.server_cpus, env=TARGET_ENV.get(name))]
        print(f"[{name}] server PID {procs[0].pid} on 127.0.0.1:{port}, output in {log_path.relative_to(ROOT)}",
              flush=True)
        url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc=procs[0])
        result = measure(url, [p.pid for p in procs], plan, args, warm_urls=direct)
        result["replicas"] = len(procs)
        if name == "losslab" and args.browsers:
            result["browser_errors"] = browser_check(url, pages, args.browsers)
        return result
    finally:
        for proc in [nginx, *procs]:
            stop(proc)


def browser_check(url: str, pages: list[str], n: int) -> list[str]:
    """After timing, on its own: n Chromium tabs open pages and check nothing broke on screen."""
    sys.path.insert(0, str(ROOT / "tests"))
    from browser import CHROMIUM, CHROMIUM_ARGS, open_page
    from playwright.sync_api import sync_playwright
    errors = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            for i, page_name in enumerate(random.Random(1).sample(pages, min(n, len(pages)))):
                page = browser.new_context(viewport={"width": 1300, "height": 900}).new_page()
                try:
                    open_page(page, f"{url}/{page_name}?lang={'zh' if i % 2 else 'en'}", plot=False, timeout=90_000)
                    for selector, what in (('[data-testid="stException"]', "exception shown"),
                                           (".katex-error", "KaTeX error")):
                        if page.locator(selector).count():
                            errors.append(f"browser {page_name}: {what}")
                except Exception as exc:
                    errors.append(f"browser {page_name}: {type(exc).__name__}: {str(exc)[:120]}")
                finally:
                    page.context.close()
        finally:
            browser.close()
    return errors


def ms(v: float) -> str:
    return f"{v * 1000:.0f} ms" if v == v else "—"


ROWS = (("server processes", lambda r: str(r.get("replicas", 1))), ("page loads", lambda r: str(r["page_loads"])), ("page load p50", lambda r: ms(r["load_p50"])),
        ("page load p95", lambda r: ms(r["load_p95"])),
        ("widget reruns", lambda r: f"{r['reruns']} ({r['reruns'] / r['seconds']:.1f}/s)"),
        ("rerun p50", lambda r: ms(r["rerun_p50"])), ("rerun p95", lambda r: ms(r["rerun_p95"])),
        ("server CPU per run", lambda r: f"{r['cpu_per_run_ms']:.0f} ms"),
        ("server RSS warm / peak / end", lambda r: f"{r['rss_warm']:.0f} / {r['rss_peak']:.0f} / {r['rss_end']:.0f} MB"),
        ("load client's own CPU", lambda r: f"{r['client_cpu_s']:.1f} s"),
        ("errors", lambda r: str(len(r["errors"]) + len(r["warm_up_errors"]) + len(r.get("browser_errors", [])))))
RATIOS = {"page load p95": "load_p95", "rerun p50": "rerun_p50", "rerun p95": "rerun_p95",
          "server CPU per run": "cpu_per_run_ms"}


def print_table(results: dict) -> None:
    names = list(results)
    first = results[names[0]]
    lo, hi = first.get("think", (0.2, 0.8))
    print(f"\n{first['sessions']} protocol sessions, {first['seconds']:.0f} s each, think time {lo:g}–{hi:g} s, "
          f"{Plan([]).moves_per_visit} moves per page visit; load {os.getloadavg()[0]:.2f} now")
    # LossLab over each bare page measured beside it
    pairs = [(names[0], n) for n in names[1:] if n.startswith("bare")] if not names[0].startswith("bare") else []
    head = ["what"] + names + [f"{a} ÷ {b}" for a, b in pairs]
    print("| " + " | ".join(head) + " |\n|" + "---|" * len(head))
    for label, cell in ROWS:
        row = [label] + [cell(results[n]) for n in names]
        key = RATIOS.get(label)
        row += [f"{results[a][key] / results[b][key]:.1f}×" if key and results[b][key] else "" for a, b in pairs]
        print("| " + " | ".join(row) + " |")
    for name in names:
        r = results[name]
        print(f"[{name}] moves by widget kind: {r['moves']}")
        for e in (r["warm_up_errors"] + r["errors"] + r.get("browser_errors", []))[:15]:
            print(f"[{name}] error: {e}")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--targets", default="losslab,bare", help="comma-separated, from losslab, bare (as Streamlit "
                        "serves it) and bare_nodelay (with LossLab's TCP_NODELAY, ui/tcp_nodelay.py)")
    parser.add_argument("--pages", default="", help="comma-separated url paths (default: the 22 loss pages)")
    parser.add_argument("--url", default="", help="measure a server already running here instead")
    parser.add_argument("--server-cpus", default="", help="pin the started servers with taskset, e.g. 0")
    parser.add_argument("--replicas", type=int, default=1,
                        help="LossLab as N replicas behind nginx (deploy/nginx's template), as a course serves it; "
                             "CPU and RSS are the replicas' together")
    parser.add_argument("--client-cpus", default="", help="pin this client, e.g. 1")
    parser.add_argument("--browsers", type=int, default=2, help="Chromium tabs checking LossLab after timing")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--think", default="0.2,0.8",
                        help="seconds between two moves of a student, low,high (default 0.2,0.8: about two moves a "
                             "second each, far busier than a class; 2,6 is a student reading the plot between moves)")
    args = parser.parse_args(argv)
    args.think = tuple(float(v) for v in args.think.split(","))
    unknown = {n for n in args.targets.split(",") if n} - set(TARGETS)
    if unknown:
        parser.error(f"unknown targets {sorted(unknown)}: choose from {sorted(TARGETS)}")
    if len(args.think) != 2 or not 0 < args.think[0] <= args.think[1]:
        parser.error("--think low,high with 0 < low <= high")
    if not 1 <= args.replicas <= 8:
        parser.error("--replicas 1..8")
    if not 1 <= args.sessions <= MAX_SESSIONS or not 1 <= args.seconds <= MAX_SECONDS:
        parser.error(f"--sessions 1..{MAX_SESSIONS} and --seconds 1..{MAX_SECONDS}: a load test stays bounded")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.client_cpus:
        os.sched_setaffinity(0, {int(c) for c in args.client_cpus.split(",")})
    if args.url:
        require_loopback(args.url)
        from losses import REGISTRY
        plan = Plan(pages=[p for p in args.pages.split(",") if p] or list(REGISTRY), think=args.think)
        results = {"server at " + args.url: measure(args.url, [], plan, args)}
    else:
        results = {name: run_target(name, args) for name in args.targets.split(",") if name}
    print_table(results)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "load_test.json").write_text(json.dumps(results, indent=1))
    return 1 if any(r["errors"] or r["warm_up_errors"] or r.get("browser_errors") for r in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())

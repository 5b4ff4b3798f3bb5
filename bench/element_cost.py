"""What one element costs the server on every rerun: the floor under a page's rerun cost (issue 14).

    .venv/bin/python bench/element_cost.py [--count 20] [--runs 40] [--rounds 5]

Starts bench/element_cost_app.py (the bare page of bench/bare_app.py plus `--count` elements of one kind)
once per kind, and the bare page alone, and reruns each with the same protocol-level client
(bench/load_client.py), alternating between servers round by round so a busy machine slows all alike.
Prints server CPU per rerun (/proc utime + stime) and, per element, (page − bare page) / count. A page's
warm rerun is about its fixed cost plus the sum of its elements' costs: with the messages a rerun sends
(bench/rerun_cpu.py prints them), this says how far fewer elements can take it.
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

KINDS = ("markdown", "markdown_joined", "markdown_table", "table", "columns", "slider", "selectbox", "text_area")


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


async def measure(kinds: tuple, count: int, runs: int, rounds: int) -> dict:
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
    finally:
        for proc, _ in servers.values():
            stop(proc)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=20, help="elements of each kind on its page")
    ap.add_argument("--runs", type=int, default=40, help="reruns per server per round")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--kinds", default=",".join(KINDS), help=f"comma-separated, from {','.join(KINDS)}")
    args = ap.parse_args()
    kinds = tuple(k for k in args.kinds.split(",") if k)
    unknown = set(kinds) - set(KINDS)
    if unknown:
        ap.error(f"unknown kinds {sorted(unknown)}")
    result = asyncio.run(measure(kinds, args.count, args.runs, args.rounds))
    bare = result["bare"]
    print(f"\nbare page: {bare:.1f} ms server CPU per rerun (median of {args.rounds} rounds x {args.runs} reruns)")
    print(f"{'kind':18s} {'page ms':>8s} {'per element ms':>15s}")
    for kind in kinds:
        print(f"{kind:18s} {result[kind]:8.1f} {(result[kind] - bare) / args.count:15.3f}")


if __name__ == "__main__":
    main()

"""Server CPU per widget rerun on the "in action" page, for every demo (bench/rerun_cpu.py only reaches the
widgets of the demo shown first).

    .venv/bin/python bench/rerun_in_action.py [--moves 6] [--demos outliers,imbalance,embeddings]

Same client, same cold/warm passes and same bare-page baseline as bench/rerun_cpu.py; each demo is opened
with `?action.demo=<demo>` so its own widgets are the ones moved. The demo picker itself is measured on the
first demo's row set. Results also go to test-artifacts/rerun_in_action.json.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import statistics
from pathlib import Path

import rerun_cpu as rc  # puts the repository, tests/ and bench/ on sys.path

DEMOS = ("outliers", "imbalance", "embeddings")


async def measure_demo(url: str, pid: int, demo: str, moves: int, seed: int) -> list[dict]:
    """rerun_cpu.measure_page, but the page opens with this demo picked."""
    session = rc.BrowserLikeSession(url, rc.SessionLog())
    await session.connect()
    try:
        await session.visit("in_action", f"action.demo={demo}")
        await session.run()
        rows = []
        for wid in [w.id for w in session.page_widgets()]:
            widget = session.widgets.get(wid)
            if widget is None or (demo != DEMOS[0] and wid.endswith("action.demo")):
                continue
            rng, start = rc.random.Random(seed), session.values.get(wid)
            values, current = [], start
            for _ in range(moves):
                current = rc.next_value(widget, current, rng)
                values.append(current)
            passes = []
            for _ in range(2):  # cold, then warm: the same values again
                before = rc.cpu_seconds(pid)
                for value in values:
                    session.values[wid] = value
                    await session.run(fragment_id=widget.fragment_id)
                passes.append((rc.cpu_seconds(pid) - before) / moves * 1000)
            session.values[wid] = start
            await session.run(fragment_id=widget.fragment_id)
            rows.append({"demo": demo, "widget": rc._label(widget), "kind": widget.kind,
                         "fragment": bool(widget.fragment_id), "cold_ms": passes[0], "warm_ms": passes[1]})
            if session.log.errors:
                raise RuntimeError(session.log.errors)
        return rows
    finally:
        await session.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--moves", type=int, default=6)
    parser.add_argument("--demos", default=",".join(DEMOS))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default=str(rc.ROOT / "test-artifacts" / "rerun_in_action.json"))
    args = parser.parse_args()
    bare = rc.run_server("bench/bare_app.py", [""], args.moves, args.seed)
    base = statistics.median(r["warm_ms"] for r in bare)
    rows = []
    with rc.streamlit_server(app="app.py", with_process=True) as (url, proc):
        for demo in [d for d in args.demos.split(",") if d]:
            rows += asyncio.run(measure_demo(url, proc.pid, demo, args.moves, args.seed))
    print(f"\nbare page: {base:.1f} ms per warm rerun (target <= {3 * base:.1f} ms)")
    for r in rows:
        r["ratio"] = r["warm_ms"] / base if base else float("nan")
        print(f"{r['demo']:<11} {r['widget']:<28} {r['kind']:<17} cold {r['cold_ms']:7.1f}  warm {r['warm_ms']:7.1f}"
              f"  {r['ratio']:4.1f}x")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps({"bare_ms": base, "rows": rows}, indent=2))


if __name__ == "__main__":
    main()

"""Server CPU per widget rerun, for every widget of every page, against a bare Streamlit page (issue 14).

    .venv/bin/python bench/rerun_cpu.py [--moves 8] [--pages huber,compare]

One protocol-level client (bench/load_client.py: widgets in their browser wire form, fragment reruns as
the browser sends them) first arrives at each page from another one nine times (the "(page visit)" row: the
first arrival in the process, then the mean of eight), then moves each of its widgets through `--moves`
values, pass after pass: the first pass fills the caches (the "cold" column: a value seen for the first
time), the next ones are the warm cost a class pays again and again (their mean: /proc counts in 10 ms ticks;
the bare page gets more passes). "messages" is what a warm rerun sends (elements, blocks, run bookkeeping):
each costs the server ~0.1-0.5 ms (bench/element_cost.py). CPU is the server process's utime + stime from
/proc/<pid>/stat (clock ticks) around each pass, divided by the reruns. The bare page (bench/bare_app.py: one
st.slider, one 2,000-point Plotly line) is measured with the same client in the same run, by a server of its
own beside LossLab's, before each page and after the last (its median is the ratios' divisor); the target is
≤ 3× its warm cost.
Results also go to test-artifacts/rerun_cpu.json.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "bench")]

from browser import streamlit_server  # noqa: E402
from load_client import BrowserLikeSession, SessionLog  # noqa: E402
from servers import proc_stat  # noqa: E402
from widget_kinds import next_value  # noqa: E402

# /proc counts CPU in 10 ms ticks: one pass of 8 reruns resolves 1.25 ms, about a fifth of the bare page's
# rerun. The warm cost is the mean of several passes; the bare page, every ratio's divisor, gets more.
WARM_PASSES = 3
BARE_WARM_PASSES = 6

# Course pages; "page?query" opens a page in a given state, so the widgets of each in-action demo and each
# origins part are reached too.
COURSE = ("compare", "theory", "in_action", "in_action?action.demo=imbalance", "in_action?action.demo=embeddings",
          "origins", "origins?origins.part=surrogates", "origins?origins.part=landscapes", "choose", "glossary", "")


def _label(widget) -> str:
    """The widget's user key (its id ends with it), or its kind."""
    return widget.id.rsplit("-", 1)[-1] if "-" in widget.id else widget.kind


async def measure_visits(session: BrowserLikeSession, pid: int, page: str, visits: int) -> dict:
    """A student arriving at the page from another one (the home page, or the glossary for the home page), as
    in a class: the first arrival in this server process (cold), then the mean of `visits` more (warm)."""
    path, _, query = page.partition("?")
    costs, messages = [], 0
    for _ in range(visits + 1):
        await session.visit("" if path else "glossary", query)
        before = proc_stat(pid)[0]
        await session.visit(path, query)
        costs.append((proc_stat(pid)[0] - before) * 1000)
        messages = session.last_messages
    # The mean, not the median: /proc counts CPU in 10 ms ticks, about a visit's cost.
    return {"page": page, "widget": "(page visit)", "kind": "page", "fragment": False, "cold_ms": costs[0],
            "warm_ms": statistics.mean(costs[1:]), "messages": messages}


async def measure_page(url: str, pid: int, page: str, moves: int, seed: int, with_visits: bool = True,
                       warm_passes: int = WARM_PASSES) -> list[dict]:
    session = BrowserLikeSession(url, SessionLog())
    await session.connect()
    try:
        path, _, query = page.partition("?")
        rows = [await measure_visits(session, pid, page, visits=8)] if with_visits else []
        await session.visit(path, query)
        await session.run()  # the page's own widgets are known after its first full run
        for wid in [w.id for w in session.page_widgets()]:
            widget = session.widgets.get(wid)
            if widget is None:  # a widget that an earlier move removed from the page
                continue
            rng, start = random.Random(seed), session.values.get(wid)
            values, current = [], start
            for _ in range(moves):
                current = next_value(widget, current, rng)
                values.append(current)
            passes, messages = [], 0
            for _ in range(1 + warm_passes):  # cold, then warm: the same values again
                before, messages = proc_stat(pid)[0], 0
                for value in values:
                    session.values[wid] = value
                    await session.run(fragment_id=widget.fragment_id)
                    messages += session.last_messages
                passes.append((proc_stat(pid)[0] - before) / moves * 1000)
            session.values[wid] = start  # put it back, so the next widget starts from the page's defaults
            await session.run(fragment_id=widget.fragment_id)
            rows.append({"page": page, "widget": _label(widget), "kind": widget.kind,
                         "fragment": bool(widget.fragment_id), "cold_ms": passes[0],
                         "warm_ms": statistics.mean(passes[1:]),
                         "messages": messages / moves})
        return rows
    finally:
        await session.close()


def _print(rows: list[dict]) -> None:
    for r in rows:
        print(f"{r['page']:<32} {r['widget']:<28} {r['kind']:<13} cold {r['cold_ms']:7.1f} ms"
              f"  warm {r['warm_ms']:7.1f} ms  {r['messages']:5.0f} messages", flush=True)


def run_servers(pages: list[str], moves: int, seed: int) -> tuple[list[dict], list[dict]]:
    """(LossLab's rows, the bare page's rows). Both servers run side by side and the bare page is measured
    again before each LossLab page and after the last: on this shared machine a server's cost drifts by
    ±25% within minutes, and the bare page is every ratio's divisor."""
    with streamlit_server(app="bench/bare_app.py", with_process=True) as (bare_url, bare_proc), \
            streamlit_server(app="app.py", with_process=True) as (url, proc):
        rows, bare = [], []
        for page in pages + [None]:
            found = asyncio.run(measure_page(bare_url, bare_proc.pid, "", moves, seed, with_visits=False,
                                             warm_passes=BARE_WARM_PASSES))  # one page: no visits
            _print(found)
            bare += found
            if page is not None:
                found = asyncio.run(measure_page(url, proc.pid, page, moves, seed))
                _print(found)
                rows += found
        return rows, bare


def main() -> None:
    from losses import REGISTRY
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--moves", type=int, default=8)
    parser.add_argument("--pages", default="", help="comma-separated url paths, each optionally with ?query "
                                                     "(default: every page, each in-action demo and origins part)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default=str(ROOT / "test-artifacts" / "rerun_cpu.json"))
    args = parser.parse_args()
    pages = [p for p in args.pages.split(",") if p] or list(REGISTRY) + list(COURSE)

    rows, bare = run_servers(pages, args.moves, args.seed)
    base = statistics.median(r["warm_ms"] for r in bare)

    print(f"\nbare page: {base:.1f} ms server CPU per warm rerun, median of {len(bare)} measures between the pages "
          f"(range {min(r['warm_ms'] for r in bare):.1f}-{max(r['warm_ms'] for r in bare):.1f}; "
          f"target for every widget: <= {3 * base:.1f} ms)")
    print(f"{'page':<32} {'widget':<28} {'kind':<13} {'cold ms':>8} {'warm ms':>8} {'ratio':>6} {'messages':>8}")
    for r in rows:
        r["ratio"] = r["warm_ms"] / base if base else float("nan")
        print(f"{r['page']:<32} {r['widget']:<28} {r['kind']:<13} {r['cold_ms']:8.1f} {r['warm_ms']:8.1f} "
              f"{r['ratio']:5.1f}x {r['messages']:8.0f}")
    widgets = [r for r in rows if r["kind"] != "page"]
    warm = [r["warm_ms"] for r in widgets]
    over = [r for r in widgets if r["ratio"] > 3]
    print(f"\n{len(widgets)} widgets on {len(pages)} pages: warm median {statistics.median(warm):.1f} ms "
          f"({statistics.median(warm) / base:.1f}x), max {max(warm):.1f} ms; {len(over)} above 3x")
    visits = [r["warm_ms"] for r in rows if r["kind"] == "page"]
    print(f"page visits: warm median {statistics.median(visits):.1f} ms, max {max(visits):.1f} ms "
          f"(a visit is a full run of the page; the bare page's is its rerun)")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps({"bare_ms": base, "rows": rows}, indent=2))


if __name__ == "__main__":
    main()

"""Wall time of each "Loss in action" demo at its default settings (the budget is 3 s per demo on 2 CPU cores).

    .venv/bin/python bench/bench_in_action.py [--repeat 5] [--device cpu|cuda] [--no-app]

Measures, in this fresh process:
  1. import torch, and warm_up(): the first optimizer.step() imports torch._dynamo; the page pays it once per
     server process (before the first demo), so it is reported apart from the demos;
  2. each demo's training (data + every model it shows, as losses.training.run_* does) plus building its
     Plotly figures, `--repeat` times: first, median and max wall time, and the median CPU time;
  3. unless --no-app: the whole page per demo through Streamlit's AppTest with an empty cache (script, training,
     progress bars, figures, serialisation), then once more with the cache warm (a rerun that trains nothing).
Exits 1 if a demo's median training + figures time is 3 s or more. The machine is shared: the load average
is printed with the numbers.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BUDGET_S = 3.0
DEMOS = ("outliers", "imbalance", "embeddings")


def _figures(demo: str, result) -> None:
    from ui import in_action_figures as figs
    data, fits = result
    if demo == "outliers":
        names = {n: n for n in fits}
        figs.line_figure(data, fits, names, dict(inliers="", outliers="", true_line="", x="", y="", title=""))
        figs.error_bar_figure(fits, names, {"title": ""})
        figs.line_training_figure(fits, names, dict(loss_title="", error_title="", step="", loss="", error=""))
    elif demo == "imbalance":
        names = {n: n for n in fits}
        figs.boundary_figure(data, fits, names, dict(negatives="", positives="", prob="", boundary=""))
        figs.scores_figure(fits, names, dict(title="", precision="", recall="", f1=""))
        figs.loss_curves_figure({n: f.losses for n, f in fits.items()}, names, dict(title="", step="", loss=""))
    else:
        classes = [str(c) for c in range(int(fits.y.max()) + 1)]
        labels = dict(title="", classes=classes, play="", pause="", step="")
        figs.embedding_figure(fits, 0, labels)
        figs.embedding_animation(fits, labels)
        figs.embedding_progress_figure(fits, dict(loss_title="", acc_title="", train_loss="", heldout_loss="",
                                                  knn="", step="", loss="", accuracy="", chance=""))


def bench_functions(repeat: int, device: str) -> dict[str, tuple[list[float], list[float]]]:
    """{demo: (wall seconds, CPU seconds of this process)} per run."""
    from losses import training as T
    runs = {"outliers": T.run_outliers, "imbalance": T.run_imbalance, "embeddings": T.run_embeddings}
    times: dict[str, tuple[list[float], list[float]]] = {}
    for demo in DEMOS:
        times[demo] = ([], [])
        for _ in range(repeat):
            start, cpu = time.perf_counter(), time.process_time()
            _figures(demo, runs[demo](0, device=device))
            times[demo][0].append(time.perf_counter() - start)
            times[demo][1].append(time.process_time() - cpu)
    return times


def bench_app(device: str) -> dict[str, tuple[float, float]]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest
    sys.path.insert(0, str(ROOT / "tests"))
    import conftest  # noqa: F401  (AppTest runs app.py like the real server: see tests/conftest.py)
    out = {}
    for demo in DEMOS:
        st.cache_data.clear()
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.query_params["action.demo"] = demo
        if device != "cpu":
            at.query_params["device"] = device
        at.run()
        at.switch_page("pages/in_action.py")
        start = time.perf_counter()
        at.run()
        cold = time.perf_counter() - start
        assert not at.exception, [e.value for e in at.exception]
        start = time.perf_counter()
        at.run()
        warm = time.perf_counter() - start
        out[demo] = (cold, warm)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--device", default="cpu", choices=("cpu", "cuda"))
    parser.add_argument("--no-app", action="store_true", help="skip the AppTest page measurement")
    args = parser.parse_args()

    start = time.perf_counter()
    import torch
    import_s = time.perf_counter() - start
    if args.device == "cuda" and not torch.cuda.is_available():
        print("CUDA is not available on this machine")
        return 2
    from losses import training as T
    start = time.perf_counter()
    T.warm_up()
    warm_s = time.perf_counter() - start

    load = os.getloadavg()
    print(f"torch {torch.__version__}, device {args.device}, {os.cpu_count()} CPUs, "
          f"torch threads {torch.get_num_threads()} (training uses 1), load average {load[0]:.2f} {load[1]:.2f}")
    print(f"import torch: {import_s:.2f} s; warm_up (first optimizer.step imports torch._dynamo): {warm_s:.2f} s")
    print(f"\ntraining + figures at default settings, {args.repeat} runs each (budget {BUDGET_S:.0f} s):")
    print("(wall: what a user waits on this machine now; CPU: this process's CPU time, what an idle machine takes)")
    print(f"{'demo':<12}{'first':>9}{'median':>9}{'max':>9}{'CPU med':>9}  settings")
    times = bench_functions(args.repeat, args.device)
    defaults = {"outliers": T.OUTLIER_DEFAULTS, "imbalance": T.IMBALANCE_DEFAULTS, "embeddings": T.EMBEDDING_DEFAULTS}
    failed = []
    for demo in DEMOS:
        wall, cpu = times[demo]
        med = statistics.median(wall)
        if med >= BUDGET_S:
            failed.append(demo)
        print(f"{demo:<12}{wall[0]:>8.2f}s{med:>8.2f}s{max(wall):>8.2f}s{statistics.median(cpu):>8.2f}s  "
              f"{defaults[demo]}")
    if not args.no_app:
        print("\nwhole page through AppTest (empty cache → trains; then a rerun with the cache warm):")
        for demo, (cold, warm) in bench_app(args.device).items():
            print(f"{demo:<12}{cold:>8.2f}s cold {warm:>6.2f}s cached")
    load = os.getloadavg()
    print(f"\nload average at the end: {load[0]:.2f} {load[1]:.2f}")
    if failed:
        print(f"FAIL: over {BUDGET_S:.0f} s at default settings: {', '.join(failed)}")
        return 1
    print(f"OK: every demo under {BUDGET_S:.0f} s at its default settings")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""What the "Loss in action" trainings share: defaults, progress reports, one-thread runs, a warm optimizer."""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Callable

import numpy as np
import torch
import torch.nn.functional as F

Progress = Callable[[float], None] | None

REG_LOSSES = ("mse", "l1", "smooth_l1", "huber")
CLS_LOSSES = ("bce", "bce_pos_weight", "focal")
MINING = ("random", "semi_hard", "hard")
PROGRESS_UPDATES = 20

# Default settings of each demo (the page's sliders start here; bench/bench_in_action.py times them).
OUTLIER_DEFAULTS = {"outlier_frac": 0.15, "outlier_size": 8.0, "delta": 1.0, "beta": 1.0, "lr": 0.05, "steps": 300}
IMBALANCE_DEFAULTS = {"pos_frac": 0.05, "alpha": 0.75, "gamma": 2.0, "lr": 0.03, "steps": 300}
EMBEDDING_DEFAULTS = {"n_classes": 4, "margin": 1.0, "mining": "random", "lr": 0.01, "steps": 200}


_warm = False


def warm_up() -> None:
    """The first optimizer.step() in a process imports torch._dynamo (~2 s): pay it once, up front."""
    global _warm
    if _warm:
        return
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.Adam([p], lr=0.1)
    p.sum().backward()
    opt.step()
    _warm = True


def is_warm() -> bool:
    return _warm


def one_thread(fn):
    """Run a training with one intra-op thread, then restore the caller's setting. These tensors are tiny:
    a second OpenMP thread gains nothing and, on a busy 2-core machine, its barrier waits made a 100-step
    classifier run take 10-14 s instead of 0.7 s (measured with load ~9). The setting is per thread
    (OpenMP), so other Streamlit sessions are not affected."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        previous = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            return fn(*args, **kwargs)
        finally:
            torch.set_num_threads(previous)
    return wrapper


def _ticks(steps: int) -> set[int]:
    """The steps after which progress is reported (about PROGRESS_UPDATES of them, the last included)."""
    every = max(1, steps // PROGRESS_UPDATES)
    return set(range(every - 1, steps, every)) | {steps - 1}


def _report(progress: Progress, step: int, steps: int, ticks: set[int]) -> None:
    if progress is not None and step in ticks:
        progress((step + 1) / steps)


def _generator(seed: int) -> torch.Generator:
    return torch.Generator().manual_seed(int(seed))

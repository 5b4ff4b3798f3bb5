"""Where torch runs: CPU always, CUDA when this machine has a GPU. Timing that is honest on both."""
from __future__ import annotations

import time
from functools import lru_cache


@lru_cache(maxsize=1)
def available_devices() -> tuple[str, ...]:
    import torch
    return ("cpu", "cuda") if torch.cuda.is_available() else ("cpu",)


def device_name(device: str) -> str:
    import torch
    if device == "cuda" and torch.cuda.is_available():
        return f"cuda ({torch.cuda.get_device_name(0)})"
    return "cpu"


def timed(fn, device: str = "cpu"):
    """Run fn() and return (result, milliseconds). CUDA is asynchronous: synchronise around it."""
    import torch
    sync = device == "cuda" and torch.cuda.is_available()
    if sync:
        torch.cuda.synchronize()
    start = time.perf_counter()
    result = fn()
    if sync:
        torch.cuda.synchronize()
    return result, (time.perf_counter() - start) * 1000.0

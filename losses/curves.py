"""1-D sweeps: each series' elementwise loss and its torch.autograd gradient over the swept input."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .spec import LossSpec


@dataclass(frozen=True)
class SeriesData:
    name: dict
    dash: str
    visible: bool
    loss: np.ndarray
    grad: np.ndarray


@dataclass(frozen=True)
class CurveData:
    x: np.ndarray
    series: tuple[SeriesData, ...]
    markers: tuple


def sweep(spec: LossSpec, params: dict, n: int | None = None, x_range=None) -> CurveData:
    """Loss and d(loss)/dx for every series of spec.curve. Gradients come from autograd, never by hand."""
    import torch
    curve = spec.curve
    if curve is None:
        raise ValueError(f"{spec.slug} has no 1-D curve")
    p = spec.resolve_params(params)
    lo, hi = x_range or curve.x_range
    x_np = np.linspace(lo, hi, n or curve.n)
    out = []
    for s in curve.series:
        x = torch.tensor(x_np, dtype=torch.float64, requires_grad=True)
        y = s.fn(x, p)
        # Each y[i] depends on x[i] only, so the gradient of the sum is the pointwise derivative.
        (g,) = torch.autograd.grad(y.sum(), x)
        out.append(SeriesData(s.name, s.dash, s.visible, y.detach().numpy(), g.numpy()))
    markers = tuple(curve.markers(p)) if curve.markers else ()
    return CurveData(x_np, tuple(out), markers)


def main_param(spec: LossSpec):
    """The hyperparameter the plot animates without a server round trip: the first float curve param."""
    if spec.curve is None:
        return None
    return next((p for p in spec.params if p.kind == "float" and p.curve), None)


def frame_grid(param, max_frames: int = 41) -> tuple[float, ...]:
    """Positions of the precomputed frames: on the parameter's step grid, through the default value, at
    most max_frames, both ends included (the grid is thinned to every k-th step beyond that). A committed
    value between frames gets its own frame when the page is drawn (ui/curve_view.py)."""
    return _frame_grid(param.lo, param.hi, param.step, param.default, max_frames)


@lru_cache(maxsize=256)  # every rerun of a plot asks (NumPy set operations: ~0.2 ms)
def _frame_grid(lo: float, hi: float, step: float | None, default: float, max_frames: int) -> tuple[float, ...]:
    step = step or (hi - lo) / 100
    n_steps = int(round((hi - lo) / step))
    stride = max(1, -(-n_steps // (max_frames - 3)))  # ceil, leaving room for both ends
    anchor = int(round((default - lo) / step))
    index = np.union1d(np.arange(anchor % stride, n_steps + 1, stride), [0, n_steps])
    values = np.round(lo + index * step, 10)
    return tuple(float(v) for v in values if lo - 1e-12 <= v <= hi + 1e-12)


def sweep_frames(spec: LossSpec, params: dict, name: str, values: list[float], n: int = 241) -> list[CurveData]:
    """sweep(spec, {**params, name: v}, n) for every v, the same numbers. torch's loss functions take their
    hyperparameters as Python floats, so the forward passes loop over values; each series' inputs are the
    rows of one leaf tensor, and one autograd call gives every frame's gradient (row i of the gradient of
    the sum is frame i's pointwise derivative): one backward pass per series instead of one per frame."""
    import torch
    curve = spec.curve
    if curve is None:
        raise ValueError(f"{spec.slug} has no 1-D curve")
    resolved = [spec.resolve_params({**params, name: v}) for v in values]
    lo, hi = curve.x_range
    x_np = np.linspace(lo, hi, n)
    columns = []
    for s in curve.series:
        x = torch.tensor(np.tile(x_np, (len(values), 1)), dtype=torch.float64, requires_grad=True)
        ys = [s.fn(x[i], p) for i, p in enumerate(resolved)]
        (g,) = torch.autograd.grad(sum(y.sum() for y in ys), x)
        columns.append([SeriesData(s.name, s.dash, s.visible, y.detach().numpy(), g[i].numpy())
                        for i, y in enumerate(ys)])
    return [CurveData(x_np, tuple(col[i] for col in columns), tuple(curve.markers(p)) if curve.markers else ())
            for i, p in enumerate(resolved)]

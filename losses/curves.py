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
    curve = _curve(spec)
    lo, hi = x_range or curve.x_range
    return _sweeps(spec, [spec.resolve_params(params)], np.linspace(lo, hi, n or curve.n))[0]


def _curve(spec: LossSpec):
    if spec.curve is None:
        raise ValueError(f"{spec.slug} has no 1-D curve")
    return spec.curve


def _sweeps(spec: LossSpec, resolved: list[dict], x_np: np.ndarray) -> list[CurveData]:
    """One sweep per resolved hyperparameter set. torch's loss functions take hyperparameters as Python
    floats, so the forward passes loop over the sets; each series' inputs are the rows of one leaf tensor,
    and one autograd call gives every row's gradient: each y[i] depends on x[i] only, so row k of the
    gradient of the sum is sweep k's pointwise derivative. One backward pass per series, not per sweep."""
    import torch
    curve = spec.curve
    columns = []
    for s in curve.series:
        x = torch.tensor(np.tile(x_np, (len(resolved), 1)), dtype=torch.float64, requires_grad=True)
        ys = [s.fn(x[k], p) for k, p in enumerate(resolved)]
        (g,) = torch.autograd.grad(sum(y.sum() for y in ys), x)
        columns.append([SeriesData(s.name, s.dash, s.visible, y.detach().numpy(), g[k].numpy())
                        for k, y in enumerate(ys)])
    return [CurveData(x_np, tuple(col[k] for col in columns), tuple(curve.markers(p)) if curve.markers else ())
            for k, p in enumerate(resolved)]


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
    """sweep(spec, {**params, name: v}, n) for every v, the same numbers, in one batch (_sweeps)."""
    lo, hi = _curve(spec).x_range
    return _sweeps(spec, [spec.resolve_params({**params, name: v}) for v in values], np.linspace(lo, hi, n))

"""1-D sweeps: each series' elementwise loss and its torch.autograd gradient over the swept input."""
from __future__ import annotations

from dataclasses import dataclass

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

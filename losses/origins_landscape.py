"""Loss landscapes of a two-parameter model (w, b) on a small data set, computed by torch (pure: no Streamlit).

    regression   ŷ = w·x + b          MSE, L1 or Huber(δ)
    logistic     p = sigmoid(w·x + b)  BCE (binary_cross_entropy_with_logits)

grid() evaluates the mean loss on a (w, b) grid in one broadcast torch call; descent_path() runs plain
gradient descent with autograd (w ← w − lr·∂L/∂w); minimum() finds the minimiser; creases() gives the lines
w·x_i + b = y_i along which the L1 surface has a kink. Outliers: points far below the line on the right
(regression) or wrongly labelled 0 on the right (logistic).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import torch
import torch.nn.functional as F

LOSSES = ("mse", "l1", "huber", "bce")
MAX_OUTLIERS = 6
N_POINTS = 16
TRUE_W, TRUE_B = 1.2, 0.5
OUTLIER_DROP = 6.0          # regression outliers sit this far below the true line
# (w range, b range) shown for each kind of model; the start sliders use the same ranges
RANGES = {"regression": ((-1.5, 4.0), (-2.5, 3.5)), "logistic": ((-2.0, 8.0), (-5.0, 5.0))}
DT = torch.float64


def kind(loss: str) -> str:
    return "logistic" if loss == "bce" else "regression"


@lru_cache(maxsize=32)
def dataset(loss: str, n_outliers: int) -> tuple[torch.Tensor, torch.Tensor]:
    """x and y (targets, or 0/1 labels) with n_outliers extra points; the same clean points every time."""
    g = torch.Generator().manual_seed(18)
    x = torch.linspace(-2, 2, N_POINTS, dtype=DT)
    noise = torch.randn(N_POINTS, generator=g, dtype=DT)
    x_out = torch.linspace(1.0, 2.0, MAX_OUTLIERS, dtype=DT)[:n_outliers]
    if kind(loss) == "regression":
        y = TRUE_W * x + TRUE_B + 0.4 * noise
        y_out = TRUE_W * x_out + TRUE_B - OUTLIER_DROP
    else:
        y = (TRUE_W * x + TRUE_B + 1.5 * noise > 0).to(DT)
        y_out = torch.zeros_like(x_out)
    return torch.cat([x, x_out]), torch.cat([y, y_out])


def mean_loss(loss: str, w: torch.Tensor, b: torch.Tensor, x: torch.Tensor, y: torch.Tensor,
              delta: float = 1.0) -> torch.Tensor:
    """The data set's mean loss at parameters of any (same) shape: broadcast over a trailing data axis."""
    pred = w[..., None] * x + b[..., None]
    target = y.expand_as(pred)
    if loss == "mse":
        per = F.mse_loss(pred, target, reduction="none")
    elif loss == "l1":
        per = F.l1_loss(pred, target, reduction="none")
    elif loss == "huber":
        per = F.huber_loss(pred, target, reduction="none", delta=delta)
    elif loss == "bce":
        per = F.binary_cross_entropy_with_logits(pred, target, reduction="none")
    else:
        raise KeyError(loss)
    return per.mean(-1)


@dataclass(frozen=True)
class Grid:
    w: np.ndarray       # (n,)
    b: np.ndarray       # (n,)
    z: np.ndarray       # (n_b, n_w): z[i, j] = L(w[j], b[i]), Plotly's contour layout


def grid(loss: str, delta: float, n_outliers: int, n: int = 121) -> Grid:
    (w_lo, w_hi), (b_lo, b_hi) = RANGES[kind(loss)]
    w = torch.linspace(w_lo, w_hi, n, dtype=DT)
    b = torch.linspace(b_lo, b_hi, n, dtype=DT)
    bb, ww = torch.meshgrid(b, w, indexing="ij")
    x, y = dataset(loss, n_outliers)
    return Grid(w.numpy(), b.numpy(), mean_loss(loss, ww, bb, x, y, delta).numpy())


@dataclass(frozen=True)
class Path:
    points: np.ndarray  # (steps + 1, 2): (w, b) after each step, the start first
    losses: np.ndarray  # (steps + 1,)


@lru_cache(maxsize=256)   # the contour, the path plot and the summary all need the same path: compute it once
def descent_path(loss: str, delta: float, n_outliers: int, start: tuple[float, float], lr: float,
                 steps: int) -> Path:
    """Plain gradient descent from `start`: each step subtracts lr times the autograd gradient."""
    x, y = dataset(loss, n_outliers)
    params = torch.tensor(start, dtype=DT, requires_grad=True)
    points, losses = [], []
    for _ in range(steps):
        value = mean_loss(loss, params[0], params[1], x, y, delta)
        points.append(params.detach().clone())
        losses.append(value.detach())
        (grad,) = torch.autograd.grad(value, params)
        with torch.no_grad():
            params -= lr * grad
    points.append(params.detach().clone())
    losses.append(mean_loss(loss, params[0], params[1], x, y, delta).detach())
    return Path(torch.stack(points).numpy(), torch.stack(losses).numpy())


@lru_cache(maxsize=256)   # four refined grids per call; each setting asks for it several times
def minimum(loss: str, delta: float, n_outliers: int) -> tuple[float, float, float]:
    """(w*, b*, L*): least squares for MSE; otherwise the best point of a coarse grid refined twice
    (the L1 minimum sits on a crease, where gradient steps zig-zag instead of converging)."""
    x, y = dataset(loss, n_outliers)
    if loss == "mse":
        design = torch.stack([x, torch.ones_like(x)], dim=1)
        w, b = torch.linalg.lstsq(design, y[:, None]).solution[:, 0]
        return float(w), float(b), float(mean_loss(loss, w, b, x, y))
    (w_lo, w_hi), (b_lo, b_hi) = RANGES[kind(loss)]
    cw, cb, hw, hb = (w_lo + w_hi) / 2, (b_lo + b_hi) / 2, (w_hi - w_lo) / 2, (b_hi - b_lo) / 2
    for _ in range(4):
        w = torch.linspace(cw - hw, cw + hw, 201, dtype=DT)
        b = torch.linspace(cb - hb, cb + hb, 201, dtype=DT)
        bb, ww = torch.meshgrid(b, w, indexing="ij")
        z = mean_loss(loss, ww, bb, x, y, delta)
        i = int(z.argmin())
        cw, cb = float(ww.flatten()[i]), float(bb.flatten()[i])
        hw, hb = hw / 20, hb / 20
    value = mean_loss(loss, torch.tensor(cw, dtype=DT), torch.tensor(cb, dtype=DT), x, y, delta)
    return cw, cb, float(value)


def creases(loss: str, n_outliers: int) -> list[tuple[float, float]]:
    """Each data point's line b = y_i − w·x_i as (slope −x_i, intercept y_i): where its residual is 0, and
    so where |residual| — and with it the L1 surface — has a kink."""
    x, y = dataset(loss, n_outliers)
    return [(-float(xi), float(yi)) for xi, yi in zip(x, y)]


def slice_through(loss: str, delta: float, n_outliers: int, w: float, n: int = 401) -> tuple[np.ndarray, np.ndarray]:
    """L(w, b) along b at fixed w: a parabola for MSE, a broken line with one kink per point for L1."""
    (b_lo, b_hi) = RANGES[kind(loss)][1]
    x, y = dataset(loss, n_outliers)
    b = torch.linspace(b_lo, b_hi, n, dtype=DT)
    return b.numpy(), mean_loss(loss, torch.full_like(b, w), b, x, y, delta).numpy()


def minimum_shift(loss: str, delta: float, n_outliers: int) -> float:
    """How far (Euclidean, in (w, b)) the minimum moves when the outliers are added."""
    w0, b0, _ = minimum(loss, delta, 0)
    w1, b1, _ = minimum(loss, delta, n_outliers)
    return float(np.hypot(w1 - w0, b1 - b0))

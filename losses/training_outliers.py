"""Demo 1, outliers: fit y = w·x + b with MSE, L1, SmoothL1 and Huber on data with a few gross outliers."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from .training_common import Progress, REG_LOSSES, _report, _ticks, one_thread

# ---------------------------------------------------------------------------------------------------
# 1. Outliers: robust regression
# ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class LineData:
    x: np.ndarray
    y: np.ndarray
    outlier: np.ndarray  # bool mask
    w_true: float
    b_true: float


def make_line_data(seed: int, outlier_frac: float = 0.15, outlier_size: float = 8.0, n: int = 80,
                   noise: float = 0.5) -> LineData:
    """y = w·x + b + noise on x ∈ [−3, 3]; a fraction of the points is pushed up by about `outlier_size`."""
    rng = np.random.default_rng(seed)
    w = float(rng.uniform(-1.5, 1.5))
    b = float(rng.uniform(-1.0, 1.0))
    x = np.sort(rng.uniform(-3, 3, n))
    y = w * x + b + rng.normal(0, noise, n)
    k = int(round(outlier_frac * n))
    mask = np.zeros(n, dtype=bool)
    if k:
        idx = rng.choice(n, size=k, replace=False)
        mask[idx] = True
        y[idx] += outlier_size * rng.uniform(0.75, 1.25, k)
    return LineData(x=x, y=y, outlier=mask, w_true=w, b_true=b)


def regression_loss(name: str, pred: torch.Tensor, target: torch.Tensor, delta: float = 1.0,
                    beta: float = 1.0) -> torch.Tensor:
    if name == "mse":
        return F.mse_loss(pred, target)
    if name == "l1":
        return F.l1_loss(pred, target)
    if name == "smooth_l1":
        return F.smooth_l1_loss(pred, target, beta=beta)
    if name == "huber":
        return F.huber_loss(pred, target, delta=delta)
    raise ValueError(f"unknown regression loss {name!r}")


@dataclass(frozen=True)
class LineFit:
    loss: str
    w: float
    b: float
    losses: np.ndarray      # training loss before each step
    param_error: np.ndarray  # ‖(w, b) − (w*, b*)‖ before each step, then after the last
    w_path: np.ndarray
    b_path: np.ndarray

    @property
    def final_error(self) -> float:
        return float(self.param_error[-1])


@one_thread
def fit_lines(data: LineData, losses: tuple[str, ...] = REG_LOSSES, lr: float = 0.05, steps: int = 300,
              delta: float = 1.0, beta: float = 1.0, device: str = "cpu", progress: Progress = None) -> dict[str, LineFit]:
    """Full-batch Adam on y = w·x + b, one model per loss, all from w = b = 0.

    The models train side by side: their (w, b) are the rows of one (M, 2) parameter and the objective is
    the sum of their losses. Each row's gradient is its own loss's gradient and Adam works elementwise, so
    this is exactly M separate trainings (tests/test_in_action.py checks it), at the cost of about one."""
    x = torch.as_tensor(data.x, dtype=torch.float32).to(device)
    y = torch.as_tensor(data.y, dtype=torch.float32).to(device)
    m = len(losses)
    params = torch.zeros(m, 2, device=device, requires_grad=True)
    opt = torch.optim.Adam([params], lr=lr)
    true = torch.tensor([data.w_true, data.b_true], dtype=torch.float32, device=device)
    history = torch.empty(steps, m, device=device)
    path = torch.empty(steps + 1, m, 2, device=device)
    ticks = _ticks(steps)
    for step in range(steps):
        path[step] = params.detach()
        opt.zero_grad(set_to_none=True)
        pred = params[:, :1] * x + params[:, 1:]
        values = torch.stack([regression_loss(name, pred[i], y, delta=delta, beta=beta)
                              for i, name in enumerate(losses)])
        values.sum().backward()
        opt.step()
        history[step] = values.detach()
        _report(progress, step, steps, ticks)
    path[steps] = params.detach()
    err = torch.linalg.vector_norm(path - true, dim=2).cpu().double().numpy()
    path_np = path.cpu().double().numpy()
    hist = history.cpu().double().numpy()
    return {name: LineFit(loss=name, w=float(path_np[-1, i, 0]), b=float(path_np[-1, i, 1]), losses=hist[:, i],
                          param_error=err[:, i], w_path=path_np[:, i, 0], b_path=path_np[:, i, 1])
            for i, name in enumerate(losses)}


def fit_line(data: LineData, loss: str, **kwargs) -> LineFit:
    """One loss alone (fit_lines with a single model)."""
    return fit_lines(data, (loss,), **kwargs)[loss]

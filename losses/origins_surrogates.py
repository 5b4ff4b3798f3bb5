"""Surrogates of the 0-1 loss on the margin m = y·f(x), y ∈ {−1, +1}, built from torch's own losses
(pure: no Streamlit).

    hinge          2 · multi_margin_loss([0, f], class of y, p=1)   (torch divides by the C = 2 classes)
    squared_hinge  2 · multi_margin_loss(..., p=2)
    logistic       soft_margin_loss(f, y) = binary_cross_entropy_with_logits(f, (y + 1)/2)
    exponential    exp(−m), written with torch ops: not a torch loss (AdaBoost's)
    zero_one       1[m ≤ 0]: what we want to minimise; its gradient is 0 wherever it exists

Gradients come from torch.autograd. A convex surrogate φ is classification-calibrated (minimising its
expected value gives the Bayes classifier's sign) iff φ is differentiable at 0 with φ'(0) < 0
(Bartlett, Jordan & McAuliffe, 2006); calibration() checks that with one-sided autograd derivatives, and
risk_minimiser() shows the consequence.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

SURROGATES = ("zero_one", "hinge", "squared_hinge", "logistic", "exponential")
CONVEX = SURROGATES[1:]
TORCH_CALL = {"zero_one": "(m <= 0).float()", "hinge": "2 * F.multi_margin_loss(s, c, p=1, margin=μ)",
              "squared_hinge": "2 * F.multi_margin_loss(s, c, p=2, margin=μ)",
              "logistic": "F.soft_margin_loss(f, y)", "exponential": "torch.exp(-m)"}
DT = torch.float64
SIDE = 1e-6     # one-sided derivatives at 0 are taken at ±SIDE


def _two_class_scores(f: torch.Tensor) -> torch.Tensor:
    """Scores for classes (−1, +1) as two columns [0, f]: the score gap of the true class is then y·f."""
    return torch.stack([torch.zeros_like(f), f], dim=-1)


def _class_index(y: torch.Tensor) -> torch.Tensor:
    return ((y + 1) / 2).long()


def surrogate(name: str, f: torch.Tensor, y: torch.Tensor, margin: float = 1.0) -> torch.Tensor:
    """Per-example loss of the score f for the label y ∈ {−1, +1}; `margin` is the hinges' μ."""
    if name == "zero_one":
        return (y * f <= 0).to(f.dtype) + 0 * f      # + 0·f: a graph, so autograd returns zeros, not an error
    if name in ("hinge", "squared_hinge"):
        p = 1 if name == "hinge" else 2
        flat = F.multi_margin_loss(_two_class_scores(f.reshape(-1)), _class_index(y.reshape(-1)), p=p,
                                   margin=margin, reduction="none")
        return 2 * flat.reshape(f.shape)
    if name == "logistic":
        return F.soft_margin_loss(f, y, reduction="none")
    if name == "exponential":
        return torch.exp(-y * f)
    raise KeyError(name)


def values_and_grads(name: str, m, margin: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """φ(m) and dφ/dm by autograd, for labels y = +1 (so f = m)."""
    m = torch.as_tensor(np.asarray(m, dtype=np.float64), dtype=DT).clone().requires_grad_(True)
    loss = surrogate(name, m, torch.ones_like(m), margin)
    (grad,) = torch.autograd.grad(loss.sum(), m)
    return loss.detach().numpy(), grad.numpy()


@dataclass(frozen=True)
class Calibration:
    left: float             # φ'(0⁻)
    right: float            # φ'(0⁺)
    calibrated: bool


def calibration(name: str, margin: float = 1.0) -> Calibration:
    _, grads = values_and_grads(name, [-SIDE, SIDE], margin)
    left, right = float(grads[0]), float(grads[1])
    differentiable = abs(left - right) < 1e-3
    return Calibration(left, right, differentiable and right < -1e-3)


def risk_minimiser(name: str, eta: float, margin: float = 1.0, n: int = 1601, span: float = 4.0) -> tuple[float, np.ndarray,
                                                                                                          np.ndarray]:
    """The score f* that minimises the conditional risk η·φ(f) + (1 − η)·φ(−f) on a grid (torch),
    with the grid and the risk. Calibrated surrogates give sign(f*) = sign(2η − 1)."""
    f = torch.linspace(-span, span, n, dtype=DT)
    ones = torch.ones_like(f)
    risk = eta * surrogate(name, f, ones, margin) + (1 - eta) * surrogate(name, f, -ones, margin)
    # ties (a flat minimum): take the middle of the minimising set, so a flat risk around 0 gives 0
    best = torch.nonzero(risk <= risk.min() + 1e-12).flatten()
    mid = best[len(best) // 2]
    return float(f[mid]), f.numpy(), risk.numpy()


def pushing(m: float, margin: float = 1.0) -> tuple[str, ...]:
    """The convex surrogates whose autograd gradient at margin m is not zero (they still push)."""
    return tuple(name for name in CONVEX if abs(float(values_and_grads(name, [m], margin)[1][0])) > 1e-12)


def ranking_and_embedding(m: float, margin: float = 1.0) -> dict:
    """The hinge on m as torch's pairwise losses compute it: margin_ranking_loss(m, 0, y=+1) ranks a pair
    whose score gap is m; hinge_embedding_loss(m, y=−1) pushes a dissimilar pair to distance ≥ margin."""
    x = torch.tensor([m], dtype=DT)
    zero, plus, minus = torch.zeros_like(x), torch.ones_like(x), -torch.ones_like(x)
    return {"hinge": float(surrogate("hinge", x, plus, margin)[0]),
            "margin_ranking": float(F.margin_ranking_loss(x, zero, plus, margin=margin)),
            "hinge_embedding": float(F.hinge_embedding_loss(x, minus, margin=margin))}

"""Demo 2, class imbalance: a small MLP on 2-D data with few positives, trained with BCE, BCE with
`pos_weight` and sigmoid focal loss."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from .focal import focal_torch
from .training_common import CLS_LOSSES, Progress, _generator, _report, _ticks, one_thread

# ---------------------------------------------------------------------------------------------------
# 2. Class imbalance: BCE, BCE with pos_weight, focal
# ---------------------------------------------------------------------------------------------------

def sigmoid_focal_loss(inputs: torch.Tensor, targets: torch.Tensor, alpha: float = 0.25, gamma: float = 2.0,
                       reduction: str = "mean") -> torch.Tensor:
    """The training's focal loss, averaged by default: losses/focal.py's focal_torch, the app's one implementation
    of torchvision.ops.sigmoid_focal_loss."""
    return focal_torch(inputs, targets, alpha, gamma, reduction)


@dataclass(frozen=True)
class BlobData:
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray

    @property
    def pos_weight(self) -> float:
        """The usual choice: number of negatives over number of positives in the training set."""
        pos = float(self.y_train.sum())
        return (len(self.y_train) - pos) / max(pos, 1.0)


def _blobs(rng: np.random.Generator, n: int, pos_frac: float, centres: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n_pos = max(1, int(round(pos_frac * n)))
    n_neg = n - n_pos
    neg = rng.normal(0.0, 1.0, (n_neg, 2)) * np.array([1.3, 1.0])
    which = rng.integers(0, len(centres), n_pos)
    pos = centres[which] + rng.normal(0.0, 0.4, (n_pos, 2))
    x = np.concatenate([neg, pos])
    y = np.concatenate([np.zeros(n_neg), np.ones(n_pos)])
    order = rng.permutation(n)
    return x[order], y[order]


def make_blob_data(seed: int, pos_frac: float = 0.05, n_train: int = 600, n_test: int = 3000) -> BlobData:
    """Negatives: one broad Gaussian. Positives (a fraction `pos_frac`): two small clusters at its edge,
    overlapping it, so a classifier that says "negative" everywhere is already 1 − pos_frac accurate."""
    rng = np.random.default_rng(seed)
    angle = rng.uniform(0, 2 * np.pi)
    spread = rng.uniform(0.9, 1.6)
    radius = 2.2
    centres = np.array([[np.cos(angle + s), np.sin(angle + s)] for s in (-spread / 2, spread / 2)]) * radius
    x_train, y_train = _blobs(rng, n_train, pos_frac, centres)
    x_test, y_test = _blobs(rng, n_test, pos_frac, centres)
    return BlobData(x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)


def classification_loss(name: str, logits: torch.Tensor, target: torch.Tensor, pos_weight: float = 1.0,
                        alpha: float = 0.25, gamma: float = 2.0) -> torch.Tensor:
    if name == "bce":
        return F.binary_cross_entropy_with_logits(logits, target)
    if name == "bce_pos_weight":
        pw = torch.tensor([pos_weight], dtype=logits.dtype, device=logits.device)
        return F.binary_cross_entropy_with_logits(logits, target, pos_weight=pw)
    if name == "focal":
        return sigmoid_focal_loss(logits, target, alpha=alpha, gamma=gamma)
    raise ValueError(f"unknown classification loss {name!r}")


class FlatMLP(torch.nn.Module):
    """M identical small tanh MLPs (same initial weights) whose weights live in ONE (M, P) parameter; views
    give each layer its (M, out, in) matrices and torch.baddbmm runs the M models at once. Each model sees
    only its own row, so with a sum of per-model losses and Adam (elementwise) the M trainings are
    independent, and a step costs about one model's small ops instead of M times as many.
    Weights come from a seeded CPU generator (the same on every device), then move to `device`."""

    def __init__(self, seed: int, sizes: tuple[int, ...], models: int = 1, device: str = "cpu"):
        super().__init__()
        gen = _generator(seed)
        chunks, self.shapes = [], []
        for a, b in zip(sizes[:-1], sizes[1:]):
            bound = 1.0 / np.sqrt(a)
            chunks.append(torch.empty(b, a).uniform_(-bound, bound, generator=gen).mul_(np.sqrt(3.0)).ravel())
            chunks.append(torch.empty(b).uniform_(-bound, bound, generator=gen))
            self.shapes.append((b, a))
        self.models = models
        self.flat = torch.nn.Parameter(torch.cat(chunks).repeat(models, 1).to(device))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: (N, in) shared by all models, or (M, N, in). Returns (M, N, out)."""
        h = x.expand(self.models, *x.shape) if x.dim() == 2 else x
        offset = 0
        for i, (b, a) in enumerate(self.shapes):
            w = self.flat[:, offset:offset + a * b].view(self.models, b, a)
            offset += a * b
            bias = self.flat[:, offset:offset + b]
            offset += b
            h = torch.baddbmm(bias.unsqueeze(1), h, w.transpose(1, 2))
            if i < len(self.shapes) - 1:
                h = torch.tanh(h)
        return h


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float
    accuracy: float
    tp: int
    fp: int
    fn: int


def scores(y_true: np.ndarray, y_pred: np.ndarray) -> Scores:
    y_true = np.asarray(y_true).astype(bool)
    y_pred = np.asarray(y_pred).astype(bool)
    tp = int(np.sum(y_true & y_pred))
    fp = int(np.sum(~y_true & y_pred))
    fn = int(np.sum(y_true & ~y_pred))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1, float(np.mean(y_true == y_pred)), tp, fp, fn)


@dataclass(frozen=True)
class ClassifierFit:
    loss: str
    losses: np.ndarray        # training loss before each step
    test: Scores              # held-out precision / recall / F1 at threshold 0.5
    grid_x: np.ndarray
    grid_y: np.ndarray
    grid_prob: np.ndarray     # P(positive) on the grid, shape (len(grid_y), len(grid_x))
    test_prob: np.ndarray


def grid_axes(data: BlobData, points: int = 70) -> tuple[np.ndarray, np.ndarray]:
    lo = data.x_train.min(axis=0) - 0.3
    hi = data.x_train.max(axis=0) + 0.3
    return np.linspace(lo[0], hi[0], points), np.linspace(lo[1], hi[1], points)


@one_thread
def fit_classifiers(data: BlobData, losses: tuple[str, ...] = CLS_LOSSES, lr: float = 0.03, steps: int = 300,
                    alpha: float = 0.25, gamma: float = 2.0, seed: int = 0, hidden: int = 16, device: str = "cpu",
                    progress: Progress = None) -> dict[str, ClassifierFit]:
    """Full-batch Adam on a 2→hidden→hidden→1 tanh MLP, one per loss, all from the same weights (trained
    side by side as in fit_lines: independent, at about the cost of one)."""
    model = FlatMLP(seed + 7919, (2, hidden, hidden, 1), models=len(losses), device=device)
    x = torch.as_tensor(data.x_train, dtype=torch.float32).to(device)
    y = torch.as_tensor(data.y_train, dtype=torch.float32).to(device)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    history = torch.empty(steps, len(losses), device=device)
    ticks = _ticks(steps)
    pw = data.pos_weight
    for step in range(steps):
        opt.zero_grad(set_to_none=True)
        logits = model(x).squeeze(2)
        values = torch.stack([classification_loss(name, logits[i], y, pos_weight=pw, alpha=alpha, gamma=gamma)
                              for i, name in enumerate(losses)])
        values.sum().backward()
        opt.step()
        history[step] = values.detach()
        _report(progress, step, steps, ticks)
    gx, gy = grid_axes(data)
    with torch.no_grad():
        mesh = np.stack(np.meshgrid(gx, gy), axis=-1).reshape(-1, 2)
        grid = torch.sigmoid(model(torch.as_tensor(mesh, dtype=torch.float32).to(device))).squeeze(2)
        test = torch.sigmoid(model(torch.as_tensor(data.x_test, dtype=torch.float32).to(device))).squeeze(2)
    grid_np, test_np = grid.cpu().double().numpy(), test.cpu().double().numpy()
    hist = history.cpu().double().numpy()
    return {name: ClassifierFit(loss=name, losses=hist[:, i], test=scores(data.y_test, test_np[i] >= 0.5),
                                grid_x=gx, grid_y=gy, grid_prob=grid_np[i].reshape(len(gy), len(gx)),
                                test_prob=test_np[i])
            for i, name in enumerate(losses)}


def fit_classifier(data: BlobData, loss: str, **kwargs) -> ClassifierFit:
    """One loss alone (fit_classifiers with a single model)."""
    return fit_classifiers(data, (loss,), **kwargs)[loss]

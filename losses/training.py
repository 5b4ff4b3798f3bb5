"""Tiny trainings that show why the choice of loss matters (the "Loss in action" page).

Pure torch + NumPy, importable without Streamlit. Every function is deterministic for a given seed
(data from NumPy's Generator, initial weights from a CPU torch.Generator, then moved to `device`), and
device-agnostic: tensors are created on the CPU and moved with `.to(device)`; results come back as
NumPy arrays so they can be cached and plotted.

Three demos:
- outliers:   fit y = w·x + b with MSE, L1, SmoothL1 and Huber on data with a few gross outliers;
- imbalance:  a small MLP classifier on 2-D data with few positives, trained with BCE, BCE with
              `pos_weight`, and sigmoid focal loss (torchvision.ops.sigmoid_focal_loss's formula);
- embeddings: a small encoder into 2-D trained with triplet margin loss, random, semi-hard or hard negatives.

The models of a demo train side by side (one parameter tensor, the sum of their losses): exactly as
separate trainings, since each model only sees its own loss and Adam works elementwise, at about the
cost of one.

`progress`, where accepted, is called with a fraction in [0, 1] a few times during training.
"""
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


# ---------------------------------------------------------------------------------------------------
# 2. Class imbalance: BCE, BCE with pos_weight, focal
# ---------------------------------------------------------------------------------------------------

def sigmoid_focal_loss(inputs: torch.Tensor, targets: torch.Tensor, alpha: float = 0.25, gamma: float = 2.0,
                       reduction: str = "mean") -> torch.Tensor:
    """torchvision.ops.sigmoid_focal_loss (Lin et al. 2017), written in torch: α weights the positives,
    (1 − p_t)^γ down-weights the examples the model already gets right; α < 0 disables the weighting."""
    p = torch.sigmoid(inputs)
    ce = F.binary_cross_entropy_with_logits(inputs, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce * (1 - p_t) ** gamma
    if alpha >= 0:
        loss = (alpha * targets + (1 - alpha) * (1 - targets)) * loss
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


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


# ---------------------------------------------------------------------------------------------------
# 3. Embeddings: triplet margin loss
# ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ClassData:
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray


def make_class_data(seed: int, n_classes: int = 4, per_class: int = 40, dim: int = 10,
                    separation: float = 1.0) -> ClassData:
    """Gaussian classes in `dim` dimensions whose means differ by about as much as the noise."""
    rng = np.random.default_rng(seed)
    means = rng.normal(0.0, separation, (n_classes, dim))

    def draw(per: int):
        y = np.repeat(np.arange(n_classes), per)
        x = means[y] + rng.normal(0.0, 1.0, (len(y), dim))
        return x, y

    x_train, y_train = draw(per_class)
    x_test, y_test = draw(per_class)
    return ClassData(x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)


def _pairwise(e: torch.Tensor) -> torch.Tensor:
    return torch.cdist(e, e)


def make_triplets(labels: torch.Tensor, gen: torch.Generator, emb: torch.Tensor | None = None,
                  mining: str = "random", margin: float = 1.0) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """One triplet per anchor: a random positive of the same class and a negative of another class chosen
    at random ('random'), the closest one in the current embedding ('hard'), or the closest one that is
    still farther than the positive ('semi_hard', FaceNet's choice; falls back to the hardest)."""
    n = labels.shape[0]
    same = labels[:, None] == labels[None, :]
    eye = torch.eye(n, dtype=torch.bool, device=labels.device)
    noise = torch.rand(n, n, generator=gen).to(labels.device)
    pos = torch.where(same & ~eye, noise, torch.full_like(noise, -1.0)).argmax(dim=1)
    if mining == "random":
        neg = torch.where(~same, noise.T, torch.full_like(noise, -1.0)).argmax(dim=1)
    else:
        with torch.no_grad():
            dist = _pairwise(emb)
            inf = torch.full_like(dist, float("inf"))
            neg_dist = torch.where(~same, dist, inf)
            hardest = neg_dist.argmin(dim=1)
            if mining == "hard":
                neg = hardest
            elif mining == "semi_hard":
                d_ap = dist.gather(1, pos[:, None])
                semi = torch.where((neg_dist > d_ap) & (neg_dist < d_ap + margin), neg_dist, inf)
                has = torch.isfinite(semi).any(dim=1)
                neg = torch.where(has, semi.argmin(dim=1), hardest)
            else:
                raise ValueError(f"unknown mining {mining!r}")
    idx = torch.arange(n, device=labels.device)
    return idx, pos, neg


def knn_accuracy(emb: np.ndarray, y: np.ndarray, k: int = 5) -> float:
    """Leave-one-out k-nearest-neighbour accuracy in the embedding: how well the classes are separated
    (1/n_classes is chance)."""
    d = ((emb[:, None, :] - emb[None, :, :]) ** 2).sum(-1)
    np.fill_diagonal(d, np.inf)
    votes = y[np.argsort(d, axis=1, kind="stable")[:, :k]]
    counts = np.stack([(votes == c).sum(1) for c in range(int(y.max()) + 1)], axis=1)
    return float(np.mean(counts.argmax(1) == y))


def separation_ratio(emb: np.ndarray, y: np.ndarray) -> float:
    """Mean distance between points of different classes over mean distance within a class (> 1: apart)."""
    d = np.sqrt(((emb[:, None, :] - emb[None, :, :]) ** 2).sum(-1))
    same = y[:, None] == y[None, :]
    off = ~np.eye(len(y), dtype=bool)
    within = d[same & off].mean()
    return float(d[~same].mean() / within) if within > 0 else float("inf")


@dataclass(frozen=True)
class EmbeddingFit:
    mining: str
    losses: np.ndarray            # training triplet loss at each step (on that step's mined triplets)
    snapshot_steps: np.ndarray
    snapshots: np.ndarray         # (S, n_test, 2): held-out embeddings over training
    eval_loss: np.ndarray         # triplet loss on fixed random held-out triplets, per snapshot
    knn: np.ndarray               # held-out k-NN accuracy, per snapshot
    ratio: np.ndarray             # between/within distance ratio on held-out, per snapshot
    y: np.ndarray                 # labels of the snapshot points


@one_thread
def fit_embedding(data: ClassData, margin: float = 1.0, mining: str = "random", lr: float = 0.01,
                  steps: int = 200, seed: int = 0, hidden: int = 32, snapshots: int = 20,
                  device: str = "cpu", progress: Progress = None) -> EmbeddingFit:
    """Adam on a dim→hidden→2 tanh encoder with F.triplet_margin_loss, one mined triplet per anchor per step.
    Held-out points are embedded at `snapshots` evenly spaced steps (the first before training)."""
    dim = data.x_train.shape[1]
    model = FlatMLP(seed + 104729, (dim, hidden, 2), device=device)
    x = torch.as_tensor(data.x_train, dtype=torch.float32).to(device)
    y = torch.as_tensor(data.y_train).to(device)
    xt = torch.as_tensor(data.x_test, dtype=torch.float32).to(device)
    yt = torch.as_tensor(data.y_test).to(device)
    gen = _generator(seed + 1)
    eval_a, eval_p, eval_n = make_triplets(yt, _generator(seed + 2))
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    marks = sorted(set(np.linspace(0, steps, snapshots + 1).round().astype(int).tolist()))
    shots, shot_steps, eval_losses = [], [], []
    losses = torch.empty(steps, device=device)
    ticks = _ticks(steps)

    def snapshot(step: int) -> None:
        with torch.no_grad():
            e = model(xt)[0]
            eval_losses.append(F.triplet_margin_loss(e[eval_a], e[eval_p], e[eval_n], margin=margin))
            shots.append(e)
            shot_steps.append(step)

    for step in range(steps):
        if step in marks:
            snapshot(step)
        emb = model(x)[0]
        a, p, n = make_triplets(y, gen, emb.detach(), mining=mining, margin=margin)
        value = F.triplet_margin_loss(emb[a], emb[p], emb[n], margin=margin)
        opt.zero_grad(set_to_none=True)
        value.backward()
        opt.step()
        losses[step] = value.detach()
        _report(progress, step, steps, ticks)
    snapshot(steps)
    stack = torch.stack(shots).cpu().double().numpy()
    y_test = data.y_test
    return EmbeddingFit(mining=mining, losses=losses.cpu().double().numpy(), snapshot_steps=np.array(shot_steps),
                        snapshots=stack, eval_loss=torch.stack(eval_losses).cpu().double().numpy(),
                        knn=np.array([knn_accuracy(s, y_test) for s in stack]),
                        ratio=np.array([separation_ratio(s, y_test) for s in stack]), y=y_test)


# ---------------------------------------------------------------------------------------------------
# Whole demos (what the page shows at given settings; used by the benchmark and the tests)
# ---------------------------------------------------------------------------------------------------

def run_outliers(seed: int = 0, device: str = "cpu", **settings) -> tuple[LineData, dict[str, LineFit]]:
    s = {**OUTLIER_DEFAULTS, **settings}
    data = make_line_data(seed, s["outlier_frac"], s["outlier_size"])
    return data, fit_lines(data, REG_LOSSES, lr=s["lr"], steps=s["steps"], delta=s["delta"], beta=s["beta"],
                           device=device)


def run_imbalance(seed: int = 0, device: str = "cpu", **settings) -> tuple[BlobData, dict[str, ClassifierFit]]:
    s = {**IMBALANCE_DEFAULTS, **settings}
    data = make_blob_data(seed, s["pos_frac"])
    return data, fit_classifiers(data, CLS_LOSSES, lr=s["lr"], steps=s["steps"], alpha=s["alpha"],
                                 gamma=s["gamma"], seed=seed, device=device)


def run_embeddings(seed: int = 0, device: str = "cpu", **settings) -> tuple[ClassData, EmbeddingFit]:
    s = {**EMBEDDING_DEFAULTS, **settings}
    data = make_class_data(seed, s["n_classes"])
    return data, fit_embedding(data, margin=s["margin"], mining=s["mining"], lr=s["lr"], steps=s["steps"],
                               seed=seed, device=device)

"""Demo 3, embeddings: a small encoder into 2-D trained with triplet margin loss, with random, semi-hard
or hard negatives."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from .training_common import Progress, _generator, _report, _ticks, one_thread
from .training_imbalance import FlatMLP

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

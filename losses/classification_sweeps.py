"""The numbers behind the classification panels: float32 saturation, the pos_weight fit, focal curves,
autograd gradients. Pure (torch and NumPy, no Plotly): ui/panels/classification_figures.py draws them."""
from __future__ import annotations

import math

import numpy as np


def saturation_data(y: float, lo: float = -40.0, hi: float = 40.0, n: int = 801) -> dict:
    """Loss and autograd gradient w.r.t. the logit of both formulations, in float32 as in training."""
    import torch
    import torch.nn.functional as F
    z = torch.linspace(lo, hi, n, dtype=torch.float32)
    out = {"z": z.double().numpy(), "y": float(y)}
    fns = {"bce": lambda v: F.binary_cross_entropy(torch.sigmoid(v), torch.full_like(v, y), reduction="none"),
           "logits": lambda v: F.binary_cross_entropy_with_logits(v, torch.full_like(v, y), reduction="none")}
    for name, fn in fns.items():
        v = z.clone().requires_grad_(True)
        loss = fn(v)
        (g,) = torch.autograd.grad(loss.sum(), v)
        out[name] = loss.detach().double().numpy()
        out[name + "_grad"] = g.double().numpy()
    sig = torch.sigmoid(z)
    rounds = (sig == 1.0) if y == 0 else (sig == 0.0)
    out["rounds_at"] = float(z[rounds].abs().min()) * (1 if y == 0 else -1) if bool(rounds.any()) else None
    ref, got = out["logits_grad"], out["bce_grad"]
    bad = np.abs(got - ref) > 0.5 * np.maximum(np.abs(ref), 1e-3)
    out["grad_breaks_at"] = float(out["z"][bad][np.argmin(np.abs(out["z"][bad]))]) if bad.any() else None
    return out


def saturation_point(z: float, y: float) -> dict:
    """The numbers at one logit, float32, both formulations (value and d/dz)."""
    import torch
    import torch.nn.functional as F
    res = {}
    for name in ("bce", "logits"):
        v = torch.tensor([z], dtype=torch.float32, requires_grad=True)
        t = torch.tensor([float(y)])
        loss = F.binary_cross_entropy(torch.sigmoid(v), t) if name == "bce" else F.binary_cross_entropy_with_logits(v, t)
        (g,) = torch.autograd.grad(loss, v)
        res[name], res[name + "_grad"] = float(loss.detach()), float(g)
    res["sigmoid"] = float(torch.sigmoid(torch.tensor(z, dtype=torch.float32)))
    return res


def imbalanced_data(seed: int = 0, n_neg: int = 900, n_pos: int = 100):
    """A 1-D feature, 10 % positives, overlapping classes: negatives N(0, 1), positives N(2, 1)."""
    rng = np.random.default_rng(seed)
    x = np.concatenate([rng.normal(0.0, 1.0, n_neg), rng.normal(2.0, 1.0, n_pos)])
    y = np.concatenate([np.zeros(n_neg), np.ones(n_pos)])
    return x, y


def pos_weight_fit(values) -> dict:
    """Fit logistic regression with BCEWithLogitsLoss(pos_weight=p) for every p at once (independent
    problems, one LBFGS run); report recall and precision of the rule logit > 0 on the training data."""
    import torch
    import torch.nn.functional as F
    x_np, y_np = imbalanced_data()
    x = torch.tensor(x_np)
    y = torch.tensor(y_np)
    p = torch.tensor(np.asarray(values, dtype=np.float64))
    k = p.numel()
    theta = torch.zeros(k, 2, dtype=torch.float64)  # (w, b) per pos_weight value

    def total(th):
        logits = th[:, :1] * x[None] + th[:, 1:]
        return F.binary_cross_entropy_with_logits(logits, y.expand(k, -1), pos_weight=p[:, None],
                                                  reduction="none").mean(dim=1).sum()

    # Newton's method on K independent convex problems; gradient and 2×2 Hessians from autograd.
    for _ in range(30):
        th = theta.clone().requires_grad_(True)
        (g,) = torch.autograd.grad(total(th), th, create_graph=True)
        rows = [torch.autograd.grad(g[:, i].sum(), th, retain_graph=True)[0] for i in range(2)]
        hess = torch.stack(rows, dim=1)
        step = torch.linalg.solve(hess.detach(), g.detach().unsqueeze(-1)).squeeze(-1)
        theta = theta - step
        if float(step.abs().max()) < 1e-10:
            break
    w, b = theta[:, 0], theta[:, 1]
    with torch.no_grad():
        pred = (w[:, None] * x[None] + b[:, None]) > 0
        pos = y.bool()[None]
        tp = (pred & pos).sum(1).double()
        n_pred = pred.sum(1).double()
        recall = (tp / pos.sum()).numpy()
        precision = torch.where(n_pred > 0, tp / n_pred.clamp(min=1), torch.ones_like(tp)).numpy()
    return {"pos_weight": p.numpy(), "recall": recall, "precision": precision, "w": w.numpy(), "b": b.numpy(), "n_pos": int(y_np.sum()), "n_neg": int((1 - y_np).sum())}


def loss_and_grad(fn, x) -> tuple[float, np.ndarray]:
    """A reduced loss fn(x) and its autograd gradient w.r.t. x (for reduction='none', of the sum)."""
    import torch
    v = x.detach().clone().requires_grad_(True)
    out = fn(v)
    (g,) = torch.autograd.grad(out.sum(), v)
    return out.detach().double().numpy(), g.double().numpy()


def softmax_input_bounds(C: int) -> tuple[float, float]:
    """CrossEntropyLoss of a probability vector (the extra-softmax mistake) lies in [log(e+C−1)−1, log(e+C−1)]."""
    top = math.log(math.e + C - 1)
    return top - 1.0, top


FOCAL_GAMMAS = (0.5, 1.0, 2.0, 5.0)


def focal_curves(gammas, n: int = 400) -> dict:
    """x = p_t (the probability of the true label). CE = −log p_t; FL_γ = (1 − p_t)^γ·CE (no α, as in the
    paper's figure 1), computed by torch through the logit of p_t with target 1."""
    import torch
    from losses.classification import focal_torch
    p_t = torch.linspace(0.001, 0.999, n, dtype=torch.float64)
    logit = torch.log(p_t) - torch.log1p(-p_t)
    ones = torch.ones_like(logit)
    out = {"p_t": p_t.numpy(), "ce": focal_torch(logit, ones, alpha=-1.0, gamma=0.0).numpy(), "fl": {}, "factor": {}}
    for g in gammas:
        out["fl"][float(g)] = focal_torch(logit, ones, alpha=-1.0, gamma=float(g)).numpy()
        out["factor"][float(g)] = ((1 - torch.sigmoid(logit)) ** float(g)).numpy()
    return out

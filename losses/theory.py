"""Information theory behind the classification losses, in NumPy and in torch (pure: no Streamlit).

    entropy(p), cross_entropy(p, q), kl(p, q)          NumPy, with 0·log 0 = 0 and +inf where q = 0 < p
    torch_values(p, q)                                  the same numbers computed by torch's own functions
    dataset_nll(labels, q)                              −log of the likelihood of a labelled data set
    margin_curves(...)                                  "Picking loss functions": CE, focal, MSE on
                                                        probabilities and hinge versus the true-class margin
    convexity_counterexample()                          a two-weight network whose CE is not convex
"""
from __future__ import annotations

import math

import numpy as np

LOG_BASES = {"bits": 2.0, "nats": math.e}


def _log(x, base: float):
    return np.log(x) / math.log(base)


def normalise(weights) -> np.ndarray:
    """Non-negative weights (bars set by the user) -> a probability vector. All zero -> uniform."""
    w = np.clip(np.asarray(weights, dtype=np.float64), 0.0, None)
    total = w.sum()
    return np.full(w.shape, 1.0 / w.size) if total <= 0 else w / total


def information(p, base: float = 2.0) -> np.ndarray:
    """Information content (surprisal) −log p of each outcome; +inf for impossible outcomes."""
    p = np.asarray(p, dtype=np.float64)
    with np.errstate(divide="ignore"):
        return -_log(p, base)


def entropy(p, base: float = 2.0) -> float:
    """H(p) = −Σ p log p, with 0·log 0 = 0."""
    p = np.asarray(p, dtype=np.float64)
    nz = p > 0
    return float(-(p[nz] * _log(p[nz], base)).sum())


def cross_entropy(p, q, base: float = 2.0) -> float:
    """H(p, q) = −Σ p log q: +inf when q gives 0 to an outcome that p does not."""
    p, q = np.asarray(p, dtype=np.float64), np.asarray(q, dtype=np.float64)
    nz = p > 0
    if np.any(q[nz] <= 0):
        return math.inf
    return float(-(p[nz] * _log(q[nz], base)).sum())


def kl_terms(p, q, base: float = 2.0) -> np.ndarray:
    """The terms p_i log(p_i / q_i) of KL(p‖q) (0 where p_i = 0, +inf where q_i = 0 < p_i)."""
    p, q = np.asarray(p, dtype=np.float64), np.asarray(q, dtype=np.float64)
    out = np.zeros_like(p)
    nz = p > 0
    with np.errstate(divide="ignore"):
        out[nz] = p[nz] * (_log(p[nz], base) - _log(q[nz], base))
    return out


def kl(p, q, base: float = 2.0) -> float:
    """KL(p‖q) = Σ p log(p / q) ≥ 0 (Gibbs), = 0 iff p = q; not symmetric."""
    terms = kl_terms(p, q, base)
    return math.inf if np.isinf(terms).any() else float(terms.sum())


def torch_values(p, q, base: float = 2.0) -> dict:
    """H(p), H(q), H(p,q), KL(p‖q), KL(q‖p) computed by torch's own functions (in float64).

    entropy: torch.distributions.Categorical(probs).entropy()
    cross-entropy: F.cross_entropy(logits=log q, target=p) (probability targets); torch.special.xlogy if q has 0s
    KL: F.kl_div(input=log q, target=p, reduction='sum'), which computes KL(target‖input); xlogy if q has 0s
    """
    import torch
    import torch.nn.functional as F
    from torch.distributions import Categorical

    tp = torch.tensor(np.asarray(p, dtype=np.float64))
    tq = torch.tensor(np.asarray(q, dtype=np.float64))
    scale = math.log(base)

    def ce(a, b):
        if torch.all(b > 0):
            return float(F.cross_entropy(torch.log(b)[None], a[None])) / scale
        return float(-torch.special.xlogy(a, b).sum()) / scale

    def kld(a, b):
        if torch.all(b > 0):
            return float(F.kl_div(torch.log(b), a, reduction="sum")) / scale
        return float((torch.special.xlogy(a, a) - torch.special.xlogy(a, b)).sum()) / scale

    return {"H_p": float(Categorical(probs=tp).entropy()) / scale,
            "H_q": float(Categorical(probs=tq).entropy()) / scale,
            "H_pq": ce(tp, tq), "H_qp": ce(tq, tp),
            "KL_pq": kld(tp, tq), "KL_qp": kld(tq, tp)}


def numpy_values(p, q, base: float = 2.0) -> dict:
    return {"H_p": entropy(p, base), "H_q": entropy(q, base), "H_pq": cross_entropy(p, q, base),
            "H_qp": cross_entropy(q, p, base), "KL_pq": kl(p, q, base), "KL_qp": kl(q, p, base)}


# ---- cross-entropy = negative log-likelihood ---------------------------------------------------------------
def counts_from(p, n: int) -> np.ndarray:
    """A data set of n labels whose class frequencies follow p as closely as integers allow."""
    p = normalise(p)
    raw = p * n
    counts = np.floor(raw).astype(int)
    for i in np.argsort(-(raw - counts))[: n - counts.sum()]:
        counts[i] += 1
    return counts


def labels_from_counts(counts) -> np.ndarray:
    return np.repeat(np.arange(len(counts)), counts)


def dataset_nll(labels, q) -> float:
    """−log Π_i q[y_i] in nats (the negative log-likelihood of the labels under the model q)."""
    q = np.asarray(q, dtype=np.float64)
    picked = q[np.asarray(labels, dtype=int)]
    with np.errstate(divide="ignore"):
        return float(-np.log(picked).sum())


def dataset_nll_torch(labels, q) -> float:
    """The same with torch: CrossEntropyLoss(reduction='sum') on logits log q, repeated for every label."""
    import torch
    import torch.nn.functional as F
    labels = torch.as_tensor(np.asarray(labels, dtype=np.int64))
    logits = torch.log(torch.tensor(np.asarray(q, dtype=np.float64))).expand(len(labels), -1)
    return float(F.cross_entropy(logits, labels, reduction="sum"))


# ---- "Picking loss functions": losses against the margin of the true class -------------------------------
MARGIN_LOSSES = ("ce", "focal", "mse_prob", "hinge")


def margin_loss(name: str, z, params: dict):
    """Elementwise loss (torch expression of z) for a binary example whose true class has margin/logit z.

    z = y·f(x) with y = ±1, equivalently the logit of the true class with target 1. All torch functions:
    ce       BCE with logits, log(1 + e^{−z})
    focal    α (1 − p)^γ · CE with p = σ(z)  (torchvision.ops.sigmoid_focal_loss for a positive example)
    mse_prob (1 − σ(z))², MSE between the predicted probability and the label 1
    hinge    max(0, margin − z), as F.margin_ranking_loss(z, 0, 1, margin)
    """
    import torch
    import torch.nn.functional as F
    ones = torch.ones_like(z)
    if name == "ce":
        return F.binary_cross_entropy_with_logits(z, ones, reduction="none")
    if name == "focal":
        ce = F.binary_cross_entropy_with_logits(z, ones, reduction="none")
        p_t = torch.sigmoid(z)
        return params.get("alpha", 0.25) * (1 - p_t) ** params.get("gamma", 2.0) * ce
    if name == "mse_prob":
        return F.mse_loss(torch.sigmoid(z), ones, reduction="none")
    if name == "hinge":
        return F.margin_ranking_loss(z, torch.zeros_like(z), ones, margin=params.get("margin", 1.0),
                                     reduction="none")
    raise KeyError(name)


def margin_curves(names=MARGIN_LOSSES, params: dict | None = None, lo: float = -4.0, hi: float = 4.0,
                  n: int = 401) -> tuple[np.ndarray, dict]:
    """x = margin z, and for each loss (loss, d loss / dz) with the gradient from torch.autograd."""
    import torch
    params = params or {}
    x = np.linspace(lo, hi, n)
    out = {}
    for name in names:
        z = torch.tensor(x, dtype=torch.float64, requires_grad=True)
        y = margin_loss(name, z, params)
        (g,) = torch.autograd.grad(y.sum(), z)
        out[name] = (y.detach().numpy(), g.numpy())
    return x, out


def second_derivative(name: str, z_values, params: dict | None = None) -> np.ndarray:
    """d²loss/dz² by double autograd: CE's is σ(z)(1 − σ(z)) ≥ 0 (convex); MSE on σ(z) changes sign."""
    import torch
    params = params or {}
    z = torch.tensor(np.asarray(z_values, dtype=np.float64), requires_grad=True)
    y = margin_loss(name, z, params)
    (g,) = torch.autograd.grad(y.sum(), z, create_graph=True)
    (h,) = torch.autograd.grad(g.sum(), z)
    return h.numpy()


# ---- "a loss function must be convex" is false ------------------------------------------------------------
def tiny_net_loss(w1: float, w2: float, x: float = 1.0, y: float = 1.0) -> float:
    """CE (BCE with logits) of the network f(x) = w2 · tanh(w1 · x) for one example (x, y), computed by torch."""
    import torch
    import torch.nn.functional as F
    logit = torch.tensor(w2, dtype=torch.float64) * torch.tanh(torch.tensor(w1 * x, dtype=torch.float64))
    return float(F.binary_cross_entropy_with_logits(logit, torch.tensor(y, dtype=torch.float64)))


def convexity_counterexample(w: tuple[float, float] = (2.0, 3.0)) -> dict:
    """(w1, w2) and (−w1, −w2) compute the same function, so their losses are equal; their midpoint is
    (0, 0), whose output is 0 and loss log 2. Convexity would need L(mid) ≤ (L(a) + L(b)) / 2."""
    a, b = w, (-w[0], -w[1])
    la, lb, lm = tiny_net_loss(*a), tiny_net_loss(*b), tiny_net_loss(0.0, 0.0)
    return {"a": a, "b": b, "L_a": la, "L_b": lb, "L_mid": lm, "convex_bound": (la + lb) / 2,
            "violated": lm > (la + lb) / 2}

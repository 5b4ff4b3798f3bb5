"""The numbers behind the margin family's panels: triplet geometry, cosine angles, hinge terms, target
encodings. Pure NumPy (and torch where torch's own value is the point); ui/panels/geometry_figures.py draws them."""
from __future__ import annotations

import math

import numpy as np

from losses.reference.margin import cosine_distance, multilabel_pairs, pnorm_distance, read_targets


def metric_distance(metric: dict, x, y) -> float:
    """metric: {"kind": "pnorm", "p": p, "eps": eps} or {"kind": "cosine"}; the same formulas torch uses."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if metric["kind"] == "cosine":
        return float(cosine_distance(x, y))
    return float(pnorm_distance(x, y, metric["p"], metric["eps"]))


def metric_from_params(slug: str, params: dict) -> dict:
    if slug == "triplet_margin":
        return {"kind": "pnorm", "p": float(params["p"]), "eps": float(params["eps"])}
    name = params.get("distance_function", "pairwise_l2")
    if name == "cosine":
        return {"kind": "cosine"}
    return {"kind": "pnorm", "p": 1.0 if name == "l1" else 2.0, "eps": 1e-6}


def triplet_geometry(a, p, n, metric: dict, margin: float, swap: bool) -> dict:
    """The three distances, which one is the negative distance, and the hinge (NumPy, for the drawing)."""
    d_ap, d_an, d_pn = metric_distance(metric, a, p), metric_distance(metric, a, n), metric_distance(metric, p, n)
    uses_pn = bool(swap and d_pn < d_an)
    d_neg = d_pn if uses_pn else d_an
    return {"d_ap": d_ap, "d_an": d_an, "d_pn": d_pn, "d_neg": d_neg, "uses_pn": uses_pn,
            "loss": max(d_ap - d_neg + margin, 0.0), "radius": d_ap + margin}


def pnorm_ball(center, radius: float, p: float, eps: float = 0.0, k: int = 241) -> tuple[np.ndarray, np.ndarray]:
    """Boundary of {x : ‖center − x + eps‖_p = radius}: a circle for p = 2, a diamond for p = 1."""
    th = np.linspace(0, 2 * np.pi, k)
    c, s = np.cos(th), np.sin(th)
    ux = np.sign(c) * np.abs(c) ** (2.0 / p)
    uy = np.sign(s) * np.abs(s) ** (2.0 / p)
    cx, cy = float(center[0]) + eps, float(center[1]) + eps
    return cx + radius * ux, cy + radius * uy


def cosine_half_angle(d: float) -> float | None:
    """Half-angle (radians) of the cone {x : 1 − cos(a, x) < d}; None when d ≥ 2 (every direction)."""
    c = 1.0 - d
    if c <= -1.0:
        return None
    return float(np.arccos(min(1.0, c)))


def view_limit(points, anchor, radius: float, metric: dict) -> float:
    """Half-width of the square view: every point and, for a p-norm, the margin ring, within 2 … 6."""
    extent = max(float(np.abs(np.asarray(points)).max()), 1.0) + 0.6
    if metric["kind"] != "cosine":
        extent = max(extent, float(np.abs(np.asarray(anchor)).max()) + radius + 0.3)
    return float(min(6.0, max(2.0, np.ceil(extent * 2) / 2)))


def cosine_of(x1, x2) -> float:
    x1, x2 = np.asarray(x1, dtype=float), np.asarray(x2, dtype=float)
    return float((x1 @ x2) / math.sqrt((x1 @ x1 + 1e-12) * (x2 @ x2 + 1e-12)))


def margin_band_half_angle(margin: float) -> float:
    """Directions within this angle (radians) of x1 have cos > margin: a y = −1 pair there costs cos − margin."""
    return float(np.arccos(np.clip(margin, -1.0, 1.0)))


def multi_margin_terms(scores, target: int, margin: float, p: int, w_y: float = 1.0) -> np.ndarray:
    """Hinge term of every class (0 for the true class), weight included, before the 1/C."""
    x = np.asarray(scores, dtype=float)
    z = np.maximum(margin - x[target] + x, 0.0) ** int(p) * w_y
    z[target] = 0.0
    return z


def multilabel_analysis(x, y) -> dict:
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=np.int64)
    targets, stop = read_targets(y)
    _, others, pairs = multilabel_pairs(x, y)
    total = float(sum(term for _, _, term in pairs))
    status = ["counted" if k < stop else ("end" if k == stop else "ignored") for k in range(y.size)]
    counts = {j: targets.count(j) for j in sorted(set(targets))}
    return {"targets": targets, "stop": stop, "others": others, "pairs": pairs, "total": total,
            "loss": total / x.size, "status": status, "counts": counts, "c": x.size}


PM1_SLUGS = ("margin_ranking", "hinge_embedding", "cosine_embedding")


def pm1_terms(slug: str, inputs: dict, target, margin: float):
    """Elementwise losses and gradients torch computes for ANY target values (no validation: that is the point).

    Returns (terms, grad): grad is ∂ℓ_n/∂(first input) per element (its norm for vectors).
    """
    import torch
    import torch.nn.functional as F
    y = torch.as_tensor(np.asarray(target, dtype=np.float32))
    if slug == "margin_ranking":
        x1 = torch.tensor(np.asarray(inputs["input1"], dtype=np.float32), requires_grad=True)
        x2 = torch.tensor(np.asarray(inputs["input2"], dtype=np.float32))
        out = F.margin_ranking_loss(x1, x2, y, margin=margin, reduction="none")
    elif slug == "hinge_embedding":
        x1 = torch.tensor(np.asarray(inputs["input"], dtype=np.float32), requires_grad=True)
        out = F.hinge_embedding_loss(x1, y, margin=margin, reduction="none")
    elif slug == "cosine_embedding":
        x1 = torch.tensor(np.asarray(inputs["input1"], dtype=np.float32), requires_grad=True)
        x2 = torch.tensor(np.asarray(inputs["input2"], dtype=np.float32))
        out = F.cosine_embedding_loss(x1, x2, y, margin=margin, reduction="none")
    else:
        raise ValueError(slug)
    (g,) = torch.autograd.grad(out.sum(), x1)
    g = g.norm(dim=-1) if slug == "cosine_embedding" else g
    return out.detach().double().numpy(), g.double().numpy()


def encode_pm1(intended: np.ndarray, encoding: str) -> np.ndarray:
    """Labels written the way a user might: 'pm1' (right), 'zero_one' (0 for −1), 'one_two' (class ids 1/2)."""
    intended = np.asarray(intended, dtype=float)
    if encoding == "pm1":
        return intended.copy()
    if encoding == "zero_one":
        return np.where(intended == 1, 1.0, 0.0)
    if encoding == "one_two":
        return np.where(intended == 1, 1.0, 2.0)
    raise ValueError(encoding)


def multilabel_encode(classes: list[int], c: int, encoding: str) -> np.ndarray:
    """One target row for the set `classes`: indices padded with −1 (right) or a multi-hot 0/1 row (wrong)."""
    if encoding == "indices":
        row = np.full(c, -1, dtype=np.int64)
        row[:len(classes)] = sorted(classes)
        return row
    if encoding == "multi_hot":
        row = np.zeros(c, dtype=np.int64)
        row[list(classes)] = 1
        return row
    raise ValueError(encoding)


def multilabel_torch_value(x, row) -> float:
    import torch
    import torch.nn.functional as F
    return float(F.multilabel_margin_loss(torch.tensor(np.asarray(x, dtype=np.float32)),
                                          torch.as_tensor(np.asarray(row, dtype=np.int64)), reduction="sum"))

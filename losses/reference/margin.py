"""NumPy derivations for the margin family. Each returns (value, [Step]) and reproduces torch's kernels,
including their details: MultiMargin and MultiLabelMargin divide by C, CosineEmbedding adds 1e-12 to the
squared norms, pairwise_distance adds eps to the difference, cosine_similarity clamps each norm at 1e-8.
"""
from __future__ import annotations

import numpy as np

from ..text import M
from .common import broadcast_step, fmt, keyed_step, reduce

MAX_LISTED = 6        # samples spelled out one by one in a derivation
MAX_PAIRS = 24        # (j, i) pairs spelled out per sample
COS_EPS = 1e-12       # torch's cosine_embedding_loss: added to each squared norm
SIM_EPS = 1e-8        # torch's cosine_similarity: each norm clamped at this value
PAIRWISE_EPS = 1e-6   # torch's pairwise_distance default eps


def _n(v) -> str:
    return fmt(v, 4)


# ---- MarginRankingLoss ------------------------------------------------------------------------
def margin_ranking(a: dict, p: dict):
    steps: list = []
    x1, x2, y = a["input1"], a["input2"], a["target"]
    m = p["margin"]
    broadcast_step(steps, "input1", x1, "input2", x2)
    broadcast_step(steps, "input1", x1, "target", y)
    d = x1 - x2
    steps.append(keyed_step("margin.step.mr_diff", r"d_n = x_{1,n} - x_{2,n}", d=fmt(d)))
    raw = -y * d + m
    steps.append(keyed_step("margin.step.mr_shortfall", r"s_n = -y_n\, d_n + \mathrm{margin}", m=fmt(m), raw=fmt(raw)))
    terms = np.maximum(raw, 0.0)
    steps.append(keyed_step("margin.step.mr_hinge", r"\ell_n = \max(0,\ s_n)", terms=fmt(terms)))
    return reduce(terms, p["reduction"], steps), steps


# ---- HingeEmbeddingLoss -----------------------------------------------------------------------
def hinge_embedding(a: dict, p: dict):
    steps: list = []
    x, y = a["input"], a["target"]
    m = p["margin"]
    broadcast_step(steps, "input", x, "target", y)
    x, y = np.broadcast_arrays(x, y)
    pos = y == 1
    steps.append(keyed_step("margin.step.he_labels", pos=int(pos.sum()), neg=int((~pos).sum())))
    hinge = np.maximum(0.0, m - x)
    # torch: x where y != -1, plus the hinge where y != 1 (a label of 0 gets both)
    terms = np.where(y != -1, x, 0.0) + np.where(y != 1, hinge, 0.0)
    other = int((~np.isin(y, (-1.0, 1.0))).sum())
    if other:
        steps.append(keyed_step("step_hinge_other_labels", count=str(other)))
    steps.append(keyed_step("margin.step.he_terms", r"\ell_n = \begin{cases} x_n & y_n = 1 \\ \max(0,\ \mathrm{margin} - x_n) & y_n = -1 \end{cases}",
                            m=fmt(m), terms=fmt(terms)))
    return reduce(terms, p["reduction"], steps), steps


# ---- MultiMarginLoss --------------------------------------------------------------------------
def multi_margin(a: dict, p: dict):
    steps: list = []
    x = a["input"]
    y = a["target"]
    rows = x.reshape(-1, x.shape[-1])
    targets = np.atleast_1d(y).reshape(-1)
    c = rows.shape[1]
    m, power = p["margin"], int(p["p"])
    w = None if p.get("weight") is None else np.asarray(p["weight"], dtype=np.float64)
    weight = M("margin.step.mm_weight", w=fmt(w)) if w is not None else M("margin.step.mm_no_weight")
    steps.append(keyed_step("margin.step.mm_setup", c=c, m=fmt(m), power=power, weight=weight))
    losses = np.zeros(rows.shape[0])
    for n, (row, t) in enumerate(zip(rows, targets)):
        t = int(t)
        z = m - row[t] + row
        z[t] = 0.0
        h = np.maximum(z, 0.0) ** power
        h[t] = 0.0
        wy = 1.0 if w is None else float(w[t])
        losses[n] = wy * h.sum() / c
        if n < MAX_LISTED:
            parts = [f"{_n(h[i])}" for i in range(c) if i != t]
            wtxt = "" if w is None else rf"\,w_{{{t}}}"
            steps.append(keyed_step(
                "margin.step.mm_sample", rf"\ell_{{{n}}} = \tfrac{{1}}{{{c}}}{wtxt}\,\bigl[{' + '.join(parts)}\bigr] = {_n(losses[n])}",
                n=n, t=t, score=_n(row[t]), parts=", ".join(parts)))
    _more_samples(steps, losses)
    per_sample = losses.reshape(np.shape(y)) if x.ndim == 1 else losses
    return reduce(per_sample, p["reduction"], steps), steps


# ---- MultiLabelMarginLoss ---------------------------------------------------------------------
def read_targets(row: np.ndarray) -> tuple[list[int], int]:
    """The classes torch reads from one target row (up to the first -1) and where the list ends."""
    out = []
    for k, v in enumerate(row):
        if v < 0:
            return out, k
        out.append(int(v))
    return out, len(row)


def multilabel_pairs(x_row: np.ndarray, y_row: np.ndarray) -> tuple[list[int], list[int], list[tuple]]:
    """(targets as read, non-targets, [(j, i, term)]) for one sample, in torch's order (duplicates kept)."""
    targets, _ = read_targets(y_row)
    is_target = set(targets)
    others = [i for i in range(len(x_row)) if i not in is_target]
    pairs = [(j, i, max(0.0, 1.0 - x_row[j] + x_row[i])) for j in targets for i in others]
    return targets, others, pairs


def multilabel_margin(a: dict, p: dict):
    steps: list = []
    x, y = a["input"], a["target"]
    rows, trows = x.reshape(-1, x.shape[-1]), y.reshape(-1, y.shape[-1])
    c = rows.shape[1]
    steps.append(keyed_step("margin.step.mlm_setup", c=c))
    losses = np.zeros(rows.shape[0])
    for n, (xr, yr) in enumerate(zip(rows, trows)):
        targets, others, pairs = multilabel_pairs(xr, yr)
        _, stop = read_targets(yr)
        total = float(sum(term for _, _, term in pairs))
        losses[n] = total / c
        if n >= MAX_LISTED:
            continue
        steps.extend(_multilabel_sample_steps(n, xr, yr, targets, others, pairs, stop, total, c, losses[n]))
    _more_samples(steps, losses)
    per_sample = np.float64(losses[0]) if x.ndim == 1 else losses
    return reduce(per_sample, p["reduction"], steps), steps


def _more_samples(steps: list, losses: np.ndarray) -> None:
    if losses.size > MAX_LISTED:
        steps.append(keyed_step("margin.step.more_samples", k=losses.size - MAX_LISTED, losses=fmt(losses)))


def _row_end(yr: np.ndarray, stop: int):
    """Where torch stops reading a target row, and what it ignores after the −1, in words."""
    if stop >= len(yr):
        return M("margin.step.mlm_end_none")
    lost = [int(v) for v in yr[stop + 1:]]
    ignored = M("margin.step.mlm_ignored_one" if len(lost) == 1 else "margin.step.mlm_ignored_many",
                lost=str(lost)) if lost else ""
    return M("margin.step.mlm_end_at", stop=stop, ignored=ignored)


def _multilabel_sample_steps(n, xr, yr, targets, others, pairs, stop, total, c, loss) -> list:
    steps = [keyed_step("margin.step.mlm_row", n=n, row=str([int(v) for v in yr]), end=_row_end(yr, stop),
                        targets=str(targets), others=str(others))]
    if not pairs:
        why = M("margin.step.mlm_no_target" if not targets else "margin.step.mlm_no_other")
        return steps + [keyed_step("margin.step.mlm_no_pair", n=n, why=why)]
    lines = [rf"(j={j},\, i={i}):\ \max(0,\ 1 - {_n(xr[j])} + {_n(xr[i])}) &= {_n(term)}"
             for j, i, term in pairs[:MAX_PAIRS]]
    more = len(pairs) - MAX_PAIRS
    if more > 0:
        lines.append(rf"\dots\ (+{more}) &")
    steps.append(keyed_step("margin.step.mlm_pairs", r"\begin{aligned}" + r" \\ ".join(lines) + r"\end{aligned}",
                            n=n, k=len(pairs)))
    steps.append(keyed_step("margin.step.mlm_sum", rf"\ell_{{{n}}} = \tfrac{{{_n(total)}}}{{{c}}} = {_n(loss)}",
                            n=n, total=_n(total), c=c, loss=_n(loss)))
    return steps


# ---- CosineEmbeddingLoss ----------------------------------------------------------------------
def cosine_torch(x1: np.ndarray, x2: np.ndarray) -> np.ndarray:
    """cos as cosine_embedding_loss computes it: x1·x2 / √((|x1|² + 1e-12)(|x2|² + 1e-12))."""
    dot = (x1 * x2).sum(-1)
    return dot / np.sqrt(((x1 * x1).sum(-1) + COS_EPS) * ((x2 * x2).sum(-1) + COS_EPS))


def cosine_embedding(a: dict, p: dict):
    steps: list = []
    x1, x2, y = a["input1"], a["input2"], a["target"]
    m = p["margin"]
    broadcast_step(steps, "input1", x1, "input2", x2)
    cos = cosine_torch(x1, x2)
    angle = fmt(np.degrees(np.arccos(np.clip(cos, -1, 1))))
    steps.append(keyed_step("margin.step.cos_cos", r"\cos_n = \frac{x_{1,n}\cdot x_{2,n}}{\sqrt{(\lVert x_{1,n}\rVert^2 + 10^{-12})(\lVert x_{2,n}\rVert^2 + 10^{-12})}}",
                            cos=fmt(cos), angle=angle))
    broadcast_step(steps, "cos", cos, "target", y)
    # torch: 1 − cos where y == 1, plus the hinge where y == −1 (any other label costs 0)
    terms = np.where(y == 1, 1.0 - cos, 0.0) + np.where(y == -1, np.maximum(0.0, cos - m), 0.0)
    other = int((~np.isin(y, (-1.0, 1.0))).sum())
    if other:
        steps.append(keyed_step("step_cos_other_labels", count=str(other)))
    steps.append(keyed_step("margin.step.cos_terms", r"\ell_n = \begin{cases} 1 - \cos_n & y_n = 1 \\ \max(0,\ \cos_n - \mathrm{margin}) & y_n = -1\end{cases}",
                            m=fmt(m), terms=fmt(terms)))
    return reduce(terms, p["reduction"], steps), steps


# ---- distances ---------------------------------------------------------------------------------
def pnorm_distance(x: np.ndarray, y: np.ndarray, p: float, eps: float) -> np.ndarray:
    """torch.pairwise_distance: ‖x − y + eps‖_p along the last dimension."""
    return (np.abs(x - y + eps) ** p).sum(-1) ** (1.0 / p)


def cosine_distance(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """1 − cosine_similarity, each norm clamped at 1e-8 as torch does."""
    nx = np.maximum(np.sqrt((x * x).sum(-1, keepdims=True)), SIM_EPS)
    ny = np.maximum(np.sqrt((y * y).sum(-1, keepdims=True)), SIM_EPS)
    return 1.0 - ((x / nx) * (y / ny)).sum(-1)


def distance(name: str, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The distances offered by LossLab's TripletMarginWithDistanceLoss page."""
    if name == "pairwise_l2":
        return pnorm_distance(x, y, 2.0, PAIRWISE_EPS)
    if name == "l1":
        return pnorm_distance(x, y, 1.0, PAIRWISE_EPS)
    if name == "cosine":
        return cosine_distance(x, y)
    raise ValueError(name)


DISTANCE_LATEX = {
    "pnorm": r"d(x, y) = \Bigl(\sum_k |x_k - y_k + \epsilon|^p\Bigr)^{1/p}",
    "pairwise_l2": r"d(x, y) = \lVert x - y + 10^{-6} \rVert_2",
    "l1": r"d(x, y) = \lVert x - y + 10^{-6} \rVert_1",
    "cosine": r"d(x, y) = 1 - \frac{x \cdot y}{\max(\lVert x\rVert, 10^{-8})\,\max(\lVert y\rVert, 10^{-8})}",
}


def _triplet_steps(d_ap, d_an, d_pn, swap, margin, steps):
    steps.append(keyed_step("margin.step.d_ap", d=fmt(d_ap)))
    steps.append(keyed_step("margin.step.d_an", d=fmt(d_an)))
    if swap:
        d_neg = np.minimum(d_an, d_pn)
        steps.append(keyed_step("margin.step.swap", r"d^-_i = \min\bigl(d(a_i, n_i),\ d(p_i, n_i)\bigr)",
                                d_pn=fmt(d_pn), d_neg=fmt(d_neg)))
    else:
        d_neg = d_an
    terms = np.maximum(d_ap - d_neg + margin, 0.0)
    steps.append(keyed_step("margin.step.triplet_hinge",
                            r"\ell_i = \max\bigl(d(a_i, p_i) - d^-_i + \mathrm{margin},\ 0\bigr)",
                            m=fmt(margin), terms=fmt(terms)))
    return terms


def triplet_margin(a: dict, p: dict):
    steps: list = []
    an, po, ne = a["anchor"], a["positive"], a["negative"]
    pp, eps = p["p"], p["eps"]
    steps.append(keyed_step("margin.step.pnorm", DISTANCE_LATEX["pnorm"], p=fmt(pp), eps=fmt(eps)))
    d_ap, d_an = pnorm_distance(an, po, pp, eps), pnorm_distance(an, ne, pp, eps)
    d_pn = pnorm_distance(po, ne, pp, eps)
    terms = _triplet_steps(d_ap, d_an, d_pn, p["swap"], p["margin"], steps)
    return reduce(terms, p["reduction"], steps), steps


def triplet_margin_with_distance(a: dict, p: dict):
    steps: list = []
    an, po, ne = a["anchor"], a["positive"], a["negative"]
    name = p["distance_function"]
    steps.append(keyed_step("margin.step.distance", DISTANCE_LATEX[name], name=name))
    d_ap, d_an, d_pn = distance(name, an, po), distance(name, an, ne), distance(name, po, ne)
    terms = _triplet_steps(d_ap, d_an, d_pn, p["swap"], p["margin"], steps)
    return reduce(terms, p["reduction"], steps), steps

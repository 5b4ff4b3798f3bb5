"""NumPy derivations for the margin family. Each returns (value, [Step]) and reproduces torch's kernels,
including their details: MultiMargin and MultiLabelMargin divide by C, CosineEmbedding adds 1e-12 to the
squared norms, pairwise_distance adds eps to the difference, cosine_similarity clamps each norm at 1e-8.
"""
from __future__ import annotations

import numpy as np

from ..spec import Step
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
    steps.append(Step(f"Score difference x1 − x2 = {fmt(d)}", f"得分差 x1 − x2 = {fmt(d)}", r"d_n = x_{1,n} - x_{2,n}"))
    raw = -y * d + m
    steps.append(Step(f"Shortfall −y·(x1 − x2) + margin with margin = {fmt(m)}: {fmt(raw)}",
                      f"差额 −y·(x1 − x2) + margin，margin = {fmt(m)}：{fmt(raw)}",
                      r"s_n = -y_n\, d_n + \mathrm{margin}"))
    terms = np.maximum(raw, 0.0)
    steps.append(Step(f"Hinge max(0, ·): pairs already ahead by the margin cost 0 → {fmt(terms)}",
                      f"合页 max(0, ·)：已领先足够 margin 的对损失为 0 → {fmt(terms)}", r"\ell_n = \max(0,\ s_n)"))
    return reduce(terms, p["reduction"], steps), steps


# ---- HingeEmbeddingLoss -----------------------------------------------------------------------
def hinge_embedding(a: dict, p: dict):
    steps: list = []
    x, y = a["input"], a["target"]
    m = p["margin"]
    broadcast_step(steps, "input", x, "target", y)
    x, y = np.broadcast_arrays(x, y)
    pos = y == 1
    steps.append(Step(f"Labels: {int(pos.sum())} similar (y = +1), {int((~pos).sum())} dissimilar (y = −1).",
                      f"标签：y = +1（相似）共 {int(pos.sum())} 处，y = −1（不相似）共 {int((~pos).sum())} 处。"))
    hinge = np.maximum(0.0, m - x)
    # torch: x where y != -1, plus the hinge where y != 1 (a label of 0 gets both)
    terms = np.where(y != -1, x, 0.0) + np.where(y != 1, hinge, 0.0)
    other = int((~np.isin(y, (-1.0, 1.0))).sum())
    if other:
        steps.append(keyed_step("step_hinge_other_labels", count=str(other)))
    steps.append(Step(f"y = +1: the loss is the distance x itself; y = −1: max(0, margin − x) with margin = {fmt(m)} "
                      f"→ {fmt(terms)}",
                      f"y = +1：损失就是距离 x 本身；y = −1：max(0, margin − x)，margin = {fmt(m)} → {fmt(terms)}",
                      r"\ell_n = \begin{cases} x_n & y_n = 1 \\ \max(0,\ \mathrm{margin} - x_n) & y_n = -1 \end{cases}"))
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
    steps.append(Step(
        f"C = {c} classes, margin = {fmt(m)}, p = {power}" + (f", weight = {fmt(w)}" if w is not None else ", no weight")
        + ". For each sample, every wrong class i adds max(0, margin − x[y] + x[i])^p.",
        f"C = {c} 个类别，margin = {fmt(m)}，p = {power}" + (f"，weight = {fmt(w)}" if w is not None else "，无 weight")
        + "。每个样本中，每个错误类别 i 贡献 max(0, margin − x[y] + x[i])^p。"))
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
            steps.append(Step(
                f"Sample {n}: true class {t} scores {_n(row[t])}; terms of the wrong classes {', '.join(parts)}.",
                f"样本 {n}：正确类别 {t} 的得分为 {_n(row[t])}；各错误类别的项为 {', '.join(parts)}。",
                rf"\ell_{{{n}}} = \tfrac{{1}}{{{c}}}{wtxt}\,\bigl[{' + '.join(parts)}\bigr] = {_n(losses[n])}"))
    if rows.shape[0] > MAX_LISTED:
        steps.append(Step(f"… {rows.shape[0] - MAX_LISTED} more samples the same way: {fmt(losses)}",
                          f"… 其余 {rows.shape[0] - MAX_LISTED} 个样本同理：{fmt(losses)}"))
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
    steps.append(Step(
        f"C = {c} classes. Each target row is read up to its first −1; the classes read are the targets J, every "
        f"other class is a non-target. Each (j ∈ J, i ∉ J) pair adds max(0, 1 − (x[j] − x[i])).",
        f"C = {c} 个类别。每行 target 读到第一个 −1 为止；读到的类别是目标集合 J，其余类别都是非目标。"
        f"每个 (j ∈ J, i ∉ J) 对贡献 max(0, 1 − (x[j] − x[i]))。"))
    losses = np.zeros(rows.shape[0])
    for n, (xr, yr) in enumerate(zip(rows, trows)):
        targets, others, pairs = multilabel_pairs(xr, yr)
        _, stop = read_targets(yr)
        total = float(sum(term for _, _, term in pairs))
        losses[n] = total / c
        if n >= MAX_LISTED:
            continue
        ignored = [int(v) for v in yr[stop + 1:]] if stop < len(yr) else []
        end_en = (f"the −1 at position {stop} ends the list" + (f", so {ignored} after it {'is' if len(ignored) == 1 else 'are'} ignored" if ignored else "")
                  if stop < len(yr) else "no −1, so every entry is a class index")
        end_zh = (f"位置 {stop} 的 −1 结束列表" + (f"，其后的 {ignored} 被忽略" if ignored else "")
                  if stop < len(yr) else "没有 −1，所以每个元素都是类别下标")
        steps.append(Step(
            f"Sample {n}: target row {[int(v) for v in yr]}: {end_en}. Targets J = {targets}, non-targets {others}.",
            f"样本 {n}：target 行 {[int(v) for v in yr]}：{end_zh}。目标 J = {targets}，非目标 {others}。"))
        if not pairs:
            why_en = "no target class" if not targets else "no non-target class"
            why_zh = "没有目标类别" if not targets else "没有非目标类别"
            steps.append(Step(f"Sample {n}: {why_en}, so there is no pair and the loss is 0.",
                              f"样本 {n}：{why_zh}，没有任何比较对，损失为 0。"))
            continue
        lines = [rf"(j={j},\, i={i}):\ \max(0,\ 1 - {_n(xr[j])} + {_n(xr[i])}) &= {_n(term)}"
                 for j, i, term in pairs[:MAX_PAIRS]]
        more = len(pairs) - MAX_PAIRS
        if more > 0:
            lines.append(rf"\dots\ (+{more}) &")
        steps.append(Step(
            f"Sample {n}: every (j, i) pair and its hinge term ({len(pairs)} pairs):",
            f"样本 {n}：每个 (j, i) 对及其合页项（共 {len(pairs)} 对）：",
            r"\begin{aligned}" + r" \\ ".join(lines) + r"\end{aligned}"))
        steps.append(Step(f"Sample {n}: sum {_n(total)} ÷ C = {c} → {_n(losses[n])}",
                          f"样本 {n}：总和 {_n(total)} ÷ C = {c} → {_n(losses[n])}",
                          rf"\ell_{{{n}}} = \tfrac{{{_n(total)}}}{{{c}}} = {_n(losses[n])}"))
    if rows.shape[0] > MAX_LISTED:
        steps.append(Step(f"… {rows.shape[0] - MAX_LISTED} more samples the same way: {fmt(losses)}",
                          f"… 其余 {rows.shape[0] - MAX_LISTED} 个样本同理：{fmt(losses)}"))
    per_sample = np.float64(losses[0]) if x.ndim == 1 else losses
    return reduce(per_sample, p["reduction"], steps), steps


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
    steps.append(Step(f"Cosine of each pair (along the last dimension) = {fmt(cos)}; angle = {fmt(np.degrees(np.arccos(np.clip(cos, -1, 1))))}°",
                      f"每对向量的余弦（沿最后一维）= {fmt(cos)}；夹角 = {fmt(np.degrees(np.arccos(np.clip(cos, -1, 1))))}°",
                      r"\cos_n = \frac{x_{1,n}\cdot x_{2,n}}{\sqrt{(\lVert x_{1,n}\rVert^2 + 10^{-12})(\lVert x_{2,n}\rVert^2 + 10^{-12})}}"))
    broadcast_step(steps, "cos", cos, "target", y)
    # torch: 1 − cos where y == 1, plus the hinge where y == −1 (any other label costs 0)
    terms = np.where(y == 1, 1.0 - cos, 0.0) + np.where(y == -1, np.maximum(0.0, cos - m), 0.0)
    other = int((~np.isin(y, (-1.0, 1.0))).sum())
    if other:
        steps.append(keyed_step("step_cos_other_labels", count=str(other)))
    steps.append(Step(f"y = +1: 1 − cos; y = −1: max(0, cos − margin) with margin = {fmt(m)} → {fmt(terms)}",
                      f"y = +1：1 − cos；y = −1：max(0, cos − margin)，margin = {fmt(m)} → {fmt(terms)}",
                      r"\ell_n = \begin{cases} 1 - \cos_n & y_n = 1 \\ \max(0,\ \cos_n - \mathrm{margin}) & y_n = -1\end{cases}"))
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
    steps.append(Step(f"d(a, p) = {fmt(d_ap)}", f"d(a, p) = {fmt(d_ap)}"))
    steps.append(Step(f"d(a, n) = {fmt(d_an)}", f"d(a, n) = {fmt(d_an)}"))
    if swap:
        d_neg = np.minimum(d_an, d_pn)
        steps.append(Step(f"swap = True: d(p, n) = {fmt(d_pn)}; the negative distance is the smaller of d(a, n) and "
                          f"d(p, n) = {fmt(d_neg)}",
                          f"swap = True：d(p, n) = {fmt(d_pn)}；negative 距离取 d(a, n) 与 d(p, n) 中较小者 = {fmt(d_neg)}",
                          r"d^-_i = \min\bigl(d(a_i, n_i),\ d(p_i, n_i)\bigr)"))
    else:
        d_neg = d_an
    terms = np.maximum(d_ap - d_neg + margin, 0.0)
    steps.append(Step(f"Hinge max(d(a, p) − d⁻ + margin, 0) with margin = {fmt(margin)} → {fmt(terms)}",
                      f"合页 max(d(a, p) − d⁻ + margin, 0)，margin = {fmt(margin)} → {fmt(terms)}",
                      r"\ell_i = \max\bigl(d(a_i, p_i) - d^-_i + \mathrm{margin},\ 0\bigr)"))
    return terms


def triplet_margin(a: dict, p: dict):
    steps: list = []
    an, po, ne = a["anchor"], a["positive"], a["negative"]
    pp, eps = p["p"], p["eps"]
    steps.append(Step(f"Distance: p-norm with p = {fmt(pp)}, eps = {fmt(eps)} added to every coordinate of the difference.",
                      f"距离：p = {fmt(pp)} 的 p 范数，eps = {fmt(eps)} 加到差向量的每个分量上。",
                      DISTANCE_LATEX["pnorm"]))
    d_ap, d_an = pnorm_distance(an, po, pp, eps), pnorm_distance(an, ne, pp, eps)
    d_pn = pnorm_distance(po, ne, pp, eps)
    terms = _triplet_steps(d_ap, d_an, d_pn, p["swap"], p["margin"], steps)
    return reduce(terms, p["reduction"], steps), steps


def triplet_margin_with_distance(a: dict, p: dict):
    steps: list = []
    an, po, ne = a["anchor"], a["positive"], a["negative"]
    name = p["distance_function"]
    steps.append(Step(f"distance_function = '{name}'", f"distance_function = '{name}'", DISTANCE_LATEX[name]))
    d_ap, d_an, d_pn = distance(name, an, po), distance(name, an, ne), distance(name, po, ne)
    terms = _triplet_steps(d_ap, d_an, d_pn, p["swap"], p["margin"], steps)
    return reduce(terms, p["reduction"], steps), steps

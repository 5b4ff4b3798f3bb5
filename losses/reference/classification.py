"""NumPy derivations for BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, NLLLoss and sigmoid focal loss.

Inputs are first rounded to float32, because that is what torch computes with: near 0 and 1 the rounding
is what makes BCELoss(sigmoid(x)) saturate, and a derivation in float64 would hide it.
"""
from __future__ import annotations

import numpy as np

from ..spec import Step
from .common import fmt, reduce


def f32(a) -> np.ndarray:
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def sigmoid(z: np.ndarray) -> np.ndarray:
    return np.exp(-np.logaddexp(0.0, -z))


def softplus(z: np.ndarray) -> np.ndarray:
    return np.logaddexp(0.0, z)


def log_softmax(z: np.ndarray, axis: int = -1) -> np.ndarray:
    m = z.max(axis=axis, keepdims=True)
    return z - m - np.log(np.exp(z - m).sum(axis=axis, keepdims=True))


def _opt(p: dict, name: str):
    v = p.get(name)
    return None if v is None else f32(v)


def _reduce(terms, p: dict, steps: list, divisor: float | None = None, en: str = "", zh: str = ""):
    """common.reduce, plus torch's 0/0 = nan when every target is ignored or every picked weight is 0."""
    if p["reduction"] == "mean" and divisor is not None and divisor == 0:
        steps.append(Step(f"reduction='mean': sum {fmt(float(np.sum(terms)))} ÷ {en} = 0 ÷ 0 = nan.",
                          f"reduction='mean'：总和 {fmt(float(np.sum(terms)))} ÷ {zh} = 0 ÷ 0 = nan。"))
        return np.float64("nan")
    return reduce(terms, p["reduction"], steps, divisor, en, zh)


# ---- binary -----------------------------------------------------------------------------------------------

def binary_cross_entropy(a: dict, p: dict):
    steps: list = []
    typed = np.asarray(a["input"], dtype=np.float64)
    x, y = f32(typed), f32(a["target"])
    snapped = (x != typed) & ((x == 0) | (x == 1))
    if snapped.any():
        steps.append(Step(
            f"float32 rounds {int(snapped.sum())} typed probabilities to exactly 0 or 1: x = {fmt(x)}",
            f"float32 把 {int(snapped.sum())} 个输入概率舍入成恰好 0 或 1：x = {fmt(x)}"))
    steps.append(Step(f"Probabilities x = {fmt(x)}, targets y = {fmt(y)}",
                      f"概率 x = {fmt(x)}，目标 y = {fmt(y)}"))
    with np.errstate(divide="ignore"):
        raw_log_x, raw_log_1mx = np.log(x), np.log(1.0 - x)
    log_x, log_1mx = np.maximum(raw_log_x, -100.0), np.maximum(raw_log_1mx, -100.0)
    clamped = int((raw_log_x < -100).sum() + (raw_log_1mx < -100).sum())
    steps.append(Step(
        f"log x = {fmt(log_x)}, log(1 − x) = {fmt(log_1mx)}"
        + (f" ({clamped} clamped at −100)" if clamped else " (none reaches the −100 clamp)"),
        f"log x = {fmt(log_x)}，log(1 − x) = {fmt(log_1mx)}"
        + (f"（{clamped} 个被截断在 −100）" if clamped else "（没有达到 −100 的截断）"),
        r"\log x_i \to \max(\log x_i,\,-100)"))
    terms = -(y * log_x + (1.0 - y) * log_1mx)
    steps.append(Step(f"ℓ = −[y·log x + (1 − y)·log(1 − x)] = {fmt(terms)}",
                      f"ℓ = −[y·log x + (1 − y)·log(1 − x)] = {fmt(terms)}",
                      r"\ell_i = -\big[y_i \log x_i + (1-y_i)\log(1-x_i)\big]"))
    w = _opt(p, "weight")
    if w is not None:
        terms = np.broadcast_to(w, terms.shape) * terms
        steps.append(Step(f"Multiply by weight {fmt(w)} (broadcast to the input's shape) = {fmt(terms)}",
                          f"乘以 weight {fmt(w)}（广播到 input 的形状）= {fmt(terms)}", r"\ell_i \leftarrow w_i\,\ell_i"))
    return _reduce(terms, p, steps), steps


def binary_cross_entropy_with_logits(a: dict, p: dict):
    steps: list = []
    x, y = f32(a["input"]), f32(a["target"])
    steps.append(Step(f"Logits x = {fmt(x)}, targets y = {fmt(y)}; σ(x) = {fmt(sigmoid(x))} (for reading only)",
                      f"logits x = {fmt(x)}，目标 y = {fmt(y)}；σ(x) = {fmt(sigmoid(x))}（仅供参考）"))
    sp_neg, sp_pos = softplus(-x), softplus(x)
    steps.append(Step(
        f"Stable logs, no probability is formed: −log σ(x) = softplus(−x) = {fmt(sp_neg)}, "
        f"−log(1 − σ(x)) = softplus(x) = {fmt(sp_pos)}",
        f"稳定的对数，不经过概率：−log σ(x) = softplus(−x) = {fmt(sp_neg)}，−log(1 − σ(x)) = softplus(x) = {fmt(sp_pos)}",
        r"-\log\sigma(x) = \log(1+e^{-x}),\quad -\log(1-\sigma(x)) = \log(1+e^{x})"))
    pw = _opt(p, "pos_weight")
    if pw is None:
        terms = y * sp_neg + (1.0 - y) * sp_pos
        steps.append(Step(f"ℓ = y·softplus(−x) + (1 − y)·softplus(x) = {fmt(terms)}",
                          f"ℓ = y·softplus(−x) + (1 − y)·softplus(x) = {fmt(terms)}",
                          r"\ell_i = y_i\,\mathrm{softplus}(-x_i) + (1-y_i)\,\mathrm{softplus}(x_i)"))
    else:
        pwb = np.broadcast_to(pw, x.shape)
        terms = pwb * y * sp_neg + (1.0 - y) * sp_pos
        steps.append(Step(
            f"pos_weight {fmt(pw)} multiplies only the positive term: ℓ = p·y·softplus(−x) + (1 − y)·softplus(x) = {fmt(terms)}",
            f"pos_weight {fmt(pw)} 只乘在正样本项上：ℓ = p·y·softplus(−x) + (1 − y)·softplus(x) = {fmt(terms)}",
            r"\ell_i = p_c\,y_i\,\mathrm{softplus}(-x_i) + (1-y_i)\,\mathrm{softplus}(x_i)"))
    w = _opt(p, "weight")
    if w is not None:
        terms = np.broadcast_to(w, terms.shape) * terms
        steps.append(Step(f"Multiply by weight {fmt(w)} (every element) = {fmt(terms)}",
                          f"乘以 weight {fmt(w)}（作用于每个元素）= {fmt(terms)}", r"\ell_i \leftarrow w_i\,\ell_i"))
    return _reduce(terms, p, steps), steps


def sigmoid_focal_loss(a: dict, p: dict):
    steps: list = []
    x, y = f32(a["inputs"]), f32(a["targets"])
    prob = sigmoid(x)
    ce = y * softplus(-x) + (1.0 - y) * softplus(x)
    steps.append(Step(f"p = σ(x) = {fmt(prob)}; BCE with logits = {fmt(ce)}",
                      f"p = σ(x) = {fmt(prob)}；BCE（logits 版）= {fmt(ce)}",
                      r"\mathrm{BCE}_i = -\big[y_i\log p_i + (1-y_i)\log(1-p_i)\big]"))
    p_t = prob * y + (1.0 - prob) * (1.0 - y)
    gamma = float(p["gamma"])
    mod = (1.0 - p_t) ** gamma
    steps.append(Step(f"p_t = {fmt(p_t)}; modulating factor (1 − p_t)^γ with γ = {fmt(gamma)}: {fmt(mod)}",
                      f"p_t = {fmt(p_t)}；调制因子 (1 − p_t)^γ，γ = {fmt(gamma)}：{fmt(mod)}",
                      r"p_t = p\,y + (1-p)(1-y),\qquad (1-p_t)^{\gamma}"))
    terms = mod * ce
    alpha = float(p["alpha"])
    if alpha >= 0:
        alpha_t = alpha * y + (1.0 - alpha) * (1.0 - y)
        terms = alpha_t * terms
        steps.append(Step(f"α = {fmt(alpha)} ≥ 0: α_t = α·y + (1 − α)·(1 − y) = {fmt(alpha_t)}; "
                          f"ℓ = α_t·(1 − p_t)^γ·BCE = {fmt(terms)}",
                          f"α = {fmt(alpha)} ≥ 0：α_t = α·y + (1 − α)·(1 − y) = {fmt(alpha_t)}；"
                          f"ℓ = α_t·(1 − p_t)^γ·BCE = {fmt(terms)}",
                          r"\ell_i = \alpha_t\,(1-p_t)^{\gamma}\,\mathrm{BCE}_i"))
    else:
        steps.append(Step(f"α = {fmt(alpha)} < 0: no α weighting; ℓ = (1 − p_t)^γ·BCE = {fmt(terms)}",
                          f"α = {fmt(alpha)} < 0：不做 α 加权；ℓ = (1 − p_t)^γ·BCE = {fmt(terms)}",
                          r"\ell_i = (1-p_t)^{\gamma}\,\mathrm{BCE}_i"))
    return _reduce(terms, p, steps), steps


# ---- multi-class ------------------------------------------------------------------------------------------

def _classes_last(x: np.ndarray) -> np.ndarray:
    """(C,) -> (1, C); (N, C, d1, …) -> (N, d1, …, C): the class axis last, one row per position."""
    return x[None] if x.ndim == 1 else np.moveaxis(x, 1, -1)


def _picked_weights_words(wy, keep, weighted: bool):
    n_keep, n = int(keep.sum()), keep.size
    if weighted:
        shown = " + ".join(fmt(v) for v in wy[keep].ravel()[:8]) + (" + …" if n_keep > 8 else "")
        total = fmt(float(wy.sum()))
        return (f"the sum of the picked weights w[y] ({shown} = {total})",
                f"被选中类别的权重之和 w[y]（{shown} = {total}）")
    if n_keep == n:
        return f"the number of targets, {n}", f"目标个数 {n}"
    return (f"the number of non-ignored targets, {n_keep} of {n}", f"未被忽略的目标个数 {n_keep}（共 {n} 个）")


def _index_targets(t, p, C, steps, logp):
    """Shared by CE and NLL: picked entries, weights, ignore mask."""
    tm = np.asarray(t).astype(np.int64)
    tm = tm[None] if tm.ndim == 0 else tm
    ii = int(p["ignore_index"])
    keep = tm != ii
    safe = np.where(keep, tm, 0)
    picked = np.take_along_axis(logp, safe[..., None], axis=-1)[..., 0]
    w = _opt(p, "weight")
    weighted = w is not None
    w = np.ones(C) if w is None else w
    wy = w[safe] * keep
    if not keep.all():
        steps.append(Step(f"ignore_index = {ii}: {int((~keep).sum())} target(s) ignored (loss 0, left out of the mean)",
                          f"ignore_index = {ii}：忽略 {int((~keep).sum())} 个目标（损失为 0，不计入平均）"))
    if weighted:
        steps.append(Step(f"Weight of each target's class w[y] = {fmt(wy)}", f"每个目标所属类别的权重 w[y] = {fmt(wy)}",
                          r"w_{y_n} = \mathrm{weight}[y_n]"))
    return keep, picked, w, wy, weighted


def cross_entropy(a: dict, p: dict):
    steps: list = []
    x = f32(a["input"])
    t = a["target"]
    C = x.shape[0] if x.ndim == 1 else x.shape[1]
    prob_target = np.shape(t) == x.shape
    xm = _classes_last(x)
    steps.append(Step(
        f"Logits, shape {x.shape}: C = {C} classes along dim {0 if x.ndim == 1 else 1}"
        + (f"; every position of the trailing dimensions {x.shape[2:]} is classified on its own" if x.ndim > 2 else ""),
        f"logits 形状 {x.shape}：第 {0 if x.ndim == 1 else 1} 维是 C = {C} 个类别"
        + (f"；后面维度 {x.shape[2:]} 的每个位置各自分类" if x.ndim > 2 else "")))
    logp = log_softmax(xm)
    steps.append(Step(f"log_softmax over the classes (subtract the max, then log-sum-exp): log p = {fmt(logp)}",
                      f"对类别维做 log_softmax（先减最大值，再做 log-sum-exp）：log p = {fmt(logp)}",
                      r"\log p_{n,c} = x_{n,c} - \log\sum_{k} e^{x_{n,k}}"))
    eps = float(p["label_smoothing"])
    if prob_target:
        tm = _classes_last(f32(t))
        steps.append(Step(f"Probability targets (same shape as the input): q = {fmt(tm)}",
                          f"概率形式的目标（与 input 同形）：q = {fmt(tm)}"))
        if eps > 0:
            tm = tm * (1.0 - eps) + eps / C
            steps.append(Step(f"label_smoothing ε = {fmt(eps)}: q ← (1 − ε)·q + ε/C = {fmt(tm)}",
                              f"label_smoothing ε = {fmt(eps)}：q ← (1 − ε)·q + ε/C = {fmt(tm)}",
                              r"q \leftarrow (1-\varepsilon)\,q + \varepsilon / C"))
        w = _opt(p, "weight")
        wv = np.ones(C) if w is None else w
        terms = -(wv * tm * logp).sum(-1)
        steps.append(Step(f"ℓ = −Σ_c {'w_c·' if w is not None else ''}q_c·log p_c = {fmt(terms)}",
                          f"ℓ = −Σ_c {'w_c·' if w is not None else ''}q_c·log p_c = {fmt(terms)}",
                          r"\ell_n = -\sum_c " + (r"w_c\," if w is not None else "") + r"q_{n,c}\log p_{n,c}"))
        divisor = float(terms.size)
        en = f"the number of positions, {terms.size} (weights do not enter the divisor for probability targets)"
        zh = f"位置个数 {terms.size}（概率目标时权重不进入分母）"
    else:
        keep, picked, w, wy, weighted = _index_targets(t, p, C, steps, logp)
        steps.append(Step(f"Log-probability of each target class log p[y] = {fmt(np.where(keep, picked, 0.0))}",
                          f"每个目标类别的对数概率 log p[y] = {fmt(np.where(keep, picked, 0.0))}"))
        nll = -wy * picked
        if eps > 0:
            smooth = -(w * logp).sum(-1) * keep
            terms = (1.0 - eps) * nll + eps / C * smooth
            steps.append(Step(
                f"label_smoothing ε = {fmt(eps)}: ℓ = (1 − ε)·(−w[y]·log p[y]) + ε/C·(−Σ_c w_c·log p_c) = {fmt(terms)}",
                f"label_smoothing ε = {fmt(eps)}：ℓ = (1 − ε)·(−w[y]·log p[y]) + ε/C·(−Σ_c w_c·log p_c) = {fmt(terms)}",
                r"\ell_n = (1-\varepsilon)\big(-w_{y_n}\log p_{n,y_n}\big) + \frac{\varepsilon}{C}\Big(-\sum_c w_c \log p_{n,c}\Big)"))
        else:
            terms = nll
            steps.append(Step(f"ℓ = −{'w[y]·' if weighted else ''}log p[y] = {fmt(terms)}",
                              f"ℓ = −{'w[y]·' if weighted else ''}log p[y] = {fmt(terms)}",
                              r"\ell_n = -" + (r"w_{y_n}\," if weighted else "") + r"\log p_{n,y_n}"))
        divisor = float(wy.sum())
        en, zh = _picked_weights_words(wy, keep, weighted)
    if x.ndim == 1:
        terms = terms[0]
    return _reduce(terms, p, steps, divisor, en, zh), steps


def nll(a: dict, p: dict):
    steps: list = []
    x = f32(a["input"])
    C = x.shape[0] if x.ndim == 1 else x.shape[1]
    xm = _classes_last(x)
    steps.append(Step(f"Input, shape {x.shape}: C = {C} classes along dim {0 if x.ndim == 1 else 1}. "
                      "NLLLoss takes it as log-probabilities as is: no log, no softmax",
                      f"input 形状 {x.shape}：第 {0 if x.ndim == 1 else 1} 维是 C = {C} 个类别。"
                      "NLLLoss 直接把它当作对数概率：不取 log，也不做 softmax"))
    lse = np.log(np.exp(xm - xm.max(-1, keepdims=True)).sum(-1)) + xm.max(-1)
    if np.max(np.abs(lse)) > 1e-3:
        steps.append(Step(f"Check: log Σ_c exp(x_c) = {fmt(lse)} is not 0, so these rows are not log-probabilities "
                          "(the result is not a cross-entropy and can be negative)",
                          f"检查：log Σ_c exp(x_c) = {fmt(lse)} 不为 0，所以这些行不是对数概率（结果不是交叉熵，甚至可能为负）",
                          r"\log\sum_c e^{x_{n,c}} \ne 0"))
    keep, picked, w, wy, weighted = _index_targets(a["target"], p, C, steps, xm)
    steps.append(Step(f"Pick the entry of each target class x[y] = {fmt(np.where(keep, picked, 0.0))}",
                      f"取出每个目标类别对应的值 x[y] = {fmt(np.where(keep, picked, 0.0))}"))
    terms = -wy * picked
    steps.append(Step(f"Negate{' and weight' if weighted else ''}: ℓ = −{'w[y]·' if weighted else ''}x[y] = {fmt(terms)}",
                      f"取负{'并乘权重' if weighted else ''}：ℓ = −{'w[y]·' if weighted else ''}x[y] = {fmt(terms)}",
                      r"\ell_n = -" + (r"w_{y_n}\," if weighted else "") + r"x_{n,y_n}"))
    en, zh = _picked_weights_words(wy, keep, weighted)
    if x.ndim == 1:
        terms = terms[0]
    return _reduce(terms, p, steps, float(wy.sum()), en, zh), steps

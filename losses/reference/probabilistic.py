"""NumPy derivations for KLDivLoss, PoissonNLLLoss, GaussianNLLLoss, SoftMarginLoss, MultiLabelSoftMarginLoss.

Each function takes float64 arrays keyed by torch's argument names and the resolved params, and returns
(value, [Step, ...]) computed independently of torch.
"""
from __future__ import annotations

import math

import numpy as np

from ..spec import Step
from .common import broadcast_step, fmt, reduce

HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)


def batch_size(shape: tuple) -> int:
    """What KLDivLoss's 'batchmean' divides by: input.size(0), or nothing for a 0-d input."""
    return int(shape[0]) if len(shape) else 1


def gaussian_var_for(input_shape: tuple, var_shape: tuple) -> str | None:
    """How torch's gaussian_nll_loss reads `var` for this input shape: 'same', 'unsqueeze' (var is the
    input shape without its last dimension), 'broadcast' (same ndim, exactly one dimension of size 1 where
    they differ) or None (torch raises 'var is of incorrect size')."""
    if var_shape == input_shape:
        return "same"
    if var_shape == input_shape[:-1] and len(input_shape) >= 1:
        return "unsqueeze"
    if len(var_shape) == len(input_shape):
        sizes = [v for i, v in zip(input_shape, var_shape) if i != v]
        if sum(sizes) == 1:
            return "broadcast"
    return None


# ---- KLDivLoss -----------------------------------------------------------------------------------
def kl_div(a: dict, p: dict):
    steps: list = []
    x, y = a["input"], a["target"]
    broadcast_step(steps, "input", x, "target", y)
    steps.append(Step(f"input x is already log q: q = exp(x) = {fmt(np.exp(x))}",
                      f"input x 已经是 log q：q = exp(x) = {fmt(np.exp(x))}", r"q_i = e^{x_i}"))
    if p["log_target"]:
        prob = np.exp(y)
        steps.append(Step(f"log_target=True: target y is log p, so p = exp(y) = {fmt(prob)}",
                          f"log_target=True：target y 是 log p，所以 p = exp(y) = {fmt(prob)}", r"p_i = e^{y_i}"))
        terms = prob * (y - x)
        steps.append(Step(f"Pointwise terms p·(log p − x) = exp(y)·(y − x) = {fmt(terms)}",
                          f"逐元素项 p·(log p − x) = exp(y)·(y − x) = {fmt(terms)}",
                          r"\ell_i = e^{y_i}\,(y_i - x_i)"))
    else:
        plogp = np.where(y > 0, y * np.log(np.where(y > 0, y, 1.0)), 0.0)
        terms = plogp - y * x
        steps.append(Step(f"Pointwise terms p·(log p − x), with 0·log 0 = 0: {fmt(terms)}",
                          f"逐元素项 p·(log p − x)，约定 0·log 0 = 0：{fmt(terms)}",
                          r"\ell_i = y_i\,(\log y_i - x_i)"))
    if np.any(terms < 0):
        steps.append(Step("Some terms are negative: only their sum over a whole distribution is ≥ 0.",
                          "有些项是负数：只有对整个分布求和后才保证 ≥ 0。"))
    if x.ndim >= 1:
        kl_rows = terms.sum(axis=-1)
        steps.append(Step(f"KL(p‖q) of each distribution (sum over the last dimension) = {fmt(kl_rows)}",
                          f"每个分布的 KL(p‖q)（沿最后一维求和）= {fmt(kl_rows)}",
                          r"\mathrm{KL}(p\,\|\,q) = \sum_c p_c\,(\log p_c - \log q_c)"))
    red = p["reduction"]
    if red == "batchmean":
        b = batch_size(x.shape)
        value = reduce(terms, red, steps, divisor=float(b),
                       divisor_en=f"the batch size input.size(0) = {b}" if x.ndim else "1 (a 0-d input has no batch)",
                       divisor_zh=f"batch 大小 input.size(0) = {b}" if x.ndim else "1（0 维输入没有 batch）")
    elif red == "mean":
        value = reduce(terms, red, steps, divisor=float(terms.size),
                       divisor_en=f"all {terms.size} elements (not the batch: this is not the KL)",
                       divisor_zh=f"全部 {terms.size} 个元素（不是 batch 大小：这不是 KL）")
    else:
        value = reduce(terms, red, steps)
    return value, steps


# ---- PoissonNLLLoss ------------------------------------------------------------------------------
def stirling(y: np.ndarray) -> np.ndarray:
    """torch's Stirling term of full=True: y·log y − y + ½·log(2πy) where y > 1, else 0."""
    safe = np.where(y > 1, y, 2.0)
    return np.where(y > 1, safe * np.log(safe) - safe + 0.5 * np.log(2 * math.pi * safe), 0.0)


def poisson_nll(a: dict, p: dict):
    steps: list = []
    x, y = a["input"], a["target"]
    broadcast_step(steps, "input", x, "target", y)
    if p["log_input"]:
        rate = np.exp(x)
        steps.append(Step(f"log_input=True: input is log λ, so λ = exp(input) = {fmt(rate)}",
                          f"log_input=True：input 是 log λ，所以 λ = exp(input) = {fmt(rate)}", r"\lambda_i = e^{x_i}"))
        terms = rate - y * x
        steps.append(Step(f"exp(x) − y·x = {fmt(terms)}", f"exp(x) − y·x = {fmt(terms)}",
                          r"\ell_i = e^{x_i} - y_i\,x_i"))
    else:
        eps = p["eps"]
        steps.append(Step(f"log_input=False: input is λ itself; eps = {eps:g} is added inside the log",
                          f"log_input=False：input 就是 λ；eps = {eps:g} 加在 log 里面",
                          r"\log(\lambda_i + \varepsilon)"))
        terms = x - y * np.log(x + eps)
        steps.append(Step(f"x − y·log(x + eps) = {fmt(terms)}", f"x − y·log(x + eps) = {fmt(terms)}",
                          r"\ell_i = x_i - y_i\,\log(x_i + \varepsilon)"))
    if p["full"]:
        mask = y > 1
        st = stirling(y)
        steps.append(Step(f"full=True: Stirling term only where target > 1 (mask {fmt(mask.astype(int))}): {fmt(st)}",
                          f"full=True：只在 target > 1 处加 Stirling 项（掩码 {fmt(mask.astype(int))}）：{fmt(st)}",
                          r"y_i\log y_i - y_i + \tfrac12\log(2\pi y_i)\ \ [y_i \gt 1]"))
        terms = terms + st
        steps.append(Step(f"Elementwise loss with the Stirling term = {fmt(terms)}",
                          f"加上 Stirling 项后的逐元素损失 = {fmt(terms)}"))
    else:
        steps.append(Step("full=False: the constant log(y!) is left out (it does not depend on the prediction).",
                          "full=False：常数项 log(y!) 被省略（它与预测无关）。"))
    return reduce(terms, p["reduction"], steps), steps


# ---- GaussianNLLLoss -----------------------------------------------------------------------------
def gaussian_nll(a: dict, p: dict):
    steps: list = []
    x, y, var = a["input"], a["target"], a["var"]
    broadcast_step(steps, "input", x, "target", y)
    how = gaussian_var_for(x.shape, var.shape)
    if how == "unsqueeze":
        var = var[..., None]
        steps.append(Step("var has the input's shape without its last dimension: one variance per row, "
                          "shared by its last-dimension elements.",
                          "var 的形状是 input 去掉最后一维：每行一个方差，由该行最后一维的元素共用。"))
    elif how == "broadcast":
        steps.append(Step("var has one dimension of size 1: that variance is shared along it (homoscedastic).",
                          "var 有一维大小为 1：沿这一维共用同一个方差（同方差）。"))
    var = np.broadcast_to(var, x.shape)
    eps = p["eps"]
    used = np.maximum(var, eps)
    clamped = var < eps
    steps.append(Step(f"Clamp the variance at eps = {eps:g}: max(var, eps) = {fmt(used)} "
                      f"({int(clamped.sum())} of {var.size} clamped; eps is not added)",
                      f"用 eps = {eps:g} 截断方差：max(var, eps) = {fmt(used)}"
                      f"（{var.size} 个中有 {int(clamped.sum())} 个被截断；eps 不是加上去的）",
                      r"\tilde\sigma_i^2 = \max(\sigma_i^2, \varepsilon)"))
    sq = (x - y) ** 2
    steps.append(Step(f"Squared error (input − target)² = {fmt(sq)}", f"平方误差 (input − target)² = {fmt(sq)}",
                      r"(x_i - y_i)^2"))
    terms = 0.5 * (np.log(used) + sq / used)
    steps.append(Step(f"½·(log max(var, eps) + error² / max(var, eps)) = {fmt(terms)}",
                      f"½·(log max(var, eps) + 误差² / max(var, eps)) = {fmt(terms)}",
                      r"\ell_i = \tfrac12\Big(\log\tilde\sigma_i^2 + \frac{(x_i - y_i)^2}{\tilde\sigma_i^2}\Big)"))
    if p["full"]:
        terms = terms + HALF_LOG_2PI
        steps.append(Step(f"full=True: add ½·log(2π) = {HALF_LOG_2PI:.6f} to every element = {fmt(terms)}",
                          f"full=True：每个元素加 ½·log(2π) = {HALF_LOG_2PI:.6f}，得 {fmt(terms)}",
                          r"+\tfrac12\log(2\pi)"))
    return reduce(terms, p["reduction"], steps, divisor=float(terms.size),
                  divisor_en=f"all {terms.size} elements of the loss", divisor_zh=f"损失的全部 {terms.size} 个元素"), steps


# ---- SoftMarginLoss ------------------------------------------------------------------------------
def soft_margin(a: dict, p: dict):
    steps: list = []
    x, y = a["input"], a["target"]
    broadcast_step(steps, "input", x, "target", y)
    m = y * x
    steps.append(Step(f"Margins m = y·x = {fmt(m)} (positive: right side)", f"间隔 m = y·x = {fmt(m)}（正数：分对了）",
                      r"m_i = y_i\,x_i"))
    terms = np.logaddexp(0.0, -m)
    steps.append(Step(f"log(1 + exp(−m)) = {fmt(terms)}", f"log(1 + exp(−m)) = {fmt(terms)}",
                      r"\ell_i = \log\big(1 + e^{-m_i}\big)"))
    return reduce(terms, p["reduction"], steps), steps


# ---- MultiLabelSoftMarginLoss --------------------------------------------------------------------
def _log_sigmoid(z: np.ndarray) -> np.ndarray:
    return -np.logaddexp(0.0, -z)


def multilabel_soft_margin(a: dict, p: dict):
    steps: list = []
    x, y = a["input"], a["target"]
    c = x.shape[-1]
    broadcast_step(steps, "input", x, "target", y)
    terms = -(y * _log_sigmoid(x) + (1 - y) * _log_sigmoid(-x))
    steps.append(Step(f"Per class: −[y·log σ(x) + (1 − y)·log σ(−x)] = {fmt(terms)}",
                      f"逐类别：−[y·log σ(x) + (1 − y)·log σ(−x)] = {fmt(terms)}",
                      r"-\big[y\log\sigma(x) + (1-y)\log\sigma(-x)\big]"))
    w = p.get("weight")
    if w is not None:
        w = np.asarray(w, dtype=np.float64)
        terms = terms * w
        steps.append(Step(f"Multiply by the class weights {fmt(w)}: {fmt(terms)}",
                          f"乘以类别权重 {fmt(w)}：{fmt(terms)}", r"w_c\,\ell_{n,c}"))
    # torch sums over the *input's* last dimension, counted in the broadcast result: a 1-D input against a
    # (1, C) target sums over dimension 0 and keeps C values (what the broadcast warning is about).
    axis = x.ndim - 1
    per_sample = terms.sum(axis=axis) / c
    where_en = "the last dimension" if axis == terms.ndim - 1 else f"dimension {axis} (the input's last, after broadcasting)"
    where_zh = "最后一维" if axis == terms.ndim - 1 else f"第 {axis} 维（广播后仍按 input 的最后一维）"
    steps.append(Step(f"Sum over {where_en} and divide by C = {c} (not by the sum of the weights): {fmt(per_sample)}",
                      f"沿{where_zh}求和，再除以 C = {c}（不是权重之和）：{fmt(per_sample)}",
                      r"\ell_n = \frac{1}{C}\sum_c w_c\,\ell_{n,c}"))
    n = per_sample.size
    return reduce(per_sample, p["reduction"], steps, divisor=float(n),
                  divisor_en=f"the number of samples, {n}", divisor_zh=f"样本数 {n}"), steps

"""NumPy derivations for L1, MSE, SmoothL1 and Huber."""
from __future__ import annotations

import numpy as np

from ..spec import Step
from .common import broadcast_step, fmt, reduce


def _residual(a: dict, steps: list) -> np.ndarray:
    broadcast_step(steps, "input", a["input"], "target", a["target"])
    r = a["input"] - a["target"]
    steps.append(Step(f"Residual r = input − target = {fmt(r)}", f"残差 r = input − target = {fmt(r)}",
                      r"r_i = x_i - y_i"))
    return r


def l1(a: dict, p: dict):
    steps: list = []
    r = _residual(a, steps)
    terms = np.abs(r)
    steps.append(Step(f"Absolute value |r| = {fmt(terms)}", f"取绝对值 |r| = {fmt(terms)}", r"\ell_i = |r_i|"))
    return reduce(terms, p["reduction"], steps), steps


def mse(a: dict, p: dict):
    steps: list = []
    r = _residual(a, steps)
    terms = r ** 2
    steps.append(Step(f"Square r² = {fmt(terms)}", f"平方 r² = {fmt(terms)}", r"\ell_i = r_i^2"))
    return reduce(terms, p["reduction"], steps), steps


def _branches(r, threshold, steps, name_en, name_zh, symbol):
    quad = np.abs(r) < threshold
    steps.append(Step(
        f"Compare |r| with {name_en} = {fmt(threshold)}: quadratic (L2) branch where |r| < {name_en}: {fmt(quad.astype(int))} (1 = quadratic, 0 = linear)",
        f"把 |r| 与 {name_zh} = {fmt(threshold)} 比较：|r| < {name_zh} 处走二次（L2）分支：{fmt(quad.astype(int))}（1 = 二次，0 = 线性）",
        rf"|r_i| < {symbol}\ ?"))
    return quad


def smooth_l1(a: dict, p: dict):
    steps: list = []
    r = _residual(a, steps)
    beta = p["beta"]
    if beta == 0:
        steps.append(Step("β = 0: SmoothL1 is exactly L1, ℓ = |r|.", "β = 0：SmoothL1 就是 L1，ℓ = |r|。"))
        terms = np.abs(r)
    else:
        quad = _branches(r, beta, steps, "β", "β", r"\beta")
        terms = np.where(quad, 0.5 * r ** 2 / beta, np.abs(r) - 0.5 * beta)
        steps.append(Step(f"ℓ = 0.5·r²/β on the quadratic branch, |r| − 0.5·β on the linear one = {fmt(terms)}",
                          f"二次分支 ℓ = 0.5·r²/β，线性分支 ℓ = |r| − 0.5·β，得 {fmt(terms)}",
                          r"\ell_i = \begin{cases} 0.5\,r_i^2/\beta & |r_i|<\beta \\ |r_i| - 0.5\,\beta & \text{otherwise}\end{cases}"))
    return reduce(terms, p["reduction"], steps), steps


def huber(a: dict, p: dict):
    steps: list = []
    r = _residual(a, steps)
    delta = p["delta"]
    quad = _branches(r, delta, steps, "δ", "δ", r"\delta")
    terms = np.where(quad, 0.5 * r ** 2, delta * (np.abs(r) - 0.5 * delta))
    steps.append(Step(f"ℓ = 0.5·r² on the quadratic branch, δ·(|r| − 0.5·δ) on the linear one = {fmt(terms)}",
                      f"二次分支 ℓ = 0.5·r²，线性分支 ℓ = δ·(|r| − 0.5·δ)，得 {fmt(terms)}",
                      r"\ell_i = \begin{cases} 0.5\,r_i^2 & |r_i|<\delta \\ \delta\,(|r_i| - 0.5\,\delta) & \text{otherwise}\end{cases}"))
    return reduce(terms, p["reduction"], steps), steps

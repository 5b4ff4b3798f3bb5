"""NumPy derivations for L1, MSE, SmoothL1 and Huber."""
from __future__ import annotations

import numpy as np

from .common import broadcast_step, fmt, keyed_step, reduce

SMOOTH_L1_TEX = r"\ell_i = \begin{cases} 0.5\,r_i^2/\beta & |r_i|<\beta \\ |r_i| - 0.5\,\beta & \text{otherwise}\end{cases}"
HUBER_TEX = r"\ell_i = \begin{cases} 0.5\,r_i^2 & |r_i|<\delta \\ \delta\,(|r_i| - 0.5\,\delta) & \text{otherwise}\end{cases}"


def _residual(a: dict, steps: list) -> np.ndarray:
    broadcast_step(steps, "input", a["input"], "target", a["target"])
    r = a["input"] - a["target"]
    steps.append(keyed_step("regression.step.residual", r"r_i = x_i - y_i", r=fmt(r)))
    return r


def l1(a: dict, p: dict):
    steps: list = []
    r = _residual(a, steps)
    terms = np.abs(r)
    steps.append(keyed_step("regression.step.abs", r"\ell_i = |r_i|", terms=fmt(terms)))
    return reduce(terms, p["reduction"], steps), steps


def mse(a: dict, p: dict):
    steps: list = []
    r = _residual(a, steps)
    terms = r ** 2
    steps.append(keyed_step("regression.step.square", r"\ell_i = r_i^2", terms=fmt(terms)))
    return reduce(terms, p["reduction"], steps), steps


def _branches(r, threshold, steps, name, symbol):
    quad = np.abs(r) < threshold
    steps.append(keyed_step("regression.step.branches", rf"|r_i| < {symbol}\ ?",
                            name=name, threshold=fmt(threshold), quad=fmt(quad.astype(int))))
    return quad


def smooth_l1(a: dict, p: dict):
    steps: list = []
    r = _residual(a, steps)
    beta = p["beta"]
    if beta == 0:
        steps.append(keyed_step("regression.step.smooth_l1_is_l1"))
        terms = np.abs(r)
    else:
        quad = _branches(r, beta, steps, "β", r"\beta")
        terms = np.where(quad, 0.5 * r ** 2 / beta, np.abs(r) - 0.5 * beta)
        steps.append(keyed_step("regression.step.smooth_l1", SMOOTH_L1_TEX, terms=fmt(terms)))
    return reduce(terms, p["reduction"], steps), steps


def huber(a: dict, p: dict):
    steps: list = []
    r = _residual(a, steps)
    delta = p["delta"]
    quad = _branches(r, delta, steps, "δ", r"\delta")
    terms = np.where(quad, 0.5 * r ** 2, delta * (np.abs(r) - 0.5 * delta))
    steps.append(keyed_step("regression.step.huber", HUBER_TEX, terms=fmt(terms)))
    return reduce(terms, p["reduction"], steps), steps

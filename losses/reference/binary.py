"""NumPy derivations for BCELoss, BCEWithLogitsLoss and sigmoid focal loss (steps keyed "binary.step.…").

Inputs are first rounded to float32, because that is what torch computes with: near 0 and 1 the rounding
is what makes BCELoss(sigmoid(x)) saturate, and a derivation in float64 would hide it.
"""
from __future__ import annotations

import numpy as np

from ..text import M
from .common import fmt, keyed_step, reduce


def f32(a) -> np.ndarray:
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def opt_f32(p: dict, name: str):
    v = p.get(name)
    return None if v is None else f32(v)


def sigmoid(z: np.ndarray) -> np.ndarray:
    return np.exp(-np.logaddexp(0.0, -z))


def softplus(z: np.ndarray) -> np.ndarray:
    return np.logaddexp(0.0, z)


def binary_cross_entropy(a: dict, p: dict):
    steps: list = []
    typed = np.asarray(a["input"], dtype=np.float64)
    x, y = f32(typed), f32(a["target"])
    snapped = (x != typed) & ((x == 0) | (x == 1))
    if snapped.any():
        steps.append(keyed_step("binary.step.snapped", n=int(snapped.sum()), x=fmt(x)))
    steps.append(keyed_step("binary.step.probabilities", x=fmt(x), y=fmt(y)))
    with np.errstate(divide="ignore"):
        raw_log_x, raw_log_1mx = np.log(x), np.log(1.0 - x)
    log_x, log_1mx = np.maximum(raw_log_x, -100.0), np.maximum(raw_log_1mx, -100.0)
    clamped = int((raw_log_x < -100).sum() + (raw_log_1mx < -100).sum())
    clamp = M("binary.step.clamped", n=clamped) if clamped else M("binary.step.unclamped")
    steps.append(keyed_step("binary.step.logs", r"\log x_i \to \max(\log x_i,\,-100)",
                            log_x=fmt(log_x), log_1mx=fmt(log_1mx), clamp=clamp))
    terms = -(y * log_x + (1.0 - y) * log_1mx)
    steps.append(keyed_step("binary.step.bce_terms", r"\ell_i = -\big[y_i \log x_i + (1-y_i)\log(1-x_i)\big]",
                            terms=fmt(terms)))
    w = opt_f32(p, "weight")
    if w is not None:
        terms = np.broadcast_to(w, terms.shape) * terms
        steps.append(keyed_step("binary.step.bce_weight", r"\ell_i \leftarrow w_i\,\ell_i", w=fmt(w), terms=fmt(terms)))
    return reduce(terms, p["reduction"], steps), steps


def binary_cross_entropy_with_logits(a: dict, p: dict):
    steps: list = []
    x, y = f32(a["input"]), f32(a["target"])
    steps.append(keyed_step("binary.step.logits", x=fmt(x), y=fmt(y), s=fmt(sigmoid(x))))
    sp_neg, sp_pos = softplus(-x), softplus(x)
    steps.append(keyed_step("binary.step.stable",
                            r"-\log\sigma(x) = \log(1+e^{-x}),\quad -\log(1-\sigma(x)) = \log(1+e^{x})",
                            neg=fmt(sp_neg), pos=fmt(sp_pos)))
    pw = opt_f32(p, "pos_weight")
    if pw is None:
        terms = y * sp_neg + (1.0 - y) * sp_pos
        steps.append(keyed_step("binary.step.logits_terms",
                                r"\ell_i = y_i\,\mathrm{softplus}(-x_i) + (1-y_i)\,\mathrm{softplus}(x_i)",
                                terms=fmt(terms)))
    else:
        pwb = np.broadcast_to(pw, x.shape)
        terms = pwb * y * sp_neg + (1.0 - y) * sp_pos
        steps.append(keyed_step("binary.step.pos_weight",
                                r"\ell_i = p_c\,y_i\,\mathrm{softplus}(-x_i) + (1-y_i)\,\mathrm{softplus}(x_i)",
                                pw=fmt(pw), terms=fmt(terms)))
    w = opt_f32(p, "weight")
    if w is not None:
        terms = np.broadcast_to(w, terms.shape) * terms
        steps.append(keyed_step("binary.step.logits_weight", r"\ell_i \leftarrow w_i\,\ell_i",
                                w=fmt(w), terms=fmt(terms)))
    return reduce(terms, p["reduction"], steps), steps


def sigmoid_focal_loss(a: dict, p: dict):
    steps: list = []
    x, y = f32(a["inputs"]), f32(a["targets"])
    prob = sigmoid(x)
    ce = y * softplus(-x) + (1.0 - y) * softplus(x)
    steps.append(keyed_step("binary.step.focal_bce", r"\mathrm{BCE}_i = -\big[y_i\log p_i + (1-y_i)\log(1-p_i)\big]",
                            p=fmt(prob), ce=fmt(ce)))
    p_t = prob * y + (1.0 - prob) * (1.0 - y)
    gamma = float(p["gamma"])
    mod = (1.0 - p_t) ** gamma
    steps.append(keyed_step("binary.step.focal_pt", r"p_t = p\,y + (1-p)(1-y),\qquad (1-p_t)^{\gamma}",
                            pt=fmt(p_t), gamma=fmt(gamma), mod=fmt(mod)))
    terms = mod * ce
    alpha = float(p["alpha"])
    if alpha >= 0:
        alpha_t = alpha * y + (1.0 - alpha) * (1.0 - y)
        terms = alpha_t * terms
        steps.append(keyed_step("binary.step.focal_alpha", r"\ell_i = \alpha_t\,(1-p_t)^{\gamma}\,\mathrm{BCE}_i",
                                alpha=fmt(alpha), alpha_t=fmt(alpha_t), terms=fmt(terms)))
    else:
        steps.append(keyed_step("binary.step.focal_no_alpha", r"\ell_i = (1-p_t)^{\gamma}\,\mathrm{BCE}_i",
                                alpha=fmt(alpha), terms=fmt(terms)))
    return reduce(terms, p["reduction"], steps), steps

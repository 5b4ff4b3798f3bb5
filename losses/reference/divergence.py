"""NumPy derivation of KLDivLoss: (value, [Step, ...]) computed independently of torch."""
from __future__ import annotations

import numpy as np

from ..text import M
from .common import broadcast_step, fmt, keyed_step, reduce


def batch_size(shape: tuple) -> int:
    """What KLDivLoss's 'batchmean' divides by: input.size(0), or nothing for a 0-d input."""
    return int(shape[0]) if len(shape) else 1


def _terms(x: np.ndarray, y: np.ndarray, log_target: bool, steps: list) -> np.ndarray:
    if log_target:
        prob = np.exp(y)
        steps.append(keyed_step("divergence.step.p_from_log", r"p_i = e^{y_i}", p=fmt(prob)))
        terms = prob * (y - x)
        steps.append(keyed_step("divergence.step.terms_log_target", r"\ell_i = e^{y_i}\,(y_i - x_i)", terms=fmt(terms)))
        return terms
    plogp = np.where(y > 0, y * np.log(np.where(y > 0, y, 1.0)), 0.0)
    terms = plogp - y * x
    steps.append(keyed_step("divergence.step.terms", r"\ell_i = y_i\,(\log y_i - x_i)", terms=fmt(terms)))
    return terms


def kl_div(a: dict, p: dict):
    steps: list = []
    x, y = a["input"], a["target"]
    broadcast_step(steps, "input", x, "target", y)
    steps.append(keyed_step("divergence.step.q", r"q_i = e^{x_i}", q=fmt(np.exp(x))))
    terms = _terms(x, y, p["log_target"], steps)
    if np.any(terms < 0):
        steps.append(keyed_step("divergence.step.negative_terms"))
    if x.ndim >= 1:
        steps.append(keyed_step("divergence.step.rows", r"\mathrm{KL}(p\,\|\,q) = \sum_c p_c\,(\log p_c - \log q_c)",
                                kl=fmt(terms.sum(axis=-1))))
    red = p["reduction"]
    if red == "batchmean":
        b = batch_size(x.shape)
        words = M("divergence.divisor.batch", b=b) if x.ndim else M("divergence.divisor.no_batch")
        return reduce(terms, red, steps, float(b), words), steps
    if red == "mean":
        return reduce(terms, red, steps, float(terms.size), M("divergence.divisor.all", n=terms.size)), steps
    return reduce(terms, red, steps), steps

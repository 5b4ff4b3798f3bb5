"""NumPy derivations of SoftMarginLoss and MultiLabelSoftMarginLoss: (value, [Step, ...]) computed
independently of torch."""
from __future__ import annotations

import numpy as np

from ..text import M
from .common import broadcast_step, fmt, keyed_step, reduce


def soft_margin(a: dict, p: dict):
    steps: list = []
    x, y = a["input"], a["target"]
    broadcast_step(steps, "input", x, "target", y)
    m = y * x
    steps.append(keyed_step("soft_margin.step.margins", r"m_i = y_i\,x_i", m=fmt(m)))
    terms = np.logaddexp(0.0, -m)
    steps.append(keyed_step("soft_margin.step.terms", r"\ell_i = \log\big(1 + e^{-m_i}\big)", terms=fmt(terms)))
    return reduce(terms, p["reduction"], steps), steps


def _log_sigmoid(z: np.ndarray) -> np.ndarray:
    return -np.logaddexp(0.0, -z)


def multilabel_soft_margin(a: dict, p: dict):
    steps: list = []
    x, y = a["input"], a["target"]
    c = x.shape[-1]
    broadcast_step(steps, "input", x, "target", y)
    terms = -(y * _log_sigmoid(x) + (1 - y) * _log_sigmoid(-x))
    steps.append(keyed_step("soft_margin.step.per_class", r"-\big[y\log\sigma(x) + (1-y)\log\sigma(-x)\big]",
                            terms=fmt(terms)))
    w = p.get("weight")
    if w is not None:
        w = np.asarray(w, dtype=np.float64)
        terms = terms * w
        steps.append(keyed_step("soft_margin.step.weights", r"w_c\,\ell_{n,c}", w=fmt(w), terms=fmt(terms)))
    # torch sums over the *input's* last dimension, counted in the broadcast result: a 1-D input against a
    # (1, C) target sums over dimension 0 and keeps C values (what the broadcast warning is about).
    axis = x.ndim - 1
    per_sample = terms.sum(axis=axis) / c
    where = (M("soft_margin.step.last_dim") if axis == terms.ndim - 1
             else M("soft_margin.step.input_last_dim", axis=axis))
    steps.append(keyed_step("soft_margin.step.per_sample", r"\ell_n = \frac{1}{C}\sum_c w_c\,\ell_{n,c}",
                            where=where, c=c, per=fmt(per_sample)))
    n = per_sample.size
    return reduce(per_sample, p["reduction"], steps, float(n), M("soft_margin.divisor.samples", n=n)), steps

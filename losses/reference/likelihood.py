"""NumPy derivations of PoissonNLLLoss and GaussianNLLLoss: (value, [Step, ...]) computed independently of torch."""
from __future__ import annotations

import math

import numpy as np

from ..text import M
from .common import broadcast_step, fmt, keyed_step, reduce

HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)


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


# ---- PoissonNLLLoss ------------------------------------------------------------------------------
def stirling(y: np.ndarray) -> np.ndarray:
    """torch's Stirling term of full=True: y·log y − y + ½·log(2πy) where y > 1, else 0."""
    safe = np.where(y > 1, y, 2.0)
    return np.where(y > 1, safe * np.log(safe) - safe + 0.5 * np.log(2 * math.pi * safe), 0.0)


def _poisson_terms(x: np.ndarray, y: np.ndarray, p: dict, steps: list) -> np.ndarray:
    if p["log_input"]:
        steps.append(keyed_step("likelihood.poisson.step.rate", r"\lambda_i = e^{x_i}", rate=fmt(np.exp(x))))
        terms = np.exp(x) - y * x
        steps.append(keyed_step("likelihood.poisson.step.terms_log_input", r"\ell_i = e^{x_i} - y_i\,x_i",
                                terms=fmt(terms)))
        return terms
    eps = p["eps"]
    steps.append(keyed_step("likelihood.poisson.step.eps", r"\log(\lambda_i + \varepsilon)", eps=eps))
    terms = x - y * np.log(x + eps)
    steps.append(keyed_step("likelihood.poisson.step.terms_rate", r"\ell_i = x_i - y_i\,\log(x_i + \varepsilon)",
                            terms=fmt(terms)))
    return terms


def poisson_nll(a: dict, p: dict):
    steps: list = []
    x, y = a["input"], a["target"]
    broadcast_step(steps, "input", x, "target", y)
    terms = _poisson_terms(x, y, p, steps)
    if p["full"]:
        st = stirling(y)
        steps.append(keyed_step("likelihood.poisson.step.stirling",
                                r"y_i\log y_i - y_i + \tfrac12\log(2\pi y_i)\ \ [y_i \gt 1]",
                                mask=fmt((y > 1).astype(int)), st=fmt(st)))
        terms = terms + st
        steps.append(keyed_step("likelihood.poisson.step.with_stirling", terms=fmt(terms)))
    else:
        steps.append(keyed_step("likelihood.poisson.step.no_full"))
    return reduce(terms, p["reduction"], steps), steps


# ---- GaussianNLLLoss -----------------------------------------------------------------------------
def _shared_var(x: np.ndarray, var: np.ndarray, steps: list) -> np.ndarray:
    """var as torch reads it, broadcast to the input's shape (with a step saying how it is shared)."""
    how = gaussian_var_for(x.shape, var.shape)
    if how == "unsqueeze":
        var = var[..., None]
        steps.append(keyed_step("likelihood.gaussian.step.var_per_row"))
    elif how == "broadcast":
        steps.append(keyed_step("likelihood.gaussian.step.var_shared"))
    return np.broadcast_to(var, x.shape)


def gaussian_nll(a: dict, p: dict):
    steps: list = []
    x, y = a["input"], a["target"]
    broadcast_step(steps, "input", x, "target", y)
    var = _shared_var(x, a["var"], steps)
    eps = p["eps"]
    used = np.maximum(var, eps)
    steps.append(keyed_step("likelihood.gaussian.step.clamp", r"\tilde\sigma_i^2 = \max(\sigma_i^2, \varepsilon)",
                            eps=eps, used=fmt(used), clamped=int((var < eps).sum()), size=var.size))
    sq = (x - y) ** 2
    steps.append(keyed_step("likelihood.gaussian.step.squared_error", r"(x_i - y_i)^2", sq=fmt(sq)))
    terms = 0.5 * (np.log(used) + sq / used)
    steps.append(keyed_step("likelihood.gaussian.step.terms",
                            r"\ell_i = \tfrac12\Big(\log\tilde\sigma_i^2 + \frac{(x_i - y_i)^2}{\tilde\sigma_i^2}\Big)",
                            terms=fmt(terms)))
    if p["full"]:
        terms = terms + HALF_LOG_2PI
        steps.append(keyed_step("likelihood.gaussian.step.full", r"+\tfrac12\log(2\pi)", c=HALF_LOG_2PI,
                                terms=fmt(terms)))
    words = M("likelihood.gaussian.divisor.all", n=terms.size)
    return reduce(terms, p["reduction"], steps, float(terms.size), words), steps

"""NumPy derivations for CrossEntropyLoss and NLLLoss (steps keyed "multiclass.step.…")."""
from __future__ import annotations

import numpy as np

from ..text import M
from .binary import f32, opt_f32
from .common import fmt, keyed_step, reduce


def log_softmax(z: np.ndarray, axis: int = -1) -> np.ndarray:
    m = z.max(axis=axis, keepdims=True)
    return z - m - np.log(np.exp(z - m).sum(axis=axis, keepdims=True))


def _reduce(terms, p: dict, steps: list, divisor: float, words):
    """common.reduce, plus torch's 0/0 = nan when every target is ignored or every picked weight is 0."""
    if p["reduction"] == "mean" and divisor == 0:
        steps.append(keyed_step("multiclass.step.mean_nan", total=fmt(float(np.sum(terms))), divisor=words))
        return np.float64("nan")
    # common.reduce takes the divisor's words as two strings (it has no message argument yet).
    return reduce(terms, p["reduction"], steps, divisor, words)


def _classes_last(x: np.ndarray) -> np.ndarray:
    """(C,) -> (1, C); (N, C, d1, …) -> (N, d1, …, C): the class axis last, one row per position."""
    return x[None] if x.ndim == 1 else np.moveaxis(x, 1, -1)


def picked_weights_words(wy, keep, weighted: bool):
    """What 'mean' divides by for class-index targets, as a message."""
    n_keep, n = int(keep.sum()), keep.size
    if weighted:
        shown = " + ".join(fmt(v) for v in wy[keep].ravel()[:8]) + (" + …" if n_keep > 8 else "")
        return M("multiclass.divisor.weights", shown=shown, total=fmt(float(wy.sum())))
    if n_keep == n:
        return M("multiclass.divisor.targets", n=n)
    return M("multiclass.divisor.kept", kept=n_keep, n=n)


def _index_targets(t, p, C, steps, logp):
    """Shared by CE and NLL: picked entries, weights, ignore mask."""
    tm = np.asarray(t).astype(np.int64)
    tm = tm[None] if tm.ndim == 0 else tm
    ii = int(p["ignore_index"])
    keep = tm != ii
    safe = np.where(keep, tm, 0)
    picked = np.take_along_axis(logp, safe[..., None], axis=-1)[..., 0]
    w = opt_f32(p, "weight")
    weighted = w is not None
    w = np.ones(C) if w is None else w
    wy = w[safe] * keep
    if not keep.all():
        steps.append(keyed_step("multiclass.step.ignored", ignore_index=ii, n=int((~keep).sum())))
    if weighted:
        steps.append(keyed_step("multiclass.step.picked_weight", r"w_{y_n} = \mathrm{weight}[y_n]", wy=fmt(wy)))
    return keep, picked, w, wy, weighted


def _prob_terms(t, p, C, steps, logp):
    """CE with probability targets: smoothed q, terms, and what 'mean' divides by."""
    eps = float(p["label_smoothing"])
    tm = _classes_last(f32(t))
    steps.append(keyed_step("multiclass.step.prob_targets", q=fmt(tm)))
    if eps > 0:
        tm = tm * (1.0 - eps) + eps / C
        steps.append(keyed_step("multiclass.step.smooth_q", r"q \leftarrow (1-\varepsilon)\,q + \varepsilon / C",
                                eps=fmt(eps), q=fmt(tm)))
    w = opt_f32(p, "weight")
    wv = np.ones(C) if w is None else w
    terms = -(wv * tm * logp).sum(-1)
    steps.append(keyed_step("multiclass.step.prob_terms",
                            r"\ell_n = -\sum_c " + (r"w_c\," if w is not None else "") + r"q_{n,c}\log p_{n,c}",
                            w="w_c·" if w is not None else "", terms=fmt(terms)))
    return terms, float(terms.size), M("multiclass.divisor.positions_step", n=terms.size)


def _index_terms(t, p, C, steps, logp):
    """CE with class-index targets (label smoothing included), and what 'mean' divides by."""
    eps = float(p["label_smoothing"])
    keep, picked, w, wy, weighted = _index_targets(t, p, C, steps, logp)
    steps.append(keyed_step("multiclass.step.picked_logp", v=fmt(np.where(keep, picked, 0.0))))
    nll = -wy * picked
    if eps > 0:
        terms = (1.0 - eps) * nll + eps / C * (-(w * logp).sum(-1) * keep)
        steps.append(keyed_step(
            "multiclass.step.smooth_terms",
            r"\ell_n = (1-\varepsilon)\big(-w_{y_n}\log p_{n,y_n}\big) + \frac{\varepsilon}{C}\Big(-\sum_c w_c \log p_{n,c}\Big)",
            eps=fmt(eps), terms=fmt(terms)))
    else:
        terms = nll
        steps.append(keyed_step("multiclass.step.index_terms",
                                r"\ell_n = -" + (r"w_{y_n}\," if weighted else "") + r"\log p_{n,y_n}",
                                w="w[y]·" if weighted else "", terms=fmt(terms)))
    return terms, float(wy.sum()), picked_weights_words(wy, keep, weighted)


def _shape_args(x: np.ndarray) -> dict:
    return {"shape": str(x.shape), "C": x.shape[0] if x.ndim == 1 else x.shape[1], "dim": 0 if x.ndim == 1 else 1}


def cross_entropy(a: dict, p: dict):
    steps: list = []
    x = f32(a["input"])
    t = a["target"]
    args = _shape_args(x)
    trailing = M("multiclass.step.trailing", rest=str(x.shape[2:])) if x.ndim > 2 else ""
    steps.append(keyed_step("multiclass.step.logits", trailing=trailing, **args))
    logp = log_softmax(_classes_last(x))
    steps.append(keyed_step("multiclass.step.log_softmax", r"\log p_{n,c} = x_{n,c} - \log\sum_{k} e^{x_{n,k}}",
                            logp=fmt(logp)))
    how = _prob_terms if np.shape(t) == x.shape else _index_terms
    terms, divisor, words = how(t, p, args["C"], steps, logp)
    if x.ndim == 1:
        terms = terms[0]
    return _reduce(terms, p, steps, divisor, words), steps


def nll(a: dict, p: dict):
    steps: list = []
    x = f32(a["input"])
    args = _shape_args(x)
    xm = _classes_last(x)
    steps.append(keyed_step("multiclass.step.nll_input", **args))
    lse = np.log(np.exp(xm - xm.max(-1, keepdims=True)).sum(-1)) + xm.max(-1)
    if np.max(np.abs(lse)) > 1e-3:
        steps.append(keyed_step("multiclass.step.nll_check", r"\log\sum_c e^{x_{n,c}} \ne 0", lse=fmt(lse)))
    keep, picked, w, wy, weighted = _index_targets(a["target"], p, args["C"], steps, xm)
    steps.append(keyed_step("multiclass.step.nll_pick", v=fmt(np.where(keep, picked, 0.0))))
    terms = -wy * picked
    steps.append(keyed_step("multiclass.step.nll_negate_weighted" if weighted else "multiclass.step.nll_negate",
                            r"\ell_n = -" + (r"w_{y_n}\," if weighted else "") + r"x_{n,y_n}", terms=fmt(terms)))
    if x.ndim == 1:
        terms = terms[0]
    return _reduce(terms, p, steps, float(wy.sum()), picked_weights_words(wy, keep, weighted)), steps


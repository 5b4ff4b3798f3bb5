"""Class-index and class-probability targets of CrossEntropyLoss and NLLLoss: checks (InputError keyed
"class_targets.…"), what 'mean' divides by, and random valid cases for the tests.

Target formats follow torch: CrossEntropyLoss reads a target with the input's shape as class probabilities
and any other target as class indices (torch decides by dtype; typed text has no dtype, so the shape
decides, which is unambiguous: index targets always lack the class dimension).
"""
from __future__ import annotations

import numpy as np

from .errors import InputError
from .reference import multiclass as ref
from .text import M
from .validation import shape_str
from .weights import array_param, class_weight, fmt_shape


def n_classes(inp) -> int:
    return int(inp.shape[0] if inp.dim() == 1 else inp.shape[1])


def is_prob_target(t: dict) -> bool:
    return tuple(t["target"].shape) == tuple(t["input"].shape)


def _require_classes(inp) -> None:
    if inp.dim() < 1:
        raise InputError("class_targets.no_class_dim")


def _index_target_shape(inp) -> tuple:
    return () if inp.dim() == 1 else (int(inp.shape[0]),) + tuple(int(d) for d in inp.shape[2:])


def _check_index_target(t, inp, params: dict, extra) -> None:
    C = n_classes(inp)
    expected = _index_target_shape(inp)
    if tuple(t.shape) != expected:
        raise InputError("class_targets.index_shape", shape=shape_str(t), input=shape_str(inp),
                         expected=fmt_shape(expected), dim=0 if inp.dim() == 1 else 1, extra=extra)
    v = t.double()
    if not bool((v == v.round()).all()):
        raise InputError("class_targets.whole")
    ii = int(params["ignore_index"])
    bad = (v != ii) & ((v < 0) | (v >= C))
    if bool(bad.any()):
        raise InputError("class_targets.out_of_range", first=int(v[bad].flatten()[0]), C=C, last=C - 1,
                         ignore_index=ii)


def validate_ce(t: dict, p: dict) -> None:
    inp, tgt = t["input"], t["target"]
    _require_classes(inp)
    class_weight(p, n_classes(inp))
    if is_prob_target(t):
        if int(p["ignore_index"]) != -100:
            raise InputError("class_targets.ignore_prob", ignore_index=p["ignore_index"])
        return   # torch does not check probability targets: spec.diagnose() warns about negative or unnormalised rows
    _check_index_target(tgt, inp, p, M("class_targets.prob_hint"))


def validate_nll(t: dict, p: dict) -> None:
    inp, tgt = t["input"], t["target"]
    _require_classes(inp)
    class_weight(p, n_classes(inp))
    if inp.dim() >= 2 and tuple(tgt.shape) == tuple(inp.shape):
        raise InputError("class_targets.one_hot", input=shape_str(inp), expected=fmt_shape(_index_target_shape(inp)))
    _check_index_target(tgt, inp, p, "")


def picked_weight_divisor(t: dict, p: dict):
    """'mean' divides by the picked weights w[y] of the non-ignored targets (positions for probability targets)."""
    inp, tgt = t["input"], t["target"]
    C = n_classes(inp)
    if tuple(tgt.shape) == tuple(inp.shape):
        n = int(inp.numel() // C)
        return float(n), M("multiclass.divisor.positions", n=n)
    y = tgt.detach().cpu().numpy().astype(np.int64)
    keep = y != int(p["ignore_index"])
    w = array_param(p, "weight")
    wv = np.ones(C) if w is None else np.asarray(w, dtype=np.float32).astype(np.float64)
    wy = wv[np.where(keep, y, 0)] * keep
    return float(wy.sum()), ref.picked_weights_words(wy, keep, w is not None)


def sample_index_case(rng, log_probs: bool):
    """Class-index targets in every layout torch accepts: (C,)/(), (N, C)/(N,), (N, C, d1[, d2])/(N, d1[, d2])."""
    C = int(rng.integers(2, 6))
    kind = int(rng.integers(0, 4))
    if kind == 0:
        x, t = rng.normal(0, 2, (C,)), np.asarray(rng.integers(0, C))
    else:
        N = int(rng.integers(1, 5))
        rest = tuple(int(d) for d in rng.integers(1, 4, size=kind - 1))
        x = rng.normal(0, 2, (N, C) + rest)
        t = rng.integers(0, C, (N,) + rest)
    if log_probs:
        ax = 0 if x.ndim == 1 else 1
        x = x - np.log(np.exp(x).sum(axis=ax, keepdims=True))
    return {"input": x, "target": t}


def sample_params_index(rng, inputs):
    x, t = np.asarray(inputs["input"]), np.asarray(inputs["target"])
    C = x.shape[0] if x.ndim == 1 else x.shape[1]
    out = {"weight": rng.uniform(0.1, 3.0, C).tolist()}
    if t.shape != x.shape and rng.random() < 0.7:
        out["ignore_index"] = int(rng.choice(np.ravel(t)))
    return out

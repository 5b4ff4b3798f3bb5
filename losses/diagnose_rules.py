"""Per-loss rules: which silently accepted inputs each loss warns about (RULES[slug](arrays, params)).

Each rule sees inputs that validation let through (torch computes them) and returns Diagnosis objects;
every message key is in content/ui/diagnose.toml and every rule has a test (tests/test_diagnose*.py).
"""
from __future__ import annotations

import numpy as np

from . import diagnosis as dg
from .diagnosis import Diagnosis, Fix

EXP_MAX = 88.0


def _keep(*found) -> list[Diagnosis]:
    return [d for d in found if d is not None]


def _arr(p: dict, name: str):
    v = p.get(name)
    return None if v is None else np.asarray(v, dtype=np.float64)


# ---- regression --------------------------------------------------------------------------------------
def regression(a: dict, p: dict) -> list[Diagnosis]:
    return _keep(dg.broadcast(a, "input", "target"))


# ---- binary ------------------------------------------------------------------------------------------
def _weight_on_columns(a: dict, p: dict, name: str) -> Diagnosis | None:
    """A (N,) weight on an (N, C) input with N == C: aligned with the last dimension, so it weights columns."""
    w, x = _arr(p, name), a["input"]
    if w is None or w.ndim != 1 or x.ndim != 2 or x.shape[0] != x.shape[1] or w.shape[0] != x.shape[0]:
        return None
    n = x.shape[0]
    return Diagnosis("dg_weight_columns", {"name": name, "n": str(n), "shape": dg.shape_text(x.shape)},
                     Fix("reshape", name, (n, 1)))


def _pos_weight_on_width(a: dict, p: dict) -> Diagnosis | None:
    """A (C,) pos_weight on (N, C, H, W) with W == C: aligned with W, so it weights image columns."""
    w, x = _arr(p, "pos_weight"), a["input"]
    if w is None or w.ndim != 1 or x.ndim != 4 or x.shape[1] != x.shape[3] or w.shape[0] != x.shape[3]:
        return None
    c = x.shape[1]
    return Diagnosis("dg_pos_weight_width", {"c": str(c), "shape": dg.shape_text(x.shape)},
                     Fix("reshape", "pos_weight", (c, 1, 1)))


def _bce_saturated(a: dict) -> Diagnosis | None:
    """Probabilities that are exactly 0 or 1 in float32 where the target disagrees: log clamps at -100."""
    x = np.asarray(a["input"], dtype=np.float32).astype(np.float64)
    y = np.broadcast_to(a["target"], x.shape)
    hit = ((x == 0) & (y > 0)) | ((x == 1) & (y < 1))
    if not hit.any():
        return None
    return Diagnosis("dg_bce_saturated", {"count": str(int(hit.sum()))})


def binary_cross_entropy(a: dict, p: dict) -> list[Diagnosis]:
    return _keep(_weight_on_columns(a, p, "weight"), _bce_saturated(a))


def _squashed(a: dict, name: str, key: str) -> Diagnosis | None:
    return Diagnosis(key, {"name": name}) if dg.all_in_unit_interval(a[name]) else None


def binary_cross_entropy_with_logits(a: dict, p: dict) -> list[Diagnosis]:
    return _keep(dg.outside_01(a, "dg_bcel_target_range"), _weight_on_columns(a, p, "weight"),
                 _pos_weight_on_width(a, p), _squashed(a, "input", "dg_sigmoid_input"))


# ---- CrossEntropy / NLL ------------------------------------------------------------------------------
def _class_axis(x: np.ndarray) -> int:
    return 0 if x.ndim == 1 else 1


def _softmax_input(a: dict, key: str) -> Diagnosis | None:
    x = a["input"]
    if x.ndim == 0 or not dg.looks_like_probabilities(x, _class_axis(x)):
        return None
    return Diagnosis(key, {"name": "input"}, Fix("log", "input"))


def _prob_target(a: dict) -> list[Diagnosis]:
    x, y = a["input"], a["target"]
    if y.shape != x.shape:
        return []
    out = []
    if y.min() < 0:
        out.append(Diagnosis("dg_ce_target_negative", {"lo": dg.num(y.min())}))
    sums = dg.row_sums(y, _class_axis(y)) if y.ndim else dg.row_sums(y)
    off = dg.first_off_row(sums)
    if off is not None:
        fix = Fix("normalize", "target") if y.min() >= 0 and np.all(sums > 0) else None
        out.append(Diagnosis("dg_ce_target_sum", {"row": str(off[0]), "sum": dg.num(off[1])}, fix))
    return out


def cross_entropy(a: dict, p: dict) -> list[Diagnosis]:
    return _keep(_softmax_input(a, "dg_ce_softmax_input")) + _prob_target(a)


def nll(a: dict, p: dict) -> list[Diagnosis]:
    x = a["input"]
    return _keep(dg.not_log_probabilities(a, "input", "dg_nll_probs", "dg_nll_not_log", _class_axis(x)))


# ---- probabilistic -----------------------------------------------------------------------------------
def kl_div(a: dict, p: dict) -> list[Diagnosis]:
    x, y = a["input"], a["target"]
    found = [dg.broadcast(a, "input", "target"),
             dg.not_log_probabilities(a, "input", "dg_kl_input_probs", "dg_kl_input_not_log")]
    if p["log_target"]:
        if y.max() > 0:
            found.append(Diagnosis("dg_kl_log_target_positive", {"hi": dg.num(y.max())}))
    else:
        off = dg.first_off_row(dg.row_sums(y))
        if off is not None and y.min() >= 0:
            fix = Fix("normalize", "target") if np.all(dg.row_sums(y) > 0) else None
            found.append(Diagnosis("dg_kl_target_sum", {"row": str(off[0]), "sum": dg.num(off[1])}, fix))
    if p["reduction"] == "batchmean" and x.ndim == 1:
        found.append(Diagnosis("dg_kl_batchmean_1d", {"c": str(x.shape[0])}, Fix("reshape", "input", (1, x.shape[0]))))
    return _keep(*found)


def poisson_nll(a: dict, p: dict) -> list[Diagnosis]:
    y = a["target"]
    neg = Diagnosis("dg_poisson_negative", {"lo": dg.num(y.min()), "count": str(int((y < 0).sum()))}) \
        if y.min() < 0 else None
    return _keep(dg.broadcast(a, "input", "target"), neg)


def soft_margin(a: dict, p: dict) -> list[Diagnosis]:
    return _keep(dg.broadcast(a, "input", "target"), dg.not_pm1(a, "dg_pm1_soft_margin"),
                 _squashed(a, "input", "dg_sigmoid_input"))


def multilabel_soft_margin(a: dict, p: dict) -> list[Diagnosis]:
    x, y = a["input"], a["target"]
    found = [dg.broadcast(a, "input", "target")]
    outside = (y < 0) | (y > 1)   # soft labels inside [0, 1] are fine
    if outside.any():
        found.append(Diagnosis("dg_mlsm_target", {"found": dg.nums(np.unique(y[outside]))},
                               _mlsm_target_fix(x, y)))
    if x.ndim > 2:
        found.append(Diagnosis("dg_mlsm_class_last", {"shape": dg.shape_text(x.shape), "c": str(x.shape[-1])}))
    found.append(_squashed(a, "input", "dg_sigmoid_input"))
    return _keep(*found)


def _mlsm_target_fix(x: np.ndarray, y: np.ndarray) -> Fix | None:
    c = x.shape[-1]
    integers = np.all(y == np.round(y)) and y.min() >= -1 and y.max() < c
    if integers and y.shape == x.shape and (y.max() > 1 or _padded(y)):
        return Fix("multi_hot", "target")
    if np.all(np.isin(y, (-1.0, 1.0))):
        return Fix("to01", "target")
    return None


def _padded(y: np.ndarray) -> bool:
    """Every row is indices then -1s only (MultiLabelMarginLoss's layout), with at least one -1."""
    for row in np.atleast_2d(y):
        stop = np.flatnonzero(row < 0)
        if stop.size == 0 or np.any(row[stop[0]:] != -1):
            return False
    return True


def _margin_rules() -> dict:
    from . import diagnose_margin as m
    return {"margin_ranking": m.margin_ranking, "hinge_embedding": m.hinge_embedding,
            "cosine_embedding": m.cosine_embedding, "triplet_margin": m.triplet,
            "triplet_margin_with_distance": m.triplet, "multi_margin": m.multi_margin,
            "multilabel_margin": m.multilabel_margin, "ctc": m.ctc}


RULES = {"l1": regression, "mse": regression, "smooth_l1": regression, "huber": regression,
         "binary_cross_entropy": binary_cross_entropy,
         "binary_cross_entropy_with_logits": binary_cross_entropy_with_logits,
         "cross_entropy": cross_entropy, "nll": nll, "kl_div": kl_div, "poisson_nll": poisson_nll,
         "soft_margin": soft_margin, "multilabel_soft_margin": multilabel_soft_margin, **_margin_rules()}
RULES["gaussian_nll"] = lambda a, p: _keep(dg.broadcast(a, "input", "target"))

"""Rules for the margin family and CTC (see losses/diagnose_rules.py for the others and RULES)."""
from __future__ import annotations

import numpy as np

from . import diagnosis as dg
from .diagnosis import Diagnosis, Fix


def _keep(*found) -> list[Diagnosis]:
    return [d for d in found if d is not None]


def margin_ranking(a: dict, p: dict) -> list[Diagnosis]:
    x1 = a["input1"]
    embed = Diagnosis("dg_mr_embeddings", {"shape": dg.shape_text(x1.shape)}) if x1.ndim >= 2 else None
    return _keep(dg.broadcast(a, "input1", "input2"), dg.broadcast(a, "input1", "target"),
                 dg.not_pm1(a, "dg_pm1_margin_ranking"), embed)


def hinge_embedding(a: dict, p: dict) -> list[Diagnosis]:
    x = a["input"]
    neg = Diagnosis("dg_hinge_negative_input", {"lo": dg.num(x.min()), "count": str(int((x < 0).sum()))}) \
        if x.min() < 0 else None
    return _keep(dg.broadcast(a, "input", "target"), dg.not_pm1(a, "dg_pm1_hinge_embedding"), neg)


def cosine_embedding(a: dict, p: dict) -> list[Diagnosis]:
    x1, x2, y = a["input1"], a["input2"], a["target"]
    pairs = np.broadcast_shapes(x1.shape, x2.shape)[:-1]
    found = [dg.broadcast(a, "input1", "input2")]
    if y.shape != pairs:
        out = np.broadcast_shapes(pairs, y.shape)
        found.append(Diagnosis("dg_cos_target_shape", {
            "st": dg.shape_text(y.shape), "pairs": str(int(np.prod(pairs))), "n": str(int(np.prod(out))),
            "want": dg.shape_text(pairs)}))
    found.append(dg.not_pm1(a, "dg_pm1_cosine_embedding"))
    return _keep(*found)


def triplet(a: dict, p: dict) -> list[Diagnosis]:
    an, po, ne = a["anchor"], a["positive"], a["negative"]
    found = [dg.broadcast(a, "anchor", "positive"), dg.broadcast(a, "anchor", "negative")]
    if an.shape == po.shape == ne.shape and np.array_equal(an, po) and np.array_equal(an, ne):
        found.append(Diagnosis("dg_triplet_collapsed", {}))
    return _keep(*found)


def multi_margin(a: dict, p: dict) -> list[Diagnosis]:
    x = a["input"]
    probs = dg.looks_like_probabilities(x, -1)
    return _keep(Diagnosis("dg_softmax_scores", {"name": "input"}) if probs else None)


def multilabel_margin(a: dict, p: dict) -> list[Diagnosis]:
    y = np.atleast_2d(a["target"])
    found = []
    if y.shape[-1] > 1 and np.all(np.isin(y, (0, 1))) and np.all((y == 1).any(axis=-1)) \
            and np.all((y == 0).any(axis=-1)):
        found.append(Diagnosis("dg_mlm_multi_hot", {"row": "[" + ", ".join(str(int(v)) for v in y[0]) + "]"},
                               Fix("indices", "target")))
    for r, row in enumerate(y):
        stop = np.flatnonzero(row < 0)
        if stop.size and np.any(row[stop[0]:] >= 0):
            lost = [int(v) for v in row[stop[0]:] if v >= 0]
            found.append(Diagnosis("dg_mlm_after_pad", {"row": str(r), "lost": str(lost)}))
            break
    for r, row in enumerate(y):
        read = row[:np.flatnonzero(row < 0)[0]] if np.any(row < 0) else row
        if np.unique(read).size < read.size:
            found.append(Diagnosis("dg_mlm_duplicate", {"row": str(r)}))
            break
    return found


def ctc(a: dict, p: dict) -> list[Diagnosis]:
    return _keep(dg.not_log_probabilities(a, "log_probs", "dg_ctc_probs", "dg_ctc_not_log"))

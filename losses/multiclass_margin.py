"""MultiMarginLoss and MultiLabelMarginLoss: hinges on the gap between class scores, divided by C.

Curves draw one hinge term against a gap between two class scores (C = 2, × C undoes the 1/C); the
series call torch's own functional, so gradients come from autograd. Words: each loss's front matter.
"""
from __future__ import annotations

import numpy as np

from .errors import InputError
from .margin_common import DOCS, example, first_bad, margin_param, marker, pos, require_dims, words
from .reference import margin as ref
from .spec import Curve, LossSpec, M, Param, Series, reduction_param, Refusal
from .validation import shape_str


def _class_count(t: dict) -> int:
    return int(t["input"].shape[-1])


def _shape_text(arr: np.ndarray) -> str:
    s = arr.shape
    return "(" + ", ".join(str(d) for d in s) + ("," if len(s) == 1 else "") + ")"


def _validate_multi_margin(t: dict, p: dict) -> None:
    require_dims(t, "input", "scores")
    x, y = t["input"], t["target"]
    c = _class_count(t)
    if x.dim() == 2:
        ok, need = tuple(y.shape) == (x.shape[0],), M("margin.error.need.mm_rows", n=x.shape[0])
    else:
        ok, need = tuple(y.shape) in ((), (1,)), M("margin.error.need.mm_scalar")
    if not ok:
        raise InputError("margin.error.mm_target", st=shape_str(y), sx=shape_str(x), need=need)
    v = y.detach().cpu().numpy()
    bad = (v < 0) | (v >= c)
    if bad.any():
        at = first_bad(bad) if v.ndim else ()
        value = int(v[at]) if v.ndim else int(v)
        raise InputError("margin.error.mm_class", last=c - 1, c=c, value=value, at=pos(at))
    w = p.get("weight")
    if w is not None:
        arr = np.asarray(w, dtype=np.float64)
        if arr.ndim != 1 or arr.shape[0] != c:
            raise InputError("margin.error.mm_weight_shape", c=c, shape=_shape_text(arr))
        if not np.all(np.isfinite(arr)):
            raise InputError("margin.error.mm_weight_nonfinite")


def _validate_multilabel_margin(t: dict, p: dict) -> None:
    require_dims(t, "input", "scores")
    x, y = t["input"], t["target"]
    if tuple(y.shape) != tuple(x.shape):
        raise InputError("margin.error.mlm_target", st=shape_str(y), sx=shape_str(x))
    c = _class_count(t)
    v = y.detach().cpu().numpy()
    bad = (v < -1) | (v >= c)
    if bad.any():
        at = first_bad(bad)
        raise InputError("margin.error.mlm_class", last=c - 1, value=int(v[at]), at=pos(at))


# ---- random valid inputs (tests) ----------------------------------------------------------------
def _sample_multi_margin(rng):
    c = int(rng.integers(2, 7))
    if rng.random() < 0.2:
        return {"input": rng.normal(0, 1, c), "target": np.int64(rng.integers(0, c))}
    n = int(rng.integers(1, 6))
    return {"input": rng.normal(0, 1, (n, c)), "target": rng.integers(0, c, size=n)}


def _sample_multi_margin_params(rng, inputs):
    c = np.asarray(inputs["input"]).shape[-1]
    return {"weight": rng.uniform(0.1, 3.0, c).round(3).tolist()}


def padded_targets(rng, c: int, n_targets: int | None = None) -> np.ndarray:
    """One target row: some class indices (duplicates possible), then -1, then anything valid (ignored)."""
    k = int(rng.integers(0, c + 1)) if n_targets is None else n_targets
    row = rng.integers(0, c, size=c)
    if rng.random() < 0.7:  # usually distinct classes
        row[:k] = rng.permutation(c)[:k]
    if k < c:
        row[k] = -1
        row[k + 1:] = rng.integers(-1, c, size=c - k - 1)
    return row


def _sample_multilabel_margin(rng):
    c = int(rng.integers(2, 7))
    if rng.random() < 0.2:
        return {"input": rng.normal(0, 1, c), "target": padded_targets(rng, c)}
    n = int(rng.integers(1, 5))
    return {"input": rng.normal(0, 1, (n, c)), "target": np.stack([padded_targets(rng, c) for _ in range(n)])}


# ---- curves: torch's own functional on tensors built from the swept x ----------------------------
def _multi_margin_p(power):
    def fn(x, p):
        """C = 2: true class scores x, the wrong class 0; × C undoes the 1/C to show the bare hinge term."""
        import torch
        import torch.nn.functional as F
        scores = torch.stack([torch.zeros_like(x), x], dim=-1)
        target = torch.ones(x.shape, dtype=torch.long)
        return 2 * F.multi_margin_loss(scores, target, p=power, margin=p["margin"], reduction="none")
    return fn


def _multilabel_term(x, p):
    """C = 2: target class 0 scores x, class 1 (not a target) scores 0; × C undoes the 1/C."""
    import torch
    import torch.nn.functional as F
    scores = torch.stack([x, torch.zeros_like(x)], dim=-1)
    target = torch.tensor([0, -1]).expand(*x.shape, 2)
    return 2 * F.multilabel_margin_loss(scores, target, reduction="none")


# ---- the specs ------------------------------------------------------------------------------------
MULTI_MARGIN = LossSpec(
    slug="multi_margin", title="MultiMarginLoss", family="margin", functional="multi_margin_loss",
    refusals=(
        Refusal({'input': [[0.1, 0.2, 0.4, 0.8]], 'target': [3.0, 3.0]}, {}, 'margin.error.mm_target'),
    ),
    formula=(r"\begin{gathered} \ell(x, y) = \frac{1}{C} \sum_{i \ne y} w_y \, \max\bigl(0,\ \mathrm{margin} - x_y + x_i\bigr)^p"
             r" \\ p \in \{1, 2\} \end{gathered}"),
    arg_names=("input", "target"), arg_dtypes={"target": "long"},
    params=(
        reduction_param(),
        Param("p", "choice", 1, choices=(1, 2), curve=False, help=M("multi_margin.param.p")),
        margin_param(1.0, -1.0, 3.0, "multi_margin.param.margin"),
        Param("weight", "tensor", None, curve=False, help=M("multi_margin.param.weight")),
    ),
    examples=(
        example("multi_margin", "docs", {"input": [[0.1, 0.2, 0.4, 0.8]], "target": [3]}, expected=0.325),
        example("multi_margin", "squared", {"input": [[0.1, 0.2, 0.4, 0.8]], "target": [0]}, {"p": 2}, note=False),
        example("multi_margin", "batch",
                {"input": [[2.0, 0.5, -1.0], [0.2, 0.3, 0.1], [-0.5, 1.5, 1.4]], "target": [0, 2, 1]}, note=False),
    ),
    reference_fn=ref.multi_margin, sample=_sample_multi_margin, sample_params=_sample_multi_margin_params,
    validate=_validate_multi_margin,
    curve=Curve(words("multi_margin.curve.x"), (-3.0, 3.5), (
        Series(words("multi_margin.curve.p1"), _multi_margin_p(1)),
        Series(words("multi_margin.curve.p2"), _multi_margin_p(2), dash="dash"),
    ), markers=marker(lambda p: p["margin"], "margin.curve.margin")),
    docs_url=DOCS.format("MultiMarginLoss"))

MULTILABEL_MARGIN = LossSpec(
    slug="multilabel_margin", title="MultiLabelMarginLoss", family="margin", functional="multilabel_margin_loss",
    refusals=(
        Refusal({'input': [[0.1, 0.2, 0.4, 0.8]], 'target': [[3.0, 0.0, -1.0, 1.0], [3.0, 0.0, -1.0, 1.0]]}, {}, 'margin.error.mlm_target'),
    ),
    formula=(r"\begin{gathered} \ell(x, y) = \frac{1}{C} \sum_{j \in J} \sum_{i \notin J} \max\bigl(0,\ 1 - (x_j - x_i)\bigr)"
             r" \\ J = \{\, y_0, \dots, y_{k-1} \,\},\quad k = \min\{\, m : y_m = -1 \,\} \end{gathered}"),
    arg_names=("input", "target"), arg_dtypes={"target": "long"},
    params=(reduction_param(),),
    examples=(
        example("multilabel_margin", "docs", {"input": [[0.1, 0.2, 0.4, 0.8]], "target": [[3, 0, -1, 1]]},
                expected=0.85),
        example("multilabel_margin", "one_hot", {"input": [[0.1, 0.2, 0.4, 0.8]], "target": [[0, 0, 0, 1]]}),
        example("multilabel_margin", "ignored", {"input": [[0.1, 0.2, 0.4, 0.8]], "target": [[3, -1, 0, 1]]},
                note=False),
        example("multilabel_margin", "batch",
                {"input": [[1.5, -0.5, 0.9], [0.0, 2.0, 1.2]], "target": [[0, 2, -1], [1, -1, -1]]}, note=False),
    ),
    reference_fn=ref.multilabel_margin, sample=_sample_multilabel_margin, validate=_validate_multilabel_margin,
    curve=Curve(words("multilabel_margin.curve.x"), (-3.0, 3.0), (
        Series(words("multilabel_margin.curve.pair"), _multilabel_term),
    ), markers=marker(lambda p: 1.0, "multilabel_margin.curve.margin")),
    docs_url=DOCS.format("MultiLabelMarginLoss"))

SPECS = (MULTI_MARGIN, MULTILABEL_MARGIN)

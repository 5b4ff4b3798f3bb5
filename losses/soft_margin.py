"""The soft (logistic) margin losses (family "margin"): SoftMarginLoss (±1 labels) and
MultiLabelSoftMarginLoss (multi-hot labels, one logistic term per class). SPECS lists them in page order.

Validation refuses, before torch sees them, the inputs that torch would accept silently but that give inf or a
meaningless number (an overflowing margin, a class weight of the wrong shape or sign, ...), each with a message
that says what to fix; 0/1 labels for SoftMarginLoss and -1 padding are diagnosed (spec.diagnose()).
"""
from __future__ import annotations

import math

import numpy as np

from .errors import InputError
from .reference import soft_margin as ref
from .spec import M, Curve, Example, LossSpec, Param, Series, reduction_param, Refusal
from .chooser_rules import rule
from .validation import require_broadcastable, shape_str

DOCS = "https://pytorch.org/docs/stable/generated/torch.nn.{}.html"
ARGS = ("input", "target")
EXP_MAX = 88.0          # float32 exp overflows above ~88.72


def _np(t):
    return t.detach().cpu().double().numpy()


def _example(slug: str, key: str, inputs: dict, note: bool = False, **kw) -> Example:
    """An example whose title (and note) are "<slug>.example.<key>.title" / ".note" in the loss's front matter."""
    return Example(key, M(f"{slug}.example.{key}.title"), inputs,
                   note=M(f"{slug}.example.{key}.note") if note else {}, **kw)


# ==== SoftMarginLoss ================================================================================
def _soft_validate(t: dict, p: dict) -> None:
    require_broadcastable(t, "input", "target")   # torch broadcasts and takes any label: diagnosed
    x, y = _np(t["input"]), _np(t["target"])
    if np.broadcast_shapes(x.shape, y.shape) != x.shape:   # torch computes in place on input's shape
        raise InputError.keyed("err_soft_margin_grow", sx=shape_str(t["input"]), sy=shape_str(t["target"]))
    worst = float(np.max(-y * x))
    if worst > EXP_MAX:
        raise InputError("soft_margin.error.overflow", margin=-worst)


def _soft_sample(rng: np.random.Generator) -> dict:
    shape = tuple(int(s) for s in rng.integers(1, 5, size=rng.integers(1, 3)))
    return {"input": rng.normal(0, 2.5, shape), "target": rng.choice([-1.0, 1.0], size=shape)}


def _soft_series(y: float):
    def fn(x, p):
        import torch
        import torch.nn.functional as F
        return F.soft_margin_loss(x, torch.full_like(x, y), reduction="none")
    return fn


def _bce_logits_pos(x, p):
    import torch
    import torch.nn.functional as F
    return F.binary_cross_entropy_with_logits(x, torch.ones_like(x), reduction="none")


SOFT_MARGIN = LossSpec(
    slug="soft_margin", title="SoftMarginLoss", family="margin", functional="soft_margin_loss",
    chooser=(rule("soft_margin", {"task": "binary", "labels": "pm1", "output": "logits"}, "nn.SoftMarginLoss()",
                         ("binary_cross_entropy_with_logits",)),),
    refusals=(
        Refusal({'input': [2.0, -1.0, 0.5, -3.0], 'target': [1.0, -1.0, -1.0, 1.0, 1.0]}, {}, 'errors.no_broadcast'),
    ),
    formula=r"\ell_i = \log\big(1 + e^{-y_i x_i}\big),\qquad y_i \in \{+1, -1\}",
    arg_names=ARGS,
    params=(reduction_param(),),
    examples=(
        _example("soft_margin", "scores", {"input": [2.0, -1.0, 0.5, -3.0], "target": [1.0, -1.0, -1.0, 1.0]},
                 note=True),
        _example("soft_margin", "zero", {"input": [0.0], "target": [1.0]}, expected=math.log(2)),
        _example("soft_margin", "batch", {"input": [[1.5, -0.5, 3.0], [-2.0, 0.2, 0.0]],
                                          "target": [[1.0, 1.0, 1.0], [-1.0, -1.0, 1.0]]}),
    ),
    reference_fn=ref.soft_margin, sample=_soft_sample, validate=_soft_validate,
    curve=Curve(
        M("soft_margin.curve.x"), (-4.0, 4.0), (
            Series(M("soft_margin.curve.plus"), _soft_series(1.0)),
            Series(M("soft_margin.curve.minus"), _soft_series(-1.0), dash="dash"),
            Series(M("soft_margin.curve.zero_label"), _soft_series(0.0), dash="dot", visible=False),
            Series(M("soft_margin.curve.bce"), _bce_logits_pos, dash="dashdot", visible=False),
        )),
    docs_url=DOCS.format("SoftMarginLoss"))


# ==== MultiLabelSoftMarginLoss ======================================================================
def shape_str_tuple(s: tuple) -> str:
    return "(" + ", ".join(str(d) for d in s) + ("," if len(s) == 1 else "") + ")"


def _weight_array(p: dict):
    w = p.get("weight")
    if w is None:
        return None
    try:
        return np.asarray(w, dtype=np.float64)
    except (TypeError, ValueError):
        raise InputError("soft_margin.error.weight_numbers") from None


def _multi_validate(t: dict, p: dict) -> None:
    x = t["input"]
    if x.dim() == 0:
        raise InputError("soft_margin.error.no_class_dim")
    require_broadcastable(t, "input", "target")   # torch broadcasts and takes any target: diagnosed
    w = _weight_array(p)
    if w is None:
        return
    c = x.shape[-1]
    if w.shape != (c,) and w.shape != tuple(x.shape):
        raise InputError("soft_margin.error.weight_shape", sw=shape_str_tuple(w.shape), c=c)
    if not np.all(np.isfinite(w)):
        raise InputError("soft_margin.error.weight_nonfinite")
    if w.min() < 0:
        raise InputError("soft_margin.error.weight_negative", min=float(w.min()))


def _multi_sample(rng: np.random.Generator) -> dict:
    c = int(rng.integers(2, 6))
    shape = (c,) if rng.random() < 0.2 else (int(rng.integers(1, 5)), c)
    y = (rng.random(shape) < 0.4).astype(float)
    if rng.random() < 0.2:
        y = rng.uniform(0, 1, shape)  # soft labels are valid too
    return {"input": rng.normal(0, 2.5, shape), "target": y}


def _multi_sample_params(rng: np.random.Generator, inputs: dict) -> dict:
    c = np.asarray(inputs["input"]).shape[-1]
    return {"weight": rng.uniform(0.0, 2.0, c).round(3).tolist()}


def _multi_series(y: float):
    def fn(x, p):
        import torch
        import torch.nn.functional as F
        return F.multilabel_soft_margin_loss(x[:, None], torch.full_like(x, y)[:, None], reduction="none")
    return fn


def _multi_divisor(t: dict, p: dict):
    if p["reduction"] != "mean":
        return None
    n = 1 if t["input"].dim() == 1 else t["input"].numel() // t["input"].shape[-1]
    return float(n), M("multilabel_soft_margin.divisor.mean", n=n)


MULTILABEL_SOFT_MARGIN = LossSpec(
    slug="multilabel_soft_margin", title="MultiLabelSoftMarginLoss", family="margin",
    chooser=(rule("multilabel_soft_margin", {"task": "multilabel"}, "nn.MultiLabelSoftMarginLoss()",
                                    ("binary_cross_entropy_with_logits", "multilabel_margin")),),
    refusals=(
        Refusal({'input': [[2.0, -1.0, 0.5, -3.0], [-0.5, 1.5, -2.0, 0.0]], 'target': [[1.0, 0.0, 1.0, 0.0], [0.0, 1.0, 0.0, 0.0], [1.0, 0.0, 1.0, 0.0]]}, {}, 'errors.no_broadcast'),
    ),
    functional="multilabel_soft_margin_loss",
    formula=(r"\begin{aligned}"
             r"\ell_n &= \frac{1}{C}\sum_{c=1}^{C} w_c\,\ell_{n,c},\qquad y_{n,c} \in \{0, 1\} \\"
             r"\ell_{n,c} &= -\big[y_{n,c}\log\sigma(x_{n,c}) + (1 - y_{n,c})\log\sigma(-x_{n,c})\big]"
             r"\end{aligned}"),
    arg_names=ARGS,
    params=(
        reduction_param(),
        Param("weight", "tensor", None, curve=False, help=M("multilabel_soft_margin.param.weight")),
    ),
    examples=(
        _example("multilabel_soft_margin", "tags", {"input": [[2.0, -1.0, 0.5, -3.0], [-0.5, 1.5, -2.0, 0.0]],
                                                    "target": [[1.0, 0.0, 1.0, 0.0], [0.0, 1.0, 0.0, 0.0]]},
                 note=True),
        _example("multilabel_soft_margin", "single", {"input": [3.0, -2.0, 0.0], "target": [1.0, 0.0, 1.0]}),
        _example("multilabel_soft_margin", "soft", {"input": [[0.0, 2.0, -2.0]], "target": [[0.5, 0.9, 0.1]]}),
    ),
    reference_fn=ref.multilabel_soft_margin, sample=_multi_sample, validate=_multi_validate,
    sample_params=_multi_sample_params, mean_divisor=_multi_divisor,
    curve=Curve(
        M("multilabel_soft_margin.curve.x"), (-5.0, 5.0), (
            Series(M("multilabel_soft_margin.curve.present"), _multi_series(1.0)),
            Series(M("multilabel_soft_margin.curve.absent"), _multi_series(0.0), dash="dash"),
            Series(M("multilabel_soft_margin.curve.minus_one"), _multi_series(-1.0), dash="dot"),
        )),
    docs_url=DOCS.format("MultiLabelSoftMarginLoss"))


SPECS = (SOFT_MARGIN, MULTILABEL_SOFT_MARGIN)

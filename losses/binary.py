"""Binary losses on probabilities and on logits: BCELoss and BCEWithLogitsLoss.

Words live in content/<lang>/: the loss's own strings in the front matter of <slug>.md, shared refusals in
messages/binary.toml and messages/weights.toml.
"""
from __future__ import annotations

import numpy as np

from .classification_shared import (ARGS, DOCS, LOGIT_X, binary_targets, example, full, help_of, numel_divisor,
                                    plot_param, random_shape)
from .errors import InputError
from .reference import binary as ref
from .spec import Curve, LossSpec, Param, Series, reduction_param, Refusal
from .chooser_rules import rule
from .text import M
from .typed_snippet import module_snippet
from .validation import require_same_shape
from .weights import PER_SAMPLE_HINT, require_broadcast

BCE_SLUG, LOGITS_SLUG = "binary_cross_entropy", "binary_cross_entropy_with_logits"


def require_unit_range(t: dict, name: str, what) -> None:
    """Values in [0, 1]; `what` says what they are (a message)."""
    x = t[name]
    if x.numel() and (x.min() < 0.0 or x.max() > 1.0):
        raise InputError("binary.range", name=name, lo=0.0, hi=1.0, what=what, min=float(x.min()),
                         max=float(x.max()))


def _validate_bce(t: dict, p: dict) -> None:
    require_same_shape(t, "input", "target")
    require_unit_range(t, "input", M(f"{BCE_SLUG}.range.input"))
    require_unit_range(t, "target", M(f"{BCE_SLUG}.range.target"))
    require_broadcast(p, "weight", tuple(t["input"].shape), PER_SAMPLE_HINT)


def _validate_bce_logits(t: dict, p: dict) -> None:
    require_same_shape(t, "input", "target")   # torch raises; a target outside [0, 1] it computes (diagnosed)
    shape = tuple(t["input"].shape)
    require_broadcast(p, "weight", shape, PER_SAMPLE_HINT)
    require_broadcast(p, "pos_weight", shape, M(f"{LOGITS_SLUG}.pos_weight_hint"))


# ---- curves (elementwise loss of the swept x; autograd gives the gradient) -----------------------------

def _bce_series(which):
    def fn(x, p):
        import torch.nn.functional as F
        y = p["y_soft"] if which == "soft" else which
        return F.binary_cross_entropy(x, full(x, y), reduction="none")
    return fn


def _bce_logits_series(y, pos_weight=False):
    def fn(x, p):
        import torch
        import torch.nn.functional as F
        pw = torch.tensor(float(p["plot_pos_weight"]), dtype=x.dtype) if pos_weight else None
        return F.binary_cross_entropy_with_logits(x, full(x, y), reduction="none", pos_weight=pw)
    return fn


# ---- random valid inputs (tests) -------------------------------------------------------------------------

def _sample_bce(rng):
    s = random_shape(rng)
    return {"input": rng.uniform(0.02, 0.98, s), "target": binary_targets(rng, s)}


def _sample_bce_logits(rng):
    s = random_shape(rng)
    return {"input": rng.normal(0, 3, s), "target": binary_targets(rng, s)}


def _broadcastable(rng, shape):
    """A weight shape that broadcasts to `shape`: full, trailing dims, or singleton dims."""
    kind = rng.integers(0, 3)
    if kind == 0:
        ws = shape
    elif kind == 1:
        ws = shape[-1:]
    else:
        ws = tuple(1 if rng.random() < 0.5 else d for d in shape)
    return rng.uniform(0.1, 3.0, ws).tolist()


def _sample_params_bce(rng, inputs):
    return {"weight": _broadcastable(rng, np.shape(inputs["input"]))}


def _sample_params_bce_logits(rng, inputs):
    shape = np.shape(inputs["input"])
    return {"weight": _broadcastable(rng, shape), "pos_weight": _broadcastable(rng, shape)}


# ---- the specs ---------------------------------------------------------------------------------------

def _weight_param(slug: str) -> Param:
    return Param("weight", "tensor", None, curve=False, help=help_of(slug, "weight"))


BCE = LossSpec(
    slug=BCE_SLUG, title="BCELoss", family="classification", functional="binary_cross_entropy",
    chooser=(rule("binary_cross_entropy", {"task": "binary", "output": "probabilities"}, "nn.BCELoss()",
                                  ("binary_cross_entropy_with_logits",), rank=1),),
    refusals=(
        Refusal({'input': [0.2, 1.2], 'target': [0, 1]}, {}, 'binary.range'),
        Refusal({'input': '[]', 'target': '[]'}, {}, 'errors.empty'),
        Refusal({'input': [0.2, 0.7], 'target': [-0.1, 1]}, {}, 'binary.range'),
        Refusal({'input': [0.2, 0.7], 'target': [0, 1, 1]}, {}, 'errors.shape_mismatch'),
        Refusal({'input': [[0.2, 0.7, 0.1], [0.5, 0.5, 0.5]], 'target': [[0, 1, 0], [1, 1, 0]]}, {'weight': [1.0, 2.0]}, 'weights.no_broadcast'),
    ),
    formula=r"\ell_i = -w_i\big[\,y_i \log x_i + (1-y_i)\log(1-x_i)\,\big]",
    arg_names=ARGS,
    params=(_weight_param(BCE_SLUG), reduction_param(),
            plot_param(BCE_SLUG, "y_soft", 0.3, 0.0, 1.0, 0.05, "y", "y")),
    examples=(
        example(BCE_SLUG, "hard", {"input": [0.9, 0.2, 0.6], "target": [1.0, 0.0, 1.0]}),
        example(BCE_SLUG, "soft", {"input": [[0.8, 0.3], [0.5, 0.1]], "target": [[0.7, 0.2], [0.5, 0.0]]}),
        example(BCE_SLUG, "clamp", {"input": [1.0, 0.99999999], "target": [0.0, 0.0]}, expected=100.0),
        example(BCE_SLUG, "weighted",
                {"input": [[0.9, 0.2, 0.6], [0.3, 0.7, 0.5]], "target": [[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]]},
                {"weight": [[1.0], [3.0]]}),
    ),
    reference_fn=ref.binary_cross_entropy, sample=_sample_bce, validate=_validate_bce,
    sample_params=_sample_params_bce,
    curve=Curve(M(f"{BCE_SLUG}.curve.x"), (0.01, 0.99), (
        Series(M(f"{BCE_SLUG}.curve.soft"), _bce_series("soft")),
        Series(M(f"{BCE_SLUG}.curve.one"), _bce_series(1.0), dash="dash"),
        Series(M(f"{BCE_SLUG}.curve.zero"), _bce_series(0.0), dash="dot"),
    )),
    mean_divisor=numel_divisor("input", M(f"{BCE_SLUG}.divisor_note")),
    snippet=module_snippet("BCELoss", ("weight", "reduction"), {"reduction": "mean"}),
    docs_url=DOCS.format("BCELoss"))

BCE_LOGITS = LossSpec(
    slug=LOGITS_SLUG, title="BCEWithLogitsLoss", family="classification",
    chooser=(
        rule("binary_cross_entropy_with_logits", {"task": "binary"}, "nn.BCEWithLogitsLoss()",
             ("binary_cross_entropy",)),
        rule("multilabel_pos_weight", {"task": "multilabel", "imbalance": "yes"},
             "nn.BCEWithLogitsLoss(pos_weight=pos_weight)", ("focal",)),
    ),
    refusals=(
        Refusal({'input': [1.0, 2.0], 'target': [1.0, 0.0]}, {'pos_weight': '[-1]'}, 'weights.negative'),
        Refusal({'input': [[1.0, 2.0]], 'target': [1.0, 0.0]}, {}, 'errors.shape_mismatch'),
        Refusal({'input': [[1.0, 2.0, 3.0]], 'target': [[1.0, 0.0, 1.0]]}, {'pos_weight': [1.0, 2.0]}, 'weights.no_broadcast'),
        Refusal({'input': [1.0], 'target': [1.0]}, {'weight': '[]'}, 'weights.empty'),
    ),
    functional="binary_cross_entropy_with_logits",
    formula=r"\ell_{i} = -w_{i}\big[\,p_c\, y_{i}\log\sigma(x_{i}) + (1-y_{i})\log\big(1-\sigma(x_{i})\big)\big]",
    arg_names=ARGS,
    params=(_weight_param(LOGITS_SLUG), reduction_param(),
            Param("pos_weight", "tensor", None, curve=False, help=help_of(LOGITS_SLUG, "pos_weight")),
            plot_param(LOGITS_SLUG, "plot_pos_weight", 1.0, 0.1, 10.0, 0.1, "p", "p")),
    examples=(
        example(LOGITS_SLUG, "multilabel",
                {"input": [[1.5, -0.5, 0.2], [-2.0, 3.0, 0.0]], "target": [[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]]}),
        example(LOGITS_SLUG, "docs", {"input": [[1.5, 1.5, 1.5, 1.5]], "target": [[1.0, 1.0, 1.0, 1.0]]},
                expected=0.201413),
        example(LOGITS_SLUG, "large", {"input": [40.0, -40.0, 17.0], "target": [0.0, 1.0, 0.0]}),
        example(LOGITS_SLUG, "pos_weight",
                {"input": [[1.5, -0.5, 0.2], [-2.0, 3.0, 0.0]], "target": [[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]]},
                {"pos_weight": [3.0, 1.0, 1.0]}),
    ),
    reference_fn=ref.binary_cross_entropy_with_logits, sample=_sample_bce_logits, validate=_validate_bce_logits,
    sample_params=_sample_params_bce_logits,
    curve=Curve(LOGIT_X, (-8.0, 8.0), (
        Series(M(f"{LOGITS_SLUG}.curve.pos_weight"), _bce_logits_series(1.0, pos_weight=True)),
        Series(M(f"{LOGITS_SLUG}.curve.zero"), _bce_logits_series(0.0)),
        Series(M(f"{LOGITS_SLUG}.curve.one"), _bce_logits_series(1.0), dash="dash"),
    )),
    mean_divisor=numel_divisor("input", M(f"{LOGITS_SLUG}.divisor_note")),
    snippet=module_snippet("BCEWithLogitsLoss", ("weight", "reduction", "pos_weight"), {"reduction": "mean"}),
    docs_url=DOCS.format("BCEWithLogitsLoss"))

SPECS = (BCE, BCE_LOGITS)

"""Regression family: L1, MSE, SmoothL1, Huber. The plot's x-axis is the residual r = input − target."""
from __future__ import annotations

import numpy as np

from .reference import regression as ref
from .spec import M, Curve, Example, LossSpec, Param, Series, reduction_param, Refusal
from .chooser_rules import rule
from .validation import require_broadcastable

DOCS = "https://pytorch.org/docs/stable/generated/torch.nn.{}.html"
RESIDUAL = M("regression.curve.residual")
ARGS = ("input", "target")


def _validate(t: dict, p: dict) -> None:
    require_broadcastable(t, "input", "target")   # torch only warns; spec.diagnose() says why


def _sample(rng: np.random.Generator) -> dict:
    shape = tuple(rng.integers(1, 5, size=rng.integers(1, 3)))
    return {"input": rng.normal(0, 2, shape), "target": rng.normal(0, 2, shape)}


def _zeros(x):
    import torch
    return torch.zeros_like(x)


def _l1(x, p):
    import torch.nn.functional as F
    return F.l1_loss(x, _zeros(x), reduction="none")


def _mse(x, p):
    import torch.nn.functional as F
    return F.mse_loss(x, _zeros(x), reduction="none")


def _smooth_l1(x, p):
    import torch.nn.functional as F
    return F.smooth_l1_loss(x, _zeros(x), reduction="none", beta=p["beta"])


def _huber(x, p):
    import torch.nn.functional as F
    return F.huber_loss(x, _zeros(x), reduction="none", delta=p["delta"])


def _huber_over_beta(x, p):
    import torch.nn.functional as F
    beta = p["beta"]
    if beta == 0:
        return F.l1_loss(x, _zeros(x), reduction="none")
    return F.huber_loss(x, _zeros(x), reduction="none", delta=beta) / beta


def _delta_times_smooth_l1(x, p):
    import torch.nn.functional as F
    return p["delta"] * F.smooth_l1_loss(x, _zeros(x), reduction="none", beta=p["delta"])


def _guides(symbol: str, name: str):
    def markers(p):
        v = p[name]
        if v <= 0:
            return []
        return [(-v, M("regression.curve.guide_minus", symbol=symbol)), (v, M("regression.curve.guide", symbol=symbol))]
    return markers


CLEAN = Example(
    "clean", M("regression.example.clean.title"),
    {"input": [2.5, 0.0, 2.0, 8.0], "target": [3.0, -0.5, 2.0, 7.0]})
OUTLIER = Example(
    "outlier", M("regression.example.outlier.title"),
    {"input": [1.0, 2.0, 3.0, 10.0], "target": [1.2, 1.8, 3.1, 3.0]}, note=M("regression.example.outlier.note"))
BATCH = Example(
    "batch", M("regression.example.batch.title"),
    {"input": [[0.5, -1.0, 2.0], [0.0, 3.0, -0.5]], "target": [[0.0, 0.0, 0.0], [1.0, 1.0, 1.0]]})


L1 = LossSpec(
    slug="l1", title="L1Loss", family="regression", functional="l1_loss",
    refusals=(
        Refusal({'input': [2.5, 0.0, 2.0, 8.0], 'target': [3.0, -0.5, 2.0, 7.0, 3.0]}, {}, 'errors.no_broadcast'),
    ),
    formula=r"\ell(x, y) = \operatorname{reduce}\big(\{\,|x_i - y_i|\,\}_i\big)",
    arg_names=ARGS, params=(reduction_param(),),
    examples=(Example(CLEAN.key, CLEAN.title, CLEAN.inputs, expected=0.5), Example(
        OUTLIER.key, OUTLIER.title, OUTLIER.inputs, expected=1.875, note=OUTLIER.note), BATCH),
    reference_fn=ref.l1, sample=_sample, validate=_validate,
    curve=Curve(RESIDUAL, (-3.0, 3.0), (Series(M("l1.curve.l1"), _l1),)),
    docs_url=DOCS.format("L1Loss"))

MSE = LossSpec(
    slug="mse", title="MSELoss", family="regression", functional="mse_loss",
    chooser=(rule("mse", {"task": "regression"}, "nn.MSELoss()", ("huber",)),),
    refusals=(
        Refusal({'input': [1.0, 2.0], 'target': [1.0, 2.0, 3.0]}, {}, 'errors.no_broadcast'),
        Refusal({'input': [[1.0]] * 400, 'target': [1.0] * 400}, {}, 'errors.broadcast_too_big'),  # 160,000 terms
    ),
    formula=r"\ell(x, y) = \operatorname{reduce}\big(\{\,(x_i - y_i)^2\,\}_i\big)",
    arg_names=ARGS, params=(reduction_param(),),
    examples=(Example(CLEAN.key, CLEAN.title, CLEAN.inputs, expected=0.375), Example(
        OUTLIER.key, OUTLIER.title, OUTLIER.inputs, expected=12.2725, note=OUTLIER.note), BATCH),
    reference_fn=ref.mse, sample=_sample, validate=_validate,
    curve=Curve(RESIDUAL, (-3.0, 3.0), (Series(M("mse.curve.mse"), _mse),)),
    docs_url=DOCS.format("MSELoss"))

SMOOTH_L1 = LossSpec(
    slug="smooth_l1", title="SmoothL1Loss", family="regression", functional="smooth_l1_loss",
    refusals=(
        Refusal({'input': [1.0, 2.0, 3.0, 10.0], 'target': [1.2, 1.8, 3.1, 3.0, 1.2]}, {}, 'errors.no_broadcast'),
    ),
    formula=(r"\ell_i = \begin{cases} \dfrac{0.5\,(x_i - y_i)^2}{\beta} & \text{if } |x_i - y_i| \lt \beta \\"
             r" |x_i - y_i| - 0.5\,\beta & \text{otherwise} \end{cases}"),
    arg_names=ARGS,
    params=(reduction_param(), Param(
        "beta", "float", 1.0, lo=0.0, hi=5.0, step=0.05, symbol=r"\beta", symbol_text="β",
        help=M("smooth_l1.param.beta"))),
    examples=(Example(OUTLIER.key, OUTLIER.title, OUTLIER.inputs, expected=1.63625, note=OUTLIER.note),
              Example("small_beta", M("smooth_l1.example.small_beta.title"), OUTLIER.inputs, {"beta": 0.1}),
              BATCH),
    reference_fn=ref.smooth_l1, sample=_sample, validate=_validate,
    curve=Curve(RESIDUAL, (-3.0, 3.0), (
        Series(M("smooth_l1.curve.smooth_l1"), _smooth_l1),
        Series(M("smooth_l1.curve.huber"), _huber_over_beta, dash="dash"),
        Series(M("smooth_l1.curve.l1"), _l1, dash="dot", visible=False),
    ), markers=_guides("β", "beta")),
    docs_url=DOCS.format("SmoothL1Loss"))

HUBER = LossSpec(
    slug="huber", title="HuberLoss", family="regression", functional="huber_loss",
    chooser=(rule("huber", {"task": "regression", "outliers": "yes"}, "nn.HuberLoss(delta=1.0)",
                   ("smooth_l1", "l1")),),
    refusals=(
        Refusal({'input': [1.0, 2.0, 3.0, 10.0], 'target': [1.2, 1.8, 3.1, 3.0, 1.2]}, {}, 'errors.no_broadcast'),
    ),
    formula=(r"\ell_i = \begin{cases} 0.5\,(x_i - y_i)^2 & \text{if } |x_i - y_i| \lt \delta \\"
             r" \delta\,\big(|x_i - y_i| - 0.5\,\delta\big) & \text{otherwise} \end{cases}"),
    arg_names=ARGS,
    params=(reduction_param(), Param(
        "delta", "float", 1.0, lo=0.05, hi=5.0, step=0.05, symbol=r"\delta", symbol_text="δ",
        help=M("huber.param.delta"))),
    examples=(Example(OUTLIER.key, OUTLIER.title, OUTLIER.inputs, expected=1.63625, note=OUTLIER.note),
              Example("wide_delta", M("huber.example.wide_delta.title"), OUTLIER.inputs, {"delta": 3.0}),
              BATCH),
    reference_fn=ref.huber, sample=_sample, validate=_validate,
    curve=Curve(RESIDUAL, (-3.0, 3.0), (
        Series(M("huber.curve.huber"), _huber),
        Series(M("huber.curve.smooth_l1"), _delta_times_smooth_l1, dash="dash", visible=False),
        Series(M("huber.curve.half_mse"), lambda x, p: 0.5 * _mse(x, p), dash="dot", visible=False),
    ), markers=_guides("δ", "delta")),
    docs_url=DOCS.format("HuberLoss"))

SPECS = (L1, MSE, SMOOTH_L1, HUBER)

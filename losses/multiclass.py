"""Multi-class losses on class indices or class probabilities: CrossEntropyLoss and NLLLoss.

Words live in content/<lang>/: each loss's own strings in the front matter of <slug>.md, the strings both
share in messages/multiclass.toml, the refusals in messages/class_targets.toml (losses/class_targets.py).
"""
from __future__ import annotations

import numpy as np

from .class_targets import (is_prob_target, picked_weight_divisor, sample_index_case, sample_params_index,
                            validate_ce, validate_nll)
from .classification_shared import ARGS, DOCS, example, full, help_of, plot_param
from .reference import multiclass as ref
from .spec import Curve, LossSpec, Param, Series, reduction_param, Refusal
from .chooser_rules import NO_SOFTMAX, addendum, rule
from .text import M
from .typed_snippet import module_snippet

CE_SLUG, NLL_SLUG = "cross_entropy", "nll"
MEAN_FORMULA = r"\text{mean} &= \frac{\sum_n \ell_n}{\sum_n w_{y_n}\,\mathbf{1}\{y_n \ne \text{ignore\_index}\}}"
IGNORE_INDEX = Param("ignore_index", "int", -100, lo=-100, hi=255, step=1, curve=False,
                     help=M("multiclass.ignore_index"))
NAN_MEAN = M("multiclass.nan_mean")


def _ce_compute(t: dict, kw: dict):
    import torch.nn.functional as F
    target = t["target"] if is_prob_target(t) else t["target"].long()
    return F.cross_entropy(t["input"], target, **kw)


# ---- curves (elementwise loss of the swept x; autograd gives the gradient) -----------------------------

def _ce_series(extra_softmax: bool):
    def fn(x, p):
        import torch
        import torch.nn.functional as F
        z = torch.stack([x, full(x, p["other_logit_1"]), full(x, p["other_logit_2"])], dim=1)
        if extra_softmax:
            z = torch.softmax(z, dim=1)
        target = torch.zeros(x.shape[0], dtype=torch.long)
        return F.cross_entropy(z, target, reduction="none", label_smoothing=p["label_smoothing"])
    return fn


def _nll_series(log_softmax: bool):
    def fn(x, p):
        import torch
        import torch.nn.functional as F
        z = torch.stack([full(x, p["other_input_1"]), full(x, p["other_input_2"]), x], dim=1)  # target: class 2
        if log_softmax:
            z = torch.log_softmax(z, dim=1)
        return F.nll_loss(z, torch.full((x.shape[0],), 2, dtype=torch.long), reduction="none")
    return fn


def _ce_markers(p):
    return [(max(p["other_logit_1"], p["other_logit_2"]), M(f"{CE_SLUG}.curve.marker"))]


def _nll_markers(p):
    return [(0.0, M(f"{NLL_SLUG}.curve.marker"))]


def _weight_param(slug: str) -> Param:
    return Param("weight", "tensor", None, curve=False, help=help_of(slug, "weight"))


# ---- the specs ---------------------------------------------------------------------------------------

_THREE = [[2.0, 1.0, 0.1], [0.5, 2.5, 0.3], [1.2, 0.2, 3.1]]
_SEG_LOGITS = [[[[2.0, 1.5, -1.0], [1.8, 0.2, -0.5], [-1.0, -0.8, 0.3]],
                [[-0.5, 0.0, 2.2], [0.1, 1.9, 1.5], [0.2, 0.4, -0.3]],
                [[-1.0, -0.6, -0.4], [-0.3, 0.5, 0.1], [2.4, 2.0, 1.6]]]]
_SEG_TARGET = [[[0, 0, 1], [0, 1, 255], [2, 2, 1]]]


def _ce_examples() -> tuple:
    ex = lambda key, *a, **k: example(CE_SLUG, key, *a, **k)  # noqa: E731
    return (
        ex("indices", {"input": _THREE, "target": [0, 2, 2]}),
        ex("uniform", {"input": [[0.0] * 10], "target": [3]}, expected=2.302585),
        ex("confident_wrong", {"input": [[10.0, 0.0, 0.0]], "target": [1]}),
        ex("probs", {"input": _THREE, "target": [[0.7, 0.2, 0.1], [0.1, 0.1, 0.8], [0.0, 0.0, 1.0]]}),
        ex("smoothing", {"input": _THREE, "target": [0, 2, 2]}, {"label_smoothing": 0.1}),
        ex("weighted", {"input": _THREE, "target": [0, 2, 2]}, {"weight": [1.0, 2.0, 5.0]}),
        ex("one_sample", {"input": [[2.0, 1.0, 0.1]], "target": [1]}, {"weight": [1.0, 10.0, 1.0]}),
        ex("segmentation", {"input": _SEG_LOGITS, "target": _SEG_TARGET}, {"ignore_index": 255}),
    )


CE = LossSpec(
    slug=CE_SLUG, title="CrossEntropyLoss", family="classification", functional="cross_entropy",
    chooser=(
        rule("cross_entropy_weighted", {"task": "multiclass", "imbalance": "yes"},
             "nn.CrossEntropyLoss(weight=class_weights)",
             ("focal", "multi_margin"), reason="cross_entropy",
             addenda=(NO_SOFTMAX, addendum("imbalance", "yes", "class_weight"))),
        rule("cross_entropy", {"task": "multiclass"}, "nn.CrossEntropyLoss()", ("nll", "multi_margin"),
             addenda=(NO_SOFTMAX,)),
        rule("cross_entropy_per_step", {"task": "sequence", "aligned": "yes"},
             "nn.CrossEntropyLoss()(logits_NCT, labels_NT)",
             ("ctc",)),
    ),
    refusals=(
        Refusal({'input': [[1.0, 2.0, 3.0]], 'target': [3]}, {}, 'class_targets.out_of_range'),
        Refusal({'input': [[1.0, 2.0, 3.0]], 'target': [1.5]}, {}, 'class_targets.whole'),
        Refusal({'input': [[1.0, 2.0, 3.0]], 'target': [1]}, {'weight': [1.0, 2.0]}, 'weights.class_count'),
        Refusal({'input': [[1.0, 2.0, 3.0]], 'target': [-1]}, {}, 'class_targets.out_of_range'),
        Refusal({'input': [[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]], 'target': [1, 0, 2]}, {}, 'class_targets.index_shape'),
        Refusal({'input': '[]', 'target': '[0]'}, {}, 'errors.empty'),
        Refusal({'input': 2.0, 'target': 0}, {}, 'class_targets.no_class_dim'),
    ),
    formula=(r"\begin{aligned}\ell_n &= -w_{y_n}\log\frac{\exp(x_{n,y_n})}{\sum_{c=1}^{C}\exp(x_{n,c})}\\"
             + MEAN_FORMULA + r"\end{aligned}"),
    arg_names=ARGS,
    params=(_weight_param(CE_SLUG), IGNORE_INDEX, reduction_param(),
            Param("label_smoothing", "float", 0.0, lo=0.0, hi=1.0, step=0.05, symbol=r"\varepsilon", symbol_text="ε",
                  help=help_of(CE_SLUG, "label_smoothing")),
            plot_param(CE_SLUG, "other_logit_1", 3.0, -5.0, 5.0, 0.1, "z_1", "z₁"),
            plot_param(CE_SLUG, "other_logit_2", -1.0, -5.0, 5.0, 0.1, "z_2", "z₂")),
    examples=_ce_examples(),
    reference_fn=ref.cross_entropy, sample=lambda rng: sample_index_case(rng, log_probs=False),
    validate=validate_ce, compute=_ce_compute, sample_params=sample_params_index,
    curve=Curve(M(f"{CE_SLUG}.curve.x"), (-6.0, 8.0), (
        Series(M(f"{CE_SLUG}.curve.logits"), _ce_series(False)),
        Series(M(f"{CE_SLUG}.curve.extra_softmax"), _ce_series(True), dash="dash"),
    ), markers=_ce_markers),
    mean_divisor=picked_weight_divisor, nonfinite=NAN_MEAN,
    snippet=module_snippet("CrossEntropyLoss", ("weight", "ignore_index", "reduction", "label_smoothing"),
                           {"ignore_index": -100, "reduction": "mean", "label_smoothing": 0.0},
                           target_dtype=lambda x, t: t.shape != x.shape),
    docs_url=DOCS.format("CrossEntropyLoss"))


def _log_softmax_rows(rows):
    z = np.asarray(rows, dtype=np.float64)
    return np.round(z - np.log(np.exp(z).sum(axis=-1, keepdims=True)), 4).tolist()


_SEG_LOGP = np.round(np.asarray(_SEG_LOGITS) - np.log(np.exp(np.asarray(_SEG_LOGITS)).sum(axis=1, keepdims=True)),
                     4).tolist()

NLL = LossSpec(
    slug=NLL_SLUG, title="NLLLoss", family="classification", functional="nll_loss",
    chooser=(rule("nll", {"task": "multiclass", "output": "log_probabilities"}, "nn.NLLLoss()", ("cross_entropy",),
                 rank=1),),
    refusals=(
        Refusal({'input': [[-1.0, -0.5, -2.0]], 'target': [3]}, {}, 'class_targets.out_of_range'),
        Refusal({'input': [[-1.0, -0.5], [-0.2, -2.0]], 'target': [[1, 0], [0, 1]]}, {}, 'class_targets.one_hot'),
        Refusal({'input': [[-1.0, -0.5]], 'target': [0.5]}, {}, 'errors.not_whole'),
        Refusal({'input': [[-1.0, -0.5]], 'target': '[]'}, {}, 'errors.empty'),
    ),
    formula=r"\begin{aligned}\ell_n &= -w_{y_n}\,x_{n,y_n}\\" + MEAN_FORMULA + r"\end{aligned}",
    arg_names=ARGS, arg_dtypes={"target": "long"},
    params=(_weight_param(NLL_SLUG), IGNORE_INDEX, reduction_param(),
            plot_param(NLL_SLUG, "other_input_1", -1.233, -5.0, 5.0, 0.001, "x_0", "x₀", "%.3f"),
            plot_param(NLL_SLUG, "other_input_2", 2.657, -5.0, 5.0, 0.001, "x_1", "x₁", "%.3f")),
    examples=(
        example(NLL_SLUG, "notes", {"input": [-1.233, 2.657, 0.534], "target": 2}, expected=-0.534),
        example(NLL_SLUG, "logsoftmax", {"input": _log_softmax_rows([-1.233, 2.657, 0.534]), "target": 2}),
        example(NLL_SLUG, "weighted", {"input": _log_softmax_rows(_THREE), "target": [0, 2, 2]},
                {"weight": [1.0, 2.0, 5.0]}),
        example(NLL_SLUG, "image", {"input": _SEG_LOGP, "target": _SEG_TARGET}, {"ignore_index": 255}),
    ),
    reference_fn=ref.nll, sample=lambda rng: sample_index_case(rng, log_probs=True),
    validate=validate_nll, sample_params=sample_params_index,
    snippet=module_snippet("NLLLoss", ("weight", "ignore_index", "reduction"),
                           {"ignore_index": -100, "reduction": "mean"}, target_dtype="long"),
    curve=Curve(M(f"{NLL_SLUG}.curve.x"), (-4.0, 8.0), (
        Series(M(f"{NLL_SLUG}.curve.log_softmax"), _nll_series(True)),
        Series(M(f"{NLL_SLUG}.curve.raw"), _nll_series(False), dash="dash"),
    ), markers=_nll_markers),
    mean_divisor=picked_weight_divisor, nonfinite=NAN_MEAN,
    docs_url=DOCS.format("NLLLoss"))

SPECS = (CE, NLL)

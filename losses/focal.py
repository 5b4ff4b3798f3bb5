"""Sigmoid focal loss (torchvision.ops.sigmoid_focal_loss), computed by focal_torch: the one implementation
the spec, the curves and the classification panels use. Its words: front matter of content/<lang>/focal.md."""
from __future__ import annotations

from .binary import require_unit_range
from .classification_shared import LOGIT_X, binary_targets, example, full, help_of, numel_divisor, random_shape
from .reference import binary as ref
from .spec import Curve, LossSpec, Param, Series, reduction_param, Refusal
from .chooser_rules import rule
from .text import M
from .typed_snippet import tensor_line
from .validation import require_same_shape

SLUG = "focal"
DOCS = "https://pytorch.org/vision/stable/generated/torchvision.ops.sigmoid_focal_loss.html"


def focal_torch(inputs, targets, alpha: float = 0.25, gamma: float = 2.0, reduction: str = "none"):
    """torchvision.ops.sigmoid_focal_loss's formula in plain torch (any device, no torchvision)."""
    import torch
    import torch.nn.functional as F
    p = torch.sigmoid(inputs)
    ce_loss = F.binary_cross_entropy_with_logits(inputs, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce_loss * ((1 - p_t) ** gamma)
    if alpha >= 0:
        alpha_t = alpha * targets + (1 - alpha) * (1 - targets)
        loss = alpha_t * loss
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


# The copy-code version of focal_torch (a test checks that both say the same).
FOCAL_SOURCE = '''import torch
import torch.nn.functional as F


def sigmoid_focal_loss(inputs, targets, alpha=0.25, gamma=2.0, reduction="none"):
    """The formula of torchvision.ops.sigmoid_focal_loss in plain torch: runs on any device."""
    p = torch.sigmoid(inputs)
    ce_loss = F.binary_cross_entropy_with_logits(inputs, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce_loss * ((1 - p_t) ** gamma)
    if alpha >= 0:
        alpha_t = alpha * targets + (1 - alpha) * (1 - targets)
        loss = alpha_t * loss
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss
'''


def _snippet(inputs: dict, params: dict) -> str:
    lines = [FOCAL_SOURCE, "", 'device = "cuda" if torch.cuda.is_available() else "cpu"',
             tensor_line("inputs", inputs["inputs"], "torch.float32", device=True),
             tensor_line("targets", inputs["targets"], "torch.float32", device=True), "",
             f"loss = sigmoid_focal_loss(inputs, targets, alpha={params['alpha']!r}, gamma={params['gamma']!r}, "
             f"reduction={params['reduction']!r})", "print(loss)"]
    return "\n".join(lines)


def _validate(t: dict, p: dict) -> None:
    require_same_shape(t, "inputs", "targets")
    require_unit_range(t, "targets", M(f"{SLUG}.targets_range"))


def _compute(t: dict, kw: dict):
    return focal_torch(t["inputs"], t["targets"], alpha=kw["alpha"], gamma=kw["gamma"], reduction=kw["reduction"])


def _series(y, plain_bce=False):
    def fn(x, p):
        if plain_bce:
            return focal_torch(x, full(x, y), alpha=-1.0, gamma=0.0)
        return focal_torch(x, full(x, y), alpha=p["alpha"], gamma=p["gamma"])
    return fn


def _sample(rng):
    s = random_shape(rng)
    return {"inputs": rng.normal(0, 3, s), "targets": binary_targets(rng, s)}


_EASY_HARD = {"inputs": [4.0, 0.5, -3.0, -0.5, 2.0], "targets": [1.0, 1.0, 0.0, 0.0, 0.0]}

FOCAL = LossSpec(
    slug=SLUG, title="sigmoid_focal_loss", family="classification", functional=None,
    chooser=(rule("focal", {"task": "binary", "imbalance": "yes"},
                   "torchvision.ops.sigmoid_focal_loss(logits, target, alpha=0.25, gamma=2.0, reduction='mean')",
                   ("binary_cross_entropy_with_logits",)),),
    refusals=(
        Refusal({'inputs': [1.0, 2.0], 'targets': [2.0, 0.0]}, {}, 'binary.range'),
        Refusal({'inputs': [1.0, 2.0], 'targets': [1.0]}, {}, 'errors.shape_mismatch'),
    ),
    formula=(r"\begin{aligned}\mathrm{FL}_i &= \alpha_t\,(1-p_t)^{\gamma}\,\mathrm{BCE}(x_i, y_i)\\"
             r"p_t &= p\,y_i + (1-p)(1-y_i),\quad p = \sigma(x_i)\\"
             r"\alpha_t &= \alpha\,y_i + (1-\alpha)(1-y_i)\end{aligned}"),
    arg_names=("inputs", "targets"),
    params=(
        Param("gamma", "float", 2.0, lo=0.0, hi=5.0, step=0.1, symbol=r"\gamma", symbol_text="γ",
              help=help_of(SLUG, "gamma")),
        Param("alpha", "float", 0.25, lo=-1.0, hi=1.0, step=0.05, symbol=r"\alpha", symbol_text="α",
              help=help_of(SLUG, "alpha")),
        reduction_param(default="none")),
    examples=(
        example(SLUG, "easy_hard", _EASY_HARD),
        example(SLUG, "gamma0", _EASY_HARD, {"gamma": 0.0}),
        example(SLUG, "plain", _EASY_HARD, {"gamma": 0.0, "alpha": -1.0}),
        example(SLUG, "anchors", {"inputs": [[-4.0, -3.5, -5.0, 1.0], [-4.5, -2.0, -3.0, -6.0]],
                                  "targets": [[0.0, 0.0, 0.0, 1.0], [0.0, 0.0, 0.0, 0.0]]}, {"reduction": "sum"}),
    ),
    reference_fn=ref.sigmoid_focal_loss, sample=_sample, validate=_validate, compute=_compute,
    curve=Curve(LOGIT_X, (-6.0, 6.0), (
        Series(M(f"{SLUG}.curve.target1"), _series(1.0)),
        Series(M(f"{SLUG}.curve.target0"), _series(0.0)),
        Series(M(f"{SLUG}.curve.bce1"), _series(1.0, plain_bce=True), dash="dot"),
        Series(M(f"{SLUG}.curve.bce0"), _series(0.0, plain_bce=True), dash="dot", visible=False),
    )),
    mean_divisor=numel_divisor("inputs"), snippet=_snippet,
    docs_url=DOCS)

SPECS = (FOCAL,)

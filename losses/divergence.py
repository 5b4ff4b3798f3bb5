"""KLDivLoss (family "classification"): the divergence of a predicted distribution from a target one.

Validation refuses, before torch sees them, the inputs that torch would accept silently but that give nan or
inf (a negative probability as target, an overflowing log-target), each with a message that says what to fix.
"""
from __future__ import annotations

import math

import numpy as np

from .errors import InputError
from .reference import divergence as ref
from .spec import M, Curve, Example, LossSpec, Param, Series, Refusal
from .chooser_rules import rule
from .validation import require_broadcastable, shape_str

DOCS = "https://pytorch.org/docs/stable/generated/torch.nn.{}.html"
EXP_MAX = 88.0          # float32 exp overflows above ~88.72


def _np(t):
    return t.detach().cpu().double().numpy()


def _validate(t: dict, p: dict) -> None:
    """Refuse only what gives nan or inf; torch computes everything else (spec.diagnose() warns)."""
    require_broadcastable(t, "input", "target")
    x, y = _np(t["input"]), _np(t["target"])
    if not p["log_target"]:
        if y.min() < 0:
            raise InputError("divergence.error.target_negative", min=float(y.min()))
        return
    yb, xb = np.broadcast_arrays(y, x)
    with np.errstate(over="ignore"):
        worst = np.max(np.exp(np.minimum(yb, 100.0)) * np.abs(yb - xb))
    if y.max() > EXP_MAX or worst > 1e37:
        raise InputError("divergence.error.log_target_overflow", max=float(y.max()))


def _divisor(t: dict, p: dict):
    x = t["input"]
    if p["reduction"] == "batchmean":
        if x.dim() == 0:
            return 1.0, M("kl_div.divisor.no_batch")
        b = x.shape[0]
        return float(b), M("kl_div.divisor.batchmean", b=b)
    if p["reduction"] == "mean":
        n = int(np.prod(np.broadcast_shapes(tuple(x.shape), tuple(t["target"].shape))))  # torch averages the broadcast terms
        return float(n), M("kl_div.divisor.mean", n=n, shape=shape_str(x),
                           ratio=n / ref.batch_size(tuple(x.shape)))
    return None


def _softmax(z, axis=-1):
    z = z - z.max(axis=axis, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=axis, keepdims=True)


def _sample(rng: np.random.Generator) -> dict:
    c = int(rng.integers(2, 6))
    shape = (c,) if rng.random() < 0.2 else (int(rng.integers(1, 5)), c)
    logits = rng.normal(0, 1.5, shape)
    logq = logits - np.log(np.exp(logits).sum(axis=-1, keepdims=True))
    p = _softmax(rng.normal(0, 1.5, shape))
    if rng.random() < 0.3:  # exact zeros in the target: 0·log 0 = 0
        p[..., 0] = 0.0
        p = p / p.sum(axis=-1, keepdims=True)
    return {"input": logq, "target": p}


def _log_two_class(x):
    """A 2-class log-distribution whose first entry is x = log q₁: [x, log(1 − eˣ)]."""
    import torch
    return torch.stack([x, torch.log1p(-torch.exp(x))], dim=-1)


def _two_class(p1: float):
    def fn(x, p):
        import torch
        import torch.nn.functional as F
        target = torch.tensor([p1, 1 - p1], dtype=x.dtype).expand(x.shape + (2,))
        if p["log_target"]:
            target = torch.log(target)
        return F.kl_div(_log_two_class(x), target, reduction="none", log_target=p["log_target"]).sum(-1)
    return fn


def _first_term(p1: float):
    def fn(x, p):
        import torch
        import torch.nn.functional as F
        target = torch.full_like(x, p1)
        if p["log_target"]:
            target = torch.log(target)
        return F.kl_div(x, target, reduction="none", log_target=p["log_target"])
    return fn


def _markers(p):
    return [(math.log(p1), M("kl_div.curve.marker", p1=p1)) for p1 in (0.2, 0.5, 0.8)]


def _lq(q):
    return [round(math.log(v), 6) for v in q]


def _example(key: str, inputs: dict, params: dict | None = None, note: bool = False, **kw) -> Example:
    return Example(key, M(f"kl_div.example.{key}.title"), inputs, params or {},
                   note=M(f"kl_div.example.{key}.note") if note else {}, **kw)


KL_DIV = LossSpec(
    slug="kl_div", title="KLDivLoss", family="classification", functional="kl_div",
    chooser=(rule("kl_div", {"task": "distribution"}, "nn.KLDivLoss(reduction='batchmean')(log_probs, target_probs)",
                    ("cross_entropy",)),),
    refusals=(
        Refusal({'input': [[-1.609438, -1.203973, -0.693147]], 'target': [[-0.1, 0.6, 0.5]]}, {}, 'divergence.error.target_negative'),
    ),
    formula=(r"\begin{aligned}"
             r"\ell_i &= y_i\,(\log y_i - x_i), \qquad x = \log q,\ \ y = p \\"
             r"\ell_i &= e^{y_i}\,(y_i - x_i) \qquad (\texttt{log\_target=True}) \\"
             r"\texttt{batchmean} &= \tfrac{1}{B}\textstyle\sum_i \ell_i = \tfrac{1}{B}\textstyle\sum_b \mathrm{KL}(p_b\,\|\,q_b) \\"
             r"\texttt{mean} &= \tfrac{1}{n}\textstyle\sum_i \ell_i = \texttt{batchmean}\cdot\tfrac{B}{n}"
             r"\end{aligned}"),
    arg_names=("input", "target"),
    params=(
        Param("reduction", "choice", "mean", choices=("none", "batchmean", "sum", "mean"), curve=False,
              help=M("kl_div.param.reduction")),
        Param("log_target", "bool", False, curve=False, help=M("kl_div.param.log_target")),
    ),
    examples=(
        _example("one", {"input": [_lq([0.25, 0.5, 0.25])], "target": [[0.1, 0.6, 0.3]]}, note=True),
        _example("batch", {"input": [_lq([0.7, 0.2, 0.1]), _lq([0.1, 0.1, 0.8])],
                           "target": [[0.6, 0.3, 0.1], [0.2, 0.2, 0.6]]}, {"reduction": "batchmean"}),
        _example("log_target", {"input": [_lq([0.25, 0.5, 0.25])], "target": [_lq([0.1, 0.6, 0.3])]},
                 {"reduction": "batchmean", "log_target": True}, note=True),
        _example("no_batch", {"input": _lq([0.25, 0.5, 0.25]), "target": [0.1, 0.6, 0.3]},
                 {"reduction": "batchmean"}, note=True),
        _example("same", {"input": [_lq([0.2, 0.3, 0.5])], "target": [[0.2, 0.3, 0.5]]},
                 {"reduction": "batchmean"}, expected=0.0),
    ),
    reference_fn=ref.kl_div, sample=_sample, validate=_validate, mean_divisor=_divisor,
    curve=Curve(
        M("kl_div.curve.x"), (-4.5, -0.05), (
            Series(M("kl_div.curve.target", p1=0.2), _two_class(0.2)),
            Series(M("kl_div.curve.target", p1=0.5), _two_class(0.5), dash="dash"),
            Series(M("kl_div.curve.target", p1=0.8), _two_class(0.8), dash="dot"),
            Series(M("kl_div.curve.one_term"), _first_term(0.5), dash="dashdot", visible=False),
        ),
        y_label=M("kl_div.curve.y"), markers=_markers),
    docs_url=DOCS.format("KLDivLoss"))

SPECS = (KL_DIV,)

"""Regression-type likelihoods (family "regression"): PoissonNLLLoss (counts) and GaussianNLLLoss (a mean and
a variance). SPECS lists them in page order.

Validation refuses, before torch sees them, the inputs that torch would accept silently but that give nan or
inf (a negative rate, an overflowing log-rate, negative or zero variances, ...), each with a message that says
what to fix.
"""
from __future__ import annotations

import math

import numpy as np

from .errors import InputError
from .reference import likelihood as ref
from .spec import M, Curve, Example, LossSpec, Param, Series, reduction_param, Refusal
from .chooser_rules import rule
from .validation import require_broadcastable, shape_str

DOCS = "https://pytorch.org/docs/stable/generated/torch.nn.{}.html"
EXP_MAX = 88.0          # float32 exp overflows above ~88.72


def _np(t):
    return t.detach().cpu().double().numpy()


def _example(slug: str, key: str, inputs: dict, params: dict | None = None, note: bool = False, **kw) -> Example:
    """An example whose title (and note) are "<slug>.example.<key>.title" / ".note" in the loss's front matter."""
    return Example(key, M(f"{slug}.example.{key}.title"), inputs, params or {},
                   note=M(f"{slug}.example.{key}.note") if note else {}, **kw)


# ==== PoissonNLLLoss ================================================================================
def _poisson_validate(t: dict, p: dict) -> None:
    require_broadcastable(t, "input", "target")   # torch broadcasts, and takes negative counts: diagnosed
    x = _np(t["input"])
    if p["log_input"]:
        if x.max() > EXP_MAX:
            raise InputError("likelihood.poisson.error.log_input_overflow", max=float(x.max()))
        return
    if x.min() < 0:
        raise InputError("likelihood.poisson.error.rate_negative", min=float(x.min()))
    if p["eps"] == 0 and np.any(x == 0):
        raise InputError("likelihood.poisson.error.rate_zero")


def _poisson_sample(rng: np.random.Generator) -> dict:
    shape = tuple(int(s) for s in rng.integers(1, 5, size=rng.integers(1, 3)))
    # Positive inputs are valid both as log λ (log_input=True) and as λ (log_input=False).
    x = rng.uniform(0.05, 2.5, shape)
    y = rng.poisson(2.0, shape).astype(float)
    if rng.random() < 0.3:
        y = y + rng.choice([0.0, 0.5], size=shape)  # fractional counts: torch accepts them
    return {"input": x, "target": y}


def _poisson_series(y: float):
    def fn(x, p):
        import torch
        import torch.nn.functional as F
        return F.poisson_nll_loss(x, torch.full_like(x, y), log_input=p["log_input"], full=p["full"],
                                  eps=p["eps"], reduction="none")
    return fn


LOG10 = round(math.log(10), 6)

POISSON_NLL = LossSpec(
    slug="poisson_nll", title="PoissonNLLLoss", family="regression", functional="poisson_nll_loss",
    chooser=(rule("poisson_nll", {"task": "counts"}, "nn.PoissonNLLLoss(log_input=True)", ("mse",)),),
    refusals=(
        Refusal({'input': '[1, 2', 'target': [10.0]}, {}, 'parse.unclosed'),
    ),
    formula=(r"\begin{aligned}"
             r"\ell_i &= e^{x_i} - y_i\,x_i \qquad (x = \log\lambda) \\"
             r"\ell_i &= x_i - y_i\log(x_i + \varepsilon) \qquad (x = \lambda,\ \texttt{log\_input=False}) \\"
             r"&\quad + \big[\,y_i\log y_i - y_i + \tfrac12\log(2\pi y_i)\,\big]\cdot[\texttt{full}]\cdot[y_i \gt 1]"
             r"\end{aligned}"),
    arg_names=("input", "target"),
    params=(
        reduction_param(),
        Param("log_input", "bool", True, help=M("poisson_nll.param.log_input")),
        Param("full", "bool", False, help=M("poisson_nll.param.full")),
        Param("eps", "float", 1e-8, lo=0.0, hi=1.0, step=0.01, symbol=r"\varepsilon", symbol_text="ε", fmt="%.2e",
              curve=False, help=M("poisson_nll.param.eps")),
    ),
    examples=(
        _example("poisson_nll", "optimum", {"input": [LOG10], "target": [10.0]}, note=True,
                 expected=10 - 10 * math.log(10)),
        _example("poisson_nll", "optimum_full", {"input": [LOG10], "target": [10.0]}, {"full": True},
                 expected=10 - 10 * math.log(10) + 10 * math.log(10) - 10 + 0.5 * math.log(20 * math.pi)),
        _example("poisson_nll", "stirling", {"input": [-0.5, 0.0, 0.5, 1.5], "target": [0.0, 1.0, 2.0, 5.0]},
                 {"full": True, "reduction": "none"}, note=True),
        _example("poisson_nll", "rates", {"input": [0.5, 1.0, 2.0, 4.5], "target": [0.0, 1.0, 2.0, 5.0]},
                 {"log_input": False}),
    ),
    reference_fn=ref.poisson_nll, sample=_poisson_sample, validate=_poisson_validate,
    curve=Curve(
        M("poisson_nll.curve.x"), (-2.0, 3.2), tuple(
            Series(M("poisson_nll.curve.target", y=y), _poisson_series(y), dash=dash)
            for y, dash in ((0.0, "solid"), (1.0, "dash"), (2.0, "dot"), (3.0, "dashdot")))),
    docs_url=DOCS.format("PoissonNLLLoss"))


# ==== GaussianNLLLoss ===============================================================================
def shape_str_tuple(s: tuple) -> str:
    return "(" + ", ".join(str(d) for d in s) + ("," if len(s) == 1 else "") + ")"


def _var_shapes(shape: tuple) -> str:
    ok = [shape_str_tuple(shape)]
    if len(shape) >= 1:
        ok.append(shape_str_tuple(shape[:-1]))
        for i in range(len(shape)):
            if shape[i] != 1:
                ok.append(shape_str_tuple(shape[:i] + (1,) + shape[i + 1:]))
    return ", ".join(dict.fromkeys(ok))


def _gaussian_validate(t: dict, p: dict) -> None:
    require_broadcastable(t, "input", "target")   # torch broadcasts silently: diagnosed
    x, y, var = _np(t["input"]), _np(t["target"]), _np(t["var"])
    if var.min() < 0:
        raise InputError("likelihood.gaussian.error.var_negative", min=float(var.min()))
    how = ref.gaussian_var_for(x.shape, var.shape)
    if how is None:
        raise InputError("likelihood.gaussian.error.var_shape", sv=shape_str(t["var"]), sx=shape_str(t["input"]),
                         allowed=_var_shapes(x.shape))
    used = np.maximum(var, p["eps"])
    if used.min() == 0:
        raise InputError("likelihood.gaussian.error.var_zero")
    used_b = np.broadcast_to(used[..., None] if how == "unsqueeze" else used, x.shape)
    if np.max((x - y) ** 2 / used_b) > 1e37:
        raise InputError("likelihood.gaussian.error.overflow")


def _gaussian_sample(rng: np.random.Generator) -> dict:
    n, d = int(rng.integers(1, 5)), int(rng.integers(1, 4))
    shape = (n, d) if rng.random() < 0.8 else (n,)
    x = rng.normal(0, 2, shape)
    y = rng.normal(0, 2, shape)
    kind = rng.integers(0, 3)
    if kind == 1 and len(shape) == 2:
        vshape = (n,)
    elif kind == 2 and len(shape) == 2:
        vshape = (n, 1) if rng.random() < 0.5 else (1, d)
    else:
        vshape = shape
    var = rng.uniform(0.01, 3.0, vshape)
    if rng.random() < 0.4:  # variances below eps: torch clamps them
        var.flat[0] = 1e-8
    return {"input": x, "target": y, "var": var}


def _gaussian_series(d: float, added: bool = False):
    def fn(x, p):
        import torch
        import torch.nn.functional as F
        mu, y = torch.full_like(x, d), torch.zeros_like(x)
        if added:  # what people expect eps to do: var + eps, no clamp (eps=0 disables torch's clamp here)
            return F.gaussian_nll_loss(mu, y, x + p["eps"], full=p["full"], eps=0.0, reduction="none")
        return F.gaussian_nll_loss(mu, y, x, full=p["full"], eps=p["eps"], reduction="none")
    return fn


def _gaussian_markers(p):
    eps = p["eps"]
    if eps < 0.02:
        return []
    return [(eps, M("gaussian_nll.curve.marker"))]


def _gaussian_divisor(t: dict, p: dict):
    if p["reduction"] != "mean":
        return None
    return float(t["input"].numel()), M("gaussian_nll.divisor.mean", shape=shape_str(t["input"]))


GAUSSIAN_NLL = LossSpec(
    slug="gaussian_nll", title="GaussianNLLLoss", family="regression", functional="gaussian_nll_loss",
    chooser=(rule("gaussian_nll", {"task": "regression", "uncertainty": "yes"},
                          "nn.GaussianNLLLoss()(mean, target, var)", ("mse",), rank=1),),
    refusals=(
        Refusal({'input': [2.5, 0.0, 2.0, 8.0], 'target': [3.0, -0.5, 2.0, 7.0], 'var': [0.25, 0.25, 1.0, 4.0, 0.25]}, {}, 'likelihood.gaussian.error.var_shape'),
    ),
    formula=(r"\begin{aligned}"
             r"\ell_i &= \frac12\left(\log\max(\sigma_i^2, \varepsilon) + "
             r"\frac{(x_i - y_i)^2}{\max(\sigma_i^2, \varepsilon)}\right),\qquad \sigma^2 = \texttt{var} \\"
             r"&\quad +\ \tfrac12\log(2\pi)\cdot[\texttt{full}]"
             r"\end{aligned}"),
    arg_names=("input", "target", "var"),
    params=(
        reduction_param(),
        Param("full", "bool", False, help=M("gaussian_nll.param.full")),
        Param("eps", "float", 1e-6, lo=0.0, hi=1.0, step=0.01, symbol=r"\varepsilon", symbol_text="ε", fmt="%.2e",
              help=M("gaussian_nll.param.eps")),
    ),
    examples=(
        _example("gaussian_nll", "hetero", {"input": [2.5, 0.0, 2.0, 8.0], "target": [3.0, -0.5, 2.0, 7.0],
                                            "var": [0.25, 0.25, 1.0, 4.0]}),
        _example("gaussian_nll", "clamp", {"input": [0.5], "target": [0.0], "var": [1e-8]}, note=True,
                 expected=0.5 * (math.log(1e-6) + 0.25 / 1e-6)),
        _example("gaussian_nll", "homo", {"input": [[1.0, 2.0, 3.0], [0.0, 0.5, -0.5]],
                                          "target": [[1.5, 2.0, 2.0], [0.0, 0.0, 0.0]], "var": [0.5, 2.0]},
                 note=True),
        _example("gaussian_nll", "full", {"input": [0.0], "target": [0.0], "var": [1.0]}, {"full": True},
                 note=True, expected=0.5 * math.log(2 * math.pi)),
    ),
    reference_fn=ref.gaussian_nll, sample=_gaussian_sample, validate=_gaussian_validate,
    mean_divisor=_gaussian_divisor,
    curve=Curve(
        M("gaussian_nll.curve.x"), (0.0, 3.0), (
            Series(M("gaussian_nll.curve.d05"), _gaussian_series(0.5)),
            Series(M("gaussian_nll.curve.d1"), _gaussian_series(1.0), dash="dash"),
            Series(M("gaussian_nll.curve.d15"), _gaussian_series(1.5), dash="dot"),
            Series(M("gaussian_nll.curve.added"), _gaussian_series(1.0, added=True), dash="dashdot", visible=False),
        ), markers=_gaussian_markers),
    docs_url=DOCS.format("GaussianNLLLoss"))


SPECS = (POISSON_NLL, GAUSSIAN_NLL)

"""Losses as negative log-likelihoods, computed by torch (pure: no Streamlit).

Each case pairs a torch loss with a distribution of torch.distributions:

    gaussian      mse_loss            Normal(x, σ), σ fixed
    laplace       l1_loss             Laplace(x, b), b fixed
    bernoulli     binary_cross_entropy Bernoulli(p)
    categorical   cross_entropy       Categorical(softmax(z))
    poisson       poisson_nll_loss    Poisson(λ)
    gaussian_var  gaussian_nll_loss   Normal(x, √var), var learned per output

identity(case, param, seed) returns rows (expression, value) that must all be equal; curves(case, param) the
density (or pmf) next to the loss, both computed by torch.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import distributions as D

CASES = ("gaussian", "laplace", "bernoulli", "categorical", "poisson", "gaussian_var")
LOSS_SLUG = {"gaussian": "mse", "laplace": "l1", "bernoulli": "binary_cross_entropy", "categorical": "cross_entropy",
             "poisson": "poisson_nll", "gaussian_var": "gaussian_nll"}
# The case's slider: (symbol, lo, hi, default, step). One per case, so each part of the page stays small.
PARAM = {"gaussian": ("σ", 0.2, 3.0, 1.0, 0.1), "laplace": ("b", 0.2, 3.0, 1.0, 0.1),
         "bernoulli": ("p", 0.02, 0.98, 0.7, 0.02), "categorical": ("z_1", -4.0, 4.0, 1.0, 0.25),
         "poisson": ("λ", 0.2, 12.0, 3.0, 0.2), "gaussian_var": ("r", 0.2, 3.0, 1.5, 0.1)}
OTHER_LOGITS = (0.5, -0.5)     # the categorical case: logits of classes 2 and 3; z_1 is the slider
POISSON_K = 3                  # the observed count whose loss is plotted against λ
BATCH = 8                      # size of the random batch the identities are checked on
DT = torch.float64


@dataclass(frozen=True)
class Identity:
    rows: tuple[tuple[str, float], ...]     # (expression as plain text, value computed by torch)
    max_gap: float                          # largest difference between any two rows

    @property
    def holds(self) -> bool:
        scale = max(1.0, max(abs(v) for _, v in self.rows))
        return self.max_gap <= 1e-9 * scale


def _identity(rows) -> Identity:
    values = [float(v) for _, v in rows]
    return Identity(tuple((name, float(v)) for name, v in rows), max(values) - min(values))


# ---- the identities, on any tensors (tests feed them random ones) -----------------------------------------
def gaussian_rows(x, y, sigma: float):
    var = torch.full_like(x, sigma ** 2)
    return (("gaussian_nll_loss(x, y, var=σ², full=True)", F.gaussian_nll_loss(x, y, var, full=True)),
            ("mse_loss(x, y)/(2σ²) + ½·log(2πσ²)", F.mse_loss(x, y) / (2 * sigma ** 2)
             + 0.5 * math.log(2 * math.pi * sigma ** 2)),
            ("−mean Normal(x, σ).log_prob(y)", -D.Normal(x, sigma).log_prob(y).mean()))


def laplace_rows(x, y, b: float):
    return (("l1_loss(x, y)/b + log(2b)", F.l1_loss(x, y) / b + math.log(2 * b)),
            ("−mean Laplace(x, b).log_prob(y)", -D.Laplace(x, b).log_prob(y).mean()))


def bernoulli_rows(p, y):
    return (("binary_cross_entropy(p, y)", F.binary_cross_entropy(p, y)),
            ("binary_cross_entropy_with_logits(logit p, y)", F.binary_cross_entropy_with_logits(torch.logit(p), y)),
            ("−mean Bernoulli(p).log_prob(y)", -D.Bernoulli(probs=p).log_prob(y).mean()))


def categorical_rows(z, k):
    return (("cross_entropy(z, k)", F.cross_entropy(z, k)),
            ("nll_loss(log_softmax(z), k)", F.nll_loss(F.log_softmax(z, dim=-1), k)),
            ("−mean Categorical(logits=z).log_prob(k)", -D.Categorical(logits=z).log_prob(k).mean()))


def poisson_rows(log_rate, k):
    # full=False leaves out log(k!), which does not depend on the prediction; add it back exactly.
    return (("poisson_nll_loss(log λ, k) + mean log k!", F.poisson_nll_loss(log_rate, k, log_input=True, full=False)
             + torch.lgamma(k + 1).mean()),
            ("−mean Poisson(λ).log_prob(k)", -D.Poisson(log_rate.exp()).log_prob(k).mean()))


def poisson_stirling_gap(log_rate, k) -> float:
    """full=True adds Stirling's approximation of log k! (only where k > 1), not log k! itself."""
    return float(F.poisson_nll_loss(log_rate, k, log_input=True, full=True)
                 + D.Poisson(log_rate.exp()).log_prob(k).mean())


def gaussian_var_rows(x, y, var):
    return (("gaussian_nll_loss(x, y, var, full=True)", F.gaussian_nll_loss(x, y, var, full=True)),
            ("mean ½·(log var + (x−y)²/var) + ½·log 2π", (0.5 * (var.log() + (x - y) ** 2 / var)).mean()
             + 0.5 * math.log(2 * math.pi)),
            ("−mean Normal(x, √var).log_prob(y)", -D.Normal(x, var.sqrt()).log_prob(y).mean()))


def random_batch(case: str, param: float, seed: int, n: int = BATCH) -> dict:
    """The inputs the page checks an identity on: n random numbers drawn from `seed`, and the case's slider."""
    g = torch.Generator().manual_seed(int(seed))
    x = torch.randn(n, generator=g, dtype=DT) * 2
    if case in ("gaussian", "laplace"):
        return {"x": x, "y": x + torch.randn(n, generator=g, dtype=DT) * param}
    if case == "bernoulli":
        p = torch.full((n,), param, dtype=DT)
        return {"p": p, "y": (torch.rand(n, generator=g, dtype=DT) < p).to(DT)}
    if case == "categorical":
        z = torch.randn(n, 3, generator=g, dtype=DT)
        z[:, 0] = param
        return {"z": z, "k": torch.randint(0, 3, (n,), generator=g)}
    if case == "poisson":
        rate = torch.full((n,), param, dtype=DT)
        return {"log_rate": rate.log(), "k": torch.poisson(rate, generator=g)}
    if case == "gaussian_var":
        y = x + torch.randn(n, generator=g, dtype=DT) * param
        return {"x": x, "y": y, "var": torch.rand(n, generator=g, dtype=DT) * 3 + 0.05}
    raise KeyError(case)


def identity(case: str, param: float, seed: int) -> Identity:
    b = random_batch(case, param, seed)
    rows = {"gaussian": lambda: gaussian_rows(b["x"], b["y"], param),
            "laplace": lambda: laplace_rows(b["x"], b["y"], param),
            "bernoulli": lambda: bernoulli_rows(b["p"], b["y"]),
            "categorical": lambda: categorical_rows(b["z"], b["k"]),
            "poisson": lambda: poisson_rows(b["log_rate"], b["k"]),
            "gaussian_var": lambda: gaussian_var_rows(b["x"], b["y"], b["var"])}[case]()
    return _identity(rows)


# ---- what the page plots ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Curves:
    dens_x: np.ndarray          # y values (or outcomes) of the density / pmf
    dens: np.ndarray            # density, or pmf when `discrete`
    discrete: bool
    loss_x: np.ndarray          # what the loss is plotted against (residual, p, z_1, λ or var)
    loss: dict                  # series name -> torch loss per element (reduction='none')
    nll: dict                   # the same series name -> −log_prob from torch.distributions
    marker: float | None        # the slider's position on loss_x (None: the slider is a scale, not a point)


def _grid(lo, hi, n=301):
    return torch.linspace(lo, hi, n, dtype=DT)


def curves(case: str, param: float) -> Curves:
    return {"gaussian": _gaussian_curves, "laplace": _laplace_curves, "bernoulli": _bernoulli_curves,
            "categorical": _categorical_curves, "poisson": _poisson_curves,
            "gaussian_var": _gaussian_var_curves}[case](float(param))


def _np(t) -> np.ndarray:
    return t.detach().numpy()


def _gaussian_curves(sigma):
    r, zero = _grid(-5, 5), torch.zeros(301, dtype=DT)
    loss = F.gaussian_nll_loss(zero, r, torch.full_like(r, sigma ** 2), full=True, reduction="none")
    return Curves(_np(r), _np(D.Normal(0.0, sigma).log_prob(r).exp()), False, _np(r), {"y": _np(loss)},
                  {"y": _np(-D.Normal(zero, sigma).log_prob(r))}, None)


def _laplace_curves(b):
    r, zero = _grid(-5, 5), torch.zeros(301, dtype=DT)
    loss = F.l1_loss(zero, r, reduction="none") / b + math.log(2 * b)
    return Curves(_np(r), _np(D.Laplace(0.0, b).log_prob(r).exp()), False, _np(r), {"y": _np(loss)},
                  {"y": _np(-D.Laplace(zero, b).log_prob(r))}, None)


def _bernoulli_curves(p):
    grid = _grid(0.01, 0.99, 197)
    out, nll = {}, {}
    for label in (1.0, 0.0):
        y = torch.full_like(grid, label)
        out[f"y={label:g}"] = _np(F.binary_cross_entropy(grid, y, reduction="none"))
        nll[f"y={label:g}"] = _np(-D.Bernoulli(probs=grid).log_prob(y))
    pmf = D.Bernoulli(probs=torch.tensor(p, dtype=DT)).log_prob(torch.tensor([0.0, 1.0], dtype=DT)).exp()
    return Curves(np.array([0, 1]), _np(pmf), True, _np(grid), out, nll, p)


def _categorical_curves(z1):
    grid = _grid(-6, 6)
    logits = torch.stack([grid, *(torch.full_like(grid, v) for v in OTHER_LOGITS)], dim=1)
    out, nll = {}, {}
    for k in range(3):
        target = torch.full((grid.numel(),), k, dtype=torch.long)
        out[f"k={k + 1}"] = _np(F.cross_entropy(logits, target, reduction="none"))
        nll[f"k={k + 1}"] = _np(-D.Categorical(logits=logits).log_prob(target))
    pmf = F.softmax(torch.tensor([z1, *OTHER_LOGITS], dtype=DT), dim=0)
    return Curves(np.array([1, 2, 3]), _np(pmf), True, _np(grid), out, nll, z1)


def _poisson_curves(rate):
    lam = _grid(0.2, 12)
    k = torch.full_like(lam, float(POISSON_K))
    # log_input=True: with log_input=False torch computes log(λ + 1e-8), off by ~1e-8·k/λ
    loss = F.poisson_nll_loss(lam.log(), k, log_input=True, full=False, reduction="none") + torch.lgamma(k + 1)
    outcomes = torch.arange(0, 21, dtype=DT)
    pmf = D.Poisson(torch.tensor(rate, dtype=DT)).log_prob(outcomes).exp()
    return Curves(_np(outcomes), _np(pmf), True, _np(lam), {f"k={POISSON_K}": _np(loss)},
                  {f"k={POISSON_K}": _np(-D.Poisson(lam).log_prob(k))}, rate)


def _gaussian_var_curves(residual):
    var = _grid(0.05, 10)
    zero, r = torch.zeros_like(var), torch.full_like(var, residual)
    loss = F.gaussian_nll_loss(zero, r, var, full=True, reduction="none")
    y = _grid(-5, 5)
    dens = D.Normal(0.0, residual).log_prob(y).exp()     # the best variance for this residual is r²
    return Curves(_np(y), _np(dens), False, _np(var), {"r": _np(loss)}, {"r": _np(-D.Normal(zero, var.sqrt()).log_prob(r))},
                  residual ** 2)


def best_variance(residual: float, steps: int = 200, lr: float = 0.5) -> float:
    """The variance gradient descent learns for one residual (in log space, so it stays positive): r²."""
    log_var = torch.zeros((), dtype=DT, requires_grad=True)
    opt = torch.optim.SGD([log_var], lr=lr)
    zero, r = torch.zeros((), dtype=DT), torch.tensor(residual, dtype=DT)
    for _ in range(steps):
        opt.zero_grad()
        F.gaussian_nll_loss(zero, r, log_var.exp()).backward()
        opt.step()
    return float(log_var.detach().exp())


def outlier_fits(data=(1.0, 2.0, 3.0, 4.0, 40.0), step: float = 0.01) -> dict:
    """The single prediction c that minimises MSE (the Gaussian model) and L1 (the Laplace model) on `data`,
    found by torch on a grid of spacing `step`: the mean and the median."""
    y = torch.tensor(data, dtype=DT)
    lo, hi = math.floor(float(y.min())), math.ceil(float(y.max()))
    n = int(round((hi - lo) / step)) + 1
    c = torch.linspace(lo, hi, n, dtype=DT)[:, None]
    mse = F.mse_loss(c.expand(-1, y.numel()), y.expand(n, -1), reduction="none").mean(1)
    l1 = F.l1_loss(c.expand(-1, y.numel()), y.expand(n, -1), reduction="none").mean(1)
    return {"mse": float(c[mse.argmin(), 0]), "l1": float(c[l1.argmin(), 0])}


def tail_ratio(residual: float) -> dict:
    """How much less likely a residual of `residual` is under each model (σ = b = 1), relative to 0."""
    r = torch.tensor([0.0, residual], dtype=DT)
    g, lap = D.Normal(0.0, 1.0).log_prob(r), D.Laplace(0.0, 1.0).log_prob(r)
    return {"gaussian": float(g[0] - g[1]), "laplace": float(lap[0] - lap[1])}

"""Theory: entropy, cross-entropy, KL and likelihood in NumPy against torch, the identities between them, the
"Picking loss functions" curves against their closed forms, and the convexity counterexample."""
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from losses import theory as th

RNG = np.random.default_rng(20251125)
PAIRS = [(th.normalise(RNG.random(k)), th.normalise(RNG.random(k))) for k in (2, 3, 4, 6, 6, 10)]


@pytest.mark.parametrize("p, q", PAIRS)
@pytest.mark.parametrize("unit", ["bits", "nats"])
def test_numpy_equals_torch(p, q, unit):
    base = th.LOG_BASES[unit]
    npv, tv = th.numpy_values(p, q, base), th.torch_values(p, q, base)
    for key in npv:
        assert math.isclose(npv[key], tv[key], rel_tol=1e-9, abs_tol=1e-12), key


@pytest.mark.parametrize("p, q", PAIRS)
def test_identities(p, q):
    v = th.numpy_values(p, q, 2.0)
    assert math.isclose(v["H_pq"], v["H_p"] + v["KL_pq"], rel_tol=1e-12)        # H(p,q) = H(p) + KL(p‖q)
    assert math.isclose(v["H_qp"], v["H_q"] + v["KL_qp"], rel_tol=1e-12)
    assert v["KL_pq"] > 0 and v["H_pq"] > v["H_p"]                              # Gibbs: q != p
    assert th.kl(p, p) == pytest.approx(0.0, abs=1e-12)
    assert th.cross_entropy(p, p) == pytest.approx(th.entropy(p))
    # bits and nats differ by ln 2
    assert th.entropy(p, 2.0) * math.log(2) == pytest.approx(th.entropy(p, math.e))


def test_torch_cross_entropy_with_probability_targets_is_h_p_q():
    p, q = PAIRS[2]
    torch_ce = float(F.cross_entropy(torch.tensor(q).log()[None], torch.tensor(p)[None]))
    assert torch_ce == pytest.approx(th.cross_entropy(p, q, math.e), rel=1e-9)


def test_kl_is_not_symmetric_on_the_page_defaults():
    from ui.theory import P_DEFAULT, Q_DEFAULT
    p, q = th.normalise(P_DEFAULT[:4]), th.normalise(Q_DEFAULT[:4])
    assert abs(th.kl(p, q) - th.kl(q, p)) > 0.05


def test_zero_probabilities():
    p = np.array([0.5, 0.5, 0.0])
    q = np.array([0.0, 0.5, 0.5])
    for values in (th.numpy_values(p, q), th.torch_values(p, q)):
        assert math.isinf(values["H_pq"]) and math.isinf(values["KL_pq"]) and math.isinf(values["KL_qp"])
        assert values["H_p"] == pytest.approx(1.0)                               # 0·log 0 = 0
    q2 = np.array([0.25, 0.25, 0.5])
    assert math.isfinite(th.kl(p, q2)) and math.isinf(th.kl(q2, p))              # asymmetric support
    assert th.torch_values(p, q2)["KL_pq"] == pytest.approx(th.kl(p, q2))
    assert th.information([0.0, 0.5], 2.0)[1] == pytest.approx(1.0)
    assert math.isinf(th.information([0.0], 2.0)[0])


def test_normalise():
    assert th.normalise([2, 1, 1]).tolist() == [0.5, 0.25, 0.25]
    assert th.normalise([0, 0]).tolist() == [0.5, 0.5]
    assert th.normalise([-1, 1]).tolist() == [0.0, 1.0]


@pytest.mark.parametrize("n", [1, 7, 20, 333])
def test_cross_entropy_is_the_negative_log_likelihood(n):
    p, q = PAIRS[3]
    counts = th.counts_from(p, n)
    assert counts.sum() == n and np.all(np.abs(counts - p * n) < 1)
    labels = th.labels_from_counts(counts)
    nll = th.dataset_nll(labels, q)
    assert nll == pytest.approx(th.dataset_nll_torch(labels, q), rel=1e-9)
    # torch's mean CrossEntropyLoss over the data set = NLL per example = H(p̂, q)
    logits = torch.tensor(q).log().expand(n, -1)
    mean_ce = float(F.cross_entropy(logits, torch.as_tensor(labels)))
    assert mean_ce == pytest.approx(nll / n, rel=1e-9)
    assert mean_ce == pytest.approx(th.cross_entropy(counts / n, q, math.e), rel=1e-9)


def test_the_maximum_likelihood_model_is_the_empirical_distribution():
    p_hat = th.normalise([5, 3, 1, 1])
    best = th.cross_entropy(p_hat, p_hat)
    for _ in range(200):
        q = th.normalise(RNG.random(4))
        assert th.cross_entropy(p_hat, q) >= best


# ---- "Picking loss functions" -------------------------------------------------------------------------------
def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


@pytest.mark.parametrize("params", [{"gamma": 2.0, "alpha": 0.25, "margin": 1.0},
                                    {"gamma": 0.0, "alpha": 1.0, "margin": 0.5}])
def test_margin_curves_against_closed_forms(params):
    x, curves = th.margin_curves(params=params, n=201)
    s = _sigmoid(x)
    ce = np.log1p(np.exp(-x))
    expected = {
        "ce": (ce, s - 1),
        "focal": (params["alpha"] * (1 - s) ** params["gamma"] * ce, None),
        "mse_prob": ((1 - s) ** 2, -2 * (1 - s) * s * (1 - s)),
        "hinge": (np.maximum(0, params["margin"] - x), np.where(x < params["margin"], -1.0, 0.0)),
    }
    for name, (loss, grad) in expected.items():
        np.testing.assert_allclose(curves[name][0], loss, rtol=1e-9, atol=1e-12)
        if grad is not None:
            away = np.abs(x - params["margin"]) > 1e-6 if name == "hinge" else slice(None)
            np.testing.assert_allclose(curves[name][1][away], grad[away], rtol=1e-9, atol=1e-12)
    if params["gamma"] == 0.0 and params["alpha"] == 1.0:   # gamma = 0, alpha = 1: focal is plain BCE
        np.testing.assert_allclose(curves["focal"][0], curves["ce"][0])


def test_mse_on_probabilities_is_not_convex_and_ce_is():
    z = np.linspace(-6, 6, 121)
    assert np.all(th.second_derivative("ce", z) > 0)
    h = th.second_derivative("mse_prob", z)
    assert h.min() < 0 < h.max()
    np.testing.assert_allclose(th.second_derivative("ce", z), _sigmoid(z) * (1 - _sigmoid(z)), rtol=1e-9)


def test_a_network_loss_is_not_convex_in_its_weights():
    ce = th.convexity_counterexample((2.0, 3.0))
    assert ce["L_a"] == pytest.approx(ce["L_b"])
    assert ce["L_mid"] == pytest.approx(math.log(2))
    assert ce["violated"] and ce["L_mid"] > ce["convex_bound"]
    # the same numbers straight from torch
    x = torch.tensor(1.0)
    def loss(w1, w2):
        return float(F.binary_cross_entropy_with_logits(w2 * torch.tanh(torch.tensor(w1) * x), torch.tensor(1.0)))
    assert ce["L_a"] == pytest.approx(loss(2.0, 3.0), rel=1e-6)

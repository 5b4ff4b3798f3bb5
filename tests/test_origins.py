"""Where losses come from, the domain: each NLL identity over random inputs and parameters (torch's loss,
torch.distributions and a NumPy closed form agree); the surrogates' values and autograd gradients against
torch and their closed forms; the landscape's grid, minimum and gradient-descent path against plain torch."""
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import examples  # the tier's Hypothesis example count (full in make test)

from losses import origins_landscape as land
from losses import origins_nll as nll
from losses import origins_surrogates as sur

PROPS = settings(max_examples=examples(60), deadline=None, derandomize=True)
DT = torch.float64
floats = st.floats(-20, 20, allow_nan=False, width=64)
vectors = st.integers(1, 12).flatmap(lambda n: st.tuples(st.lists(floats, min_size=n, max_size=n),
                                                         st.lists(floats, min_size=n, max_size=n)))


def _t(values):
    return torch.tensor(values, dtype=DT)


def _all_equal(rows, expected, rel=1e-9):
    for name, value in rows:
        assert float(value) == pytest.approx(expected, rel=rel, abs=1e-9), name


# ---- part 1: negative log-likelihoods ----------------------------------------------------------------------
@PROPS
@given(vectors, st.floats(0.05, 10))
def test_mse_is_the_nll_of_a_gaussian_with_fixed_variance(xy, sigma):
    x, y = map(np.asarray, xy)
    expected = np.mean(0.5 * np.log(2 * np.pi * sigma ** 2) + (x - y) ** 2 / (2 * sigma ** 2))
    _all_equal(nll.gaussian_rows(_t(x), _t(y), sigma), expected)


@PROPS
@given(vectors, st.floats(0.05, 10))
def test_l1_is_the_nll_of_a_laplace(xy, b):
    x, y = map(np.asarray, xy)
    _all_equal(nll.laplace_rows(_t(x), _t(y), b), np.mean(np.log(2 * b) + np.abs(x - y) / b))


@PROPS
@given(st.lists(st.tuples(st.floats(1e-4, 1 - 1e-4), st.booleans()), min_size=1, max_size=12))
def test_bce_is_the_nll_of_a_bernoulli(pairs):
    p = np.array([a for a, _ in pairs])
    y = np.array([float(b) for _, b in pairs])
    expected = -np.mean(np.log(np.where(y == 1, p, 1 - p)))          # −log of the Bernoulli pmf
    _all_equal(nll.bernoulli_rows(_t(p), _t(y)), expected, rel=1e-7)


@PROPS
@given(st.integers(1, 8), st.integers(2, 6), st.integers(0, 2 ** 31 - 1))
def test_cross_entropy_is_the_nll_of_a_categorical(n, c, seed):
    rng = np.random.default_rng(seed)
    z, k = rng.normal(0, 4, (n, c)), rng.integers(0, c, n)
    logp = z - z.max(1, keepdims=True)
    logp = logp - np.log(np.exp(logp).sum(1, keepdims=True))
    _all_equal(nll.categorical_rows(_t(z), torch.as_tensor(k)), -np.mean(logp[np.arange(n), k]))


@PROPS
@given(st.lists(st.tuples(st.floats(-3, 3), st.integers(0, 40)), min_size=1, max_size=12))
def test_poisson_nll_plus_log_k_factorial_is_the_nll_of_a_poisson(pairs):
    log_rate = np.array([a for a, _ in pairs])
    k = np.array([float(b) for _, b in pairs])
    expected = np.mean(np.exp(log_rate) - k * log_rate + np.array([math.lgamma(v + 1) for v in k]))
    _all_equal(nll.poisson_rows(_t(log_rate), _t(k)), expected)


def test_poisson_full_uses_stirling_only_where_k_exceeds_one():
    assert nll.poisson_stirling_gap(_t([0.3, -0.2]), _t([0.0, 1.0])) == pytest.approx(0.0, abs=1e-12)
    gap = nll.poisson_stirling_gap(_t([1.0]), _t([3.0]))
    assert 0 < abs(gap) < 0.1                                   # Stirling is close to log 3!, not equal


@PROPS
@given(vectors, st.lists(st.floats(1e-3, 50), min_size=12, max_size=12))
def test_gaussian_nll_is_the_nll_of_a_gaussian_with_learned_variance(xy, variances):
    x, y = map(np.asarray, xy)
    var = np.asarray(variances[:len(x)])
    expected = np.mean(0.5 * (np.log(2 * np.pi * var) + (x - y) ** 2 / var))
    _all_equal(nll.gaussian_var_rows(_t(x), _t(y), _t(var)), expected)


@pytest.mark.parametrize("case", nll.CASES)
@pytest.mark.parametrize("seed", [0, 1, 7])
def test_every_case_holds_on_the_page_batch_at_both_slider_ends(case, seed):
    _, lo, hi, default, _ = nll.PARAM[case]
    for value in (lo, default, hi):
        ident = nll.identity(case, value, seed)
        assert ident.holds and len(ident.rows) >= 2, (case, value, ident)


@pytest.mark.parametrize("case", nll.CASES)
def test_the_plotted_loss_is_minus_the_log_density(case):
    _, lo, hi, default, _ = nll.PARAM[case]
    for value in (lo, default, hi):
        c = nll.curves(case, value)
        assert set(c.loss) == set(c.nll)
        for name in c.loss:
            np.testing.assert_allclose(c.loss[name], c.nll[name], rtol=1e-9, atol=1e-9)
        mass = c.dens.sum() if c.discrete else np.trapezoid(c.dens, c.dens_x)
        assert np.all(c.dens >= 0) and mass <= 1.01                   # a density, cut at the plotted range
        if value == default:
            assert mass >= 0.99, (case, mass)


@pytest.mark.parametrize("residual", [0.3, 1.5, 2.5])
def test_the_learned_variance_is_the_squared_residual(residual):
    assert nll.best_variance(residual) == pytest.approx(residual ** 2, rel=1e-4)
    c = nll.curves("gaussian_var", residual)
    assert c.loss_x[np.argmin(c.loss["r"])] == pytest.approx(residual ** 2, abs=0.05)


def test_outliers_pull_the_gaussian_fit_not_the_laplace_one():
    data = (1.0, 2.0, 3.0, 4.0, 40.0)
    fits = nll.outlier_fits(data)
    assert fits["mse"] == pytest.approx(np.mean(data)) and fits["l1"] == pytest.approx(np.median(data))
    tails = nll.tail_ratio(4.0)
    assert tails["gaussian"] == pytest.approx(8.0) and tails["laplace"] == pytest.approx(4.0)


# ---- part 2: surrogates -----------------------------------------------------------------------------------
def _closed(name, m, mu):
    return {"zero_one": (m <= 0).astype(float), "hinge": np.maximum(0, mu - m),
            "squared_hinge": np.maximum(0, mu - m) ** 2, "logistic": np.log1p(np.exp(-m)),
            "exponential": np.exp(-m)}[name]


def _closed_grad(name, m, mu):
    return {"zero_one": np.zeros_like(m), "hinge": np.where(m < mu, -1.0, 0.0),
            "squared_hinge": -2 * np.maximum(0, mu - m), "logistic": -1 / (1 + np.exp(m)),
            "exponential": -np.exp(-m)}[name]


@pytest.mark.parametrize("name", sur.SURROGATES)
@pytest.mark.parametrize("mu", [0.0, 0.5, 1.0, 2.0])
def test_surrogate_values_and_autograd_gradients(name, mu):
    m = np.linspace(-3, 3, 241) + 1e-3                        # off the kinks
    loss, grad = sur.values_and_grads(name, m, mu)
    np.testing.assert_allclose(loss, _closed(name, m, mu), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(grad, _closed_grad(name, m, mu), rtol=1e-12, atol=1e-12)


@PROPS
@given(st.lists(st.tuples(st.floats(-6, 6), st.booleans()), min_size=1, max_size=10), st.floats(0, 2))
def test_surrogates_are_torchs_losses_on_random_scores_and_labels(pairs, mu):
    f = _t([a for a, _ in pairs])
    y = _t([1.0 if b else -1.0 for _, b in pairs])
    scores, cls = torch.stack([torch.zeros_like(f), f], 1), ((y + 1) / 2).long()
    for p, name in ((1, "hinge"), (2, "squared_hinge")):
        torch_loss = F.multi_margin_loss(scores, cls, p=p, margin=mu, reduction="none")
        np.testing.assert_allclose(sur.surrogate(name, f, y, mu).numpy(), 2 * torch_loss.numpy(), atol=1e-12)
        np.testing.assert_allclose(sur.surrogate(name, f, y, mu).numpy(), np.maximum(0, mu - (y * f).numpy()) ** p,
                                   atol=1e-12)
    logistic = sur.surrogate("logistic", f, y).numpy()
    np.testing.assert_allclose(logistic, F.binary_cross_entropy_with_logits(f, (y + 1) / 2, reduction="none").numpy(),
                               rtol=1e-12, atol=1e-12)
    assert float(F.soft_margin_loss(f, y)) == pytest.approx(float(np.mean(logistic)), rel=1e-12)
    # autograd through the torch loss, w.r.t. the score f, equals y·φ'(m)
    fg = f.clone().requires_grad_(True)
    (g,) = torch.autograd.grad(sur.surrogate("logistic", fg, y).sum(), fg)
    np.testing.assert_allclose(g.numpy(), (y * torch.sigmoid(y * f) - y).numpy(), atol=1e-12)


@pytest.mark.parametrize("name, calibrated_at_1, calibrated_at_0", [
    ("hinge", True, False), ("squared_hinge", True, False), ("logistic", True, True), ("exponential", True, True)])
def test_calibration_and_the_risk_minimiser_agree(name, calibrated_at_1, calibrated_at_0):
    for mu, expected in ((1.0, calibrated_at_1), (0.0, calibrated_at_0)):
        assert sur.calibration(name, mu).calibrated == expected
        for eta in (0.2, 0.35, 0.65, 0.9):
            f_star, _, _ = sur.risk_minimiser(name, eta, mu)
            right_sign = abs(f_star) > 1e-9 and np.sign(f_star) == np.sign(2 * eta - 1)
            assert right_sign == expected, (name, mu, eta, f_star)


def test_logistic_risk_minimiser_is_the_log_odds():
    for eta in (0.2, 0.7):
        f_star, _, _ = sur.risk_minimiser("logistic", eta)
        assert f_star == pytest.approx(math.log(eta / (1 - eta)), abs=0.01)


def test_which_losses_still_push_a_correct_example():
    assert sur.pushing(2.0) == ("logistic", "exponential")
    assert sur.pushing(0.5) == sur.CONVEX
    assert sur.pushing(2.0, margin=3.0) == sur.CONVEX


@pytest.mark.parametrize("m", [-1.5, 0.2, 0.99, 1.7])
@pytest.mark.parametrize("mu", [0.5, 1.0])
def test_margin_ranking_and_hinge_embedding_are_the_hinge(m, mu):
    v = sur.ranking_and_embedding(m, mu)
    assert v["margin_ranking"] == pytest.approx(max(0.0, mu - m))
    assert v["hinge_embedding"] == pytest.approx(max(0.0, mu - m)) == pytest.approx(v["hinge"])


# ---- part 3: landscapes -----------------------------------------------------------------------------------
@pytest.mark.parametrize("loss", land.LOSSES)
@pytest.mark.parametrize("outliers", [0, 3])
def test_grid_equals_torch_at_random_points(loss, outliers):
    g = land.grid(loss, 0.7, outliers, n=31)
    x, y = land.dataset(loss, outliers)
    rng = np.random.default_rng(3)
    fn = {"mse": F.mse_loss, "l1": F.l1_loss, "huber": lambda a, b: F.huber_loss(a, b, delta=0.7),
          "bce": F.binary_cross_entropy_with_logits}[loss]
    for i, j in rng.integers(0, 31, (10, 2)):
        expected = float(fn(g.w[j] * x + g.b[i], y))
        assert g.z[i, j] == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("loss", land.LOSSES)
@pytest.mark.parametrize("start, lr, steps", [((0.0, 0.0), 0.3, 40), ((3.0, -2.0), 0.05, 120), ((-1.0, 2.5), 1.0, 7)])
def test_descent_path_ends_where_torch_optim_sgd_ends(loss, start, lr, steps):
    path = land.descent_path(loss, 0.8, 2, start, lr, steps)
    x, y = land.dataset(loss, 2)
    w = torch.tensor(start[0], dtype=DT, requires_grad=True)
    b = torch.tensor(start[1], dtype=DT, requires_grad=True)
    opt = torch.optim.SGD([w, b], lr=lr)
    for _ in range(steps):
        opt.zero_grad()
        land.mean_loss(loss, w, b, x, y, 0.8).backward()
        opt.step()
    np.testing.assert_allclose(path.points[-1], [w.item(), b.item()], rtol=1e-12, atol=1e-12)
    assert path.points.shape == (steps + 1, 2) and path.losses.shape == (steps + 1,)
    assert path.losses[-1] == pytest.approx(land.mean_loss(loss, w, b, x, y, 0.8).item(), rel=1e-12)


def test_minimum_matches_least_squares_and_is_the_grid_minimum():
    x, y = land.dataset("mse", 4)
    w, b, value = land.minimum("mse", 1.0, 4)
    np.testing.assert_allclose([w, b], np.polyfit(x.numpy(), y.numpy(), 1), rtol=1e-9)
    for loss in ("l1", "huber", "bce"):
        g = land.grid(loss, 1.0, 4)
        assert land.minimum(loss, 1.0, 4)[2] <= g.z.min() + 1e-12


def test_outliers_move_the_mse_minimum_more_than_the_l1_minimum():
    for n in (2, 4, 6):
        assert land.minimum_shift("mse", 1.0, n) > 3 * land.minimum_shift("l1", 1.0, n)


def test_l1_has_creases_where_a_residual_is_zero_and_mse_does_not():
    w = 1.0
    b, l1 = land.slice_through("l1", 1.0, 0, w, n=4001)
    _, mse = land.slice_through("mse", 1.0, 0, w, n=4001)
    slope_jumps = lambda z: np.abs(np.diff(np.diff(z) / np.diff(b)))   # noqa: E731
    kinks = b[1:-1][slope_jumps(l1) > 1e-6]
    lines = [c for _, c in [(s, i + s * w) for s, i in land.creases("l1", 0)]]
    inside = [c for c in lines if b[0] < c < b[-1]]
    assert len(inside) >= 10
    for c in inside:                                          # every kink is on a crease line b = y_i − w·x_i
        assert np.min(np.abs(kinks - c)) < 2 * (b[1] - b[0])
    assert np.ptp(slope_jumps(mse)) < 1e-6                     # a parabola: the slope changes evenly, no kink

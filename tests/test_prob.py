"""KLDivLoss, PoissonNLLLoss, GaussianNLLLoss, SoftMarginLoss, MultiLabelSoftMarginLoss: what the pages teach,
checked against torch; bad input refused in both languages. Their curves, the panels' pure functions and the
copy-code snippets: tests/test_prob_panels.py."""
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from losses import REGISTRY, InputError
from losses.curves import sweep
from losses.reference.likelihood import stirling
from diagnosed import assert_computed_and_warned

SLUGS = ("kl_div", "poisson_nll", "gaussian_nll", "soft_margin", "multilabel_soft_margin")
pytestmark = pytest.mark.filterwarnings("ignore:reduction. 'mean' divides the total loss:UserWarning")


def _log(p):
    return np.log(np.asarray(p, dtype=np.float64)).tolist()


def assert_bilingual_error(slug, inputs, params=None, *, contains=""):
    with pytest.raises(InputError) as info:
        REGISTRY[slug].evaluate(inputs, params or {})
    err = info.value
    assert err.en and err.zh and err.en != err.zh
    assert any("\u4e00" <= ch <= "\u9fff" for ch in err.zh)
    assert contains in err.en, err.en
    # The reference path refuses the same input (the page computes both).
    with pytest.raises(InputError):
        REGISTRY[slug].reference(inputs, params or {})
    return err


def test_each_is_registered_in_its_family():
    families = {slug: REGISTRY[slug].family for slug in SLUGS}
    assert families == {"kl_div": "classification", "poisson_nll": "regression", "gaussian_nll": "regression",
                        "soft_margin": "margin", "multilabel_soft_margin": "margin"}
    assert REGISTRY["gaussian_nll"].arg_names == ("input", "target", "var")
    assert REGISTRY["kl_div"].param("reduction").choices == ("none", "batchmean", "sum", "mean")


# ---- KLDivLoss ---------------------------------------------------------------------------------------
P = [[0.1, 0.6, 0.3], [0.2, 0.2, 0.6]]
Q = [[0.25, 0.5, 0.25], [0.7, 0.2, 0.1]]


def test_kl_div_is_kl_of_target_from_input_and_batchmean_is_the_kl():
    spec = REGISTRY["kl_div"]
    p, q = np.array(P), np.array(Q)
    kl_rows = (p * np.log(p / q)).sum(axis=1)            # KL(p‖q) per row, by the definition
    inputs = {"input": _log(Q), "target": P}
    bm = float(spec.evaluate(inputs, {"reduction": "batchmean"}))
    mean = float(spec.evaluate(inputs, {"reduction": "mean"}))
    assert bm == pytest.approx(kl_rows.mean(), rel=1e-5)
    assert bm / mean == pytest.approx(3.0, rel=1e-5)      # 'mean' is the KL / C
    reverse = (q * np.log(q / p)).sum(axis=1).mean()
    assert abs(bm - reverse) > 0.05                       # the two directions really differ here
    lt = float(spec.evaluate({"input": _log(Q), "target": _log(P)}, {"reduction": "batchmean", "log_target": True}))
    assert lt == pytest.approx(bm, rel=1e-5)


def test_kl_div_batchmean_without_batch_dimension_divides_by_c():
    spec = REGISTRY["kl_div"]
    one = float(spec.evaluate({"input": _log(Q[0]), "target": P[0]}, {"reduction": "batchmean"}))
    batched = float(spec.evaluate({"input": [_log(Q[0])], "target": [P[0]]}, {"reduction": "batchmean"}))
    assert one == pytest.approx(batched / 3, rel=1e-5)


def test_kl_div_divisors_for_the_inspector():
    spec = REGISTRY["kl_div"]
    t = spec.to_tensors(spec.to_arrays({"input": _log(Q), "target": P}))
    base = spec.resolve_params({})
    d_bm, words_bm = spec.mean_divisor(t, {**base, "reduction": "batchmean"})
    d_mean, words_mean = spec.mean_divisor(t, {**base, "reduction": "mean"})
    assert (d_bm, d_mean) == (2.0, 6.0)
    assert "input.size(0)" in words_bm.text("en") and "input.size(0)" in words_bm.text("zh")
    assert "6" in words_mean.text("en")
    for r, d in (("batchmean", d_bm), ("mean", d_mean)):
        total = float(spec.evaluate({"input": _log(Q), "target": P}, {"reduction": "sum"}))
        assert float(spec.evaluate({"input": _log(Q), "target": P}, {"reduction": r})) == pytest.approx(total / d, rel=1e-5)
    assert spec.mean_divisor(t, {**base, "reduction": "sum"}) is None


def test_kl_div_computes_what_torch_accepts_silently_and_says_why():
    # torch happily returns a number for probabilities as input: often negative, never a divergence.
    silent = float(F.kl_div(torch.tensor(Q), torch.tensor(P), reduction="batchmean"))
    assert silent < 0
    batch = {"reduction": "batchmean"}
    (found,) = assert_computed_and_warned("kl_div", {"input": Q, "target": P}, batch, "dg_kl_input_probs")
    assert found.fix.kind == "log"
    found = assert_computed_and_warned("kl_div", {"input": [[-1.0, -1.0, -1.0]], "target": [P[0]]}, batch,
                                       "dg_kl_input_not_log")
    assert found[0].args["sum"] == "1.104" and found[0].fix.kind == "log_softmax"   # 3·e^−1
    found = assert_computed_and_warned("kl_div", {"input": [_log(Q[0])], "target": [[0.2, 0.6, 0.5]]}, batch,
                                       "dg_kl_target_sum")
    assert found[0].args["sum"] == "1.3" and found[0].fix.kind == "normalize"
    found = assert_computed_and_warned("kl_div", {"input": _log(Q), "target": P[0]}, batch, "dg_broadcast")
    assert found[0].args["out"] == "(2, 3)"
    assert_computed_and_warned("kl_div", {"input": [_log(Q[0])], "target": [[-0.5, -1.2, -2.0]]},
                               {"log_target": True}, None)
    assert_computed_and_warned("kl_div", {"input": [_log(Q[0])], "target": [[0.2, 0.3, 0.5]]},
                               {"log_target": True}, "dg_kl_log_target_positive")
    assert_computed_and_warned("kl_div", {"input": _log(Q[0]), "target": P[0]}, batch, "dg_kl_batchmean_1d")
    # Still refused: nan (a negative probability), inf (exp overflow), nothing typed.
    assert_bilingual_error("kl_div", {"input": [_log(Q[0])], "target": [[-0.1, 0.6, 0.5]]}, contains="negative")
    assert_bilingual_error("kl_div", {"input": [_log(Q[0])], "target": [[90.0, 0.6, 0.5]]}, {"log_target": True},
                           contains="overflows")
    assert_bilingual_error("kl_div", {"input": _log(Q), "target": [[0.5, 0.5]]}, contains="shape")
    assert_bilingual_error("kl_div", {"input": "[]", "target": P}, contains="empty")


# ---- PoissonNLLLoss ------------------------------------------------------------------------------------
def test_poisson_stirling_term_only_where_target_above_one():
    spec = REGISTRY["poisson_nll"]
    y = [0.0, 0.5, 1.0, 1.5, 2.0, 5.0]
    inputs = {"input": [0.3] * len(y), "target": y}
    full = spec.evaluate(inputs, {"full": True, "reduction": "none"}).double().numpy()
    part = spec.evaluate(inputs, {"full": False, "reduction": "none"}).double().numpy()
    added = full - part
    np.testing.assert_allclose(added[:3], 0.0, atol=1e-6)       # y ≤ 1: nothing added
    yy = np.array(y[3:])
    np.testing.assert_allclose(added[3:], yy * np.log(yy) - yy + 0.5 * np.log(2 * math.pi * yy), rtol=1e-4)
    np.testing.assert_allclose(stirling(np.array(y)), added, atol=1e-5)


def test_poisson_eps_is_added_inside_the_log_only_without_log_input():
    spec = REGISTRY["poisson_nll"]
    inputs = {"input": [0.0, 0.5], "target": [2.0, 1.0]}
    a = spec.evaluate(inputs, {"log_input": False, "eps": 0.5, "reduction": "none"}).double().numpy()
    np.testing.assert_allclose(a, [0 - 2 * np.log(0.5), 0.5 - np.log(1.0)], rtol=1e-5)
    b1 = float(spec.evaluate(inputs, {"log_input": True, "eps": 0.5}))
    b2 = float(spec.evaluate(inputs, {"log_input": True, "eps": 1e-8}))
    assert b1 == b2


def test_poisson_bad_input():
    assert_computed_and_warned("poisson_nll", {"input": [0.1, 0.2], "target": [-1.0, 2.0]}, {}, "dg_poisson_negative")
    assert_computed_and_warned("poisson_nll", {"input": [[0.1], [0.2]], "target": [1.0, 2.0]}, {}, "dg_broadcast")
    err = assert_bilingual_error("poisson_nll", {"input": [-0.5], "target": [1.0]}, {"log_input": False},
                                 contains="rate")
    assert "log_input" in err.zh
    assert_bilingual_error("poisson_nll", {"input": [90.0], "target": [1.0]}, contains="overflows")
    assert_bilingual_error("poisson_nll", {"input": [0.0], "target": [1.0]}, {"log_input": False, "eps": 0.0},
                           contains="log(0)")
    assert_bilingual_error("poisson_nll", {"input": [[1.0, 2.0]], "target": [1.0, 2.0, 3.0]}, contains="shape")


# ---- GaussianNLLLoss -----------------------------------------------------------------------------------
def test_gaussian_eps_clamps_and_gradient_passes_through():
    spec = REGISTRY["gaussian_nll"]
    base = {"input": [0.5], "target": [0.0]}
    eps = 1e-3
    below = float(spec.evaluate({**base, "var": [1e-5]}, {"eps": eps}))
    at = float(spec.evaluate({**base, "var": [eps]}, {"eps": eps}))
    assert below == pytest.approx(at, rel=1e-6)
    added = 0.5 * (math.log(1e-5 + eps) + 0.25 / (1e-5 + eps))
    assert abs(below - added) > 1.0                         # not var + eps
    var = torch.tensor([1e-5, eps], requires_grad=True)
    loss = F.gaussian_nll_loss(torch.full((2,), 0.5), torch.zeros(2), var, eps=eps, reduction="sum")
    (g,) = torch.autograd.grad(loss, var)
    assert g[0] == pytest.approx(float(g[1])) and abs(float(g[0])) > 1.0


def test_gaussian_var_shapes_follow_torch():
    spec = REGISTRY["gaussian_nll"]
    x = np.zeros((4, 3)).tolist()
    for vshape in [(4, 3), (4, 1), (1, 3), (4,)]:
        v = spec.evaluate({"input": x, "target": x, "var": np.ones(vshape).tolist()})
        ref, _ = spec.reference({"input": x, "target": x, "var": np.ones(vshape).tolist()})
        assert float(v) == pytest.approx(float(ref), abs=1e-6)
    for vshape in [(3,), (1, 1), (4, 3, 1)]:
        with pytest.raises(ValueError):   # torch refuses these …
            F.gaussian_nll_loss(torch.zeros(4, 3), torch.zeros(4, 3), torch.ones(vshape))
        err = assert_bilingual_error("gaussian_nll", {"input": x, "target": x, "var": np.ones(vshape).tolist()},
                                     contains="var")   # … and so does the page, saying which shapes work
        assert "(4, 1)" in err.en and "(4,)" in err.zh


def test_gaussian_bad_input():
    x = [1.0, 2.0]
    assert_bilingual_error("gaussian_nll", {"input": x, "target": x, "var": [1.0, -0.5]}, contains="negative")
    assert_bilingual_error("gaussian_nll", {"input": x, "target": x, "var": [0.0, 1.0]}, {"eps": 0.0},
                           contains="log(0)")
    assert_computed_and_warned("gaussian_nll", {"input": x, "target": [1.0], "var": [1.0, 1.0]}, {}, "dg_broadcast")
    assert_bilingual_error("gaussian_nll", {"input": x, "target": [1.0, 2.0, 3.0], "var": [1.0, 1.0]}, contains="shape")
    # var = 0 is fine with the default eps: clamped
    assert math.isfinite(float(REGISTRY["gaussian_nll"].evaluate({"input": x, "target": x, "var": [0.0, 1.0]})))


# ---- SoftMarginLoss ------------------------------------------------------------------------------------
def test_soft_margin_is_bce_with_logits_on_mapped_labels():
    spec = REGISTRY["soft_margin"]
    rng = np.random.default_rng(0)
    x = rng.normal(0, 3, (3, 4))
    y = rng.choice([-1.0, 1.0], (3, 4))
    ours = float(spec.evaluate({"input": x, "target": y}))
    bce = float(F.binary_cross_entropy_with_logits(torch.tensor(x), torch.tensor((y + 1) / 2)))
    assert ours == pytest.approx(bce, rel=1e-5)


def test_soft_margin_bad_input():
    # 0/1 labels: torch accepts them and every 0 term is log 2 with zero gradient.
    x = torch.tensor([3.0, -3.0], requires_grad=True)
    out = F.soft_margin_loss(x, torch.tensor([0.0, 0.0]), reduction="none")
    assert torch.allclose(out, torch.full((2,), math.log(2)))
    (found,) = assert_computed_and_warned("soft_margin", {"input": [3.0, -3.0], "target": [1.0, 0.0]}, {},
                                          "dg_pm1_soft_margin")
    assert found.fix.kind == "pm1" and found.args["found"] == "0"
    (found,) = assert_computed_and_warned("soft_margin", {"input": [1.0], "target": [2.0]}, {}, "dg_pm1_soft_margin")
    assert found.fix is None
    assert_computed_and_warned("soft_margin", {"input": [[1.0, 2.0], [0.5, -1.0]], "target": [1.0, -1.0]}, {}, "dg_broadcast")
    assert_bilingual_error("soft_margin", {"input": [[1.0, 2.0]], "target": [[1.0], [1.0]]}, contains="in place")
    assert_computed_and_warned("soft_margin", {"input": [0.2, 0.7], "target": [1.0, -1.0]}, {}, "dg_sigmoid_input")
    assert_bilingual_error("soft_margin", {"input": [-100.0], "target": [1.0]}, contains="overflows")
    assert_bilingual_error("soft_margin", {"input": [[1.0, 2.0]], "target": [[1.0], [1.0], [1.0]]}, contains="shape")


# ---- MultiLabelSoftMarginLoss --------------------------------------------------------------------------
def test_multilabel_equals_bce_with_logits_with_and_without_weight():
    spec = REGISTRY["multilabel_soft_margin"]
    rng = np.random.default_rng(1)
    x = rng.normal(0, 2, (3, 4))
    y = (rng.random((3, 4)) < 0.5).astype(float)
    w = [0.5, 1.0, 2.0, 0.0]
    assert float(spec.evaluate({"input": x, "target": y})) == pytest.approx(
        float(F.binary_cross_entropy_with_logits(torch.tensor(x), torch.tensor(y))), rel=1e-5)
    assert float(spec.evaluate({"input": x, "target": y}, {"weight": w})) == pytest.approx(
        float(F.binary_cross_entropy_with_logits(torch.tensor(x), torch.tensor(y), weight=torch.tensor(w))), rel=1e-5)
    # weight typed as text, as the page's field gives it
    assert float(spec.evaluate({"input": x, "target": y}, {"weight": "[0.5, 1, 2, 0]"})) == pytest.approx(
        float(spec.evaluate({"input": x, "target": y}, {"weight": w})), rel=1e-6)


def test_multilabel_minus_one_targets_give_negative_losses_and_are_diagnosed():
    # What the old "padded by -1" docs lead to, in torch itself: a negative loss that keeps falling.
    x = torch.tensor([[-3.0, -6.0]])
    out = F.multilabel_soft_margin_loss(x, torch.tensor([[-1.0, -1.0]]), reduction="none")
    assert float(out) < -3
    data = sweep(REGISTRY["multilabel_soft_margin"], {})
    minus_one = data.series[2]
    assert minus_one.loss[0] < -4 and np.all(np.diff(minus_one.loss) > 0)   # unbounded below as x decreases
    (found,) = assert_computed_and_warned("multilabel_soft_margin", {"input": [[2.1, -0.2, 1.3]],
                                          "target": [[1.0, -1.0, -1.0]]}, {}, "dg_mlsm_target")
    assert found.fix.kind == "multi_hot"      # indices padded with -1: class 1 only
    (found,) = assert_computed_and_warned("multilabel_soft_margin", {"input": [[1.1, -0.2, 1.3, 2.4]],
                                          "target": [[0.0, 3.0, 0.0, 0.0]]}, {}, "dg_mlsm_target")
    assert found.fix.kind == "multi_hot"
    assert_computed_and_warned("multilabel_soft_margin", {"input": [[1.1, -0.2, 1.3]], "target": [[0.1, 0.5, 0.9]]},
                               {}, None)          # soft labels in [0, 1] are fine
    assert_computed_and_warned("multilabel_soft_margin", {"input": [[[1.1, -0.2], [1.3, 2.0]]],
                                                          "target": [[[1.0, 0.0], [0.0, 1.0]]]}, {}, "dg_mlsm_class_last")
    assert_bilingual_error("multilabel_soft_margin", {"input": [[0.1, 0.2]], "target": [[1.0, 0.0]]},
                           {"weight": [1.0, 2.0, 3.0]}, contains="one weight per class")
    assert_bilingual_error("multilabel_soft_margin", {"input": [[0.1, 0.2]], "target": [[1.0, 0.0]]},
                           {"weight": [1.0, -2.0]}, contains="negative")
    assert_bilingual_error("multilabel_soft_margin", {"input": 0.5, "target": 1.0}, contains="class dimension")


@pytest.mark.parametrize("shape_x, shape_y", [((5,), (1, 5)), ((5,), (5, 1)), ((1, 5), (3, 5)), ((4,), (2, 3, 4))])
@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
def test_multilabel_soft_margin_reference_follows_torch_when_shapes_broadcast(shape_x, shape_y, reduction):
    """torch sums over the input's last dimension of the broadcast result (found by the fuzz test)."""
    rng = np.random.default_rng(1)
    spec = REGISTRY["multilabel_soft_margin"]
    inputs = {"input": rng.normal(size=shape_x).tolist(), "target": (rng.random(shape_y) > 0.5).astype(float).tolist()}
    value = spec.evaluate(inputs, {"reduction": reduction})
    ref, _ = spec.reference(inputs, {"reduction": reduction})
    assert np.asarray(ref).shape == tuple(value.shape)
    np.testing.assert_allclose(ref, value.double().numpy(), rtol=1e-5, atol=1e-6)

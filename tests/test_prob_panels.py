"""KLDivLoss, PoissonNLLLoss, GaussianNLLLoss, SoftMarginLoss, MultiLabelSoftMarginLoss: the curves follow the
toggles, the panels' pure functions match the definitions, and the copy-code snippet reproduces the value."""
import math
import subprocess
import sys

import numpy as np
import pytest
import torch

from losses import REGISTRY, InputError
from losses.curves import sweep
from losses.reference.likelihood import stirling

pytestmark = pytest.mark.filterwarnings("ignore:reduction. 'mean' divides the total loss:UserWarning")


# ---- curves ------------------------------------------------------------------------------------------
def test_curves_follow_the_toggles():
    kl = REGISTRY["kl_div"]
    a, b = sweep(kl, {"log_target": False}), sweep(kl, {"log_target": True})
    for sa, sb in zip(a.series, b.series):   # log_target changes how the target is passed, not the KL
        np.testing.assert_allclose(sa.loss, sb.loss, rtol=1e-9, atol=1e-12)
    for s, p1 in zip(a.series[:3], (0.2, 0.5, 0.8)):   # each KL curve is 0 at q₁ = p₁
        i = int(np.argmin(s.loss))
        assert abs(a.x[i] - math.log(p1)) < 0.02 and abs(s.loss[i]) < 1e-4

    po = REGISTRY["poisson_nll"]
    base, full = sweep(po, {}), sweep(po, {"full": True})
    for s0, s1, y in zip(base.series, full.series, (0, 1, 2, 3)):
        shift = s1.loss - s0.loss
        expected = 0.0 if y <= 1 else y * math.log(y) - y + 0.5 * math.log(2 * math.pi * y)
        np.testing.assert_allclose(shift, expected, atol=1e-9)
        np.testing.assert_allclose(s1.grad, s0.grad)            # full changes the value, not the gradient
    raw = sweep(po, {"log_input": False})
    assert np.all(np.isnan(raw.series[1].loss[raw.x < -1e-6]))  # a negative rate is nan in torch

    ga = REGISTRY["gaussian_nll"]
    g = sweep(ga, {"eps": 0.5})
    below = (g.x > 0) & (g.x < 0.5)
    for s in g.series[:3]:
        assert np.ptp(s.loss[below]) < 1e-9                     # flat below eps …
        assert np.all(np.abs(s.grad[below]) > 1e-3)             # … with the gradient at eps (not 0)
    assert g.markers and g.markers[0][0] == 0.5
    added = g.series[3]
    assert np.ptp(added.loss[below]) > 0.01                     # σ² + eps is not flat


# ---- the panels' pure parts ----------------------------------------------------------------------------
def test_kl_panel_report_matches_the_definitions():
    from ui.panels.kl_divergence import PRESETS, kl_figure, kl_report, normalised_text, parse_distribution
    p, q = np.array([0.1, 0.6, 0.3]), np.array([0.25, 0.5, 0.25])
    for lt in (False, True):
        r = kl_report(p, q, batch=4, log_target=lt)
        assert r["kl_pq"] == pytest.approx(float((p * np.log(p / q)).sum()), rel=1e-5)
        assert r["kl_qp"] == pytest.approx(float((q * np.log(q / p)).sum()), rel=1e-5)
        assert r["cross_entropy"] - r["entropy"] == pytest.approx(r["kl_pq"], rel=1e-4)
        assert r["ratio"] == pytest.approx(3.0, rel=1e-5)
        assert float(r["reductions"]["batchmean"]) == pytest.approx(r["kl_pq"], rel=1e-5)
        assert float(r["reductions"]["sum"]) == pytest.approx(4 * r["kl_pq"], rel=1e-5)
        assert r["reductions"]["none"].shape == (4, 3)
        assert r["no_batch"] == pytest.approx(r["kl_pq"] / 3, rel=1e-5)
    assert r["forgot_log"] == pytest.approx(float((p * (np.log(p) - q)).sum()), rel=1e-5)
    ten = kl_report(np.array(PRESETS[3][1]), np.array(PRESETS[3][2]), batch=2)
    assert ten["ratio"] == pytest.approx(10.0, rel=1e-5)
    zero = kl_report(np.array(PRESETS[2][1]), np.array(PRESETS[2][2]))
    assert math.isfinite(zero["kl_pq"]) and math.isinf(zero["kl_qp"])
    fig = kl_figure(p, q, r, {k: k for k in ("dists", "terms", "p", "q", "pq", "qp", "cls", "prob", "term")})
    assert len(fig.data) == 4
    with pytest.raises(InputError) as info:
        parse_distribution("[0.5, 0.6]", "p")
    assert "1.1" in info.value.en and "1.1" in info.value.zh
    for bad in ("[0.5, -0.5, 1]", "[1]", "[[0.5, 0.5]]", "abc"):
        with pytest.raises(InputError):
            parse_distribution(bad, "q")
    assert parse_distribution(normalised_text("[1, 2, 1]"), "p").tolist() == [0.25, 0.5, 0.25]
    assert normalised_text("abc") == "abc"


def test_poisson_and_gaussian_panels():
    from ui.panels.gaussian_clamp import clamp_rows
    from ui.panels.poisson_stirling import stirling_added, stirling_rows
    y = np.array([0.0, 1.0, 1.0 + 1e-6, 2.0, 7.0])
    np.testing.assert_allclose(stirling_added(y), stirling(y), atol=1e-9)
    rows = {r["y"]: r for r in stirling_rows()}
    assert rows[1.0]["added"] == 0.0 and rows[1.0]["formula"] == pytest.approx(-0.0811, abs=1e-4)
    assert rows[2.0]["added"] == pytest.approx(0.6518, abs=1e-4) and rows[2.0]["exact"] == pytest.approx(math.log(2))
    for eps in (1e-6, 0.3, 0.0):
        rows = clamp_rows(eps, 0.5)
        at_eps = [r for r in rows if r["var"] == eps]
        for r in rows:
            if r["clamped"]:
                assert r["loss"] == pytest.approx(at_eps[0]["loss"]) and r["grad"] == pytest.approx(at_eps[0]["grad"])
                if r["var"] >= eps / 2 > 0:   # σ² + eps differs visibly where σ² is comparable to eps
                    assert r["added"] != pytest.approx(r["loss"])
        assert all(r["var"] > 0 for r in rows) or eps > 0
    default = {r["var"]: r for r in clamp_rows(1e-6, 0.5)}
    assert default[1e-8]["loss"] == pytest.approx(124993.09, rel=1e-6)   # the page's pitfall numbers
    assert default[1e-8]["added"] == pytest.approx(123755.3, rel=1e-4)


# ---- the copy-code snippet -----------------------------------------------------------------------------
@pytest.mark.parametrize("slug,params", [("kl_div", {"reduction": "batchmean", "log_target": False}),
                                         ("poisson_nll", {"full": True, "log_input": False, "eps": 0.25}),
                                         ("gaussian_nll", {"full": True, "eps": 0.01, "reduction": "sum"}),
                                         ("soft_margin", {"reduction": "sum"}),
                                         ("multilabel_soft_margin", {"weight": [1.0, 2.0, 0.5, 1.0]})])
def test_snippet_reproduces_the_value(slug, params):
    spec = REGISTRY[slug]
    inputs = spec.examples[0].inputs
    if slug == "poisson_nll":
        inputs = spec.examples[3].inputs
    code = spec.code(inputs, params)
    out = subprocess.run([sys.executable, "-W", "ignore", "-c", code], capture_output=True, text=True, check=True).stdout
    assert f"{float(spec.evaluate(inputs, params)):.4f}" in out


def test_kl_panel_turns_logits_into_probabilities_with_softmax():
    from ui.panels.kl_divergence import normalised_text, parse_distribution, softmax_text
    logits = [2.0, -1.0, 0.5]
    with pytest.raises(InputError) as info:
        parse_distribution(str(logits), "q")
    assert "softmax" in info.value.en and "softmax" in info.value.zh and "logits" in info.value.en
    assert normalised_text(str(logits)) == str(logits)          # dividing by the sum is no remedy for scores
    probs = parse_distribution(softmax_text(str(logits)), "q")
    assert probs == pytest.approx(torch.softmax(torch.tensor(logits), 0).numpy(), abs=1e-4)
    counts = parse_distribution(softmax_text("[1, 2, 1]"), "p")   # softmax is not division by the sum
    assert counts.tolist() != [0.25, 0.5, 0.25] and counts == pytest.approx(
        torch.softmax(torch.tensor([1.0, 2.0, 1.0]), 0).numpy(), abs=1e-4)

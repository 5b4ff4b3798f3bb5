"""Margin family: the curves (the hinge against the quantity the margin is compared with), the worked examples
and copy-code snippets, and the pure builders behind the panels (2-D views, bars, pair lists, target-format
builder), checked against torch."""
import itertools
import math
import subprocess
import sys

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from losses import REGISTRY
from losses import margin_geometry as mg
from losses.curves import sweep
from losses.reference.margin import pnorm_distance
from margin_cases import PM1_CASES, brute_multilabel, t32
from ui.panels import geometry_figures as mv


# ---- curves: the hinge against the quantity the margin is compared with -------------------------------
def test_curves_are_the_documented_hinges():
    d = sweep(REGISTRY["margin_ranking"], {"margin": 0.5})
    np.testing.assert_allclose(d.series[0].loss, np.maximum(0, 0.5 - d.x), atol=1e-9)
    np.testing.assert_allclose(d.series[1].loss, np.maximum(0, 0.5 + d.x), atol=1e-9)
    assert set(np.unique(d.series[0].grad)) <= {-1.0, 0.0}
    d = sweep(REGISTRY["hinge_embedding"], {"margin": 1.5})  # y = −1 first: the series the margin moves
    np.testing.assert_allclose(d.series[0].loss, np.maximum(0, 1.5 - d.x), atol=1e-9)
    np.testing.assert_allclose(d.series[1].loss, d.x, atol=1e-9)
    d = sweep(REGISTRY["cosine_embedding"], {"margin": 0.3})
    np.testing.assert_allclose(d.series[0].loss, np.maximum(0, d.x - 0.3), atol=1e-9)
    np.testing.assert_allclose(d.series[1].loss, 1 - d.x, atol=1e-9)
    np.testing.assert_allclose(d.series[1].grad, -1.0, atol=1e-6)  # finite even at cos = ±1
    d = sweep(REGISTRY["multi_margin"], {"margin": 0.8})
    np.testing.assert_allclose(d.series[0].loss, np.maximum(0, 0.8 - d.x), atol=1e-9)
    np.testing.assert_allclose(d.series[1].loss, np.maximum(0, 0.8 - d.x) ** 2, atol=1e-9)
    d = sweep(REGISTRY["multilabel_margin"], {})
    np.testing.assert_allclose(d.series[0].loss, np.maximum(0, 1 - d.x), atol=1e-9)
    for slug in ("triplet_margin", "triplet_margin_with_distance"):
        d = sweep(REGISTRY[slug], {"margin": 0.7})
        np.testing.assert_allclose(d.series[0].loss, np.maximum(0, d.x + 0.7), atol=1e-6)
        assert d.markers[0][0] == pytest.approx(-0.7)


# ---- worked examples and derivations -------------------------------------------------------------
def test_multilabel_docs_example_lists_every_pair():
    spec = REGISTRY["multilabel_margin"]
    ex = next(e for e in spec.examples if e.key == "docs")
    assert ex.inputs == {"input": [[0.1, 0.2, 0.4, 0.8]], "target": [[3, 0, -1, 1]]} and ex.expected == 0.85
    value, steps = spec.reference(ex.inputs, ex.params)
    assert float(value) == pytest.approx(float(spec.evaluate(ex.inputs)), rel=1e-6)
    latex = " ".join(s.latex for s in steps)
    pairs = {(j, i) for j in (3, 0) for i in (1, 2)}
    for j, i in pairs:
        assert f"(j={j},\\, i={i})" in latex
    for j, i in itertools.product(range(4), range(4)):
        if (j, i) not in pairs:
            assert f"(j={j},\\, i={i})" not in latex
    text = " ".join(s.en for s in steps)
    assert "position 2 ends the list" in text and "[1] after it is ignored" in text


def test_one_hot_example_is_read_as_indices():
    spec = REGISTRY["multilabel_margin"]
    x = [[0.1, 0.2, 0.4, 0.8]]
    one_hot = float(spec.evaluate({"input": x, "target": [[0, 0, 0, 1]]}))
    as_indices = brute_multilabel(np.array(x), np.array([[0, 0, 0, 1]]))[0]  # classes 0, 0, 0, 1
    right = float(spec.evaluate({"input": x, "target": [[3, -1, -1, -1]]}))
    assert one_hot == pytest.approx(as_indices, rel=1e-6) and one_hot > 5 * right
    assert right == pytest.approx(float(REGISTRY["multi_margin"].evaluate({"input": x, "target": [3]})))


@pytest.mark.parametrize("distance", ["pairwise_l2", "cosine", "l1"])
def test_triplet_with_distance_snippet_reproduces_the_value(distance):
    spec = REGISTRY["triplet_margin_with_distance"]
    inputs = {"anchor": "[[1, 0], [0, 1]]", "positive": "[[4, 1], [0.2, 0.9]]", "negative": "[[0.5, 0.2], [1, 0.5]]"}
    params = {"distance_function": distance, "margin": 0.3, "swap": True, "reduction": "sum"}
    code = spec.code(inputs, params)
    assert "distance_function=" in code and repr(distance) not in code
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert f"{float(spec.evaluate(inputs, params)):.4f}" in out


def test_multi_margin_snippet_with_weight_reproduces_the_value():
    spec = REGISTRY["multi_margin"]
    inputs = {"input": "[[0.1, 0.2, 0.4, 0.8], [1, 0, 0.5, 0.2]]", "target": "[3, 0]"}
    params = {"p": 2, "margin": 0.7, "weight": "[1, 2, 0.5, 3]"}
    out = subprocess.run([sys.executable, "-c", spec.code(inputs, params)], capture_output=True, text=True,
                         check=True).stdout
    assert f"{float(spec.evaluate(inputs, params)):.4f}" in out


# ---- pure builders behind the panels --------------------------------------------------------------
def test_triplet_geometry_and_swap():
    l2 = {"kind": "pnorm", "p": 2.0, "eps": 0.0}
    g = mg.triplet_geometry([0, 0], [1, 0], [2, 0], l2, 1.0, swap=False)
    assert (g["d_ap"], g["d_an"], g["d_pn"], g["uses_pn"]) == (1.0, 2.0, 1.0, False) and g["loss"] == 0.0
    g = mg.triplet_geometry([0, 0], [1, 0], [2, 0], l2, 1.0, swap=True)
    assert g["uses_pn"] and g["d_neg"] == 1.0 and g["loss"] == 1.0
    # the geometry agrees with torch for every metric the pages offer
    rng = np.random.default_rng(12)
    for _ in range(20):
        a, p, n = rng.normal(0, 1.5, (3, 2))
        margin, swap = rng.uniform(0.1, 2), bool(rng.integers(2))
        for metric, params in (({"kind": "pnorm", "p": 1.0, "eps": 1e-6}, {"distance_function": "l1"}),
                               ({"kind": "pnorm", "p": 2.0, "eps": 1e-6}, {"distance_function": "pairwise_l2"}),
                               ({"kind": "cosine"}, {"distance_function": "cosine"})):
            g = mg.triplet_geometry(a, p, n, metric, margin, swap)
            value = REGISTRY["triplet_margin_with_distance"].evaluate(
                {"anchor": [a.tolist()], "positive": [p.tolist()], "negative": [n.tolist()]},
                {**params, "margin": margin, "swap": swap})
            assert g["loss"] == pytest.approx(float(value), abs=1e-5)


@pytest.mark.parametrize("p", [1.0, 1.5, 2.0, 3.0])
def test_the_margin_ring_is_the_p_norm_ball_of_radius_d_ap_plus_margin(p):
    metric = {"kind": "pnorm", "p": p, "eps": 1e-6}
    a, pos, neg = [0.5, -0.2], [1.2, 0.8], [-1.0, 0.4]
    fig = mv.triplet_figure(a, pos, neg, metric, 0.7, False, 0.0, "en")
    g = mg.triplet_geometry(a, pos, neg, metric, 0.7, False)
    outer = next(tr for tr in fig.data if tr.mode == "lines" and tr.line.color == mv.RED and tr.showlegend is False)
    pts = np.c_[outer.x, outer.y]
    d = pnorm_distance(np.asarray(a, dtype=float)[None], pts, p, 1e-6)
    np.testing.assert_allclose(d, g["radius"], rtol=1e-6)


def test_cosine_views_use_the_right_angles():
    assert mg.cosine_half_angle(0.0) == 0.0 and mg.cosine_half_angle(1.0) == pytest.approx(np.pi / 2)
    assert mg.cosine_half_angle(2.5) is None
    assert math.degrees(mg.margin_band_half_angle(0.5)) == pytest.approx(60.0)
    assert math.degrees(mg.margin_band_half_angle(0.0)) == pytest.approx(90.0)
    assert mg.cosine_of([1, 1], [1, 0]) == pytest.approx(1 / math.sqrt(2))
    fig = mv.cosine_figure([1, 1], [1, 0], 0.5, {1: 0.29, -1: 0.21}, "zh")
    band = next(tr for tr in fig.data if tr.fill == "toself")
    angles = np.degrees(np.arctan2(band.y[1:-1], band.x[1:-1]))
    assert angles.min() == pytest.approx(45 - 60, abs=1e-6) and angles.max() == pytest.approx(45 + 60, abs=1e-6)
    assert "θ = 45.0°" in " ".join(a.text for a in fig.layout.annotations)


def test_multi_margin_bars_mark_the_violators():
    scores, target, margin = [0.1, 0.2, 0.4, 0.8], 3, 0.5
    terms = mg.multi_margin_terms(scores, target, margin, 1)
    np.testing.assert_allclose(terms, [0.0, 0.0, 0.1, 0.0], atol=1e-12)
    loss = float(REGISTRY["multi_margin"].evaluate({"input": [scores], "target": [target]}, {"margin": margin}))
    assert loss == pytest.approx(terms.sum() / 4)
    fig = mv.multi_margin_figure(scores, target, margin, 1, 1.0, loss, "en")
    assert list(fig.data[0].marker.color) == [mv.GREY, mv.GREY, mv.RED, mv.GREEN]
    rect = fig.layout.shapes[0]
    assert (rect.y0, rect.y1) == pytest.approx((0.3, 0.8))


def test_multilabel_analysis_reads_up_to_the_first_minus_one():
    x = [0.1, 0.2, 0.4, 0.8]
    info = mg.multilabel_analysis(x, [3, 0, -1, 1])
    assert info["targets"] == [3, 0] and info["others"] == [1, 2]
    assert info["status"] == ["counted", "counted", "end", "ignored"]
    assert [(j, i) for j, i, _ in info["pairs"]] == [(3, 1), (3, 2), (0, 1), (0, 2)]
    torch_value = float(F.multilabel_margin_loss(t32([x]), t32([[3, 0, -1, 1]], torch.long)))
    assert info["loss"] == pytest.approx(torch_value, rel=1e-6)
    dup = mg.multilabel_analysis(x, [0, 0, 0, 1])  # the one-hot mistake
    assert dup["counts"] == {0: 3, 1: 1} and 3 in dup["others"] and dup["status"] == ["counted"] * 4
    fig = mv.multilabel_figure(x, [3, 0, -1, 1], "en")
    assert [tr.marker.color for tr in fig.data[:4]] == [mv.GREEN, mv.GREEN, "#333333", "#cccccc"]


@pytest.mark.parametrize("slug", sorted(PM1_CASES))
def test_target_builder_shows_what_torch_does_with_zero_labels(slug):
    """The claims the builder and the content make, checked against torch's numbers and autograd."""
    inputs = PM1_CASES[slug]
    margin = 0.6
    target = mg.encode_pm1(np.array([1.0, -1.0, -1.0]), "zero_one")
    assert target.tolist() == [1.0, 0.0, 0.0]
    terms, grads = mg.pm1_terms(slug, inputs, target, margin)
    if slug == "margin_ranking":  # y = 0: the constant max(0, margin), no gradient
        np.testing.assert_allclose(terms[1:], max(0.0, margin), atol=1e-6)
        np.testing.assert_allclose(grads[1:], 0.0)
    elif slug == "hinge_embedding":  # y = 0: both branches, max(x, margin); gradient +1 only beyond the margin
        x = np.asarray(inputs["input"])
        np.testing.assert_allclose(terms[1:], np.maximum(x[1:], margin), atol=1e-6)
        np.testing.assert_allclose(grads[1:], (x[1:] > margin).astype(float))
    else:  # y = 0: neither branch
        np.testing.assert_allclose(terms[1:], 0.0)
        np.testing.assert_allclose(grads[1:], 0.0)
    right, _ = mg.pm1_terms(slug, inputs, np.array([1.0, -1.0, -1.0]), margin)
    value = REGISTRY[slug].evaluate({**inputs, "target": [1, -1, -1]}, {"margin": margin, "reduction": "none"})
    np.testing.assert_allclose(right, value.double().numpy(), atol=1e-6)
    assert not np.allclose(terms, right)


def test_multilabel_builder_encodings():
    assert mg.multilabel_encode([3, 0], 4, "indices").tolist() == [0, 3, -1, -1]
    assert mg.multilabel_encode([3], 4, "multi_hot").tolist() == [0, 0, 0, 1]
    x = [0.1, 0.2, 0.4, 0.8]
    right = mg.multilabel_torch_value(x, mg.multilabel_encode([3], 4, "indices"))
    wrong = mg.multilabel_torch_value(x, mg.multilabel_encode([3], 4, "multi_hot"))
    assert right == pytest.approx(float(REGISTRY["multi_margin"].evaluate({"input": [x], "target": [3]})))
    assert wrong == pytest.approx(float(REGISTRY["multilabel_margin"].evaluate(
        {"input": [x], "target": [[0, 0, 0, 1]]}, {"reduction": "sum"})))
    assert wrong > 5 * right

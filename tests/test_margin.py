"""Margin family: every loss against torch called directly over random inputs and every parameter,
MultiLabelMargin's -1 padding at every position, the refusals torch would not make, the curves, and the
pure builders behind the panels (2-D views, bars, pair lists, target-format builder)."""
import itertools
import math
import subprocess
import sys

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from losses import REGISTRY, InputError
from losses.curves import sweep
from losses.margin import padded_targets
from losses.reference.margin import pnorm_distance
from losses import margin_geometry as mg
from ui.panels import geometry_figures as mv

MARGIN = [s for s in REGISTRY if REGISTRY[s].family == "margin"]
REDUCTIONS = ("none", "mean", "sum")


def close(spec_value, torch_value):
    torch.testing.assert_close(spec_value, torch_value, rtol=1e-5, atol=1e-6)


def check_reference(spec, inputs, params, value):
    ref, steps = spec.reference(inputs, params)
    assert steps
    np.testing.assert_allclose(np.asarray(ref, dtype=np.float64), value.double().numpy(), rtol=1e-5, atol=1e-5)


def t32(a, dtype=torch.float32):
    return torch.as_tensor(np.asarray(a), dtype=dtype)


def test_the_family_has_its_nine_losses():
    assert MARGIN == ["margin_ranking", "hinge_embedding", "multi_margin", "multilabel_margin", "cosine_embedding",
                      "triplet_margin", "triplet_margin_with_distance", "soft_margin", "multilabel_soft_margin"]


# ---- every loss against torch, every parameter ----------------------------------------------------
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_margin_ranking_vs_torch(reduction):
    spec, rng = REGISTRY["margin_ranking"], np.random.default_rng(1)
    for margin in (-2.0, -0.3, 0.0, 0.5, 2.0):
        for _ in range(5):
            x = spec.sample(rng)
            v = spec.evaluate(x, {"margin": margin, "reduction": reduction})
            close(v, F.margin_ranking_loss(t32(x["input1"]), t32(x["input2"]), t32(x["target"]), margin=margin,
                                           reduction=reduction))
            check_reference(spec, x, {"margin": margin, "reduction": reduction}, v)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_hinge_embedding_vs_torch(reduction):
    spec, rng = REGISTRY["hinge_embedding"], np.random.default_rng(2)
    for margin in (-1.0, 0.0, 0.7, 1.0, 4.0):
        for _ in range(5):
            x = spec.sample(rng)
            x["input"] = x["input"] - 0.5  # negative inputs too: the y = +1 branch is linear in x
            v = spec.evaluate(x, {"margin": margin, "reduction": reduction})
            close(v, F.hinge_embedding_loss(t32(x["input"]), t32(x["target"]), margin=margin, reduction=reduction))
            check_reference(spec, x, {"margin": margin, "reduction": reduction}, v)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_multi_margin_vs_torch(reduction):
    spec, rng = REGISTRY["multi_margin"], np.random.default_rng(3)
    for p, margin, weighted in itertools.product((1, 2), (-1.0, 0.0, 1.0, 2.5), (False, True)):
        for _ in range(3):
            x = spec.sample(rng)
            params = {"p": p, "margin": margin, "reduction": reduction}
            w = None
            if weighted:
                params.update(spec.sample_params(rng, x))
                w = t32(params["weight"])
            v = spec.evaluate(x, params)
            close(v, F.multi_margin_loss(t32(x["input"]), t32(x["target"], torch.long), p=p, margin=margin, weight=w,
                                         reduction=reduction))
            check_reference(spec, x, params, v)


def brute_multilabel(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Written from torch's documentation, independently of losses/reference/margin.py."""
    x2, y2 = np.atleast_2d(x), np.atleast_2d(y)
    out = []
    for xr, yr in zip(x2, y2):
        j_list = []
        for v in yr:
            if v == -1:
                break
            j_list.append(int(v))
        total = sum(max(0.0, 1.0 - (xr[j] - xr[i])) for j in j_list for i in range(len(xr)) if i not in j_list)
        out.append(total / len(xr))
    return np.array(out)


@pytest.mark.parametrize("c", [1, 2, 3, 4, 6])
def test_multilabel_padding_at_every_position(c):
    """-1 at each position (and none): spec == torch == reference == a brute-force sum, all reductions.
    Entries after the first -1 are random valid values (torch ignores them)."""
    spec, rng = REGISTRY["multilabel_margin"], np.random.default_rng(10 + c)
    for stop in range(c + 1):
        for _ in range(4):
            x = rng.normal(0, 1, c)
            y = padded_targets(rng, c, n_targets=stop)
            if stop < c:
                assert y[stop] == -1
            assert not np.any(y[:stop] == -1)
            for reduction in REDUCTIONS:
                v = spec.evaluate({"input": x, "target": y}, {"reduction": reduction})
                close(v, F.multilabel_margin_loss(t32(x), t32(y, torch.long), reduction=reduction))
                check_reference(spec, {"input": x, "target": y}, {"reduction": reduction}, v)
            np.testing.assert_allclose(float(spec.evaluate({"input": x, "target": y}, {"reduction": "sum"})),
                                       brute_multilabel(x, y).sum(), rtol=1e-5, atol=1e-6)


def test_multilabel_batch_with_padding_at_different_positions():
    spec, rng = REGISTRY["multilabel_margin"], np.random.default_rng(5)
    c = 5
    x = rng.normal(0, 1, (c + 1, c))
    y = np.stack([padded_targets(rng, c, n_targets=k) for k in range(c + 1)])  # row k: -1 at position k
    for reduction in REDUCTIONS:
        v = spec.evaluate({"input": x, "target": y}, {"reduction": reduction})
        close(v, F.multilabel_margin_loss(t32(x), t32(y, torch.long), reduction=reduction))
        check_reference(spec, {"input": x, "target": y}, {"reduction": reduction}, v)
    np.testing.assert_allclose(spec.evaluate({"input": x, "target": y}, {"reduction": "none"}).numpy(),
                               brute_multilabel(x, y), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cosine_embedding_vs_torch(reduction):
    spec, rng = REGISTRY["cosine_embedding"], np.random.default_rng(6)
    for margin in (-1.0, -0.5, 0.0, 0.5, 1.0):
        for _ in range(5):
            x = spec.sample(rng)
            v = spec.evaluate(x, {"margin": margin, "reduction": reduction})
            close(v, F.cosine_embedding_loss(t32(x["input1"]), t32(x["input2"]), t32(x["target"]), margin=margin,
                                             reduction=reduction))
            check_reference(spec, x, {"margin": margin, "reduction": reduction}, v)
    zero = {"input1": [[0.0, 0.0]], "input2": [[1.0, 2.0]], "target": [-1]}  # torch's 1e-12: cos = 0, not NaN
    v = spec.evaluate(zero, {"margin": -0.5})
    close(v, F.cosine_embedding_loss(t32(zero["input1"]), t32(zero["input2"]), t32(zero["target"]), margin=-0.5))
    check_reference(spec, zero, {"margin": -0.5}, v)


@pytest.mark.parametrize("swap", [False, True])
def test_triplet_margin_vs_torch(swap):
    spec, rng = REGISTRY["triplet_margin"], np.random.default_rng(7)
    for margin, p, eps, reduction in itertools.product((0.05, 1.0, 3.0), (1.0, 1.5, 2.0, 4.0), (0.0, 1e-6, 0.1),
                                                       REDUCTIONS):
        x = spec.sample(rng)
        params = {"margin": margin, "p": p, "eps": eps, "swap": swap, "reduction": reduction}
        v = spec.evaluate(x, params)
        close(v, F.triplet_margin_loss(t32(x["anchor"]), t32(x["positive"]), t32(x["negative"]), margin=margin, p=p,
                                       eps=eps, swap=swap, reduction=reduction))
        check_reference(spec, x, params, v)


DISTANCES = {  # written here, independently of losses/margin.py and tests/equivalents_margin.py
    "pairwise_l2": lambda a, b: torch.linalg.vector_norm(a - b + 1e-6, ord=2, dim=-1),
    "l1": lambda a, b: (a - b + 1e-6).abs().sum(-1),
    "cosine": lambda a, b: 1 - (a * b).sum(-1) / (a.norm(dim=-1).clamp_min(1e-8) * b.norm(dim=-1).clamp_min(1e-8)),
}


@pytest.mark.parametrize("distance", sorted(DISTANCES))
def test_triplet_margin_with_distance_vs_torch(distance):
    spec, rng = REGISTRY["triplet_margin_with_distance"], np.random.default_rng(8)
    for margin, swap, reduction in itertools.product((0.05, 0.3, 1.0, 3.0), (False, True), REDUCTIONS):
        x = spec.sample(rng)
        params = {"distance_function": distance, "margin": margin, "swap": swap, "reduction": reduction}
        v = spec.evaluate(x, params)
        a, p, n = (t32(x[k]) for k in ("anchor", "positive", "negative"))
        close(v, F.triplet_margin_with_distance_loss(a, p, n, distance_function=DISTANCES[distance], margin=margin,
                                                     swap=swap, reduction=reduction))
        check_reference(spec, x, params, v)


def test_default_distance_equals_triplet_margin_loss():
    rng = np.random.default_rng(9)
    for _ in range(10):
        x = REGISTRY["triplet_margin"].sample(rng)
        for swap in (False, True):
            close(REGISTRY["triplet_margin_with_distance"].evaluate(x, {"swap": swap}),
                  REGISTRY["triplet_margin"].evaluate(x, {"swap": swap}))


@pytest.mark.skipif(not torch.cuda.is_available(), reason="no GPU on this machine")
@pytest.mark.parametrize("slug", MARGIN)
def test_cuda_equals_cpu(slug):
    spec, rng = REGISTRY[slug], np.random.default_rng(11)
    for _ in range(5):
        x = spec.sample(rng)
        params = spec.sample_params(rng, x) if spec.sample_params else {}
        torch.testing.assert_close(spec.evaluate(x, params, device="cuda").cpu(), spec.evaluate(x, params),
                                   rtol=1e-5, atol=1e-6)


# ---- what torch accepts silently: computed, then diagnosed (issue 19) -------------------------------------------------
def bilingual(info):
    assert info.value.en and info.value.zh and info.value.en != info.value.zh
    assert any("\u4e00" <= ch <= "\u9fff" for ch in info.value.zh)
    return info.value.en


PM1_CASES = {
    "margin_ranking": {"input1": [0.5, 0.1, 0.3], "input2": [0.2, 0.4, 0.3]},
    "hinge_embedding": {"input": [0.2, 0.4, 1.5]},
    "cosine_embedding": {"input1": [[1.0, 1.0], [1.0, 0.0], [0.0, 1.0]], "input2": [[1.0, 0.0], [1.0, 1.0], [1.0, 1.0]]},
}


def _agrees_with_torch(spec, inputs, torch_value):
    value = spec.evaluate(inputs)
    ref, _ = spec.reference(inputs)
    torch.testing.assert_close(value, torch_value.float(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(ref, torch_value.double().numpy(), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("slug", sorted(PM1_CASES))
@pytest.mark.parametrize("target", [[1, 0, 1], [0, 0, 1], [1, -1, 2], [1, -1, 0.5]])
def test_non_pm1_targets_are_computed_as_torch_does_and_warned(slug, target):
    """Issue 19: torch accepts these silently; LossLab shows torch's number and says why it is a mistake."""
    spec = REGISTRY[slug]
    inputs = {**PM1_CASES[slug], "target": target}
    tensors = spec.to_tensors(spec.to_arrays(inputs))
    torch_value = getattr(F, spec.functional)(*(tensors[a] for a in spec.arg_names))  # no error from torch
    _agrees_with_torch(spec, inputs, torch_value)
    (found,) = [d for d in spec.diagnose(inputs) if d.key.startswith("dg_pm1_")]
    assert found.key == f"dg_pm1_{slug}"
    assert (found.fix is not None) == (set(target) <= {0, 1})


@pytest.mark.parametrize("slug, inputs, key", [
    ("margin_ranking", {"input1": [1.0, 2.0, 3.0], "input2": [1.0], "target": [1.0, 1.0, 1.0]}, "dg_broadcast"),
    ("margin_ranking", {"input1": [1.0, 2.0, 3.0], "input2": [1.0, 0.0, 2.0], "target": [1.0]}, "dg_broadcast"),
    ("margin_ranking", {"input1": [[1.0, 2.0]], "input2": [[1.0, 0.0]], "target": [[1, 1]]}, "dg_mr_embeddings"),
    ("hinge_embedding", {"input": [[0.1, 0.2, 0.3, 0.4]] * 3, "target": [1, -1, 1, -1]}, "dg_broadcast"),
    ("cosine_embedding", {"input1": [[1.0, 0.0]], "input2": [[1.0, 1.0]], "target": [1, 1, 1]}, "dg_cos_target_shape"),
    ("triplet_margin", {"anchor": [[0.0, 0.0], [1.0, 1.0]], "positive": [[0.0, 1.0]], "negative": [[1.0, 0.0]] * 2},
     "dg_broadcast"),
    ("triplet_margin_with_distance",
     {"anchor": [[0.0, 0.0], [1.0, 1.0]], "positive": [[0.0, 1.0]] * 2, "negative": [[1.0, 0.0]]}, "dg_broadcast"),
])
def test_shape_mismatches_torch_broadcasts_are_computed_and_warned(slug, inputs, key):
    spec = REGISTRY[slug]
    tensors = spec.to_tensors(spec.to_arrays(inputs))
    fn = (lambda *a: F.triplet_margin_with_distance_loss(*a)) if spec.compute else getattr(F, spec.functional)
    torch_value = fn(*(tensors[a] for a in spec.arg_names))  # torch broadcasts without a word
    _agrees_with_torch(spec, inputs, torch_value)
    assert key in [d.key for d in spec.diagnose(inputs)]


@pytest.mark.parametrize("slug, inputs, words", [
    ("multi_margin", {"input": [[0.1, 0.2, 0.4, 0.8]], "target": [4]}, "0 … 3"),
    ("multi_margin", {"input": [[0.1, 0.2, 0.4, 0.8]], "target": [-1]}, "0 … 3"),
    ("multi_margin", {"input": [[0.1, 0.2, 0.4, 0.8]], "target": [[0, 0, 0, 1]]}, "one-hot"),
    ("multi_margin", {"input": [[0.1, 0.2, 0.4, 0.8]], "target": [1.5]}, "whole numbers"),
    ("multi_margin", {"input": [[[0.1, 0.2]]], "target": [[1]]}, "dimensions"),
    ("multilabel_margin", {"input": [[0.1, 0.2, 0.4, 0.8]], "target": [[3, 0, -1, 4]]}, "after the first -1"),
    ("multilabel_margin", {"input": [[0.1, 0.2, 0.4, 0.8]], "target": [[3, -2, -1, 1]]}, "-1 (end of the list)"),
    ("multilabel_margin", {"input": [[0.1, 0.2, 0.4, 0.8]], "target": [[3, -1]]}, "same shape"),
    ("cosine_embedding", {"input1": [1.0, 0.0], "input2": [1.0, 1.0], "target": [1]}, "0-dimensional"),
    ("cosine_embedding", {"input1": [[[1.0, 0.0]]], "input2": [[[1.0, 1.0]]], "target": [[1]]}, "dimensions"),
    ("margin_ranking", {"input1": [[1.0, 2.0]], "input2": [1.0, 0.0], "target": [[1, 1]]}, "number of dimensions"),
])
def test_invalid_inputs_give_clear_bilingual_errors(slug, inputs, words):
    with pytest.raises(InputError) as info:
        REGISTRY[slug].evaluate(inputs)
    assert words in bilingual(info)


@pytest.mark.parametrize("p", [0, 3, 1.5, -1])
def test_multi_margin_p_must_be_1_or_2(p):
    x = {"input": [[0.1, 0.2, 0.4, 0.8]], "target": [3]}
    with pytest.raises(ValueError, match="only p == 1 and p == 2"):
        F.multi_margin_loss(t32(x["input"]), t32(x["target"], torch.long), p=p)
    with pytest.raises(InputError) as info:
        REGISTRY["multi_margin"].evaluate(x, {"p": p})
    assert "1, 2" in bilingual(info)


def test_multi_margin_weight_length_and_triplet_margin_positive():
    with pytest.raises(InputError) as info:
        REGISTRY["multi_margin"].evaluate({"input": [[0.1, 0.2, 0.4, 0.8]], "target": [3]}, {"weight": "[1, 2, 3]"})
    assert "C = 4" in bilingual(info)
    for slug in ("triplet_margin", "triplet_margin_with_distance"):
        with pytest.raises(InputError):
            REGISTRY[slug].evaluate(REGISTRY[slug].examples[0].inputs, {"margin": 0.0})


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

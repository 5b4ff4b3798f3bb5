"""Margin family against torch: every loss called directly over random inputs and every parameter,
MultiLabelMargin's -1 padding at every position, and CUDA against CPU. What torch accepts silently or refuses:
tests/test_margin_diagnosis.py; curves, worked examples and the panels' builders: tests/test_margin_builders.py."""
import itertools

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from losses import REGISTRY
from losses.margin import padded_targets
from margin_cases import brute_multilabel, t32

MARGIN = [s for s in REGISTRY if REGISTRY[s].family == "margin"]
REDUCTIONS = ("none", "mean", "sum")


def close(spec_value, torch_value):
    torch.testing.assert_close(spec_value, torch_value, rtol=1e-5, atol=1e-6)


def check_reference(spec, inputs, params, value):
    ref, steps = spec.reference(inputs, params)
    assert steps
    np.testing.assert_allclose(np.asarray(ref, dtype=np.float64), value.double().numpy(), rtol=1e-5, atol=1e-5)


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

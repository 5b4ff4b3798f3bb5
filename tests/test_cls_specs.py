"""Classification family: what the generic registry tests cannot see.

Probability targets (the generic sampler draws class indices only, because torch refuses ignore_index with
them), what 'mean' divides by, bad input in both languages, the confusions each page teaches (computed by
torch here), the curves, and the copy-code snippets run as programs.
"""
import re
import subprocess
import sys

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from losses import REGISTRY, InputError
from losses.classification import focal_torch

SLUGS = ("binary_cross_entropy", "binary_cross_entropy_with_logits", "cross_entropy", "nll", "focal")


def _prob_case(rng, kind):
    """Logits and probability targets of the same shape: (C,), (N, C), (N, C, d), (N, C, d1, d2)."""
    C = int(rng.integers(2, 6))
    shape = {0: (C,), 1: (int(rng.integers(1, 5)), C), 2: (2, C, 3), 3: (2, C, 2, 3)}[kind]
    axis = 0 if kind == 0 else 1
    r = np.exp(rng.normal(0, 1.5, shape))
    return rng.normal(0, 2, shape), r / r.sum(axis=axis, keepdims=True), C


@pytest.mark.parametrize("kind", [0, 1, 2, 3])
def test_cross_entropy_probability_targets_equal_torch_for_every_parameter(kind):
    spec = REGISTRY["cross_entropy"]
    rng = np.random.default_rng(kind)
    for _ in range(4):
        x, q, C = _prob_case(rng, kind)
        for weight in (None, rng.uniform(0.1, 3, C).tolist()):
            for eps in (0.0, 0.1, 0.7, 1.0):
                for red in ("none", "mean", "sum"):
                    params = {"weight": weight, "label_smoothing": eps, "reduction": red}
                    got = spec.evaluate({"input": x, "target": q}, params)
                    want = F.cross_entropy(torch.tensor(x, dtype=torch.float32), torch.tensor(q, dtype=torch.float32),
                                           weight=None if weight is None else torch.tensor(weight, dtype=torch.float32),
                                           label_smoothing=eps, reduction=red)
                    torch.testing.assert_close(got, want, rtol=1e-5, atol=1e-6)
                    ref, steps = spec.reference({"input": x, "target": q}, params)
                    np.testing.assert_allclose(ref, want.double().numpy(), rtol=1e-5, atol=1e-5)
                    assert any("Probability targets" in s.en for s in steps)


def test_cross_entropy_probability_target_refuses_ignore_index_like_torch():
    x, q = [[1.0, 2.0, 0.5]], [[0.2, 0.5, 0.3]]
    with pytest.raises(RuntimeError, match="ignore_index is not supported"):
        F.cross_entropy(torch.tensor(x), torch.tensor(q), ignore_index=1)
    with pytest.raises(InputError) as info:
        REGISTRY["cross_entropy"].evaluate({"input": x, "target": q}, {"ignore_index": 1})
    assert "-100" in info.value.en and "-100" in info.value.zh


def _mean_cases():
    rng = np.random.default_rng(5)
    x = rng.normal(0, 2, (6, 4))
    y = np.array([0, 3, 3, 1, 2, 3])
    img, ymap = rng.normal(0, 1, (2, 4, 3, 3)), rng.integers(0, 4, (2, 3, 3))
    ymap[0, 1, 1] = 255
    q = rng.dirichlet(np.ones(4), 6)
    w = [0.5, 2.0, 1.0, 4.0]
    return [
        ("cross_entropy", {"input": x, "target": y}, {"weight": w}),
        ("cross_entropy", {"input": x, "target": y}, {"weight": w, "ignore_index": 3, "label_smoothing": 0.2}),
        ("cross_entropy", {"input": x, "target": y}, {"ignore_index": 3}),
        ("cross_entropy", {"input": img, "target": ymap}, {"weight": w, "ignore_index": 255}),
        ("cross_entropy", {"input": x, "target": q}, {"weight": w}),
        ("nll", {"input": x, "target": y}, {"weight": w, "ignore_index": 0}),
        ("nll", {"input": img, "target": ymap}, {"ignore_index": 255}),
        ("binary_cross_entropy", {"input": rng.uniform(0.1, 0.9, (3, 4)), "target": rng.uniform(0, 1, (3, 4))},
         {"weight": [[1.0], [2.0], [3.0]]}),
        ("binary_cross_entropy_with_logits", {"input": x, "target": rng.integers(0, 2, (6, 4)).astype(float)},
         {"weight": [1.0, 2.0, 3.0, 4.0], "pos_weight": [3.0, 1.0, 1.0, 2.0]}),
        ("focal", {"inputs": x, "targets": rng.integers(0, 2, (6, 4)).astype(float)}, {}),
    ]


@pytest.mark.parametrize("slug,inputs,params", _mean_cases())
def test_mean_divisor_is_what_torch_divides_by(slug, inputs, params):
    """The reduction inspector's divisor: sum('none') / mean equals spec.mean_divisor for every target format."""
    spec = REGISTRY[slug]
    none = spec.evaluate(inputs, {**params, "reduction": "none"}).double()
    mean = spec.evaluate(inputs, {**params, "reduction": "mean"}).double()
    p = spec.resolve_params({**params, "reduction": "mean"})
    d, words = spec.mean_divisor(spec.to_tensors(spec.to_arrays(inputs)), p)
    assert float(none.sum() / mean) == pytest.approx(d, rel=1e-5)
    assert words.text("en") and words.text("zh") and words.text("en") != words.text("zh")


def test_weighted_cross_entropy_mean_divides_by_picked_weights():
    spec = REGISTRY["cross_entropy"]
    ex = {e.key: e for e in spec.examples}
    # One sample: the weight cancels in 'mean' and shows up only in 'sum'.
    one = ex["one_sample"]
    plain = float(spec.evaluate(one.inputs))
    assert float(spec.evaluate(one.inputs, one.params)) == pytest.approx(plain, rel=1e-6)
    assert float(spec.evaluate(one.inputs, {**one.params, "reduction": "sum"})) == pytest.approx(10 * plain, rel=1e-6)
    # A batch: sum of w[y]·ℓ divided by w[0] + w[2] + w[2] = 11, not by 3.
    w = ex["weighted"]
    total = float(spec.evaluate(w.inputs, {**w.params, "reduction": "sum"}))
    assert float(spec.evaluate(w.inputs, w.params)) == pytest.approx(total / 11, rel=1e-6)
    d, words = spec.mean_divisor(spec.to_tensors(spec.to_arrays(w.inputs)), spec.resolve_params(w.params))
    assert d == 11 and "1 + 5 + 5" in words.text("en")


# Bad inputs and their messages are declared on each spec (LossSpec.refusals): tests/test_refusals.py.


def test_class_index_out_of_range_would_crash_torch():
    """What the validation protects against: torch's own error is an IndexError in English only."""
    with pytest.raises(IndexError):
        F.cross_entropy(torch.tensor([[1.0, 2.0, 3.0]]), torch.tensor([3]))


def test_nll_notes_example_is_negative_and_log_softmax_fixes_it():
    spec = REGISTRY["nll"]
    scores = [-1.233, 2.657, 0.534]
    assert float(spec.evaluate({"input": scores, "target": 2})) == pytest.approx(-0.534, abs=1e-6)
    logp = torch.log_softmax(torch.tensor(scores), 0).tolist()
    ce = F.cross_entropy(torch.tensor(scores), torch.tensor(2))
    assert float(spec.evaluate({"input": logp, "target": 2})) == pytest.approx(float(ce), rel=1e-6)
    value, steps = spec.reference({"input": scores, "target": 2})
    assert any("not log-probabilities" in s.en for s in steps)
    _, steps = spec.reference({"input": logp, "target": 2})
    assert not any("not log-probabilities" in s.en for s in steps)


def test_extra_softmax_flattens_loss_and_gradient():
    from ui.panels.extra_class import compare
    from losses.classification_sweeps import softmax_input_bounds
    spec = REGISTRY["cross_entropy"]
    t = spec.to_tensors(spec.to_arrays({"input": [[10.0, 0.0, 0.0]], "target": [1]}))
    res = compare(spec, t, spec.resolve_params({}))
    (l1, g1), (l2, g2) = res["right"], res["wrong"]
    assert float(l1) == pytest.approx(10.0, abs=1e-3)
    assert float(l2) == pytest.approx(1.5514, abs=1e-3)
    assert np.abs(g1).max() > 0.99 and np.abs(g2).max() < 1e-4
    lo, hi = softmax_input_bounds(3)
    assert (lo, hi) == pytest.approx((0.5514, 1.5514), abs=1e-4)
    # any logits: CE of a probability vector stays inside the bounds
    z = torch.randn(200, 3) * 20
    v = F.cross_entropy(torch.softmax(z, 1), torch.randint(0, 3, (200,)), reduction="none")
    assert float(v.min()) >= lo - 1e-5 and float(v.max()) <= hi + 1e-5


def test_bce_of_sigmoid_saturates_where_logits_version_does_not():
    from losses.classification_sweeps import saturation_data, saturation_point
    p = saturation_point(20.0, 0)
    assert (p["sigmoid"], p["bce"], p["bce_grad"]) == (1.0, 100.0, 0.0)
    assert p["logits"] == pytest.approx(20.0) and p["logits_grad"] == pytest.approx(1.0)
    p = saturation_point(-40.0, 1)
    assert p["bce"] == pytest.approx(40.0) and abs(p["bce_grad"]) < 1e-5 and p["logits_grad"] == pytest.approx(-1.0)
    d0, d1 = saturation_data(0.0), saturation_data(1.0)
    assert 16.0 < d0["rounds_at"] < 17.5 and 16.0 < d0["grad_breaks_at"] < 17.5
    assert d1["rounds_at"] is None and -30 < d1["grad_breaks_at"] < -26
    np.testing.assert_allclose(d0["logits"], np.maximum(d0["z"], 0) + np.log1p(np.exp(-np.abs(d0["z"]))), rtol=1e-5, atol=1e-6)


def test_bce_reference_reports_float32_rounding_and_clamp():
    spec = REGISTRY["binary_cross_entropy"]
    value, steps = spec.reference({"input": [1.0, 0.99999999], "target": [0.0, 0.0]})
    assert float(value) == 100.0
    text = " ".join(s.en for s in steps)
    assert "float32 rounds 1" in text and "2 clamped at −100" in text


def test_focal_gamma_zero_is_alpha_weighted_bce():
    spec = REGISTRY["focal"]
    rng = np.random.default_rng(2)
    x = rng.normal(0, 3, (4, 5))
    y = rng.integers(0, 2, (4, 5)).astype(float)
    xt, yt = torch.tensor(x, dtype=torch.float32), torch.tensor(y, dtype=torch.float32)
    for alpha in (0.25, 0.5, 0.9):
        got = spec.evaluate({"inputs": x, "targets": y}, {"gamma": 0.0, "alpha": alpha, "reduction": "sum"})
        want = F.binary_cross_entropy_with_logits(xt, yt, weight=alpha * yt + (1 - alpha) * (1 - yt), reduction="sum")
        torch.testing.assert_close(got, want)
    plain = spec.evaluate({"inputs": x, "targets": y}, {"gamma": 0.0, "alpha": -1.0, "reduction": "mean"})
    torch.testing.assert_close(plain, F.binary_cross_entropy_with_logits(xt, yt))
    quarter = spec.evaluate({"inputs": x, "targets": y}, {"gamma": 0.0, "alpha": 0.25, "reduction": "mean"})
    torch.testing.assert_close(quarter, 0.75 * F.binary_cross_entropy_with_logits(xt, yt, pos_weight=torch.tensor(1 / 3)))
    # γ > 0 shrinks every element, easy ones most
    fl = spec.evaluate({"inputs": x, "targets": y}, {"gamma": 2.0, "alpha": -1.0})
    assert bool((fl <= F.binary_cross_entropy_with_logits(xt, yt, reduction="none") + 1e-7).all())


def test_focal_compute_runs_on_the_inputs_device_only():
    """Device-agnostic: nothing in the focal code names a device (the note's version hard-codes .cuda())."""
    import inspect

    from losses import classification
    src = inspect.getsource(classification.focal_torch) + classification.FOCAL_SOURCE
    assert ".cuda(" not in src and "torchvision" not in src.split('"""')[-1]
    x = torch.randn(3, 4, dtype=torch.float64)
    assert focal_torch(x, torch.ones_like(x)).dtype == torch.float64


def test_curves_are_the_documented_functions():
    from losses.curves import sweep
    z = np.linspace(-3, 3, 7)
    d = sweep(REGISTRY["cross_entropy"], {"other_logit_1": 1.5, "other_logit_2": -0.5, "label_smoothing": 0.2},
              x_range=(-3, 3), n=7)
    logits = torch.tensor([[v, 1.5, -0.5] for v in z])
    want = F.cross_entropy(logits, torch.zeros(7, dtype=torch.long), reduction="none", label_smoothing=0.2)
    np.testing.assert_allclose(d.series[0].loss, want.double().numpy(), rtol=1e-5)
    want2 = F.cross_entropy(torch.softmax(logits, 1), torch.zeros(7, dtype=torch.long), reduction="none",
                            label_smoothing=0.2)
    np.testing.assert_allclose(d.series[1].loss, want2.double().numpy(), rtol=1e-5)
    assert np.abs(d.series[1].grad).max() < np.abs(d.series[0].grad).max()
    d = sweep(REGISTRY["nll"], {}, x_range=(0.534, 0.534), n=1)
    assert d.series[1].loss[0] == pytest.approx(-0.534) and d.series[0].loss[0] == pytest.approx(2.2541, abs=1e-4)
    d = sweep(REGISTRY["binary_cross_entropy_with_logits"], {"plot_pos_weight": 4.0}, x_range=(-5, 5), n=11)
    np.testing.assert_allclose(d.series[0].loss, 4 * d.series[2].loss, rtol=1e-10)
    d = sweep(REGISTRY["focal"], {"gamma": 0.0, "alpha": -1.0}, x_range=(-5, 5), n=11)
    np.testing.assert_allclose(d.series[0].loss, d.series[2].loss, rtol=1e-12)
    d = sweep(REGISTRY["binary_cross_entropy"], {"y_soft": 0.3}, x_range=(0.1, 0.9), n=81)
    assert d.x[np.argmin(d.series[0].loss)] == pytest.approx(0.3, abs=0.011)
    assert d.series[0].loss.min() == pytest.approx(0.6109, abs=1e-3)


def test_examples_with_tensor_params_use_them():
    for slug, key in (("binary_cross_entropy", "weighted"), ("binary_cross_entropy_with_logits", "pos_weight"),
                      ("cross_entropy", "weighted"), ("nll", "weighted")):
        spec = REGISTRY[slug]
        ex = next(e for e in spec.examples if e.key == key)
        assert float(spec.evaluate(ex.inputs, ex.params)) != pytest.approx(float(spec.evaluate(ex.inputs)), rel=1e-3)


def test_k_dimensional_none_shapes():
    spec = REGISTRY["cross_entropy"]
    seg = next(e for e in spec.examples if e.key == "segmentation")
    assert tuple(spec.evaluate(seg.inputs, {**seg.params, "reduction": "none"}).shape) == (1, 3, 3)
    assert tuple(spec.evaluate({"input": [0.1, 0.2, 0.3], "target": 1}, {"reduction": "none"}).shape) == ()
    nll = REGISTRY["nll"]
    img = next(e for e in nll.examples if e.key == "image")
    none = nll.evaluate(img.inputs, {**img.params, "reduction": "none"})
    assert tuple(none.shape) == (1, 3, 3) and float(none[0, 1, 2]) == 0.0    # the pixel labelled 255


def _snippet_cases():
    cases = []
    for slug in SLUGS:
        spec = REGISTRY[slug]
        for ex in spec.examples:
            cases.append((slug, ex.inputs, ex.params))
    cases += [("cross_entropy", {"input": [[1.0, 2.0, 0.5]], "target": [[0.2, 0.5, 0.3]]},
               {"label_smoothing": 0.3, "weight": [1.0, 2.0, 3.0], "reduction": "sum"}),
              ("focal", {"inputs": [1.0, -2.0], "targets": [1.0, 0.0]}, {"alpha": -1.0, "gamma": 0.5, "reduction": "mean"})]
    return cases


def test_snippets_reproduce_the_values():
    """Every example's copy-code, run as one program (each snippet stands alone), prints torch's value."""
    cases = _snippet_cases()
    program = []
    for i, (slug, inputs, params) in enumerate(cases):
        program += [f"print('@@{i}')", REGISTRY[slug].code(inputs, params)]
    code = "\n".join(program)
    assert "torchvision" not in code.replace("torchvision.ops.sigmoid_focal_loss in plain torch", "")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    chunks = re.split(r"@@(\d+)\n", out)[1:]
    assert len(chunks) == 2 * len(cases)
    for i, text in zip(chunks[::2], chunks[1::2]):
        slug, inputs, params = cases[int(i)]
        printed = np.array([float(v) for v in re.findall(r"-?\d+\.?\d*(?:e[+-]?\d+)?", text.split("tensor(")[1])])
        want = REGISTRY[slug].evaluate(inputs, params).double().numpy().ravel()
        np.testing.assert_allclose(printed[:want.size], want, rtol=2e-3, atol=1e-4, err_msg=f"{slug} {params}")

"""The registry contract: every loss equals torch, its NumPy reference equals torch, examples hold."""
import itertools

import numpy as np
import pytest
import torch

from losses import FAMILIES, REGISTRY, InputError
from losses.spec import LossSpec, gradient
from torch_equivalents import torch_value
from ui.i18n import tr

SLUGS = list(REGISTRY)


def param_cases(spec: LossSpec, rng: np.random.Generator, inputs: dict, n_random: int = 6):
    """Every choice/bool value crossed, floats at both bounds, the default and random values."""
    discrete = [p for p in spec.params if p.kind in ("choice", "bool")]
    grids = [p.choices if p.kind == "choice" else (False, True) for p in discrete]
    floats = [p for p in spec.params if p.kind in ("float", "int")]
    cases = []
    for combo in itertools.product(*grids) if grids else [()]:
        base = {p.name: v for p, v in zip(discrete, combo)}
        for k in range(n_random):
            params = dict(base)
            for p in floats:
                if k == 0:
                    v = p.default
                elif k == 1:
                    v = p.lo
                elif k == 2:
                    v = p.hi
                else:
                    v = rng.uniform(p.lo, p.hi)
                params[p.name] = int(round(v)) if p.kind == "int" else float(v)
            if spec.sample_params is not None and k % 2 == 1:
                params.update(spec.sample_params(rng, inputs))
            cases.append(params)
    return cases


@pytest.mark.parametrize("slug", SLUGS)
def test_evaluate_equals_torch_and_reference(slug):
    spec = REGISTRY[slug]
    rng = np.random.default_rng(abs(hash(slug)) % 2**32)
    checked = refused = 0
    for _ in range(8):
        inputs = spec.sample(rng)
        for params in param_cases(spec, rng, inputs):
            try:
                value = spec.evaluate(inputs, params)
            except InputError:
                # Some settings change what a valid input is (kl_div's log_target: a target cannot be both
                # probabilities and log-probabilities); those combinations are covered by family tests.
                refused += 1
                continue
            resolved = spec.resolve_params(params)
            tensors = spec.to_tensors(spec.to_arrays(inputs))
            expected = torch_value(spec, tensors, spec.torch_kwargs(resolved))
            assert value.shape == expected.shape
            torch.testing.assert_close(value, expected, rtol=1e-5, atol=1e-6, equal_nan=True)
            ref, steps = spec.reference(inputs, params)
            assert steps, "a derivation needs at least one step"
            np.testing.assert_allclose(np.asarray(ref, dtype=np.float64), value.double().numpy(),
                                       rtol=1e-5, atol=1e-5, err_msg=f"{slug} {params}")
            checked += 1
    assert checked >= 8 and refused <= checked


@pytest.mark.parametrize("slug", SLUGS)
def test_examples_match_documented_values(slug):
    spec = REGISTRY[slug]
    assert spec.examples, "every loss needs a worked example"
    for ex in spec.examples:
        value = spec.evaluate(ex.inputs, ex.params)
        ref, _ = spec.reference(ex.inputs, ex.params)
        np.testing.assert_allclose(np.asarray(ref), value.double().numpy(), rtol=1e-5, atol=1e-6)
        if ex.expected is not None:
            assert float(value) == pytest.approx(ex.expected, rel=1e-4, abs=1e-4), ex.key


@pytest.mark.parametrize("slug", SLUGS)
def test_spec_metadata(slug):
    spec = REGISTRY[slug]
    assert spec.slug == slug and spec.family in FAMILIES
    assert spec.title.endswith("Loss") or slug == "focal"
    assert spec.formula and spec.docs_url.startswith("https://")
    names = [p.name for p in spec.params]
    assert len(names) == len(set(names))
    if "reduction" in names:
        assert set(spec.param("reduction").choices) >= {"none", "mean", "sum"}
    for p in spec.params:
        assert tr(p.help, "en") and tr(p.help, "zh"), f"{slug}.{p.name} needs help in both languages"
        if p.kind in ("float", "int"):
            assert p.lo <= p.default <= p.hi


@pytest.mark.parametrize("slug", [s for s in SLUGS if REGISTRY[s].curve is not None])
def test_curve_gradient_is_autograd_and_matches_finite_differences(slug):
    from losses.curves import sweep
    spec = REGISTRY[slug]
    data = sweep(spec, {}, n=2001)
    h = data.x[1] - data.x[0]
    for s in data.series:
        fd = np.gradient(s.loss, h)
        # Away from kinks the autograd derivative equals the numerical slope of the plotted loss.
        smooth = np.abs(np.gradient(fd, h)) < 50
        smooth[:2] = smooth[-2:] = False
        assert smooth.sum() > 0.8 * smooth.size
        np.testing.assert_allclose(s.grad[smooth], fd[smooth], atol=5e-3)


@pytest.mark.parametrize("slug", SLUGS)
def test_gradient_helper_matches_autograd(slug):
    spec = REGISTRY[slug]
    rng = np.random.default_rng(7)
    inputs = spec.sample(rng)
    wrt, g = gradient(spec, inputs)
    tensors = spec.to_tensors(spec.to_arrays(inputs))
    tensors[wrt].requires_grad_(True)
    out = torch_value(spec, tensors, spec.torch_kwargs(spec.resolve_params({})))
    (expected,) = torch.autograd.grad(out.sum(), tensors[wrt], allow_unused=True)
    if expected is not None:
        torch.testing.assert_close(g, expected)


BAD_TEXT = ["[[1, 2], [3]]", "abc", "1e999", "[" + ",".join(["1"] * 10_001) + "]", "[1, 2", "nan", "", "[1,,2]"]


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("bad", BAD_TEXT)
def test_bad_text_gives_bilingual_input_error(slug, bad):
    spec = REGISTRY[slug]
    inputs = {k: v.tolist() for k, v in spec.to_arrays(spec.examples[0].inputs).items()}
    inputs[spec.arg_names[0]] = bad
    with pytest.raises(InputError) as info:
        spec.evaluate(inputs)
    assert info.value.en and info.value.zh and info.value.en != info.value.zh
    assert any("\u4e00" <= ch <= "\u9fff" for ch in info.value.zh)


def test_huge_input_is_rejected_quickly():
    import time
    spec = REGISTRY["mse"]
    text = "[" + ",".join(["1"] * 10_000_000) + "]"
    start = time.perf_counter()
    with pytest.raises(InputError):
        spec.evaluate({"input": text, "target": text})
    assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize("slug", [s for s in SLUGS if REGISTRY[s].family == "regression"])
def test_regression_shape_mismatch_is_an_input_error(slug):
    with pytest.raises(InputError) as info:
        REGISTRY[slug].evaluate({"input": [[1.0, 2.0]], "target": [1.0, 2.0, 3.0]})
    assert "(3,)" in info.value.en and "(1, 2)" in info.value.zh


def test_param_out_of_range_is_an_input_error():
    with pytest.raises(InputError):
        REGISTRY["huber"].evaluate({"input": [1.0], "target": [0.0]}, {"delta": -1})
    with pytest.raises(InputError):
        REGISTRY["huber"].evaluate({"input": [1.0], "target": [0.0]}, {"reduction": "avg"})
    with pytest.raises(InputError):
        REGISTRY["huber"].evaluate({"input": [1.0], "target": [0.0]}, {"alpha": 1})


def test_smooth_l1_is_huber_over_beta():
    """The identity the SmoothL1 page draws: SmoothL1(β) = Huber(δ=β) / β."""
    rng = np.random.default_rng(3)
    x = rng.normal(0, 3, 50).tolist()
    y = rng.normal(0, 3, 50).tolist()
    for beta in (0.1, 0.5, 1.0, 2.5):
        s = REGISTRY["smooth_l1"].evaluate({"input": x, "target": y}, {"beta": beta})
        h = REGISTRY["huber"].evaluate({"input": x, "target": y}, {"delta": beta})
        assert float(s) == pytest.approx(float(h) / beta, rel=1e-5)


def test_snippet_reproduces_the_value():
    """The 'copy code' snippet, run as a program, prints the value the page shows."""
    import subprocess
    import sys
    spec = REGISTRY["huber"]
    inputs = {"input": "[1, 2, 3, 10]", "target": "[1.2, 1.8, 3.1, 3]"}
    params = {"delta": 2.5, "reduction": "sum"}
    code = spec.code(inputs, params)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert f"{float(spec.evaluate(inputs, params)):.4f}" in out

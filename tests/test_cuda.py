"""The GPU path: every loss gives the same value and gradient on CUDA as on the CPU, and every loss page
renders with the sidebar's device set to CUDA. Skipped where this machine has no GPU (CI has none);
run on a lent GPU machine with `pytest tests/test_cuda.py`."""
import numpy as np
import pytest
import torch

from losses import REGISTRY
from losses.device import available_devices, device_name, timed
from losses.spec import gradient

pytestmark = pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device on this machine")


def _cases(spec):
    """The page's worked examples, then random valid inputs from the spec's own sampler."""
    for ex in spec.examples:
        yield ex.inputs, ex.params
    if spec.sample is not None:
        rng = np.random.default_rng(7)
        for _ in range(4):
            x = spec.sample(rng)
            yield x, (spec.sample_params(rng, x) if spec.sample_params else {})


def _reductions(spec):
    reduction = next((p for p in spec.params if p.name == "reduction"), None)
    return tuple(reduction.choices) if reduction is not None else (None,)


def _close(cuda_value, cpu_value):
    # CUDA kernels sum in another order (and CTC may take cuDNN's path): float32 round-off, not a bug.
    # Some examples are NaN or inf on purpose (all targets ignored, impossible CTC alignment).
    torch.testing.assert_close(cuda_value.detach().cpu(), cpu_value.detach(), rtol=1e-4, atol=1e-5, equal_nan=True)


@pytest.mark.parametrize("slug", list(REGISTRY))
def test_value_and_gradient_on_cuda_equal_cpu(slug):
    spec = REGISTRY[slug]
    checked = 0
    for inputs, params in _cases(spec):
        for reduction in _reductions(spec):
            p = dict(params) if reduction is None else {**params, "reduction": reduction}
            on_gpu = spec.evaluate(inputs, p, device="cuda")
            assert on_gpu.device.type == "cuda"
            _close(on_gpu, spec.evaluate(inputs, p))
            wrt, g_gpu = gradient(spec, inputs, p, device="cuda")
            _close(g_gpu, gradient(spec, inputs, p, wrt=wrt)[1])
            checked += 1
    assert checked >= 3


def test_device_helpers_name_the_gpu_and_synchronise():
    assert available_devices() == ("cpu", "cuda")
    assert device_name("cuda").startswith("cuda (") and torch.cuda.get_device_name(0) in device_name("cuda")
    x = torch.randn(2048, 2048, device="cuda")
    value, ms = timed(lambda: (x @ x).sum(), "cuda")
    assert value.device.type == "cuda" and ms > 0


@pytest.mark.parametrize("slug", list(REGISTRY))
def test_loss_page_runs_on_cuda(slug):
    from streamlit.testing.v1 import AppTest

    from app_pages import APP
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params["lang"] = "en"
    at.run()
    assert at.radio(key="device").options == ["cpu", "cuda"]
    at.radio(key="device").set_value("cuda").run()
    at.switch_page(f"pages/{slug}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    shown = " ".join(m.value for m in at.markdown)
    assert device_name("cuda") in shown, "the worked example does not say it ran on the GPU"

"""Cached figures are the builder's own output: same arguments, same dict (built once); other arguments,
another figure. The worked example's analysis is cached per input and still torch's value."""
import numpy as np
import torch

from losses import REGISTRY
from ui.figure_cache import _figure, prebuilt
from ui.loss_page import analyse_example
from losses.classification_sweeps import focal_curves
from ui.panels.classification_figures import focal_figure

LABELS = {"x": "p_t", "loss": "loss", "factor": "factor", "ce": "CE", "fl": "FL, γ = {g}", "current": "γ = {g}"}


def test_prebuilt_figure_is_the_builders_dict_built_once_per_arguments():
    data = focal_curves((0.0, 2.0))
    first = prebuilt(focal_figure, data, 2.0, LABELS)
    assert first.to_dict() == focal_figure(data, 2.0, LABELS).to_dict()
    assert prebuilt(focal_figure, data, 2.0, LABELS) is first  # the cached object, and so the same fig_id
    other = prebuilt(focal_figure, data, 0.0, LABELS)
    assert other.to_dict() != first.to_dict()
    _figure.cache_clear()


def test_cached_example_analysis_is_torchs_value_for_those_inputs():
    spec = REGISTRY["huber"]
    inputs = {"input": "[1, 2, 3, 10]", "target": "[1.2, 1.8, 3.1, 3]"}
    for delta in (1.0, 0.5):
        params = {**spec.defaults(), "delta": delta}
        result = analyse_example("huber", inputs, params, "cpu")
        expected = torch.nn.functional.huber_loss(torch.tensor([1., 2, 3, 10]), torch.tensor([1.2, 1.8, 3.1, 3]),
                                                  delta=delta)
        np.testing.assert_allclose(result["value"], expected.double().numpy(), rtol=1e-6)
        assert analyse_example("huber", inputs, params, "cpu") is result
        found = result["inspector"]
        assert [r for r, _, _ in found["rows"]] == ["mean", "sum"]
        np.testing.assert_allclose(found["rows"][1][1], found["none"].sum(), rtol=1e-6)
    bad = analyse_example("huber", {"input": "[1, 2]", "target": "[1, 2, 3]"}, spec.defaults(), "cpu")
    assert bad["error"] is not None and bad["error"].zh

"""Cached figures are the builder's own output: same arguments, same dict (built once); other arguments,
another figure. A mounted plot sends a figure only to a browser that does not hold it. The worked example's
analysis is cached per input and still torch's value."""
import json

import numpy as np
import plotly.io as pio
import torch
from streamlit.testing.v1 import AppTest

from losses import REGISTRY
from ui.figure_cache import _figure, prebuilt
from ui.live_chart import read_payload
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
    assert other.to_dict() != first.to_dict() and other.fig_id != first.fig_id
    # The text a mounted plot sends is Plotly's own JSON of that dict (typed arrays included)
    assert json.loads(first.text) == json.loads(pio.to_json(focal_figure(data, 2.0, LABELS), validate=False))
    _figure.cache_clear()


def _two_plots():
    import numpy as np
    import streamlit as st

    from ui.figure_cache import prebuilt
    from ui.figures import bar_figure
    from ui.live_chart import forget_sent_figures, mounted_plot
    if st.session_state.get("forget"):
        forget_sent_figures()
    labels = {"element": "element", "loss": "loss"}
    for key in ("a", "b"):
        values = [3.0, 1.0] if st.session_state.get(f"change_{key}") else [1.0, 2.0]
        mounted_plot(prebuilt(bar_figure, np.array(values), labels, "t"), key=key, alt=f"bars {key}", lang="en")


def _sent(at) -> dict:
    """key -> the figure text each mounted plot was sent on the last run (None: the browser holds it)."""
    return {c.proto.id.rsplit("-", 1)[1]: read_payload(c.proto.bytes)["fig"] for c in at.get("bidi_component")}


def test_a_mounted_plot_sends_its_figure_only_when_the_browser_lacks_it():
    at = AppTest.from_function(_two_plots).run()
    first = _sent(at)
    assert all(first.values()) and json.loads(first["a"])["data"][0]["type"] == "bar"
    assert _sent(at.run()) == {"a": None, "b": None}                  # unchanged: nothing resent
    at.session_state["change_b"] = True
    again = _sent(at.run())
    assert again["a"] is None and again["b"] and again["b"] != first["b"]  # only the changed one
    at.session_state["forget"] = True                                # a full page run (app.py)
    assert all(_sent(at.run()).values())


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

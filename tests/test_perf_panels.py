"""The panels' caches (ui/panels/panel_cache.py): built once per key and shared, another key gives another
result, tables keep their cells, and after a hyperparameter move a panel shows the new values (a cached panel
must never show stale numbers)."""
import numpy as np
import pytest
import torch
from streamlit.testing.v1 import AppTest

from app_pages import markdown_tables, open_page, set_param, tables_text
from losses import REGISTRY, classification
from ui.panels import panel_cache as pc
from losses.classification_sweeps import focal_curves
from ui.panels.classification_figures import focal_figure

LABELS = (("x", "p_t"), ("loss", "loss"), ("factor", "factor"), ("ce", "CE"), ("fl", "FL, γ = {g}"),
          ("current", "γ = {g}"))


def _focal(gammas: tuple, gamma: float, labels: tuple):
    return focal_figure(focal_curves(gammas), gamma, dict(labels))


def test_figure_is_the_builders_dict_built_once_per_arguments():
    first = pc.figure(_focal, (0.5, 2.0), 2.0, LABELS)
    assert first.to_dict() == _focal((0.5, 2.0), 2.0, LABELS).to_dict()
    assert pc.figure(_focal, (0.5, 2.0), 2.0, LABELS) is first
    assert pc.figure(_focal, (0.5, 2.0), 0.5, LABELS).to_dict() != first.to_dict()


def test_keyed_result_is_computed_once_per_key():
    calls = []

    def square(v):
        calls.append(v)
        return v * v

    assert pc.keyed(square, ("perf-test", 3), 3) == 9
    assert pc.keyed(square, ("perf-test", 3), 3) == 9
    assert pc.keyed(square, ("perf-test", 4), 4) == 16
    assert calls == [3, 4]


def test_params_key_tells_tensor_params_apart():
    assert pc.params_key({"weight": [1.0, 2.0], "reduction": "mean"}) != \
        pc.params_key({"weight": [1.0, 3.0], "reduction": "mean"})
    assert pc.params_key({"a": 1, "b": 2}) == pc.params_key({"b": 2, "a": 1})


def _table_app():
    from ui.panels.panel_cache import table
    table([{"": "row one", "loss": "0.5"}, {"": "row two", "loss": "1.25"}])


def _table_with_markdown_app():
    from ui.panels.panel_cache import table
    table([{"name": "a*b* [x](y) $z$ <b>", "loss": "0.5 | 1"}])


def test_table_keeps_every_cell_as_one_markdown_element():
    at = AppTest.from_function(_table_app, default_timeout=60).run()
    assert not at.exception and not at.table and len(at.markdown) == 1
    assert markdown_tables(at) == [[["", "loss"], ["row one", "0.5"], ["row two", "1.25"]]]


def test_table_cells_are_shown_as_written():
    """Our strings in a cell are text: no emphasis, link, math, HTML, or a column split by a '|'."""
    at = AppTest.from_function(_table_with_markdown_app, default_timeout=60).run()
    assert not at.exception
    body = at.markdown[0].value.splitlines()[2]
    assert body == r"| a\*b\* \[x\](y) \$z\$ \<b\> | 0.5 \| 1 |"
    assert markdown_tables(at) == [[["name", "loss"], ["a*b* [x](y) $z$ <b>", "0.5 | 1"]]]


def test_focal_panel_follows_alpha_and_computes_once_per_setting(monkeypatch):
    at = open_page("focal")
    calls = []
    real = classification.focal_torch

    def counting(*args, **kwargs):
        calls.append(kwargs.get("alpha"))
        return real(*args, **kwargs)

    monkeypatch.setattr(classification, "focal_torch", counting)
    set_param(at, "focal", "alpha", 0.4)
    assert not at.exception
    spec = REGISTRY["focal"]
    ex = spec.examples[0]
    x, y = (torch.tensor(ex.inputs[k], dtype=torch.float32) for k in ("inputs", "targets"))
    gamma = float(at.session_state["focal.gamma"])
    per = real(x, y, alpha=0.4, gamma=gamma)
    pos = y >= 0.5
    text = tables_text(at)
    assert f"{float(per[pos].sum()):.4g}" in text and f"{float(per[~pos].sum()):.4g}" in text
    assert 0.4 in calls                                     # the new α was computed by torch
    calls.clear()
    at.run()                                                # nothing changed: nothing recomputed
    assert not at.exception and 0.4 not in calls


@pytest.mark.parametrize("slug", ["triplet_margin"])
def test_triplet_comparison_follows_the_margin(slug):
    at = open_page(slug)
    set_param(at, slug, "margin", 2.0)
    assert not at.exception
    a, p, n = (torch.tensor([v]) for v in ([0.0, 0.0], [0.0, 1.0], [1.5, 0.0]))
    want = float(torch.nn.functional.triplet_margin_with_distance_loss(a, p, n, margin=2.0))
    text = tables_text(at)
    assert f"{want:.4f}" in text
    assert np.isclose(float(next(m for m in at.metric if "loss" in m.label.lower()).value),
                      float(torch.nn.functional.triplet_margin_loss(a, p, n, margin=2.0)), atol=1e-4)


def _joined_app():
    import streamlit as st
    from ui.markdown_blocks import joined, plain_table
    st.markdown(joined("Before the table:", plain_table([{"": "row", "loss": "0.5"}]), "", "After it."))


def test_joined_blocks_are_one_element_and_each_keeps_its_kind():
    at = AppTest.from_function(_joined_app, default_timeout=60).run()
    assert not at.exception and len(at.markdown) == 1
    assert at.markdown[0].value == "Before the table:\n\n|  | loss |\n|---|---|\n| row | 0.5 |\n\nAfter it."
    assert markdown_tables(at) == [[["", "loss"], ["row", "0.5"]]]   # the table is still read as one

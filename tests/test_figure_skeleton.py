"""Figures built from a cached skeleton with their numbers patched in (ui/figure_skeleton.py) are the very
figure a full go.Figure build gives for the same numbers, and the skeleton is built once per shape."""
import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

from ui.figure_skeleton import _skeleton, patched
from ui.figures import _bar_shape, bar_figure
from ui.panels import classification_figures as cf

LABELS = {"element": "element", "loss": "loss"}


def same(fig_dict: dict, reference: go.Figure) -> bool:
    """The same JSON as the reference's dict (what the page sent before: figure.to_dict()), and a dict plotly
    itself accepts (validated) unchanged."""
    text = pio.to_json(fig_dict)
    return text == pio.to_json(reference.to_dict()) and text == pio.to_json(go.Figure(fig_dict).to_dict())


def test_inspector_bars_are_a_full_builds_figure():
    values = np.array([0.1, 0.5, 2.0, 0.02])
    reference = _bar_shape(4, tuple(LABELS.items()), "t", 280)
    reference.data[0].y = values
    reference.data[0].text = [f"{s:.1f}%" for s in values / values.sum() * 100]
    assert same(bar_figure(values, LABELS, "t"), reference)
    assert not same(bar_figure(values * 2, LABELS, "t"), reference)   # other numbers, another figure


def test_heat_maps_are_a_full_builds_figure():
    rng = np.random.default_rng(0)
    z = rng.normal(size=(3, 4))
    z[1, 2] = np.nan
    maps = [dict(z=z, text=[[f"{v:.2f}" for v in row] for row in z], title="loss", colorscale="Reds", zmin=0.0,
                 showscale=True),
            dict(z=np.arange(12.0).reshape(3, 4), text=[[str(v) for v in range(4)]] * 3, title="class",
                 colorscale=cf.class_colorscale(3), zmin=-0.5, zmax=2.5)]
    assert same(cf.heatmap_row_figure(maps), cf.heatmap_row_go(maps))


def test_probability_and_gradient_bars_carry_their_numbers_and_ranges():
    p = np.array([0.7, 0.2, 0.1])
    fig = go.Figure(cf.prob_bars_figure([("softmax", p), ("target", np.array([-0.5, 1.0, 0.0]))],
                                        {"x": "c", "y": "p", "title": "t"}))
    np.testing.assert_array_equal(fig.data[0].y, p)
    assert list(fig.data[1].text) == ["-0.500", "1.000", "0.000"]
    assert list(fig.layout.yaxis.range) == [-0.5 * 1.15, 1.18]          # from these numbers, not the skeleton's
    grads = go.Figure(cf.grad_bars_figure([("a", np.ones((2, 2))), ("b", np.zeros((2, 2)))], {"x": "i", "y": "g"}))
    assert [list(t.y) for t in grads.data] == [[1, 1, 1, 1], [0, 0, 0, 0]] and list(grads.data[0].x) == list("0123")


def test_the_skeleton_is_built_once_per_shape_and_never_mutated():
    calls = []

    def shape(n: int) -> go.Figure:
        calls.append(n)
        return go.Figure(go.Bar(x=list(range(n)), y=np.zeros(n)))

    first = patched(shape, (3,), [{"y": np.ones(3)}])
    second = patched(shape, (3,), [{"y": np.full(3, 2.0)}], {"xaxis": {"range": [0, 3]}})
    patched(shape, (4,), [{"y": np.ones(4)}])
    assert calls == [3, 4]
    assert list(first["data"][0]["y"]) == [1, 1, 1] and list(second["data"][0]["y"]) == [2, 2, 2]
    skeleton = _skeleton(shape, f"{shape.__module__}.{shape.__qualname__}", (3,))
    assert pio.to_json(skeleton) == pio.to_json(shape(3).to_dict())     # untouched by the patches

"""The curve's own (Plotly) slider: its frames are torch's sweeps at each value, the figure opens at the
Streamlit widget's value even between frames, and moving it in Chromium sends nothing to the server."""
import base64
import json

import numpy as np
import pytest

from browser import have_chromium, open_page, wait_idle
from losses import REGISTRY
from losses.curves import frame_grid, main_param, sweep
from app_pages import figure_data, open_page as open_app_page
from ui.figures import frame_traces, with_frame_at
from ui.loss_page import FRAME_POINTS, cached_curve_figure

ANIMATED = [slug for slug, spec in REGISTRY.items() if main_param(spec) is not None]
LABELS = ("lang", "x", "loss", "grad", "loss_panel", "grad_panel")


def decode(typed) -> np.ndarray:
    assert typed["dtype"] == "f4"
    return np.frombuffer(base64.b64decode(typed["bdata"]), dtype="<f4")


def build(slug: str, lang: str = "en"):
    spec = REGISTRY[slug]
    main = main_param(spec)
    fixed = tuple(sorted((k, v) for k, v in spec.defaults().items() if k != main.name))
    # __wrapped__: the function itself, outside Streamlit's cache (no script run here).
    return cached_curve_figure.__wrapped__(slug, fixed, main.name, frame_grid(main), lang, True, (), False)


def test_every_curve_with_a_float_hyperparameter_is_animated():
    assert {"huber", "smooth_l1", "focal", "cross_entropy", "triplet_margin", "margin_ranking"} <= set(ANIMATED)


@pytest.mark.parametrize("slug", ANIMATED)
def test_frames_are_torch_sweeps_at_each_slider_value(slug):
    spec, main = REGISTRY[slug], main_param(REGISTRY[slug])
    fig, n_own, data, _, _ = build(slug)
    grid = frame_grid(main)
    steps = fig["layout"]["sliders"][0]["steps"]
    assert 2 <= len(grid) <= 41 and len(fig["frames"]) == len(steps) == len(grid)
    assert [s["args"][0][0] for s in steps] == [f["name"] for f in fig["frames"]] == [f"{v:g}" for v in grid]
    assert main.default in grid or slug == "gaussian_nll"  # eps's default (1e-6) is off its 0.01 grid
    for k in sorted({0, len(grid) // 2, len(grid) - 1}):
        expected = sweep(spec, {**spec.defaults(), main.name: grid[k]}, n=FRAME_POINTS)
        frame = fig["frames"][k]["data"]
        np.testing.assert_allclose(decode(frame[0]["y"]), expected.series[0].loss.astype(np.float32), rtol=1e-6)
        np.testing.assert_allclose(decode(frame[1]["y"]), expected.series[0].grad.astype(np.float32), rtol=1e-6)
        assert data[k][0] == grid[k]


def test_a_widget_value_between_frames_gets_its_own_frame_and_the_cache_is_untouched():
    spec, main = REGISTRY["huber"], main_param(REGISTRY["huber"])
    fig, n_own, _, _, context = build("huber")
    value = 1.05
    assert value not in frame_grid(main)
    before = json.dumps(fig)
    data = sweep(spec, {**spec.defaults(), "delta": value}, n=FRAME_POINTS)
    shown = with_frame_at(fig, n_own, value, frame_traces(data, *context))
    assert json.dumps(fig) == before  # the cached dict is shared by every session
    names = [float(f["name"]) for f in shown["frames"]]
    assert names == sorted(names) and len(names) == len(fig["frames"]) + 1
    slider = shown["layout"]["sliders"][0]
    assert slider["steps"][slider["active"]]["label"] == "1.05"
    np.testing.assert_allclose(decode(shown["data"][0]["y"]), data.series[0].loss.astype(np.float32))


def test_page_opens_at_the_widget_value_between_frames():
    at = open_app_page("huber", "en")
    at.slider(key="huber.delta").set_value(1.05).run()
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    slider = spec["layout"]["sliders"][0]
    assert slider["steps"][slider["active"]]["label"] == "1.05"
    expected = sweep(REGISTRY["huber"], {"delta": 1.05}, n=FRAME_POINTS).series[0].loss
    np.testing.assert_allclose(decode(figure_data(at)[0]["y"]), expected.astype(np.float32), rtol=1e-6)


@pytest.mark.skipif(not have_chromium(), reason="Debian chromium is not installed (make test installs it)")
def test_plotly_slider_moves_the_curve_without_a_server_round_trip(server, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_init_script("""(() => { window.__sent = 0; const send = WebSocket.prototype.send;
        WebSocket.prototype.send = function (d) { window.__sent++; return send.call(this, d); }; })();""")
    page = context.new_page()
    open_page(page, f"{server}/huber")
    path = ".js-plotly-plot .scatterlayer .trace path.js-line"
    before = page.locator(path).first.get_attribute("d")
    rail = page.locator(".js-plotly-plot .slider-container .slider-rail-rect").first
    rail.scroll_into_view_if_needed()
    wait_idle(page)
    sent = page.evaluate("() => window.__sent")
    box = rail.bounding_box()
    page.mouse.click(box["x"] + 0.8 * box["width"], box["y"] + box["height"] / 2)
    page.wait_for_function("([sel, before]) => document.querySelector(sel).getAttribute('d') !== before",
                           arg=[path, before], timeout=10_000)
    page.wait_for_timeout(500)
    assert page.evaluate("() => window.__sent") == sent, "the Plotly slider talked to the server"
    context.close()

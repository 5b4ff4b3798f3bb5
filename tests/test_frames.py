"""The main plot's one control: its frames are torch's sweeps at each value, the plot opens at the
committed value even between frames, moving it in Chromium redraws the curve with no server round trip,
and letting go commits the value (URL, worked example, CSV)."""
import base64

import numpy as np
import pytest

from app_pages import curve_payload, curve_traces, open_page as open_app_page, set_param, want_frames
from browser import assert_clean, have_chromium, open_page, wait_idle
from losses import REGISTRY
from losses.curves import frame_grid, main_param, sweep, sweep_frames
from ui.curve_view import FRAME_POINTS, MAX_FRAMES

ANIMATED = [slug for slug, spec in REGISTRY.items() if main_param(spec) is not None]


def decode(typed) -> np.ndarray:
    assert typed["dtype"] == "f4"
    return np.frombuffer(base64.b64decode(typed["bdata"]), dtype="<f4")


def test_every_curve_with_a_float_hyperparameter_is_animated():
    assert {"huber", "smooth_l1", "focal", "cross_entropy", "triplet_margin", "margin_ranking"} <= set(ANIMATED)


@pytest.mark.parametrize("slug", ANIMATED)
def test_one_backward_per_series_gives_each_sweeps_own_numbers(slug):
    """sweep_frames batches the frames' gradients into one autograd call per series: every frame, series,
    loss and gradient is still the number a sweep at that value gives, to the bit."""
    spec, main = REGISTRY[slug], main_param(REGISTRY[slug])
    values = list(frame_grid(main, max_frames=MAX_FRAMES))
    params = spec.defaults()
    for v, frame in zip(values, sweep_frames(spec, params, main.name, values, n=FRAME_POINTS), strict=True):
        alone = sweep(spec, {**params, main.name: v}, n=FRAME_POINTS)
        np.testing.assert_array_equal(frame.x, alone.x)
        assert len(frame.series) == len(alone.series) and repr(frame.markers) == repr(alone.markers)
        for mine, its in zip(frame.series, alone.series):
            np.testing.assert_array_equal(mine.loss, its.loss)
            np.testing.assert_array_equal(mine.grad, its.grad)


@pytest.mark.parametrize("slug", ANIMATED)
def test_frames_are_torch_sweeps_at_each_value(slug):
    spec, main = REGISTRY[slug], main_param(REGISTRY[slug])
    at = open_app_page(slug, "en")
    grid = frame_grid(main, max_frames=MAX_FRAMES)
    # Until the reader reaches for the control: one frame, at the committed value, and the grid to move over.
    lazy = curve_payload(at)
    assert lazy["lazy"] and lazy["grid"] == list(grid) and len(lazy["fig"]["frames"]) == 1
    assert float(lazy["fig"]["frames"][0]["name"]) == pytest.approx(main.default, rel=1e-5)
    fig = curve_payload(want_frames(at, slug))["fig"]
    assert not curve_payload(at)["lazy"]
    assert 2 <= len(grid) <= MAX_FRAMES and [f["name"] for f in fig["frames"]] == [f"{v:g}" for v in grid]
    assert main.default in grid or slug == "gaussian_nll"  # eps's default (1e-6) is off its 0.01 grid
    for k in sorted({0, len(grid) // 2, len(grid) - 1}):
        expected = sweep(spec, {**spec.defaults(), main.name: grid[k]}, n=FRAME_POINTS)
        frame = fig["frames"][k]["data"]
        np.testing.assert_allclose(decode(frame[0]["y"]), expected.series[0].loss.astype(np.float32), rtol=1e-6)
        np.testing.assert_allclose(decode(frame[1]["y"]), expected.series[0].grad.astype(np.float32), rtol=1e-6)


def test_a_value_between_frames_gets_its_own_frame():
    at = want_frames(open_app_page("huber", "en"), "huber")
    assert 1.07 not in frame_grid(main_param(REGISTRY["huber"]), max_frames=MAX_FRAMES)
    set_param(at, "huber", "delta", 1.07)
    data = curve_payload(at)
    assert data["value"] == 1.07 and data["extra"]["value"] == 1.07
    expected = sweep(REGISTRY["huber"], {"delta": 1.07}, n=FRAME_POINTS).series[0].loss
    np.testing.assert_allclose(decode(curve_traces(at)[0]["y"]), expected.astype(np.float32), rtol=1e-6)
    assert at.query_params.get("huber.delta") == "1.07"


def test_a_link_opens_at_its_value():
    from streamlit.testing.v1 import AppTest

    from app_pages import APP
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["huber.delta"] = "2.5"
    at.run()
    at.switch_page("pages/huber.py").run()
    assert not at.exception and curve_payload(at)["value"] == 2.5
    expected = sweep(REGISTRY["huber"], {"delta": 2.5}, n=FRAME_POINTS).series[0].loss
    np.testing.assert_allclose(decode(curve_traces(at)[0]["y"]), expected.astype(np.float32), rtol=1e-6)


@pytest.mark.skipif(not have_chromium(), reason="Debian chromium is not installed (make test installs it)")
def test_the_control_follows_the_hand_then_commits_everything(server, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_init_script("""(() => { window.__sent = 0; const send = WebSocket.prototype.send;
        WebSocket.prototype.send = function (d) { window.__sent++; return send.call(this, d); }; })();""")
    page = context.new_page()
    open_page(page, f"{server}/huber")
    path = ".ll-plot .scatterlayer .trace path.js-line"
    before = page.locator(path).first.get_attribute("d")
    rng = page.locator(".ll-range")
    rng.scroll_into_view_if_needed()
    wait_idle(page)
    assert page.locator(".ll-chart").get_attribute("data-frames") == "1"   # the committed value's frame
    rng.hover()                                              # the hand reaches the control: the frames come
    page.wait_for_function("() => Number(document.querySelector('.ll-chart').dataset.frames) > 20", timeout=30_000)
    wait_idle(page)
    sent = page.evaluate("() => window.__sent")
    # While the hand moves ('input' events only): the curve follows, nothing goes to the server.
    rng.evaluate("e => { e.value = Number(e.value) + 20; e.dispatchEvent(new Event('input', {bubbles: true})); }")
    page.wait_for_function("([sel, before]) => document.querySelector(sel).getAttribute('d') !== before",
                           arg=[path, before], timeout=10_000)
    assert page.evaluate("() => window.__sent") == sent, "moving the control talked to the server"
    assert page.locator(".ll-value").inner_text() == "3.00"
    # Letting go commits it: the URL, the worked example's snippet and the CSV use the same value.
    rng.evaluate("e => e.dispatchEvent(new Event('change', {bubbles: true}))")
    page.wait_for_function("() => location.search.includes('huber.delta=3.0')", timeout=30_000)
    wait_idle(page)
    assert_clean(page)
    page.locator('[data-testid="stExpander"] summary').filter(has_text="PyTorch").click()
    page.wait_for_selector('[data-testid="stCode"]', timeout=30_000)
    assert "delta=3.0" in page.locator('[data-testid="stCode"]').last.inner_text()
    assert page.locator(".ll-value").inner_text() == "3.00"
    # the keyboard moves it too, one step per key, and each key commits
    rng.focus()
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("() => location.search.includes('huber.delta=2.9')", timeout=30_000)
    wait_idle(page)
    assert page.locator(".ll-value").inner_text() == "2.90"
    context.close()


@pytest.mark.skipif(not have_chromium(), reason="Debian chromium is not installed (make test installs it)")
def test_a_committed_value_does_not_resend_the_figure(server, browser):
    """A page opens with one frame (small); reaching for the control brings the other frames once; after
    that a commit sends the value, not the ~0.7 MB figure."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_init_script("""(() => { window.__recv = []; const Orig = window.WebSocket;
        window.WebSocket = function (...a) { const ws = new Orig(...a);
          ws.addEventListener('message', e => window.__recv.push(e.data.byteLength || e.data.length || 0));
          return ws; }; window.WebSocket.prototype = Orig.prototype; })();""")
    page = context.new_page()
    received = "() => window.__recv.reduce((a, b) => a + b, 0)"
    open_page(page, f"{server}/huber")
    assert page.evaluate(received) < 300_000                 # the first draw: the committed value's frame
    page.evaluate("() => { window.__recv = []; }")
    page.locator(".ll-range").focus()                        # the keyboard reaches the control: every frame comes
    page.wait_for_function(f"() => ({received})() > 300_000", timeout=30_000)
    wait_idle(page)
    page.evaluate("() => { window.__recv = []; }")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => location.search.includes('huber.delta=')", timeout=30_000)
    wait_idle(page)
    assert page.evaluate(received) < 150_000
    assert page.locator(".ll-value").inner_text() == "1.10"
    assert_clean(page)
    context.close()


def test_a_new_setting_of_another_hyperparameter_sends_one_frame_until_asked():
    """Frames cost ~60 torch sweeps: a new setting of alpha draws the curve at the committed gamma and waits
    until the reader reaches for gamma's control before building the others."""
    at = want_frames(open_app_page("focal", "en"), "focal")
    assert not curve_payload(at)["lazy"]
    set_param(at, "focal", "alpha", 0.5)
    data = curve_payload(at)
    assert data["lazy"] and len(data["fig"]["frames"]) == 1
    expected = sweep(REGISTRY["focal"], {**REGISTRY["focal"].defaults(), "alpha": 0.5}, n=FRAME_POINTS)
    np.testing.assert_allclose(decode(curve_traces(at)[0]["y"]), expected.series[0].loss.astype(np.float32),
                               rtol=1e-6)
    assert len(curve_payload(want_frames(at, "focal"))["fig"]["frames"]) == len(data["grid"])


@pytest.mark.parametrize("slug", ["huber", "focal", "triplet_margin", "gaussian_nll"])
def test_the_axes_do_not_move_when_the_frames_arrive(slug):
    """Both figures fit their axes to the grid's first and last curves: reaching for the control brings the
    frames without rescaling the plot under the reader's eyes."""
    at = open_app_page(slug, "en")
    lazy = curve_payload(at)["fig"]["layout"]
    full = curve_payload(want_frames(at, slug))["fig"]["layout"]
    assert lazy["yaxis"]["range"] == full["yaxis"]["range"] and lazy["yaxis2"]["range"] == full["yaxis2"]["range"]

"""The main plot's figure patched from a cached skeleton (ui/curve_skeleton.py) is the figure curve_figure
builds the slow way, for every animated loss, new settings, overlays, the gradient hidden and teacher mode."""
from __future__ import annotations

import json

import pytest

from losses import REGISTRY
from losses.curves import frame_grid, main_param, sweep, sweep_frames
from ui.curve_skeleton import curve_spec
from ui.figures import curve_figure, figure_dict
from ui.teacher import present

LABELS = {"lang": "en", "x": "x", "loss": "loss", "grad": "grad", "loss_panel": "Loss", "grad_panel": "Gradient"}
SLUGS = [slug for slug, spec in REGISTRY.items() if spec.curve is not None]


def slow(data, show_grad, overlays, frames, teacher, fit=()):
    fig = curve_figure(data, LABELS, show_grad=show_grad, overlays=overlays, frames=frames, fit=fit)
    spec = figure_dict(present(fig, teacher))
    if frames:
        spec["frames"] = fig._frame_dicts
    return spec, fig._frame_context


@pytest.mark.parametrize("slug", SLUGS)
def test_patched_figure_equals_the_slow_one_at_new_settings(slug):
    spec = REGISTRY[slug]
    main = main_param(spec)
    settings = [spec.defaults()]
    if main is not None:   # the first setting fills the skeleton, the others are patched into it
        grid = frame_grid(main, max_frames=9)
        settings += [{**spec.defaults(), main.name: v} for v in (grid[0], grid[-1], grid[len(grid) // 2])]
    for params in settings:
        data = sweep(spec, params, n=201)
        for show_grad in (True, False):
            assert json.dumps(curve_spec(data, LABELS, show_grad)[0], sort_keys=True, default=str) == \
                json.dumps(slow(data, show_grad, (), (), False)[0], sort_keys=True, default=str), (slug, params)


@pytest.mark.parametrize("teacher", [False, True])
def test_overlays_frames_and_teacher_mode_are_patched_too(teacher):
    huber, smooth = REGISTRY["huber"], REGISTRY["smooth_l1"]
    for delta, beta in ((1.0, 1.0), (2.5, 0.5)):
        data = sweep(huber, {"delta": delta}, n=201)
        overlays = (("SmoothL1Loss", sweep(smooth, {"beta": beta}, n=201)),)
        frames = tuple(zip([0.5, 1.0], sweep_frames(huber, {}, "delta", [0.5, 1.0], n=201)))
        fast, fast_context = curve_spec(data, LABELS, True, overlays, frames, teacher)
        expected, context = slow(data, True, overlays, frames, teacher)
        assert json.dumps(fast, sort_keys=True, default=str) == json.dumps(expected, sort_keys=True, default=str)
        assert fast_context == context


@pytest.mark.parametrize("slug", [s for s in SLUGS if main_param(REGISTRY[s]) is not None])
def test_frames_whose_guides_differ_from_the_first_setting(slug):
    """A frame may carry more guides than the committed value's curve (gaussian_nll's clamp line appears
    only for some eps): the skeleton has room for the most of them."""
    spec, main = REGISTRY[slug], main_param(REGISTRY[slug])
    grid = frame_grid(main, max_frames=61)
    values = [grid[0], grid[len(grid) // 2], grid[-1]]
    others = {k: v for k, v in spec.defaults().items() if k != main.name}
    frames = tuple(zip(values, sweep_frames(spec, others, main.name, values, n=201)))
    for base in (frames[0][1], frames[-1][1]):
        fast = curve_spec(base, LABELS, True, (), frames)
        assert json.dumps(fast[0], sort_keys=True, default=str) == \
            json.dumps(slow(base, True, (), frames, False)[0], sort_keys=True, default=str)
        assert fast[1] == slow(base, True, (), frames, False)[1]


def test_axes_fitted_to_given_curves():
    """The live chart fits both of its figures (one frame, every frame) to the grid's end curves."""
    huber = REGISTRY["huber"]
    ends = tuple(sweep(huber, {"delta": v}, n=201) for v in (0.05, 5.0))
    data = sweep(huber, {"delta": 1.0}, n=201)
    fast, context = curve_spec(data, LABELS, True, fit=ends)
    expected, expected_context = slow(data, True, (), (), False, fit=ends)
    assert json.dumps(fast, sort_keys=True, default=str) == json.dumps(expected, sort_keys=True, default=str)
    assert context == expected_context and context[1] != curve_spec(data, LABELS, True)[1][1]

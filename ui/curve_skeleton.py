"""The main plot's figure for a new setting, without rebuilding it from plotly's validated objects.

curve_figure() (ui/figures.py) goes through make_subplots and validated updates: ~60 ms a figure, most of a
cold rerun's server time once the frames are built lazily. All of that figure but its numbers depends only on
the labels, the series, the number of guides and the options, so it is built once per such signature (the
skeleton) and a new setting patches its numbers in: the curves (and overlays), the guides' positions and
labels, the axes' ranges. tests/test_curve_skeleton.py checks the result against curve_figure's, setting by
setting.
"""
from __future__ import annotations

import numpy as np

from losses.curves import CurveData
from ui.figures import _frame, _typed, axis_ranges, curve_figure, figure_dict, frame_traces
from ui.i18n import tr
from ui.memo import shared
from ui.teacher import present


def curve_spec(data: CurveData, labels: dict, show_grad: bool, overlays: tuple = (), frames: tuple = (),
               teacher: bool = False, fit: tuple = ()) -> tuple[dict, tuple]:
    """(the figure as a JSON-ready dict, what frame_traces() needs to add a frame later), equal to
    figure_dict(present(curve_figure(...))) with the frames attached; `fit` as in curve_figure."""
    lang = labels["lang"]
    every = [data] + [c for _, c in frames]
    n_slots = max(len(c.markers) for c in every)
    ranges = axis_ranges(list(fit) or every, show_grad)
    # The skeleton needs as many guides as the frame with the most of them (e.g. eps's clamp line).
    most = max(every, key=lambda c: len(c.markers))
    skeleton = _skeleton(_signature(data, labels, show_grad, overlays, n_slots, teacher), data, overlays, most)
    traces = [dict(t) for t in skeleton["data"]]
    own = frame_traces(data, n_slots, ranges, lang, show_grad)
    for trace, update in zip(traces, own):
        trace.update(update)
    rows = (1, 2) if show_grad else (1,)
    at = len(data.series) * len(rows)
    for _slot in range(n_slots):                       # the guides span each panel's range
        for row in rows:
            traces[at]["y"] = list(ranges[row] or (0, 1))
            at += 1
    for _name, curve in overlays:                       # an overlay: its first series only
        x = _typed(np.asarray(curve.x, dtype=np.float32))
        traces[at].update(x=x, y=_typed(curve.series[0].loss))
        if show_grad:
            traces[at + 1].update(x=x, y=_typed(curve.series[0].grad))
        at += len(rows)
    layout = dict(skeleton["layout"])
    layout["yaxis"] = {**layout["yaxis"], "range": ranges[1]}
    if show_grad:
        layout["yaxis2"] = {**layout["yaxis2"], "range": ranges[2]}
    spec = {**skeleton, "data": traces, "layout": layout}
    context = (n_slots, ranges, lang, show_grad)
    if frames:
        spec["frames"] = [_frame(v, len(own), frame_traces(c, *context)) for v, c in frames]
    return spec, context


def _signature(data: CurveData, labels: dict, show_grad: bool, overlays: tuple, n_slots: int, teacher: bool):
    """Everything of the figure that is not a number patched by curve_spec()."""
    lang = labels["lang"]
    series = tuple((tr(s.name, lang), s.dash, s.visible) for s in data.series)
    x = (len(data.x), float(data.x[0]), float(data.x[-1]))
    return (tuple(sorted(labels.items())), show_grad, n_slots, teacher, series, x,
            tuple((name, curve.series[0].visible) for name, curve in overlays))


@shared(maxsize=256)
def _skeleton(signature, _data: CurveData, _overlays: tuple, _most_guides: CurveData) -> dict:
    """The figure built the slow way for the first setting with this signature (the data, underscored, do not
    key the cache: the patching replaces every number that depends on them). Shared, never mutated."""
    labels = dict(signature[0])
    fig = curve_figure(_data, labels, show_grad=signature[1], overlays=_overlays, frames=((0.0, _most_guides),))
    spec = figure_dict(present(fig, signature[3]))
    spec.pop("frames", None)
    return spec

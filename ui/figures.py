"""Plotly figures built from losses.curves data. Pure functions: testable without Streamlit."""
from __future__ import annotations

import base64

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
from plotly.subplots import make_subplots

from losses.curves import CurveData
from ui.figure_skeleton import patched
from ui.i18n import tr

# Colour-blind-safe (Okabe–Ito); overlays cycle after the page's own series.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
FONT = "Inter, 'Noto Sans CJK SC', 'Noto Sans SC', 'Source Sans Pro', sans-serif"


def chart_template() -> go.layout.Template:
    """plotly_white, with every axis's tick labels left as they are drawn (ticklabeloverflow "allow"). Plotly's
    default for a linear axis, "hide past div", measures every tick label again as it places each one: a
    third of a redraw of the live chart (Chromium profile: 9 of 27 ms). Our margins keep labels in the div."""
    if "losslab" not in pio.templates:
        template = go.layout.Template(pio.templates["plotly_white"])
        template.layout.xaxis.ticklabeloverflow = "allow"
        template.layout.yaxis.ticklabeloverflow = "allow"
        pio.templates["losslab"] = template
    return pio.templates["losslab"]


def white_template(fig: go.Figure) -> go.Figure:
    """layout.template = plotly_white (tick labels as drawn: chart_template) without validating it again:
    validating and copying the template costs ~20-70 ms a figure, the rest of a small figure ~4 ms. Plotly sets
    its default template this way. Every figure built per setting uses this instead of
    update_layout(template="plotly_white")."""
    fig.layout._validate = False
    try:
        fig.layout.template = chart_template()
    finally:
        fig.layout._validate = fig._validate
    return fig


def _robust_range(arrays: list[np.ndarray]) -> list[float] | None:
    """Axis range from the 1st–99th percentiles so a steep end cannot flatten the interesting part."""
    values = np.concatenate([a[np.isfinite(a)] for a in arrays]) if arrays else np.array([])
    if values.size == 0:
        return None
    lo, hi = np.percentile(values, [1, 99])
    full_lo, full_hi = float(values.min()), float(values.max())
    # Keep the true extremes when they are not far outside the bulk.
    span = max(hi - lo, 1e-9)
    lo = full_lo if full_lo > lo - 0.5 * span else lo
    hi = full_hi if full_hi < hi + 0.5 * span else hi
    pad = 0.08 * max(hi - lo, 1e-6)
    return [lo - pad, hi + pad]


def _series_traces(curve: CurveData, lang: str, labels: dict, show_grad: bool, colour0: int,
                   overlay_name: str | None = None) -> list[tuple[go.Scatter, int]]:
    """(trace, row) pairs for one curve: loss in row 1 and, if shown, its gradient in row 2."""
    out = []
    series = curve.series[:1] if overlay_name else curve.series
    for k, s in enumerate(series):
        name = overlay_name or tr(s.name, lang)
        colour = PALETTE[(colour0 + k) % len(PALETTE)]
        dash = "dashdot" if overlay_name else s.dash
        visible = True if s.visible else "legendonly"
        group = f"{overlay_name or 'own'}{k}"
        x = np.asarray(curve.x, dtype=np.float32)  # float32 halves what the browser downloads
        out.append((go.Scatter(x=x, y=np.asarray(s.loss, dtype=np.float32), name=name, legendgroup=group, visible=visible,
                               line=dict(color=colour, width=3 if dash == "solid" else 2.5, dash=dash),
                               hovertemplate="x=%{x:.3f}<br>" + labels["loss"] + "=%{y:.4f}<extra>" + name + "</extra>"), 1))
        if show_grad:
            out.append((go.Scatter(x=x, y=np.asarray(s.grad, dtype=np.float32), name=name, legendgroup=group, showlegend=False,
                                   visible=visible, line=dict(color=colour, width=2.5, dash=dash),
                                   hovertemplate="x=%{x:.3f}<br>∇=%{y:.4f}<extra>" + name + "</extra>"), 2))
    return out


def _marker_traces(markers, n_slots: int, ranges: dict, lang: str, show_grad: bool) -> list[tuple[go.Scatter, int]]:
    """Vertical guides (e.g. ±δ where L2 turns into L1) as traces, so animation frames can move them."""
    out = []
    rows = (1, 2) if show_grad else (1,)
    for slot in range(n_slots):
        x, text = (markers[slot][0], tr(markers[slot][1], lang)) if slot < len(markers) \
            else (None, "")
        for row in rows:
            lo, hi = ranges[row] or (0, 1)
            out.append((go.Scatter(x=[x, x], y=[lo, hi], mode="lines+text" if row == 1 else "lines",
                                   text=["", text] if row == 1 else None, textposition="top center",
                                   textfont=dict(size=13, color="#555"), line=dict(color="#888", width=1.5, dash="dot"),
                                   hoverinfo="skip", showlegend=False, cliponaxis=False), row))
    return out


def axis_ranges(curves: list[CurveData], show_grad: bool) -> dict:
    """Each panel's y range (1: loss, 2: gradient) fitted to these curves' visible series."""
    return {1: _robust_range([s.loss for c in curves for s in c.series if s.visible]),
            2: _robust_range([s.grad for c in curves for s in c.series if s.visible]) if show_grad else None}


def curve_figure(data: CurveData, labels: dict, show_grad: bool = True,
                 overlays: tuple[tuple[str, CurveData], ...] = (), height: int = 560,
                 frames: tuple[tuple[float, CurveData], ...] = (), fit: tuple = ()) -> go.Figure:
    """Loss (top) and autograd gradient (bottom) against the swept input.

    labels: {"x", "loss", "grad", "loss_panel", "grad_panel", "lang"} already in the current language;
    series names are {"en","zh"} dicts resolved with labels["lang"].
    frames: (value, CurveData) for the main hyperparameter: the live chart (ui/live_chart.js) moves the
    curves through them in the browser, with no server round trip (the axes stay fixed across frames so
    the change is visible). fit: the curves the axes are fitted to (default: data and every frame).
    """
    lang = labels["lang"]
    rows = 2 if show_grad else 1
    fig = make_subplots(rows=rows, cols=1, shared_xaxes=True, vertical_spacing=0.1,
                        subplot_titles=(labels["loss_panel"], labels["grad_panel"])[:rows])
    # Panel titles at the right edge: a guide's label (e.g. "−margin") sits near the middle, over the curve.
    fig.update_annotations(x=1.0, xanchor="right")
    every = [data] + [c for _, c in frames]
    ranges = axis_ranges(list(fit) or every, show_grad)
    n_slots = max(len(c.markers) for c in every)
    own = _series_traces(data, lang, labels, show_grad, 0) + _marker_traces(data.markers, n_slots, ranges, lang, show_grad)
    for trace, row in own:
        fig.add_trace(trace, row=row, col=1)
    colour = len(data.series)
    for name, curve in overlays:
        for trace, row in _series_traces(curve, lang, labels, show_grad, colour, overlay_name=name):
            fig.add_trace(trace, row=row, col=1)
        colour += 1
    fig.update_yaxes(title_text=labels["loss"], row=1, col=1, range=ranges[1], zeroline=True)
    if show_grad:
        fig.update_yaxes(title_text=labels["grad"], row=2, col=1, range=ranges[2], zeroline=True)
    fig.update_xaxes(title_text=labels["x"], row=rows, col=1)
    fig.update_xaxes(showspikes=True, spikemode="across", spikethickness=1)
    layout = dict(height=height if show_grad else int(height * 0.6), hovermode="x unified",
                  font=dict(family=FONT, size=15), margin=dict(l=60, r=20, t=50, b=50),
                  legend=dict(orientation="h", yanchor="bottom", y=1.06, x=0),
                  uirevision="keep")
    # What a frame inserted later (with_frame_at) needs to look like the others: same guides, same axes.
    fig._frame_context = (n_slots, ranges, lang, show_grad)
    if frames:
        _add_frames(fig, frames, len(own))
    white_template(fig)
    fig.update_layout(**layout)
    return fig


def _add_frames(fig, frames, n_own) -> None:
    """Frames as plain JSON-ready dicts, attached to the figure for figure_dict(): building them as
    validated go objects costs ~0.5 s for 40 frames; these carry only what changes (y of each curve, x of
    the moving guides)."""
    n_slots, ranges, lang, show_grad = fig._frame_context
    fig._frame_dicts = [_frame(v, n_own, frame_traces(c, n_slots, ranges, lang, show_grad)) for v, c in frames]


def _frame(value: float, n_own: int, traces: list[dict]) -> dict:
    return {"name": f"{value:g}", "traces": list(range(n_own)), "data": traces}


def _typed(values) -> dict:
    """Plotly.js's typed-array form (base64 float32): a quarter of the JSON size of decimal text, and
    ~100x faster to build than plotly's own to_typed_array_spec."""
    return {"dtype": "f4", "bdata": base64.b64encode(np.ascontiguousarray(values, dtype="<f4").tobytes()).decode()}


def frame_traces(curve: CurveData, n_slots: int, ranges: dict, lang: str, show_grad: bool) -> list[dict]:
    """The same trace order as _series_traces + _marker_traces, as minimal dicts."""
    out = []
    for s in curve.series:
        out.append({"y": _typed(s.loss)})
        if show_grad:
            out.append({"y": _typed(s.grad)})
    for slot in range(n_slots):
        x, text = (curve.markers[slot][0], tr(curve.markers[slot][1], lang)) \
            if slot < len(curve.markers) else (None, "")
        out.append({"x": [x, x], "text": ["", text]})
        if show_grad:
            out.append({"x": [x, x]})
    return out


def figure_dict(fig: go.Figure) -> dict:
    """The figure as a JSON-ready dict, with the frames attached by curve_figure."""
    spec = fig.to_dict()
    frames = getattr(fig, "_frame_dicts", None)
    if frames:
        spec["frames"] = frames
    return spec


class PrebuiltFigure(go.Figure):
    """A figure whose JSON-ready dict was built once and cached. st.plotly_chart calls to_dict(), which
    returns that dict as is, instead of rebuilding and re-validating every frame's traces on each rerun
    (seconds for a figure with 40 frames)."""
    prebuilt = True

    def __init__(self, spec: dict):  # go.Figure.__init__ skipped on purpose: it builds a default template
        self._spec = spec              # never used here (~7 ms and ~24 kB a figure, on every rerun)

    @classmethod
    def of(cls, fig) -> "PrebuiltFigure":
        """A builder's result as a PrebuiltFigure: a go.Figure's dict, or a dict as is (ui/figure_skeleton.py)."""
        return cls(fig if isinstance(fig, dict) else fig.to_dict())

    def to_dict(self) -> dict:
        return self._spec

    def to_plotly_json(self) -> dict:
        return self._spec


def _bar_shape(n: int, labels: tuple, title: str, height: int) -> go.Figure:
    """The inspector's bars for n elements, zero-height: everything but the numbers."""
    labels = dict(labels)
    fig = go.Figure(go.Bar(x=[str(i) for i in range(n)], y=np.zeros(n), marker_color=PALETTE[0],
                           text=[""] * n, textposition="outside",
                           hovertemplate=labels["element"] + " %{x}: %{y:.4f}<extra></extra>"))
    white_template(fig)
    fig.update_layout(title=title, height=height, font=dict(family=FONT, size=14),
                      margin=dict(l=50, r=20, t=50, b=40), xaxis_title=labels["element"],
                      yaxis_title=labels["loss"])
    return fig


def bar_figure(values: np.ndarray, labels: dict, title: str, height: int = 280) -> dict:
    """Elementwise losses as bars, each labelled with its share of the sum (the reduction inspector), as a
    JSON-ready dict: its shape is built once per size and labels (ui/figure_skeleton.py)."""
    flat = np.asarray(values, dtype=float).ravel()
    total = flat.sum()
    share = flat / total * 100 if total else np.zeros_like(flat)
    return patched(_bar_shape, (flat.size, tuple(labels.items()), title, height),
                   [{"y": flat, "text": [f"{s:.1f}%" for s in share]}])

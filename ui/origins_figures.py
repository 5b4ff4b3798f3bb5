"""Figures of the page "Where losses come from". Pure builders (no Streamlit call): testable on their own.

labels: dicts of strings already in the reader's language; the numbers come from losses/origins_*.py.
"""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .figures import FONT, PALETTE, white_template

GREY = "#888888"
SURROGATE_STYLE = {"zero_one": (PALETTE[6], "solid"), "hinge": (PALETTE[0], "solid"),
                   "squared_hinge": (PALETTE[5], "dash"), "logistic": (PALETTE[1], "solid"),
                   "exponential": (PALETTE[3], "dot")}


def _layout(fig: go.Figure, height: int) -> go.Figure:
    white_template(fig)
    fig.update_layout(height=height, font=dict(family=FONT, size=14),
                      margin=dict(l=60, r=20, t=60, b=50), uirevision="keep",
                      legend=dict(orientation="h", yanchor="bottom", y=1.1, x=0))
    return fig


def _f32(values) -> np.ndarray:
    """float32 halves what the browser downloads; a diverged path's huge values become gaps (NaN)."""
    a = np.array(values, dtype=np.float64)
    a[~np.isfinite(a) | (np.abs(a) > 1e30)] = np.nan
    return a.astype(np.float32)


# ---- part 1 -------------------------------------------------------------------------------------------
def nll_figure(curves, labels: dict, other=None, height: int = 400) -> go.Figure:
    """The density (or pmf) on the left; on the right torch's loss (lines) and −log p from
    torch.distributions (dots) on top of each other. `other`: the Gaussian/Laplace counterpart, dashed."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=(labels["density_panel"], labels["loss_panel"]),
                        horizontal_spacing=0.1)
    if curves.discrete:
        fig.add_trace(go.Bar(x=curves.dens_x, y=_f32(curves.dens), name=labels["density"], marker_color=PALETTE[0],
                             text=[f"{v:.3f}" for v in curves.dens], textposition="outside"), row=1, col=1)
    else:
        fig.add_trace(go.Scatter(x=_f32(curves.dens_x), y=_f32(curves.dens), name=labels["density"],
                                 line=dict(color=PALETTE[0], width=3)), row=1, col=1)
    if other is not None:
        fig.add_trace(go.Scatter(x=_f32(other.dens_x), y=_f32(other.dens), name=labels["other"],
                                 line=dict(color=GREY, width=2, dash="dash")), row=1, col=1)
    for k, name in enumerate(curves.loss):
        colour = PALETTE[(k + 1) % len(PALETTE)]
        series = f"{labels['loss']} {name}" if len(curves.loss) > 1 else labels["loss"]
        fig.add_trace(go.Scatter(x=_f32(curves.loss_x), y=_f32(curves.loss[name]), name=series,
                                 line=dict(color=colour, width=3)), row=1, col=2)
        every = slice(None, None, 12)      # every 12th point: the dots sit on the line without hiding it
        fig.add_trace(go.Scatter(x=_f32(curves.loss_x[every]), y=_f32(curves.nll[name][every]), mode="markers",
                                 name=f"−log p {name}" if len(curves.loss) > 1 else "−log p",
                                 marker=dict(color="white", size=7, line=dict(color=colour, width=2))), row=1, col=2)
    if other is not None:
        name = next(iter(other.loss))
        fig.add_trace(go.Scatter(x=_f32(other.loss_x), y=_f32(other.loss[name]), name=labels["other_loss"],
                                 line=dict(color=GREY, width=2, dash="dash")), row=1, col=2)
    if curves.marker is not None:
        fig.add_vline(x=curves.marker, line=dict(color=GREY, width=1.5, dash="dot"), row=1, col=2)
    fig.update_xaxes(title_text=labels["density_x"], row=1, col=1)
    fig.update_yaxes(title_text=labels["density_y"], row=1, col=1, rangemode="tozero")
    fig.update_xaxes(title_text=labels["loss_x"], row=1, col=2)
    fig.update_yaxes(title_text=labels["loss_y"], row=1, col=2, range=labels.get("loss_range"))
    return _layout(fig, height)


# ---- part 2 -------------------------------------------------------------------------------------------
def surrogate_figure(m, values: dict, m_now: float, now: dict, labels: dict, height: int = 560) -> go.Figure:
    """Each surrogate φ(m) (top) and its autograd gradient dφ/dm (bottom); the slider's margin marked."""
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.1,
                        subplot_titles=(labels["loss_panel"], labels["grad_panel"]))
    for name, (loss, grad) in values.items():
        colour, dash = SURROGATE_STYLE[name]
        shape = "hv" if name == "zero_one" else "linear"
        common = dict(legendgroup=name, line=dict(color=colour, width=3 if dash == "solid" else 2.5, dash=dash,
                                                  shape=shape))
        fig.add_trace(go.Scatter(x=_f32(m), y=_f32(loss), name=labels["names"][name], **common), row=1, col=1)
        fig.add_trace(go.Scatter(x=_f32(m), y=_f32(grad), name=labels["names"][name], showlegend=False, **common),
                      row=2, col=1)
        loss_now, grad_now = now[name]
        for row, y in ((1, loss_now), (2, grad_now)):
            fig.add_trace(go.Scatter(x=[m_now], y=[y], mode="markers", showlegend=False, legendgroup=name,
                                     marker=dict(color=colour, size=10), hovertemplate="%{y:.4f}<extra></extra>"),
                          row=row, col=1)
    for row in (1, 2):
        fig.add_vline(x=m_now, line=dict(color=GREY, width=1.5, dash="dot"), row=row, col=1)
    fig.update_yaxes(title_text=labels["loss_y"], range=[-0.15, 4.2], row=1, col=1)
    fig.update_yaxes(title_text=labels["grad_y"], range=[-4.2, 0.5], row=2, col=1)
    fig.update_xaxes(title_text=labels["x"], row=2, col=1)
    fig.update_layout(hovermode="x unified")
    return _layout(fig, height)


def risk_figure(risks: dict, minimisers: dict, labels: dict, height: int = 360) -> go.Figure:
    """Conditional risk η·φ(f) + (1 − η)·φ(−f) of each surrogate against the score f, minimiser marked."""
    fig = go.Figure()
    for name, (f, risk) in risks.items():
        colour, dash = SURROGATE_STYLE[name]
        fig.add_trace(go.Scatter(x=_f32(f), y=_f32(risk), name=labels["names"][name], legendgroup=name,
                                 line=dict(color=colour, width=2.5, dash=dash, shape="hv" if name == "zero_one" else "linear")))
        f_star = minimisers[name]
        fig.add_trace(go.Scatter(x=[f_star], y=[float(np.interp(f_star, f, risk))], mode="markers", legendgroup=name,
                                 showlegend=False, marker=dict(color=colour, size=11, symbol="diamond")))
    fig.add_vline(x=0, line=dict(color=GREY, width=1))
    fig.update_xaxes(title_text=labels["x"])
    fig.update_yaxes(title_text=labels["y"], range=[0, 3])
    return _layout(fig, height)


# ---- part 3 -------------------------------------------------------------------------------------------
def contour_figure(grid, path, minima: dict, crease_lines, labels: dict, height: int = 560) -> go.Figure:
    """The loss over (w, b) as a contour, the gradient-descent path on it, the minimum with and without the
    outliers, and (L1) the crease lines b = y_i − w·x_i."""
    fig = go.Figure(go.Contour(x=_f32(grid.w), y=_f32(grid.b), z=_f32(np.sqrt(grid.z)), colorscale="Cividis",
                               ncontours=28, line=dict(width=0.5), name=labels["loss"], hoverinfo="skip",
                               colorbar=dict(title=dict(text=labels["colour"], side="right"))))
    # An invisible grid of points on top: hovering shows L(w, b), a click selects one (the start point).
    ww, bb = np.meshgrid(grid.w[::3], grid.b[::3])
    fig.add_trace(go.Scatter(x=_f32(ww.ravel()), y=_f32(bb.ravel()), mode="markers", showlegend=False,
                             customdata=_f32(grid.z[::3, ::3].ravel()), marker=dict(size=14, opacity=0),
                             hovertemplate="w=%{x:.2f}<br>b=%{y:.2f}<br>L=%{customdata:.4f}<extra></extra>"))
    w_lo, w_hi = float(grid.w[0]), float(grid.w[-1])
    for k, (slope, intercept) in enumerate(crease_lines):
        fig.add_trace(go.Scatter(x=[w_lo, w_hi], y=[intercept + slope * w_lo, intercept + slope * w_hi], mode="lines",
                                 line=dict(color="white", width=1, dash="dot"), name=labels["crease"],
                                 legendgroup="crease", showlegend=k == 0, hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=_f32(path.points[:, 0]), y=_f32(path.points[:, 1]), mode="lines+markers",
                             name=labels["path"], line=dict(color=PALETTE[1], width=2.5),
                             marker=dict(size=5, color=PALETTE[1]),
                             hovertemplate="w=%{x:.3f}<br>b=%{y:.3f}<extra></extra>"))
    fig.add_trace(go.Scatter(x=[path.points[0, 0]], y=[path.points[0, 1]], mode="markers", name=labels["start"],
                             marker=dict(size=13, color=PALETTE[1], symbol="circle-open", line=dict(width=3))))
    styles = {"clean": ("x-thin", PALETTE[2]), "outliers": ("star", PALETTE[3])}
    for key, (w, b) in minima.items():
        symbol, colour = styles[key]
        fig.add_trace(go.Scatter(x=[w], y=[b], mode="markers", name=labels[f"min_{key}"],
                                 marker=dict(size=16, color=colour, symbol=symbol, line=dict(width=3, color=colour))))
    fig.update_xaxes(title_text=labels["w"], range=[w_lo, w_hi])
    fig.update_yaxes(title_text=labels["b"], range=[float(grid.b[0]), float(grid.b[-1])])
    fig.update_layout(hovermode="closest", clickmode="event+select", dragmode="pan")
    return _layout(fig, height)


def path_figure(data, fit: dict, path, slice_b, labels: dict, height: int = 380) -> go.Figure:
    """Left: the data and the lines of the path's end and of the minimum. Middle: the loss along the path.
    Right: the loss along b at the minimum's w (a kink at each crease for L1, smooth for MSE)."""
    fig = make_subplots(rows=1, cols=3, horizontal_spacing=0.08,
                        subplot_titles=(labels["data_panel"], labels["path_panel"], labels["slice_panel"]))
    x, y = data
    fig.add_trace(go.Scatter(x=_f32(x), y=_f32(y), mode="markers", name=labels["data"],
                             marker=dict(color=PALETTE[6], size=8)), row=1, col=1)
    xs = np.linspace(float(np.min(x)), float(np.max(x)), 50)
    # the minimum wide and pale underneath, the path's end thin on top: both stay visible when they coincide
    for key, colour, width, opacity in (("min", PALETTE[2], 7, 0.45), ("end", PALETTE[1], 2.5, 1.0)):
        w, b = fit[key]
        fig.add_trace(go.Scatter(x=_f32(xs), y=_f32(labels["model"](w * xs + b)), name=labels[f"fit_{key}"],
                                 opacity=opacity, line=dict(color=colour, width=width)), row=1, col=1)
    fig.add_trace(go.Scatter(x=np.arange(len(path.losses)), y=_f32(path.losses), mode="lines+markers",
                             name=labels["path_loss"], marker=dict(size=4), line=dict(color=PALETTE[1], width=2.5)),
                  row=1, col=2)
    b, z = slice_b
    fig.add_trace(go.Scatter(x=_f32(b), y=_f32(z), name=labels["slice"], line=dict(color=PALETTE[0], width=2.5)),
                  row=1, col=3)
    fig.update_xaxes(title_text="x", row=1, col=1)
    fig.update_yaxes(title_text=labels["data_y"], row=1, col=1)
    fig.update_xaxes(title_text=labels["step"], row=1, col=2)
    fig.update_yaxes(title_text=labels["loss"], row=1, col=2, type="log")   # log: the early drop and the tail both show
    fig.update_xaxes(title_text=labels["b"], row=1, col=3)
    fig.update_yaxes(title_text=labels["loss"], row=1, col=3)
    return _layout(fig, height)

"""Plotly figures built from losses.curves data. Pure functions: testable without Streamlit."""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from losses.curves import CurveData

# Colour-blind-safe (Okabe–Ito); overlays cycle after the page's own series.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
FONT = "Inter, 'Noto Sans CJK SC', 'Noto Sans SC', 'Source Sans Pro', sans-serif"


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


def curve_figure(data: CurveData, labels: dict, show_grad: bool = True,
                 overlays: tuple[tuple[str, CurveData], ...] = (), height: int = 560) -> go.Figure:
    """Loss (top) and autograd gradient (bottom) against the swept input.

    labels: {"x", "loss", "grad", "loss_panel", "grad_panel", "lang"} already in the current language;
    series names are {"en","zh"} dicts resolved with labels["lang"].
    """
    lang = labels["lang"]
    rows = 2 if show_grad else 1
    fig = make_subplots(rows=rows, cols=1, shared_xaxes=True, vertical_spacing=0.1,
                        subplot_titles=(labels["loss_panel"], labels["grad_panel"])[:rows])
    grads, losses = [], []
    entries = [(None, data)] + list(overlays)
    colour = 0
    for prefix, curve in entries:
        for s in curve.series:
            name = s.name.get(lang) or s.name["en"]
            if prefix:
                name = f"{prefix}"
            c = PALETTE[colour % len(PALETTE)]
            colour += 1
            dash = s.dash if prefix is None else "dashdot"
            visible = True if s.visible else "legendonly"
            group = f"g{colour}"
            fig.add_trace(go.Scatter(x=curve.x, y=s.loss, name=name, legendgroup=group, visible=visible,
                                     line=dict(color=c, width=3 if dash == "solid" else 2.5, dash=dash),
                                     hovertemplate="x=%{x:.3f}<br>" + labels["loss"] + "=%{y:.4f}<extra>" + name + "</extra>"),
                          row=1, col=1)
            if s.visible:
                losses.append(s.loss)
            if show_grad:
                fig.add_trace(go.Scatter(x=curve.x, y=s.grad, name=name, legendgroup=group, showlegend=False,
                                         visible=visible, line=dict(color=c, width=2.5, dash=dash),
                                         hovertemplate="x=%{x:.3f}<br>∇=%{y:.4f}<extra>" + name + "</extra>"),
                              row=2, col=1)
                if s.visible:
                    grads.append(s.grad)
            if prefix:
                break  # an overlay shows its main series only
    for x, text in data.markers:
        label = text.get(lang) or text["en"]
        for r in range(1, rows + 1):
            fig.add_vline(x=x, line=dict(color="#888", width=1.5, dash="dot"), row=r, col=1)
        fig.add_annotation(x=x, y=1.0, yref="y domain", text=label, showarrow=False, yanchor="bottom",
                           font=dict(size=13, color="#555"), row=1, col=1)
    fig.update_yaxes(title_text=labels["loss"], row=1, col=1, range=_robust_range(losses), zeroline=True)
    if show_grad:
        fig.update_yaxes(title_text=labels["grad"], row=2, col=1, range=_robust_range(grads), zeroline=True)
    fig.update_xaxes(title_text=labels["x"], row=rows, col=1)
    fig.update_xaxes(showspikes=True, spikemode="across", spikethickness=1)
    fig.update_layout(height=height if show_grad else int(height * 0.6), hovermode="x unified",
                      font=dict(family=FONT, size=15), margin=dict(l=60, r=20, t=50, b=50),
                      legend=dict(orientation="h", yanchor="bottom", y=1.06, x=0),
                      template="plotly_white", uirevision="keep")
    return fig


def bar_figure(values: np.ndarray, labels: dict, title: str, height: int = 280) -> go.Figure:
    """Elementwise losses as bars, each labelled with its share of the sum (the reduction inspector)."""
    flat = np.asarray(values, dtype=float).ravel()
    total = flat.sum()
    share = flat / total * 100 if total else np.zeros_like(flat)
    fig = go.Figure(go.Bar(x=[str(i) for i in range(flat.size)], y=flat, marker_color=PALETTE[0],
                           text=[f"{s:.1f}%" for s in share], textposition="outside",
                           hovertemplate=labels["element"] + " %{x}: %{y:.4f}<extra></extra>"))
    fig.update_layout(title=title, height=height, template="plotly_white", font=dict(family=FONT, size=14),
                      margin=dict(l=50, r=20, t=50, b=40), xaxis_title=labels["element"],
                      yaxis_title=labels["loss"])
    return fig

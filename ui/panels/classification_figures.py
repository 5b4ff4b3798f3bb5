"""Plotly figures for the classification panels (their numbers: losses/classification_sweeps.py). No Streamlit.

Every number comes from torch (losses and autograd gradients); labels arrive already translated.
Generic builders (prob_bars_figure, heatmap_row_figure) take plain arrays, so other families can reuse them.
"""
from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ui.figure_skeleton import patched
from ui.figures import FONT, PALETTE, white_template

BLUE, ORANGE, GREEN, PINK, YELLOW, SKY, BLACK = PALETTE
GREY = "#9A9A9A"


def _style(fig: go.Figure, height: int, legend: bool = True) -> go.Figure:
    white_template(fig)
    fig.update_layout(height=height, font=dict(family=FONT, size=14),
                      margin=dict(l=60, r=20, t=60, b=50), hovermode="x unified",
                      legend=dict(orientation="h", yanchor="bottom", y=1.04, x=0) if legend else None,
                      showlegend=legend)
    return fig


# ---- BCELoss(sigmoid(x)) versus BCEWithLogitsLoss(x) in float32 -------------------------------------------


def saturation_figure(data: dict, labels: dict, z_mark: float | None = None) -> go.Figure:
    """labels: x, loss, grad, bce, logits, rounds, breaks (translated)."""
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.1,
                        subplot_titles=(labels["loss"], labels["grad"]))
    z = data["z"]
    for row, suffix in ((1, ""), (2, "_grad")):
        fig.add_trace(go.Scatter(x=z, y=data["logits" + suffix], name=labels["logits"], legendgroup="l",
                                 showlegend=row == 1, line=dict(color=BLUE, width=4)), row=row, col=1)
        fig.add_trace(go.Scatter(x=z, y=data["bce" + suffix], name=labels["bce"], legendgroup="b",
                                 showlegend=row == 1, line=dict(color=ORANGE, width=2.5, dash="dash")), row=row, col=1)
    guides = []   # (x, text); guides closer than 1 on the x-axis share one line and one label
    for x, text in ((data["rounds_at"], labels["rounds"]), (data["grad_breaks_at"], labels["breaks"])):
        if x is None:
            continue
        if guides and abs(guides[-1][0] - x) < 1.0:
            guides[-1] = (guides[-1][0], guides[-1][1] + "<br>" + text)
        else:
            guides.append((x, text))
    for k, (x, text) in enumerate(guides):
        for row in (1, 2):
            fig.add_vline(x=x, line=dict(color=GREY, width=1.5, dash="dot"), row=row, col=1)
        fig.add_annotation(x=x, y=0.97 - 0.2 * k, yref="y domain", text=text, showarrow=False, align="left",
                           xanchor="right" if x > 0 else "left", xshift=-6 if x > 0 else 6, yanchor="top",
                           bgcolor="rgba(255,255,255,0.85)", font=dict(size=12, color="#555"), row=1, col=1)
    if z_mark is not None:
        for row in (1, 2):
            fig.add_vline(x=z_mark, line=dict(color=BLACK, width=1), row=row, col=1)
    fig.update_xaxes(title_text=labels["x"], row=2, col=1)
    fig.update_yaxes(zeroline=True)
    return _style(fig, 560)


# ---- pos_weight and recall ---------------------------------------------------------------------------------


def pos_weight_figure(fit: dict, chosen: float, labels: dict) -> go.Figure:
    """labels: x, y, recall, precision, chosen (translated)."""
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=fit["pos_weight"], y=fit["recall"], name=labels["recall"], mode="lines+markers",
                             line=dict(color=BLUE, width=3)))
    fig.add_trace(go.Scatter(x=fit["pos_weight"], y=fit["precision"], name=labels["precision"], mode="lines+markers",
                             line=dict(color=ORANGE, width=3, dash="dash")))
    fig.add_vline(x=chosen, line=dict(color=BLACK, width=1.5, dash="dot"))
    fig.add_annotation(x=math.log10(chosen), y=1.02, yref="y", text=labels["chosen"], showarrow=False,
                       yanchor="bottom", font=dict(size=12))
    fig.update_xaxes(type="log", title_text=labels["x"])
    fig.update_yaxes(range=[0, 1.1], title_text=labels["y"])
    fig = _style(fig, 380)
    fig.update_layout(margin=dict(l=60, r=20, t=60, b=50), hovermode="closest")
    return fig


# ---- probability bars (generic: any two or more distributions over the same classes) ----------------------

def prob_bars_figure(distributions: list[tuple[str, np.ndarray]], labels: dict, class_names=None,
                     height: int = 320) -> dict:
    """Grouped bars, one group per class, one colour per distribution. labels: x, y, title. A JSON-ready
    dict, its shape built once per names and sizes (ui/figure_skeleton.py)."""
    n = len(distributions[0][1])
    names = tuple(class_names) if class_names is not None else tuple(str(c) for c in range(n))
    values = [np.asarray(v, dtype=float) for _, v in distributions]
    top = max(1.0, max(float(np.max(v)) for v in values))
    shape = (tuple(name for name, _ in distributions), names, tuple(labels.items()), height)
    return patched(_prob_bars_shape, shape, [{"y": v, "text": [f"{a:.3f}" for a in v]} for v in values],
                   {"yaxis": {"range": [min(0.0, min(float(np.min(v)) for v in values)) * 1.15, top * 1.18]}})


def _prob_bars_shape(series: tuple, names: tuple, labels: tuple, height: int) -> go.Figure:
    colours = (BLUE, ORANGE, GREEN, PINK)
    labels = dict(labels)
    fig = go.Figure()
    for k, name in enumerate(series):
        fig.add_trace(go.Bar(x=list(names), y=np.zeros(len(names)), name=name, marker_color=colours[k % len(colours)],
                             text=[""] * len(names), textposition="outside"))
    fig.update_layout(barmode="group", title=labels.get("title", ""), xaxis_title=labels["x"], yaxis_title=labels["y"])
    fig.update_yaxes(range=[0.0, 1.0])  # the numbers' range is patched in
    fig = _style(fig, height)
    fig.update_layout(hovermode="closest", margin=dict(l=60, r=20, t=80, b=50))
    return fig


# ---- the extra-softmax mistake ---------------------------------------------------------------------------


def grad_bars_figure(pairs: list[tuple[str, np.ndarray]], labels: dict) -> dict:
    """Gradient entries of several computations side by side (flattened). labels: x, y, title. A JSON-ready
    dict, its shape built once per names and size (ui/figure_skeleton.py)."""
    flats = [np.asarray(g, dtype=float).ravel() for _, g in pairs]
    return patched(_grad_bars_shape, (tuple(name for name, _ in pairs), flats[0].size, tuple(labels.items())),
                   [{"y": f} for f in flats])


def _grad_bars_shape(series: tuple, size: int, labels: tuple) -> go.Figure:
    labels = dict(labels)
    fig = go.Figure()
    for k, name in enumerate(series):
        fig.add_trace(go.Bar(x=[str(i) for i in range(size)], y=np.zeros(size), name=name,
                             marker_color=(BLUE, ORANGE, GREEN)[k % 3],
                             hovertemplate="%{x}: %{y:.3g}<extra>" + name + "</extra>"))
    fig.update_layout(barmode="group", title=labels.get("title", ""), xaxis_title=labels["x"], yaxis_title=labels["y"])
    fig = _style(fig, 320)
    fig.update_layout(hovermode="closest", margin=dict(l=60, r=20, t=80, b=50))
    return fig


# ---- per-pixel heat maps (segmentation: an index map, not one-hot) ----------------------------------------

def heatmap_row_figure(maps: list[dict], height: int = 360) -> dict:
    """Several H×W maps side by side. Each dict: z (H, W), title, text (H, W strings), colorscale,
    optionally zmin/zmax and showscale. Row 0 is drawn at the top, like an image. A JSON-ready dict, its
    shape (subplots, scales, titles) built once per sizes and titles (ui/figure_skeleton.py)."""
    shape = tuple((m["title"], m["colorscale"], m.get("zmin"), m.get("zmax"), m.get("showscale", False),
                   *np.shape(m["z"])) for m in maps)
    return patched(_heatmap_row_shape, (shape, height),
                   [{"z": np.asarray(m["z"], dtype=float), "text": m["text"]} for m in maps])


def _heatmap_row_shape(shape: tuple, height: int) -> go.Figure:
    maps = [dict(z=np.zeros((h, w)), text=[[""] * w for _ in range(h)], title=title, colorscale=scale, zmin=zmin,
                 zmax=zmax, showscale=showscale) for title, scale, zmin, zmax, showscale, h, w in shape]
    return heatmap_row_go(maps, height)


def heatmap_row_go(maps: list[dict], height: int = 360) -> go.Figure:
    """heatmap_row_figure's maps as a go.Figure, built in full (what its skeleton is made of)."""
    fig = make_subplots(rows=1, cols=len(maps), subplot_titles=[m["title"] for m in maps], horizontal_spacing=0.06)
    for k, m in enumerate(maps, start=1):
        z = np.asarray(m["z"], dtype=float)
        fig.add_trace(go.Heatmap(z=z, text=m["text"], texttemplate="%{text}", textfont=dict(size=15),
                                 colorscale=m["colorscale"], zmin=m.get("zmin"), zmax=m.get("zmax"),
                                 showscale=m.get("showscale", False), xgap=2, ygap=2,
                                 colorbar=dict(len=0.8, thickness=12) if m.get("showscale") else None,
                                 hovertemplate="row %{y}, col %{x}: %{text}<extra></extra>"), row=1, col=k)
        fig.update_yaxes(autorange="reversed", scaleanchor=f"x{k if k > 1 else ''}", row=1, col=k,
                         showgrid=False, zeroline=False, tickmode="linear", dtick=1)
        fig.update_xaxes(showgrid=False, zeroline=False, tickmode="linear", dtick=1, row=1, col=k)
    white_template(fig)
    fig.update_layout(height=height, font=dict(family=FONT, size=14),
                      margin=dict(l=30, r=30, t=60, b=30))
    return fig


def class_colorscale(C: int) -> list:
    """Discrete colours for class indices 0..C−1 (heat map z = class index)."""
    colours = [PALETTE[c % len(PALETTE)] for c in range(C)]
    if C == 1:
        return [[0, colours[0]], [1, colours[0]]]
    scale = []
    for c, col in enumerate(colours):
        scale += [[c / C, col], [(c + 1) / C, col]]
    return scale


def pixel_maps(target: np.ndarray, logits: np.ndarray, loss: np.ndarray, ignore_index: int, titles: dict,
               prob_target: bool = False) -> dict:
    """One sample: target map (indices), predicted class (argmax), per-pixel loss ('none'). target (H, W)
    of indices, or (C, H, W) probabilities; logits (C, H, W); loss (H, W)."""
    C = logits.shape[0]
    pred = logits.argmax(axis=0)
    if prob_target:
        t_idx = target.argmax(axis=0)
        t_text = [[f"{t_idx[i, j]} ({target[t_idx[i, j], i, j]:.2f})" for j in range(t_idx.shape[1])]
                  for i in range(t_idx.shape[0])]
        t_z, ignored = t_idx.astype(float), np.zeros(t_idx.shape, bool)
    else:
        ignored = target == ignore_index
        t_z = np.where(ignored, np.nan, target).astype(float)
        t_text = [[titles["ignored"] if ignored[i, j] else str(int(target[i, j])) for j in range(target.shape[1])]
                  for i in range(target.shape[0])]
    p_text = [[str(int(v)) for v in row] for row in pred]
    l_text = [[titles["ignored"] if ignored[i, j] else f"{loss[i, j]:.3f}" for j in range(loss.shape[1])]
              for i in range(loss.shape[0])]
    scale = class_colorscale(C)
    maps = [dict(z=t_z, text=t_text, title=titles["target"], colorscale=scale, zmin=-0.5, zmax=C - 0.5),
            dict(z=pred.astype(float), text=p_text, title=titles["pred"], colorscale=scale, zmin=-0.5, zmax=C - 0.5),
            dict(z=np.where(ignored, np.nan, loss), text=l_text, title=titles["loss"], colorscale="Reds", zmin=0.0,
                 showscale=True)]
    return heatmap_row_figure(maps)


# ---- focal loss: loss and modulating factor for several γ, against CE -----------------------------------


def focal_figure(data: dict, current: float, labels: dict) -> go.Figure:
    """labels: x, loss, factor, ce, fl (with {g}), current (with {g}) — translated."""
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.1, subplot_titles=(labels["loss"], labels["factor"]))
    fig.add_trace(go.Scatter(x=data["p_t"], y=data["ce"], name=labels["ce"], legendgroup="ce",
                             line=dict(color=BLACK, width=3)), row=1, col=1)
    fig.add_trace(go.Scatter(x=data["p_t"], y=np.ones_like(data["p_t"]), name=labels["ce"], legendgroup="ce",
                             showlegend=False, line=dict(color=BLACK, width=3)), row=1, col=2)
    colours = (SKY, GREEN, ORANGE, PINK, YELLOW)
    k = 0
    for g in sorted(data["fl"]):
        mine = abs(g - current) < 1e-9
        name = labels["current"].format(g=f"{g:g}") if mine else labels["fl"].format(g=f"{g:g}")
        style = dict(color=BLUE, width=4) if mine else dict(color=colours[k % len(colours)], width=2.5, dash="dash")
        k += 0 if mine else 1
        fig.add_trace(go.Scatter(x=data["p_t"], y=data["fl"][g], name=name, legendgroup=name, line=style), row=1, col=1)
        fig.add_trace(go.Scatter(x=data["p_t"], y=data["factor"][g], name=name, legendgroup=name, showlegend=False,
                                 line=style), row=1, col=2)
    fig.update_xaxes(title_text=labels["x"], range=[0, 1])
    fig.update_yaxes(range=[0, 5], row=1, col=1)
    fig.update_yaxes(range=[0, 1.05], row=1, col=2)
    fig = _style(fig, 470)
    fig.update_layout(margin=dict(l=60, r=20, t=110, b=50), legend=dict(orientation="h", yanchor="bottom", y=1.12, x=0))
    return fig

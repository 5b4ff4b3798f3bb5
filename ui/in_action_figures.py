"""Figures of the "Loss in action" page. Pure functions of the training results (losses/training.py) and
already-translated labels: testable without a running Streamlit app."""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from losses.training import BlobData, ClassifierFit, EmbeddingFit, LineData, LineFit

from .figures import FONT, PALETTE, white_template

# One colour and dash per loss, the same in every figure of a demo.
STYLE = {
    "mse": (PALETTE[1], "solid"), "l1": (PALETTE[2], "solid"), "smooth_l1": (PALETTE[3], "dash"),
    "huber": (PALETTE[0], "dot"),
    "bce": ("#000000", "solid"), "bce_pos_weight": (PALETTE[0], "solid"), "focal": (PALETTE[2], "dash"),
}
CLASS_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "star")
GREY = "#9a9a9a"


def _layout(fig: go.Figure, height: int, **kw) -> go.Figure:
    kw.setdefault("margin", dict(l=55, r=20, t=60, b=50))
    white_template(fig)
    fig.update_layout(height=height, font=dict(family=FONT, size=14), **kw)
    return fig


def _legend_top() -> dict:
    return dict(orientation="h", yanchor="bottom", y=1.02, x=0)


# ---------------------------------------------------------------------------------------------------
# Outliers
# ---------------------------------------------------------------------------------------------------

def line_figure(data: LineData, fits: dict[str, LineFit], names: dict[str, str], labels: dict,
                height: int = 460) -> go.Figure:
    """The data (outliers marked), the true line and each loss's fitted line.
    labels: inliers, outliers, true_line, x, y, title."""
    fig = go.Figure()
    ok = ~data.outlier
    fig.add_trace(go.Scatter(x=data.x[ok], y=data.y[ok], mode="markers", name=labels["inliers"],
                             marker=dict(color=GREY, size=7, opacity=0.8)))
    if data.outlier.any():
        fig.add_trace(go.Scatter(x=data.x[data.outlier], y=data.y[data.outlier], mode="markers",
                                 name=labels["outliers"], marker=dict(color="#444", size=9, symbol="x")))
    xs = np.array([data.x.min(), data.x.max()])
    fig.add_trace(go.Scatter(x=xs, y=data.w_true * xs + data.b_true, mode="lines", name=labels["true_line"],
                             line=dict(color="#000", width=2, dash="longdash")))
    for name, fit in fits.items():
        colour, dash = STYLE[name]
        fig.add_trace(go.Scatter(
            x=xs, y=fit.w * xs + fit.b, mode="lines", name=names[name], line=dict(color=colour, width=3, dash=dash),
            hovertemplate=f"w={fit.w:.3f}, b={fit.b:.3f}<extra>{names[name]}</extra>"))
    inl = data.y[ok]
    pad = 0.15 * max(float(np.ptp(data.y)), 1.0)
    fig.update_yaxes(title_text=labels["y"], range=[float(min(data.y.min(), inl.min())) - pad,
                                                     float(data.y.max()) + pad])
    fig.update_xaxes(title_text=labels["x"])
    return _layout(fig, height, title=labels["title"], legend=dict(x=1.02, y=1, yanchor="top"),
                   hovermode="closest")


def line_training_figure(fits: dict[str, LineFit], names: dict[str, str], labels: dict,
                         height: int = 380) -> go.Figure:
    """Left: each loss over the steps (log scale: the losses live on different scales). Right: the
    distance of (w, b) from the true (w*, b*) over the steps.  labels: loss_title, error_title, step, loss, error."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=(labels["loss_title"], labels["error_title"]),
                        horizontal_spacing=0.1)
    for name, fit in fits.items():
        colour, dash = STYLE[name]
        steps = np.arange(len(fit.losses))
        fig.add_trace(go.Scatter(x=steps, y=np.maximum(fit.losses, 1e-8), mode="lines", name=names[name],
                                 legendgroup=name, line=dict(color=colour, width=2.5, dash=dash)), row=1, col=1)
        fig.add_trace(go.Scatter(x=np.arange(len(fit.param_error)), y=fit.param_error, mode="lines",
                                 name=names[name], legendgroup=name, showlegend=False,
                                 line=dict(color=colour, width=2.5, dash=dash)), row=1, col=2)
    fig.update_yaxes(type="log", dtick="D2", title_text=labels["loss"], row=1, col=1)
    fig.update_yaxes(title_text=labels["error"], rangemode="tozero", row=1, col=2)
    fig.update_xaxes(title_text=labels["step"])
    return _layout(fig, height, legend=dict(orientation="h", yanchor="top", y=-0.2, x=0), hovermode="x unified")


def error_bar_figure(fits: dict[str, LineFit], names: dict[str, str], labels: dict, height: int = 300) -> go.Figure:
    """Final distance from the true line, one bar per loss.  labels: title."""
    order = list(fits)
    values = [fits[n].final_error for n in order]
    fig = go.Figure(go.Bar(x=[names[n] for n in order], y=values, marker_color=[STYLE[n][0] for n in order],
                           text=[f"{v:.3f}" for v in values], textposition="outside", cliponaxis=False,
                           hovertemplate="%{x}: %{y:.4f}<extra></extra>"))
    fig.update_yaxes(rangemode="tozero")
    return _layout(fig, height, title=labels["title"], showlegend=False)


# ---------------------------------------------------------------------------------------------------
# Class imbalance
# ---------------------------------------------------------------------------------------------------

def boundary_figure(data: BlobData, fits: dict[str, ClassifierFit], names: dict[str, str], labels: dict,
                    height: int = 430) -> go.Figure:
    """One panel per loss: P(positive) as a background, the 0.5 decision boundary as a line, and the
    training points.  labels: negatives, positives, prob, boundary."""
    order = list(fits)
    fig = make_subplots(rows=1, cols=len(order), subplot_titles=[names[n] for n in order],
                        horizontal_spacing=0.04, shared_yaxes=True)
    neg = data.y_train == 0
    # float32 halves the JSON sent on each new setting (probabilities are shown to 2 decimals, points not hovered).
    pts = np.asarray(data.x_train, dtype=np.float32)
    for i, name in enumerate(order, start=1):
        fit = fits[name]
        prob = np.asarray(fit.grid_prob, dtype=np.float32)
        fig.add_trace(go.Heatmap(x=fit.grid_x, y=fit.grid_y, z=prob, zmin=0, zmax=1,
                                 colorscale=[[0, "#ffffff"], [1, "#f0c75e"]], showscale=i == 1,
                                 colorbar=dict(title=dict(text=labels["prob"], side="right"), len=0.8, x=1.01,
                                               thickness=12),
                                 hovertemplate="x₁=%{x:.2f}<br>x₂=%{y:.2f}<br>" + labels["prob"] + "=%{z:.2f}"
                                               "<extra>" + names[name] + "</extra>"), row=1, col=i)
        fig.add_trace(go.Contour(x=fit.grid_x, y=fit.grid_y, z=prob, showscale=False,
                                 contours=dict(start=0.5, end=0.5, size=1, coloring="lines"),
                                 colorscale=[[0, STYLE[name][0]], [1, STYLE[name][0]]], line=dict(width=3),
                                 name=labels["boundary"], showlegend=i == 1, hoverinfo="skip"), row=1, col=i)
        fig.add_trace(go.Scatter(x=pts[neg, 0], y=pts[neg, 1], mode="markers",
                                 name=labels["negatives"], legendgroup="neg", showlegend=i == 1,
                                 marker=dict(color=GREY, size=4, opacity=0.6), hoverinfo="skip"), row=1, col=i)
        fig.add_trace(go.Scatter(x=pts[~neg, 0], y=pts[~neg, 1], mode="markers",
                                 name=labels["positives"], legendgroup="pos", showlegend=i == 1,
                                 marker=dict(color="#D55E00", size=8, symbol="diamond",
                                             line=dict(color="#fff", width=1)), hoverinfo="skip"), row=1, col=i)
        fig.update_xaxes(range=[fit.grid_x[0], fit.grid_x[-1]], constrain="domain", title_text="x₁", row=1, col=i)
        fig.update_yaxes(range=[fit.grid_y[0], fit.grid_y[-1]], row=1, col=i)
    fig.update_yaxes(title_text="x₂", row=1, col=1)
    return _layout(fig, height, legend=dict(orientation="h", yanchor="top", y=-0.18, x=0), hovermode="closest")


def scores_figure(fits: dict[str, ClassifierFit], names: dict[str, str], labels: dict, height: int = 340) -> go.Figure:
    """Held-out precision, recall and F1 per loss, grouped.  labels: title, precision, recall, f1."""
    order = list(fits)
    fig = go.Figure()
    for metric, colour in (("precision", "#56B4E9"), ("recall", "#D55E00"), ("f1", "#009E73")):
        vals = [getattr(fits[n].test, metric) for n in order]
        fig.add_trace(go.Bar(x=[names[n] for n in order], y=vals, name=labels[metric], marker_color=colour,
                             text=[f"{v:.2f}" for v in vals], textposition="outside", cliponaxis=False,
                             hovertemplate="%{x}<br>" + labels[metric] + "=%{y:.3f}<extra></extra>"))
    fig.update_yaxes(range=[0, 1.12])
    return _layout(fig, height, title=labels["title"], barmode="group", legend=_legend_top())


def loss_curves_figure(curves: dict[str, np.ndarray], names: dict[str, str], labels: dict,
                       height: int = 320) -> go.Figure:
    """Training loss of each model over the steps, log scale.  labels: title, step, loss."""
    fig = go.Figure()
    for name, values in curves.items():
        colour, dash = STYLE[name]
        fig.add_trace(go.Scatter(x=np.arange(len(values)), y=np.maximum(values, 1e-8), mode="lines",
                                 name=names[name], line=dict(color=colour, width=2.5, dash=dash)))
    fig.update_yaxes(type="log", dtick="D2", title_text=labels["loss"])
    fig.update_xaxes(title_text=labels["step"])
    return _layout(fig, height, title=labels["title"], legend=dict(orientation="h", yanchor="top", y=-0.25, x=0),
                   hovermode="x unified")


# ---------------------------------------------------------------------------------------------------
# Embeddings
# ---------------------------------------------------------------------------------------------------

def _embedding_range(fit: EmbeddingFit) -> tuple[list[float], list[float]]:
    pts = fit.snapshots.reshape(-1, 2)
    lo, hi = pts.min(0), pts.max(0)
    centre, half = (lo + hi) / 2, float((hi - lo).max()) / 2 * 1.08 + 1e-6
    return [centre[0] - half, centre[0] + half], [centre[1] - half, centre[1] + half]


def _class_traces(emb: np.ndarray, y: np.ndarray, class_names: list[str]) -> list[go.Scatter]:
    traces = []
    for c, cname in enumerate(class_names):
        m = y == c
        traces.append(go.Scatter(x=emb[m, 0], y=emb[m, 1], mode="markers", name=cname,
                                 marker=dict(color=PALETTE[c % len(PALETTE)], size=8, opacity=0.85,
                                             symbol=CLASS_SYMBOLS[c % len(CLASS_SYMBOLS)],
                                             line=dict(color="#fff", width=0.5)),
                                 hovertemplate=cname + "<br>(%{x:.2f}, %{y:.2f})<extra></extra>"))
    return traces


def embedding_figure(fit: EmbeddingFit, index: int, labels: dict, height: int = 540) -> go.Figure:
    """The held-out embedding at one snapshot (0: before training), on the square axes of the whole run, so
    that before and after are drawn to the same scale.  labels: title, classes (list of names)."""
    xr, yr = _embedding_range(fit)
    fig = go.Figure(_class_traces(fit.snapshots[index], fit.y, labels["classes"]))
    fig.update_xaxes(range=xr, zeroline=False)
    fig.update_yaxes(range=yr, zeroline=False, scaleanchor="x", scaleratio=1)
    # The bottom margin leaves room for the animation's controls, so both figures line up side by side.
    return _layout(fig, height, title=labels["title"], legend=_legend_top(), hovermode="closest",
                   margin=dict(l=55, r=20, t=80, b=120))


def embedding_animation(fit: EmbeddingFit, labels: dict, height: int = 540) -> go.Figure:
    """All snapshots as Plotly frames: a play button and a step slider that run in the browser
    (no Streamlit rerun). Starts on the last snapshot (after training).
    labels: title, classes, play, pause, step."""
    last = len(fit.snapshots) - 1
    fig = embedding_figure(fit, last, labels, height)
    masks = [fit.y == c for c in range(len(labels["classes"]))]
    # Frames carry only the coordinates (styles stay those of the traces): smaller and faster to build.
    fig.frames = [go.Frame(data=[go.Scatter(x=s[m, 0], y=s[m, 1]) for m in masks], traces=list(range(len(masks))),
                           name=str(int(step))) for s, step in zip(fit.snapshots, fit.snapshot_steps)]
    still = dict(frame=dict(duration=0, redraw=False), mode="immediate", transition=dict(duration=0))
    fig.update_layout(
        updatemenus=[dict(type="buttons", direction="left", x=0, y=-0.2, xanchor="left", yanchor="top",
                          showactive=False, pad=dict(r=6, t=0),
                          buttons=[dict(label=labels["play"], method="animate",
                                        args=[None, dict(frame=dict(duration=180, redraw=False), fromcurrent=False,
                                                         transition=dict(duration=120), mode="immediate")]),
                                   dict(label=labels["pause"], method="animate", args=[[None], still])])],
        sliders=[dict(active=last, x=0.3, len=0.7, y=-0.12, yanchor="top", pad=dict(t=0, b=0),
                      currentvalue=dict(prefix=labels["step"] + " ", font=dict(size=13), offset=8),
                      steps=[dict(label=str(int(step)), method="animate", args=[[str(int(step))], still])
                             for step in fit.snapshot_steps])])
    return fig


def embedding_progress_figure(fit: EmbeddingFit, labels: dict, height: int = 340) -> go.Figure:
    """Left: the training loss (mined triplets) per step and the held-out loss (fixed random triplets) per
    snapshot. Right: held-out k-NN accuracy per snapshot.  labels: loss_title, acc_title, train_loss,
    heldout_loss, knn, step, loss, accuracy, chance."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=(labels["loss_title"], labels["acc_title"]),
                        horizontal_spacing=0.1)
    fig.add_trace(go.Scatter(x=np.arange(len(fit.losses)), y=fit.losses, mode="lines", name=labels["train_loss"],
                             line=dict(color=PALETTE[4], width=1.5)), row=1, col=1)
    fig.add_trace(go.Scatter(x=fit.snapshot_steps, y=fit.eval_loss, mode="lines+markers", name=labels["heldout_loss"],
                             line=dict(color=PALETTE[0], width=3)), row=1, col=1)
    fig.add_trace(go.Scatter(x=fit.snapshot_steps, y=fit.knn, mode="lines+markers", name=labels["knn"],
                             line=dict(color=PALETTE[2], width=3)), row=1, col=2)
    chance = 1.0 / (int(fit.y.max()) + 1)
    fig.add_hline(y=chance, line=dict(color=GREY, dash="dot"), annotation_text=labels["chance"],
                  annotation_position="bottom right", row=1, col=2)
    fig.update_yaxes(title_text=labels["loss"], rangemode="tozero", row=1, col=1)
    fig.update_yaxes(title_text=labels["accuracy"], range=[0, 1.05], row=1, col=2)
    fig.update_xaxes(title_text=labels["step"])
    return _layout(fig, height, legend=dict(orientation="h", yanchor="top", y=-0.22, x=0), hovermode="x unified")

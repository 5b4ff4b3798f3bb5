"""The theory page's figures: pure builders (testable without Streamlit), p and q as sequences of floats."""
from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from losses import theory as th

from .figures import FONT, PALETTE, white_template


def _layout(fig: go.Figure, height: int, title: str = "") -> go.Figure:
    white_template(fig)
    fig.update_layout(height=height, font=dict(family=FONT, size=15),
                      margin=dict(l=60, r=20, t=60 if title else 30, b=50), title=title or None,
                      legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0), uirevision="keep")
    return fig


def distributions_figure(p, q, labels: dict, height: int = 380) -> go.Figure:
    """p and q as grouped bars, each bar labelled with its probability and information content."""
    k = len(p)
    xs = [f"x{i + 1}" for i in range(k)]
    fig = go.Figure()
    for name, dist, colour in ((labels["p"], p, PALETTE[0]), (labels["q"], q, PALETTE[1])):
        info = th.information(dist, labels["base"])
        text = [f"{v:.2f}<br>{'∞' if math.isinf(i) else f'{i:.2f}'} {labels['unit']}" for v, i in zip(dist, info)]
        fig.add_trace(go.Bar(x=xs, y=dist, name=name, marker_color=colour, text=text, textposition="outside",
                             hovertemplate="%{x}: %{y:.4f}<extra>" + name + "</extra>"))
    fig.update_yaxes(title_text=labels["prob"], range=[0, 1.18])
    fig.update_xaxes(title_text=labels["outcome"])
    fig.update_layout(barmode="group")
    return _layout(fig, height)


def information_figure(p, labels: dict, height: int = 320) -> go.Figure:
    """−log p against p, with the outcomes of p marked on the curve."""
    grid = np.linspace(0.005, 1.0, 400)
    fig = go.Figure(go.Scatter(x=grid, y=th.information(grid, labels["base"]), name=labels["curve"],
                               line=dict(color=PALETTE[0], width=3),
                               hovertemplate="p=%{x:.3f}<br>−log p=%{y:.3f}<extra></extra>"))
    pts = np.asarray(p)
    keep = pts > 0
    fig.add_trace(go.Scatter(x=pts[keep], y=th.information(pts[keep], labels["base"]), mode="markers+text",
                             text=[f"x{i + 1}" for i in np.flatnonzero(keep)], textposition="top right",
                             marker=dict(size=12, color=PALETTE[1]), name=labels["p"]))
    fig.update_xaxes(title_text=labels["prob"], range=[0, 1.02])
    fig.update_yaxes(title_text=labels["info"], range=[0, float(th.information(0.005, labels["base"])) * 0.75])
    return _layout(fig, height)


def identity_figure(values: dict, labels: dict, height: int = 260) -> go.Figure:
    """H(p,q) as one bar, next to H(p) stacked with KL(p‖q): the two have the same height."""
    fig = go.Figure()
    fig.add_trace(go.Bar(y=[labels["pq"]], x=[values["H_pq"]], orientation="h", name=labels["pq"],
                         marker_color=PALETTE[3], text=[f"{values['H_pq']:.4f}"], textposition="inside"))
    fig.add_trace(go.Bar(y=[labels["sum"]], x=[values["H_p"]], orientation="h", name=labels["hp"],
                         marker_color=PALETTE[0], text=[f"{values['H_p']:.4f}"], textposition="inside"))
    fig.add_trace(go.Bar(y=[labels["sum"]], x=[values["KL_pq"]], orientation="h", name=labels["kl"],
                         marker_color=PALETTE[1], text=[f"{values['KL_pq']:.4f}"], textposition="inside"))
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title_text=labels["unit"])
    return _layout(fig, height)


def kl_terms_figure(p, q, labels: dict, height: int = 340) -> go.Figure:
    """The terms of KL(p‖q) and of KL(q‖p): different terms, different sums."""
    xs = [f"x{i + 1}" for i in range(len(p))]
    fig = go.Figure()
    for name, terms, colour in ((labels["pq"], th.kl_terms(p, q, labels["base"]), PALETTE[0]),
                                (labels["qp"], th.kl_terms(q, p, labels["base"]), PALETTE[1])):
        finite = np.where(np.isfinite(terms), terms, np.nan)
        text = ["∞" if np.isinf(v) else f"{v:.3f}" for v in terms]
        fig.add_trace(go.Bar(x=xs, y=finite, name=name, marker_color=colour, text=text, textposition="outside"))
    fig.update_layout(barmode="group")
    fig.update_yaxes(title_text=labels["term"], zeroline=True)
    return _layout(fig, height)


def likelihood_figure(p_hat, q, labels: dict, height: int = 320) -> go.Figure:
    """Cross-entropy H(p̂, q_t) along q_t = (1 − t)·q + t·p̂: it falls to its minimum H(p̂) at t = 1 (q = p̂)."""
    ts = np.linspace(0, 1, 101)
    ce = [th.cross_entropy(p_hat, (1 - t) * np.asarray(q) + t * np.asarray(p_hat), labels["base"]) for t in ts]
    fig = go.Figure(go.Scatter(x=ts, y=ce, name=labels["ce"], line=dict(color=PALETTE[3], width=3)))
    fig.add_hline(y=th.entropy(p_hat, labels["base"]), line=dict(color=PALETTE[0], dash="dash"),
                  annotation_text=labels["hp"], annotation_position="top left")
    fig.update_xaxes(title_text=labels["t"])
    fig.update_yaxes(title_text=labels["unit"])
    return _layout(fig, height)

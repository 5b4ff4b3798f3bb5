"""Plotly figures of the margin family's panels (their numbers: losses/margin_geometry.py).

No Streamlit here, so tests can check every figure directly. Strings come from
content/<lang>/ui/margin.toml through ui.i18n.t(key, lang).
"""
from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from losses.margin_geometry import (cosine_half_angle, cosine_of, margin_band_half_angle, multi_margin_terms,
                                    multilabel_analysis, pnorm_ball, triplet_geometry, view_limit)
from ui.figures import FONT, white_template
from ui.i18n import t

GREEN, RED, GREY, ORANGE, BLUE, PURPLE = "#009E73", "#D55E00", "#999999", "#E69F00", "#0072B2", "#CC79A7"


# =============================================================================================
# Triplet geometry
# =============================================================================================


def _wedge(direction: float, half: float | None, r: float = 9.0, k: int = 121):
    """Polygon of the sector of directions within `half` of `direction`, out to radius r."""
    if half is None:
        th = np.linspace(0, 2 * np.pi, k)
        return r * np.cos(th), r * np.sin(th)
    th = np.linspace(direction - half, direction + half, k)
    return np.r_[0.0, r * np.cos(th), 0.0], np.r_[0.0, r * np.sin(th), 0.0]


def _angle_band(direction: float, inner: float, outer: float | None, r: float = 9.0, k: int = 90):
    """The directions whose angle to `direction` lies between inner and outer (outer None = up to 180°):
    two sectors, one on each side (one piece when they meet behind)."""
    top = np.pi if outer is None else outer
    if top <= inner:
        return []
    if outer is None:
        th = np.linspace(direction + inner, direction + 2 * np.pi - inner, 2 * k)
        return [(np.r_[0.0, r * np.cos(th), 0.0], np.r_[0.0, r * np.sin(th), 0.0])]
    out = []
    for sign in (1, -1):
        th = direction + sign * np.linspace(inner, top, k)
        out.append((np.r_[0.0, r * np.cos(th), 0.0], np.r_[0.0, r * np.sin(th), 0.0]))
    return out


def _annulus(xo, yo, xi, yi):
    """One polygon for the region between two closed curves (outer, then inner reversed)."""
    return np.r_[xo, xi[::-1], xo[:1]], np.r_[yo, yi[::-1], yo[:1]]


def _angle(v) -> float:
    return float(math.atan2(v[1], v[0]))


def _cosine_cones(fig: go.Figure, a, p, n, g: dict, swap: bool, lang: str) -> None:
    """Cosine distance: the margin ring is a cone of directions around the anchor (and the positive, with swap)."""
    ring_name = t("mg_tv_ring", lang)
    inner = cosine_half_angle(g["d_ap"])
    outer = cosine_half_angle(g["radius"])
    for center, colour, name, show in ((a, RED, ring_name, True), (p, PURPLE, t("mg_tv_ring_swap", lang), swap)):
        if not show or not np.any(center):
            continue
        lo = inner if center is a else 0.0
        for k, (bx, by) in enumerate(_angle_band(_angle(center), lo or 0.0, outer)):
            fig.add_trace(go.Scatter(x=bx, y=by, fill="toself", mode="lines", name=name, showlegend=k == 0,
                                     legendgroup=name, line=dict(color=colour, width=1, dash="solid" if center is a else "dot"),
                                     fillcolor=_rgba(colour, 0.14 if center is a else 0.07), hoverinfo="skip"))
    if np.any(a) and inner is not None:
        wx, wy = _wedge(_angle(a), inner)
        fig.add_trace(go.Scatter(x=wx, y=wy, mode="lines", name=t("mg_tv_inner_cos", lang),
                                 line=dict(color=GREEN, width=1.5, dash="dash"), hoverinfo="skip"))
    for v, colour in ((a, BLUE), (p, GREEN), (n, RED)):  # only directions matter: rays from the origin
        if np.any(v):
            u = v / np.linalg.norm(v) * 9.0
            fig.add_trace(go.Scatter(x=[0, u[0]], y=[0, u[1]], mode="lines", showlegend=False, hoverinfo="skip",
                                     line=dict(color=_rgba(colour, 0.35), width=1)))
    fig.add_trace(go.Scatter(x=[0], y=[0], mode="markers+text", text=[t("mg_tv_origin", lang)],
                             textposition="bottom right", marker=dict(symbol="x", size=10, color="#333"),
                             name=t("mg_tv_origin", lang), showlegend=False))


def _pnorm_rings(fig: go.Figure, a, p, g: dict, metric: dict, swap: bool, lang: str) -> None:
    """p-norm distance: the margin ring around the anchor (and the positive, with swap) as a filled annulus."""
    ring_name = t("mg_tv_ring", lang)
    pp, eps = metric["p"], metric["eps"]
    xo, yo = pnorm_ball(a, g["radius"], pp, eps)
    xi, yi = pnorm_ball(a, g["d_ap"], pp, eps)
    rx, ry = _annulus(xo, yo, xi, yi)
    fig.add_trace(go.Scatter(x=rx, y=ry, fill="toself", mode="none", fillcolor=_rgba(RED, 0.14),
                             name=ring_name, hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=xo, y=yo, mode="lines", line=dict(color=RED, width=1.5), showlegend=False,
                             hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=xi, y=yi, mode="lines", name=t("mg_tv_inner", lang),
                             line=dict(color=GREEN, width=1.5, dash="dash"), hoverinfo="skip"))
    if swap:
        sx, sy = pnorm_ball(p, g["radius"], pp, eps)
        fig.add_trace(go.Scatter(x=sx, y=sy, mode="lines", name=t("mg_tv_ring_swap", lang),
                                 line=dict(color=PURPLE, width=1.5, dash="dot"), hoverinfo="skip"))


def _segments_and_points(fig: go.Figure, a, p, n, g: dict, swap: bool, lang: str) -> None:
    """The three distances as segments (their legend entries say which one the loss uses), then the points."""
    seg_state = {"a–n": "mg_tv_used" if not g["uses_pn"] else "mg_tv_unused",
                 "p–n": "mg_tv_used" if g["uses_pn"] else ("mg_tv_unused" if swap else "mg_tv_noswap_short")}
    segs = (("a–p", a, p, g["d_ap"], GREEN, "solid", 3, ""),
            ("a–n", a, n, g["d_an"], RED, "solid" if not g["uses_pn"] else "dot", 3 if not g["uses_pn"] else 1.5,
             t(seg_state["a–n"], lang)),
            ("p–n", p, n, g["d_pn"], PURPLE if swap else GREY, "solid" if g["uses_pn"] else "dot",
             3 if g["uses_pn"] else 1.5, t(seg_state["p–n"], lang)))
    for name, u, v, d, colour, dash, width, note in segs:
        label = f"d({name.replace('–', ', ')}) = {d:.3f}" + (f" ({note})" if note else "")
        fig.add_trace(go.Scatter(x=[u[0], v[0]], y=[u[1], v[1]], mode="lines", name=label,
                                 line=dict(color=colour, dash=dash, width=width), hoverinfo="name"))
    for label, v, colour in (("a", a, BLUE), ("p", p, GREEN), ("n", n, RED)):
        fig.add_trace(go.Scatter(x=[v[0]], y=[v[1]], mode="markers+text", text=[f"<b>{label}</b>"],
                                 textposition="top center", textfont=dict(size=17, color=colour),
                                 marker=dict(size=15, color=colour, line=dict(color="white", width=2)),
                                 showlegend=False,
                                 hovertemplate="(%{x:.2f}, %{y:.2f})<extra>" + t(f"mg_tv_{label}", lang) + "</extra>"))


def triplet_figure(a, p, n, metric: dict, margin: float, swap: bool, loss: float, lang: str,
                   height: int = 700) -> go.Figure:
    """Anchor, positive and negative in 2-D; the margin ring around the anchor; which distance swap uses."""
    g = triplet_geometry(a, p, n, metric, margin, swap)
    a, p, n = (np.asarray(v, dtype=float) for v in (a, p, n))
    fig = go.Figure()
    if metric["kind"] == "cosine":
        _cosine_cones(fig, a, p, n, g, swap, lang)
    else:
        _pnorm_rings(fig, a, p, g, metric, swap, lang)
    _segments_and_points(fig, a, p, n, g, swap, lang)
    title = t("mg_tv_fig_title", lang, loss=f"{loss:.4f}", d_neg=t("mg_tv_pn" if g["uses_pn"] else "mg_tv_an", lang))
    lim = view_limit([a, p, n], a, g["radius"], metric)
    white_template(fig)
    fig.update_layout(title=dict(text=title, font=dict(size=16)), height=height,
                      font=dict(family=FONT, size=14), margin=dict(l=40, r=20, t=50, b=20),
                      legend=dict(orientation="h", yanchor="top", y=-0.06, x=0), uirevision="triplet")
    fig.update_xaxes(range=[-lim, lim], zeroline=True, constrain="domain")
    fig.update_yaxes(range=[-lim, lim], zeroline=True, scaleanchor="x", scaleratio=1)
    return fig


def _rgba(hex_colour: str, alpha: float) -> str:
    h = hex_colour.lstrip("#")
    return f"rgba({int(h[0:2], 16)}, {int(h[2:4], 16)}, {int(h[4:6], 16)}, {alpha})"


# =============================================================================================
# CosineEmbeddingLoss: two 2-D vectors, the angle, the margin as an angle band
# =============================================================================================


def cosine_figure(x1, x2, margin: float, losses: dict, lang: str, height: int = 640) -> go.Figure:
    x1, x2 = np.asarray(x1, dtype=float), np.asarray(x2, dtype=float)
    cos = cosine_of(x1, x2)
    fig = go.Figure()
    th = np.linspace(0, 2 * np.pi, 181)
    fig.add_trace(go.Scatter(x=np.cos(th), y=np.sin(th), mode="lines", line=dict(color="#ddd", width=1),
                             showlegend=False, hoverinfo="skip"))
    if np.any(x1):
        half = margin_band_half_angle(margin)
        if half > 0:
            wx, wy = _wedge(_angle(x1), half if half < np.pi - 1e-9 else None)
            fig.add_trace(go.Scatter(x=wx, y=wy, fill="toself", mode="lines", fillcolor=_rgba(RED, 0.10),
                                     line=dict(color=RED, width=1, dash="dash"), hoverinfo="skip",
                                     name=t("mg_cv_band", lang, deg=f"{math.degrees(half):.1f}")))
    if np.any(x1) and np.any(x2):
        a1, a2 = _angle(x1), _angle(x2)
        diff = (a2 - a1 + np.pi) % (2 * np.pi) - np.pi
        arc = np.linspace(a1, a1 + diff, 60)
        r = 0.45
        fig.add_trace(go.Scatter(x=r * np.cos(arc), y=r * np.sin(arc), mode="lines", showlegend=False,
                                 line=dict(color="#333", width=2), hoverinfo="skip"))
        mid = a1 + diff / 2
        fig.add_annotation(x=0.75 * math.cos(mid), y=0.75 * math.sin(mid), showarrow=False,
                           text=f"θ = {math.degrees(abs(diff)):.1f}°", font=dict(size=14, color="#333"),
                           bgcolor="rgba(255,255,255,0.85)")
    for name, v, colour in (("x₁", x1, BLUE), ("x₂", x2, ORANGE)):
        fig.add_annotation(x=v[0], y=v[1], ax=0, ay=0, xref="x", yref="y", axref="x", ayref="y", text="",
                           showarrow=True, arrowhead=3, arrowsize=1.3, arrowwidth=3, arrowcolor=colour)
        fig.add_trace(go.Scatter(x=[v[0]], y=[v[1]], mode="markers+text", text=[name], textposition="top center",
                                 textfont=dict(size=16, color=colour), marker=dict(size=8, color=colour),
                                 name=name, hovertemplate="(%{x:.2f}, %{y:.2f})<extra>" + name + "</extra>"))
    title = t("mg_cv_fig_title", lang, cos=f"{cos:.4f}", pos=f"{losses[1]:.4f}", neg=f"{losses[-1]:.4f}")
    white_template(fig)
    fig.update_layout(title=dict(text=title, font=dict(size=16)), height=height,
                      font=dict(family=FONT, size=14), margin=dict(l=40, r=20, t=60, b=40),
                      legend=dict(orientation="h", yanchor="top", y=-0.08, x=0), uirevision="cosine")
    lim = max(2.2, float(np.abs(np.r_[x1, x2]).max()) * 1.15)
    fig.update_xaxes(range=[-lim, lim], zeroline=True, constrain="domain")
    fig.update_yaxes(range=[-lim, lim], zeroline=True, scaleanchor="x", scaleratio=1)
    return fig


# =============================================================================================
# MultiMarginLoss: class scores as bars, the margin band over the true class
# =============================================================================================


def multi_margin_figure(scores, target: int, margin: float, p: int, w_y: float, loss: float, lang: str,
                        height: int = 420) -> go.Figure:
    x = np.asarray(scores, dtype=float)
    c = x.size
    terms = multi_margin_terms(x, target, margin, p, w_y)
    colours = [GREEN if i == target else (RED if terms[i] > 0 else GREY) for i in range(c)]
    text = [t("mg_mb_true", lang) if i == target else (f"+{terms[i]:.3f}" if terms[i] > 0 else "0") for i in range(c)]
    fig = go.Figure(go.Bar(x=[str(i) for i in range(c)], y=x, marker_color=colours, text=text, textposition="outside",
                           cliponaxis=False, hovertemplate=t("mg_class", lang) + " %{x}: %{y:.3f}<extra></extra>",
                           showlegend=False))
    top, low = x[target], x[target] - margin
    fig.add_hrect(y0=min(low, top), y1=max(low, top), fillcolor=_rgba(ORANGE, 0.18), line_width=0, layer="below")
    fig.add_hline(y=top, line=dict(color=GREEN, width=2))
    fig.add_hline(y=low, line=dict(color=ORANGE, width=2, dash="dash"),
                  annotation_text=t("mg_mb_line", lang, v=f"{low:.2f}"), annotation_position="bottom right")
    lo = min(0.0, float(x.min()), low) - 0.4
    hi = max(0.0, float(x.max()), top) + 0.5
    white_template(fig)
    fig.update_layout(title=dict(text=t("mg_mb_fig_title", lang, c=c, s=f"{terms.sum():.4f}", loss=f"{loss:.4f}"),
                                 font=dict(size=16)),
                      height=height, font=dict(family=FONT, size=14),
                      margin=dict(l=50, r=20, t=60, b=40), xaxis_title=t("mg_class", lang),
                      yaxis_title=t("mg_score", lang), yaxis_range=[lo, hi], uirevision="bars")
    return fig


# =============================================================================================
# MultiLabelMarginLoss: which entries of y count, which pairs they make
# =============================================================================================


def multilabel_figure(x, y, lang: str, height: int = 430) -> go.Figure:
    """Top: the target row, entry by entry (counted / −1 / ignored). Bottom: the class scores by role."""
    from plotly.subplots import make_subplots
    info = multilabel_analysis(x, y)
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=np.int64)
    c = x.size
    fig = make_subplots(rows=2, cols=1, row_heights=[0.28, 0.72], vertical_spacing=0.16,
                        subplot_titles=(t("mg_ml_row_title", lang), t("mg_ml_scores_title", lang)))
    colour = {"counted": GREEN, "end": "#333333", "ignored": "#cccccc"}
    label = {k: t(f"mg_ml_{k}", lang) for k in colour}
    for k in range(y.size):
        st = info["status"][k]
        fig.add_trace(go.Bar(x=[f"y[{k}]"], y=[1], marker_color=colour[st], text=[f"<b>{int(y[k])}</b><br>{label[st]}"],
                             textposition="inside", insidetextanchor="middle", showlegend=False,
                             textfont=dict(color="white" if st != "ignored" else "#555", size=14),
                             hovertemplate=f"y[{k}] = {int(y[k])}: {label[st]}<extra></extra>"), row=1, col=1)
    roles = [GREEN if i in info["counts"] else GREY for i in range(c)]
    names = [(t("mg_ml_target", lang) + (f" ×{info['counts'][i]}" if info["counts"].get(i, 0) > 1 else ""))
             if i in info["counts"] else t("mg_ml_nontarget", lang) for i in range(c)]
    fig.add_trace(go.Bar(x=[f"{t('mg_class', lang)} {i}" for i in range(c)], y=x, marker_color=roles, text=names,
                         textposition="outside", cliponaxis=False, showlegend=False,
                         hovertemplate="%{x}: %{y:.3f}<extra></extra>"), row=2, col=1)
    fig.update_yaxes(visible=False, row=1, col=1)
    lo, hi = min(0.0, float(x.min())), max(0.0, float(x.max()))
    fig.update_yaxes(title_text=t("mg_score", lang), range=[lo - 0.3 * (hi - lo + 0.5), hi + 0.35 * (hi - lo + 0.5)],
                     row=2, col=1)
    white_template(fig)
    fig.update_layout(height=height, font=dict(family=FONT, size=14), bargap=0.15,
                      margin=dict(l=50, r=20, t=40, b=30), uirevision="multilabel")
    return fig

"""Plotly figures of the CTC trellis explorer (the model: losses/ctc_explorer.py). No Streamlit: tests build
them directly; labels arrive already translated."""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from losses.ctc_explorer import Trellis
from losses.reference import sequence as ref
from ui.figures import FONT, white_template
ORANGE, GREEN, RED, BLUE = "#E69F00", "#009E73", "#D55E00", "#0072B2"
LIGHT_BLUES = [[0.0, "#fbfdff"], [0.5, "#b9d7ee"], [1.0, "#5fa2d6"]]   # light enough for black numbers


def _layout(fig: go.Figure, height: int, title: str) -> None:
    white_template(fig)
    fig.update_layout(title=dict(text=title, x=0, xanchor="left", font=dict(size=16)), height=height,
                      font=dict(family=FONT, size=13),
                      margin=dict(l=70, r=20, t=80, b=50), uirevision="keep")


def _row_ticks(ext: np.ndarray, sym: list[str]) -> tuple[list[int], list[str]]:
    return list(range(1, ext.size + 1)), [f"{s + 1}  {sym[k]}" for s, k in enumerate(ext)]


def _segments(pairs) -> tuple[list, list]:
    xs, ys = [], []
    for (x0, y0), (x1, y1) in pairs:
        xs += [x0, x1, None]
        ys += [y0, y1, None]
    return xs, ys


def _heat_values(tr: Trellis, post: np.ndarray, labels: dict, view: str):
    """(z, colour-bar title, zmin, zmax, cell texts) of the heat map: the posterior share or log α."""
    if view == "posterior":
        reach = np.isfinite(tr.log_alpha + tr.log_beta)           # on some complete path
        z = np.where(reach & np.isfinite(post), post, np.nan)
        text = [[("" if not np.isfinite(v) else f"{v:.2f}") for v in row] for row in z.T]
        return z, labels["cbar_posterior"], 0.0, 1.0, text
    z = np.where(np.isfinite(tr.log_alpha), tr.log_alpha, np.nan)
    finite = z[np.isfinite(z)]
    zmin, zmax = (float(finite.min()), float(finite.max())) if finite.size else (None, None)
    text = [[("" if not np.isfinite(v) else f"{v:.1f}") for v in row] for row in z.T]
    return z, labels["cbar_log_alpha"], zmin, zmax, text


def _transitions(tr: Trellis) -> tuple[list, list, list, list]:
    """Allowed transitions (live, live skips, dead ends, forbidden skips), drawn in the gaps between cells so
    the numbers stay readable."""
    T, L = tr.log_alpha.shape
    skip = ref.skip_allowed(tr.ext, tr.blank)
    live, live_skip, dead, forbidden = [], [], [], []
    for t in range(T - 1):
        for s in range(L):
            if tr.fwd[t][s] == 0:
                continue                          # no valid prefix reaches this cell: nothing leaves it
            for nxt in (s, s + 1, s + 2):
                if nxt >= L:
                    continue
                seg = _between(t, s, nxt)
                if nxt == s + 2 and not skip[nxt]:
                    if tr.ext[nxt] != tr.blank:
                        forbidden.append(seg)     # the repeat rule: no skipping the blank between equal labels
                    continue
                on_path = tr.bwd[t + 1][nxt] > 0
                (live_skip if on_path and nxt == s + 2 else live if on_path else dead).append(seg)
    return live, live_skip, dead, forbidden


def trellis_figure(tr: Trellis, sym: list[str], labels: dict, view: str = "log_alpha") -> go.Figure:
    """The alpha lattice as a heat map over time × extended label, with the allowed transitions drawn.

    labels: already-translated strings {title_log_alpha, title_posterior, x, y, cbar_log_alpha, cbar_posterior,
    live, skip, dead, forbidden, best, start, end, unreachable}."""
    T, L = tr.log_alpha.shape
    post = tr.posterior()
    z, cbar, zmin, zmax, text = _heat_values(tr, post, labels, view)
    colorscale = LIGHT_BLUES
    custom = [[[sym[tr.ext[s]], _fmt_log(tr.log_alpha[t, s]), _fmt_share(post[t, s]), tr.fwd[t][s] * tr.bwd[t][s]]
               for t in range(T)] for s in range(L)]
    fig = go.Figure()
    fig.add_trace(go.Heatmap(
        x=list(range(1, T + 1)), y=list(range(1, L + 1)), z=z.T, zmin=zmin, zmax=zmax, colorscale=colorscale,
        text=text, texttemplate="%{text}" if T * L <= 240 else None, textfont=dict(size=11, color="#111"),
        customdata=custom, xgap=3, ygap=3, showscale=True,
        colorbar=dict(title=dict(text=cbar, side="right"), thickness=14, len=0.9),
        hovertemplate=("t=%{x}, s=%{y}  l'_s = %{customdata[0]}<br>log α = %{customdata[1]}<br>"
                       + labels["share"] + " = %{customdata[2]}<br>" + labels["through"]
                       + " = %{customdata[3]}<extra></extra>"), name="", showlegend=False))
    live, live_skip, dead, forbidden = _transitions(tr)
    best = [] if tr.best is None else [_between(t, tr.best[t], tr.best[t + 1]) for t in range(T - 1)]
    for pairs, name, style in (
            (dead, labels["dead"], dict(color="#b8b8b8", width=1.2, dash="dot")),
            (forbidden, labels["forbidden"], dict(color=RED, width=2, dash="dash")),
            (live, labels["live"], dict(color="#333333", width=1.6)),
            (live_skip, labels["skip"], dict(color=GREEN, width=2.6)),
            (best, labels["best"], dict(color=ORANGE, width=5))):
        if not pairs:
            continue                              # a legend entry only for what is drawn
        xs, ys = _segments(pairs)
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line=style, name=name, hoverinfo="skip", legendgroup=name))
    if tr.best is not None:
        fig.add_trace(go.Scatter(x=list(range(1, T + 1)), y=[s + 1 for s in tr.best], mode="markers",
                                 marker=dict(symbol="circle-open", size=30, color=ORANGE, line=dict(width=3)),
                                 name=labels["best"], legendgroup=labels["best"], showlegend=False, hoverinfo="skip"))
    starts = [s for s in (0, 1) if s < L]
    ends = sorted({L - 1, max(L - 2, 0)})
    fig.add_trace(go.Scatter(x=[0.45] * len(starts), y=[s + 1 for s in starts], mode="markers", name=labels["start"],
                             marker=dict(symbol="triangle-right", size=14, color=BLUE), hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=[T] * len(ends), y=[s + 1 for s in ends], mode="markers", name=labels["end"],
                             marker=dict(symbol="square-open", size=34, color=BLUE, line=dict(width=3)),
                             hoverinfo="skip"))
    ticks, ticktext = _row_ticks(tr.ext, sym)
    fig.update_yaxes(title_text=labels["y"], tickvals=ticks, ticktext=ticktext, range=[L + 0.5, 0.5],
                     showgrid=False, zeroline=False, tickfont=dict(family="monospace", size=14))
    fig.update_xaxes(title_text=labels["x"], tickvals=list(range(1, T + 1)), showgrid=False, zeroline=False,
                     range=[0.3, T + 0.55])
    _layout(fig, 230 + 40 * max(L, 4), labels["title_posterior" if view == "posterior" else "title_log_alpha"])
    fig.update_layout(plot_bgcolor="#e4e4e4", margin=dict(l=70, r=20, t=50, b=110),
                      legend=dict(orientation="h", yanchor="top", y=-58 / (40 * max(L, 4) + 70), x=0, font=dict(size=12)))
    return fig


def _between(t: int, s: int, nxt: int) -> tuple:
    """A transition from cell (t, s) to (t+1, nxt) as a segment in the gap between the two columns
    (0-based t, s; the axes are 1-based)."""
    return (t + 1 + 0.3, s + 1 + 0.22 * (nxt - s)), (t + 2 - 0.3, nxt + 1 - 0.22 * (nxt - s))


def _fmt_log(v: float) -> str:
    return "−∞" if not np.isfinite(v) else f"{v:.4f}"


def _fmt_share(v: float) -> str:
    return "0" if not np.isfinite(v) else f"{v:.4f}"


def class_heatmap(values: np.ndarray, sym: list[str], blank: int, labels: dict, title: str, cbar: str,
                  diverging: bool = False) -> go.Figure:
    """A (T, C) array as a heat map: frames across, classes down (the distribution, or the gradient)."""
    T, C = values.shape
    z = np.where(np.isfinite(values), values, np.nan).T
    ticktext = [f"{k}  {sym[k]}" + (f" ({labels['blank']})" if k == blank else "") for k in range(C)]
    text = [[("NaN" if not np.isfinite(v) else f"{v:.2f}") for v in row] for row in z]
    if not np.isfinite(z).any():                  # torch's NaN gradient: grey cells that say NaN
        z = np.zeros_like(z)
        scale = dict(colorscale=[[0, "#cccccc"], [1, "#cccccc"]], showscale=False)
    elif diverging:
        finite = np.abs(z[np.isfinite(z)])
        m = float(finite.max()) if finite.max() > 0 else 1.0
        scale = dict(colorscale="RdBu", reversescale=True, zmid=0.0, zmin=-m, zmax=m)
    else:
        scale = dict(colorscale="Blues", zmin=0.0, zmax=1.0)
    fig = go.Figure(go.Heatmap(
        x=list(range(1, T + 1)), y=list(range(C)), z=z, text=text, texttemplate="%{text}" if T * C <= 160 else None,
        textfont=dict(size=10), xgap=2, ygap=2, colorbar=dict(title=dict(text=cbar, side="right"), thickness=14),
        hovertemplate="t=%{x}, k=%{y}: %{text}<extra></extra>", **scale))
    fig.update_yaxes(title_text=labels["class"], tickvals=list(range(C)), ticktext=ticktext, range=[C - 0.5, -0.5],
                     tickfont=dict(family="monospace", size=13))
    fig.update_xaxes(title_text=labels["x"], tickvals=list(range(1, T + 1)))
    _layout(fig, 150 + 32 * C, title)
    fig.update_layout(margin=dict(l=90, r=20, t=60, b=50), plot_bgcolor="#eeeeee")
    return fig

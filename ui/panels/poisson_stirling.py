"""PoissonNLLLoss with full=True: the Stirling term torch adds, only where target > 1, against the exact
log(y!). Everything torch adds is measured as loss(full=True) − loss(full=False)."""
from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

TABLE_TARGETS = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0)


def stirling_added(y: np.ndarray, device: str = "cpu") -> np.ndarray:
    """What torch adds with full=True for each target: loss(full=True) − loss(full=False) (input 0)."""
    import torch
    import torch.nn.functional as F
    ty = torch.as_tensor(np.asarray(y, dtype=np.float64), device=device)
    x = torch.zeros_like(ty)
    full = F.poisson_nll_loss(x, ty, full=True, reduction="none")
    part = F.poisson_nll_loss(x, ty, full=False, reduction="none")
    return (full - part).cpu().numpy()


def stirling_formula(y: np.ndarray) -> np.ndarray:
    """y·log y − y + ½·log(2πy), wherever it is defined (y > 0)."""
    y = np.asarray(y, dtype=np.float64)
    safe = np.where(y > 0, y, 1.0)
    return np.where(y > 0, safe * np.log(safe) - safe + 0.5 * np.log(2 * math.pi * safe), np.nan)


def log_factorial(y: np.ndarray) -> np.ndarray:
    return np.array([math.lgamma(v + 1.0) for v in np.ravel(y)]).reshape(np.shape(y))


def stirling_rows(device: str = "cpu") -> list[dict]:
    ys = np.array(TABLE_TARGETS)
    added = stirling_added(ys, device)
    return [{"y": float(y), "added": float(a), "exact": float(e), "formula": float(f)}
            for y, a, e, f in zip(ys, added, log_factorial(ys), stirling_formula(ys))]


def stirling_figure(labels: dict, device: str = "cpu") -> go.Figure:
    from ui.figures import FONT, PALETTE, white_template
    y = np.unique(np.concatenate([np.linspace(0, 3.5, 351), [1.0, 1.0 + 1e-9]]))
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=y, y=log_factorial(y), name=labels["exact"], line=dict(color=PALETTE[0], width=3)))
    fig.add_trace(go.Scatter(x=y, y=stirling_formula(y), name=labels["formula"],
                             line=dict(color=PALETTE[2], width=2, dash="dot")))
    fig.add_trace(go.Scatter(x=y, y=stirling_added(y, device), name=labels["added"],
                             line=dict(color=PALETTE[1], width=3, dash="dash")))
    fig.add_vline(x=1.0, line=dict(color="#888", width=1.5, dash="dot"))
    fig.add_annotation(x=1.0, y=1.0, yref="y domain", text=labels["jump"], showarrow=False, xanchor="left",
                       yanchor="top", font=dict(size=13, color="#555"))
    white_template(fig)
    fig.update_layout(height=420, font=dict(family=FONT, size=14),
                      margin=dict(l=50, r=20, t=30, b=50), xaxis_title=labels["x"], yaxis_title=labels["y"],
                      legend=dict(orientation="h", y=-0.22, x=0), hovermode="x unified")
    return fig


def render(spec, params: dict, device: str) -> None:
    import streamlit as st

    from ui.panels.panel_cache import figure, once, table
    from ui.markdown_blocks import section_heading
    from ui.i18n import t
    section_heading(t("prob_poisson_title"), t("prob_poisson_intro"))
    left, right = st.columns([3, 2], gap="large")
    with left:
        labels = {"exact": t("prob_poisson_exact"), "formula": t("prob_poisson_formula"),
                  "added": t("prob_poisson_added"), "x": t("prob_poisson_x"), "y": t("prob_poisson_y"),
                  "jump": t("prob_poisson_jump")}
        st.plotly_chart(figure(stirling_figure, labels, device), key=f"{spec.slug}.stirling",
                        config={"displaylogo": False}, alt=t("alt_prob_poisson"))
    with right:
        rows = [{"y": f"{r['y']:g}", t("prob_poisson_added_col"): f"{r['added']:.4f}",
                 "log(y!)": f"{r['exact']:.4f}",
                 t("prob_poisson_formula_col"): "—" if math.isnan(r["formula"]) else f"{r['formula']:.4f}"}
                for r in once(stirling_rows, device)]
        table(rows)
    st.caption(t("prob_poisson_on" if params.get("full") else "prob_poisson_off"))

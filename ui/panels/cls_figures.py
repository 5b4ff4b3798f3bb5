"""Data and Plotly figures for the classification panels. Pure: no Streamlit, so tests call them directly.

Every number comes from torch (losses and autograd gradients); labels arrive already translated.
Generic builders (prob_bars_figure, heatmap_row_figure) take plain arrays, so other families can reuse them.
"""
from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ui.figures import FONT, PALETTE

BLUE, ORANGE, GREEN, PINK, YELLOW, SKY, BLACK = PALETTE
GREY = "#9A9A9A"


def _style(fig: go.Figure, height: int, legend: bool = True) -> go.Figure:
    fig.update_layout(height=height, template="plotly_white", font=dict(family=FONT, size=14),
                      margin=dict(l=60, r=20, t=60, b=50), hovermode="x unified",
                      legend=dict(orientation="h", yanchor="bottom", y=1.04, x=0) if legend else None,
                      showlegend=legend)
    return fig


# ---- BCELoss(sigmoid(x)) versus BCEWithLogitsLoss(x) in float32 -------------------------------------------

def saturation_data(y: float, lo: float = -40.0, hi: float = 40.0, n: int = 801) -> dict:
    """Loss and autograd gradient w.r.t. the logit of both formulations, in float32 as in training."""
    import torch
    import torch.nn.functional as F
    z = torch.linspace(lo, hi, n, dtype=torch.float32)
    out = {"z": z.double().numpy(), "y": float(y)}
    fns = {"bce": lambda v: F.binary_cross_entropy(torch.sigmoid(v), torch.full_like(v, y), reduction="none"),
           "logits": lambda v: F.binary_cross_entropy_with_logits(v, torch.full_like(v, y), reduction="none")}
    for name, fn in fns.items():
        v = z.clone().requires_grad_(True)
        loss = fn(v)
        (g,) = torch.autograd.grad(loss.sum(), v)
        out[name] = loss.detach().double().numpy()
        out[name + "_grad"] = g.double().numpy()
    sig = torch.sigmoid(z)
    rounds = (sig == 1.0) if y == 0 else (sig == 0.0)
    out["rounds_at"] = float(z[rounds].abs().min()) * (1 if y == 0 else -1) if bool(rounds.any()) else None
    ref, got = out["logits_grad"], out["bce_grad"]
    bad = np.abs(got - ref) > 0.5 * np.maximum(np.abs(ref), 1e-3)
    out["grad_breaks_at"] = float(out["z"][bad][np.argmin(np.abs(out["z"][bad]))]) if bad.any() else None
    return out


def saturation_point(z: float, y: float) -> dict:
    """The numbers at one logit, float32, both formulations (value and d/dz)."""
    import torch
    import torch.nn.functional as F
    res = {}
    for name in ("bce", "logits"):
        v = torch.tensor([z], dtype=torch.float32, requires_grad=True)
        t = torch.tensor([float(y)])
        loss = F.binary_cross_entropy(torch.sigmoid(v), t) if name == "bce" else F.binary_cross_entropy_with_logits(v, t)
        (g,) = torch.autograd.grad(loss, v)
        res[name], res[name + "_grad"] = float(loss.detach()), float(g)
    res["sigmoid"] = float(torch.sigmoid(torch.tensor(z, dtype=torch.float32)))
    return res


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

def imbalanced_data(seed: int = 0, n_neg: int = 900, n_pos: int = 100):
    """A 1-D feature, 10 % positives, overlapping classes: negatives N(0, 1), positives N(2, 1)."""
    rng = np.random.default_rng(seed)
    x = np.concatenate([rng.normal(0.0, 1.0, n_neg), rng.normal(2.0, 1.0, n_pos)])
    y = np.concatenate([np.zeros(n_neg), np.ones(n_pos)])
    return x, y


def pos_weight_fit(values) -> dict:
    """Fit logistic regression with BCEWithLogitsLoss(pos_weight=p) for every p at once (independent
    problems, one LBFGS run); report recall and precision of the rule logit > 0 on the training data."""
    import torch
    import torch.nn.functional as F
    x_np, y_np = imbalanced_data()
    x = torch.tensor(x_np)
    y = torch.tensor(y_np)
    p = torch.tensor(np.asarray(values, dtype=np.float64))
    k = p.numel()
    theta = torch.zeros(k, 2, dtype=torch.float64)  # (w, b) per pos_weight value

    def total(th):
        logits = th[:, :1] * x[None] + th[:, 1:]
        return F.binary_cross_entropy_with_logits(logits, y.expand(k, -1), pos_weight=p[:, None],
                                                  reduction="none").mean(dim=1).sum()

    # Newton's method on K independent convex problems; gradient and 2×2 Hessians from autograd.
    for _ in range(30):
        th = theta.clone().requires_grad_(True)
        (g,) = torch.autograd.grad(total(th), th, create_graph=True)
        rows = [torch.autograd.grad(g[:, i].sum(), th, retain_graph=True)[0] for i in range(2)]
        hess = torch.stack(rows, dim=1)
        step = torch.linalg.solve(hess.detach(), g.detach().unsqueeze(-1)).squeeze(-1)
        theta = theta - step
        if float(step.abs().max()) < 1e-10:
            break
    w, b = theta[:, 0], theta[:, 1]
    with torch.no_grad():
        pred = (w[:, None] * x[None] + b[:, None]) > 0
        pos = y.bool()[None]
        tp = (pred & pos).sum(1).double()
        n_pred = pred.sum(1).double()
        recall = (tp / pos.sum()).numpy()
        precision = torch.where(n_pred > 0, tp / n_pred.clamp(min=1), torch.ones_like(tp)).numpy()
    return {"pos_weight": p.numpy(), "recall": recall, "precision": precision, "w": w.numpy(), "b": b.numpy(), "n_pos": int(y_np.sum()), "n_neg": int((1 - y_np).sum())}


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
                     height: int = 320) -> go.Figure:
    """Grouped bars, one group per class, one colour per distribution. labels: x, y, title."""
    colours = (BLUE, ORANGE, GREEN, PINK)
    n = len(distributions[0][1])
    names = list(class_names) if class_names is not None else [str(c) for c in range(n)]
    fig = go.Figure()
    for k, (name, values) in enumerate(distributions):
        v = np.asarray(values, dtype=float)
        fig.add_trace(go.Bar(x=names, y=v, name=name, marker_color=colours[k % len(colours)],
                             text=[f"{a:.3f}" for a in v], textposition="outside"))
    top = max(1.0, max(float(np.max(d)) for _, d in distributions))
    fig.update_layout(barmode="group", title=labels.get("title", ""), xaxis_title=labels["x"], yaxis_title=labels["y"])
    fig.update_yaxes(range=[min(0.0, min(float(np.min(d)) for _, d in distributions)) * 1.15, top * 1.18])
    fig = _style(fig, height)
    fig.update_layout(hovermode="closest", margin=dict(l=60, r=20, t=80, b=50))
    return fig


# ---- the extra-softmax mistake ---------------------------------------------------------------------------

def loss_and_grad(fn, x) -> tuple[float, np.ndarray]:
    """A reduced loss fn(x) and its autograd gradient w.r.t. x (for reduction='none', of the sum)."""
    import torch
    v = x.detach().clone().requires_grad_(True)
    out = fn(v)
    (g,) = torch.autograd.grad(out.sum(), v)
    return out.detach().double().numpy(), g.double().numpy()


def grad_bars_figure(pairs: list[tuple[str, np.ndarray]], labels: dict) -> go.Figure:
    """Gradient entries of several computations side by side (flattened). labels: x, y, title."""
    fig = go.Figure()
    for k, (name, g) in enumerate(pairs):
        flat = np.asarray(g, dtype=float).ravel()
        fig.add_trace(go.Bar(x=[str(i) for i in range(flat.size)], y=flat, name=name,
                             marker_color=(BLUE, ORANGE, GREEN)[k % 3],
                             hovertemplate="%{x}: %{y:.3g}<extra>" + name + "</extra>"))
    fig.update_layout(barmode="group", title=labels.get("title", ""), xaxis_title=labels["x"], yaxis_title=labels["y"])
    fig = _style(fig, 320)
    fig.update_layout(hovermode="closest", margin=dict(l=60, r=20, t=80, b=50))
    return fig


def softmax_input_bounds(C: int) -> tuple[float, float]:
    """CrossEntropyLoss of a probability vector (the extra-softmax mistake) lies in [log(e+C−1)−1, log(e+C−1)]."""
    top = math.log(math.e + C - 1)
    return top - 1.0, top


# ---- per-pixel heat maps (segmentation: an index map, not one-hot) ----------------------------------------

def heatmap_row_figure(maps: list[dict], height: int = 360) -> go.Figure:
    """Several H×W maps side by side. Each dict: z (H, W), title, text (H, W strings), colorscale,
    optionally zmin/zmax and showscale. Row 0 is drawn at the top, like an image."""
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
    fig.update_layout(height=height, template="plotly_white", font=dict(family=FONT, size=14),
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
               prob_target: bool = False) -> go.Figure:
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

FOCAL_GAMMAS = (0.5, 1.0, 2.0, 5.0)


def focal_curves(gammas, n: int = 400) -> dict:
    """x = p_t (the probability of the true label). CE = −log p_t; FL_γ = (1 − p_t)^γ·CE (no α, as in the
    paper's figure 1), computed by torch through the logit of p_t with target 1."""
    import torch
    from losses.classification import focal_torch
    p_t = torch.linspace(0.001, 0.999, n, dtype=torch.float64)
    logit = torch.log(p_t) - torch.log1p(-p_t)
    ones = torch.ones_like(logit)
    out = {"p_t": p_t.numpy(), "ce": focal_torch(logit, ones, alpha=-1.0, gamma=0.0).numpy(), "fl": {}, "factor": {}}
    for g in gammas:
        out["fl"][float(g)] = focal_torch(logit, ones, alpha=-1.0, gamma=float(g)).numpy()
        out["factor"][float(g)] = ((1 - torch.sigmoid(logit)) ** float(g)).numpy()
    return out


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

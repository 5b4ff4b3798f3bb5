"""Compare: several losses and their autograd gradients overlaid on shared axes, each with its own sliders.

Views: the regression preset (L1 vs MSE vs SmoothL1 vs Huber), the "Picking loss functions" preset (CE vs
focal vs MSE on probabilities vs hinge, against the margin of the true class) and any losses of one family
that share an x-axis. compare_figure() is pure (testable without Streamlit).
"""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from losses import REGISTRY
from losses.curves import sweep
from losses.theory import MARGIN_LOSSES, margin_curves

from .figures import FONT, PALETTE, _robust_range, white_template

VIEWS = ("regression", "classification", "family")
REGRESSION_PRESET = ("l1", "mse", "smooth_l1", "huber")
DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
# The classification preset's curves and the loss page each one corresponds to (linked when registered).
MARGIN_PAGES = {"ce": "binary_cross_entropy_with_logits", "focal": "focal", "mse_prob": "mse",
                "hinge": "margin_ranking"}
MARGIN_PARAMS = (  # (key, loss, torch/torchvision name, lo, hi, step, default)
    ("gamma", "focal", "gamma", 0.0, 5.0, 0.1, 2.0),
    ("alpha", "focal", "alpha", 0.05, 1.0, 0.05, 0.25),
    ("margin", "hinge", "margin", 0.0, 3.0, 0.1, 1.0),
)


def compare_figure(x: np.ndarray, entries: list[tuple], labels: dict,
                   show_grad: bool = True, height: int = 600) -> go.Figure:
    """entries: (name, loss, grad) on the shared x, or (name, loss, grad, own_x). Each entry gets its own colour
    and dash, so curves that coincide stay visible; loss on top, autograd gradient below, same x-axis."""
    rows = 2 if show_grad else 1
    fig = make_subplots(rows=rows, cols=1, shared_xaxes=True, vertical_spacing=0.1,
                        subplot_titles=(labels["loss_panel"], labels["grad_panel"])[:rows])
    losses, grads = [], []
    for i, (name, loss, grad, *own) in enumerate(entries):
        xs = own[0] if own else x
        colour, dash = PALETTE[i % len(PALETTE)], DASHES[i % len(DASHES)]
        width = 3.5 if i == 0 else 3.0 - 0.25 * min(i, 4)
        fig.add_trace(go.Scatter(x=xs, y=loss, name=name, legendgroup=name, line=dict(color=colour, width=width, dash=dash),
                                 hovertemplate="x=%{x:.3f}<br>" + labels["loss"] + "=%{y:.4f}<extra>" + name + "</extra>"),
                      row=1, col=1)
        losses.append(np.asarray(loss))
        if show_grad:
            fig.add_trace(go.Scatter(x=xs, y=grad, name=name, legendgroup=name, showlegend=False,
                                     line=dict(color=colour, width=width, dash=dash),
                                     hovertemplate="x=%{x:.3f}<br>∇=%{y:.4f}<extra>" + name + "</extra>"),
                          row=2, col=1)
            grads.append(np.asarray(grad))
    fig.update_yaxes(title_text=labels["loss"], row=1, col=1, range=_robust_range(losses), zeroline=True)
    if show_grad:
        fig.update_yaxes(title_text=labels["grad"], row=2, col=1, range=_robust_range(grads), zeroline=True)
    fig.update_xaxes(title_text=labels["x"], row=rows, col=1)
    fig.update_xaxes(showspikes=True, spikemode="across", spikethickness=1)
    white_template(fig)
    fig.update_layout(height=height if show_grad else int(height * 0.6), hovermode="x unified",
                      font=dict(family=FONT, size=15), margin=dict(l=60, r=20, t=60, b=50),
                      legend=dict(orientation="h", yanchor="bottom", y=1.06, x=0),
                      uirevision="keep")
    return fig


def axis_groups(family: str) -> dict[str, list[str]]:
    """Registered losses of a family that have a curve, grouped by their x-axis (English label)."""
    from .i18n import tr
    groups: dict[str, list[str]] = {}
    for spec in REGISTRY.values():
        if spec.family == family and spec.curve is not None:
            groups.setdefault(tr(spec.curve.x_label, "en"), []).append(spec.slug)
    return groups


def curve_params(slug: str):
    return [p for p in REGISTRY[slug].params if p.curve and not p.ui_only and p.kind in ("float", "int", "bool", "choice")]


def entry_name(slug: str, params: dict) -> str:
    spec = REGISTRY[slug]
    values = {**spec.defaults(), **params}
    shown = [f"{p.name}={values[p.name]:g}" if isinstance(values[p.name], float) else f"{p.name}={values[p.name]}"
             for p in curve_params(slug)]
    return f"{spec.title} ({', '.join(shown)})" if shown else spec.title


def family_entries(slugs, params_by_slug: dict, lang: str):
    """Main series (first Series of its Curve) of each loss, swept over its own x-range (a probability axis
    cannot be swept over a logit range): [(name, loss, grad, x)]."""
    entries = []
    for slug in slugs:
        spec = REGISTRY[slug]
        data = sweep(spec, params_by_slug.get(slug, {}), n=spec.curve.n)
        s = data.series[0]
        entries.append((entry_name(slug, params_by_slug.get(slug, {})), s.loss, s.grad, data.x))
    return entries


def coinciding(entries) -> list[tuple[str, str]]:
    """Pairs of curves drawn on the same x whose losses are equal everywhere (they would hide each other)."""
    pairs = []
    for i, (name_a, loss_a, _, x_a) in enumerate(entries):
        for name_b, loss_b, _, x_b in entries[i + 1:]:
            if x_a.shape == x_b.shape and np.allclose(x_a, x_b) and np.allclose(loss_a, loss_b, rtol=1e-6, atol=1e-9):
                pairs.append((name_a, name_b))
    return pairs


def entries_csv(entries, x_name: str = "x") -> str:
    """Wide CSV (x, then loss and gradient of each curve) when the curves share x; long CSV otherwise."""
    from .teacher import columns_csv
    xs = [e[3] for e in entries]
    if all(x.shape == xs[0].shape and np.allclose(x, xs[0]) for x in xs):
        columns = {x_name: xs[0]}
        for name, loss, grad, _ in entries:
            columns[f"{name} loss"], columns[f"{name} grad"] = loss, grad
        return columns_csv(columns)
    lines = ["curve,x,loss,grad"]
    for name, loss, grad, x in entries:
        label = '"' + name.replace('"', "'") + '"'
        lines += [f"{label},{a:.10g},{b:.10g},{c:.10g}" for a, b, c in zip(x, loss, grad)]
    return "\n".join(lines) + "\n"


def margin_entries(params: dict, names_: dict, names=MARGIN_LOSSES):
    x, curves = margin_curves(names, params)
    return x, [(names_[n], curves[n][0], curves[n][1]) for n in names]


def labels(x_label: str, lang: str) -> dict:
    from .i18n import t
    return {"x": x_label, "loss": t("loss_axis", lang), "grad": t("grad_axis", lang),
            "loss_panel": t("loss_panel", lang), "grad_panel": t("grad_panel", lang)}


def render_compare() -> None:
    """The page (ui/compare_view.py): its widgets rerun fragments, never the whole app."""
    from .compare_view import render
    render()

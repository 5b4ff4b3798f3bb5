"""Focal loss: loss and modulating factor for several γ against cross-entropy; γ = 0 is α-weighted BCE
(checked live against BCEWithLogitsLoss); and what α weights in the worked example."""
from __future__ import annotations

import numpy as np
import streamlit as st

from losses.classification_sweeps import FOCAL_GAMMAS, focal_curves

from ..i18n import t
from .example_input import example_result, np_
from .classification_figures import focal_figure
from .panel_cache import figure
from ..markdown_blocks import joined, plain_table, section_heading


def gamma0_check(tensors: dict, params: dict) -> dict:
    """focal(γ=0, α) versus BCEWithLogitsLoss with weight α_t (None when α < 0), same reduction."""
    import torch.nn.functional as F
    from losses.classification import focal_torch
    x, y = tensors["inputs"], tensors["targets"]
    alpha, red = float(params["alpha"]), params["reduction"]
    focal = focal_torch(x, y, alpha=alpha, gamma=0.0, reduction=red)
    weight = alpha * y + (1 - alpha) * (1 - y) if alpha >= 0 else None
    bce = F.binary_cross_entropy_with_logits(x, y, weight=weight, reduction=red)
    return {"focal": np_(focal), "bce": np_(bce), "diff": float(np.max(np.abs(np_(focal) - np_(bce))))}


def alpha_split(tensors: dict, params: dict) -> dict:
    """Sum of the elementwise focal loss over positives (target ≥ 0.5) and negatives, with the page's α and
    with α = −1 (no weighting), same γ."""
    from losses.classification import focal_torch
    x, y = tensors["inputs"], tensors["targets"]
    pos = np_(y) >= 0.5
    out = {"n_pos": int(pos.sum()), "n_neg": int((~pos).sum())}
    for key, alpha in (("with", float(params["alpha"])), ("without", -1.0)):
        v = np_(focal_torch(x, y, alpha=alpha, gamma=float(params["gamma"])))
        out[key] = (float(v[pos].sum()), float(v[~pos].sum()))
    return out


def _numbers(spec, tensors: dict, params: dict) -> tuple[dict, dict]:
    return gamma0_check(tensors, params), alpha_split(tensors, params)


def _figure(gammas: tuple, gamma: float, label_items: tuple):
    return focal_figure(focal_curves(gammas), gamma, dict(label_items))


def render(spec, params: dict, device: str) -> None:
    section_heading(t("cls_fl_title"))
    gamma = float(params["gamma"])
    gammas = tuple(sorted(set(FOCAL_GAMMAS) | {round(gamma, 6)}))
    labels = {"x": t("cls_fl_x"), "loss": t("cls_fl_loss"), "factor": t("cls_fl_factor"), "ce": t("cls_fl_ce"),
              "fl": "FL, γ = {g}", "current": t("cls_fl_current")}
    st.plotly_chart(figure(_figure, gammas, gamma, tuple(labels.items())), key=f"{spec.slug}.fl_fig",
                    config={"displaylogo": False}, alt=t("alt_cls_focal", gamma=f"{gamma:g}"))
    st.caption(t("cls_fl_fig_note"))
    idx, numbers = example_result(spec, params, _numbers)
    if numbers is None:
        return
    chk, sp = numbers
    alpha = params["alpha"]
    c1, c2 = st.columns(2)
    with c1:
        fmt = lambda a: np.array2string(np.asarray(a), precision=5, threshold=12)  # noqa: E731
        which = t("cls_fl_g0_weighted", a=f"{alpha:g}") if alpha >= 0 else t("cls_fl_g0_plain")
        st.markdown(joined(f"**{t('cls_fl_g0_title')}**",
                           plain_table([{"": t("cls_fl_g0_focal", a=f"{alpha:g}"), t("cls_col_loss"): fmt(chk["focal"])},
                                        {"": which, t("cls_col_loss"): fmt(chk["bce"])}])))
        (st.success if chk["diff"] < 1e-5 else st.warning)(t("cls_fl_g0_diff", d=f"{chk['diff']:.2e}"))
    with c2:
        pos, neg = t("cls_fl_pos", n=sp["n_pos"]), t("cls_fl_neg", n=sp["n_neg"])
        st.markdown(joined(f"**{t('cls_fl_alpha_title')}**", plain_table(
            [{"": t("cls_fl_alpha_with", a=f"{alpha:g}"), pos: f"{sp['with'][0]:.4g}", neg: f"{sp['with'][1]:.4g}"},
             {"": t("cls_fl_alpha_without"), pos: f"{sp['without'][0]:.4g}", neg: f"{sp['without'][1]:.4g}"}])))
        if alpha >= 0:
            st.caption(t("cls_fl_alpha_note", a=f"{alpha:g}", b=f"{1 - alpha:g}"))
        else:
            st.caption(t("cls_fl_alpha_off"))

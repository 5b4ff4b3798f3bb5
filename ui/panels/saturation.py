"""BCELoss(sigmoid(x)) versus BCEWithLogitsLoss(x): float32 rounding, the −100 clamp, vanishing gradients."""
from __future__ import annotations

import streamlit as st

from losses.classification_sweeps import saturation_data, saturation_point

from ..i18n import t
from .classification_figures import saturation_figure
from .panel_cache import figure, once
from ..markdown_blocks import joined, plain_table, section_heading


def _figure(y: float, label_items: tuple, z: float):
    return saturation_figure(once(saturation_data, y), dict(label_items), z_mark=z)


def render(spec, params: dict, device: str) -> None:
    section_heading(t("cls_sat_title"), t("cls_sat_intro"))
    c1, c2 = st.columns([1, 3])
    with c1:
        y = st.radio(t("cls_target"), (0, 1), format_func=lambda v: f"y = {v}", horizontal=True,
                     key=f"{spec.slug}.sat_y", bind="query-params")
    with c2:
        z = st.slider(t("cls_sat_logit"), -40.0, 40.0, 20.0, 0.5, key=f"{spec.slug}.sat_x",
                      bind="query-params")
    labels = {"x": t("cls_logit_axis"), "loss": t("cls_loss_f32"), "grad": t("cls_grad_f32"),
              "bce": "BCELoss(sigmoid(x))", "logits": "BCEWithLogitsLoss(x)",
              "rounds": t("cls_sat_rounds", v="1" if y == 0 else "0"), "breaks": t("cls_sat_breaks")}
    st.plotly_chart(figure(_figure, float(y), tuple(labels.items()), z), key=f"{spec.slug}.sat_fig",
                    config={"displaylogo": False}, alt=t("alt_cls_saturation", z=f"{z:g}"))
    pt = once(saturation_point, z, y)
    rows = [{"": "BCELoss(sigmoid(x))", t("cls_col_sigmoid"): f"{pt['sigmoid']:.9g}", t("cls_col_loss"): f"{pt['bce']:.6g}",
             t("cls_col_grad"): f"{pt['bce_grad']:.6g}"},
            {"": "BCEWithLogitsLoss(x)", t("cls_col_sigmoid"): "—", t("cls_col_loss"): f"{pt['logits']:.6g}",
             t("cls_col_grad"): f"{pt['logits_grad']:.6g}"}]
    st.markdown(joined(t("cls_sat_at", z=f"{z:g}", y=y), plain_table(rows)))
    st.caption(t("cls_sat_note"))

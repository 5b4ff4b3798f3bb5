"""What pos_weight does to recall: logistic regressions fitted by torch with BCEWithLogitsLoss(pos_weight=p)."""
from __future__ import annotations

import numpy as np
import streamlit as st

from losses.classification_sweeps import pos_weight_fit

from .panel_cache import figure, once
from ..i18n import t
from .classification_figures import pos_weight_figure
from ..markdown_blocks import section_heading

CHOICES = (0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 9.0, 16.0)
GRID = tuple(sorted(set(np.round(np.geomspace(0.125, 32.0, 21), 6).tolist()) | set(CHOICES)))


def _figure(chosen: float, label_items: tuple):
    return pos_weight_figure(once(pos_weight_fit, GRID), chosen, dict(label_items))


def render(spec, params: dict, device: str) -> None:
    section_heading(t("cls_pw_title"))
    fit = once(pos_weight_fit, GRID)
    st.markdown(t("cls_pw_intro", n_pos=fit["n_pos"], n_neg=fit["n_neg"]))
    chosen = st.select_slider(t("cls_pw_choose"), CHOICES, value=3.0, format_func=lambda v: f"{v:g}",
                              key=f"{spec.slug}.pw_demo", bind="query-params")
    i = GRID.index(chosen)
    i1 = GRID.index(1.0)
    labels = {"x": t("cls_pw_x"), "y": t("cls_pw_y"), "recall": t("cls_recall"), "precision": t("cls_precision"),
              "chosen": f"pos_weight = {chosen:g}"}
    left, right = st.columns([3, 2])
    with left:
        st.plotly_chart(figure(_figure, chosen, tuple(labels.items())), key=f"{spec.slug}.pw_fig",
                        config={"displaylogo": False}, alt=t("alt_cls_pos_weight", pw=f"{chosen:g}"))
    with right:
        same = i == i1
        st.metric(t("cls_recall"), f"{fit['recall'][i]:.2f}",
                  None if same else f"{fit['recall'][i] - fit['recall'][i1]:+.2f}")
        st.metric(t("cls_precision"), f"{fit['precision'][i]:.2f}",
                  None if same else f"{fit['precision'][i] - fit['precision'][i1]:+.2f}", delta_color="normal")
        shift = float(fit["b"][i] - fit["b"][i1])
        st.markdown(t("cls_pw_shift", shift=f"{shift:+.3f}", log=f"{np.log(chosen):+.3f}", p=f"{chosen:g}",
                      q=f"{1 / (1 + chosen):.3f}"))
    st.caption(t("cls_pw_note"))

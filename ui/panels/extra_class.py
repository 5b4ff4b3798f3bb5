"""CrossEntropyLoss takes logits: what an extra softmax does to the loss and to its gradient, measured by torch."""
from __future__ import annotations

import numpy as np
import streamlit as st

from losses.classification_sweeps import loss_and_grad, softmax_input_bounds

from ..i18n import t
from .example_input import example_key, example_result
from .panel_cache import keyed_figure
from .classification_figures import grad_bars_figure
from ..markdown_blocks import joined, plain_table, section_heading


def compare(spec, tensors: dict, params: dict) -> dict:
    """Loss and ∂loss/∂logits for CE(logits) and CE(softmax(logits)), with the page's parameters."""
    import torch
    dim = 0 if tensors["input"].dim() == 1 else 1

    def run(inp):
        return spec.call_torch({**tensors, "input": inp}, params)

    right = loss_and_grad(run, tensors["input"])
    wrong = loss_and_grad(lambda v: run(torch.softmax(v, dim=dim)), tensors["input"])
    C = int(tensors["input"].shape[dim])
    return {"right": right, "wrong": wrong, "C": C}


def render(spec, params: dict, device: str) -> None:
    section_heading(t("cls_xs_title"))
    idx, res = example_result(spec, params, compare)
    if res is None:
        return
    (l1, g1), (l2, g2) = res["right"], res["wrong"]
    lo, hi = softmax_input_bounds(res["C"])
    rows = [{"": t("cls_xs_right"), t("cls_col_loss"): np.array2string(np.asarray(l1), precision=4),
             t("cls_xs_maxgrad"): f"{np.abs(g1).max():.3g}"},
            {"": t("cls_xs_wrong"), t("cls_col_loss"): np.array2string(np.asarray(l2), precision=4),
             t("cls_xs_maxgrad"): f"{np.abs(g2).max():.3g}"}]
    ratio = np.abs(g1).max() / max(np.abs(g2).max(), 1e-30)
    c1, c2 = st.columns([2, 3])
    with c1:
        st.markdown(joined(t("cls_xs_intro"), plain_table(rows),
                           t("cls_xs_summary", ratio=f"{ratio:.3g}", C=res["C"], lo=f"{lo:.3f}", hi=f"{hi:.3f}")))
    with c2:
        labels = {"x": t("cls_xs_entry"), "y": t("cls_xs_grad"), "title": t("cls_xs_fig")}
        pairs = ((t("cls_xs_right"), g1), (t("cls_xs_wrong"), g2))
        key = (*example_key(spec, params)[2], tuple(labels.items()), pairs[0][0], pairs[1][0])
        st.plotly_chart(keyed_figure(grad_bars_figure, key, pairs, labels),
                        key=f"{spec.slug}.xs_fig", config={"displaylogo": False},
                        alt=t("alt_cls_extra_softmax", ratio=f"{ratio:.3g}"))

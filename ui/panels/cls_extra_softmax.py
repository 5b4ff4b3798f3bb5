"""CrossEntropyLoss takes logits: what an extra softmax does to the loss and to its gradient, measured by torch."""
from __future__ import annotations

import numpy as np
import streamlit as st

from ..figure_cache import prebuilt
from ..i18n import t
from .cls_common import example_tensors
from .cls_figures import grad_bars_figure, loss_and_grad, softmax_input_bounds


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


@st.cache_resource(max_entries=256, show_spinner=False)
def _compare_once(slug: str, key: tuple, _tensors: dict, _params: dict) -> dict:
    """compare() once per input and parameters (`key` stands for both, which are not hashed themselves)."""
    from losses import REGISTRY
    return compare(REGISTRY[slug], _tensors, _params)


def _key(tensors: dict) -> tuple:
    return tuple((k, tuple(v.shape), str(v.dtype), v.detach().cpu().numpy().tobytes()) for k, v in sorted(tensors.items()))


def render(spec, params: dict, device: str) -> None:
    st.divider()
    st.subheader(t("cls_xs_title"))
    idx, tensors = example_tensors(spec, params)
    if tensors is None:
        return
    key = (_key(tensors), tuple(sorted((k, repr(v)) for k, v in params.items())))  # repr: lists (weight) too
    res = _compare_once(spec.slug, key, tensors, params)
    (l1, g1), (l2, g2) = res["right"], res["wrong"]
    lo, hi = softmax_input_bounds(res["C"])
    rows = [{"": t("cls_xs_right"), t("cls_col_loss"): np.array2string(np.asarray(l1), precision=4),
             t("cls_xs_maxgrad"): f"{np.abs(g1).max():.3g}"},
            {"": t("cls_xs_wrong"), t("cls_col_loss"): np.array2string(np.asarray(l2), precision=4),
             t("cls_xs_maxgrad"): f"{np.abs(g2).max():.3g}"}]
    c1, c2 = st.columns([2, 3])
    with c1:
        st.markdown(t("cls_xs_intro"))
        st.table(rows)
        ratio = np.abs(g1).max() / max(np.abs(g2).max(), 1e-30)
        st.markdown(t("cls_xs_summary", ratio=f"{ratio:.3g}", C=res["C"], lo=f"{lo:.3f}", hi=f"{hi:.3f}"))
    with c2:
        labels = {"x": t("cls_xs_entry"), "y": t("cls_xs_grad"), "title": t("cls_xs_fig")}
        st.plotly_chart(prebuilt(grad_bars_figure, ((t("cls_xs_right"), g1), (t("cls_xs_wrong"), g2)), labels),
                        key=f"{spec.slug}.xs_fig", config={"displaylogo": False},
                        alt=t("alt_cls_extra_softmax", ratio=f"{ratio:.3g}"))

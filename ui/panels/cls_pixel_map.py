"""Segmentation (the old NLLLoss2d case): input (N, C, H, W), target (N, H, W) of class indices, and the
per-pixel loss of reduction='none' as a heat map. Also shows, with torch, what a one-hot target does."""
from __future__ import annotations

import numpy as np
import streamlit as st

from ..figure_cache import prebuilt
from ..i18n import t, tr
from .cls_common import current_example, np_
from .cls_figures import pixel_maps


def _image_example(spec):
    return next((i for i, ex in enumerate(spec.examples) if np.ndim(ex.inputs["input"]) == 4), None)


def source(spec, params: dict):
    """(tensors, params, example index, borrowed?) for the maps: the worked example when it is an image
    (3-D or 4-D input), otherwise the spec's image example with its own parameters."""
    from losses.errors import InputError
    idx, texts = current_example(spec)
    try:
        tensors = spec.to_tensors(spec.to_arrays(texts))
        if tensors["input"].dim() in (3, 4):
            spec.validate(tensors, params)
            return tensors, params, idx, False
    except InputError:
        pass
    j = _image_example(spec)
    ex = spec.examples[j]
    p = spec.resolve_params(ex.params)
    tensors = spec.to_tensors(spec.to_arrays(ex.inputs))
    return tensors, p, j, True


def one_hot_demo(spec, tensors: dict, params: dict) -> dict:
    """torch's answers to a one-hot (N, C, H, W) target: as long (an error), as float (CrossEntropyLoss reads
    it as probabilities), and the (N, H, W) index map the loss wants; all with reduction='mean'."""
    import torch
    import torch.nn.functional as F
    x, tgt = tensors["input"], tensors["target"]
    C = x.shape[1]
    y = tgt.long()
    keep = y != int(params["ignore_index"])
    onehot = torch.nn.functional.one_hot(torch.where(keep, y, 0), C).movedim(-1, 1) * keep.unsqueeze(1)
    fn = F.nll_loss if spec.slug == "nll" else F.cross_entropy
    kw = {**spec.torch_kwargs(params), "reduction": "mean"}
    out = {}
    try:
        fn(x, onehot.long(), **kw)
        out["long"] = None
    except (RuntimeError, ValueError, IndexError) as exc:
        out["long"] = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
    out["index"] = float(fn(x, y, **kw))
    if spec.slug == "cross_entropy":
        out["float"] = float(F.cross_entropy(x, onehot.float(), **{**kw, "ignore_index": -100}))
    return out


def render(spec, params: dict, device: str) -> None:
    st.divider()
    st.subheader(t("cls_pix_title"))
    tensors, p, j, borrowed = source(spec, params)
    if borrowed:
        st.caption(t("cls_pix_borrowed", title=tr(spec.examples[j].title)))
    x = np_(tensors["input"])
    y = np_(tensors["target"])
    if x.ndim == 3:                       # (N, C, L): one row of L positions
        x, y = x[:, :, None, :], y[:, None, :] if y.ndim == 2 else y[:, :, None, :]
    none = np_(spec.call_torch(tensors, {**p, "reduction": "none"}))
    none = none.reshape(x.shape[0], x.shape[2], x.shape[3])
    n = 0
    if x.shape[0] > 1:
        key = f"{spec.slug}.pix_n"
        st.session_state[key] = min(int(st.session_state.get(key, 0)), x.shape[0] - 1)
        n = st.slider(t("cls_pix_sample", n=x.shape[0]), 0, x.shape[0] - 1, key=key)
    prob = y.shape == x.shape
    titles = {"target": t("cls_pix_target"), "pred": t("cls_pix_pred"), "loss": t("cls_pix_loss"),
              "ignored": t("cls_pix_ignored")}
    fig = prebuilt(pixel_maps, y[n], x[n], none[n], int(p["ignore_index"]), titles, prob_target=prob)
    st.plotly_chart(fig, key=f"{spec.slug}.pix_fig", config={"displaylogo": False},
                    alt=t("alt_cls_pixel_map", n=n, ignore=int(p["ignore_index"])))
    st.markdown(t("cls_pix_shapes", x=str(tuple(tensors["input"].shape)), y=str(tuple(tensors["target"].shape)),
                  out=str(tuple(none.shape)) if tensors["input"].dim() == 4 else str(tuple(tensors["target"].shape))))
    if prob or tensors["input"].dim() != 4:
        return
    demo = one_hot_demo(spec, tensors, p)
    with st.expander(t("cls_pix_onehot_title"), expanded=False):
        st.markdown(t("cls_pix_onehot_long"))
        st.code(demo["long"] or "(no error)", language="text")
        st.markdown(t("cls_pix_onehot_index", v=f"{demo['index']:.6g}"))
        if "float" in demo:
            st.markdown(t("cls_pix_onehot_float", v=f"{demo['float']:.6g}"))

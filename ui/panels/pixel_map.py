"""Segmentation (the old NLLLoss2d case): input (N, C, H, W), target (N, H, W) of class indices, and the
per-pixel loss of reduction='none' as a heat map. Also shows, with torch, what a one-hot target does."""
from __future__ import annotations

import numpy as np
import streamlit as st

from ..i18n import t, tr
from .example_input import current_example, np_
from .classification_figures import pixel_maps
from .panel_cache import keyed, keyed_figure, params_key
from ..markdown_blocks import section_heading


def _image_example(spec):
    return next((i for i, ex in enumerate(spec.examples) if np.ndim(ex.inputs["input"]) == 4), None)


def source(spec, params: dict, example: tuple | None = None):
    """(tensors, params, example index, borrowed?) for the maps: the worked example when it is an image
    (3-D or 4-D input), otherwise the spec's image example with its own parameters."""
    from losses.errors import InputError
    idx, texts = example or current_example(spec)
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


def _data(spec, params: dict, idx: int, texts: dict) -> dict:
    """Everything the maps show that does not depend on the language, once per example text and params."""
    tensors, p, j, borrowed = source(spec, params, (idx, texts))
    x, y = np_(tensors["input"]), np_(tensors["target"])
    if x.ndim == 3:                       # (N, C, L): one row of L positions
        x, y = x[:, :, None, :], y[:, None, :] if y.ndim == 2 else y[:, :, None, :]
    none = np_(spec.call_torch(tensors, {**p, "reduction": "none"})).reshape(x.shape[0], x.shape[2], x.shape[3])
    dim = tensors["input"].dim()
    prob = y.shape == x.shape
    return {"x": x, "y": y, "none": none, "p": p, "j": j, "borrowed": borrowed, "prob": prob,
            "shapes": (str(tuple(tensors["input"].shape)), str(tuple(tensors["target"].shape)),
                       str(tuple(none.shape)) if dim == 4 else str(tuple(tensors["target"].shape))),
            "demo": None if prob or dim != 4 else one_hot_demo(spec, tensors, p)}


def render(spec, params: dict, device: str) -> None:
    section_heading(t("cls_pix_title"))
    idx, texts = current_example(spec)
    key = (spec.slug, idx, tuple(sorted(texts.items())), params_key(params))
    d = keyed(_data, key, spec, params, idx, texts)
    if d["borrowed"]:
        st.caption(t("cls_pix_borrowed", title=tr(spec.examples[d["j"]].title)))
    x, p = d["x"], d["p"]
    n = 0
    if x.shape[0] > 1:
        k = f"{spec.slug}.pix_n"
        st.session_state[k] = min(int(st.session_state.get(k, 0)), x.shape[0] - 1)
        n = st.slider(t("cls_pix_sample", n=x.shape[0]), 0, x.shape[0] - 1, key=k)
    titles = {"target": t("cls_pix_target"), "pred": t("cls_pix_pred"), "loss": t("cls_pix_loss"),
              "ignored": t("cls_pix_ignored")}
    fig = keyed_figure(pixel_maps, (*key, n, tuple(titles.items())), d["y"][n], x[n], d["none"][n],
                       int(p["ignore_index"]), titles, d["prob"])
    st.plotly_chart(fig, key=f"{spec.slug}.pix_fig", config={"displaylogo": False},
                    alt=t("alt_cls_pixel_map", n=n, ignore=int(p["ignore_index"])))
    xs, ys, out = d["shapes"]
    st.markdown(t("cls_pix_shapes", x=xs, y=ys, out=out))
    demo = d["demo"]
    if demo is None:
        return
    # Lazy, as the page's code expander: closed, its four elements are neither built nor sent on each rerun.
    onehot = st.expander(t("cls_pix_onehot_title"), key=f"{spec.slug}.pix_onehot", on_change="rerun")
    if not onehot.open:
        return
    with onehot:
        st.markdown(t("cls_pix_onehot_long"))
        st.code(demo["long"] or "(no error)", language="text")
        st.markdown(t("cls_pix_onehot_index", v=f"{demo['index']:.6g}"))
        if "float" in demo:
            st.markdown(t("cls_pix_onehot_float", v=f"{demo['float']:.6g}"))

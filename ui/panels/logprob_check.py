"""NLLLoss trusts its input to be log-probabilities: check the worked example's rows and show, with torch,
what the same scores give as they are, after log_softmax, and after a plain softmax (a common mistake)."""
from __future__ import annotations

import numpy as np
import streamlit as st

from ..i18n import t
from .example_input import example_result, np_
from .panel_cache import table
from ..markdown_blocks import section_heading


def variants(spec, tensors: dict, params: dict) -> dict:
    import torch
    x = tensors["input"]
    dim = 0 if x.dim() == 1 else 1
    lse = torch.logsumexp(x.double(), dim=dim)
    out = {"lse": np_(lse).reshape(-1)}
    for key, inp in (("as_is", x), ("log_softmax", torch.log_softmax(x, dim=dim)), ("softmax", torch.softmax(x, dim=dim))):
        out[key] = np_(spec.call_torch({**tensors, "input": inp}, params))
    return out


def render(spec, params: dict, device: str) -> None:
    section_heading(t("cls_lp_title"))
    idx, v = example_result(spec, params, variants)
    if v is None:
        return
    worst = float(np.abs(v["lse"]).max())
    ok = worst < 1e-3
    (st.success if ok else st.warning)(t("cls_lp_ok" if ok else "cls_lp_bad",
                                         lse=np.array2string(v["lse"], precision=4, threshold=12)))
    fmt = lambda a: np.array2string(np.asarray(a), precision=4, threshold=12)  # noqa: E731
    table([{"": t("cls_lp_as_is"), t("cls_col_loss"): fmt(v["as_is"])},
              {"": t("cls_lp_log_softmax"), t("cls_col_loss"): fmt(v["log_softmax"])},
              {"": t(f"cls_lp_softmax_{params['reduction']}"), t("cls_col_loss"): fmt(v["softmax"])}])
    st.caption(t("cls_lp_note", reduction=params["reduction"]))

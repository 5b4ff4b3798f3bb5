"""MultiLabelMarginLoss: edit the target row entry by entry and watch which classes count (everything from the
first −1 on is ignored), every (j, i) pair with its hinge term, and torch's value beside the sum."""
from __future__ import annotations

import numpy as np
import streamlit as st

from losses.errors import InputError
from losses.parse import parse_tensor_text
from losses.margin_geometry import multilabel_analysis

from ..i18n import current_lang, t
from ..widgets import show_error
from .geometry_figures import multilabel_figure
from .panel_cache import figure
from ..markdown_blocks import joined, plain_table, section_heading

DEFAULT_X = "[0.1, 0.2, 0.4, 0.8]"
DEFAULT_Y4 = (3, 0, -1, 1)
MAX_C = 8


def default_row(c: int) -> list[int]:
    if c == 4:
        return list(DEFAULT_Y4)
    return [c - 1, 0] + [-1] * (c - 2) if c > 2 else [c - 1, -1]


def render(spec, params: dict, device: str) -> None:
    lang = current_lang()
    slug = spec.slug
    section_heading(t("mg_ml_title"))
    st.caption(t("mg_ml_help"))
    text = st.text_input(t("mg_ml_x"), value=DEFAULT_X, key=f"{slug}.ml_x", bind="query-params")
    try:
        x = parse_tensor_text(text, "x")
        x = np.asarray(x, dtype=float)
        if x.ndim != 1 or not 2 <= x.size <= MAX_C:
            raise InputError("mg_ml_err_x", max_c=MAX_C, example=DEFAULT_X)
    except InputError as err:
        show_error(err)
        return
    c = x.size
    st.markdown(t("mg_ml_y", c=c, last=c - 1))
    defaults = default_row(c)
    y = []
    options = list(range(-1, c))
    with st.container(horizontal=True):  # c equal columns in one block
        for k in range(c):
            y.append(st.selectbox(f"y[{k}]", options, index=options.index(defaults[k]), key=f"{slug}.ml{c}_y{k}"))
    info = multilabel_analysis(x, y)
    try:
        torch_value = float(spec.evaluate({"input": [x.tolist()], "target": [y]}, {**params, "reduction": "sum"},
                                          device=device))
    except InputError as err:
        show_error(err)
        return
    st.plotly_chart(figure(multilabel_figure, x, y, lang), key=f"{slug}.ml_fig", config={"displaylogo": False},
                    alt=t("alt_mg_multilabel", targets=str(list(y))))
    rows = [{"j": j, "i": i, "x[j]": f"{x[j]:.3f}", "x[i]": f"{x[i]:.3f}",
             t("mg_ml_col_term"): f"max(0, 1 − {x[j]:.3f} + {x[i]:.3f}) = {term:.4f}"}
            for j, i, term in info["pairs"]]
    formula = " + ".join(f"{term:.4f}" for _, _, term in info["pairs"]) or "0"
    st.markdown(joined(_summary(info), plain_table(rows) if rows else "",
                       t("mg_ml_result", terms=formula, total=f"{info['total']:.4f}", c=c, loss=f"{info['loss']:.4f}",
                         torch=f"{torch_value:.4f}")))
    ok = abs(torch_value - info["loss"]) <= 1e-5 * max(1.0, abs(info["loss"]))
    (st.success if ok else st.warning)(t("mg_ml_agree" if ok else "mg_ml_disagree"))


def _summary(info: dict) -> str:
    targets = sorted(info["counts"])
    dup = [f"{j} ×{n}" for j, n in info["counts"].items() if n > 1]
    parts = [t("mg_ml_targets", targets=", ".join(map(str, targets)) or "∅",
               others=", ".join(map(str, info["others"])) or "∅", n=len(info["pairs"]))]
    if info["stop"] < len(info["status"]):
        ignored = info["status"].count("ignored")
        parts.append(t("mg_ml_stop", k=info["stop"], ignored=ignored))
    else:
        parts.append(t("mg_ml_nostop"))
    if dup:
        parts.append(t("mg_ml_dup", dup=", ".join(dup)))
    return " ".join(parts)

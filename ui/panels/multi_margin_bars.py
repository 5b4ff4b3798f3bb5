"""MultiMarginLoss: the scores of C classes as bars, the margin band under the true class's score; every
wrong class that reaches into the band adds its hinge term. The loss shown is torch's."""
from __future__ import annotations

import numpy as np
import streamlit as st

from losses.errors import InputError
from losses.margin_geometry import multi_margin_terms

from ..i18n import current_lang, t
from ..widgets import show_error
from .geometry_figures import multi_margin_figure
from .panel_cache import figure
from ..markdown_blocks import section_heading

DEFAULT_SCORES = (0.1, 0.2, 0.4, 0.8, -0.5, 0.0)


def render(spec, params: dict, device: str) -> None:
    lang = current_lang()
    slug = spec.slug
    section_heading(t("mg_mb_title"))
    st.caption(t("mg_mb_help"))
    # Rows of widgets in horizontal containers: one block each, where columns are a block per column.
    with st.container(horizontal=True):
        c = st.slider(t("mg_mb_classes"), 2, 6, 4, 1, key=f"{slug}.mb_c", bind="query-params")
        target = st.selectbox(t("mg_mb_target"), list(range(c)), index=min(3, c - 1), key=f"{slug}.mb_y{c}")
    with st.container(horizontal=True):
        scores = [st.slider(f"x[{i}]", -3.0, 3.0, DEFAULT_SCORES[i], 0.05, key=f"{slug}.mb_x{i}", bind="query-params")
                  for i in range(c)]
    weight = params.get("weight")
    w_y = 1.0
    run_params = dict(params)
    if weight is not None:
        w = np.asarray(weight, dtype=float).ravel()
        if w.size == c:
            w_y = float(w[target])
        else:
            st.caption(t("mg_mb_weight_ignored", n=w.size, c=c))
            run_params["weight"] = None
    try:
        loss = float(spec.evaluate({"input": [scores], "target": [target]}, run_params, device=device).sum())
    except InputError as err:
        show_error(err)
        return
    st.plotly_chart(figure(multi_margin_figure, scores, target, params["margin"], int(params["p"]), w_y, loss, lang),
                    key=f"{slug}.mb_fig", config={"displaylogo": False},
                    alt=t("alt_mg_multi", target=target, margin=f"{params['margin']:g}", loss=f"{loss:.4f}"))
    terms = multi_margin_terms(scores, target, params["margin"], int(params["p"]), w_y)
    violators = [i for i in range(c) if terms[i] > 0]
    if violators:
        st.markdown(t("mg_mb_sum", terms=" + ".join(f"{terms[i]:.3f}" for i in violators), c=c,
                      loss=f"{loss:.4f}", classes=", ".join(str(i) for i in violators)))
    else:
        st.success(t("mg_mb_done"))

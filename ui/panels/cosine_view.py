"""CosineEmbeddingLoss: two 2-D vectors set with sliders, the angle between them, and the margin drawn as an
angle band around x1; torch computes the loss for y = +1 and y = −1 as the vectors move."""
from __future__ import annotations

import math

import streamlit as st

from losses.errors import InputError
from losses.margin_geometry import cosine_of, margin_band_half_angle

from ..i18n import current_lang, t
from ..widgets import show_error
from .geometry_figures import cosine_figure
from .panel_cache import figure
from ..markdown_blocks import section_heading

DEFAULT = {"x1": (1.5, 0.5), "x2": (0.5, 1.5)}


def render(spec, params: dict, device: str) -> None:
    lang = current_lang()
    slug = spec.slug
    section_heading(t("mg_cv_title"))
    st.caption(t("mg_cv_help"))
    left, right = st.columns([3, 2], gap="medium")
    vec = {}
    with right:
        for name in ("x1", "x2"):
            st.markdown(f"**{t('mg_cv_' + name)}**")
            with st.container(horizontal=True):  # both coordinates side by side in one block
                vec[name] = [
                    st.slider(f"{name}[{i}]", -2.0, 2.0, DEFAULT[name][i], 0.05, key=f"{slug}.cv_{name}{i}",
                              bind="query-params") for i in (0, 1)]
    losses = {}
    try:
        for y in (1, -1):
            inputs = {"input1": [vec["x1"]], "input2": [vec["x2"]], "target": [y]}
            losses[y] = float(spec.evaluate(inputs, params, device=device).sum())
    except InputError as err:
        show_error(err)
        return
    cos = cosine_of(vec["x1"], vec["x2"])
    margin = params["margin"]
    with left:
        st.plotly_chart(figure(cosine_figure, vec["x1"], vec["x2"], margin, losses, lang), key=f"{slug}.cv_fig",
                        config={"displaylogo": False}, alt=t("alt_mg_cosine", cos=f"{cos:.3f}", margin=f"{margin:g}"))
    with right:
        angle = math.degrees(math.acos(max(-1.0, min(1.0, cos))))
        band = math.degrees(margin_band_half_angle(margin))
        st.markdown(t("mg_cv_readout", cos=f"{cos:.4f}", angle=f"{angle:.1f}", margin=f"{margin:g}", band=f"{band:.1f}"))
        with st.container(horizontal=True):
            st.metric(t("mg_cv_loss_pos"), f"{losses[1]:.4f}")
            st.metric(t("mg_cv_loss_neg"), f"{losses[-1]:.4f}")
        inside = cos > margin
        (st.warning if inside else st.success)(t("mg_cv_inside" if inside else "mg_cv_outside", band=f"{band:.1f}"))

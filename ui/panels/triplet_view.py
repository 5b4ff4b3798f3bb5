"""2-D embedding view for TripletMarginLoss and TripletMarginWithDistanceLoss: move anchor, positive and
negative with sliders; the margin ring, the distance swap uses and torch's loss update as they move."""
from __future__ import annotations

import streamlit as st

from losses import REGISTRY
from losses.errors import InputError
from losses.margin_geometry import metric_from_params, triplet_geometry

from ..i18n import current_lang, t
from ..widgets import show_error
from .geometry_figures import triplet_figure
from .panel_cache import figure, keyed, params_key, table
from ..markdown_blocks import section_heading

POINTS = ("a", "p", "n")
DEFAULT = {"a": (0.0, 0.0), "p": (0.0, 1.0), "n": (1.5, 0.0)}
PRESETS = {
    "easy": {"a": (0.0, 0.0), "p": (0.8, 0.6), "n": (-2.5, 1.0)},
    "semi_hard": {"a": (0.0, 0.0), "p": (1.0, 0.0), "n": (0.5, 1.5)},
    "hard": {"a": (0.0, 0.0), "p": (1.5, 1.0), "n": (0.5, -0.5)},
    "swap": {"a": (0.0, 0.0), "p": (1.0, 0.0), "n": (2.0, 0.0)},
    "direction": {"a": (1.0, 0.0), "p": (3.0, 1.0), "n": (0.4, 0.5)},
}


def _key(slug: str, point: str, axis: str) -> str:
    return f"{slug}.tv_{point}{axis}"


def _apply(slug: str, preset: str) -> None:
    values = DEFAULT if preset == "reset" else PRESETS[preset]
    for point, (x, y) in values.items():
        st.session_state[_key(slug, point, "x")] = x
        st.session_state[_key(slug, point, "y")] = y


def coordinates(slug: str) -> dict:
    return {pt: [float(st.session_state.get(_key(slug, pt, ax), DEFAULT[pt][i])) for i, ax in enumerate("xy")]
            for pt in POINTS}


def render(spec, params: dict, device: str) -> None:
    lang = current_lang()
    slug = spec.slug
    section_heading(t("mg_tv_title"))
    st.caption(t("mg_tv_help"))
    # One horizontal container, not a column per button: a block fewer per button on every rerun.
    with st.container(horizontal=True, gap="small"):
        for name in list(PRESETS) + ["reset"]:
            st.button(t(f"mg_tv_preset_{name}"), key=f"{slug}.tv_btn_{name}", on_click=_apply, args=(slug, name),
                      width="stretch")
    left, right = st.columns([3, 2], gap="medium")
    with right:
        for pt in POINTS:
            st.markdown(f"**{t(f'mg_tv_{pt}')}**")
            with st.container(horizontal=True):  # x beside y, as two columns would be, in one block
                for ax, i in (("x", 0), ("y", 1)):
                    st.slider(f"{pt}.{ax}", -3.0, 3.0, DEFAULT[pt][i], 0.1, key=_key(slug, pt, ax),
                              bind="query-params")
    pts = coordinates(slug)
    inputs = {"anchor": [pts["a"]], "positive": [pts["p"]], "negative": [pts["n"]]}
    key = (slug, tuple(tuple(v) for v in pts.values()), params_key(params), device)
    try:
        loss, compared = keyed(_losses, key, spec, inputs, params, device)
    except InputError as err:
        show_error(err)
        return
    metric = metric_from_params(slug, params)
    g = triplet_geometry(pts["a"], pts["p"], pts["n"], metric, params["margin"], params["swap"])
    with left:
        st.plotly_chart(figure(triplet_figure, pts["a"], pts["p"], pts["n"], metric, params["margin"], params["swap"], loss,
                                       lang), key=f"{slug}.tv_fig", config={"displaylogo": False},
                        alt=t("alt_mg_triplet", d_ap=f"{g['d_ap']:.4f}", d_an=f"{g['d_an']:.4f}",
                              margin=f"{params['margin']:g}", loss=f"{loss:.4f}"))
    with right:
        st.markdown(t("mg_tv_readout", d_ap=f"{g['d_ap']:.4f}", d_an=f"{g['d_an']:.4f}", d_pn=f"{g['d_pn']:.4f}",
                      margin=f"{params['margin']:g}"))
        if params["swap"]:
            st.info(t("mg_tv_swap_pn" if g["uses_pn"] else "mg_tv_swap_an"))
        else:
            st.caption(t("mg_tv_noswap"))
        st.metric(t("mg_tv_loss"), f"{loss:.4f}")
    _compare(spec, loss, compared, params)


def _losses(spec, inputs: dict, params: dict, device: str) -> tuple[float, dict]:
    """torch's loss here, and under each distance of TripletMarginWithDistanceLoss (once per points and params)."""
    other = REGISTRY["triplet_margin_with_distance"]
    base = {"margin": params["margin"], "swap": params["swap"]}
    compared = {name: float(other.evaluate(inputs, {**base, "distance_function": name}, device=device).sum())
                for name in ("pairwise_l2", "cosine", "l1")}
    return float(spec.evaluate(inputs, params, device=device).sum()), compared


def _compare(spec, loss: float, compared: dict, params: dict) -> None:
    """The same three points under each distance: when a cosine distance changes the verdict."""
    rows = []
    for name, value in compared.items():
        current = spec.slug == "triplet_margin_with_distance" and params["distance_function"] == name
        rows.append({t("mg_tv_col_distance"): t(f"mg_dist_{name}"), t("mg_tv_col_loss"): f"{value:.4f}",
                     t("mg_tv_col_here"): "●" if current else ""})
    if spec.slug == "triplet_margin":
        rows.insert(0, {t("mg_tv_col_distance"): t("mg_dist_pnorm", p=f"{params['p']:g}"),
                        t("mg_tv_col_loss"): f"{loss:.4f}",
                        t("mg_tv_col_here"): "●"})
    with st.expander(t("mg_tv_compare"), expanded=spec.slug == "triplet_margin_with_distance"):
        st.caption(t("mg_tv_compare_help"))
        table(rows)

"""Loss in action: three tiny live trainings that show why the choice of loss matters.

Rerun cost (issue 14): the demo picker and the chosen demo are one fragment (picking a demo does not rerun
the app around it), and each demo's settings are a fragment nested in it (a slider reruns only that demo's
results). Everything a setting shows is a view built once per setting, language and layout
(in_action_views: ready figure dicts, table, code) on top of the cached training (in_action_train: a
setting seen before by anyone on this server is not retrained, with a progress bar while one trains).
The embedding animation runs in the browser.
"""
from __future__ import annotations

import streamlit as st

import losses.training as training
from losses.device import device_name

from . import in_action_views as views
from .errors import fragment
from .i18n import current_lang, t
from .loss_page import current_device
from .teacher import is_on
from .url_state import publish, seed

DEMOS = ("outliers", "imbalance", "embeddings")
LRS = (0.001, 0.002, 0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.5)
CHART = {"displaylogo": False}
MAX_SEED = 10**6


def render_in_action() -> None:
    st.title(t("page_in_action"))
    st.markdown(t("action_intro"))
    if not training.is_warm():
        with st.spinner(t("action_warming")):
            training.warm_up()
    _demo_area(current_device())


@fragment
def _demo_area(device: str) -> None:
    """The demo picker and the demo it shows: a pick reruns this, not the page around it."""
    key = "action.demo"
    seed(key, DEMOS)
    if st.session_state.get(key) not in DEMOS:
        st.session_state[key] = DEMOS[0]
    demo = st.segmented_control(t("action_choose"), DEMOS, format_func=lambda d: t(f"action_{d}_tab"),
                                key=key, required=True)
    demo = demo if demo in DEMOS else DEMOS[0]
    publish(key, demo, DEMOS[0])
    st.subheader(t(f"action_{demo}_title"))
    with st.expander(t("action_look_for"), expanded=True):
        st.markdown(t(f"action_{demo}_look"))
    _seed_row(demo, device)
    {"outliers": outliers_demo, "imbalance": imbalance_demo, "embeddings": embeddings_demo}[demo](device)


def _seed_state(demo: str) -> int:
    """The demo's data seed: 0 unless the URL says otherwise; the "new data" button moves it."""
    key = f"action.{demo}.seed"
    if key not in st.session_state:
        raw = st.query_params.get(key, "")
        st.session_state[key] = int(raw) if raw.isdigit() and int(raw) < MAX_SEED else 0
    return int(st.session_state[key])


def _new_data(demo: str) -> None:
    key = f"action.{demo}.seed"
    st.session_state[key] = (int(st.session_state.get(key, 0)) + 1) % MAX_SEED


def _seed_row(demo: str, device: str) -> None:
    """The seed / device line with the "new data" button. It sits outside the demo's own fragment (a slider
    does not redraw it); a click reruns the picker's fragment, and so the demo with its new seed."""
    value = _seed_state(demo)
    publish(f"action.{demo}.seed", value, 0)
    c1, c2 = st.columns([1, 4], vertical_alignment="center")
    with c1:
        st.button(t("action_new_data"), key=f"action.{demo}.new", on_click=_new_data, args=(demo,),
                  help=t("action_new_data_help"), width="stretch")
    with c2:
        st.caption(t("action_seed_device", seed=value, device=device_name(device)))


def _lr_steps(demo: str, lr: float, steps: int, hi: int = 1000) -> tuple[float, int]:
    lr = st.select_slider(t("action_lr"), LRS, value=lr, key=f"action.{demo}.lr", help=t("action_lr_help"),
                          bind="query-params")
    steps = st.slider(t("action_steps"), 20, hi, steps, 10, key=f"action.{demo}.steps",
                      help=t("action_steps_help"), bind="query-params")
    return float(lr), int(steps)


def _chart(view: views.View, name: str, key: str) -> None:
    """A prebuilt figure (already sized for teacher mode when it is on) with its text alternative."""
    chart = view.charts[name]
    st.plotly_chart(chart.figure, key=key, config=CHART, alt=chart.alt)


def _code(snippet: str) -> None:
    with st.expander(t("action_code")):
        st.code(snippet, language="python")


# --- 1. Outliers -----------------------------------------------------------------------------------

@fragment
def outliers_demo(device: str) -> None:
    d = training.OUTLIER_DEFAULTS
    seed_ = _seed_state("outliers")
    c1, c2, c3 = st.columns(3, gap="large")
    with c1:
        frac = st.slider(t("action_outlier_frac"), 0.0, 0.45, d["outlier_frac"], 0.05, key="action.outliers.frac",
                         format="%.2f", help=t("action_outlier_frac_help"), bind="query-params")
        size = st.slider(t("action_outlier_size"), 0.0, 20.0, d["outlier_size"], 0.5, key="action.outliers.size",
                         help=t("action_outlier_size_help"), bind="query-params")
    with c2:
        delta = st.slider("HuberLoss `delta` δ", 0.1, 5.0, d["delta"], 0.1, key="action.outliers.delta",
                          help=t("action_delta_help"), bind="query-params")
        beta = st.slider("SmoothL1Loss `beta` β", 0.1, 5.0, d["beta"], 0.1, key="action.outliers.beta",
                         help=t("action_beta_help"), bind="query-params")
    with c3:
        lr, steps = _lr_steps("outliers", d["lr"], d["steps"])
    view = views.outliers_view(seed_, frac, size, lr, steps, delta, beta, device, current_lang(), is_on())
    left, right = st.columns([3, 2], gap="large")
    with left:
        _chart(view, "fit", "action.outliers.fit")
    with right:
        _chart(view, "err", "action.outliers.err")
        st.table(view.table, hide_index=True, hide_header=False)
    _chart(view, "curves", "action.outliers.curves")
    _code(view.code)


# --- 2. Class imbalance ----------------------------------------------------------------------------

@fragment
def imbalance_demo(device: str) -> None:
    d = training.IMBALANCE_DEFAULTS
    seed_ = _seed_state("imbalance")
    c1, c2, c3 = st.columns(3, gap="large")
    with c1:
        pos = st.slider(t("action_pos_frac"), 0.01, 0.5, d["pos_frac"], 0.01, key="action.imbalance.pos",
                        format="%.2f", help=t("action_pos_frac_help"), bind="query-params")
    with c2:
        alpha = st.slider("focal α `alpha`", 0.0, 1.0, d["alpha"], 0.05, key="action.imbalance.alpha",
                          help=t("action_alpha_help"), bind="query-params")
        gamma = st.slider("focal γ `gamma`", 0.0, 5.0, d["gamma"], 0.5, key="action.imbalance.gamma",
                          help=t("action_gamma_help"), bind="query-params")
    with c3:
        lr, steps = _lr_steps("imbalance", d["lr"], d["steps"])
    view = views.imbalance_view(seed_, pos, lr, steps, alpha, gamma, device, current_lang(), is_on())
    st.caption(view.caption)
    _chart(view, "boundary", "action.imbalance.boundary")
    left, right = st.columns(2, gap="large")
    with left:
        _chart(view, "scores", "action.imbalance.scores")
    with right:
        _chart(view, "curves", "action.imbalance.curves")
    st.table(view.table, hide_index=True, hide_header=False)
    _code(view.code)


# --- 3. Embeddings ---------------------------------------------------------------------------------

@fragment
def embeddings_demo(device: str) -> None:
    d = training.EMBEDDING_DEFAULTS
    seed_ = _seed_state("embeddings")
    c1, c2, c3 = st.columns(3, gap="large")
    with c1:
        n_classes = st.slider(t("action_classes"), 2, 6, d["n_classes"], 1, key="action.embeddings.classes",
                              bind="query-params")
        margin = st.slider("TripletMarginLoss `margin`", 0.1, 3.0, d["margin"], 0.1, key="action.embeddings.margin",
                           help=t("action_margin_help"), bind="query-params")
    with c2:
        mkey = "action.embeddings.mining"
        seed(mkey, training.MINING)
        if st.session_state.get(mkey) not in training.MINING:
            st.session_state[mkey] = d["mining"]
        mining = st.radio(t("action_mining"), training.MINING, format_func=lambda m: t(f"action_mining_{m}"),
                          key=mkey, help=t("action_mining_help"))
        publish(mkey, mining, d["mining"])
    with c3:
        lr, steps = _lr_steps("embeddings", d["lr"], d["steps"])
    view = views.embeddings_view(seed_, n_classes, margin, mining, lr, steps, device, current_lang(), is_on())
    for col, (label, value, change, colour, help_) in zip(st.columns(3), view.metrics):
        col.metric(label, value, change, delta_color=colour, help=help_)
    left, right = st.columns(2, gap="large")
    with left:
        _chart(view, "before", "action.embeddings.before")
    with right:
        _chart(view, "anim", "action.embeddings.anim")
    _chart(view, "progress", "action.embeddings.progress")
    _code(view.code)

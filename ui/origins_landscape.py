"""Part 3 of /origins: the loss surface over (w, b) of a two-parameter model for MSE, L1, Huber(δ) or BCE,
the path gradient descent takes from a start the reader picks (two sliders, or a click on the contour), the
loss along it, the creases of L1, and where the minimum moves when outliers are added."""
from __future__ import annotations

import numpy as np
import streamlit as st

from losses import REGISTRY
from losses import origins_landscape as land

from .errors import fragment
from .figure_cache import prebuilt
from .glossary import has_page
from .i18n import current_lang, t
from .origins_common import terms_caption
from .origins_figures import contour_figure, path_figure
from .origins_quiz import Prediction, render_prediction
from .teacher import is_on, present, show_plot

LOSS_KEY = "origins.land.loss"
FIG_KEY = "origins.land.fig"
START_KEYS = ("origins.land.w0", "origins.land.b0")
DEFAULT_START = {"regression": (-1.0, 3.0), "logistic": (-1.5, 4.0)}
QUIZ_OUTLIERS = 4
FORMULA = (r"L(w, b) = \frac{1}{N}\sum_{i=1}^{N} \ell\big(w x_i + b,\ y_i\big), \qquad "
           r"\begin{pmatrix} w \\ b \end{pmatrix} \leftarrow \begin{pmatrix} w \\ b \end{pmatrix}"
           r" - \mathrm{lr}\cdot \nabla L(w, b)")
LOSS_SLUG = {"mse": "mse", "l1": "l1", "huber": "huber", "bce": "binary_cross_entropy_with_logits"}
TERMS = ("loss_landscape", "gradient_descent", "learning_rate", "gradient", "autograd", "outlier", "residual",
         "subgradient", "convex", "sigmoid")


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def build_contour(loss: str, delta: float, outliers: int, start: tuple, lr: float, steps: int, lang: str,
                  teacher: bool):
    g = land.grid(loss, delta, outliers)
    path = land.descent_path(loss, delta, outliers, start, lr, steps)
    minima = {"clean": land.minimum(loss, delta, 0)[:2]}
    if outliers:
        minima["outliers"] = land.minimum(loss, delta, outliers)[:2]
    creases = land.creases(loss, outliers) if loss == "l1" else []
    keys = ("loss", "colour", "crease", "path", "start", "min_clean", "min_outliers", "w", "b")
    labels = {k: t(f"origins_land_{k}", lang) for k in keys}
    return present(contour_figure(g, path, minima, creases, labels), teacher)


def build_path(loss: str, delta: float, outliers: int, start: tuple, lr: float, steps: int, lang: str,
               teacher: bool):
    x, y = land.dataset(loss, outliers)
    path = land.descent_path(loss, delta, outliers, start, lr, steps)
    w_min, b_min, _ = land.minimum(loss, delta, outliers)
    keys = ("data_panel", "path_panel", "slice_panel", "data", "fit_end", "fit_min", "path_loss", "slice", "step",
            "loss", "b")
    labels = {k: t(f"origins_land_{k}", lang) for k in keys}
    labels["data_y"] = t("origins_land_data_y_bce" if loss == "bce" else "origins_land_data_y", lang)
    labels["model"] = _sigmoid if loss == "bce" else (lambda z: z)
    labels["slice_panel"] = t("origins_land_slice_panel", lang, w=f"{w_min:.2f}")
    fit = {"end": tuple(path.points[-1]), "min": (w_min, b_min)}
    fig = path_figure((x.numpy(), y.numpy()), fit, path, land.slice_through(loss, delta, outliers, w_min), labels)
    return present(fig, teacher)


@st.cache_data(max_entries=512, show_spinner=False)
def cached_summary(loss: str, delta: float, outliers: int, start: tuple, lr: float, steps: int) -> dict:
    path = land.descent_path(loss, delta, outliers, start, lr, steps)
    w, b, value = land.minimum(loss, delta, outliers)
    return {"w": f"{path.points[-1, 0]:.4f}", "b": f"{path.points[-1, 1]:.4f}", "loss": f"{path.losses[-1]:.4f}",
            "w_min": f"{w:.4f}", "b_min": f"{b:.4f}", "loss_min": f"{value:.4f}",
            "shift": f"{land.minimum_shift(loss, delta, outliers):.3f}", "diverged": bool(not np.isfinite(path.losses).all()
                                                                                     or path.losses[-1] > 1e6)}


@st.cache_data(max_entries=8, show_spinner=False)
def cached_shifts(outliers: int) -> dict:
    return {loss: land.minimum_shift(loss, 1.0, outliers) for loss in ("mse", "l1")}


def _prediction() -> Prediction:
    """Whose minimum moves further when 4 outliers are added, MSE's or L1's? torch's minima decide."""
    shifts = cached_shifts(QUIZ_OUTLIERS)
    answer = "same" if abs(shifts["mse"] - shifts["l1"]) < 0.05 else max(shifts, key=shifts.get)
    return Prediction("origins.land.quiz", "land", ("mse", "l1", "same"), answer,
                      {"mse": f"{shifts['mse']:.3f}", "l1": f"{shifts['l1']:.3f}", "n": QUIZ_OUTLIERS})


def _pick_start_from_click(kind: str) -> None:
    """A click on the contour (a point of its invisible click grid) moves the start sliders there. A callback:
    it runs before the sliders are drawn, the only time their state may be set."""
    state = st.session_state.get(FIG_KEY)
    points = (state or {}).get("selection", {}).get("points", [])
    if points:
        (w_lo, w_hi), (b_lo, b_hi) = land.RANGES[kind]
        st.session_state[f"{START_KEYS[0]}.{kind}"] = min(max(round(float(points[0]["x"]), 1), w_lo), w_hi)
        st.session_state[f"{START_KEYS[1]}.{kind}"] = min(max(round(float(points[0]["y"]), 1), b_lo), b_hi)


def _controls(kind: str) -> tuple:
    (w_lo, w_hi), (b_lo, b_hi) = land.RANGES[kind]
    w_def, b_def = DEFAULT_START[kind]
    cols = st.columns(3)
    with cols[0]:
        outliers = st.slider(t("origins_land_outliers"), 0, land.MAX_OUTLIERS, 0, 1, key="origins.land.outliers",
                             bind="query-params", help=t("origins_land_outliers_help"))
        lr = st.slider(t("origins_land_lr"), 0.01, 2.0, 0.2, 0.01, key="origins.land.lr", bind="query-params")
    with cols[1]:
        w0 = st.slider(t("origins_land_w0"), w_lo, w_hi, w_def, 0.1, key=f"{START_KEYS[0]}.{kind}", bind="query-params")
        steps = st.slider(t("origins_land_steps"), 1, 200, 60, 1, key="origins.land.steps", bind="query-params")
    with cols[2]:
        b0 = st.slider(t("origins_land_b0"), b_lo, b_hi, b_def, 0.1, key=f"{START_KEYS[1]}.{kind}", bind="query-params")
    return outliers, (float(w0), float(b0)), float(lr), int(steps)


def render_landscapes() -> None:
    """Static text around one fragment: the loss, its sliders and a click on the contour rerun that only."""
    lang = current_lang()
    st.header(t("origins_part_landscapes"), anchor="landscapes")
    st.markdown(t("origins_land_intro"))
    st.latex(FORMULA)
    _live(lang)
    render_prediction(_prediction())
    terms_caption(TERMS)


@fragment
def _live(lang: str) -> None:
    from .teacher import plot_config
    from .url_state import publish, seed
    seed(LOSS_KEY, land.LOSSES)
    if st.session_state.get(LOSS_KEY) not in land.LOSSES:
        st.session_state[LOSS_KEY] = land.LOSSES[0]
    top = st.columns([3, 1])
    with top[0]:
        loss = st.segmented_control(t("origins_land_choose"), land.LOSSES, key=LOSS_KEY, required=True,
                                    format_func=lambda k, lang=lang: t(f"origins_land_{k}_name", lang))
    loss = loss if loss in land.LOSSES else land.LOSSES[0]
    publish(LOSS_KEY, loss, land.LOSSES[0])
    with top[1]:
        delta = st.slider(t("origins_land_delta"), 0.1, 3.0, 1.0, 0.1, key="origins.land.delta", bind="query-params",
                          disabled=loss != "huber")
    delta = float(delta) if loss == "huber" else 1.0        # one cache entry for the losses without δ
    kind = land.kind(loss)
    outliers, start, lr, steps = _controls(kind)
    args = (loss, delta, outliers, start, lr, steps, lang, is_on())
    st.plotly_chart(prebuilt(build_contour, *args), key=FIG_KEY, on_select=lambda: _pick_start_from_click(kind),
                    selection_mode="points", config=plot_config(f"losslab_origins_{loss}"),
                    alt=t("alt_origins_contour", loss=t(f"origins_land_{loss}_name"), steps=steps, lr=f"{lr:g}"))
    st.caption(t("origins_land_click"))
    summary = cached_summary(loss, delta, outliers, start, lr, steps)
    if summary["diverged"]:
        st.warning(t("origins_land_diverged", lr=f"{lr:g}"))
    st.markdown(t("origins_land_result", steps=steps, lr=f"{lr:g}", **{k: v for k, v in summary.items() if k != "diverged"}))
    show_plot(prebuilt(build_path, *args), "origins.land.path", None, filename=f"losslab_origins_path_{loss}",
              alt=t("alt_origins_path", loss=t(f"origins_land_{loss}_name"), w=summary["w_min"], b=summary["b_min"],
                    value=summary["loss_min"]))
    st.markdown(t(f"origins_land_{loss}_text") + " " + (t("origins_land_shift", n=outliers, shift=summary["shift"])
                                                         if outliers else t("origins_land_shift_none")))
    if has_page(LOSS_SLUG[loss]):
        st.page_link(f"pages/{LOSS_SLUG[loss]}.py", label=REGISTRY[LOSS_SLUG[loss]].title,
                     icon=":material/arrow_forward:", query_params={"lang": lang})

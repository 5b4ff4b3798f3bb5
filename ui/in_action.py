"""Loss in action: three tiny live trainings that show why the choice of loss matters.

Each demo runs in its own fragment (its widgets rerun only that demo) and trains through a st.cache_data
function keyed by that demo's settings and the device: a setting seen before (by anyone on this server) is
not retrained, the language and the other demos' widgets are not part of the key, and the embedding
animation runs in the browser. A progress bar shows while a demo trains.
The training code itself is in losses/training.py (pure torch, no Streamlit).
"""
from __future__ import annotations

import streamlit as st

import losses.training as training
from losses.device import device_name

from . import in_action_figures as figs
from .errors import fragment
from .teacher import is_on, present
from .i18n import t
from .loss_page import current_device
from .url_state import publish, seed

DEMOS = ("outliers", "imbalance", "embeddings")
LRS = (0.001, 0.002, 0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.5)
CHART = {"displaylogo": False}


def _chart(fig, key: str, config: dict, alt: str | None = None) -> None:
    """st.plotly_chart, sized for a projector in teacher mode (every text on the plot >= 18 px)."""
    st.plotly_chart(present(fig, is_on()), key=key, config=config, alt=alt)
MAX_SEED = 10**6


# ---------------------------------------------------------------------------------------------------
# Cached training: one entry per demo settings. `_label` (the progress text) is not part of the key.
# The progress bar is created inside the cached function, so Streamlit can replay it on a cache hit
# (where it ends empty, as it did after training).
# ---------------------------------------------------------------------------------------------------

def _progress_bar(label: str):
    bar = st.progress(0.0, text=label)
    return bar, (lambda f: bar.progress(min(max(float(f), 0.0), 1.0), text=label))


@st.cache_data(max_entries=256, show_spinner=False)
def line_data(seed_: int, frac: float, size: float) -> training.LineData:
    return training.make_line_data(seed_, frac, size)


@st.cache_data(max_entries=256, show_spinner=False)
def line_fits(seed_: int, frac: float, size: float, lr: float, steps: int, delta: float, beta: float, device: str,
              _label: str = "") -> dict[str, training.LineFit]:
    bar, progress = _progress_bar(_label)
    fits = training.fit_lines(line_data(seed_, frac, size), training.REG_LOSSES, lr=lr, steps=steps, delta=delta,
                              beta=beta, device=device, progress=progress)
    bar.empty()
    return fits


@st.cache_data(max_entries=256, show_spinner=False)
def blob_data(seed_: int, pos_frac: float) -> training.BlobData:
    return training.make_blob_data(seed_, pos_frac)


@st.cache_data(max_entries=256, show_spinner=False)
def classifier_fits(seed_: int, pos_frac: float, lr: float, steps: int, alpha: float, gamma: float, device: str,
                    _label: str = "") -> dict[str, training.ClassifierFit]:
    bar, progress = _progress_bar(_label)
    fits = training.fit_classifiers(blob_data(seed_, pos_frac), training.CLS_LOSSES, lr=lr, steps=steps,
                                    alpha=alpha, gamma=gamma, seed=seed_, device=device, progress=progress)
    bar.empty()
    return fits


@st.cache_data(max_entries=256, show_spinner=False)
def class_data(seed_: int, n_classes: int) -> training.ClassData:
    return training.make_class_data(seed_, n_classes)


@st.cache_data(max_entries=256, show_spinner=False)
def embedding_fit(seed_: int, n_classes: int, margin: float, mining: str, lr: float, steps: int, device: str,
                  _label: str = "") -> training.EmbeddingFit:
    bar, progress = _progress_bar(_label)
    fit = training.fit_embedding(class_data(seed_, n_classes), margin=margin, mining=mining, lr=lr, steps=steps,
                                 seed=seed_, device=device, progress=progress)
    bar.empty()
    return fit


# ---------------------------------------------------------------------------------------------------
# Page
# ---------------------------------------------------------------------------------------------------

def render_in_action() -> None:
    st.title(t("page_in_action"))
    st.markdown(t("action_intro"))
    device = current_device()
    if not training.is_warm():
        with st.spinner(t("action_warming")):
            training.warm_up()
    key = "action.demo"
    seed(key, DEMOS)
    if st.session_state.get(key) not in DEMOS:
        st.session_state[key] = DEMOS[0]
    demo = st.segmented_control(t("action_choose"), DEMOS, format_func=lambda d: t(f"action_{d}_tab"),
                                key=key, required=True)
    demo = demo if demo in DEMOS else DEMOS[0]
    publish(key, demo, DEMOS[0])
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


def _header(demo: str, device: str) -> int:
    """Title, what to look for, and the seed / device line with the "new data" button."""
    st.subheader(t(f"action_{demo}_title"))
    with st.expander(t("action_look_for"), expanded=True):
        st.markdown(t(f"action_{demo}_look"))
    value = _seed_state(demo)
    publish(f"action.{demo}.seed", value, 0)
    c1, c2 = st.columns([1, 4], vertical_alignment="center")
    with c1:
        st.button(t("action_new_data"), key=f"action.{demo}.new", on_click=_new_data, args=(demo,),
                  help=t("action_new_data_help"), width="stretch")
    with c2:
        st.caption(t("action_seed_device", seed=value, device=device_name(device)))
    return value


def _lr_steps(demo: str, lr: float, steps: int, hi: int = 1000) -> tuple[float, int]:
    lr = st.select_slider(t("action_lr"), LRS, value=lr, key=f"action.{demo}.lr", help=t("action_lr_help"),
                          bind="query-params")
    steps = st.slider(t("action_steps"), 20, hi, steps, 10, key=f"action.{demo}.steps",
                      help=t("action_steps_help"), bind="query-params")
    return float(lr), int(steps)


# --- 1. Outliers -----------------------------------------------------------------------------------

@fragment
def outliers_demo(device: str) -> None:
    d = training.OUTLIER_DEFAULTS
    seed_ = _header("outliers", device)
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
    names = {"mse": "MSELoss", "l1": "L1Loss", "smooth_l1": f"SmoothL1Loss (β={beta:g})",
             "huber": f"HuberLoss (δ={delta:g})"}
    data = line_data(seed_, frac, size)
    fits = line_fits(seed_, frac, size, lr, steps, delta, beta, device,
                     _label=t("action_training", models=", ".join(names.values())))
    left, right = st.columns([3, 2], gap="large")
    with left:
        _chart(figs.line_figure(data, fits, names, {
            "inliers": t("action_inliers"), "outliers": t("action_outliers_pts"), "true_line": t("action_true_line"),
            "x": "x", "y": "y", "title": t("action_fits_title")}), key="action.outliers.fit", config=CHART,
            alt=t("alt_action_fit", models=", ".join(names.values())))
    with right:
        _chart(figs.error_bar_figure(fits, names, {"title": t("action_error_title")}),
                        key="action.outliers.err", config=CHART, alt=t("alt_action_error", errors=", ".join(
                            f"{names[n]} {f.final_error:.3f}" for n, f in fits.items())))
        rows = [{t("action_col_loss"): names[n], "w": f"{f.w:.3f}", "b": f"{f.b:.3f}",
                 t("action_col_error"): f"{f.final_error:.3f}"} for n, f in fits.items()]
        rows.append({t("action_col_loss"): t("action_true_line"), "w": f"{data.w_true:.3f}",
                     "b": f"{data.b_true:.3f}", t("action_col_error"): "0"})
        st.table(rows)
    _chart(figs.line_training_figure(fits, names, {
        "loss_title": t("action_loss_over_steps"), "error_title": t("action_error_over_steps"),
        "step": t("action_step"), "loss": t("action_loss_log"), "error": t("action_error_axis")}),
        key="action.outliers.curves", config=CHART,
        alt=t("alt_action_curves", steps=steps, models=", ".join(names.values())))
    _code(training_code_outliers(lr, steps, delta, beta))


# --- 2. Class imbalance ----------------------------------------------------------------------------

@fragment
def imbalance_demo(device: str) -> None:
    d = training.IMBALANCE_DEFAULTS
    seed_ = _header("imbalance", device)
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
    data = blob_data(seed_, pos)
    pw = data.pos_weight
    names = {"bce": "BCE", "bce_pos_weight": f"BCE + pos_weight={pw:.1f}", "focal": f"focal (α={alpha:g}, γ={gamma:g})"}
    fits = classifier_fits(seed_, pos, lr, steps, alpha, gamma, device,
                           _label=t("action_training", models=", ".join(names.values())))
    st.caption(t("action_imbalance_counts", n_pos=int(data.y_train.sum()), n=len(data.y_train), pw=pw,
                 n_test=len(data.y_test)))
    _chart(figs.boundary_figure(data, fits, names, {
        "negatives": t("action_negatives"), "positives": t("action_positives"), "prob": t("action_prob"),
        "boundary": t("action_boundary")}), key="action.imbalance.boundary", config=CHART,
        alt=t("alt_action_boundary", models=", ".join(names.values())))
    left, right = st.columns(2, gap="large")
    with left:
        _chart(figs.scores_figure(fits, names, {
            "title": t("action_scores_title"), "precision": t("action_precision"), "recall": t("action_recall"),
            "f1": "F1"}), key="action.imbalance.scores", config=CHART, alt=t("alt_action_scores", scores="; ".join(
                f"{names[n]} {f.test.precision:.2f} / {f.test.recall:.2f} / {f.test.f1:.2f}" for n, f in fits.items())))
    with right:
        _chart(figs.loss_curves_figure({n: f.losses for n, f in fits.items()}, names, {
            "title": t("action_loss_over_steps"), "step": t("action_step"), "loss": t("action_loss_log")}),
            key="action.imbalance.curves", config=CHART,
            alt=t("alt_action_loss_curves", steps=steps, models=", ".join(names.values())))
    rows = [{t("action_col_loss"): names[n], t("action_precision"): f"{f.test.precision:.3f}",
             t("action_recall"): f"{f.test.recall:.3f}", "F1": f"{f.test.f1:.3f}",
             t("action_accuracy"): f"{f.test.accuracy:.3f}", "TP": f.test.tp, "FP": f.test.fp, "FN": f.test.fn}
            for n, f in fits.items()]
    st.table(rows)
    _code(training_code_imbalance(lr, steps, pw, alpha, gamma))


# --- 3. Embeddings ---------------------------------------------------------------------------------

@fragment
def embeddings_demo(device: str) -> None:
    d = training.EMBEDDING_DEFAULTS
    seed_ = _header("embeddings", device)
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
    fit = embedding_fit(seed_, n_classes, margin, mining, lr, steps, device,
                        _label=t("action_training", models=f"TripletMarginLoss (margin={margin:g})"))
    classes = [t("action_class", c=c + 1) for c in range(n_classes)]
    m1, m2, m3 = st.columns(3)
    m1.metric(t("action_knn_metric"), f"{fit.knn[-1]:.0%}", t("action_pp", v=(fit.knn[-1] - fit.knn[0]) * 100),
              help=t("action_knn_help"))
    m2.metric(t("action_heldout_metric"), f"{fit.eval_loss[-1]:.3f}", f"{fit.eval_loss[-1] - fit.eval_loss[0]:+.3f}",
              delta_color="inverse", help=t("action_heldout_help"))
    m3.metric(t("action_ratio_metric"), f"{fit.ratio[-1]:.2f}", f"{fit.ratio[-1] - fit.ratio[0]:+.2f}",
              help=t("action_ratio_help"))
    left, right = st.columns(2, gap="large")
    with left:
        _chart(figs.embedding_figure(fit, 0, {"title": t("action_before"), "classes": classes}),
                        key="action.embeddings.before", config=CHART, alt=t("alt_action_emb_before", n=n_classes))
    with right:
        _chart(figs.embedding_animation(fit, {
            "title": t("action_after"), "classes": classes, "play": t("action_play"), "pause": t("action_pause"),
            "step": t("action_step")}), key="action.embeddings.anim", config=CHART,
            alt=t("alt_action_emb_after", n=n_classes, margin=f"{margin:g}"))
    _chart(figs.embedding_progress_figure(fit, {
        "loss_title": t("action_triplet_loss_title"), "acc_title": t("action_knn_title"),
        "train_loss": t("action_train_loss", mining=t(f"action_mining_{mining}")),
        "heldout_loss": t("action_heldout_loss"), "knn": t("action_knn_metric"), "step": t("action_step"),
        "loss": t("action_loss"), "accuracy": t("action_accuracy"), "chance": t("action_chance")}),
        key="action.embeddings.progress", config=CHART, alt=t("alt_action_progress", knn=f"{fit.knn[-1]:.0%}"))
    _code(training_code_embeddings(lr, steps, margin))


# ---------------------------------------------------------------------------------------------------
# The training loop, as code a reader can copy (the page's settings filled in)
# ---------------------------------------------------------------------------------------------------

def _code(snippet: str) -> None:
    with st.expander(t("action_code")):
        st.code(snippet, language="python")


def training_code_outliers(lr: float, steps: int, delta: float, beta: float) -> str:
    return f"""import torch
import torch.nn.functional as F

device = "cuda" if torch.cuda.is_available() else "cpu"
x, y = x.to(device), y.to(device)              # 1-D inputs and targets
losses = {{
    "mse": lambda p, t: F.mse_loss(p, t),
    "l1": lambda p, t: F.l1_loss(p, t),
    "smooth_l1": lambda p, t: F.smooth_l1_loss(p, t, beta={beta:g}),
    "huber": lambda p, t: F.huber_loss(p, t, delta={delta:g}),
}}
for name, loss_fn in losses.items():
    wb = torch.zeros(2, device=device, requires_grad=True)   # same start for every loss
    opt = torch.optim.Adam([wb], lr={lr:g})
    for step in range({steps}):
        opt.zero_grad()
        loss = loss_fn(wb[0] * x + wb[1], y)
        loss.backward()
        opt.step()
    print(name, wb.tolist())
"""


def training_code_imbalance(lr: float, steps: int, pos_weight: float, alpha: float, gamma: float) -> str:
    return f"""import torch
import torch.nn.functional as F

def sigmoid_focal_loss(logits, target, alpha={alpha:g}, gamma={gamma:g}):
    # torchvision.ops.sigmoid_focal_loss, reduction="mean"
    p = torch.sigmoid(logits)
    ce = F.binary_cross_entropy_with_logits(logits, target, reduction="none")
    p_t = p * target + (1 - p) * (1 - target)
    loss = ce * (1 - p_t) ** gamma
    if alpha >= 0:
        loss = (alpha * target + (1 - alpha) * (1 - target)) * loss
    return loss.mean()

device = "cuda" if torch.cuda.is_available() else "cpu"
pos_weight = torch.tensor([{pos_weight:.4g}], device=device)   # negatives / positives
losses = {{
    "bce": lambda z, t: F.binary_cross_entropy_with_logits(z, t),
    "bce_pos_weight": lambda z, t: F.binary_cross_entropy_with_logits(z, t, pos_weight=pos_weight),
    "focal": sigmoid_focal_loss,
}}
for name, loss_fn in losses.items():
    torch.manual_seed(0)                        # same initial weights for every loss
    model = torch.nn.Sequential(torch.nn.Linear(2, 16), torch.nn.Tanh(), torch.nn.Linear(16, 16),
                                torch.nn.Tanh(), torch.nn.Linear(16, 1)).to(device)
    opt = torch.optim.Adam(model.parameters(), lr={lr:g})
    for step in range({steps}):
        opt.zero_grad()
        loss = loss_fn(model(x.to(device)).squeeze(1), y.to(device))   # y: float 0/1
        loss.backward()
        opt.step()
"""


def training_code_embeddings(lr: float, steps: int, margin: float) -> str:
    return f"""import torch
import torch.nn.functional as F

device = "cuda" if torch.cuda.is_available() else "cpu"
encoder = torch.nn.Sequential(torch.nn.Linear(10, 32), torch.nn.Tanh(), torch.nn.Linear(32, 2)).to(device)
opt = torch.optim.Adam(encoder.parameters(), lr={lr:g})
x, labels = x.to(device), labels.to(device)
for step in range({steps}):
    emb = encoder(x)
    anchor, positive, negative = mine_triplets(emb.detach(), labels)   # index tensors, one per anchor
    loss = F.triplet_margin_loss(emb[anchor], emb[positive], emb[negative], margin={margin:g})
    opt.zero_grad()
    loss.backward()
    opt.step()
"""

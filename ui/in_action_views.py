"""What each "Loss in action" demo shows for one setting, built once per process and shared by every session.

A view holds the figures as ready dicts (PrebuiltFigure), their text alternatives, the table and the code, in
one language and one layout (teacher mode or not). A widget moved back to a setting seen before costs only
the sending of these: no figure is rebuilt, no training result is copied out of st.cache_data. Callers must
not mutate a view. On a miss the training goes through in_action_train (its own cache, with a progress bar);
a hit draws an empty placeholder where that bar would be, so the page's element tree is the same either way
(and no cached progress bar is replayed on every rerun).
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pyarrow as pa
import streamlit as st

from . import in_action_code as code
from . import in_action_figures as figs
from . import in_action_train as train
from .figures import PrebuiltFigure
from .i18n import t
from .memo import shared
from .teacher import present


@dataclass(frozen=True)
class Chart:
    figure: PrebuiltFigure
    alt: str


@dataclass(frozen=True)
class View:
    charts: dict[str, Chart]
    code: str
    table: pa.Table | None = None   # Arrow already: st.table sends it without converting pandas each rerun
    caption: str = ""
    metrics: tuple = ()   # (label, value, delta, delta_color, help) per st.metric


def _table(rows: list[dict]) -> pa.Table:
    """The rows as st.table showed them as records: columns in order, no index column."""
    return pa.Table.from_pandas(pd.DataFrame(rows), preserve_index=False)


class _NotBuilt(Exception):
    """A view asked for without its training results: the shared cache (ui/memo.py) keeps no exception, so
    the lookup leaves nothing in the cache."""


def _view(view_fn, key: tuple, trained) -> View:
    """view_fn(*key) if built before, else trains (trained(): progress bar, its own cache) and builds it."""
    try:
        view = view_fn(*key)
    except _NotBuilt:
        return view_fn(*key, _trained=trained())
    st.empty()  # where a training run shows (and empties) its progress bar
    return view


def _chart(fig, teacher: bool, alt: str) -> Chart:
    return Chart(PrebuiltFigure(present(fig, teacher).to_dict()), alt)


def _line_names(delta: float, beta: float) -> dict[str, str]:
    return {"mse": "MSELoss", "l1": "L1Loss", "smooth_l1": f"SmoothL1Loss (β={beta:g})",
            "huber": f"HuberLoss (δ={delta:g})"}


def outliers_view(seed_: int, frac: float, size: float, lr: float, steps: int, delta: float, beta: float,
                  device: str, lang: str, teacher: bool) -> View:
    label = t("action_training", lang, models=", ".join(_line_names(delta, beta).values()))
    return _view(_outliers_view, (seed_, frac, size, lr, steps, delta, beta, device, lang, teacher),
                 lambda: (train.line_data(seed_, frac, size),
                          train.line_fits(seed_, frac, size, lr, steps, delta, beta, device, _label=label)))


@shared(maxsize=256)
def _outliers_view(seed_: int, frac: float, size: float, lr: float, steps: int, delta: float, beta: float,
                   device: str, lang: str, teacher: bool, _trained=None) -> View:
    if _trained is None:
        raise _NotBuilt
    data, fits = _trained
    names = _line_names(delta, beta)
    models = ", ".join(names.values())
    fit = figs.line_figure(data, fits, names, {
        "inliers": t("action_inliers", lang), "outliers": t("action_outliers_pts", lang),
        "true_line": t("action_true_line", lang), "x": "x", "y": "y", "title": t("action_fits_title", lang)})
    err = figs.error_bar_figure(fits, names, {"title": t("action_error_title", lang)})
    curves = figs.line_training_figure(fits, names, {
        "loss_title": t("action_loss_over_steps", lang), "error_title": t("action_error_over_steps", lang),
        "step": t("action_step", lang), "loss": t("action_loss_log", lang), "error": t("action_error_axis", lang)})
    errors = ", ".join(f"{names[n]} {f.final_error:.3f}" for n, f in fits.items())
    col_loss, col_err = t("action_col_loss", lang), t("action_col_error", lang)
    rows = [{col_loss: names[n], "w": f"{f.w:.3f}", "b": f"{f.b:.3f}", col_err: f"{f.final_error:.3f}"}
            for n, f in fits.items()]
    rows.append({col_loss: t("action_true_line", lang), "w": f"{data.w_true:.3f}", "b": f"{data.b_true:.3f}",
                 col_err: "0"})
    return View(charts={
        "fit": _chart(fit, teacher, t("alt_action_fit", lang, models=models)),
        "err": _chart(err, teacher, t("alt_action_error", lang, errors=errors)),
        "curves": _chart(curves, teacher, t("alt_action_curves", lang, steps=steps, models=models))},
        table=_table(rows), code=code.training_code_outliers(lr, steps, delta, beta))


def _cls_names(pos_weight: float, alpha: float, gamma: float) -> dict[str, str]:
    return {"bce": "BCE", "bce_pos_weight": f"BCE + pos_weight={pos_weight:.1f}",
            "focal": f"focal (α={alpha:g}, γ={gamma:g})"}


def imbalance_view(seed_: int, pos: float, lr: float, steps: int, alpha: float, gamma: float, device: str,
                   lang: str, teacher: bool) -> View:
    def trained():
        data = train.blob_data(seed_, pos)
        label = t("action_training", lang, models=", ".join(_cls_names(data.pos_weight, alpha, gamma).values()))
        return data, train.classifier_fits(seed_, pos, lr, steps, alpha, gamma, device, _label=label)
    return _view(_imbalance_view, (seed_, pos, lr, steps, alpha, gamma, device, lang, teacher), trained)


@shared(maxsize=256)
def _imbalance_view(seed_: int, pos: float, lr: float, steps: int, alpha: float, gamma: float, device: str,
                    lang: str, teacher: bool, _trained=None) -> View:
    if _trained is None:
        raise _NotBuilt
    data, fits = _trained
    pw = data.pos_weight
    names = _cls_names(pw, alpha, gamma)
    models = ", ".join(names.values())
    boundary = figs.boundary_figure(data, fits, names, {
        "negatives": t("action_negatives", lang), "positives": t("action_positives", lang),
        "prob": t("action_prob", lang), "boundary": t("action_boundary", lang)})
    scores = figs.scores_figure(fits, names, {
        "title": t("action_scores_title", lang), "precision": t("action_precision", lang),
        "recall": t("action_recall", lang), "f1": "F1"})
    curves = figs.loss_curves_figure({n: f.losses for n, f in fits.items()}, names, {
        "title": t("action_loss_over_steps", lang), "step": t("action_step", lang), "loss": t("action_loss_log", lang)})
    score_text = "; ".join(f"{names[n]} {f.test.precision:.2f} / {f.test.recall:.2f} / {f.test.f1:.2f}"
                           for n, f in fits.items())
    rows = [{t("action_col_loss", lang): names[n], t("action_precision", lang): f"{f.test.precision:.3f}",
             t("action_recall", lang): f"{f.test.recall:.3f}", "F1": f"{f.test.f1:.3f}",
             t("action_accuracy", lang): f"{f.test.accuracy:.3f}", "TP": f.test.tp, "FP": f.test.fp, "FN": f.test.fn}
            for n, f in fits.items()]
    return View(charts={
        "boundary": _chart(boundary, teacher, t("alt_action_boundary", lang, models=models)),
        "scores": _chart(scores, teacher, t("alt_action_scores", lang, scores=score_text)),
        "curves": _chart(curves, teacher, t("alt_action_loss_curves", lang, steps=steps, models=models))},
        table=_table(rows), code=code.training_code_imbalance(lr, steps, pw, alpha, gamma),
        caption=t("action_imbalance_counts", lang, n_pos=int(data.y_train.sum()), n=len(data.y_train), pw=pw,
                  n_test=len(data.y_test)))


def embeddings_view(seed_: int, n_classes: int, margin: float, mining: str, lr: float, steps: int, device: str,
                    lang: str, teacher: bool) -> View:
    label = t("action_training", lang, models=f"TripletMarginLoss (margin={margin:g})")
    return _view(_embeddings_view, (seed_, n_classes, margin, mining, lr, steps, device, lang, teacher),
                 lambda: train.embedding_fit(seed_, n_classes, margin, mining, lr, steps, device, _label=label))


@shared(maxsize=256)
def _embeddings_view(seed_: int, n_classes: int, margin: float, mining: str, lr: float, steps: int, device: str,
                     lang: str, teacher: bool, _trained=None) -> View:
    if _trained is None:
        raise _NotBuilt
    fit = _trained
    classes = [t("action_class", lang, c=c + 1) for c in range(n_classes)]
    before = figs.embedding_figure(fit, 0, {"title": t("action_before", lang), "classes": classes})
    anim = figs.embedding_animation(fit, {
        "title": t("action_after", lang), "classes": classes, "play": t("action_play", lang),
        "pause": t("action_pause", lang), "step": t("action_step", lang)})
    progress = figs.embedding_progress_figure(fit, {
        "loss_title": t("action_triplet_loss_title", lang), "acc_title": t("action_knn_title", lang),
        "train_loss": t("action_train_loss", lang, mining=t(f"action_mining_{mining}", lang)),
        "heldout_loss": t("action_heldout_loss", lang), "knn": t("action_knn_metric", lang),
        "step": t("action_step", lang), "loss": t("action_loss", lang), "accuracy": t("action_accuracy", lang),
        "chance": t("action_chance", lang)})
    metrics = (
        (t("action_knn_metric", lang), f"{fit.knn[-1]:.0%}", t("action_pp", lang, v=(fit.knn[-1] - fit.knn[0]) * 100),
         "normal", t("action_knn_help", lang)),
        (t("action_heldout_metric", lang), f"{fit.eval_loss[-1]:.3f}", f"{fit.eval_loss[-1] - fit.eval_loss[0]:+.3f}",
         "inverse", t("action_heldout_help", lang)),
        (t("action_ratio_metric", lang), f"{fit.ratio[-1]:.2f}", f"{fit.ratio[-1] - fit.ratio[0]:+.2f}", "normal",
         t("action_ratio_help", lang)))
    return View(charts={
        "before": _chart(before, teacher, t("alt_action_emb_before", lang, n=n_classes)),
        "anim": _chart(anim, teacher, t("alt_action_emb_after", lang, n=n_classes, margin=f"{margin:g}")),
        "progress": _chart(progress, teacher, t("alt_action_progress", lang, knn=f"{fit.knn[-1]:.0%}"))},
        code=code.training_code_embeddings(lr, steps, margin), metrics=metrics)

"""CTC trellis explorer: edit a label, T, the alphabet and the per-frame distribution; see the extended label,
the alpha lattice with its transitions, every valid alignment, and the autograd gradient on the logits."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import streamlit as st

from losses import ctc_explorer as cx
from losses.errors import InputError

from ..i18n import current_lang, t
from ..url_state import publish, seed
from ..widgets import show_error
from . import trellis_figures as tf
from .panel_cache import figure, once
from ..markdown_blocks import section_heading

DISTS = ("random", "uniform", "hand")
VIEWS = ("log_alpha", "posterior")


def _trellis_figure(lp_bytes: bytes, shape: tuple, label: tuple, blank: int, view: str, labels_items: tuple):
    """Building a Plotly figure costs more than the whole computation: built once per input (panel_cache)."""
    tr = _analysis(lp_bytes, shape, label, blank)
    return tf.trellis_figure(tr, cx.symbols(shape[1], blank), dict(labels_items), view)


def _class_figure(values_bytes: bytes, shape: tuple, blank: int, labels_items: tuple, title: str, cbar: str,
                  diverging: bool):
    values = np.frombuffer(values_bytes, dtype=np.float64).reshape(shape)
    return tf.class_heatmap(values, cx.symbols(shape[1], blank), blank, dict(labels_items), title, cbar, diverging)


def _analysis_of(lp_bytes: bytes, shape: tuple, label: tuple, blank: int) -> cx.Trellis:
    return cx.analyse(np.frombuffer(lp_bytes, dtype=np.float64).reshape(shape), np.asarray(label, dtype=np.int64),
                      blank)


def _analysis(lp_bytes: bytes, shape: tuple, label: tuple, blank: int) -> cx.Trellis:
    """The trellis once per distribution and label (shared: never mutated)."""
    return once(_analysis_of, lp_bytes, shape, label, blank)


def _torch_of(z_bytes: bytes, shape: tuple, label: tuple, params_items: tuple, device: str):
    z = np.frombuffer(z_bytes, dtype=np.float64).reshape(shape)
    return cx.torch_loss_and_grad(z, np.asarray(label, dtype=np.int64), dict(params_items), device)


def _alignment_table_of(lp_bytes: bytes, shape: tuple, label: tuple, blank: int, columns: tuple):
    """The listed alignments as an Arrow table (a pandas frame costs milliseconds on every rerun)."""
    rows = cx.alignment_rows(_analysis(lp_bytes, shape, label, blank), cx.symbols(shape[1], blank))
    keys = ("path", "merged", "collapsed", "prob", "share")
    values = {k: [r[k] or "∅" if k == "collapsed" else r[k] for r in rows] for k in keys}
    return pa.table({name: values[k] for name, k in zip(columns, keys)}), len(rows), float(sum(values["prob"]))


def _controls():
    c1, c2, c3 = st.columns([2, 2, 2])
    with c1:
        text = st.text_input(t("ctc_label"), value="aab", max_chars=cx.MAX_S, key="ctc.label",
                             help=t("ctc_label_help"), bind="query-params")
    with c2:
        T = st.slider(t("ctc_T"), 1, cx.MAX_T, 6, key="ctc.T", bind="query-params")
    with c3:
        C = st.slider(t("ctc_C"), 2, cx.MAX_C, 3, key="ctc.C", help=t("ctc_C_help"), bind="query-params")
    c4, c5, c6 = st.columns([2, 2, 2])
    with c4:
        seed("ctc.dist", DISTS)
        dist = st.radio(t("ctc_dist"), DISTS, format_func=lambda d, lang=current_lang(): t(f"ctc_dist_{d}", lang), key="ctc.dist",
                        horizontal=True)
        publish("ctc.dist", dist, "random")
    with c5:
        rng_seed = st.number_input(t("ctc_seed"), 0, 9999, 0, step=1, key="ctc.seed", bind="query-params",
                                   disabled=dist == "uniform")
    with c6:
        scale = st.slider(t("ctc_scale"), 0.0, 5.0, 1.5, 0.25, key="ctc.scale", bind="query-params",
                          disabled=dist == "uniform")
    return text, int(T), int(C), dist, int(rng_seed), float(scale)


def _logits(T: int, C: int, dist: str, rng_seed: int, scale: float, sym: list[str]) -> np.ndarray:
    if dist == "uniform":
        return np.zeros((T, C))
    z = cx.random_logits(T, C, rng_seed, scale)
    if dist == "random":
        return z
    st.caption(t("ctc_hand_help"))
    frame = pd.DataFrame(np.round(z, 2), index=[f"t={i + 1}" for i in range(T)],
                         columns=[f"{k} {sym[k]}" + (f" ({t('ctc_blank_word')})" if sym[k] == cx.BLANK_GLYPH else "")
                                  for k in range(C)])
    edited = st.data_editor(frame, key=f"ctc.table.{T}.{C}.{rng_seed}", width="stretch")
    return cx.check_logits(edited.to_numpy(dtype=np.float64, na_value=np.nan))


def _extended_table(tr: cx.Trellis, sym: list[str]) -> str:
    skip = cx.ref.skip_allowed(tr.ext, tr.blank)
    cells_s = [str(s + 1) for s in range(tr.ext.size)]
    cells_sym = [f"`{sym[k]}`" for k in tr.ext]
    cells_k = [str(int(k)) for k in tr.ext]
    cells_skip = []
    for s, k in enumerate(tr.ext):
        if s < 2 or k == tr.blank:
            cells_skip.append("")
        else:
            cells_skip.append(t("ctc_yes") if skip[s] else t("ctc_no_repeat"))
    rows = [(t("ctc_row_s"), cells_s), (t("ctc_row_sym"), cells_sym), (t("ctc_row_class"), cells_k),
            (t("ctc_row_skip"), cells_skip)]
    head = "| " + rows[0][0] + " | " + " | ".join(rows[0][1]) + " |"
    sep = "|" + "---|" * (len(cells_s) + 1)
    body = ["| " + name + " | " + " | ".join(c or " " for c in cells) + " |" for name, cells in rows[1:]]
    return "\n".join([head, sep, *body])


def _fmt_loss(v: float) -> str:
    return "inf" if np.isinf(v) else ("NaN" if np.isnan(v) else f"{v:.5f}")


def render(spec, params: dict, device: str) -> None:
    section_heading(t("ctc_title"))
    st.caption(t("ctc_intro"))
    text, T, C, dist, rng_seed, scale = _controls()
    blank = int(params["blank"])
    if blank >= C:  # the blank must be a class: grow the alphabet rather than hide every plot behind an error
        st.info(t("ctc_C_grown", blank=blank, C=blank + 1, chosen=C))
        C = blank + 1
    try:
        label = cx.parse_label(text, C, blank)
        sym = cx.symbols(C, blank)
        z = _logits(T, C, dist, rng_seed, scale, sym)
        z = np.ascontiguousarray(z, dtype=np.float64)
        key = (tuple(int(k) for k in label), tuple(sorted(params.items())))
        loss, per_seq, grad = once(_torch_of, z.tobytes(), z.shape, *key, device)
    except InputError as err:
        show_error(err)
        return
    lp = np.ascontiguousarray(cx.log_softmax(z), dtype=np.float64)
    tr = _analysis(lp.tobytes(), lp.shape, key[0], blank)

    mapping = ", ".join(f"{k} = `{s}`" + (f" ({t('ctc_blank_word')})" if k == blank else "") for k, s in enumerate(sym))
    st.markdown(t("ctc_classes", mapping=mapping))
    st.markdown(f"**{t('ctc_ext_heading')}**")
    st.markdown(_extended_table(tr, sym))
    need = tr.S + tr.R
    st.caption(t("ctc_need", S=tr.S, R=tr.R, need=need, T=T))

    m1, m2, m3, m4 = st.columns(4)
    m1.metric(t("ctc_m_loss", reduction=params["reduction"]), _fmt_loss(loss))
    m2.metric(t("ctc_m_p"), f"{np.exp(-per_seq):.6g}")
    m3.metric(t("ctc_m_count"), f"{tr.n_alignments:,}", help=t("ctc_m_count_help", total=f"{C ** T:,}"))
    m4.metric(t("ctc_m_need"), f"{need} ≤ {T}" if need <= T else f"{need} > {T}")
    if not tr.feasible:
        st.warning(t("ctc_infeasible", T=T, need=need))
        st.info(t("ctc_inf_on" if params["zero_infinity"] else "ctc_inf_off"))
    elif tr.S == 0:
        st.info(t("ctc_empty"))

    seed("ctc.view", VIEWS)
    view = st.radio(t("ctc_view"), VIEWS, format_func=lambda v, lang=current_lang(): t(f"ctc_view_{v}", lang), key="ctc.view", horizontal=True)
    publish("ctc.view", view, "log_alpha")
    labels = {k: t(f"ctc_{k}") for k in ("x", "y", "title_log_alpha", "title_posterior", "cbar_log_alpha",
                                        "cbar_posterior", "live", "skip", "dead", "forbidden", "best", "start",
                                        "end", "share", "through")}
    fig = figure(_trellis_figure, lp.tobytes(), lp.shape, key[0], tr.blank, view, tuple(sorted(labels.items())))
    st.plotly_chart(fig, key="ctc.trellis", config={"displaylogo": False},
                    alt=t("alt_ctc_trellis", view=labels[f"title_{view}"]))
    st.caption(t("ctc_trellis_caption"))

    _alignments(tr, lp, per_seq)
    _gradient(tr, grad, params)


def _alignments(tr: cx.Trellis, lp: np.ndarray, per_seq: float) -> None:
    if not tr.feasible:
        st.caption(t("ctc_none"))
        return
    if tr.alignments is None:
        st.info(t("ctc_too_many", n=f"{tr.n_alignments:,}", limit=cx.LIST_LIMIT))
        return
    columns = tuple(t(f"ctc_col_{k}") for k in ("path", "merged", "collapsed", "prob", "share"))
    table, n, total = once(_alignment_table_of, lp.tobytes(), lp.shape, tuple(int(k) for k in tr.label), tr.blank,
                           columns)
    with st.expander(t("ctc_list_heading", n=n), expanded=n <= 40):
        st.dataframe(table, hide_index=True, width="stretch", height=min(38 + 35 * n, 420),
                     column_config={columns[3]: st.column_config.NumberColumn(format="%.3e"),
                                    columns[4]: st.column_config.ProgressColumn(
                                        format="percent", min_value=0.0, max_value=1.0)})
        p = float(np.exp(-per_seq))
        ok = np.isclose(total, p, rtol=1e-4, atol=1e-12)
        (st.success if ok else st.warning)(
            t("ctc_sum_ok" if ok else "ctc_sum_bad", n=n, total=total, loss=per_seq, p=p))


def _gradient(tr: cx.Trellis, grad: np.ndarray, params: dict) -> None:
    y = np.exp(tr.lp)
    left, right = st.columns(2, gap="medium")
    fig_labels = tuple(sorted({"x": t("ctc_x"), "class": t("ctc_class"), "blank": t("ctc_blank_word")}.items()))
    with left:
        st.plotly_chart(figure(_class_figure, y.tobytes(), y.shape, tr.blank, fig_labels, t("ctc_dist_title"),
                               t("ctc_prob"), False),
                        key="ctc.dist_fig", config={"displaylogo": False},
                        alt=t("alt_ctc_dist", blank=tr.blank, T=y.shape[0]))
    with right:
        grad = np.ascontiguousarray(grad, dtype=np.float64)
        st.plotly_chart(figure(_class_figure, grad.tobytes(), grad.shape, tr.blank, fig_labels, t("ctc_grad_title"),
                               t("ctc_grad_cbar"), True), key="ctc.grad_fig", config={"displaylogo": False},
                        alt=t("alt_ctc_grad", T=grad.shape[0]))
    st.caption(t("ctc_grad_caption"))
    if not tr.feasible:
        st.caption(t("ctc_grad_zero" if params["zero_infinity"] else "ctc_grad_nan"))
        return
    d = float(max(tr.S, 1)) if params["reduction"] == "mean" else 1.0
    expected = (y - tr.gamma()) / d
    diff = float(np.max(np.abs(grad - expected)))
    st.caption(t("ctc_grad_check", d=d, reduction=params["reduction"], diff=diff))

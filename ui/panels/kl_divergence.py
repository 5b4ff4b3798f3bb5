"""KL between two editable distributions: KL both ways, the pointwise terms, what every reduction returns
and the 'batchmean' / 'mean' ratio, all computed by torch. The pure part (parse, kl_report, kl_figure) is
testable without Streamlit."""
from __future__ import annotations

import math
import warnings

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from losses.errors import InputError
from losses.parse import format_tensor_text, parse_tensor_text

from ui.panels.panel_cache import figure, once
from ui.markdown_blocks import joined, plain_table, section_heading

SUM_TOL = 5e-3
MAX_CLASSES = 12
# (label key, p = target, q = model)
PRESETS = (
    ("prob_kl_preset_close", [0.1, 0.6, 0.3], [0.25, 0.5, 0.25]),
    ("prob_kl_preset_mode", [0.45, 0.1, 0.45], [0.8, 0.15, 0.05]),
    ("prob_kl_preset_zero", [0.5, 0.5, 0.0], [0.4, 0.3, 0.3]),
    ("prob_kl_preset_ten", [0.3, 0.2, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05], [0.1] * 10),
)
REDUCTIONS = ("none", "batchmean", "sum", "mean")


def parse_distribution(text: str, name: str) -> np.ndarray:
    """A typed probability vector: 2..12 non-negative numbers summing to 1 (within SUM_TOL)."""
    value = parse_tensor_text(text, name)
    arr = np.asarray(value, dtype=np.float64)
    if arr.ndim != 1 or not 2 <= arr.size <= MAX_CLASSES:
        raise InputError("prob_kl_err_shape", name=name, max=MAX_CLASSES)
    if arr.min() < 0:
        raise InputError("prob_kl_err_negative", name=name, min=f"{arr.min():g}")
    s = float(arr.sum())
    if abs(s - 1.0) > SUM_TOL:
        raise InputError("prob_kl_err_sum", name=name, sum=f"{s:.4g}")
    return arr


def _typed_vector(text: str) -> np.ndarray | None:
    try:
        arr = np.asarray(parse_tensor_text(text, "p"), dtype=np.float64).ravel()
    except InputError:
        return None
    return arr if arr.size and np.all(np.isfinite(arr)) else None


def normalised_text(text: str) -> str:
    """Counts or weights divided by their sum (the 'divide' button); unchanged if unusable or negative:
    dividing by the sum is not how scores become probabilities."""
    arr = _typed_vector(text)
    if arr is None or arr.min() < 0 or arr.sum() <= 0:
        return text
    return format_tensor_text(np.round(arr / arr.sum(), 4).tolist())


def softmax_text(text: str) -> str:
    """Logits (raw scores, any sign) turned into probabilities by torch.softmax; unchanged if unusable."""
    import torch
    arr = _typed_vector(text)
    if arr is None:
        return text
    return format_tensor_text(np.round(torch.softmax(torch.as_tensor(arr), dim=0).numpy(), 4).tolist())


def _kl(input_, target, reduction, log_target):
    import torch.nn.functional as F
    with warnings.catch_warnings():  # 'mean' warns that it is not the KL: the table says so in words
        warnings.simplefilter("ignore", UserWarning)
        return F.kl_div(input_, target, reduction=reduction, log_target=log_target)


def kl_report(p: np.ndarray, q: np.ndarray, batch: int = 2, log_target: bool = False, device: str = "cpu") -> dict:
    """Everything the panel shows, computed by torch: input = log q (the model), target = p."""
    import torch
    if p.shape != q.shape:
        raise InputError("prob_kl_err_classes", p=p.size, q=q.size)
    tp = torch.as_tensor(p, dtype=torch.float32, device=device)
    tq = torch.as_tensor(q, dtype=torch.float32, device=device)
    logp, logq = torch.log(tp), torch.log(tq)
    target = logp if log_target else tp
    rev_target = logq if log_target else tq
    c = p.size
    terms_pq = _kl(logq, target, "none", log_target)
    terms_qp = _kl(logp, rev_target, "none", log_target)
    out = {
        "classes": c, "batch": batch, "log_target": log_target,
        "kl_pq": float(terms_pq.sum()), "kl_qp": float(terms_qp.sum()),
        "terms_pq": terms_pq.double().cpu().numpy(), "terms_qp": terms_qp.double().cpu().numpy(),
        "cross_entropy": float(-(torch.special.xlogy(tp, tq)).sum()),
        "entropy": float(-(torch.special.xlogy(tp, tp)).sum()),
        "forgot_log": float(_kl(tq, target, "sum", log_target)),
        "no_batch": float(_kl(logq, target, "batchmean", log_target)),
    }
    rows_in, rows_t = logq.expand(batch, c), target.expand(batch, c)
    out["reductions"] = {r: _kl(rows_in, rows_t, r, log_target).double().cpu().numpy() for r in REDUCTIONS}
    bm, mean = float(out["reductions"]["batchmean"]), float(out["reductions"]["mean"])
    out["ratio"] = bm / mean if mean not in (0.0,) and math.isfinite(mean) else float("nan")
    out["numel"] = batch * c
    return out


def _finite(a):
    a = np.asarray(a, dtype=np.float64)
    return np.where(np.isfinite(a), a, np.nan)


def _label(v: float) -> str:
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "∞" if v > 0 else "−∞"
    return f"{v:.3f}"


def kl_figure(p: np.ndarray, q: np.ndarray, report: dict, labels: dict) -> go.Figure:
    """Left: the two distributions as bars. Right: the pointwise terms of KL(p‖q) and KL(q‖p)."""
    from ui.figures import FONT, PALETTE, white_template
    classes = [str(i) for i in range(p.size)]
    fig = make_subplots(rows=1, cols=2, subplot_titles=(labels["dists"], labels["terms"]), horizontal_spacing=0.1)
    fig.add_trace(go.Bar(x=classes, y=p, name=labels["p"], marker_color=PALETTE[0], text=[f"{v:.3f}" for v in p],
                         textposition="outside", legendgroup="p"), row=1, col=1)
    fig.add_trace(go.Bar(x=classes, y=q, name=labels["q"], marker_color=PALETTE[1], text=[f"{v:.3f}" for v in q],
                         textposition="outside", legendgroup="q"), row=1, col=1)
    for terms, name, colour in ((report["terms_pq"], labels["pq"], PALETTE[2]), (report["terms_qp"], labels["qp"], PALETTE[3])):
        fig.add_trace(go.Bar(x=classes, y=_finite(terms), name=name, marker_color=colour,
                             text=[_label(float(v)) for v in terms], textposition="outside"), row=1, col=2)
    fig.update_xaxes(title_text=labels["cls"])
    fig.update_yaxes(title_text=labels["prob"], row=1, col=1, rangemode="tozero")
    fig.update_yaxes(title_text=labels["term"], row=1, col=2, zeroline=True, zerolinecolor="#888")
    white_template(fig)
    fig.update_layout(barmode="group", height=380, font=dict(family=FONT, size=14),
                      margin=dict(l=50, r=20, t=60, b=50), legend=dict(orientation="h", y=-0.25, x=0))
    return fig


# ---- Streamlit ----------------------------------------------------------------------------------
def _keys(spec):
    return {n: f"{spec.slug}.kl_{n}" for n in ("preset", "p", "q", "batch", "norm", "softmax")}


def _load_preset(keys):
    import streamlit as st
    _, p, q = PRESETS[st.session_state[keys["preset"]]]
    st.session_state[keys["p"]] = format_tensor_text(p)
    st.session_state[keys["q"]] = format_tensor_text(q)


def _convert(keys, how):
    """Convert only the box that is not yet a distribution: softmax would change a valid p too."""
    import streamlit as st
    for name in ("p", "q"):
        text = st.session_state.get(keys[name], "")
        try:
            parse_distribution(text, name)
        except InputError:
            st.session_state[keys[name]] = how(text)


def _remedies(keys, p_text: str, q_text: str) -> None:
    """Typed numbers that are not a distribution: logits get softmax, counts get divided by their sum."""
    import streamlit as st

    from ui.i18n import t
    vectors = [_typed_vector(x) for x in (p_text, q_text)]
    negative = any(v is not None and v.min() < 0 for v in vectors)
    c0, c1 = st.columns(2)
    c0.button(t("prob_kl_softmax"), key=keys["softmax"], on_click=_convert, args=(keys, softmax_text),
              help=t("prob_kl_softmax_help"))
    c1.button(t("prob_kl_normalise"), key=keys["norm"], on_click=_convert, args=(keys, normalised_text),
              disabled=negative, help=t("prob_kl_normalise_help"))
    st.caption(t("prob_kl_logits"))


def _analysis(p_text: str, q_text: str, batch: int, log_target: bool, device: str):
    """The parsed distributions and torch's report, once per text (an InputError is raised, not kept)."""
    p, q = parse_distribution(p_text, "p"), parse_distribution(q_text, "q")
    return p, q, kl_report(p, q, batch=batch, log_target=log_target, device=device)


def _inputs(keys: dict, lang: str) -> tuple[str, str, int]:
    """The preset, p, q and batch widgets (p and q start from the preset a shared link names)."""
    import streamlit as st

    from ui.i18n import t
    from ui.url_state import publish, seed

    seed(keys["preset"], range(len(PRESETS)))
    start = PRESETS[st.session_state.get(keys["preset"], 0)]  # a shared link may name a preset
    for name, default in (("p", start[1]), ("q", start[2])):
        if keys[name] not in st.session_state:
            st.session_state[keys[name]] = st.query_params.get(keys[name]) or format_tensor_text(default)
    c0, c1, c2, c3 = st.columns([2, 3, 3, 2])
    with c0:
        idx = st.selectbox(t("prob_kl_preset"), range(len(PRESETS)), format_func=lambda i, lang=lang: t(PRESETS[i][0], lang),
                           key=keys["preset"], on_change=_load_preset, args=(keys,))
        publish(keys["preset"], idx, 0)
    with c1:
        p_text = st.text_input(t("prob_kl_p"), key=keys["p"], help=t("prob_kl_p_help"), bind="query-params")
    with c2:
        q_text = st.text_input(t("prob_kl_q"), key=keys["q"], help=t("prob_kl_q_help"), bind="query-params")
    with c3:
        batch = st.slider(t("prob_kl_batch"), 1, 8, 2, key=keys["batch"], help=t("prob_kl_batch_help"),
                          bind="query-params")
    return p_text, q_text, batch


def _summary(slug: str, p: np.ndarray, q: np.ndarray, report: dict) -> None:
    """The four numbers and the figure of both distributions and KL's terms."""
    import streamlit as st

    from ui.i18n import t

    with st.container(horizontal=True):  # four equal columns, one block
        st.metric(t("prob_kl_pq"), _label(report["kl_pq"]))
        st.metric(t("prob_kl_qp"), _label(report["kl_qp"]))
        st.metric(t("prob_kl_ce"), _label(report["cross_entropy"]))
        st.metric(t("prob_kl_h"), _label(report["entropy"]))
    st.caption(t("prob_kl_direction"))
    if not (math.isfinite(report["kl_pq"]) and math.isfinite(report["kl_qp"])):
        st.info(t("prob_kl_infinite"))
    labels = {"dists": t("prob_kl_fig_dists"), "terms": t("prob_kl_fig_terms"), "p": t("prob_kl_legend_p"),
              "q": t("prob_kl_legend_q"), "pq": t("prob_kl_pq"), "qp": t("prob_kl_qp"), "cls": t("prob_kl_class"),
              "prob": t("prob_kl_probability"), "term": t("prob_kl_term")}
    st.plotly_chart(figure(kl_figure, p, q, report, labels), key=f"{slug}.kl_fig", config={"displaylogo": False},
                    alt=t("alt_prob_kl", pq=f"{report['kl_pq']:.4f}", qp=f"{report['kl_qp']:.4f}"))
    st.caption(t("prob_kl_terms_note"))


def _reduction_rows(report: dict, batch: int, chosen) -> list[dict]:
    """One row per reduction: torch's value, how it is computed, and what it is in terms of KL(p‖q)."""
    from ui.i18n import t

    c, n = report["classes"], report["numel"]
    how = {"none": t("prob_kl_how_none", b=batch, c=c), "batchmean": t("prob_kl_how_batchmean", b=batch),
           "sum": t("prob_kl_how_sum", n=n), "mean": t("prob_kl_how_mean", n=n)}
    verdict = {"none": "", "batchmean": t("prob_kl_is_kl"), "mean": t("prob_kl_is_kl_over", c=c),
               "sum": t("prob_kl_is_kl_times", b=batch)}
    rows = []
    for r in REDUCTIONS:
        v = report["reductions"][r]
        shown = format_tensor_text(np.round(v, 4).tolist()) if r == "none" else _label(float(v))
        rows.append({t("reduction_col"): f"'{r}'" + (f"  ({t('prob_kl_selected')})" if r == chosen else ""),
                     t("value_col"): shown, t("how_col"): how[r], t("prob_kl_verdict"): verdict[r]})
    return rows


def _snippet(p: np.ndarray, q: np.ndarray, report: dict, batch: int) -> str:
    """The same three calls as Python to copy (code, not prose: it stays here)."""
    kl = report["kl_pq"]
    lt = ", log_target=True" if report["log_target"] else ""
    tgt = "p.log()" if report["log_target"] else "p"
    return (f"import torch\nimport torch.nn.functional as F\n\np = torch.tensor({format_tensor_text(p.tolist())})\n"
            f"q = torch.tensor({format_tensor_text(q.tolist())})\n"
            f"F.kl_div(q.log(), {tgt}, reduction='sum'{lt})        # KL(p‖q) = {_label(kl)}\n"
            f"F.kl_div(q.log().expand({batch}, -1), {tgt}.expand({batch}, -1), reduction='batchmean'{lt})  # = KL\n"
            f"F.kl_div(q.log().expand({batch}, -1), {tgt}.expand({batch}, -1), reduction='mean'{lt})       # = KL / {report['classes']}")


def render(spec, params: dict, device: str) -> None:
    import streamlit as st

    from ui.i18n import current_lang, t
    from ui.widgets import show_error

    keys = _keys(spec)
    section_heading(t("prob_kl_title"), t("prob_kl_intro"))
    p_text, q_text, batch = _inputs(keys, current_lang())
    try:
        p, q, report = once(_analysis, p_text, q_text, batch, bool(params.get("log_target")), device)
    except InputError as err:
        show_error(err)
        _remedies(keys, p_text, q_text)
        return
    _summary(spec.slug, p, q, report)
    st.markdown(joined(f"**{t('prob_kl_reductions', b=batch, c=report['classes'])}**",
                       plain_table(_reduction_rows(report, batch, params.get("reduction")))))
    kl = report["kl_pq"]
    if math.isfinite(report["ratio"]):
        st.success(t("prob_kl_ratio", ratio=f"{report['ratio']:.4g}", n=report["numel"], b=batch,
                     c=report["classes"]))
    st.markdown(t("prob_kl_no_batch", v=_label(report["no_batch"]), kl=_label(kl), c=report["classes"]))
    st.warning(t("prob_kl_forgot", v=_label(report["forgot_log"]), kl=_label(kl)))
    st.code(_snippet(p, q, report, batch), language="python")

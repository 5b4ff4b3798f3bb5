"""Theory: information content, entropy, cross-entropy and KL divergence on two editable distributions.

Every number is computed twice, by NumPy (losses/theory.py) and by torch's own functions, and shown with
the identity H(p, q) = H(p) + KL(p‖q). Figures are pure builders (testable without Streamlit).
"""
from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from losses import theory as th

from .figures import FONT, PALETTE

MAX_K = 6
P_DEFAULT = (0.55, 0.25, 0.15, 0.05, 0.10, 0.10)
Q_DEFAULT = (0.25, 0.25, 0.25, 0.25, 0.10, 0.10)
UNITS = ("bits", "nats")


def _layout(fig: go.Figure, height: int, title: str = "") -> go.Figure:
    fig.update_layout(height=height, template="plotly_white", font=dict(family=FONT, size=15),
                      margin=dict(l=60, r=20, t=60 if title else 30, b=50), title=title or None,
                      legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0), uirevision="keep")
    return fig


def distributions_figure(p, q, labels: dict, height: int = 380) -> go.Figure:
    """p and q as grouped bars, each bar labelled with its probability and information content."""
    k = len(p)
    xs = [f"x{i + 1}" for i in range(k)]
    fig = go.Figure()
    for name, dist, colour in ((labels["p"], p, PALETTE[0]), (labels["q"], q, PALETTE[1])):
        info = th.information(dist, labels["base"])
        text = [f"{v:.2f}<br>{'∞' if math.isinf(i) else f'{i:.2f}'} {labels['unit']}" for v, i in zip(dist, info)]
        fig.add_trace(go.Bar(x=xs, y=dist, name=name, marker_color=colour, text=text, textposition="outside",
                             hovertemplate="%{x}: %{y:.4f}<extra>" + name + "</extra>"))
    fig.update_yaxes(title_text=labels["prob"], range=[0, 1.18])
    fig.update_xaxes(title_text=labels["outcome"])
    fig.update_layout(barmode="group")
    return _layout(fig, height)


def information_figure(p, labels: dict, height: int = 320) -> go.Figure:
    """−log p against p, with the outcomes of p marked on the curve."""
    grid = np.linspace(0.005, 1.0, 400)
    fig = go.Figure(go.Scatter(x=grid, y=th.information(grid, labels["base"]), name=labels["curve"],
                               line=dict(color=PALETTE[0], width=3),
                               hovertemplate="p=%{x:.3f}<br>−log p=%{y:.3f}<extra></extra>"))
    pts = np.asarray(p)
    keep = pts > 0
    fig.add_trace(go.Scatter(x=pts[keep], y=th.information(pts[keep], labels["base"]), mode="markers+text",
                             text=[f"x{i + 1}" for i in np.flatnonzero(keep)], textposition="top right",
                             marker=dict(size=12, color=PALETTE[1]), name=labels["p"]))
    fig.update_xaxes(title_text=labels["prob"], range=[0, 1.02])
    fig.update_yaxes(title_text=labels["info"], range=[0, float(th.information(0.005, labels["base"])) * 0.75])
    return _layout(fig, height)


def identity_figure(values: dict, labels: dict, height: int = 260) -> go.Figure:
    """H(p,q) as one bar, next to H(p) stacked with KL(p‖q): the two have the same height."""
    fig = go.Figure()
    fig.add_trace(go.Bar(y=[labels["pq"]], x=[values["H_pq"]], orientation="h", name=labels["pq"],
                         marker_color=PALETTE[3], text=[f"{values['H_pq']:.4f}"], textposition="inside"))
    fig.add_trace(go.Bar(y=[labels["sum"]], x=[values["H_p"]], orientation="h", name=labels["hp"],
                         marker_color=PALETTE[0], text=[f"{values['H_p']:.4f}"], textposition="inside"))
    fig.add_trace(go.Bar(y=[labels["sum"]], x=[values["KL_pq"]], orientation="h", name=labels["kl"],
                         marker_color=PALETTE[1], text=[f"{values['KL_pq']:.4f}"], textposition="inside"))
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title_text=labels["unit"])
    return _layout(fig, height)


def kl_terms_figure(p, q, labels: dict, height: int = 340) -> go.Figure:
    """The terms of KL(p‖q) and of KL(q‖p): different terms, different sums."""
    xs = [f"x{i + 1}" for i in range(len(p))]
    fig = go.Figure()
    for name, terms, colour in ((labels["pq"], th.kl_terms(p, q, labels["base"]), PALETTE[0]),
                                (labels["qp"], th.kl_terms(q, p, labels["base"]), PALETTE[1])):
        finite = np.where(np.isfinite(terms), terms, np.nan)
        text = ["∞" if np.isinf(v) else f"{v:.3f}" for v in terms]
        fig.add_trace(go.Bar(x=xs, y=finite, name=name, marker_color=colour, text=text, textposition="outside"))
    fig.update_layout(barmode="group")
    fig.update_yaxes(title_text=labels["term"], zeroline=True)
    return _layout(fig, height)


def likelihood_figure(p_hat, q, labels: dict, height: int = 320) -> go.Figure:
    """Cross-entropy H(p̂, q_t) along q_t = (1 − t)·q + t·p̂: it falls to its minimum H(p̂) at t = 1 (q = p̂)."""
    ts = np.linspace(0, 1, 101)
    ce = [th.cross_entropy(p_hat, (1 - t) * np.asarray(q) + t * np.asarray(p_hat), labels["base"]) for t in ts]
    fig = go.Figure(go.Scatter(x=ts, y=ce, name=labels["ce"], line=dict(color=PALETTE[3], width=3)))
    fig.add_hline(y=th.entropy(p_hat, labels["base"]), line=dict(color=PALETTE[0], dash="dash"),
                  annotation_text=labels["hp"], annotation_position="top left")
    fig.update_xaxes(title_text=labels["t"])
    fig.update_yaxes(title_text=labels["unit"])
    return _layout(fig, height)


# ---- the page ---------------------------------------------------------------------------------------------
def _bars(name: str, defaults, k: int, symbol: str) -> np.ndarray:
    cols = st.columns(k)
    weights = []
    for i, col in enumerate(cols):
        with col:
            weights.append(st.slider(f"${symbol}_{{{i + 1}}}$", 0.0, 1.0, float(defaults[i]), 0.01,
                                     key=f"theory.{name}{i}", bind="query-params"))
    return th.normalise(weights)


def _fmt(v: float) -> str:
    return "∞" if math.isinf(v) else f"{v:.4f}"


def _nums(values) -> str:
    """A short list of numbers for a plot's text alternative: 0.5, 0.25, 0.25."""
    return ", ".join("∞" if math.isinf(v) else f"{v:.3g}" for v in np.asarray(values, dtype=float))


def render_theory() -> None:
    from .i18n import current_lang, t
    from .teacher import columns_csv, show_plot
    from .url_state import publish, seed
    lang = current_lang()
    st.title(t("page_theory"))
    st.markdown(t("course_theory_intro"))

    seed("theory.unit", UNITS)
    unit = st.radio(t("course_theory_unit"), UNITS, key="theory.unit", horizontal=True,
                    format_func=lambda u, lang=lang: t(f"course_unit_{u}", lang))
    publish("theory.unit", unit, UNITS[0])
    base = th.LOG_BASES[unit]
    ulabel = t(f"course_unit_{unit}_short")

    st.header(t("course_theory_s1"))
    st.markdown(t("course_theory_s1_text"))
    st.latex(r"I(x) = -\log p(x)")

    st.header(t("course_theory_s2"))
    st.markdown(t("course_theory_s2_text"))
    k = st.slider(t("course_theory_k"), 2, MAX_K, 4, key="theory.k", bind="query-params")
    st.markdown(f"**{t('course_theory_p')}**")
    p = _bars("p", P_DEFAULT, k, "p")
    st.markdown(f"**{t('course_theory_q')}**")
    q = _bars("q", Q_DEFAULT, k, "q")
    labels = {"p": t("course_theory_p_short"), "q": t("course_theory_q_short"), "base": base, "unit": ulabel,
              "prob": t("course_theory_prob"), "outcome": t("course_theory_outcome"),
              "info": t("course_theory_info", unit=ulabel), "curve": "−log p"}
    show_plot(distributions_figure(p, q, labels), "theory.dist",
              columns_csv({"outcome": np.arange(1, k + 1), "p": p, "q": q, f"-log p ({unit})": th.information(p, base),
                           f"-log q ({unit})": th.information(q, base)}), filename="losslab_distributions",
              alt=t("alt_theory_dist", k=k, p=_nums(p), q=_nums(q)))
    show_plot(information_figure(p, labels), "theory.info", None, filename="losslab_information",
              alt=t("alt_theory_info", unit=ulabel, values=_nums(th.information(p, base))))

    st.header(t("course_theory_s3"))
    st.markdown(t("course_theory_s3_text"))
    st.latex(r"H(p) = -\sum_i p_i \log p_i \qquad H(p, q) = -\sum_i p_i \log q_i \qquad "
             r"\mathrm{KL}(p\,\|\,q) = \sum_i p_i \log\frac{p_i}{q_i}")
    npv, tv = th.numpy_values(p, q, base), th.torch_values(p, q, base)
    rows = []
    for key, name in (("H_p", "H(p)"), ("H_q", "H(q)"), ("H_pq", "H(p, q)"), ("H_qp", "H(q, p)"),
                      ("KL_pq", "KL(p‖q)"), ("KL_qp", "KL(q‖p)")):
        rows.append({t("course_theory_quantity"): name, "NumPy": _fmt(npv[key]), "torch": _fmt(tv[key])})
    left, right = st.columns([2, 3], gap="large")
    with left:
        st.table(rows)
    with right:
        lhs = npv["H_p"] + npv["KL_pq"]
        if math.isinf(npv["H_pq"]):
            st.warning(t("course_theory_inf"))
        else:
            ok = math.isclose(lhs, npv["H_pq"], rel_tol=1e-9, abs_tol=1e-12) and \
                math.isclose(tv["H_p"] + tv["KL_pq"], tv["H_pq"], rel_tol=1e-6, abs_tol=1e-9)
            rel = "=" if ok else r"\neq"
            st.latex(rf"H(p) + \mathrm{{KL}}(p\,\|\,q) = {npv['H_p']:.4f} + {npv['KL_pq']:.4f} = {lhs:.4f}"
                     rf"\;{rel}\; H(p, q) = {npv['H_pq']:.4f}\ \text{{{unit}}}")
            (st.success if ok else st.error)(t("course_theory_identity_ok" if ok else "course_theory_identity_bad"))
            show_plot(identity_figure(npv, {"pq": "H(p, q)", "sum": "H(p) + KL(p‖q)", "hp": "H(p)",
                                            "kl": "KL(p‖q)", "unit": ulabel}), "theory.identity", None,
                      filename="losslab_identity", alt=t("alt_theory_identity", pq=_fmt(npv["H_pq"]), unit=ulabel,
                                                         hp=_fmt(npv["H_p"]), kl=_fmt(npv["KL_pq"])))
    st.markdown(f"**{t('course_theory_code')}**")
    st.code(_snippet(p, q), language="python")

    st.header(t("course_theory_s4"))
    st.markdown(t("course_theory_s4_text"))
    st.latex(r"-\frac{1}{N}\log \prod_{n=1}^{N} q(y_n) = -\frac{1}{N}\sum_{n=1}^{N}\log q(y_n)"
             r" = -\sum_{i} \hat p_i \log q_i = H(\hat p, q), \qquad \hat p_i = \frac{N_i}{N}")
    n = st.slider(t("course_theory_n"), 5, 500, 20, key="theory.n", bind="query-params")
    counts = th.counts_from(p, n)
    labels_ = th.labels_from_counts(counts)
    p_hat = counts / counts.sum()
    nll_np, nll_t = th.dataset_nll(labels_, q), th.dataset_nll_torch(labels_, q)
    ce_nats = th.cross_entropy(p_hat, q, math.e)
    st.markdown(t("course_theory_counts", counts=", ".join(f"x{i + 1}: {c}" for i, c in enumerate(counts))))
    st.markdown(t("course_theory_nll", nll=_fmt(nll_np), nll_t=_fmt(nll_t), n=n, ce=_fmt(ce_nats),
                  nce=_fmt(n * ce_nats)))
    show_plot(likelihood_figure(p_hat, q, {"base": base, "unit": ulabel, "ce": "H(p̂, q_t)", "hp": "H(p̂)",
                                           "t": t("course_theory_t")}), "theory.likelihood", None,
              filename="losslab_likelihood",
              alt=t("alt_theory_likelihood", n=n, start=_fmt(th.cross_entropy(p_hat, q, base)),
                    end=_fmt(th.entropy(p_hat, base)), unit=ulabel))
    st.caption(t("course_theory_s4_caption"))

    st.header(t("course_theory_s5"))
    st.markdown(t("course_theory_s5_text"))
    st.markdown(t("course_theory_kl_values", pq=_fmt(npv["KL_pq"]), qp=_fmt(npv["KL_qp"]), unit=ulabel))
    show_plot(kl_terms_figure(p, q, {"pq": "p·log(p/q)  [KL(p‖q)]", "qp": "q·log(q/p)  [KL(q‖p)]", "base": base,
                                     "term": t("course_theory_term", unit=ulabel)}), "theory.kl", None,
              filename="losslab_kl_terms", alt=t("alt_theory_kl", pq=_fmt(npv["KL_pq"]), qp=_fmt(npv["KL_qp"]), unit=ulabel))

    st.header(t("course_theory_s6"))
    ce = th.convexity_counterexample()
    st.markdown(t("course_theory_convex", la=f"{ce['L_a']:.4f}", lb=f"{ce['L_b']:.4f}", lm=f"{ce['L_mid']:.4f}",
                  bound=f"{ce['convex_bound']:.4f}"))
    h = th.second_derivative("mse_prob", [-3.0, 0.0, 2.0])
    hce = th.second_derivative("ce", [-3.0, 0.0, 2.0])
    st.markdown(t("course_theory_convex2", m1=f"{h[0]:.4f}", m2=f"{h[1]:.4f}", m3=f"{h[2]:.4f}",
                  c1=f"{hce[0]:.4f}", c2=f"{hce[1]:.4f}", c3=f"{hce[2]:.4f}"))
    st.markdown(t("course_theory_corrections"))


def _snippet(p, q) -> str:
    fp = ", ".join(f"{v:.4f}" for v in p)
    fq = ", ".join(f"{v:.4f}" for v in q)
    return "\n".join([
        "import torch",
        "import torch.nn.functional as F",
        "from torch.distributions import Categorical",
        "",
        f"p = torch.tensor([{fp}], dtype=torch.float64)",
        f"q = torch.tensor([{fq}], dtype=torch.float64)",
        "H_p = Categorical(probs=p).entropy()                       # nats; divide by log(2) for bits",
        "H_pq = F.cross_entropy(q.log()[None], p[None])              # logits log q, probability target p",
        "KL_pq = F.kl_div(q.log(), p, reduction='sum')               # kl_div(input, target) = KL(target‖input)",
        "print(H_p + KL_pq, H_pq)                                    # equal",
    ])

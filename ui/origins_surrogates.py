"""Part 2 of /origins: surrogates of the 0-1 loss on the margin m = y·f(x), their autograd gradients, which
of them are classification-calibrated, and how HingeEmbedding/MarginRanking are the same hinge."""
from __future__ import annotations

import numpy as np
import streamlit as st

from losses import REGISTRY
from losses import origins_surrogates as sur

from .errors import fragment
from .figure_cache import prebuilt
from .glossary import has_page
from .i18n import current_lang, t
from .origins_common import terms_caption
from .origins_figures import risk_figure, surrogate_figure
from .origins_quiz import Prediction, render_prediction
from .teacher import is_on, present, show_plot

M_GRID = np.linspace(-2.5, 3.0, 551)
QUIZ_M = 2.0
TERMS = ("margin", "zero_one_loss", "surrogate_loss", "hinge", "logits", "gradient", "autograd", "convex",
         "calibrated", "bayes_classifier")
FORMULAS = (r"m = y\,f(x),\quad y\in\{-1,+1\}, \qquad \ell_{0\text{-}1}(m) = \mathbb{1}[m \le 0]",
            r"\ell_{\text{hinge}} = \max(0, \mu - m),\quad \ell_{\text{sq}} = \max(0, \mu - m)^2,\quad "
            r"\ell_{\text{log}} = \log(1 + e^{-m}),\quad \ell_{\exp} = e^{-m}")


def _names(lang: str) -> dict:
    return {name: t(f"origins_sur_{name}", lang) for name in sur.SURROGATES}


def build_curves(mu: float, m_now: float, lang: str, teacher: bool):
    values = {name: sur.values_and_grads(name, M_GRID, mu) for name in sur.SURROGATES}
    now = {name: tuple(float(v[0]) for v in sur.values_and_grads(name, [m_now], mu)) for name in sur.SURROGATES}
    labels = {"names": _names(lang), "x": t("origins_sur_x", lang), "loss_panel": t("origins_sur_loss_panel", lang),
              "grad_panel": t("origins_sur_grad_panel", lang), "loss_y": t("origins_sur_loss_y", lang),
              "grad_y": t("origins_sur_grad_y", lang)}
    return present(surrogate_figure(M_GRID, values, m_now, now, labels), teacher)


def build_risk(mu: float, eta: float, lang: str, teacher: bool):
    risks, minimisers = {}, {}
    for name in sur.SURROGATES:
        f_star, f, risk = sur.risk_minimiser(name, eta, mu)
        risks[name], minimisers[name] = (f, risk), f_star
    labels = {"names": _names(lang), "x": t("origins_sur_risk_x", lang), "y": t("origins_sur_risk_y", lang, eta=f"{eta:.2f}")}
    return present(risk_figure(risks, minimisers, labels), teacher)


@st.cache_data(max_entries=512, show_spinner=False)
def cached_table(mu: float, m_now: float, eta: float, lang: str) -> list[dict]:
    """One row per surrogate: torch's call, φ(m) and the autograd φ'(m), the one-sided derivatives at 0,
    calibration, and the minimiser f* of the conditional risk at η."""
    rows = []
    for name in sur.SURROGATES:
        (loss,), (grad,) = sur.values_and_grads(name, [m_now], mu)
        cal = sur.calibration(name, mu)
        f_star, _, _ = sur.risk_minimiser(name, eta, mu)
        bayes = np.sign(2 * eta - 1)
        convex = name in sur.CONVEX
        rows.append({t("origins_sur_col_loss", lang): t(f"origins_sur_{name}", lang),
                     t("origins_sur_col_torch", lang): sur.TORCH_CALL[name],
                     "φ(m)": f"{loss:.4f}", "φ′(m)": f"{grad:.4f}",
                     "φ′(0⁻), φ′(0⁺)": f"{cal.left:.3f}, {cal.right:.3f}" if convex else "—",
                     t("origins_sur_col_calibrated", lang): (t("origins_yes", lang) if cal.calibrated else t("origins_no", lang))
                     if convex else "—",
                     "f*(η)": f"{f_star:.3f}",
                     t("origins_sur_col_sign", lang): t("origins_yes", lang) if bayes and abs(f_star) > 1e-9
                     and np.sign(f_star) == bayes else t("origins_no", lang)})
    return rows


@st.cache_data(max_entries=4, show_spinner=False)
def cached_pushing(m: float) -> tuple[str, ...]:
    return sur.pushing(m)


def _prediction(lang: str) -> Prediction:
    """Which losses still push an example classified right with margin 2? autograd decides."""
    pushing = cached_pushing(QUIZ_M)
    answer = {(): "none", sur.CONVEX: "all", ("logistic", "exponential"): "smooth"}.get(pushing, "smooth")
    grads = {name: f"{float(sur.values_and_grads(name, [QUIZ_M])[1][0]):.4f}" for name in sur.CONVEX}
    return Prediction("origins.sur.quiz", "sur", ("none", "smooth", "all"), answer, grads)


def _sliders() -> tuple[float, float, float]:
    cols = st.columns(3)
    with cols[0]:
        m_now = st.slider(t("origins_sur_m"), -2.5, 3.0, 0.5, 0.05, key="origins.sur.m", bind="query-params")
    with cols[1]:
        mu = st.slider(t("origins_sur_mu"), 0.0, 2.0, 1.0, 0.1, key="origins.sur.mu", bind="query-params",
                       help=t("origins_sur_mu_help"))
    with cols[2]:
        eta = st.slider(t("origins_sur_eta"), 0.0, 1.0, 0.7, 0.05, key="origins.sur.eta", bind="query-params",
                        help=t("origins_sur_eta_help"))
    return float(m_now), float(mu), float(eta)


def _pairwise(m_now: float, mu: float) -> None:
    values = sur.ranking_and_embedding(m_now, mu)
    st.markdown(t("origins_sur_pairwise", m=f"{m_now:.2f}", mu=f"{mu:.2f}", hinge=f"{values['hinge']:.4f}",
                  ranking=f"{values['margin_ranking']:.4f}", embedding=f"{values['hinge_embedding']:.4f}"))


def _pairwise_links(lang: str) -> None:
    cols = st.columns(4)
    for col, slug in zip(cols, ("hinge_embedding", "margin_ranking", "multi_margin", "soft_margin")):
        if has_page(slug):
            with col:
                st.page_link(f"pages/{slug}.py", label=REGISTRY[slug].title, icon=":material/arrow_forward:",
                             query_params={"lang": lang})


def render_surrogates() -> None:
    """Static text around one fragment: the sliders rerun the plots, the table and the numbers only."""
    lang = current_lang()
    st.header(t("origins_part_surrogates"), anchor="surrogates")
    st.markdown(t("origins_sur_intro"))
    for formula in FORMULAS:
        st.latex(formula)
    _live(lang)
    _pairwise_links(lang)
    render_prediction(_prediction(lang))
    terms_caption(TERMS)


@fragment
def _live(lang: str) -> None:
    m_now, mu, eta = _sliders()
    show_plot(prebuilt(build_curves, mu, m_now, lang, is_on()), "origins.sur.fig", None,
              filename="losslab_origins_surrogates", alt=t("alt_origins_surrogates", m=f"{m_now:g}", mu=f"{mu:g}"))
    st.caption(t("origins_sur_torch_note"))
    st.table(cached_table(mu, m_now, eta, lang))
    st.markdown(t("origins_sur_calibration"))
    show_plot(prebuilt(build_risk, mu, eta, lang, is_on()), "origins.sur.risk", None, filename="losslab_origins_risk",
              alt=t("alt_origins_risk", eta=f"{eta:g}", mu=f"{mu:g}"))
    _pairwise(m_now, mu)

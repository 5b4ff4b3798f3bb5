"""Part 1 of /origins: losses as negative log-likelihoods. For the chosen pair (distribution, torch loss): the
identity, the density next to the loss (both by torch), the identity checked live on a random batch."""
from __future__ import annotations

import streamlit as st

from losses import REGISTRY
from losses import origins_nll as nll

from .errors import fragment
from .figure_cache import prebuilt
from .glossary import has_page
from .i18n import current_lang, t
from .origins_common import terms_caption
from .origins_figures import nll_figure
from .origins_quiz import Prediction, render_prediction
from .teacher import is_on, present, show_plot
from .url_state import publish, seed

CASE_KEY = "origins.nll.case"
TERMS = ("likelihood", "nll", "normal_distribution", "laplace_distribution", "bernoulli_distribution",
         "categorical_distribution", "poisson", "variance", "outlier", "logits")
FORMULAS = {   # one st.latex per line: a single line overflows the column at 1400 px
    "gaussian": (r"-\log \mathcal{N}(y \mid x, \sigma^2) = \frac{(x-y)^2}{2\sigma^2} + \tfrac12 \log(2\pi\sigma^2)",
                 r"\texttt{gaussian\_nll\_loss}(x, y, \sigma^2, \text{full}) = "
                 r"\frac{\texttt{mse\_loss}(x, y)}{2\sigma^2} + \tfrac12\log(2\pi\sigma^2)"),
    "laplace": (r"-\log \operatorname{Laplace}(y \mid x, b) = \frac{|x-y|}{b} + \log 2b"
                r" = \frac{\texttt{l1\_loss}(x, y)}{b} + \log 2b",),
    "bernoulli": (r"-\log\big(p^{\,y}(1-p)^{1-y}\big) = -\big[y\log p + (1-y)\log(1-p)\big] = "
                  r"\texttt{binary\_cross\_entropy}(p, y)",),
    "categorical": (r"-\log \operatorname{softmax}(z)_k = -z_k + \log\sum_j e^{z_j} = \texttt{cross\_entropy}(z, k)",),
    "poisson": (r"-\log \frac{\lambda^k e^{-\lambda}}{k!} = \lambda - k\log\lambda + \log k! = "
                r"\texttt{poisson\_nll\_loss}(\log\lambda, k) + \log k!",),
    "gaussian_var": (r"-\log \mathcal{N}(y \mid x, v) = \tfrac12\Big(\log v + \frac{(x-y)^2}{v}\Big) + \tfrac12\log 2\pi"
                     r" = \texttt{gaussian\_nll\_loss}(x, y, v, \text{full})",
                     r"\frac{\partial(-\log \mathcal{N})}{\partial v} = \frac{1}{2v}\Big(1 - \frac{(x-y)^2}{v}\Big) = 0"
                     r"\quad\Longleftrightarrow\quad v = (x-y)^2"),
}
OTHER = {"gaussian": "laplace", "laplace": "gaussian"}      # the tails to compare with


def build_figure(case: str, param: float, lang: str, teacher: bool):
    """The density and the loss, built once per (case, slider value, language)."""
    curves = nll.curves(case, param)
    other = nll.curves(OTHER[case], param) if case in OTHER else None
    labels = {k: t(f"origins_nll_fig_{k}", lang) for k in ("density_panel", "loss_panel", "density", "loss", "loss_y")}
    labels.update({"density_x": t(f"origins_nll_{case}_dens_x", lang), "density_y": t(f"origins_nll_{case}_dens_y", lang),
                   "loss_x": t(f"origins_nll_{case}_loss_x", lang)})
    if other is not None:
        labels.update(other=t(f"origins_nll_fig_other_{OTHER[case]}", lang),
                      other_loss=t(f"origins_nll_fig_other_loss_{OTHER[case]}", lang), loss_range=[0, 9])
    return present(nll_figure(curves, labels, other), teacher)


@st.cache_data(max_entries=512, show_spinner=False)
def cached_identity(case: str, param: float, seed_: int) -> nll.Identity:
    return nll.identity(case, param, seed_)


@st.cache_data(max_entries=64, show_spinner=False)
def cached_facts(case: str, param: float) -> dict:
    """The numbers a case's note quotes, computed by torch."""
    if case in ("gaussian", "laplace"):
        tails = nll.tail_ratio(4.0)
        return {"g4": f"{tails['gaussian']:.1f}", "l4": f"{tails['laplace']:.1f}"}
    if case == "poisson":
        batch = nll.random_batch("poisson", param, 0)
        return {"gap": f"{nll.poisson_stirling_gap(batch['log_rate'], batch['k']):.2e}"}
    if case == "gaussian_var":
        return {"learned": f"{nll.best_variance(param):.4f}", "r2": f"{param ** 2:.4f}"}
    return {}


CLEAN, TYPO = (1.0, 2.0, 3.0, 4.0, 5.0), (1.0, 2.0, 3.0, 4.0, 40.0)


@st.cache_data(max_entries=4, show_spinner=False)
def cached_outlier_fits() -> tuple[dict, dict]:
    return nll.outlier_fits(CLEAN), nll.outlier_fits(TYPO)


def _param_slider(case: str) -> float:
    symbol, lo, hi, default, step = nll.PARAM[case]
    return st.slider(t(f"origins_nll_{case}_param", symbol=symbol), lo, hi, default, step,
                     key=f"origins.nll.{case}", bind="query-params")


def _identity_block(case: str, param: float) -> None:
    counter = "origins.nll.seed"
    st.session_state.setdefault(counter, 0)
    ident = cached_identity(case, param, st.session_state[counter])
    st.markdown(f"**{t('origins_nll_check', n=nll.BATCH)}**")
    st.table([{t("origins_expression"): name, t("origins_torch_value"): f"{value:.12f}"} for name, value in ident.rows])
    if ident.holds:
        st.success(t("origins_nll_holds", gap=f"{ident.max_gap:.1e}"))
    else:
        st.error(t("origins_nll_fails", gap=f"{ident.max_gap:.1e}"))

    def redraw():
        st.session_state[counter] += 1
    st.button(t("origins_nll_new_batch"), key="origins.nll.redraw", on_click=redraw, icon=":material/casino:")


def _prediction() -> Prediction:
    """Which best constant moves when 5 becomes 40? torch's fits decide the answer."""
    clean, typo = cached_outlier_fits()
    moved = {k for k in ("mse", "l1") if abs(typo[k] - clean[k]) > 0.01}
    answer = {frozenset({"mse"}): "gaussian", frozenset({"l1"}): "laplace"}.get(frozenset(moved), "both")
    return Prediction("origins.nll.quiz", "nll", ("gaussian", "laplace", "both"), answer,
                      {"mse0": f"{clean['mse']:.2f}", "l10": f"{clean['l1']:.2f}", "mse": f"{typo['mse']:.2f}",
                       "l1": f"{typo['l1']:.2f}"})


def render_nll() -> None:
    """Static text around one fragment (the case), which holds another (the case's slider)."""
    lang = current_lang()
    st.header(t("origins_part_nll"), anchor="nll")
    st.markdown(t("origins_nll_intro"))
    _case(lang)
    render_prediction(_prediction())
    terms_caption(TERMS)


@fragment
def _case(lang: str) -> None:
    seed(CASE_KEY, nll.CASES)
    if st.session_state.get(CASE_KEY) not in nll.CASES:
        st.session_state[CASE_KEY] = nll.CASES[0]
    case = st.segmented_control(t("origins_nll_choose"), nll.CASES, key=CASE_KEY, required=True,
                                format_func=lambda c, lang=lang: t(f"origins_nll_{c}_name", lang))
    case = case if case in nll.CASES else nll.CASES[0]
    publish(CASE_KEY, case, nll.CASES[0])
    for line in FORMULAS[case]:
        st.latex(line)
    _live(case, lang)
    if case in OTHER:
        st.page_link("pages/in_action.py", label=t("origins_nll_outlier_demo"), icon=":material/science:",
                     query_params={"lang": lang, "action.demo": "outliers"})


@fragment
def _live(case: str, lang: str) -> None:
    """The case's slider reruns this alone: the density and loss, the identity on a batch, the note."""
    left, right = st.columns([1, 2], gap="large")
    with left:
        param = _param_slider(case)
        st.markdown(t(f"origins_nll_{case}_text"))
        slug = nll.LOSS_SLUG[case]
        if has_page(slug):
            st.page_link(f"pages/{slug}.py", label=t("origins_open_loss", loss=REGISTRY[slug].title), icon=":material/arrow_forward:",
                         query_params={"lang": lang})
    with right:
        show_plot(prebuilt(build_figure, case, float(param), lang, is_on()), "origins.nll.fig", None,
                  filename=f"losslab_origins_{case}",
                  alt=t("alt_origins_nll", name=t(f"origins_nll_{case}_name"), param=f"{float(param):g}"))
    _identity_block(case, float(param))
    st.markdown(t(f"origins_nll_{case}_note", **cached_facts(case, float(param))))

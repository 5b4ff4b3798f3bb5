"""Theory: information content, entropy, cross-entropy and KL divergence on two editable distributions.

Every number is computed twice, by NumPy (losses/theory.py) and by torch's own functions, and shown with
the identity H(p, q) = H(p) + KL(p‖q). Figures: ui/theory_figures.py; what a setting shows, computed once per
setting: ui/theory_view.py. The widgets live in nested fragments, so that a widget reruns only what depends on
it: the unit and the number of outcomes (everything), within it the bars (sections 2-5), within that the
data-set size n (section 4). Section 6 depends on no widget and stays outside.
"""
from __future__ import annotations

import streamlit as st

from losses import theory as th

from . import theory_view as tv
from .errors import fragment
from .i18n import current_lang, t
from .teacher import is_on, show_plot
from .theory_figures import (distributions_figure, identity_figure, information_figure,  # noqa: F401 (API)
                             kl_terms_figure, likelihood_figure)
from .url_state import publish, seed

MAX_K = 6
P_DEFAULT = (0.55, 0.25, 0.15, 0.05, 0.10, 0.10)
Q_DEFAULT = (0.25, 0.25, 0.25, 0.25, 0.10, 0.10)
UNITS = ("bits", "nats")


# ---- the page ---------------------------------------------------------------------------------------------
def _bars(name: str, defaults, k: int, symbol: str) -> tuple:
    cols = st.columns(k)
    weights = []
    for i, col in enumerate(cols):
        with col:
            weights.append(st.slider(f"${symbol}_{{{i + 1}}}$", 0.0, 1.0, float(defaults[i]), 0.01,
                                     key=f"theory.{name}{i}", bind="query-params"))
    return tuple(th.normalise(weights).tolist())  # hashable: the key of the cached views


def _section(key: str, latex: str = "", after: str = "") -> None:
    """A section's heading, text and display formula as one markdown element instead of three: inside the
    fragment every element is sent again on each widget rerun. `##` is the h2 st.header makes; st.latex sends
    the same `$$` block."""
    parts = [f"## {t(key)}", t(f"{key}_text")] + ([f"$$\n{latex}\n$$"] if latex else []) + ([after] if after else [])
    st.markdown("\n\n".join(parts))


def render_theory() -> None:
    st.title(t("page_theory"))
    st.markdown(t("course_theory_intro"))
    _interactive()
    st.header(t("course_theory_s6"))
    for text in tv.convexity(current_lang()):
        st.markdown(text)


@fragment
def _interactive() -> None:
    """Sections 1-5: every widget of the page and all that depends on them; the unit and the number of
    outcomes change everything below them."""
    lang, teacher = current_lang(), is_on()
    seed("theory.unit", UNITS)
    unit = st.radio(t("course_theory_unit"), UNITS, key="theory.unit", horizontal=True,
                    format_func=lambda u, lang=lang: t(f"course_unit_{u}", lang))
    publish("theory.unit", unit, UNITS[0])

    _section("course_theory_s1", r"I(x) = -\log p(x)")
    _section("course_theory_s2")
    k = st.slider(t("course_theory_k"), 2, MAX_K, 4, key="theory.k", bind="query-params")
    _distributions(unit, k, lang, teacher)


@fragment
def _distributions(unit: str, k: int, lang: str, teacher: bool) -> None:
    """The bars of p and q and all that depends on them (sections 2-5): a bar reruns this fragment, not the
    unit, the number of outcomes and the two sections above (Streamlit keeps the arguments of the last call)."""
    st.markdown(f"**{t('course_theory_p')}**")
    p = _bars("p", P_DEFAULT, k, "p")
    st.markdown(f"**{t('course_theory_q')}**")
    q = _bars("q", Q_DEFAULT, k, "q")
    d = tv.distributions(p, q, unit, lang, teacher)
    show_plot(d["dist"], "theory.dist", d["csv"], filename="losslab_distributions", alt=d["dist_alt"])
    show_plot(d["info"], "theory.info", None, filename="losslab_information", alt=d["info_alt"])

    _identity(p, q, unit, lang, teacher)

    _section("course_theory_s4", r"-\frac{1}{N}\log \prod_{n=1}^{N} q(y_n) = -\frac{1}{N}\sum_{n=1}^{N}\log q(y_n)"
                                 r" = -\sum_{i} \hat p_i \log q_i = H(\hat p, q), \qquad \hat p_i = \frac{N_i}{N}")
    _likelihood(p, q, unit, lang, teacher)

    kl = tv.kl_terms(p, q, unit, lang, teacher)
    _section("course_theory_s5", after=kl["text"])
    show_plot(kl["fig"], "theory.kl", None, filename="losslab_kl_terms", alt=kl["alt"])


def _identity(p: tuple, q: tuple, unit: str, lang: str, teacher: bool) -> None:
    _section("course_theory_s3", r"H(p) = -\sum_i p_i \log p_i \qquad H(p, q) = -\sum_i p_i \log q_i \qquad "
                                 r"\mathrm{KL}(p\,\|\,q) = \sum_i p_i \log\frac{p_i}{q_i}")
    v = tv.identity(p, q, unit, lang, teacher)
    left, right = st.columns([2, 3], gap="large")
    with left:
        st.table(v["table"], hide_index=True, hide_header=False)  # what st.table decided for the rows, stated:
        # left to it, it converts the Arrow table back to pandas to find out
    with right:
        if v["inf"]:
            st.warning(t("course_theory_inf"))
        else:
            st.latex(v["latex"])
            (st.success if v["ok"] else st.error)(t("course_theory_identity_ok" if v["ok"] else
                                                    "course_theory_identity_bad"))
            show_plot(v["fig"], "theory.identity", None, filename="losslab_identity", alt=v["alt"])
    st.markdown(f"**{t('course_theory_code')}**")
    st.code(v["code"], language="python")


@fragment
def _likelihood(p: tuple, q: tuple, unit: str, lang: str, teacher: bool) -> None:
    """Section 4's data set: its size n reruns this fragment only (p, q and the unit are its arguments,
    kept by Streamlit from the enclosing run)."""
    n = st.slider(t("course_theory_n"), 5, 500, 20, key="theory.n", bind="query-params")
    v = tv.likelihood(p, q, n, unit, lang, teacher)
    st.markdown(v["counts"] + "\n\n" + v["nll"])
    show_plot(v["fig"], "theory.likelihood", None, filename="losslab_likelihood", alt=v["alt"])
    st.caption(t("course_theory_s4_caption"))

"""Home: every registered loss as a card grouped by family, with its one-line summary, a thumbnail of its
curve and a search box that matches English and Chinese names (content/glossary.toml)."""
from __future__ import annotations

from pathlib import Path

import plotly.graph_objects as go
import streamlit as st

from losses import FAMILIES, REGISTRY
from losses.curves import sweep

from .figures import PALETTE
from .glossary import has_page, loss_names, search_losses
from .i18n import current_lang, load_content, t

ROOT = Path(__file__).resolve().parent.parent
COURSE_LINKS = (("choose", "page_choose", ":material/help:"), ("compare", "page_compare", ":material/stacked_line_chart:"),
                ("theory", "page_theory", ":material/functions:"), ("origins", "page_origins", ":material/account_tree:"),
                ("glossary", "page_glossary", ":material/translate:"))
THUMB_POINTS = 121


def thumbnail_figure(slug: str, height: int = 110) -> go.Figure | None:
    """A small, static plot of the loss's main curve (default hyperparameters), or None without a curve."""
    spec = REGISTRY[slug]
    if spec.curve is None:
        return None
    data = sweep(spec, {}, n=THUMB_POINTS)
    s = data.series[0]
    fig = go.Figure(go.Scatter(x=data.x, y=s.loss, mode="lines", line=dict(color=PALETTE[0], width=2.5),
                               hoverinfo="skip"))
    fig.update_layout(height=height, margin=dict(l=4, r=4, t=4, b=4), template="plotly_white", showlegend=False,
                      xaxis=dict(visible=False), yaxis=dict(visible=False, zeroline=False))
    fig.add_hline(y=0, line=dict(color="#bbb", width=1))
    return fig


@st.cache_data(max_entries=64, show_spinner=False)
def _thumbnail(slug: str):
    return thumbnail_figure(slug)


def _card(slug: str, lang: str) -> None:
    spec = REGISTRY[slug]
    with st.container(border=True):
        if has_page(slug):
            st.page_link(f"pages/{slug}.py", label=f"**{spec.title}**")
        else:
            st.markdown(f"**{spec.title}**")
        names = loss_names(slug)["zh" if lang == "zh" else "en"]
        if names:
            st.caption(" · ".join(names[:2]))
        fig = _thumbnail(slug)
        if fig is not None:
            st.plotly_chart(fig, key=f"home.thumb.{slug}",
                            config={"staticPlot": True, "displayModeBar": False})
        summary = load_content(slug, lang).get("summary", ("", ""))[1]
        if summary:
            st.markdown(summary)


def render_home() -> None:
    lang = current_lang()
    st.title(t("app_name"))
    st.markdown(f"### {t('tagline')}")
    st.markdown(t("home_intro"))
    links = [(stem, key, icon) for stem, key, icon in COURSE_LINKS if (ROOT / "pages" / f"{stem}.py").exists()]
    if links:
        cols = st.columns(len(links))
        for col, (stem, key, icon) in zip(cols, links):
            with col:
                st.page_link(f"pages/{stem}.py", label=t(key), icon=icon)
    query = st.text_input(t("course_search"), key="home.q", bind="query-params",
                          placeholder=t("course_search_placeholder"), icon=":material/search:")
    found = set(search_losses(query))
    if query.strip():
        st.caption(t("course_search_count", n=len(found), total=len(REGISTRY)))
        if not found:
            st.info(t("course_no_match"))
    else:
        st.caption(t("losses_count", n=len(REGISTRY)))
    for family in FAMILIES:
        members = [s for s in REGISTRY.values() if s.family == family and s.slug in found]
        if not members:
            continue
        st.subheader(t(f"family_{family}"))
        for start in range(0, len(members), 4):  # one row of columns per 4 cards keeps the rows aligned
            cols = st.columns(4)
            for col, spec in zip(cols, members[start:start + 4]):
                with col:
                    _card(spec.slug, lang)

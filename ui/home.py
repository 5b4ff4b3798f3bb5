"""Home: every registered loss as a card grouped by family, with its one-line summary and a thumbnail of its
curve, and a search box over every page's names, sections and places in both languages (ui/search_rank.py):
a query lists links to the pages, each naming the place to open, instead of the cards."""
from __future__ import annotations

from pathlib import Path

import plotly.graph_objects as go
import streamlit as st

from losses import FAMILIES, REGISTRY
from losses.curves import sweep

from .errors import fragment
from .figure_cache import prebuilt
from .figures import PALETTE, white_template
from .glossary import has_page, loss_names
from .i18n import current_lang, load_content, t
from .memo import shared
from .search_index import course_intro
from .search_rank import Hit, search, snippet

ROOT = Path(__file__).resolve().parent.parent
COURSE_LINKS = (("choose", "page_choose", ":material/help:"), ("compare", "page_compare", ":material/stacked_line_chart:"),
                ("theory", "page_theory", ":material/functions:"), ("origins", "page_origins", ":material/account_tree:"),
                ("glossary", "page_glossary", ":material/translate:"))
THUMB_POINTS = 121
MAX_RESULTS = 12


def thumbnail_figure(slug: str, height: int = 110) -> go.Figure | None:
    """A small, static plot of the loss's main curve (default hyperparameters), or None without a curve."""
    spec = REGISTRY[slug]
    if spec.curve is None:
        return None
    data = sweep(spec, {}, n=THUMB_POINTS)
    s = data.series[0]
    fig = go.Figure(go.Scatter(x=data.x, y=s.loss, mode="lines", line=dict(color=PALETTE[0], width=2.5),
                               hoverinfo="skip"))
    white_template(fig)
    fig.update_layout(height=height, margin=dict(l=4, r=4, t=4, b=4), showlegend=False,
                      xaxis=dict(visible=False), yaxis=dict(visible=False, zeroline=False))
    fig.add_hline(y=0, line=dict(color="#bbb", width=1))
    return fig


def _thumbnail(slug: str):
    """Built once per process as a ready dict (a go.Figure from st.cache_data was unpickled and validated
    again on every run of the page: 22 of them)."""
    return prebuilt(thumbnail_figure, slug) if REGISTRY[slug].curve is not None else None


def _card(slug: str, lang: str) -> None:
    spec = REGISTRY[slug]
    with st.container(border=True):
        if has_page(slug):
            st.page_link(f"pages/{slug}.py", label=f"**{spec.title}**")
        else:
            st.markdown(f"**{spec.title}**")
        names = loss_names(slug).get(lang) or loss_names(slug)["en"]
        if names:
            st.caption(" · ".join(names[:2]))
        fig = _thumbnail(slug)
        if fig is not None:
            st.plotly_chart(fig, key=f"home.thumb.{slug}", alt=t("alt_home_thumb", loss=spec.title),
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
    _search_and_gallery(lang)


@fragment
def _search_and_gallery(lang: str) -> None:
    """A fragment: a query reruns the results (or the cards) alone, not the whole app."""
    query = st.text_input(t("search_label"), key="home.q", bind="query-params",
                          placeholder=t("search_placeholder"), icon=":material/search:")
    if query.strip():
        _results(query, lang)
        return
    st.caption(t("losses_count", n=len(REGISTRY)))
    _gallery(lang)


def _gallery(lang: str) -> None:
    for family in FAMILIES:
        members = [s for s in REGISTRY.values() if s.family == family]
        if not members:
            continue
        st.subheader(t(f"family_{family}"))
        for start in range(0, len(members), 4):  # one row of columns per 4 cards keeps the rows aligned
            cols = st.columns(4)
            for col, spec in zip(cols, members[start:start + 4]):
                with col:
                    _card(spec.slug, lang)


@shared(maxsize=256)
def _search(query: str) -> tuple:
    """Shared by every session: a shared link (?home.q=...) opened by a class is ranked once."""
    return tuple(search(query))


def _results(query: str, lang: str) -> None:
    """One link per page, best first, naming the place that answers the query, with the sentence there."""
    hits = _search(query.strip()[:200])
    if not hits:
        st.info(t("search_none"))
        return
    shown = hits[:MAX_RESULTS]
    st.caption(t("search_count", n=len(hits), shown=len(shown)))
    for hit in shown:
        with st.container(border=True):
            st.page_link(hit.page.file, label=_hit_label(hit, lang), query_params=hit.link_params(lang),
                         icon=":material/subdirectory_arrow_right:" if hit.section or hit.compare else None)
            text = snippet(hit, query, lang, _page_summary(hit, lang))
            if text:
                st.caption(text)


def _hit_label(hit: Hit, lang: str) -> str:
    title = f"**{hit.page.titles[lang]}**"
    if hit.compare:
        a, b = (REGISTRY[s].title for s in hit.compare)
        return f"{title} · {t('search_compare_hit', lang, a=a, b=b)}"
    return f"{title} · {hit.section.labels[lang]}" if hit.section else title


def _page_summary(hit: Hit, lang: str) -> str:
    """What a page is, for a hit on the page as a whole: a loss's summary, a course page's introduction."""
    if hit.page.kind == "loss":
        return load_content(hit.page.stem, lang).get("summary", ("", ""))[1]
    return course_intro(hit.page.stem, lang)

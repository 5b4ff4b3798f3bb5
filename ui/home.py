"""Home: every registered loss as a card, grouped by family."""
from __future__ import annotations

import streamlit as st

from losses import FAMILIES, REGISTRY

from .i18n import current_lang, load_content, t


def render_home() -> None:
    lang = current_lang()
    st.title(t("app_name"))
    st.markdown(f"### {t('tagline')}")
    st.markdown(t("home_intro"))
    st.caption(t("losses_count", n=len(REGISTRY)))
    for family in FAMILIES:
        members = [s for s in REGISTRY.values() if s.family == family]
        if not members:
            continue
        st.subheader(t(f"family_{family}"))
        cols = st.columns(4)
        for i, spec in enumerate(members):
            with cols[i % 4], st.container(border=True):
                st.page_link(f"pages/{spec.slug}.py", label=f"**{spec.title}**")
                summary = load_content(spec.slug, lang).get("summary", ("", ""))[1]
                st.caption(summary)

"""What the parts of /origins share: the glossary-link line."""
from __future__ import annotations

import streamlit as st

from .glossary import glossary_link, terms
from .i18n import current_lang, t


def terms_caption(keys: tuple[str, ...]) -> None:
    """One glossary link for every term a part uses (content/glossary.toml), in the reader's language."""
    lang = current_lang()
    by_key = {term.key: term for term in terms()}
    links = [glossary_link(by_key[k], lang) for k in keys if k in by_key]
    st.caption(t("course_glossary_terms") + " " + " · ".join(links))

"""The page list for st.navigation (home and course pages, then one page per registered loss by family) and
the sidebar navigation drawn from it.

Streamlit's own sectioned sidebar navigation puts its <li> items inside <div>s, outside any list (axe-core:
`list`, `listitem` on every page). So the app hands st.navigation the pages with position="hidden" and draws
the sidebar itself: one headed group of st.page_link entries per section (same pages, same URLs, the same
in-app navigation without a reload), marked as a navigation landmark by ui/a11y.py. Teacher mode keeps
Streamlit's top bar, whose markup has no such fault.
"""
from __future__ import annotations

from html import escape
from pathlib import Path

import streamlit as st

from losses import FAMILIES, REGISTRY

from .i18n import current_lang, t

ROOT = Path(__file__).resolve().parent.parent
NAV_KEY = "ll-nav"  # the container's CSS class is st-key-ll-nav (ui/a11y.py, ui/style.py)
# Course pages (issue-owned): (file stem, UI-string key for its title). Added only when the file exists.
COURSE_PAGES = (("home", "home"), ("choose", "page_choose"), ("compare", "page_compare"),
                ("theory", "page_theory"), ("origins", "page_origins"), ("in_action", "page_in_action"),
                ("glossary", "page_glossary"))


def build_pages() -> dict:
    """The pages for this session's language. Kept in the session (st.Page is ~0.1 ms each, 29 of them on
    every full run) but never shared between sessions: st.navigation marks the page it returns as callable
    and its run() clears that mark, so two sessions on one shared object would race."""
    key = f"_ll_pages.{current_lang()}"
    if key not in st.session_state:
        st.session_state[key] = _pages()
    return st.session_state[key]


def _pages() -> dict:
    course = []
    for stem, key in COURSE_PAGES:
        if (ROOT / "pages" / f"{stem}.py").exists():
            course.append(st.Page(f"pages/{stem}.py", title=t(key), url_path=stem, default=stem == "home"))
    pages = {"LossLab": course}
    for family in FAMILIES:
        # A spec without its thin page file yet (work in progress) is not linked rather than breaking nav.
        members = [s for s in REGISTRY.values() if s.family == family and (ROOT / "pages" / f"{s.slug}.py").exists()]
        if members:
            pages[t(f"family_{family}")] = [
                st.Page(f"pages/{s.slug}.py", title=s.title, url_path=s.slug) for s in members]
    return pages


def sidebar_navigation(pages: dict) -> None:
    """Every page of `pages` ({section: [st.Page]}) as links under a heading per section, in the sidebar."""
    with st.sidebar, st.container(key=NAV_KEY, gap="small"):
        for section, entries in pages.items():
            st.html(f'<h2 class="ll-nav-heading">{escape(section)}</h2>')
            for page in entries:
                st.page_link(page, label=page.title, width="stretch")

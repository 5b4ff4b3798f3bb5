"""The page list for st.navigation (home and course pages, then one page per registered loss by family) and
the sidebar navigation drawn from it.

Streamlit's own sectioned sidebar navigation puts its <li> items inside <div>s, outside any list (axe-core:
`list`, `listitem` on every page). So the app hands st.navigation the pages with position="hidden" and draws
the sidebar itself: a <nav> landmark with a heading and a list of links per section (same pages, same URLs,
the same in-app navigation without a reload). It is one element (a components-v2 snippet, ui/nav.js): as ~37
st.page_link and st.html elements it was a third of every full run's messages, which the server serialises and
sends one by one. Teacher mode keeps Streamlit's top bar, whose markup has no such fault.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import streamlit as st

from losses import FAMILIES, REGISTRY

from .i18n import current_lang, t

ROOT = Path(__file__).resolve().parent.parent
NAV_KEY = "ll-nav"
JS = (Path(__file__).with_suffix(".js")).read_text(encoding="utf-8")
APP_WIDE_PARAMS = ("lang", "teacher", "device")  # bound by app.py's widgets, for every page
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


@lru_cache(maxsize=1)
def _component():
    return st.components.v2.component("losslab_nav", html="", js=JS, isolate_styles=False)  # ui/style.py styles it


def sidebar_navigation(pages: dict) -> None:
    """Every page of `pages` ({section: [st.Page]}) as links under a heading per section, in the sidebar. A
    click on one comes back as the component's `go` trigger (the page's url_path): switch to that page."""
    sections = [[section, [[page.url_path, page.title] for page in entries]] for section, entries in pages.items()]
    with st.sidebar:
        result = _component()(data={"sections": sections, "label": t("a11y_nav")}, key=NAV_KEY,
                              on_go_change=lambda: None)
    go = getattr(result, "go", None)   # set only in the run that the click started
    if go is None:
        return
    target = next((page for entries in pages.values() for page in entries if page.url_path == go), None)
    if target is not None:
        # The app-wide choices stay in the link, as st.page_link keeps them (a page's own ?slug.x=… do not).
        st.switch_page(target, query_params={k: st.query_params[k] for k in APP_WIDE_PARAMS if k in st.query_params})

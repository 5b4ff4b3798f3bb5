"""The page list for st.navigation: home and course pages, then one page per registered loss by family."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from losses import FAMILIES, REGISTRY

from .i18n import t

ROOT = Path(__file__).resolve().parent.parent
# Course pages (issue-owned): (file stem, UI-string key for its title). Added only when the file exists.
COURSE_PAGES = (("home", "home"), ("choose", "page_choose"), ("compare", "page_compare"),
                ("theory", "page_theory"), ("origins", "page_origins"), ("in_action", "page_in_action"),
                ("glossary", "page_glossary"))


def build_pages() -> dict:
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

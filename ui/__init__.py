"""Streamlit-facing code. The only package besides app.py and pages/ that imports streamlit."""


def _leave_mpa_v1() -> None:
    """Streamlit treats an app with a pages/ folder as a v1 multipage app until app.py first calls
    st.navigation in the process, so a shared deep link opened on a fresh server would run the page
    file alone (no language switch, wrong sidebar). Leave that mode and rerun through app.py."""
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # pragma: no cover - a future Streamlit without it
        return
    if getattr(PagesManager, "uses_pages_directory", False):
        PagesManager.uses_pages_directory = False
        import streamlit as st
        if st.runtime.exists():
            st.rerun()


_leave_mpa_v1()

"""URL state for widgets whose value cannot be bound directly (their URL form would be a translated label)."""
from __future__ import annotations

import streamlit as st


def seed(key: str, allowed) -> None:
    """On the first run of a session, take the widget's value from ?key=… when it is an allowed value."""
    if key in st.session_state:
        return
    raw = st.query_params.get(key)
    for value in allowed:
        if raw is not None and str(value) == raw:
            st.session_state[key] = value
            return


def publish(key: str, value, default) -> None:
    """Write the value to the URL (or drop it when it is the default, to keep links short)."""
    if value == default:
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get(key) != str(value):  # rewriting an unchanged value resends the whole query string
        st.query_params[key] = str(value)

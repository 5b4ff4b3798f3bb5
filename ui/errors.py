"""Unexpected errors: a reader sees a short message in their language with a way back, never a traceback.

Every entry into page code goes through `guard`: the page run (app.py), each fragment (`fragment`, which
Streamlit reruns without the page around it) and each widget callback (`callback`, which runs before the
script). The traceback goes to the server's log. With LOSSLAB_RAISE_ERRORS=1 (set by the test suite) the
error is raised again after the message, so every test still fails on any exception.
"""
from __future__ import annotations

import functools
import logging
import os

log = logging.getLogger("losslab")
ERROR_KEY = "losslab-error"   # prefix of the message's container: tests look for [class*=st-key-losslab-error]


def _raise_in_tests() -> bool:
    return os.environ.get("LOSSLAB_RAISE_ERRORS") == "1"


def show_unexpected_error(err: BaseException) -> None:
    import streamlit as st

    from .i18n import current_lang, t
    lang = current_lang()
    n = st.session_state["_losslab_errors"] = st.session_state.get("_losslab_errors", 0) + 1  # keys must differ
    with st.container(key=f"{ERROR_KEY}-{n}"):
        st.error(t("crash_message", lang), icon=":material/error:")
        # A plain relative link: st.page_link needs the navigation, which may be what failed.
        st.markdown(f"[{t('crash_home', lang)}](./?lang={lang})")
        st.caption(t("crash_detail", lang, kind=type(err).__name__))


def guard(fn):
    """Run fn; on an ordinary exception show the message instead (Streamlit's own rerun/stop signals are
    BaseExceptions and pass through)."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except Exception as err:
            log.exception("unexpected error in %s", getattr(fn, "__qualname__", fn))
            show_unexpected_error(err)
            if _raise_in_tests():
                raise
    return wrapper


def callback(fn):
    """A widget callback: it runs before the script, so an error is remembered and shown by the page run."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        import streamlit as st
        try:
            return fn(*args, **kwargs)
        except Exception as err:
            log.exception("unexpected error in callback %s", getattr(fn, "__qualname__", fn))
            if _raise_in_tests():
                raise
            st.session_state["_losslab_callback_error"] = err
    return wrapper


def show_callback_error() -> None:
    """Called once per page run (app.py): the message for an error a callback swallowed."""
    import streamlit as st
    err = st.session_state.pop("_losslab_callback_error", None)
    if err is not None:
        show_unexpected_error(err)


def fragment(fn=None, **kwargs):
    """st.fragment whose body is guarded (a fragment rerun does not pass through app.py's guard)."""
    import streamlit as st
    if fn is None:
        return lambda f: fragment(f, **kwargs)
    return st.fragment(guard(fn), **kwargs)

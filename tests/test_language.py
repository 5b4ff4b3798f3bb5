"""The language: first visit (link, then the browser's Accept-Language), and a switch that keeps every widget."""
import os

import pytest
from streamlit.testing.v1 import AppTest

from app_pages import open_page
from ui.i18n import t
from ui.language import preferred_language


@pytest.mark.parametrize("query, header, expected", [
    (None, "zh-CN,zh;q=0.9,en;q=0.8", "zh"),
    (None, "en-US,en;q=0.9,zh-CN;q=0.8", "en"),
    (None, "fr-FR,fr;q=0.9,zh-TW;q=0.5,en;q=0.4", "zh"),   # the best language LossLab has
    (None, "de,en;q=0.3,zh;q=0.6", "zh"),
    (None, "zh;q=0", "en"),                                # q=0 means "not this one"
    (None, "", "en"), (None, None, "en"), (None, "*", "en"), (None, "zh;q=abc", "en"),
    ("en", "zh-CN,zh;q=0.9", "en"),                        # ?lang= wins over the browser
    ("zh", "en-US", "zh"), ("xx", "zh-Hans-CN", "zh"),
])
def test_preferred_language(query, header, expected):
    assert preferred_language(query, header) == expected


def _choice_keys_script():
    import streamlit as st

    from ui.language import _choice_widget_keys
    st.radio("r", ["a", "b"], key="some.radio")
    st.selectbox("s", [0, 1], format_func=lambda i: f"label {i}", key="some.select")
    st.slider("x", 0, 10, key="some.slider")
    st.text_input("t", key="some.text")
    st.button("go", key="some.button")
    if st.button("list"):
        st.session_state["found"] = sorted(_choice_widget_keys())


def test_only_choice_widgets_are_reasserted():
    """Guards the internal widget metadata that ui/language.py reads (pinned Streamlit)."""
    at = AppTest.from_function(_choice_keys_script, default_timeout=30)
    at.run()
    at.button[1].click().run()
    assert at.session_state["found"] == ["some.radio", "some.select"]


def test_switching_language_twice_keeps_example_and_sliders():
    at = open_page("huber", "en")
    at.selectbox(key="huber.example").set_value(1).run()
    at.selectbox(key="huber.reduction").set_value("sum").run()
    delta = at.session_state["huber.delta"]
    for lang in ("zh", "en", "zh", "en"):
        at.radio(key="lang").set_value(lang).run()
        assert not at.exception, [e.value for e in at.exception]
        assert at.selectbox(key="huber.example").value == 1
        assert at.session_state["huber.delta"] == delta
        assert at.selectbox(key="huber.reduction").value == "sum"
    assert at.query_params.get("huber.example") == "1"


def _raising_page():
    from ui.errors import guard

    @guard
    def page():
        raise ValueError("boom")
    page()


def test_an_unexpected_error_is_a_message_in_the_readers_language(monkeypatch):
    monkeypatch.delenv("LOSSLAB_RAISE_ERRORS", raising=False)
    at = AppTest.from_function(_raising_page, default_timeout=30)
    at.session_state["lang"] = "zh"
    at.run()
    assert not at.exception                                  # no traceback for the reader
    assert t("crash_message", "zh") in at.error[0].value and "ValueError" in at.caption[0].value
    monkeypatch.setenv("LOSSLAB_RAISE_ERRORS", "1")          # ...but the tests still see it
    at = AppTest.from_function(_raising_page, default_timeout=30)
    at.run()
    assert at.exception and "boom" in at.exception[0].value
    assert os.environ["LOSSLAB_RAISE_ERRORS"] == "1"

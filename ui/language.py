"""The language switch: which language a visit starts in, and a switch that keeps every widget as it was.

Streamlit sends a choice widget's value (radio, selectbox, multiselect, tabs, …) as its *formatted label*,
and a keyed widget keeps its identity when its labels change. So right after a language switch the browser
still reports the old language's label, which the new language's options do not contain: Streamlit then
resets the widget, or hands a callback the raw label (the "tuple indices must be integers" crash on the
second switch). The switch's callback therefore writes every keyed widget's current, language-neutral
value back into session state: Streamlit then uses that value and sends the browser the new label.
"""
from __future__ import annotations

import re
from functools import lru_cache

from losses.text import text

from .i18n import LANGS, forget_lang, language_name

KEY = "lang"
_TAG = re.compile(r"^\s*([A-Za-z]{1,8})(?:[-_][A-Za-z0-9-]*)?\s*(?:;\s*q\s*=\s*([0-9.]+))?\s*$")


def preferred_language(query_lang: str | None, accept_language: str | None) -> str:
    """?lang= wins; otherwise the best language of the browser's Accept-Language that LossLab has; else English."""
    if query_lang in LANGS:
        return query_lang
    best, best_q = "en", -1.0
    for order, part in enumerate((accept_language or "").split(",")):
        m = _TAG.match(part)
        if not m:
            continue
        lang = m.group(1).lower()
        try:
            q = float(m.group(2)) if m.group(2) else 1.0
        except ValueError:
            continue
        if lang in LANGS and q > best_q and q > 0:  # ties keep the browser's own order
            best, best_q = lang, q
    return best


# Widgets whose wire value is a formatted option label (streamlit 1.67's serde classes).
_CHOICE_SERDES = {"SelectboxSerde", "RadioSerde", "MultiSelectSerde", "SelectSliderSerde",
                  "_SingleSelectButtonGroupSerde", "_MultiSelectButtonGroupSerde"}


def _choice_widget_keys() -> list[str]:
    """User keys of the choice widgets drawn in the last run. Reads Streamlit's widget metadata (internal,
    pinned version; tests/test_language.py fails if it moves): only these send labels, and re-asserting
    other widgets (text fields, sliders) would write their defaults into the URL."""
    from streamlit.runtime.state.session_state_proxy import get_session_state
    state = get_session_state()._state
    keys = []
    for wid, key in state._key_id_mapper.id_key_mapping.items():
        meta = state._new_widget_state.widget_metadata.get(wid)
        serde = getattr(getattr(meta, "deserializer", None), "__self__", None)
        if type(serde).__name__ in _CHOICE_SERDES and key != KEY:
            keys.append(key)
    return keys


def _keep_widget_values() -> None:
    """on_change of the switch: re-assert each choice widget's value (see the module docstring). Read now,
    the browser's label still decodes with the old language's options, so the value is the right one."""
    import streamlit as st
    for key in _choice_widget_keys():
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def language_switch() -> str:
    """The language radio (each language by its own name), seeded on a session's first run from the link or the browser, bound to ?lang=."""
    import streamlit as st

    from .url_state import publish
    if KEY not in st.session_state:
        st.session_state[KEY] = preferred_language(st.query_params.get(KEY),
                                                   st.context.headers.get("Accept-Language"))
        forget_lang()
    # Labelled in every language at once: a reader who cannot read the current one still finds the switch.
    label = " / ".join(dict.fromkeys(text("language", code) for code in reversed(LANGS)))
    lang = st.radio(label, LANGS, format_func=language_name, key=KEY, horizontal=True,
                    label_visibility="collapsed", on_change=_keep_widget_values)
    publish(KEY, lang, "en")
    return lang



_LANG_JS = """export default function ({data}) {
  if (data && document.documentElement.lang !== data) document.documentElement.lang = data;
}"""


@lru_cache(maxsize=1)
def _lang_component():
    import streamlit as st
    return st.components.v2.component("losslab_doc_lang", html="", js=_LANG_JS, isolate_styles=False)


def document_language(lang: str) -> None:
    """Set <html lang> to the page's language (WCAG 3.1.1): a components-v2 snippet with no DOM of its own."""
    _lang_component()(data=text("html_lang", lang), key="doc-lang")  # en, zh-Hans: content/<lang>/ui/core.toml

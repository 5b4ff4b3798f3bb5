"""LossLab entry point: page config, language and device choice, navigation built from the registry."""
# Heavy libraries first, in one fixed order. Sessions run this script in parallel threads; when a
# classroom opens the app at once, two threads reaching pandas through different modules deadlock-avoid
# into "partially initialized module 'pandas'" (seen in bench/load_test.py). One import path avoids it.
import numpy  # noqa: F401,I001
import pandas  # noqa: F401
import torch  # noqa: F401
import plotly.graph_objects  # noqa: F401
import streamlit as st

st.set_page_config(page_title="LossLab", layout="wide", initial_sidebar_state="expanded")

from losses.device import available_devices  # noqa: E402  (after set_page_config)
from ui.i18n import LANG_NAMES, LANGS, t  # noqa: E402
from ui.nav import build_pages  # noqa: E402
from ui.style import apply_base_style  # noqa: E402
from ui.teacher import nav_position, teacher_toggle  # noqa: E402
from ui.url_state import publish, seed  # noqa: E402

apply_base_style()
# Entrypoint widgets keep their state across pages; bound to ?lang= so a shared link opens in that language.
with st.sidebar:
    seed("lang", LANGS)
    lang = st.radio("语言 / Language", LANGS, format_func=LANG_NAMES.get, key="lang", horizontal=True)
    publish("lang", lang, "en")
    devices = available_devices()
    if len(devices) > 1:
        st.radio(t("device"), devices, key="device", horizontal=True, help=t("device_help"),
                 bind="query-params")
    else:
        st.caption(t("no_gpu"))
    teacher_toggle()  # ?teacher=true: large fonts, sidebar collapsed, one plot per screen

# expanded: every loss listed (Streamlit's own "View N more" label is English-only)
st.navigation(build_pages(), position=nav_position(), expanded=True).run()

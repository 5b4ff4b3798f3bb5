"""LossLab entry point: page config, language and device choice, navigation built from the registry."""
# Heavy libraries first, in one fixed order. Sessions run this script in parallel threads; when a
# classroom opens the app at once, two threads reaching pandas through different modules deadlock-avoid
# into "partially initialized module 'pandas'" (seen in bench/load_test.py). One import path avoids it.
import numpy  # noqa: F401,I001
import pandas  # noqa: F401
import torch  # noqa: F401
import plotly.graph_objects  # noqa: F401
import streamlit as st

# One intra-op thread: every tensor here is small (a 201-point sweep, a worked example), and the server's
# sessions already run in parallel threads on few cores. With torch's default (one thread per core) its
# thread pool spins against the other sessions: focal's 51-frame sweep took 1.26 s instead of 42 ms on this
# 2-core machine while a test run loaded it.
if torch.get_num_threads() != 1:   # once per process: Streamlit runs this file again on every rerun
    torch.set_num_threads(1)

# A run's elements reach the event loop in bursts, one wake-up each, not one per element (ui/message_batching.py).
from ui.message_batching import install as batch_messages  # noqa: E402
batch_messages()
# Nagle's algorithm off on the server's sockets: a rerun's last messages no longer wait ~40 ms for the
# browser's delayed ACK (ui/tcp_nodelay.py). Once per process.
from ui.tcp_nodelay import install as send_without_delay  # noqa: E402
send_without_delay()

# "auto": the sidebar starts open on a desktop and collapsed on a phone, where it would cover the page.
st.set_page_config(page_title="LossLab", layout="wide", initial_sidebar_state="auto")

from losses.device import available_devices  # noqa: E402  (after set_page_config)
from ui.errors import guard, show_callback_error  # noqa: E402
from ui.i18n import t  # noqa: E402
from ui.language import document_language, language_switch  # noqa: E402
from ui.live_chart import forget_sent_figures  # noqa: E402
from ui.a11y import accessibility_repairs  # noqa: E402
from ui.nav import build_pages, sidebar_navigation  # noqa: E402
from ui.style import apply_base_style  # noqa: E402
from ui.teacher import nav_position, teacher_toggle  # noqa: E402


@guard
def main() -> None:
    # Language and teacher mode head every page's main area, so both are in view without scrolling on a
    # laptop and in teacher mode (in the sidebar they sat under ~28 navigation entries). Entrypoint
    # widgets keep their state across pages; both are bound to the URL so a shared link opens the same view.
    with st.container(key="topbar", horizontal=True, horizontal_alignment="right", vertical_alignment="center"):
        lang = language_switch()
        teacher_toggle()  # ?teacher=true: large fonts, sidebar collapsed, one plot per screen
    apply_base_style(lang)
    document_language(lang)  # <html lang>: a screen reader reads Chinese with a Chinese voice
    show_callback_error()
    forget_sent_figures()  # a full run: each chart on the page sends its figure again (ui/live_chart.py)
    pages = build_pages()
    # Teacher mode: Streamlit's top bar. Otherwise our own sidebar links (ui/nav.py: Streamlit's sectioned
    # sidebar markup fails axe-core's list rules); st.navigation still routes every URL.
    position = nav_position()
    if position == "sidebar":
        sidebar_navigation(pages)
        position = "hidden"
    with st.sidebar:
        devices = available_devices()
        if len(devices) > 1:
            st.radio(t("device"), devices, key="device", horizontal=True, help=t("device_help"),
                     bind="query-params")
        else:
            st.caption(t("no_gpu"))
        accessibility_repairs(lang)
    # expanded: every loss listed (Streamlit's own "View N more" label is English-only)
    st.navigation(pages, position=position, expanded=True).run()


main()

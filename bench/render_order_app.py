"""The page bench/render_order.py drives: in a fragment, a slider, then what LossLab's live chart is (a
components-v2 element whose JS records when the browser calls it) and an st.html marker, then
LOSSLAB_AFTER Markdown elements; LOSSLAB_PAUSE_MS pauses the script after the marker (0: none)."""
import os
import time

import streamlit as st

AFTER = int(os.environ.get("LOSSLAB_AFTER", "40"))
PAUSE_MS = float(os.environ.get("LOSSLAB_PAUSE_MS", "0"))
# Inline JS must hold a newline (Streamlit reads a one-line string as a file path).
probe = st.components.v2.component("losslab_render_probe", html="<div></div>", js="""
export default function (component) {
  (window.__llOrder = window.__llOrder || []).push([performance.now(), "component", component.data.value]);
}""")


@st.fragment
def body() -> None:
    value = st.slider("value", 0, 100, 50, key="order.value")
    probe(data={"value": value}, key="order.probe")
    st.html(f'<div class="ll-order-marker" data-value="{value}"></div>')
    if PAUSE_MS:
        time.sleep(PAUSE_MS / 1000)
    for i in range(AFTER):
        st.markdown(f"Paragraph {i}: **value** = `{value}`")


body()

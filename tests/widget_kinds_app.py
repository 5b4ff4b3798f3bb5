"""A page with one widget of each kind the load client drives; it fails loudly when a widget's value has
the wrong Python type, and echoes every value (tests/test_load_client.py reads the echo)."""
import streamlit as st


@st.fragment
def in_fragment():
    n = st.slider("frag", 0, 10, 3, key="k.frag")
    st.text(f"frag={n!r}")


values = {
    "slider": st.slider("slider", 0.0, 5.0, 1.0, 0.25, key="k.slider"),
    "select_slider": st.select_slider("select_slider", [0.5, 1.0, 3.0, 10.0], value=3.0, key="k.select_slider",
                                      format_func=lambda v: f"{v:g}"),
    "selectbox": st.selectbox("selectbox", ["mean", "sum", "none"], key="k.selectbox"),
    "radio": st.radio("radio", [0, 1, 2], format_func=lambda v: f"y = {v}", key="k.radio"),
    "checkbox": st.toggle("toggle", key="k.checkbox"),
    "number_input": st.number_input("number", 0, 99, 5, key="k.number_input"),
    "multiselect": st.multiselect("multi", ["l1", "mse", "huber"], default=["mse"], key="k.multiselect"),
    "button_group": st.segmented_control("seg", ["a", "b", "c"], default="a", key="k.button_group"),
}
expected = {"slider": float, "select_slider": float, "selectbox": str, "radio": int, "checkbox": bool,
            "number_input": int, "multiselect": list, "button_group": str}
for kind, value in values.items():
    if not isinstance(value, expected[kind]):
        raise TypeError(f"{kind}: got {type(value).__name__} {value!r}")
    st.text(f"{kind}={value!r}")
in_fragment()

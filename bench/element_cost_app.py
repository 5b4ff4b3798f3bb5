"""bench/bare_app.py plus LOSSLAB_ELEMENTS=<kind>:<count> elements of one kind after its plot (bench/element_cost.py)."""
import os

import numpy as np
import plotly.graph_objects as go
import pyarrow as pa
import streamlit as st

kind, _, count = os.environ.get("LOSSLAB_ELEMENTS", "markdown:0").partition(":")
n = int(count or 0)
delta = st.slider("delta", 0.05, 5.0, 1.0, 0.05, key="bare.delta")
x = np.linspace(-3, 3, 2000)
y = np.where(np.abs(x) < delta, 0.5 * x ** 2, delta * (np.abs(x) - 0.5 * delta))
st.plotly_chart(go.Figure(go.Scatter(x=x, y=y)), key="bare.curve")

rows = [{"": "focal, α = 0.25", "loss": f"{delta:.4f}"}, {"": "BCE, weight α_t", "loss": f"{delta / 2:.4f}"}]
for i in range(n):
    if kind == "markdown":
        st.markdown(f"Paragraph {i}: **δ** = `{delta:g}`")
    elif kind == "markdown_joined":  # the same paragraphs, all in the first element
        if i == 0:
            st.markdown("\n\n".join(f"Paragraph {j}: **δ** = `{delta:g}`" for j in range(n)))
    elif kind == "table":
        st.table(pa.Table.from_pylist(rows), hide_index=True)
    elif kind == "markdown_table":
        st.markdown("|  | loss |\n|---|---|\n" + "\n".join(f"| {r['']} | {r['loss']} |" for r in rows))
    elif kind == "columns":  # a row of two columns, one Markdown element in the first
        st.columns(2)[0].markdown(f"Column {i}")
    elif kind == "horizontal":  # the same row as a horizontal container: one block instead of three
        st.container(horizontal=True).markdown(f"Column {i}")
    elif kind == "slider":
        st.slider(f"slider {i}", 0.0, 1.0, 0.5, key=f"el.{i}")
    elif kind == "selectbox":
        st.selectbox(f"select {i}", ("mean", "sum", "none"), key=f"el.{i}")
    elif kind == "text_area":
        st.text_area(f"text {i}", "[[0.1, 0.2, 0.4, 0.8]]", key=f"el.{i}")
    else:
        raise ValueError(f"unknown element kind {kind!r}")

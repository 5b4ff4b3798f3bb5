"""The yardstick for bench/perf.py: a bare Streamlit page with one slider and one 2,000-point Plotly line.

LOSSLAB_BARE_NODELAY=1: the same page with LossLab's socket setting (ui/tcp_nodelay.py), to tell what that
setting gains from what the rest of LossLab costs."""
import os
import sys
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import streamlit as st

if os.environ.get("LOSSLAB_BARE_NODELAY") == "1":
    root = str(Path(__file__).resolve().parent.parent)
    if root not in sys.path:
        sys.path.insert(0, root)
    from ui.tcp_nodelay import install
    install()

delta = st.slider("delta", 0.05, 5.0, 1.0, 0.05, key="bare.delta")
x = np.linspace(-3, 3, 2000)
y = np.where(np.abs(x) < delta, 0.5 * x ** 2, delta * (np.abs(x) - 0.5 * delta))
st.plotly_chart(go.Figure(go.Scatter(x=x, y=y)), key="bare.curve")

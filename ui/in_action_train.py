"""Cached training of the "Loss in action" demos: one entry per demo settings (st.cache_data), shared by every
session on this server. `_label` (the progress text) is not part of the key: the language does not retrain.
The progress bar is created inside each cached function, so Streamlit replays it on a cache hit (where it
ends empty, as it did after training) and the page's element tree is the same on a hit and a miss.
The training code itself is in losses/training.py (pure torch, no Streamlit).
"""
from __future__ import annotations

import streamlit as st

import losses.training as training


def _progress_bar(label: str):
    bar = st.progress(0.0, text=label)
    return bar, (lambda f: bar.progress(min(max(float(f), 0.0), 1.0), text=label))


@st.cache_data(max_entries=256, show_spinner=False)
def line_data(seed_: int, frac: float, size: float) -> training.LineData:
    return training.make_line_data(seed_, frac, size)


@st.cache_data(max_entries=256, show_spinner=False)
def line_fits(seed_: int, frac: float, size: float, lr: float, steps: int, delta: float, beta: float, device: str,
              _label: str = "") -> dict[str, training.LineFit]:
    bar, progress = _progress_bar(_label)
    fits = training.fit_lines(line_data(seed_, frac, size), training.REG_LOSSES, lr=lr, steps=steps, delta=delta,
                              beta=beta, device=device, progress=progress)
    bar.empty()
    return fits


@st.cache_data(max_entries=256, show_spinner=False)
def blob_data(seed_: int, pos_frac: float) -> training.BlobData:
    return training.make_blob_data(seed_, pos_frac)


@st.cache_data(max_entries=256, show_spinner=False)
def classifier_fits(seed_: int, pos_frac: float, lr: float, steps: int, alpha: float, gamma: float, device: str,
                    _label: str = "") -> dict[str, training.ClassifierFit]:
    bar, progress = _progress_bar(_label)
    fits = training.fit_classifiers(blob_data(seed_, pos_frac), training.CLS_LOSSES, lr=lr, steps=steps,
                                    alpha=alpha, gamma=gamma, seed=seed_, device=device, progress=progress)
    bar.empty()
    return fits


@st.cache_data(max_entries=256, show_spinner=False)
def class_data(seed_: int, n_classes: int) -> training.ClassData:
    return training.make_class_data(seed_, n_classes)


@st.cache_data(max_entries=256, show_spinner=False)
def embedding_fit(seed_: int, n_classes: int, margin: float, mining: str, lr: float, steps: int, device: str,
                  _label: str = "") -> training.EmbeddingFit:
    bar, progress = _progress_bar(_label)
    fit = training.fit_embedding(class_data(seed_, n_classes), margin=margin, mining=mining, lr=lr, steps=steps,
                                 seed=seed_, device=device, progress=progress)
    bar.empty()
    return fit

"""Helpers shared by the classification panels (not a panel itself).

Panels draw between the curve and the worked examples; several of them explain the worked example the
user is editing, so they read its current text the way ui/loss_page.py keys it: '<slug>.example' for the
chosen example and '<slug>.ex<idx>.<arg>' for each input (session state first, then the URL, then the
example's own value).
"""
from __future__ import annotations

import streamlit as st

from losses.errors import InputError
from losses.parse import format_tensor_text

from ..i18n import t
from .panel_cache import keyed, params_key


def current_example(spec) -> tuple[int, dict]:
    key = f"{spec.slug}.example"
    idx = st.session_state.get(key)
    if not isinstance(idx, int) or not 0 <= idx < len(spec.examples):
        raw = st.query_params.get(key)
        idx = int(raw) if raw is not None and raw.isdigit() and int(raw) < len(spec.examples) else 0
    texts = {}
    for name in spec.arg_names:
        k = f"{spec.slug}.ex{idx}.{name}"
        value = st.session_state.get(k)
        if value is None:
            value = st.query_params.get(k)
        if value is None:
            value = format_tensor_text(spec.examples[idx].inputs[name])
        texts[name] = value
    return idx, texts


def _on_example(fn, spec, texts: dict, params: dict, *extra):
    try:
        tensors = spec.to_tensors(spec.to_arrays(texts))
        if spec.validate is not None:
            spec.validate(tensors, params)
    except InputError:
        return None
    return fn(spec, tensors, params, *extra)


def example_result(spec, params: dict, fn, *extra):
    """(example index, fn(spec, tensors, params, *extra)) for the worked example, computed once per example text and
    hyperparameters and shared (never mutate it); the result is None, with a caption, when the example does
    not parse (the example section shows the error)."""
    idx, texts, key = example_key(spec, params)
    result = keyed(_on_example, (f"{fn.__module__}.{fn.__qualname__}", *key, *extra), fn, spec, texts, params, *extra)
    if result is None:
        st.caption(t("cls_fix_example"))
    return idx, result


def example_key(spec, params: dict) -> tuple[int, dict, tuple]:
    """(example index, its input texts, a hashable key for what the panel shows of it with these params)."""
    idx, texts = current_example(spec)
    return idx, texts, (spec.slug, tuple(sorted(texts.items())), params_key(params))


def header(key: str) -> None:
    st.subheader(t(key))


def np_(x):
    return x.detach().cpu().double().numpy()

"""Target-format builder: build the target the way people really write it and see what torch does with it.

torch never checks that ±1 labels are ±1, nor that MultiLabelMarginLoss gets indices rather than a one-hot
row. Here torch is called directly (LossLab's own validation would refuse these targets) so the silently
different value is visible next to the right one."""
from __future__ import annotations

import numpy as np
import streamlit as st

from losses.errors import InputError
from losses.parse import format_tensor_text, parse_tensor_text
from losses.margin_geometry import (PM1_SLUGS, encode_pm1, multilabel_analysis, multilabel_encode,
                                    multilabel_torch_value,
                                    pm1_terms)

from ..i18n import current_lang, t
from ..widgets import show_error
from .panel_cache import once
from ..markdown_blocks import joined, plain_table, section_heading
PM1_ENCODINGS = ("pm1", "zero_one", "one_two", "custom")
ML_ENCODINGS = ("indices", "multi_hot", "custom")


def render(spec, params: dict, device: str) -> None:
    section_heading(t("mg_tf_title"))
    if spec.slug in PM1_SLUGS:
        _pm1(spec, params)
    elif spec.slug == "multilabel_margin":
        _multilabel(spec, params)


def _terms(slug: str, target: tuple, margin: float):
    """pm1_terms on the spec's first example, once per target and margin (shared: never mutated)."""
    from losses import REGISTRY
    inputs = {k: v for k, v in REGISTRY[slug].examples[0].inputs.items() if k != "target"}
    return pm1_terms(slug, inputs, np.asarray(target, dtype=float), margin)


def _reduce(terms: np.ndarray, reduction: str) -> str:
    if reduction == "none":
        return format_tensor_text(np.round(terms, 4).tolist())
    return f"{(terms.mean() if reduction == 'mean' else terms.sum()):.4f}"


def _pm1(spec, params: dict) -> None:
    slug = spec.slug
    ex = spec.examples[0]
    inputs = {k: v for k, v in ex.inputs.items() if k != "target"}
    example_target = np.asarray(ex.inputs["target"], dtype=float).ravel()
    n = example_target.size
    st.caption(t("mg_tf_help_pm1"))
    shown = {k: format_tensor_text(v).replace(",\n ", ", ") for k, v in inputs.items()}
    st.markdown(t("mg_tf_inputs", inputs=" · ".join(f"`{k} = {v}`" for k, v in shown.items())))
    c1, c2 = st.columns([1, 1], gap="medium")
    with c1:
        positives = st.multiselect(t(f"mg_tf_intended_{slug}"), list(range(n)),
                                   default=[i for i in range(n) if example_target[i] == 1],
                                   format_func=lambda i: f"#{i}", key=f"{slug}.tf_pos", select_all=False)
        intended = np.array([1.0 if i in positives else -1.0 for i in range(n)])
        st.caption(t("mg_tf_intended_is", y=format_tensor_text(intended.tolist())))
    with c2:
        encoding = st.radio(t("mg_tf_encoding"), PM1_ENCODINGS, format_func=lambda e, lang=current_lang(): t(f"mg_tf_enc_{e}", lang),
                            index=1, key=f"{slug}.tf_enc")
        if encoding == "custom":
            text = st.text_input(t("mg_tf_custom"), value=format_tensor_text([1.0, 0.0, 0.5][:n] + [0.0] * max(0, n - 3)),
                                 key=f"{slug}.tf_custom")
            try:
                target = np.asarray(parse_tensor_text(text, "target"), dtype=float)
                if target.shape != (n,):
                    raise InputError("mg_tf_err_target", n=n, shape=str(target.shape))
            except InputError as err:
                show_error(err)
                return
        else:
            target = encode_pm1(intended, encoding)
    margin = params["margin"]
    terms, grads = once(_terms, slug, tuple(target.tolist()), margin)
    right, right_grads = once(_terms, slug, tuple(intended.tolist()), margin)
    rows = []
    for i in range(n):
        ok = target[i] in (1.0, -1.0)
        rows.append({
            t("mg_tf_col_element"): f"#{i}",
            t("mg_tf_col_meant"): f"{intended[i]:+g}",
            t("mg_tf_col_passed"): f"{target[i]:g}",
            t("mg_tf_col_torch"): f"{terms[i]:.4f}",
            t("mg_tf_col_grad"): f"{grads[i]:.4f}",
            t("mg_tf_col_right"): f"{right[i]:.4f}",
            t("mg_tf_col_verdict"): t("mg_tf_ok_row") if ok and target[i] == intended[i] else (
                t("mg_tf_flipped_row") if ok else t(f"mg_tf_bad_row_{slug}")),
        })
    reduction = params["reduction"]
    yours, correct = _reduce(terms, reduction), _reduce(right, reduction)
    st.markdown(joined(t("mg_tf_target_is", y=format_tensor_text(target.tolist())), plain_table(rows),
                       t("mg_tf_values", reduction=reduction, yours=yours, right=correct)))
    bad = [i for i in range(n) if target[i] not in (1.0, -1.0)]
    if bad:
        st.warning(t(f"mg_tf_flag_{slug}", n=len(bad), margin=f"{margin:g}"))
    elif not np.array_equal(target, intended):
        st.warning(t("mg_tf_flag_flipped"))
    else:
        st.success(t("mg_tf_all_ok"))


def _multilabel(spec, params: dict) -> None:
    slug = spec.slug
    x = np.asarray(spec.examples[0].inputs["input"], dtype=float)[0]
    c = x.size
    st.caption(t("mg_tf_help_ml"))
    st.markdown(t("mg_tf_inputs", inputs=f"`input = {format_tensor_text([x.tolist()])}`"))
    c1, c2 = st.columns([1, 1], gap="medium")
    with c1:
        classes = st.multiselect(t("mg_tf_ml_classes"), list(range(c)), default=[3], key=f"{slug}.tf_ml_classes", select_all=False)
    with c2:
        encoding = st.radio(t("mg_tf_encoding"), ML_ENCODINGS, format_func=lambda e, lang=current_lang(): t(f"mg_tf_enc_{e}", lang), index=1,
                            key=f"{slug}.tf_ml_enc")
    right_row = multilabel_encode(classes, c, "indices")
    if encoding == "custom":
        text = st.text_input(t("mg_tf_custom_ml", c=c), value="[3, 1, -1, -1]", key=f"{slug}.tf_ml_custom")
        try:
            row = np.asarray(parse_tensor_text(text, "target"), dtype=float)
            spec.evaluate({"input": [x.tolist()], "target": [row.tolist()]}, {"reduction": "sum"})
            row = row.astype(np.int64)
        except InputError as err:
            show_error(err)
            return
    else:
        row = multilabel_encode(classes, c, encoding)
    read = multilabel_analysis(x, row)
    yours = multilabel_torch_value(x, row)
    right = multilabel_torch_value(x, right_row)
    meant = sorted(set(classes))
    read_set = sorted(read["counts"])
    dup = {j: k for j, k in read["counts"].items() if k > 1}
    st.markdown(joined(
        t("mg_tf_ml_rows", row=format_tensor_text(row.tolist()), right=format_tensor_text(right_row.tolist())),
        t("mg_tf_ml_read", read=", ".join(f"{j}" + (f" ×{dup[j]}" if j in dup else "") for j in read_set) or "∅",
          meant=", ".join(map(str, meant)) or "∅", yours=f"{yours:.4f}", right=f"{right:.4f}")))
    if read_set != meant or dup:
        lost = [j for j in meant if j not in read_set]
        extra = [j for j in read_set if j not in meant]
        st.warning(t("mg_tf_ml_flag", lost=", ".join(map(str, lost)) or "∅", extra=", ".join(map(str, extra)) or "∅",
                     dup=", ".join(f"{j} ×{k}" for j, k in dup.items()) or "∅"))
    else:
        st.success(t("mg_tf_all_ok"))

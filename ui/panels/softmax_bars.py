"""softmax(input) next to the target distribution, for one position of the worked example (CE and NLL)."""
from __future__ import annotations

import numpy as np
import streamlit as st

from ..i18n import t
from .example_input import example_key, example_result, np_
from .classification_figures import prob_bars_figure
from .panel_cache import keyed_figure
from ..markdown_blocks import section_heading


def _rows(x: np.ndarray) -> np.ndarray:
    """(C,) -> (1, C); (N, C, d…) -> (N·d…, C): one row of class scores per position."""
    return x[None] if x.ndim == 1 else np.moveaxis(x, 1, -1).reshape(-1, x.shape[1])


def row_distributions(spec, tensors: dict, params: dict, row: int):
    """(input row, predicted distributions [(key, values)], target distribution or None if ignored)."""
    import torch
    x = tensors["input"]
    rows = _rows(np_(x))
    C = rows.shape[1]
    z = torch.tensor(rows[row])
    preds = []
    if spec.slug == "nll":
        preds.append(("cls_bars_exp", torch.exp(z).numpy()))
    preds.append(("cls_bars_softmax", torch.softmax(z, dim=0).numpy()))
    tgt = np_(tensors["target"])
    eps = float(params.get("label_smoothing", 0.0))
    if tgt.shape == np_(x).shape:
        q = _rows(tgt)[row]
    else:
        y = int(tgt.reshape(-1)[row])
        if y == int(params["ignore_index"]):
            return rows[row], preds, None
        q = np.eye(C)[y]
    return rows[row], preds, q * (1 - eps) + eps / C


def _n_rows(spec, tensors: dict, params: dict) -> int:
    return _rows(np_(tensors["input"])).shape[0]


def _view(spec, tensors: dict, params: dict, row: int) -> tuple:
    """What the panel shows of one row: its scores, the distributions and torch's 'none' loss there."""
    z, preds, q = row_distributions(spec, tensors, params, row)
    none = np.asarray(spec.evaluate({k: v for k, v in tensors.items()}, {**params, "reduction": "none"})
                      .detach().cpu().double()).reshape(-1)
    return z, preds, q, float(none[row])


def render(spec, params: dict, device: str) -> None:
    section_heading(t("cls_bars_title"))
    idx, n_rows = example_result(spec, params, _n_rows)
    if n_rows is None:
        return
    row = 0
    if n_rows > 1:
        key = f"{spec.slug}.bars_row"
        st.session_state[key] = min(int(st.session_state.get(key, 0)), n_rows - 1)
        row = st.slider(t("cls_bars_row", n=n_rows), 0, n_rows - 1, key=key)
    _, (z, preds, q, loss) = example_result(spec, params, _view, row)
    dists = [(t(k), v) for k, v in preds]
    if q is not None:
        dists.append((t("cls_bars_target"), q))
    labels = {"x": t("cls_class"), "y": t("cls_probability"), "title": t("cls_bars_fig", row=row)}
    alt = t("alt_cls_softmax_bars", row=row, dists="; ".join(
        f"{name} " + ", ".join(f"{v:.3g}" for v in np.asarray(probs, dtype=float).ravel()) for name, probs in dists))
    fig_key = (*example_key(spec, params)[2], row, tuple(labels.items()), tuple(name for name, _ in dists))
    st.plotly_chart(keyed_figure(prob_bars_figure, fig_key, dists, labels), key=f"{spec.slug}.bars_fig",
                    config={"displaylogo": False}, alt=alt)
    lines = [t("cls_bars_loss", v=f"{loss:.6g}")]
    if q is None:
        lines.append(t("cls_bars_ignored"))
    if spec.slug == "nll":
        s = float(np.exp(z).sum())
        lines.append(t("cls_bars_logprob_ok" if abs(s - 1) < 1e-3 else "cls_bars_logprob_bad", s=f"{s:.4g}"))
    if float(params.get("label_smoothing", 0.0)) > 0 and q is not None:
        lines.append(t("cls_bars_smoothing", eps=f"{params['label_smoothing']:g}"))
    st.markdown("  \n".join(lines))

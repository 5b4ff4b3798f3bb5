"""GaussianNLLLoss: `eps` clamps the variance, it is not added to it. A table, computed by torch, of what
torch uses, the loss, the loss if eps were added, and the autograd gradient, at the page's eps."""
from __future__ import annotations

import numpy as np


def clamp_rows(eps: float, d: float, full: bool = False, device: str = "cpu") -> list[dict]:
    """One row per variance around eps: torch's loss (clamp) vs σ² + eps, and ∂loss/∂var from autograd."""
    import torch
    import torch.nn.functional as F
    candidates = [0.0, 1e-8, eps / 2, eps, 2 * eps, 1e-3, 0.25, 1.0]
    vs = sorted({float(v) for v in candidates if v >= 0 and (eps > 0 or v > 0)})
    var = torch.tensor(vs, dtype=torch.float64, device=device, requires_grad=True)
    mu = torch.full_like(var, d)
    y = torch.zeros_like(var)
    loss = F.gaussian_nll_loss(mu, y, var, full=full, eps=eps, reduction="none")
    (grad,) = torch.autograd.grad(loss.sum(), var)
    with torch.no_grad():
        added = F.gaussian_nll_loss(mu, y, var + eps, full=full, eps=0.0, reduction="none") \
            if eps > 0 or min(vs) > 0 else torch.full_like(var, float("nan"))
    out = []
    for v, lo, ad, g in zip(vs, loss.detach().cpu().numpy(), added.cpu().numpy(), grad.cpu().numpy()):
        out.append({"var": v, "used": max(v, eps), "clamped": v < eps, "loss": float(lo), "added": float(ad),
                    "grad": float(g)})
    return out


def _num(v: float) -> str:
    if not np.isfinite(v):
        return "nan" if np.isnan(v) else "∞"
    return f"{v:.6g}"


def render(spec, params: dict, device: str) -> None:
    import streamlit as st

    from ui.i18n import t
    from ui.panels.panel_cache import once, table
    from ui.markdown_blocks import section_heading
    section_heading(t("prob_gauss_title"), t("prob_gauss_intro"))
    eps = float(params.get("eps", 1e-6))
    c1, c2 = st.columns([1, 3])
    with c1:
        d = st.slider(t("prob_gauss_d"), 0.1, 2.0, 0.5, 0.1, key=f"{spec.slug}.gauss_d", bind="query-params")
        st.markdown(t("prob_gauss_eps_now", eps=f"{eps:.3g}"))
    with c2:
        rows = []
        for r in once(clamp_rows, eps, d, bool(params.get("full")), device):
            rows.append({t("prob_gauss_var"): f"{r['var']:.3g}",
                         t("prob_gauss_used"): f"{r['used']:.3g}" + (f" ({t('prob_gauss_clamped')})" if r["clamped"] else ""),
                         t("prob_gauss_loss"): _num(r["loss"]),
                         t("prob_gauss_added"): _num(r["added"]),
                         t("prob_gauss_grad"): _num(r["grad"])})
        table(rows)
    st.caption(t("prob_gauss_note"))

"""Extra visualisations on a loss page, registered here by the loss's slug (the domain names no UI module).

Each module ui/panels/<name>.py defines render(spec, params, device) and draws with Streamlit; its interface
strings live in content/<lang>/ui/*.toml, its numbers in losses/ (pure, tested without Streamlit).
"""
from __future__ import annotations

import importlib

from ..errors import fragment

# slug -> the panels its page shows, in order.
PANELS: dict[str, tuple[str, ...]] = {
    "binary_cross_entropy": ("saturation",),
    "binary_cross_entropy_with_logits": ("saturation", "pos_weight"),
    "cross_entropy": ("softmax_bars", "extra_class", "pixel_map"),
    "nll": ("logprob_check", "softmax_bars", "pixel_map"),
    "focal": ("focal_terms",),
    "margin_ranking": ("target_format",),
    "hinge_embedding": ("target_format",),
    "multi_margin": ("multi_margin_bars",),
    "multilabel_margin": ("multilabel_pairs", "target_format"),
    "cosine_embedding": ("cosine_view", "target_format"),
    "triplet_margin": ("triplet_view",),
    "triplet_margin_with_distance": ("triplet_view",),
    "kl_div": ("kl_divergence",),
    "poisson_nll": ("poisson_stirling",),
    "gaussian_nll": ("gaussian_clamp",),
    "ctc": ("ctc_trellis",),
}


def panels_for(slug: str) -> tuple[str, ...]:
    """The panels of a loss page (none for a loss without any)."""
    return PANELS.get(slug, ())


@fragment
def _panel(name: str, spec, params: dict, device: str) -> None:
    """One panel as its own fragment: its own widgets (a logit, a point, a label) rerun this panel alone, not
    the page's plot, the other panels and the worked example. A hyperparameter still reruns it (the page's
    interactive fragment calls it again, with the new params)."""
    importlib.import_module(f"ui.panels.{name}").render(spec, params, device)


def render_panel(name: str, spec, params: dict, device: str) -> None:
    _panel(name, spec, params, device)

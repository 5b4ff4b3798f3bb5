"""LossLab's domain: every loss as a LossSpec, importable without Streamlit.

    from losses import REGISTRY, InputError
    spec = REGISTRY["huber"]; spec.evaluate(inputs, params, device="cpu")
"""
from __future__ import annotations

from . import classification, divergence, likelihood, margin, regression, sequence, soft_margin
from .errors import InputError
from .spec import Example, LossSpec, Param

FAMILIES = ("regression", "classification", "margin", "sequence")

REGISTRY: dict[str, LossSpec] = {}
for _module in (regression, likelihood, classification, divergence, margin, soft_margin, sequence):
    for _spec in _module.SPECS:
        assert _spec.slug not in REGISTRY, _spec.slug
        assert _spec.family in FAMILIES, _spec.family
        REGISTRY[_spec.slug] = _spec

__all__ = ["REGISTRY", "FAMILIES", "InputError", "LossSpec", "Param", "Example"]

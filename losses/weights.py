"""Checks of tensor parameters (weight, pos_weight) shared by the classification losses.

Each refusal is an InputError keyed "weights.…" (content/<lang>/messages/weights.toml).
"""
from __future__ import annotations

import numpy as np

from .errors import InputError
from .text import M


def fmt_shape(shape) -> str:
    shape = tuple(int(d) for d in shape)
    return "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


def array_param(params: dict, name: str) -> np.ndarray | None:
    """The parameter as a float64 array (None when not given), refused when empty, non-finite or negative."""
    v = params.get(name)
    if v is None:
        return None
    if hasattr(v, "detach"):
        v = v.detach().cpu().numpy()
    try:
        arr = np.asarray(v, dtype=np.float64)
    except (TypeError, ValueError):
        raise InputError("weights.not_numbers", name=name) from None
    if arr.size == 0:
        raise InputError("weights.empty", name=name)
    if not np.all(np.isfinite(arr)):
        raise InputError("weights.nonfinite", name=name)
    if np.any(arr < 0):
        raise InputError("weights.negative", name=name, min=float(arr.min()))
    return arr


def require_broadcast(params: dict, name: str, shape: tuple, hint) -> None:
    """The parameter must broadcast to the input's shape (hint: a message saying which shape to use)."""
    arr = array_param(params, name)
    if arr is None:
        return
    try:
        ok = np.broadcast_shapes(arr.shape, shape) == tuple(shape)
    except ValueError:
        ok = False
    if not ok:
        raise InputError("weights.no_broadcast", name=name, shape=fmt_shape(arr.shape), input=fmt_shape(shape),
                         hint=hint)


PER_SAMPLE_HINT = M("weights.per_sample_hint")


def class_weight(params: dict, C: int) -> None:
    """CrossEntropyLoss / NLLLoss: `weight` is one number per class."""
    arr = array_param(params, "weight")
    if arr is not None and (arr.ndim != 1 or arr.size != C):
        raise InputError("weights.class_count", C=C, shape=fmt_shape(arr.shape))

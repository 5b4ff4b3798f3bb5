"""One-click fixes for a Diagnosis: rewrite one argument's text (an input or a tensor parameter).

Pure functions of the typed text, so the page's button and the tests use the same code. The new text is
what the reader would have typed: numbers rounded to 4 decimals, the argument's layout kept.
"""
from __future__ import annotations

import numpy as np

from .diagnosis import Fix
from .errors import InputError
from .parse import format_tensor_text, parse_tensor_text


def _log_softmax(x: np.ndarray, axis: int) -> np.ndarray:
    m = x.max(axis=axis, keepdims=True)
    return x - m - np.log(np.exp(x - m).sum(axis=axis, keepdims=True))


def class_axis(slug: str, x: np.ndarray) -> int:
    """Where the classes are: dim 1 for CrossEntropy/NLL batches (N, C, …), else the last dimension."""
    if slug in ("cross_entropy", "nll") and x.ndim >= 2:
        return 1
    return -1 if x.ndim else 0


def _multi_hot(y: np.ndarray) -> np.ndarray:
    """Class indices padded with -1 (read up to the first -1) -> 0/1 multi-hot of the same shape."""
    rows = np.atleast_2d(y)
    out = np.zeros_like(rows, dtype=np.float64)
    for r, row in enumerate(rows):
        for v in row:
            if v < 0:
                break
            out[r, int(v)] = 1.0
    return out.reshape(np.shape(y))


def _indices(y: np.ndarray) -> np.ndarray:
    """0/1 multi-hot -> the class indices of its ones, padded with -1 to the same width."""
    rows = np.atleast_2d(y)
    out = -np.ones_like(rows, dtype=np.float64)
    for r, row in enumerate(rows):
        hits = np.flatnonzero(row == 1)
        out[r, :hits.size] = hits
    return out.reshape(np.shape(y))


def fixed_array(slug: str, value: np.ndarray, fix: Fix) -> np.ndarray:
    x = np.asarray(value, dtype=np.float64)
    if fix.kind == "log_softmax":
        return _log_softmax(x, class_axis(slug, x))
    if fix.kind == "log":
        with np.errstate(divide="ignore"):
            return np.maximum(np.log(x), -100.0)   # a probability of 0 becomes a very unlikely class, not -inf
    if fix.kind == "pm1":
        return 2.0 * x - 1.0
    if fix.kind == "to01":
        return (x + 1.0) / 2.0
    if fix.kind == "reshape":
        return x.reshape(fix.shape)
    if fix.kind == "normalize":
        axis = class_axis(slug, x)
        return x / x.sum(axis=axis, keepdims=True)
    if fix.kind == "multi_hot":
        return _multi_hot(x)
    if fix.kind == "indices":
        return _indices(x)
    raise ValueError(fix.kind)


def apply_fix(slug: str, text: str, fix: Fix) -> str | None:
    """The fixed text of the argument `fix.arg`, given its current text; None when the fix no longer
    applies (the reader edited the text since the diagnosis was shown)."""
    try:
        value = np.asarray(parse_tensor_text(text, fix.arg), dtype=np.float64)
        new = fixed_array(slug, value, fix)
    except (InputError, ValueError, IndexError):
        return None
    return format_tensor_text(np.round(new, 4).tolist())

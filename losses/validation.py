"""Checks shared by several specs. Each raises InputError with what to fix (content/<lang>/messages/errors.toml)."""
from __future__ import annotations

import numpy as np

from .errors import InputError
from .text import M, Msg


def shape_str(t) -> str:
    s = tuple(t.shape)
    return "(" + ", ".join(str(d) for d in s) + ("," if len(s) == 1 else "") + ")"


def require_same_shape(tensors: dict, a: str, b: str) -> None:
    """torch would broadcast (with only a warning); a mismatch is almost always a bug, so refuse it."""
    ta, tb = tensors[a], tensors[b]
    if ta.shape != tb.shape:
        raise InputError("errors.shape_mismatch", a=a, b=b, sa=shape_str(ta), sb=shape_str(tb))


def require_ndim(tensors: dict, name: str, allowed: tuple[int, ...]) -> None:
    t = tensors[name]
    if t.dim() not in allowed:
        dims = str(allowed[0])
        for d in allowed[1:]:  # "1 or 2 or 3", the joining word in the reader's language
            dims = M("errors.either", a=dims, b=str(d))
        raise InputError("errors.ndim", name=name, dims=dims, n=t.dim(), shape=shape_str(t))


def require_range(tensors: dict, name: str, lo: float, hi: float, what: Msg | None = None) -> None:
    """`what` says what the values are, e.g. M("binary.range.probabilities")."""
    t = tensors[name]
    if t.numel() and (t.min() < lo or t.max() > hi):
        found = {"name": name, "lo": lo, "hi": hi, "min": float(t.min()), "max": float(t.max())}
        if not what:
            raise InputError("errors.range", **found)
        raise InputError("errors.range_what", what=what, **found)


MAX_BROADCAST = 100_000   # elements after broadcasting: (N, 1) against (N,) squares N, keep it live


def require_broadcastable(tensors: dict, a: str, b: str) -> None:
    """torch broadcasts these (at most a UserWarning): compute it and let spec.diagnose() warn. Refuse
    only what torch refuses (shapes that do not broadcast) and what the page cannot show (a huge grid)."""
    ta, tb = tensors[a], tensors[b]
    try:
        out = np.broadcast_shapes(tuple(ta.shape), tuple(tb.shape))
    except ValueError:
        raise InputError("errors.no_broadcast", a=a, b=b, sa=shape_str(ta), sb=shape_str(tb)) from None
    n = int(np.prod(out))
    if n > MAX_BROADCAST:
        raise InputError("errors.broadcast_too_big", a=a, b=b, sa=shape_str(ta), sb=shape_str(tb),
                               n=f"{n:,}", limit=f"{MAX_BROADCAST:,}")

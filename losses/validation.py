"""Checks shared by several specs. Each raises InputError with what to fix, in both languages."""
from __future__ import annotations

import numpy as np

from .errors import InputError


def shape_str(t) -> str:
    s = tuple(t.shape)
    return "(" + ", ".join(str(d) for d in s) + ("," if len(s) == 1 else "") + ")"


def require_same_shape(tensors: dict, a: str, b: str) -> None:
    """torch would broadcast (with only a warning); a mismatch is almost always a bug, so refuse it."""
    ta, tb = tensors[a], tensors[b]
    if ta.shape != tb.shape:
        raise InputError(
            f"`{b}` has shape {shape_str(tb)} but `{a}` has shape {shape_str(ta)}; they must match.",
            f"`{b}` 的形状是 {shape_str(tb)}，而 `{a}` 的形状是 {shape_str(ta)}；两者必须相同。")


def require_ndim(tensors: dict, name: str, allowed: tuple[int, ...]) -> None:
    t = tensors[name]
    if t.dim() not in allowed:
        dims = " or ".join(str(d) for d in allowed)
        raise InputError(f"`{name}` must have {dims} dimensions, got {t.dim()} (shape {shape_str(t)}).",
                         f"`{name}` 必须是 {dims} 维，当前为 {t.dim()} 维（形状 {shape_str(t)}）。")


def require_range(tensors: dict, name: str, lo: float, hi: float, what_en: str = "", what_zh: str = "") -> None:
    t = tensors[name]
    if t.numel() and (t.min() < lo or t.max() > hi):
        raise InputError(
            f"`{name}` must lie in [{lo:g}, {hi:g}]{' (' + what_en + ')' if what_en else ''}; "
            f"found {float(t.min()):g} … {float(t.max()):g}.",
            f"`{name}` 必须在 [{lo:g}, {hi:g}] 之内{'（' + what_zh + '）' if what_zh else ''}；"
            f"当前范围 {float(t.min()):g} … {float(t.max()):g}。")


MAX_BROADCAST = 100_000   # elements after broadcasting: (N, 1) against (N,) squares N, keep it live


def require_broadcastable(tensors: dict, a: str, b: str) -> None:
    """torch broadcasts these (at most a UserWarning): compute it and let spec.diagnose() warn. Refuse
    only what torch refuses (shapes that do not broadcast) and what the page cannot show (a huge grid)."""
    ta, tb = tensors[a], tensors[b]
    try:
        out = np.broadcast_shapes(tuple(ta.shape), tuple(tb.shape))
    except ValueError:
        raise InputError.keyed("err_no_broadcast", a=a, b=b, sa=shape_str(ta), sb=shape_str(tb)) from None
    n = int(np.prod(out))
    if n > MAX_BROADCAST:
        raise InputError.keyed("err_broadcast_too_big", a=a, b=b, sa=shape_str(ta), sb=shape_str(tb),
                               n=f"{n:,}", limit=f"{MAX_BROADCAST:,}")

"""Shared pieces of the NumPy derivations: number formatting and the reduction step."""
from __future__ import annotations

import numpy as np

from ..spec import Step
from ..text import M, Msg


def fmt(a, digits: int = 6) -> str:
    """Numbers as a reader wants them in a derivation: short, and arrays on one line when small."""
    arr = np.asarray(a)
    if arr.ndim == 0:
        v = float(arr)
        return f"{v:.{digits}g}" if abs(v) < 1e-3 or abs(v) >= 1e5 else f"{round(v, digits):g}"
    with np.printoptions(precision=digits, suppress=True, threshold=60, edgeitems=4, linewidth=100):
        return np.array2string(arr, separator=", ")


def reduce(per_element: np.ndarray, reduction: str, steps: list[Step], divisor: float | None = None,
           words: Msg | None = None):
    """Apply torch's reduction to the elementwise losses, recording the step a student should see.
    `words` says what `divisor` is: M("kl_div.divisor.batch", b=4) (default: the number of elements)."""
    per_element = np.asarray(per_element, dtype=np.float64)
    if reduction == "none":
        steps.append(Step(M("steps.reduce.none")))
        return per_element
    total = float(per_element.sum())
    if reduction == "sum":
        steps.append(Step(M("steps.reduce.sum", n=per_element.size, total=fmt(total))))
        return np.float64(total)
    if divisor is None:
        divisor = float(per_element.size)
        words = words or M("steps.reduce.elements", n=per_element.size)
    value = total / divisor
    steps.append(Step(M("steps.reduce.mean", reduction=reduction, total=fmt(total), divisor=words or "",
                        value=fmt(value))))
    return np.float64(value)


def keyed_step(key: str, latex: str = "", **args) -> Step:
    """A derivation step whose words live in content/<lang>/ (losses/text.py), by key."""
    return Step(M(key, **args), latex=latex)


def broadcast_step(steps: list, a_name: str, a: np.ndarray, b_name: str, b: np.ndarray, limit: int = 6) -> None:
    """When torch broadcast two arguments, show which elements it paired (the derivation then follows it)."""
    sa, sb = np.shape(a), np.shape(b)
    if sa == sb:
        return
    aa, bb = np.broadcast_arrays(np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64))
    pairs = [f"({fmt(u, 4)}, {fmt(v, 4)})" for u, v in zip(aa.ravel()[:limit], bb.ravel()[:limit])]
    more = " …" if aa.size > limit else ""
    steps.append(keyed_step("steps.broadcast", a=a_name, b=b_name, sa=_shape(sa), sb=_shape(sb),
                            out=_shape(aa.shape), n=str(aa.size), pairs=", ".join(pairs) + more))


def _shape(s) -> str:
    return "(" + ", ".join(str(int(d)) for d in s) + ("," if len(s) == 1 else "") + ")"

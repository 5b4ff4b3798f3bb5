"""Shared pieces of the NumPy derivations: number formatting and the reduction step."""
from __future__ import annotations

import numpy as np

from ..spec import Step
from ..text import M


def fmt(a, digits: int = 6) -> str:
    """Numbers as a reader wants them in a derivation: short, and arrays on one line when small."""
    arr = np.asarray(a)
    if arr.ndim == 0:
        v = float(arr)
        return f"{v:.{digits}g}" if abs(v) < 1e-3 or abs(v) >= 1e5 else f"{round(v, digits):g}"
    with np.printoptions(precision=digits, suppress=True, threshold=60, edgeitems=4, linewidth=100):
        return np.array2string(arr, separator=", ")


def reduce(per_element: np.ndarray, reduction: str, steps: list[Step], divisor: float | None = None,
           divisor_en: str = "", divisor_zh: str = ""):
    """Apply torch's reduction to the elementwise losses, recording the step a student should see."""
    per_element = np.asarray(per_element, dtype=np.float64)
    if reduction == "none":
        steps.append(Step("reduction='none': the elementwise losses are the result.",
                          "reduction='none'：逐元素损失就是结果。"))
        return per_element
    total = float(per_element.sum())
    if reduction == "sum":
        steps.append(Step(f"reduction='sum': add all {per_element.size} terms = {fmt(total)}.",
                          f"reduction='sum'：把 {per_element.size} 项全部相加 = {fmt(total)}。"))
        return np.float64(total)
    if divisor is None:
        divisor = float(per_element.size)
        divisor_en = divisor_en or f"the number of elements, {per_element.size}"
        divisor_zh = divisor_zh or f"元素个数 {per_element.size}"
    value = total / divisor
    steps.append(Step(f"reduction='{reduction}': sum {fmt(total)} ÷ {divisor_en} = {fmt(value)}.",
                      f"reduction='{reduction}'：总和 {fmt(total)} ÷ {divisor_zh} = {fmt(value)}。"))
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
    steps.append(keyed_step("step_broadcast", a=a_name, b=b_name, sa=_shape(sa), sb=_shape(sb),
                            out=_shape(aa.shape), n=str(aa.size), pairs=", ".join(pairs) + more))


def _shape(s) -> str:
    return "(" + ", ".join(str(int(d)) for d in s) + ("," if len(s) == 1 else "") + ")"

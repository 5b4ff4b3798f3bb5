"""Diagnoses: what torch accepts silently but is probably a mistake.

`spec.diagnose(inputs, params)` returns a list of Diagnosis. Each names a message key in
content/ui/diagnose.toml and the arguments it needs (numbers and shapes already formatted, no prose), and
optionally a Fix: a one-click rewrite of one argument (losses/fixes.py). The shared checks live here; the
per-loss rules in losses/diagnose_rules.py.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

ROW_TOL = 5e-3      # how far from 1 a typed distribution may sum (4-decimal typing stays well inside)


@dataclass(frozen=True)
class Fix:
    """A rewrite of one argument (an input, or a tensor parameter such as `weight`)."""
    kind: str                 # log_softmax | log | pm1 | to01 | reshape | normalize | multi_hot | indices
    arg: str
    shape: tuple = ()         # for reshape


@dataclass(frozen=True)
class Diagnosis:
    key: str                                  # message key in content/ui/diagnose.toml
    args: dict = field(default_factory=dict)  # placeholder values, already text
    fix: Fix | None = None


def shape_text(shape) -> str:
    shape = tuple(int(d) for d in shape)
    return "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


def num(v) -> str:
    return f"{float(v):.4g}"


def nums(values, limit: int = 4) -> str:
    values = [float(v) for v in np.ravel(values)]
    text = ", ".join(num(v) for v in values[:limit])
    return text + (", …" if len(values) > limit else "")


# ---- shapes ------------------------------------------------------------------------------------------
def broadcast(arrays: dict, a: str, b: str) -> Diagnosis | None:
    """Two arguments whose shapes differ but broadcast: torch pairs every element of one with the other's."""
    sa, sb = np.shape(arrays[a]), np.shape(arrays[b])
    if sa == sb:
        return None
    out = np.broadcast_shapes(sa, sb)
    n_out, n_max = int(np.prod(out)), max(int(np.prod(sa)), int(np.prod(sb)))
    return Diagnosis("dg_broadcast", {"a": a, "b": b, "sa": shape_text(sa), "sb": shape_text(sb),
                                      "out": shape_text(out), "n": str(n_out), "m": str(n_max)},
                     _reshape_fix(a, b, sa, sb))


def _reshape_fix(a: str, b: str, sa: tuple, sb: tuple) -> Fix | None:
    """Same number of elements, shapes that differ only by size-1 dimensions: reshape the second to the
    first's shape (the prediction is usually right; the target was given the wrong layout)."""
    if int(np.prod(sa)) != int(np.prod(sb)):
        return None
    if tuple(d for d in sa if d != 1) != tuple(d for d in sb if d != 1):
        return None
    return Fix("reshape", b, tuple(sa))


# ---- labels ------------------------------------------------------------------------------------------
def not_pm1(arrays: dict, key: str, name: str = "target") -> Diagnosis | None:
    """Labels other than ±1 (MarginRanking, HingeEmbedding, CosineEmbedding, SoftMargin)."""
    y = np.asarray(arrays[name], dtype=np.float64)
    bad = ~np.isin(y, (-1.0, 1.0))
    if not bad.any():
        return None
    found = np.unique(y[bad])
    fix = Fix("pm1", name) if np.all(np.isin(y, (0.0, 1.0))) else None
    return Diagnosis(key, {"found": nums(found), "count": str(int(bad.sum())), "total": str(y.size)}, fix)


def outside_01(arrays: dict, key: str, name: str = "target") -> Diagnosis | None:
    y = np.asarray(arrays[name], dtype=np.float64)
    bad = (y < 0) | (y > 1)
    if not bad.any():
        return None
    fix = Fix("to01", name) if np.all(np.isin(y, (-1.0, 1.0))) else None
    return Diagnosis(key, {"found": nums(np.unique(y[bad])), "count": str(int(bad.sum())),
                           "lo": num(y.min()), "hi": num(y.max())}, fix)


# ---- distributions -----------------------------------------------------------------------------------
def row_sums(a: np.ndarray, axis: int = -1) -> np.ndarray:
    a = np.asarray(a, dtype=np.float64)
    return a.reshape(1) if a.ndim == 0 else a.sum(axis=axis).reshape(-1)


def first_off_row(sums: np.ndarray):
    bad = np.flatnonzero(np.abs(sums - 1.0) > ROW_TOL)
    return (int(bad[0]), float(sums[bad[0]])) if bad.size else None


def looks_like_probabilities(x: np.ndarray, axis: int = -1) -> bool:
    """Every value in [0, 1] and every distribution along `axis` sums to 1: a softmax output."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 0 or x.shape[axis] < 2 or x.min() < 0 or x.max() > 1:
        return False
    return first_off_row(row_sums(x, axis)) is None


def all_in_unit_interval(x: np.ndarray) -> bool:
    """Scores that a sigmoid has squashed: every value strictly inside (0, 1), more than one of them."""
    x = np.asarray(x, dtype=np.float64)
    return x.size > 1 and bool(np.all((x > 0) & (x < 1)))


def not_log_probabilities(arrays: dict, name: str, key_probs: str, key_other: str,
                          axis: int = -1) -> Diagnosis | None:
    """An input that should hold log-probabilities: exp(x) must sum to 1 along the class axis."""
    x = np.asarray(arrays[name], dtype=np.float64)
    if looks_like_probabilities(x, axis):
        return Diagnosis(key_probs, {"name": name}, Fix("log", name))
    with np.errstate(over="ignore"):
        sums = row_sums(np.exp(x), axis)
    off = first_off_row(sums)
    if off is None:
        return None
    i, s = off
    return Diagnosis(key_other, {"name": name, "row": str(i), "sum": num(s)}, Fix("log_softmax", name))

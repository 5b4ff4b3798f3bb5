"""Pieces shared by the classification specs (binary.py, focal.py, multiclass.py): plot-only parameters,
examples and help read from the loss's content files by key, the 'mean' divisor by element count, and
random shapes for the tests."""
from __future__ import annotations

from .spec import Example, Param
from .text import M, has_text

DOCS = "https://pytorch.org/docs/stable/generated/torch.nn.{}.html"
ARGS = ("input", "target")
LOGIT_X = M("classification.logit_x")


def help_of(slug: str, name: str):
    """A parameter's help: front matter [param] of content/<lang>/<slug>.md."""
    return M(f"{slug}.param.{name}")


def plot_param(slug: str, name, default, lo, hi, step, symbol, symbol_text, fmt="") -> Param:
    """A slider that only moves the plot (not passed to torch); its help says so."""
    return Param(name, "float", default, lo=lo, hi=hi, step=step, symbol=symbol, symbol_text=symbol_text, fmt=fmt,
                 ui_only=True, help=M("classification.plot_only", help=help_of(slug, name)))


def example(slug: str, key: str, inputs: dict, params: dict | None = None, expected: float | None = None) -> Example:
    """Title (and note, when the content file has one) from front matter [example.<key>]."""
    note_key = f"{slug}.example.{key}.note"
    return Example(key, M(f"{slug}.example.{key}.title"), inputs, params or {}, expected,
                   M(note_key) if has_text(note_key) else None)


def numel_divisor(name: str, note=""):
    """'mean' divides by the number of elements of tensor `name` (note: a message said after the count)."""
    def divisor(t: dict, p: dict):
        n = int(t[name].numel())
        return float(n), M("classification.numel", n=n, note=note)
    return divisor


def full(x, v):
    import torch
    return torch.full_like(x, float(v))


def random_shape(rng, max_dims=2):
    return tuple(int(d) for d in rng.integers(1, 5, size=rng.integers(1, max_dims + 1)))


def binary_targets(rng, shape):
    return rng.integers(0, 2, shape).astype(float) if rng.random() < 0.6 else rng.uniform(0, 1, shape)

"""What the margin-family modules share (losses/ranking.py, multiclass_margin.py, embedding.py): validation
helpers that raise InputError before torch sees the tensors, the margin parameter, and curve labels.
The words live in content/<lang>/messages/margin.toml and in each loss's front matter."""
from __future__ import annotations

import numpy as np

from .errors import InputError
from .spec import Example, Param
from .text import M
from .validation import require_broadcastable, shape_str

DOCS = "https://pytorch.org/docs/stable/generated/torch.nn.{}.html"


def pos(idx) -> str:
    idx = tuple(int(i) for i in np.atleast_1d(idx))
    return "(" + ", ".join(str(i) for i in idx) + ("," if len(idx) == 1 else "") + ")" if idx else "()"


def first_bad(mask: np.ndarray):
    where = np.argwhere(mask)
    return tuple(where[0]) if where.size else ()


def require_dims(tensors: dict, name: str, what: str) -> None:
    """1 or 2 dimensions; `what` names the accepted layouts (margin.error.what.<what>)."""
    t = tensors[name]
    if t.dim() not in (1, 2):
        raise InputError("margin.error.dims", name=name, lo=1, hi=2, what=M(f"margin.error.what.{what}"),
                         got=t.dim(), shape=shape_str(t))


def require_same_ndim(tensors: dict, names: tuple[str, ...]) -> None:
    """torch raises when the number of dimensions differs; sizes it broadcasts (diagnosed)."""
    first = tensors[names[0]]
    for other in names[1:]:
        if tensors[other].dim() != first.dim():
            raise InputError.keyed("err_same_ndim", a=names[0], b=other, sa=shape_str(first),
                                   sb=shape_str(tensors[other]))
        require_broadcastable(tensors, names[0], other)


def pm1(rng, shape):
    return rng.choice([-1.0, 1.0], size=shape)


def const(x, value):
    import torch
    return torch.full_like(x, float(value))


def words(key: str):
    """A curve label (axis, series, marker) by key: the UI says it in the page's language (ui.i18n.tr)."""
    return M(key)


def marker(value_fn, key: str):
    """One vertical guide at value_fn(params), labelled by `key`."""
    label = words(key)

    def markers(p):
        return [(value_fn(p), label)]
    return markers


def margin_param(default, lo, hi, help_key: str, step=0.05, curve=True) -> Param:
    return Param("margin", "float", default, lo=lo, hi=hi, step=step, help=M(help_key), curve=curve)


def example(slug: str, key: str, inputs: dict, params: dict | None = None, note: bool = True, **kw) -> Example:
    """A worked example whose title (and note) are "<slug>.example.<key>.title/.note" in the front matter."""
    extra = {"note": M(f"{slug}.example.{key}.note")} if note else {}
    return Example(key, M(f"{slug}.example.{key}.title"), inputs, params or {}, **extra, **kw)

"""CosineEmbeddingLoss, TripletMarginLoss and TripletMarginWithDistanceLoss: hinges on a cosine or on
d(a,p) − d(a,n). The series call torch's own functional on tensors built from the swept x (autograd
gradients); the distance choice of TripletMarginWithDistanceLoss becomes a callable here and in the snippet.
Words: each loss's front matter in content/<lang>/<slug>.md and content/<lang>/messages/margin.toml.
"""
from __future__ import annotations

import dataclasses

import numpy as np

from .errors import InputError
from .margin_common import DOCS, const, example, margin_param, marker, pm1, require_dims, require_same_ndim, words
from .reference import margin as ref
from .spec import Curve, LossSpec, M, Param, Series, default_snippet, reduction_param, Refusal
from .chooser_rules import rule
from .validation import require_broadcastable, shape_str

DISTANCES = ("pairwise_l2", "cosine", "l1")
TRIPLET_SHIFT = 5.0


def _validate_cosine_embedding(t: dict, p: dict) -> None:
    require_dims(t, "input1", "vector")
    require_same_ndim(t, ("input1", "input2"))
    x, y = t["input1"], t["target"]
    if y.dim() != x.dim() - 1:
        need = M("margin.error.need.cos_scalar") if x.dim() == 1 else M("margin.error.need.cos_rows", n=x.shape[0])
        raise InputError("margin.error.cos_target", st=shape_str(y), sx=shape_str(x), need=need)
    pairs = {"pairs": t["input1"].new_zeros(np.broadcast_shapes(tuple(x.shape), tuple(t["input2"].shape))[:-1]),
             "target": y}
    require_broadcastable(pairs, "pairs", "target")   # more labels than pairs broadcasts: diagnosed


def _validate_triplet(t: dict, p: dict) -> None:
    require_dims(t, "anchor", "embedding")
    require_same_ndim(t, ("anchor", "positive", "negative"))
    require_broadcastable(t, "positive", "negative")


def _sample_cosine_embedding(rng):
    d = int(rng.integers(1, 6))
    if rng.random() < 0.2:
        return {"input1": rng.normal(0, 1, d), "input2": rng.normal(0, 1, d), "target": np.float64(rng.choice([-1, 1]))}
    n = int(rng.integers(1, 6))
    return {"input1": rng.normal(0, 1, (n, d)), "input2": rng.normal(0, 1, (n, d)),
            "target": pm1(rng, (n,))}


def _sample_triplet(rng):
    d = int(rng.integers(1, 6))
    shape = (d,) if rng.random() < 0.2 else (int(rng.integers(1, 6)), d)
    a = rng.normal(0, 1, shape)
    return {"anchor": a, "positive": a + rng.normal(0, 0.8, shape), "negative": a + rng.normal(0, 1.2, shape)}


# ---- curves: torch's own functional on tensors built from the swept x ----------------------------
def _cosine_y(y):
    def fn(x, p):
        """x is the cosine: input1 = (1, 0), input2 = (x, √(1 − x²)) (+1e-12 keeps autograd finite at ±1)."""
        import torch
        import torch.nn.functional as F
        a = torch.stack([torch.ones_like(x), torch.zeros_like(x)], dim=-1)
        b = torch.stack([x, torch.sqrt(1 - x * x + 1e-12)], dim=-1)
        return F.cosine_embedding_loss(a, b, const(x, y), margin=p["margin"], reduction="none")
    return fn


def _triplet_points(x):
    """1-D embeddings: anchor 0, positive x + 5, negative 5, so d(a,p) − d(a,n) = x exactly (eps cancels)."""
    import torch
    return (torch.zeros_like(x).unsqueeze(-1), (x + TRIPLET_SHIFT).unsqueeze(-1),
            const(x, TRIPLET_SHIFT).unsqueeze(-1))


def _triplet_fn(x, p):
    import torch.nn.functional as F
    return F.triplet_margin_loss(*_triplet_points(x), margin=p["margin"], p=p["p"], eps=p["eps"], swap=False,
                                 reduction="none")


def _triplet_wd_fn(x, p):
    import torch.nn.functional as F
    return F.triplet_margin_with_distance_loss(*_triplet_points(x), distance_function=None, margin=p["margin"],
                                               swap=False, reduction="none")


# ---- triplet_margin_with_distance: the choice of distance becomes a callable ---------------------
def distance_callable(name: str):
    """The callable handed to torch for each `distance_function` choice (None = torch's default)."""
    import torch.nn.functional as F
    if name == "pairwise_l2":
        return None  # torch's default: F.pairwise_distance(x, y), p = 2, eps = 1e-6
    if name == "l1":
        return lambda x, y: F.pairwise_distance(x, y, p=1.0)
    if name == "cosine":
        return lambda x, y: 1.0 - F.cosine_similarity(x, y, dim=-1)
    raise InputError("margin.error.unknown_distance", name=name)


def _triplet_wd_compute(tensors: dict, kwargs: dict):
    import torch.nn.functional as F
    kw = dict(kwargs)
    kw["distance_function"] = distance_callable(kw["distance_function"])
    return F.triplet_margin_with_distance_loss(tensors["anchor"], tensors["positive"], tensors["negative"], **kw)


_DISTANCE_CODE = {"pairwise_l2": "nn.PairwiseDistance(p=2)", "l1": "nn.PairwiseDistance(p=1)",
                  "cosine": "cosine_distance"}


def _triplet_wd_snippet(inputs: dict, params: dict) -> str:
    """The default snippet, with the distance choice written as the callable torch receives."""
    plain = dataclasses.replace(TRIPLET_WD, snippet=None,
                                params=tuple(p for p in TRIPLET_WD.params if p.name != "distance_function"))
    lines = default_snippet(plain, inputs, {k: v for k, v in params.items() if k != "distance_function"}).split("\n")
    head = "loss_fn = nn.TripletMarginWithDistanceLoss("
    i = next(k for k, line in enumerate(lines) if line.startswith(head))
    kwargs = lines[i][len(head):-1]
    name = params["distance_function"]
    lines[i] = head + f"distance_function={_DISTANCE_CODE[name]}" + (f", {kwargs}" if kwargs else "") + ")"
    if name == "cosine":
        lines[i:i] = ["def cosine_distance(x, y):", "    return 1.0 - F.cosine_similarity(x, y, dim=-1)", ""]
        lines.insert(2, "import torch.nn.functional as F")
    return "\n".join(lines)


# ---- the specs ------------------------------------------------------------------------------------
COSINE_EMBEDDING = LossSpec(
    slug="cosine_embedding", title="CosineEmbeddingLoss", family="margin", functional="cosine_embedding_loss",
    chooser=(rule("cosine_embedding", {"task": "embedding", "distance": "cosine"},
                              "nn.CosineEmbeddingLoss(margin=0.0)", ("hinge_embedding",)),),
    refusals=(
        Refusal({'input1': [[1.0, 1.0], [1.0, 1.0]], 'input2': [[1.0, 0.0], [1.0, 0.0]], 'target': [1.0, -1.0, 1.0]}, {}, 'errors.no_broadcast'),
    ),
    formula=(r"\ell_n = \begin{cases} 1 - \cos(x_{1,n}, x_{2,n}), & y_n = 1 \\ \max\bigl(0,\ \cos(x_{1,n}, x_{2,n}) - "
             r"\mathrm{margin}\bigr), & y_n = -1 \end{cases}"),
    arg_names=("input1", "input2", "target"),
    params=(reduction_param(), margin_param(0.0, -1.0, 1.0, "cosine_embedding.param.margin")),
    examples=(
        example("cosine_embedding", "two_pairs",
                {"input1": [[1.0, 1.0], [1.0, 1.0]], "input2": [[1.0, 0.0], [1.0, 0.0]], "target": [1, -1]}),
        example("cosine_embedding", "lenient",
                {"input1": [[1.0, 1.0], [1.0, 1.0]], "input2": [[1.0, 0.0], [1.0, 0.0]], "target": [1, -1]},
                {"margin": 0.5}, note=False),
        example("cosine_embedding", "lengths",
                {"input1": [[1.0, 1.0], [10.0, 10.0]], "input2": [[1.0, 0.0], [0.1, 0.0]], "target": [1, 1]}),
    ),
    reference_fn=ref.cosine_embedding, sample=_sample_cosine_embedding, validate=_validate_cosine_embedding,
    curve=Curve(words("cosine_embedding.curve.x"), (-1.0, 1.0), (
        Series(words("cosine_embedding.curve.y_neg"), _cosine_y(-1.0)),
        Series(words("cosine_embedding.curve.y_pos"), _cosine_y(1.0), dash="dash"),
    ), markers=marker(lambda p: p["margin"], "margin.curve.margin")),
    docs_url=DOCS.format("CosineEmbeddingLoss"))

_SWAP = Param("swap", "bool", False, curve=False, help=M("margin.param.swap"))


def _two_triplets() -> dict:
    return {"anchor": [[0.0, 0.0], [0.0, 0.0]], "positive": [[0.0, 1.0], [1.0, 1.0]],
            "negative": [[1.5, 0.0], [1.5, 0.0]]}


TRIPLET = LossSpec(
    slug="triplet_margin", title="TripletMarginLoss", family="margin", functional="triplet_margin_loss",
    chooser=(rule("triplet_margin", {"task": "embedding", "pairs": "triplets", "distance": "euclidean"},
                            "nn.TripletMarginLoss(margin=1.0, p=2)", ("triplet_margin_with_distance",)),),
    refusals=(
        Refusal({'anchor': [[0.0, 0.0], [0.0, 0.0]], 'positive': [[0.0, 1.0], [1.0, 1.0]], 'negative': [[1.5, 0.0], [1.5, 0.0], [1.5, 0.0]]}, {}, 'errors.no_broadcast'),
    ),
    formula=(r"\begin{gathered} \ell_i = \max\bigl(d(a_i, p_i) - d(a_i, n_i) + \mathrm{margin},\ 0\bigr) \\"
             r" d(x, y) = \lVert x - y + \epsilon \rVert_p \end{gathered}"),
    arg_names=("anchor", "positive", "negative"),
    params=(
        reduction_param(),
        margin_param(1.0, 0.05, 3.0, "triplet_margin.param.margin"),
        Param("p", "float", 2.0, lo=1.0, hi=4.0, step=0.5, curve=False, help=M("triplet_margin.param.p")),
        Param("eps", "float", 1e-6, lo=0.0, hi=0.1, step=1e-6, fmt="%.1e", curve=False,
              help=M("triplet_margin.param.eps")),
        _SWAP,
    ),
    examples=(
        example("triplet_margin", "norms", _two_triplets()),
        example("triplet_margin", "manhattan", _two_triplets(), {"p": 1.0}, note=False),
        example("triplet_margin", "swap", {"anchor": [[0.0, 0.0]], "positive": [[1.0, 0.0]], "negative": [[2.0, 0.0]]},
                {"swap": True}),
    ),
    reference_fn=ref.triplet_margin, sample=_sample_triplet, validate=_validate_triplet,
    curve=Curve(words("margin.curve.triplet_x"), (-3.5, 2.5), (
        Series(words("margin.curve.triplet_hinge"), _triplet_fn),
    ), markers=marker(lambda p: -p["margin"], "margin.curve.minus_margin")),
    docs_url=DOCS.format("TripletMarginLoss"))

TRIPLET_WD = LossSpec(
    slug="triplet_margin_with_distance", title="TripletMarginWithDistanceLoss", family="margin",
    chooser=(rule(
        "triplet_margin_with_distance", {"task": "embedding", "pairs": "triplets"},
        "nn.TripletMarginWithDistanceLoss(distance_function=lambda a, b: 1 - F.cosine_similarity(a, b))",
        ("triplet_margin",), rank=1),),
    refusals=(
        Refusal({'anchor': [[1.0, 0.0], [1.0, 0.0]], 'positive': [[4.0, 1.0], [0.2, 0.2]], 'negative': [[0.5, 0.2], [0.3, -0.3], [0.5, 0.2]]}, {}, 'errors.no_broadcast'),
    ),
    functional="triplet_margin_with_distance_loss",
    formula=(r"\begin{gathered} \ell_i = \max\bigl(d(a_i, p_i) - d(a_i, n_i) + \mathrm{margin},\ 0\bigr) \\"
             r" d = \texttt{distance\_function} \end{gathered}"),
    arg_names=("anchor", "positive", "negative"),
    params=(
        reduction_param(),
        Param("distance_function", "choice", "pairwise_l2", choices=DISTANCES, curve=False,
              help=M("triplet_margin_with_distance.param.distance_function")),
        margin_param(1.0, 0.05, 3.0, "triplet_margin_with_distance.param.margin"),
        _SWAP,
    ),
    examples=(
        example("triplet_margin_with_distance", "cosine",
                {"anchor": [[1.0, 0.0], [1.0, 0.0]], "positive": [[4.0, 1.0], [0.2, 0.2]],
                 "negative": [[0.5, 0.2], [0.3, -0.3]]}, {"distance_function": "cosine", "margin": 0.3}),
        example("triplet_margin_with_distance", "default", _two_triplets(), note=False),
    ),
    reference_fn=ref.triplet_margin_with_distance, sample=_sample_triplet, validate=_validate_triplet,
    compute=_triplet_wd_compute, snippet=_triplet_wd_snippet,
    curve=Curve(words("margin.curve.triplet_x"), (-3.5, 2.5), (
        Series(words("margin.curve.triplet_hinge"), _triplet_wd_fn),
    ), markers=marker(lambda p: -p["margin"], "margin.curve.minus_margin")),
    docs_url=DOCS.format("TripletMarginWithDistanceLoss"))

SPECS = (COSINE_EMBEDDING, TRIPLET, TRIPLET_WD)

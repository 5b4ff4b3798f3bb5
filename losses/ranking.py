"""MarginRankingLoss and HingeEmbeddingLoss: a hinge against a score difference or a distance, for y = ±1.

The series call torch's own functional on tensors built from the swept x, so the gradients come from
autograd (losses/curves.py). Words: each loss's front matter in content/<lang>/<slug>.md.
"""
from __future__ import annotations

import numpy as np

from .margin_common import DOCS, const, example, margin_param, marker, pm1, require_same_ndim, words
from .reference import margin as ref
from .spec import Curve, LossSpec, Series, reduction_param, Refusal
from .chooser_rules import rule
from .validation import require_broadcastable


def _validate_margin_ranking(t: dict, p: dict) -> None:
    require_same_ndim(t, ("input1", "input2", "target"))
    require_broadcastable(t, "input2", "target")


def _validate_hinge_embedding(t: dict, p: dict) -> None:
    require_broadcastable(t, "input", "target")   # torch broadcasts and takes any label: diagnosed


def _sample_margin_ranking(rng):
    shape = () if rng.random() < 0.15 else (int(rng.integers(1, 7)),)
    return {"input1": rng.normal(0, 1.5, shape), "input2": rng.normal(0, 1.5, shape), "target": pm1(rng, shape)}


def _sample_hinge_embedding(rng):
    shape = tuple(int(s) for s in rng.integers(1, 5, size=rng.integers(1, 3)))
    x = np.abs(rng.normal(0, 1.5, shape))
    return {"input": x, "target": pm1(rng, shape)}


def _margin_ranking_y(y):
    def fn(x, p):
        import torch.nn.functional as F
        return F.margin_ranking_loss(x, const(x, 0), const(x, y), margin=p["margin"], reduction="none")
    return fn


def _hinge_embedding_y(y):
    def fn(x, p):
        import torch.nn.functional as F
        return F.hinge_embedding_loss(x, const(x, y), margin=p["margin"], reduction="none")
    return fn


_RANKING_MARKS = {k: words(f"margin_ranking.curve.{k}") for k in ("margin_zero", "margin_pos", "margin_neg")}


def _ranking_markers(p):
    m = p["margin"]
    if m == 0:  # both kinks at 0: one guide
        return [(0.0, _RANKING_MARKS["margin_zero"])]
    return [(m, _RANKING_MARKS["margin_pos"]), (-m, _RANKING_MARKS["margin_neg"])]


MARGIN_RANKING = LossSpec(
    slug="margin_ranking", title="MarginRankingLoss", family="margin", functional="margin_ranking_loss",
    chooser=(rule("margin_ranking", {"task": "ranking"}, "nn.MarginRankingLoss(margin=0.0)"),),
    refusals=(
        Refusal({'input1': [0.8, 0.3, 0.5], 'input2': [0.2, 0.6, 0.5], 'target': [1.0, 1.0, -1.0, 1.0]}, {}, 'errors.no_broadcast'),
    ),
    formula=(r"\begin{gathered} \ell_n = \max\bigl(0,\; -y_n\,(x_{1,n} - x_{2,n}) + \mathrm{margin}\bigr) \\"
             r" y_n \in \{1, -1\} \end{gathered}"),
    arg_names=("input1", "input2", "target"),
    params=(reduction_param(), margin_param(0.0, -2.0, 2.0, "margin_ranking.param.margin")),
    examples=(
        example("margin_ranking", "three_pairs",
                 {"input1": [0.8, 0.3, 0.5], "input2": [0.2, 0.6, 0.5], "target": [1, 1, -1]}, {"margin": 0.5}),
        example("margin_ranking", "order_only",
                 {"input1": [2.0, 0.1, -1.0, 0.0], "input2": [1.0, 0.0, 1.0, 0.5], "target": [1, 1, 1, -1]},
                 note=False),
    ),
    reference_fn=ref.margin_ranking, sample=_sample_margin_ranking, validate=_validate_margin_ranking,
    curve=Curve(words("margin_ranking.curve.x"), (-3.0, 3.0), (
        Series(words("margin_ranking.curve.y_pos"), _margin_ranking_y(1.0)),
        Series(words("margin_ranking.curve.y_neg"), _margin_ranking_y(-1.0), dash="dash"),
    ), markers=_ranking_markers),
    docs_url=DOCS.format("MarginRankingLoss"))

HINGE_EMBEDDING = LossSpec(
    slug="hinge_embedding", title="HingeEmbeddingLoss", family="margin", functional="hinge_embedding_loss",
    chooser=(rule("hinge_embedding", {"task": "embedding"},
                             "nn.HingeEmbeddingLoss(margin=1.0)(torch.pairwise_distance(x1, x2), y)",
                             ("cosine_embedding", "triplet_margin")),),
    refusals=(
        Refusal({'input': [0.2, 0.4, 1.5], 'target': [1.0, -1.0, -1.0, 1.0]}, {}, 'errors.no_broadcast'),
    ),
    formula=(r"\begin{gathered} \ell_n = \begin{cases} x_n, & y_n = 1 \\ \max(0,\ \mathrm{margin} - x_n), & y_n = -1"
             r" \end{cases} \\ x_n = d(e_{1,n},\, e_{2,n}) \end{gathered}"),
    arg_names=("input", "target"),
    params=(reduction_param(), margin_param(1.0, -1.0, 4.0, "hinge_embedding.param.margin")),
    examples=(
        example("hinge_embedding", "three_distances", {"input": [0.2, 0.4, 1.5], "target": [1, -1, -1]}),
        example("hinge_embedding", "batch",
                 {"input": [[0.0, 0.7, 2.5], [1.2, 0.1, 0.9]], "target": [[1, -1, -1], [1, 1, -1]]}, note=False),
    ),
    reference_fn=ref.hinge_embedding, sample=_sample_hinge_embedding, validate=_validate_hinge_embedding,
    curve=Curve(words("hinge_embedding.curve.x"), (-1.0, 3.5), (
        Series(words("hinge_embedding.curve.y_neg"), _hinge_embedding_y(-1.0)),
        Series(words("hinge_embedding.curve.y_pos"), _hinge_embedding_y(1.0), dash="dash"),
    ), markers=marker(lambda p: p["margin"], "margin.curve.margin")),
    docs_url=DOCS.format("HingeEmbeddingLoss"))

SPECS = (MARGIN_RANKING, HINGE_EMBEDDING)

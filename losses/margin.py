"""The margin family: MarginRanking, HingeEmbedding (losses/ranking.py), MultiMargin, MultiLabelMargin
(losses/multiclass_margin.py), CosineEmbedding, TripletMargin, TripletMarginWithDistance (losses/embedding.py).

Every curve is a hinge drawn against the quantity the margin is compared with (a score difference, a
distance, a cosine, a gap between two class scores, d(a,p) − d(a,n)), for y = +1 and y = −1 where the
loss has a ±1 label.
"""
from __future__ import annotations

from . import embedding, multiclass_margin, ranking
from .embedding import DISTANCES, TRIPLET_SHIFT, distance_callable  # noqa: F401  (used by panels and tests)
from .multiclass_margin import padded_targets  # noqa: F401  (used by tests)

SPECS = ranking.SPECS + multiclass_margin.SPECS + embedding.SPECS
